/* summary.c - parts counted from the document's own domain blocks:
 * "Sammanställning processområden" (each area with its assessment and
 * trend, grouped by perspective), "Status åtaganden" (commitments per
 * status, in the template's order, and the total) and <count/>, the same
 * numbers inline. Values are the resolved ones (explicit or derived), so
 * a summary always agrees with the blocks it sums up. */
#include <stdio.h>
#include <string.h>

#include "model/expand_internal.h"

static const char *label(const expander *e, domain_label l) { return e->tpl->domain.label[l]; }

/* Blocks of a kind in document order: the next after n (NULL: the first). */
static const node *next_of(const expander *e, const node *n, node_kind kind) {
  n = n ? n : e->doc->body;
  for (;;) {
    if (n->first) {
      n = n->first;
    } else {
      while (n && !n->next) n = n->parent;
      if (!n) return NULL;
      n = n->next;
    }
    if (n->kind == kind && !(kind == NODE_INDICATOR && n->u.domain.part == DOMAIN_PART_SUB)) return n;
  }
}

static node_kind kind_of(const char *of) {
  if (strcmp(of, "process-areas") == 0) return NODE_PROCESS_AREA;
  if (strcmp(of, "process-goals") == 0) return NODE_PROCESS_GOAL;
  if (strcmp(of, "commitments") == 0) return NODE_COMMITMENT;
  if (strcmp(of, "indicators") == 0) return NODE_INDICATOR;
  if (strcmp(of, "risks") == 0) return NODE_RISK;
  return NODE_ASSIGNMENT; /* the schema allows nothing else */
}

/* A block's main value: its assessment, or its status. */
static const char *main_value(const expander *e, const node *n) {
  const domain_values *v = domain_values_of(e, n);
  return n->kind == NODE_COMMITMENT || n->kind == NODE_ASSIGNMENT ? v->status : v->assessment;
}

int summary_tally(const expander *e, const char *of, const char *value) {
  node_kind kind = kind_of(of);
  int count = 0;
  for (const node *n = next_of(e, NULL, kind); n; n = next_of(e, n, kind)) {
    const char *v = main_value(e, n);
    count += !value || (v && strcmp(v, value) == 0);
  }
  return count;
}

void summary_count(expander *e, node *parent, const node *count) {
  const char *of = domain_attr_of(count, DA_OF);
  if (!of) return;
  char digits[24];
  snprintf(digits, sizeof digits, "%d", summary_tally(e, of, domain_attr_of(count, DA_VALUE)));
  expand_text(e, parent, count, arena_strdup(&e->out->arena, digits));
}

/* The table, its caption (the template's title) and header row. */
static node *summary_table(expander *e, node *parent, const node *at, domain_table which, domain_label title,
                           const domain_label *heads, const align_kind *align, int count, int *rows) {
  node *t = expand_table(e, parent, at, count, &e->tpl->domain.widths[which], align);
  if (!t) return NULL;
  t->u.table.anchor = domain_attr_of(at, DA_ID);
  if (*label(e, title)) expand_text(e, expand_add(e, NODE_CAPTION, t, at), at, label(e, title));
  node *head = expand_add(e, NODE_THEAD, t, at);
  node *row = expand_row(e, head, at, rows, ROW_NORMAL);
  for (int i = 0; i < count && row; i++) expand_header_cell(e, row, at, i, label(e, heads[i]));
  return t;
}

static int same(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

static void summary_areas(expander *e, node *parent, const node *at) {
  static const domain_label heads[] = {DL_SUM_AREA, DL_SUM_ASSESSMENT, DL_SUM_TREND};
  static const align_kind align[] = {ALIGN_LEFT, ALIGN_LEFT, ALIGN_LEFT};
  int rows = 0;
  node *t = summary_table(e, parent, at, DT_SUM_AREAS, DL_SUM_AREAS_TITLE, heads, align, 3, &rows);
  node *body = t ? expand_add(e, NODE_TBODY, t, at) : NULL;
  if (!body) return;
  /* groups in order of first appearance; no group rows when no area
   * names a perspective */
  int grouped = 0;
  for (const node *a = next_of(e, NULL, NODE_PROCESS_AREA); a && !grouped; a = next_of(e, a, NODE_PROCESS_AREA))
    grouped = domain_values_of(e, a)->perspective != NULL;
  for (const node *g = next_of(e, NULL, NODE_PROCESS_AREA); g && !e->failed; g = next_of(e, g, NODE_PROCESS_AREA)) {
    const char *perspective = domain_values_of(e, g)->perspective;
    int first = 1; /* g is its group's first area */
    for (const node *a = next_of(e, NULL, NODE_PROCESS_AREA); a != g && first; a = next_of(e, a, NODE_PROCESS_AREA))
      first = !same(domain_values_of(e, a)->perspective, perspective);
    if (!first) continue;
    if (grouped) {
      node *row = expand_row(e, body, g, &rows, ROW_GROUP);
      expand_text(e, expand_cell(e, row, g, 0, 3), g, perspective ? perspective : label(e, DL_SUM_NO_PERSPECTIVE));
    }
    for (const node *a = g; a && !e->failed; a = next_of(e, a, NODE_PROCESS_AREA)) {
      const domain_values *v = domain_values_of(e, a);
      if (!same(v->perspective, perspective)) continue;
      node *row = expand_row(e, body, a, &rows, ROW_NORMAL);
      node *name = expand_cell(e, row, a, 0, 1);
      const char *short_name = domain_attr_of(a, DA_NAME);
      if (short_name) expand_text(e, name, a, short_name);
      else if (name && a->first && a->first->kind == NODE_HEADING) expand_children(e, a->first, name);
      expand_symbol(e, expand_cell(e, row, a, 1, 1), a, e->tpl->domain.family[DF_AREA_ASSESSMENT], v->assessment);
      expand_symbol(e, expand_cell(e, row, a, 2, 1), a, e->tpl->domain.family[DF_AREA_TREND], v->trend);
    }
  }
  t->u.table.row_count = rows;
}

static void summary_commitments(expander *e, node *parent, const node *at) {
  static const domain_label heads[] = {DL_SUM_STATUS, DL_SUM_COUNT};
  static const align_kind align[] = {ALIGN_LEFT, ALIGN_RIGHT};
  int rows = 0;
  node *t = summary_table(e, parent, at, DT_SUM_COMMITMENTS, DL_SUM_COMMITMENTS_TITLE, heads, align, 2, &rows);
  node *body = t ? expand_add(e, NODE_TBODY, t, at) : NULL;
  if (!body) return;
  const char *family = e->tpl->domain.family[DF_COMMITMENT_STATUS];
  const symbol_family *f = NULL;
  for (int i = 0; i < e->tpl->symbols.family_count && !f; i++)
    if (strcmp(e->tpl->symbols.families[i].name, family) == 0) f = &e->tpl->symbols.families[i];
  for (int i = 0; f && !f->numeric && i < f->value_count && !e->failed; i++) {
    node *row = expand_row(e, body, at, &rows, ROW_NORMAL);
    expand_symbol(e, expand_cell(e, row, at, 0, 1), at, family, f->values[i].name);
    expand_text(e, expand_cell(e, row, at, 1, 1), at,
                arena_printf(&e->out->arena, "%d", summary_tally(e, "commitments", f->values[i].name)));
  }
  node *foot = expand_add(e, NODE_TFOOT, t, at);
  node *row = expand_row(e, foot, at, &rows, ROW_SUM);
  expand_text(e, expand_cell(e, row, at, 0, 1), at, label(e, DL_SUM_TOTAL));
  expand_text(e, expand_cell(e, row, at, 1, 1), at,
              arena_printf(&e->out->arena, "%d", summary_tally(e, "commitments", NULL)));
  t->u.table.row_count = rows;
}

void summary_expand(expander *e, node *parent, const node *summary) {
  const char *of = domain_attr_of(summary, DA_OF);
  if (of && strcmp(of, "commitments") == 0) summary_commitments(e, parent, summary);
  else summary_areas(e, parent, summary);
}
