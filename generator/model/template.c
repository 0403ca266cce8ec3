/* template.c - helpers over the template model. */
#include "model/template.h"

void template_free(template_model *t) {
  if (!t) return;
  arena a = t->arena;
  arena_free(&a); /* t lives in its own arena */
}

int template_styles(template_model *t, text_style **out, int max) {
  text_style *all[64];
  int n = 0;
  all[n++] = &t->body;
  all[n++] = &t->lead;
  all[n++] = &t->note;
  all[n++] = &t->placeholder;
  all[n++] = &t->running;
  for (int i = 0; i < 3; i++) all[n++] = &t->heading[i].text;
  all[n++] = &t->toc.title_style;
  for (int i = 0; i < 3; i++) all[n++] = &t->toc.entry[i];
  all[n++] = &t->table.body;
  all[n++] = &t->table.header;
  all[n++] = &t->table.caption;
  all[n++] = &t->table.unit;
  all[n++] = &t->table.note;
  for (int i = 0; i < t->title_line_count && n < 64; i++) all[n++] = &t->title_lines[i].style;
  int count = n < max ? n : max;
  for (int i = 0; i < count; i++) out[i] = all[i];
  return n;
}
