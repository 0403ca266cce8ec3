/* pdf_writer.h - the PDF backend: replays page display lists into libharu
 * and adds what libharu lacks (subset CID fonts with a correct ToUnicode
 * map, UTF-16 text strings, links resolved after all pages exist). The
 * only code that includes hpdf.h. */
#ifndef BILAGA_PDF_WRITER_H
#define BILAGA_PDF_WRITER_H

#include <stddef.h>

#include "layout/layout.h"
#include "model/model.h"
#include "text/fontset.h"
#include "util/diag.h"

typedef struct pdf_writer pdf_writer;

typedef struct pdf_options {
  int pdfa;               /* PDF/A-1b with tagged structure */
  long long date_epoch;   /* seconds since 1970 for CreationDate/ModDate */
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

#endif
