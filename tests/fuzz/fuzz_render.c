// fuzz_render.c - libFuzzer harnesses for the whole bilaga pipeline, also
// linked into the plain replay driver (replay.c) that the test suite runs.
//
// Content mode (FUZZ_TEMPLATE undefined): the input is report content XML,
// loaded with bilaga_document_load_memory() from exactly the input's bytes
// (no NUL after them, so a read past the end is a heap-buffer-overflow);
// when it loads it is rendered into memory with one of the bundled
// templates, PDF/A on or off (chosen by the input's size).
//
// Template mode (-DFUZZ_TEMPLATE): the input is a layout template XML,
// loaded with bilaga_template_load_memory() from exactly the input's bytes
// (as content is), and a fixed small document is rendered with it.
//
// Besides crashes, sanitizer reports, leaks and hangs, the harness aborts on
// broken promises of the API: a failure without an error diagnostic (or
// with an empty message), a success with one or without a result, an error
// count that is not the call's own, a "PDF" that does not start with %PDF-
// and end with %%EOF, a second rendering of the same document that differs
// from the first.
//
// The context (schemas, fonts, hyphenators) and the fixed template or
// document are made once per process, in LLVMFuzzerInitialize();
// fuzz_release() frees them for the replay driver's leak check.
//
// Build and run: tests/fuzz/run (README, "Fuzzing").
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bilaga.h"
#include "fuzz.h"

// Errors reported during the current call, checked against its status.
typedef struct fuzz_diagnostics {
  int errors;
} fuzz_diagnostics;

// libFuzzer calls the entry point with no other argument: the state that
// lives across inputs has to be static (the library itself keeps none).
static struct {
  bilaga_context *ctx;
  fuzz_diagnostics diags;
  bilaga_template *tpl[2];  // content mode: the two bundled templates
  bilaga_document *doc;     // template mode: the fixed document
} fuzz;

static void fuzz_fail(const char *what) {
  fprintf(stderr, "fuzz: broken promise: %s\n", what);
  abort();
}

static void count_diagnostic(const bilaga_diagnostic *d, void *user) {
  fuzz_diagnostics *diags = user;
  if (!d->message || !d->message[0]) fuzz_fail("a diagnostic without a message");
  if (d->severity == BILAGA_SEVERITY_ERROR) diags->errors++;
}

static bilaga_context *fuzz_context(void) {
  if (!fuzz.ctx) {
    const char *dir = getenv("BILAGA_DATA_DIR");
    fuzz.ctx = bilaga_context_new(dir && *dir ? dir : BILAGA_DATA_DIR);
    if (!fuzz.ctx) fuzz_fail("bilaga_context_new failed");
    bilaga_context_set_diagnostic_sink(fuzz.ctx, count_diagnostic, &fuzz.diags);
  }
  fuzz.diags.errors = 0;
  return fuzz.ctx;
}

// A failing status must come with an error diagnostic saying why, a
// success with none; the context counts this call's errors only.
static void check_status(bilaga_status status, const void *result, const char *call) {
  char what[160];
  int counted = bilaga_context_error_count(fuzz.ctx);
  if (status == BILAGA_OK && !result)
    snprintf(what, sizeof what, "%s returned OK without a result", call);
  else if (status != BILAGA_OK && fuzz.diags.errors == 0)
    snprintf(what, sizeof what, "%s failed (status %d) without an error diagnostic", call, (int)status);
  else if (status == BILAGA_OK && fuzz.diags.errors > 0)
    snprintf(what, sizeof what, "%s succeeded but reported %d errors", call, fuzz.diags.errors);
  else if (counted != fuzz.diags.errors)
    snprintf(what, sizeof what, "bilaga_context_error_count is %d after %s, which reported %d errors",
             counted, call, fuzz.diags.errors);
  else
    return;
  fuzz_fail(what);
}

static void render(bilaga_context *ctx, const bilaga_document *doc, const bilaga_template *tpl, int pdfa) {
  bilaga_render_options opt;
  bilaga_render_options_init(&opt);
  opt.pdfa = pdfa;
  opt.source_epoch = 0;  // do not depend on the environment
  unsigned char *pdf = NULL;
  size_t len = 0;
  bilaga_render_result res;
  fuzz.diags.errors = 0;
  bilaga_status status = bilaga_render_memory(ctx, doc, tpl, &opt, &pdf, &len, &res);
  check_status(status, pdf, "bilaga_render_memory");
  if (status == BILAGA_OK) {
    static const char head[] = "%PDF-", tail[] = "%%EOF";
    if (len < sizeof head + sizeof tail || memcmp(pdf, head, sizeof head - 1) != 0)
      fuzz_fail("the rendered bytes do not start with %PDF-");
    size_t end = len;
    while (end > 0 && (pdf[end - 1] == '\n' || pdf[end - 1] == '\r')) end--;
    if (end < sizeof tail - 1 || memcmp(pdf + end - (sizeof tail - 1), tail, sizeof tail - 1) != 0)
      fuzz_fail("the rendered bytes do not end with %%EOF");
    if (res.pages < 1) fuzz_fail("a rendered PDF without pages");
    // same document, same template, same options: the same bytes, whatever
    // the context did before
    unsigned char *again = NULL;
    size_t again_len = 0;
    fuzz.diags.errors = 0;
    status = bilaga_render_memory(ctx, doc, tpl, &opt, &again, &again_len, NULL);
    check_status(status, again, "bilaga_render_memory (again)");
    if (status != BILAGA_OK || again_len != len || memcmp(again, pdf, len) != 0)
      fuzz_fail("rendering the same document twice gave different results");
    free(again);
  }
  free(pdf);
}

// LeakSanitizer reads this at start: fontconfig keeps pattern elements
// behind offset-encoded pointers, which it cannot follow and would report
// as leaked when a single input is run by hand.
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) {
  return "leak:libfontconfig.so\n";
}

#ifndef FUZZ_TEMPLATE

static bilaga_context *fuzz_setup(void) {
  bilaga_context *ctx = fuzz_context();
  static const char *const names[2] = {"default", "kommun-klassisk"};
  for (int i = 0; i < 2; i++)
    if (!fuzz.tpl[i] && bilaga_template_load(ctx, names[i], &fuzz.tpl[i]) != BILAGA_OK)
      fuzz_fail("cannot load a bundled template");
  return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bilaga_context *ctx = fuzz_setup();
  fuzz.diags.errors = 0;
  bilaga_document *doc = NULL;
  bilaga_status status = bilaga_document_load_memory(ctx, (const char *)data, size, "fuzz.xml", &doc);
  check_status(status, doc, "bilaga_document_load_memory");
  if (status != BILAGA_OK) {
    if (doc) fuzz_fail("bilaga_document_load_memory failed but gave a document");
    return 0;
  }
  // the input's size picks the template and whether PDF/A is on, so that
  // each input always takes the same path
  render(ctx, doc, fuzz.tpl[size % 2], size % 5 != 0);
  bilaga_document_free(doc);
  return 0;
}

#else  // FUZZ_TEMPLATE

static const char fixed_document[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"
    "  <meta><title>Fuzz</title><board>Servicen\xc3\xa4mnden</board></meta>\n"
    "  <body>\n"
    "    <section><heading>Rubrik med \xc3\xa5, \xc3\xa4 och \xc3\xb6</heading>\n"
    "      <p>Ett kort stycke som g\xc3\xa5r att s\xc3\xa4tta utan problem, "
    "med ett l\xc3\xa5ngt ord: verksamhetsber\xc3\xa4ttelsen.</p>\n"
    "      <section><heading>Under</heading><p>Text.</p></section>\n"
    "    </section>\n"
    "  </body>\n"
    "</report>\n";

static bilaga_context *fuzz_setup(void) {
  bilaga_context *ctx = fuzz_context();
  if (!fuzz.doc && bilaga_document_load_memory(ctx, fixed_document, sizeof fixed_document - 1, "fixed.xml",
                                               &fuzz.doc) != BILAGA_OK)
    fuzz_fail("the fixed document does not load");
  return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bilaga_context *ctx = fuzz_setup();
  fuzz.diags.errors = 0;
  bilaga_template *tpl = NULL;
  bilaga_status status = bilaga_template_load_memory(ctx, (const char *)data, size, "fuzz-template.xml", &tpl);
  check_status(status, tpl, "bilaga_template_load_memory");
  if (status == BILAGA_OK) render(ctx, fuzz.doc, tpl, size % 5 != 0);
  bilaga_template_free(tpl);
  return 0;
}

#endif

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_setup();
  return 0;
}

void fuzz_release(void) {
  bilaga_template_free(fuzz.tpl[0]);
  bilaga_template_free(fuzz.tpl[1]);
  bilaga_document_free(fuzz.doc);
  bilaga_context_free(fuzz.ctx);
  memset(&fuzz, 0, sizeof fuzz);
}
