/* inline.h - paragraphs: model inlines to measured items, items to lines
 * (total-fit breaking in linebreak.c: at spaces, after hyphens, dashes and
 * slashes, at hyphenation points),
 * and lines to glyph runs in a display list. */
#ifndef BILAGA_LAYOUT_INLINE_H
#define BILAGA_LAYOUT_INLINE_H

#include "layout/display.h"
#include "model/model.h"
#include "model/template.h"
#include "text/fontset.h"
#include "text/hyphen.h"
#include "util/arena.h"
#include "util/diag.h"

/* A symbol is one unbreakable item: its text is the symbol's short text
 * (read, not shown), its width the drawing's; span is its node id. */
typedef enum item_kind { ITEM_WORD, ITEM_SPACE, ITEM_BREAK, ITEM_SYMBOL } item_kind;

/* Ordered for packing: a layout pass holds one per word and space. */
typedef struct item {
  const char *text; /* UTF-8, not terminated */
  const rgb *color;
  int length;
  float width; /* of the whole item */
  float size;
  int span; /* node id of an inline structure element (placeholder, other-language text),
             * negative in a copy (TOC entry), 0 if none */
  unsigned char kind;
  unsigned char break_after; /* a line may end after this word: BREAK_AFTER_DASH, _SLASH (linebreak.h) */
  unsigned char hyphenate;   /* the style allows hyphenation */
  unsigned char tabular;     /* digits all as wide as the widest (table figures) */
  uint16_t face;             /* <= FONTSET_MAX_FACES */
  int16_t rise;              /* baseline shift up (superscript), in 1/64 pt; fits the padding */
} item;
_Static_assert(FONTSET_MAX_FACES <= 65535, "item.face holds a face index");

typedef struct line {
  int first, first_offset; /* first item and byte offset into it */
  int last, last_offset;   /* last item and end byte offset in it (exclusive) */
  unsigned char hyphen;    /* ends in an inserted hyphen */
  unsigned char justify;   /* stretch its spaces to the measure */
  float width;             /* natural width */
  int spaces;
} line;

/* What every layout file shares during one pass. */
typedef struct layout_ctx {
  const document_model *doc;
  const template_model *tpl;
  fontset *fonts;
  hyphenator *hyphen;
  diag_sink *sink;
  arena *pass;    /* lives for one layout pass */
  arena *scratch; /* lives while one page is emitted */
  const struct toc_input *toc; /* heading pages of the previous pass */
  struct paragraph *building;  /* the paragraph whose items are in build_items */
  struct item *build_items;    /* growable (malloc) buffer for the paragraph being built */
  int build_capacity;
  const struct placed_symbol **symbols; /* by node id, resolved once per pass */
  const node **nodes;          /* by node id, for structure begins (layout/tagging.c) */
  int tabular;                 /* new items get tabular figures (inside tables) */
  int copy;                    /* laying out a copy of text (TOC entries): its spans are the copy's own */
  int column_decimals;         /* typed numbers in the current table column */
  const char *column_unit;
  int column_unit_space;       /* -1 unset */
  const int *note_marks;       /* footnote number by note id when numbered per page, else NULL */
  int artifact_copy;           /* drawing a copy as an artifact (a repeated table header): no links */
  double frame_height;         /* the text area's height */
  const node *source;          /* the model node whose text is being added, for diagnostics */
  struct glyph_misses *misses; /* characters no font has, reported so far (glyphs.h) */
  struct linebreak_work *linebreak; /* line breaking's memory, kept from paragraph to paragraph */
  int failed;
} layout_ctx;

/* A paragraph's items are gathered in the context's build buffer and
 * copied into the pass arena, at their exact size, when it is broken into
 * lines (or when another paragraph starts): most memory of a layout pass
 * is items, so no doubling slack is kept. */
typedef struct paragraph {
  item *items;
  int item_count, item_capacity;
  line *lines;
  int line_count;
  const text_style *style;
  double width;            /* the measure lines were broken to */
  double first_indent;     /* extra indent of the first line (hanging labels) */
  double ascent, descent;  /* largest over the items, points (descent > 0) */
} paragraph;

/* Frees the context's build buffer (at the end of a run). */
void layout_ctx_release(layout_ctx *ctx);

/* Face for a style with bold/italic switched as asked; -1 on failure. */
int layout_face(layout_ctx *ctx, const text_style *style, int bold, int italic);
/* Width of UTF-8 text in a face. */
double layout_measure(layout_ctx *ctx, int face, double size, const char *text, int length);

/* Width of item text bytes [from, to), as layout measures and draws it. */
double item_part_width(layout_ctx *ctx, const item *it, int from, int to);
/* Measures an item's text one character at a time, as layout_measure
 * does: after a step, x is the width of text[0..pos) and kern the
 * kerning between the last two characters (a part starting at the
 * earlier pos does not get it). */
typedef struct item_walk {
  int pos;
  double x, kern;
  int prev_font;
  uint16_t prev_glyph;
} item_walk;
void item_walk_begin(item_walk *w);
/* Returns 0 at the end of the text. */
int item_walk_step(layout_ctx *ctx, const item *it, item_walk *w);
/* Appends a style's text, splitting it into words and spaces. */
void paragraph_add_text(layout_ctx *ctx, paragraph *p, const text_style *style, int face,
                        const rgb *color, const char *text, int length, int span);
/* Appends the inline children of a model node (b, i, br, num, placeholder). */
void paragraph_add_inlines(layout_ctx *ctx, paragraph *p, const node *parent, const text_style *style,
                           int bold, int italic);
/* The inline children of parent with bold/italic as given, in structure
 * span `span` (0: none). */
void layout_add_inlines(layout_ctx *ctx, paragraph *p, const node *parent, const text_style *style, int bold,
                        int italic, int span);
/* sup, sub, span and note (layout/inline_vocab.c). */
void layout_add_vocabulary(layout_ctx *ctx, paragraph *p, const node *n, const text_style *style, int bold,
                           int italic, int span);
/* The group separator a typed number is printed with ("" for none). */
const char *layout_number_group(const layout_ctx *ctx, const node *num);
/* Forgets a paragraph that was only measured, never broken (its items
 * stay in the build buffer, which the next paragraph reuses). */
void paragraph_discard(layout_ctx *ctx, paragraph *p);
/* Breaks the items into lines of the given width. */
void paragraph_break(layout_ctx *ctx, paragraph *p, double width);
/* The narrowest measure that fits the widest unbreakable word (hyphenation
 * points count as breakable when the style allows), the same without
 * hyphenation (min_whole, may be NULL), and the width of the whole
 * paragraph on one line: what table column widths are made of. */
void paragraph_widths(layout_ctx *ctx, paragraph *p, double *min_width, double *min_whole, double *max_width);

/* Emits one line with its left end at x and its baseline at y (page
 * space). measure is the line width for alignment. */
void paragraph_emit_line(layout_ctx *ctx, const paragraph *p, int index, double x, double y,
                         display_page *page);

/* What a placeholder shows: "[kind: text]" or "[kind]". */
const char *layout_placeholder_text(layout_ctx *ctx, const node *placeholder);

/* Formats a typed number node with the column defaults (decimals < 0 and
 * unit NULL mean none) into arena memory. */
const char *layout_format_number(layout_ctx *ctx, const node *num, int column_decimals,
                                 const char *column_unit);

#endif
