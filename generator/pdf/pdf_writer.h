/* pdf_writer.h - the PDF backend: replays page display lists into libharu
 * and adds what libharu lacks (subset CID fonts with a correct ToUnicode
 * map, UTF-16 text strings, links resolved after all pages exist). The
 * only code that includes hpdf.h. */
#ifndef BILAGA_PDF_WRITER_H
#define BILAGA_PDF_WRITER_H

#include <limits.h>
#include <stddef.h>

#include "layout/display.h"
#include "text/fontset.h"
#include "util/diag.h"

typedef struct pdf_writer pdf_writer;

#define PDF_NO_DATE LLONG_MIN

typedef struct pdf_options {
  int pdfa_part;        /* the PDF/A part claimed: 1 or 2; 0 for none */
  char pdfa_level;      /* its conformance level: 'A', 'B' or 'U' */
  int pdfua;            /* also claims PDF/UA-1 */
  int tagged;           /* writes the structure tree (level A and PDF/UA need it) */
  const char *data_dir; /* for the ICC profile */
} pdf_options;

/* What the backend knows of the document besides its pages, as plain
 * data (the caller builds it from the model): metadata for the
 * information dictionary and XMP, and the seed of the file identifier.
 * Strings are UTF-8; NULL (or empty) for none. */
typedef struct pdf_document_info {
  const char *file; /* the content's name, for diagnostics */
  const char *title, *author, *subject, *keywords;
  const char *lang; /* the document's language (BCP 47); NULL: sv-SE */
  /* the report's own metadata, in the bilaga XMP schema */
  const char *diary_number, *attachment, *board, *period;
  long long date_epoch; /* seconds since 1970 (UTC, years 0001-9999) for
                           CreationDate/ModDate; PDF_NO_DATE: none */
  /* The file identifier is a digest of these bytes and the page count. */
  const unsigned char *id_seed;
  size_t id_seed_length;
} pdf_document_info;

/* PDF/A-1's string limit (ISO 19005-1, 6.1.12): bytes, and UTF-16 units
 * of a text string (which starts with a byte order mark). */
enum { PDF_MAX_STRING_BYTES = 65535, PDF_MAX_TEXT_UNITS = (PDF_MAX_STRING_BYTES - 2) / 2 };
/* UTF-16 code units of a UTF-8 string: its length as a PDF text string. */
size_t pdf_text_units(const char *utf8);

/* Borrows fonts and the info's strings; they must outlive the writer.
 * NULL on failure (reported). */
pdf_writer *pdf_writer_new(const fontset *fonts, const pdf_document_info *info, const pdf_options *options,
                           diag_sink *sink);
/* Draws one page; a layout_page_fn (user is the writer). */
int pdf_writer_page(void *writer, const display_page *page);
/* Finishes the document (outlines from the headings, fonts, metadata) and
 * serialises it into a malloc'ed buffer the caller frees. */
int pdf_writer_finish(pdf_writer *w, const display_heading *headings, int heading_count, unsigned char **bytes,
                      size_t *length);
void pdf_writer_free(pdf_writer *w);

/* After a failed pdf_writer_page or pdf_writer_finish: BILAGA_ERROR_INPUT
 * when the writer refused the input (already reported at its position),
 * BILAGA_ERROR_IO for an internal failure, which it reports now, naming
 * what failed; BILAGA_OK when the writer itself did not fail. */
bilaga_status pdf_writer_report(pdf_writer *w);

#endif
