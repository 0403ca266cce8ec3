/* content_domain.c - the domain elements of the content (process areas,
 * goals, commitments, indicator tables, risks, assignments, summaries and
 * counts) into domain nodes. Their symbol values are the template's
 * business: they are checked, and missing ones derived, when the blocks
 * are lowered before layout (model/expand.c). */
#include <string.h>

#include "model/domain.h"
#include "parse/content_internal.h"

const char *const *content_domain_attrs(builder *b, xmlNodePtr el) {
  if (!el->properties) return NULL;
  const char **attrs = arena_alloc(&b->doc->arena, sizeof *attrs * DOMAIN_ATTR_COUNT);
  if (!attrs) {
    b->failed = 1;
    return NULL;
  }
  for (int i = 0; i < DOMAIN_ATTR_COUNT; i++) {
    const char *v = xml_attr(b->in, el, domain_attr_names[i]);
    attrs[i] = v ? arena_strdup(&b->doc->arena, v) : NULL;
    if (v && !attrs[i]) b->failed = 1;
  }
  return attrs;
}

static node *domain_node(builder *b, node_kind kind, node *parent, xmlNodePtr el, domain_part part) {
  node *n = content_node(b, kind, parent, el);
  if (!n) return NULL;
  n->u.domain.attrs = content_domain_attrs(b, el);
  n->u.domain.part = part;
  return n;
}

static void inline_part(builder *b, xmlNodePtr el, node *parent, domain_part part) {
  node *n = domain_node(b, NODE_DOMAIN_PART, parent, el, part);
  if (n) content_inlines(b, el->children, n);
}

/* An outcome or target: its text with white space collapsed and trimmed,
 * a canonical number or any words ("I.U."). */
static void value_part(builder *b, xmlNodePtr el, node *parent, domain_part part) {
  node *n = domain_node(b, NODE_DOMAIN_PART, parent, el, part);
  if (!n) return;
  xmlChar *c = xmlNodeGetContent(el);
  const char *s = c ? (const char *)c : "";
  size_t len = strlen(s);
  char *out = arena_alloc(&b->doc->arena, len + 1);
  if (!out) {
    b->failed = 1;
    xmlFree(c);
    return;
  }
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    int space = s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
    if (!space)
      out[o++] = s[i];
    else if (o > 0 && out[o - 1] != ' ')
      out[o++] = ' ';
  }
  while (o > 0 && out[o - 1] == ' ') o--;
  out[o] = '\0';
  n->text = out;
  n->length = o;
  xmlFree(c);
}

/* A <result> holds paragraphs or lists rather than inline content. */
static int has_blocks(xmlNodePtr el) {
  for (xmlNodePtr c = el->children; c; c = c->next)
    if (xml_is(c, "p") || xml_is(c, "ul") || xml_is(c, "ol")) return 1;
  return 0;
}

/* One element that holds blocks; built on its own, its siblings stay. */
static void one_block(builder *b, xmlNodePtr c, node *parent) {
  xmlNodePtr next = c->next;
  c->next = NULL;
  content_blocks(b, c, parent);
  c->next = next;
}

static void build_indicator_rows(builder *b, xmlNodePtr el, node *n) {
  for (xmlNodePtr c = el->children; c && !b->failed; c = c->next) {
    if (xml_is(c, "name")) {
      inline_part(b, c, n, DOMAIN_PART_NAME);
    } else if (xml_is(c, "outcome")) {
      value_part(b, c, n, DOMAIN_PART_OUTCOME);
    } else if (xml_is(c, "target")) {
      value_part(b, c, n, DOMAIN_PART_TARGET);
    } else if (xml_is(c, "sub")) {
      node *sub = domain_node(b, NODE_INDICATOR, n, c, DOMAIN_PART_SUB);
      if (sub) build_indicator_rows(b, c, sub);
    }
  }
}

static void build_indicators(builder *b, xmlNodePtr el, node *parent) {
  node *t = domain_node(b, NODE_INDICATORS, parent, el, DOMAIN_PART_NONE);
  for (xmlNodePtr c = el->children; t && c && !b->failed; c = c->next) {
    if (xml_is(c, "caption")) {
      node *cap = content_node(b, NODE_CAPTION, t, c);
      if (cap) content_inlines(b, c->children, cap);
    } else if (xml_is(c, "indicator")) {
      node *n = domain_node(b, NODE_INDICATOR, t, c, DOMAIN_PART_NONE);
      if (n) build_indicator_rows(b, c, n);
    }
  }
}

void content_domain_block(builder *b, xmlNodePtr el, node *parent) {
  if (xml_is(el, "process-goal") || xml_is(el, "commitment")) {
    node *n = domain_node(b, xml_is(el, "commitment") ? NODE_COMMITMENT : NODE_PROCESS_GOAL, parent, el,
                          DOMAIN_PART_NONE);
    for (xmlNodePtr c = el->children; n && c && !b->failed; c = c->next) {
      if (xml_is(c, "text"))
        inline_part(b, c, n, DOMAIN_PART_TEXT);
      else if (xml_is(c, "indicators"))
        build_indicators(b, c, n);
      else if (c->type == XML_ELEMENT_NODE)
        one_block(b, c, n);
    }
  } else if (xml_is(el, "indicators")) {
    build_indicators(b, el, parent);
  } else if (xml_is(el, "risk")) {
    node *n = domain_node(b, NODE_RISK, parent, el, DOMAIN_PART_NONE);
    static const struct {
      const char *name;
      domain_part part;
    } parts[] = {{"text", DOMAIN_PART_TEXT},
                 {"original", DOMAIN_PART_ORIGINAL},
                 {"control", DOMAIN_PART_CONTROL},
                 {"result", DOMAIN_PART_RESULT}};
    for (xmlNodePtr c = el->children; n && c && !b->failed; c = c->next) {
      if (xml_is(c, "comment")) {
        node *comment = domain_node(b, NODE_DOMAIN_PART, n, c, DOMAIN_PART_COMMENT);
        if (comment) content_blocks(b, c->children, comment);
        continue;
      }
      if (xml_is(c, "result") && has_blocks(c)) {
        node *result = domain_node(b, NODE_DOMAIN_PART, n, c, DOMAIN_PART_RESULT);
        if (result) content_blocks(b, c->children, result);
        continue;
      }
      for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        if (xml_is(c, parts[i].name)) inline_part(b, c, n, parts[i].part);
    }
  } else if (xml_is(el, "assignments")) {
    node *n = domain_node(b, NODE_ASSIGNMENTS, parent, el, DOMAIN_PART_NONE);
    for (xmlNodePtr c = el->children; n && c && !b->failed; c = c->next) {
      if (xml_is(c, "caption")) {
        node *cap = content_node(b, NODE_CAPTION, n, c);
        if (cap) content_inlines(b, c->children, cap);
      } else if (xml_is(c, "assignment")) {
        node *a = domain_node(b, NODE_ASSIGNMENT, n, c, DOMAIN_PART_NONE);
        if (a) content_inlines(b, c->children, a);
      }
    }
  } else if (xml_is(el, "summary")) {
    domain_node(b, NODE_SUMMARY, parent, el, DOMAIN_PART_NONE);
  }
}

void content_domain_inline(builder *b, xmlNodePtr el, node *parent) {
  domain_node(b, NODE_COUNT, parent, el, DOMAIN_PART_NONE);
}
