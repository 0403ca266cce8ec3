/* diag_print.h - how the command prints the library's diagnostics:
 * for people (file:line:col: error: message, the source line with a caret
 * under the culprit, the hint) or, with --diagnostics=json, one JSON
 * object a line for editors and integrations (docs/diagnostics.md). */
#ifndef BILAGA_CLI_DIAG_PRINT_H
#define BILAGA_CLI_DIAG_PRINT_H

#include <stdio.h>

#include "bilaga.h"

typedef struct diag_printer {
  int json;
  FILE *out;
  char *file; /* the source last shown, to print its lines */
  char *text;
  size_t length;
} diag_printer;

/* Takes the language of messages from the environment (LC_MESSAGES). */
void diag_printer_init(diag_printer *p);
/* The value of --diagnostics: "json" or "human" (NULL: human). 0, after
 * a message, for anything else. */
int diag_printer_format(diag_printer *p, const char *value);
/* A bilaga_diagnostic_fn; user is the printer. */
void diag_printer_print(const bilaga_diagnostic *d, void *user);
void diag_printer_free(diag_printer *p);

#endif
