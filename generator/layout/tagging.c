/* tagging.c - structure roles, languages and table attributes: the model
 * read once here, for every structure begin layout emits. */
#include "layout/tagging.h"

#include <stdlib.h>
#include <string.h>

int layout_index_nodes(layout_ctx *ctx) {
  const document_model *d = ctx->doc;
  const node **nodes = calloc((size_t)d->node_count + 1, sizeof *nodes);
  if (!nodes) return 0;
  /* iteratively: no recursion depth to worry about */
  for (const node *n = d->body; n;) {
    if (n->id > 0 && n->id <= d->node_count) nodes[n->id] = n;
    if (n->first) {
      n = n->first;
      continue;
    }
    while (n && !n->next) n = n->parent;
    if (n) n = n->next;
  }
  ctx->nodes = nodes;
  return 1;
}

static struct_role heading_role(const node *heading) {
  int level = heading->parent && heading->parent->kind == NODE_SECTION ? heading->parent->u.section.level : 1;
  return level <= 1 ? STRUCT_H1 : level == 2 ? STRUCT_H2 : STRUCT_H3;
}

/* A header cell's scope, SCOPE_NONE for a data cell: cells of <thead>
 * head their columns, those of a group row (a heading inside the body)
 * the rows below; header="no" makes any cell a data cell. */
static struct_scope cell_scope(const node *n) {
  const node *row = n->parent;
  switch (n->u.cell.header) {
    case CELL_HEADER_ROW: return SCOPE_ROW;
    case CELL_HEADER_COLUMN: return SCOPE_COLUMN;
    case CELL_HEADER_NO: return SCOPE_NONE;
    case CELL_HEADER_AUTO: break;
  }
  if (row && row->parent && row->parent->kind == NODE_THEAD) return SCOPE_COLUMN;
  if (row && row->kind == NODE_ROW && row->u.row.role == ROW_GROUP) return SCOPE_ROW;
  return SCOPE_NONE;
}

static struct_role node_role(const node *n) {
  switch (n->kind) {
    case NODE_BODY: return STRUCT_DOCUMENT;
    case NODE_SECTION: return STRUCT_SECT;
    case NODE_HEADING: return heading_role(n);
    case NODE_LIST: return STRUCT_L;
    case NODE_ITEM: return STRUCT_LI;
    case NODE_TOC: return STRUCT_TOC;
    case NODE_PLACEHOLDER: return n->u.placeholder.is_block ? STRUCT_P : STRUCT_SPAN;
    case NODE_SYMBOL:
    case NODE_BOLD:
    case NODE_ITALIC: return STRUCT_SPAN; /* only those with their own language are tagged */
    case NODE_TABLE: return STRUCT_TABLE;
    case NODE_THEAD: return STRUCT_THEAD;
    case NODE_TBODY: return STRUCT_TBODY;
    case NODE_TFOOT: return STRUCT_TFOOT;
    case NODE_ROW: return STRUCT_TR;
    case NODE_CELL: return cell_scope(n) != SCOPE_NONE ? STRUCT_TH : STRUCT_TD;
    /* paragraphs, and what stands in one (a caption's, unit's or note's
     * text); kinds that are never tagged on their own fall back to P */
    case NODE_PARAGRAPH:
    case NODE_CAPTION:
    case NODE_TABLE_UNIT:
    case NODE_TABLE_NOTE:
    case NODE_PAGE_BREAK:
    case NODE_LEGEND:
    case NODE_TEXT:
    case NODE_LINE_BREAK:
    case NODE_NUMBER:
    case NODE_KIND_COUNT:
    /* domain blocks, expanded before layout (model/expand.h) */
    case NODE_PROCESS_AREA: case NODE_PROCESS_GOAL: case NODE_COMMITMENT: case NODE_INDICATORS:
    case NODE_INDICATOR: case NODE_RISK: case NODE_ASSIGNMENTS: case NODE_ASSIGNMENT: case NODE_DOMAIN_PART:
    case NODE_SUMMARY: case NODE_COUNT: break;
  }
  return STRUCT_P;
}

/* A title block line is the document's title (a heading) when it shows
 * the title field; bilaga label, board, municipality are paragraphs. */
static struct_role title_line_role(const layout_ctx *ctx, int line) {
  const template_model *t = ctx->tpl;
  if (line < 1 || line > t->title_line_count) return STRUCT_P;
  return strstr(t->title_lines[line - 1].text, "{title}") ? STRUCT_H1 : STRUCT_P;
}

display_struct layout_struct_of(const layout_ctx *ctx, int node_id, display_part part) {
  display_struct s = {.node_id = node_id, .part = (unsigned char)part, .colspan = 1, .rowspan = 1};
  if (part == PART_TITLE_LINE) { /* node_id numbers the line */
    s.role = (unsigned char)title_line_role(ctx, node_id);
    return s;
  }
  const node *n = node_id > 0 && node_id <= ctx->doc->node_count && ctx->nodes ? ctx->nodes[node_id] : NULL;
  struct_role role = STRUCT_DIV;
  switch (part) {
    case PART_LABEL: role = STRUCT_LBL; break;
    case PART_BODY: role = STRUCT_LBODY; break;
    case PART_TOC_ENTRY: role = STRUCT_TOCI; break;
    case PART_TITLE_BLOCK: role = STRUCT_DIV; break;
    case PART_TOC_TITLE: role = STRUCT_H1; break; /* a heading, as PDF/UA asks */
    case PART_TOC_LINK: role = STRUCT_LINK; break;
    case PART_TITLE_LINE: break; /* above */
    case PART_TABLE_CAPTION: role = STRUCT_CAPTION; break; /* the table's; its caption and unit are Ps in it */
    case PART_NODE:
    case PART_COPY: /* same type as the original */
      role = n ? node_role(n) : STRUCT_DIV;
      break;
    case PART_COUNT: break;
  }
  s.role = (unsigned char)role;
  if (!n) return s;
  s.lang = n->lang;
  s.line = n->line, s.column = n->column;
  if (n->kind == NODE_LIST && part == PART_NODE && n->u.list.ordered) s.numbering = NUMBERING_DECIMAL;
  if (n->kind == NODE_CELL && part == PART_NODE) {
    s.scope = (unsigned char)cell_scope(n);
    s.colspan = n->u.cell.colspan > 1 ? n->u.cell.colspan : 1;
    s.rowspan = n->u.cell.rowspan > 1 ? n->u.cell.rowspan : 1;
  }
  return s;
}

display_op *layout_begin_struct(layout_ctx *ctx, display_page *page, int node_id, display_part part) {
  display_op *op = display_push(page, DISPLAY_BEGIN_NODE);
  if (!op) {
    ctx->failed = 1;
    return NULL;
  }
  op->u.node = layout_struct_of(ctx, node_id, part);
  return op;
}
