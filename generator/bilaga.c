/* bilaga.c - the public API: the whole pipeline in a few calls.
 *   parse (content, template) -> model -> layout -> display lists -> PDF. */
#include "bilaga.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlschemastypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "layout/layout.h"
#include "model/expand.h"
#include "parse/parse.h"
#include "pdf/pdf_writer.h"
#include "text/fontset.h"
#include "text/hyphen.h"
#include "util/output_file.h"

enum { MAX_INPUT_BYTES = 64 * 1024 * 1024, MAX_HYPHENATORS = 4 };

struct bilaga_context {
  char *data_dir;
  diag_sink sink;
  xml_schema *content_schema, *template_schema;
  fontset *fonts;
  struct {
    char lang[16];
    hyphenator *h;
  } hyphenators[MAX_HYPHENATORS];
  int hyphenator_count;
};

struct bilaga_document {
  document_model *model;
  file_identity source; /* the file it was read from, which no output may replace */
  long long date_epoch; /* its <date>, checked at load; PDF_NO_DATE without one */
};

struct bilaga_template {
  template_model *model;
  file_identity source;
  const bilaga_context *owner; /* its styles' faces index the owner's fontset */
};

const char *bilaga_version(void) { return BILAGA_VERSION; }

static char *path_join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s/%s", a, b);
  return s;
}

/* libxml2 2.9's process-wide set-up is not safe to race: xmlInitParser
 * checks its flag outside its lock, and the Relax NG type libraries and
 * the XML Schema datatypes they use (not part of xmlInitParser there,
 * otherwise set up lazily by the first validation) have no lock at all:
 * two threads' first validations each built the datatype table and one
 * leaked. Done once, before any context can parse. */
static void init_libxml2(void) {
  xmlInitParser();
  xmlSchemaInitTypes();
  xmlRelaxNGInitTypes();
}

bilaga_context *bilaga_context_new(const char *data_dir) {
  static pthread_once_t libxml2_once = PTHREAD_ONCE_INIT;
  pthread_once(&libxml2_once, init_libxml2);
  bilaga_context *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  const char *dir = data_dir ? data_dir : getenv("BILAGA_DATA_DIR");
  c->data_dir = strdup(dir && *dir ? dir : BILAGA_DATA_DIR);
  char *fonts = c->data_dir ? path_join(c->data_dir, "fonts") : NULL;
  c->fonts = fonts ? fontset_new(fonts) : NULL;
  free(fonts);
  if (!c->data_dir || !c->fonts) {
    bilaga_context_free(c);
    return NULL;
  }
  return c;
}

void bilaga_context_free(bilaga_context *c) {
  if (!c) return;
  parse_schema_free(c->content_schema);
  parse_schema_free(c->template_schema);
  fontset_free(c->fonts);
  for (int i = 0; i < c->hyphenator_count; i++) hyphenator_free(c->hyphenators[i].h);
  free(c->data_dir);
  free(c);
}

void bilaga_context_set_diagnostic_sink(bilaga_context *c, bilaga_diagnostic_fn fn, void *user) {
  c->sink.fn = fn;
  c->sink.user = user;
}

int bilaga_context_error_count(const bilaga_context *c) { return c->sink.errors; }

/* Every call that takes a context counts its own errors (a call made by
 * another public call starts before anything was reported). */
static void begin_call(bilaga_context *c) {
  c->sink.errors = 0;
}

/* Schemas are compiled once per context, on first use. */
static xml_schema *schema(bilaga_context *c, xml_schema **slot, const char *file) {
  if (!*slot) {
    char *path = path_join(c->data_dir, file);
    if (path) *slot = parse_schema_load(path, &c->sink);
    free(path);
  }
  return *slot;
}

static int content_epoch(diag_sink *sink, const document_model *d, long long *epoch);

bilaga_status bilaga_document_load_memory(bilaga_context *c, const char *bytes, size_t length,
                                          const char *name, bilaga_document **out) {
  begin_call(c);
  *out = NULL;
  xml_schema *s = schema(c, &c->content_schema, "templates/content.rng");
  if (!s) return BILAGA_ERROR_IO;
  document_model *m = parse_content(bytes, length, name, s, &c->sink);
  if (!m) return BILAGA_ERROR_INPUT;
  /* what PDF cannot hold is refused here, so that validate says so too */
  long long epoch = PDF_NO_DATE;
  int ok = pdf_check_document(m, &c->sink);
  if (m->meta[META_DATE]) ok &= content_epoch(&c->sink, m, &epoch);
  if (!ok) {
    model_free(m);
    return BILAGA_ERROR_INPUT;
  }
  bilaga_document *d = malloc(sizeof *d);
  if (!d) {
    model_free(m);
    return BILAGA_ERROR_IO;
  }
  d->model = m;
  d->source = (file_identity){0, 0, 0};
  d->date_epoch = epoch;
  *out = d;
  return BILAGA_OK;
}

bilaga_status bilaga_document_load_file(bilaga_context *c, const char *path, bilaga_document **out) {
  begin_call(c);
  *out = NULL;
  size_t len;
  char *bytes = parse_read_file(path, MAX_INPUT_BYTES, &len, &c->sink);
  if (!bytes) return BILAGA_ERROR_IO;
  int is_stdin = strcmp(path, "-") == 0;
  bilaga_status st = bilaga_document_load_memory(c, bytes, len, is_stdin ? "<stdin>" : path, out);
  free(bytes);
  if (*out) (*out)->source = is_stdin ? file_identity_of_fd(STDIN_FILENO) : file_identity_of_path(path);
  return st;
}

void bilaga_document_free(bilaga_document *d) {
  if (!d) return;
  model_free(d->model);
  free(d);
}

const char *bilaga_document_meta(const bilaga_document *d, const char *field) {
  int i = meta_field_lookup(field, strlen(field));
  return i < 0 ? NULL : d->model->meta[i];
}

static int resolve_fonts(bilaga_context *c, template_model *t) {
  if (!fontset_check_bundled(c->fonts, &c->sink)) return 0;
  /* fallbacks first, so a missing one is reported at <fonts>, not at the
   * first style that happens to need it */
  for (int i = 0; i < t->fallback_count; i++)
    if (fontset_face_at(c->fonts, t->fallback_families[i], 0, 0, NULL, 0, &c->sink, t->file, t->fallback_line,
                        t->fallback_column) < 0)
      return 0;
  for (int i = 0; i < template_style_count(t); i++) {
    text_style *s = template_style(t, i);
    s->face = fontset_face_at(c->fonts, s->family, s->bold, s->italic, t->fallback_families, t->fallback_count,
                              &c->sink, t->file, s->line, s->column);
    if (s->face < 0) return 0;
  }
  return 1;
}

bilaga_status bilaga_template_load(bilaga_context *c, const char *name_or_path, bilaga_template **out) {
  begin_call(c);
  *out = NULL;
  size_t nl = strlen(name_or_path);
  int is_path = strchr(name_or_path, '/') || (nl > 4 && strcmp(name_or_path + nl - 4, ".xml") == 0);
  char *path;
  if (is_path) {
    path = strdup(name_or_path);
  } else {
    size_t n = strlen("templates/.xml") + nl + 1;
    char *file = malloc(n);
    if (file) snprintf(file, n, "templates/%s.xml", name_or_path);
    path = file ? path_join(c->data_dir, file) : NULL;
    free(file);
  }
  if (!path) return BILAGA_ERROR_IO;
  struct stat st;
  if (!is_path && stat(path, &st) != 0) {
    diag_error(&c->sink, name_or_path, 0, 0, "unknown template \"%s\" (no %s)", name_or_path, path);
    free(path);
    return BILAGA_ERROR_INPUT;
  }
  xml_schema *s = schema(c, &c->template_schema, "templates/template.rng");
  size_t len;
  /* a template is a file: a FIFO or device must not block the render */
  char *bytes = s ? parse_read_regular_file(path, MAX_INPUT_BYTES, &len, &c->sink) : NULL;
  if (!bytes) {
    free(path);
    return BILAGA_ERROR_IO; /* like a content file that cannot be read */
  }
  template_model *t = parse_template(bytes, len, path, s, &c->sink);
  file_identity source = file_identity_of_path(path);
  free(bytes);
  free(path);
  if (!t) return BILAGA_ERROR_INPUT;
  if (!resolve_fonts(c, t)) {
    template_free(t);
    return BILAGA_ERROR_INPUT;
  }
  bilaga_template *bt = malloc(sizeof *bt);
  if (!bt) {
    template_free(t);
    return BILAGA_ERROR_IO;
  }
  bt->model = t;
  bt->source = source;
  bt->owner = c;
  *out = bt;
  return BILAGA_OK;
}

void bilaga_template_free(bilaga_template *t) {
  if (!t) return;
  template_free(t->model);
  free(t);
}

void bilaga_render_options_init(bilaga_render_options *o) {
  o->pdfa = 1;
  o->source_epoch = -1;
}

/* The context keeps the patterns of a few languages; past that, *owned
 * tells the caller to free what it got. */
static hyphenator *hyphenator_for(bilaga_context *c, const char *lang, int *owned) {
  *owned = 0;
  for (int i = 0; i < c->hyphenator_count; i++)
    if (strcmp(c->hyphenators[i].lang, lang) == 0) return c->hyphenators[i].h;
  hyphenator *h = hyphenator_load(lang);
  if (c->hyphenator_count < MAX_HYPHENATORS) {
    snprintf(c->hyphenators[c->hyphenator_count].lang, sizeof c->hyphenators[0].lang, "%s", lang);
    c->hyphenators[c->hyphenator_count++].h = h;
  } else {
    *owned = 1;
  }
  return h;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (timegm is not
 * portable C, and the local time zone must not matter). */
static long long days_from_civil(long long y, int m, int d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* PDF and XMP write years with four digits. */
static const long long EPOCH_MIN = -62135596800LL, /* 0001-01-01T00:00:00Z */
    EPOCH_MAX = 253402300799LL;                    /* 9999-12-31T23:59:59Z */

/* Midnight UTC of an xs:date (the schema has checked its form; a time zone
 * is ignored, the calendar day is what the report is dated), or 0 with a
 * diagnostic at the <date> element (to sink, which may be NULL) when PDF
 * cannot hold it. */
static int content_epoch(diag_sink *sink, const document_model *d, long long *epoch) {
  const char *date = d->meta[META_DATE];
  int line = d->meta_line[META_DATE], column = d->meta_column[META_DATE];
  const char *p = date;
  int negative = *p == '-', digits = 0;
  long long y = 0;
  if (negative) p++;
  for (; *p >= '0' && *p <= '9'; p++, digits++) y = digits < 12 ? y * 10 + (*p - '0') : y;
  int m = 0, day = 0;
  if (sscanf(p, "-%2d-%2d", &m, &day) != 2 || digits < 4) {
    diag_error(sink, d->file, line, column, "<date> \"%s\" is not a date of the form YYYY-MM-DD", date);
    return 0;
  }
  if (negative || digits > 4 || y < 1) {
    diag_error(sink, d->file, line, column,
               "<date> \"%s\" is outside the years 0001-9999 that PDF and XMP dates can hold", date);
    return 0;
  }
  static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
  if (m < 1 || m > 12 || day < 1 || day > month_days[m - 1] || (m == 2 && day == 29 && !leap)) {
    diag_error(sink, d->file, line, column, "<date> \"%s\" is not a day of the calendar", date);
    return 0;
  }
  *epoch = days_from_civil(y, m, day) * 86400;
  if (*epoch < days_from_civil(1582, 10, 15) * 86400)
    diag_warning(sink, d->file, line, column,
                 "<date> \"%s\" is before the Gregorian calendar began (1582-10-15): it is written as ISO 8601 "
                 "asks, but PDFBox Preflight compares such dates in the Julian calendar and reports the PDF/A "
                 "metadata as out of sync",
                 date);
  return 1;
}

/* Dates: the content's own date, else the caller's, else
 * SOURCE_DATE_EPOCH, else none at all (PDF_NO_DATE). The clock is never
 * read, so output is reproducible. 0 after reporting a date PDF cannot
 * hold. */
static int document_epoch(bilaga_context *c, const bilaga_document *doc, const bilaga_render_options *o,
                          long long *epoch) {
  const document_model *d = doc->model;
  *epoch = doc->date_epoch;
  if (*epoch != PDF_NO_DATE) return 1;
  long long v = o->source_epoch;
  const char *env = getenv("SOURCE_DATE_EPOCH");
  if (v < 0 && env && *env) {
    char *end;
    errno = 0;
    v = strtoll(env, &end, 10);
    if (*end != '\0' || errno || v < EPOCH_MIN || v > EPOCH_MAX) {
      diag_error(&c->sink, "SOURCE_DATE_EPOCH", 0, 0,
                 "\"%s\" is not a number of seconds since 1970 within the years 0001-9999", env);
      return 0;
    }
  } else if (v < 0) {
    return 1;
  } else if (v > EPOCH_MAX) {
    diag_error(&c->sink, d->file, 0, 0, "the source date %lld is after 9999-12-31, which PDF cannot hold", v);
    return 0;
  }
  *epoch = v;
  return 1;
}

bilaga_status bilaga_render_memory(bilaga_context *c, const bilaga_document *doc, const bilaga_template *tpl,
                                   const bilaga_render_options *options, unsigned char **bytes,
                                   size_t *length, bilaga_render_result *result) {
  begin_call(c);
  *bytes = NULL;
  *length = 0;
  if (tpl->owner != c) {
    diag_error(&c->sink, tpl->model->file, 0, 0,
               "the template was loaded by another context: load it with the context that renders");
    return BILAGA_ERROR_USAGE;
  }
  bilaga_render_options defaults;
  bilaga_render_options_init(&defaults);
  if (!options) options = &defaults;
  long long epoch;
  if (!document_epoch(c, doc, options, &epoch)) return BILAGA_ERROR_INPUT;
  /* generated parts and domain blocks: a copy of the model, the shared
   * one stays as it is */
  int input_error;
  document_model *model = model_expand(doc->model, tpl->model, &c->sink, &input_error);
  if (!model) {
    if (input_error) return BILAGA_ERROR_INPUT;
    diag_error(&c->sink, doc->model->file, 0, 0, "out of memory expanding the generated parts");
    return BILAGA_ERROR_IO;
  }
  pdf_options popts = {options->pdfa, epoch, c->data_dir};
  pdf_writer *w = pdf_writer_new(c->fonts, model, &popts, &c->sink);
  if (!w) {
    if (model != doc->model) model_free(model);
    return BILAGA_ERROR_IO;
  }
  int owned;
  hyphenator *h = hyphenator_for(c, model->lang, &owned);
  layout_result lr;
  int errors_before = c->sink.errors;
  int ok = layout_run(model, tpl->model, c->fonts, h, &c->sink, pdf_writer_page, w, &lr);
  if (ok) ok = pdf_writer_finish(w, &lr, bytes, length);
  bilaga_status writer_status = ok ? BILAGA_OK : pdf_writer_report(w);
  if (result) {
    result->pages = lr.pages;
    result->layout_passes = lr.passes;
  }
  layout_result_free(&lr);
  pdf_writer_free(w);
  if (model != doc->model) model_free(model);
  if (owned) hyphenator_free(h);
  if (ok) return BILAGA_OK;
  if (writer_status != BILAGA_OK) return writer_status;
  /* layout errors are about the input; anything else is internal */
  if (c->sink.errors > errors_before) return BILAGA_ERROR_INPUT;
  diag_error(&c->sink, doc->model->file, 0, 0, "internal failure while laying out or writing (out of memory?)");
  return BILAGA_ERROR_IO;
}

/* The files a render reads, which its output must never replace. */
static output_guard *output_guards(const bilaga_context *c, const bilaga_document *doc,
                                   const bilaga_template *tpl, int *count) {
  int fonts = fontset_file_count(c->fonts);
  output_guard *g = malloc(sizeof *g * (size_t)(fonts + 2));
  if (!g) return NULL;
  g[0] = (output_guard){doc->source, "content", doc->model->file};
  g[1] = (output_guard){tpl->source, "template", tpl->model->file};
  for (int i = 0; i < fonts; i++) {
    const char *file = fontset_file(c->fonts, i);
    g[2 + i] = (output_guard){file_identity_of_path(file), "font", file};
  }
  *count = fonts + 2;
  return g;
}

/* Checked before layout (so a refused path costs nothing) and again when
 * writing (layout may have loaded more fonts). */
bilaga_status bilaga_render_file(bilaga_context *c, const bilaga_document *doc, const bilaga_template *tpl,
                                 const bilaga_render_options *options, const char *path,
                                 bilaga_render_result *result) {
  int count;
  output_guard *guards = output_guards(c, doc, tpl, &count);
  bilaga_status st = guards ? output_file_check(path, guards, count, &c->sink) : BILAGA_ERROR_IO;
  free(guards);
  if (st != BILAGA_OK) return st;
  unsigned char *bytes;
  size_t length;
  st = bilaga_render_memory(c, doc, tpl, options, &bytes, &length, result);
  if (st != BILAGA_OK) return st;
  guards = output_guards(c, doc, tpl, &count);
  st = guards ? output_file_write(path, bytes, length, guards, count, OUTPUT_ANY, &c->sink) : BILAGA_ERROR_IO;
  free(guards);
  free(bytes);
  return st;
}
