/* xml.c - loading XML with libxml2, RELAX NG validation, and mapping its
 * errors to file:line:column diagnostics. */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/xml_internal.h"
#include "util/num.h"

struct xml_schema {
  xmlRelaxNGPtr rng;
};

static int build_line_index(xml_input *in);
static int find_tag_on_line(const xml_input *in, size_t line, const char *name, const char *prefix);

/* line:column of a byte offset (the line index must exist). */
static void offset_position(const xml_input *in, size_t offset, int *line, int *column) {
  size_t lo = 0, hi = in->line_count;
  while (lo + 1 < hi) {
    size_t mid = (lo + hi) / 2;
    if (in->line_starts[mid] <= offset) lo = mid;
    else hi = mid;
  }
  *line = (int)lo + 1;
  *column = (int)(offset - in->line_starts[lo]) + 1;
}

/* Moves line:column from a start tag to the first character of text
 * after it (skipping tags, comments and white space): where stray text is. */
static void text_after_tag(xml_input *in, int *line, int *column) {
  if (!in->bytes || !build_line_index(in) || *line <= 0 || (size_t)*line > in->line_count) return;
  size_t i = in->line_starts[*line - 1] + (size_t)(*column > 0 ? *column - 1 : 0);
  const char *b = in->bytes;
  size_t n = in->length;
  if (i < n && b[i] == '<') { /* past the element's own start tag */
    while (i < n && b[i] != '>') i++;
    i++;
  }
  int depth = 0; /* text inside child elements is theirs, not stray */
  while (i < n) {
    if (i + 3 < n && memcmp(b + i, "<!--", 4) == 0) {
      const char *end = strstr(b + i + 4, "-->");
      i = end ? (size_t)(end - b) + 3 : n;
    } else if (b[i] == '<') {
      int closing = i + 1 < n && b[i + 1] == '/';
      while (i < n && b[i] != '>') i++;
      int empty = i > 0 && b[i - 1] == '/';
      i++;
      if (closing) {
        if (--depth < 0) return; /* the element ended: no stray text found */
      } else if (!empty) {
        depth++;
      }
    } else if (depth == 0 && !(b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
      break;
    } else {
      i++;
    }
  }
  if (i < n) offset_position(in, i, line, column);
}

/* Position of the first start tag of an element with this name. */
static void first_element_named(xml_input *in, const char *name, int *line, int *column) {
  if (!in->bytes || !build_line_index(in)) return;
  for (size_t l = 1; l <= in->line_count; l++) {
    int c = find_tag_on_line(in, l, name, NULL);
    if (c) {
      /* the first on the line, not the last */
      const char *p = in->bytes + in->line_starts[l - 1];
      size_t nl = strlen(name);
      for (const char *q = p; q < in->bytes + in->line_starts[l]; q++)
        if (*q == '<' && memcmp(q + 1, name, nl) == 0) {
          c = (int)(q - p) + 1;
          break;
        }
      *line = (int)l;
      *column = c;
      return;
    }
  }
}

typedef struct error_target {
  xml_input *in;
  int reported;
} error_target;

enum { MAX_REPORTED = 20 };

static void report_xml_error(void *user, xmlErrorPtr e) {
  error_target *t = user;
  if (t->reported++ >= MAX_REPORTED || !e || e->level == XML_ERR_WARNING) return;
  int line = e->line, column = e->int2;
  xmlNodePtr node = e->node;
  if (node && node->type != XML_ELEMENT_NODE && node->type != XML_DOCUMENT_NODE && node->parent)
    node = node->parent;
  if (node && node->type == XML_ELEMENT_NODE) {
    xml_node_position(t->in, node, &line, &column);
    if (e->message && strstr(e->message, "text")) text_after_tag(t->in, &line, &column);
  } else if (!node && e->message && line <= 0) {
    /* some schema errors come without a node: find the element they name */
    const char *m = strstr(e->message, "element ");
    char name[64];
    if (m && sscanf(m + 8, "%63[A-Za-z0-9_.-]", name) == 1) first_element_named(t->in, name, &line, &column);
  } else if (e->code == XML_ERR_COMMENT_NOT_FINISHED && t->in->bytes && build_line_index(t->in)) {
    /* noticed only at the end of the input: point at where it opens */
    const char *open = NULL;
    for (const char *q = t->in->bytes; (q = strstr(q, "<!--")) != NULL; q += 4) {
      const char *close = strstr(q + 4, "-->");
      if (!close) {
        open = q;
        break;
      }
      q = close;
    }
    if (open) offset_position(t->in, (size_t)(open - t->in->bytes), &line, &column);
  } else if ((e->code == XML_ERR_TAG_NAME_MISMATCH || e->code == XML_ERR_TAG_NOT_FINISHED) && e->int1 > 0 &&
             e->str1 && t->in->bytes && build_line_index(t->in) && (size_t)e->int1 <= t->in->line_count) {
    /* an unclosed element: point at where it was opened */
    line = e->int1;
    int c = find_tag_on_line(t->in, (size_t)line, e->str1, NULL);
    column = c ? c : 1;
  }
  char msg[600];
  snprintf(msg, sizeof msg, "%s", e->message ? e->message : "invalid XML");
  size_t n = strlen(msg);
  while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) msg[--n] = '\0';
  diag_error(t->in->sink, t->in->name, line, column > 0 ? column : 1, "%s", msg);
}

xml_schema *parse_schema_load(const char *path, diag_sink *sink) {
  xmlRelaxNGParserCtxtPtr pctx = xmlRelaxNGNewParserCtxt(path);
  if (!pctx) {
    diag_error(sink, path, 0, 0, "cannot read schema");
    return NULL;
  }
  xml_input in = {0};
  in.name = path;
  in.sink = sink;
  error_target t = {&in, 0};
  xmlRelaxNGSetParserStructuredErrors(pctx, report_xml_error, &t);
  xmlRelaxNGPtr rng = xmlRelaxNGParse(pctx);
  xmlRelaxNGFreeParserCtxt(pctx);
  if (!rng) {
    if (!t.reported) diag_error(sink, path, 0, 0, "cannot compile schema");
    return NULL;
  }
  xml_schema *s = malloc(sizeof *s);
  if (!s) {
    xmlRelaxNGFree(rng);
    return NULL;
  }
  s->rng = rng;
  return s;
}

void parse_schema_free(xml_schema *schema) {
  if (!schema) return;
  xmlRelaxNGFree(schema->rng);
  free(schema);
}

int xml_input_load(xml_input *in, const char *bytes, size_t length, const char *name,
                   xml_schema *schema, diag_sink *sink) {
  memset(in, 0, sizeof *in);
  in->bytes = bytes;
  in->length = length;
  in->name = name;
  in->sink = sink;
  if (length > (size_t)0x7fffffff) {
    diag_error(sink, name, 0, 0, "input is too large");
    return 0;
  }
  error_target t = {in, 0};
  xmlParserCtxtPtr ctx = xmlNewParserCtxt();
  if (!ctx) {
    diag_error(sink, name, 0, 0, "out of memory");
    return 0;
  }
  /* No network, no entity expansion from outside, big line numbers. */
  xmlSetStructuredErrorFunc(&t, report_xml_error);
  in->doc = xmlCtxtReadMemory(ctx, bytes, (int)length, name, NULL,
                              XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
  xmlSetStructuredErrorFunc(NULL, NULL);
  xmlFreeParserCtxt(ctx);
  if (!in->doc) {
    if (!t.reported) diag_error(sink, name, 1, 1, "not well-formed XML");
    xml_input_free(in); /* the line index built for the report */
    return 0;
  }
  if (t.reported) { /* recoverable errors still make the input invalid */
    xml_input_free(in);
    return 0;
  }
  xmlRelaxNGValidCtxtPtr vctx = xmlRelaxNGNewValidCtxt(schema->rng);
  if (!vctx) {
    diag_error(sink, name, 0, 0, "out of memory");
    xml_input_free(in);
    return 0;
  }
  xmlRelaxNGSetValidStructuredErrors(vctx, report_xml_error, &t);
  int rc = xmlRelaxNGValidateDoc(vctx, in->doc);
  xmlRelaxNGFreeValidCtxt(vctx);
  if (rc != 0) {
    if (!t.reported) diag_error(sink, name, 1, 1, "does not match the schema");
    xml_input_free(in);
    return 0;
  }
  return 1;
}

void xml_input_free(xml_input *in) {
  if (in->doc) xmlFreeDoc(in->doc);
  in->doc = NULL;
  free(in->line_starts);
  in->line_starts = NULL;
}

static int build_line_index(xml_input *in) {
  if (in->line_starts) return 1;
  size_t count = 1;
  for (size_t i = 0; i < in->length; i++) count += in->bytes[i] == '\n';
  in->line_starts = malloc(sizeof(size_t) * (count + 1));
  if (!in->line_starts) return 0;
  size_t n = 0;
  in->line_starts[n++] = 0;
  for (size_t i = 0; i < in->length; i++)
    if (in->bytes[i] == '\n') in->line_starts[n++] = i + 1;
  in->line_starts[n] = in->length;
  in->line_count = n;
  return 1;
}

/* Column just after '<' of the last "<name" start on line (1-based), at or
 * before the line's end, or 0. */
static int find_tag_on_line(const xml_input *in, size_t line, const char *name, const char *prefix) {
  const char *p = in->bytes + in->line_starts[line - 1];
  const char *end = in->bytes + in->line_starts[line];
  size_t nl = strlen(name), pl = prefix ? strlen(prefix) : 0;
  int found = 0;
  for (const char *q = p; q < end; q++) {
    if (*q != '<') continue;
    const char *tag = q + 1;
    if (pl && (size_t)(end - tag) > pl && memcmp(tag, prefix, pl) == 0 && tag[pl] == ':') tag += pl + 1;
    if ((size_t)(end - tag) < nl || memcmp(tag, name, nl) != 0) continue;
    char after = tag + nl < end ? tag[nl] : ' ';
    if (after == ' ' || after == '>' || after == '/' || after == '\t' || after == '\r' || after == '\n')
      found = (int)(q - p) + 1;
  }
  return found;
}

void xml_node_position(xml_input *in, xmlNodePtr node, int *line, int *column) {
  *line = 0;
  *column = 1;
  if (!node || node->type != XML_ELEMENT_NODE) return;
  long l = xmlGetLineNo(node);
  if (l <= 0) return;
  *line = (int)l;
  if (!in->bytes || !build_line_index(in) || (size_t)l > in->line_count) return;
  const char *prefix = node->ns && node->ns->prefix ? (const char *)node->ns->prefix : NULL;
  /* a start tag spread over lines: look a few lines back */
  for (long k = l; k >= 1 && k > l - 64; k--) {
    int c = find_tag_on_line(in, (size_t)k, (const char *)node->name, prefix);
    if (c) {
      *line = (int)k;
      *column = c;
      return;
    }
  }
}

void xml_error_at(xml_input *in, xmlNodePtr node, const char *fmt, ...) {
  char msg[700];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  int line, column;
  xml_node_position((xml_input *)in, node, &line, &column);
  diag_error(in->sink, in->name, line, column, "%s", msg);
}

int xml_is(xmlNodePtr node, const char *name) {
  return node && node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

const char *xml_attr(const xml_input *in, xmlNodePtr node, const char *name) {
  (void)in;
  for (xmlAttrPtr a = node->properties; a; a = a->next) {
    if (strcmp((const char *)a->name, name) != 0) continue;
    if (a->children && a->children->type == XML_TEXT_NODE) return (const char *)a->children->content;
    return "";
  }
  return NULL;
}

char *parse_read_file(const char *path, size_t max_bytes, size_t *length, diag_sink *sink) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) {
    diag_error(sink, path, 0, 0, "cannot open: %s", strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap + 1);
  while (buf) {
    size_t n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0) break;
    if (len > max_bytes) {
      diag_error(sink, path, 0, 0, "file is larger than %zu bytes", max_bytes);
      free(buf);
      buf = NULL;
      break;
    }
    if (len == cap) {
      char *nb = realloc(buf, cap * 2 + 1);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap *= 2;
    }
  }
  int failed = !buf || ferror(f);
  if (f != stdin) fclose(f);
  if (failed) {
    if (buf) diag_error(sink, path, 0, 0, "cannot read: %s", strerror(errno));
    free(buf);
    return NULL;
  }
  buf[len] = '\0';
  *length = len;
  return buf;
}

double parse_length(const char *s) {
  if (!s || !*s) return -1;
  char *end;
  double v = strtod_c(s, &end);
  if (end == s || v < 0) return -1;
  if (*end == '\0' || strcmp(end, "pt") == 0) return v;
  if (strcmp(end, "mm") == 0) return v * 72.0 / 25.4;
  if (strcmp(end, "cm") == 0) return v * 720.0 / 25.4;
  if (strcmp(end, "in") == 0) return v * 72.0;
  if (strcmp(end, "%") == 0 || strcmp(end, "*") == 0) return v;
  return -1;
}
