/* pdf_writer.h - the PDF backend: replays page display lists into libharu
 * and adds what libharu lacks (subset CID fonts with a correct ToUnicode
 * map, UTF-16 text strings, links resolved after all pages exist). The
 * only code that includes hpdf.h. */
#ifndef BILAGA_PDF_WRITER_H
#define BILAGA_PDF_WRITER_H

#include <limits.h>
#include <stddef.h>

#include "layout/layout.h"
#include "model/model.h"
#include "text/fontset.h"
#include "util/diag.h"

typedef struct pdf_writer pdf_writer;

#define PDF_NO_DATE LLONG_MIN

typedef struct pdf_options {
  int pdfa;               /* PDF/A-1b with tagged structure */
  long long date_epoch;   /* seconds since 1970 (UTC, years 0001-9999) for
                             CreationDate/ModDate; PDF_NO_DATE: none */
  const char *data_dir;   /* for the ICC profile */
} pdf_options;

/* Borrows fonts and doc; both must outlive the writer. NULL on failure
 * (reported). */
pdf_writer *pdf_writer_new(const fontset *fonts, const document_model *doc, const pdf_options *options,
                           diag_sink *sink);
/* Draws one page; a layout_page_fn (user is the writer). */
int pdf_writer_page(void *writer, const display_page *page);
/* Finishes the document (outlines, fonts, metadata) and serialises it into
 * a malloc'ed buffer the caller frees. */
int pdf_writer_finish(pdf_writer *w, const layout_result *layout, unsigned char **bytes, size_t *length);
void pdf_writer_free(pdf_writer *w);

/* Checks what PDF cannot hold before anything is laid out: every text
 * written as a PDF string (metadata, placeholder descriptions, bookmark
 * titles, language tags) fits PDF/A's 65,535 bytes. Reports each that does
 * not at its position; 0 then. */
int pdf_check_document(const document_model *doc, diag_sink *sink);
/* After a failed pdf_writer_page or pdf_writer_finish: BILAGA_ERROR_INPUT
 * when the writer refused the input (already reported at its position),
 * BILAGA_ERROR_IO for an internal failure, which it reports now, naming
 * what failed; BILAGA_OK when the writer itself did not fail. */
bilaga_status pdf_writer_report(pdf_writer *w);

#endif
