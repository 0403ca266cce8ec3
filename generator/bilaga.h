/* bilaga.h - the public interface of libbilaga: report content (XML) plus a
 * layout template (XML) in, archival PDF out.
 *
 * Ownership: every *_new / *_load gives the caller an object to release
 * with the matching *_free. Getters lend: what they return lives as long as
 * the object it came from. Nothing here reads the clock or prints: problems
 * are reported as bilaga_diagnostic values to the sink the caller sets. */
#ifndef BILAGA_H
#define BILAGA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(BILAGA_BUILDING_SHARED)
#define BILAGA_API __attribute__((visibility("default")))
#else
#define BILAGA_API
#endif

/* Results; the command uses them as its exit codes. */
typedef enum bilaga_status {
  BILAGA_OK = 0,
  BILAGA_ERROR_USAGE = 1,   /* the caller asked for something impossible */
  BILAGA_ERROR_INPUT = 2,   /* content, template or font is invalid or missing */
  BILAGA_ERROR_IO = 3,      /* reading, writing or an internal failure */
  BILAGA_CANCELLED = 4      /* the progress callback asked to stop; nothing written */
} bilaga_status;

typedef enum bilaga_severity {
  BILAGA_SEVERITY_ERROR,
  BILAGA_SEVERITY_WARNING,
  BILAGA_SEVERITY_NOTE
} bilaga_severity;

/* One problem, with a position when there is one (line/column 0 if not).
 * Columns count characters (not bytes) from 1. Fields are only ever added
 * at the end. message and hint are in the language of the locale's
 * LC_MESSAGES (Swedish or English; the text domain "bilaga").
 * - code: stable, "E0101-unknown-element" (docs/diagnostics.md); never NULL.
 * - hint: how to fix it ("did you mean <p>?"), or NULL.
 * - end_line/end_column: just past the culprit (an attribute, a value, a
 *   tag), or equal to line/column when there is no span. */
typedef struct bilaga_diagnostic {
  bilaga_severity severity;
  const char *file;
  int line;
  int column;
  const char *message;
  const char *code;
  const char *hint;
  int end_line;
  int end_column;
} bilaga_diagnostic;

typedef void (*bilaga_diagnostic_fn)(const bilaga_diagnostic *diagnostic, void *user_data);

/* A context holds what documents share: the data directory (schemas,
 * templates, bundled fonts), loaded fonts and the diagnostic sink. One
 * context may render many documents, one at a time; the bytes of a render
 * depend only on the document, the template and the options, never on
 * what the context did before. data_dir may be NULL: then
 * $BILAGA_DATA_DIR, else the data directory chosen when the library was
 * configured (meson's datadir/bilaga, where meson install puts it).
 *
 * Threads: a context, and the templates it loaded, belong to one thread
 * at a time: give each thread its own context (contexts share nothing).
 * A document is plain parsed content; once loaded it may be rendered by
 * any context, also by several threads at once, as long as nobody frees
 * it meanwhile. The first bilaga_context_new sets up libxml2's
 * process-wide state (xmlInitParser) exactly once, safely from any
 * thread; fontconfig configurations are per context. What stays
 * process-wide is the environment: $BILAGA_DATA_DIR is read by
 * bilaga_context_new and $SOURCE_DATE_EPOCH by renders, so do not change
 * the environment while other threads use the library. The host's own
 * use of libxml2 must follow libxml2's thread rules (no xmlCleanupParser
 * while contexts exist). A batch renders in parallel this way: each
 * worker thread makes its own context, loads the template itself and its
 * documents (or takes shared loaded ones), renders, frees. Diagnostic
 * sinks and progress callbacks run in the thread of the call that
 * reports, so a sink shared by threads must lock. PNG pages use cairo
 * and FreeType per render (no font cache shared between renders). While
 * a call parses, the calling thread's libxml2 error handlers (thread-local
 * in libxml2) lead to the context's sink, so libxml2 never prints; they
 * are the host's again when it returns. Messages are translated with the library's own text domain
 * "bilaga" (dgettext): the host picks the language with
 * setlocale(LC_MESSAGES, ...); see docs/diagnostics.md. */
typedef struct bilaga_context bilaga_context;
BILAGA_API bilaga_context *bilaga_context_new(const char *data_dir);
BILAGA_API void bilaga_context_free(bilaga_context *context);
/* Without a sink, diagnostics are dropped. */
BILAGA_API void bilaga_context_set_diagnostic_sink(bilaga_context *context, bilaga_diagnostic_fn fn,
                                                   void *user_data);
/* Number of errors the latest call that took this context reported
 * (loading a document or template, rendering); 0 after a call that
 * succeeded. Warnings and notes are not counted. */
BILAGA_API int bilaga_context_error_count(const bilaga_context *context);
/* The data directory the context reads (borrowed). */
BILAGA_API const char *bilaga_context_data_dir(const bilaga_context *context);

/* Font families a template can name, each once, in name order: the
 * bundled ones (bundled = 1) first, then the system's TrueType families
 * found through fontconfig (bundled = 0; CFF-flavoured OpenType cannot be
 * embedded and is left out). Returns the number of families. */
typedef void (*bilaga_font_family_fn)(const char *family, int bundled, void *user_data);
BILAGA_API int bilaga_context_font_families(bilaga_context *context, bilaga_font_family_fn fn,
                                            void *user_data);

/* Parsed, schema-checked report content. */
typedef struct bilaga_document bilaga_document;
/* path "-" reads standard input. On failure *out is NULL and diagnostics
 * say why. */
BILAGA_API bilaga_status bilaga_document_load_file(bilaga_context *context, const char *path,
                                                   bilaga_document **out);
/* name is used in diagnostics. The bytes are not kept. */
BILAGA_API bilaga_status bilaga_document_load_memory(bilaga_context *context, const char *bytes,
                                                     size_t length, const char *name,
                                                     bilaga_document **out);
BILAGA_API void bilaga_document_free(bilaga_document *document);
/* Metadata field by its element name ("title", "diary-number", ...); NULL
 * when absent. */
BILAGA_API const char *bilaga_document_meta(const bilaga_document *document, const char *field);

/* A layout template: a name (templates/NAME.xml in the data directory) or
 * a path (anything containing '/' or ending in .xml). Loading resolves the
 * fonts it names, so a missing font is reported here. A template is bound
 * to the context that loaded it: rendering it with another context is
 * refused (BILAGA_ERROR_USAGE, nothing is written). Do not use it after
 * its context is freed (freeing it then is fine). A document may be
 * rendered by any context. */
typedef struct bilaga_template bilaga_template;
BILAGA_API bilaga_status bilaga_template_load(bilaga_context *context, const char *name_or_path,
                                              bilaga_template **out);
/* A template from memory (a database, a resource, an upload); name is used
 * in diagnostics. The bytes are not kept. Such a template has no file, so
 * no output path is refused for being it. */
BILAGA_API bilaga_status bilaga_template_load_memory(bilaga_context *context, const char *bytes,
                                                     size_t length, const char *name,
                                                     bilaga_template **out);
BILAGA_API void bilaga_template_free(bilaga_template *tpl);
/* The template's name attribute (else its file name) and its one-line
 * description attribute ("" when it has none); borrowed. */
BILAGA_API const char *bilaga_template_name(const bilaga_template *tpl);
BILAGA_API const char *bilaga_template_description(const bilaga_template *tpl);

/* Progress of one render: called once when the layout is done (page 0,
 * pages = the page count), then after each page is drawn (page 1..pages),
 * in the rendering thread. Return nonzero to cancel: the render stops
 * before the next page, writes nothing (page images it wrote are removed)
 * and returns BILAGA_CANCELLED. */
typedef int (*bilaga_progress_fn)(int page, int pages, void *user_data);

/* The PDF/A conformance a render claims (when pdfa is nonzero). */
typedef enum bilaga_pdfa_level {
  BILAGA_PDFA_1B, /* ISO 19005-1 level B */
  BILAGA_PDFA_1A, /* ISO 19005-1 level A (the default): PDF 1.4's structure types only */
  BILAGA_PDFA_2A, /* ISO 19005-2 level A, a PDF 1.7 file */
  BILAGA_PDFA_2U  /* ISO 19005-2 level U */
} bilaga_pdfa_level;

typedef struct bilaga_render_options {
  int pdfa;               /* nonzero: claims PDF/A at pdfa_level (default) */
  long long source_epoch; /* seconds since 1970 for dates when the content has
                             none; < 0: use $SOURCE_DATE_EPOCH, else 0 */
  bilaga_pdfa_level pdfa_level;
  int pdfua;    /* nonzero: also claims PDF/UA-1 (pdfuaid in the XMP) */
  int untagged; /* nonzero: no structure tree, which a level A or PDF/UA
                   claim refuses; tags are on by default, PDF/A or not */
  bilaga_progress_fn progress; /* NULL: none */
  void *progress_user_data;
  /* Page images (PNG, drawn with cairo from the same display lists as the
   * PDF) besides the PDF: page N goes to png_dir/png_stem-NNN.png (at
   * least three digits). NULL png_dir: none. The same output rules as the
   * PDF's apply to each file; a failed render removes those it wrote. */
  const char *png_dir;
  const char *png_stem;             /* NULL: "page" */
  double png_dpi;                   /* 1-1200; default 96 */
  int png_first_page, png_last_page; /* from 1; 0: first / last page */
  int strict;   /* nonzero: a warning while rendering (a character that no
                   font of its style has) is an error, and nothing is written */
} bilaga_render_options;

/* Fills in the defaults: PDF/A-1b, tagged. */
BILAGA_API void bilaga_render_options_init(bilaga_render_options *options);
/* Sets the claims from a text such as the command's --pdf takes: "a-1b",
 * "a-1a", "a-2a", "a-2u" or "none" (no PDF/A, tagged), each optionally
 * followed by "+ua-1" ("ua-1" alone: PDF/UA-1 without PDF/A); "untagged"
 * (no PDF/A, no tags). BILAGA_ERROR_USAGE, options unchanged, for
 * anything else. */
BILAGA_API bilaga_status bilaga_render_options_set_pdf(bilaga_render_options *options, const char *spec);

/* What a render produced, for callers and tests. */
typedef struct bilaga_render_result {
  int pages;
  int layout_passes; /* passes until the table of contents settled */
  int png_pages;     /* page images written */
} bilaga_render_result;

/* Lays out and writes the PDF to path; "-" writes to standard output.
 * options and result may be NULL.
 * - An output that is the same file (device and inode, also through links)
 *   as the document's file, the template's or a font in use is refused
 *   with BILAGA_ERROR_USAGE before layout; nothing is written.
 * - A symbolic link (or chain) writes its target; a dangling one creates
 *   it. A device, FIFO or link into /proc (/dev/stdout) is written in place.
 * - A regular file appears or is replaced only when the whole run succeeded
 *   (a temporary file beside the target, unnamed where the system allows,
 *   is linked or renamed over it), keeping the old file's permissions; a
 *   new file gets 0666 less the umask. The directory is fsynced.
 * - SIGINT, SIGTERM, SIGHUP and SIGQUIT are blocked in the calling thread
 *   for the moment a temporary file has a name, and SIGPIPE while writing
 *   to a pipe (a reader that left is BILAGA_ERROR_IO). No umask() call. */
BILAGA_API bilaga_status bilaga_render_file(bilaga_context *context, const bilaga_document *document,
                                            const bilaga_template *tpl,
                                            const bilaga_render_options *options, const char *path,
                                            bilaga_render_result *result);
/* Same into memory: *bytes is malloc'ed, the caller frees it. Page images,
 * when options ask for them, are still written to png_dir. */
BILAGA_API bilaga_status bilaga_render_memory(bilaga_context *context, const bilaga_document *document,
                                              const bilaga_template *tpl,
                                              const bilaga_render_options *options,
                                              unsigned char **bytes, size_t *length,
                                              bilaga_render_result *result);

BILAGA_API const char *bilaga_version(void);

#ifdef __cplusplus
}
#endif
#endif
