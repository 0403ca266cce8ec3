/* test_library.c - the library's integration points beyond a plain
 * render: templates from memory, progress and cancellation, page images
 * (PNG) beside the PDF, the font and data directory listings. */
#include <cairo.h>
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

static const char *source_path(const char *relative) {
  static char path[1024];
  snprintf(path, sizeof path, "%s/%s", BILAGA_TEST_SOURCE_ROOT, relative);
  return path;
}

static char *slurp(const char *path, size_t *length) {
  FILE *f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  ck_assert_ptr_nonnull(b);
  ck_assert_int_eq(fread(b, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  *length = (size_t)n;
  return b;
}

static char *temp_dir(void) {
  char *d = strdup("/tmp/bilaga-library-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(d));
  return d;
}

static int entries(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));) n += e->d_name[0] != '.';
  if (d) closedir(d);
  return n;
}

static void remove_dir(const char *dir) {
  DIR *d = opendir(dir);
  char path[1024];
  for (struct dirent *e; d && (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    unlink(path);
  }
  if (d) closedir(d);
  rmdir(dir);
}

typedef struct fixture {
  diag_log log;
  bilaga_context *c;
  bilaga_document *doc;
  bilaga_template *tpl;
} fixture;

static void open_fixture(fixture *f, const char *document) {
  f->c = bilaga_context_new(NULL);
  ck_assert_ptr_nonnull(f->c);
  memset(&f->log, 0, sizeof f->log);
  bilaga_context_set_diagnostic_sink(f->c, diag_log_record, &f->log);
  ck_assert_int_eq(bilaga_document_load_file(f->c, source_path(document), &f->doc), BILAGA_OK);
  ck_assert_int_eq(bilaga_template_load(f->c, "default", &f->tpl), BILAGA_OK);
}

static void close_fixture(fixture *f) {
  bilaga_template_free(f->tpl);
  bilaga_document_free(f->doc);
  bilaga_context_free(f->c);
}

START_TEST(test_template_from_memory) {
  fixture f;
  open_fixture(&f, "samples/ks-2022-delarsrapport-1.xml");
  size_t len;
  char *bytes = slurp(source_path("templates/kommun-klassisk.xml"), &len);
  bilaga_template *mem = NULL, *file = NULL;
  ck_assert_int_eq(bilaga_template_load_memory(f.c, bytes, len, "db:klassisk", &mem), BILAGA_OK);
  ck_assert_int_eq(bilaga_template_load(f.c, "kommun-klassisk", &file), BILAGA_OK);
  ck_assert_str_eq(bilaga_template_name(mem), "kommun-klassisk");
  ck_assert_msg(strstr(bilaga_template_description(mem), "single-sided") != NULL, "description: %s",
                bilaga_template_description(mem));
  /* the same bytes as the file gives */
  bilaga_render_options o;
  bilaga_render_options_init(&o);
  o.source_epoch = 1700000000;
  unsigned char *a, *b;
  size_t al, bl;
  ck_assert_int_eq(bilaga_render_memory(f.c, f.doc, mem, &o, &a, &al, NULL), BILAGA_OK);
  ck_assert_int_eq(bilaga_render_memory(f.c, f.doc, file, &o, &b, &bl, NULL), BILAGA_OK);
  ck_assert_msg(al == bl && memcmp(a, b, al) == 0, "a template from memory renders other bytes");
  free(a);
  free(b);
  bilaga_template_free(mem);
  bilaga_template_free(file);
  /* a broken one is reported under the name given, exactly its bytes read */
  static const char broken[] = "<template xmlns=\"urn:bilaga:template:1\"><page size=\"A3\"/></template>";
  ck_assert_int_eq(bilaga_template_load_memory(f.c, broken, sizeof broken - 1, "db:broken", &mem),
                   BILAGA_ERROR_INPUT);
  ck_assert_ptr_null(mem);
  ck_assert_int_ge(f.log.errors, 1);
  ck_assert_msg(strcmp(f.log.entries[f.log.count - 1].file, "db:broken") == 0, "%s", diag_log_text(&f.log));
  ck_assert_int_eq(bilaga_template_load_memory(f.c, bytes, len - 20, "db:cut", &mem), BILAGA_ERROR_INPUT);
  free(bytes);
  close_fixture(&f);
}
END_TEST

typedef struct progress {
  int calls, stop_at, last, pages;
} progress;

static int on_progress(int page, int pages, void *user) {
  progress *p = user;
  ck_assert_int_eq(page, p->calls ? p->last + 1 : 0);
  p->calls++;
  p->last = page;
  p->pages = pages;
  return p->stop_at && page == p->stop_at;
}

START_TEST(test_progress_and_cancel) {
  fixture f;
  open_fixture(&f, "samples/ks-2022-delarsrapport-1.xml");
  char *dir = temp_dir();
  char out[1100], png[1100];
  snprintf(out, sizeof out, "%s/out.pdf", dir);
  snprintf(png, sizeof png, "%s/png", dir);
  ck_assert_int_eq(mkdir(png, 0777), 0);
  bilaga_render_options o;
  bilaga_render_options_init(&o);
  progress p = {0};
  o.progress = on_progress;
  o.progress_user_data = &p;
  bilaga_render_result r;
  ck_assert_int_eq(bilaga_render_file(f.c, f.doc, f.tpl, &o, out, &r), BILAGA_OK);
  ck_assert_int_gt(r.pages, 3);
  ck_assert_int_eq(p.calls, r.pages + 1); /* 0 after layout, then each page */
  ck_assert_int_eq(p.pages, r.pages);
  unlink(out);
  /* cancelled at page 3: nothing written, the page images of 1-3 removed */
  p = (progress){.stop_at = 3};
  o.png_dir = png;
  ck_assert_int_eq(bilaga_render_file(f.c, f.doc, f.tpl, &o, out, &r), BILAGA_CANCELLED);
  ck_assert_int_eq(p.calls, 4);
  ck_assert_msg(access(out, F_OK) != 0, "a cancelled render wrote %s", out);
  ck_assert_int_eq(entries(png), 0);
  ck_assert_int_eq(entries(dir), 1);
  /* into memory, not cancelled: the same calls */
  p = (progress){0};
  o.png_dir = NULL;
  unsigned char *bytes;
  size_t len;
  ck_assert_int_eq(bilaga_render_memory(f.c, f.doc, f.tpl, &o, &bytes, &len, &r), BILAGA_OK);
  ck_assert_int_eq(p.calls, r.pages + 1);
  free(bytes);
  remove_dir(png);
  remove_dir(dir);
  free(dir);
  close_fixture(&f);
}
END_TEST

static int stop_at_layout(int page, int pages, void *user) {
  (void)pages;
  (void)user;
  return page == 0;
}

START_TEST(test_cancel_after_layout) {
  fixture f;
  open_fixture(&f, "samples/sn-2023-verksamhetsberattelse.xml");
  bilaga_render_options o;
  bilaga_render_options_init(&o);
  o.progress = stop_at_layout;
  unsigned char *bytes;
  size_t len;
  ck_assert_int_eq(bilaga_render_memory(f.c, f.doc, f.tpl, &o, &bytes, &len, NULL), BILAGA_CANCELLED);
  ck_assert_ptr_null(bytes);
  ck_assert_int_eq(len, 0);
  ck_assert_int_eq(bilaga_context_error_count(f.c), 0); /* a cancel is no error */
  close_fixture(&f);
}
END_TEST

static void png_size(const char *path, int *w, int *h) {
  cairo_surface_t *s = cairo_image_surface_create_from_png(path);
  ck_assert_msg(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, "%s is no PNG", path);
  *w = cairo_image_surface_get_width(s);
  *h = cairo_image_surface_get_height(s);
  cairo_surface_destroy(s);
}

START_TEST(test_png_pages) {
  fixture f;
  open_fixture(&f, "samples/ks-2022-delarsrapport-1.xml");
  char *dir = temp_dir();
  bilaga_render_options o;
  bilaga_render_options_init(&o);
  o.png_dir = dir;
  o.png_stem = "rapport";
  o.png_dpi = 50;
  o.png_first_page = 2;
  o.png_last_page = 3;
  unsigned char *bytes;
  size_t len;
  bilaga_render_result r;
  ck_assert_int_eq(bilaga_render_memory(f.c, f.doc, f.tpl, &o, &bytes, &len, &r), BILAGA_OK);
  free(bytes);
  ck_assert_int_eq(r.png_pages, 2);
  ck_assert_int_eq(entries(dir), 2);
  char path[1100];
  snprintf(path, sizeof path, "%s/rapport-001.png", dir);
  ck_assert_int_ne(access(path, F_OK), 0);
  snprintf(path, sizeof path, "%s/rapport-003.png", dir);
  int w, h;
  png_size(path, &w, &h);
  ck_assert_int_eq(w, 414); /* A4 at 50 dpi: 595.28 x 841.89 pt */
  ck_assert_int_eq(h, 585);
  /* a resolution out of range is the caller's mistake, said before layout */
  o.png_dpi = 0;
  ck_assert_int_eq(bilaga_render_memory(f.c, f.doc, f.tpl, &o, &bytes, &len, &r), BILAGA_ERROR_USAGE);
  ck_assert_int_ge(diag_log_find_text(&f.log, "dpi"), 0);
  /* page images into a directory that does not exist: an I/O error, nothing left */
  o.png_dpi = 96;
  o.png_dir = "/nonexistent-bilaga-dir";
  ck_assert_int_eq(bilaga_render_memory(f.c, f.doc, f.tpl, &o, &bytes, &len, &r), BILAGA_ERROR_IO);
  remove_dir(dir);
  free(dir);
  close_fixture(&f);
}
END_TEST

/* A page too large for an image at the resolution asked: the caller's
 * mistake, said at the first page, nothing left behind. */
START_TEST(test_png_page_too_large) {
  fixture f;
  open_fixture(&f, "tests/e2e/data/decimal-align.xml");
  static const char big[] = "<template xmlns=\"urn:bilaga:template:1\"><page width=\"1000mm\" height=\"1000mm\"/></template>";
  bilaga_template *tpl = NULL;
  ck_assert_msg(bilaga_template_load_memory(f.c, big, sizeof big - 1, "big.xml", &tpl) == BILAGA_OK, "%s",
                diag_log_text(&f.log));
  char *dir = temp_dir();
  bilaga_render_options o;
  bilaga_render_options_init(&o);
  o.png_dir = dir;
  o.png_dpi = 1200;
  unsigned char *bytes;
  size_t len;
  ck_assert_int_eq(bilaga_render_memory(f.c, f.doc, tpl, &o, &bytes, &len, NULL), BILAGA_ERROR_USAGE);
  ck_assert_int_ge(diag_log_find_text(&f.log, "choose a lower resolution"), 0);
  ck_assert_int_eq(entries(dir), 0);
  o.png_dpi = 20; /* the same page at a resolution it takes */
  ck_assert_int_eq(bilaga_render_memory(f.c, f.doc, tpl, &o, &bytes, &len, NULL), BILAGA_OK);
  free(bytes);
  ck_assert_int_ge(entries(dir), 1);
  remove_dir(dir);
  free(dir);
  bilaga_template_free(tpl);
  close_fixture(&f);
}
END_TEST

typedef struct families {
  int count, bundled_after_system;
  int seen_system;
  char first[2][64];
} families;

static void on_family(const char *family, int bundled, void *user) {
  families *f = user;
  if (f->count < 2) snprintf(f->first[f->count], sizeof f->first[0], "%s", family);
  if (!bundled) f->seen_system = 1;
  else if (f->seen_system) f->bundled_after_system = 1;
  f->count++;
}

START_TEST(test_listings) {
  bilaga_context *c = bilaga_context_new(NULL);
  families f = {0};
  int n = bilaga_context_font_families(c, on_family, &f);
  ck_assert_int_eq(n, f.count);
  ck_assert_str_eq(f.first[0], "Carlito"); /* bundled first, in name order */
  ck_assert_str_eq(f.first[1], "DejaVu Sans");
  ck_assert_int_eq(f.bundled_after_system, 0);
  ck_assert_str_eq(bilaga_context_data_dir(c), getenv("BILAGA_DATA_DIR"));
  bilaga_context_free(c);
  c = bilaga_context_new("/some/where");
  ck_assert_str_eq(bilaga_context_data_dir(c), "/some/where");
  bilaga_context_free(c);
}
END_TEST

int main(void) {
  Suite *s = suite_create("library");
  TCase *tc = tcase_create("library");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, test_template_from_memory);
  tcase_add_test(tc, test_progress_and_cancel);
  tcase_add_test(tc, test_cancel_after_layout);
  tcase_add_test(tc, test_png_pages);
  tcase_add_test(tc, test_png_page_too_large);
  tcase_add_test(tc, test_listings);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
