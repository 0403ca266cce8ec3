/* test_cli.c - the command as people and scripts use it: long and short
 * options, per-command help, messages for a mistyped command or option and
 * a missing value, validate on stdout, the template and font listings,
 * batches (a bad file among good ones, --jobs), page images (--png) that
 * match the PDF's own raster, and the data directory without the source
 * tree's help. */
#include <cairo.h>
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *sample(const char *name) { return sfmt("%s/samples/%s.xml", source_root(), name); }

#define DELARS "ks-2022-delarsrapport-1"
#define VB21 "ks-2021-verksamhetsberattelse"
#define SN23 "sn-2023-verksamhetsberattelse"

START_TEST(test_help) {
  run_result a = run(NULL, bilaga_binary(), "render", "--help", NULL);
  ck_assert_msg(run_exit_is(&a, 0), "render --help: %s", run_describe(&a));
  for (const char *const *w = (const char *const[]){"--template", "--output", "--output-dir", "--png", "--dpi",
                                                       "--pages", "--jobs", "-o, --output", NULL};
       *w; w++)
    ck_assert_msg(strstr(a.out, *w) != NULL, "render --help does not mention %s:\n%s", *w, a.out);
  run_result b = run(NULL, bilaga_binary(), "help", "render", NULL);
  ck_assert_msg(run_exit_is(&b, 0), "help render: %s", run_describe(&b));
  ck_assert_str_eq(a.out, b.out);
  run_result c = run(NULL, bilaga_binary(), "help", NULL);
  ck_assert_msg(run_exit_is(&c, 0) && strstr(c.out, "templates") && strstr(c.out, "fonts"), "help: %s",
                run_describe(&c));
  run_result d = run(NULL, bilaga_binary(), "validate", "-h", NULL);
  ck_assert_msg(run_exit_is(&d, 0) && strstr(d.out, "usage: bilaga validate"), "validate -h: %s",
                run_describe(&d));
  run_result e = run(NULL, bilaga_binary(), "help", "rendr", NULL);
  ck_assert_msg(run_exit_is(&e, 1) && strstr(e.err, "did you mean \"render\""), "help rendr: %s",
                run_describe(&e));
}
END_TEST

/* Each mistake: exit 1, this message on stderr, nothing on stdout, no file. */
START_TEST(test_usage_messages) {
  const char *dir = tmpdir_new();
  const char *in = sample(DELARS), *out = sfmt("%s/out.pdf", dir);
  struct {
    const char *args[8];
    const char *message;
  } cases[] = {
      {{"rendr", in, NULL}, "unknown command \"rendr\"; did you mean \"render\"?"},
      {{"validat", in, NULL}, "did you mean \"validate\"?"},
      {{"frobnicate", NULL}, "unknown command \"frobnicate\"\n"},
      {{"render", in, "-o", NULL}, "-o needs a value (OUT.pdf)"},
      {{"render", in, "--output", NULL}, "--output needs a value (OUT.pdf)"},
      {{"render", in, "-t", "-o", out, NULL}, "-t needs a value (TEMPLATE)"},
      {{"render", in, "--output=", NULL}, "--output needs a value (OUT.pdf), not an empty one"},
      {{"render", in, "--templat", "default", NULL}, "unknown option --templat; did you mean --template?"},
      {{"render", in, "--no-pdf", NULL}, "did you mean --no-pdfa?"},
      {{"render", in, "-x", NULL}, "unknown option -x"},
      {{"validate", in, "-o", out, NULL}, "validate does not take -o"},
      {{"render", in, in, "-o", out, NULL}, "-o names one output"},
      {{"render", in, "-o", out, "-d", dir, NULL}, "give one of them"},
      {{"render", in, "--png", dir, "--dpi", "0", NULL}, "--dpi 0: give a resolution of 1-1200"},
      {{"render", in, "--png", dir, "--pages", "3-1", NULL}, "--pages 3-1: give N, A-B"},
      {{"render", in, "--pages", "1", "-o", out, NULL}, "--pages is about page images: add --png DIR"},
      {{"render", in, "--jobs", "many", NULL}, "--jobs many: give 0-256"},
      {{"render", in, "--no-pdfa=yes", NULL}, "--no-pdfa takes no value"},
      {{"render", in, "-o", out, "-o", out, NULL}, "-o given twice"},
      {{"render", in, sfmt("%s/samples/../samples/" DELARS ".xml", source_root()), "-d", dir, NULL},
       "would write the same PDF"},
      {{"templates", in, NULL}, "templates takes no files"},
      {{"render", in, "--pdf", "a-9z", "-o", out, NULL}, "unknown --pdf claim \"a-9z\""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *argv[10] = {bilaga_binary()};
    int n = 1;
    for (int k = 0; cases[i].args[k]; k++) argv[n++] = cases[i].args[k];
    argv[n] = NULL;
    run_result r = run_argv(argv, NULL);
    ck_assert_msg(run_exit_is(&r, 1), "case %zu (%s %s): %s", i, argv[1], n > 2 ? argv[2] : "", run_describe(&r));
    ck_assert_msg(strstr(r.err, cases[i].message) != NULL, "case %zu: expected \"%s\" in:\n%s", i,
                  cases[i].message, r.err);
    ck_assert_msg(strstr(r.err, "usage: bilaga") != NULL, "case %zu prints no usage line:\n%s", i, r.err);
    ck_assert_msg(r.out_len == 0, "case %zu printed on stdout: %s", i, r.out);
    ck_assert_msg(!file_exists(out), "case %zu wrote %s", i, out);
  }
}
END_TEST

START_TEST(test_long_options) {
  const char *dir = tmpdir_new(), *in = sample(DELARS);
  const char *a = sfmt("%s/a.pdf", dir), *b = sfmt("%s/b.pdf", dir), *c = sfmt("%s/c.pdf", dir);
  run_result r = run(NULL, bilaga_binary(), "render", in, "-t", "kommun-klassisk", "-o", a, "--no-pdfa", NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  r = run(NULL, bilaga_binary(), "render", "--template", "kommun-klassisk", "--output", b, "--no-pdfa", in, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  r = run(NULL, bilaga_binary(), "render", "--template=kommun-klassisk", sfmt("--output=%s", c), "--no-pdfa",
          "--", in, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  size_t la, lb, lc;
  char *da = read_file(a, &la), *db = read_file(b, &lb), *dc = read_file(c, &lc);
  ck_assert_msg(la == lb && la == lc && memcmp(da, db, la) == 0 && memcmp(da, dc, la) == 0,
                "short and long options give other PDFs");
  ck_assert_int_eq(pdf_page_count(a), pdf_page_count(sfmt("%s", render_cached(in, "kommun-klassisk", "--no-pdfa"))));
}
END_TEST

START_TEST(test_validate_stdout) {
  const char *in = sample(DELARS), *other = sample(SN23);
  run_result r = run(NULL, bilaga_binary(), "validate", in, other, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  ck_assert_str_eq(r.out, sfmt("%s: valid\n%s: valid\n", in, other));
  ck_assert_int_eq(r.err_len, 0);
  /* a bad file among good ones: the good ones still say so, exit 2 */
  const char *dir = tmpdir_new(), *bad = sfmt("%s/bad.xml", dir);
  write_text(bad, "<report xmlns=\"urn:bilaga:content:1\"><nonsense/></report>\n");
  r = run(NULL, bilaga_binary(), "validate", in, bad, NULL);
  ck_assert_msg(run_exit_is(&r, 2), "%s", run_describe(&r));
  ck_assert_str_eq(r.out, sfmt("%s: valid\n", in));
  ck_assert_msg(strstr(r.err, sfmt("%s:1:", bad)) != NULL, "no position for the bad file: %s", r.err);
}
END_TEST

START_TEST(test_templates_listing) {
  run_result r = run(NULL, bilaga_binary(), "templates", NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  int n;
  char **lines = split_lines(r.out, &n);
  while (n > 0 && !*lines[n - 1]) n--;
  ck_assert_msg(n == 2, "two bundled templates, one line each:\n%s", r.out);
  ck_assert_msg(strncmp(lines[0], "default ", 8) == 0, "%s", lines[0]);
  ck_assert_msg(strstr(lines[0], sfmt("%s/templates/default.xml", source_root())) != NULL, "%s", lines[0]);
  ck_assert_msg(strstr(lines[0], "Sober, double-sided A4") != NULL, "no description: %s", lines[0]);
  ck_assert_msg(strncmp(lines[1], "kommun-klassisk ", 16) == 0, "%s", lines[1]);
  ck_assert_msg(strstr(lines[1], "Classic single-sided A4") != NULL, "no description: %s", lines[1]);
  /* a wrong data directory says so */
  r = run(NULL, bilaga_binary(), "templates", "--data-dir", "/nonexistent-bilaga", NULL);
  ck_assert_msg(r.exited && r.code != 0 && strstr(r.err, "/nonexistent-bilaga/templates"), "%s", run_describe(&r));
}
END_TEST

START_TEST(test_fonts_listing) {
  run_result r = run(NULL, bilaga_binary(), "fonts", NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  int n;
  char **lines = split_lines(r.out, &n);
  ck_assert_msg(n >= 2, "%s", r.out);
  ck_assert_msg(strncmp(lines[0], "Carlito ", 8) == 0 && strstr(lines[0], "bundled"), "%s", lines[0]);
  ck_assert_msg(strncmp(lines[1], "DejaVu Sans ", 12) == 0 && strstr(lines[1], "bundled"), "%s", lines[1]);
  for (int i = 2; i < n; i++)
    ck_assert_msg(!*lines[i] || strstr(lines[i], "system"), "line %d: %s", i, lines[i]);
}
END_TEST

/* A bad file among good ones: the good ones are written, the bad one not,
 * a summary names it, exit 2. */
START_TEST(test_batch_bad_file) {
  const char *dir = tmpdir_new(), *out = sfmt("%s/out", dir), *bad = sfmt("%s/broken.xml", dir);
  write_text(bad, "<report xmlns=\"urn:bilaga:content:1\">\n  <meta><title>T</title></meta\n</report>\n");
  run_result r = run(NULL, bilaga_binary(), "render", sample(DELARS), bad, sample(SN23), "-d", out, NULL);
  ck_assert_msg(run_exit_is(&r, 2), "%s", run_describe(&r));
  ck_assert_msg(pdf_page_count(sfmt("%s/%s.pdf", out, DELARS)) > 1, "the first good file was not written");
  ck_assert_msg(pdf_page_count(sfmt("%s/%s.pdf", out, SN23)) > 1, "the file after the bad one was not written");
  ck_assert_msg(!file_exists(sfmt("%s/broken.pdf", out)), "the bad file left a PDF");
  ck_assert_msg(strstr(r.err, sfmt("%s:", bad)) != NULL, "no diagnostic for the bad file: %s", r.err);
  ck_assert_msg(strstr(r.err, sfmt("bilaga: 2 of 3 files rendered; 1 failed: %s\n", bad)) != NULL,
                "no summary: %s", r.err);
  ck_assert_msg(strstr(r.err, "[1/3]") == NULL, "progress lines when stderr is no terminal: %s", r.err);
  ck_assert_int_eq(r.out_len, 0);
  /* on a terminal (script(1) gives it one): a line per file */
  if (file_exists("/usr/bin/script")) {
    r = run(NULL, "/usr/bin/script", "-qec",
            sfmt("'%s' render '%s' '%s' -d '%s/tty'", bilaga_binary(), sample(DELARS), bad, dir), "/dev/null", NULL);
    ck_assert_msg(run_exit_is(&r, 2), "%s", run_describe(&r));
    ck_assert_msg(strstr(r.out, sfmt("[1/2] ok      %s -> %s/tty/%s.pdf (12 pages, ", sample(DELARS), dir, DELARS)),
                  "no line for the good file: %s", r.out);
    ck_assert_msg(strstr(r.out, sfmt("[2/2] FAILED  %s (exit 2)", bad)), "no line for the bad file: %s", r.out);
    ck_assert_msg(strstr(r.out, "page 12 of 12"), "no page progress: %s", r.out);
  } else {
    printf("note: no script(1); the terminal lines are not checked\n");
  }
  /* several inputs without -d: each beside its input */
  const char *copy = sfmt("%s/copy.xml", dir);
  size_t len;
  char *bytes = read_file(sample(SN23), &len);
  write_file(copy, bytes, len);
  r = run(NULL, bilaga_binary(), "render", copy, bad, NULL);
  ck_assert_msg(run_exit_is(&r, 2), "%s", run_describe(&r));
  ck_assert_int_gt(pdf_page_count(sfmt("%s/copy.pdf", dir)), 1);
}
END_TEST

/* --jobs: the same bytes as one at a time, whatever finishes first. */
START_TEST(test_batch_jobs) {
  const char *dir = tmpdir_new(), *one = sfmt("%s/one", dir), *three = sfmt("%s/three", dir);
  const char *inputs[] = {DELARS, VB21, SN23};
  const char *const env[] = {"SOURCE_DATE_EPOCH=1700000000", NULL};
  run_opts o = {.env = env};
  run_result r = run(&o, bilaga_binary(), "render", sample(DELARS), sample(VB21), sample(SN23), "-d", one, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  ck_assert_msg(strstr(r.err, "bilaga: 3 of 3 files rendered\n") != NULL, "%s", r.err);
  r = run(&o, bilaga_binary(), "render", sample(DELARS), sample(VB21), sample(SN23), "-d", three, "--jobs", "3",
          "-t", "default", NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  for (int i = 0; i < 3; i++) {
    size_t a, b;
    char *x = read_file(sfmt("%s/%s.pdf", one, inputs[i]), &a), *y = read_file(sfmt("%s/%s.pdf", three, inputs[i]), &b);
    ck_assert_msg(x && y && a == b && memcmp(x, y, a) == 0, "%s: --jobs 3 gives other bytes", inputs[i]);
  }
  /* a template error is said once, before anything is rendered */
  r = run(&o, bilaga_binary(), "render", sample(DELARS), sample(VB21), "-d", sfmt("%s/none", dir), "-j", "2", "-t",
          "no-such-template", NULL);
  ck_assert_msg(run_exit_is(&r, 2), "%s", run_describe(&r));
  ck_assert_int_eq(count_substr(r.err, "unknown template"), 1);
}
END_TEST

/* Grey level 0-255 of a pixel of an RGB24 surface. */
static double grey(const unsigned char *row, int x) {
  const unsigned char *p = row + 4 * x;
  return (p[0] + p[1] + p[2]) / 3.0;
}

typedef struct raster_diff {
  double mean;    /* mean absolute grey difference over the shared area */
  double inked_a; /* share of non-white pixels in the first */
} raster_diff;

static raster_diff compare_png(const char *a_path, const char *b_path, int x0, int y0, int x1, int y1) {
  cairo_surface_t *a = cairo_image_surface_create_from_png(a_path), *b = cairo_image_surface_create_from_png(b_path);
  ck_assert_msg(cairo_surface_status(a) == CAIRO_STATUS_SUCCESS, "%s is no PNG", a_path);
  ck_assert_msg(cairo_surface_status(b) == CAIRO_STATUS_SUCCESS, "%s is no PNG", b_path);
  int wa = cairo_image_surface_get_width(a), ha = cairo_image_surface_get_height(a);
  int wb = cairo_image_surface_get_width(b), hb = cairo_image_surface_get_height(b);
  ck_assert_msg(abs(wa - wb) <= 1 && abs(ha - hb) <= 1, "sizes %dx%d and %dx%d", wa, ha, wb, hb);
  cairo_surface_t *ca = cairo_image_surface_create(CAIRO_FORMAT_RGB24, wa, ha);
  cairo_surface_t *cb = cairo_image_surface_create(CAIRO_FORMAT_RGB24, wb, hb);
  cairo_t *cr = cairo_create(ca); /* whatever format cairo loaded, as RGB24 */
  cairo_set_source_surface(cr, a, 0, 0);
  cairo_paint(cr);
  cairo_destroy(cr);
  cr = cairo_create(cb);
  cairo_set_source_surface(cr, b, 0, 0);
  cairo_paint(cr);
  cairo_destroy(cr);
  cairo_surface_flush(ca);
  cairo_surface_flush(cb);
  if (x1 > wa) x1 = wa;
  if (x1 > wb) x1 = wb;
  if (y1 > ha) y1 = ha;
  if (y1 > hb) y1 = hb;
  double sum = 0;
  long inked = 0, n = 0;
  for (int y = y0; y < y1; y++) {
    const unsigned char *ra = cairo_image_surface_get_data(ca) + (size_t)y * cairo_image_surface_get_stride(ca);
    const unsigned char *rb = cairo_image_surface_get_data(cb) + (size_t)y * cairo_image_surface_get_stride(cb);
    for (int x = x0; x < x1; x++, n++) {
      double ga = grey(ra, x);
      sum += fabs(ga - grey(rb, x));
      inked += ga < 200;
    }
  }
  cairo_surface_destroy(a);
  cairo_surface_destroy(b);
  cairo_surface_destroy(ca);
  cairo_surface_destroy(cb);
  return (raster_diff){n ? sum / n : 0, n ? (double)inked / n : 0};
}

static int png_count(const char *dir, const char *stem) {
  int n;
  dir_entries_with_prefix(dir, sfmt("%s-", stem), &n);
  return n;
}

/* --png: one image per PDF page, drawn like poppler draws the PDF. */
START_TEST(test_png_preview) {
  if (!file_exists("/usr/bin/pdftoppm")) {
    printf("note: test_png_preview needs pdftoppm (poppler-utils); skipped\n");
    return;
  }
  const char *dir = tmpdir_new(), *png = sfmt("%s/png", dir), *pdf = sfmt("%s/r.pdf", dir);
  run_result r = run(NULL, bilaga_binary(), "render", sample(DELARS), "-o", pdf, "--png", png, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  int pages = pdf_page_count(pdf);
  ck_assert_int_gt(pages, 3);
  ck_assert_int_eq(png_count(png, DELARS), pages);
  ck_assert_msg(file_exists(sfmt("%s/%s-%03d.png", png, DELARS, pages)), "no image of the last page");
  /* pages 2 and 3 against poppler's raster at the same resolution: the
   * page is inked, and the text area differs only by anti-aliasing */
  for (int page = 2; page <= 3; page++) {
    const char *ref = sfmt("%s/ref-%d", dir, page);
    run_result t = run(NULL, "/usr/bin/pdftoppm", "-r", "96", "-f", sfmt("%d", page), "-l", sfmt("%d", page),
                       "-singlefile", "-png", pdf, ref, NULL);
    ck_assert_msg(run_exit_is(&t, 0), "pdftoppm: %s", run_describe(&t));
    const char *mine = sfmt("%s/%s-%03d.png", png, DELARS, page);
    raster_diff whole = compare_png(mine, sfmt("%s.png", ref), 0, 0, 100000, 100000);
    /* A4 at 96 dpi is 794 x 1123; the text frame within the margins */
    raster_diff text = compare_png(mine, sfmt("%s.png", ref), 80, 100, 714, 1030);
    printf("page %d: mean difference %.2f (text area %.2f), inked %.1f%%\n", page, whole.mean, text.mean,
           100 * text.inked_a);
    ck_assert_msg(text.inked_a > 0.02, "page %d is (nearly) blank: %.1f%% inked", page, 100 * text.inked_a);
    ck_assert_msg(whole.mean < 4 && text.mean < 5, "page %d differs from poppler's: %.2f (text %.2f)", page,
                  whole.mean, text.mean);
  }
  /* the bound tells pages apart: page 2's image against page 3's raster */
  raster_diff other = compare_png(sfmt("%s/%s-002.png", png, DELARS), sfmt("%s/ref-3.png", dir), 80, 100, 714, 1030);
  ck_assert_msg(other.mean >= 5, "the comparison cannot tell page 2 from page 3: %.2f", other.mean);

  /* --pages and --dpi; a batch writes each file's images under its own name */
  const char *few = sfmt("%s/few", dir);
  r = run(NULL, bilaga_binary(), "render", sample(DELARS), sample(SN23), "-d", sfmt("%s/pdf", dir), "--png", few,
          "--pages", "2-3", "--dpi", "30", NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  ck_assert_int_eq(png_count(few, DELARS), 2);
  ck_assert_int_eq(png_count(few, SN23), 2);
  ck_assert_msg(file_exists(sfmt("%s/%s-002.png", few, SN23)) && file_exists(sfmt("%s/%s-003.png", few, SN23)),
                "--pages 2-3 wrote other pages");
  cairo_surface_t *s = cairo_image_surface_create_from_png(sfmt("%s/%s-003.png", few, SN23));
  ck_assert_int_eq(cairo_image_surface_get_width(s), 249); /* 595.28 pt at 30 dpi */
  cairo_surface_destroy(s);
  r = run(NULL, bilaga_binary(), "render", sample(DELARS), "-o", pdf, "--png", sfmt("%s/last", dir), "--pages=-1",
          NULL);
  ck_assert_msg(run_exit_is(&r, 0) && png_count(sfmt("%s/last", dir), DELARS) == 1, "%s", run_describe(&r));
}
END_TEST

/* The uninstalled command finds the source tree's data from any cwd and
 * with no BILAGA_DATA_DIR; --data-dir and the variable override it. */
START_TEST(test_data_dir) {
  const char *dir = tmpdir_new();
  const char *const no_env[] = {"BILAGA_DATA_DIR=", NULL};
  run_opts o = {.env = no_env};
  run_result r = run(&o, "/bin/sh", "-c", sfmt("cd '%s' && exec '%s' templates", dir, bilaga_binary()), NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  ck_assert_msg(strstr(r.out, sfmt("%s/templates/default.xml", source_root())), "%s", r.out);
  r = run(&o, "/bin/sh", "-c",
          sfmt("cd '%s' && exec '%s' render '%s' -o here.pdf", dir, bilaga_binary(), sample(DELARS)), NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  ck_assert_int_gt(pdf_page_count(sfmt("%s/here.pdf", dir)), 1);
  /* a copy of the data directory, named two ways */
  const char *data = sfmt("%s/data", dir);
  r = run(NULL, "/bin/cp", "-r", sfmt("%s/templates", source_root()), sfmt("%s/fonts", source_root()),
          (mkdir(data, 0777), data), NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  r = run(NULL, bilaga_binary(), "templates", "--data-dir", data, NULL);
  ck_assert_msg(run_exit_is(&r, 0) && strstr(r.out, sfmt("%s/templates/default.xml", data)), "%s", run_describe(&r));
  const char *const env[] = {sfmt("BILAGA_DATA_DIR=%s", data), NULL};
  run_opts with = {.env = env};
  r = run(&with, bilaga_binary(), "templates", NULL);
  ck_assert_msg(run_exit_is(&r, 0) && strstr(r.out, sfmt("%s/templates/default.xml", data)), "%s", run_describe(&r));
}
END_TEST

int main(void) {
  Suite *s = suite_create("cli");
  TCase *tc = tcase_create("command");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, test_help);
  tcase_add_test(tc, test_usage_messages);
  tcase_add_test(tc, test_long_options);
  tcase_add_test(tc, test_validate_stdout);
  tcase_add_test(tc, test_templates_listing);
  tcase_add_test(tc, test_fonts_listing);
  tcase_add_test(tc, test_batch_bad_file);
  tcase_add_test(tc, test_batch_jobs);
  tcase_add_test(tc, test_png_preview);
  tcase_add_test(tc, test_data_dir);
  suite_add_tcase(s, tc);
  if (!tmp_root_init("cli")) return EXIT_FAILURE;
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  tmp_root_remove();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
