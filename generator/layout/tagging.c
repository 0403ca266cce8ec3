/* tagging.c - structure roles, languages and table attributes: the model
 * read once here, for every structure begin layout emits. */
#include "layout/tagging.h"

#include <stdlib.h>

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

/* header="no" makes even a cell in <thead> a data cell */
static int is_header_cell(const node *n) {
  cell_header h = n->u.cell.header;
  return h == CELL_HEADER_ROW || h == CELL_HEADER_COLUMN ||
         (h == CELL_HEADER_AUTO && n->parent && n->parent->parent && n->parent->parent->kind == NODE_THEAD);
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
    case NODE_CELL: return is_header_cell(n) ? STRUCT_TH : STRUCT_TD;
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
    case NODE_KIND_COUNT: break;
  }
  return STRUCT_P;
}

display_struct layout_struct_of(const layout_ctx *ctx, int node_id, display_part part) {
  const node *n = node_id > 0 && node_id <= ctx->doc->node_count && ctx->nodes ? ctx->nodes[node_id] : NULL;
  display_struct s = {.node_id = node_id, .part = (unsigned char)part, .colspan = 1, .rowspan = 1};
  struct_role role = STRUCT_DIV;
  switch (part) {
    case PART_LABEL: role = STRUCT_LBL; break;
    case PART_BODY: role = STRUCT_LBODY; break;
    case PART_TOC_ENTRY: role = STRUCT_TOCI; break;
    case PART_TITLE_BLOCK: role = STRUCT_DIV; break;
    case PART_TOC_TITLE: role = STRUCT_P; break;
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
  if (n->kind == NODE_CELL && part == PART_NODE) {
    if (role == STRUCT_TH) s.scope = n->u.cell.header == CELL_HEADER_ROW ? SCOPE_ROW : SCOPE_COLUMN;
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
