// fuzz_render.c - libFuzzer harnesses for the whole bilaga pipeline.
//
// Default mode (FUZZ_TEMPLATE undefined): the input is report content XML.
// It is loaded with bilaga_document_load_memory(); when it loads (i.e. it
// passes schema validation) it is rendered with the "default" template into
// memory, then everything is freed.
//
// Template mode (-DFUZZ_TEMPLATE): the input is a layout template XML. It is
// written to a file under /dev/shm (bilaga_template_load() needs a path),
// loaded, and a fixed small document is rendered with it.
//
// The context (schemas, fonts, hyphenators) is created once per process.
// Diagnostics are dropped.
//
// Build (from /work/main; the meson build uses gcc, libFuzzer needs clang):
//   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
//     -I generator -DBILAGA_VERSION='"fuzz"' -DBILAGA_DATA_DIR='"/work/main"' \
//     -D_POSIX_C_SOURCE=200809L generator/*.c \
//     generator/{util,model,parse,text,layout,pdf}/*.c tests/fuzz/fuzz_render.c \
//     $(pkg-config --cflags --libs libxml-2.0 fontconfig zlib) -lhpdf -lhyphen -lm \
//     -o /tmp/fuzz_render
//   (add -DFUZZ_TEMPLATE and -o /tmp/fuzz_template for the template mode)
//
// Run (seed corpus in tests/fuzz/corpus, dictionary in tests/fuzz/content.dict):
//   mkdir -p /tmp/fuzz-corpus && cp tests/fuzz/corpus/* /tmp/fuzz-corpus/
//   /tmp/fuzz_render -dict=tests/fuzz/content.dict -max_len=20000 -timeout=10 \
//     -rss_limit_mb=2048 -max_total_time=900 -jobs=1 /tmp/fuzz-corpus
//   mkdir -p /tmp/fuzz-tcorpus && cp templates/*.xml tests/e2e/data/alt-template.xml \
//     tests/bad/*-template.xml /tmp/fuzz-tcorpus/
//   /tmp/fuzz_template -dict=tests/fuzz/template.dict -max_len=20000 -timeout=10 \
//     -rss_limit_mb=2048 -max_total_time=600 /tmp/fuzz-tcorpus
// Fontconfig stores pointers as offsets, which LeakSanitizer mistakes for
// leaks at exit when one input is run by hand; add
//   LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp
// (the suppression covers only libfontconfig).
// Reproduce one input:  /tmp/fuzz_render crash-<sha1>
// Minimize:             /tmp/fuzz_render -minimize_crash=1 -runs=20000 crash-<sha1>
//
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bilaga.h"

#ifndef FUZZ_DATA_DIR
#define FUZZ_DATA_DIR "/work/main"
#endif

static bilaga_context *fuzz_context(void) {
  static bilaga_context *ctx;
  if (!ctx) {
    const char *dir = getenv("BILAGA_DATA_DIR");
    ctx = bilaga_context_new(dir && *dir ? dir : FUZZ_DATA_DIR);
    if (!ctx) {
      fprintf(stderr, "fuzz: bilaga_context_new failed\n");
      abort();
    }
  }
  return ctx;
}

static void render(bilaga_context *ctx, const bilaga_document *doc, const bilaga_template *tpl) {
  bilaga_render_options opt;
  bilaga_render_options_init(&opt);
  opt.source_epoch = 0; /* do not depend on the environment */
  unsigned char *pdf = NULL;
  size_t len = 0;
  bilaga_render_result res;
  bilaga_render_memory(ctx, doc, tpl, &opt, &pdf, &len, &res);
  free(pdf);
}

#ifndef FUZZ_TEMPLATE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bilaga_context *ctx = fuzz_context();
  static bilaga_template *tpl;
  bilaga_document *doc = NULL;
  if (bilaga_document_load_memory(ctx, (const char *)data, size, "fuzz.xml", &doc) != BILAGA_OK || !doc)
    return 0;
  if (!tpl && bilaga_template_load(ctx, "default", &tpl) != BILAGA_OK) {
    fprintf(stderr, "fuzz: cannot load the default template\n");
    abort();
  }
  render(ctx, doc, tpl);
  bilaga_document_free(doc);
  return 0;
}

#else /* FUZZ_TEMPLATE */

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bilaga_context *ctx = fuzz_context();
  static bilaga_document *doc;
  static char path[64];
  if (!doc && bilaga_document_load_memory(ctx, fixed_document, sizeof fixed_document - 1, "fixed.xml",
                                          &doc) != BILAGA_OK) {
    fprintf(stderr, "fuzz: the fixed document does not load\n");
    abort();
  }
  if (!path[0]) snprintf(path, sizeof path, "/dev/shm/bilaga-fuzz-%ld.xml", (long)getpid());
  FILE *f = fopen(path, "wb");
  if (!f) abort();
  if (size && fwrite(data, 1, size, f) != size) abort();
  fclose(f);
  bilaga_template *tpl = NULL;
  if (bilaga_template_load(ctx, path, &tpl) == BILAGA_OK && tpl) {
    render(ctx, doc, tpl);
    bilaga_template_free(tpl);
  }
  unlink(path);
  return 0;
}

#endif
