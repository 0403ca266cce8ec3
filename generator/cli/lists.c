/* lists.c - bilaga templates and bilaga fonts: what a render can use. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/i18n.h"

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int no_operands(const cli_args *args) {
  if (args->input_count == 0) return 1;
  fprintf(stderr, _("bilaga: %s takes no files (got \"%s\")\nusage: bilaga %s [--data-dir DIR]\n"),
          cli_command_name(args->command), args->inputs[0], cli_command_name(args->command));
  return 0;
}

/* One line per templates/NAME.xml of the data directory, in name order:
 * the name -t takes, the path, the template's description. Each is loaded
 * (so a broken one says why, on stderr, and the exit code is 2). */
int cli_templates(const cli_args *args) {
  if (!no_operands(args)) return BILAGA_ERROR_USAGE;
  bilaga_context *ctx = cli_context(args);
  if (!ctx) return BILAGA_ERROR_IO;
  const char *data = bilaga_context_data_dir(ctx);
  size_t dl = strlen(data);
  char *dir_path = malloc(dl + sizeof "/templates");
  if (!dir_path) {
    bilaga_context_free(ctx);
    return BILAGA_ERROR_IO;
  }
  snprintf(dir_path, dl + sizeof "/templates", "%s/templates", data);
  DIR *dir = opendir(dir_path);
  if (!dir) {
    fprintf(stderr, _("%s: error: cannot list the templates (is the data directory right? --data-dir DIR)\n"),
            dir_path);
    free(dir_path);
    bilaga_context_free(ctx);
    return BILAGA_ERROR_IO;
  }
  char **names = NULL;
  int n = 0, cap = 0, status = 0;
  for (struct dirent *e; (e = readdir(dir));) {
    size_t len = strlen(e->d_name);
    if (len <= 4 || strcmp(e->d_name + len - 4, ".xml") != 0 || e->d_name[0] == '.') continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 8;
      char **grown = realloc(names, sizeof *names * (size_t)cap);
      if (!grown) break;
      names = grown;
    }
    names[n] = strndup(e->d_name, len - 4);
    if (names[n]) n++;
  }
  closedir(dir);
  if (n) qsort(names, (size_t)n, sizeof *names, compare_strings);
  int name_width = 0;
  for (int i = 0; i < n; i++)
    if ((int)strlen(names[i]) > name_width) name_width = (int)strlen(names[i]);
  int path_width = (int)(dl + strlen("/templates/.xml")) + name_width;
  for (int i = 0; i < n; i++) {
    bilaga_template *tpl = NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.xml", dir_path, names[i]);
    bilaga_status st = bilaga_template_load(ctx, names[i], &tpl);
    const char *description = tpl ? bilaga_template_description(tpl) : "(cannot be used: see above)";
    printf("%-*s  %-*s  %s\n", name_width, names[i], path_width, path, description);
    if (st != BILAGA_OK && (int)st > status) status = (int)st;
    bilaga_template_free(tpl);
    free(names[i]);
  }
  free(names);
  free(dir_path);
  bilaga_context_free(ctx);
  return status;
}

static void print_family(const char *family, int bundled, void *user) {
  (void)user;
  printf("%-32s %s\n", family, bundled ? "bundled" : "system");
}

/* The families a template's family= and fallback= can name. */
int cli_fonts(const cli_args *args) {
  if (!no_operands(args)) return BILAGA_ERROR_USAGE;
  bilaga_context *ctx = cli_context(args);
  if (!ctx) return BILAGA_ERROR_IO;
  int n = bilaga_context_font_families(ctx, print_family, NULL);
  bilaga_context_free(ctx);
  if (n == 0) {
    fputs(_("bilaga: no usable font family (is the data directory right? --data-dir DIR)\n"), stderr);
    return BILAGA_ERROR_IO;
  }
  return 0;
}
