/* schema_rules.h - what a RELAX NG schema allows, read from the schema
 * file itself, to explain a failed validation in the author's terms.
 *
 * libxml2 says that a document is invalid and roughly where; it words it
 * in the grammar's terms and follows one mistake with several more. The
 * rules here are the schema's own patterns, grouped per <element>: which
 * attributes (and their value patterns), which child elements (and which
 * of them are required), whether text is allowed, what the text must be.
 * Order and counts are left to libxml2: when the walk finds nothing, its
 * message is used. Values are checked by libxml2's XML Schema datatypes,
 * as the validator does. */
#ifndef BILAGA_PARSE_SCHEMA_RULES_H
#define BILAGA_PARSE_SCHEMA_RULES_H

#include <libxml/tree.h>

#include "parse/xml_internal.h"

typedef struct schema_rules schema_rules;

/* Reads the rules from a parsed schema document, which it keeps (and
 * frees). NULL when out of memory. */
schema_rules *schema_rules_new(xmlDocPtr schema_doc);
void schema_rules_free(schema_rules *rules);

/* Walks the loaded (invalid) document and reports each problem the rules
 * see, one per root cause, at its position. Returns how many. */
int schema_rules_explain(const schema_rules *rules, xml_input *in, int max_reports);

/* For an element libxml2 rejected where the rules see nothing wrong with
 * it (so its place is wrong): reports it with its parent's order. Returns
 * 1 when reported. */
int schema_rules_explain_order(const schema_rules *rules, xml_input *in, xmlNodePtr node);

#endif
