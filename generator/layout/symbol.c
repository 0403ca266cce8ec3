/* symbol.c - symbols from the template's families, drawn with paths in a
 * square box centred on the middle of the capitals, so that they sit on
 * the line like a letter whatever the text size. */
#include "layout/symbol.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/i18n.h"
#include "util/suggest.h"

static const double PI = 3.14159265358979323846;
/* height of the box's centre above the baseline, as a share of the text size */
static const double SYMBOL_CENTRE = 0.33;
/* a cell symbol's background reaches this far below and above the baseline */
static const double CELL_BELOW = 0.24, CELL_ABOVE = 0.86, CELL_PAD = 0.35;

/* A name as a message quotes it: its first 60 bytes (whole characters). */
static const char *quoted(arena *a, const char *s) {
  size_t n = strlen(s);
  if (n <= 60) return s;
  n = 60;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  const char *q = arena_printf(a, "%.*s...", (int)n, s);
  return q ? q : "";
}

static void report(layout_ctx *ctx, const node *n, symbol_lookup_status st, const symbol_family *fam) {
  const char *file = ctx->doc->file, *family = quoted(ctx->scratch, n->u.symbol.family),
             *value = quoted(ctx->scratch, n->u.symbol.value);
  const symbol_set *set = &ctx->tpl->symbols;
  const char *tpl = ctx->tpl->name ? ctx->tpl->name : _("the template");
  switch (st) {
    case SYMBOL_OK:
      return;
    case SYMBOL_NO_FAMILY: {
      suggestion sg;
      suggest_begin(&sg, n->u.symbol.family);
      for (int i = 0; i < set->family_count; i++) suggest_offer(&sg, set->families[i].name);
      char hint[300];
      if (suggest_result(&sg))
        snprintf(hint, sizeof hint, _("did you mean family=\"%s\"?"), suggest_result(&sg));
      diag_extra x = {.code = "E0302-unknown-symbol-family", .hint = suggest_result(&sg) ? hint : NULL};
      diag_report_ex(ctx->sink, BILAGA_SEVERITY_ERROR, file, n->line, n->column, &x,
                     _("unknown symbol family \"%s\": template %s has %s"), family, tpl,
                     symbol_allowed(ctx->scratch, set, NULL));
      return;
    }
    case SYMBOL_NO_VALUE: {
      suggestion sg;
      suggest_begin(&sg, n->u.symbol.value);
      for (int i = 0; fam && i < fam->value_count; i++) suggest_offer(&sg, fam->values[i].name);
      char hint[300];
      if (suggest_result(&sg))
        snprintf(hint, sizeof hint, _("did you mean value=\"%s\"?"), suggest_result(&sg));
      diag_extra x = {.code = "E0303-unknown-symbol-value", .hint = suggest_result(&sg) ? hint : NULL};
      diag_report_ex(ctx->sink, BILAGA_SEVERITY_ERROR, file, n->line, n->column, &x,
                     _("unknown value \"%s\" of symbol family \"%s\": allowed are %s"), value, family,
                     symbol_allowed(ctx->scratch, set, fam));
      return;
    }
    case SYMBOL_NOT_A_NUMBER:
    case SYMBOL_OUT_OF_RANGE:
      diag_error(ctx->sink, file, n->line, n->column, _("value \"%s\" of symbol family \"%s\" must be %s"),
                 value, family, symbol_allowed(ctx->scratch, set, fam));
      return;
  }
}

int layout_check_symbols(layout_ctx *ctx) {
  int ok = 1;
  /* document order without recursion: the model may nest deeply */
  const node *n = ctx->doc->body;
  while (n) {
    if (n->kind == NODE_SYMBOL) {
      const symbol_family *fam;
      const symbol_value *val;
      double number;
      symbol_lookup_status st =
          symbol_lookup(&ctx->tpl->symbols, n->u.symbol.family, n->u.symbol.value, &fam, &val, &number);
      if (st != SYMBOL_OK) {
        report(ctx, n, st, fam);
        ok = 0;
      }
    }
    if (n->first) {
      n = n->first;
      continue;
    }
    while (n && !n->next) n = n->parent;
    if (n) n = n->next;
  }
  return ok;
}

const placed_symbol *layout_symbol(layout_ctx *ctx, const node *n) {
  if (!ctx->symbols) {
    ctx->symbols = arena_alloc(ctx->pass, sizeof *ctx->symbols * (size_t)(ctx->doc->node_count + 1));
    if (!ctx->symbols) return NULL;
  }
  if (n->id < 0 || n->id > ctx->doc->node_count) return NULL;
  if (ctx->symbols[n->id]) return ctx->symbols[n->id];
  placed_symbol *s = arena_alloc(ctx->pass, sizeof *s);
  if (!s) return NULL;
  if (symbol_lookup(&ctx->tpl->symbols, n->u.symbol.family, n->u.symbol.value, &s->family, &s->value,
                    &s->number) != SYMBOL_OK)
    return NULL; /* layout_check_symbols reported it */
  /* a risk matrix may name another level than the range holding the value */
  for (int i = 0; n->u.symbol.level && i < s->family->value_count; i++)
    if (s->family->values[i].name && strcmp(s->family->values[i].name, n->u.symbol.level) == 0)
      s->value = &s->family->values[i];
  s->short_text = symbol_expand(ctx->pass, s->value->short_text, s->number, ctx->tpl->decimal_separator);
  s->alt = s->short_text ? symbol_alt(ctx->pass, s->family, s->short_text) : NULL;
  if (!s->alt) return NULL;
  for (int i = 0; i < s->value->part_count; i++) s->in_cell |= s->value->parts[i].shape == SHAPE_CELL;
  const node *p = n->parent;
  s->fills_cell = s->in_cell && p && p->kind == NODE_PARAGRAPH && p->first == n && !n->next && p->parent &&
                  p->parent->kind == NODE_CELL && p->parent->first == p && !p->next;
  ctx->symbols[n->id] = s;
  return s;
}

double symbol_width(layout_ctx *ctx, const placed_symbol *s, int face, double size) {
  if (s->in_cell)
    return layout_measure(ctx, face, size, s->short_text, (int)strlen(s->short_text)) + 2 * CELL_PAD * size;
  double w = (s->family->size + 2 * SYMBOL_MARGIN) * size;
  if (s->family->text_visible)
    w += SYMBOL_TEXT_GAP * size + layout_measure(ctx, face, size, s->short_text, (int)strlen(s->short_text));
  return w;
}

double symbol_drawing_width(const placed_symbol *s, double size) {
  return s->in_cell ? 0 : (s->family->size + 2 * SYMBOL_MARGIN) * size;
}

/* ---- drawing ---- */

typedef struct box {
  layout_ctx *ctx;
  display_page *page;
  double x, y, s; /* bottom left and side of the symbol's square */
} box;

static void begin(const box *b, path_builder *pb) {
  path_begin(pb, b->ctx->scratch);
}
static void move_to(const box *b, path_builder *pb, double u, double v) {
  path_move(pb, b->x + u * b->s, b->y + v * b->s);
}
static void line_to(const box *b, path_builder *pb, double u, double v) {
  path_line(pb, b->x + u * b->s, b->y + v * b->s);
}

static void paint(const box *b, path_builder *pb, unsigned how, const symbol_part *p, double width) {
  if (!display_push_path(b->page, DISPLAY_PATH, pb, how, p->fill, p->stroke, width)) b->ctx->failed = 1;
}

static void polygon(const box *b, const symbol_part *p, const double *uv, int n, double inset) {
  path_builder pb;
  begin(b, &pb);
  for (int i = 0; i < n; i++) {
    double u = 0.5 + (uv[2 * i] - 0.5) * (1 - inset), v = 0.5 + (uv[2 * i + 1] - 0.5) * (1 - inset);
    if (i == 0)
      move_to(b, &pb, u, v);
    else
      line_to(b, &pb, u, v);
  }
  path_close(&pb);
  paint(b, &pb, p->paint, p, p->stroke_width * b->s);
}

static void stroke_line(const box *b, const symbol_part *p, const double *uv, int n, double width) {
  path_builder pb;
  begin(b, &pb);
  for (int i = 0; i < n; i++) {
    if (i == 0)
      move_to(b, &pb, uv[0], uv[1]);
    else
      line_to(b, &pb, uv[2 * i], uv[2 * i + 1]);
  }
  symbol_part as_line = *p;
  as_line.fill = p->stroke;
  paint(b, &pb, PAINT_STROKE, &as_line, width * b->s);
}

static void circle(const box *b, const symbol_part *p, unsigned how, double r) {
  path_builder pb;
  begin(b, &pb);
  path_circle(&pb, b->x + b->s / 2, b->y + b->s / 2, r * b->s);
  paint(b, &pb, how, p, p->stroke_width * b->s);
}

static void draw_pie(const box *b, const symbol_part *p, double percent) {
  double lw = p->paint & SYMBOL_STROKE ? p->stroke_width : 0;
  double r = 0.5 - lw / 2;
  if (percent >= 100) {
    circle(b, p, PAINT_FILL, r);
  } else if (percent > 0) {
    path_builder pb;
    begin(b, &pb);
    double cx = b->x + b->s / 2, cy = b->y + b->s / 2;
    path_move(&pb, cx, cy);
    /* clockwise from 12 o'clock: the arc runs counter-clockwise back to it */
    path_arc(&pb, cx, cy, r * b->s, PI / 2 - 2 * PI * percent / 100, PI / 2);
    path_close(&pb);
    paint(b, &pb, PAINT_FILL, p, 0);
  }
  if (p->paint & SYMBOL_STROKE) circle(b, p, PAINT_STROKE, r);
}

static void draw_arrow(const box *b, const symbol_part *p, double degrees) {
  double a = degrees * PI / 180, dx = cos(a), dy = sin(a);
  /* as long as the box allows in this direction (a diagonal is longer) */
  double reach = fabs(dx) > fabs(dy) ? fabs(dx) : fabs(dy);
  double half = 0.48 / reach > 0.62 ? 0.62 : 0.48 / reach, head = 0.42, lw = p->stroke_width;
  double tx = 0.5 + dx * half, ty = 0.5 + dy * half; /* the tip */
  double bx = tx - dx * head, by = ty - dy * head;   /* the head's base */
  double shaft[] = {0.5 - dx * half, 0.5 - dy * half, tx - dx * head * 0.5, ty - dy * head * 0.5};
  stroke_line(b, p, shaft, 2, lw);
  symbol_part h = *p;
  h.fill = p->stroke;
  double tri[] = {
      tx, ty, bx - dy * head * 0.55, by + dx * head * 0.55, bx + dy * head * 0.55, by - dx * head * 0.55};
  path_builder pb;
  begin(b, &pb);
  move_to(b, &pb, tri[0], tri[1]);
  line_to(b, &pb, tri[2], tri[3]);
  line_to(b, &pb, tri[4], tri[5]);
  path_close(&pb);
  paint(b, &pb, PAINT_FILL, &h, 0);
}

static void draw_part(const box *b, const placed_symbol *s, const symbol_part *p) {
  double lw = p->paint & SYMBOL_STROKE ? p->stroke_width : 0;
  switch (p->shape) {
    case SHAPE_CIRCLE:
      circle(b, p, p->paint, 0.5 - lw / 2);
      break;
    case SHAPE_SQUARE: {
      double sq[] = {0.06, 0.06, 0.94, 0.06, 0.94, 0.94, 0.06, 0.94};
      polygon(b, p, sq, 4, lw);
      break;
    }
    case SHAPE_DIAMOND: {
      double d[] = {0.5, 0, 1, 0.5, 0.5, 1, 0, 0.5};
      polygon(b, p, d, 4, lw);
      break;
    }
    case SHAPE_TRIANGLE:
    case SHAPE_WARNING: {
      double t[] = {0.5, 0.97, 1, 0.07, 0, 0.07};
      polygon(b, p, t, 3, lw * 1.6);
      if (p->shape == SHAPE_WARNING) {
        double bar[] = {0.5, 0.68, 0.5, 0.38};
        stroke_line(b, p, bar, 2, 0.12);
        symbol_part dot = *p;
        dot.fill = p->stroke;
        path_builder pb;
        begin(b, &pb);
        path_circle(&pb, b->x + 0.5 * b->s, b->y + 0.22 * b->s, 0.07 * b->s);
        paint(b, &pb, PAINT_FILL, &dot, 0);
      }
      break;
    }
    case SHAPE_PIE:
      draw_pie(b, p, p->param_from_value ? s->number : p->param);
      break;
    case SHAPE_ARROW:
      draw_arrow(b, p, p->param);
      break;
    case SHAPE_CHECK: {
      double c[] = {0.08, 0.5, 0.38, 0.16, 0.94, 0.86};
      stroke_line(b, p, c, 3, p->stroke_width);
      break;
    }
    case SHAPE_CROSS: {
      double c1[] = {0.15, 0.15, 0.85, 0.85}, c2[] = {0.15, 0.85, 0.85, 0.15};
      stroke_line(b, p, c1, 2, p->stroke_width);
      stroke_line(b, p, c2, 2, p->stroke_width);
      break;
    }
    case SHAPE_DASH: {
      double d[] = {0.12, 0.5, 0.88, 0.5};
      stroke_line(b, p, d, 2, p->stroke_width > 0.1 ? p->stroke_width : 0.16);
      break;
    }
    case SHAPE_CLOCK: {
      circle(b, p, p->paint | PAINT_STROKE, 0.5 - p->stroke_width / 2);
      double hands[] = {0.5, 0.8, 0.5, 0.5, 0.72, 0.5};
      stroke_line(b, p, hands, 3, p->stroke_width);
      break;
    }
    case SHAPE_CELL:
      break; /* drawn by symbol_draw, behind the text */
    case SHAPE_COUNT:
      break;
  }
}

void symbol_draw(layout_ctx *ctx, display_page *page, const placed_symbol *s, double x, double y, double size,
                 double width) {
  if (s->fills_cell) return; /* the table tints the cell */
  if (s->in_cell) {
    for (int i = 0; i < s->value->part_count; i++) {
      const symbol_part *p = &s->value->parts[i];
      if (p->shape != SHAPE_CELL) continue;
      path_builder pb;
      path_begin(&pb, ctx->scratch);
      path_rect(&pb, x, y - CELL_BELOW * size, width, (CELL_BELOW + CELL_ABOVE) * size);
      if (!display_push_path(page, DISPLAY_PATH, &pb, p->paint, p->fill, p->stroke, p->stroke_width * size))
        ctx->failed = 1;
    }
    return;
  }
  double side = s->family->size * size;
  box b = {ctx, page, x + SYMBOL_MARGIN * size, y + SYMBOL_CENTRE * size - side / 2, side};
  for (int i = 0; i < s->value->part_count; i++) draw_part(&b, s, &s->value->parts[i]);
}

double symbol_text_offset(const placed_symbol *s, double size) {
  return s->in_cell ? CELL_PAD * size : s->family->text_visible ? SYMBOL_TEXT_GAP * size : 0;
}
