/* summary.c - parts counted from the document's own domain blocks:
 * "Sammanställning processområden" (each area with its assessment and
 * trend, grouped by perspective), "Status åtaganden" (commitments per
 * status, in the template's order, and the total) and <count/>, the same
 * numbers inline. Values are the resolved ones (explicit or derived), so
 * a summary always agrees with the blocks it sums up. */
#include <stdio.h>
#include <string.h>

#include "model/expand_internal.h"

static const char *label(const expander *e, domain_label l) {
  return e->tpl->domain.label[l];
}

static block_list list_of(const char *of) {
  if (strcmp(of, "process-areas") == 0) return BLOCKS_AREAS;
  if (strcmp(of, "process-goals") == 0) return BLOCKS_GOALS;
  if (strcmp(of, "commitments") == 0) return BLOCKS_COMMITMENTS;
  if (strcmp(of, "indicators") == 0) return BLOCKS_INDICATORS;
  if (strcmp(of, "risks") == 0) return BLOCKS_RISKS;
  return BLOCKS_ASSIGNMENTS; /* the schema allows nothing else */
}

/* A block's main value: its assessment, or its status. */
static const char *main_value(const expander *e, const node *n) {
  const domain_values *v = domain_values_of(e, n);
  return n->kind == NODE_COMMITMENT || n->kind == NODE_ASSIGNMENT ? v->status : v->assessment;
}

int summary_tally(const expander *e, const char *of, const char *value) {
  block_list list = list_of(of);
  int count = 0;
  for (int i = 0; i < e->block_count[list]; i++) {
    const char *v = main_value(e, e->blocks[list][i]);
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

/* Whether the section the summary stands in is headed with the title
 * itself ("Status åtaganden" under "Status åtaganden", as the samples
 * have it): the caption would only repeat the heading then. */
static int heading_is(const node *at, const char *title) {
  const node *h = at && at->parent ? at->parent->first : NULL;
  const node *t = h && h->kind == NODE_HEADING ? h->first : NULL;
  size_t n = strlen(title);
  return t && t->kind == NODE_TEXT && !t->next && t->length == n && strncmp(t->text, title, n) == 0;
}

/* The table, its caption (the template's title) and header row. */
static node *summary_table(expander *e, node *parent, const node *at, domain_table which, domain_label title,
                           const domain_label *heads, const align_kind *align, int count, int *rows) {
  node *t = expand_table(e, parent, at, count, &e->tpl->domain.widths[which], align);
  if (!t) return NULL;
  t->u.table.anchor = domain_attr_of(at, DA_ID);
  const char *caption = label(e, title);
  if (*caption && !heading_is(at, caption)) expand_text(e, expand_add(e, NODE_CAPTION, t, at), at, caption);
  node *head = expand_add(e, NODE_THEAD, t, at);
  node *row = expand_row(e, head, at, rows, ROW_NORMAL);
  for (int i = 0; i < count && row; i++) expand_header_cell(e, row, at, i, label(e, heads[i]));
  return t;
}

static int same(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

static void summary_areas(expander *e, node *parent, const node *at) {
  static const domain_label heads[] = {DL_SUM_AREA, DL_SUM_ASSESSMENT, DL_SUM_TREND};
  static const align_kind align[] = {ALIGN_LEFT, ALIGN_LEFT, ALIGN_LEFT};
  int rows = 0;
  node *t = summary_table(e, parent, at, DT_SUM_AREAS, DL_SUM_AREAS_TITLE, heads, align, 3, &rows);
  node *body = t ? expand_add(e, NODE_TBODY, t, at) : NULL;
  if (!body) return;
  /* groups in order of first appearance; no group rows when no area
   * names a perspective */
  const node *const *areas = e->blocks[BLOCKS_AREAS];
  int n = e->block_count[BLOCKS_AREAS], grouped = 0;
  for (int i = 0; i < n && !grouped; i++) grouped = domain_values_of(e, areas[i])->perspective != NULL;
  for (int g = 0; g < n && !e->failed; g++) {
    const char *perspective = domain_values_of(e, areas[g])->perspective;
    int first = 1; /* areas[g] is its group's first area */
    for (int i = 0; i < g && first; i++)
      first = !same(domain_values_of(e, areas[i])->perspective, perspective);
    if (!first) continue;
    if (grouped) {
      node *row = expand_row(e, body, areas[g], &rows, ROW_GROUP);
      expand_text(e, expand_cell(e, row, areas[g], 0, 3), areas[g],
                  perspective ? perspective : label(e, DL_SUM_NO_PERSPECTIVE));
    }
    for (int i = g; i < n && !e->failed; i++) {
      const node *a = areas[i];
      const domain_values *v = domain_values_of(e, a);
      if (!same(v->perspective, perspective)) continue;
      node *row = expand_row(e, body, a, &rows, ROW_NORMAL);
      node *name = expand_cell(e, row, a, 0, 1);
      const char *short_name = domain_attr_of(a, DA_NAME);
      if (short_name)
        expand_text(e, name, a, short_name);
      else if (name && a->first && a->first->kind == NODE_HEADING)
        expand_children(e, a->first, name);
      expand_symbol(e, expand_cell(e, row, a, 1, 1), a, e->tpl->domain.family[DF_AREA_ASSESSMENT],
                    v->assessment);
      expand_symbol(e, expand_cell(e, row, a, 2, 1), a, e->tpl->domain.family[DF_AREA_TREND], v->trend);
    }
  }
  t->u.table.row_count = rows;
}

static void summary_commitments(expander *e, node *parent, const node *at) {
  static const domain_label heads[] = {DL_SUM_STATUS, DL_SUM_COUNT};
  static const align_kind align[] = {ALIGN_LEFT, ALIGN_RIGHT};
  int rows = 0;
  node *t =
      summary_table(e, parent, at, DT_SUM_COMMITMENTS, DL_SUM_COMMITMENTS_TITLE, heads, align, 2, &rows);
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
  if (of && strcmp(of, "commitments") == 0)
    summary_commitments(e, parent, summary);
  else
    summary_areas(e, parent, summary);
}
