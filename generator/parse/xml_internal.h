/* xml_internal.h - what parse/content.c and parse/template.c share. */
#ifndef BILAGA_PARSE_XML_INTERNAL_H
#define BILAGA_PARSE_XML_INTERNAL_H

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "parse/parse.h"

/* A loaded, schema-valid XML document and what is needed to point at it. */
typedef struct xml_input {
  xmlDocPtr doc;
  const char *bytes;
  size_t length;
  const char *name;
  diag_sink *sink;
  size_t *line_starts; /* byte offset of each line, built on first use */
  size_t line_count;
  /* characters before each 4 KiB block: columns count characters, and
   * on one long line counting from its start each time is quadratic */
  size_t *block_chars;
} xml_input;

/* Parses and validates; reports problems and returns 0 on failure. */
/* Most elements a file may hold: validation must stay fast for any input
 * of the maximum size, and libxml2's Relax NG checks of interleaved
 * content cost more than linear time in the element count. Templates are
 * small, and their schema is one big interleave. */
enum { XML_MAX_CONTENT_ELEMENTS = 1000000, XML_MAX_TEMPLATE_ELEMENTS = 10000 };

int xml_input_load(xml_input *in, const char *bytes, size_t length, const char *name,
                   xml_schema *schema, long max_elements, diag_sink *sink);
void xml_input_free(xml_input *in);

/* Refuses what bilaga does not read, before libxml2 sees the bytes:
 * other encodings than UTF-8 (BOMs, declarations), invalid UTF-8, NUL
 * bytes, XML versions other than 1.0, any DOCTYPE, more than max_elements
 * elements. Reports with a
 * position and returns 0. Reads only bytes[0, length). */
int xml_check_bytes(const char *bytes, size_t length, long max_elements, const char *name, diag_sink *sink);

/* Where a node's start tag begins (its '<'): the parser records each
 * element's byte offset; the line index maps it to line:column. */
void xml_node_position(xml_input *in, xmlNodePtr node, int *line, int *column);
/* The byte offset of an element's '<', or -1. */
long xml_node_offset(xmlNodePtr node);
/* Builds the line index (0 when out of memory); line:column of a byte
 * offset, the column in characters (UTF-8), from 1. */
int xml_line_index(xml_input *in);
void xml_offset_position(xml_input *in, size_t offset, int *line, int *column);
/* Moves line:column to the first text in element outside its children. */
void xml_text_position(xml_input *in, xmlNodePtr element, int *line, int *column);

/* A stretch of source, for diagnostics (xml_span.c): from line:column to
 * just before end_line:end_column. */
typedef struct xml_span {
  int line, column, end_line, end_column;
} xml_span;
xml_span xml_tag_span(xml_input *in, xmlNodePtr node);                   /* its start tag */
xml_span xml_element_span(xml_input *in, xmlNodePtr node);               /* through its end tag */
xml_span xml_attr_span(xml_input *in, xmlNodePtr node, xmlAttrPtr attr); /* name="value" */
xml_span xml_text_span(xml_input *in, xmlNodePtr element);               /* its first stray text */
void xml_error_at(xml_input *in, xmlNodePtr node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A libxml2 well-formedness error in plain words, with code and hint
 * (xml_words.c). */
void xml_words_parse_error(const xml_input *in, const xmlError *e, int line, int column);

/* Warnings for valid content that is probably a mistake (content_warn.c). */
void content_warnings(xml_input *in);

/* Element test by local name (the namespace was checked by the schema). */
int xml_is(xmlNodePtr node, const char *name);
/* Attribute value or NULL; the string lives until xml_input_free. */
const char *xml_attr(const xml_input *in, xmlNodePtr node, const char *name);

/* "#RRGGBB" to 0..1 RGB; fallback for anything else (the schema checked it). */
rgb parse_color(const char *v, rgb fallback);
/* Reads <symbols> into t->symbols; reports and returns 0 on errors. */
int parse_symbol_families(xml_input *in, template_model *t, xmlNodePtr el);
/* Reads <domain> into t->domain (after <symbols>); reports and returns 0 on errors. */
int parse_domain(xml_input *in, template_model *t, xmlNodePtr el);
/* Reads root's <derive> (after <symbols>) into t->derive, else the
 * defaults fitted to the symbols; reports and returns 0 on errors. */
int parse_derive(xml_input *in, template_model *t, xmlNodePtr root);

#endif
