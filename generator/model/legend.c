/* legend.c - expanding <legend/> into ordinary paragraphs and tables, so
 * that layout, tagging and the table of contents treat a generated legend
 * like written content. The document model stays read-only (one document
 * may be rendered with several templates at once): the expansion is a
 * copy. */
#include "model/legend.h"

#include <string.h>

typedef struct expander {
  document_model *out;
  const document_model *doc;
  const template_model *tpl;
  const symbol_family **used; /* families in order of first use */
  int used_count;
  int failed;
} expander;

static node *add(expander *e, node_kind kind, node *parent, const node *at) {
  node *n = model_node_new(e->out, kind, parent, at->line, at->column);
  if (!n) e->failed = 1;
  return n;
}

static void add_text(expander *e, node *parent, const node *at, const char *text) {
  node *t = add(e, NODE_TEXT, parent, at);
  if (t) t->text = text, t->length = strlen(text);
}

static node *add_paragraph(expander *e, node *parent, const node *at, int implicit) {
  node *p = add(e, NODE_PARAGRAPH, parent, at);
  if (p) p->u.paragraph.implicit = implicit;
  return p;
}

static node *add_cell(expander *e, node *row, const node *at, int column) {
  node *c = add(e, NODE_CELL, row, at);
  if (!c) return NULL;
  c->u.cell.colspan = c->u.cell.rowspan = 1;
  c->u.cell.column = column;
  return add_paragraph(e, c, at, 1);
}

static const char *number_text(expander *e, double x) {
  return symbol_expand(&e->out->arena, "{value}", x, e->tpl->decimal_separator);
}

/* One family: title, explanation, a table with a row per value (for a
 * number range alone, its ends and two points between, as 0, 20, 80, 100). */
static void expand_family(expander *e, node *parent, const node *at, const symbol_family *f) {
  node *p = add_paragraph(e, parent, at, 0);
  node *b = p ? add(e, NODE_BOLD, p, at) : NULL;
  if (b) add_text(e, b, at, f->title);
  if (f->explanation && *f->explanation) {
    p = add_paragraph(e, parent, at, 0);
    if (p) add_text(e, p, at, f->explanation);
  }
  node *table = add(e, NODE_TABLE, parent, at);
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
  node *head = add(e, NODE_THEAD, table, at), *row = head ? add(e, NODE_ROW, head, at) : NULL;
  if (!row) return;
  int rows = 0;
  row->u.row.index = rows++;
  node *c0 = add_cell(e, row, at, 0), *c1 = add_cell(e, row, at, 1);
  if (c0) add_text(e, c0, at, "Symbol");
  if (c1) add_text(e, c1, at, "Innebörd");
  node *body = add(e, NODE_TBODY, table, at);
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
      row = add(e, NODE_ROW, body, at);
      if (!row) return;
      row->u.row.index = rows++;
      c0 = add_cell(e, row, at, 0);
      node *s = c0 ? add(e, NODE_SYMBOL, c0, at) : NULL;
      if (s) {
        s->u.symbol.family = f->name;
        s->u.symbol.value = f->numeric ? number_text(e, points[k]) : v->name;
        if (!s->u.symbol.value) e->failed = 1;
      }
      c1 = add_cell(e, row, at, 1);
      const char *label = symbol_expand(&e->out->arena, v->label, points[k], e->tpl->decimal_separator);
      if (!label)
        e->failed = 1;
      else if (c1)
        add_text(e, c1, at, label);
    }
  }
  table->u.table.row_count = rows;
}

static void expand_legend(expander *e, node *parent, const node *legend) {
  const symbol_set *set = &e->tpl->symbols;
  int count = legend->u.legend.all ? set->family_count : e->used_count;
  for (int i = 0; i < count && !e->failed; i++)
    expand_family(e, parent, legend, legend->u.legend.all ? &set->families[i] : e->used[i]);
}

/* Copies n's children under copy, expanding legends. */
static void copy_children(expander *e, const node *n, node *copy) {
  for (const node *c = n->first; c && !e->failed; c = c->next) {
    if (c->kind == NODE_LEGEND) {
      expand_legend(e, copy, c);
      continue;
    }
    node *d = add(e, c->kind, copy, c);
    if (!d) return;
    int id = d->id;
    node *parent = d->parent;
    *d = *c; /* kind, position, language, text and the kind's fields */
    d->id = id, d->parent = parent, d->first = d->last = d->next = NULL;
    copy_children(e, c, d);
  }
}

static void note_families(expander *e, const node *n, int *has_legend) {
  for (const node *c = n->first; c; c = c->next) {
    if (c->kind == NODE_LEGEND) *has_legend = 1;
    if (c->kind == NODE_SYMBOL) {
      const symbol_family *f = NULL;
      const symbol_value *v;
      double x;
      symbol_lookup(&e->tpl->symbols, c->u.symbol.family, c->u.symbol.value, &f, &v, &x);
      int seen = !f;
      for (int i = 0; i < e->used_count && !seen; i++) seen = e->used[i] == f;
      if (!seen) e->used[e->used_count++] = f;
    }
    note_families(e, c, has_legend);
  }
}

document_model *model_expand_legends(const document_model *doc, const template_model *tpl) {
  expander e = {0};
  e.doc = doc, e.tpl = tpl;
  const symbol_family *used[64];
  int cap = tpl->symbols.family_count;
  arena scratch = {0};
  e.used = cap <= 64 ? used : arena_alloc(&scratch, sizeof *e.used * (size_t)cap);
  int has_legend = 0;
  if (e.used) note_families(&e, doc->body, &has_legend);
  if (!e.used || !has_legend) {
    arena_free(&scratch);
    return e.used ? (document_model *)doc : NULL;
  }
  arena a = {0};
  document_model *out = arena_alloc(&a, sizeof *out);
  if (!out) {
    arena_free(&scratch);
    arena_free(&a);
    return NULL;
  }
  out->arena = a;
  out->file = doc->file;
  memcpy(out->meta, doc->meta, sizeof out->meta);
  out->lang = doc->lang;
  out->heading_count = doc->heading_count;
  e.out = out;
  out->body = model_node_new(out, NODE_BODY, NULL, doc->body->line, doc->body->column);
  if (!out->body)
    e.failed = 1;
  else {
    out->body->lang = doc->body->lang;
    copy_children(&e, doc->body, out->body);
  }
  arena_free(&scratch);
  if (e.failed) {
    model_free(out);
    return NULL;
  }
  return out;
}
