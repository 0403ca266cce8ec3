/* inline.c - measuring words, breaking paragraphs into lines and turning
 * lines into glyph runs. Widths always come from the real font metrics,
 * and a line is never wider than its measure: a word that does not fit is
 * hyphenated or, as a last resort, broken between characters. */
#include "layout/inline.h"

#include <stdlib.h>
#include <string.h>

#include "layout/footnote.h"
#include "layout/glyphs.h"
#include "layout/linebreak.h"
#include "layout/symbol.h"
#include "layout/tagging.h"
#include "text/numfmt.h"
#include "util/grow.h"
#include "util/utf8.h"

int layout_face(layout_ctx *ctx, const text_style *style, int bold, int italic) {
  if (bold == style->bold && italic == style->italic && style->face >= 0) return style->face;
  const template_model *t = ctx->tpl;
  int f = fontset_face(ctx->fonts, style->family, bold, italic, t->fallback_families, t->fallback_count,
                       ctx->sink, t->file);
  if (f < 0) {
    ctx->failed = 1;
    return style->face;
  }
  return f;
}

static double glyph_width(const fontset *fs, int font_index, uint16_t glyph, double size) {
  const font *f = fs->fonts[font_index];
  return font_advance(f, glyph) * size / font_get_metrics(f)->units_per_em;
}

/* No-break and thin spaces the font lacks are drawn with its space glyph
 * at their own width, rather than from a fallback font. */
static uint32_t space_substitute(uint32_t cp) { return cp == 0xA0 ? 0x20 : cp; }

static int is_digit(uint32_t cp) { return cp >= '0' && cp <= '9'; }

/* Width of text; with tabular set every digit takes the font's widest
 * digit advance, so figures line up even in a font whose own are
 * proportional (most fonts' default figures, e.g. Carlito's, already are). */
static double measure_run(layout_ctx *ctx, int face, double size, const char *text, int length, int tabular) {
  const fontset *fs = ctx->fonts;
  double w = 0;
  int prev_font = -1;
  uint16_t prev_glyph = 0;
  for (int i = 0; i < length;) {
    int n;
    uint32_t cp = utf8_decode(text + i, (size_t)(length - i), &n);
    i += n;
    uint16_t g;
    int fi = fontset_font_for(fs, face, cp, &g);
    if (!g) fi = fontset_font_for(fs, face, space_substitute(cp), &g);
    if (tabular && is_digit(cp))
      w += fs->digit_advance[fi] * size / font_get_metrics(fs->fonts[fi])->units_per_em;
    else
      w += glyph_width(fs, fi, g, size);
    if (fi == prev_font && !(tabular && is_digit(cp))) {
      const font *f = fs->fonts[fi];
      w += font_kerning(f, prev_glyph, g) * size / font_get_metrics(f)->units_per_em;
    }
    prev_font = fi;
    prev_glyph = g;
  }
  return w;
}

double layout_measure(layout_ctx *ctx, int face, double size, const char *text, int length) {
  return measure_run(ctx, face, size, text, length, 0);
}

void item_walk_begin(item_walk *w) { *w = (item_walk){0, 0, 0, -1, 0}; }

/* One character of measure_run. */
int item_walk_step(layout_ctx *ctx, const item *it, item_walk *w) {
  if (w->pos >= it->length) return 0;
  const fontset *fs = ctx->fonts;
  int n;
  uint32_t cp = utf8_decode(it->text + w->pos, (size_t)(it->length - w->pos), &n);
  uint16_t g;
  int fi = fontset_font_for(fs, it->face, cp, &g);
  if (!g) fi = fontset_font_for(fs, it->face, space_substitute(cp), &g);
  const font *f = fs->fonts[fi];
  int tab = it->tabular && is_digit(cp);
  double upm = font_get_metrics(f)->units_per_em;
  w->kern = fi == w->prev_font && !tab ? font_kerning(f, w->prev_glyph, g) * it->size / upm : 0;
  w->x += (tab ? fs->digit_advance[fi] * it->size / upm : glyph_width(fs, fi, g, it->size)) + w->kern;
  w->prev_font = fi, w->prev_glyph = g;
  w->pos += n;
  return 1;
}

/* Moves the items of the paragraph being built out of the build buffer. */
static void settle_items(layout_ctx *ctx) {
  paragraph *p = ctx->building;
  if (!p) return;
  ctx->building = NULL;
  if (p->item_count == 0) {
    p->items = NULL;
    return;
  }
  item *items = arena_alloc_uninit(ctx->pass, sizeof(item) * (size_t)p->item_count);
  if (!items) {
    ctx->failed = 1;
    p->item_count = 0;
    p->items = NULL;
    return;
  }
  memcpy(items, ctx->build_items, sizeof(item) * (size_t)p->item_count);
  p->items = items;
  p->item_capacity = p->item_count;
}

static item *push_item(layout_ctx *ctx, paragraph *p) {
  if (ctx->building != p) {
    settle_items(ctx);
    /* continue a settled paragraph in the buffer */
    item *b = grow_heap(ctx->build_items, &ctx->build_capacity, p->item_count + 1, sizeof(item), 256);
    if (!b) {
      ctx->failed = 1;
      return NULL;
    }
    ctx->build_items = b;
    if (p->item_count) memcpy(ctx->build_items, p->items, sizeof(item) * (size_t)p->item_count);
    p->items = ctx->build_items;
    ctx->building = p;
  }
  item *b = grow_heap(ctx->build_items, &ctx->build_capacity, p->item_count + 1, sizeof(item), 256);
  if (!b) {
    ctx->failed = 1;
    return NULL;
  }
  ctx->build_items = b;
  p->items = b;
  item *it = &p->items[p->item_count++];
  memset(it, 0, sizeof *it);
  return it;
}

void paragraph_discard(layout_ctx *ctx, paragraph *p) {
  if (ctx->building == p) ctx->building = NULL;
  p->items = NULL;
  p->item_count = 0;
}

void layout_ctx_release(layout_ctx *ctx) {
  linebreak_release(ctx);
  layout_glyphs_release(ctx);
  ctx->building = NULL;
  free(ctx->build_items);
  ctx->build_items = NULL;
  ctx->build_capacity = 0;
}

static void note_metrics(layout_ctx *ctx, paragraph *p, int face, double size) {
  const font *f = ctx->fonts->fonts[ctx->fonts->faces[face].font];
  const font_metrics *m = font_get_metrics(f);
  double a = m->ascender * size / m->units_per_em, d = -m->descender * size / m->units_per_em;
  if (a > p->ascent) p->ascent = a;
  if (d > p->descent) p->descent = d;
}

void paragraph_add_text(layout_ctx *ctx, paragraph *p, const text_style *style, int face,
                        const rgb *color, const char *text, int length, int span) {
  note_metrics(ctx, p, face, style->size);
  layout_check_glyphs(ctx, face, text, length);
  int i = 0;
  while (i < length) {
    if (text[i] == ' ') {
      /* one space item per run of spaces */
      while (i < length && text[i] == ' ') i++;
      item *it = push_item(ctx, p);
      if (!it) return;
      it->kind = ITEM_SPACE;
      it->face = face;
      it->size = (float)style->size;
      it->color = color;
      it->text = " ";
      it->length = 1;
      it->width = (float)layout_measure(ctx, face, style->size, " ", 1);
      it->span = span;
      continue;
    }
    int start = i;
    int break_after = 0;
    while (i < length && text[i] != ' ') {
      /* a line may end after a hyphen, dash or slash between words */
      int n = 1;
      if ((text[i] == '-' || text[i] == '/' || (unsigned char)text[i] == 0xE2) &&
          (break_after = linebreak_after(text, length, start, i, &n))) {
        i += n;
        break;
      }
      i++;
    }
    item *it = push_item(ctx, p);
    if (!it) return;
    it->kind = ITEM_WORD;
    it->break_after = (unsigned char)break_after;
    it->hyphenate = (unsigned char)style->hyphenate;
    it->face = face;
    it->size = (float)style->size;
    it->color = color;
    it->text = text + start;
    it->length = i - start;
    it->tabular = (unsigned char)ctx->tabular;
    it->width = (float)measure_run(ctx, face, style->size, it->text, it->length, it->tabular);
    it->span = span;
  }
}

const char *layout_placeholder_text(layout_ctx *ctx, const node *n) {
  const char *kind = n->u.placeholder.kind;
  return n->length ? arena_printf(ctx->pass, "[%s: %s]", kind, n->text) : arena_printf(ctx->pass, "[%s]", kind);
}

const char *layout_format_number(layout_ctx *ctx, const node *num, int column_decimals,
                                 const char *column_unit) {
  const template_model *t = ctx->tpl;
  int unit_space = num->u.number.unit_space >= 0 ? num->u.number.unit_space
                   : ctx->column_unit_space >= 0 ? ctx->column_unit_space
                                                 : 1;
  number_format fmt = {t->decimal_separator, layout_number_group(ctx, num), t->minus_sign,
                       num->u.number.decimals >= 0 ? num->u.number.decimals : column_decimals,
                       num->u.number.unit ? num->u.number.unit : column_unit,
                       num->u.number.sign_always, !unit_space};
  /* room for the longest result: sign, each digit with a group separator,
   * the decimal separator and decimals, a no-break space and the unit */
  size_t digits = strlen(num->text), decimals = fmt.decimals > 0 ? (size_t)fmt.decimals : 0;
  size_t size = strlen(fmt.minus) + 1 + (digits + 1) * (1 + strlen(fmt.group)) + strlen(fmt.decimal) + decimals +
                2 + (fmt.unit ? strlen(fmt.unit) : 0) + 1;
  char *buf = arena_alloc_uninit(ctx->pass, size);
  if (!buf) {
    ctx->failed = 1;
    return num->text;
  }
  if (format_number(num->text, &fmt, buf, size) < 0) return num->text; /* not a decimal: the schema prevents it */
  return buf;
}

void layout_add_inlines(layout_ctx *ctx, paragraph *p, const node *parent, const text_style *style, int bold,
                        int italic, int span) {
  int face = layout_face(ctx, style, bold, italic);
  for (const node *n = parent->first; n && !ctx->failed; n = n->next) {
    ctx->source = n;
    switch (n->kind) {
      case NODE_TEXT:
        paragraph_add_text(ctx, p, style, face, &style->color, n->text, (int)n->length, span);
        break;
      case NODE_BOLD:
      case NODE_ITALIC: {
        /* text in another language is a Span of its own (with /Lang) */
        int inner = n->lang ? (ctx->copy ? -n->id : n->id) : span;
        layout_add_inlines(ctx, p, n, style, bold || n->kind == NODE_BOLD, italic || n->kind == NODE_ITALIC, inner);
        break;
      }
      case NODE_LINE_BREAK: {
        item *it = push_item(ctx, p);
        if (it) it->kind = ITEM_BREAK, it->face = face, it->span = span;
        break;
      }
      case NODE_NUMBER: {
        const char *s = layout_format_number(ctx, n, ctx->column_decimals, ctx->column_unit);
        paragraph_add_text(ctx, p, style, face, &style->color, s, (int)strlen(s), span);
        break;
      }
      case NODE_PLACEHOLDER: {
        /* Visible and readable: the symbol's own text, else its family and
         * value in brackets, in the placeholder style. */
        const text_style *ps = &ctx->tpl->placeholder;
        const char *s = layout_placeholder_text(ctx, n);
        if (!s) {
          ctx->failed = 1;
          return;
        }
        /* in proportion to the surrounding text (a table cell is smaller) */
        text_style scaled = *ps;
        double ratio = ctx->tpl->body.size > 0 ? ps->size / ctx->tpl->body.size : 1;
        scaled.size = style->size * ratio;
        scaled.leading = style->leading;
        int pface = layout_face(ctx, ps, ps->bold, ps->italic);
        text_style *keep = arena_alloc(ctx->pass, sizeof *keep);
        if (!keep) {
          ctx->failed = 1;
          return;
        }
        *keep = scaled;
        paragraph_add_text(ctx, p, keep, pface, &keep->color, s, (int)strlen(s), ctx->copy ? -n->id : n->id);
        break;
      }
      case NODE_SYMBOL: {
        const placed_symbol *s = layout_symbol(ctx, n);
        if (!s) {
          ctx->failed = 1;
          return;
        }
        int id = ctx->copy ? -n->id : n->id;
        note_metrics(ctx, p, face, style->size);
        item *it = push_item(ctx, p);
        if (!it) return;
        it->kind = ITEM_SYMBOL;
        it->face = face;
        it->size = (float)style->size;
        it->color = &style->color;
        it->text = s->short_text;
        it->length = (int)strlen(s->short_text);
        it->width = (float)symbol_width(ctx, s, face, style->size);
        it->span = id;
        break;
      }
      case NODE_SUPERSCRIPT:
      case NODE_SUBSCRIPT:
      case NODE_SPAN:
      case NODE_NOTE: layout_add_vocabulary(ctx, p, n, style, bold, italic, span); break;
      /* blocks hold no inline content; every kind is listed, so a new one
       * is a -Wswitch warning */
      case NODE_BODY: case NODE_SECTION: case NODE_HEADING: case NODE_PARAGRAPH: case NODE_LIST:
      case NODE_ITEM: case NODE_PAGE_BREAK: case NODE_TOC: case NODE_LEGEND: case NODE_TABLE:
      case NODE_CAPTION: case NODE_TABLE_UNIT: case NODE_TABLE_NOTE: case NODE_THEAD: case NODE_TBODY:
      case NODE_TFOOT: case NODE_ROW: case NODE_CELL: case NODE_KIND_COUNT:
      /* domain blocks and counts are expanded before layout (model/expand.h) */
      case NODE_PROCESS_AREA: case NODE_PROCESS_GOAL: case NODE_COMMITMENT: case NODE_INDICATORS:
      case NODE_INDICATOR: case NODE_RISK: case NODE_ASSIGNMENTS: case NODE_ASSIGNMENT: case NODE_DOMAIN_PART:
      case NODE_SUMMARY: case NODE_COUNT:
      break;
    }
  }
  ctx->source = NULL;
}

void paragraph_add_inlines(layout_ctx *ctx, paragraph *p, const node *parent, const text_style *style,
                           int bold, int italic) {
  p->style = style;
  layout_add_inlines(ctx, p, parent, style, bold, italic, 0);
}

/* ---- line breaking (layout/linebreak.c) ---- */

double item_part_width(layout_ctx *ctx, const item *it, int from, int to) {
  if (from == 0 && to == it->length) return it->width;
  return measure_run(ctx, it->face, it->size, it->text + from, to - from, it->tabular);
}

void paragraph_break(layout_ctx *ctx, paragraph *p, double width) {
  if (ctx->building == p) settle_items(ctx);
  linebreak_paragraph(ctx, p, width);
}

void paragraph_widths(layout_ctx *ctx, paragraph *p, double *min_width, double *min_whole, double *max_width) {
  double widest = 0, widest_whole = 0, total = 0, line_total = 0, word = 0, whole = 0;
  for (int i = 0; i < p->item_count; i++) {
    const item *it = &p->items[i];
    if (it->kind == ITEM_BREAK || it->kind == ITEM_SPACE) {
      if (it->kind == ITEM_BREAK) {
        if (line_total > total) total = line_total;
        line_total = 0;
      } else {
        line_total += it->width;
      }
      if (word > widest) widest = word;
      if (whole > widest_whole) widest_whole = whole;
      word = whole = 0;
      continue;
    }
    line_total += it->width;
    double w = it->width;
    if (it->hyphenate && ctx->hyphen && it->length >= 5 && it->length <= HYPHEN_MAX_WORD) {
      /* the widest piece between hyphenation points, plus a hyphen */
      unsigned char breaks[HYPHEN_MAX_WORD];
      if (linebreak_patterns(ctx, it->text, it->length, breaks) > 0) {
        double piece = 0, hy = layout_measure(ctx, it->face, it->size, "-", 1);
        int start = 0;
        for (int k = 0; k < it->length; k++) {
          if (breaks[k] || k == it->length - 1) {
            double pw = item_part_width(ctx, it, start, k + 1) + (k == it->length - 1 ? 0 : hy);
            if (pw > piece) piece = pw;
            start = k + 1;
          }
        }
        w = piece;
      }
    }
    int glued = i > 0 && (p->items[i - 1].kind == ITEM_WORD || p->items[i - 1].kind == ITEM_SYMBOL) &&
                !p->items[i - 1].break_after;
    word = glued ? word + w : w;
    whole = glued ? whole + it->width : it->width;
    if (it->break_after) {
      if (word > widest) widest = word;
      if (whole > widest_whole) widest_whole = whole;
      word = whole = 0;
    }
  }
  if (word > widest) widest = word;
  if (whole > widest_whole) widest_whole = whole;
  if (line_total > total) total = line_total;
  *min_width = widest + p->first_indent;
  if (min_whole) *min_whole = widest_whole + p->first_indent;
  *max_width = total + p->first_indent;
}

/* ---- emission ---- */

typedef struct run_builder {
  layout_ctx *ctx;
  display_page *page;
  int font;
  float size;
  const rgb *color;
  double x0, y;
  int count, capacity;
  uint16_t *glyphs;
  double *xs;
  uint32_t *text;
  int invisible; /* runs flushed now are a symbol's unseen text */
  double hscale; /* > 0: glyphs are squeezed towards squeeze_from by it */
  double squeeze_from;
  const char *actual_text;
  int inserted_hyphen;
  double rise, next_rise; /* the run's baseline shift, and the next glyph's */
} run_builder;

static void flush_run(run_builder *rb, double pen_end) {
  if (rb->count == 0) return;
  display_op *op = display_push(rb->page, DISPLAY_GLYPHS);
  if (!op) {
    rb->ctx->failed = 1;
    rb->count = 0;
    return;
  }
  display_glyphs *g = &op->u.glyphs;
  op->x = rb->x0;
  op->y = rb->y + rb->rise;
  op->w = pen_end - rb->x0;
  g->font = rb->font;
  g->size = rb->size;
  g->color = *rb->color;
  g->count = rb->count;
  g->text_length = rb->count;
  g->invisible = rb->invisible;
  g->hscale = rb->hscale;
  g->actual_text = rb->actual_text;
  g->inserted_hyphen = rb->inserted_hyphen;
  size_t n = (size_t)rb->count;
  g->glyphs = arena_alloc(rb->ctx->scratch, n * sizeof *g->glyphs);
  g->x = arena_alloc(rb->ctx->scratch, n * sizeof *g->x);
  g->text = arena_alloc(rb->ctx->scratch, n * sizeof *g->text);
  if (!g->glyphs || !g->x || !g->text) {
    rb->ctx->failed = 1;
    g->count = g->text_length = 0;
  } else {
    memcpy(g->glyphs, rb->glyphs, n * sizeof *g->glyphs);
    for (size_t k = 0; k < n; k++) g->x[k] = rb->xs[k] - rb->x0;
    memcpy(g->text, rb->text, n * sizeof *g->text);
  }
  rb->count = 0;
}

static void add_glyph(run_builder *rb, int font, float size, const rgb *color, uint16_t glyph,
                      uint32_t cp, double pen) {
  if (rb->hscale > 0) pen = rb->squeeze_from + (pen - rb->squeeze_from) * rb->hscale;
  if (rb->count && (font != rb->font || size != rb->size || color != rb->color || rb->next_rise != rb->rise))
    flush_run(rb, pen);
  if (rb->count == 0) {
    rb->font = font, rb->size = size, rb->color = color, rb->x0 = pen, rb->rise = rb->next_rise;
  }
  if (rb->count == rb->capacity) {
    int cap = rb->capacity ? rb->capacity * 2 : 128;
    uint16_t *g = arena_alloc(rb->ctx->scratch, sizeof *g * (size_t)cap);
    double *xs = arena_alloc(rb->ctx->scratch, sizeof *xs * (size_t)cap);
    uint32_t *t = arena_alloc(rb->ctx->scratch, sizeof *t * (size_t)cap);
    if (!g || !xs || !t) {
      rb->ctx->failed = 1;
      return;
    }
    if (rb->count) {
      memcpy(g, rb->glyphs, sizeof *g * (size_t)rb->count);
      memcpy(xs, rb->xs, sizeof *xs * (size_t)rb->count);
      memcpy(t, rb->text, sizeof *t * (size_t)rb->count);
    }
    rb->glyphs = g, rb->xs = xs, rb->text = t, rb->capacity = cap;
  }
  rb->glyphs[rb->count] = glyph;
  rb->xs[rb->count] = pen;
  rb->text[rb->count] = cp;
  rb->count++;
}

/* Shapes text the same way layout_measure does; returns the pen after it. */
static double emit_text(run_builder *rb, const item *it, int from, int to, double pen) {
  const fontset *fs = rb->ctx->fonts;
  int prev_font = -1;
  uint16_t prev_glyph = 0;
  rb->next_rise = it->rise / 64.0;
  for (int i = from; i < to;) {
    int n;
    uint32_t cp = utf8_decode(it->text + i, (size_t)(to - i), &n);
    i += n;
    uint16_t g;
    int fi = fontset_font_for(fs, it->face, cp, &g);
    if (!g) fi = fontset_font_for(fs, it->face, space_substitute(cp), &g);
    const font *f = fs->fonts[fi];
    double upm = font_get_metrics(f)->units_per_em;
    if (it->tabular && is_digit(cp)) {
      /* centred in the widest digit's room */
      double room = fs->digit_advance[fi] * it->size / upm, own = glyph_width(fs, fi, g, it->size);
      add_glyph(rb, fi, it->size, it->color, g, cp, pen + (room - own) / 2);
      pen += room;
      prev_font = -1;
      continue;
    }
    if (fi == prev_font) pen += font_kerning(f, prev_glyph, g) * it->size / upm;
    add_glyph(rb, fi, it->size, it->color, g, cp, pen);
    pen += glyph_width(fs, fi, g, it->size);
    prev_font = fi, prev_glyph = g;
  }
  return pen;
}

/* A symbol: its paths, then its short text where text extraction finds
 * it: shown inside a cell symbol or beside the drawing when the family
 * says so, otherwise invisible and squeezed into the drawing's width. An
 * /ActualText around the text keeps every letter for extraction (squeezed
 * doubled letters look like fake bold to some readers); shown text and
 * the unseen copy over the drawing share one, so that it is read once and
 * no empty gap is left where the drawing is (text extraction splits lines
 * at wide gaps). */
static double emit_symbol(run_builder *rb, const item *it, double pen) {
  layout_ctx *ctx = rb->ctx;
  const placed_symbol *s = ctx->symbols ? ctx->symbols[abs(it->span)] : NULL;
  if (!s) {
    ctx->failed = 1;
    return pen + it->width;
  }
  flush_run(rb, pen);
  symbol_draw(ctx, rb->page, s, pen, rb->y, it->size, it->width);
  double drawing = symbol_drawing_width(s, it->size);
  if (drawing > 0) {
    double natural = layout_measure(ctx, it->face, it->size, it->text, it->length);
    rb->invisible = 1;
    rb->hscale = natural > 0 ? drawing / natural : 1;
    rb->squeeze_from = pen;
    rb->actual_text = s->short_text;
    emit_text(rb, it, 0, it->length, pen);
    flush_run(rb, pen + drawing);
    rb->invisible = 0;
    rb->hscale = 0;
    rb->actual_text = NULL;
  }
  if (s->in_cell || s->family->text_visible) {
    double start = pen + drawing + symbol_text_offset(s, it->size);
    rb->actual_text = s->in_cell ? NULL : s->short_text; /* the same span as the unseen copy */
    double end = emit_text(rb, it, 0, it->length, start);
    flush_run(rb, end);
    rb->actual_text = NULL;
  }
  return pen + it->width;
}

/* A line, not the paragraph's last, that ended at a space or a forced
 * break after a word or symbol (not inside a word). */
static int line_ends_at_space(const paragraph *p, int index) {
  const line *l = &p->lines[index];
  if (index == p->line_count - 1 || l->last < 0 || l->last + 1 >= p->item_count) return 0;
  const item *last = &p->items[l->last];
  if ((last->kind != ITEM_WORD && last->kind != ITEM_SYMBOL) || l->last_offset < last->length) return 0;
  const item *next = &p->items[l->last + 1];
  return next->kind == ITEM_SPACE || next->kind == ITEM_BREAK;
}

void paragraph_emit_line(layout_ctx *ctx, const paragraph *p, int index, double x, double y,
                         display_page *page) {
  const line *l = &p->lines[index];
  double room = p->width - (index == 0 ? p->first_indent : 0);
  double left = x + (index == 0 ? p->first_indent : 0);
  double extra = 0;
  align_kind align = p->style ? p->style->align : ALIGN_LEFT;
  int last_line = index == p->line_count - 1;
  if (align == ALIGN_RIGHT) left += room - l->width;
  else if (align == ALIGN_CENTER) left += (room - l->width) / 2;
  else if (align == ALIGN_JUSTIFY && l->justify && !last_line && l->spaces > 0)
    extra = (room - l->width) / l->spaces;
  extra = linebreak_space_extra(p, l, extra); /* justified lines may be shrunk a little */
  run_builder rb = {.ctx = ctx, .page = page, .y = y};
  double pen = left, span_start = left;
  int span = 0;
  for (int i = l->first; i <= l->last && i < p->item_count; i++) {
    const item *it = &p->items[i];
    if (it->kind == ITEM_BREAK) continue;
    if (it->span != span) {
      flush_run(&rb, pen);
      if (span && footnote_is_marker(ctx, span)) footnote_marker_end(ctx, page, span, span_start, pen, y);
      else if (span) display_push(page, DISPLAY_END_NODE);
      rb.actual_text = NULL;
      if (it->span && footnote_is_marker(ctx, it->span)) {
        footnote_marker_begin(ctx, page, it->span);
        /* read with a word break before it ("innan. 1", not "innan.1") */
        if (i > l->first && p->items[i - 1].kind == ITEM_WORD)
          rb.actual_text = footnote_marker_text(ctx, it->span);
      } else if (it->span) { /* a negative id: the span of a copy (a TOC entry) */
        display_op *op = layout_begin_struct(ctx, page, abs(it->span), it->span < 0 ? PART_COPY : PART_NODE);
        const placed_symbol *s = ctx->symbols ? ctx->symbols[abs(it->span)] : NULL;
        if (op && s) op->u.node.alt = op->u.node.actual_text = s->alt;
      }
      span = it->span;
      span_start = pen;
    }
    int from = i == l->first ? l->first_offset : 0;
    int to = i == l->last ? l->last_offset : it->length;
    if (it->kind == ITEM_SPACE) {
      uint16_t g;
      int fi = fontset_font_for(ctx->fonts, it->face, ' ', &g);
      rb.next_rise = it->rise / 64.0;
      add_glyph(&rb, fi, it->size, it->color, g, ' ', pen);
      pen += it->width + extra;
      continue;
    }
    if (it->kind == ITEM_SYMBOL) {
      pen = emit_symbol(&rb, it, pen);
      continue;
    }
    pen = emit_text(&rb, it, from, to, pen);
  }
  if (l->hyphen && l->last < p->item_count) {
    /* a run of its own, which the structure text leaves out */
    const item *it = &p->items[l->last];
    item hy = *it;
    hy.text = "-";
    hy.length = 1;
    flush_run(&rb, pen);
    rb.inserted_hyphen = 1;
    pen = emit_text(&rb, &hy, 0, 1, pen);
    flush_run(&rb, pen);
    rb.inserted_hyphen = 0;
  } else if (line_ends_at_space(p, index)) {
    /* the space the line broke at, kept so that text read in structure
     * order has a word break there; it ends where the line does (no ink,
     * and never past the measure) */
    const item *it = &p->items[l->last];
    uint16_t g;
    int fi = fontset_font_for(ctx->fonts, it->face, ' ', &g);
    flush_run(&rb, pen);
    rb.actual_text = NULL; /* a footnote marker's ends with its run */
    add_glyph(&rb, fi, it->size, it->color, g, ' ', pen - glyph_width(ctx->fonts, fi, g, it->size));
  }
  flush_run(&rb, pen);
  if (span && footnote_is_marker(ctx, span)) footnote_marker_end(ctx, page, span, span_start, pen, y);
  else if (span) display_push(page, DISPLAY_END_NODE);
}
