/* xml_check.c - what is checked on the raw bytes before libxml2 sees
 * them: bilaga reads UTF-8 XML 1.0 without a DOCTYPE, so that text is
 * never silently re-decoded, no entity is ever declared (no entity bombs,
 * no external entities) and byte offsets are positions in the file. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parse/xml_internal.h"
#include "util/i18n.h"

/* libxml2 checks attributes for duplicates pairwise and looks namespaces
 * up through every declaration in scope, so both are bounded; the number
 * of elements bounds the time and memory of a maximal input. */
enum { MAX_ATTRIBUTES = 64, MAX_NAMESPACE_DECLARATIONS = 256 };

static void position_of(const char *b, size_t offset, int *line, int *column) {
  int l = 1;
  size_t start = 0;
  for (size_t i = 0; i < offset; i++)
    if (b[i] == '\n') l++, start = i + 1;
  *line = l;
  int c = 1; /* characters, as every column in diagnostics */
  for (size_t i = start; i < offset; i++) c += ((unsigned char)b[i] & 0xC0) != 0x80;
  *column = c;
}

static void error_at(const char *b, size_t offset, const char *name, diag_sink *sink, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void error_at(const char *b, size_t offset, const char *name, diag_sink *sink, const char *fmt, ...) {
  int line, column;
  position_of(b, offset, &line, &column);
  char msg[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap); /* fixed messages with a number or a name cut to 20 characters */
  va_end(ap);
  diag_error(sink, name, line, column, "%s", msg);
}

static int starts_with(const char *b, size_t n, size_t i, const char *s) {
  size_t l = strlen(s);
  return i <= n && n - i >= l && memcmp(b + i, s, l) == 0;
}

static int is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Length of the valid UTF-8 sequence at b[i] (1-4), or 0 when it is not
 * one (overlong forms, surrogates and values past U+10FFFF included). */
static size_t utf8_length(const unsigned char *b, size_t n, size_t i) {
  unsigned char c = b[i];
  if (c < 0x80) return 1;
  size_t len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (!len || n - i < len) return 0;
  for (size_t k = 1; k < len; k++)
    if ((b[i + k] & 0xc0) != 0x80) return 0;
  if (c == 0xe0 && b[i + 1] < 0xa0) return 0; /* overlong */
  if (c == 0xed && b[i + 1] >= 0xa0) return 0; /* a surrogate */
  if (c == 0xf0 && b[i + 1] < 0x90) return 0;  /* overlong */
  if (c == 0xf4 && b[i + 1] >= 0x90) return 0; /* past U+10FFFF */
  return len;
}

/* The value of pseudo-attribute key in the XML declaration decl[0, n),
 * as offset and length, or 0 when absent. */
static int decl_value(const char *b, size_t from, size_t to, const char *key, size_t *at, size_t *len) {
  size_t kl = strlen(key);
  for (size_t i = from; i + kl < to; i++) {
    if (!is_xml_space(b[i]) || memcmp(b + i + 1, key, kl) != 0) continue;
    size_t j = i + 1 + kl;
    while (j < to && is_xml_space(b[j])) j++;
    if (j >= to || b[j] != '=') continue;
    j++;
    while (j < to && is_xml_space(b[j])) j++;
    if (j >= to || (b[j] != '"' && b[j] != '\'')) continue;
    char quote = b[j++];
    size_t end = j;
    while (end < to && b[end] != quote) end++;
    if (end >= to) return 0;
    *at = j;
    *len = end - j;
    return 1;
  }
  return 0;
}

/* Cuts a declared value for a message: 20 printable ASCII characters. */
static int printable_length(const char *b, size_t len) {
  size_t n = 0;
  while (n < len && n < 20 && b[n] >= 0x20 && b[n] < 0x7f) n++;
  return (int)n;
}

static int equals_ignoring_case(const char *b, size_t len, const char *s) {
  if (strlen(s) != len) return 0;
  for (size_t i = 0; i < len; i++) {
    char c = b[i] >= 'a' && b[i] <= 'z' ? (char)(b[i] - 'a' + 'A') : b[i];
    if (c != s[i]) return 0;
  }
  return 1;
}

/* The XML declaration, if any: version 1.0 and encoding UTF-8 only. */
static int check_declaration(const char *b, size_t n, size_t start, int bom, const char *name,
                             diag_sink *sink, size_t *after) {
  *after = start;
  if (!starts_with(b, n, start, "<?xml") || n - start < 6 || !is_xml_space(b[start + 5])) return 1;
  size_t end = start + 5;
  while (end + 1 < n && !(b[end] == '?' && b[end + 1] == '>')) end++;
  if (end + 1 >= n) return 1; /* libxml2 reports the unfinished declaration */
  *after = end + 2;
  size_t at, len;
  if (decl_value(b, start + 5, end, "version", &at, &len) && !(len == 3 && memcmp(b + at, "1.0", 3) == 0)) {
    error_at(b, at, name, sink, _("XML version \"%.*s\" is not supported: declare version=\"1.0\""),
             printable_length(b + at, len), b + at);
    return 0;
  }
  if (decl_value(b, start + 5, end, "encoding", &at, &len) && !equals_ignoring_case(b + at, len, "UTF-8")) {
    error_at(
        b, at, name, sink,
        bom ? _("the file starts with a UTF-8 byte order mark but declares encoding \"%.*s\": save it as "
                "UTF-8 and declare encoding=\"UTF-8\"")
            : _("encoding \"%.*s\" is not supported: bilaga reads UTF-8 only; save the file as UTF-8 and "
                "declare encoding=\"UTF-8\""),
        printable_length(b + at, len), b + at);
    return 0;
  }
  return 1;
}

/* A DOCTYPE can only come before the root element, after comments,
 * processing instructions and white space. */
static int check_no_doctype(const char *b, size_t n, size_t i, const char *name, diag_sink *sink) {
  while (i < n) {
    if (is_xml_space(b[i])) {
      i++;
    } else if (starts_with(b, n, i, "<!--")) {
      size_t j = i + 4;
      while (j + 2 < n && memcmp(b + j, "-->", 3) != 0) j++;
      if (j + 2 >= n) return 1;
      i = j + 3;
    } else if (starts_with(b, n, i, "<?")) {
      size_t j = i + 2;
      while (j + 1 < n && memcmp(b + j, "?>", 2) != 0) j++;
      if (j + 1 >= n) return 1;
      i = j + 2;
    } else if (starts_with(b, n, i, "<!DOCTYPE")) {
      error_at(b, i, name, sink, "%s",
               _("DOCTYPE declarations are not allowed (bilaga reads no DTDs and no entity declarations)"));
      return 0;
    } else {
      return 1;
    }
  }
  return 1;
}

/* Skips to just past the end marker, or returns n. */
static size_t skip_past(const char *b, size_t n, size_t i, const char *end) {
  size_t l = strlen(end);
  for (; i + l <= n; i++) {
    const char *hit = memchr(b + i, end[0], n - i);
    if (!hit) return n;
    i = (size_t)(hit - b);
    if (i + l <= n && memcmp(b + i, end, l) == 0) return i + l;
  }
  return n;
}

/* Counts elements, attributes per start tag and namespace declarations.
 * Malformed markup is left to libxml2, which reports it. */
static int check_counts(const char *b, size_t n, size_t i, long max_elements, const char *name,
                        diag_sink *sink) {
  long elements = 0, namespaces = 0;
  while ((i = skip_past(b, n, i, "<")) < n) {
    size_t tag = i - 1;
    if (starts_with(b, n, i, "!--")) i = skip_past(b, n, i + 3, "-->");
    else if (starts_with(b, n, i, "![CDATA[")) i = skip_past(b, n, i + 8, "]]>");
    else if (b[i] == '?') i = skip_past(b, n, i + 1, "?>");
    else if (b[i] == '/' || b[i] == '!') i = skip_past(b, n, i + 1, ">");
    else {
      if (++elements > max_elements) {
        error_at(b, tag, name, sink, _("the file has more than %ld elements, the most bilaga reads"),
                 max_elements);
        return 0;
      }
      int attributes = 0;
      char quote = 0;
      for (; i < n && (quote || b[i] != '>'); i++) {
        if (quote) {
          if (b[i] == quote) quote = 0;
        } else if (b[i] == '"' || b[i] == '\'') {
          quote = b[i];
        } else if (is_xml_space(b[i]) && i + 1 < n && !strchr(" \t\r\n/>='\"", b[i + 1])) {
          size_t at = i + 1; /* an attribute's name */
          int xmlns = starts_with(b, n, at, "xmlns") && n - at > 5 && strchr(":= \t\r\n", b[at + 5]);
          if (xmlns && ++namespaces > MAX_NAMESPACE_DECLARATIONS) {
            error_at(b, at, name, sink, _("the file declares more than %d namespaces (xmlns attributes)"),
                     MAX_NAMESPACE_DECLARATIONS);
            return 0;
          }
          if (++attributes > MAX_ATTRIBUTES) {
            error_at(b, at, name, sink, _("a start tag has more than %d attributes"), MAX_ATTRIBUTES);
            return 0;
          }
        }
      }
    }
  }
  return 1;
}

int xml_check_bytes(const char *bytes, size_t n, long max_elements, const char *name, diag_sink *sink) {
  const unsigned char *u = (const unsigned char *)bytes;
  if (n >= 2 && ((u[0] == 0xfe && u[1] == 0xff) || (u[0] == 0xff && u[1] == 0xfe))) {
    diag_error(sink, name, 1, 1,
               _("the file is UTF-16 or UTF-32 (it starts with such a byte order mark): bilaga reads UTF-8 "
                 "only; save the file as UTF-8"));
    return 0;
  }
  int bom = n >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf;
  size_t after;
  if (!check_declaration(bytes, n, bom ? 3 : 0, bom, name, sink, &after)) return 0;
  for (size_t i = 0; i < n;) {
    if (u[i] == 0) {
      error_at(bytes, i, name, sink, "%s",
               i < 4 ? _("the file looks like UTF-16 or UTF-32 without a byte order mark: bilaga reads UTF-8 "
                         "only; save the file as UTF-8")
                     : _("NUL byte in the file: it is not a text file"));
      return 0;
    }
    size_t len = utf8_length(u, n, i);
    if (!len) {
      error_at(bytes, i, name, sink, _("byte 0x%02X is not UTF-8: bilaga reads UTF-8 only"), u[i]);
      return 0;
    }
    i += len;
  }
  return check_no_doctype(bytes, n, after, name, sink) && check_counts(bytes, n, after, max_elements, name, sink);
}
