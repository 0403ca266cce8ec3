/* xml_span.c - where a tag, an attribute or an element's text begins and
 * ends in the source, for diagnostics that underline the culprit. The
 * parser records each start tag's byte offset; these scan from there. */
#include <string.h>

#include "parse/xml_internal.h"

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Offset just past the '>' of the tag that starts at i (quotes skipped). */
static size_t tag_end(const xml_input *in, size_t i) {
  const char *b = in->bytes;
  size_t n = in->length;
  char quote = 0;
  for (; i < n; i++) {
    if (quote) {
      if (b[i] == quote) quote = 0;
    } else if (b[i] == '"' || b[i] == '\'') {
      quote = b[i];
    } else if (b[i] == '>') {
      return i + 1;
    }
  }
  return n;
}

static size_t skip_to(const xml_input *in, size_t i, const char *s) {
  size_t l = strlen(s);
  for (; i + l <= in->length; i++)
    if (memcmp(in->bytes + i, s, l) == 0) return i + l;
  return in->length;
}

static xml_span span_of(xml_input *in, size_t start, size_t end) {
  xml_span s = {0, 0, 0, 0};
  if (!xml_line_index(in)) return s;
  xml_offset_position(in, start, &s.line, &s.column);
  xml_offset_position(in, end, &s.end_line, &s.end_column);
  return s;
}

static xml_span node_span(xml_input *in, xmlNodePtr node) {
  xml_span s = {0, 1, 0, 0};
  xml_node_position(in, node, &s.line, &s.column);
  s.end_line = s.line, s.end_column = s.column;
  return s;
}

xml_span xml_tag_span(xml_input *in, xmlNodePtr node) {
  long at = xml_node_offset(node);
  if (at < 0 || !in->bytes) return node_span(in, node);
  return span_of(in, (size_t)at, tag_end(in, (size_t)at));
}

/* Offset past the element's end tag (or its empty tag). */
static size_t element_end(const xml_input *in, size_t at) {
  const char *b = in->bytes;
  size_t n = in->length, i = tag_end(in, at);
  if (i >= 2 && b[i - 2] == '/') return i;
  int depth = 0;
  while (i < n) {
    if (b[i] != '<') {
      i++;
    } else if (i + 3 < n && memcmp(b + i, "<!--", 4) == 0) {
      i = skip_to(in, i + 4, "-->");
    } else if (i + 8 < n && memcmp(b + i, "<![CDATA[", 9) == 0) {
      i = skip_to(in, i + 9, "]]>");
    } else if (i + 1 < n && b[i + 1] == '?') {
      i = skip_to(in, i + 2, "?>");
    } else if (i + 1 < n && b[i + 1] == '/') {
      size_t end = tag_end(in, i);
      if (depth-- == 0) return end;
      i = end;
    } else {
      size_t end = tag_end(in, i);
      if (!(end >= 2 && b[end - 2] == '/')) depth++;
      i = end;
    }
  }
  return n;
}

xml_span xml_element_span(xml_input *in, xmlNodePtr node) {
  long at = xml_node_offset(node);
  if (at < 0 || !in->bytes) return node_span(in, node);
  return span_of(in, (size_t)at, element_end(in, (size_t)at));
}

xml_span xml_attr_span(xml_input *in, xmlNodePtr node, xmlAttrPtr attr) {
  long at = xml_node_offset(node);
  if (at < 0 || !in->bytes) return node_span(in, node);
  const char *b = in->bytes;
  size_t end = tag_end(in, (size_t)at), i = (size_t)at + 1;
  char want[256];
  const char *prefix = attr->ns && attr->ns->prefix ? (const char *)attr->ns->prefix : NULL;
  int wl = prefix ? snprintf(want, sizeof want, "%s:%s", prefix, attr->name)
                  : snprintf(want, sizeof want, "%s", attr->name);
  while (i < end && !is_space(b[i]) && b[i] != '>' && b[i] != '/') i++; /* the element's name */
  while (i < end) {
    while (i < end && (is_space(b[i]) || b[i] == '/' || b[i] == '>')) i++;
    size_t name = i;
    while (i < end && !is_space(b[i]) && b[i] != '=' && b[i] != '>') i++;
    size_t name_end = i;
    while (i < end && b[i] != '"' && b[i] != '\'') i++;
    if (i >= end) break;
    char q = b[i++];
    while (i < end && b[i] != q) i++;
    if (i < end) i++;
    if (wl > 0 && name_end - name == (size_t)wl && memcmp(b + name, want, (size_t)wl) == 0)
      return span_of(in, name, i);
  }
  return xml_tag_span(in, node);
}

xml_span xml_text_span(xml_input *in, xmlNodePtr element) {
  xml_span s = xml_tag_span(in, element);
  int line = s.line, column = s.column;
  xml_text_position(in, element, &line, &column);
  if (line != s.line || column != s.column) {
    s.line = s.end_line = line;
    s.column = s.end_column = column;
  }
  return s;
}
