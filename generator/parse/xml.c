/* xml.c - loading XML with libxml2, RELAX NG validation, and mapping its
 * errors to file:line:column diagnostics. */
#include <errno.h>
#include <fcntl.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse/schema_rules.h"
#include "parse/xml_internal.h"
#include "util/i18n.h"
#include "util/num.h"

struct xml_schema {
  xmlRelaxNGPtr rng;
  schema_rules *rules; /* to explain a failed validation (schema_rules.h) */
};

enum { MAX_REPORTED = 20, MAX_SCHEMA_BYTES = 4 * 1024 * 1024 };

#define build_line_index xml_line_index
static int find_tag_on_line(const xml_input *in, size_t line, const char *name, const char *prefix);

enum { CHAR_BLOCK = 4096 };

/* Characters (UTF-8 sequences, or stray bytes) before a byte offset. */
static size_t chars_before(const xml_input *in, size_t offset) {
  if (offset > in->length) offset = in->length;
  size_t i = in->block_chars ? offset / CHAR_BLOCK * CHAR_BLOCK : 0;
  size_t c = in->block_chars ? in->block_chars[offset / CHAR_BLOCK] : 0;
  for (; i < offset; i++) c += ((unsigned char)in->bytes[i] & 0xC0) != 0x80;
  return c;
}

/* line:column of a byte offset (the line index must exist); the column
 * counts characters: UTF-8 continuation bytes add nothing. */
void xml_offset_position(xml_input *in, size_t offset, int *line, int *column) {
  size_t lo = 0, hi = in->line_count;
  while (lo + 1 < hi) {
    size_t mid = (lo + hi) / 2;
    if (in->line_starts[mid] <= offset) lo = mid;
    else hi = mid;
  }
  *line = (int)lo + 1;
  *column = (int)(chars_before(in, offset) - chars_before(in, in->line_starts[lo])) + 1;
}
#define offset_position xml_offset_position

/* Offset of the first s in b[from, n), or n. The input has no NUL. */
static size_t find_bytes(const char *b, size_t from, size_t n, const char *s) {
  size_t l = strlen(s);
  for (size_t i = from; i + l <= n; i++) {
    const char *hit = memchr(b + i, s[0], n - i);
    if (!hit) return n;
    i = (size_t)(hit - b);
    if (i + l <= n && memcmp(b + i, s, l) == 0) return i;
  }
  return n;
}

/* The byte offset of an element's '<', recorded while parsing, or -1. */
long xml_node_offset(xmlNodePtr node) {
  return node && node->type == XML_ELEMENT_NODE && node->_private ? (long)(uintptr_t)node->_private - 1 : -1;
}

/* Moves line:column from an element to the first character of text in
 * it outside child elements (skipping tags, comments and white space):
 * where stray text is. */
void xml_text_position(xml_input *in, xmlNodePtr element, int *line, int *column) {
  long start = xml_node_offset(element);
  if (start < 0 || !build_line_index(in)) return;
  const char *b = in->bytes;
  size_t n = in->length, i = (size_t)start;
  while (i < n && b[i] != '>') i++; /* past the element's own start tag */
  i++;
  int depth = 0; /* text inside child elements is theirs, not stray */
  while (i < n) {
    if (i + 3 < n && memcmp(b + i, "<!--", 4) == 0) {
      size_t end = find_bytes(b, i + 4, n, "-->");
      i = end < n ? end + 3 : n;
    } else if (b[i] == '<') {
      int closing = i + 1 < n && b[i + 1] == '/';
      while (i < n && b[i] != '>') i++;
      int empty = i > 0 && i < n && b[i - 1] == '/';
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

/* The first element with this local name, in document order. */
static xmlNodePtr first_element_named(xmlNodePtr n, const char *name, size_t len) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (strlen((const char *)n->name) == len && memcmp(n->name, name, len) == 0) return n;
    xmlNodePtr found = first_element_named(n->children, name, len);
    if (found) return found;
  }
  return NULL;
}

/* A schema error, held until validation ends: the rule walk explains
 * most failures better, and libxml2 follows one mistake with several. */
typedef struct held_error {
  int line, column;
  char *message;
  xmlNodePtr node; /* the element it is about, when libxml2 says */
} held_error;

typedef struct error_target {
  xml_input *in;
  int errors, reported;
  held_error held[MAX_REPORTED];
  int held_count;
} error_target;

static void hold(error_target *t, const char *m, int line, int column, xmlNodePtr node) {
  if (t->held_count >= MAX_REPORTED) return;
  size_t n = strlen(m);
  while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--;
  char *copy = strndup(m, n);
  if (copy) t->held[t->held_count++] = (held_error){line, column, copy, node};
}

/* libxml2's follow-ups and summaries of an error it reported already. */
static int is_noise(const char *m) {
  return strstr(m, "in interleave") || strstr(m, "failed to validate") || strstr(m, "Invalid sequence") ||
         strstr(m, "Error validating datatype");
}

/* When the rule walk found nothing: an element in the wrong place, said
 * with its parent's order, or else libxml2's first real error, alone. */
static void report_held(error_target *t, const schema_rules *rules) {
  for (int i = 0; i < t->held_count; i++)
    if (strstr(t->held[i].message, "Did not expect element") &&
        schema_rules_explain_order(rules, t->in, t->held[i].node))
      return;
  const held_error *pick = NULL;
  for (int pass = 0; pass < 3 && !pick; pass++)
    for (int i = 0; i < t->held_count && !pick; i++) {
      const held_error *h = &t->held[i];
      if ((pass == 0 && !is_noise(h->message) && h->line > 0) || (pass == 1 && !is_noise(h->message)) ||
          pass == 2)
        pick = h;
    }
  if (pick) {
    diag_extra x = {.code = "E0199-schema",
                    .hint = _("see docs/content.md and docs/template.md for what goes where")};
    diag_report_ex(t->in->sink, BILAGA_SEVERITY_ERROR, t->in->name, pick->line,
                   pick->line > 0 ? pick->column : 0, &x, "%s", pick->message);
  }
}

static void free_held(error_target *t) {
  for (int i = 0; i < t->held_count; i++) free(t->held[i].message);
  t->held_count = 0;
}

static void report_xml_error(error_target *t, const xmlError *e, xmlParserCtxtPtr parser) {
  if (!e) return;
  int warning = e->level == XML_ERR_WARNING;
  if (!warning) t->errors++;
  if (e->domain != XML_FROM_RELAXNGV && t->reported++ >= MAX_REPORTED) return;
  xml_input *in = t->in;
  int line = e->line, column = e->int2;
  xmlNodePtr node = e->node;
  if (node && node->type != XML_ELEMENT_NODE && node->type != XML_DOCUMENT_NODE && node->parent)
    node = node->parent;
  const char *m = e->message ? e->message : "";
  if (parser && parser->inputNr == 1 && parser->input && parser->input->cur && in->bytes &&
      build_line_index(in)) {
    /* where the parser stands, in bytes (libxml2 counts characters) */
    size_t at = (size_t)parser->input->consumed + (size_t)(parser->input->cur - parser->input->base);
    if (at > in->length) at = in->length;
    if (e->code == XML_ERR_UNDECLARED_ENTITY && e->str1) { /* back to its '&' */
      size_t back = strlen(e->str1) + 2;
      if (at >= back && in->bytes[at - back] == '&') at -= back;
    } else if (e->code == XML_ERR_NAME_REQUIRED || e->code == XML_ERR_ENTITYREF_SEMICOL_MISSING) {
      /* a bare & (or <): the parser stands after it and a name */
      size_t back = at;
      while (back > 0 && at - back < 64 && in->bytes[back - 1] != '&' && in->bytes[back - 1] != '<' &&
             in->bytes[back - 1] != '\n')
        back--;
      if (back > 0 && (in->bytes[back - 1] == '&' || in->bytes[back - 1] == '<')) at = back - 1;
    } else if (e->code == XML_NS_ERR_UNDEFINED_NAMESPACE ||
               (e->code == XML_ERR_INVALID_CHAR && strstr(m, "CharRef"))) {
      /* back to the tag's '<' or the reference's '&' */
      char want = e->code == XML_NS_ERR_UNDEFINED_NAMESPACE ? '<' : '&';
      size_t back = at;
      while (back > 0 && at - back < 4096 && in->bytes[back - 1] != want && in->bytes[back - 1] != '\n')
        back--;
      if (back > 0 && in->bytes[back - 1] == want) at = back - 1;
    }
    offset_position(in, at, &line, &column);
  }
  if (node && node->type == XML_ELEMENT_NODE) {
    xml_node_position(in, node, &line, &column);
    if (strstr(m, "text")) xml_text_position(in, node, &line, &column);
  } else if (!node && line <= 0 && strstr(m, "element ") && in->doc) {
    /* some schema errors come without a node: find the element they name */
    const char *name = strstr(m, "element ") + 8;
    size_t len = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");
    xmlNodePtr named = first_element_named(xmlDocGetRootElement(in->doc), name, len);
    if (named) xml_node_position(in, named, &line, &column);
  } else if ((e->code == XML_ERR_COMMENT_NOT_FINISHED || e->code == XML_ERR_CDATA_NOT_FINISHED) && in->bytes &&
             build_line_index(in)) {
    /* noticed only at the end of the input: point at where it opens */
    int comment = e->code == XML_ERR_COMMENT_NOT_FINISHED;
    const char *opener = comment ? "<!--" : "<![CDATA[", *closer = comment ? "-->" : "]]>";
    for (size_t i = 0; (i = find_bytes(in->bytes, i, in->length, opener)) < in->length;) {
      size_t close = find_bytes(in->bytes, i + strlen(opener), in->length, closer);
      if (close >= in->length) {
        offset_position(in, i, &line, &column);
        break;
      }
      i = close + 3;
    }
  } else if ((e->code == XML_ERR_TAG_NAME_MISMATCH || e->code == XML_ERR_TAG_NOT_FINISHED) && e->str1) {
    /* an unclosed element: point at where it was opened */
    xmlNodePtr open = parser ? parser->node : NULL;
    if (open && open->type == XML_ELEMENT_NODE && strcmp((const char *)open->name, e->str1) == 0 &&
        xml_node_offset(open) >= 0) {
      xml_node_position(in, open, &line, &column);
    } else if (e->int1 > 0 && in->bytes && build_line_index(in) && (size_t)e->int1 <= in->line_count) {
      line = e->int1;
      int c = find_tag_on_line(in, (size_t)line, e->str1, NULL);
      if (c)
        offset_position(in, in->line_starts[line - 1] + (size_t)c - 1, &line, &column);
      else
        column = 1;
    }
  }
  if (e->domain == XML_FROM_RELAXNGV) {
    if (!warning) hold(t, m, line, column, node && node->type == XML_ELEMENT_NODE ? node : NULL);
    return;
  }
  if (!warning && t->errors > 1 && parser) return; /* the first well-formedness error is the cause */
  xml_words_parse_error(in, e, line, column);
}

/* The parser passes itself (its userData); the target hangs off it. */
static void parser_error(void *ctx, xmlErrorPtr e) {
  xmlParserCtxtPtr parser = ctx;
  report_xml_error(parser->_private, e, parser);
}

static void schema_error(void *target, xmlErrorPtr e) { report_xml_error(target, e, NULL); }

/* While bilaga uses libxml2 on this thread, libxml2's process-wide
 * handlers (thread-local in libxml2) lead to the sink too: what no
 * parser or validation context catches (a schema's externalRef that cannot
 * be loaded) would go to stderr otherwise. The host's handlers come back
 * afterwards. */
typedef struct error_route {
  xmlStructuredErrorFunc structured;
  void *structured_context;
  xmlGenericErrorFunc generic;
  void *generic_context;
} error_route;

static void generic_error(void *target, const char *fmt, ...) {
  error_target *t = target;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  size_t n = strlen(msg);
  while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) msg[--n] = '\0';
  if (n == 0) return; /* libxml2 sends some messages in pieces: the pieces without text are dropped */
  t->errors++;
  diag_extra x = {.code = "E0200-xml"};
  diag_report_ex(t->in->sink, BILAGA_SEVERITY_ERROR, t->in->name, 0, 0, &x, "%s", msg);
}

static void route_begin(error_route *saved, error_target *t) {
  *saved =
      (error_route){xmlStructuredError, xmlStructuredErrorContext, xmlGenericError, xmlGenericErrorContext};
  xmlSetStructuredErrorFunc(t, schema_error);
  xmlSetGenericErrorFunc(t, generic_error);
}

static void route_end(const error_route *saved) {
  xmlSetStructuredErrorFunc(saved->structured_context, saved->structured);
  xmlSetGenericErrorFunc(saved->generic_context, saved->generic);
}

/* Records where each start tag begins: the parser stands at its end. */
static void start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                          int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                          const xmlChar **attributes) {
  xmlParserCtxtPtr parser = ctx;
  xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes, nb_defaulted,
                        attributes);
  const error_target *t = parser->_private;
  xmlNodePtr node = parser->node;
  if (!node || node->type != XML_ELEMENT_NODE || !parser->input || !parser->input->cur) return;
  size_t at = (size_t)parser->input->consumed + (size_t)(parser->input->cur - parser->input->base);
  if (at >= t->in->length) at = t->in->length ? t->in->length - 1 : 0;
  while (at > 0 && t->in->bytes[at] != '<') at--; /* a start tag holds no other '<' */
  node->_private = (void *)(uintptr_t)(at + 1);
}

/* Well-formedness only: the tree, with start tag offsets. */
static int parse_xml(xml_input *in, long max_elements, error_target *t) {
  if (in->length > (size_t)0x7fffffff) {
    diag_error(in->sink, in->name, 0, 0, _("the file is too large (over 2 GiB)"));
    return 0;
  }
  if (!xml_check_bytes(in->bytes, in->length, max_elements, in->name, in->sink)) return 0;
  if (in->length == 0) { /* libxml2 makes no parser for no bytes */
    diag_error(in->sink, in->name, 1, 1, _("the file is empty"));
    return 0;
  }
  xmlParserCtxtPtr parser = xmlCreateMemoryParserCtxt(in->bytes, (int)in->length);
  if (!parser) {
    diag_error(in->sink, in->name, 0, 0, _("out of memory"));
    return 0;
  }
  /* Errors go to this parser only, never through libxml2's global
   * handlers; no network, no DTD, entities never substituted. */
  xmlCtxtUseOptions(parser, XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC);
  parser->_private = t;
  parser->sax->serror = parser_error;
  parser->sax->startElementNs = start_element;
  if (parser->input && !parser->input->filename) parser->input->filename = (char *)xmlStrdup(BAD_CAST in->name);
  xmlParseDocument(parser);
  in->doc = parser->myDoc;
  parser->myDoc = NULL;
  int well_formed = parser->wellFormed && in->doc;
  xmlFreeParserCtxt(parser);
  if (!well_formed || t->errors) {
    if (!t->errors) diag_error(in->sink, in->name, 1, 1, _("not well-formed XML"));
    return 0;
  }
  return 1;
}

char *parse_read_regular_file(const char *path, size_t max_bytes, size_t *length, diag_sink *sink) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    diag_error(sink, path, 0, 0, _("cannot open: %s"), strerror(errno));
    return NULL;
  }
  struct stat st = {0};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    diag_error(sink, path, 0, 0, _("cannot read: %s"),
               S_ISDIR(st.st_mode)    ? _("it is a directory")
               : S_ISFIFO(st.st_mode) ? _("it is a FIFO, not a regular file")
                                      : _("not a regular file"));
    close(fd);
    return NULL;
  }
  if ((uintmax_t)st.st_size > max_bytes) {
    diag_error(sink, path, 0, 0, _("file is larger than %zu bytes"), max_bytes);
    close(fd);
    return NULL;
  }
  size_t cap = (size_t)st.st_size, len = 0;
  char *buf = malloc(cap + 1);
  while (buf && len < cap) {
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break; /* a file that shrank: what there is */
    len += (size_t)n;
  }
  close(fd);
  if (!buf) {
    diag_error(sink, path, 0, 0, _("out of memory"));
    return NULL;
  }
  buf[len] = '\0';
  *length = len;
  return buf;
}

xml_schema *parse_schema_load(const char *path, diag_sink *sink) {
  size_t length;
  int errors_before = sink ? sink->errors : 0;
  char *bytes = parse_read_regular_file(path, MAX_SCHEMA_BYTES, &length, sink);
  if (!bytes) return NULL;
  xml_input in = {0};
  in.bytes = bytes;
  in.length = length;
  in.name = path;
  in.sink = sink;
  error_target t = {.in = &in};
  error_route saved;
  route_begin(&saved, &t);
  xmlRelaxNGParserCtxtPtr pctx = parse_xml(&in, XML_MAX_CONTENT_ELEMENTS, &t) ? xmlRelaxNGNewDocParserCtxt(in.doc) : NULL;
  xmlRelaxNGPtr rng = NULL;
  if (pctx) {
    xmlRelaxNGSetParserStructuredErrors(pctx, schema_error, &t);
    rng = xmlRelaxNGParse(pctx);
    xmlRelaxNGFreeParserCtxt(pctx);
  }
  route_end(&saved);
  schema_rules *rules = rng ? schema_rules_new(in.doc) : NULL; /* it keeps the document */
  if (rules) in.doc = NULL;
  xml_input_free(&in);
  free(bytes);
  if (!rng) {
    if (!sink || sink->errors == errors_before) diag_error(sink, path, 0, 0, _("cannot compile schema"));
    return NULL;
  }
  xml_schema *s = malloc(sizeof *s);
  if (!s) {
    xmlRelaxNGFree(rng);
    schema_rules_free(rules);
    return NULL;
  }
  s->rng = rng;
  s->rules = rules;
  return s;
}

void parse_schema_free(xml_schema *schema) {
  if (!schema) return;
  xmlRelaxNGFree(schema->rng);
  schema_rules_free(schema->rules);
  free(schema);
}

static int load(xml_input *in, xml_schema *schema, long max_elements, error_target *t) {
  diag_sink *sink = in->sink;
  const char *name = in->name;
  if (!parse_xml(in, max_elements, t)) {
    xml_input_free(in);
    return 0;
  }
  xmlRelaxNGValidCtxtPtr vctx = xmlRelaxNGNewValidCtxt(schema->rng);
  if (!vctx) {
    diag_error(sink, name, 0, 0, _("out of memory"));
    xml_input_free(in);
    return 0;
  }
  xmlRelaxNGSetValidStructuredErrors(vctx, schema_error, t);
  int rc = xmlRelaxNGValidateDoc(vctx, in->doc);
  xmlRelaxNGFreeValidCtxt(vctx);
  if (rc != 0 || t->errors) {
    /* one message per mistake, in the author's terms; libxml2's own only
     * for what the rules do not see (order, counts, unique ids) */
    int errors_before = sink ? sink->errors : 0;
    if (!schema_rules_explain(schema->rules, in, MAX_REPORTED)) report_held(t, schema->rules);
    free_held(t);
    if (!sink || sink->errors == errors_before)
      diag_error(sink, name, 1, 1, "%s", _("does not match the schema"));
    xml_input_free(in);
    return 0;
  }
  free_held(t);
  return 1;
}

int xml_input_load(xml_input *in, const char *bytes, size_t length, const char *name, xml_schema *schema,
                   long max_elements, diag_sink *sink) {
  memset(in, 0, sizeof *in);
  in->bytes = bytes;
  in->length = length;
  in->name = name;
  in->sink = sink;
  error_target t = {.in = in};
  error_route saved;
  route_begin(&saved, &t);
  int ok = load(in, schema, max_elements, &t);
  route_end(&saved);
  return ok;
}

void xml_input_free(xml_input *in) {
  if (in->doc) xmlFreeDoc(in->doc);
  in->doc = NULL;
  free(in->line_starts);
  in->line_starts = NULL;
  free(in->block_chars);
  in->block_chars = NULL;
}

int xml_line_index(xml_input *in) {
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
  in->block_chars = malloc(sizeof(size_t) * (in->length / CHAR_BLOCK + 1));
  if (in->block_chars) {
    size_t c = 0;
    for (size_t i = 0; i < in->length; i++) {
      if (i % CHAR_BLOCK == 0) in->block_chars[i / CHAR_BLOCK] = c;
      c += ((unsigned char)in->bytes[i] & 0xC0) != 0x80;
    }
    if (in->length % CHAR_BLOCK == 0) in->block_chars[in->length / CHAR_BLOCK] = c;
  }
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
  long at = xml_node_offset(node);
  if (at >= 0 && in->bytes && (size_t)at < in->length && build_line_index(in)) {
    offset_position(in, (size_t)at, line, column);
    return;
  }
  long l = xmlGetLineNo(node); /* a node without a recorded offset */
  if (l > 0) *line = (int)l;
}

void xml_error_at(xml_input *in, xmlNodePtr node, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (msg) {
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  int line, column;
  xml_node_position(in, node, &line, &column);
  diag_error(in->sink, in->name, line, column, "%s", msg ? msg : _("(out of memory)"));
  free(msg);
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
    diag_error(sink, path, 0, 0, _("cannot open: %s"), strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap + 1);
  while (buf) {
    size_t n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0) break;
    if (len > max_bytes) {
      diag_error(sink, path, 0, 0, _("file is larger than %zu bytes"), max_bytes);
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
    if (buf) diag_error(sink, path, 0, 0, _("cannot read: %s"), strerror(errno));
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
