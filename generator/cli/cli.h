/* cli.h - the bilaga command: commands, the option table, shared helpers.
 * The command is a thin client of libbilaga: everything it knows about
 * documents comes through bilaga.h. */
#ifndef BILAGA_CLI_H
#define BILAGA_CLI_H

#include <stdio.h>

#include "bilaga.h"

typedef enum cli_command {
  CMD_RENDER,
  CMD_VALIDATE,
  CMD_TEMPLATES,
  CMD_FONTS,
  CMD_HELP,
  CMD_COUNT
} cli_command;

/* Options, one row each in cli_options[] (options.c). To add one: a name
 * here, a row there, and read args->value[OPT_...] where it matters. */
typedef enum cli_option_id {
  OPT_TEMPLATE,
  OPT_OUTPUT,
  OPT_OUTPUT_DIR,
  OPT_PDF,
  OPT_NO_PDFA,
  OPT_STRICT,
  OPT_PNG,
  OPT_DPI,
  OPT_PAGES,
  OPT_JOBS,
  OPT_DATA_DIR,
  OPT_DIAGNOSTICS,
  OPT_HELP,
  OPT_COUNT
} cli_option_id;

typedef struct cli_option {
  char short_name;        /* 0: long form only */
  const char *long_name;
  const char *value_name; /* NULL: a flag without a value */
  unsigned commands;      /* bit (1u << CMD_...) per command that takes it */
  const char *help;
} cli_option;

extern const cli_option cli_options[OPT_COUNT];

struct diag_printer;

typedef struct cli_args {
  cli_command command;
  struct diag_printer *printer; /* how diagnostics are printed (diag_print.h), set by main */
  const char *value[OPT_COUNT]; /* a flag's value is "" when given */
  const char **inputs;          /* the operands, in order */
  int input_count;
} cli_args;

/* Parses argv[first..] for command into args (inputs point into argv).
 * On a usage error prints why (with a "did you mean" where one is near)
 * and returns 0. */
int cli_parse(cli_command command, int argc, char **argv, int first, cli_args *args);

/* Usage of one command (its options from the table), or of all. */
void cli_usage(FILE *out, cli_command command);
void cli_usage_all(FILE *out);
const char *cli_command_name(cli_command command);
/* The command named name, or -1. */
int cli_command_lookup(const char *name);
/* The candidate nearest to word by edit distance when near enough to be
 * a likely typo, else NULL. */
const char *cli_nearest(const char *word, const char *const *candidates, int count);

/* The data directory for a context: --data-dir, else NULL (the library
 * then takes $BILAGA_DATA_DIR, else its installed directory) unless this
 * is the uninstalled command in its build directory (the source tree). */
const char *cli_data_dir(const cli_args *args);
bilaga_context *cli_context(const cli_args *args);
/* Prints one diagnostic on stderr; user is the cli_args (or NULL). */
void print_diagnostic(const bilaga_diagnostic *d, void *user);

int cli_render(const cli_args *args);   /* render and validate, one file or a batch */
int cli_validate(const cli_args *args);
int cli_templates(const cli_args *args);
int cli_fonts(const cli_args *args);

#endif
