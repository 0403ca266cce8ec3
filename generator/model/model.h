/* model.h - the document model: the report's structure as parsed, kept
 * read-only after parsing. Every node keeps its source position and an
 * ordinal id (document order) that later stages use as a stable identity
 * for anchors, links and the PDF structure tree. */
#ifndef BILAGA_MODEL_H
#define BILAGA_MODEL_H

#include <stddef.h>

#include "util/arena.h"

/* Sections nest this deep; the depth is the heading level (H1..H5). */
enum { MAX_HEADING_LEVEL = 5 };

typedef enum node_kind {
  NODE_BODY,
  /* blocks */
  NODE_SECTION,
  NODE_HEADING,
  NODE_PARAGRAPH,
  NODE_LIST,
  NODE_ITEM,
  NODE_PAGE_BREAK,
  NODE_TOC,
  NODE_LEGEND, /* a generated symbol legend: expanded before layout (model/legend.h) */
  NODE_PLACEHOLDER, /* a later feature's spot; block or inline */
  NODE_TABLE,
  NODE_CAPTION,
  NODE_TABLE_UNIT,
  NODE_TABLE_NOTE,
  NODE_THEAD,
  NODE_TBODY,
  NODE_TFOOT,
  NODE_ROW,
  NODE_CELL,
  /* domain blocks (model/domain.h), lowered to the kinds above before layout */
  NODE_PROCESS_AREA, /* a section: u.section, its attributes in u.section.domain */
  NODE_PROCESS_GOAL,
  NODE_COMMITMENT,
  NODE_INDICATORS,
  NODE_INDICATOR, /* also a <sub> row (u.domain.part DOMAIN_PART_SUB) */
  NODE_RISK,
  NODE_ASSIGNMENTS,
  NODE_ASSIGNMENT,
  NODE_DOMAIN_PART, /* <text>, <name>, <outcome>, ...: u.domain.part */
  NODE_SUMMARY,     /* a generated summary table */
  /* inlines */
  NODE_TEXT,
  NODE_BOLD,
  NODE_ITALIC,
  NODE_LINE_BREAK,
  NODE_NUMBER,
  NODE_SYMBOL, /* a value of a template symbol family, resolved at layout */
  NODE_COUNT,  /* a number counted from the domain blocks, expanded before layout */
  NODE_SUPERSCRIPT,
  NODE_SUBSCRIPT,
  NODE_SPAN, /* <span weight slant>: emphasis that may also remove bold or italic */
  NODE_NOTE, /* a footnote: its children are the note's text, its place the marker */
  NODE_KIND_COUNT
} node_kind;

typedef enum align_kind { ALIGN_DEFAULT, ALIGN_LEFT, ALIGN_RIGHT, ALIGN_CENTER, ALIGN_JUSTIFY, ALIGN_DECIMAL } align_kind;
typedef enum width_kind { WIDTH_AUTO, WIDTH_FIXED, WIDTH_PERCENT, WIDTH_WEIGHT } width_kind;
typedef enum row_role { ROW_NORMAL, ROW_SUM, ROW_SUB, ROW_GROUP } row_role;
typedef enum cell_header { CELL_HEADER_AUTO, CELL_HEADER_ROW, CELL_HEADER_COLUMN, CELL_HEADER_NO } cell_header;
typedef enum number_grouping { GROUPING_AUTO, GROUPING_ALWAYS, GROUPING_NEVER } number_grouping;
typedef enum paragraph_style { PARAGRAPH_NORMAL, PARAGRAPH_LEAD, PARAGRAPH_NOTE } paragraph_style;

typedef struct table_column {
  width_kind width_kind;
  double width; /* points (FIXED), percent (PERCENT) or weight (WEIGHT) */
  align_kind align;
  int decimals; /* -1: as written */
  const char *unit;
  int unit_space; /* -1 unset, 0 no space before the unit, 1 a no-break space */
} table_column;

typedef struct node node;
struct node {
  node_kind kind;
  int id; /* ordinal in document order, from 1 */
  int line, column;
  node *parent, *first, *last, *next;
  const char *lang; /* xml:lang on this element, NULL to inherit */
  const char *text; /* TEXT: characters; NUMBER: canonical value; PLACEHOLDER: description */
  size_t length;
  unsigned char keep_with_next, keep_together; /* p, ul, ol, table: on one page with the next block / whole */
  union {
    struct {
      int level;     /* 1..MAX_HEADING_LEVEL */
      int number[MAX_HEADING_LEVEL]; /* 5.1 -> {5,1,0,0,0} */
      int unnumbered; /* numbered="no" (or inside such a section): no number, none used up */
      int in_toc;
      int page_break_before; /* 1 yes, 0 no, -1 as the template says */
      const char *anchor; /* id attribute or NULL */
      const char *const *domain; /* a process area's attributes (model/domain.h), else NULL */
    } section;
    struct {
      int ordered;
      int start;
    } list;
    struct {
      const char *kind; /* chart, image, table, other */
      int is_block;
    } placeholder;
    struct {
      const char *family, *value; /* as written; the template knows them */
      const char *level; /* a numeric family's range by name (a risk matrix level), NULL: by value */
    } symbol;
    struct {
      int decimals; /* -1: from the column or as written */
      const char *unit;
      int unit_space; /* -1 unset (column or default), 0 none, 1 no-break space */
      int sign_always;
      number_grouping grouping; /* zero (AUTO): as the template says */
    } number;
    struct {
      int weight, slant; /* -1 inherit, 0 normal, 1 bold / italic */
    } span;
    struct {
      int number;       /* in document order, from 1, notes outside tables */
      int table_number; /* within its table, from 1, notes inside a table; else 0 */
      int table_id;     /* the enclosing table's node id, 0 outside tables */
      int table_total;  /* notes in that table */
    } note;
    struct {
      int column_count;
      table_column *columns;
      int row_count; /* head + body + foot rows */
      const char *anchor;
    } table;
    struct {
      row_role role;
      int index; /* row number within the table, from 0 */
    } row;
    struct {
      int colspan, rowspan;
      int column; /* first grid column, computed by the parser */
      cell_header header;
      align_kind align;
      int has_blocks; /* holds p/ul/ol rather than inline content */
    } cell;
    struct {
      const char *title;
    } toc;
    struct {
      int all; /* every family of the template, not only those used */
    } legend;
    struct {
      const char *const *attrs; /* DOMAIN_ATTR_COUNT values as written, NULL when absent */
      int part;                 /* NODE_DOMAIN_PART, NODE_INDICATOR: a domain_part */
    } domain;
    struct {
      paragraph_style style;
      int implicit; /* made by the parser for inline content of an item or cell */
    } paragraph;
  } u;
};

/* Metadata fields in a fixed order; names as in the content schema. */
typedef enum meta_field {
  META_TITLE,
  META_SUBTITLE,
  META_BOARD,
  META_MUNICIPALITY,
  META_DIARY_NUMBER,
  META_BILAGA,
  META_PERIOD,
  META_DATE,
  META_AUTHOR,
  META_SUBJECT,
  META_KEYWORDS,
  META_LANGUAGE,
  META_FIELD_COUNT
} meta_field;

extern const char *const meta_field_names[META_FIELD_COUNT];
/* Index of a field name, -1 when unknown. */
int meta_field_lookup(const char *name, size_t length);

typedef struct document_model {
  arena arena; /* owns every node and string */
  const char *file;
  const char *meta[META_FIELD_COUNT];
  int meta_line[META_FIELD_COUNT], meta_column[META_FIELD_COUNT]; /* where each field is */
  const char *lang; /* document language, defaults to sv-SE */
  node *body;
  int node_count;
  int heading_count;
  int note_count; /* footnotes outside tables */
} document_model;

node *model_node_new(document_model *doc, node_kind kind, node *parent, int line, int column);
void model_free(document_model *doc);
/* Language in force for a node (its own, an ancestor's, or the document's). */
const char *model_node_lang(const document_model *doc, const node *n);
/* Concatenated text of a node's inline content (for bookmarks), in a.
 * The model itself stays untouched. */
char *model_plain_text(arena *a, const node *n);
const char *model_kind_name(node_kind kind);
/* A section's number as printed: "5", "5.1", "5.1.2" ("" when unnumbered). */
void model_section_number(const node *section, char *out, size_t size);

#endif
