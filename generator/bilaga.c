/* bilaga.c - the public API: the whole pipeline in a few calls.
 *   parse (content, template) -> model -> layout -> display lists -> PDF. */
#include "bilaga.h"

#include <dirent.h>
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
#include "pdf_input.h"
#include "png/png_writer.h"
#include "text/fontset.h"
#include "text/hyphen.h"
#include "util/grow.h"
#include "util/i18n.h"
#include "util/output_file.h"
#include "util/suggest.h"

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
  i18n_init();
  bilaga_context *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  const char *dir = data_dir ? data_dir : getenv("BILAGA_DATA_DIR");
  c->data_dir = strdup(dir && *dir ? dir : BILAGA_INSTALLED_DATA_DIR);
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

/* Every call that takes a context counts its own errors (a call made by
 * another public call starts before anything was reported). */
static void begin_call(bilaga_context *c) {
  c->sink.errors = 0;
}

int bilaga_context_error_count(const bilaga_context *c) { return c->sink.errors; }

const char *bilaga_context_data_dir(const bilaga_context *c) { return c->data_dir; }

int bilaga_context_font_families(bilaga_context *c, bilaga_font_family_fn fn, void *user) {
  begin_call(c);
  return fontset_families(c->fonts, fn, user);
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
  int ok = pdf_input_check(m, &c->sink);
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

static int compare_names(const void *a, const void *b) {
  return strcmp((const char *)a, (const char *)b);
}

/* Names the templates there are (sorted), and the nearest to a misspelt
 * name. */
static void unknown_template(bilaga_context *c, const char *name, const char *path) {
  enum { MAX_LISTED = 32, NAME_SIZE = 64 };
  char found[MAX_LISTED][NAME_SIZE];
  int count = 0;
  char *dir_path = path_join(c->data_dir, "templates");
  DIR *dir = dir_path ? opendir(dir_path) : NULL;
  for (struct dirent *e; dir && count < MAX_LISTED && (e = readdir(dir));) {
    size_t n = strlen(e->d_name);
    if (n > 4 && n - 4 < NAME_SIZE && strcmp(e->d_name + n - 4, ".xml") == 0)
      snprintf(found[count++], NAME_SIZE, "%.*s", (int)(n - 4), e->d_name);
  }
  if (dir) closedir(dir);
  free(dir_path);
  qsort(found, (size_t)count, sizeof found[0], compare_names);
  char names[MAX_LISTED * (NAME_SIZE + 2)] = "", hint[sizeof names + 300] = "";
  size_t used = 0;
  suggestion sg;
  suggest_begin(&sg, name);
  for (int i = 0; i < count; i++) {
    int w = snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", found[i]);
    if (w > 0 && (size_t)w < sizeof names - used) used += (size_t)w;
    suggest_offer(&sg, found[i]);
  }
  if (suggest_result(&sg))
    snprintf(hint, sizeof hint, _("did you mean \"%s\"? The templates are: %s"), suggest_result(&sg), names);
  else if (count)
    snprintf(hint, sizeof hint, _("the templates are: %s"), names);
  diag_extra x = {.code = "E0301-unknown-template", .hint = *hint ? hint : NULL};
  diag_report_ex(&c->sink, BILAGA_SEVERITY_ERROR, name, 0, 0, &x, _("unknown template \"%s\" (no %s)"), name,
                 path);
}

/* The template's bytes (name for diagnostics) parsed, checked and bound to
 * the context; source is the file it came from, if any. */
static bilaga_status template_from_bytes(bilaga_context *c, const char *bytes, size_t len, const char *name,
                                         file_identity source, bilaga_template **out) {
  xml_schema *s = schema(c, &c->template_schema, "templates/template.rng");
  if (!s) return BILAGA_ERROR_IO;
  template_model *t = parse_template(bytes, len, name, s, &c->sink);
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
    unknown_template(c, name_or_path, path);
    free(path);
    return BILAGA_ERROR_INPUT;
  }
  if (!schema(c, &c->template_schema, "templates/template.rng")) {
    free(path);
    return BILAGA_ERROR_IO;
  }
  size_t len;
  /* a template is a file: a FIFO or device must not block the render */
  char *bytes = parse_read_regular_file(path, MAX_INPUT_BYTES, &len, &c->sink);
  if (!bytes) {
    free(path);
    return BILAGA_ERROR_IO; /* like a content file that cannot be read */
  }
  bilaga_status status = template_from_bytes(c, bytes, len, path, file_identity_of_path(path), out);
  free(bytes);
  free(path);
  return status;
}

bilaga_status bilaga_template_load_memory(bilaga_context *c, const char *bytes, size_t length, const char *name,
                                          bilaga_template **out) {
  begin_call(c);
  *out = NULL;
  if (length > MAX_INPUT_BYTES) {
    diag_error(&c->sink, name, 0, 0, _("the template is %zu bytes; at most %d are read"), length,
               MAX_INPUT_BYTES);
    return BILAGA_ERROR_INPUT;
  }
  return template_from_bytes(c, bytes, length, name, (file_identity){0, 0, 0}, out);
}

const char *bilaga_template_name(const bilaga_template *t) { return t->model->name; }

const char *bilaga_template_description(const bilaga_template *t) {
  return t->model->description ? t->model->description : "";
}

void bilaga_template_free(bilaga_template *t) {
  if (!t) return;
  template_free(t->model);
  free(t);
}

void bilaga_render_options_init(bilaga_render_options *o) {
  *o = (bilaga_render_options){.pdfa = 1, .source_epoch = -1, .pdfa_level = BILAGA_PDFA_1A, .png_dpi = 96};
}

bilaga_status bilaga_render_options_set_pdf(bilaga_render_options *o, const char *spec) {
  static const struct {
    const char *name;
    int pdfa;
    bilaga_pdfa_level level;
  } claims[] = {{"a-1b", 1, BILAGA_PDFA_1B}, {"a-1a", 1, BILAGA_PDFA_1A}, {"a-2a", 1, BILAGA_PDFA_2A},
                {"a-2u", 1, BILAGA_PDFA_2U}, {"none", 0, BILAGA_PDFA_1B}};
  if (strcmp(spec, "untagged") == 0) {
    o->pdfa = 0, o->pdfua = 0, o->untagged = 1;
    return BILAGA_OK;
  }
  if (strcmp(spec, "ua-1") == 0) {
    o->pdfa = 0, o->pdfua = 1, o->untagged = 0;
    return BILAGA_OK;
  }
  const char *plus = strchr(spec, '+');
  size_t n = plus ? (size_t)(plus - spec) : strlen(spec);
  if (plus && strcmp(plus, "+ua-1") != 0) return BILAGA_ERROR_USAGE;
  for (size_t i = 0; i < sizeof claims / sizeof *claims; i++)
    if (strlen(claims[i].name) == n && strncmp(spec, claims[i].name, n) == 0) {
      o->pdfa = claims[i].pdfa, o->pdfa_level = claims[i].level, o->pdfua = plus != NULL, o->untagged = 0;
      return BILAGA_OK;
    }
  return BILAGA_ERROR_USAGE;
}

/* What the writer is told to claim and write. */
static pdf_options writer_options(const bilaga_render_options *o, const char *data_dir) {
  pdf_options p = {.pdfua = o->pdfua, .tagged = !o->untagged, .data_dir = data_dir};
  if (o->pdfa) {
    static const struct {
      int part;
      char level;
    } levels[] = {[BILAGA_PDFA_1B] = {1, 'B'}, [BILAGA_PDFA_1A] = {1, 'A'}, [BILAGA_PDFA_2A] = {2, 'A'},
                  [BILAGA_PDFA_2U] = {2, 'U'}};
    _Static_assert(sizeof levels / sizeof *levels == BILAGA_PDFA_2U + 1, "a claim for every level");
    int k = o->pdfa_level >= BILAGA_PDFA_1B && o->pdfa_level <= BILAGA_PDFA_2U ? (int)o->pdfa_level : 0;
    p.pdfa_part = levels[k].part, p.pdfa_level = levels[k].level;
  }
  return p;
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
    diag_error(sink, d->file, line, column, _("<date> \"%s\" is not a date of the form YYYY-MM-DD"), date);
    return 0;
  }
  if (negative || digits > 4 || y < 1) {
    diag_error(sink, d->file, line, column,
               _("<date> \"%s\" is outside the years 0001-9999 that PDF and XMP dates can hold"), date);
    return 0;
  }
  static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
  if (m < 1 || m > 12 || day < 1 || day > month_days[m - 1] || (m == 2 && day == 29 && !leap)) {
    diag_error(sink, d->file, line, column, _("<date> \"%s\" is not a day of the calendar"), date);
    return 0;
  }
  *epoch = days_from_civil(y, m, day) * 86400;
  if (*epoch < days_from_civil(1582, 10, 15) * 86400)
    diag_warning(
        sink, d->file, line, column,
        _("<date> \"%s\" is before the Gregorian calendar began (1582-10-15): it is written as ISO 8601 "
          "asks, but PDFBox Preflight compares such dates in the Julian calendar and reports the PDF/A "
          "metadata as out of sync"),
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
                 _("\"%s\" is not a number of seconds since 1970 within the years 0001-9999"), env);
      return 0;
    }
  } else if (v < 0) {
    return 1;
  } else if (v > EPOCH_MAX) {
    diag_error(&c->sink, d->file, 0, 0, _("the source date %lld is after 9999-12-31, which PDF cannot hold"),
               v);
    return 0;
  }
  *epoch = v;
  return 1;
}

/* A strict render's sink: warnings reach the caller as errors, and every
 * error counts in the context's sink. */
static void strict_forward(const bilaga_diagnostic *d, void *user) {
  diag_sink *to = user;
  bilaga_diagnostic e = *d;
  if (e.severity == BILAGA_SEVERITY_WARNING) e.severity = BILAGA_SEVERITY_ERROR;
  if (e.severity == BILAGA_SEVERITY_ERROR) to->errors++;
  if (to->fn) to->fn(&e, to->user);
}

/* The files a render reads, which its output must never replace. */
static output_guard *output_guards(const bilaga_context *c, const bilaga_document *doc,
                                   const bilaga_template *tpl, int *count) {
  int fonts = fontset_file_count(c->fonts);
  output_guard *g = malloc(sizeof *g * (size_t)(fonts + 2));
  if (!g) return NULL;
  /* TRANSLATORS: "the output is the same file as the content FILE" */
  g[0] = (output_guard){doc->source, _("content"), doc->model->file};
  g[1] = (output_guard){tpl->source, _("template"), tpl->model->file};
  for (int i = 0; i < fonts; i++) {
    const char *file = fontset_file(c->fonts, i);
    g[2 + i] = (output_guard){file_identity_of_path(file), _("font"), file};
  }
  *count = fonts + 2;
  return g;
}

/* One render's page consumer: the PDF writer, then the page image, then
 * the caller's progress callback, which may stop the run. */
typedef struct render_run {
  bilaga_context *c;
  const bilaga_document *doc;
  const bilaga_template *tpl;
  const bilaga_render_options *o;
  const layout_result *layout; /* its page count is known before the first page */
  pdf_writer *pdf;
  png_writer *png;
  char **png_paths; /* written so far, removed if the render fails */
  int png_count, png_capacity;
  int cancelled;
  bilaga_status png_failed; /* why a page image failed, else BILAGA_OK */
} render_run;

static int write_png_page(render_run *r, const display_page *page) {
  const bilaga_render_options *o = r->o;
  if (page->number < o->png_first_page || (o->png_last_page > 0 && page->number > o->png_last_page)) return 1;
  unsigned char *png;
  size_t length;
  bilaga_status drawn = png_writer_page(r->png, page, &png, &length);
  if (drawn != BILAGA_OK) {
    r->png_failed = drawn;
    return 0;
  }
  const char *stem = o->png_stem && *o->png_stem ? o->png_stem : "page";
  size_t n = strlen(o->png_dir) + strlen(stem) + 32;
  char *path = malloc(n);
  char **paths = grow_heap(r->png_paths, &r->png_capacity, r->png_count + 1, sizeof *paths, 16);
  int guard_count = 0;
  output_guard *guards = output_guards(r->c, r->doc, r->tpl, &guard_count);
  bilaga_status st = BILAGA_ERROR_IO;
  if (path && paths && guards) {
    r->png_paths = paths;
    snprintf(path, n, "%s/%s-%03d.png", o->png_dir, stem, page->number);
    st = output_file_write(path, png, length, guards, guard_count, OUTPUT_ANY, &r->c->sink);
  } else {
    diag_error(&r->c->sink, r->doc->model->file, 0, 0, _("out of memory writing page %d as PNG"),
               page->number);
  }
  free(guards);
  free(png);
  if (st != BILAGA_OK) {
    free(path);
    r->png_failed = st;
    return 0;
  }
  r->png_paths[r->png_count++] = path;
  return 1;
}

static int emit_page(void *user, const display_page *page) {
  render_run *r = user;
  const bilaga_render_options *o = r->o;
  if (page->number == 1 && o->progress && o->progress(0, r->layout->pages, o->progress_user_data)) {
    r->cancelled = 1;
    return 0;
  }
  if (!pdf_writer_page(r->pdf, page)) return 0;
  if (r->png && !write_png_page(r, page)) return 0;
  if (o->progress && o->progress(page->number, r->layout->pages, o->progress_user_data)) {
    r->cancelled = 1;
    return 0;
  }
  return 1;
}

static void render_run_release(render_run *r, int remove_images) {
  for (int i = 0; i < r->png_count; i++) {
    if (remove_images) unlink(r->png_paths[i]);
    free(r->png_paths[i]);
  }
  free(r->png_paths);
  r->png_paths = NULL;
  r->png_count = 0;
}

static bilaga_status render(bilaga_context *c, const bilaga_document *doc, const bilaga_template *tpl,
                            const bilaga_render_options *options, unsigned char **bytes, size_t *length,
                            bilaga_render_result *result, render_run *run) {
  *run = (render_run){0};
  *bytes = NULL;
  *length = 0;
  if (result) *result = (bilaga_render_result){0, 0, 0};
  if (tpl->owner != c) {
    diag_error(&c->sink, tpl->model->file, 0, 0,
               _("the template was loaded by another context: load it with the context that renders"));
    return BILAGA_ERROR_USAGE;
  }
  if (options->png_dir && (!(options->png_dpi >= PNG_MIN_DPI && options->png_dpi <= PNG_MAX_DPI) ||
                           options->png_first_page < 0 || options->png_last_page < 0)) {
    diag_error(&c->sink, doc->model->file, 0, 0,
               _("PNG pages: the resolution must be %d-%d dpi (not %g) and page numbers positive"),
               PNG_MIN_DPI, PNG_MAX_DPI, options->png_dpi);
    return BILAGA_ERROR_USAGE;
  }
  long long epoch;
  if (!document_epoch(c, doc, options, &epoch)) return BILAGA_ERROR_INPUT;
  diag_sink strict_sink = {strict_forward, &c->sink, 0};
  diag_sink *sink = options->strict ? &strict_sink : &c->sink;
  /* generated parts and domain blocks: a copy of the model, the shared
   * one stays as it is */
  int input_error, errors_before_expand = c->sink.errors;
  document_model *model = model_expand(doc->model, tpl->model, sink, &input_error);
  if (!model) {
    if (input_error) return BILAGA_ERROR_INPUT;
    diag_error(&c->sink, doc->model->file, 0, 0, _("out of memory expanding the generated parts"));
    return BILAGA_ERROR_IO;
  }
  if (c->sink.errors > errors_before_expand) { /* a strict render's warnings */
    if (model != doc->model) model_free(model);
    return BILAGA_ERROR_INPUT;
  }
  pdf_options popts = writer_options(options, c->data_dir);
  if (!popts.tagged && (popts.pdfua || popts.pdfa_level == 'A')) {
    diag_error(&c->sink, doc->model->file, 0, 0,
               _("an untagged PDF cannot claim PDF/A level A or PDF/UA: both need the structure tree"));
    if (model != doc->model) model_free(model);
    return BILAGA_ERROR_USAGE;
  }
  pdf_document_info info;
  unsigned char *seed = NULL;
  pdf_writer *w = pdf_input_info(model, epoch, &info, &seed) ? pdf_writer_new(c->fonts, &info, &popts, sink) : NULL;
  png_writer *png = w && options->png_dir ? png_writer_new(c->fonts, options->png_dpi, sink, doc->model->file)
                                          : NULL;
  if (!w || (options->png_dir && !png)) {
    pdf_writer_free(w);
    free(seed);
    if (model != doc->model) model_free(model);
    return BILAGA_ERROR_IO;
  }
  int owned;
  hyphenator *h = hyphenator_for(c, model->lang, &owned);
  layout_result lr;
  *run = (render_run){.c = c, .doc = doc, .tpl = tpl, .o = options, .layout = &lr, .pdf = w, .png = png};
  int errors_before = c->sink.errors;
  int ok = layout_run(model, tpl->model, c->fonts, h, sink, emit_page, run, &lr);
  /* errors that did not stop layout (a strict render's warnings) still
   * mean no output */
  if (ok && c->sink.errors > errors_before) ok = 0;
  if (ok) ok = pdf_writer_finish(w, lr.headings, lr.heading_count, bytes, length);
  bilaga_status writer_status = ok || run->cancelled || run->png_failed ? BILAGA_OK : pdf_writer_report(w);
  if (result) {
    result->pages = lr.pages;
    result->layout_passes = lr.passes;
    result->png_pages = ok ? run->png_count : 0;
  }
  layout_result_free(&lr);
  pdf_writer_free(w);
  png_writer_free(png);
  free(seed);
  if (model != doc->model) model_free(model);
  if (owned) hyphenator_free(h);
  if (ok) {
    if (png && run->png_count == 0)
      diag_warning(&c->sink, doc->model->file, 0, 0, _("no PNG page written: the document has %d pages"),
                   lr.pages);
    return BILAGA_OK;
  }
  render_run_release(run, 1);
  if (run->cancelled) return BILAGA_CANCELLED;
  if (run->png_failed != BILAGA_OK) return run->png_failed;
  if (writer_status != BILAGA_OK) return writer_status;
  /* layout errors are about the input; anything else is internal */
  if (c->sink.errors > errors_before) return BILAGA_ERROR_INPUT;
  diag_error(&c->sink, doc->model->file, 0, 0,
             _("internal failure while laying out or writing (out of memory?)"));
  return BILAGA_ERROR_IO;
}

bilaga_status bilaga_render_memory(bilaga_context *c, const bilaga_document *doc, const bilaga_template *tpl,
                                   const bilaga_render_options *options, unsigned char **bytes,
                                   size_t *length, bilaga_render_result *result) {
  begin_call(c);
  bilaga_render_options defaults;
  bilaga_render_options_init(&defaults);
  render_run run;
  bilaga_status st = render(c, doc, tpl, options ? options : &defaults, bytes, length, result, &run);
  render_run_release(&run, 0);
  return st;
}

/* Checked before layout (so a refused path costs nothing) and again when
 * writing (layout may have loaded more fonts). */
bilaga_status bilaga_render_file(bilaga_context *c, const bilaga_document *doc, const bilaga_template *tpl,
                                 const bilaga_render_options *options, const char *path,
                                 bilaga_render_result *result) {
  begin_call(c);
  bilaga_render_options defaults;
  bilaga_render_options_init(&defaults);
  if (!options) options = &defaults;
  int count;
  output_guard *guards = output_guards(c, doc, tpl, &count);
  bilaga_status st = guards ? output_file_check(path, guards, count, &c->sink) : BILAGA_ERROR_IO;
  free(guards);
  if (st != BILAGA_OK) return st;
  unsigned char *bytes;
  size_t length;
  render_run run;
  st = render(c, doc, tpl, options, &bytes, &length, result, &run);
  if (st != BILAGA_OK) return st;
  guards = output_guards(c, doc, tpl, &count);
  st = guards ? output_file_write(path, bytes, length, guards, count, OUTPUT_ANY, &c->sink) : BILAGA_ERROR_IO;
  free(guards);
  free(bytes);
  render_run_release(&run, st != BILAGA_OK); /* the images go with the PDF */
  if (st != BILAGA_OK && result) result->png_pages = 0;
  return st;
}
