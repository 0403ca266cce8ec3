/* test_e2e.c - end to end: every sample rendered by the command, the PDF
 * read back with poppler (text, word boxes, page counts) and qpdf
 * (outlines), compared with the sample XML, the library's own result and
 * a second template. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bilaga.h"
#include "support.h"

static char **samples;
static int sample_count;

/* ---- templates: what the tests need to know of a layout template ------ */

typedef struct template_info {
  double top, bottom, inner, outer;
  int mirrored;
  double heading_size[4]; /* 1..3 */
  int toc_levels;
  const char *toc_title;
  const char *leader;
} template_info;

static template_info read_template(const char *path) {
  template_info t = {0};
  xmlDocPtr d = xml_load(path);
  xmlNodePtr root = xmlDocGetRootElement(d);
  xmlNodePtr page = xml_child(root, "page");
  ck_assert_ptr_nonnull(page);
  t.top = length_pt(xml_attr(page, "top"));
  t.bottom = length_pt(xml_attr(page, "bottom"));
  t.inner = length_pt(xml_attr(page, "inner"));
  t.outer = length_pt(xml_attr(page, "outer"));
  char *m = xml_attr(page, "mirrored");
  t.mirrored = m && strcmp(m, "yes") == 0;
  double body = 11;
  for (xmlNodePtr c = root->children; c; c = c->next) {
    if (!xml_is(c, "style")) continue;
    char *name = xml_attr(c, "name"), *size = xml_attr(c, "size");
    if (strcmp(name, "body") == 0 && size) body = length_pt(size);
    for (int l = 1; l <= 3; l++)
      if (strcmp(name, sfmt("heading-%d", l)) == 0 && size) t.heading_size[l] = length_pt(size);
  }
  for (int l = 1; l <= 3; l++)
    if (t.heading_size[l] <= 0) t.heading_size[l] = body;
  xmlNodePtr toc = xml_child(root, "toc");
  char *levels = toc ? xml_attr(toc, "levels") : NULL;
  t.toc_levels = levels ? atoi(levels) : 2;
  t.toc_title = toc ? xml_attr(toc, "title") : NULL;
  t.leader = toc ? xml_attr(toc, "leader") : NULL;
  if (!t.leader || !*t.leader) t.leader = ".";
  xmlFreeDoc(d);
  ck_assert_msg(t.top > 0 && t.bottom > 0 && t.inner > 0 && t.outer > 0, "%s: page margins not found", path);
  return t;
}

static const char *default_template_path(void) { return sfmt("%s/templates/default.xml", source_root()); }

/* ---- the sample's content --------------------------------------------- */

typedef struct heading {
  char *text;
  int level;
  int in_toc; /* toc="no" neither on its section nor on one around it */
} heading;

typedef struct content {
  xmlDocPtr doc;
  xmlNodePtr body;
  heading *headings;
  int heading_count;
  int has_toc;
  char *toc_title; /* <toc title="..."> or NULL */
} content;

static void collect_sections(content *c, xmlNodePtr parent, int level, int hidden) {
  for (xmlNodePtr s = parent->children; s; s = s->next) {
    if (!xml_is(s, "section") && !xml_is(s, "process-area")) continue; /* an area is a section */
    char *toc = xml_attr(s, "toc");
    int no = hidden || (toc && strcmp(toc, "no") == 0);
    xmlNodePtr h = xml_child(s, "heading");
    ck_assert_ptr_nonnull(h);
    c->headings = xgrow(c->headings, sizeof *c->headings * (size_t)(c->heading_count + 1));
    c->headings[c->heading_count++] = (heading){xml_text(h), level, !no};
    collect_sections(c, s, level + 1, no);
  }
}

static content read_content(const char *path) {
  content c = {0};
  c.doc = xml_load(path);
  xmlNodePtr root = xmlDocGetRootElement(c.doc);
  c.body = xml_child(root, "body");
  ck_assert_ptr_nonnull(c.body);
  collect_sections(&c, c.body, 1, 0);
  int n;
  xmlNodePtr *tocs = xml_find_all(c.body, "toc", &n);
  c.has_toc = n > 0;
  if (n) c.toc_title = xml_attr(tocs[0], "title");
  return c;
}

static void free_content(content *c) { xmlFreeDoc(c->doc); }

/* Text pieces of an inline container, split where a <num>, <count>,
 * <placeholder> or <symbol> stands (their printed form is the template's
 * business);
 * nested lists end the pieces. */
static void inline_pieces(xmlNodePtr n, sbuf *cur, char ***pieces, int *count) {
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE) {
      sbuf_add(cur, (const char *)c->content);
    } else if (xml_is(c, "num") || xml_is(c, "count") || xml_is(c, "placeholder") || xml_is(c, "symbol") ||
               xml_is(c, "ul") || xml_is(c, "ol")) {
      char *t = collapse_ws(sbuf_str(cur));
      if (*t) {
        *pieces = xgrow(*pieces, sizeof **pieces * (size_t)(*count + 1));
        (*pieces)[(*count)++] = t;
      }
      cur->len = 0;
      if (cur->s) cur->s[0] = '\0';
      if (xml_is(c, "ul") || xml_is(c, "ol")) return;
    } else if (xml_is(c, "br")) {
      sbuf_add(cur, " ");
    } else if (c->type == XML_ELEMENT_NODE) {
      inline_pieces(c, cur, pieces, count);
    }
  }
}

static char **text_pieces(xmlNodePtr n, int *count) {
  char **pieces = NULL;
  *count = 0;
  sbuf cur = {0};
  inline_pieces(n, &cur, &pieces, count);
  char *t = collapse_ws(sbuf_str(&cur));
  if (*t) {
    pieces = xgrow(pieces, sizeof *pieces * (size_t)(*count + 1));
    pieces[(*count)++] = t;
  }
  return pieces;
}

/* Text of the body, outside placeholders and symbols (whose text the
 * template gives), for counting characters. */
static void body_text(xmlNodePtr n, sbuf *b) {
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE) sbuf_add(b, (const char *)c->content);
    else if (c->type == XML_ELEMENT_NODE && !xml_is(c, "placeholder") && !xml_is(c, "symbol")) body_text(c, b);
  }
}

/* ---- rendering -------------------------------------------------------- */

static const char *render_cli(const char *dir, const char *in, const char *tpl, const char *name) {
  const char *out = sfmt("%s/%s", dir, name);
  run_result r = tpl ? run(NULL, bilaga_binary(), "render", in, "-t", tpl, "-o", out, NULL)
                     : run(NULL, bilaga_binary(), "render", in, "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "bilaga render %s: %s", in, run_describe(&r));
  ck_assert_msg(r.err_len == 0, "bilaga render %s printed diagnostics: %s", in, run_describe(&r));
  ck_assert_msg(is_regular_file(out), "bilaga render %s exited 0 but wrote no %s", in, out);
  return out;
}

static void collect_diagnostic(const bilaga_diagnostic *d, void *user) {
  sbuf_printf(user, "%s:%d:%d: %s\n", d->file ? d->file : "?", d->line, d->column, d->message);
}

/* Renders with the library into memory; the bytes are kept until exit. */
static unsigned char *render_library(const char *in, const char *tpl, size_t *length, bilaga_render_result *res) {
  sbuf diags = {0};
  bilaga_context *ctx = bilaga_context_new(NULL);
  ck_assert_ptr_nonnull(ctx);
  bilaga_context_set_diagnostic_sink(ctx, collect_diagnostic, &diags);
  bilaga_document *doc = NULL;
  bilaga_template *t = NULL;
  bilaga_status st = bilaga_document_load_file(ctx, in, &doc);
  ck_assert_msg(st == BILAGA_OK, "load %s: %d\n%s", in, st, sbuf_str(&diags));
  st = bilaga_template_load(ctx, tpl, &t);
  ck_assert_msg(st == BILAGA_OK, "template %s: %d\n%s", tpl, st, sbuf_str(&diags));
  bilaga_render_options opts;
  bilaga_render_options_init(&opts);
  unsigned char *bytes = NULL;
  size_t len = 0;
  st = bilaga_render_memory(ctx, doc, t, &opts, &bytes, &len, res);
  ck_assert_msg(st == BILAGA_OK, "render %s: %d\n%s", in, st, sbuf_str(&diags));
  ck_assert_int_eq(bilaga_context_error_count(ctx), 0);
  unsigned char *copy = xmalloc(len);
  memcpy(copy, bytes, len);
  free(bytes);
  bilaga_template_free(t);
  bilaga_document_free(doc);
  bilaga_context_free(ctx);
  *length = len;
  return copy;
}

/* ---- where the headings stand ----------------------------------------- */

/* Finds every heading, in document order, as a line (or up to three
 * lines) of the heading's size for its level; returns the 1-based page of
 * each. Matching on size keeps a heading from being found in the table of
 * contents, a table cell or a short body line with the same words. */
static int *locate_headings(const char *pdf, const content *c, const template_info *t) {
  bbox_doc *d = pdf_words(pdf, 0, 0);
  int nlines;
  bline *lines = pdf_lines(d, &nlines);
  int *pages = xmalloc(sizeof *pages * (size_t)(c->heading_count + 1));
  int cursor = 0;
  for (int h = 0; h < c->heading_count; h++) {
    double size = t->heading_size[c->headings[h].level];
    const char *want = skeleton(c->headings[h].text);
    int found = -1, used = 0;
    for (int k = cursor; k < nlines && found < 0; k++) {
      if (fabs(lines[k].height - size) > 0.3) continue;
      sbuf acc = {0};
      for (int m = 0; m < 3 && k + m < nlines; m++) {
        const bline *l = &lines[k + m];
        if (l->page != lines[k].page || fabs(l->height - size) > 0.3) break;
        sbuf_add(&acc, skeleton(l->text));
        if (strcmp(acc.s, want) == 0) {
          found = k, used = m + 1;
          break;
        }
        if (strncmp(want, acc.s, acc.len) != 0) break;
      }
    }
    ck_assert_msg(found >= 0, "%s: heading %d \"%s\" (level %d, %.1fpt) not found after page %d", pdf, h + 1,
                  c->headings[h].text, c->headings[h].level, size, cursor < nlines ? lines[cursor].page : -1);
    pages[h] = lines[found].page;
    cursor = found + used;
  }
  return pages;
}

/* ---- tests ------------------------------------------------------------ */

START_TEST(test_render_sample) {
  const char *in = samples[_i];
  const char *pdf = render_cached(in, NULL, NULL);
  size_t len;
  char *bytes = read_file(pdf, &len);
  ck_assert_msg(bytes && len > 5 && memcmp(bytes, "%PDF-", 5) == 0, "%s is not a PDF", pdf);
  int pages = pdf_page_count(pdf);
  bilaga_render_result res = {0};
  size_t mlen;
  unsigned char *m = render_library(in, "default", &mlen, &res);
  ck_assert_msg(res.pages == pages, "%s: the library reports %d pages, pdfinfo counts %d", base_name(in), res.pages,
                pages);
  /* the library into memory gives the same bytes as the command */
  ck_assert_msg(mlen == len && memcmp(m, bytes, len) == 0, "%s: bilaga_render_memory differs from the command's file",
                base_name(in));
  /* every sample is a report of several pages: a handful of pages or
   * fewer would mean content went missing */
  ck_assert_msg(pages > 5, "%s: only %d pages", base_name(in), pages);
}
END_TEST

START_TEST(test_text_content) {
  const char *in = samples[_i];
  const char *pdf = render_cached(in, NULL, NULL);
  template_info t = read_template(default_template_path());
  content c = read_content(in);
  char *text = pdf_text(pdf, 0, 0, NULL); /* asserts: no warnings on stderr */

  /* headings, in order, each where a heading of its level stands */
  ck_assert_int_gt(c.heading_count, 0);
  locate_headings(pdf, &c, &t);

  /* Swedish letters and typographic punctuation survive extraction */
  sbuf bt = {0};
  body_text(c.body, &bt);
  static const char *const chars[] = {"å", "ä", "ö", "Å", "Ä", "Ö", "–", "”"};
  int checked = 0;
  for (size_t i = 0; i < sizeof chars / sizeof *chars; i++) {
    int want = count_substr(sbuf_str(&bt), chars[i]);
    int got = count_substr(text, chars[i]);
    if (want) checked++;
    ck_assert_msg(got >= want, "%s: \"%s\" occurs %d times in the content but %d times in the PDF text", base_name(in),
                  chars[i], want, got);
  }
  ck_assert_int_gt(checked, 0);

  /* every paragraph (and list item) outside tables: its first 40
   * characters, in document order */
  const char *sk = skeleton(text);
  const char *cursor = sk;
  int nb, checked_paragraphs = 0;
  xmlNodePtr *blocks = xml_find_all(c.body, "p|li", &nb);
  for (int i = 0; i < nb; i++) {
    if (xml_has_ancestor(blocks[i], "table")) continue;
    if (xml_is(blocks[i], "li") && xml_child(blocks[i], "p")) continue; /* its paragraphs count */
    int n;
    char **pieces = text_pieces(blocks[i], &n);
    if (n == 0) continue;
    const char *want = skeleton(utf8_prefix(pieces[0], 40));
    const char *at = text_find(cursor, want);
    ck_assert_msg(at != NULL, "%s: paragraph at line %ld, \"%s\", %s", base_name(in), xmlGetLineNo(blocks[i]),
                  utf8_prefix(pieces[0], 40),
                  text_find(sk, want) ? "is in the PDF but out of order" : "is missing from the PDF text");
    cursor = at + strlen(want);
    checked_paragraphs++;
  }
  ck_assert_int_gt(checked_paragraphs, 10);
  free_content(&c);
}
END_TEST

/* A table-of-contents line: "Title . . . . 12" -> title and number. */
static int parse_toc_line(const char *line, const char *leader, char **title, int *number) {
  char *s = collapse_ws(line);
  size_t n = strlen(s);
  size_t e = n;
  while (e > 0 && s[e - 1] >= '0' && s[e - 1] <= '9') e--;
  if (e == n || e == 0) return 0;
  *number = atoi(s + e);
  int dots = 0;
  size_t ll = strlen(leader);
  for (;;) {
    while (e > 0 && s[e - 1] == ' ') e--;
    if (e >= ll && memcmp(s + e - ll, leader, ll) == 0) e -= ll, dots++;
    else break;
  }
  if (dots < 3 || e == 0) return 0;
  *title = xstrndup(s, e);
  return 1;
}

static char *strip_final_dot(char *s) {
  size_t n = strlen(s);
  if (n && s[n - 1] == '.') s[n - 1] = '\0';
  return s;
}

START_TEST(test_toc_page_numbers) {
  const char *in = samples[_i];
  content c = read_content(in);
  if (!c.has_toc) {
    printf("note: %s has no <toc/>, nothing to check\n", base_name(in));
    free_content(&c);
    return;
  }
  template_info t = read_template(default_template_path());
  const char *pdf = render_cached(in, NULL, NULL);
  int pages = pdf_page_count(pdf);
  int *where = locate_headings(pdf, &c, &t);

  /* the entries the TOC must list */
  int *expected = xmalloc(sizeof *expected * (size_t)(c.heading_count + 1));
  int ne = 0;
  for (int h = 0; h < c.heading_count; h++)
    if (c.headings[h].in_toc && c.headings[h].level <= t.toc_levels) expected[ne++] = h;
  ck_assert_int_gt(ne, 0);

  /* page by page: the TOC title, then entry lines until all are read */
  const char *title = c.toc_title ? c.toc_title : t.toc_title;
  ck_assert_ptr_nonnull(title);
  char **entry_title = xmalloc(sizeof *entry_title * (size_t)ne);
  int *entry_number = xmalloc(sizeof *entry_number * (size_t)ne);
  int found = 0, in_toc = 0;
  for (int p = 1; p <= pages && found < ne; p++) {
    int nl;
    char **lines = split_lines(pdf_text(pdf, p, p, NULL), &nl);
    for (int k = 0; k < nl && found < ne; k++) {
      if (!in_toc) {
        in_toc = strcmp(skeleton(lines[k]), skeleton(title)) == 0;
        continue;
      }
      if (parse_toc_line(lines[k], t.leader, &entry_title[found], &entry_number[found])) found++;
    }
  }
  ck_assert_msg(in_toc, "%s: no TOC title \"%s\" in the text", base_name(in), title);
  ck_assert_msg(found == ne, "%s: %d TOC entries found, the content has %d headings for it", base_name(in), found, ne);
  for (int i = 0; i < ne; i++) {
    const heading *h = &c.headings[expected[i]];
    ck_assert_msg(strcmp(strip_final_dot(skeleton(entry_title[i])), strip_final_dot(skeleton(h->text))) == 0,
                  "%s: TOC entry %d reads \"%s\", expected \"%s\"", base_name(in), i + 1, entry_title[i], h->text);
    ck_assert_msg(entry_number[i] == where[expected[i]], "%s: TOC says \"%s\" is on page %d, it stands on page %d",
                  base_name(in), h->text, entry_number[i], where[expected[i]]);
  }
  free_content(&c);
}
END_TEST

typedef struct outline_item {
  const char *title;
  int page, depth;
} outline_item;

static void walk_outlines(const json *items, int depth, outline_item **out, int *n) {
  if (!items || items->type != JSON_ARRAY) return;
  for (int i = 0; i < items->count; i++) {
    const json *it = &items->items[i];
    const json *title = json_get(it, "title"), *page = json_get(it, "destpageposfrom1");
    *out = xgrow(*out, sizeof **out * (size_t)(*n + 1));
    (*out)[(*n)++] = (outline_item){title && title->type == JSON_STRING ? title->string : NULL,
                                    page && page->type == JSON_NUMBER ? (int)page->number : -1, depth};
    walk_outlines(json_get(it, "kids"), depth + 1, out, n);
  }
}

START_TEST(test_bookmarks) {
  const char *in = samples[_i];
  content c = read_content(in);
  template_info t = read_template(default_template_path());
  const char *pdf = render_cached(in, NULL, NULL);
  int *where = locate_headings(pdf, &c, &t);
  run_result r = run(NULL, "qpdf", "--json", "--json-key=outlines", pdf, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "qpdf --json: %s", run_describe(&r));
  json *j = json_parse(r.out);
  const json *outlines = json_get(j, "outlines");
  ck_assert_msg(outlines && outlines->type == JSON_ARRAY, "qpdf reports no outlines array");
  outline_item *items = NULL;
  int n = 0;
  walk_outlines(outlines, 1, &items, &n);
  ck_assert_msg(n == c.heading_count, "%s: %d outline items for %d headings", base_name(in), n, c.heading_count);
  int non_ascii = 0;
  for (int i = 0; i < n; i++) {
    const heading *h = &c.headings[i];
    ck_assert_msg(items[i].title != NULL, "%s: outline item %d has no title", base_name(in), i + 1);
    ck_assert_msg(strcmp(collapse_ws(items[i].title), h->text) == 0, "%s: outline item %d is \"%s\", heading is \"%s\"",
                  base_name(in), i + 1, items[i].title, h->text);
    ck_assert_msg(items[i].depth == h->level, "%s: outline item \"%s\" at depth %d, the heading has level %d",
                  base_name(in), h->text, items[i].depth, h->level);
    ck_assert_msg(items[i].page == where[i], "%s: outline item \"%s\" goes to page %d, the heading is on page %d",
                  base_name(in), h->text, items[i].page, where[i]);
    for (const char *p = items[i].title; *p; p++) non_ascii |= (unsigned char)*p >= 0x80;
  }
  /* the titles compared above hold å ä ö; make sure the sample has some */
  ck_assert_msg(non_ascii, "%s: no outline title with a non-ASCII letter to check", base_name(in));
  free_content(&c);
}
END_TEST

/* Templates to compare with the default: the bundled second house style
 * when there is one, and always the small one in tests/e2e/data. */
static const char *other_templates[2];
static int other_template_count;

START_TEST(test_other_template) {
  const char *tpl = other_templates[_i / sample_count];
  const char *in = samples[_i % sample_count];
  const char *a = render_cached(in, NULL, NULL);
  const char *b = render_cached(in, tpl, NULL);
  template_info ta = read_template(default_template_path()), tb = read_template(tpl);
  int pa = pdf_page_count(a), pb = pdf_page_count(b);
  bbox_doc *wa = pdf_words(a, 0, 0), *wb = pdf_words(b, 0, 0);

  /* the same content: every paragraph and heading, in order, in the body
   * area of both */
  content c = read_content(in);
  const char *ska = skeleton(pdf_body_text(a, ta.top, ta.bottom));
  const char *skb = skeleton(pdf_body_text(b, tb.top, tb.bottom));
  const char *ca = ska, *cb = skb;
  int np, checked = 0;
  xmlNodePtr *ps = xml_find_all(c.body, "p", &np);
  for (int i = 0; i < np; i++) {
    if (xml_has_ancestor(ps[i], "table")) continue;
    int n;
    char **pieces = text_pieces(ps[i], &n);
    for (int k = 0; k < n; k++) {
      const char *want = skeleton(pieces[k]);
      const char *fa = text_find(ca, want), *fb = text_find(cb, want);
      ck_assert_msg(fa != NULL, "%s, default template: paragraph at line %ld missing or out of order: \"%s\"",
                    base_name(in), xmlGetLineNo(ps[i]), pieces[k]);
      ck_assert_msg(fb != NULL, "%s, %s: paragraph at line %ld missing or out of order: \"%s\"", base_name(in),
                    base_name(tpl), xmlGetLineNo(ps[i]), pieces[k]);
      ca = fa + strlen(want), cb = fb + strlen(want);
      checked++;
    }
  }
  ck_assert_int_gt(checked, 10);
  for (int h = 0; h < c.heading_count; h++) {
    const char *want = skeleton(c.headings[h].text);
    ck_assert_msg(text_find(ska, want) && text_find(skb, want), "%s: heading \"%s\" missing with one of the templates",
                  base_name(in), c.headings[h].text);
  }

  /* ...and a different layout: other page count, or the first body word
   * of the first paragraph somewhere else */
  const char *first = NULL;
  for (int i = 0; i < np && !first; i++) {
    if (xml_has_ancestor(ps[i], "table")) continue;
    int n;
    char **pieces = text_pieces(ps[i], &n);
    if (n) first = pieces[0];
  }
  ck_assert_ptr_nonnull(first);
  char *word = xstrdup(first);
  word[strcspn(word, " ")] = '\0';
  const bword *fa = NULL, *fb = NULL;
  for (int i = 0; i < wa->count && !fa; i++)
    if (strcmp(wa->words[i].text, word) == 0) fa = &wa->words[i];
  for (int i = 0; i < wb->count && !fb; i++)
    if (strcmp(wb->words[i].text, word) == 0) fb = &wb->words[i];
  ck_assert_msg(fa && fb, "first word \"%s\" not found in both PDFs", word);
  int moved = fa->page != fb->page || fabs(fa->x0 - fb->x0) > 1 || fabs(fa->y0 - fb->y0) > 1;
  ck_assert_msg(pa != pb || moved, "%s: %s gives the same page count (%d) and the same positions as the default",
                base_name(in), base_name(tpl), pa);
  free_content(&c);
}
END_TEST

START_TEST(test_reproducible) {
  const char *in = samples[_i];
  const char *dir = tmpdir_new();
  const char *a = render_cached(in, NULL, NULL); /* rendered earlier in this run */
  const char *b = render_cli(dir, in, NULL, "b.pdf");
  size_t la, lb;
  char *da = read_file(a, &la), *db = read_file(b, &lb);
  ck_assert_msg(da && db, "cannot read the outputs");
  ck_assert_msg(la == lb && memcmp(da, db, la) == 0, "%s: two renders differ (%zu and %zu bytes)", base_name(in), la,
                lb);
  /* the library into memory: test_render_sample */
}
END_TEST

START_TEST(test_stdin_stdout) {
  const char *in = samples[0];
  const char *dir = tmpdir_new();
  run_opts o = {.stdin_path = in};
  run_result r = run(&o, bilaga_binary(), "render", "-", "-o", "-", NULL);
  ck_assert_msg(run_exit_is(&r, 0), "render - -o -: %s", run_describe(&r));
  ck_assert_msg(r.out_len > 1000 && memcmp(r.out, "%PDF-", 5) == 0, "stdout is not a PDF (%zu bytes)", r.out_len);
  const char *piped = sfmt("%s/piped.pdf", dir);
  write_file(piped, r.out, r.out_len);
  const char *file = render_cached(in, NULL, NULL);
  ck_assert_int_eq(pdf_page_count(piped), pdf_page_count(file));
  ck_assert_str_eq(skeleton(pdf_text(piped, 0, 0, NULL)), skeleton(pdf_text(file, 0, 0, NULL)));
  /* "-" in, no -o: standard output too */
  run_result r2 = run(&o, bilaga_binary(), "render", "-", NULL);
  ck_assert_msg(run_exit_is(&r2, 0), "render -: %s", run_describe(&r2));
  ck_assert_msg(r2.out_len == r.out_len && memcmp(r2.out, r.out, r.out_len) == 0, "render - and render - -o - differ");
}
END_TEST

START_TEST(test_validate_sample) {
  const char *in = samples[_i];
  run_result r = run(NULL, bilaga_binary(), "validate", in, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "validate %s: %s", in, run_describe(&r));
  ck_assert_msg(strstr(r.err, "error") == NULL, "validate %s printed an error: %s", in, run_describe(&r));
}
END_TEST

START_TEST(test_help_version_usage) {
  run_result r = run(NULL, bilaga_binary(), "--help", NULL);
  ck_assert_msg(run_exit_is(&r, 0), "--help: %s", run_describe(&r));
  ck_assert_msg(strstr(r.out, "usage") && strstr(r.out, "render") && strstr(r.out, "validate"),
                "--help does not print the usage on stdout: %s", r.out);

  r = run(NULL, bilaga_binary(), "--version", NULL);
  ck_assert_msg(run_exit_is(&r, 0), "--version: %s", run_describe(&r));
  ck_assert_msg(strstr(r.out, bilaga_version()) != NULL, "--version prints \"%s\", the library is %s", r.out,
                bilaga_version());
  ck_assert_int_gt((int)strlen(bilaga_version()), 0);

  const char *dir = tmpdir_new();
  const char *out = sfmt("%s/out.pdf", dir);
  const char *in = samples[0];
  struct {
    const char *args[6];
  } usage_errors[] = {
      {{NULL}},
      {{"--frobnicate", NULL}},
      {{"render", NULL}},
      {{"render", in, "--frobnicate", "-o", out, NULL}},
      {{"render", in, in, "-o", out, NULL}},
      {{"rendera", in, "-o", out, NULL}},
      {{"validate", NULL}},
  };
  for (size_t i = 0; i < sizeof usage_errors / sizeof *usage_errors; i++) {
    const char *argv[8] = {bilaga_binary()};
    int n = 1;
    for (int k = 0; usage_errors[i].args[k]; k++) argv[n++] = usage_errors[i].args[k];
    argv[n] = NULL;
    run_result u = run_argv(argv, NULL);
    ck_assert_msg(run_exit_is(&u, 1), "usage error %zu (%s): %s", i, n > 1 ? argv[1] : "no arguments",
                  run_describe(&u));
    ck_assert_msg(strstr(u.err, "usage") != NULL, "usage error %zu prints no usage: %s", i, u.err);
    ck_assert_msg(!file_exists(out), "usage error %zu wrote %s", i, out);
  }
}
END_TEST

int main(void) {
  samples = sample_files(&sample_count);
  if (sample_count == 0) {
    fprintf(stderr, "no samples in %s/samples\n", source_root());
    return EXIT_FAILURE;
  }
  const char *klassisk = sfmt("%s/templates/kommun-klassisk.xml", source_root());
  if (file_exists(klassisk)) other_templates[other_template_count++] = klassisk;
  else printf("note: %s does not exist; comparing with tests/e2e/data/alt-template.xml only\n", klassisk);
  other_templates[other_template_count++] = sfmt("%s/tests/e2e/data/alt-template.xml", source_root());

  Suite *s = suite_create("e2e");
  TCase *tc = tcase_create("samples");
  tcase_set_timeout(tc, 600);
  tcase_add_loop_test(tc, test_render_sample, 0, sample_count);
  tcase_add_loop_test(tc, test_text_content, 0, sample_count);
  tcase_add_loop_test(tc, test_toc_page_numbers, 0, sample_count);
  tcase_add_loop_test(tc, test_bookmarks, 0, sample_count);
  tcase_add_loop_test(tc, test_other_template, 0, sample_count * other_template_count);
  tcase_add_loop_test(tc, test_reproducible, 0, sample_count);
  tcase_add_loop_test(tc, test_validate_sample, 0, sample_count);
  suite_add_tcase(s, tc);
  TCase *cli = tcase_create("command");
  tcase_set_timeout(cli, 600);
  tcase_add_test(cli, test_stdin_stdout);
  tcase_add_test(cli, test_help_version_usage);
  suite_add_tcase(s, cli);
  if (!tmp_root_init("e2e")) return EXIT_FAILURE;
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  tmp_root_remove();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
