/* pdf_input.c - from the document model to what the PDF stage takes. */
#include "pdf_input.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

static int check_text(const document_model *d, diag_sink *sink, const char *what, const char *text, int line,
                      int column) {
  if (!text) return 1;
  size_t units = pdf_text_units(text);
  if (units <= PDF_MAX_TEXT_UNITS) return 1;
  diag_error(sink, d->file, line, column,
             _("%s is too long for PDF: %zu characters (UTF-16 units), at most %d fit in a PDF string"), what,
             units, PDF_MAX_TEXT_UNITS);
  return 0;
}

static int check_ascii(const document_model *d, diag_sink *sink, const char *what, const char *text, int line,
                       int column) {
  if (!text || strlen(text) <= PDF_MAX_STRING_BYTES) return 1;
  diag_error(sink, d->file, line, column,
             _("%s is too long for PDF: %zu characters, at most %d fit in a PDF string"), what, strlen(text),
             PDF_MAX_STRING_BYTES);
  return 0;
}

static const node *next_node(const node *n) {
  if (n->first) return n->first;
  while (n && !n->next) n = n->parent;
  return n ? n->next : NULL;
}

int pdf_input_check(const document_model *d, diag_sink *sink) {
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
    ok &= check_text(d, sink, _("<board> (the author)"), d->meta[META_BOARD], d->meta_line[META_BOARD],
                     d->meta_column[META_BOARD]);
  /* the document's language: <language>, else xml:lang on <report> */
  ok &= check_ascii(d, sink, d->meta[META_LANGUAGE] ? "<language>" : _("the report's xml:lang"), d->lang,
                    d->meta_line[META_LANGUAGE], d->meta_column[META_LANGUAGE]);
  arena scratch = {0};
  for (const node *n = d->body; n; n = next_node(n)) {
    if (n->lang) ok &= check_ascii(d, sink, _("the xml:lang value"), n->lang, n->line, n->column);
    /* a symbol's /Alt and /ActualText come from the template, whose
     * texts are bounded when it is read (parse/template_symbols.c) */
    if (n->kind == NODE_HEADING) {
      /* the bookmark: a section number (five levels of at most 7 digits,
       * their periods: 40 characters) and a space before the text */
      enum { NUMBER_ROOM = 41 };
      char *text = model_plain_text(&scratch, n);
      size_t units = text ? pdf_text_units(text) : 0;
      if (units + NUMBER_ROOM > PDF_MAX_TEXT_UNITS) {
        diag_error(
            sink, d->file, n->line, n->column,
            _("the heading is too long for a PDF bookmark: %zu characters (UTF-16 units), at most %d fit"),
            units, PDF_MAX_TEXT_UNITS - NUMBER_ROOM);
        ok = 0;
      }
      arena_free(&scratch);
    }
  }
  return ok;
}

typedef struct seed_buf {
  unsigned char *data;
  size_t length, capacity;
  int failed;
} seed_buf;

static void seed_put(seed_buf *b, const void *bytes, size_t n) {
  if (b->failed || n == 0) return;
  if (b->length + n > b->capacity) {
    size_t cap = b->capacity ? b->capacity : 4096;
    while (cap < b->length + n) cap *= 2;
    unsigned char *d = realloc(b->data, cap);
    if (!d) {
      b->failed = 1;
      return;
    }
    b->data = d, b->capacity = cap;
  }
  memcpy(b->data + b->length, bytes, n);
  b->length += n;
}

int pdf_input_info(const document_model *d, long long date_epoch, pdf_document_info *info, unsigned char **seed) {
  const char *const *m = d->meta;
  *info = (pdf_document_info){
      .file = d->file,
      .title = m[META_TITLE],
      .author = m[META_AUTHOR] ? m[META_AUTHOR] : m[META_BOARD],
      .subject = m[META_SUBJECT],
      .keywords = m[META_KEYWORDS],
      .lang = d->lang,
      .diary_number = m[META_DIARY_NUMBER],
      .attachment = m[META_BILAGA],
      .board = m[META_BOARD],
      .period = m[META_PERIOD],
      .date_epoch = date_epoch,
  };
  /* the content: every metadata field (with its end), then each node's
   * kind and text in document order */
  seed_buf b = {0};
  for (int i = 0; i < META_FIELD_COUNT; i++) seed_put(&b, m[i] ? m[i] : "", (m[i] ? strlen(m[i]) : 0) + 1);
  for (const node *n = d->body; n; n = next_node(n)) {
    unsigned char kind = (unsigned char)n->kind;
    seed_put(&b, &kind, 1);
    if (n->text) seed_put(&b, n->text, n->length);
  }
  if (b.failed) {
    free(b.data);
    *seed = NULL;
    return 0;
  }
  *seed = b.data;
  info->id_seed = b.data;
  info->id_seed_length = b.length;
  return 1;
}
