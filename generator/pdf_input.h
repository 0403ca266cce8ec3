/* pdf_input.h - the document as the PDF stage sees it: plain data built
 * from the model (metadata, the file identifier's seed), and the check of
 * what PDF cannot hold, made when the document is loaded. The PDF stage
 * itself never reads the model. */
#ifndef BILAGA_PDF_INPUT_H
#define BILAGA_PDF_INPUT_H

#include "model/model.h"
#include "pdf/pdf_writer.h"

/* Checks what PDF cannot hold before anything is laid out: every text
 * written as a PDF string (metadata, bookmark titles, language tags) fits
 * PDF/A's 65,535 bytes. Reports each that does not at its position; 0
 * then. */
int pdf_input_check(const document_model *doc, diag_sink *sink);

/* Fills info from the model (its strings are the model's; the seed is
 * malloc'ed into *seed, which the caller frees). 0 when out of memory. */
int pdf_input_info(const document_model *doc, long long date_epoch, pdf_document_info *info, unsigned char **seed);

#endif
