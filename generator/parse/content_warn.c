/* content_warn.c - warnings for content the schema allows but that is
 * probably not what the author meant: an empty heading, a number typed as
 * text in a numeric column. */
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/schema_words.h"
#include "parse/xml_internal.h"
#include "util/i18n.h"

enum { MAX_WARN_COLUMNS = 64 };

static int blank(const char *s) {
  for (; s && *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') return 0;
  return 1;
}

static void warn(xml_input *in, xml_span span, const char *code, const char *hint, const char *message) {
  diag_extra x = {.code = code, .hint = hint, .end_line = span.end_line, .end_column = span.end_column};
  diag_report_ex(in->sink, BILAGA_SEVERITY_WARNING, in->name, span.line, span.column, &x, "%s", message);
}

static void check_heading(xml_input *in, xmlNodePtr h) {
  for (xmlNodePtr c = h->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && !xml_is(c, "br")) return; /* a number or a symbol is a title */
  xmlChar *text = xmlNodeGetContent(h);
  if (blank((const char *)text))
    warn(in, xml_element_span(in, h), "W0401-empty-heading",
         _("write the section's title, or leave the section out"),
         _("<heading> is empty: the section has no title in the text, the table of contents or the PDF's "
           "outline"));
  xmlFree(text);
}

/* Plain digits, or a number written the Swedish way ("1 234,5", "−12"). */
static int looks_numeric(const char *v, char *canonical, size_t size) {
  char shown[128];
  words_quote(v, shown, sizeof shown);
  if (!*shown) return 0;
  if (words_decimal_fix(shown, canonical, size)) return 1;
  const char *p = shown + (*shown == '-');
  if (!*p) return 0;
  for (; *p; p++)
    if (!(*p >= '0' && *p <= '9') && *p != '.') return 0;
  snprintf(canonical, size, "%s", shown);
  return 1;
}

static long span_of(xmlNodePtr cell, const char *name) {
  const char *v = xml_attr(NULL, cell, name);
  long n = v ? strtol(v, NULL, 10) : 1;
  return n < 1 ? 1 : n;
}

static void check_table(xml_input *in, xmlNodePtr table) {
  int numeric[MAX_WARN_COLUMNS] = {0}, columns = 0;
  for (xmlNodePtr c = table->children; c; c = c->next) {
    if (!xml_is(c, "columns")) continue;
    for (xmlNodePtr col = c->children; col; col = col->next) {
      if (!xml_is(col, "column")) continue;
      const char *align = xml_attr(in, col, "align");
      if (columns < MAX_WARN_COLUMNS) numeric[columns] = align && strcmp(align, "decimal") == 0;
      columns++;
    }
  }
  /* with row spans the column of a cell depends on the rows above: leave
   * such tables alone rather than warn about the wrong cell */
  for (xmlNodePtr g = table->children; g; g = g->next)
    for (xmlNodePtr r = g->children; r; r = r->next)
      for (xmlNodePtr cell = r->children; cell; cell = cell->next)
        if (xml_is(cell, "cell") && span_of(cell, "rowspan") > 1) return;
  for (xmlNodePtr g = table->children; g; g = g->next) {
    if (!xml_is(g, "tbody") && !xml_is(g, "tfoot")) continue;
    for (xmlNodePtr r = g->children; r; r = r->next) {
      if (!xml_is(r, "row")) continue;
      long column = 0;
      for (xmlNodePtr cell = r->children; cell; cell = cell->next) {
        if (!xml_is(cell, "cell")) continue;
        long at = column;
        column += span_of(cell, "colspan");
        const char *align = xml_attr(in, cell, "align"), *header = xml_attr(in, cell, "header");
        int decimal =
            align ? strcmp(align, "decimal") == 0 : at < MAX_WARN_COLUMNS && at < columns && numeric[at];
        if (!decimal || (header && strcmp(header, "no") != 0)) continue;
        int elements = 0;
        for (xmlNodePtr k = cell->children; k; k = k->next) elements |= k->type == XML_ELEMENT_NODE;
        if (elements) continue;
        xmlChar *text = xmlNodeGetContent(cell);
        char canonical[128], shown[128], message[600], hint[400];
        if (text && looks_numeric((const char *)text, canonical, sizeof canonical)) {
          words_quote((const char *)text, shown, sizeof shown);
          snprintf(message, sizeof message,
                   _("\"%s\" is text in a decimal column: the template cannot align it"), shown);
          snprintf(hint, sizeof hint, _("write <num>%s</num>: the template prints it as %s"), canonical,
                   shown);
          warn(in, xml_element_span(in, cell), "W0402-number-as-text", hint, message);
        }
        xmlFree(text);
      }
    }
  }
}

static void walk(xml_input *in, xmlNodePtr n) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (xml_is(n, "heading"))
      check_heading(in, n);
    else if (xml_is(n, "table"))
      check_table(in, n);
    walk(in, n->children);
  }
}

void content_warnings(xml_input *in) {
  if (in->doc) walk(in, xmlDocGetRootElement(in->doc));
}
