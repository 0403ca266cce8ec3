/* test_layout.c - check suite "layout": documents parsed from small XML
 * strings are laid out with real fonts and the system's hyphenation
 * patterns, and the page display lists are checked: lines stay in the
 * text frame and justified lines reach its right edge, long words break,
 * pages respect the bottom margin, widows/orphans and heading keeps, the
 * table of contents prints the pages its headings land on, forced page
 * breaks and mirrored margins. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "layout/layout.h"
#include "parse/parse.h"
#include "support.h"
#include "text/fontset.h"
#include "text/hyphen.h"
#include "util/utf8.h"

#define CONTENT_SCHEMA BILAGA_TEST_SOURCE_ROOT "/templates/content.rng"
#define TEMPLATE_SCHEMA BILAGA_TEST_SOURCE_ROOT "/templates/template.rng"
#define FONT_DIR BILAGA_TEST_SOURCE_ROOT "/fonts"

/* ---- captured display lists ---- */

typedef struct cap_op {
  display_kind kind;
  double x, y, w, h;
  int anchor;        /* LINK, ANCHOR */
  int node_id, role; /* BEGIN_NODE (role: the part) */
  display_struct tag; /* BEGIN_NODE, its strings cleared but lang (the model's) */
  int owner;         /* GLYPHS: innermost open PART_NODE node (0: none) */
  int owner_role;    /* GLYPHS: role of the innermost open node event */
  int artifact;      /* GLYPHS etc.: inside BEGIN/END_ARTIFACT */
  double size;
  int font;   /* GLYPHS: index into the fontset */
  char *text; /* GLYPHS: the run's text as UTF-8 */
  /* GLYPHS: per glyph (one per character here): code point, pen
   * position relative to x, and natural advance in points */
  int count;
  uint32_t *cps;
  double *gx, *advance;
} cap_op;

typedef struct cap_page {
  int number;
  double width, height;
  cap_op *ops;
  int count;
} cap_page;

enum { MAX_OPEN = 64 };

typedef struct capture {
  const fontset *fonts;
  cap_page *pages;
  int count, capacity;
  /* structure nesting carries over from page to page */
  int open_id[MAX_OPEN], open_role[MAX_OPEN];
  int open;
  int unbalanced; /* END without BEGIN */
} capture;

static char *utf32_to_utf8(const uint32_t *text, int n) {
  char *s = malloc((size_t)n * 4 + 1);
  ck_assert_ptr_nonnull(s);
  size_t o = 0;
  for (int i = 0; i < n; i++) o += (size_t)utf8_encode(text[i], s + o);
  s[o] = '\0';
  return s;
}

static int capture_page(void *user, const display_page *page) {
  capture *c = user;
  if (c->count == c->capacity) {
    c->capacity = c->capacity ? c->capacity * 2 : 16;
    c->pages = realloc(c->pages, sizeof *c->pages * (size_t)c->capacity);
    ck_assert_ptr_nonnull(c->pages);
  }
  cap_page *p = &c->pages[c->count++];
  p->number = page->number;
  p->width = page->width;
  p->height = page->height;
  p->count = (int)page->count;
  p->ops = calloc(page->count ? page->count : 1, sizeof *p->ops);
  ck_assert_ptr_nonnull(p->ops);
  int artifact = 0;
  for (size_t i = 0; i < page->count; i++) {
    const display_op *op = &page->ops[i];
    cap_op *o = &p->ops[i];
    o->kind = op->kind;
    o->x = op->x, o->y = op->y, o->w = op->w, o->h = op->h;
    o->artifact = artifact;
    switch (op->kind) {
      case DISPLAY_GLYPHS:
        o->text = utf32_to_utf8(op->u.glyphs.text, op->u.glyphs.text_length);
        o->size = op->u.glyphs.size;
        o->font = op->u.glyphs.font;
        if (op->u.glyphs.count == op->u.glyphs.text_length && c->fonts) {
          const font *f = c->fonts->fonts[op->u.glyphs.font];
          int n = op->u.glyphs.count;
          o->count = n;
          o->cps = malloc(sizeof *o->cps * (size_t)(n ? n : 1));
          o->gx = malloc(sizeof *o->gx * (size_t)(n ? n : 1));
          o->advance = malloc(sizeof *o->advance * (size_t)(n ? n : 1));
          ck_assert(o->cps && o->gx && o->advance);
          for (int k = 0; k < n; k++) {
            o->cps[k] = op->u.glyphs.text[k];
            o->gx[k] = op->u.glyphs.x[k];
            o->advance[k] = font_advance(f, op->u.glyphs.glyphs[k]) * op->u.glyphs.size /
                            font_get_metrics(f)->units_per_em;
          }
        }
        for (int k = c->open - 1; k >= 0; k--)
          if (c->open_role[k] == PART_NODE) {
            o->owner = c->open_id[k];
            break;
          }
        o->owner_role = c->open ? c->open_role[c->open - 1] : -1;
        break;
      case DISPLAY_LINK:
      case DISPLAY_ANCHOR: o->anchor = op->u.anchor; break;
      case DISPLAY_BEGIN_NODE:
        o->node_id = op->u.node.node_id;
        o->role = op->u.node.part;
        o->tag = op->u.node;
        o->tag.alt = o->tag.actual_text = NULL; /* they live with the page */
        ck_assert_int_lt(c->open, MAX_OPEN);
        c->open_id[c->open] = op->u.node.node_id;
        c->open_role[c->open] = op->u.node.part;
        c->open++;
        break;
      case DISPLAY_END_NODE:
        if (c->open > 0) c->open--;
        else c->unbalanced++;
        break;
      case DISPLAY_BEGIN_ARTIFACT: artifact++, o->artifact = artifact; break;
      case DISPLAY_END_ARTIFACT: artifact--; break;
      default: break;
    }
  }
  return 1;
}

static void capture_free(capture *c) {
  for (int i = 0; i < c->count; i++) {
    for (int k = 0; k < c->pages[i].count; k++) {
      cap_op *op = &c->pages[i].ops[k];
      free(op->text);
      free(op->cps);
      free(op->gx);
      free(op->advance);
    }
    free(c->pages[i].ops);
  }
  free(c->pages);
  memset(c, 0, sizeof *c);
}

/* ---- a layout run ---- */

typedef struct run {
  template_model *tpl;
  document_model *doc;
  fontset *fonts;
  hyphenator *hyphen;
  capture cap;
  layout_result result;
  const node **by_id; /* model nodes by id */
  diag_log log;
} run;

static xml_schema *content_schema, *template_schema;

static void load_schemas(void) {
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  content_schema = parse_schema_load(CONTENT_SCHEMA, &sink);
  template_schema = parse_schema_load(TEMPLATE_SCHEMA, &sink);
  ck_assert_msg(content_schema && template_schema, "%s", diag_log_text(&log));
}

static void free_schemas(void) {
  parse_schema_free(content_schema);
  parse_schema_free(template_schema);
}

/* Font resolution as generator/bilaga.c's resolve_fonts does it. */
static int resolve_fonts(fontset *fonts, template_model *t, diag_sink *sink) {
  for (int i = 0; i < template_style_count(t); i++) {
    text_style *s = template_style(t, i);
    s->face = fontset_face(fonts, s->family, s->bold, s->italic, t->fallback_families, t->fallback_count, sink,
                           t->file);
    if (s->face < 0) return 0;
  }
  return 1;
}

static template_model *template_from(const char *xml, size_t len, const char *name) {
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  template_model *t = parse_template(xml, len, name, template_schema, &sink);
  ck_assert_msg(t != NULL, "template refused: %s", diag_log_text(&log));
  return t;
}

static template_model *default_template(void) {
  size_t len;
  char *bytes = slurp_source_file("templates/default.xml", &len);
  template_model *t = template_from(bytes, len, "default.xml");
  free(bytes);
  return t;
}

/* A template of the default's styles with a page of our own. */
#define TEMPLATE_OPEN "<template xmlns=\"urn:bilaga:template:1\">\n"

static template_model *template_str(const char *xml) { return template_from(xml, strlen(xml), "t.xml"); }

static void index_nodes(const node *n, const node **by_id, int max) {
  for (; n; n = n->next) {
    if (n->id > 0 && n->id <= max) by_id[n->id] = n;
    index_nodes(n->first, by_id, max);
  }
}

/* Lays out content with tpl (taken over by the run). */
static void run_layout(run *r, const char *content, template_model *tpl) {
  memset(r, 0, sizeof *r);
  diag_sink sink = diag_log_sink(&r->log);
  r->doc = parse_content(content, strlen(content), "c.xml", content_schema, &sink);
  ck_assert_msg(r->doc != NULL, "content refused: %s", diag_log_text(&r->log));
  r->tpl = tpl;
  r->fonts = fontset_new(FONT_DIR);
  ck_assert_ptr_nonnull(r->fonts);
  ck_assert_msg(resolve_fonts(r->fonts, tpl, &sink), "fonts: %s", diag_log_text(&r->log));
  r->hyphen = hyphenator_load(r->doc->lang);
  ck_assert_msg(r->hyphen != NULL, "no hyphenation patterns for %s", r->doc->lang);
  r->by_id = calloc((size_t)r->doc->node_count + 1, sizeof *r->by_id);
  ck_assert_ptr_nonnull(r->by_id);
  index_nodes(r->doc->body, r->by_id, r->doc->node_count);
  r->cap.fonts = r->fonts;
  int ok = layout_run(r->doc, tpl, r->fonts, r->hyphen, &sink, capture_page, &r->cap, &r->result);
  ck_assert_msg(ok, "layout_run failed: %s", diag_log_text(&r->log));
  ck_assert_int_eq(sink.errors, 0);
  ck_assert_int_eq(r->result.pages, r->cap.count);
  for (int i = 0; i < r->cap.count; i++) ck_assert_int_eq(r->cap.pages[i].number, i + 1);
  ck_assert_int_eq(r->cap.unbalanced, 0);
  ck_assert_int_eq(r->cap.open, 0); /* every node that began has ended */
}

static void run_free(run *r) {
  capture_free(&r->cap);
  layout_result_free(&r->result);
  free(r->by_id);
  hyphenator_free(r->hyphen);
  fontset_free(r->fonts);
  model_free(r->doc);
  template_free(r->tpl);
}

static const node *node_by_id(const run *r, int id) {
  return id > 0 && id <= r->doc->node_count ? r->by_id[id] : NULL;
}

/* The paragraph or heading a glyph run belongs to (0: none). */
static int block_of(const run *r, const cap_op *op) {
  for (const node *n = node_by_id(r, op->owner); n; n = n->parent)
    if (n->kind == NODE_PARAGRAPH || n->kind == NODE_HEADING) return n->id;
  return 0;
}

static int is_body_run(const cap_op *op) { return op->kind == DISPLAY_GLYPHS && !op->artifact; }

static double frame_left(const template_model *t, int page) {
  return t->page.mirrored && page % 2 == 0 ? t->page.outer : t->page.inner;
}

static double frame_width(const template_model *t) { return t->page.width - t->page.inner - t->page.outer; }

/* Lines of one block on one page: distinct baselines, top to bottom. */
typedef struct block_line {
  double y, left, right;
  char text[1024];
} block_line;

static int block_lines(const run *r, int page, int block, block_line *out, int max) {
  const cap_page *p = &r->cap.pages[page];
  int n = 0;
  for (int i = 0; i < p->count; i++) {
    const cap_op *op = &p->ops[i];
    if (!is_body_run(op) || block_of(r, op) != block) continue;
    int k = 0;
    while (k < n && fabs(out[k].y - op->y) > 0.01) k++;
    if (k == n) {
      ck_assert_int_lt(n, max);
      out[n].y = op->y, out[n].left = op->x, out[n].right = op->x + op->w, out[n].text[0] = '\0';
      n++;
    }
    if (op->x < out[k].left) out[k].left = op->x;
    if (op->x + op->w > out[k].right) out[k].right = op->x + op->w;
    strncat(out[k].text, op->text, sizeof out[k].text - strlen(out[k].text) - 1);
  }
  /* emission order is top to bottom already; keep it checked */
  for (int k = 1; k < n; k++) ck_assert_double_lt(out[k].y, out[k - 1].y);
  return n;
}

/* Pages (0-based) on which a block has glyphs; returns the count. */
static int block_pages(const run *r, int block, int *pages, int max) {
  int n = 0;
  for (int pg = 0; pg < r->cap.count; pg++) {
    const cap_page *p = &r->cap.pages[pg];
    for (int i = 0; i < p->count; i++)
      if (is_body_run(&p->ops[i]) && block_of(r, &p->ops[i]) == block) {
        ck_assert_int_lt(n, max);
        pages[n++] = pg;
        break;
      }
  }
  return n;
}

/* ---- content builders ---- */

#define REPORT_OPEN                                                                                  \
  "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"                                     \
  "<meta><title>Testrapport</title><board>Kommunstyrelsen</board></meta>\n<body>\n"
#define REPORT_CLOSE "</body>\n</report>\n"

static const char *const words[] = {
    "kommunen", "har", "under", "året", "arbetat", "med", "att", "utveckla", "verksamheten", "och",
    "förbättra", "servicen", "till", "invånarna", "Budgeten", "för", "förskoleverksamheten", "ökade",
    "medan", "kostnaderna", "för", "äldreomsorgen", "minskade", "något", "jämfört", "med",
    "föregående", "år", "Kommunstyrelsen", "beslutade", "om", "en", "ny", "plan", "för",
    "samhällsbyggnadsförvaltningen", "som", "ska", "gälla", "från", "och", "med", "nästa", "år"};

/* n words of running Swedish text (deterministic) into b. */
static void add_words(strbuf *b, int n, int seed) {
  for (int i = 0; i < n; i++) {
    if (i) sb_puts(b, " ");
    sb_puts(b, words[(size_t)(i * 7 + seed * 13) % (sizeof words / sizeof *words)]);
  }
  sb_puts(b, ".");
}

/* How much wider than natural the spaces of a run are set: min and max
 * over its spaces (a space's width is the distance to the next glyph, or
 * to the run's end). Returns the number of spaces. */
static int space_stretch(const cap_op *op, double *min_extra, double *max_extra) {
  int spaces = 0;
  *min_extra = 1e9, *max_extra = -1e9;
  for (int k = 0; k < op->count; k++) {
    if (op->cps[k] != ' ') continue;
    double next = k + 1 < op->count ? op->gx[k + 1] : op->w;
    double extra = next - op->gx[k] - op->advance[k];
    if (extra < *min_extra) *min_extra = extra;
    if (extra > *max_extra) *max_extra = extra;
    spaces++;
  }
  return spaces;
}

/* ---- line breaking ---- */

START_TEST(test_lines_stay_in_frame_and_justify) {
  strbuf b = {0};
  sb_puts(&b, REPORT_OPEN "<p>");
  add_words(&b, 700, 1);
  sb_puts(&b, "</p>\n<p>Kort stycke.</p>\n<p>");
  add_words(&b, 90, 2);
  sb_puts(&b, "</p>\n" REPORT_CLOSE);
  run r;
  run_layout(&r, b.data, default_template());
  sb_free(&b);
  const template_model *t = r.tpl;
  ck_assert_int_eq(t->body.align, ALIGN_JUSTIFY);
  ck_assert_int_ge(r.cap.count, 2); /* 700 words do not fit on one page */
  int justified = 0, spaced_runs = 0;
  for (int pg = 0; pg < r.cap.count; pg++) {
    const cap_page *p = &r.cap.pages[pg];
    double left = frame_left(t, p->number), right = left + frame_width(t);
    for (int i = 0; i < p->count; i++) {
      const cap_op *op = &p->ops[i];
      if (op->kind != DISPLAY_GLYPHS) continue;
      ck_assert_msg(op->x >= left - 0.01 && op->x + op->w <= right + 0.01,
                    "page %d: run \"%s\" spans %.2f..%.2f outside the frame %.2f..%.2f", p->number, op->text,
                    op->x, op->x + op->w, left, right);
    }
  }
  /* the paragraphs, line by line */
  for (const node *pn = r.doc->body->first; pn; pn = pn->next) {
    int pages[16];
    int np = block_pages(&r, pn->id, pages, 16);
    ck_assert_int_ge(np, 1);
    int last_page = pages[np - 1];
    for (int k = 0; k < np; k++) {
      block_line lines[128];
      int nl = block_lines(&r, pages[k], pn->id, lines, 128);
      double left = frame_left(t, pages[k] + 1), right = left + frame_width(t);
      for (int l = 0; l < nl; l++) {
        ck_assert_msg(fabs(lines[l].left - left) < 0.01, "line \"%s\" starts at %.2f, frame at %.2f",
                      lines[l].text, lines[l].left, left);
        if (l > 0) /* baselines one leading apart */
          ck_assert_double_eq_tol(lines[l - 1].y - lines[l].y, t->body.leading, 0.01);
        int last_line = pages[k] == last_page && l == nl - 1;
        if (!last_line) {
          ck_assert_msg(fabs(lines[l].right - right) <= 0.5,
                        "justified line \"%s\" ends at %.2f, the frame at %.2f", lines[l].text, lines[l].right,
                        right);
          justified++;
        }
        /* word spaces: stretched evenly on justified lines, natural on the last */
        const cap_page *p = &r.cap.pages[pages[k]];
        for (int i = 0; i < p->count; i++) {
          const cap_op *op = &p->ops[i];
          if (!is_body_run(op) || block_of(&r, op) != pn->id || fabs(op->y - lines[l].y) > 0.01) continue;
          double lo, hi;
          if (space_stretch(op, &lo, &hi) == 0) continue;
          spaced_runs++;
          /* total fit may shrink a justified line's spaces a little (linebreak.c: by a fifth) */
          double natural = 0;
          for (int k = 0; k < op->count && !natural; k++)
            if (op->cps[k] == ' ') natural = op->advance[k];
          ck_assert_msg(lo >= -natural / 3 - 0.01, "a space in \"%s\" is narrower than natural by %.3f", op->text,
                        -lo);
          ck_assert_msg(hi - lo < 0.01, "uneven spaces in \"%s\": %.3f..%.3f", op->text, lo, hi);
          if (last_line) ck_assert_msg(hi < 0.01, "the last line \"%s\" is stretched by %.3f", op->text, hi);
        }
      }
    }
  }
  ck_assert_int_gt(justified, 50);
  ck_assert_int_gt(spaced_runs, justified);
  run_free(&r);
}
END_TEST

START_TEST(test_overlong_word_is_broken) {
  /* 150 x: about twice the measure */
  enum { XS = 150 };
  char xs[XS + 1];
  memset(xs, 'x', XS);
  xs[XS] = '\0';
  strbuf b = {0};
  sb_printf(&b, REPORT_OPEN "<p>Före %s efter.</p>\n<p>%s</p>\n" REPORT_CLOSE, xs, xs);
  run r;
  run_layout(&r, b.data, default_template());
  sb_free(&b);
  const template_model *t = r.tpl;
  double left = frame_left(t, 1), right = left + frame_width(t);
  for (const node *pn = r.doc->body->first; pn; pn = pn->next) {
    block_line lines[16];
    int nl = block_lines(&r, 0, pn->id, lines, 16);
    ck_assert_int_ge(nl, 2);
    int x_count = 0;
    for (int l = 0; l < nl; l++) {
      ck_assert_msg(lines[l].left >= left - 0.01 && lines[l].right <= right + 0.01,
                    "line \"%s\" spans %.2f..%.2f, frame %.2f..%.2f", lines[l].text, lines[l].left,
                    lines[l].right, left, right);
      for (const char *c = lines[l].text; *c; c++) x_count += *c == 'x';
    }
    ck_assert_int_eq(x_count, XS); /* nothing lost, nothing doubled */
  }
  run_free(&r);
}
END_TEST

/* A narrow, ragged-right frame (80pt). */
static template_model *narrow_template(int hyphenate) {
  char xml[1024];
  snprintf(xml, sizeof xml,
           TEMPLATE_OPEN "<page width=\"260pt\" inner=\"90pt\" outer=\"90pt\" mirrored=\"no\"/>\n"
                         "<style name=\"body\" family=\"Carlito\" size=\"11pt\" leading=\"14pt\" align=\"left\" "
                         "hyphenate=\"%s\"/>\n</template>\n",
           hyphenate ? "yes" : "no");
  return template_str(xml);
}

#define NARROW_TEXT "Verksamhetsberättelsen för befolkningsutvecklingen och kommunstyrelseförvaltningen."

START_TEST(test_hyphenation_in_narrow_ragged_frame) {
  run r;
  run_layout(&r, REPORT_OPEN "<p>" NARROW_TEXT "</p>\n" REPORT_CLOSE, narrow_template(1));
  const template_model *t = r.tpl;
  ck_assert_double_eq_tol(frame_width(t), 80, 1e-9);
  int hyphenated = 0;
  strbuf joined = {0};
  for (int pg = 0; pg < r.cap.count; pg++) {
    block_line lines[64];
    int nl = block_lines(&r, pg, r.doc->body->first->id, lines, 64);
    for (int l = 0; l < nl; l++) {
      ck_assert_msg(lines[l].left >= t->page.inner - 0.01 && lines[l].right <= t->page.inner + 80 + 0.01,
                    "line \"%s\" leaves the frame", lines[l].text);
      size_t len = strlen(lines[l].text);
      if (len > 1 && lines[l].text[len - 1] == '-') {
        hyphenated++;
        /* the break is one the patterns allow: find the word it cuts */
        const char *start = lines[l].text + len - 1;
        while (start > lines[l].text && start[-1] != ' ') start--;
        size_t prefix = (size_t)(lines[l].text + len - 1 - start);
        char piece[64];
        ck_assert_uint_lt(prefix, sizeof piece);
        memcpy(piece, start, prefix);
        piece[prefix] = '\0';
        const char *in_text = strstr(NARROW_TEXT, piece);
        ck_assert_msg(in_text != NULL, "\"%s\" is not from the text", piece);
        const char *w_end = in_text;
        while (*w_end && *w_end != ' ' && *w_end != '.') w_end++;
        unsigned char breaks[128];
        size_t wl = (size_t)(w_end - in_text);
        ck_assert_uint_lt(wl, sizeof breaks);
        hyphenator_breaks(r.hyphen, in_text, wl, breaks);
        ck_assert_msg(prefix > 0 && breaks[prefix - 1], "\"%s-\" is no hyphenation point of \"%.*s\"", piece,
                      (int)wl, in_text);
        sb_append(&joined, lines[l].text, len - 1);
      } else {
        sb_puts(&joined, lines[l].text);
        if (len == 0 || lines[l].text[len - 1] != ' ') sb_puts(&joined, " "); /* the line's own space, if drawn */
      }
    }
  }
  ck_assert_int_ge(hyphenated, 1);
  /* nothing lost: the lines read as the text again */
  if (joined.length && joined.data[joined.length - 1] == ' ') joined.data[--joined.length] = '\0';
  ck_assert_str_eq(joined.data, NARROW_TEXT);
  sb_free(&joined);
  run_free(&r);
}
END_TEST

START_TEST(test_no_hyphens_when_hyphenation_is_off) {
  run r;
  run_layout(&r, REPORT_OPEN "<p>" NARROW_TEXT "</p>\n" REPORT_CLOSE, narrow_template(0));
  for (int pg = 0; pg < r.cap.count; pg++) {
    const cap_page *p = &r.cap.pages[pg];
    for (int i = 0; i < p->count; i++) {
      const cap_op *op = &p->ops[i];
      if (!is_body_run(op)) continue;
      size_t len = strlen(op->text);
      ck_assert_msg(len == 0 || op->text[len - 1] != '-', "a hyphen was inserted: \"%s\"", op->text);
      ck_assert_double_le(op->x + op->w, r.tpl->page.inner + 80 + 0.01);
    }
  }
  run_free(&r);
}
END_TEST

/* All lines of a block, across pages, joined with '|' between lines. */
static void block_text(const run *r, int block, strbuf *out) {
  for (int pg = 0; pg < r->cap.count; pg++) {
    block_line lines[64];
    int nl = block_lines(r, pg, block, lines, 64);
    for (int l = 0; l < nl; l++) {
      if (out->length) sb_puts(out, "|");
      sb_puts(out, lines[l].text);
    }
  }
}

START_TEST(test_spaces_around_inline_markup) {
  run r;
  run_layout(&r,
             REPORT_OPEN "<p>Alfa <b> beta </b> gamma <i>delta</i> <b>epsilon</b>\n  <i> zeta</i></p>\n" REPORT_CLOSE,
             default_template());
  strbuf text = {0};
  block_text(&r, r.doc->body->first->id, &text);
  /* BUG: "Alfa  beta  gamma delta epsilon  zeta": the parser collapses
   * whitespace only within one text node (add_text, parse/content.c), so
   * a space before <b> and one at the start of its content both survive,
   * and inline.c draws both: a double-width word gap. */
  ck_assert_str_eq(text.data, "Alfa beta gamma delta epsilon zeta");
  sb_free(&text);
  run_free(&r);
}
END_TEST

START_TEST(test_number_spaces_in_text_font) {
  run r;
  run_layout(&r, REPORT_OPEN "<p>Summa <num>19128</num> kr och <num unit=\"%\" decimals=\"1\">1.94</num>.</p>\n" REPORT_CLOSE,
             default_template());
  const template_model *t = r.tpl;
  ck_assert_str_eq(t->number_group_separator, "\xc2\xa0");
  const fontset *fs = r.fonts;
  int body_font = fs->faces[t->body.face].font;
  /* the body font has no U+00A0 of its own (else this shows nothing) */
  ck_assert_uint_eq(font_glyph(fs->fonts[body_font], 0xA0), 0);
  strbuf text = {0};
  block_text(&r, r.doc->body->first->id, &text);
  ck_assert_str_eq(text.data, "Summa 19\xc2\xa0" "128 kr och 1,9\xc2\xa0%.");
  sb_free(&text);
  int nbsp = 0;
  const cap_page *p = &r.cap.pages[0];
  for (int i = 0; i < p->count; i++) {
    const cap_op *op = &p->ops[i];
    if (!is_body_run(op)) continue;
    for (int k = 0; k < op->count; k++) {
      if (op->cps[k] != 0xA0) continue;
      nbsp++;
      /* BUG: drawn from the fallback font (DejaVu Sans, wider) although
       * inline.c says no-break spaces the font lacks are drawn with its
       * own space glyph "rather than from a fallback font":
       * space_substitute is only tried when no font at all has U+00A0. */
      ck_assert_msg(op->font == body_font, "the no-break space in \"%s\" comes from font %d (%s), not the text's",
                    op->text, op->font, font_path(fs->fonts[op->font]));
    }
  }
  ck_assert_int_eq(nbsp, 2);
  run_free(&r);
}
END_TEST

/* ---- pagination ---- */

/* Lowest and highest baselines of body text on each page stay in the
 * frame (a descender's worth of slack below, an ascender's above). */
static void check_vertical_bounds(const run *r) {
  const template_model *t = r->tpl;
  for (int pg = 0; pg < r->cap.count; pg++) {
    const cap_page *p = &r->cap.pages[pg];
    for (int i = 0; i < p->count; i++) {
      const cap_op *op = &p->ops[i];
      if (!is_body_run(op)) continue;
      ck_assert_msg(op->y - 0.3 * op->size >= t->page.bottom - 0.01,
                    "page %d: \"%s\" at baseline %.2f goes below the bottom margin %.2f", p->number, op->text,
                    op->y, t->page.bottom);
      ck_assert_msg(op->y + 0.8 * op->size <= t->page.height - t->page.top + 0.01,
                    "page %d: \"%s\" at baseline %.2f goes above the top margin", p->number, op->text, op->y);
    }
  }
}

START_TEST(test_pagination_many_paragraphs) {
  strbuf b = {0};
  sb_puts(&b, REPORT_OPEN);
  enum { PARAGRAPHS = 80 };
  for (int i = 0; i < PARAGRAPHS; i++) {
    sb_puts(&b, "<p>");
    add_words(&b, 20 + (i * 37) % 90, i);
    sb_puts(&b, "</p>\n");
  }
  sb_puts(&b, REPORT_CLOSE);
  run r;
  run_layout(&r, b.data, default_template());
  sb_free(&b);
  ck_assert_int_ge(r.cap.count, 4);
  check_vertical_bounds(&r);
  /* every paragraph is there, in order */
  int last_page = 0, seen = 0;
  for (const node *pn = r.doc->body->first; pn; pn = pn->next) {
    int pages[8];
    int np = block_pages(&r, pn->id, pages, 8);
    ck_assert_int_ge(np, 1);
    ck_assert_int_ge(pages[0], last_page);
    for (int k = 1; k < np; k++) ck_assert_int_eq(pages[k], pages[k - 1] + 1);
    last_page = pages[np - 1];
    seen++;
  }
  ck_assert_int_eq(seen, PARAGRAPHS);
  /* pages are filled: none but the last is less than two thirds full */
  const template_model *t = r.tpl;
  for (int pg = 0; pg + 1 < r.cap.count; pg++) {
    double lowest = t->page.height;
    const cap_page *p = &r.cap.pages[pg];
    for (int i = 0; i < p->count; i++)
      if (is_body_run(&p->ops[i]) && p->ops[i].y < lowest) lowest = p->ops[i].y;
    double used = t->page.height - t->page.top - lowest;
    ck_assert_msg(used > (t->page.height - t->page.top - t->page.bottom) * 2 / 3, "page %d is only %.0fpt full",
                  p->number, used);
  }
  run_free(&r);
}
END_TEST

/* Widows and orphans, and headings kept with their text: lay out the
 * same material behind more and more filler and look at every page
 * break. */
START_TEST(test_widows_orphans_and_heading_keeps) {
  int split_seen = 0, heading_moved = 0;
  for (int filler = 0; filler <= 44; filler++) {
    strbuf b = {0};
    sb_puts(&b, REPORT_OPEN);
    for (int i = 0; i < filler; i++) sb_printf(&b, "<p>Rad %d.</p>\n", i + 1);
    static const int sizes[] = {45, 60, 75, 100, 30, 140, 52, 68};
    for (int s = 0; s < 8; s++) {
      sb_printf(&b, "<section><heading>Avsnitt %d</heading>\n<p>", s + 1);
      add_words(&b, sizes[s], s);
      sb_puts(&b, "</p>\n<p>");
      add_words(&b, sizes[(s + 3) % 8], s + 5);
      sb_puts(&b, "</p>\n</section>\n");
    }
    sb_puts(&b, REPORT_CLOSE);
    run r;
    run_layout(&r, b.data, default_template());
    sb_free(&b);
    check_vertical_bounds(&r);

    /* every block: lines per page */
    for (int id = 1; id <= r.doc->node_count; id++) {
      const node *n = node_by_id(&r, id);
      if (!n || (n->kind != NODE_PARAGRAPH && n->kind != NODE_HEADING)) continue;
      int pages[8];
      int np = block_pages(&r, id, pages, 8);
      ck_assert_int_ge(np, 1);
      int per_page[8], total = 0;
      for (int k = 0; k < np; k++) {
        block_line lines[64];
        per_page[k] = block_lines(&r, pages[k], id, lines, 64);
        total += per_page[k];
      }
      if (np > 1) split_seen++;
      if (n->kind == NODE_HEADING) ck_assert_int_eq(np, 1);
      for (int k = 0; k < np && total >= 2; k++)
        ck_assert_msg(per_page[k] >= 2,
                      "filler %d: paragraph %d (%d lines) has %d line(s) on page %d: a %s", filler, id, total,
                      per_page[k], pages[k] + 1, k == 0 ? "orphan" : "widow");
    }

    /* no page ends with a heading; the heading's page holds its text */
    double previous_lowest = 0;
    for (int pg = 0; pg < r.cap.count; pg++) {
      const cap_page *p = &r.cap.pages[pg];
      const cap_op *lowest = NULL;
      for (int i = 0; i < p->count; i++)
        if (is_body_run(&p->ops[i]) && (!lowest || p->ops[i].y < lowest->y)) lowest = &p->ops[i];
      ck_assert_ptr_nonnull(lowest);
      const node *n = node_by_id(&r, block_of(&r, lowest));
      ck_assert_msg(!n || n->kind != NODE_HEADING, "filler %d: page %d ends with the heading \"%s\"", filler,
                    p->number, lowest->text);
      /* a heading at the top of a page although the previous page had
       * room for it: the keep moved it */
      const cap_op *highest = NULL;
      for (int i = 0; i < p->count; i++)
        if (is_body_run(&p->ops[i]) && (!highest || p->ops[i].y > highest->y)) highest = &p->ops[i];
      const node *h = node_by_id(&r, block_of(&r, highest));
      if (pg > 0 && h && h->kind == NODE_HEADING) {
        const heading_style *hs = &r.tpl->heading[0];
        double prev_low = previous_lowest;
        if (prev_low - 4 - r.tpl->page.bottom > hs->text.space_before + hs->text.leading) heading_moved++;
      }
      previous_lowest = lowest->y;
    }
    run_free(&r);
  }
  /* the loop did exercise page breaks inside paragraphs */
  ck_assert_int_gt(split_seen, 10);
  ck_assert_int_gt(heading_moved, 0);
}
END_TEST

/* ---- table of contents ---- */

START_TEST(test_toc_page_numbers) {
  strbuf b = {0};
  sb_puts(&b, REPORT_OPEN "<toc/>\n");
  enum { SECTIONS = 40 };
  for (int s = 0; s < SECTIONS; s++) {
    sb_printf(&b, "<section><heading>Avsnitt nummer %d om verksamheten</heading>\n<p>", s + 1);
    add_words(&b, 60 + (s * 53) % 200, s);
    sb_puts(&b, "</p>\n</section>\n");
  }
  sb_puts(&b, REPORT_CLOSE);
  run r;
  run_layout(&r, b.data, default_template());
  sb_free(&b);
  ck_assert_int_ge(r.result.passes, 1); /* numbers have a reserved width: one pass settles them */

  int toc_pages[64] = {0}, toc_page_count = 0;
  int checked = 0;
  for (const node *s = r.doc->body->first; s; s = s->next) {
    if (s->kind != NODE_SECTION) continue;
    /* where the heading is */
    int anchor_page = 0, anchors = 0;
    for (int pg = 0; pg < r.cap.count; pg++)
      for (int i = 0; i < r.cap.pages[pg].count; i++) {
        const cap_op *op = &r.cap.pages[pg].ops[i];
        if (op->kind == DISPLAY_ANCHOR && op->anchor == s->id) anchor_page = pg + 1, anchors++;
      }
    ck_assert_int_eq(anchors, 1);
    /* the heading's text is on that page */
    int pages[4];
    ck_assert_int_eq(block_pages(&r, s->first->id, pages, 4), 1);
    ck_assert_int_eq(pages[0] + 1, anchor_page);
    /* the TOC entry: the last run before its (last) link is the number */
    int printed = -1, entry_page = 0;
    for (int pg = 0; pg < r.cap.count; pg++) {
      const cap_page *p = &r.cap.pages[pg];
      for (int i = 0; i < p->count; i++) {
        if (p->ops[i].kind != DISPLAY_LINK || p->ops[i].anchor != s->id) continue;
        int k = i - 1;
        while (k >= 0 && p->ops[k].kind != DISPLAY_GLYPHS) k--;
        ck_assert_int_ge(k, 0);
        char *end;
        long v = strtol(p->ops[k].text, &end, 10);
        ck_assert_msg(*p->ops[k].text && *end == '\0', "TOC entry %d ends in \"%s\", not a number", s->id,
                      p->ops[k].text);
        ck_assert_int_eq(p->ops[k].owner_role, PART_TOC_LINK); /* TOCI > Link > the entry's text */
        printed = (int)v, entry_page = pg + 1;
      }
    }
    ck_assert_msg(printed >= 0, "no TOC entry links to section %d", s->id);
    ck_assert_msg(printed == anchor_page, "the TOC says \"%s\" is on page %d, it is on page %d",
                  r.by_id[s->first->id]->first->text, printed, anchor_page);
    ck_assert_int_lt(entry_page, anchor_page);
    int known = 0;
    for (int k = 0; k < toc_page_count; k++) known |= toc_pages[k] == entry_page;
    if (!known) toc_pages[toc_page_count++] = entry_page;
    /* layout_result agrees */
    int found = 0;
    for (int h = 0; h < r.result.heading_count; h++)
      if (r.result.headings[h].node_id == s->id) {
        ck_assert_int_eq(r.result.headings[h].page, anchor_page);
        found = 1;
      }
    ck_assert(found);
    checked++;
  }
  ck_assert_int_eq(checked, SECTIONS);
  ck_assert_msg(toc_page_count >= 2, "the TOC should span two pages, it has %d", toc_page_count);
  run_free(&r);
}
END_TEST

/* ---- page breaks and margins ---- */

START_TEST(test_forced_page_break) {
  run r;
  run_layout(&r,
             REPORT_OPEN "<p>Första sidan.</p>\n<page-break/>\n<p>Andra sidan.</p>\n<p>Också andra sidan.</p>\n"
                         "<section page-break-before=\"yes\"><heading>Ny sida</heading><p>Text.</p></section>\n"
                         REPORT_CLOSE,
             default_template());
  ck_assert_int_eq(r.cap.count, 3);
  const node *p1 = r.doc->body->first, *p2 = p1->next->next, *p3 = p2->next, *sec = p3->next;
  ck_assert_int_eq(p1->kind, NODE_PARAGRAPH);
  ck_assert_int_eq(sec->kind, NODE_SECTION);
  int pages[4];
  ck_assert_int_eq(block_pages(&r, p1->id, pages, 4), 1);
  ck_assert_int_eq(pages[0], 0);
  ck_assert_int_eq(block_pages(&r, p2->id, pages, 4), 1);
  ck_assert_int_eq(pages[0], 1);
  ck_assert_int_eq(block_pages(&r, p3->id, pages, 4), 1);
  ck_assert_int_eq(pages[0], 1);
  ck_assert_int_eq(block_pages(&r, sec->first->id, pages, 4), 1);
  ck_assert_int_eq(pages[0], 2);
  /* the text after the break starts at the top of its page */
  block_line lines[4];
  ck_assert_int_eq(block_lines(&r, 1, p2->id, lines, 4), 1);
  double top = r.tpl->page.height - r.tpl->page.top;
  ck_assert_msg(lines[0].y > top - r.tpl->body.leading && lines[0].y < top, "first line at %.2f, frame top %.2f",
                lines[0].y, top);
  run_free(&r);
}
END_TEST

START_TEST(test_odd_page_heading) {
  template_model *t =
      template_str(TEMPLATE_OPEN "<page/>\n<style name=\"heading-1\" page-break-before=\"odd\"/>\n</template>\n");
  run r;
  run_layout(&r,
             REPORT_OPEN "<section><heading>Ett</heading><p>a</p></section>\n"
                         "<section><heading>Två</heading><p>b</p></section>\n"
                         "<section><heading>Tre</heading><p>c</p></section>\n" REPORT_CLOSE,
             t);
  for (const node *s = r.doc->body->first; s; s = s->next) {
    int pages[2];
    ck_assert_int_eq(block_pages(&r, s->first->id, pages, 2), 1);
    ck_assert_msg((pages[0] + 1) % 2 == 1, "section %d starts on page %d", s->id, pages[0] + 1);
  }
  ck_assert_int_eq(r.cap.count, 5); /* 1, (blank) 2, 3, (blank) 4, 5 */
  run_free(&r);
}
END_TEST

static void check_margins(run *r, int expect_mirrored) {
  const template_model *t = r->tpl;
  ck_assert_int_eq(t->page.mirrored, expect_mirrored);
  ck_assert_double_ne(t->page.inner, t->page.outer);
  ck_assert_int_ge(r->cap.count, 3);
  for (int pg = 0; pg < r->cap.count; pg++) {
    const cap_page *p = &r->cap.pages[pg];
    double min_x = 1e9;
    for (int i = 0; i < p->count; i++)
      if (is_body_run(&p->ops[i]) && p->ops[i].x < min_x) min_x = p->ops[i].x;
    double expect = expect_mirrored && p->number % 2 == 0 ? t->page.outer : t->page.inner;
    ck_assert_msg(fabs(min_x - expect) < 0.01, "page %d: text starts at %.2f, expected %.2f", p->number, min_x,
                  expect);
    /* and it is the frame's full width */
    double max_right = 0;
    for (int i = 0; i < p->count; i++)
      if (is_body_run(&p->ops[i]) && p->ops[i].x + p->ops[i].w > max_right) max_right = p->ops[i].x + p->ops[i].w;
    ck_assert_double_eq_tol(max_right, expect + frame_width(t), 0.5);
  }
}

static char *long_document(int paragraphs) {
  strbuf b = {0};
  sb_puts(&b, REPORT_OPEN);
  for (int i = 0; i < paragraphs; i++) {
    sb_puts(&b, "<p>");
    add_words(&b, 80, i);
    sb_puts(&b, "</p>\n");
  }
  sb_puts(&b, REPORT_CLOSE);
  return b.data;
}

START_TEST(test_mirrored_margins) {
  char *doc = long_document(40);
  run r;
  run_layout(&r, doc, default_template());
  check_margins(&r, 1);
  run_free(&r);
  run_layout(&r, doc, template_str(TEMPLATE_OPEN "<page inner=\"30mm\" outer=\"15mm\" mirrored=\"no\"/>\n</template>\n"));
  check_margins(&r, 0);
  run_free(&r);
  free(doc);
}
END_TEST

/* Paths: a circle's Bézier arcs stay within 0.1 % of the radius, and an
 * arc starts and ends where its angles say. */
static double bezier(double p0, double p1, double p2, double p3, double t) {
  double u = 1 - t;
  return u * u * u * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t * t * t * p3;
}

START_TEST(test_paths_circle_and_arc) {
  arena a = {0};
  path_builder b;
  path_begin(&b, &a);
  path_circle(&b, 100, 200, 5);
  ck_assert(!b.failed);
  ck_assert_int_eq(b.verbs[0], PATH_MOVE);
  ck_assert_int_eq(b.verbs[b.verb_count - 1], PATH_CLOSE);
  int curves = 0;
  const double *p = b.points + 2; /* after the MOVE */
  double x0 = b.points[0], y0 = b.points[1];
  for (int i = 1; i < b.verb_count; i++) {
    ck_assert_int_eq(b.verbs[i], i + 1 < b.verb_count ? PATH_CURVE : PATH_CLOSE);
    if (b.verbs[i] != PATH_CURVE) continue;
    curves++;
    for (double t = 0; t <= 1.0001; t += 0.125) {
      double x = bezier(x0, p[0], p[2], p[4], t) - 100, y = bezier(y0, p[1], p[3], p[5], t) - 200;
      ck_assert_msg(fabs(sqrt(x * x + y * y) - 5) < 0.005, "radius %.4f at t=%.3f", sqrt(x * x + y * y), t);
    }
    x0 = p[4], y0 = p[5];
    p += 6;
  }
  ck_assert_int_eq(curves, 4);
  ck_assert(fabs(x0 - 105) < 1e-9 && fabs(y0 - 200) < 1e-9);

  path_begin(&b, &a);
  path_move(&b, 0, 0);
  path_arc(&b, 0, 0, 10, 0, 3.14159265358979 / 3); /* a 60-degree pie slice */
  path_close(&b);
  ck_assert_int_eq(b.verb_count, 4); /* move, line to the arc, one curve, close */
  ck_assert_int_eq(b.verbs[1], PATH_LINE);
  ck_assert(fabs(b.points[2] - 10) < 1e-9 && fabs(b.points[3]) < 1e-9);
  ck_assert(fabs(b.points[8] - 5) < 1e-9 && fabs(b.points[9] - 10 * sqrt(3) / 2) < 1e-9);

  display_page page = {0};
  ck_assert_ptr_nonnull(display_push_path(&page, DISPLAY_PATH, &b, PAINT_FILL, (rgb){1, 0, 0}, (rgb){0}, 0));
  ck_assert_int_eq(page.ops[0].u.path.verb_count, 4);
  path_begin(&b, &a);
  ck_assert_ptr_null(display_push_path(&page, DISPLAY_PATH, &b, PAINT_FILL, (rgb){0}, (rgb){0}, 0));
  display_page_clear(&page);
  arena_free(&a);
}
END_TEST

/* ---- limits: nothing is dropped or cut short silently ---- */

/* Headings (and so bookmarks) were gathered through a stack of 64: a
 * document of 70 top-level sections got 64 bookmarks. */
START_TEST(test_seventy_sections_all_recorded) {
  enum { SECTIONS = 70 };
  strbuf b = {0};
  sb_puts(&b, REPORT_OPEN);
  for (int s = 0; s < SECTIONS; s++) sb_printf(&b, "<section><heading>Avsnitt %d</heading><p>Text.</p></section>\n", s);
  sb_puts(&b, REPORT_CLOSE);
  run r;
  run_layout(&r, b.data, default_template());
  sb_free(&b);
  ck_assert_int_eq(r.result.heading_count, SECTIONS);
  for (int s = 0; s < SECTIONS; s++) {
    char want[32];
    snprintf(want, sizeof want, "Avsnitt %d", s);
    ck_assert_str_eq(r.result.headings[s].title, want);
  }
  run_free(&r);
}
END_TEST

/* Fonts were resolved for the first 64 styles only (17 fixed ones, then
 * title lines): a later line's family was silently some other font. */
START_TEST(test_every_title_line_gets_its_font) {
  enum { LINES = 60 };
  strbuf t = {0};
  sb_puts(&t, TEMPLATE_OPEN "<page/>\n<title-block>\n");
  for (int i = 0; i < LINES; i++)
    sb_printf(&t, "<line size=\"4pt\"%s>Rad %d {title}</line>\n", i == LINES - 1 ? " family=\"DejaVu Sans\"" : "", i);
  sb_puts(&t, "</title-block>\n</template>\n");
  run r;
  run_layout(&r, REPORT_OPEN "<p>Text.</p>\n" REPORT_CLOSE, template_str(t.data));
  sb_free(&t);
  const text_style *last = &r.tpl->title_lines[LINES - 1].style;
  ck_assert_str_eq(font_path(r.fonts->fonts[r.fonts->faces[last->face].font]), FONT_DIR "/DejaVuSans.ttf");
  /* and it is drawn in that font */
  int found = 0;
  for (int i = 0; i < r.cap.pages[0].count; i++) {
    const cap_op *op = &r.cap.pages[0].ops[i];
    if (op->kind == DISPLAY_GLYPHS && op->text && strncmp(op->text, "Rad 59", 6) == 0) {
      ck_assert_str_eq(font_path(r.fonts->fonts[op->font]), FONT_DIR "/DejaVuSans.ttf");
      found = 1;
    }
  }
  ck_assert_msg(found, "the last title line is not on page 1");
  run_free(&r);
}
END_TEST

/* Fields were expanded into 1024 bytes: a long title lost its end in the
 * title block; in the header it is shortened with an ellipsis, found by
 * bisection (prefix after prefix took minutes for a long one). */
START_TEST(test_long_fields_are_whole) {
  enum { TITLE = 100000 };
  strbuf c = {0};
  sb_puts(&c, "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n<meta><title>");
  for (int i = 0; c.length < TITLE; i++) sb_printf(&c, "ord%05dåö ", i); /* cuts must keep whole characters */
  sb_puts(&c, "SLUT</title><board>B</board></meta>\n<body><p>Text.</p></body>\n</report>\n");
  int last_word = 0;
  sscanf(strstr(c.data, "SLUT") - 10, "%d", &last_word);
  run r;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  run_layout(&r, c.data, template_str(TEMPLATE_OPEN "<page/>\n<header><center>{title}</center></header>\n"
                                                    "<title-block><line size=\"6pt\">{title}</line></title-block>\n"
                                                    "</template>\n"));
  clock_gettime(CLOCK_MONOTONIC, &t1);
  sb_free(&c);
  double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  ck_assert_msg(seconds < 60, "a 100 kB title took %.1f s", seconds);
  /* the title block has every word, up to the last */
  int words = 0, slut = 0, ellipsis = 0;
  for (int pg = 0; pg < r.cap.count; pg++)
    for (int i = 0; i < r.cap.pages[pg].count; i++) {
      const cap_op *op = &r.cap.pages[pg].ops[i];
      if (op->kind != DISPLAY_GLYPHS || !op->text) continue;
      if (op->artifact) { /* the header: one line inside the frame */
        ellipsis += strstr(op->text, "\xe2\x80\xa6") != NULL;
        ck_assert_msg(!strstr(op->text, "\xef\xbf\xbd"), "a character cut in two: %s", op->text);
        ck_assert_double_ge(op->x, frame_left(r.tpl, pg + 1) - 0.01);
        ck_assert_double_le(op->x + op->w, frame_left(r.tpl, pg + 1) + frame_width(r.tpl) + 0.01);
        continue;
      }
      for (const char *p = op->text; (p = strstr(p, "ord")); p += 3) words++;
      slut += strstr(op->text, "SLUT") != NULL;
    }
  ck_assert_int_eq(words, last_word + 1);
  ck_assert_int_eq(slut, 1);
  ck_assert_int_eq(ellipsis, r.cap.count);
  run_free(&r);
}
END_TEST

/* Many inline elements in one paragraph, glued (no space between them)
 * and spaced: layout stays linear and loses nothing. */
START_TEST(test_many_inline_elements) {
  enum { PAIRS = 15000 };
  strbuf c = {0};
  sb_puts(&c, REPORT_OPEN "<p>");
  for (int i = 0; i < PAIRS; i++) sb_puts(&c, "<b>x</b><i>y</i>\n");
  sb_puts(&c, "</p>\n<p>");
  for (int i = 0; i < PAIRS; i++) sb_printf(&c, "<b>b%d</b> \n", i);
  sb_puts(&c, "</p>\n" REPORT_CLOSE);
  run r;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  run_layout(&r, c.data, default_template());
  clock_gettime(CLOCK_MONOTONIC, &t1);
  sb_free(&c);
  double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  ck_assert_msg(seconds < 120, "%d inline elements took %.1f s", 3 * PAIRS, seconds);
  const node *glued = r.doc->body->first, *spaced = glued->next;
  long xs = 0, ys = 0, bs = 0;
  for (int pg = 0; pg < r.cap.count; pg++)
    for (int i = 0; i < r.cap.pages[pg].count; i++) {
      const cap_op *op = &r.cap.pages[pg].ops[i];
      if (!is_body_run(op)) continue;
      int block = block_of(&r, op);
      for (const char *p = op->text; *p; p++) {
        if (block == glued->id) xs += *p == 'x', ys += *p == 'y';
        if (block == spaced->id) bs += *p == 'b';
      }
    }
  ck_assert_int_eq(xs, PAIRS);
  ck_assert_int_eq(ys, PAIRS);
  ck_assert_int_eq(bs, PAIRS);
  run_free(&r);
}
END_TEST

/* Row spans that overlap join every row of a table into one group, cut
 * into slices between lines: finding the cuts checked every cell for
 * every candidate, and each slice opened every row of the group, both
 * quadratic (4,000 rows took 52 s). Every line is printed once. */
START_TEST(test_rows_joined_by_spans) {
  enum { ROWS = 3000, SPAN = 600 };
  strbuf c = {0};
  sb_puts(&c, REPORT_OPEN "<table><columns><column/><column/><column/><column/></columns><tbody>\n");
  for (int i = 0; i < ROWS; i++) {
    sb_puts(&c, "<row>");
    if (i % SPAN == 0) sb_printf(&c, "<cell rowspan=\"%d\">a%d</cell>", ROWS - i < SPAN ? ROWS - i : SPAN, i);
    if (i < SPAN / 2) sb_puts(&c, "<cell>x</cell>");
    else if ((i - SPAN / 2) % SPAN == 0)
      sb_printf(&c, "<cell rowspan=\"%d\">b%d</cell>", ROWS - i < SPAN ? ROWS - i : SPAN, i);
    sb_printf(&c, "<cell>r%05d</cell><cell>s</cell></row>\n", i);
  }
  sb_puts(&c, "</tbody></table>\n" REPORT_CLOSE);
  run r;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  run_layout(&r, c.data, default_template());
  clock_gettime(CLOCK_MONOTONIC, &t1);
  sb_free(&c);
  double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  ck_assert_msg(seconds < 120, "%d rows joined by spans took %.1f s", ROWS, seconds);
  char *seen = calloc(ROWS, 1);
  ck_assert_ptr_nonnull(seen);
  long structure_ops = 0;
  for (int pg = 0; pg < r.cap.count; pg++)
    for (int i = 0; i < r.cap.pages[pg].count; i++) {
      const cap_op *op = &r.cap.pages[pg].ops[i];
      structure_ops += op->kind == DISPLAY_BEGIN_NODE;
      if (op->kind != DISPLAY_GLYPHS || op->artifact || op->text[0] != 'r') continue;
      int row = atoi(op->text + 1);
      ck_assert_int_lt(row, ROWS);
      ck_assert_msg(!seen[row], "row %d printed twice", row);
      seen[row] = 1;
    }
  for (int i = 0; i < ROWS; i++) ck_assert_msg(seen[i], "row %d is missing", i);
  /* each page opens the rows it shows, not every row of the group */
  ck_assert_msg(structure_ops < 20L * ROWS, "%ld structure elements opened for %d rows", structure_ops, ROWS);
  free(seen);
  run_free(&r);
}
END_TEST

/* A table too wide at the template's size steps its font down in half
 * points to the largest size that fits (found by bisection: stepping one
 * half point at a time from 60pt to 1pt made a hundred passes over every
 * cell, with their memory). The size found is the largest: with the
 * minimum half a point above it, the table is refused. */
static template_model *table_template(double size, double min) {
  char xml[512];
  snprintf(xml, sizeof xml,
           TEMPLATE_OPEN "<page/>\n<table min-font-size=\"%gpt\"/>\n<style name=\"table\" size=\"%gpt\" "
                         "leading=\"%gpt\"/>\n<style name=\"table-header\" size=\"%gpt\"/>\n</template>\n",
           min, size, size * 1.2, size);
  return template_str(xml);
}

START_TEST(test_table_font_steps_down_to_largest_fit) {
  strbuf c = {0};
  sb_puts(&c, REPORT_OPEN "<table><columns>");
  for (int k = 0; k < 8; k++) sb_puts(&c, "<column align=\"decimal\"/>");
  sb_puts(&c, "</columns><tbody>\n");
  for (int i = 0; i < 200; i++) {
    sb_puts(&c, "<row>");
    for (int k = 0; k < 8; k++) sb_printf(&c, "<cell><num>%d4567890.5</num></cell>", i + k);
    sb_puts(&c, "</row>\n");
  }
  sb_puts(&c, "</tbody></table>\n" REPORT_CLOSE);
  run r;
  run_layout(&r, c.data, table_template(60, 1));
  double size = 0;
  for (int i = 0; i < r.cap.pages[0].count && size == 0; i++) {
    const cap_op *op = &r.cap.pages[0].ops[i];
    if (is_body_run(op) && op->text[0] >= '0' && op->text[0] <= '9') size = op->size;
  }
  run_free(&r);
  ck_assert_double_lt(size, 60);
  ck_assert_double_ge(size, 1);
  ck_assert_double_eq_tol(fmod(60 - size, 0.5), 0, 1e-6); /* whole half-point steps */
  /* half a point larger does not fit: refused with the minimum there */
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  document_model *doc = parse_content(c.data, c.length, "c.xml", content_schema, &sink);
  ck_assert_ptr_nonnull(doc);
  template_model *tpl = table_template(60, size + 0.5);
  fontset *fonts = fontset_new(FONT_DIR);
  ck_assert(resolve_fonts(fonts, tpl, &sink));
  capture cap = {0};
  layout_result result;
  ck_assert_int_eq(layout_run(doc, tpl, fonts, NULL, &sink, capture_page, &cap, &result), 0);
  ck_assert_msg(sink.errors > 0, "no error for a table that does not fit");
  capture_free(&cap);
  layout_result_free(&result);
  fontset_free(fonts);
  template_free(tpl);
  model_free(doc);
  sb_free(&c);
}
END_TEST

/* Leader dots were built in 2048 bytes: on a wide page with small TOC
 * entries they stopped far short of the page number. */
START_TEST(test_leader_reaches_the_number) {
  run r;
  run_layout(&r,
             REPORT_OPEN "<toc/>\n<section><heading>Kort</heading><p>Text.</p></section>\n" REPORT_CLOSE,
             template_str(TEMPLATE_OPEN "<page width=\"4000pt\" height=\"600pt\"/>\n<toc leader=\".\"/>\n"
                                        "<style name=\"toc-1\" size=\"2pt\"/>\n</template>\n"));
  int checked = 0;
  for (int i = 0; i + 1 < r.cap.pages[0].count; i++) {
    const cap_op *dots = &r.cap.pages[0].ops[i];
    if (dots->kind != DISPLAY_GLYPHS || !dots->artifact || dots->text[0] != '.') continue;
    const cap_op *number = NULL;
    for (int k = i + 1; k < r.cap.pages[0].count && !number; k++) {
      const cap_op *op = &r.cap.pages[0].ops[k];
      if (op->kind == DISPLAY_GLYPHS && !op->artifact && fabs(op->y - dots->y) < 0.01) number = op;
    }
    ck_assert_ptr_nonnull(number);
    ck_assert_int_gt(dots->count, 2048);
    double step = dots->w / dots->count;
    ck_assert_msg(number->x - (dots->x + dots->w) < 2 + 2 * step, "the dots end %.1fpt before the number",
                  number->x - (dots->x + dots->w));
    checked++;
  }
  ck_assert_int_eq(checked, 1);
  run_free(&r);
}
END_TEST

/* Every structure begin says what the backend tags (the seam of issue
 * 12): the role by node kind and part, the element's own language, table
 * attributes (scope by thead, group row and header=; spans) and list
 * numbering; the title block's {title} line is a heading, its other
 * lines paragraphs; a TOC entry's text sits in a Link. */
START_TEST(test_structure_begins_carry_tags) {
  run r;
  run_layout(&r,
             "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"
             "<meta><title>Titel</title><board>Nämnd</board><bilaga>Bilaga 1</bilaga></meta>\n<body>\n<toc/>\n"
             "<section xml:lang=\"en-GB\"><heading>Rubrik</heading>\n"
             "<p>Text <b xml:lang=\"de-DE\">Wort</b>.</p>\n<ol start=\"2\"><li>Ett</li></ol><ul><li>Två</li></ul>\n"
             "<table><columns><column/><column/><column/></columns>\n"
             "<thead><row><cell>A</cell><cell colspan=\"2\" header=\"no\">B</cell></row></thead>\n"
             "<tbody><row role=\"group\"><cell colspan=\"3\">G</cell></row>\n"
             "<row><cell header=\"row\" rowspan=\"2\">R</cell><cell>1</cell><cell header=\"column\">2</cell></row>\n"
             "<row><cell>3</cell><cell>4</cell></row></tbody></table>\n"
             "</section>\n" REPORT_CLOSE,
             template_str(TEMPLATE_OPEN "<page/>\n<title-block><line>{bilaga}</line><line>{title}</line>"
                                        "<line>{board}</line></title-block>\n</template>\n"));
  int seen[STRUCT_ROLE_COUNT] = {0}, title_lines = 0, ths = 0, links = 0;
  for (int pg = 0; pg < r.cap.count; pg++)
    for (int i = 0; i < r.cap.pages[pg].count; i++) {
      const cap_op *op = &r.cap.pages[pg].ops[i];
      if (op->kind != DISPLAY_BEGIN_NODE) continue;
      const display_struct *t = &op->tag;
      ck_assert_int_lt(t->role, STRUCT_ROLE_COUNT);
      seen[t->role]++;
      if (t->part == PART_TITLE_LINE) {
        static const struct_role want[] = {STRUCT_P, STRUCT_H1, STRUCT_P};
        ck_assert_int_eq(t->role, want[title_lines++]);
        continue;
      }
      if (t->part == PART_TOC_LINK) links++;
      const node *n = node_by_id(&r, t->node_id);
      if (!n) continue;
      /* the element's own xml:lang, nothing inherited */
      ck_assert_msg(t->lang == n->lang, "node %d (%s): lang %s", n->id, model_kind_name(n->kind),
                    t->lang ? t->lang : "(none)");
      ck_assert_int_eq(t->line, n->line);
      if (t->part != PART_NODE) continue;
      switch (n->kind) {
        case NODE_HEADING: ck_assert_int_eq(t->role, STRUCT_H1); break;
        case NODE_LIST:
          ck_assert_int_eq(t->role, STRUCT_L);
          ck_assert_int_eq(t->numbering, n->u.list.ordered ? NUMBERING_DECIMAL : NUMBERING_NONE);
          break;
        case NODE_THEAD: ck_assert_int_eq(t->role, STRUCT_THEAD); break;
        case NODE_BOLD: ck_assert_int_eq(t->role, STRUCT_SPAN); break;
        case NODE_CELL: {
          const char *text = n->first && n->first->first ? n->first->first->text : "";
          /* A, G, R, 2 head; B (header="no"), 1, 3, 4 do not */
          struct_scope want = strcmp(text, "A") == 0 || strcmp(text, "2") == 0   ? SCOPE_COLUMN
                              : strcmp(text, "G") == 0 || strcmp(text, "R") == 0 ? SCOPE_ROW
                                                                                 : SCOPE_NONE;
          ck_assert_msg(t->scope == want, "cell %s: scope %d, want %d", text, t->scope, want);
          ck_assert_int_eq(t->role, want ? STRUCT_TH : STRUCT_TD);
          ck_assert_int_eq(t->colspan, n->u.cell.colspan);
          ck_assert_int_eq(t->rowspan, n->u.cell.rowspan);
          ths += want != SCOPE_NONE;
          break;
        }
        default: break;
      }
    }
  ck_assert_int_eq(title_lines, 3);
  ck_assert_int_eq(ths, 4);
  ck_assert_int_eq(links, 1);
  ck_assert_int_eq(seen[STRUCT_DOCUMENT], 1);
  ck_assert_int_eq(seen[STRUCT_TOC], 1);
  ck_assert_int_eq(seen[STRUCT_TOCI], 1);
  ck_assert_int_eq(seen[STRUCT_LBL], 2);
  ck_assert_int_eq(seen[STRUCT_LBODY], 2);
  ck_assert_int_eq(seen[STRUCT_TR], 4);
  run_free(&r);
}
END_TEST

static Suite *layout_suite(void) {
  Suite *s = suite_create("layout");
  TCase *tc = tcase_create("lines");
  tcase_add_checked_fixture(tc, load_schemas, free_schemas);
  tcase_add_test(tc, test_lines_stay_in_frame_and_justify);
  tcase_add_test(tc, test_overlong_word_is_broken);
  tcase_add_test(tc, test_hyphenation_in_narrow_ragged_frame);
  tcase_add_test(tc, test_no_hyphens_when_hyphenation_is_off);
  tcase_add_test(tc, test_spaces_around_inline_markup);
  tcase_add_test(tc, test_number_spaces_in_text_font);
  tcase_add_test(tc, test_paths_circle_and_arc);
  suite_add_tcase(s, tc);

  tc = tcase_create("pages");
  tcase_add_checked_fixture(tc, load_schemas, free_schemas);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, test_pagination_many_paragraphs);
  tcase_add_test(tc, test_widows_orphans_and_heading_keeps);
  tcase_add_test(tc, test_toc_page_numbers);
  tcase_add_test(tc, test_forced_page_break);
  tcase_add_test(tc, test_odd_page_heading);
  tcase_add_test(tc, test_mirrored_margins);
  suite_add_tcase(s, tc);

  tc = tcase_create("limits");
  tcase_add_checked_fixture(tc, load_schemas, free_schemas);
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, test_seventy_sections_all_recorded);
  tcase_add_test(tc, test_every_title_line_gets_its_font);
  tcase_add_test(tc, test_long_fields_are_whole);
  tcase_add_test(tc, test_many_inline_elements);
  tcase_add_test(tc, test_rows_joined_by_spans);
  tcase_add_test(tc, test_table_font_steps_down_to_largest_fit);
  tcase_add_test(tc, test_leader_reaches_the_number);
  tcase_add_test(tc, test_structure_begins_carry_tags);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(layout_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
