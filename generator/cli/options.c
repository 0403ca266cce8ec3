/* options.c - the option table and its parser: short (-o OUT, -oOUT) and
 * long (--output OUT, --output=OUT) forms, "--" ends the options, "-" is
 * an operand (standard input). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/i18n.h"

enum {
  R = 1u << CMD_RENDER,
  V = 1u << CMD_VALIDATE,
  T = 1u << CMD_TEMPLATES,
  F = 1u << CMD_FONTS,
  ALL = (1u << CMD_COUNT) - 1
};

const cli_option cli_options[OPT_COUNT] = {
    [OPT_TEMPLATE] = {'t', "template", "TEMPLATE", R,
                      N_("template name (bilaga templates lists them) or path; default: default")},
    [OPT_OUTPUT] = {'o', "output", "OUT.pdf", R, N_("the PDF (one input only); default IN.pdf; '-': stdout")},
    [OPT_OUTPUT_DIR] = {'d', "output-dir", "DIR", R, N_("write each IN.xml as DIR/IN.pdf (made if missing)")},
    [OPT_PDF] =
        {0, "pdf", "CLAIM", R,
         N_("what the PDF claims: a-1b (default), a-1a, a-2a, a-2u or none, each with +ua-1 if wanted; "
            "ua-1; untagged")},
    [OPT_NO_PDFA] = {0, "no-pdfa", NULL, R, N_("--pdf=none: no PDF/A claim, still tagged")},
    [OPT_STRICT] = {0, "strict", NULL, R, N_("a warning (a character no font has) is an error: no output")},
    [OPT_PNG] = {0, "png", "DIR", R, N_("also write page images DIR/IN-001.png ... (made if missing)")},
    [OPT_DPI] = {0, "dpi", "N", R, N_("resolution of the page images; default 96")},
    [OPT_PAGES] = {0, "pages", "A-B", R, N_("page images of these pages only: 3, 1-3, 2- or --pages=-4")},
    [OPT_JOBS] = {'j', "jobs", "N", R, N_("render N files at once (0: one per processor); default 1")},
    [OPT_DATA_DIR] =
        {0, "data-dir", "DIR", R | V | T | F,
         N_("schemas, templates and fonts from DIR (else $BILAGA_DATA_DIR, else the installed ones)")},
    [OPT_DIAGNOSTICS] = {0, "diagnostics", "FORMAT", R | V,
                         N_("how problems are printed: human (default) or json, one object a line "
                            "(docs/diagnostics.md)")},
    [OPT_HELP] = {'h', "help", NULL, ALL, N_("this help")},
};

static const char *const command_names[CMD_COUNT] = {
    [CMD_RENDER] = "render", [CMD_VALIDATE] = "validate", [CMD_TEMPLATES] = "templates",
    [CMD_FONTS] = "fonts",   [CMD_HELP] = "help",
};

static const char *const synopsis[CMD_COUNT] = {
    [CMD_RENDER] = "render IN.xml... [OPTIONS]",
    [CMD_VALIDATE] = "validate IN.xml... [--data-dir DIR] [--diagnostics=json]",
    [CMD_TEMPLATES] = "templates [--data-dir DIR]",
    [CMD_FONTS] = "fonts [--data-dir DIR]",
    [CMD_HELP] = "help [COMMAND]",
};

static const char *const summary[CMD_COUNT] = {
    [CMD_RENDER] = N_("lay out report content with a template and write a PDF (and page images)"),
    [CMD_VALIDATE] = N_("check content against the schema; prints IN.xml: valid on stdout"),
    [CMD_TEMPLATES] = N_("list the bundled templates: name, path, description"),
    [CMD_FONTS] = N_("list the font families a template can name"),
    [CMD_HELP] = N_("show the help of a command"),
};

const char *cli_command_name(cli_command command) { return command_names[command]; }

int cli_command_lookup(const char *name) {
  for (int i = 0; i < CMD_COUNT; i++)
    if (strcmp(name, command_names[i]) == 0) return i;
  return -1;
}

static void print_option(FILE *out, const cli_option *o) {
  char left[64];
  if (o->short_name)
    snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->long_name, o->value_name ? " " : "",
             o->value_name ? o->value_name : "");
  else
    snprintf(left, sizeof left, "    --%s%s%s", o->long_name, o->value_name ? " " : "",
             o->value_name ? o->value_name : "");
  fprintf(out, "  %-26s %s\n", left, _(o->help));
}

void cli_usage(FILE *out, cli_command command) {
  fprintf(out, _("usage: bilaga %s\n\n%s.\n"), synopsis[command], _(summary[command]));
  if (command == CMD_RENDER)
    fputs(_("Several inputs (or -d) make a batch: each file is rendered even when another\n"
            "fails; a summary follows, and the exit code is the worst of the files'.\n"),
          out);
  fputs("\n", out);
  for (int i = 0; i < OPT_COUNT; i++)
    if (cli_options[i].commands & (1u << command)) print_option(out, &cli_options[i]);
  fputs(_("\nexit codes: 0 ok, 1 usage, 2 invalid input (content, template, font),\n"
          "            3 I/O or internal failure\n"),
        out);
}

void cli_usage_all(FILE *out) {
  fputs(_("usage: bilaga COMMAND [ARGS]\n       bilaga --help | --version\n\ncommands:\n"), out);
  for (int i = 0; i < CMD_COUNT; i++) fprintf(out, "  %-10s %s\n", command_names[i], _(summary[i]));
  fputs(_("\n'bilaga help COMMAND' or 'bilaga COMMAND --help' shows a command's options.\n"
          "exit codes: 0 ok, 1 usage, 2 invalid input (content, template, font),\n"
          "            3 I/O or internal failure\n"),
        out);
}

/* Damerau-free Levenshtein distance, short words only. */
static int distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 63 || lb > 63) return 99;
  int row[64];
  for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
  for (size_t i = 1; i <= la; i++) {
    int diag = row[0];
    row[0] = (int)i;
    for (size_t j = 1; j <= lb; j++) {
      int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      diag = up;
      row[j] = best;
    }
  }
  return row[lb];
}

const char *cli_nearest(const char *word, const char *const *candidates, int count) {
  const char *best = NULL;
  int best_d = 99;
  for (int i = 0; i < count; i++) {
    int d = distance(word, candidates[i]);
    /* a prefix of a long name is a likely typo as well */
    if (strlen(word) >= 3 && strncmp(word, candidates[i], strlen(word)) == 0) d = 1;
    if (d < best_d) best_d = d, best = candidates[i];
  }
  size_t len = strlen(word);
  return best && best_d <= (len <= 4 ? 1 : len <= 8 ? 2 : 3) ? best : NULL;
}

static void usage_error(cli_command command, const char *fmt, const char *a, const char *b) {
  fputs("bilaga: ", stderr);
  fprintf(stderr, fmt, a, b);
  fprintf(stderr, _("\nusage: bilaga %s  (bilaga %s --help for more)\n"), synopsis[command],
          command_names[command]);
}

static int take(cli_args *args, cli_option_id id, const char *value) {
  args->value[id] = value;
  return 1;
}

int cli_parse(cli_command command, int argc, char **argv, int first, cli_args *args) {
  memset(args->value, 0, sizeof args->value);
  args->command = command;
  args->input_count = 0;
  args->inputs = calloc((size_t)argc + 1, sizeof *args->inputs);
  if (!args->inputs) return 0;
  int options_done = 0;
  for (int i = first; i < argc; i++) {
    const char *a = argv[i];
    if (options_done || a[0] != '-' || a[1] == '\0') {
      args->inputs[args->input_count++] = a;
      continue;
    }
    if (strcmp(a, "--") == 0) {
      options_done = 1;
      continue;
    }
    int id = -1;
    const char *inline_value = NULL;
    char spelled[64];
    if (a[1] == '-') {
      const char *eq = strchr(a + 2, '=');
      size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
      for (int k = 0; k < OPT_COUNT && id < 0; k++)
        if (strlen(cli_options[k].long_name) == n && strncmp(a + 2, cli_options[k].long_name, n) == 0) id = k;
      if (eq) inline_value = eq + 1;
      snprintf(spelled, sizeof spelled, "--%.*s", (int)(n < 40 ? n : 40), a + 2);
    } else {
      for (int k = 0; k < OPT_COUNT && id < 0; k++)
        if (cli_options[k].short_name == a[1]) id = k;
      if (a[2]) inline_value = a + 2;
      snprintf(spelled, sizeof spelled, "-%c", a[1]);
    }
    if (id < 0 || !(cli_options[id].commands & (1u << command))) {
      const char *names[OPT_COUNT];
      int n = 0;
      for (int k = 0; k < OPT_COUNT; k++)
        if (cli_options[k].commands & (1u << command)) names[n++] = cli_options[k].long_name;
      const char *word = a[1] == '-' ? spelled + 2 : spelled + 1;
      const char *near = a[1] == '-' ? cli_nearest(word, names, n) : NULL;
      if (id >= 0)
        usage_error(command, _("%s does not take %s"), command_names[command], spelled);
      else if (near)
        usage_error(command, _("unknown option %s; did you mean --%s?"), spelled, near);
      else
        usage_error(command, _("unknown option %s%s"), spelled, "");
      return 0;
    }
    const cli_option *o = &cli_options[id];
    if (!o->value_name) {
      if (inline_value) {
        usage_error(command, _("%s takes no value"), spelled, "");
        return 0;
      }
      take(args, id, "");
      continue;
    }
    if (!inline_value) {
      /* the next word is the value, unless there is none or it is an option */
      if (i + 1 >= argc || (argv[i + 1][0] == '-' && argv[i + 1][1] != '\0')) {
        usage_error(command, _("%s needs a value (%s)"), spelled, o->value_name);
        return 0;
      }
      inline_value = argv[++i];
    }
    if (!*inline_value) {
      usage_error(command, _("%s needs a value (%s), not an empty one"), spelled, o->value_name);
      return 0;
    }
    if (args->value[id]) {
      usage_error(command, _("%s given twice"), spelled, "");
      return 0;
    }
    take(args, id, inline_value);
  }
  return 1;
}
