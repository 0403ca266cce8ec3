/* batch.c - bilaga render and bilaga validate over one file or many.
 * A batch (several inputs, or -d) renders every file even when one fails,
 * prints a line per file on a terminal and a summary, and exits with the
 * worst status. --jobs N renders N files at once: one context (and its
 * own copy of the template) per thread, as bilaga.h's thread rules ask. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/i18n.h"

enum { MAX_JOBS = 256 };

typedef struct job {
  const char *input;
  char *output;   /* the PDF path */
  char *png_stem; /* page images' file name stem */
  int status, pages, png_pages;
  double seconds;
} job;

typedef struct batch {
  const cli_args *args;
  job *jobs;
  int count;
  const char *template_name;
  bilaga_render_options options; /* progress fields set per worker */
  int is_batch, tty, page_progress;
  pthread_mutex_t lock; /* the next job, the counters and stderr */
  int next, done;
  int progress_shown; /* a page-progress line is on the terminal */
} batch;

typedef struct worker {
  batch *b;
  bilaga_context *ctx;
  bilaga_template *tpl;
  int job;      /* the one being rendered, for the progress line */
  double drawn; /* when its progress line was last drawn */
  pthread_t thread;
} worker;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void clear_progress(batch *b) {
  if (b->progress_shown) fputs("\r\033[K", stderr);
  b->progress_shown = 0;
}

/* Diagnostics from any worker: one at a time, never inside a progress line. */
static void batch_diagnostic(const bilaga_diagnostic *d, void *user) {
  batch *b = user;
  pthread_mutex_lock(&b->lock);
  clear_progress(b);
  print_diagnostic(d, (void *)b->args);
  pthread_mutex_unlock(&b->lock);
}

static int page_progress(int page, int pages, void *user) {
  worker *w = user;
  batch *b = w->b;
  double t = now(); /* a few redraws a second are enough */
  if (page > 0 && page < pages && t - w->drawn < 0.1) return 0;
  w->drawn = t;
  pthread_mutex_lock(&b->lock);
  fputs("\r\033[K", stderr);
  fprintf(stderr, _("[%d/%d] %s: page %d of %d"), b->done + 1, b->count, b->jobs[w->job].input, page, pages);
  b->progress_shown = 1;
  pthread_mutex_unlock(&b->lock);
  return 0;
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* name without its directory and without .xml */
static char *stem_of(const char *input) {
  if (strcmp(input, "-") == 0) return strdup("page");
  const char *base = base_name(input);
  size_t n = strlen(base);
  if (n > 4 && strcmp(base + n - 4, ".xml") == 0) n -= 4;
  return strndup(base, n);
}

static char *output_for(const char *input, const char *dir) {
  char *stem = stem_of(input);
  if (!stem) return NULL;
  size_t n = strlen(input) + (dir ? strlen(dir) : 0) + strlen(stem) + 8;
  char *out = malloc(n);
  if (out && dir) {
    snprintf(out, n, "%s/%s.pdf", dir, stem);
  } else if (out) {
    size_t len = strlen(input);
    if (len > 4 && strcmp(input + len - 4, ".xml") == 0) len -= 4;
    snprintf(out, n, "%.*s.pdf", (int)len, input);
  }
  free(stem);
  return out;
}

static int usage(const char *fmt, const char *a, const char *b) {
  fputs("bilaga: ", stderr);
  fprintf(stderr, fmt, a, b);
  fputs(_("\nusage: bilaga render IN.xml... [OPTIONS]  (bilaga render --help for more)\n"), stderr);
  return 0;
}

static int make_dir(const char *dir, const char *what) {
  struct stat st;
  if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) return 1;
  if (mkdir(dir, 0777) == 0) return 1;
  fprintf(stderr, _("%s: error: cannot make the %s directory: %s\n"), dir, what, strerror(errno));
  return 0;
}

/* --dpi, --pages and --jobs into the options; 0 after a usage message. */
static int numeric_options(const cli_args *args, bilaga_render_options *o, int *jobs) {
  const char *v;
  char *end;
  if ((v = args->value[OPT_DPI])) {
    errno = 0;
    o->png_dpi = strtod(v, &end);
    if (*end || errno || !(o->png_dpi >= 1 && o->png_dpi <= 1200))
      return usage(_("--dpi %s: give a resolution of 1-1200 dots per inch%s"), v, "");
  }
  if ((v = args->value[OPT_PAGES])) {
    long a = 0, z = 0;
    const char *dash = strchr(v, '-');
    int ok = 1;
    if (dash != v) a = strtol(v, &end, 10), ok = end == (dash ? dash : v + strlen(v)) && a >= 1;
    if (!dash) z = a;
    else if (dash[1]) z = strtol(dash + 1, &end, 10), ok = ok && !*end && z >= 1;
    if (!ok || a > 1000000000 || z > 1000000000 || (z && z < a))
      return usage(_("--pages %s: give N, A-B, A- or -B with page numbers from 1%s"), v, "");
    o->png_first_page = (int)a;
    o->png_last_page = (int)z;
  }
  if ((v = args->value[OPT_JOBS])) {
    errno = 0;
    long n = strtol(v, &end, 10);
    if (*end || errno || n < 0 || n > MAX_JOBS)
      return usage(_("--jobs %s: give 0-256 (0: one per processor)%s"), v, "");
    if (n == 0) n = sysconf(_SC_NPROCESSORS_ONLN);
    *jobs = n < 1 ? 1 : (int)n;
  }
  if ((args->value[OPT_DPI] || args->value[OPT_PAGES]) && !args->value[OPT_PNG])
    return usage(_("%s is about page images: add --png DIR%s"), args->value[OPT_DPI] ? "--dpi" : "--pages",
                 "");
  return 1;
}

/* The jobs of a render command; 0 after a usage message. */
static int plan(const cli_args *args, batch *b) {
  const char *out = args->value[OPT_OUTPUT], *dir = args->value[OPT_OUTPUT_DIR];
  if (args->input_count == 0)
    return usage(_("render needs a content file (IN.xml, or - for stdin)%s%s"), "", "");
  if (out && dir) return usage(_("-o names one file and -d a directory: give one of them%s%s"), "", "");
  if (out && args->input_count > 1)
    return usage(_("-o names one output, but there are %s inputs: use -d DIR for several%s"),
                 args->input_count == 2 ? _("two") : _("several"), "");
  b->jobs = calloc((size_t)args->input_count, sizeof *b->jobs);
  if (!b->jobs) return 0;
  b->count = args->input_count;
  for (int i = 0; i < b->count; i++) {
    job *j = &b->jobs[i];
    j->input = args->inputs[i];
    if (strcmp(j->input, "-") == 0 && (b->count > 1 || dir))
      return usage(_("- (standard input) can only be rendered alone, without -d%s%s"), "", "");
    j->output = out ? strdup(out) : strcmp(j->input, "-") == 0 ? strdup("-") : output_for(j->input, dir);
    j->png_stem = stem_of(j->input);
    if (!j->output || !j->png_stem) return 0;
    for (int k = 0; k < i; k++) {
      if (strcmp(b->jobs[k].output, j->output) == 0)
        return usage(_("%s and %s would write the same PDF; rename one"), b->jobs[k].input, j->input);
      if (args->value[OPT_PNG] && strcmp(b->jobs[k].png_stem, j->png_stem) == 0)
        return usage(_("%s and %s would write the same page images; rename one"), b->jobs[k].input, j->input);
    }
  }
  return 1;
}

static void report_file(batch *b, const job *j) {
  if (!b->tty || !b->is_batch) return;
  clear_progress(b);
  if (j->status == BILAGA_OK)
    fprintf(stderr,
            P_("[%d/%d] ok      %s -> %s (%d page, %.2f s)\n",
               "[%d/%d] ok      %s -> %s (%d pages, %.2f s)\n", (unsigned long)j->pages),
            b->done, b->count, j->input, j->output, j->pages, j->seconds);
  else
    fprintf(stderr, _("[%d/%d] FAILED  %s (exit %d)\n"), b->done, b->count, j->input, j->status);
}

static void render_one(worker *w, job *j) {
  batch *b = w->b;
  double start = now();
  bilaga_document *doc = NULL;
  j->status = bilaga_document_load_file(w->ctx, j->input, &doc);
  if (j->status == BILAGA_OK) {
    bilaga_render_options o = b->options;
    o.png_stem = j->png_stem;
    if (b->page_progress) o.progress = page_progress, o.progress_user_data = w;
    bilaga_render_result r = {0, 0, 0};
    j->status = bilaga_render_file(w->ctx, doc, w->tpl, &o, j->output, &r);
    j->pages = r.pages;
    j->png_pages = r.png_pages;
  }
  bilaga_document_free(doc);
  j->seconds = now() - start;
}

static void *work(void *arg) {
  worker *w = arg;
  batch *b = w->b;
  for (;;) {
    pthread_mutex_lock(&b->lock);
    int i = b->next < b->count ? b->next++ : -1;
    pthread_mutex_unlock(&b->lock);
    if (i < 0) break;
    w->job = i;
    render_one(w, &b->jobs[i]);
    pthread_mutex_lock(&b->lock);
    b->done++;
    report_file(b, &b->jobs[i]);
    pthread_mutex_unlock(&b->lock);
  }
  return NULL;
}

static void summary(const batch *b) {
  int failed = 0;
  for (int i = 0; i < b->count; i++) failed += b->jobs[i].status != BILAGA_OK;
  fprintf(stderr,
          P_("bilaga: %d of %d file rendered", "bilaga: %d of %d files rendered", (unsigned long)b->count),
          b->count - failed, b->count);
  if (failed) {
    fprintf(stderr, _("; %d failed:"), failed);
    for (int i = 0; i < b->count; i++)
      if (b->jobs[i].status != BILAGA_OK) fprintf(stderr, " %s", b->jobs[i].input);
  }
  fputs("\n", stderr);
}

int cli_render(const cli_args *args) {
  batch b = {.args = args, .template_name = args->value[OPT_TEMPLATE] ? args->value[OPT_TEMPLATE] : "default"};
  bilaga_render_options_init(&b.options);
  b.options.pdfa = !args->value[OPT_NO_PDFA];
  b.options.strict = args->value[OPT_STRICT] != NULL;
  const char *claim = args->value[OPT_PDF];
  if (claim && bilaga_render_options_set_pdf(&b.options, claim) != BILAGA_OK) {
    usage(_("unknown --pdf claim \"%s\": give a-1b, a-1a, a-2a, a-2u or none (each +ua-1 if wanted), ua-1 or "
            "untagged%s"),
          claim, "");
    return BILAGA_ERROR_USAGE;
  }
  b.options.png_dir = args->value[OPT_PNG];
  int jobs = 1, status = BILAGA_ERROR_USAGE;
  worker *workers = NULL;
  int worker_count = 0;
  pthread_mutex_init(&b.lock, NULL);
  if (!numeric_options(args, &b.options, &jobs) || !plan(args, &b)) goto done;
  status = BILAGA_ERROR_IO;
  if (args->value[OPT_OUTPUT_DIR] && !make_dir(args->value[OPT_OUTPUT_DIR], _("output"))) goto done;
  if (b.options.png_dir && !make_dir(b.options.png_dir, _("page image"))) goto done;
  b.is_batch = b.count > 1 || args->value[OPT_OUTPUT_DIR];
  b.tty = isatty(STDERR_FILENO);
  if (jobs > b.count) jobs = b.count;
  b.page_progress = b.tty && b.is_batch && jobs == 1;
  workers = calloc((size_t)jobs, sizeof *workers);
  if (!workers) goto done;
  /* contexts and templates made here, one per worker: a template error is
   * reported once, before anything is rendered */
  for (; worker_count < jobs; worker_count++) {
    worker *w = &workers[worker_count];
    w->b = &b;
    if (!(w->ctx = cli_context(args))) goto done;
    /* the first worker's load says what is wrong (or worth a warning) */
    bilaga_context_set_diagnostic_sink(w->ctx, worker_count == 0 ? batch_diagnostic : NULL, &b);
    bilaga_status st = bilaga_template_load(w->ctx, b.template_name, &w->tpl);
    bilaga_context_set_diagnostic_sink(w->ctx, batch_diagnostic, &b);
    if (st != BILAGA_OK) {
      status = st;
      worker_count++;
      goto done;
    }
  }
  if (jobs == 1) {
    work(&workers[0]);
  } else {
    int started = 0;
    for (; started < jobs; started++)
      if (pthread_create(&workers[started].thread, NULL, work, &workers[started]) != 0) break;
    if (started == 0) work(&workers[0]); /* no threads at all: render here */
    for (int i = 0; i < started; i++) pthread_join(workers[i].thread, NULL);
  }
  status = BILAGA_OK;
  for (int i = 0; i < b.count; i++)
    if (b.jobs[i].status > status) status = b.jobs[i].status;
  if (b.is_batch) summary(&b);
done:
  for (int i = 0; i < worker_count; i++) {
    bilaga_template_free(workers[i].tpl);
    bilaga_context_free(workers[i].ctx);
  }
  free(workers);
  for (int i = 0; i < b.count; i++) {
    free(b.jobs[i].output);
    free(b.jobs[i].png_stem);
  }
  free(b.jobs);
  pthread_mutex_destroy(&b.lock);
  return status;
}

int cli_validate(const cli_args *args) {
  if (args->input_count == 0) {
    fputs(_("bilaga: validate needs a content file (IN.xml, or - for stdin)\n"
            "usage: bilaga validate IN.xml... [--data-dir DIR]\n"),
          stderr);
    return BILAGA_ERROR_USAGE;
  }
  bilaga_context *ctx = cli_context(args);
  if (!ctx) return BILAGA_ERROR_IO;
  int status = BILAGA_OK;
  for (int i = 0; i < args->input_count; i++) {
    bilaga_document *doc = NULL;
    bilaga_status st = bilaga_document_load_file(ctx, args->inputs[i], &doc);
    if (st == BILAGA_OK) printf("%s: valid\n", args->inputs[i]);
    else if ((int)st > status) status = st;
    bilaga_document_free(doc);
  }
  fflush(stdout);
  bilaga_context_free(ctx);
  return status;
}
