/* model.c - building and querying the document model. */
#include "model/model.h"

#include <stdio.h>
#include <string.h>

const char *const meta_field_names[] = {
    [META_TITLE] = "title",   [META_SUBTITLE] = "subtitle",         [META_BOARD] = "board",
    [META_MUNICIPALITY] = "municipality", [META_DIARY_NUMBER] = "diary-number", [META_BILAGA] = "bilaga",
    [META_PERIOD] = "period", [META_DATE] = "date",                 [META_AUTHOR] = "author",
    [META_SUBJECT] = "subject", [META_KEYWORDS] = "keywords",       [META_LANGUAGE] = "language",
};
_Static_assert(sizeof meta_field_names / sizeof *meta_field_names == META_FIELD_COUNT, "a name per field");

int meta_field_lookup(const char *name, size_t length) {
  for (int i = 0; i < META_FIELD_COUNT; i++)
    if (strlen(meta_field_names[i]) == length && memcmp(meta_field_names[i], name, length) == 0)
      return i;
  return -1;
}

node *model_node_new(document_model *doc, node_kind kind, node *parent, int line, int column) {
  node *n = arena_alloc(&doc->arena, sizeof *n);
  if (!n) return NULL;
  n->kind = kind;
  n->id = ++doc->node_count;
  n->line = line;
  n->column = column;
  n->parent = parent;
  if (parent) {
    if (parent->last) parent->last->next = n;
    else parent->first = n;
    parent->last = n;
  }
  return n;
}

void model_free(document_model *doc) {
  if (!doc) return;
  arena a = doc->arena;
  arena_free(&a); /* doc itself lives in its arena */
}

const char *model_node_lang(const document_model *doc, const node *n) {
  for (; n; n = n->parent)
    if (n->lang) return n->lang;
  return doc->lang;
}

static void append_text(const node *n, char *out, size_t *len, int measure_only) {
  for (const node *c = n->first; c; c = c->next) {
    if (c->kind == NODE_TEXT || c->kind == NODE_NUMBER || c->kind == NODE_PLACEHOLDER) {
      if (!measure_only) memcpy(out + *len, c->text, c->length);
      *len += c->length;
    } else if (c->kind == NODE_LINE_BREAK) {
      if (!measure_only) out[*len] = ' ';
      *len += 1;
    } else {
      append_text(c, out, len, measure_only);
    }
  }
}

char *model_plain_text(arena *a, const node *n) {
  size_t len = 0;
  append_text(n, NULL, &len, 1);
  char *out = arena_alloc(a, len + 1);
  if (!out) return NULL;
  len = 0;
  append_text(n, out, &len, 0);
  out[len] = '\0';
  return out;
}

const char *model_kind_name(node_kind kind) {
  static const char *const names[] = {
      [NODE_BODY] = "body",
      [NODE_SECTION] = "section",
      [NODE_HEADING] = "heading",
      [NODE_PARAGRAPH] = "p",
      [NODE_LIST] = "list",
      [NODE_ITEM] = "li",
      [NODE_PAGE_BREAK] = "page-break",
      [NODE_TOC] = "toc",
      [NODE_LEGEND] = "legend",
      [NODE_PLACEHOLDER] = "placeholder",
      [NODE_TABLE] = "table",
      [NODE_CAPTION] = "caption",
      [NODE_TABLE_UNIT] = "unit",
      [NODE_TABLE_NOTE] = "note",
      [NODE_THEAD] = "thead",
      [NODE_TBODY] = "tbody",
      [NODE_TFOOT] = "tfoot",
      [NODE_ROW] = "row",
      [NODE_CELL] = "cell",
      [NODE_PROCESS_AREA] = "process-area",
      [NODE_PROCESS_GOAL] = "process-goal",
      [NODE_COMMITMENT] = "commitment",
      [NODE_INDICATORS] = "indicators",
      [NODE_INDICATOR] = "indicator",
      [NODE_RISK] = "risk",
      [NODE_ASSIGNMENTS] = "assignments",
      [NODE_ASSIGNMENT] = "assignment",
      [NODE_DOMAIN_PART] = "part",
      [NODE_SUMMARY] = "summary",
      [NODE_TEXT] = "text",
      [NODE_BOLD] = "b",
      [NODE_ITALIC] = "i",
      [NODE_LINE_BREAK] = "br",
      [NODE_NUMBER] = "num",
      [NODE_SYMBOL] = "symbol",
      [NODE_COUNT] = "count",
  };
  _Static_assert(sizeof names / sizeof *names == NODE_KIND_COUNT, "a name per node kind");
  return kind < NODE_KIND_COUNT && names[kind] ? names[kind] : "?";
}

void model_section_number(const node *section, char *out, size_t size) {
  size_t o = 0;
  out[0] = '\0';
  for (int i = 0; i < section->u.section.level && i < 3 && o < size; i++)
    o += (size_t)snprintf(out + o, size - o, i ? ".%d" : "%d", section->u.section.number[i]);
}
