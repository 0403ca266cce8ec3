/* pdf_metadata.c - the document information dictionary from the content's
 * metadata, with dates that never come from the clock. */
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pdf/pdf_internal.h"

static void info_text(pdf_writer *w, const char *key, const char *value) {
  if (!value || !*value) return;
  HPDF_Binary b = pdf_text_string(w, value);
  if (b) HPDF_Dict_Add(w->pdf->info, key, b);
}

int pdf_metadata_write(pdf_writer *w) {
  const document_model *d = w->doc;
  /* creates the info dictionary */
  if (HPDF_SetInfoAttr(w->pdf, HPDF_INFO_PRODUCER, "bilaga " BILAGA_VERSION " with libharu") != HPDF_OK)
    return 0;
  HPDF_SetInfoAttr(w->pdf, HPDF_INFO_CREATOR, "bilaga " BILAGA_VERSION);
  info_text(w, "Title", d->meta[META_TITLE]);
  info_text(w, "Author", d->meta[META_AUTHOR] ? d->meta[META_AUTHOR] : d->meta[META_BOARD]);
  info_text(w, "Subject", d->meta[META_SUBJECT]);
  info_text(w, "Keywords", d->meta[META_KEYWORDS]);
  if (w->options.date_epoch >= 0) {
    time_t t = (time_t)w->options.date_epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    HPDF_Date date = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, '+', 0, 0};
    HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, date);
    HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, date);
  }
  return 1;
}
