/* pdf_internal.h - what the backend's files share: the writer's state, raw
 * content writing, structure tagging and metadata. */
#ifndef BILAGA_PDF_INTERNAL_H
#define BILAGA_PDF_INTERNAL_H

#include <hpdf.h>
#include <zlib.h>

#include "pdf/pdf_font.h"
#include "pdf/pdf_writer.h"

struct link_request;
struct anchor_pos;
struct pdf_structure;

struct pdf_writer {
  HPDF_Doc pdf;
  const fontset *fonts;
  pdf_document_info info;
  pdf_options options;
  diag_sink *sink;
  HPDF_STATUS error, error_detail;
  pdf_font **pdf_fonts; /* by fontset index, NULL while unused */
  int *font_order;      /* fontset indices in order of first use */
  int pdf_font_capacity, font_order_capacity, font_order_count;
  int input_refused; /* the failure is about the input and is reported */
  char failure[320]; /* what failed, for the report (pdf_writer_report) */
  HPDF_Page page; /* the page being drawn */
  HPDF_Page *pages;
  int page_count, page_capacity;
  struct link_request *links;
  int link_count, link_capacity;
  struct anchor_pos *anchors; /* by node id */
  int anchor_capacity;
  char *buf;                  /* content waiting for the page stream */
  size_t buf_len, buf_cap;
  struct pdf_structure *structure;
  z_stream zstream; /* page contents are deflated as each page is finished */
  int zstream_ready;
  unsigned char *zin, *zout;
  size_t zin_cap, zout_cap;
};

/* PDF/A-1's implementation limit on arrays (ISO 19005-1, 6.1.12), which
 * PDFBox Preflight enforces; libharu's own is larger (32,767 entries). */
enum { PDF_MAX_ARRAY = 8191 };

/* Records the first failure of a libharu call (or of memory): status and
 * what was being done. The writer then stops; pdf_writer_report names it. */
void pdf_fail(pdf_writer *w, HPDF_STATUS status, const char *what, ...) __attribute__((format(printf, 3, 4)));
/* Checks a libharu status: 1 when HPDF_OK, else records the failure. */
int pdf_ok(pdf_writer *w, HPDF_STATUS status, const char *what);

/* zlib level for page contents: 6 (zlib's default) packs about as well as
 * 9 at a fraction of the time. */
#ifndef PAGE_COMPRESSION
#define PAGE_COMPRESSION 6
#endif

void pdf_buf_write(pdf_writer *w, const char *s, size_t n);
void pdf_buf_puts(pdf_writer *w, const char *s);
void pdf_buf_real(pdf_writer *w, double v);
void pdf_buf_flush(pdf_writer *w);
HPDF_Binary pdf_text_string(pdf_writer *w, const char *utf8);

/* Structure tree (pdf_structure.c): marked content on pages, the tree in
 * the catalog. Every call is cheap when tagging is off. */
int pdf_structure_begin(pdf_writer *w);
void pdf_structure_free(pdf_writer *w);
void pdf_structure_page_begin(pdf_writer *w, int number);
void pdf_structure_page_end(pdf_writer *w);
/* Before drawing anything: opens the marked-content sequence the current
 * structure element (or artifact) needs. */
void pdf_structure_content(pdf_writer *w);
/* Opens the element s describes (a new one, or the one begun before with
 * the same node id and part). */
void pdf_structure_begin_node(pdf_writer *w, const display_struct *s);
void pdf_structure_end_node(pdf_writer *w);
void pdf_structure_artifact(pdf_writer *w, int begin);
void pdf_structure_link(pdf_writer *w, int link_index);
void pdf_structure_link_annot(pdf_writer *w, int link_index, HPDF_Annotation annot, int page);
int pdf_structure_finish(pdf_writer *w);

/* Document information, XMP, output intent and file ID (pdf_metadata.c). */
int pdf_metadata_write(pdf_writer *w);

#endif
