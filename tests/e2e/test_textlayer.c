/* test_textlayer.c - end to end: the text layer reads like the page.
 * A hyphenated, justified paragraph read in structure order (pdfinfo
 * -struct-text) is its source text word for word, and pdftotext of the
 * same gives whole words; no-break spaces read as U+00A0, the minus as
 * U+2212; a character no font has is a warning at its element (an error
 * with --strict or bilaga_render_options.strict, and then nothing is
 * written), drawn from the bundled DejaVu Sans or as U+FFFD and read as
 * itself, never as .notdef.
 *
 * test_textlayer struct-text: only the tests that need pdfinfo
 * -struct-text and ../shared/tools/ua-check (exit 77 without them). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bilaga.h"
#include "support.h"

static const char *data_file(const char *name) { return sfmt("%s/tests/e2e/data/%s", source_root(), name); }

/* The text of the n-th (0-based) <p> of a content file, whitespace
 * collapsed as the parser does (leading and trailing space dropped); for
 * a paragraph of plain text (no <num>, no no-break spaces). */
static char *source_paragraph(const char *path, int n) {
  xmlDocPtr doc = xml_load(path);
  int count;
  xmlNodePtr *ps = xml_find_all(xmlDocGetRootElement(doc), "p", &count);
  ck_assert_int_gt(count, n);
  char *text = collapse_ws(xml_text(ps[n]));
  xmlFreeDoc(doc);
  return text;
}

/* The quoted lines of pdfinfo -struct-text, in order (one per MCID). */
static char **struct_text(const char *pdf, int *count) {
  run_result r = run(NULL, "pdfinfo", "-struct-text", pdf, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "pdfinfo -struct-text %s: %s", pdf, run_describe(&r));
  int nl;
  char **lines = split_lines(r.out, &nl);
  char **out = xmalloc(sizeof *out * (size_t)(nl + 1));
  *count = 0;
  for (int i = 0; i < nl; i++) {
    const char *s = lines[i];
    while (*s == ' ') s++;
    size_t l = strlen(s);
    if (l >= 2 && s[0] == '"' && s[l - 1] == '"') out[(*count)++] = xstrndup(s + 1, l - 2);
  }
  return out;
}

/* Words separated by ASCII spaces (a no-break space is part of a word). */
static char **words(const char *s, int *count) {
  char **out = xmalloc(sizeof *out * (strlen(s) + 1));
  *count = 0;
  while (*s) {
    while (*s == ' ' || *s == '\n') s++;
    const char *start = s;
    while (*s && *s != ' ' && *s != '\n') s++;
    if (s > start) out[(*count)++] = xstrndup(start, (size_t)(s - start));
  }
  return out;
}

static const char *render_textlayer(void) { return render_cached(data_file("textlayer.xml"), NULL, NULL); }

/* The paragraph really is hyphenated and justified: -layout keeps its
 * line ends, and at least two end in a hyphen the source does not have. */
static void assert_hyphenated(const char *pdf) {
  int nl, hyphens = 0;
  char **lines = split_lines(pdf_text(pdf, 1, 1, "-layout"), &nl);
  for (int i = 0; i < nl; i++) {
    size_t l = strlen(lines[i]);
    while (l && lines[i][l - 1] == ' ') l--;
    hyphens += l > 1 && lines[i][l - 1] == '-';
  }
  ck_assert_msg(hyphens >= 2, "only %d line(s) end in a hyphen: the test paragraph is not hyphenated", hyphens);
}

START_TEST(test_struct_text_is_source_text) {
  const char *pdf = render_textlayer();
  assert_hyphenated(pdf);
  int n;
  char **chunks = struct_text(pdf, &n);
  for (int p = 0; p < 1; p++) {
    char *want = source_paragraph(data_file("textlayer.xml"), p);
    int found = -1;
    for (int i = 0; i < n && found < 0; i++)
      if (strncmp(chunks[i], want, 40) == 0) found = i;
    ck_assert_msg(found >= 0, "no structure text starts like \"%.40s\"", want);
    int nw, ng;
    char **w = words(want, &nw), **g = words(chunks[found], &ng);
    for (int k = 0; k < nw && k < ng; k++)
      ck_assert_msg(strcmp(w[k], g[k]) == 0, "word %d of paragraph %d reads \"%s\", the source has \"%s\"", k + 1,
                    p + 1, g[k], w[k]);
    ck_assert_int_eq(ng, nw);
  }
}
END_TEST

/* Numbers: no-break spaces keep their identity, the minus is U+2212. */
START_TEST(test_struct_text_number_characters) {
  int n;
  char **chunks = struct_text(render_textlayer(), &n);
  int found = 0;
  for (int i = 0; i < n; i++)
    found |= strstr(chunks[i], "till 1\xc2\xa0" "234\xc2\xa0" "567 kronor") != NULL &&
             strstr(chunks[i], "till \xe2\x88\x92" "28,8 miljoner") != NULL;
  ck_assert_msg(found, "no structure text reads 1<U+00A0>234<U+00A0>567 and <U+2212>28,8");
}
END_TEST

/* pdftotext (which joins a line-end "kommun-" with "koncernen") gives
 * every word of the paragraph whole, and "1 234 567" is findable. */
START_TEST(test_page_text_whole_words) {
  const char *pdf = render_textlayer();
  char *text = plain_spaces(pdf_text(pdf, 0, 0, NULL));
  int nt, nw;
  char **page = words(text, &nt);
  for (int p = 0; p < 1; p++) {
    char **w = words(plain_spaces(source_paragraph(data_file("textlayer.xml"), p)), &nw);
    for (int k = 0; k < nw; k++) {
      int seen = 0;
      for (int i = 0; i < nt && !seen; i++) seen = strcmp(page[i], w[k]) == 0;
      ck_assert_msg(seen, "\"%s\" is not a word of pdftotext's text", w[k]);
    }
  }
  ck_assert_ptr_nonnull(strstr(text, "till 1 234 567 kronor"));
  ck_assert_ptr_nonnull(strstr(text, "till \xe2\x88\x92" "28,8 miljoner"));
}
END_TEST

/* ua-check's comparison of structure text and page text on a sample. */
START_TEST(test_ua_check_reading_text) {
  const char *pdf = render_cached(sfmt("%s/samples/ks-2022-delarsrapport-1.xml", source_root()), NULL, NULL);
  run_result r = run(NULL, sfmt("%s/../shared/tools/ua-check", source_root()), pdf, NULL);
  ck_assert_msg(r.exited, "ua-check: %s", run_describe(&r));
  int nl, seen = 0;
  char **lines = split_lines(r.out, &nl);
  for (int i = 0; i < nl; i++)
    if (strstr(lines[i], ": reading text: ")) {
      seen = 1;
      ck_assert_msg(strncmp(lines[i], "ok ", 3) == 0, "%s", lines[i]);
    }
  ck_assert_msg(seen, "ua-check printed no reading-text verdict: %.500s", r.out);
}
END_TEST

/* ---- missing glyphs ---- */

/* U+13000 (an Egyptian hieroglyph) is in no bundled font; the snowman is
 * in DejaVu Sans only. */
static const char missing_doc[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"
    "  <meta><title>Saknade tecken</title><board>Kommunstyrelsen</board></meta>\n"
    "  <body>\n"
    "    <p>Ett tecken som ingen har: \xf0\x93\x80\x80 och en sn\xc3\xb6gubbe \xe2\x98\x83.</p>\n"
    "    <p>Igen \xf0\x93\x80\x80 och <b>fet \xf0\x93\x80\x80</b>.</p>\n"
    "  </body>\n"
    "</report>\n";

static const char *write_missing(const char *dir) {
  const char *in = sfmt("%s/missing.xml", dir);
  write_text(in, missing_doc);
  return in;
}

START_TEST(test_missing_glyph_warning) {
  const char *dir = tmpdir_new(), *in = write_missing(dir), *out = sfmt("%s/missing.pdf", dir);
  run_result r = run(NULL, bilaga_binary(), "render", in, "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  /* one warning per element and character, at the element: <p> at 5:5 and 6:5, <b> at 6:19
   * (columns count characters: the hieroglyph before it is one) */
  const char *at[] = {"5:5", "6:5", "6:19"};
  for (int i = 0; i < 3; i++) {
    const char *want = sfmt("%s:%s: warning: character U+13000 '\xf0\x93\x80\x80' is in neither font \"Carlito\"", in, at[i]);
    ck_assert_msg(strstr(r.err, want) != NULL, "no \"%s\" in: %s", want, run_describe(&r));
  }
  ck_assert_int_eq(count_substr(r.err, "warning: "), 3);
  ck_assert_msg(!strstr(r.err, "U+2603"), "the snowman is in the fallback font: %s", run_describe(&r));
  /* drawn (U+FFFD from DejaVu Sans) and read as itself */
  char *text = pdf_text(out, 0, 0, NULL);
  ck_assert_int_eq(count_substr(text, "\xf0\x93\x80\x80"), 3);
  ck_assert_ptr_nonnull(strstr(text, "sn\xc3\xb6gubbe \xe2\x98\x83"));
  run_result f = run(NULL, "pdffonts", out, NULL);
  ck_assert_msg(strstr(f.out, "+DejaVuSans"), "%s", f.out);
}
END_TEST

START_TEST(test_missing_glyph_strict) {
  const char *dir = tmpdir_new(), *in = write_missing(dir), *out = sfmt("%s/missing.pdf", dir);
  run_result r = run(NULL, bilaga_binary(), "render", in, "-o", out, "--strict", NULL);
  ck_assert_msg(run_exit_is(&r, 2), "%s", run_describe(&r));
  const char *want = sfmt("%s:5:5: error: character U+13000 '\xf0\x93\x80\x80'", in);
  ck_assert_msg(strstr(r.err, want) != NULL, "no \"%s\" in: %s", want, run_describe(&r));
  ck_assert_msg(!strstr(r.err, "warning:"), "%s", run_describe(&r));
  ck_assert_msg(!file_exists(out), "--strict wrote %s", out);
  int count;
  dir_entries_with_prefix(dir, ".bilaga", &count);
  ck_assert_int_eq(count, 0);
  /* without anything missing, --strict renders as usual */
  const char *good = sfmt("%s/good.xml", dir);
  write_text(good, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<report xmlns=\"urn:bilaga:content:1\"><meta><title>T</title><board>K</board></meta>"
                   "<body><p>Sn\xc3\xb6gubbe \xe2\x98\x83.</p></body></report>\n");
  r = run(NULL, bilaga_binary(), "render", good, "-o", out, "--strict", NULL);
  ck_assert_msg(run_exit_is(&r, 0) && r.err_len == 0, "%s", run_describe(&r));
  ck_assert(is_regular_file(out));
}
END_TEST

/* A template whose fallbacks lack a character: the bundled DejaVu Sans
 * draws it, with the warning saying so. */
START_TEST(test_missing_glyph_last_resort) {
  const char *dir = tmpdir_new(), *in = write_missing(dir), *out = sfmt("%s/missing.pdf", dir);
  char *tpl = read_file(sfmt("%s/templates/default.xml", source_root()), NULL);
  const char *from = "fallback=\"DejaVu Sans\"", *at = strstr(tpl, from);
  ck_assert_ptr_nonnull(at);
  const char *tpl_path = sfmt("%s/nofallback.xml", dir);
  write_text(tpl_path, sfmt("%.*sfallback=\"Carlito\"%s", (int)(at - tpl), tpl, at + strlen(from)));
  run_result r = run(NULL, bilaga_binary(), "render", in, "-t", tpl_path, "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  const char *want = sfmt("%s:5:5: warning: character U+2603 '\xe2\x98\x83' is in neither font \"Carlito\" nor the "
                          "fallback fonts (Carlito); shown from the bundled DejaVuSans.ttf",
                          in);
  ck_assert_msg(strstr(r.err, want) != NULL, "no \"%s\" in: %s", want, run_describe(&r));
  ck_assert_ptr_nonnull(strstr(pdf_text(out, 0, 0, NULL), "sn\xc3\xb6gubbe \xe2\x98\x83"));
}
END_TEST

/* Past 100 places the rest are counted, not listed. */
START_TEST(test_missing_glyph_summary) {
  const char *dir = tmpdir_new(), *in = sfmt("%s/many.xml", dir), *out = sfmt("%s/many.pdf", dir);
  sbuf doc = {0};
  sbuf_add(&doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<report xmlns=\"urn:bilaga:content:1\">"
                 "<meta><title>T</title><board>K</board></meta><body>\n");
  for (int i = 0; i < 150; i++) sbuf_add(&doc, "<p>Tecken \xf0\x93\x80\x80.</p>\n");
  sbuf_add(&doc, "</body></report>\n");
  write_text(in, sbuf_str(&doc));
  run_result r = run(NULL, bilaga_binary(), "render", in, "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  ck_assert_int_eq(count_substr(r.err, ": warning: character U+13000"), 100);
  ck_assert_msg(strstr(r.err, sfmt("%s: warning: 50 more characters are in none of their style's fonts", in)),
                "%s", run_describe(&r));
}
END_TEST

typedef struct seen {
  int warnings, errors, line, column;
} seen;

static void collect(const bilaga_diagnostic *d, void *user) {
  seen *s = user;
  if (!strstr(d->message, "U+13000")) return;
  if (d->severity == BILAGA_SEVERITY_WARNING) s->warnings++;
  if (d->severity == BILAGA_SEVERITY_ERROR) s->errors++;
  if (!s->line) s->line = d->line, s->column = d->column;
}

/* The library: warnings reach the sink with their position; strict makes
 * them errors, counted, and gives no bytes. */
START_TEST(test_missing_glyph_api) {
  bilaga_context *c = bilaga_context_new(source_root());
  ck_assert_ptr_nonnull(c);
  seen s = {0};
  bilaga_context_set_diagnostic_sink(c, collect, &s);
  bilaga_document *doc = NULL;
  bilaga_template *tpl = NULL;
  ck_assert_int_eq(bilaga_document_load_memory(c, missing_doc, sizeof missing_doc - 1, "m.xml", &doc), BILAGA_OK);
  ck_assert_int_eq(bilaga_template_load(c, "default", &tpl), BILAGA_OK);
  bilaga_render_options o;
  bilaga_render_options_init(&o);
  ck_assert_int_eq(o.strict, 0);
  unsigned char *bytes = NULL;
  size_t length = 0;
  ck_assert_int_eq(bilaga_render_memory(c, doc, tpl, &o, &bytes, &length, NULL), BILAGA_OK);
  ck_assert(bytes && length > 0);
  free(bytes);
  ck_assert_int_eq(s.warnings, 3);
  ck_assert_int_eq(s.errors, 0);
  ck_assert_int_eq(s.line, 5);
  ck_assert_int_eq(s.column, 5);
  ck_assert_int_eq(bilaga_context_error_count(c), 0);
  s = (seen){0};
  o.strict = 1;
  ck_assert_int_eq(bilaga_render_memory(c, doc, tpl, &o, &bytes, &length, NULL), BILAGA_ERROR_INPUT);
  ck_assert_ptr_null(bytes);
  ck_assert_int_eq(s.warnings, 0);
  ck_assert_int_eq(s.errors, 3);
  ck_assert_int_eq(bilaga_context_error_count(c), 3);
  /* the next render is not strict unless asked */
  o.strict = 0;
  ck_assert_int_eq(bilaga_render_memory(c, doc, tpl, &o, &bytes, &length, NULL), BILAGA_OK);
  free(bytes);
  bilaga_template_free(tpl);
  bilaga_document_free(doc);
  bilaga_context_free(c);
}
END_TEST

/* Outside a test: check's assertions (run_argv's) cannot be used. */
static int has_struct_text(void) { return system("pdfinfo -h 2>&1 | grep -q -e -struct-text") == 0; }

int main(int argc, char **argv) {
  int struct_only = argc > 1 && strcmp(argv[1], "struct-text") == 0;
  if (struct_only) { /* before check allocates: a skip must not leak (LeakSanitizer) */
    const char *ua = sfmt("%s/../shared/tools/ua-check", source_root());
    if (!has_struct_text() || !is_regular_file(ua)) {
      printf("SKIP: %s\n", !is_regular_file(ua) ? sfmt("%s is missing", ua) : "pdfinfo has no -struct-text");
      return 77;
    }
  }
  Suite *s = suite_create("textlayer");
  TCase *tc = tcase_create("textlayer");
  tcase_set_timeout(tc, 600);
  if (!tmp_root_init("textlayer")) return EXIT_FAILURE;
  if (struct_only) {
    tcase_add_test(tc, test_struct_text_is_source_text);
    tcase_add_test(tc, test_struct_text_number_characters);
    tcase_add_test(tc, test_ua_check_reading_text);
  } else {
    tcase_add_test(tc, test_page_text_whole_words);
    tcase_add_test(tc, test_missing_glyph_warning);
    tcase_add_test(tc, test_missing_glyph_strict);
    tcase_add_test(tc, test_missing_glyph_last_resort);
    tcase_add_test(tc, test_missing_glyph_summary);
    tcase_add_test(tc, test_missing_glyph_api);
  }
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  tmp_root_remove();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
