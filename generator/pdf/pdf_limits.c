/* pdf_limits.c - what PDF/A and libharu cannot hold, and failures: the
 * checks of string lengths before writing begins, and the record of a
 * libharu call that failed, reported once with what was being written. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pdf/pdf_internal.h"
#include "util/arena.h"
#include "util/utf8.h"

void pdf_fail(pdf_writer *w, HPDF_STATUS status, const char *what, ...) {
  if (!w->error) w->error = status ? status : HPDF_INVALID_OBJECT;
  if (w->failure[0]) return; /* the first failure is the cause */
  va_list ap;
  va_start(ap, what);
  vsnprintf(w->failure, sizeof w->failure, what, ap);
  va_end(ap);
}

int pdf_ok(pdf_writer *w, HPDF_STATUS status, const char *what) {
  if (status == HPDF_OK) return 1;
  pdf_fail(w, status, "%s", what);
  return 0;
}

bilaga_status pdf_writer_report(pdf_writer *w) {
  if (w->input_refused) return BILAGA_ERROR_INPUT;
  if (!w->error) return BILAGA_OK;
  diag_error(w->sink, w->doc->file, 0, 0, "writing the PDF failed: %s (libharu status 0x%04X, detail %u)",
             w->failure[0] ? w->failure : "libharu reported an error", (unsigned)w->error,
             (unsigned)w->error_detail);
  return BILAGA_ERROR_IO;
}

/* UTF-16 code units of a UTF-8 string. */
static size_t utf16_units(const char *s) {
  size_t len = strlen(s), units = 0;
  for (size_t i = 0; i < len;) {
    int n;
    uint32_t cp = utf8_decode(s + i, len - i, &n);
    i += (size_t)(n > 0 ? n : 1);
    units += cp >= 0x10000 ? 2 : 1;
  }
  return units;
}

/* A text string is UTF-16BE with a byte order mark. */
enum { MAX_TEXT_UNITS = (PDF_MAX_STRING_BYTES - 2) / 2 };

static int check_text(const document_model *d, diag_sink *sink, const char *what, const char *text, int line,
                      int column) {
  if (!text) return 1;
  size_t units = utf16_units(text);
  if (units <= MAX_TEXT_UNITS) return 1;
  diag_error(sink, d->file, line, column,
             "%s is too long for PDF: %zu characters (UTF-16 units), at most %d fit in a PDF string", what,
             units, MAX_TEXT_UNITS);
  return 0;
}

static int check_ascii(const document_model *d, diag_sink *sink, const char *what, const char *text, int line,
                       int column) {
  if (!text || strlen(text) <= PDF_MAX_STRING_BYTES) return 1;
  diag_error(sink, d->file, line, column,
             "%s is too long for PDF: %zu characters, at most %d fit in a PDF string", what, strlen(text),
             PDF_MAX_STRING_BYTES);
  return 0;
}

int pdf_check_document(const document_model *d, diag_sink *sink) {
  int ok = 1;
  /* the fields the information dictionary holds; the board only as the author */
  static const struct {
    meta_field field;
    const char *name;
  } texts[] = {{META_TITLE, "<title>"},
               {META_AUTHOR, "<author>"},
               {META_SUBJECT, "<subject>"},
               {META_KEYWORDS, "<keywords>"}};
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    meta_field f = texts[i].field;
    ok &= check_text(d, sink, texts[i].name, d->meta[f], d->meta_line[f], d->meta_column[f]);
  }
  if (!d->meta[META_AUTHOR])
    ok &= check_text(d, sink, "<board> (the author)", d->meta[META_BOARD], d->meta_line[META_BOARD],
                     d->meta_column[META_BOARD]);
  /* the document's language: <language>, else xml:lang on <report> */
  ok &= check_ascii(d, sink, d->meta[META_LANGUAGE] ? "<language>" : "the report's xml:lang", d->lang,
                    d->meta_line[META_LANGUAGE], d->meta_column[META_LANGUAGE]);
  arena scratch = {0};
  for (const node *n = d->body; n;) {
    if (n->lang) ok &= check_ascii(d, sink, "the xml:lang value", n->lang, n->line, n->column);
    /* a symbol's /Alt and /ActualText come from the template, whose
     * texts are bounded when it is read (parse/template_symbols.c) */
    if (n->kind == NODE_HEADING) {
      /* the bookmark: a section number (at most 11 characters) and a space before the text */
      char *text = model_plain_text(&scratch, n);
      size_t units = text ? utf16_units(text) : 0;
      if (units + 12 > MAX_TEXT_UNITS) {
        diag_error(
            sink, d->file, n->line, n->column,
            "the heading is too long for a PDF bookmark: %zu characters (UTF-16 units), at most %d fit",
            units, MAX_TEXT_UNITS - 12);
        ok = 0;
      }
      arena_free(&scratch);
    }
    if (n->first)
      n = n->first;
    else {
      while (n && !n->next) n = n->parent;
      if (n) n = n->next;
    }
  }
  return ok;
}
