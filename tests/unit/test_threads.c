/* test_threads.c - several threads render at once, each with its own
 * context, as bilaga.h's thread rules allow: first before any context
 * exists (so the library's one-time set-up races), then with one document
 * shared by all of them. Every render must give the bytes a single thread
 * gives. Built
 * with ThreadSanitizer by tests/tsan, which fails on any report; in the
 * normal build it checks the bytes only. Phase 3 is the command's batch
 * path (bilaga render a.xml b.xml -d DIR --jobs N): each thread loads the
 * template from memory (bytes read once, shared), renders with a progress
 * callback of its own and writes page images, which must be the same in
 * every thread. Plain pthreads, no check: the threads are the test. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bilaga.h"

#ifndef BILAGA_TEST_SOURCE_ROOT
#error "BILAGA_TEST_SOURCE_ROOT must name the source tree"
#endif

static const char *const documents[] = {
    "samples/ks-2022-delarsrapport-1.xml",
    "tests/e2e/data/decimal-align.xml",
    "tests/e2e/data/hyphen-column.xml",
};
enum { DOC_COUNT = sizeof documents / sizeof *documents };
static const char *const templates[] = {"default", "kommun-klassisk",
                                        BILAGA_TEST_SOURCE_ROOT "/tests/e2e/data/alt-template.xml"};
enum { TPL_COUNT = sizeof templates / sizeof *templates, THREADS = 3, SHARED_DOC = 0 };

typedef struct bytes {
  unsigned char *data;
  size_t length;
} bytes;

static bytes reference[DOC_COUNT][TPL_COUNT];        /* single-thread renders */
static bytes results[THREADS][DOC_COUNT][TPL_COUNT]; /* each thread writes its own */
static bilaga_document *shared; /* phase 2: loaded before the threads start, rendered by all */

static void print_diagnostic(const bilaga_diagnostic *d, void *user) {
  fprintf(stderr, "%s: %s:%d:%d: %s\n", (const char *)user, d->file, d->line, d->column, d->message);
}

static void fail(const char *who, const char *what, int d, int t) {
  fprintf(stderr, "%s: %s (%s with %s)\n", who, what, documents[d], templates[t]);
  exit(EXIT_FAILURE);
}

static bilaga_document *load_document(bilaga_context *c, const char *who, int d) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", BILAGA_TEST_SOURCE_ROOT, documents[d]);
  bilaga_document *doc = NULL;
  if (bilaga_document_load_file(c, path, &doc) != BILAGA_OK) fail(who, "cannot load the document", d, 0);
  return doc;
}

static bytes render(bilaga_context *c, const char *who, const bilaga_document *doc,
                    const bilaga_template *tpl, int d, int t) {
  bilaga_render_options o;
  bilaga_render_options_init(&o);
  o.source_epoch = 1700000000;
  bytes b = {NULL, 0};
  if (bilaga_render_memory(c, doc, tpl, &o, &b.data, &b.length, NULL) != BILAGA_OK || b.length == 0)
    fail(who, "render failed", d, t);
  return b;
}

static void *worker(void *arg) {
  int id = (int)(size_t)arg;
  char who[32];
  snprintf(who, sizeof who, "thread %d", id);
  bilaga_context *c = bilaga_context_new(NULL);
  if (!c) fail(who, "no context", 0, 0);
  bilaga_context_set_diagnostic_sink(c, print_diagnostic, who);
  bilaga_template *tpl[TPL_COUNT];
  for (int k = 0; k < TPL_COUNT; k++) { /* each thread loads them in another order */
    int t = (k + id) % TPL_COUNT;
    if (bilaga_template_load(c, templates[t], &tpl[t]) != BILAGA_OK)
      fail(who, "cannot load the template", 0, t);
  }
  /* every pair once, starting at a different pair in each thread */
  for (int k = 0; k < DOC_COUNT * TPL_COUNT; k++) {
    int p = (k + id * 4) % (DOC_COUNT * TPL_COUNT), d = p / TPL_COUNT, t = p % TPL_COUNT;
    bilaga_document *own = shared && d == SHARED_DOC ? NULL : load_document(c, who, d);
    results[id][d][t] = render(c, who, own ? own : shared, tpl[t], d, t);
    bilaga_document_free(own);
  }
  for (int t = 0; t < TPL_COUNT; t++) bilaga_template_free(tpl[t]);
  bilaga_context_free(c);
  return NULL;
}

/* Runs the workers at once. */
static void run_threads(const char *phase) {
  pthread_t threads[THREADS];
  for (int i = 0; i < THREADS; i++)
    if (pthread_create(&threads[i], NULL, worker, (void *)(size_t)i) != 0)
      fail(phase, "pthread_create", 0, 0);
  for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
}

/* What every thread rendered against the single-thread reference. */
static void check_results(const char *phase) {
  for (int i = 0; i < THREADS; i++)
    for (int d = 0; d < DOC_COUNT; d++)
      for (int t = 0; t < TPL_COUNT; t++) {
        bytes *b = &results[i][d][t];
        if (!b->data || b->length != reference[d][t].length ||
            memcmp(b->data, reference[d][t].data, b->length) != 0)
          fail(phase, "a thread's bytes differ from a single-thread render", d, t);
        free(b->data);
        b->data = NULL;
      }
}

/* ---- phase 3: the batch path ---- */

enum { PNG_PAGES = 2 };
static char *template_bytes; /* default.xml, read once, read by all threads */
static size_t template_length;
static char png_root[64];
static bytes batch_pdf[THREADS];
static bytes batch_png[THREADS][PNG_PAGES];

typedef struct progress_log {
  int calls, last_page, pages, out_of_order;
} progress_log;

static int on_progress(int page, int pages, void *user) {
  progress_log *p = user; /* the thread's own */
  if (page != (p->calls ? p->last_page + 1 : 0) || (p->pages && pages != p->pages)) p->out_of_order = 1;
  p->calls++;
  p->last_page = page;
  p->pages = pages;
  return 0;
}

static bytes slurp(const char *path) {
  bytes b = {NULL, 0};
  FILE *f = fopen(path, "rb");
  if (!f) return b;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  b.data = malloc((size_t)n + 1);
  if (b.data && fread(b.data, 1, (size_t)n, f) == (size_t)n) b.length = (size_t)n;
  fclose(f);
  return b;
}

static void *batch_worker(void *arg) {
  int id = (int)(size_t)arg;
  char who[32], dir[128];
  snprintf(who, sizeof who, "batch thread %d", id);
  snprintf(dir, sizeof dir, "%s/%d", png_root, id);
  if (mkdir(dir, 0777) != 0) fail(who, "mkdir", 0, 0);
  bilaga_context *c = bilaga_context_new(NULL);
  if (!c) fail(who, "no context", 0, 0);
  bilaga_context_set_diagnostic_sink(c, print_diagnostic, who);
  bilaga_template *tpl = NULL;
  if (bilaga_template_load_memory(c, template_bytes, template_length, "default.xml", &tpl) != BILAGA_OK)
    fail(who, "cannot load the template from memory", 0, 0);
  progress_log log = {0};
  bilaga_render_options o;
  bilaga_render_options_init(&o);
  o.source_epoch = 1700000000;
  o.progress = on_progress;
  o.progress_user_data = &log;
  o.png_dir = dir;
  o.png_last_page = PNG_PAGES;
  bilaga_render_result r;
  bytes *b = &batch_pdf[id];
  if (bilaga_render_memory(c, shared, tpl, &o, &b->data, &b->length, &r) != BILAGA_OK)
    fail(who, "batch render failed", SHARED_DOC, 0);
  if (log.out_of_order || log.calls != r.pages + 1 || log.last_page != r.pages || r.png_pages != PNG_PAGES)
    fail(who, "progress calls or page images do not match the pages", SHARED_DOC, 0);
  for (int k = 0; k < PNG_PAGES; k++) {
    char path[192];
    snprintf(path, sizeof path, "%s/page-%03d.png", dir, k + 1);
    batch_png[id][k] = slurp(path);
    if (batch_png[id][k].length < 1000) fail(who, "page image missing or empty", SHARED_DOC, 0);
    unlink(path);
  }
  rmdir(dir);
  bilaga_template_free(tpl);
  bilaga_context_free(c);
  return NULL;
}

static void run_batch(void) {
  snprintf(png_root, sizeof png_root, "/tmp/bilaga-threads-XXXXXX");
  if (!mkdtemp(png_root)) fail("phase 3", "mkdtemp", 0, 0);
  char path[1024];
  snprintf(path, sizeof path, "%s/templates/default.xml", BILAGA_TEST_SOURCE_ROOT);
  bytes t = slurp(path);
  if (!t.length) fail("phase 3", "cannot read templates/default.xml", 0, 0);
  template_bytes = (char *)t.data;
  template_length = t.length;
  pthread_t threads[THREADS];
  for (int i = 0; i < THREADS; i++)
    if (pthread_create(&threads[i], NULL, batch_worker, (void *)(size_t)i) != 0) fail("phase 3", "pthread_create", 0, 0);
  for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
  rmdir(png_root);
  /* a template from memory renders as the same file does */
  for (int i = 0; i < THREADS; i++) {
    if (batch_pdf[i].length != reference[SHARED_DOC][0].length ||
        memcmp(batch_pdf[i].data, reference[SHARED_DOC][0].data, batch_pdf[i].length) != 0)
      fail("phase 3", "a batch thread's PDF differs from the single-thread render", SHARED_DOC, 0);
    for (int k = 0; k < PNG_PAGES; k++)
      if (batch_png[i][k].length != batch_png[0][k].length ||
          memcmp(batch_png[i][k].data, batch_png[0][k].data, batch_png[0][k].length) != 0)
        fail("phase 3", "threads drew different page images", SHARED_DOC, 0);
  }
  for (int i = 0; i < THREADS; i++) {
    free(batch_pdf[i].data);
    for (int k = 0; k < PNG_PAGES; k++) free(batch_png[i][k].data);
  }
  free(template_bytes);
}

int main(void) {
  run_threads("phase 1"); /* the first contexts of the process, all at once */

  const char *who = "main";
  bilaga_context *c = bilaga_context_new(NULL);
  if (!c) fail(who, "no context", 0, 0);
  bilaga_context_set_diagnostic_sink(c, print_diagnostic, (void *)who);
  for (int t = 0; t < TPL_COUNT; t++) {
    bilaga_template *tpl = NULL;
    if (bilaga_template_load(c, templates[t], &tpl) != BILAGA_OK) fail(who, "cannot load the template", 0, t);
    for (int d = 0; d < DOC_COUNT; d++) {
      bilaga_document *doc = load_document(c, who, d);
      reference[d][t] = render(c, who, doc, tpl, d, t);
      bilaga_document_free(doc);
    }
    bilaga_template_free(tpl);
  }
  check_results("phase 1");

  shared = load_document(c, who, SHARED_DOC);
  bilaga_context_free(c); /* the shared document outlives the context that loaded it */
  run_threads("phase 2");
  check_results("phase 2");
  run_batch(); /* phase 3: uses the shared document and the phase 1 reference */

  bilaga_document_free(shared);
  for (int d = 0; d < DOC_COUNT; d++)
    for (int t = 0; t < TPL_COUNT; t++) free(reference[d][t].data);
  printf("%d threads rendered %d documents each, twice, the same bytes as one thread; then the batch path "
         "(template from memory, progress, page images) the same in every thread\n",
         THREADS, DOC_COUNT * TPL_COUNT);
  return EXIT_SUCCESS;
}
