/* main.c - the bilaga command: a thin client of libbilaga. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bilaga.h"
#include "cli/diag_print.h"

static const char usage[] =
    "usage: bilaga render IN.xml [-t TEMPLATE] [-o OUT.pdf] [--no-pdfa] [--diagnostics=json]\n"
    "       bilaga validate IN.xml [--diagnostics=json]\n"
    "       bilaga --help | --version\n"
    "\n"
    "render    lays out report content with a template and writes a PDF.\n"
    "          TEMPLATE is a name (templates/NAME.xml) or a path; default: default.\n"
    "          OUT defaults to IN with .pdf; '-' reads stdin / writes stdout.\n"
    "validate  checks content against the schema and reports problems.\n"
    "\n"
    "exit codes: 0 ok, 1 usage, 2 invalid input (content, template, font),\n"
    "            3 I/O or internal failure\n";

static char *default_output(const char *in) {
  size_t n = strlen(in);
  char *out = malloc(n + 5);
  if (!out) return NULL;
  memcpy(out, in, n + 1);
  if (n > 4 && strcmp(in + n - 4, ".xml") == 0) out[n - 4] = '\0';
  strcat(out, ".pdf");
  return out;
}

int main(int argc, char **argv) {
  diag_printer printer;
  diag_printer_init(&printer);
  if (argc < 2) {
    fputs(usage, stderr);
    return BILAGA_ERROR_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(usage, stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("bilaga %s\n", bilaga_version());
    return 0;
  }
  const char *command = argv[1], *input = NULL, *tpl_name = "default", *output = NULL;
  int pdfa = 1, diag_option;
  for (int i = 2; i < argc; i++) {
    if ((strcmp(argv[i], "-t") == 0 || strcmp(argv[i], "-o") == 0) && i + 1 < argc) {
      if (argv[i][1] == 't') tpl_name = argv[++i];
      else output = argv[++i];
    } else if ((diag_option = diag_printer_option(&printer, argv[i])) != 0) {
      if (diag_option < 0) return BILAGA_ERROR_USAGE;
    } else if (strcmp(argv[i], "--no-pdfa") == 0) {
      pdfa = 0;
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      fprintf(stderr, "bilaga: unknown option %s\n\n%s", argv[i], usage);
      return BILAGA_ERROR_USAGE;
    } else if (!input) {
      input = argv[i];
    } else {
      fprintf(stderr, "bilaga: one input file only\n\n%s", usage);
      return BILAGA_ERROR_USAGE;
    }
  }
  int render = strcmp(command, "render") == 0;
  int options_given = output || strcmp(tpl_name, "default") != 0 || !pdfa;
  if ((!render && strcmp(command, "validate") != 0) || !input || (!render && options_given)) {
    fputs(usage, stderr);
    return BILAGA_ERROR_USAGE;
  }
  if (render && !output && strcmp(input, "-") == 0) output = "-";
  bilaga_context *ctx = bilaga_context_new(NULL);
  if (!ctx) {
    fputs("bilaga: out of memory\n", stderr);
    return BILAGA_ERROR_IO;
  }
  bilaga_context_set_diagnostic_sink(ctx, diag_printer_print, &printer);
  bilaga_document *doc = NULL;
  bilaga_template *tpl = NULL;
  char *owned_output = NULL;
  bilaga_status st = bilaga_document_load_file(ctx, input, &doc);
  if (st == BILAGA_OK && render) st = bilaga_template_load(ctx, tpl_name, &tpl);
  if (st == BILAGA_OK && render) {
    if (!output) output = owned_output = default_output(input);
    bilaga_render_options options;
    bilaga_render_options_init(&options);
    options.pdfa = pdfa;
    st = output ? bilaga_render_file(ctx, doc, tpl, &options, output, NULL) : BILAGA_ERROR_IO;
  }
  if (st == BILAGA_OK && !render) fprintf(stderr, "%s: valid\n", input);
  free(owned_output);
  bilaga_template_free(tpl);
  bilaga_document_free(doc);
  bilaga_context_free(ctx);
  diag_printer_free(&printer);
  return st;
}
