/* layout-time.c - the layout stage alone: parses a report and a template
 * as bilaga render does, then times layout_run (all passes, display lists
 * built and handed to a callback that only counts them) without writing a
 * PDF. bench/run uses it to compare symbol tables with plain ones per page.
 *
 *   layout-time TEMPLATE.xml RUNS IN.xml...
 *
 * Prints a line "PAGES BEST_SECONDS MEDIAN_SECONDS" of CPU time for each
 * input, in order; the inputs' runs alternate. Built with the library (an
 * internal tool: it includes stage headers, as the tests do). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "layout/layout.h"
#include "model/expand.h"
#include "parse/parse.h"
#include "text/fontset.h"
#include "text/hyphen.h"

static void print_diag(const bilaga_diagnostic *d, void *user) {
  (void)user;
  fprintf(stderr, "%s:%d:%d: %s\n", d->file ? d->file : "", d->line, d->column, d->message ? d->message : "");
}

static int count_page(void *user, const display_page *page) {
  (void)page;
  ++*(int *)user;
  return 1;
}

static double now(void) {
  struct timespec ts;
  /* CPU time, not wall time: the machine is shared, and another process
   * taking the core must not count as layout */
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static char *read_all(const char *path, size_t *len, diag_sink *sink) {
  return parse_read_file(path, 64 * 1024 * 1024, len, sink);
}

typedef struct input {
  const char *path;
  document_model *doc, *model;
  hyphenator *h;
  double *t;
  int pages;
} input;

int main(int argc, char **argv) {
  if (argc < 4 || atoi(argv[2]) < 1) {
    fprintf(stderr, "usage: layout-time TEMPLATE.xml RUNS IN.xml...\n");
    return 1;
  }
  const char *data = getenv("BILAGA_DATA_DIR") ? getenv("BILAGA_DATA_DIR") : BILAGA_DATA_DIR;
  char path[4096];
  diag_sink sink = {print_diag, NULL, 0};
  snprintf(path, sizeof path, "%s/templates/content.rng", data);
  xml_schema *cs = parse_schema_load(path, &sink);
  snprintf(path, sizeof path, "%s/templates/template.rng", data);
  xml_schema *ts = parse_schema_load(path, &sink);
  size_t tlen = 0;
  char *tbytes = cs && ts ? read_all(argv[1], &tlen, &sink) : NULL;
  template_model *tpl = tbytes ? parse_template(tbytes, tlen, argv[1], ts, &sink) : NULL;
  snprintf(path, sizeof path, "%s/fonts", data);
  fontset *fonts = tpl ? fontset_new(path) : NULL;
  if (!fonts || !fontset_check_bundled(fonts, &sink)) return 2;
  /* the template's faces, as bilaga_template_load resolves them */
  for (int i = 0; i < template_style_count(tpl); i++) {
    text_style *s = template_style(tpl, i);
    s->face = fontset_face_at(fonts, s->family, s->bold, s->italic, tpl->fallback_families, tpl->fallback_count,
                              &sink, tpl->file, s->line, s->column);
    if (s->face < 0) return 2;
  }
  int runs = atoi(argv[2]), n = argc - 3;
  input *in = calloc((size_t)n, sizeof *in);
  if (!in) return 3;
  for (int k = 0; k < n; k++) {
    size_t len;
    char *bytes = read_all(argv[3 + k], &len, &sink);
    in[k].path = argv[3 + k];
    in[k].doc = bytes ? parse_content(bytes, len, argv[3 + k], cs, &sink) : NULL;
    free(bytes);
    int input_error = 0;
    in[k].model = in[k].doc ? model_expand(in[k].doc, tpl, &sink, &input_error) : NULL;
    in[k].h = in[k].model ? hyphenator_load(in[k].model->lang) : NULL;
    in[k].t = malloc(sizeof *in[k].t * (size_t)runs);
    if (!in[k].model || !in[k].t) return 2;
  }
  /* the inputs take turns, so that a busy moment of the machine falls on
   * all of them alike */
  for (int r = 0; r < runs; r++)
    for (int k = 0; k < n; k++) {
      layout_result lr;
      int count = 0;
      double t0 = now();
      int ok = layout_run(in[k].model, tpl, fonts, in[k].h, &sink, count_page, &count, &lr);
      in[k].t[r] = now() - t0;
      layout_result_free(&lr);
      if (!ok) return 2;
      in[k].pages = count;
    }
  for (int k = 0; k < n; k++) {
    qsort(in[k].t, (size_t)runs, sizeof *in[k].t, cmp_double);
    printf("%d %.4f %.4f\n", in[k].pages, in[k].t[0], in[k].t[runs / 2]);
    free(in[k].t);
    if (in[k].h) hyphenator_free(in[k].h);
    if (in[k].model != in[k].doc) model_free(in[k].model);
    model_free(in[k].doc);
  }
  free(in);
  template_free(tpl);
  fontset_free(fonts);
  parse_schema_free(cs);
  parse_schema_free(ts);
  free(tbytes);
  return 0;
}
