/* template.c - helpers over the template model. */
#include "model/template.h"

void template_free(template_model *t) {
  if (!t) return;
  arena a = t->arena;
  arena_free(&a); /* t lives in its own arena */
}

enum { FIXED_STYLES = 17 }; /* body ... table-note; the title block's lines follow */

int template_style_count(const template_model *t) { return FIXED_STYLES + t->title_line_count; }

text_style *template_style(template_model *t, int i) {
  if (i >= FIXED_STYLES) return i - FIXED_STYLES < t->title_line_count ? &t->title_lines[i - FIXED_STYLES].style : NULL;
  text_style *fixed[FIXED_STYLES] = {&t->body,         &t->lead,           &t->note,          &t->placeholder,
                                     &t->running,      &t->heading[0].text, &t->heading[1].text, &t->heading[2].text,
                                     &t->toc.title_style, &t->toc.entry[0], &t->toc.entry[1], &t->toc.entry[2],
                                     &t->table.body,   &t->table.header,   &t->table.caption, &t->table.unit,
                                     &t->table.note};
  return i >= 0 ? fixed[i] : NULL;
}
