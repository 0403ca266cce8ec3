/* test_api.c - the public API used as a batch integration would: many
 * documents and templates through one long-lived context. The bytes of a
 * render must not depend on what the context did before, objects of one
 * context are refused by another, and error counts are per call. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

/* Content that renders with every template below. */
static const char *const documents[] = {
    "samples/ks-2021-verksamhetsberattelse.xml", "samples/ks-2022-delarsrapport-1.xml",
    "samples/sn-2023-verksamhetsberattelse.xml", "tests/e2e/data/decimal-align.xml",
    "tests/e2e/data/hyphen-column.xml",          "tests/e2e/data/wide-number.xml",
};
enum { DOC_COUNT = sizeof documents / sizeof *documents };

/* Names, and a path: alt-template uses other fonts, so fonts load in other
 * orders depending on which template a context saw first. */
static const char *const templates[] = {"default", "kommun-klassisk",
                                        BILAGA_TEST_SOURCE_ROOT "/tests/e2e/data/alt-template.xml"};
enum { TPL_COUNT = sizeof templates / sizeof *templates };

typedef struct bytes {
  unsigned char *data;
  size_t length;
} bytes;

/* Fresh-context renders, the reference for everything else. */
static bytes reference[DOC_COUNT][TPL_COUNT];

static char *source_path(const char *relative) {
  static char path[1024];
  snprintf(path, sizeof path, "%s/%s", BILAGA_TEST_SOURCE_ROOT, relative);
  return path;
}

static bilaga_context *context_logging(diag_log *log) {
  bilaga_context *c = bilaga_context_new(NULL);
  ck_assert_ptr_nonnull(c);
  memset(log, 0, sizeof *log);
  bilaga_context_set_diagnostic_sink(c, diag_log_record, log);
  return c;
}

static bilaga_document *load_document(bilaga_context *c, const diag_log *log, int d) {
  bilaga_document *doc = NULL;
  bilaga_status st = bilaga_document_load_file(c, source_path(documents[d]), &doc);
  ck_assert_msg(st == BILAGA_OK && doc, "%s: status %d %s", documents[d], st, diag_log_text(log));
  return doc;
}

static bilaga_template *load_template(bilaga_context *c, const diag_log *log, int t) {
  bilaga_template *tpl = NULL;
  bilaga_status st = bilaga_template_load(c, templates[t], &tpl);
  ck_assert_msg(st == BILAGA_OK && tpl, "%s: status %d %s", templates[t], st, diag_log_text(log));
  return tpl;
}

static bytes render(bilaga_context *c, const diag_log *log, const bilaga_document *doc,
                    const bilaga_template *tpl, int d, int t) {
  bilaga_render_options o;
  bilaga_render_options_init(&o);
  o.source_epoch = 1700000000; /* independent of the environment */
  bytes b = {NULL, 0};
  bilaga_status st = bilaga_render_memory(c, doc, tpl, &o, &b.data, &b.length, NULL);
  ck_assert_msg(st == BILAGA_OK, "%s with %s: status %d %s", documents[d], templates[t], st,
                diag_log_text(log));
  ck_assert_int_gt(b.length, 1000);
  return b;
}

/* Where two renders first differ, for the failure message. */
static void assert_same(bytes got, int d, int t, const char *how) {
  bytes want = reference[d][t];
  size_t n = got.length < want.length ? got.length : want.length, at = 0;
  while (at < n && got.data[at] == want.data[at]) at++;
  ck_assert_msg(got.length == want.length && at == n,
                "%s with %s %s: %zu bytes differ from a fresh context's %zu from byte %zu", documents[d],
                templates[t], how, got.length, want.length, at);
}

static void make_references(void) {
  for (int d = 0; d < DOC_COUNT; d++)
    for (int t = 0; t < TPL_COUNT; t++) {
      diag_log log;
      bilaga_context *c = context_logging(&log);
      bilaga_document *doc = load_document(c, &log, d);
      bilaga_template *tpl = load_template(c, &log, t);
      reference[d][t] = render(c, &log, doc, tpl, d, t);
      ck_assert_int_eq(log.errors, 0);
      bilaga_template_free(tpl);
      bilaga_document_free(doc);
      bilaga_context_free(c);
    }
}

static void free_references(void) {
  for (int d = 0; d < DOC_COUNT; d++)
    for (int t = 0; t < TPL_COUNT; t++) free(reference[d][t].data);
}

/* Every (document, template) pair through one context, in an order given
 * by step: templates loaded in a rotated order, pairs visited with a
 * stride, and some pairs rendered twice. */
START_TEST(test_one_context_any_order) {
  const int strides[] = {1, DOC_COUNT * TPL_COUNT - 1, 5};
  int rotate = _i % TPL_COUNT, stride = strides[_i % 3];
  diag_log log;
  bilaga_context *c = context_logging(&log);
  bilaga_template *tpl[TPL_COUNT];
  for (int k = 0; k < TPL_COUNT; k++) {
    int t = (k + rotate) % TPL_COUNT;
    tpl[t] = load_template(c, &log, t);
  }
  bilaga_document *doc[DOC_COUNT];
  for (int d = DOC_COUNT - 1; d >= 0; d--) doc[d] = load_document(c, &log, d);
  int pairs = DOC_COUNT * TPL_COUNT;
  for (int k = 0, p = _i; k < pairs + 3; k++, p = (p + stride) % pairs) {
    int d = p / TPL_COUNT, t = p % TPL_COUNT;
    char how[80];
    snprintf(how, sizeof how, "as render %d of one context (order %d)", k + 1, _i);
    bytes b = render(c, &log, doc[d], tpl[t], d, t);
    assert_same(b, d, t, how);
    free(b.data);
  }
  ck_assert_int_eq(log.errors, 0);
  for (int d = 0; d < DOC_COUNT; d++) bilaga_document_free(doc[d]);
  for (int t = 0; t < TPL_COUNT; t++) bilaga_template_free(tpl[t]);
  bilaga_context_free(c);
}
END_TEST

/* A template freed and loaded again, and a template loaded after many
 * renders, give the same bytes as in a fresh context. */
START_TEST(test_template_reloaded) {
  diag_log log;
  bilaga_context *c = context_logging(&log);
  bilaga_document *doc = load_document(c, &log, 0);
  for (int round = 0; round < 2; round++)
    for (int t = TPL_COUNT - 1; t >= 0; t--) {
      bilaga_template *tpl = load_template(c, &log, t);
      bytes b = render(c, &log, doc, tpl, 0, t);
      assert_same(b, 0, t, round ? "with the template loaded a second time" : "after other templates");
      free(b.data);
      bilaga_template_free(tpl);
    }
  bilaga_document_free(doc);
  bilaga_context_free(c);
}
END_TEST

/* Two templates naming the same family with other fallback fonts: each
 * gets its own fallbacks, whichever the context loaded first. */
START_TEST(test_fallbacks_per_template) {
  static const char content[] =
      "<report xmlns=\"urn:bilaga:content:1\" "
      "xml:lang=\"sv-SE\"><meta><title>Tecken</title><board>Styrelsen</board></meta>"
      "<body><p>Kommando \xe2\x8c\x98 och \xe2\x98\xba finns inte i Carlito.</p></body></report>";
  size_t length;
  char *text = slurp_source_file("templates/default.xml", &length);
  const char *from = "<fonts fallback=\"DejaVu Sans\"/>", *to = "<fonts fallback=\"DejaVu Serif\"/>";
  char *at = strstr(text, from);
  ck_assert_ptr_nonnull(at);
  char dir[] = "/tmp/bilaga-test-api-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char serif[sizeof dir + 32];
  snprintf(serif, sizeof serif, "%s/serif-fallback.xml", dir);
  FILE *f = fopen(serif, "wb");
  ck_assert_ptr_nonnull(f);
  fprintf(f, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
  ck_assert_int_eq(fclose(f), 0);
  free(text);

  bytes alone[2], after[2];
  for (int order = 0; order < 2; order++) { /* alone: one template per context; after: both */
    diag_log log;
    bilaga_context *c = context_logging(&log);
    bilaga_document *doc = NULL;
    ck_assert_int_eq(bilaga_document_load_memory(c, content, sizeof content - 1, "chars.xml", &doc),
                     BILAGA_OK);
    bilaga_template *sans = NULL, *serifs = NULL;
    ck_assert_int_eq(bilaga_template_load(c, "default", &sans), BILAGA_OK);
    if (order == 0) {
      after[0] = render(c, &log, doc, sans, 0, 0);
      bilaga_template_free(sans);
      sans = NULL;
      bilaga_context_free(c);
      c = context_logging(&log);
    }
    ck_assert_msg(bilaga_template_load(c, serif, &serifs) == BILAGA_OK, "%s", diag_log_text(&log));
    bytes b = render(c, &log, doc, serifs, 0, 0);
    if (order == 0)
      alone[1] = b;
    else
      after[1] = b, alone[0] = render(c, &log, doc, sans, 0, 0);
    bilaga_template_free(serifs);
    bilaga_template_free(sans);
    bilaga_document_free(doc);
    bilaga_context_free(c);
  }
  ck_assert_int_eq(unlink(serif), 0);
  ck_assert_int_eq(rmdir(dir), 0);
  ck_assert_msg(alone[0].length != alone[1].length || memcmp(alone[0].data, alone[1].data, alone[0].length),
                "the fallback font made no difference: the test proves nothing");
  for (int t = 0; t < 2; t++) {
    ck_assert_msg(
        after[t].length == alone[t].length && memcmp(after[t].data, alone[t].data, alone[t].length) == 0,
        "%s fallback: bytes depend on the template loaded before", t ? "serif" : "sans");
    free(after[t].data);
    free(alone[t].data);
  }
}
END_TEST

/* A context keeps every face it resolved: after many templates (each
 * fallback list makes new faces) it still renders as a fresh one. */
START_TEST(test_many_templates) {
  static const char *const fallbacks[] = {"DejaVu Serif",
                                          "DejaVu Sans Mono",
                                          "DejaVu Sans, DejaVu Serif",
                                          "DejaVu Serif, DejaVu Sans",
                                          "DejaVu Sans, DejaVu Sans Mono",
                                          "DejaVu Sans Mono, DejaVu Sans",
                                          "DejaVu Serif, DejaVu Sans Mono",
                                          "DejaVu Sans Mono, DejaVu Serif",
                                          "DejaVu Sans, DejaVu Serif, DejaVu Sans Mono",
                                          "DejaVu Serif, DejaVu Sans Mono, DejaVu Sans",
                                          "DejaVu Sans Mono, DejaVu Sans, DejaVu Serif"};
  const int variants = sizeof fallbacks / sizeof *fallbacks;
  size_t length;
  char *text = slurp_source_file("templates/default.xml", &length);
  const char *from = "<fonts fallback=\"DejaVu Sans\"/>";
  char *at = strstr(text, from);
  ck_assert_ptr_nonnull(at);
  char dir[] = "/tmp/bilaga-test-api-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char path[sizeof dir + 32];
  snprintf(path, sizeof path, "%s/variant.xml", dir);
  diag_log log;
  bilaga_context *c = context_logging(&log);
  for (int v = 0; v < variants; v++) {
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%.*s<fonts fallback=\"%s\"/>%s", (int)(at - text), text, fallbacks[v], at + strlen(from));
    ck_assert_int_eq(fclose(f), 0);
    bilaga_template *tpl = NULL;
    ck_assert_msg(bilaga_template_load(c, path, &tpl) == BILAGA_OK, "fallback %s: %s", fallbacks[v],
                  diag_log_text(&log));
    bilaga_document *doc = load_document(c, &log, 0);
    bytes r = render(c, &log, doc, tpl, 0, 0);
    free(r.data);
    bilaga_document_free(doc);
    bilaga_template_free(tpl);
  }
  free(text);
  ck_assert_int_eq(unlink(path), 0);
  ck_assert_int_eq(rmdir(dir), 0);
  for (int t = 0; t < TPL_COUNT; t++) {
    bilaga_template *tpl = load_template(c, &log, t);
    bilaga_document *doc = load_document(c, &log, 0);
    bytes r = render(c, &log, doc, tpl, 0, t);
    assert_same(r, 0, t, "after many other templates");
    free(r.data);
    bilaga_document_free(doc);
    bilaga_template_free(tpl);
  }
  ck_assert_int_eq(log.errors, 0);
  bilaga_context_free(c);
}
END_TEST

/* A template belongs to the context that loaded it (its fonts are that
 * context's): another context refuses it, with a message, and writes
 * nothing. */
START_TEST(test_template_of_other_context) {
  diag_log log_a, log_b;
  bilaga_context *a = context_logging(&log_a), *b = context_logging(&log_b);
  bilaga_document *doc = load_document(b, &log_b, 3);
  bilaga_template *tpl = load_template(a, &log_a, 2);
  unsigned char *out = (unsigned char *)"untouched";
  size_t length = 77;
  bilaga_status st = bilaga_render_memory(b, doc, tpl, NULL, &out, &length, NULL);
  ck_assert_int_eq(st, BILAGA_ERROR_USAGE);
  ck_assert_ptr_null(out);
  ck_assert_uint_eq(length, 0);
  ck_assert_int_eq(log_b.errors, 1);
  ck_assert_msg(diag_log_find_text(&log_b, "template") >= 0 && diag_log_find_text(&log_b, "context") >= 0,
                "message: %s", diag_log_text(&log_b));
  ck_assert_int_eq(bilaga_context_error_count(b), 1);
  ck_assert_int_eq(log_a.errors, 0);

  char path[] = "/tmp/bilaga-test-api-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(path));
  char file[sizeof path + 16];
  snprintf(file, sizeof file, "%s/out.pdf", path);
  st = bilaga_render_file(b, doc, tpl, NULL, file, NULL);
  ck_assert_int_eq(st, BILAGA_ERROR_USAGE);
  struct stat sb;
  ck_assert_msg(stat(file, &sb) != 0, "a refused render wrote %s", file);
  ck_assert_int_eq(rmdir(path), 0); /* nothing else was left there either */
  ck_assert_int_eq(log_b.errors, 2);

  /* the owner still renders it, as a fresh context would */
  bilaga_document *own = load_document(a, &log_a, 3);
  bytes r = render(a, &log_a, own, tpl, 3, 2);
  assert_same(r, 3, 2, "in the context that loaded the template");
  free(r.data);
  bilaga_document_free(own);
  bilaga_template_free(tpl);
  bilaga_document_free(doc);
  bilaga_context_free(b);
  bilaga_context_free(a);
}
END_TEST

/* A document is plain parsed content: it may be rendered by any context,
 * and even outlive the context that loaded it. */
START_TEST(test_document_shared) {
  diag_log log_a, log_b;
  bilaga_context *a = context_logging(&log_a);
  bilaga_document *doc = load_document(a, &log_a, 1);
  bilaga_context_free(a);
  bilaga_context *b = context_logging(&log_b);
  for (int t = 0; t < TPL_COUNT; t++) {
    bilaga_template *tpl = load_template(b, &log_b, t);
    bytes r = render(b, &log_b, doc, tpl, 1, t);
    assert_same(r, 1, t, "loaded by another (freed) context");
    free(r.data);
    bilaga_template_free(tpl);
  }
  ck_assert_int_eq(log_b.errors, 0);
  bilaga_document_free(doc);
  bilaga_context_free(b);
}
END_TEST

/* bilaga_context_error_count counts the errors of the latest call only. */
START_TEST(test_error_count_per_call) {
  diag_log log;
  bilaga_context *c = context_logging(&log);
  ck_assert_int_eq(bilaga_context_error_count(c), 0);
  bilaga_document *doc = NULL;
  static const char broken[] = "<report><unclosed></report>";
  ck_assert_int_eq(bilaga_document_load_memory(c, broken, sizeof broken - 1, "broken.xml", &doc),
                   BILAGA_ERROR_INPUT);
  ck_assert_ptr_null(doc);
  int first = bilaga_context_error_count(c);
  ck_assert_int_ge(first, 1);
  ck_assert_int_eq(first, log.errors);

  /* a failing call again counts its own errors, not the sum */
  ck_assert_int_eq(bilaga_document_load_memory(c, broken, sizeof broken - 1, "broken.xml", &doc),
                   BILAGA_ERROR_INPUT);
  ck_assert_int_eq(bilaga_context_error_count(c), first);
  ck_assert_int_eq(log.errors, 2 * first);

  bilaga_template *tpl = NULL;
  ck_assert_int_eq(bilaga_template_load(c, "no-such-template", &tpl), BILAGA_ERROR_INPUT);
  ck_assert_int_eq(bilaga_context_error_count(c), 1);

  /* successful calls count zero */
  doc = load_document(c, &log, 4);
  ck_assert_int_eq(bilaga_context_error_count(c), 0);
  ck_assert_int_eq(bilaga_template_load(c, "no-such-template", &tpl), BILAGA_ERROR_INPUT);
  ck_assert_ptr_null(tpl);
  tpl = load_template(c, &log, 0);
  ck_assert_int_eq(bilaga_context_error_count(c), 0);
  ck_assert_int_eq(bilaga_template_load(c, "no-such-template", &(bilaga_template *){NULL}),
                   BILAGA_ERROR_INPUT);
  bytes r = render(c, &log, doc, tpl, 4, 0);
  ck_assert_int_eq(bilaga_context_error_count(c), 0);
  free(r.data);

  /* a render that fails counts its errors; the render after it, none */
  ck_assert_int_eq(bilaga_render_file(c, doc, tpl, NULL, "/nonexistent-dir/out.pdf", NULL), BILAGA_ERROR_IO);
  ck_assert_int_ge(bilaga_context_error_count(c), 1);
  r = render(c, &log, doc, tpl, 4, 0);
  ck_assert_int_eq(bilaga_context_error_count(c), 0);
  free(r.data);
  bilaga_template_free(tpl);
  bilaga_document_free(doc);
  bilaga_context_free(c);
}
END_TEST

static void setup(void) {
  make_references();
}
static void teardown(void) {
  free_references();
}

int main(void) {
  Suite *s = suite_create("api");
  TCase *tc = tcase_create("batch");
  tcase_set_timeout(tc, 600);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_loop_test(tc, test_one_context_any_order, 0, 3);
  tcase_add_test(tc, test_template_reloaded);
  tcase_add_test(tc, test_fallbacks_per_template);
  tcase_add_test(tc, test_many_templates);
  tcase_add_test(tc, test_template_of_other_context);
  tcase_add_test(tc, test_document_shared);
  tcase_add_test(tc, test_error_count_per_call);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
