/* png_writer.c - display lists to PNG through cairo. Page space is PDF's
 * (points, origin bottom left); one matrix flips it into pixels. Glyph
 * outlines are cached per writer (font, glyph id) in font units, so a
 * render shares no font state with any other: no cairo font cache, one
 * FreeType library per writer. */
#include "png/png_writer.h"

#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/font.h"
#include "util/i18n.h"

typedef struct outline {
  uint32_t key; /* font << 16 | glyph, + 1 so 0 marks an empty slot */
  cairo_path_t *path;
} outline;

struct png_writer {
  const fontset *fonts;
  double dpi;
  diag_sink *sink;
  const char *file;
  FT_Library ft;
  FT_Face *faces; /* per font of the fontset, opened when first drawn */
  int face_count;
  outline *outlines; /* open addressing, power-of-two capacity */
  size_t outline_count, outline_capacity;
  cairo_surface_t *scratch_surface; /* outlines are built on it */
  cairo_t *scratch;
};

png_writer *png_writer_new(const fontset *fonts, double dpi, diag_sink *sink, const char *file) {
  png_writer *w = calloc(1, sizeof *w);
  if (!w) {
    diag_error(sink, file, 0, 0, _("out of memory setting up the PNG pages"));
    return NULL;
  }
  w->fonts = fonts;
  w->dpi = dpi;
  w->sink = sink;
  w->file = file;
  w->scratch_surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
  w->scratch = cairo_create(w->scratch_surface);
  if (FT_Init_FreeType(&w->ft) != 0) w->ft = NULL;
  if (!w->ft || cairo_status(w->scratch) != CAIRO_STATUS_SUCCESS) {
    diag_error(sink, file, 0, 0, _("cannot set up cairo and FreeType for the PNG pages"));
    png_writer_free(w);
    return NULL;
  }
  return w;
}

void png_writer_free(png_writer *w) {
  if (!w) return;
  for (size_t i = 0; i < w->outline_capacity; i++)
    if (w->outlines[i].key) cairo_path_destroy(w->outlines[i].path);
  free(w->outlines);
  for (int i = 0; i < w->face_count; i++)
    if (w->faces[i]) FT_Done_Face(w->faces[i]);
  free(w->faces);
  if (w->ft) FT_Done_FreeType(w->ft);
  if (w->scratch) cairo_destroy(w->scratch);
  if (w->scratch_surface) cairo_surface_destroy(w->scratch_surface);
  free(w);
}

static FT_Face face_of(png_writer *w, int font_index) {
  if (font_index < 0 || font_index >= w->fonts->font_count) return NULL;
  if (font_index >= w->face_count) {
    int n = w->fonts->font_count;
    FT_Face *faces = realloc(w->faces, sizeof *faces * (size_t)n);
    if (!faces) return NULL;
    memset(faces + w->face_count, 0, sizeof *faces * (size_t)(n - w->face_count));
    w->faces = faces;
    w->face_count = n;
  }
  if (!w->faces[font_index]) {
    size_t len;
    const unsigned char *data = font_data(w->fonts->fonts[font_index], &len);
    FT_Face face;
    if (FT_New_Memory_Face(w->ft, data, (FT_Long)len, 0, &face) == 0) w->faces[font_index] = face;
  }
  return w->faces[font_index];
}

/* FreeType's outline walk, into the scratch context's path. */
typedef struct walk {
  cairo_t *cr;
  double x, y; /* current point, for conics */
} walk;

static int walk_move(const FT_Vector *to, void *user) {
  walk *k = user;
  cairo_close_path(k->cr);
  cairo_move_to(k->cr, k->x = to->x, k->y = to->y);
  return 0;
}

static int walk_line(const FT_Vector *to, void *user) {
  walk *k = user;
  cairo_line_to(k->cr, k->x = to->x, k->y = to->y);
  return 0;
}

static int walk_conic(const FT_Vector *c, const FT_Vector *to, void *user) {
  walk *k = user; /* a quadratic as the cubic that equals it */
  double x1 = k->x + 2.0 / 3.0 * (c->x - k->x), y1 = k->y + 2.0 / 3.0 * (c->y - k->y);
  double x2 = to->x + 2.0 / 3.0 * (c->x - to->x), y2 = to->y + 2.0 / 3.0 * (c->y - to->y);
  cairo_curve_to(k->cr, x1, y1, x2, y2, k->x = to->x, k->y = to->y);
  return 0;
}

static int walk_cubic(const FT_Vector *c1, const FT_Vector *c2, const FT_Vector *to, void *user) {
  walk *k = user;
  cairo_curve_to(k->cr, c1->x, c1->y, c2->x, c2->y, k->x = to->x, k->y = to->y);
  return 0;
}

/* A glyph's outline in font units (y up), or an empty path. */
static cairo_path_t *glyph_outline(png_writer *w, int font_index, uint16_t glyph) {
  FT_Face face = face_of(w, font_index);
  cairo_new_path(w->scratch);
  if (face && FT_Load_Glyph(face, glyph, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) == 0 &&
      face->glyph->format == FT_GLYPH_FORMAT_OUTLINE) {
    static const FT_Outline_Funcs funcs = {.move_to = walk_move, .line_to = walk_line, .conic_to = walk_conic,
                                           .cubic_to = walk_cubic};
    walk k = {w->scratch, 0, 0};
    FT_Outline_Decompose(&face->glyph->outline, &funcs, &k);
    cairo_close_path(w->scratch);
  }
  return cairo_copy_path(w->scratch);
}

static const cairo_path_t *cached_outline(png_writer *w, int font_index, uint16_t glyph) {
  uint32_t key = ((uint32_t)font_index << 16 | glyph) + 1;
  if (w->outline_count * 2 >= w->outline_capacity) {
    size_t cap = w->outline_capacity ? w->outline_capacity * 2 : 1024;
    outline *grown = calloc(cap, sizeof *grown);
    if (!grown) return NULL;
    for (size_t i = 0; i < w->outline_capacity; i++) {
      if (!w->outlines[i].key) continue;
      size_t j = (w->outlines[i].key * 2654435761u) & (cap - 1);
      while (grown[j].key) j = (j + 1) & (cap - 1);
      grown[j] = w->outlines[i];
    }
    free(w->outlines);
    w->outlines = grown;
    w->outline_capacity = cap;
  }
  size_t j = (key * 2654435761u) & (w->outline_capacity - 1);
  while (w->outlines[j].key && w->outlines[j].key != key) j = (j + 1) & (w->outline_capacity - 1);
  if (!w->outlines[j].key) {
    cairo_path_t *p = glyph_outline(w, font_index, glyph);
    if (!p || p->status != CAIRO_STATUS_SUCCESS) {
      if (p) cairo_path_destroy(p);
      return NULL;
    }
    w->outlines[j] = (outline){key, p};
    w->outline_count++;
  }
  return w->outlines[j].path;
}

static void draw_glyphs(png_writer *w, cairo_t *cr, const display_op *op) {
  const display_glyphs *g = &op->u.glyphs;
  if (g->invisible || g->count == 0 || g->font < 0 || g->font >= w->fonts->font_count) return;
  double upm = font_get_metrics(w->fonts->fonts[g->font])->units_per_em;
  double hscale = g->hscale > 0 ? g->hscale : 1;
  double sx = g->size / upm * hscale, sy = g->size / upm;
  cairo_new_path(cr);
  for (int k = 0; k < g->count; k++) {
    const cairo_path_t *p = cached_outline(w, g->font, g->glyphs[k]);
    if (!p || p->num_data == 0) continue;
    /* glyph origins on the pixel grid, as font rasterizers place them
     * (poppler too, whose raster the tests compare with): the baseline on
     * the whole pixel above, x on a quarter pixel */
    double gx = op->x + g->x[k], gy = op->y;
    cairo_user_to_device(cr, &gx, &gy);
    gx = round(gx * 4) / 4;
    gy = floor(gy);
    cairo_device_to_user(cr, &gx, &gy);
    cairo_save(cr);
    cairo_translate(cr, gx, gy);
    cairo_scale(cr, sx, sy);
    cairo_append_path(cr, p);
    cairo_restore(cr); /* the path stays, in device space */
  }
  cairo_set_source_rgb(cr, g->color.r, g->color.g, g->color.b);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING); /* TrueType's rule */
  cairo_fill(cr);
}

static void outline_path(cairo_t *cr, const display_path *path) {
  static const int points[] = {[PATH_MOVE] = 1, [PATH_LINE] = 1, [PATH_CURVE] = 3, [PATH_CLOSE] = 0};
  const double *p = path->points;
  cairo_new_path(cr);
  for (int i = 0; i < path->verb_count; i++) {
    switch ((path_verb)path->verbs[i]) {
      case PATH_MOVE: cairo_move_to(cr, p[0], p[1]); break;
      case PATH_LINE: cairo_line_to(cr, p[0], p[1]); break;
      case PATH_CURVE: cairo_curve_to(cr, p[0], p[1], p[2], p[3], p[4], p[5]); break;
      case PATH_CLOSE: cairo_close_path(cr); break;
    }
    p += points[path->verbs[i]] * 2;
  }
}

static void draw_path(cairo_t *cr, const display_path *path) {
  outline_path(cr, path);
  cairo_set_fill_rule(cr, path->paint & PAINT_EVEN_ODD ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING);
  if (path->paint & PAINT_FILL) {
    cairo_set_source_rgb(cr, path->fill.r, path->fill.g, path->fill.b);
    cairo_fill_preserve(cr);
  }
  if (path->paint & PAINT_STROKE) {
    cairo_set_source_rgb(cr, path->stroke.r, path->stroke.g, path->stroke.b);
    cairo_set_line_width(cr, path->stroke_width);
    cairo_stroke_preserve(cr);
  }
  cairo_new_path(cr);
}

typedef struct png_buffer {
  unsigned char *data;
  size_t length, capacity;
  int failed;
} png_buffer;

static cairo_status_t png_append(void *closure, const unsigned char *data, unsigned int length) {
  png_buffer *b = closure;
  if (b->length + length > b->capacity) {
    size_t cap = b->capacity ? b->capacity : 65536;
    while (cap < b->length + length) cap *= 2;
    unsigned char *grown = realloc(b->data, cap);
    if (!grown) {
      b->failed = 1;
      return CAIRO_STATUS_WRITE_ERROR;
    }
    b->data = grown;
    b->capacity = cap;
  }
  memcpy(b->data + b->length, data, length);
  b->length += length;
  return CAIRO_STATUS_SUCCESS;
}

bilaga_status png_writer_page(png_writer *w, const display_page *page, unsigned char **bytes, size_t *length) {
  *bytes = NULL;
  *length = 0;
  double scale = w->dpi / 72.0;
  double pw = ceil(page->width * scale - 1e-6), ph = ceil(page->height * scale - 1e-6);
  if (pw < 1 || ph < 1 || pw > 32767 || ph > 32767 || pw * ph > PNG_MAX_PIXELS) {
    diag_error(
        w->sink, w->file, 0, 0,
        _("page %d at %g dpi would be %.0f x %.0f pixels; a page image has at most 32767 on a side and "
          "%d million in all: choose a lower resolution"),
        page->number, w->dpi, pw, ph, PNG_MAX_PIXELS / 1000000);
    return BILAGA_ERROR_USAGE;
  }
  cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)pw, (int)ph);
  cairo_t *cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  /* page space: points, y up */
  cairo_scale(cr, scale, -scale);
  cairo_translate(cr, 0, -page->height);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT); /* PDF's defaults */
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
  int clips = 0;
  for (size_t i = 0; i < page->count; i++) {
    const display_op *op = &page->ops[i];
    switch (op->kind) {
      case DISPLAY_GLYPHS: draw_glyphs(w, cr, op); break;
      case DISPLAY_RECT:
        cairo_rectangle(cr, op->x, op->y, op->w, op->h);
        cairo_set_source_rgb(cr, op->u.fill.r, op->u.fill.g, op->u.fill.b);
        cairo_fill(cr);
        break;
      case DISPLAY_LINE:
        cairo_move_to(cr, op->x, op->y);
        cairo_line_to(cr, op->x + op->w, op->y + op->h);
        cairo_set_source_rgb(cr, op->u.line.color.r, op->u.line.color.g, op->u.line.color.b);
        cairo_set_line_width(cr, op->u.line.width);
        cairo_stroke(cr);
        break;
      case DISPLAY_PATH: draw_path(cr, &op->u.path); break;
      case DISPLAY_BEGIN_CLIP:
        cairo_save(cr);
        clips++;
        outline_path(cr, &op->u.path);
        cairo_clip(cr);
        break;
      case DISPLAY_END_CLIP:
        if (clips > 0) {
          cairo_restore(cr);
          clips--;
        }
        break;
      /* structure, links and anchors draw nothing */
      case DISPLAY_LINK:
      case DISPLAY_ANCHOR:
      case DISPLAY_BEGIN_NODE:
      case DISPLAY_END_NODE:
      case DISPLAY_BEGIN_ARTIFACT:
      case DISPLAY_END_ARTIFACT: break;
    }
  }
  for (; clips > 0; clips--) cairo_restore(cr);
  cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_flush(surface);
  png_buffer b = {0};
  if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_write_to_png_stream(surface, png_append, &b);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS || b.failed) {
    free(b.data);
    diag_error(w->sink, w->file, 0, 0, _("cannot draw page %d as PNG: %s"), page->number,
               b.failed ? _("out of memory") : cairo_status_to_string(status));
    return BILAGA_ERROR_IO;
  }
  *bytes = b.data;
  *length = b.length;
  return BILAGA_OK;
}
