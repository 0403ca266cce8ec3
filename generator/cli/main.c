/* main.c - the bilaga command: a thin client of libbilaga. Commands and
 * their options are in options.c, rendering (one file or a batch) in
 * batch.c, the listings in lists.c. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/diag_print.h"
#include "util/i18n.h"

/* user: the command's cli_args (NULL before they exist), whose printer
 * follows --diagnostics (diag_print.c). */
void print_diagnostic(const bilaga_diagnostic *d, void *user) {
  const cli_args *args = user;
  if (args && args->printer) {
    diag_printer_print(d, args->printer);
    return;
  }
  diag_printer plain = {.out = stderr};
  diag_printer_print(d, &plain);
  diag_printer_free(&plain);
}

/* The uninstalled command (the one in its meson build directory) reads
 * the source tree's data; an installed one never looks at the source
 * tree. Decided by where the running executable is, not by the cwd. */
static int uninstalled(void) {
#ifdef BILAGA_BUILD_ROOT
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return 0;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (!slash) return 0;
  *slash = '\0';
  struct stat a, b; /* the same directory, however it is spelled */
  return stat(exe, &a) == 0 && stat(BILAGA_BUILD_ROOT, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
#else
  return 0;
#endif
}

const char *cli_data_dir(const cli_args *args) {
  if (args->value[OPT_DATA_DIR]) return args->value[OPT_DATA_DIR];
  const char *env = getenv("BILAGA_DATA_DIR");
  if (env && *env) return NULL; /* the library reads it */
  return uninstalled() ? BILAGA_DATA_DIR : NULL;
}

bilaga_context *cli_context(const cli_args *args) {
  bilaga_context *ctx = bilaga_context_new(cli_data_dir(args));
  if (!ctx) {
    fputs(_("bilaga: cannot set up (out of memory?)\n"), stderr);
    return NULL;
  }
  bilaga_context_set_diagnostic_sink(ctx, print_diagnostic, (void *)args);
  return ctx;
}

static int unknown_command(const char *word) {
  const char *names[CMD_COUNT];
  for (int i = 0; i < CMD_COUNT; i++) names[i] = cli_command_name((cli_command)i);
  const char *near = cli_nearest(word, names, CMD_COUNT);
  if (word[0] == '-')
    fprintf(stderr, _("bilaga: unknown option %s\n"), word);
  else if (near)
    fprintf(stderr, _("bilaga: unknown command \"%s\"; did you mean \"%s\"?\n"), word, near);
  else
    fprintf(stderr, _("bilaga: unknown command \"%s\"\n"), word);
  fputs(_("usage: bilaga COMMAND [ARGS]  (bilaga --help lists the commands)\n"), stderr);
  return BILAGA_ERROR_USAGE;
}

static int help(const cli_args *args) {
  if (args->input_count == 0) {
    cli_usage_all(stdout);
    return 0;
  }
  int c = cli_command_lookup(args->inputs[0]);
  if (c < 0 || args->input_count > 1) return unknown_command(args->inputs[0]);
  cli_usage(stdout, (cli_command)c);
  return 0;
}

int main(int argc, char **argv) {
  diag_printer printer;
  diag_printer_init(&printer); /* messages in the environment's language */
  i18n_init();                 /* usage errors come before any context binds the domain */
  if (argc < 2) {
    cli_usage_all(stderr);
    return BILAGA_ERROR_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    cli_usage_all(stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("bilaga %s\n", bilaga_version());
    return 0;
  }
  int command = cli_command_lookup(argv[1]);
  if (command < 0) return unknown_command(argv[1]);
  cli_args args;
  if (!cli_parse((cli_command)command, argc, argv, 2, &args) ||
      !diag_printer_format(&printer, args.value[OPT_DIAGNOSTICS])) {
    free(args.inputs);
    return BILAGA_ERROR_USAGE;
  }
  args.printer = &printer;
  int status = BILAGA_ERROR_USAGE;
  if (args.value[OPT_HELP]) {
    cli_usage(stdout, (cli_command)command);
    status = 0;
  } else {
    switch ((cli_command)command) {
      case CMD_RENDER: status = cli_render(&args); break;
      case CMD_VALIDATE: status = cli_validate(&args); break;
      case CMD_TEMPLATES: status = cli_templates(&args); break;
      case CMD_FONTS: status = cli_fonts(&args); break;
      case CMD_HELP: status = help(&args); break;
      case CMD_COUNT: break;
    }
  }
  free(args.inputs);
  diag_printer_free(&printer);
  return status;
}
