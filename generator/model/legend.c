/* legend.c - expanding <legend/> into ordinary paragraphs and tables, so
 * that layout, tagging and the table of contents treat a generated legend
 * like written content. Runs on the expanded copy (model/expand.c), so
 * the symbols that domain blocks generate count as used. */
#include <string.h>

#include "model/expand_internal.h"

typedef struct legend_state {
  expander *e;
  const symbol_family **used; /* families in order of first use */
  int used_count;
} legend_state;

static const char *number_text(expander *e, double x) {
  return symbol_expand(&e->out->arena, "{value}", x, e->tpl->decimal_separator);
}

/* One family: title, explanation, a table with a row per value (for a
 * number range alone, its ends and two points between, as 0, 20, 80, 100). */
static void expand_family(expander *e, node *parent, const node *at, const symbol_family *f) {
  node *p = expand_paragraph(e, parent, at, 0);
  node *b = p ? expand_add(e, NODE_BOLD, p, at) : NULL;
  if (b) expand_text(e, b, at, f->title);
  if (f->explanation && *f->explanation) {
    p = expand_paragraph(e, parent, at, 0);
    if (p) expand_text(e, p, at, f->explanation);
  }
  node *table = expand_add(e, NODE_TABLE, parent, at);
  if (!table) return;
  table_column *cols = arena_alloc(&e->out->arena, sizeof *cols * 2);
  if (!cols) {
    e->failed = 1;
    return;
  }
  cols[0] = (table_column){WIDTH_FIXED, 70, ALIGN_CENTER, -1, NULL, -1};
  cols[1] = (table_column){WIDTH_AUTO, 0, ALIGN_LEFT, -1, NULL, -1};
  table->u.table.column_count = 2;
  table->u.table.columns = cols;
  node *head = expand_add(e, NODE_THEAD, table, at), *row = head ? expand_add(e, NODE_ROW, head, at) : NULL;
  if (!row) return;
  int rows = 0;
  row->u.row.index = rows++;
  node *c0 = expand_cell(e, row, at, 0, 1), *c1 = expand_cell(e, row, at, 1, 1);
  if (c0) expand_text(e, c0, at, "Symbol");
  if (c1) expand_text(e, c1, at, "Innebörd");
  node *body = expand_add(e, NODE_TBODY, table, at);
  for (int i = 0; i < f->value_count && body && !e->failed; i++) {
    const symbol_value *v = &f->values[i];
    double points[4] = {v->from, v->to, 0, 0};
    int count = 1;
    if (f->numeric && f->value_count == 1) {
      double span = v->to - v->from;
      points[0] = v->from, points[1] = v->from + span * 0.2, points[2] = v->from + span * 0.8,
      points[3] = v->to;
      count = 4;
    }
    for (int k = 0; k < count; k++) {
      row = expand_add(e, NODE_ROW, body, at);
      if (!row) return;
      row->u.row.index = rows++;
      c0 = expand_cell(e, row, at, 0, 1);
      node *s = c0 ? expand_add(e, NODE_SYMBOL, c0, at) : NULL;
      if (s) {
        s->u.symbol.family = f->name;
        s->u.symbol.value = f->numeric ? number_text(e, points[k]) : v->name;
        if (!s->u.symbol.value) e->failed = 1;
      }
      c1 = expand_cell(e, row, at, 1, 1);
      const char *label = symbol_expand(&e->out->arena, v->label, points[k], e->tpl->decimal_separator);
      if (!label)
        e->failed = 1;
      else if (c1)
        expand_text(e, c1, at, label);
    }
  }
  table->u.table.row_count = rows;
}

static void note_families(legend_state *ls, const node *n) {
  for (; n;) {
    if (n->kind == NODE_SYMBOL) {
      const symbol_family *f = NULL;
      const symbol_value *v;
      double x;
      symbol_lookup(&ls->e->tpl->symbols, n->u.symbol.family, n->u.symbol.value, &f, &v, &x);
      int seen = !f;
      for (int i = 0; i < ls->used_count && !seen; i++) seen = ls->used[i] == f;
      if (!seen) ls->used[ls->used_count++] = f;
    }
    if (n->first) {
      n = n->first;
      continue;
    }
    while (n && !n->next) n = n->parent;
    if (n) n = n->next;
  }
}

/* The legend's parts are built under a detached holder, then take the
 * legend's place among its siblings. */
static node *expand_legend(legend_state *ls, node *legend) {
  expander *e = ls->e;
  node *holder = model_node_new(e->out, NODE_BODY, NULL, legend->line, legend->column);
  if (!holder) {
    e->failed = 1;
    return NULL;
  }
  const symbol_set *set = &e->tpl->symbols;
  int all = legend->u.legend.all;
  int count = all ? set->family_count : ls->used_count;
  for (int i = 0; i < count && !e->failed; i++)
    expand_family(e, holder, legend, all ? &set->families[i] : ls->used[i]);
  node *parent = legend->parent, *prev = NULL;
  for (node *c = parent->first; c != legend; c = c->next) prev = c;
  for (node *c = holder->first; c; c = c->next) c->parent = parent;
  node *first = holder->first ? holder->first : legend->next;
  node *last = holder->first ? holder->last : prev;
  if (holder->first) holder->last->next = legend->next;
  if (prev)
    prev->next = first;
  else
    parent->first = first;
  if (parent->last == legend) parent->last = last;
  return last; /* the walk goes on after the legend's parts */
}

void legend_expand_all(expander *e) {
  legend_state ls = {e, NULL, 0};
  int cap = e->tpl->symbols.family_count;
  ls.used = arena_alloc(&e->scratch, sizeof *ls.used * (size_t)(cap > 0 ? cap : 1));
  if (!ls.used) {
    e->failed = 1;
    return;
  }
  note_families(&ls, e->out->body);
  node *n = e->out->body;
  while (n && !e->failed) {
    if (n->kind == NODE_LEGEND) {
      node *parent = n->parent;
      node *last = expand_legend(&ls, n);
      if (e->failed) return;
      n = last;
      if (!n) { /* an empty legend first among its siblings */
        n = parent->first;
        if (n) continue;
        n = parent;
      }
    } else if (n->first) {
      n = n->first;
      continue;
    }
    while (n && !n->next) n = n->parent;
    if (n) n = n->next;
  }
}
