/* test_vocab.c - check suite "vocab": the vocabulary of issue 13 laid
 * out with real fonts and checked on the display lists: headings to level
 * five (tags H4/H5, bookmarks, TOC depth), unnumbered sections, the
 * heading number format, superscript and subscript, numbers without digit
 * grouping, span weight, and footnotes (page foot, per-page numbering,
 * under a table, Reference/Link/Note tags). */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
  int owner_struct;  /* GLYPHS: structure role (struct_role) of the innermost open element */
  int owner_node;    /* GLYPHS: node id of the innermost open element */
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
  int open_id[MAX_OPEN], open_role[MAX_OPEN], open_struct[MAX_OPEN];
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
        o->owner_struct = c->open ? c->open_struct[c->open - 1] : -1;
        o->owner_node = c->open ? c->open_id[c->open - 1] : 0;
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
        c->open_struct[c->open] = op->u.node.role;
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


#define REPORT_OPEN                                                                                  \
  "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"                                     \
  "<meta><title>Testrapport</title><board>Kommunstyrelsen</board></meta>\n<body>\n"
#define REPORT_CLOSE "</body>\n</report>\n"

/* The first glyph run (outside artifacts) whose text contains s, from
 * page index pg on; NULL if none. *page gets its page index. */
static const cap_op *find_run(const run *r, const char *s, int *page) {
  for (int pg = 0; pg < r->cap.count; pg++)
    for (int i = 0; i < r->cap.pages[pg].count; i++) {
      const cap_op *op = &r->cap.pages[pg].ops[i];
      if (op->kind == DISPLAY_GLYPHS && !op->artifact && op->text && strstr(op->text, s)) {
        if (page) *page = pg;
        return op;
      }
    }
  return NULL;
}

static int count_runs(const run *r, const char *s) {
  int n = 0;
  for (int pg = 0; pg < r->cap.count; pg++)
    for (int i = 0; i < r->cap.pages[pg].count; i++) {
      const cap_op *op = &r->cap.pages[pg].ops[i];
      n += op->kind == DISPLAY_GLYPHS && !op->artifact && op->text && strstr(op->text, s);
    }
  return n;
}

/* The structure role the BEGIN_NODE of (node, part) carries; -1 if none. */
static int struct_role_of(const run *r, int node_id, int part) {
  for (int pg = 0; pg < r->cap.count; pg++)
    for (int i = 0; i < r->cap.pages[pg].count; i++) {
      const cap_op *op = &r->cap.pages[pg].ops[i];
      if (op->kind == DISPLAY_BEGIN_NODE && op->node_id == node_id && op->role == part) return op->tag.role;
    }
  return -1;
}

static const node *first_of_kind(const node *n, node_kind kind) {
  for (; n; n = n->next) {
    if (n->kind == kind) return n;
    const node *in = first_of_kind(n->first, kind);
    if (in) return in;
  }
  return NULL;
}

static const char *const FIVE_LEVELS =
    REPORT_OPEN "<toc/>\n"
    "<section><heading>Ett</heading><p>A.</p>\n"
    " <section><heading>Två</heading>\n"
    "  <section><heading>Tre</heading>\n"
    "   <section><heading>Fyra</heading><p>Fjärde.</p>\n"
    "    <section><heading>Fem</heading><p>Femte.</p></section>\n"
    "   </section>\n"
    "  </section>\n"
    "  <section numbered=\"no\"><heading>Utan nummer</heading><p>B.</p>\n"
    "   <section><heading>Under utan</heading><p>C.</p></section></section>\n"
    "  <section><heading>Tre igen</heading><p>D.</p></section>\n"
    " </section>\n"
    "</section>\n" REPORT_CLOSE;

#define TEMPLATE_OPEN "<template xmlns=\"urn:bilaga:template:1\">\n<page/>\n"

static const layout_heading *heading_titled(const run *r, const char *end) {
  for (int i = 0; i < r->result.heading_count; i++) {
    const char *t = r->result.headings[i].title;
    size_t n = strlen(t), m = strlen(end);
    if (n >= m && strcmp(t + n - m, end) == 0) return &r->result.headings[i];
  }
  return NULL;
}

/* Five levels: tags H1..H5, a bookmark per heading at its level, levels
 * 4 and 5 numbered like level 3 and listed in a five-level TOC; an
 * unnumbered section uses no number up, and its subsection has none. */
START_TEST(test_five_heading_levels) {
  run r;
  run_layout(&r, FIVE_LEVELS,
             template_str(TEMPLATE_OPEN "<style name=\"heading-1\" numbered=\"yes\"/>\n"
                                        "<style name=\"heading-2\" numbered=\"yes\"/>\n"
                                        "<style name=\"heading-3\" numbered=\"yes\"/>\n"
                                        "<toc levels=\"5\"/>\n</template>\n"));
  const char *titles[] = {"1 Ett", "1.1 Två", "1.1.1 Tre", "1.1.1.1 Fyra", "1.1.1.1.1 Fem", "Utan nummer",
                          "Under utan", "1.1.2 Tre igen"};
  int levels[] = {1, 2, 3, 4, 5, 3, 4, 3};
  ck_assert_int_eq(r.result.heading_count, 8);
  for (int i = 0; i < 8; i++) {
    ck_assert_str_eq(r.result.headings[i].title, titles[i]);
    ck_assert_int_eq(r.result.headings[i].level, levels[i]);
  }
  const int roles[] = {STRUCT_H1, STRUCT_H2, STRUCT_H3, STRUCT_H4, STRUCT_H5};
  for (int i = 0; i < 5; i++) {
    const node *s = node_by_id(&r, r.result.headings[i].node_id);
    ck_assert_int_eq(struct_role_of(&r, s->first->id, PART_NODE), roles[i]);
  }
  /* in the TOC and in the text */
  ck_assert_int_eq(count_runs(&r, "1.1.1.1.1\xe2\x80\x82" "Fem"), 2);
  ck_assert_int_eq(count_runs(&r, "Under utan"), 2);
  /* level 4 is set at the body's size, level 5 in italic */
  const cap_op *four = NULL, *body = find_run(&r, "Fjärde", NULL);
  for (int pg = 0; pg < r.cap.count; pg++)
    for (int i = 0; i < r.cap.pages[pg].count; i++) {
      const cap_op *op = &r.cap.pages[pg].ops[i];
      if (op->kind == DISPLAY_GLYPHS && op->text && strstr(op->text, "Fyra") && op->owner_struct == STRUCT_H4) four = op;
    }
  ck_assert_ptr_nonnull(four);
  ck_assert_ptr_nonnull(body);
  ck_assert_double_eq_tol(four->size, body->size, 0.01);
  run_free(&r);
}
END_TEST

/* The template's TOC depth decides which levels are listed. */
START_TEST(test_toc_depth_from_template) {
  run r;
  run_layout(&r, FIVE_LEVELS, template_str(TEMPLATE_OPEN "<toc levels=\"4\"/>\n</template>\n"));
  ck_assert_int_eq(count_runs(&r, "Fyra"), 2);
  ck_assert_int_eq(count_runs(&r, "Femte"), 1);
  ck_assert_int_eq(count_runs(&r, "Fem"), 2); /* the heading and its text, no TOC entry */
  run_free(&r);
}
END_TEST

/* number-format: "1." and "1" (own number), "1.1." (whole path, a period). */
START_TEST(test_heading_number_format) {
  run r;
  run_layout(&r, FIVE_LEVELS,
             template_str(TEMPLATE_OPEN "<style name=\"heading-1\" numbered=\"yes\" number-format=\"1.\"/>\n"
                                        "<style name=\"heading-2\" numbered=\"yes\" number-format=\"1\"/>\n"
                                        "<style name=\"heading-3\" numbered=\"yes\" number-format=\"1.1.\"/>\n"
                                        "</template>\n"));
  ck_assert_str_eq(r.result.headings[0].title, "1. Ett");
  ck_assert_str_eq(r.result.headings[1].title, "1 Två");
  ck_assert_str_eq(r.result.headings[2].title, "1.1.1. Tre");
  ck_assert_ptr_nonnull(find_run(&r, "1.\xe2\x80\x82" "Ett", NULL));
  ck_assert_ptr_nonnull(heading_titled(&r, "1.1.2. Tre igen"));
  run_free(&r);
}
END_TEST

/* CO<sub>2</sub> and m<sup>3</sup>: smaller, below and above the baseline
 * by the template's fractions. */
START_TEST(test_superscript_and_subscript) {
  run r;
  run_layout(&r, REPORT_OPEN "<p>Utsläpp av CO<sub>2</sub> per m<sup>3</sup> vatten.</p>\n" REPORT_CLOSE,
             template_str(TEMPLATE_OPEN "<scripts scale=\"0.6\" rise=\"0.4\" drop=\"0.2\"/>\n</template>\n"));
  const cap_op *text = find_run(&r, "Utsläpp", NULL);
  ck_assert_ptr_nonnull(text);
  const cap_op *sub = NULL, *sup = NULL;
  for (int i = 0; i < r.cap.pages[0].count; i++) {
    const cap_op *op = &r.cap.pages[0].ops[i];
    if (op->kind != DISPLAY_GLYPHS || op->artifact) continue;
    if (strcmp(op->text, "2") == 0) sub = op;
    if (strcmp(op->text, "3") == 0) sup = op;
  }
  ck_assert_ptr_nonnull(sub);
  ck_assert_ptr_nonnull(sup);
  double size = text->size;
  ck_assert_double_eq_tol(sub->size, size * 0.6, 0.01);
  ck_assert_double_eq_tol(sup->size, size * 0.6, 0.01);
  ck_assert_double_eq_tol(sub->y, text->y - size * 0.2, 0.02);
  ck_assert_double_eq_tol(sup->y, text->y + size * 0.4, 0.02);
  /* the text after them is back on the baseline, at its size */
  const cap_op *after = find_run(&r, "vatten", NULL);
  ck_assert_double_eq_tol(after->y, text->y, 0.001);
  ck_assert_double_eq_tol(after->size, size, 0.001);
  run_free(&r);
}
END_TEST

static int contains_nbsp(const char *s) { return strstr(s, "\xc2\xa0") != NULL; }

/* Years and codes: no grouping under five digits outside tables (the
 * template's group-min-digits), none at all with grouping="no", always in
 * tables (columns line up). */
START_TEST(test_number_grouping) {
  run r;
  run_layout(&r,
             REPORT_OPEN "<p>År <num>2023</num>, belopp <num>12345</num>, kod <num grouping=\"no\">123456</num>, "
                         "och <num grouping=\"yes\">4321</num>.</p>\n"
                         "<table><columns><column/><column align=\"decimal\"/></columns><tbody>"
                         "<row><cell>Summa</cell><cell><num>1234</num></cell></row></tbody></table>\n" REPORT_CLOSE,
             default_template());
  strbuf all = {0};
  for (int i = 0; i < r.cap.pages[0].count; i++) {
    const cap_op *op = &r.cap.pages[0].ops[i];
    if (op->kind == DISPLAY_GLYPHS && !op->artifact) sb_puts(&all, op->text);
  }
  ck_assert_msg(strstr(all.data, "År 2023,"), "%s", all.data);
  ck_assert_msg(strstr(all.data, "12\xc2\xa0" "345"), "%s", all.data);
  ck_assert_msg(strstr(all.data, "kod 123456,"), "%s", all.data);
  ck_assert_msg(strstr(all.data, "4\xc2\xa0" "321"), "%s", all.data);
  ck_assert_msg(strstr(all.data, "1\xc2\xa0" "234"), "a table groups four digits: %s", all.data);
  ck_assert(!contains_nbsp("2023"));
  sb_free(&all);
  run_free(&r);
  /* a template may group from four digits on */
  run_layout(&r, REPORT_OPEN "<p>År <num>2023</num>.</p>\n" REPORT_CLOSE,
             template_str(TEMPLATE_OPEN "<numbers group-min-digits=\"4\"/>\n</template>\n"));
  ck_assert_ptr_nonnull(find_run(&r, "2\xc2\xa0" "023", NULL));
  run_free(&r);
}
END_TEST

/* <span weight="normal"> inside a header cell is set in the regular face;
 * slant="italic" in the italic one. */
START_TEST(test_span_removes_bold) {
  run r;
  run_layout(&r,
             REPORT_OPEN "<p>Löptext <span slant=\"italic\">lutande</span>.</p>\n"
                         "<table><columns><column/><column/></columns>"
                         "<thead><row><cell>Post <span weight=\"normal\">(tkr)</span></cell><cell>Belopp</cell></row></thead>"
                         "<tbody><row><cell>Rad</cell><cell><num>1</num></cell></row></tbody></table>\n" REPORT_CLOSE,
             default_template());
  const cap_op *post = find_run(&r, "Post", NULL), *tkr = find_run(&r, "(tkr)", NULL),
               *row = find_run(&r, "Rad", NULL), *body = find_run(&r, "Löptext", NULL),
               *slant = find_run(&r, "lutande", NULL);
  ck_assert(post && tkr && row && body && slant);
  ck_assert_int_ne(post->font, tkr->font);
  ck_assert_int_eq(tkr->font, row->font); /* the table's regular face */
  ck_assert_int_ne(slant->font, body->font);
  run_free(&r);
}
END_TEST

/* A footnote: a raised marker in the text, tagged Reference > Link with a
 * link to the note's text, which is tagged Note and set at the foot of
 * the marker's page, below all body text and above the bottom margin. */
START_TEST(test_footnote_at_page_foot) {
  run r;
  run_layout(&r,
             REPORT_OPEN "<p>Första meningen.<note>Källa: egen mätning.</note> Andra meningen.<note>Andra noten.</note></p>\n"
                         "<p>Ett stycke till.</p>\n" REPORT_CLOSE,
             default_template());
  const node *note = first_of_kind(r.doc->body, NODE_NOTE);
  ck_assert_ptr_nonnull(note);
  ck_assert_int_eq(note->u.note.number, 1);
  ck_assert_int_eq(struct_role_of(&r, note->id, PART_NODE), STRUCT_REFERENCE);
  ck_assert_int_eq(struct_role_of(&r, note->id, PART_NOTE_LINK), STRUCT_LINK);
  ck_assert_int_eq(struct_role_of(&r, note->id, PART_NOTE_TEXT), STRUCT_NOTE);
  const cap_page *p = &r.cap.pages[0];
  const cap_op *first = find_run(&r, "Första", NULL), *marker = NULL, *text = NULL, *last_body = NULL;
  int link = 0, anchor = 0;
  for (int i = 0; i < p->count; i++) {
    const cap_op *op = &p->ops[i];
    if (op->kind == DISPLAY_LINK && op->anchor == note->id) link++;
    if (op->kind == DISPLAY_ANCHOR && op->anchor == note->id) anchor++;
    if (op->kind != DISPLAY_GLYPHS || op->artifact) continue;
    if (op->owner_struct == STRUCT_LINK && op->owner_node == note->id) marker = op;
    if (op->owner_struct == STRUCT_NOTE && op->owner_node == note->id && strstr(op->text, "Källa")) text = op;
    if (strstr(op->text, "stycke till")) last_body = op;
  }
  ck_assert_int_eq(link, 1);
  ck_assert_int_eq(anchor, 1);
  ck_assert_ptr_nonnull(marker);
  ck_assert_str_eq(marker->text, "1");
  ck_assert_double_gt(marker->y, first->y + 1);
  ck_assert_double_lt(marker->size, first->size);
  ck_assert_ptr_nonnull(text);
  ck_assert_ptr_nonnull(last_body);
  ck_assert_double_lt(text->y, last_body->y - 20);
  ck_assert_double_ge(text->y, r.tpl->page.bottom - 0.01);
  ck_assert_double_lt(text->y, r.tpl->page.bottom + 40);
  ck_assert_ptr_nonnull(find_run(&r, "Andra noten", NULL));
  run_free(&r);
}
END_TEST

/* Enough notes for several pages: every note's text is on its marker's
 * page; numbered per page, each page starts again at 1. */
START_TEST(test_footnotes_follow_markers_and_number_per_page) {
  strbuf c = {0};
  sb_puts(&c, REPORT_OPEN);
  for (int i = 1; i <= 60; i++)
    sb_printf(&c, "<p>Stycke %d med text som tar plats på raden och lite till.<note>Not %d.</note></p>\n", i, i);
  sb_puts(&c, REPORT_CLOSE);
  for (int per_page = 0; per_page < 2; per_page++) {
    run r;
    run_layout(&r, c.data,
               template_str(per_page ? TEMPLATE_OPEN "<footnotes numbering=\"page\"/>\n</template>\n"
                                     : TEMPLATE_OPEN "</template>\n"));
    ck_assert_int_ge(r.cap.count, 2);
    int seen = 0;
    for (int pg = 0; pg < r.cap.count; pg++) {
      int expect = 0;
      const cap_page *p = &r.cap.pages[pg];
      for (int i = 0; i < p->count; i++) {
        const cap_op *op = &p->ops[i];
        if (op->kind != DISPLAY_GLYPHS || op->artifact || op->owner_struct != STRUCT_LINK) continue;
        int k = 0;
        const node *n = node_by_id(&r, op->owner_node);
        ck_assert(n && n->kind == NODE_NOTE);
        sscanf(op->text, "%d", &k);
        ck_assert_int_eq(k, per_page ? ++expect : n->u.note.number);
        /* its text on this page */
        char want[32];
        snprintf(want, sizeof want, "Not %d.", n->u.note.number);
        int found = 0;
        for (int j = 0; j < p->count; j++)
          found |= p->ops[j].kind == DISPLAY_GLYPHS && p->ops[j].owner_struct == STRUCT_NOTE &&
                   strstr(p->ops[j].text, want) != NULL;
        ck_assert_msg(found, "note %d not on page %d", n->u.note.number, pg + 1);
        seen++;
      }
      if (per_page && pg > 0) ck_assert_int_gt(expect, 0);
    }
    ck_assert_int_eq(seen, 60);
    run_free(&r);
  }
  sb_free(&c);
}
END_TEST

/* Notes inside a table: marked *, ** and set under the table (not at the
 * page foot); with table-marks="numbers" marked 1, 2. */
START_TEST(test_table_notes_under_the_table) {
  const char *content = REPORT_OPEN "<table><caption>Tabell</caption><columns><column/><column/></columns>"
                                    "<thead><row><cell>Post</cell><cell>Belopp<note>Avrundat.</note></cell></row></thead>"
                                    "<tbody><row><cell>Intäkter<note>Utan interna poster.</note></cell>"
                                    "<cell><num>5</num></cell></row></tbody></table>\n"
                                    "<p>Text efter tabellen.</p>\n" REPORT_CLOSE;
  for (int numbers = 0; numbers < 2; numbers++) {
    run r;
    run_layout(&r, content,
               template_str(numbers ? TEMPLATE_OPEN "<footnotes table-marks=\"numbers\"/>\n</template>\n"
                                    : TEMPLATE_OPEN "</template>\n"));
    const cap_op *row = find_run(&r, "Intäkter", NULL), *after = find_run(&r, "Text efter", NULL);
    const cap_op *n1 = find_run(&r, "Avrundat", NULL), *n2 = find_run(&r, "Utan interna", NULL);
    ck_assert(row && after && n1 && n2);
    ck_assert_double_lt(n1->y, row->y);
    ck_assert_double_lt(n2->y, n1->y);
    ck_assert_double_gt(n2->y, after->y); /* under the table, before what follows */
    ck_assert_int_eq(n1->owner_struct, STRUCT_NOTE);
    int marks = 0;
    for (int i = 0; i < r.cap.pages[0].count; i++) {
      const cap_op *op = &r.cap.pages[0].ops[i];
      if (op->kind != DISPLAY_GLYPHS || op->owner_struct != STRUCT_LINK || !op->owner_node) continue;
      const node *n = node_by_id(&r, op->owner_node);
      if (!n || n->kind != NODE_NOTE) continue;
      ck_assert_str_eq(op->text, numbers ? (marks ? "2" : "1") : (marks ? "**" : "*"));
      marks++;
    }
    ck_assert_int_eq(marks, 2);
    run_free(&r);
  }
}
END_TEST

/* A table with four notes numbers them all, asterisks being for three. */
START_TEST(test_many_table_notes_are_numbered) {
  run r;
  run_layout(&r,
             REPORT_OPEN "<table><caption>T<note>noll</note></caption><columns><column/><column/></columns><tbody>"
                         "<row><cell>a<note>ett</note></cell><cell>b<note>två</note></cell></row>"
                         "<row><cell>c<note>tre</note></cell><cell>d</cell></row></tbody></table>\n" REPORT_CLOSE,
             default_template());
  const char *want[] = {"1", "2", "3", "4"};
  int k = 0;
  for (int i = 0; i < r.cap.pages[0].count; i++) {
    const cap_op *op = &r.cap.pages[0].ops[i];
    if (op->kind != DISPLAY_GLYPHS || op->owner_struct != STRUCT_LINK) continue;
    ck_assert_int_lt(k, 4);
    ck_assert_str_eq(op->text, want[k++]);
  }
  ck_assert_int_eq(k, 4);
  ck_assert_ptr_null(find_run(&r, "*", NULL));
  run_free(&r);
}
END_TEST

/* A note in a table header that repeats on every page: the copies show
 * the marker as an artifact without a link (an annotation must be in the
 * structure); the first one links. */
START_TEST(test_repeated_header_marker_has_no_link) {
  strbuf c = {0};
  sb_puts(&c, REPORT_OPEN "<table><columns><column/><column/></columns>"
              "<thead><row><cell>Post</cell><cell>Belopp<note>Avrundat.</note></cell></row></thead><tbody>");
  for (int i = 0; i < 120; i++) sb_printf(&c, "<row><cell>Rad %d</cell><cell><num>%d</num></cell></row>", i, i);
  sb_puts(&c, "</tbody></table>\n" REPORT_CLOSE);
  run r;
  run_layout(&r, c.data, default_template());
  sb_free(&c);
  ck_assert_int_ge(r.cap.count, 2);
  const node *note = first_of_kind(r.doc->body, NODE_NOTE);
  int links = 0, marks = 0, artifact_marks = 0;
  for (int pg = 0; pg < r.cap.count; pg++)
    for (int i = 0; i < r.cap.pages[pg].count; i++) {
      const cap_op *op = &r.cap.pages[pg].ops[i];
      if (op->kind == DISPLAY_LINK && op->anchor == note->id) links++;
      if (op->kind == DISPLAY_GLYPHS && op->text && strcmp(op->text, "*") == 0) {
        marks++;
        artifact_marks += op->artifact > 0;
      }
    }
  ck_assert_int_eq(links, 1);
  ck_assert_int_eq(marks, r.cap.count);
  ck_assert_int_eq(artifact_marks, r.cap.count - 1);
  run_free(&r);
}
END_TEST

/* Refused with their position: an empty heading, a sixth level, a note in
 * a note. */
START_TEST(test_refused_with_position) {
  const struct {
    const char *content, *message;
    int line;
  } cases[] = {
      {REPORT_OPEN "<section><heading>\n <b> </b></heading><p>x</p></section>\n" REPORT_CLOSE, "<heading> is empty", 4},
      {REPORT_OPEN "<section><heading><note>Bara en not.</note></heading></section>\n" REPORT_CLOSE, "<heading> is empty", 4},
      {REPORT_OPEN "<section><heading>1</heading><section><heading>2</heading><section><heading>3</heading>\n"
                   "<section><heading>4</heading><section><heading>5</heading>\n"
                   "<section><heading>6</heading></section></section></section></section></section></section>\n" REPORT_CLOSE,
       "sections nest deeper than 5 levels", 6},
      {REPORT_OPEN "<p>a<note>b\n<note>c</note></note></p>\n" REPORT_CLOSE, "cannot hold another footnote", 5},
      {REPORT_OPEN "<p>a\n<note> </note></p>\n" REPORT_CLOSE, "empty footnote", 5},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    diag_log log;
    diag_sink sink = diag_log_sink(&log);
    document_model *doc = parse_content(cases[i].content, strlen(cases[i].content), "c.xml", content_schema, &sink);
    ck_assert_msg(doc == NULL, "case %zu accepted: %s", i, diag_log_text(&log));
    int k = diag_log_find_text(&log, cases[i].message);
    ck_assert_msg(k >= 0, "case %zu: %s", i, diag_log_text(&log));
    ck_assert_int_eq(log.entries[k].line, cases[i].line);
    ck_assert_int_gt(log.entries[k].column, 0);
  }
}
END_TEST

static Suite *vocab_suite(void) {
  Suite *s = suite_create("vocab");
  TCase *tc = tcase_create("vocab");
  tcase_add_checked_fixture(tc, load_schemas, free_schemas);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, test_five_heading_levels);
  tcase_add_test(tc, test_toc_depth_from_template);
  tcase_add_test(tc, test_heading_number_format);
  tcase_add_test(tc, test_superscript_and_subscript);
  tcase_add_test(tc, test_number_grouping);
  tcase_add_test(tc, test_span_removes_bold);
  tcase_add_test(tc, test_footnote_at_page_foot);
  tcase_add_test(tc, test_footnotes_follow_markers_and_number_per_page);
  tcase_add_test(tc, test_table_notes_under_the_table);
  tcase_add_test(tc, test_many_table_notes_are_numbered);
  tcase_add_test(tc, test_repeated_header_marker_has_no_link);
  tcase_add_test(tc, test_refused_with_position);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(vocab_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
