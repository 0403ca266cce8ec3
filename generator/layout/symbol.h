/* symbol.h - symbols in running text and table cells: resolving a
 * <symbol> against the template's families, and drawing it as paths. */
#ifndef BILAGA_LAYOUT_SYMBOL_H
#define BILAGA_LAYOUT_SYMBOL_H

#include "layout/inline.h"

typedef struct placed_symbol {
  const symbol_family *family;
  const symbol_value *value;
  double number;
  const char *short_text; /* {value} expanded */
  const char *alt;        /* "Bedömning: delvis uppfyllt" */
  int in_cell;            /* drawn as a background behind its short text */
  int fills_cell;         /* and alone in a table cell: the table tints the whole cell */
} placed_symbol;

/* Reports every symbol whose family or value the template does not know
 * (with its position and the allowed names); 0 if there was one. */
int layout_check_symbols(layout_ctx *ctx);
/* The resolved symbol for a node (kept per pass, by node id); NULL on
 * failure. */
const placed_symbol *layout_symbol(layout_ctx *ctx, const node *n);
/* Width of the symbol at a text size, with its text when that is shown
 * (measured in face). */
double symbol_width(layout_ctx *ctx, const placed_symbol *s, int face, double size);
/* Width of the drawing alone (without shown text); 0 for a cell. */
double symbol_drawing_width(const placed_symbol *s, double size);
/* Draws the symbol's paths with its box's left end at x on the baseline y. */
void symbol_draw(layout_ctx *ctx, display_page *page, const placed_symbol *s, double x, double y, double size,
                 double width);
/* Where shown text starts: in a cell symbol from the left end of its
 * box, beside a drawing from the drawing's right end. */
double symbol_text_offset(const placed_symbol *s, double size);
/* Room left and right of a drawn symbol, as a share of the text size. */
#define SYMBOL_MARGIN 0.1
/* and between the drawing and a shown short text, besides the margin */
#define SYMBOL_TEXT_GAP 0.15

#endif
