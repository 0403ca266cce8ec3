/* pdf_writer.c - display lists to PDF through libharu: graphics through
 * its drawing API, text as raw TJ operators over our own CID fonts (its
 * TrueType path cannot express glyph positions or a valid ToUnicode map),
 * links and bookmarks once every page exists. */
#include "pdf/pdf_writer.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pdf/pdf_font.h"
#include "pdf/pdf_internal.h"
#include "util/grow.h"
#include "util/i18n.h"
#include "util/num.h"
#include "util/utf8.h"

typedef struct link_request {
  int page;
  double x, y, w, h;
  int target;
  char *text; /* /Contents, or NULL */
} link_request;

typedef struct anchor_pos {
  int page; /* from 1; 0: not placed */
  double x, y;
} anchor_pos;

static void error_handler(HPDF_STATUS error, HPDF_STATUS detail, void *user) {
  pdf_writer *w = user;
  if (!w->error) {
    w->error = error;
    w->error_detail = detail;
  }
}

pdf_writer *pdf_writer_new(const fontset *fonts, const pdf_document_info *info, const pdf_options *options,
                           diag_sink *sink) {
  pdf_writer *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->fonts = fonts;
  w->info = *info;
  w->options = *options;
  w->sink = sink;
  w->pdf = HPDF_New(error_handler, w);
  if (!w->pdf) {
    diag_error(sink, info->file, 0, 0, _("out of memory starting the PDF"));
    pdf_writer_free(w);
    return NULL;
  }
  HPDF_SetCompressionMode(w->pdf, HPDF_COMP_ALL);
  /* pages in nodes of 1024 under the root: no /Kids array near PDF/A's 8,191 */
  HPDF_SetPagesConfiguration(w->pdf, 1024);
  if (!pdf_structure_begin(w)) {
    pdf_writer_free(w);
    return NULL;
  }
  return w;
}

void pdf_writer_free(pdf_writer *w) {
  if (!w) return;
  for (int k = 0; k < w->font_order_count; k++) pdf_font_free(w->pdf_fonts[w->font_order[k]]);
  free(w->pdf_fonts);
  free(w->font_order);
  pdf_structure_free(w);
  if (w->pdf) HPDF_Free(w->pdf);
  free(w->pages);
  for (int i = 0; i < w->link_count; i++) free(w->links[i].text);
  free(w->links);
  free(w->anchors);
  free(w->buf);
  if (w->zstream_ready) deflateEnd(&w->zstream);
  free(w->zin);
  free(w->zout);
  free(w);
}

/* ---- raw content ---- */

void pdf_buf_puts(pdf_writer *w, const char *s) { pdf_buf_write(w, s, strlen(s)); }

void pdf_buf_write(pdf_writer *w, const char *s, size_t n) {
  if (w->buf_len + n + 1 > w->buf_cap) {
    size_t cap = w->buf_cap ? w->buf_cap * 2 : 8192;
    while (cap < w->buf_len + n + 1) cap *= 2;
    char *b = realloc(w->buf, cap);
    if (!b) {
      w->error = HPDF_FAILD_TO_ALLOC_MEM;
      return;
    }
    w->buf = b;
    w->buf_cap = cap;
  }
  memcpy(w->buf + w->buf_len, s, n);
  w->buf_len += n;
}

void pdf_buf_real(pdf_writer *w, double v) {
  char tmp[40];
  int n = format_real(tmp, sizeof tmp, v, 3);
  pdf_buf_write(w, tmp, (size_t)n);
  pdf_buf_write(w, " ", 1);
}

void pdf_buf_flush(pdf_writer *w) {
  if (!w->buf_len || !w->page) return;
  HPDF_PageAttr attr = (HPDF_PageAttr)w->page->attr;
  HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)w->buf, (HPDF_UINT)w->buf_len);
  w->buf_len = 0;
}

static pdf_font *font_for(pdf_writer *w, int index, const char **resource) {
  if (index < 0 || index >= w->fonts->font_count) return NULL;
  if (index >= w->pdf_font_capacity) { /* layout may load fonts between pages */
    int old = w->pdf_font_capacity;
    pdf_font **fonts = grow_heap(w->pdf_fonts, &w->pdf_font_capacity, index + 1, sizeof *fonts, 8);
    if (!fonts) return NULL;
    memset(fonts + old, 0, sizeof *fonts * (size_t)(w->pdf_font_capacity - old));
    w->pdf_fonts = fonts;
  }
  if (!w->pdf_fonts[index]) {
    int *order = grow_heap(w->font_order, &w->font_order_capacity, w->font_order_count + 1, sizeof *order, 8);
    if (!order) return NULL;
    w->font_order = order;
    w->pdf_fonts[index] = pdf_font_new(w->pdf, w->fonts->fonts[index]);
    if (!w->pdf_fonts[index]) return NULL;
    w->font_order[w->font_order_count++] = index;
  }
  *resource = HPDF_Page_GetLocalFontName(w->page, (HPDF_Font)pdf_font_dict(w->pdf_fonts[index]));
  return w->pdf_fonts[index];
}

/* A marked-content span whose /ActualText (UTF-16BE) extraction reads
 * instead of the glyphs inside: squeezed text keeps every letter.
 * Consecutive runs with the same actual_text share one span. */
static void begin_actual_text(pdf_writer *w, const char *utf8) {
  static const char hex[] = "0123456789ABCDEF";
  pdf_buf_puts(w, "/Span <</ActualText <FEFF");
  size_t length = strlen(utf8);
  for (size_t i = 0; i < length;) {
    int n;
    uint32_t cp = utf8_decode(utf8 + i, length - i, &n);
    i += (size_t)(n > 0 ? n : 1);
    uint16_t units[2] = {(uint16_t)cp, 0};
    int count = 1;
    if (cp > 0xFFFF) {
      cp -= 0x10000;
      units[0] = (uint16_t)(0xD800 + (cp >> 10)), units[1] = (uint16_t)(0xDC00 + (cp & 0x3FF)), count = 2;
    }
    for (int k = 0; k < count; k++) {
      char h[4] = {hex[units[k] >> 12], hex[(units[k] >> 8) & 15], hex[(units[k] >> 4) & 15], hex[units[k] & 15]};
      pdf_buf_write(w, h, 4);
    }
  }
  pdf_buf_puts(w, ">>> BDC\n");
}

static void draw_glyphs(pdf_writer *w, const display_op *op) {
  const display_glyphs *g = &op->u.glyphs;
  const char *res = NULL;
  pdf_font *pf = font_for(w, g->font, &res);
  if (!pf || !res || g->count == 0) return;
  const font *f = w->fonts->fonts[g->font];
  double upm = font_get_metrics(f)->units_per_em;
  double hscale = g->hscale > 0 ? g->hscale : 1;
  /* render mode and scaling are graphics state: q/Q keeps them here */
  if (g->invisible || hscale != 1) pdf_buf_puts(w, "q\n");
  pdf_buf_puts(w, "BT\n/");
  pdf_buf_puts(w, res);
  pdf_buf_puts(w, " ");
  pdf_buf_real(w, g->size);
  pdf_buf_puts(w, "Tf\n");
  pdf_buf_real(w, g->color.r);
  pdf_buf_real(w, g->color.g);
  pdf_buf_real(w, g->color.b);
  pdf_buf_puts(w, "rg\n");
  if (g->invisible) pdf_buf_puts(w, "3 Tr\n");
  if (hscale != 1) {
    pdf_buf_real(w, hscale * 100);
    pdf_buf_puts(w, "Tz\n");
  }
  pdf_buf_puts(w, "1 0 0 1 ");
  pdf_buf_real(w, op->x + g->x[0]);
  pdf_buf_real(w, op->y);
  pdf_buf_puts(w, "Tm\n[<");
  static const char hex[] = "0123456789ABCDEF";
  for (int k = 0; k < g->count; k++) {
    uint16_t gl = g->glyphs[k], code = pdf_font_use(pf, gl, &g->text[k], 1);
    char h[4] = {hex[code >> 12], hex[(code >> 8) & 15], hex[(code >> 4) & 15], hex[code & 15]};
    pdf_buf_write(w, h, 4);
    if (k + 1 < g->count) {
      /* TJ adjustment: where the pen is after the glyph vs where layout put
       * the next one, in thousandths of the font size */
      double natural = font_advance(f, gl) * g->size / upm * hscale;
      double adjust = (g->x[k] + natural - g->x[k + 1]) * 1000.0 / (g->size * hscale);
      if (adjust > 0.05 || adjust < -0.05) {
        pdf_buf_puts(w, ">");
        char tmp[40];
        int n = format_real(tmp, sizeof tmp, adjust, 1);
        pdf_buf_write(w, tmp, (size_t)n);
        pdf_buf_puts(w, "<");
      }
    }
  }
  pdf_buf_puts(w, ">] TJ\nET\n");
  if (g->invisible || hscale != 1) pdf_buf_puts(w, "Q\n");

}

/* libharu writes /Filter only for streams it compresses itself; this
 * dictionary hook names the filter of one compressed beforehand. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream) {
  (void)dict;
  return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* libharu keeps every page's content raw until the document is saved;
 * deflating each page as it is finished keeps memory near the size of the
 * compressed file. The stream then carries its own /Filter. */
static void compress_page(pdf_writer *w, HPDF_Page page) {
  HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
  HPDF_Stream raw = attr->stream;
  HPDF_UINT32 size = HPDF_Stream_Size(raw);
  if (size == 0 || attr->contents->write_fn) return;
  /* one deflate state for all pages: setting one up costs more than a page */
  if (!w->zstream_ready) {
    memset(&w->zstream, 0, sizeof w->zstream);
    if (deflateInit(&w->zstream, PAGE_COMPRESSION) != Z_OK) return;
    w->zstream_ready = 1;
  } else if (deflateReset(&w->zstream) != Z_OK) {
    return;
  }
  uLong bound = deflateBound(&w->zstream, size);
  if (w->zin_cap < size || w->zout_cap < bound) {
    free(w->zin);
    free(w->zout);
    w->zin = malloc(size);
    w->zout = malloc(bound);
    w->zin_cap = w->zin ? size : 0;
    w->zout_cap = w->zout ? bound : 0;
    if (!w->zin || !w->zout) return;
  }
  HPDF_UINT got = size;
  if (HPDF_Stream_Seek(raw, 0, HPDF_SEEK_SET) != HPDF_OK || HPDF_Stream_Read(raw, w->zin, &got) != HPDF_OK ||
      got != size)
    return;
  w->zstream.next_in = w->zin;
  w->zstream.avail_in = size;
  w->zstream.next_out = w->zout;
  w->zstream.avail_out = (uInt)bound;
  if (deflate(&w->zstream, Z_FINISH) != Z_STREAM_END) return;
  size_t out_len = bound - w->zstream.avail_out;
  HPDF_Stream packed = HPDF_MemStream_New(w->pdf->mmgr, (HPDF_UINT)(out_len < 4096 ? 4096 : out_len));
  if (packed && HPDF_Stream_Write(packed, w->zout, (HPDF_UINT)out_len) == HPDF_OK) {
    attr->contents->stream = packed;
    attr->contents->filter = HPDF_STREAM_FILTER_NONE;
    attr->contents->write_fn = write_flate_filter;
    attr->stream = packed;
    HPDF_Stream_Free(raw);
  } else if (packed) {
    HPDF_Stream_Free(packed);
  }
}

/* A path's outline as PDF path operators (page space needs no matrix). */
static void path_outline(pdf_writer *w, const display_path *path) {
  static const char *const ops[] = {[PATH_MOVE] = "m\n", [PATH_LINE] = "l\n", [PATH_CURVE] = "c\n", [PATH_CLOSE] = "h\n"};
  static const int points[] = {[PATH_MOVE] = 1, [PATH_LINE] = 1, [PATH_CURVE] = 3, [PATH_CLOSE] = 0};
  const double *p = path->points;
  for (int i = 0; i < path->verb_count; i++) {
    int verb = path->verbs[i];
    for (int k = 0; k < points[verb] * 2; k++) pdf_buf_real(w, *p++);
    pdf_buf_puts(w, ops[verb]);
  }
}

static void set_colour(pdf_writer *w, rgb c, const char *op) {
  pdf_buf_real(w, c.r);
  pdf_buf_real(w, c.g);
  pdf_buf_real(w, c.b);
  pdf_buf_puts(w, op);
}

/* Each path in its own q/Q, so its colours and width leave no state
 * behind for text, rules and fills drawn through libharu. */
static void draw_path(pdf_writer *w, const display_path *path) {
  unsigned paint = path->paint & (PAINT_FILL | PAINT_STROKE);
  if (!paint) return;
  pdf_buf_puts(w, "q\n");
  if (path->paint & PAINT_FILL) set_colour(w, path->fill, "rg\n");
  if (path->paint & PAINT_STROKE) {
    set_colour(w, path->stroke, "RG\n");
    pdf_buf_real(w, path->stroke_width);
    pdf_buf_puts(w, "w\n");
  }
  path_outline(w, path);
  int even_odd = (path->paint & PAINT_EVEN_ODD) != 0;
  pdf_buf_puts(w, paint == PAINT_STROKE ? "S\n" : paint == PAINT_FILL ? (even_odd ? "f*\n" : "f\n") : even_odd ? "B*\n" : "B\n");
  pdf_buf_puts(w, "Q\n");
}

/* The first place of an anchor (a node id) is where links go. */
static int place_anchor(pdf_writer *w, const display_op *op) {
  int id = op->u.anchor;
  if (id <= 0) return 1;
  if (id >= w->anchor_capacity) {
    int old = w->anchor_capacity;
    anchor_pos *a = grow_heap(w->anchors, &w->anchor_capacity, id + 1, sizeof *a, 256);
    if (!a) {
      pdf_fail(w, HPDF_FAILD_TO_ALLOC_MEM, _("out of memory placing link targets"));
      return 0;
    }
    memset(a + old, 0, sizeof *a * (size_t)(w->anchor_capacity - old));
    w->anchors = a;
  }
  if (!w->anchors[id].page) w->anchors[id] = (anchor_pos){w->page_count, op->x, op->y};
  return 1;
}

int pdf_writer_page(void *writer, const display_page *page) {
  pdf_writer *w = writer;
  if (w->error) return 0;
  HPDF_Page p = HPDF_AddPage(w->pdf);
  if (!p) return 0;
  HPDF_Page_SetWidth(p, (HPDF_REAL)page->width);
  HPDF_Page_SetHeight(p, (HPDF_REAL)page->height);
  HPDF_Page *pages = grow_heap(w->pages, &w->page_capacity, w->page_count + 1, sizeof *pages, 64);
  if (!pages) return 0;
  w->pages = pages;
  w->pages[w->page_count++] = p;
  w->page = p;
  pdf_structure_page_begin(w, page->number);
  const char *actual_text = NULL; /* of the open actual-text span */
  int hyphens = 0;
  for (size_t i = 0; i < page->count; i++) {
    const display_op *op = &page->ops[i];
    if (op->kind == DISPLAY_GLYPHS && op->u.glyphs.inserted_hyphen) {
      hyphens++; /* drawn after the rest, see below */
      continue;
    }
    if (actual_text && (op->kind != DISPLAY_GLYPHS || op->u.glyphs.actual_text != actual_text)) {
      pdf_buf_puts(w, "EMC\n");
      actual_text = NULL;
    }
    switch (op->kind) {
      case DISPLAY_GLYPHS:
        pdf_structure_content(w);
        if (op->u.glyphs.actual_text && !actual_text)
          begin_actual_text(w, actual_text = op->u.glyphs.actual_text);
        draw_glyphs(w, op);
        break;
      case DISPLAY_RECT:
        pdf_structure_content(w);
        pdf_buf_flush(w);
        HPDF_Page_SetRGBFill(p, (HPDF_REAL)op->u.fill.r, (HPDF_REAL)op->u.fill.g, (HPDF_REAL)op->u.fill.b);
        HPDF_Page_Rectangle(p, (HPDF_REAL)op->x, (HPDF_REAL)op->y, (HPDF_REAL)op->w, (HPDF_REAL)op->h);
        HPDF_Page_Fill(p);
        break;
      case DISPLAY_LINE:
        pdf_structure_content(w);
        pdf_buf_flush(w);
        HPDF_Page_SetRGBStroke(p, (HPDF_REAL)op->u.line.color.r, (HPDF_REAL)op->u.line.color.g,
                               (HPDF_REAL)op->u.line.color.b);
        HPDF_Page_SetLineWidth(p, (HPDF_REAL)op->u.line.width);
        HPDF_Page_MoveTo(p, (HPDF_REAL)op->x, (HPDF_REAL)op->y);
        HPDF_Page_LineTo(p, (HPDF_REAL)(op->x + op->w), (HPDF_REAL)(op->y + op->h));
        HPDF_Page_Stroke(p);
        break;
      case DISPLAY_LINK: {
        link_request *l = grow_heap(w->links, &w->link_capacity, w->link_count + 1, sizeof *l, 64);
        if (!l) return 0;
        w->links = l;
        char *text = op->u.link_text ? strdup(op->u.link_text) : NULL; /* the page's strings go with it */
        if (op->u.link_text && !text) {
          pdf_fail(w, HPDF_FAILD_TO_ALLOC_MEM, _("out of memory keeping a link's text"));
          return 0;
        }
        w->links[w->link_count++] = (link_request){w->page_count, op->x, op->y, op->w, op->h, op->u.anchor, text};
        pdf_structure_link(w, w->link_count - 1);
        break;
      }
      case DISPLAY_ANCHOR:
        if (!place_anchor(w, op)) return 0;
        break;
      case DISPLAY_BEGIN_NODE: pdf_structure_begin_node(w, &op->u.node); break;
      case DISPLAY_END_NODE: pdf_structure_end_node(w); break;
      case DISPLAY_BEGIN_ARTIFACT: pdf_structure_artifact(w, 1); break;
      case DISPLAY_END_ARTIFACT: pdf_structure_artifact(w, 0); break;
      case DISPLAY_PATH:
        pdf_structure_content(w);
        draw_path(w, &op->u.path);
        break;
      case DISPLAY_BEGIN_CLIP: /* clipping draws nothing: no marked content needed */
        pdf_buf_puts(w, "q\n");
        path_outline(w, &op->u.path);
        pdf_buf_puts(w, "W n\n");
        break;
      case DISPLAY_END_CLIP: pdf_buf_puts(w, "Q\n"); break;
    }
  }
  if (actual_text) pdf_buf_puts(w, "EMC\n");
  /* Hyphens that line breaking inserted, as one artifact after everything
   * else: a paragraph's marked content then holds "kommun" and "koncernen"
   * with nothing between, so the text read in structure order (pdfinfo
   * -struct-text, screen readers) has the whole word, while text
   * extraction by position (pdftotext) still sees "kommun-" at the line
   * end and joins the word itself. A soft hyphen in the ToUnicode map
   * would stop that joining, and an /ActualText span inside a paragraph's
   * marked content ends poppler's structure text at the span. */
  if (hyphens) {
    pdf_structure_artifact(w, 1);
    for (size_t i = 0; i < page->count; i++) {
      const display_op *op = &page->ops[i];
      if (op->kind != DISPLAY_GLYPHS || !op->u.glyphs.inserted_hyphen) continue;
      pdf_structure_content(w);
      draw_glyphs(w, op);
    }
    pdf_structure_artifact(w, 0);
  }
  pdf_structure_page_end(w);
  pdf_buf_flush(w);
  compress_page(w, p);
  return !w->error;
}

/* ---- strings ---- */

/* A PDF text string as UTF-16BE with a byte order mark (hex in the file). */
HPDF_Binary pdf_text_string(pdf_writer *w, const char *utf8) {
  size_t len = strlen(utf8);
  unsigned char *out = malloc(2 + len * 4);
  if (!out) return NULL;
  size_t o = 0;
  out[o++] = 0xFE, out[o++] = 0xFF;
  for (size_t i = 0; i < len;) {
    int n;
    uint32_t cp = utf8_decode(utf8 + i, len - i, &n);
    i += (size_t)n;
    if (cp >= 0x10000) {
      uint32_t v = cp - 0x10000;
      uint16_t hi = (uint16_t)(0xD800 | (v >> 10)), lo = (uint16_t)(0xDC00 | (v & 0x3FF));
      out[o++] = (unsigned char)(hi >> 8), out[o++] = (unsigned char)hi;
      out[o++] = (unsigned char)(lo >> 8), out[o++] = (unsigned char)lo;
    } else {
      out[o++] = (unsigned char)(cp >> 8), out[o++] = (unsigned char)cp;
    }
  }
  HPDF_Binary b = HPDF_Binary_New(w->pdf->mmgr, out, (HPDF_UINT)o);
  free(out);
  return b;
}

/* A fresh direct [page /XYZ left top 0] array for each use: PDFBox cannot
 * read a destination given as an indirect object (libharu's way), and
 * libharu's SetXYZ refuses zoom 0, which PDF defines as "keep the zoom". */
static HPDF_Destination destination(pdf_writer *w, int target) {
  if (target <= 0 || target >= w->anchor_capacity) return NULL;
  const anchor_pos *a = &w->anchors[target];
  if (!a->page) return NULL;
  HPDF_Array d = HPDF_Array_New(w->pdf->mmgr);
  if (!d) return NULL;
  d->header.obj_class |= HPDF_OSUBCLASS_DESTINATION;
  HPDF_Array_Add(d, w->pages[a->page - 1]);
  HPDF_Array_AddName(d, "XYZ");
  HPDF_Array_AddReal(d, (HPDF_REAL)a->x);
  HPDF_Array_AddReal(d, (HPDF_REAL)(a->y + 4));
  HPDF_Array_AddReal(d, 0);
  return d;
}

static void resolve_links(pdf_writer *w) {
  for (int i = 0; i < w->link_count; i++) {
    const link_request *l = &w->links[i];
    HPDF_Destination d = destination(w, l->target);
    if (!d) continue;
    HPDF_Rect r = {(HPDF_REAL)l->x, (HPDF_REAL)l->y, (HPDF_REAL)(l->x + l->w), (HPDF_REAL)(l->y + l->h)};
    HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(w->pages[l->page - 1], r, d);
    if (!a) continue;
    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    HPDF_Dict_AddNumber(a, "F", 4); /* printable, as PDF/A requires */
    /* what the link does, for those who cannot see where it points */
    if (l->text)
      pdf_ok(w, HPDF_Dict_Add(a, "Contents", pdf_text_string(w, l->text)), N_("a link's /Contents"));
    /* tab order follows the structure (PDF/UA) on every page with annotations */
    HPDF_Page page = w->pages[l->page - 1];
    if (w->options.tagged && !HPDF_Dict_GetItem(page, "Tabs", HPDF_OCLASS_NAME))
      pdf_ok(w, HPDF_Dict_AddName(page, "Tabs", "S"), N_("a page's /Tabs"));
    pdf_structure_link_annot(w, i, a, l->page);
  }
}

/* Page labels: pages are numbered 1, 2, ... as the running footers print
 * them, so a reader's "page 11" is the printed 11. */
static void add_page_labels(pdf_writer *w) {
  HPDF_MMgr mm = w->pdf->mmgr;
  HPDF_Dict labels = HPDF_Dict_New(mm), style = HPDF_Dict_New(mm);
  HPDF_Array nums = HPDF_Array_New(mm);
  HPDF_STATUS st = labels && style && nums ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
  if (!st) st = HPDF_Dict_AddName(style, "S", "D");
  if (!st) st = HPDF_Array_AddNumber(nums, 0);
  if (!st) st = HPDF_Array_Add(nums, style);
  if (!st) st = HPDF_Dict_Add(labels, "Nums", nums);
  if (!st) st = HPDF_Dict_Add(w->pdf->catalog, "PageLabels", labels);
  pdf_ok(w, st, N_("the page labels"));
}

static void add_outlines(pdf_writer *w, const display_heading *headings, int heading_count) {
  enum { DEEPEST = 6 }; /* H1..H6 */
  HPDF_Outline parents[DEEPEST + 1] = {NULL};
  for (int i = 0; i < heading_count; i++) {
    const display_heading *h = &headings[i];
    int level = h->level < 1 ? 1 : h->level > DEEPEST ? DEEPEST : h->level;
    HPDF_Outline parent = NULL;
    for (int k = level - 1; k >= 1 && !parent; k--) parent = parents[k];
    HPDF_Outline o = HPDF_CreateOutline(w->pdf, parent, "", NULL);
    if (!o) continue;
    HPDF_Binary title = pdf_text_string(w, h->title ? h->title : "");
    if (title) HPDF_Dict_Add(o, "Title", title);
    HPDF_Destination d = destination(w, h->node_id);
    if (d) HPDF_Outline_SetDestination(o, d);
    HPDF_Outline_SetOpened(o, level == 1 ? HPDF_TRUE : HPDF_FALSE);
    parents[level] = o;
    for (int k = level + 1; k <= DEEPEST; k++) parents[k] = NULL;
  }
  if (heading_count) HPDF_SetPageMode(w->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
}

int pdf_writer_finish(pdf_writer *w, const display_heading *headings, int heading_count, unsigned char **bytes,
                      size_t *length) {
  *bytes = NULL;
  *length = 0;
  if (w->error) goto failed;
  resolve_links(w);
  add_outlines(w, headings, heading_count);
  add_page_labels(w);
  if (w->error) goto failed;
  /* in order of first use, not of the fontset (which depends on what the
   * context loaded before), so the bytes depend on this document only */
  for (int k = 0; k < w->font_order_count; k++) {
    int i = w->font_order[k];
    char err[256];
    if (pdf_font_finish(w->pdf_fonts[i], err, sizeof err) != 0) {
      pdf_fail(w, HPDF_INVALID_OBJECT, _("embedding font %s: %s"), font_postscript_name(w->fonts->fonts[i]),
               err);
      return 0;
    }
  }
  if (!pdf_structure_finish(w) || !pdf_metadata_write(w)) goto failed;
  /* libharu records some refusals (array and string limits) without calling the handler */
  if (w->error || !pdf_ok(w, HPDF_GetError(w->pdf), N_("libharu refused an object of the document")) ||
      !pdf_ok(w, HPDF_SaveToStream(w->pdf), N_("serialising the document")))
    goto failed;
  HPDF_UINT32 size = HPDF_GetStreamSize(w->pdf);
  unsigned char *out = malloc(size ? size : 1);
  if (!out) goto failed;
  HPDF_UINT32 got = size;
  HPDF_ResetStream(w->pdf);
  if (HPDF_ReadFromStream(w->pdf, out, &got) != HPDF_OK && got != size) {
    free(out);
    goto failed;
  }
  *bytes = out;
  *length = got;
  return 1;
failed: /* reported by pdf_writer_report */
  return 0;
}
