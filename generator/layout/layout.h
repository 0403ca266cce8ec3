/* layout.h - the layout stage: document model + template + fonts in,
 * page display lists out, one page at a time to a callback. It measures
 * through the fonts' metrics and never draws. */
#ifndef BILAGA_LAYOUT_H
#define BILAGA_LAYOUT_H

#include "layout/display.h"
#include "model/model.h"
#include "model/template.h"
#include "text/fontset.h"
#include "text/hyphen.h"
#include "util/arena.h"
#include "util/diag.h"

typedef display_heading layout_heading;

typedef struct layout_result {
  arena arena; /* owns headings and titles */
  int pages;
  int passes;
  layout_heading *headings;
  int heading_count;
  int toc_page_count;   /* TOC entries as printed: target node id -> page */
} layout_result;

/* Receives each finished page; the page and everything it points to are
 * valid only during the call. Returns 0 to stop the run (an error). */
typedef int (*layout_page_fn)(void *user, const display_page *page);

/* Lays out the document, repeating until the table of contents' page
 * numbers settle, then hands the final pages to emit in order. Returns 1
 * on success; on failure the diagnostics say why. The result must be
 * released with layout_result_free (also after a failure). */
int layout_run(const document_model *doc, const template_model *tpl, fontset *fonts, hyphenator *hyphen,
               diag_sink *sink, layout_page_fn emit, void *user, layout_result *result);
void layout_result_free(layout_result *result);

#endif
