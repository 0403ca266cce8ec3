/* domain_indicators.c - an indicator table: Indikator | Utfall Y1 ...
 * Utfall Yn | Mål Y | Bedömning [| Trend], the years the union of the
 * outcomes' years in ascending order, sub-rows (Kvinnor/Män, Tot/K/M)
 * as ROW_SUB rows. Numbers become typed numbers, so the template's
 * decimal comma and unit apply; words ("I.U.") stay as written. */
#include <stdlib.h>
#include <string.h>

#include "model/expand_internal.h"

enum { MAX_YEARS = DOMAIN_MAX_YEARS }; /* checked before (domain_values.c) */

typedef struct years {
  const char *year[MAX_YEARS];
  int count;
  const char *target_year;
} years;

static void note_years(years *y, const node *row) {
  for (const node *c = row->first; c; c = c->next) {
    if (c->kind == NODE_INDICATOR) note_years(y, c);
    if (c->kind != NODE_DOMAIN_PART) continue;
    const char *year = domain_attr_of(c, DA_YEAR);
    if (!year) continue;
    if (c->u.domain.part == DOMAIN_PART_TARGET) {
      if (!y->target_year || strtol(year, NULL, 10) > strtol(y->target_year, NULL, 10)) y->target_year = year;
      continue;
    }
    if (c->u.domain.part != DOMAIN_PART_OUTCOME) continue;
    int seen = 0;
    for (int i = 0; i < y->count && !seen; i++) seen = strcmp(y->year[i], year) == 0;
    if (seen || y->count == MAX_YEARS) continue;
    /* insertion in ascending order: a handful of years */
    int i = y->count++;
    long v = strtol(year, NULL, 10);
    for (; i > 0 && strtol(y->year[i - 1], NULL, 10) > v; i--) y->year[i] = y->year[i - 1];
    y->year[i] = year;
  }
}

/* "Utfall {year}" with the year; without one, the placeholder and the
 * space before it go. */
static const char *with_year(expander *e, const char *label, const char *year) {
  const char *at = strstr(label, "{year}");
  if (!at) return label;
  size_t head = (size_t)(at - label);
  if (!year)
    while (head > 0 && label[head - 1] == ' ') head--;
  return arena_printf(&e->out->arena, "%.*s%s%s", (int)head, label, year ? year : "", at + 6);
}

/* An attribute of the row, else of the indicator it is a sub-row of. */
static const char *inherited(const node *row, domain_attr a) {
  const char *v = domain_attr_of(row, a);
  if (!v && row->u.domain.part == DOMAIN_PART_SUB && row->parent) v = domain_attr_of(row->parent, a);
  return v;
}

static void value_cell(expander *e, node *p, const node *row, const node *value) {
  if (!p || !value || !value->text || !*value->text) return;
  if (!derive_is_number(value->text)) {
    expand_text(e, p, value, value->text);
    return;
  }
  node *num = expand_add(e, NODE_NUMBER, p, value);
  if (!num) return;
  const char *s = value->text;
  while (*s == ' ') s++;
  num->text = s;
  num->length = strlen(s);
  while (num->length && s[num->length - 1] == ' ') num->length--;
  const char *decimals = inherited(row, DA_DECIMALS);
  num->u.number.decimals = decimals ? atoi(decimals) : -1;
  num->u.number.unit = inherited(row, DA_UNIT);
  const char *space = inherited(row, DA_UNIT_SPACE);
  num->u.number.unit_space = !space ? -1 : strcmp(space, "no") != 0;
}

static const node *value_of(const node *row, domain_part part, const char *year) {
  const node *found = NULL;
  for (const node *c = row->first; c; c = c->next) {
    if (c->kind != NODE_DOMAIN_PART || (domain_part)c->u.domain.part != part) continue;
    const char *y = domain_attr_of(c, DA_YEAR);
    if (part == DOMAIN_PART_TARGET || (y && year && strcmp(y, year) == 0)) found = c;
  }
  return found;
}

static void add_row(expander *e, node *body, const node *row, const years *y, int trend, int *rows) {
  node *r = expand_row(e, body, row, rows, row->u.domain.part == DOMAIN_PART_SUB ? ROW_SUB : ROW_NORMAL);
  node *name = expand_cell(e, r, row, 0, 1);
  if (row->u.domain.part == DOMAIN_PART_SUB)
    expand_text(e, name, row, domain_attr_of(row, DA_LABEL));
  else if (name)
    expand_children(e, expand_part(row, DOMAIN_PART_NAME) ? expand_part(row, DOMAIN_PART_NAME) : row, name);
  int col = 1;
  for (int i = 0; i < y->count; i++, col++)
    value_cell(e, expand_cell(e, r, row, col, 1), row, value_of(row, DOMAIN_PART_OUTCOME, y->year[i]));
  value_cell(e, expand_cell(e, r, row, col++, 1), row, value_of(row, DOMAIN_PART_TARGET, NULL));
  const domain_values *v = domain_values_of(e, row);
  expand_symbol(e, expand_cell(e, r, row, col++, 1), row, e->tpl->domain.family[DF_IND_ASSESSMENT],
                v->assessment);
  if (trend)
    expand_symbol(e, expand_cell(e, r, row, col, 1), row, e->tpl->domain.family[DF_IND_TREND], v->trend);
}

void domain_lower_indicators(expander *e, node *parent, const node *list) {
  years y = {0};
  const node *caption = NULL;
  for (const node *c = list->first; c; c = c->next) {
    if (c->kind == NODE_INDICATOR) note_years(&y, c);
    if (c->kind == NODE_CAPTION) caption = c;
  }
  const domain_style *d = &e->tpl->domain;
  int trend = d->indicator_trend;
  int count = 1 + y.count + 2 + trend;
  align_kind align[MAX_YEARS + 5];
  for (int i = 0; i < count; i++) align[i] = i == 0 || i >= 1 + y.count + 1 ? ALIGN_LEFT : ALIGN_RIGHT;
  node *table = expand_table(e, parent, list, count, &d->widths[DT_INDICATORS], align);
  if (!table) return;
  table->u.table.anchor = domain_attr_of(list, DA_ID);
  if (caption) {
    node *cap = expand_add(e, NODE_CAPTION, table, caption);
    if (cap) expand_children(e, caption, cap);
  }
  int rows = 0;
  node *head = expand_add(e, NODE_THEAD, table, list);
  node *row = expand_row(e, head, list, &rows, ROW_NORMAL);
  int col = 0;
  expand_header_cell(e, row, list, col++, d->label[DL_IND_NAME]);
  for (int i = 0; i < y.count; i++)
    expand_header_cell(e, row, list, col++, with_year(e, d->label[DL_IND_OUTCOME], y.year[i]));
  const char *target_year = y.target_year ? y.target_year : y.count ? y.year[y.count - 1] : NULL;
  expand_header_cell(e, row, list, col++, with_year(e, d->label[DL_IND_TARGET], target_year));
  expand_header_cell(e, row, list, col++, d->label[DL_IND_ASSESSMENT]);
  if (trend) expand_header_cell(e, row, list, col, d->label[DL_IND_TREND]);
  node *body = expand_add(e, NODE_TBODY, table, list);
  for (const node *c = list->first; c && body && !e->failed; c = c->next) {
    if (c->kind != NODE_INDICATOR) continue;
    add_row(e, body, c, &y, trend, &rows);
    for (const node *s = c->first; s; s = s->next)
      if (s->kind == NODE_INDICATOR) add_row(e, body, s, &y, trend, &rows);
  }
  table->u.table.row_count = rows;
}
