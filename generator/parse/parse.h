/* parse.h - the boundary: XML bytes in, checked document or template model
 * out. Only this stage includes libxml2; after it, later stages trust the
 * model. */
#ifndef BILAGA_PARSE_H
#define BILAGA_PARSE_H

#include <stddef.h>

#include "model/model.h"
#include "model/template.h"
#include "util/diag.h"

/* A compiled RELAX NG schema, loaded once and used for many documents. */
typedef struct xml_schema xml_schema;

xml_schema *parse_schema_load(const char *path, diag_sink *sink);
void parse_schema_free(xml_schema *schema);

/* Parses, validates against the schema, then checks what a schema cannot
 * (table grids, limits). Returns NULL after reporting every problem. The
 * caller frees the result with model_free. */
document_model *parse_content(const char *bytes, size_t length, const char *name, xml_schema *schema,
                              diag_sink *sink);

/* Same for a template; free with template_free. */
template_model *parse_template(const char *bytes, size_t length, const char *name,
                               xml_schema *schema, diag_sink *sink);

/* Reads a whole file ("-" is standard input) into a malloc'ed buffer.
 * Reports and returns NULL on failure. Refuses files over max_bytes. */
char *parse_read_file(const char *path, size_t max_bytes, size_t *length, diag_sink *sink);

/* Same, for a path that must name a regular file (schemas; templates and
 * profiles may use it too): a FIFO, device or directory is refused at
 * once instead of blocking or reading forever. */
char *parse_read_regular_file(const char *path, size_t max_bytes, size_t *length, diag_sink *sink);

/* Parses a template length ("12pt", "25mm", "1.5cm", "1in", "12"); returns
 * points, or -1 when malformed. */
double parse_length(const char *s);

#endif
