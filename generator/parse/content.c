/* content.c - report content XML to the document model, plus the checks a
 * schema cannot express (table grids, nesting limits). */
#include <errno.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "parse/content_internal.h"
#include "util/i18n.h"
#include "util/num.h"

/* Documented in docs/content.md, "Limits". A row span cannot exceed the
 * rows there are; the bound keeps the counters far from overflow. */
enum { MAX_LIST_DEPTH = 8, MAX_COLUMNS = 64, MAX_ROWSPAN = 1000000, MAX_LIST_START = 1000000000 };


static void build_blocks(builder *b, xmlNodePtr first, node *parent, int list_depth);
static void build_inlines(builder *b, xmlNodePtr first, node *parent);
static int has_content(const node *n);

static node *new_node(builder *b, node_kind kind, node *parent, xmlNodePtr src) {
  int line = 0, column = 0;
  if (src) xml_node_position(b->in, src, &line, &column);
  node *n = model_node_new(b->doc, kind, parent, line, column);
  if (!n) {
    b->failed = 1;
    return NULL;
  }
  if (src && src->type == XML_ELEMENT_NODE) {
    xmlChar *lang = xmlGetNsProp(src, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    if (lang) {
      n->lang = arena_strdup(&b->doc->arena, (const char *)lang);
      xmlFree(lang);
    }
    if (kind == NODE_PARAGRAPH || kind == NODE_LIST || kind == NODE_TABLE) {
      const char *keep = xml_attr(b->in, src, "keep-with-next");
      n->keep_with_next = keep && strcmp(keep, "yes") == 0;
      keep = xml_attr(b->in, src, "keep-together");
      n->keep_together = keep && strcmp(keep, "yes") == 0;
    }
  }
  return n;
}

node *content_node(builder *b, node_kind kind, node *parent, xmlNodePtr src) {
  return new_node(b, kind, parent, src);
}

static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* XML white space runs become one space; a leading one is dropped when
 * the text so far ends in a space. out may be in; returns its length. */
static size_t collapse_spaces(const char *in, size_t len, char *out, int after_space) {
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    if (is_space((unsigned char)in[i])) {
      if (o == 0 ? !after_space : out[o - 1] != ' ') out[o++] = ' ';
    } else {
      out[o++] = in[i];
    }
  }
  return o;
}

/* XML layout whitespace collapses to one space, as in HTML; no-break and
 * other Unicode spaces stay as written. */
static void add_text(builder *b, node *parent, xmlNodePtr src, const char *s) {
  size_t len = strlen(s);
  char *out = arena_alloc(&b->doc->arena, len + 1);
  if (!out) {
    b->failed = 1;
    return;
  }
  /* A space right after a space, even one in a neighbouring element
   * (<b>a </b> b), or at the start of a block, is dropped. */
  size_t o = collapse_spaces(s, len, out, b->after_space);
  if (o == 0) return;
  b->after_space = out[o - 1] == ' ';
  /* Merge with a preceding text node (entity references, comments and
   * processing instructions split text); its buffer grows by doubling so
   * that many pieces cost linear time. */
  if (parent->last && parent->last->kind == NODE_TEXT) {
    node *prev = parent->last;
    size_t start = prev->length && prev->text[prev->length - 1] == ' ' && out[0] == ' ';
    size_t need = prev->length + o - start + 1;
    if (b->growing != prev || b->growing_capacity < need) {
      size_t capacity = need < 64 ? 64 : need * 2;
      char *grown = arena_alloc(&b->doc->arena, capacity);
      if (!grown) {
        b->failed = 1;
        return;
      }
      memcpy(grown, prev->text, prev->length);
      prev->text = grown;
      b->growing = prev;
      b->growing_capacity = capacity;
    }
    memcpy((char *)prev->text + prev->length, out + start, o - start);
    prev->length += o - start;
    ((char *)prev->text)[prev->length] = '\0';
    return;
  }
  node *t = new_node(b, NODE_TEXT, parent, src->parent);
  if (!t) return;
  t->text = out;
  t->length = o;
  out[o] = '\0';
}

static const char *text_content(builder *b, xmlNodePtr el) {
  xmlChar *c = xmlNodeGetContent(el);
  const char *s = arena_strdup(&b->doc->arena, c ? (const char *)c : "");
  xmlFree(c);
  return s;
}

/* An integer attribute (the schema checked its form); a value past max
 * is refused at its element. */
static int attr_int(builder *b, xmlNodePtr el, const char *name, int fallback, int max) {
  const char *v = xml_attr(b->in, el, name);
  if (!v) return fallback;
  errno = 0;
  long x = strtol(v, NULL, 10);
  if (errno == ERANGE || x > max) {
    xml_error_at(b->in, el, _("%s=\"%.20s%s\" is too large: the largest allowed is %d"), name, v,
                 strlen(v) > 20 ? "..." : "", max);
    b->failed = 1;
    return fallback;
  }
  return (int)x;
}

static align_kind parse_align(const char *v) {
  if (!v) return ALIGN_DEFAULT;
  if (strcmp(v, "left") == 0) return ALIGN_LEFT;
  if (strcmp(v, "right") == 0) return ALIGN_RIGHT;
  if (strcmp(v, "center") == 0) return ALIGN_CENTER;
  if (strcmp(v, "decimal") == 0) return ALIGN_DECIMAL;
  return ALIGN_DEFAULT;
}

static void build_placeholder(builder *b, xmlNodePtr el, node *parent, int is_block) {
  node *n = new_node(b, NODE_PLACEHOLDER, parent, el);
  if (!n) return;
  const char *kind = xml_attr(b->in, el, "kind");
  n->u.placeholder.kind = arena_strdup(&b->doc->arena, kind ? kind : "other");
  n->u.placeholder.is_block = is_block;
  /* its text collapses like any other: a description may wrap in the source */
  char *t = (char *)text_content(b, el);
  size_t o = t ? collapse_spaces(t, strlen(t), t, 1) : 0;
  while (o > 0 && t[o - 1] == ' ') o--;
  if (t) t[o] = '\0';
  n->text = t;
  n->length = o;
}

static void build_inlines(builder *b, xmlNodePtr first, node *parent) {
  for (xmlNodePtr c = first; c && !b->failed; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      add_text(b, parent, c, (const char *)c->content);
    } else if (xml_is(c, "b") || xml_is(c, "i")) {
      node *n = new_node(b, xml_is(c, "b") ? NODE_BOLD : NODE_ITALIC, parent, c);
      if (n) build_inlines(b, c->children, n);
    } else if (xml_is(c, "br")) {
      new_node(b, NODE_LINE_BREAK, parent, c);
      b->after_space = 1;
    } else if (xml_is(c, "num")) {
      node *n = new_node(b, NODE_NUMBER, parent, c);
      if (!n) return;
      const char *v = text_content(b, c);
      while (*v && is_space((unsigned char)*v)) v++;
      size_t len = strlen(v);
      while (len && is_space((unsigned char)v[len - 1])) len--;
      n->text = arena_strndup(&b->doc->arena, v, len);
      n->length = len;
      n->u.number.decimals = attr_int(b, c, "decimals", -1, 6);
      const char *unit = xml_attr(b->in, c, "unit");
      n->u.number.unit = unit ? arena_strdup(&b->doc->arena, unit) : NULL;
      const char *us = xml_attr(b->in, c, "unit-space");
      n->u.number.unit_space = !us ? -1 : strcmp(us, "no") != 0;
      const char *sign = xml_attr(b->in, c, "sign");
      n->u.number.sign_always = sign && strcmp(sign, "always") == 0;
      const char *grouping = xml_attr(b->in, c, "grouping");
      n->u.number.grouping = !grouping                     ? GROUPING_AUTO
                             : strcmp(grouping, "yes") == 0 ? GROUPING_ALWAYS
                             : strcmp(grouping, "no") == 0  ? GROUPING_NEVER
                                                            : GROUPING_AUTO;
      b->after_space = 0;
    } else if (xml_is(c, "placeholder")) {
      build_placeholder(b, c, parent, 0);
      b->after_space = 0;
    } else if (xml_is(c, "count")) {
      content_domain_inline(b, c, parent);
      b->after_space = 0;
    } else if (xml_is(c, "symbol")) {
      /* checked against the template's families at layout, with this position */
      node *n = new_node(b, NODE_SYMBOL, parent, c);
      if (!n) return;
      n->u.symbol.family = arena_strdup(&b->doc->arena, xml_attr(b->in, c, "family"));
      n->u.symbol.value = arena_strdup(&b->doc->arena, xml_attr(b->in, c, "value"));
      if (!n->u.symbol.family || !n->u.symbol.value) b->failed = 1;
      b->after_space = 0;
    } else if (xml_is(c, "sup") || xml_is(c, "sub") || xml_is(c, "span")) {
      node *n = new_node(b, xml_is(c, "sup") ? NODE_SUPERSCRIPT : xml_is(c, "sub") ? NODE_SUBSCRIPT : NODE_SPAN,
                         parent, c);
      if (!n) return;
      const char *w = xml_attr(b->in, c, "weight"), *sl = xml_attr(b->in, c, "slant");
      n->u.span.weight = !w ? -1 : strcmp(w, "bold") == 0;
      n->u.span.slant = !sl ? -1 : strcmp(sl, "italic") == 0;
      build_inlines(b, c->children, n);
    } else if (xml_is(c, "note")) {
      if (b->in_note) {
        xml_error_at(b->in, c, _("a footnote cannot hold another footnote"));
        b->failed = 1;
        return;
      }
      node *n = new_node(b, NODE_NOTE, parent, c);
      if (!n) return;
      if (b->table) {
        n->u.note.table_number = ++b->table_notes;
        n->u.note.table_id = b->table->id;
      } else {
        n->u.note.number = ++b->doc->note_count;
      }
      int after = b->after_space;
      b->after_space = 1; /* the note's text starts a block of its own */
      b->in_note = 1;
      build_inlines(b, c->children, n);
      b->in_note = 0;
      b->after_space = after;
      if (!b->failed && !has_content(n)) {
        xml_error_at(b->in, c, _("empty footnote: a note needs text"));
        b->failed = 1;
        return;
      }
    }
  }
}

void content_inlines(builder *b, xmlNodePtr first, node *parent) {
  b->after_space = 1; /* a block starts */
  build_inlines(b, first, parent);
}

void content_blocks(builder *b, xmlNodePtr first, node *parent) { build_blocks(b, first, parent, 0); }

static int has_element_child(xmlNodePtr el, const char *a, const char *b2, const char *c2) {
  for (xmlNodePtr c = el->children; c; c = c->next)
    if (xml_is(c, a) || xml_is(c, b2) || xml_is(c, c2)) return 1;
  return 0;
}

/* Inline content followed by nested lists: the inline part becomes an
 * implicit paragraph, so every item and cell holds blocks. */
static void build_mixed(builder *b, xmlNodePtr el, node *parent, int list_depth) {
  node *p = NULL;
  for (xmlNodePtr c = el->children; c && !b->failed; c = c->next) {
    if (xml_is(c, "ul") || xml_is(c, "ol") || xml_is(c, "p")) {
      xmlNodePtr next = c->next;
      c->next = NULL; /* build just this one block */
      build_blocks(b, c, parent, list_depth);
      c->next = next;
      p = NULL;
      continue;
    }
    if (c->type == XML_TEXT_NODE && !p) {
      const char *s = (const char *)c->content;
      while (*s && is_space((unsigned char)*s)) s++;
      if (!*s) continue;
    }
    if (!p) {
      p = new_node(b, NODE_PARAGRAPH, parent, el);
      if (p) p->u.paragraph.implicit = 1;
      b->after_space = 1; /* a block starts */
    }
    if (!p) return;
    xmlNodePtr next = c->next;
    c->next = NULL;
    build_inlines(b, c, p);
    c->next = next;
  }
}

static void build_list(builder *b, xmlNodePtr el, node *parent, int list_depth) {
  if (list_depth >= MAX_LIST_DEPTH) {
    xml_error_at(b->in, el, _("lists nest deeper than %d levels"), MAX_LIST_DEPTH);
    b->failed = 1;
    return;
  }
  node *list = new_node(b, NODE_LIST, parent, el);
  if (!list) return;
  list->u.list.ordered = xml_is(el, "ol");
  list->u.list.start = attr_int(b, el, "start", 1, MAX_LIST_START);
  for (xmlNodePtr li = el->children; li && !b->failed; li = li->next) {
    if (!xml_is(li, "li")) continue;
    node *item = new_node(b, NODE_ITEM, list, li);
    if (item) build_mixed(b, li, item, list_depth + 1);
  }
}

static void check_table_grid(builder *b, xmlNodePtr el, node *table) {
  int ncols = table->u.table.column_count;
  /* occupied[c] = rows still covered by a rowspan from above */
  int occupied[MAX_COLUMNS] = {0};
  int row_index = 0;
  for (node *group = table->first; group; group = group->next) {
    if (group->kind != NODE_THEAD && group->kind != NODE_TBODY && group->kind != NODE_TFOOT) continue;
    for (node *row = group->first; row; row = row->next) {
      row->u.row.index = row_index++;
      int col = 0;
      for (node *cell = row->first; cell; cell = cell->next) {
        while (col < ncols && occupied[col] > 0) col++;
        cell->u.cell.column = col;
        int span = cell->u.cell.colspan;
        if (col + span > ncols) {
          diag_error(b->in->sink, b->in->name, cell->line, cell->column,
                     _("cell spans past the last column: it starts in column %d and spans %d, but "
                       "the table has %d columns"),
                     col + 1, span, ncols);
          b->failed = 1;
          return;
        }
        if (cell->u.cell.rowspan > 1) {
          int remaining = 0;
          for (node *r = row->next; r; r = r->next) remaining++;
          if (cell->u.cell.rowspan - 1 > remaining) {
            diag_error(b->in->sink, b->in->name, cell->line, cell->column,
                       _("cell spans %d rows but its row group has only %d rows from here"),
                       cell->u.cell.rowspan, remaining + 1);
            b->failed = 1;
            return;
          }
        }
        for (int k = 0; k < span; k++) {
          if (occupied[col + k] > 0) {
            diag_error(b->in->sink, b->in->name, cell->line, cell->column,
                       _("cell overlaps column %d, which a cell from a row above still spans"), col + k + 1);
            b->failed = 1;
            return;
          }
          occupied[col + k] = cell->u.cell.rowspan;
        }
        col += span;
      }
      int filled = 0;
      for (int c = 0; c < ncols; c++) filled += occupied[c] > 0;
      if (filled != ncols) {
        diag_error(b->in->sink, b->in->name, row->line, row->column,
                   _("row covers %d of the table's %d columns (rows must be of equal width)"), filled, ncols);
        b->failed = 1;
        return;
      }
      for (int c = 0; c < ncols; c++)
        if (occupied[c] > 0) occupied[c]--;
    }
    for (int c = 0; c < ncols; c++) occupied[c] = 0; /* spans end with their group */
  }
  table->u.table.row_count = row_index;
  (void)el;
}

static void build_table(builder *b, xmlNodePtr el, node *parent) {
  node *table = new_node(b, NODE_TABLE, parent, el);
  if (!table) return;
  b->table = table;
  b->table_notes = 0;
  const char *id = xml_attr(b->in, el, "id");
  table->u.table.anchor = id ? arena_strdup(&b->doc->arena, id) : NULL;
  for (xmlNodePtr c = el->children; c && !b->failed; c = c->next) {
    if (xml_is(c, "caption") || xml_is(c, "note")) {
      node *n = new_node(b, xml_is(c, "caption") ? NODE_CAPTION : NODE_TABLE_NOTE, table, c);
      b->after_space = 1;
      if (n) build_inlines(b, c->children, n);
    } else if (xml_is(c, "unit")) {
      node *n = new_node(b, NODE_TABLE_UNIT, table, c);
      b->after_space = 1;
      if (n) build_inlines(b, c->children, n);
    } else if (xml_is(c, "columns")) {
      int count = 0;
      for (xmlNodePtr col = c->children; col; col = col->next) count += xml_is(col, "column");
      if (count > MAX_COLUMNS) {
        xml_error_at(b->in, c, _("a table may have at most %d columns"), MAX_COLUMNS);
        b->failed = 1;
        return;
      }
      table->u.table.column_count = count;
      table->u.table.columns = arena_alloc(&b->doc->arena, sizeof(table_column) * (size_t)count);
      if (!table->u.table.columns) {
        b->failed = 1;
        return;
      }
      int i = 0;
      for (xmlNodePtr col = c->children; col; col = col->next) {
        if (!xml_is(col, "column")) continue;
        table_column *tc = &table->u.table.columns[i++];
        const char *w = xml_attr(b->in, col, "width");
        tc->width_kind = WIDTH_AUTO;
        if (w && strcmp(w, "auto") != 0) {
          size_t wl = strlen(w);
          tc->width = parse_length(w);
          tc->width_kind = w[wl - 1] == '%' ? WIDTH_PERCENT : w[wl - 1] == '*' ? WIDTH_WEIGHT : WIDTH_FIXED;
        }
        tc->align = parse_align(xml_attr(b->in, col, "align"));
        tc->decimals = attr_int(b, col, "decimals", -1, 6);
        const char *unit = xml_attr(b->in, col, "unit");
        tc->unit = unit ? arena_strdup(&b->doc->arena, unit) : NULL;
        const char *us = xml_attr(b->in, col, "unit-space");
        tc->unit_space = !us ? -1 : strcmp(us, "no") != 0;
      }
    } else if (xml_is(c, "thead") || xml_is(c, "tbody") || xml_is(c, "tfoot")) {
      node *group = new_node(b, xml_is(c, "thead") ? NODE_THEAD : xml_is(c, "tbody") ? NODE_TBODY : NODE_TFOOT,
                             table, c);
      if (!group) return;
      for (xmlNodePtr r = c->children; r && !b->failed; r = r->next) {
        if (!xml_is(r, "row")) continue;
        node *row = new_node(b, NODE_ROW, group, r);
        if (!row) return;
        const char *role = xml_attr(b->in, r, "role");
        row->u.row.role = !role ? ROW_NORMAL
                          : strcmp(role, "sum") == 0   ? ROW_SUM
                          : strcmp(role, "sub") == 0   ? ROW_SUB
                          : strcmp(role, "group") == 0 ? ROW_GROUP
                                                       : ROW_NORMAL;
        for (xmlNodePtr ce = r->children; ce && !b->failed; ce = ce->next) {
          if (!xml_is(ce, "cell")) continue;
          node *cell = new_node(b, NODE_CELL, row, ce);
          if (!cell) return;
          cell->u.cell.colspan = attr_int(b, ce, "colspan", 1, MAX_COLUMNS);
          cell->u.cell.rowspan = attr_int(b, ce, "rowspan", 1, MAX_ROWSPAN);
          if (b->failed) return;
          const char *h = xml_attr(b->in, ce, "header");
          cell->u.cell.header = !h ? CELL_HEADER_AUTO
                                : strcmp(h, "row") == 0    ? CELL_HEADER_ROW
                                : strcmp(h, "column") == 0 ? CELL_HEADER_COLUMN
                                                           : CELL_HEADER_NO;
          cell->u.cell.align = parse_align(xml_attr(b->in, ce, "align"));
          cell->u.cell.has_blocks = has_element_child(ce, "p", "ul", "ol");
          build_mixed(b, ce, cell, 0);
        }
      }
    }
  }
  if (!b->failed) check_table_grid(b, el, table);
  b->table = NULL;
  if (b->table_notes == 0) return;
  for (node *n = table->first; n;) { /* every note learns how many its table has */
    if (n->kind == NODE_NOTE) n->u.note.table_total = b->table_notes;
    if (n->first) {
      n = n->first;
      continue;
    }
    while (n != table && !n->next) n = n->parent;
    n = n == table ? NULL : n->next;
  }
}

/* Text, a number, a symbol or a placeholder somewhere in n (a footnote's
 * marker alone does not make a heading). */
static int has_content(const node *n) {
  for (const node *c = n->first; c; c = c->next) {
    switch (c->kind) {
      case NODE_TEXT:
        for (size_t i = 0; i < c->length; i++)
          if (!is_space((unsigned char)c->text[i])) return 1;
        break;
      case NODE_NUMBER: case NODE_SYMBOL: case NODE_PLACEHOLDER: case NODE_COUNT: return 1;
      case NODE_BOLD: case NODE_ITALIC: case NODE_SUPERSCRIPT: case NODE_SUBSCRIPT: case NODE_SPAN:
        if (has_content(c)) return 1;
        break;
      case NODE_NOTE: case NODE_LINE_BREAK: case NODE_BODY: case NODE_SECTION: case NODE_HEADING:
      case NODE_PARAGRAPH: case NODE_LIST: case NODE_ITEM: case NODE_PAGE_BREAK: case NODE_TOC: case NODE_LEGEND:
      case NODE_TABLE: case NODE_CAPTION: case NODE_TABLE_UNIT: case NODE_TABLE_NOTE: case NODE_THEAD:
      case NODE_TBODY: case NODE_TFOOT: case NODE_ROW: case NODE_CELL: case NODE_KIND_COUNT:
      case NODE_PROCESS_AREA: case NODE_PROCESS_GOAL: case NODE_COMMITMENT: case NODE_INDICATORS: case NODE_INDICATOR:
      case NODE_RISK: case NODE_ASSIGNMENTS: case NODE_ASSIGNMENT: case NODE_DOMAIN_PART: case NODE_SUMMARY: break;
    }
  }
  return 0;
}

/* Refused (issue 13): a section without a title has none in the TOC or
 * the outline either. The words are those of the warning it was. */
static void empty_heading(builder *b, xmlNodePtr h) {
  xml_span span = xml_element_span(b->in, h);
  diag_extra x = {.code = "E0115-empty-heading",
                  .hint = _("write the section's title, or leave the section out"),
                  .end_line = span.end_line,
                  .end_column = span.end_column};
  diag_report_ex(b->in->sink, BILAGA_SEVERITY_ERROR, b->in->name, span.line, span.column, &x, "%s",
                 _("<heading> is empty: the section has no title in the text, the table of contents or the PDF's "
                   "outline"));
  b->failed = 1;
}

static void build_section(builder *b, xmlNodePtr el, node *parent, int level) {
  if (level > MAX_HEADING_LEVEL) {
    xml_error_at(b->in, el, _("sections nest deeper than %d levels (headings go from level 1 to %d)"),
                 MAX_HEADING_LEVEL, MAX_HEADING_LEVEL);
    b->failed = 1;
    return;
  }
  node *s = new_node(b, xml_is(el, "process-area") ? NODE_PROCESS_AREA : NODE_SECTION, parent, el);
  if (!s) return;
  if (s->kind == NODE_PROCESS_AREA) s->u.section.domain = content_domain_attrs(b, el);
  s->u.section.level = level;
  /* numbered="no", or inside such a section: no number, and none used up */
  const char *numbered = xml_attr(b->in, el, "numbered");
  s->u.section.unnumbered = (numbered && strcmp(numbered, "no") == 0) ||
                            (parent && (parent->kind == NODE_SECTION || parent->kind == NODE_PROCESS_AREA) &&
                             parent->u.section.unnumbered);
  if (!s->u.section.unnumbered) {
    b->section_number[level - 1]++;
    for (int i = level; i < MAX_HEADING_LEVEL; i++) b->section_number[i] = 0;
  }
  for (int i = 0; i < MAX_HEADING_LEVEL; i++) s->u.section.number[i] = i < level ? b->section_number[i] : 0;
  const char *toc = xml_attr(b->in, el, "toc");
  s->u.section.in_toc = !toc || strcmp(toc, "no") != 0;
  const char *pb = xml_attr(b->in, el, "page-break-before");
  s->u.section.page_break_before = !pb ? -1 : strcmp(pb, "yes") == 0; /* -1: as the template says */
  const char *id = xml_attr(b->in, el, "id");
  s->u.section.anchor = id ? arena_strdup(&b->doc->arena, id) : NULL;
  b->doc->heading_count++;
  for (xmlNodePtr c = el->children; c && !b->failed; c = c->next) {
    if (xml_is(c, "heading")) {
      node *h = new_node(b, NODE_HEADING, s, c);
      b->after_space = 1;
      if (h) build_inlines(b, c->children, h);
      if (h && !b->failed && !has_content(h)) empty_heading(b, c);
    } else if (xml_is(c, "section") || xml_is(c, "process-area")) {
      build_section(b, c, s, level + 1);
    } else if (c->type == XML_ELEMENT_NODE) {
      xmlNodePtr next = c->next;
      c->next = NULL;
      build_blocks(b, c, s, 0);
      c->next = next;
    }
  }
}

static void build_blocks(builder *b, xmlNodePtr first, node *parent, int list_depth) {
  for (xmlNodePtr c = first; c && !b->failed; c = c->next) {
    if (xml_is(c, "p")) {
      node *p = new_node(b, NODE_PARAGRAPH, parent, c);
      if (!p) return;
      const char *style = xml_attr(b->in, c, "style");
      p->u.paragraph.style = !style ? PARAGRAPH_NORMAL
                             : strcmp(style, "lead") == 0 ? PARAGRAPH_LEAD
                             : strcmp(style, "note") == 0 ? PARAGRAPH_NOTE
                                                          : PARAGRAPH_NORMAL;
      b->after_space = 1;
      build_inlines(b, c->children, p);
    } else if (xml_is(c, "ul") || xml_is(c, "ol")) {
      build_list(b, c, parent, list_depth);
    } else if (xml_is(c, "table")) {
      build_table(b, c, parent);
    } else if (xml_is(c, "page-break")) {
      new_node(b, NODE_PAGE_BREAK, parent, c);
    } else if (xml_is(c, "toc")) {
      node *t = new_node(b, NODE_TOC, parent, c);
      const char *title = xml_attr(b->in, c, "title");
      if (t && title) t->u.toc.title = arena_strdup(&b->doc->arena, title);
    } else if (xml_is(c, "legend")) {
      node *l = new_node(b, NODE_LEGEND, parent, c);
      const char *families = xml_attr(b->in, c, "families");
      if (l) l->u.legend.all = families && strcmp(families, "all") == 0;
    } else if (xml_is(c, "placeholder")) {
      build_placeholder(b, c, parent, 1);
    } else if (xml_is(c, "section") || xml_is(c, "process-area")) {
      build_section(b, c, parent, 1);
    } else {
      content_domain_block(b, c, parent);
    }
  }
}

document_model *parse_content(const char *bytes, size_t length, const char *name, xml_schema *schema,
                              diag_sink *sink) {
  xml_input in;
  if (!xml_input_load(&in, bytes, length, name, schema, XML_MAX_CONTENT_ELEMENTS, sink)) return NULL;
  content_warnings(&in);
  arena a = {0};
  document_model *doc = arena_alloc(&a, sizeof *doc);
  if (!doc) {
    xml_input_free(&in);
    arena_free(&a);
    return NULL;
  }
  doc->arena = a;
  doc->file = arena_strdup(&doc->arena, name);
  builder b = {.in = &in, .doc = doc, .after_space = 1};
  xmlNodePtr root = xmlDocGetRootElement(in.doc);
  xmlChar *lang = xmlGetNsProp(root, (const xmlChar *)"lang", XML_XML_NAMESPACE);
  doc->lang = arena_strdup(&doc->arena, lang ? (const char *)lang : "sv-SE");
  xmlFree(lang);
  for (xmlNodePtr c = root->children; c; c = c->next) {
    if (xml_is(c, "meta")) {
      for (xmlNodePtr m = c->children; m; m = m->next) {
        if (m->type != XML_ELEMENT_NODE) continue;
        int field = meta_field_lookup((const char *)m->name, strlen((const char *)m->name));
        if (field < 0) continue;
        /* Metadata is plain text: collapse whitespace like content text. */
        node tmp = {0};
        document_model *d = doc;
        builder mb = {.in = &in, .doc = d, .after_space = 1};
        xmlChar *v = xmlNodeGetContent(m);
        add_text(&mb, &tmp, m->children ? m->children : m, v ? (const char *)v : "");
        xmlFree(v);
        const char *s = tmp.first ? tmp.first->text : "";
        while (*s == ' ') s++;
        size_t sl = strlen(s);
        while (sl && s[sl - 1] == ' ') sl--;
        doc->meta[field] = arena_strndup(&doc->arena, s, sl);
        xml_node_position(&in, m, &doc->meta_line[field], &doc->meta_column[field]);
      }
      if (doc->meta[META_LANGUAGE]) doc->lang = doc->meta[META_LANGUAGE];
    } else if (xml_is(c, "body")) {
      doc->body = new_node(&b, NODE_BODY, NULL, c);
      if (doc->body) build_blocks(&b, c->children, doc->body, 0);
    }
  }
  xml_input_free(&in);
  if (b.failed || !doc->body || doc->arena.failed) {
    if (!sink || sink->errors == 0) diag_error(sink, name, 0, 0, _("out of memory while reading content"));
    model_free(doc);
    return NULL;
  }
  return doc;
}
