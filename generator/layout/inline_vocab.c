/* inline_vocab.c - the inline vocabulary of issue 13: superscript and
 * subscript, span weight and slant, a footnote's marker (its text is
 * layout/footnote.c's), and when a typed number is grouped. */
#include <string.h>

#include "layout/footnote.h"
#include "layout/inline.h"

/* The group separator for a number: none when it says grouping="no",
 * or, outside tables, when its integer part is shorter than the template's
 * group-min-digits (years: 2023). Tables group every number of four digits
 * or more, so that a column's digits line up. */
const char *layout_number_group(const layout_ctx *ctx, const node *num) {
  const char *group = ctx->tpl->number_group_separator;
  switch (num->u.number.grouping) {
    case GROUPING_ALWAYS: return group;
    case GROUPING_NEVER: return "";
    case GROUPING_AUTO: break;
  }
  for (const node *a = num->parent; a; a = a->parent)
    if (a->kind == NODE_TABLE) return group;
  int digits = 0;
  for (const char *c = num->text; *c && *c != '.'; c++) digits += *c >= '0' && *c <= '9';
  return digits < ctx->tpl->group_min_digits ? "" : group;
}

/* Items [from, count) move up by rise points (down when negative). */
static void raise_items(paragraph *p, int from, double rise) {
  for (int k = from; k < p->item_count; k++) p->items[k].rise = (int16_t)(p->items[k].rise + rise * 64);
}

/* The style at the template's script size, kept for the pass. */
static const text_style *script_style_of(layout_ctx *ctx, const text_style *style) {
  text_style *st = arena_alloc(ctx->pass, sizeof *st);
  if (!st) {
    ctx->failed = 1;
    return style;
  }
  *st = *style;
  st->size = style->size * ctx->tpl->scripts.scale;
  return st;
}

/* sup, sub, span and a footnote's marker: the additions to the inline
 * vocabulary (layout/footnote.c places the notes' text). */
void layout_add_vocabulary(layout_ctx *ctx, paragraph *p, const node *n, const text_style *style, int bold,
                           int italic, int span) {
  int from = p->item_count;
  int own = n->lang ? (ctx->copy ? -n->id : n->id) : span; /* another language: a Span of its own */
  switch (n->kind) {
    case NODE_SUPERSCRIPT:
    case NODE_SUBSCRIPT: {
      layout_add_inlines(ctx, p, n, script_style_of(ctx, style), bold, italic, own);
      double shift = n->kind == NODE_SUPERSCRIPT ? ctx->tpl->scripts.rise : -ctx->tpl->scripts.drop;
      raise_items(p, from, shift * style->size);
      break;
    }
    case NODE_SPAN:
      layout_add_inlines(ctx, p, n, style, n->u.span.weight < 0 ? bold : n->u.span.weight,
                  n->u.span.slant < 0 ? italic : n->u.span.slant, own);
      break;
    case NODE_NOTE: {
      if (ctx->copy) break; /* a TOC entry leaves the marker out */
      const char *mark = footnote_mark(ctx, n);
      int raised = footnote_mark_raised(ctx, n);
      const text_style *st = raised ? script_style_of(ctx, style) : style;
      paragraph_add_text(ctx, p, st, layout_face(ctx, style, bold, italic), &style->color, mark, (int)strlen(mark),
                         n->id);
      if (raised) raise_items(p, from, ctx->tpl->scripts.rise * style->size);
      break;
    }
    case NODE_BODY: case NODE_SECTION: case NODE_HEADING: case NODE_PARAGRAPH: case NODE_LIST: case NODE_ITEM:
    case NODE_PAGE_BREAK: case NODE_TOC: case NODE_LEGEND: case NODE_PLACEHOLDER: case NODE_TABLE:
    case NODE_CAPTION: case NODE_TABLE_UNIT: case NODE_TABLE_NOTE: case NODE_THEAD: case NODE_TBODY:
    case NODE_TFOOT: case NODE_ROW: case NODE_CELL: case NODE_TEXT: case NODE_BOLD: case NODE_ITALIC:
    case NODE_LINE_BREAK: case NODE_NUMBER: case NODE_SYMBOL: case NODE_KIND_COUNT:
    /* domain blocks, expanded before layout */
    case NODE_PROCESS_AREA: case NODE_PROCESS_GOAL: case NODE_COMMITMENT: case NODE_INDICATORS: case NODE_INDICATOR:
    case NODE_RISK: case NODE_ASSIGNMENTS: case NODE_ASSIGNMENT: case NODE_DOMAIN_PART: case NODE_SUMMARY: case NODE_COUNT: break;
  }
}

