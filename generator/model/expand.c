/* expand.c - one pass that copies the document model, lowering domain
 * blocks and expanding summaries and counts as it goes, then expands the
 * legends (which list the families in order of first use, generated
 * symbols included) and numbers the copy's nodes in document order. */
#include "model/expand.h"

#include <string.h>

#include "model/expand_internal.h"

node *expand_add(expander *e, node_kind kind, node *parent, const node *at) {
  node *n = model_node_new(e->out, kind, parent, at->line, at->column);
  if (!n) e->failed = 1;
  return n;
}

void expand_text(expander *e, node *parent, const node *at, const char *text) {
  if (!parent || !text || !*text) return;
  node *t = expand_add(e, NODE_TEXT, parent, at);
  if (t) t->text = text, t->length = strlen(text);
}

node *expand_paragraph(expander *e, node *parent, const node *at, int implicit) {
  node *p = parent ? expand_add(e, NODE_PARAGRAPH, parent, at) : NULL;
  if (p) p->u.paragraph.implicit = implicit;
  return p;
}

node *expand_bold_paragraph(expander *e, node *parent, const node *at, const char *text) {
  node *p = expand_paragraph(e, parent, at, 0);
  node *b = p ? expand_add(e, NODE_BOLD, p, at) : NULL;
  expand_text(e, b, at, text);
  return p;
}

node *expand_table(expander *e, node *parent, const node *at, int count, const domain_widths *w,
                   const align_kind *align) {
  node *t = parent ? expand_add(e, NODE_TABLE, parent, at) : NULL;
  if (!t) return NULL;
  table_column *cols = arena_alloc(&e->out->arena, sizeof *cols * (size_t)count);
  if (!cols) {
    e->failed = 1;
    return NULL;
  }
  for (int i = 0; i < count; i++) {
    cols[i] = (table_column){WIDTH_AUTO, 0, align ? align[i] : ALIGN_LEFT, -1, NULL, -1};
    if (w && i < w->count) cols[i].width_kind = w->kind[i], cols[i].width = w->width[i];
  }
  t->u.table.column_count = count;
  t->u.table.columns = cols;
  return t;
}

node *expand_row(expander *e, node *group, const node *at, int *rows, row_role role) {
  node *r = group ? expand_add(e, NODE_ROW, group, at) : NULL;
  if (!r) return NULL;
  r->u.row.index = (*rows)++;
  r->u.row.role = role;
  return r;
}

node *expand_cell_node(expander *e, node *row, const node *at, int column, int colspan) {
  node *c = row ? expand_add(e, NODE_CELL, row, at) : NULL;
  if (!c) return NULL;
  c->u.cell.colspan = colspan;
  c->u.cell.rowspan = 1;
  c->u.cell.column = column;
  return c;
}

node *expand_cell(expander *e, node *row, const node *at, int column, int colspan) {
  return expand_paragraph(e, expand_cell_node(e, row, at, column, colspan), at, 1);
}

node *expand_header_cell(expander *e, node *row, const node *at, int column, const char *text) {
  node *p = expand_cell(e, row, at, column, 1);
  expand_text(e, p, at, text);
  return p;
}

void expand_symbol(expander *e, node *parent, const node *at, const char *family, const char *value) {
  if (!parent || !value) return;
  const symbol_family *f;
  const symbol_value *v;
  double x;
  if (symbol_lookup(&e->tpl->symbols, family, value, &f, &v, &x) == SYMBOL_NO_FAMILY) {
    /* a derived value (explicit ones were checked) the template cannot draw */
    expand_text(e, parent, at, value);
    return;
  }
  node *s = expand_add(e, NODE_SYMBOL, parent, at);
  if (s) s->u.symbol.family = family, s->u.symbol.value = value;
}

node *expand_last_symbol(node *parent) {
  return parent && parent->last && parent->last->kind == NODE_SYMBOL ? parent->last : NULL;
}

const node *expand_part(const node *n, domain_part part) {
  for (const node *c = n->first; c; c = c->next)
    if (c->kind == NODE_DOMAIN_PART && (domain_part)c->u.domain.part == part) return c;
  return NULL;
}

void expand_children(expander *e, const node *src, node *dst) {
  expand_siblings(e, src->first, dst);
}

/* What a block was lowered to keeps the block's language (xml:lang). */
static void keep_lang(node *dst, node *before, const node *block) {
  if (!block->lang) return;
  for (node *n = before ? before->next : dst->first; n; n = n->next)
    if (!n->lang) n->lang = block->lang;
}

void expand_siblings(expander *e, const node *first, node *dst) {
  for (const node *c = first; c && !e->failed; c = c->next) {
    node *before = dst->last;
    switch (c->kind) {
      case NODE_PROCESS_AREA:
        domain_lower_area(e, dst, c);
        continue;
      case NODE_PROCESS_GOAL:
      case NODE_COMMITMENT:
      case NODE_RISK:
      case NODE_ASSIGNMENTS:
        domain_lower_block(e, dst, c);
        keep_lang(dst, before, c);
        continue;
      case NODE_INDICATORS:
        domain_lower_indicators(e, dst, c);
        keep_lang(dst, before, c);
        continue;
      case NODE_SUMMARY:
        summary_expand(e, dst, c);
        keep_lang(dst, before, c);
        continue;
      case NODE_COUNT:
        summary_count(e, dst, c);
        continue;
      /* parts of the blocks above, read by their lowering */
      case NODE_INDICATOR:
      case NODE_ASSIGNMENT:
      case NODE_DOMAIN_PART:
        continue;
      /* copied as they are; legends are expanded once the copy is whole */
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
        break;
    }
    node *d = expand_add(e, c->kind, dst, c);
    if (!d) return;
    node *parent = d->parent;
    *d = *c; /* kind, position, language, text and the kind's fields */
    d->parent = parent, d->first = d->last = d->next = NULL;
    expand_children(e, c, d);
  }
}

/* Whether the document has anything to expand. */
static int needs_expansion(const document_model *doc) {
  for (const node *n = doc->body; n;) {
    switch (n->kind) {
      case NODE_LEGEND:
      case NODE_PROCESS_AREA:
      case NODE_PROCESS_GOAL:
      case NODE_COMMITMENT:
      case NODE_INDICATORS:
      case NODE_INDICATOR:
      case NODE_RISK:
      case NODE_ASSIGNMENTS:
      case NODE_ASSIGNMENT:
      case NODE_DOMAIN_PART:
      case NODE_SUMMARY:
      case NODE_COUNT:
        return 1;
      case NODE_BODY:
      case NODE_SECTION:
      case NODE_HEADING:
      case NODE_PARAGRAPH:
      case NODE_LIST:
      case NODE_ITEM:
      case NODE_PAGE_BREAK:
      case NODE_TOC:
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
        break;
    }
    if (n->first) {
      n = n->first;
      continue;
    }
    while (n && !n->next) n = n->parent;
    if (n) n = n->next;
  }
  return 0;
}

/* Ids in document order, as later stages expect (legends were spliced in). */
static void renumber(document_model *out) {
  int id = 0;
  for (node *n = out->body; n;) {
    n->id = ++id;
    if (n->first) {
      n = n->first;
      continue;
    }
    while (n && !n->next) n = n->parent;
    if (n) n = n->next;
  }
  out->node_count = id;
}

document_model *model_expand(const document_model *doc, const template_model *tpl, diag_sink *sink,
                             int *input_error) {
  *input_error = 0;
  if (!needs_expansion(doc)) return (document_model *)doc;
  expander e = {0};
  e.doc = doc, e.tpl = tpl, e.sink = sink;
  arena a = {0};
  document_model *out = arena_alloc(&a, sizeof *out);
  if (!out) {
    arena_free(&e.scratch);
    arena_free(&a);
    return NULL;
  }
  out->arena = a;
  out->file = doc->file;
  memcpy(out->meta, doc->meta, sizeof out->meta);
  memcpy(out->meta_line, doc->meta_line, sizeof out->meta_line);
  memcpy(out->meta_column, doc->meta_column, sizeof out->meta_column);
  out->lang = doc->lang;
  out->heading_count = doc->heading_count;
  e.out = out;
  /* values first: derived ones live in the copy's arena */
  int errors_before = sink ? sink->errors : 0;
  if (!domain_resolve(&e) || e.failed) {
    *input_error = !e.failed || (sink && sink->errors > errors_before);
    arena_free(&e.scratch);
    model_free(out);
    return NULL;
  }
  out->body = model_node_new(out, NODE_BODY, NULL, doc->body->line, doc->body->column);
  if (!out->body) {
    e.failed = 1;
  } else {
    out->body->lang = doc->body->lang;
    expand_children(&e, doc->body, out->body);
  }
  if (!e.failed) legend_expand_all(&e);
  if (!e.failed) renumber(out);
  arena_free(&e.scratch);
  if (e.failed || out->arena.failed) {
    model_free(out);
    return NULL;
  }
  return out;
}
