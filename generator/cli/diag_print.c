/* diag_print.c - printing diagnostics for people or as JSON lines
 * (diag_print.h). */
#include "cli/diag_print.h"

#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define _(s) dgettext("bilaga", s)

/* Source lines longer than this are not shown (a generated 10 MB line). */
enum { MAX_SHOWN_LINE = 400, MAX_SOURCE = 64 * 1024 * 1024 };

void diag_printer_init(diag_printer *p) {
  memset(p, 0, sizeof *p);
  p->out = stderr;
  /* only messages: numbers in the PDF never depend on the locale */
  setlocale(LC_MESSAGES, "");
}

int diag_printer_format(diag_printer *p, const char *value) {
  if (!value || strcmp(value, "human") == 0)
    p->json = 0;
  else if (strcmp(value, "json") == 0)
    p->json = 1;
  else {
    fprintf(stderr, _("bilaga: --diagnostics takes json or human, not \"%s\"\n"), value);
    return 0;
  }
  return 1;
}

void diag_printer_free(diag_printer *p) {
  free(p->file);
  free(p->text);
  p->file = p->text = NULL;
}

static void json_string(FILE *f, const char *s) {
  if (!s) {
    fputs("null", f);
    return;
  }
  fputc('"', f);
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    if (*c == '"' || *c == '\\')
      fprintf(f, "\\%c", *c);
    else if (*c == '\n')
      fputs("\\n", f);
    else if (*c == '\t')
      fputs("\\t", f);
    else if (*c < 0x20 || *c == 0x7f)
      fprintf(f, "\\u%04x", *c);
    else
      fputc(*c, f);
  }
  fputc('"', f);
}

static const char *severity_name(bilaga_severity s) {
  switch (s) {
    case BILAGA_SEVERITY_ERROR:
      return "error";
    case BILAGA_SEVERITY_WARNING:
      return "warning";
    case BILAGA_SEVERITY_NOTE:
      return "note";
  }
  return "note";
}

static void print_json(FILE *f, const bilaga_diagnostic *d) {
  fputs("{\"severity\":", f);
  json_string(f, severity_name(d->severity));
  fputs(",\"file\":", f);
  json_string(f, d->file);
  fprintf(f, ",\"line\":%d,\"column\":%d,\"end_line\":%d,\"end_column\":%d,\"code\":", d->line, d->column,
          d->end_line, d->end_column);
  json_string(f, d->code);
  fputs(",\"message\":", f);
  json_string(f, d->message);
  fputs(",\"hint\":", f);
  json_string(f, d->hint);
  fputs("}\n", f);
}

/* The file's bytes, read once for all its diagnostics; NULL when it cannot
 * be read again (standard input, a FIFO, a file that went away). */
static const char *source(diag_printer *p, const char *file, size_t *length) {
  if (p->file && strcmp(p->file, file) == 0) {
    *length = p->length;
    return p->text;
  }
  diag_printer_free(p);
  p->file = strdup(file);
  struct stat st;
  FILE *f = strcmp(file, "-") != 0 && stat(file, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < MAX_SOURCE
                ? fopen(file, "rb")
                : NULL;
  if (f) {
    p->text = malloc((size_t)st.st_size + 1);
    p->length = p->text ? fread(p->text, 1, (size_t)st.st_size, f) : 0;
    if (p->text) p->text[p->length] = '\0';
    fclose(f);
  }
  *length = p->length;
  return p->text;
}

/* "  9 | <line>" and a caret line under columns [column, end) of it. */
static void print_excerpt(diag_printer *p, const bilaga_diagnostic *d) {
  size_t n;
  const char *text = source(p, d->file, &n);
  if (!text || d->line < 1) return;
  const char *line = text, *end = text + n;
  for (int l = 1; l < d->line && line < end; l++) {
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    line = nl ? nl + 1 : end;
  }
  if (line >= end) return;
  const char *stop = memchr(line, '\n', (size_t)(end - line));
  if (!stop) stop = end;
  if (stop > line && stop[-1] == '\r') stop--;
  if (stop - line > MAX_SHOWN_LINE) return;
  int width = snprintf(NULL, 0, "%d", d->line);
  fprintf(p->out, " %*s |\n %d | %.*s\n %*s | ", width, "", d->line, (int)(stop - line), line, width, "");
  int column = 1, last = d->end_line == d->line && d->end_column > d->column ? d->end_column : d->column + 1;
  for (const char *c = line; c < stop && column < last; c++) {
    if (((unsigned char)*c & 0xC0) == 0x80) continue; /* columns count characters */
    if (column >= d->column)
      fputc(column == d->column ? '^' : '~', p->out);
    else
      fputc(*c == '\t' ? '\t' : ' ', p->out);
    column++;
  }
  if (column <= d->column) fputc('^', p->out); /* at the end of the line */
  fputc('\n', p->out);
}

void diag_printer_print(const bilaga_diagnostic *d, void *user) {
  diag_printer *p = user;
  if (p->json) {
    print_json(p->out, d);
    fflush(p->out);
    return;
  }
  /* the first line is file:line:col: severity: message in any language
   * (editors' problem matchers read it): the severity stays English */
  if (d->line > 0)
    fprintf(p->out, "%s:%d:%d: %s: %s\n", d->file, d->line, d->column > 0 ? d->column : 1,
            severity_name(d->severity), d->message);
  else
    fprintf(p->out, "%s: %s: %s\n", d->file, severity_name(d->severity), d->message);
  print_excerpt(p, d);
  if (d->hint) fprintf(p->out, " = %s: %s\n", _("hint"), d->hint);
}
