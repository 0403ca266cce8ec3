/* test_threads.c - several threads render at once, each with its own
 * context, as bilaga.h's thread rules allow: first before any context
 * exists (so the library's one-time set-up races), then with one document
 * shared by all of them. Every render must give the bytes a single thread
 * gives. Built
 * with ThreadSanitizer by tests/tsan, which fails on any report; in the
 * normal build it checks the bytes only. Plain pthreads, no check: the
 * threads are the test. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

  bilaga_document_free(shared);
  for (int d = 0; d < DOC_COUNT; d++)
    for (int t = 0; t < TPL_COUNT; t++) free(reference[d][t].data);
  printf("%d threads rendered %d documents each, twice, the same bytes as one thread\n", THREADS,
         DOC_COUNT * TPL_COUNT);
  return EXIT_SUCCESS;
}
