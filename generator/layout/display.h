/* display.h - page display lists: what layout hands to a backend. Page
 * space is in points with the origin at the bottom left, as in PDF. The
 * list carries structure (begin/end of an element, with everything needed
 * to tag it: role, language, table attributes, alternate text) and marks
 * artifacts (running header and footer, leaders, rules, backgrounds), so
 * a backend tags what it draws without ever seeing the document model. */
#ifndef BILAGA_LAYOUT_DISPLAY_H
#define BILAGA_LAYOUT_DISPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "model/symbols.h"
#include "util/arena.h"

typedef enum display_kind {
  DISPLAY_GLYPHS,       /* a run of glyphs of one font on one baseline */
  DISPLAY_RECT,         /* filled rectangle */
  DISPLAY_LINE,         /* stroked straight line */
  DISPLAY_LINK,         /* clickable area pointing at an anchor */
  DISPLAY_ANCHOR,       /* a link target (heading position) */
  DISPLAY_BEGIN_NODE,   /* a structure element's content starts (display_struct) */
  DISPLAY_END_NODE,
  DISPLAY_BEGIN_ARTIFACT,
  DISPLAY_END_ARTIFACT,
  DISPLAY_PATH,       /* a vector path, filled and/or stroked */
  DISPLAY_BEGIN_CLIP, /* later drawing is clipped to the path, until END_CLIP */
  DISPLAY_END_CLIP
} display_kind;

/* Path construction, MuPDF-style: MOVE and LINE take one point, CURVE
 * three (two control points, then the end point), CLOSE none. */
typedef enum path_verb { PATH_MOVE, PATH_LINE, PATH_CURVE, PATH_CLOSE } path_verb;

/* How a path is painted (DISPLAY_PATH): any of these. */
enum { PAINT_FILL = 1, PAINT_STROKE = 2, PAINT_EVEN_ODD = 4 };
_Static_assert((int)PAINT_FILL == (int)SYMBOL_FILL && (int)PAINT_STROKE == (int)SYMBOL_STROKE, "symbol parts paint as paths do");

typedef struct display_path {
  int verb_count;
  uint8_t *verbs; /* path_verb */
  double *points; /* x, y pairs in page space */
  unsigned paint;
  rgb fill, stroke;
  double stroke_width;
} display_path;

typedef struct display_glyphs {
  int font;    /* index into the fontset */
  double size; /* points */
  rgb color;
  int count;
  uint16_t *glyphs;
  double *x;           /* pen position of each glyph, relative to the run's x */
  uint32_t *text;      /* the Unicode text the run stands for */
  int text_length;
  int *cluster;        /* glyph i stands for text[cluster[i] .. cluster[i+1]) */
  /* Text that is read but not seen (a symbol's meaning, PDF render mode
   * 3), squeezed horizontally by hscale to the symbol's width. */
  int invisible;
  double hscale; /* 0 reads as 1 */
  /* What text extraction should read for this run instead of its glyphs
   * (a marked-content /ActualText), or NULL. UTF-8, lives with the page. */
  const char *actual_text;
  /* A hyphen that line breaking inserted: seen, but not part of the text
   * the structure reads (the word reads whole). A backend draws it as an
   * artifact outside the content of any structure element. */
  int inserted_hyphen;
} display_glyphs;

/* Structure roles: what an element is, as PDF's standard structure types
 * name it (the backend owns the names). */
typedef enum struct_role {
  STRUCT_DOCUMENT,
  STRUCT_PART,
  STRUCT_SECT,
  STRUCT_DIV,
  STRUCT_H1,
  STRUCT_H2,
  STRUCT_H3,
  STRUCT_H4,
  STRUCT_H5,
  STRUCT_H6,
  STRUCT_P,
  STRUCT_L,
  STRUCT_LI,
  STRUCT_LBL,
  STRUCT_LBODY,
  STRUCT_TABLE,
  STRUCT_THEAD, /* the row groups: PDF 1.5; a PDF/A-1 level A file leaves them out */
  STRUCT_TBODY,
  STRUCT_TFOOT,
  STRUCT_TR,
  STRUCT_TH,
  STRUCT_TD,
  STRUCT_CAPTION,
  STRUCT_TOC,
  STRUCT_TOCI,
  STRUCT_LINK,
  STRUCT_SPAN,
  STRUCT_FIGURE,
  STRUCT_NOTE,
  STRUCT_NONSTRUCT,
  STRUCT_ROLE_COUNT
} struct_role;

/* Which part of a node an element stands for: with the node id, the
 * element's identity (a begin with the same pair continues the element,
 * e.g. a paragraph on the next page). */
typedef enum display_part {
  PART_NODE,        /* the model node itself */
  PART_LABEL,       /* a list item's bullet or number (Lbl) */
  PART_BODY,        /* a list item's body (LBody) */
  PART_TOC_ENTRY,   /* a TOC line for the heading node_id */
  PART_TITLE_BLOCK, /* the generated title block */
  PART_TOC_TITLE,
  PART_TABLE_CAPTION,
  PART_COPY, /* an inline element repeated elsewhere (in a TOC entry) */
  PART_TITLE_LINE, /* a line of the title block: node_id is the line's number, from 1 */
  PART_TOC_LINK,   /* a TOC entry's link (its text and the link annotations) */
  PART_COUNT
} display_part;

/* A table header cell's scope (TH). */
typedef enum struct_scope { SCOPE_NONE, SCOPE_ROW, SCOPE_COLUMN, SCOPE_BOTH } struct_scope;
/* How a list's items are labelled (L): NONE leaves the attribute out. */
typedef enum struct_numbering { NUMBERING_NONE, NUMBERING_DECIMAL, NUMBERING_DISC } struct_numbering;

/* Everything a backend needs to tag an element. Strings live as long as
 * the page (or longer). */
typedef struct display_struct {
  int node_id;        /* with part: identity (0 for elements of no node) */
  unsigned char part; /* display_part */
  unsigned char role; /* struct_role */
  unsigned char scope; /* TH: struct_scope */
  unsigned char numbering; /* L: struct_numbering */
  int colspan, rowspan; /* TH, TD: 1 unless the cell spans */
  const char *lang;     /* the element's own language (xml:lang), NULL to inherit */
  /* what the element says instead of its content (a symbol's meaning), or NULL */
  const char *alt, *actual_text;
  int line, column; /* where it comes from, for diagnostics (0: nowhere) */
} display_struct;

typedef struct display_op {
  display_kind kind;
  double x, y, w, h; /* GLYPHS: baseline origin; RECT/LINK: box; LINE: from (x,y) by (w,h) */
  union {
    display_glyphs glyphs;
    struct {
      rgb color;
      double width;
    } line;
    rgb fill;
    display_path path; /* PATH, BEGIN_CLIP */
    struct {
      int anchor; /* LINK target / ANCHOR id: a model node id */
      /* LINK: what the link does, in words ("Gå till 3.2 Ekonomi, sida
       * 11"), for the annotation's /Contents; NULL for none */
      const char *link_text;
    };
    display_struct node; /* BEGIN_NODE */
  } u;
} display_op;

/* A heading as placed, for bookmarks and tests (layout_heading). */
typedef struct display_heading {
  int node_id;  /* the section's id */
  int level;
  const char *title; /* plain text with its number, if numbered */
  int page;
  double y; /* top of the heading's first line, page space */
} display_heading;

typedef struct display_page {
  int number; /* from 1 */
  double width, height;
  display_op *ops;
  size_t count, capacity;
} display_page;

/* Appends an op; the page's op array grows with realloc. Arrays inside ops
 * (glyphs, x, text) come from an arena owned by the layout run. */
display_op *display_push(display_page *page, display_kind kind);
void display_page_clear(display_page *page);

/* Builds a path in an arena (the layout run's), then pushes it as one op.
 * Allocation failures are remembered and make display_push_path fail. */
typedef struct path_builder {
  arena *arena;
  uint8_t *verbs;
  double *points;
  int verb_count, verb_capacity, point_count, point_capacity;
  int failed;
} path_builder;

void path_begin(path_builder *b, arena *a);
void path_move(path_builder *b, double x, double y);
void path_line(path_builder *b, double x, double y);
void path_curve(path_builder *b, double x1, double y1, double x2, double y2, double x3, double y3);
void path_close(path_builder *b);
void path_rect(path_builder *b, double x, double y, double w, double h);
/* An arc of a circle from angle a0 to a1 (radians, counter-clockwise,
 * 0 = east) as cubic Béziers of at most 90 degrees; continues the current
 * subpath with a line to its start, or starts one. */
void path_arc(path_builder *b, double cx, double cy, double r, double a0, double a1);
void path_circle(path_builder *b, double cx, double cy, double r);

/* kind is DISPLAY_PATH (paint, fill, stroke, width used) or
 * DISPLAY_BEGIN_CLIP (only the outline). NULL on failure. */
display_op *display_push_path(display_page *page, display_kind kind, const path_builder *b, unsigned paint,
                              rgb fill, rgb stroke, double stroke_width);

/* Writes a readable dump of a page (for tests and debugging). */
void display_page_dump(const display_page *page, void *file);

#endif
