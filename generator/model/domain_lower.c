/* domain_lower.c - process areas, goals, commitments, risks and
 * assignments as sections, paragraphs and tables, with the labels,
 * column headers, widths and symbol families of the template's <domain>.
 * Every table has a header row, so its columns are tagged TH and its
 * values TD; symbols keep the block's source position. */
#include <string.h>

#include "model/expand_internal.h"

static const char *label(const expander *e, domain_label l) {
  return e->tpl->domain.label[l];
}
static const char *family(const expander *e, domain_family f) {
  return e->tpl->domain.family[f];
}

/* A table with a header row of count labels; returns its body. */
static node *table_with_header(expander *e, node *parent, const node *at, domain_table which, int count,
                               const domain_label *heads, const align_kind *align, node **table, int *rows) {
  *rows = 0;
  node *t = expand_table(e, parent, at, count, &e->tpl->domain.widths[which], align);
  *table = t;
  node *head = t ? expand_add(e, NODE_THEAD, t, at) : NULL;
  node *row = expand_row(e, head, at, rows, ROW_NORMAL);
  for (int i = 0; i < count && row; i++) expand_header_cell(e, row, at, i, label(e, heads[i]));
  return t ? expand_add(e, NODE_TBODY, t, at) : NULL;
}

/* Inline content of a part, or nothing. */
static void copy_part(expander *e, node *dst, const node *src) {
  if (!dst || !src) return;
  if (src->lang && !dst->lang) dst->lang = src->lang;
  expand_children(e, src, dst);
}

/* "Ursprunglig risk: ..." with the label in bold, unless the content
 * already starts with the label's words. */
static void labelled_paragraph(expander *e, node *parent, const node *part, const char *lab) {
  if (!part) return;
  node *p = expand_paragraph(e, parent, part, 0);
  size_t n = strlen(lab);
  while (n > 0 && (lab[n - 1] == ':' || lab[n - 1] == ' ')) n--;
  const node *first = part->first;
  int written =
      n > 0 && first && first->kind == NODE_TEXT && first->length >= n && strncmp(first->text, lab, n) == 0;
  if (!written && *lab) {
    node *b = p ? expand_add(e, NODE_BOLD, p, part) : NULL;
    expand_text(e, b, part, lab);
    expand_text(e, p, part, " ");
  }
  copy_part(e, p, part);
}

void domain_lower_area(expander *e, node *parent, const node *area) {
  node *s = expand_add(e, NODE_SECTION, parent, area);
  if (!s) return;
  s->lang = area->lang;
  s->u.section = area->u.section;
  s->u.section.domain = NULL;
  const node *rest = area->first;
  if (rest && rest->kind == NODE_HEADING) {
    node *h = expand_add(e, NODE_HEADING, s, rest);
    if (h) h->lang = rest->lang;
    /* a heading that starts with the prefix's words already (the seeds
     * write "Processområde Näringsliv …") does not get them twice */
    const char *prefix = label(e, DL_AREA_PREFIX);
    size_t n = strlen(prefix);
    while (n > 0 && (prefix[n - 1] == ':' || prefix[n - 1] == ' ')) n--;
    const node *first = rest->first;
    int written = n > 0 && first && first->kind == NODE_TEXT && first->length >= n &&
                  strncmp(first->text, prefix, n) == 0;
    if (!written) expand_text(e, h, rest, prefix);
    copy_part(e, h, rest);
    rest = rest->next;
  }
  const domain_values *v = domain_values_of(e, area);
  if (e->tpl->domain.area_table && (v->assessment || v->trend)) {
    static const domain_label heads[] = {DL_AREA_ASSESSMENT, DL_AREA_TREND};
    static const align_kind align[] = {ALIGN_LEFT, ALIGN_LEFT};
    node *table;
    int rows;
    node *body = table_with_header(e, s, area, DT_AREA, 2, heads, align, &table, &rows);
    node *row = expand_row(e, body, area, &rows, ROW_NORMAL);
    expand_symbol(e, expand_cell(e, row, area, 0, 1), area, family(e, DF_AREA_ASSESSMENT), v->assessment);
    expand_symbol(e, expand_cell(e, row, area, 1, 1), area, family(e, DF_AREA_TREND), v->trend);
    if (table) table->u.table.row_count = rows;
  }
  expand_siblings(e, rest, s);
}

static void lower_goal(expander *e, node *parent, const node *goal) {
  static const domain_label heads[] = {DL_GOAL_TEXT, DL_GOAL_ASSESSMENT};
  static const align_kind align[] = {ALIGN_LEFT, ALIGN_LEFT};
  node *table;
  int rows;
  node *body = table_with_header(e, parent, goal, DT_GOAL, 2, heads, align, &table, &rows);
  node *row = expand_row(e, body, goal, &rows, ROW_NORMAL);
  copy_part(e, expand_cell(e, row, goal, 0, 1), expand_part(goal, DOMAIN_PART_TEXT));
  expand_symbol(e, expand_cell(e, row, goal, 1, 1), goal, family(e, DF_GOAL_ASSESSMENT),
                domain_values_of(e, goal)->assessment);
  if (table) table->u.table.row_count = rows;
  if (table && table->u.table.anchor == NULL) table->u.table.anchor = domain_attr_of(goal, DA_ID);
  expand_children(e, goal, parent); /* its indicators and prose */
}

static void lower_commitment(expander *e, node *parent, const node *c) {
  static const domain_label heads[] = {DL_COMMITMENT_TEXT, DL_COMMITMENT_STATUS, DL_COMMITMENT_PROGRESS};
  static const align_kind align[] = {ALIGN_LEFT, ALIGN_LEFT, ALIGN_LEFT};
  node *table;
  int rows;
  node *body = table_with_header(e, parent, c, DT_COMMITMENT, 3, heads, align, &table, &rows);
  node *row = expand_row(e, body, c, &rows, ROW_NORMAL);
  node *text = expand_cell(e, row, c, 0, 1);
  copy_part(e, text, expand_part(c, DOMAIN_PART_TEXT));
  const char *boards = domain_attr_of(c, DA_BOARDS);
  if (boards && *boards && text)
    expand_text(e, text, c, arena_printf(&e->out->arena, text->first ? " (%s)" : "(%s)", boards));
  const domain_values *v = domain_values_of(e, c);
  expand_symbol(e, expand_cell(e, row, c, 1, 1), c, family(e, DF_COMMITMENT_STATUS), v->status);
  expand_symbol(e, expand_cell(e, row, c, 2, 1), c, family(e, DF_COMMITMENT_PROGRESS), v->progress);
  if (table) table->u.table.row_count = rows, table->u.table.anchor = domain_attr_of(c, DA_ID);
  expand_children(e, c, parent); /* the comments */
}

static void lower_risk(expander *e, node *parent, const node *r) {
  const node *text = expand_part(r, DOMAIN_PART_TEXT);
  if (text) {
    node *p = expand_paragraph(e, parent, text, 0);
    copy_part(e, p ? expand_add(e, NODE_BOLD, p, text) : NULL, text);
  }
  labelled_paragraph(e, parent, expand_part(r, DOMAIN_PART_ORIGINAL), label(e, DL_RISK_ORIGINAL));
  const domain_values *v = domain_values_of(e, r);
  const char *manage = domain_attr_of(r, DA_MANAGE);
  static const domain_label heads[] = {DL_RISK_MANAGE, DL_RISK_VALUE, DL_RISK_LIKELIHOOD,
                                       DL_RISK_CONSEQUENCE};
  static const align_kind align[] = {ALIGN_LEFT, ALIGN_CENTER, ALIGN_CENTER, ALIGN_CENTER};
  node *table = NULL, *body, *row;
  int rows;
  /* the table only when the content gives something to fill it */
  if (manage || v->risk_value || domain_attr_of(r, DA_LIKELIHOOD) || domain_attr_of(r, DA_CONSEQUENCE)) {
    body = table_with_header(e, parent, r, DT_RISK, 4, heads, align, &table, &rows);
    row = expand_row(e, body, r, &rows, ROW_NORMAL);
    node *cell = expand_cell(e, row, r, 0, 1);
    if (manage) expand_text(e, cell, r, label(e, strcmp(manage, "yes") == 0 ? DL_RISK_YES : DL_RISK_NO));
    node *value = expand_cell(e, row, r, 1, 1);
    expand_symbol(e, value, r, family(e, DF_RISK_VALUE), v->risk_value);
    node *symbol = expand_last_symbol(value);
    if (symbol) symbol->u.symbol.level = v->risk_level;
    expand_text(e, expand_cell(e, row, r, 2, 1), r, domain_attr_of(r, DA_LIKELIHOOD));
    expand_text(e, expand_cell(e, row, r, 3, 1), r, domain_attr_of(r, DA_CONSEQUENCE));
    if (table) table->u.table.row_count = rows, table->u.table.anchor = domain_attr_of(r, DA_ID);
  }
  labelled_paragraph(e, parent, expand_part(r, DOMAIN_PART_CONTROL), label(e, DL_RISK_CONTROL));
  const node *result = expand_part(r, DOMAIN_PART_RESULT);
  if (v->assessment || result) {
    static const domain_label rheads[] = {DL_RISK_ASSESSMENT, DL_RISK_RESULT};
    static const align_kind ralign[] = {ALIGN_LEFT, ALIGN_LEFT};
    body = table_with_header(e, parent, r, DT_RISK_RESULT, 2, rheads, ralign, &table, &rows);
    row = expand_row(e, body, r, &rows, ROW_NORMAL);
    expand_symbol(e, expand_cell(e, row, r, 0, 1), r, family(e, DF_RISK_ASSESSMENT), v->assessment);
    /* a result of paragraphs: the cell holds them, not an implicit paragraph */
    int blocks = result && result->first &&
                 (result->first->kind == NODE_PARAGRAPH || result->first->kind == NODE_LIST);
    node *res = blocks ? expand_cell_node(e, row, r, 1, 1) : expand_cell(e, row, r, 1, 1);
    if (res && blocks) res->u.cell.has_blocks = 1;
    copy_part(e, res, result);
    if (table) table->u.table.row_count = rows;
  }
  const node *comment = expand_part(r, DOMAIN_PART_COMMENT);
  if (comment) {
    const char *lab = label(e, DL_RISK_COMMENT);
    if (*lab) expand_bold_paragraph(e, parent, comment, lab);
    expand_children(e, comment, parent);
  }
}

static void lower_assignments(expander *e, node *parent, const node *list) {
  static const domain_label heads[] = {DL_ASSIGN_TEXT, DL_ASSIGN_STATUS};
  static const align_kind align[] = {ALIGN_LEFT, ALIGN_LEFT};
  const node *caption = NULL;
  for (const node *c = list->first; c; c = c->next)
    if (c->kind == NODE_CAPTION) caption = c;
  node *table = expand_table(e, parent, list, 2, &e->tpl->domain.widths[DT_ASSIGNMENTS], align);
  if (!table) return;
  table->u.table.anchor = domain_attr_of(list, DA_ID);
  if (caption) copy_part(e, expand_add(e, NODE_CAPTION, table, caption), caption);
  int rows = 0;
  node *head = expand_add(e, NODE_THEAD, table, list);
  node *row = expand_row(e, head, list, &rows, ROW_NORMAL);
  for (int i = 0; i < 2 && row; i++) expand_header_cell(e, row, list, i, label(e, heads[i]));
  node *body = expand_add(e, NODE_TBODY, table, list);
  for (const node *a = list->first; a && body && !e->failed; a = a->next) {
    if (a->kind != NODE_ASSIGNMENT) continue;
    row = expand_row(e, body, a, &rows, ROW_NORMAL);
    node *text = expand_cell(e, row, a, 0, 1);
    const char *number = domain_attr_of(a, DA_NUMBER);
    if (number && *number) {
      char last = number[strlen(number) - 1];
      expand_text(e, text, a,
                  arena_printf(&e->out->arena, last == '.' || last == ')' ? "%s " : "%s. ", number));
    }
    copy_part(e, text, a);
    expand_text(e, expand_cell(e, row, a, 1, 1), a, domain_values_of(e, a)->status);
  }
  table->u.table.row_count = rows;
}

void domain_lower_block(expander *e, node *parent, const node *block) {
  switch (block->kind) {
    case NODE_PROCESS_GOAL:
      lower_goal(e, parent, block);
      return;
    case NODE_COMMITMENT:
      lower_commitment(e, parent, block);
      return;
    case NODE_RISK:
      lower_risk(e, parent, block);
      return;
    case NODE_ASSIGNMENTS:
      lower_assignments(e, parent, block);
      return;
    /* lowered elsewhere or not blocks of their own */
    case NODE_PROCESS_AREA:
    case NODE_INDICATORS:
    case NODE_INDICATOR:
    case NODE_ASSIGNMENT:
    case NODE_DOMAIN_PART:
    case NODE_SUMMARY:
    case NODE_COUNT:
    case NODE_BODY:
    case NODE_SECTION:
    case NODE_HEADING:
    case NODE_PARAGRAPH:
    case NODE_LIST:
    case NODE_ITEM:
    case NODE_PAGE_BREAK:
    case NODE_TOC:
    case NODE_LEGEND:
    case NODE_PLACEHOLDER:
    case NODE_TABLE:
    case NODE_CAPTION:
    case NODE_TABLE_UNIT:
    case NODE_TABLE_NOTE:
    case NODE_THEAD:
    case NODE_TBODY:
    case NODE_TFOOT:
    case NODE_ROW:
    case NODE_CELL:
    case NODE_TEXT:
    case NODE_BOLD:
    case NODE_ITALIC:
    case NODE_LINE_BREAK:
    case NODE_NUMBER:
    case NODE_SYMBOL:
    case NODE_KIND_COUNT:
      return;
  }
}
