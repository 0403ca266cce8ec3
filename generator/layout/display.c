/* display.c - growing and dumping page display lists. */
#include "layout/display.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "util/utf8.h"

display_op *display_push(display_page *page, display_kind kind) {
  if (page->count == page->capacity) {
    size_t cap = page->capacity ? page->capacity * 2 : 256;
    display_op *ops = realloc(page->ops, cap * sizeof *ops);
    if (!ops) return NULL;
    page->ops = ops;
    page->capacity = cap;
  }
  display_op *op = &page->ops[page->count++];
  memset(op, 0, sizeof *op);
  op->kind = kind;
  return op;
}

void display_page_clear(display_page *page) {
  free(page->ops);
  page->ops = NULL;
  page->count = page->capacity = 0;
}

/* not M_PI: it is X/Open, not C11 */
static const double PI = 3.14159265358979323846;

void path_begin(path_builder *b, arena *a) {
  memset(b, 0, sizeof *b);
  b->arena = a;
}

static void add(path_builder *b, path_verb verb, int npoints, const double *xy) {
  if (b->failed) return;
  uint8_t *v = grow_arena(b->arena, b->verbs, b->verb_count, &b->verb_capacity, b->verb_count + 1,
                          sizeof *v, 16);
  double *p = grow_arena(b->arena, b->points, b->point_count * 2, &b->point_capacity,
                         (b->point_count + npoints) * 2, sizeof *p, 32);
  if (!v || !p) {
    b->failed = 1;
    return;
  }
  b->verbs = v, b->points = p;
  b->verbs[b->verb_count++] = (uint8_t)verb;
  if (npoints) memcpy(b->points + b->point_count * 2, xy, sizeof *xy * (size_t)npoints * 2);
  b->point_count += npoints;
}

void path_move(path_builder *b, double x, double y) { add(b, PATH_MOVE, 1, (double[]){x, y}); }
void path_line(path_builder *b, double x, double y) { add(b, PATH_LINE, 1, (double[]){x, y}); }
void path_curve(path_builder *b, double x1, double y1, double x2, double y2, double x3, double y3) {
  add(b, PATH_CURVE, 3, (double[]){x1, y1, x2, y2, x3, y3});
}
void path_close(path_builder *b) { add(b, PATH_CLOSE, 0, NULL); }

void path_rect(path_builder *b, double x, double y, double w, double h) {
  path_move(b, x, y);
  path_line(b, x + w, y);
  path_line(b, x + w, y + h);
  path_line(b, x, y + h);
  path_close(b);
}

/* The curves of an arc from the point at a0 (already current). */
static void arc_curves(path_builder *b, double cx, double cy, double r, double a0, double a1) {
  int segments = (int)ceil(fabs(a1 - a0) / (PI / 2) - 1e-9);
  if (segments < 1) segments = 1;
  double step = (a1 - a0) / segments;
  /* control-point distance for a circular arc of `step` radians */
  double k = 4.0 / 3.0 * tan(step / 4) * r;
  double x = cx + r * cos(a0), y = cy + r * sin(a0);
  for (int i = 0; i < segments; i++) {
    double s0 = a0 + step * i, s1 = s0 + step;
    double x1 = cx + r * cos(s1), y1 = cy + r * sin(s1);
    path_curve(b, x - k * sin(s0), y + k * cos(s0), x1 + k * sin(s1), y1 - k * cos(s1), x1, y1);
    x = x1, y = y1;
  }
}

void path_arc(path_builder *b, double cx, double cy, double r, double a0, double a1) {
  double x = cx + r * cos(a0), y = cy + r * sin(a0);
  int open = b->verb_count > 0 && b->verbs[b->verb_count - 1] != PATH_CLOSE;
  if (open) path_line(b, x, y);
  else path_move(b, x, y);
  arc_curves(b, cx, cy, r, a0, a1);
}

void path_circle(path_builder *b, double cx, double cy, double r) {
  /* four quarter arcs, as arc_curves draws them, without trigonometry:
   * every disc and ring of a symbol-heavy table comes here */
  double k = 4.0 / 3.0 * tan(PI / 8) * r;
  path_move(b, cx + r, cy);
  path_curve(b, cx + r, cy + k, cx + k, cy + r, cx, cy + r);
  path_curve(b, cx - k, cy + r, cx - r, cy + k, cx - r, cy);
  path_curve(b, cx - r, cy - k, cx - k, cy - r, cx, cy - r);
  path_curve(b, cx + k, cy - r, cx + r, cy - k, cx + r, cy);
  path_close(b);
}

display_op *display_push_path(display_page *page, display_kind kind, const path_builder *b, unsigned paint,
                              rgb fill, rgb stroke, double stroke_width) {
  if (b->failed || b->verb_count == 0) return NULL;
  display_op *op = display_push(page, kind);
  if (!op) return NULL;
  op->u.path = (display_path){b->verb_count, b->verbs, b->points, paint, fill, stroke, stroke_width};
  return op;
}

void display_page_dump(const display_page *page, void *file) {
  FILE *f = file;
  fprintf(f, "page %d %.2f x %.2f\n", page->number, page->width, page->height);
  for (size_t i = 0; i < page->count; i++) {
    const display_op *op = &page->ops[i];
    switch (op->kind) {
      case DISPLAY_GLYPHS: {
        fprintf(f, "  text font=%d size=%.2f at %.2f,%.2f \"", op->u.glyphs.font, op->u.glyphs.size,
                op->x, op->y);
        for (int k = 0; k < op->u.glyphs.text_length; k++) {
          char buf[4];
          int n = utf8_encode(op->u.glyphs.text[k], buf);
          fwrite(buf, 1, (size_t)n, f);
        }
        fprintf(f, "\" width=%.2f\n", op->w);
        break;
      }
      case DISPLAY_RECT: fprintf(f, "  rect %.2f,%.2f %.2fx%.2f\n", op->x, op->y, op->w, op->h); break;
      case DISPLAY_LINE: fprintf(f, "  line %.2f,%.2f d %.2f,%.2f\n", op->x, op->y, op->w, op->h); break;
      case DISPLAY_LINK: fprintf(f, "  link -> %d\n", op->u.anchor); break;
      case DISPLAY_ANCHOR: fprintf(f, "  anchor %d at %.2f\n", op->u.anchor, op->y); break;
      case DISPLAY_BEGIN_NODE:
        fprintf(f, "  begin %d part %d role %d\n", op->u.node.node_id, op->u.node.part, op->u.node.role);
        break;
      case DISPLAY_END_NODE: fprintf(f, "  end\n"); break;
      case DISPLAY_BEGIN_ARTIFACT: fprintf(f, "  artifact\n"); break;
      case DISPLAY_END_ARTIFACT: fprintf(f, "  end artifact\n"); break;
      case DISPLAY_PATH:
      case DISPLAY_BEGIN_CLIP:
        fprintf(f, "  %s verbs=%d paint=%u\n", op->kind == DISPLAY_PATH ? "path" : "clip", op->u.path.verb_count,
                op->u.path.paint);
        break;
      case DISPLAY_END_CLIP: fprintf(f, "  end clip\n"); break;
    }
  }
}
