/* template.c - helpers over the template model. */
#include "model/template.h"

#include <stdio.h>

void template_free(template_model *t) {
  if (!t) return;
  arena a = t->arena;
  arena_free(&a); /* t lives in its own arena */
}

enum { FIXED_STYLES = 22 }; /* body ... table-note; the title block's lines follow */

int template_style_count(const template_model *t) { return FIXED_STYLES + t->title_line_count; }

text_style *template_style(template_model *t, int i) {
  if (i >= FIXED_STYLES) return i - FIXED_STYLES < t->title_line_count ? &t->title_lines[i - FIXED_STYLES].style : NULL;
  text_style *fixed[FIXED_STYLES] = {&t->body,         &t->lead,           &t->note,          &t->placeholder,
                                     &t->running,      &t->heading[0].text, &t->heading[1].text, &t->heading[2].text,
                                     &t->toc.title_style, &t->toc.entry[0], &t->toc.entry[1], &t->toc.entry[2],
                                     &t->table.body,   &t->table.header,   &t->table.caption, &t->table.unit,
                                     &t->table.note, /* later additions last: fonts resolve in this order */
                                     &t->heading[3].text, &t->heading[4].text, &t->toc.entry[3], &t->toc.entry[4],
                                     &t->footnote.text};
  return i >= 0 ? fixed[i] : NULL;
}

void template_section_number(const template_model *t, const node *section, char *out, size_t size) {
  out[0] = '\0';
  int level = section->u.section.level;
  if (level < 1 || level > MAX_HEADING_LEVEL || !t->heading[level - 1].numbered || section->u.section.unnumbered)
    return;
  heading_number_format f = t->heading[level - 1].number_format;
  char path[64];
  switch (f) {
    case HEADING_NUMBER_PATH:
    case HEADING_NUMBER_PATH_DOT: model_section_number(section, path, sizeof path); break;
    case HEADING_NUMBER_OWN:
    case HEADING_NUMBER_OWN_DOT: snprintf(path, sizeof path, "%d", section->u.section.number[level - 1]); break;
  }
  int dot = f == HEADING_NUMBER_PATH_DOT || f == HEADING_NUMBER_OWN_DOT;
  snprintf(out, size, "%s%s", path, dot ? "." : "");
}
