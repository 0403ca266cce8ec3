/* test_table_layout.c - check suite "table_layout": tables set as a
 * typographer would (issue 13, item 2), read back from the display lists
 * of real layout runs: a row-spanned cell is one box that no rule or
 * stripe crosses, a "varav" row keeps its indent beside a spanned first
 * column, label columns get their words whole before header words widen
 * number columns, words in a decimal column align as its header does, and
 * page breaks leave no caption, header or group row without two body rows
 * under it and never carry a sum row or the last row alone over. */
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
#define TEMPLATE_OPEN "<template xmlns=\"urn:bilaga:template:1\">\n"
#define REPORT_OPEN                                                                                  \
  "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"                                     \
  "<meta><title>Testrapport</title><board>Kommunstyrelsen</board></meta>\n<body>\n"
#define REPORT_CLOSE "</body>\n</report>\n"

/* ---- captured display lists ---- */

typedef struct cap_op {
  display_kind kind;
  double x, y, w, h, size;
  int artifact; /* inside BEGIN/END_ARTIFACT */
  int owner;    /* GLYPHS: innermost open PART_NODE node */
  int node_id;  /* BEGIN_NODE, PART_NODE */
  char *text;   /* GLYPHS, UTF-8 */
} cap_op;

typedef struct cap_page {
  cap_op *ops;
  int count;
} cap_page;

enum { MAX_OPEN = 64 };

typedef struct capture {
  cap_page *pages;
  int count, capacity;
  int open_id[MAX_OPEN], open_part[MAX_OPEN], open;
} capture;

static int capture_page(void *user, const display_page *page) {
  capture *c = user;
  if (c->count == c->capacity) {
    c->capacity = c->capacity ? c->capacity * 2 : 16;
    c->pages = realloc(c->pages, sizeof *c->pages * (size_t)c->capacity);
    ck_assert_ptr_nonnull(c->pages);
  }
  cap_page *p = &c->pages[c->count++];
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
      case DISPLAY_GLYPHS: {
        int n = op->u.glyphs.text_length;
        o->text = malloc((size_t)n * 4 + 1);
        ck_assert_ptr_nonnull(o->text);
        size_t len = 0;
        for (int k = 0; k < n; k++) len += (size_t)utf8_encode(op->u.glyphs.text[k], o->text + len);
        o->text[len] = '\0';
        o->size = op->u.glyphs.size;
        for (int k = c->open - 1; k >= 0 && !o->owner; k--)
          if (c->open_part[k] == PART_NODE) o->owner = c->open_id[k];
        break;
      }
      case DISPLAY_BEGIN_NODE:
        ck_assert_int_lt(c->open, MAX_OPEN);
        c->open_id[c->open] = op->u.node.node_id;
        c->open_part[c->open++] = op->u.node.part;
        if (op->u.node.part == PART_NODE) o->node_id = op->u.node.node_id;
        break;
      case DISPLAY_END_NODE:
        ck_assert_int_gt(c->open, 0);
        c->open--;
        break;
      case DISPLAY_BEGIN_ARTIFACT: o->artifact = ++artifact; break;
      case DISPLAY_END_ARTIFACT: artifact--; break;
      default: break;
    }
  }
  return 1;
}

static void capture_free(capture *c) {
  for (int i = 0; i < c->count; i++) {
    for (int k = 0; k < c->pages[i].count; k++) free(c->pages[i].ops[k].text);
    free(c->pages[i].ops);
  }
  free(c->pages);
  memset(c, 0, sizeof *c);
}

/* ---- a layout run ---- */

static xml_schema *content_schema, *template_schema;
static fontset *fonts;
static hyphenator *hyphen;

static void setup(void) {
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  content_schema = parse_schema_load(CONTENT_SCHEMA, &sink);
  template_schema = parse_schema_load(TEMPLATE_SCHEMA, &sink);
  ck_assert_msg(content_schema && template_schema, "%s", diag_log_text(&log));
  fonts = fontset_new(FONT_DIR);
  ck_assert_ptr_nonnull(fonts);
  hyphen = hyphenator_load("sv-SE");
  ck_assert_ptr_nonnull(hyphen);
}

static void teardown(void) {
  hyphenator_free(hyphen);
  fontset_free(fonts);
  parse_schema_free(content_schema);
  parse_schema_free(template_schema);
}

typedef struct run {
  template_model *tpl;
  document_model *doc;
  capture cap;
  layout_result result;
  const node **by_id;
} run;

static void index_nodes(const node *n, const node **by_id, int max) {
  for (; n; n = n->next) {
    if (n->id > 0 && n->id <= max) by_id[n->id] = n;
    index_nodes(n->first, by_id, max);
  }
}

/* Lays out content with a template: the default one with `extra` (page,
 * table and style elements) in place of its own of the same kind. */
static void run_layout(run *r, const char *content, const char *tpl_xml) {
  memset(r, 0, sizeof *r);
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  r->tpl = parse_template(tpl_xml, strlen(tpl_xml), "t.xml", template_schema, &sink);
  ck_assert_msg(r->tpl != NULL, "template refused: %s", diag_log_text(&log));
  r->doc = parse_content(content, strlen(content), "c.xml", content_schema, &sink);
  ck_assert_msg(r->doc != NULL, "content refused: %s", diag_log_text(&log));
  for (int i = 0; i < template_style_count(r->tpl); i++) {
    text_style *s = template_style(r->tpl, i);
    s->face = fontset_face(fonts, s->family, s->bold, s->italic, r->tpl->fallback_families, r->tpl->fallback_count,
                           &sink, r->tpl->file);
    ck_assert_int_ge(s->face, 0);
  }
  r->by_id = calloc((size_t)r->doc->node_count + 1, sizeof *r->by_id);
  ck_assert_ptr_nonnull(r->by_id);
  index_nodes(r->doc->body, r->by_id, r->doc->node_count);
  int ok = layout_run(r->doc, r->tpl, fonts, hyphen, &sink, capture_page, &r->cap, &r->result);
  ck_assert_msg(ok, "layout_run failed: %s", diag_log_text(&log));
  ck_assert_int_eq(r->cap.open, 0);
}

static void run_free(run *r) {
  capture_free(&r->cap);
  layout_result_free(&r->result);
  free(r->by_id);
  model_free(r->doc);
  template_free(r->tpl);
}

static const node *node_by_id(const run *r, int id) {
  return id > 0 && id <= r->doc->node_count ? r->by_id[id] : NULL;
}

/* The cell a glyph run is in (NULL: none). */
static const node *cell_of(const run *r, const cap_op *op) {
  for (const node *n = node_by_id(r, op->owner); n; n = n->parent)
    if (n->kind == NODE_CELL) return n;
  return NULL;
}

static int is_body_run(const cap_op *op) { return op->kind == DISPLAY_GLYPHS && !op->artifact; }

/* The default template's table look (zebra on) on a page of our own. */
static char *template_with(const char *page) {
  strbuf t = {0};
  sb_printf(&t,
            TEMPLATE_OPEN "%s\n<table padding=\"4pt\" padding-vertical=\"2.5pt\" rule=\"0.4pt\" frame=\"0.9pt\" "
                          "rule-color=\"#8C9BAD\" header-fill=\"#DCE5EF\" zebra=\"#F4F7FA\"/>\n"
                          "<style name=\"table\" size=\"9.5pt\" leading=\"12pt\"/>\n"
                          "<style name=\"body\" hyphenate=\"yes\"/>\n</template>\n",
            page);
  return t.data;
}

/* ---- row spans ---- */

/* A cell spanning three rows, its text on more lines than the rows beside
 * it have: the rules between those rows and the zebra stripe of the
 * second stop at its edge (they used to run straight through its text);
 * the other columns still get theirs. */
START_TEST(test_rowspan_cell_is_one_box) {
  char *tpl = template_with("<page mirrored=\"no\"/>");
  run r;
  run_layout(&r,
             REPORT_OPEN "<table><columns><column width=\"30mm\"/><column/><column align=\"decimal\"/></columns>\n"
                         "<thead><row><cell>Område</cell><cell>Post</cell><cell>Belopp</cell></row></thead>\n"
                         "<tbody><row><cell>Rad ett</cell><cell>Före</cell><cell><num>1.5</num></cell></row>\n"
                         "<row><cell rowspan=\"3\">Sammanslagen cell med en text som går över flera rader</cell>"
                         "<cell>Avgifter</cell><cell><num>12.5</num></cell></row>\n"
                         "<row><cell>Taxor</cell><cell><num>3.0</num></cell></row>\n"
                         "<row><cell>Övrigt</cell><cell><num>4.0</num></cell></row>\n"
                         "<row><cell>Efter</cell><cell>Sist</cell><cell><num>2.0</num></cell></row>\n"
                         "</tbody></table>\n" REPORT_CLOSE,
             tpl);
  free(tpl);
  ck_assert_int_eq(r.cap.count, 1);
  const cap_page *p = &r.cap.pages[0];
  /* the spanned cell's box: its lines, out to its column's edges */
  double x0 = 1e9, x1 = -1e9, top = -1e9, bottom = 1e9;
  int lines = 0;
  for (int i = 0; i < p->count; i++) {
    const cap_op *op = &p->ops[i];
    const node *cell = is_body_run(op) ? cell_of(&r, op) : NULL;
    if (!cell || cell->u.cell.rowspan != 3) continue;
    lines++;
    if (op->x < x0) x0 = op->x;
    if (op->x + op->w > x1) x1 = op->x + op->w;
    if (op->y + op->size * 0.8 > top) top = op->y + op->size * 0.8;
    if (op->y - op->size * 0.25 < bottom) bottom = op->y - op->size * 0.25;
  }
  ck_assert_int_ge(lines, 3);
  int crossing = 0, beside = 0;
  for (int i = 0; i < p->count; i++) {
    const cap_op *op = &p->ops[i];
    if (op->kind == DISPLAY_LINE && op->y > bottom && op->y < top) {
      if (op->x < x1 && op->x + op->w > x0) crossing++;
      else beside++;
    }
    if (op->kind == DISPLAY_RECT && op->x < x1 && op->x + op->w > x0 && op->y < top && op->y + op->h > bottom) {
      /* the header fill above may touch the box's top, nothing reaches in */
      double overlap = fmin(top, op->y + op->h) - fmax(bottom, op->y);
      ck_assert_msg(overlap < 1, "a fill (%.1f,%.1f %.1fx%.1f) lies over the spanned cell's text", op->x, op->y, op->w,
                    op->h);
    }
  }
  ck_assert_msg(crossing == 0, "%d rules cross the row-spanned cell", crossing);
  ck_assert_int_ge(beside, 2); /* the rows beside it are still ruled */
  run_free(&r);
}
END_TEST

/* A "varav" row indents its first cell also when the first column is
 * covered by a span from above. */
START_TEST(test_sub_row_indent_beside_span) {
  char *tpl = template_with("<page mirrored=\"no\"/>");
  run r;
  run_layout(&r,
             REPORT_OPEN "<table><columns><column/><column/><column align=\"decimal\"/></columns>\n"
                         "<tbody><row><cell rowspan=\"3\">Intäkter</cell><cell>Avgifter</cell>"
                         "<cell><num>1.5</num></cell></row>\n"
                         "<row role=\"sub\"><cell>varav taxor</cell><cell><num>1.0</num></cell></row>\n"
                         "<row><cell>Bidrag</cell><cell><num>2.0</num></cell></row>\n"
                         "</tbody></table>\n" REPORT_CLOSE,
             tpl);
  free(tpl);
  double plain = -1, sub = -1, size = 0;
  const cap_page *p = &r.cap.pages[0];
  for (int i = 0; i < p->count; i++) {
    const cap_op *op = &p->ops[i];
    if (!is_body_run(op)) continue;
    if (strcmp(op->text, "Avgifter") == 0) plain = op->x, size = op->size;
    if (strncmp(op->text, "varav", 5) == 0) sub = op->x;
  }
  ck_assert(plain > 0 && sub > 0);
  ck_assert_double_eq_tol(sub - plain, size, 0.5); /* one em */
  run_free(&r);
}
END_TEST

/* ---- column widths ---- */

/* Not every word fits whole: the label column gets its words whole
 * ("Förmånscykel", not "Förmånscy-kel") while the long header words of
 * the number columns hyphenate; no number breaks. */
START_TEST(test_label_column_before_header_words) {
  char *tpl = template_with("<page width=\"400pt\" inner=\"50pt\" outer=\"50pt\" mirrored=\"no\"/>");
  run r;
  run_layout(&r,
             REPORT_OPEN "<table><columns><column/><column align=\"decimal\" decimals=\"1\"/>"
                         "<column align=\"decimal\" decimals=\"1\"/><column align=\"decimal\" decimals=\"1\"/>"
                         "<column align=\"decimal\" decimals=\"1\"/></columns>\n"
                         "<thead><row><cell>Post</cell><cell>Budgetavvikelse</cell><cell>Prognosavvikelse</cell>"
                         "<cell>Resultatavvikelse</cell><cell>Årsprognosavvikelse</cell></row></thead>\n<tbody>\n"
                         "<row><cell>Förmånscykel</cell><cell><num>1.5</num></cell><cell><num>2</num></cell>"
                         "<cell><num>-3.5</num></cell><cell><num>4</num></cell></row>\n"
                         "<row><cell>KS ny simhall koldioxidneutralt</cell><cell><num>101.5</num></cell>"
                         "<cell><num>2</num></cell><cell><num>-3.5</num></cell><cell><num>1234</num></cell></row>\n"
                         "</tbody></table>\n" REPORT_CLOSE,
             tpl);
  free(tpl);
  int header_hyphens = 0, label_lines = 0, numbers = 0;
  const cap_page *p = &r.cap.pages[0];
  for (int i = 0; i < p->count; i++) {
    const cap_op *op = &p->ops[i];
    const node *cell = is_body_run(op) ? cell_of(&r, op) : NULL;
    if (!cell) continue;
    size_t len = strlen(op->text);
    int hyphen_end = len > 0 && op->text[len - 1] == '-';
    if (cell->u.cell.column == 0) {
      label_lines++;
      ck_assert_msg(!hyphen_end, "label hyphenated: \"%s\"", op->text);
    } else if (cell->parent->parent->kind == NODE_THEAD) {
      header_hyphens += hyphen_end;
    } else {
      numbers++;
    }
  }
  ck_assert_int_ge(label_lines, 3);
  ck_assert_int_eq(numbers, 8); /* one run each: unbroken */
  ck_assert_msg(header_hyphens > 0, "the case is not tight enough: no header word was hyphenated");
  run_free(&r);
}
END_TEST

/* Sjukfrånvaro: a label column a few points short of one line gets them
 * before the number columns' long headers share the room, so "Totalt %"
 * is not set over a lone "%". */
START_TEST(test_short_label_on_one_line) {
  char *tpl = template_with("<page mirrored=\"no\"/>");
  run r;
  run_layout(&r,
             REPORT_OPEN "<table><columns><column/><column align=\"decimal\"/><column align=\"decimal\"/>"
                         "<column align=\"decimal\"/><column align=\"decimal\"/><column align=\"decimal\"/>"
                         "<column align=\"decimal\"/><column align=\"decimal\"/></columns>\n"
                         "<thead><row><cell/><cell>Kvinnor 2023</cell><cell>Män 2023</cell><cell>Totalt 2023</cell>"
                         "<cell>Kvinnor helår 2022</cell><cell>Män helår 2022</cell><cell>Totalt helår 2022</cell>"
                         "<cell>Förändring totalt jämfört med föregående år</cell></row></thead>\n<tbody>\n"
                         "<row><cell>Totalt %</cell><cell>6,8%</cell><cell>4,4%</cell><cell>6,1%</cell>"
                         "<cell>7,7%</cell><cell>5,3%</cell><cell>7,0%</cell><cell>−0,9%</cell></row>\n"
                         "</tbody></table>\n" REPORT_CLOSE,
             tpl);
  free(tpl);
  int label_runs = 0, header_lines = 0;
  const cap_page *p = &r.cap.pages[0];
  double first_y = 0;
  for (int i = 0; i < p->count; i++) {
    const cap_op *op = &p->ops[i];
    const node *cell = is_body_run(op) ? cell_of(&r, op) : NULL;
    if (!cell) continue;
    if (cell->u.cell.column == 0 && cell->parent->parent->kind == NODE_TBODY) {
      label_runs++;
      ck_assert_msg(strcmp(op->text, "Totalt %") == 0, "label line \"%s\"", op->text);
    }
    if (cell->u.cell.column == 7 && cell->parent->parent->kind == NODE_THEAD && op->y != first_y)
      header_lines++, first_y = op->y;
  }
  ck_assert_int_eq(label_runs, 1);
  ck_assert_int_ge(header_lines, 2); /* the room was short: a header wraps */
  run_free(&r);
}
END_TEST

/* Words in a decimal column ("Genomförs ej", "I.U.") align as its header
 * does (right), and leave the numbers on their commas where they were. */
START_TEST(test_text_in_decimal_column) {
  char *tpl = template_with("<page mirrored=\"no\"/>");
  run r;
  run_layout(&r,
             REPORT_OPEN "<table><columns><column/><column align=\"decimal\" decimals=\"1\"/></columns>\n"
                         "<thead><row><cell>Post</cell><cell>Utfall</cell></row></thead>\n<tbody>\n"
                         "<row><cell>A</cell><cell><num>12.5</num></cell></row>\n"
                         "<row><cell>B</cell><cell>Genomförs ej</cell></row>\n"
                         "<row><cell>C</cell><cell><num>1234.0</num></cell></row>\n"
                         "<row><cell>D</cell><cell>I.U.</cell></row>\n"
                         "</tbody></table>\n" REPORT_CLOSE,
             tpl);
  free(tpl);
  double header = -1, text[2] = {-1, -1}, num[2] = {-1, -1};
  const cap_page *p = &r.cap.pages[0];
  for (int i = 0; i < p->count; i++) {
    const cap_op *op = &p->ops[i];
    if (!is_body_run(op)) continue;
    double right = op->x + op->w;
    if (strcmp(op->text, "Utfall") == 0) header = right;
    if (strcmp(op->text, "Genomförs ej") == 0) text[0] = right;
    if (strcmp(op->text, "I.U.") == 0) text[1] = right;
    if (strcmp(op->text, "12,5") == 0) num[0] = right;
    if (strstr(op->text, "234,0")) num[1] = right;
  }
  ck_assert(header > 0 && text[0] > 0 && text[1] > 0 && num[0] > 0 && num[1] > 0);
  for (int k = 0; k < 2; k++) {
    ck_assert_double_eq_tol(text[k], header, 0.3);
    ck_assert_double_eq_tol(num[k], header, 0.3); /* same fraction: flush with the header */
  }
  run_free(&r);
}
END_TEST

/* ---- page breaks ---- */

/* A table with a caption, two header rows, groups, a "varav" row, sub
 * sums and a total in tfoot, after a paragraph; laid out with the space
 * before it growing in steps smaller than a row, so that the break falls
 * after each row in turn. On every page:
 * a caption, header row or group row has at least two body rows under it;
 * a page the table continues on never starts with a sum row or the last
 * row. */
START_TEST(test_table_breaks_at_every_position) {
  const char *content =
      REPORT_OPEN "<p>Inledande stycke med några ord så att tabellen börjar en bit ned på sidan, "
                  "och så att den bryts på olika ställen när sidan blir högre.</p>\n"
                  "<table><caption>Resultaträkning</caption><columns><column/><column align=\"decimal\"/>"
                  "<column align=\"decimal\"/></columns>\n"
                  "<thead><row><cell rowspan=\"2\">Konto</cell><cell colspan=\"2\">Utfall</cell></row>\n"
                  "<row><cell>2022</cell><cell>2023</cell></row></thead>\n<tbody>\n"
                  "<row role=\"group\"><cell colspan=\"3\">Intäkter</cell></row>\n"
                  "<row><cell>Avgifter</cell><cell><num>1.5</num></cell><cell><num>2.5</num></cell></row>\n"
                  "<row role=\"sub\"><cell>varav taxor</cell><cell><num>1</num></cell><cell><num>2</num></cell></row>\n"
                  "<row><cell>Bidrag</cell><cell><num>3</num></cell><cell><num>4</num></cell></row>\n"
                  "<row><cell>Försäljning</cell><cell><num>5</num></cell><cell><num>6</num></cell></row>\n"
                  "<row role=\"sum\"><cell>Summa intäkter</cell><cell><num>10</num></cell><cell><num>12</num></cell></row>\n"
                  "<row role=\"group\"><cell colspan=\"3\">Kostnader</cell></row>\n"
                  "<row><cell>Personal</cell><cell><num>-5</num></cell><cell><num>-6</num></cell></row>\n"
                  "<row><cell>Lokaler</cell><cell><num>-1</num></cell><cell><num>-1</num></cell></row>\n"
                  "<row><cell>Övrigt</cell><cell><num>-2</num></cell><cell><num>-2</num></cell></row>\n"
                  "<row><cell>Avskrivningar</cell><cell><num>-1</num></cell><cell><num>-1</num></cell></row>\n"
                  "<row role=\"sum\"><cell>Summa kostnader</cell><cell><num>-9</num></cell><cell><num>-10</num></cell></row>\n"
                  "</tbody>\n<tfoot><row role=\"sum\"><cell>Resultat</cell><cell><num>1</num></cell>"
                  "<cell><num>2</num></cell></row></tfoot>\n</table>\n<p>Efter tabellen.</p>\n" REPORT_CLOSE;
  int breaks_seen[64] = {0}, runs = 0;
  /* the space before the table (its caption's) moves it down a few
   * points at a time; two page heights, so the table breaks once or twice */
  for (int run_no = 0; run_no < 80 + 63; run_no++, runs++) {
    int height = run_no < 80 ? 400 : 330, space = (run_no < 80 ? run_no : run_no - 80) * 3; /* under the text area */
    char page[256];
    snprintf(page, sizeof page,
             "<page width=\"420pt\" height=\"%dpt\" top=\"72pt\" bottom=\"68pt\" mirrored=\"no\"/>\n"
             "<style name=\"caption\" space-before=\"%dpt\"/>",
             height, space);
    char *tpl = template_with(page);
    run r;
    run_layout(&r, content, tpl);
    free(tpl);
    int table_pages = 0, last_row = 0;
    for (int id = 1; id <= r.doc->node_count; id++)
      if (r.by_id[id] && r.by_id[id]->kind == NODE_ROW) last_row = id;
    for (int pg = 0; pg < r.cap.count; pg++) {
      const cap_page *p = &r.cap.pages[pg];
      /* the page's own table rows, in order, and whether the caption is here */
      int rows[64], n = 0, caption = 0;
      for (int i = 0; i < p->count; i++) {
        const cap_op *op = &p->ops[i];
        if (op->artifact) continue; /* a repeated header is a copy */
        const node *nd = op->kind == DISPLAY_BEGIN_NODE ? node_by_id(&r, op->node_id) : NULL;
        if (nd && nd->kind == NODE_ROW) {
          ck_assert_int_lt(n, 64);
          rows[n++] = nd->id;
        }
        if (nd && nd->kind == NODE_CAPTION) caption = 1;
      }
      if (n == 0 && !caption) continue;
      table_pages++;
      for (int k = -1; k < n; k++) {
        const node *row = k >= 0 ? node_by_id(&r, rows[k]) : NULL;
        int heading = k < 0 ? caption : row->parent->kind == NODE_THEAD || row->u.row.role == ROW_GROUP;
        if (!heading) continue;
        int body = 0;
        for (int m = k + 1; m < n; m++) {
          const node *below = node_by_id(&r, rows[m]);
          body += below->parent->kind != NODE_THEAD && below->u.row.role != ROW_GROUP;
        }
        ck_assert_msg(body >= 2, "space %d, page height %d, page %d: %s with %d body rows under it", space, height, pg + 1,
                      k < 0 ? "the caption" : "a heading row", body);
      }
      if (table_pages > 1 && n > 0) {
        const node *row = node_by_id(&r, rows[0]);
        ck_assert_msg(row->u.row.role != ROW_SUM && row->id != last_row,
                      "space %d, page height %d: page %d starts with a lone %s row", space, height, pg + 1,
                      row->id == last_row ? "last" : "sum");
        breaks_seen[rows[0] % 64] = 1;
      }
    }
    run_free(&r);
  }
  int distinct = 0;
  for (int k = 0; k < 64; k++) distinct += breaks_seen[k];
  ck_assert_msg(distinct >= 4, "the break fell before only %d different rows in %d runs", distinct, runs);
}
END_TEST

/* ---- block keeps ---- */

/* A lead-in paragraph ending in ':' is never the last thing on a page
 * when a list or a table follows it: at every page height its last line
 * shares a page with the first item (or the table's caption). A paragraph
 * without the colon may still end a page before a list. */
START_TEST(test_lead_in_stays_with_what_it_introduces) {
  strbuf c = {0};
  sb_puts(&c, REPORT_OPEN);
  for (int i = 0; i < 6; i++)
    sb_puts(&c, "<p>Nämnden har under året arbetat vidare med de mål som fullmäktige har beslutat om, och "
                "uppföljningen visar att de flesta av dem är på väg att nås.</p>\n");
  sb_puts(&c, "<p>Kommunstyrelsen kommer att bidra med bland annat följande:</p>\n"
              "<ul><li>Ett första åtagande</li><li>Ett andra åtagande</li><li>Ett tredje åtagande</li></ul>\n"
              "<p>Tabellen visar utfallet per område:</p>\n"
              "<table><caption>Utfall</caption><columns><column/><column align=\"decimal\"/></columns>\n"
              "<tbody><row><cell>A</cell><cell><num>1</num></cell></row><row><cell>B</cell><cell><num>2</num></cell>"
              "</row><row><cell>C</cell><cell><num>3</num></cell></row></tbody></table>\n" REPORT_CLOSE);
  int runs_over_pages = 0;
  for (int height = 290; height <= 520; height += 2) {
    char page[160];
    snprintf(page, sizeof page, "<page width=\"420pt\" height=\"%dpt\" top=\"72pt\" bottom=\"68pt\" mirrored=\"no\"/>",
             height);
    char *tpl = template_with(page);
    run r;
    run_layout(&r, c.data, tpl);
    free(tpl);
    /* the lead-ins: paragraphs right before a list (k = 0) or a table (k = 1) */
    const node *lead[2] = {NULL, NULL};
    for (const node *n = r.doc->body->first; n; n = n->next)
      if (n->kind == NODE_PARAGRAPH && n->next && (n->next->kind == NODE_LIST || n->next->kind == NODE_TABLE))
        lead[n->next->kind == NODE_TABLE] = n;
    /* the page of a lead-in's last line and of the first line after it */
    int lead_page[2] = {0, 0}, next_page[2] = {0, 0};
    for (int pg = 0; pg < r.cap.count; pg++)
      for (int i = 0; i < r.cap.pages[pg].count; i++) {
        const cap_op *op = &r.cap.pages[pg].ops[i];
        if (!is_body_run(op)) continue;
        for (const node *n = node_by_id(&r, op->owner); n; n = n->parent)
          for (int k = 0; k < 2; k++) {
            if (n == lead[k]) lead_page[k] = pg + 1;
            if (lead[k] && n == lead[k]->next && !next_page[k]) next_page[k] = pg + 1;
          }
      }
    for (int k = 0; k < 2; k++) {
      ck_assert_int_gt(lead_page[k], 0);
      ck_assert_msg(lead_page[k] == next_page[k], "page height %d: the lead-in to the %s ends page %d", height,
                    k ? "table" : "list", lead_page[k]);
    }
    runs_over_pages += r.cap.count > 1;
    run_free(&r);
  }
  ck_assert_int_gt(runs_over_pages, 0);
  sb_free(&c);
}
END_TEST

/* A heading never ends a page, whatever follows it (a paragraph, a list,
 * a table with its caption, a one-line note and a table): with the space before the headings growing
 * a few points at a time, no page's last line is a heading's. */
START_TEST(test_heading_never_ends_a_page) {
  strbuf c = {0};
  sb_puts(&c, REPORT_OPEN);
  const char *after[] = {
      "<p>Nämnden har under året arbetat vidare med de mål som fullmäktige har beslutat om.</p>",
      "<ul><li>Ett första åtagande</li><li>Ett andra åtagande</li></ul>",
      "<table><caption>Utfall</caption><columns><column/><column align=\"decimal\"/></columns>\n"
      "<thead><row><cell>Post</cell><cell>Belopp</cell></row></thead><tbody><row><cell>A</cell><cell><num>1</num>"
      "</cell></row><row><cell>B</cell><cell><num>2</num></cell></row><row><cell>C</cell><cell><num>3</num></cell>"
      "</row></tbody></table>",
      /* a one-line note between the heading and the table keeps with both */
      "<p style=\"note\">Projekt: Drift + driftprojekt</p>"
      "<table><columns><column/><column align=\"decimal\"/></columns>\n"
      "<thead><row><cell>Enhet</cell><cell>Utfall</cell></row></thead><tbody><row><cell>A</cell><cell><num>1</num>"
      "</cell></row><row><cell>B</cell><cell><num>2</num></cell></row><row><cell>C</cell><cell><num>3</num></cell>"
      "</row></tbody></table>"};
  for (int i = 0; i < 12; i++)
    sb_printf(&c, "<section><heading>Avsnitt %d</heading>\n%s\n<p>Uppföljningen visar att de flesta mål är på "
                  "väg att nås under perioden.</p></section>\n",
              i + 1, after[i % 4]);
  sb_puts(&c, REPORT_CLOSE);
  int broken = 0, heading_runs = 0;
  for (int space = 0; space <= 60; space += 2) {
    char page[256];
    snprintf(page, sizeof page,
             "<page width=\"420pt\" height=\"360pt\" top=\"72pt\" bottom=\"68pt\" mirrored=\"no\"/>\n"
             "<style name=\"heading-1\" space-before=\"%dpt\"/>",
             space);
    char *tpl = template_with(page);
    run r;
    run_layout(&r, c.data, tpl);
    free(tpl);
    for (int pg = 0; pg + 1 < r.cap.count; pg++) {
      const node *last = NULL;
      for (int i = 0; i < r.cap.pages[pg].count; i++) {
        const cap_op *op = &r.cap.pages[pg].ops[i];
        if (!is_body_run(op)) continue;
        last = node_by_id(&r, op->owner);
        for (const node *n = last; n; n = n->parent) heading_runs += n->kind == NODE_HEADING;
      }
      for (const node *n = last; n; n = n->parent)
        ck_assert_msg(n->kind != NODE_HEADING, "space %d: page %d ends with a heading", space, pg + 1);
      ck_assert_msg(!(last && last->kind == NODE_PARAGRAPH && last->u.paragraph.style == PARAGRAPH_NOTE),
                    "space %d: page %d ends with a heading's one-line note, its table on the next", space,
                    pg + 1);
    }
    broken += r.cap.count > 1;
    run_free(&r);
  }
  ck_assert_int_gt(broken, 0);
  ck_assert_int_gt(heading_runs, 0); /* headings are seen as such */
  sb_free(&c);
}
END_TEST

static Suite *table_suite(void) {
  Suite *s = suite_create("table_layout");
  TCase *tc = tcase_create("tables");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, test_rowspan_cell_is_one_box);
  tcase_add_test(tc, test_sub_row_indent_beside_span);
  tcase_add_test(tc, test_label_column_before_header_words);
  tcase_add_test(tc, test_short_label_on_one_line);
  tcase_add_test(tc, test_text_in_decimal_column);
  tcase_add_test(tc, test_table_breaks_at_every_position);
  suite_add_tcase(s, tc);

  tc = tcase_create("keeps");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, test_lead_in_stays_with_what_it_introduces);
  tcase_add_test(tc, test_heading_never_ends_a_page);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(table_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
