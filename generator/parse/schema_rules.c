/* schema_rules.c - a RELAX NG schema's patterns per element, and the walk
 * that explains why a document does not match them (schema_rules.h). */
#include "parse/schema_rules.h"

#include <libxml/hash.h>
#include <libxml/xmlschemastypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/schema_words.h"
#include "util/i18n.h"
#include "util/suggest.h"

#define RNG_NS "http://relaxng.org/ns/structure/1.0"
#define XSD_NS "http://www.w3.org/2001/XMLSchema-datatypes"

enum { MAX_REF_DEPTH = 64 };

typedef struct rule_attr {
  const char *name, *ns; /* ns "" for none */
  int required;
  xmlNodePtr pattern; /* the <attribute> */
} rule_attr;

typedef struct rule rule;
typedef struct rule_kid {
  rule *rule;
  int required;
  int repeatable; /* under zeroOrMore or oneOrMore */
} rule_kid;

struct rule {
  xmlNodePtr def; /* its <element> in the schema */
  const char *name, *ns;
  rule_attr *attrs;
  int attr_count;
  rule_kid *kids;
  int kid_count;
  int text;         /* free text allowed */
  xmlNodePtr value; /* what the text must be (data, value, choice), or NULL */
  int opaque;       /* holds patterns the walk does not know: not judged */
};

struct schema_rules {
  xmlDocPtr doc;
  xmlNodePtr grammar;
  rule **all;
  int count;
  rule root; /* pseudo element: its kids are the allowed roots */
};

static int is_rng(xmlNodePtr n, const char *name) {
  return n && n->type == XML_ELEMENT_NODE && n->ns && strcmp((const char *)n->ns->href, RNG_NS) == 0 &&
         (!name || strcmp((const char *)n->name, name) == 0);
}

static const char *attr_of(xmlNodePtr n, const char *name) {
  for (xmlAttrPtr a = n->properties; a; a = a->next)
    if (!a->ns && strcmp((const char *)a->name, name) == 0 && a->children)
      return (const char *)a->children->content;
  return NULL;
}

/* The nearest ns= (an element's namespace; attributes have none unless
 * they say so). */
static const char *inherited(xmlNodePtr n, const char *name) {
  for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
    const char *v = attr_of(n, name);
    if (v) return v;
  }
  return "";
}

static int grow(void **items, int count, size_t size) {
  void *more = realloc(*items, size * (size_t)(count + 1));
  if (!more) return 0;
  *items = more;
  return 1;
}

static rule *rule_for(schema_rules *s, xmlNodePtr element);

/* Every <define name=...> (combined defines are all of them). */
static void collect(schema_rules *s, rule *r, xmlNodePtr container, int required, int repeatable, int depth);

static void collect_ref(schema_rules *s, rule *r, const char *name, int required, int repeatable, int depth) {
  int n = 0;
  for (xmlNodePtr d = s->grammar->children; d; d = d->next)
    if (is_rng(d, "define") && name && strcmp(attr_of(d, "name") ? attr_of(d, "name") : "", name) == 0) n++;
  if (n == 0) r->opaque = 1;
  for (xmlNodePtr d = s->grammar->children; d; d = d->next)
    if (is_rng(d, "define") && name && strcmp(attr_of(d, "name") ? attr_of(d, "name") : "", name) == 0)
      collect(s, r, d, required && n == 1, repeatable, depth + 1);
}

static void add_attr(rule *r, xmlNodePtr a, int required) {
  const char *name = attr_of(a, "name");
  if (!name) {
    r->opaque = 1;
    return;
  }
  const char *ns = attr_of(a, "ns");
  if (strncmp(name, "xml:", 4) == 0) {
    name += 4;
    ns = (const char *)XML_XML_NAMESPACE;
  }
  if (!grow((void **)&r->attrs, r->attr_count, sizeof *r->attrs)) {
    r->opaque = 1;
    return;
  }
  r->attrs[r->attr_count++] =
      (rule_attr){.name = name, .ns = ns ? ns : "", .required = required, .pattern = a};
}

static void collect(schema_rules *s, rule *r, xmlNodePtr container, int required, int repeatable, int depth) {
  if (depth > MAX_REF_DEPTH) {
    r->opaque = 1;
    return;
  }
  for (xmlNodePtr c = container->children; c; c = c->next) {
    if (!is_rng(c, NULL)) continue; /* annotations, comments, text */
    const char *k = (const char *)c->name;
    if (strcmp(k, "element") == 0) {
      rule *kid = rule_for(s, c);
      if (kid && !*kid->name) r->opaque = 1; /* any name may stand here: the parent is not judged */
      if (!kid || !grow((void **)&r->kids, r->kid_count, sizeof *r->kids)) {
        r->opaque = 1;
        continue;
      }
      r->kids[r->kid_count++] = (rule_kid){.rule = kid, .required = required, .repeatable = repeatable};
    } else if (strcmp(k, "attribute") == 0) {
      add_attr(r, c, required);
    } else if (strcmp(k, "ref") == 0) {
      collect_ref(s, r, attr_of(c, "name"), required, repeatable, depth);
    } else if (strcmp(k, "optional") == 0 || strcmp(k, "choice") == 0) {
      collect(s, r, c, 0, repeatable, depth);
    } else if (strcmp(k, "zeroOrMore") == 0) {
      collect(s, r, c, 0, 1, depth);
    } else if (strcmp(k, "oneOrMore") == 0) {
      collect(s, r, c, required, 1, depth);
    } else if (strcmp(k, "group") == 0 || strcmp(k, "interleave") == 0) {
      collect(s, r, c, required, repeatable, depth);
    } else if (strcmp(k, "mixed") == 0) {
      r->text = 1;
      collect(s, r, c, required, repeatable, depth);
    } else if (strcmp(k, "text") == 0) {
      r->text = 1;
    } else if (strcmp(k, "data") == 0 || strcmp(k, "value") == 0) {
      if (!r->value) r->value = is_rng(container, "choice") ? container : c;
    } else if (strcmp(k, "empty") == 0 || strcmp(k, "notAllowed") == 0 || strcmp(k, "name") == 0 ||
               strcmp(k, "param") == 0) {
      /* nothing to allow */
    } else {
      r->opaque = 1; /* list, anyName, nsName, externalRef...: not judged */
    }
  }
}

static rule *rule_for(schema_rules *s, xmlNodePtr element) {
  for (int i = 0; i < s->count; i++)
    if (s->all[i]->def == element) return s->all[i];
  rule *r = calloc(1, sizeof *r);
  if (!r || !grow((void **)&s->all, s->count, sizeof *s->all)) {
    free(r);
    return NULL;
  }
  s->all[s->count++] = r;
  r->def = element;
  r->name = attr_of(element, "name");
  r->ns = inherited(element, "ns");
  if (!r->name || strchr(r->name, ':')) r->opaque = 1; /* a <name> class or a prefixed name: not judged */
  if (!r->name) r->name = "";
  collect(s, r, element, 1, 0, 0);
  return r;
}

schema_rules *schema_rules_new(xmlDocPtr doc) {
  schema_rules *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->doc = doc;
  s->grammar = xmlDocGetRootElement(doc);
  if (!is_rng(s->grammar, "grammar")) {
    s->root.opaque = 1;
    return s;
  }
  for (xmlNodePtr c = s->grammar->children; c; c = c->next)
    if (is_rng(c, "start")) collect(s, &s->root, c, 1, 0, 0);
  return s;
}

void schema_rules_free(schema_rules *s) {
  if (!s) return;
  for (int i = 0; i < s->count; i++) {
    free(s->all[i]->attrs);
    free(s->all[i]->kids);
    free(s->all[i]);
  }
  free(s->all);
  free(s->root.kids);
  free(s->root.attrs);
  xmlFreeDoc(s->doc);
  free(s);
}

/* ---- values ------------------------------------------------------------ */

static xmlNodePtr define_named(const schema_rules *s, const char *name) {
  for (xmlNodePtr d = s->grammar->children; d; d = d->next)
    if (is_rng(d, "define") && name && attr_of(d, "name") && strcmp(attr_of(d, "name"), name) == 0) return d;
  return NULL;
}

static xmlNodePtr first_pattern(xmlNodePtr n) {
  for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
    if (is_rng(c, NULL) && !is_rng(c, "name") && !is_rng(c, "param") && !is_rng(c, "except")) return c;
  return NULL;
}

/* Whitespace collapsed, as a token compares. */
static int same_token(const char *a, const char *b) {
  while (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r') a++;
  while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r') b++;
  while (*a && *b) {
    int sa = *a == ' ' || *a == '\t' || *a == '\n' || *a == '\r';
    int sb = *b == ' ' || *b == '\t' || *b == '\n' || *b == '\r';
    if (sa && sb) {
      while (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r') a++;
      while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r') b++;
      if (!*a || !*b) break;
      continue;
    }
    if (*a != *b) return 0;
    a++, b++;
  }
  while (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r') a++;
  while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r') b++;
  return !*a && !*b;
}

static const struct {
  const char *name;
  xmlSchemaTypeType type;
} facet_names[] = {
    {"minInclusive", XML_SCHEMA_FACET_MININCLUSIVE}, {"minExclusive", XML_SCHEMA_FACET_MINEXCLUSIVE},
    {"maxInclusive", XML_SCHEMA_FACET_MAXINCLUSIVE}, {"maxExclusive", XML_SCHEMA_FACET_MAXEXCLUSIVE},
    {"totalDigits", XML_SCHEMA_FACET_TOTALDIGITS},   {"fractionDigits", XML_SCHEMA_FACET_FRACTIONDIGITS},
    {"pattern", XML_SCHEMA_FACET_PATTERN},           {"enumeration", XML_SCHEMA_FACET_ENUMERATION},
    {"whiteSpace", XML_SCHEMA_FACET_WHITESPACE},     {"length", XML_SCHEMA_FACET_LENGTH},
    {"maxLength", XML_SCHEMA_FACET_MAXLENGTH},       {"minLength", XML_SCHEMA_FACET_MINLENGTH},
};

/* A <data>, checked as libxml2's RELAX NG validator does (its XML Schema
 * datatypes and facets). 1 good, 0 bad, -1 cannot tell. */
static int data_ok(xmlNodePtr data, const char *v) {
  const char *library = inherited(data, "datatypeLibrary"), *type = attr_of(data, "type");
  if (!type) return -1;
  if (!*library) return strcmp(type, "string") == 0 ? 1 : strcmp(type, "token") == 0 ? 1 : -1;
  if (strcmp(library, XSD_NS) != 0) return -1;
  xmlSchemaTypePtr t = xmlSchemaGetPredefinedType(BAD_CAST type, BAD_CAST "http://www.w3.org/2001/XMLSchema");
  if (!t) return -1;
  xmlSchemaValPtr val = NULL;
  int rc = xmlSchemaValPredefTypeNode(t, BAD_CAST v, &val, NULL);
  int ok = rc == 0;
  for (xmlNodePtr p = data->children; ok && p; p = p->next) {
    if (!is_rng(p, "param")) continue;
    const char *facet = attr_of(p, "name");
    xmlChar *limit = xmlNodeGetContent(p);
    xmlSchemaFacetPtr f = xmlSchemaNewFacet();
    int known = 0;
    for (size_t i = 0; f && facet && i < sizeof facet_names / sizeof facet_names[0]; i++)
      if (strcmp(facet, facet_names[i].name) == 0) f->type = facet_names[i].type, known = 1;
    if (f && known && limit) {
      f->value = limit;
      if (xmlSchemaCheckFacet(f, t, NULL, BAD_CAST type) == 0 &&
          xmlSchemaValidateFacet(t, f, BAD_CAST v, val) != 0)
        ok = 0;
    }
    if (f) xmlSchemaFreeFacet(f);
    xmlFree(limit);
  }
  if (val) xmlSchemaFreeValue(val);
  return ok;
}

/* 1 when v matches the pattern, 0 when not, -1 when the walk cannot tell. */
static int value_ok(const schema_rules *s, xmlNodePtr p, const char *v, int depth) {
  if (!p || depth > MAX_REF_DEPTH) return -1;
  if (is_rng(p, "attribute") || is_rng(p, "define")) return value_ok(s, first_pattern(p), v, depth + 1);
  if (is_rng(p, "ref")) return value_ok(s, first_pattern(define_named(s, attr_of(p, "name"))), v, depth + 1);
  if (is_rng(p, "text")) return 1;
  if (is_rng(p, "value")) {
    xmlChar *want = xmlNodeGetContent(p);
    int ok = attr_of(p, "type") && strcmp(attr_of(p, "type"), "string") == 0 ? strcmp((char *)want, v) == 0
                                                                             : same_token((char *)want, v);
    xmlFree(want);
    return ok;
  }
  if (is_rng(p, "data")) return data_ok(p, v);
  if (is_rng(p, "choice")) {
    int unsure = 0;
    for (xmlNodePtr c = p->children; c; c = c->next) {
      if (!is_rng(c, NULL)) continue;
      int ok = value_ok(s, c, v, depth + 1);
      if (ok == 1) return 1;
      unsure |= ok < 0;
    }
    return unsure ? -1 : 0;
  }
  return -1;
}

/* Is the attribute's value an xsd:ID (unique in the document)? */
static int is_id(const schema_rules *s, xmlNodePtr attribute) {
  xmlNodePtr p = first_pattern(attribute);
  for (int depth = 0; p && is_rng(p, "ref") && depth < MAX_REF_DEPTH; depth++)
    p = first_pattern(define_named(s, attr_of(p, "name")));
  return is_rng(p, "data") && attr_of(p, "type") && strcmp(attr_of(p, "type"), "ID") == 0;
}

/* What a pattern allows, in words (schema_words.c). */
static void describe(const schema_rules *s, xmlNodePtr p, words *w, int depth) {
  if (!p || depth > MAX_REF_DEPTH) return;
  if (is_rng(p, "attribute") || is_rng(p, "define")) {
    describe(s, first_pattern(p), w, depth + 1);
  } else if (is_rng(p, "ref")) {
    const char *name = attr_of(p, "name");
    if (!words_kind_named(w, name)) describe(s, first_pattern(define_named(s, name)), w, depth + 1);
  } else if (is_rng(p, "value")) {
    xmlChar *v = xmlNodeGetContent(p);
    words_value(w, (const char *)v);
    xmlFree(v);
  } else if (is_rng(p, "data")) {
    const char *max = NULL, *pattern = NULL;
    for (xmlNodePtr c = p->children; c; c = c->next) {
      if (!is_rng(c, "param") || !attr_of(c, "name") || !c->children) continue;
      if (strcmp(attr_of(c, "name"), "maxInclusive") == 0) max = (const char *)c->children->content;
      if (strcmp(attr_of(c, "name"), "pattern") == 0) pattern = (const char *)c->children->content;
    }
    words_type(w, attr_of(p, "type"), max, pattern);
  } else if (is_rng(p, "choice")) {
    for (xmlNodePtr c = p->children; c; c = c->next)
      if (is_rng(c, NULL)) describe(s, c, w, depth + 1);
  }
}

/* ---- the walk ---------------------------------------------------------- */

typedef struct walk {
  const schema_rules *s;
  xml_input *in;
  int reported, max;
  xmlHashTablePtr ids; /* values of ID attributes seen so far */
} walk;

static const char *ns_of(xmlNodePtr n) {
  return n->ns && n->ns->href ? (const char *)n->ns->href : "";
}

static const rule_kid *kid_named(const rule *r, xmlNodePtr n) {
  for (int i = 0; i < r->kid_count; i++)
    if (strcmp(r->kids[i].rule->name ? r->kids[i].rule->name : "", (const char *)n->name) == 0 &&
        strcmp(r->kids[i].rule->ns, ns_of(n)) == 0)
      return &r->kids[i];
  return NULL;
}

static int known_anywhere(const schema_rules *s, const char *name) {
  for (int i = 0; i < s->count; i++)
    if (s->all[i]->name && strcmp(s->all[i]->name, name) == 0) return 1;
  return 0;
}

/* "<p>, <ul>, <ol>": the names allowed in r, each once. */
static void allowed_children(const rule *r, char *out, size_t size) {
  size_t o = 0;
  out[0] = '\0';
  for (int i = 0; i < r->kid_count && o + 1 < size; i++) {
    const char *name = r->kids[i].rule->name;
    int seen = 0;
    for (int j = 0; j < i; j++) seen |= strcmp(r->kids[j].rule->name, name) == 0;
    if (seen) continue;
    int n = snprintf(out + o, size - o, "%s<%s>", o ? ", " : "", name);
    if (n < 0 || (size_t)n >= size - o) break;
    o += (size_t)n;
  }
}

static int room(walk *w) {
  return w->reported < w->max;
}

static void report(walk *w, const char *code, xml_span span, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void report(walk *w, const char *code, xml_span span, const char *hint, const char *fmt, ...) {
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  diag_extra x = {.code = code,
                  .hint = hint && *hint ? hint : NULL,
                  .end_line = span.end_line,
                  .end_column = span.end_column};
  diag_report_ex(w->in->sink, BILAGA_SEVERITY_ERROR, w->in->name, span.line, span.column, &x, "%s", msg);
  w->reported++;
}

static void unknown_element(walk *w, const rule *parent, xmlNodePtr n) {
  char hint[1024] = "", allowed[700];
  allowed_children(parent, allowed, sizeof allowed);
  const char *name = (const char *)n->name;
  xml_span span = xml_tag_span(w->in, n);
  if (parent == &w->s->root) {
    const char *want = parent->kid_count ? parent->kids[0].rule->name : "?";
    if (strcmp(name, want) == 0)
      report(w, "E0113-wrong-namespace", span, "",
             _("<%s> is not in bilaga's namespace: write <%s xmlns=\"%s\">"), name, name,
             parent->kids[0].rule->ns);
    else
      report(w, "E0101-unknown-element", span, "", _("the root element is <%s>: it must be <%s>"), name,
             want);
    return;
  }
  if (strcmp(ns_of(n), parent->ns) != 0) {
    char qualified[300];
    snprintf(qualified, sizeof qualified, "%s%s%s", n->ns && n->ns->prefix ? (const char *)n->ns->prefix : "",
             n->ns && n->ns->prefix ? ":" : "", name);
    report(w, "E0113-wrong-namespace", span,
           _("bilaga reads only its own elements: no XInclude, no other vocabularies"),
           _("<%s> is not in bilaga's namespace \"%s\""), qualified, parent->ns);
    return;
  }
  suggestion sg;
  suggest_begin(&sg, name);
  for (int i = 0; i < parent->kid_count; i++) suggest_offer(&sg, parent->kids[i].rule->name);
  if (known_anywhere(w->s, name)) {
    if (*allowed)
      snprintf(hint, sizeof hint, _("allowed in <%s> here: %s"), (const char *)n->parent->name, allowed);
    report(w, "E0101-unknown-element", span, hint, _("<%s> is not allowed inside <%s>"), name,
           (const char *)n->parent->name);
    return;
  }
  for (int i = 0; !suggest_result(&sg) && i < w->s->count; i++) suggest_offer(&sg, w->s->all[i]->name);
  if (suggest_result(&sg))
    snprintf(hint, sizeof hint, _("did you mean <%s>?"), suggest_result(&sg));
  else if (*allowed)
    snprintf(hint, sizeof hint, _("allowed in <%s>: %s"), (const char *)n->parent->name, allowed);
  report(w, "E0101-unknown-element", span, hint, _("unknown element <%s>"), name);
}

static const rule_attr *attr_rule(const rule *r, xmlAttrPtr a) {
  const char *ns = a->ns && a->ns->href ? (const char *)a->ns->href : "";
  for (int i = 0; i < r->attr_count; i++)
    if (strcmp(r->attrs[i].name, (const char *)a->name) == 0 && strcmp(r->attrs[i].ns, ns) == 0)
      return &r->attrs[i];
  return NULL;
}

static void check_attributes(walk *w, const rule *r, xmlNodePtr n) {
  const char *el = (const char *)n->name;
  for (xmlAttrPtr a = n->properties; a && room(w); a = a->next) {
    char qualified[256]; /* xml:lang, as written */
    snprintf(qualified, sizeof qualified, "%s%s%s", a->ns && a->ns->prefix ? (const char *)a->ns->prefix : "",
             a->ns && a->ns->prefix ? ":" : "", (const char *)a->name);
    const char *name = qualified;
    const char *v = a->children && a->children->content ? (const char *)a->children->content : "";
    xml_span span = xml_attr_span(w->in, n, a);
    const rule_attr *ra = attr_rule(r, a);
    char hint[1024] = "";
    if (!ra) {
      suggestion sg;
      suggest_begin(&sg, name);
      words list;
      words_begin(&list);
      for (int i = 0; i < r->attr_count; i++) {
        suggest_offer(&sg, r->attrs[i].name);
        words_name(&list, r->attrs[i].name, r->attrs[i].ns);
      }
      if (suggest_result(&sg))
        snprintf(hint, sizeof hint, _("did you mean %s=\"%s\"?"), suggest_result(&sg), v);
      else if (r->attr_count)
        snprintf(hint, sizeof hint, _("<%s> takes %s"), el, words_text(&list));
      else
        snprintf(hint, sizeof hint, _("<%s> takes no attributes"), el);
      report(w, "E0102-unknown-attribute", span, hint, _("<%s> has no attribute %s"), el, name);
      continue;
    }
    if (is_id(w->s, ra->pattern) && w->ids && xmlHashAddEntry(w->ids, BAD_CAST v, (void *)a) != 0) {
      report(w, "E0114-duplicate-id", span, _("give each one its own id"),
             _("%s=\"%s\" is used twice: an id names one element"), name, v);
      continue;
    }
    if (value_ok(w->s, ra->pattern, v, 0) != 0) continue;
    words allowed;
    words_begin(&allowed);
    describe(w->s, ra->pattern, &allowed, 0);
    const char *near = words_nearest(&allowed, v);
    if (near) snprintf(hint, sizeof hint, _("did you mean %s=\"%s\"?"), name, near);
    if (!*v)
      report(w, "E0104-empty-value", span, hint, _("%s=\"\" on <%s> is empty: write %s"), name, el,
             words_text(&allowed));
    else if (allowed.values)
      report(w, "E0103-bad-attribute-value", span, hint,
             _("%s=\"%s\" is not allowed on <%s>: write one of %s"), name, v, el, words_text(&allowed));
    else
      report(w, "E0103-bad-attribute-value", span, hint, _("%s=\"%s\" on <%s> is not %s"), name, v, el,
             words_text(&allowed));
  }
  for (int i = 0; i < r->attr_count && room(w); i++) {
    if (!r->attrs[i].required) continue;
    int present = 0;
    for (xmlAttrPtr a = n->properties; a; a = a->next) present |= attr_rule(r, a) == &r->attrs[i];
    if (present) continue;
    words allowed;
    words_begin(&allowed);
    describe(w->s, r->attrs[i].pattern, &allowed, 0);
    char hint[1024];
    snprintf(hint, sizeof hint, _("add %s=\"…\": %s"), r->attrs[i].name, words_text(&allowed));
    report(w, "E0107-missing-attribute", xml_tag_span(w->in, n), hint, _("<%s> needs the attribute %s"), el,
           r->attrs[i].name);
  }
}

/* The element's own text (its text and entity children), or NULL when it
 * has element children. */
static char *own_text(xmlNodePtr n, int *has_elements) {
  *has_elements = 0;
  for (xmlNodePtr c = n->children; c; c = c->next) *has_elements |= c->type == XML_ELEMENT_NODE;
  return (char *)xmlNodeGetContent(n);
}

/* YYYY-MM-DD in form (so a wrong one is a day that does not exist). */
static int date_shaped(const char *v) {
  size_t n = strlen(v);
  if (n != 10 || v[4] != '-' || v[7] != '-') return 0;
  for (size_t i = 0; i < n; i++)
    if (i != 4 && i != 7 && !(v[i] >= '0' && v[i] <= '9')) return 0;
  return 1;
}

static void check_value(walk *w, const rule *r, xmlNodePtr n) {
  int elements;
  char *v = own_text(n, &elements);
  if (!v || elements || value_ok(w->s, r->value, v, 0) != 0) {
    xmlFree(v);
    return;
  }
  const char *el = (const char *)n->name;
  xml_span span = xml_element_span(w->in, n);
  words allowed;
  words_begin(&allowed);
  describe(w->s, r->value, &allowed, 0);
  char hint[1024] = "", shown[200];
  words_quote(v, shown, sizeof shown);
  if (!*shown) {
    report(w, "E0104-empty-value", span, "", _("<%s> is empty: write %s"), el, words_text(&allowed));
  } else if (allowed.type && strcmp(allowed.type, "date") == 0 && date_shaped(shown)) {
    report(w, "E0105-bad-date", span, _("the form is YYYY-MM-DD: a month 01-12 and a day that month has"),
           _("<%s>%s</%s> is not a day of the calendar"), el, shown, el);
  } else if (allowed.type && strcmp(allowed.type, "date") == 0) {
    report(w, "E0105-bad-date", span, "",
           _("<%s>%s</%s> is not a date: write it as YYYY-MM-DD, such as 2023-05-31"), el, shown, el);
  } else if (allowed.type && strcmp(allowed.type, "decimal") == 0) {
    char fixed[200];
    if (words_decimal_fix(shown, fixed, sizeof fixed))
      snprintf(hint, sizeof hint, _("write %s in <%s>: the template prints it as %s"), fixed, el, shown);
    report(w, "E0106-bad-number", span, hint,
           _("<%s>%s</%s> is not a number: write it with a decimal point and no spaces, such as 1234.5"), el,
           shown, el);
  } else {
    const char *near = words_nearest(&allowed, shown);
    if (near) snprintf(hint, sizeof hint, _("did you mean <%s>%s</%s>?"), el, near, el);
    report(w, "E0109-bad-value", span, hint, _("<%s>%s</%s> is not %s"), el, shown, el, words_text(&allowed));
  }
  xmlFree(v);
}

static int is_blank(const xmlChar *s) {
  for (; s && *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') return 0;
  return 1;
}

/* May r hold more than one child named like n (a repeated pattern, or
 * the name in two places of the content model)? */
static int repeatable(const rule *r, xmlNodePtr n) {
  int entries = 0;
  for (int i = 0; i < r->kid_count; i++) {
    if (strcmp(r->kids[i].rule->name ? r->kids[i].rule->name : "", (const char *)n->name) != 0) continue;
    if (r->kids[i].repeatable) return 1;
    entries++;
  }
  return entries != 1;
}

static int earlier_twin(xmlNodePtr n) {
  for (xmlNodePtr p = n->prev; p; p = p->prev)
    if (p->type == XML_ELEMENT_NODE && strcmp((const char *)p->name, (const char *)n->name) == 0 &&
        strcmp(ns_of(p), ns_of(n)) == 0)
      return 1;
  return 0;
}

static void check_element(walk *w, const rule *r, xmlNodePtr n) {
  if (r->opaque || !room(w)) return;
  const char *el = (const char *)n->name;
  check_attributes(w, r, n);
  /* stray text is reported alone: it is usually what the missing child
   * element was meant to hold (<ul>text</ul>) */
  int stray = 0;
  for (xmlNodePtr c = n->children; c && !r->text && !r->value; c = c->next)
    stray |= (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && !is_blank(c->content);
  if (stray && room(w)) {
    char hint[1024] = "", allowed[700];
    allowed_children(r, allowed, sizeof allowed);
    if (*allowed) snprintf(hint, sizeof hint, _("put it in an element: allowed in <%s> are %s"), el, allowed);
    report(w, "E0110-text-not-allowed", xml_text_span(w->in, n), hint,
           _("text is not allowed directly inside <%s>"), el);
  }
  for (int i = 0; i < r->kid_count && room(w) && !stray; i++) {
    if (!r->kids[i].required) continue;
    int present = 0, seen = 0;
    for (int j = 0; j < i; j++) seen |= strcmp(r->kids[j].rule->name, r->kids[i].rule->name) == 0;
    for (xmlNodePtr c = n->children; c && !seen; c = c->next)
      present |= c->type == XML_ELEMENT_NODE && kid_named(r, c) && kid_named(r, c)->rule == r->kids[i].rule;
    if (present || seen) continue;
    char hint[512];
    snprintf(hint, sizeof hint, _("add <%s>…</%s> inside <%s>"), r->kids[i].rule->name, r->kids[i].rule->name,
             el);
    report(w, "E0108-missing-element", xml_tag_span(w->in, n), hint, _("<%s> lacks <%s>"), el,
           r->kids[i].rule->name);
  }
  for (xmlNodePtr c = n->children; c && room(w); c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    const rule_kid *k = kid_named(r, c);
    if (!k) {
      unknown_element(w, r, c);
    } else if (!repeatable(r, c) && earlier_twin(c)) {
      report(w, "E0111-element-twice", xml_tag_span(w->in, c), _("leave out one of them"),
             _("<%s> may appear once in <%s>, and this is the second"), (const char *)c->name, el);
    } else {
      check_element(w, k->rule, c);
    }
  }
  if (r->value && room(w)) check_value(w, r, n);
}

/* The rule of the element that holds n, found by walking down from the
 * root; NULL when a step has no rule. */
static const rule *parent_rule(const schema_rules *s, xmlNodePtr n) {
  xmlNodePtr chain[300];
  int depth = 0;
  for (xmlNodePtr p = n->parent; p && p->type == XML_ELEMENT_NODE && depth < 300; p = p->parent)
    chain[depth++] = p;
  const rule *r = &s->root;
  while (depth > 0 && r && !r->opaque) {
    const rule_kid *k = kid_named(r, chain[--depth]);
    r = k ? k->rule : NULL;
  }
  return depth == 0 && r && !r->opaque ? r : NULL;
}

int schema_rules_explain_order(const schema_rules *s, xml_input *in, xmlNodePtr n) {
  if (!s || !n || n->type != XML_ELEMENT_NODE || !n->parent || n->parent->type != XML_ELEMENT_NODE) return 0;
  const rule *r = parent_rule(s, n);
  if (!r || !kid_named(r, n)) return 0;
  /* out of order: a sibling before it comes later in the schema, or one
   * after it earlier (libxml2 blames <p> before a missing <heading>) */
  int at = (int)(kid_named(r, n) - r->kids), wrong = 0;
  for (xmlNodePtr p = n->parent->children; p; p = p->next) {
    if (p == n || p->type != XML_ELEMENT_NODE || !kid_named(r, p)) continue;
    int other = (int)(kid_named(r, p) - r->kids);
    int before = 0;
    for (xmlNodePtr q = n->prev; q && !before; q = q->prev) before = q == p;
    wrong |= before ? other > at : other < at;
  }
  if (!wrong) return 0;
  char allowed[700], hint[1024];
  allowed_children(r, allowed, sizeof allowed);
  snprintf(hint, sizeof hint, _("the order in <%s> is: %s"), (const char *)n->parent->name, allowed);
  walk w = {.s = s, .in = in, .max = 1};
  report(&w, "E0112-out-of-order", xml_tag_span(in, n), hint, _("<%s> is out of place in <%s>"),
         (const char *)n->name, (const char *)n->parent->name);
  return 1;
}

int schema_rules_explain(const schema_rules *s, xml_input *in, int max_reports) {
  if (!s || s->root.opaque || !in->doc) return 0;
  xmlNodePtr root = xmlDocGetRootElement(in->doc);
  if (!root) return 0;
  walk w = {.s = s, .in = in, .max = max_reports, .ids = xmlHashCreate(64)};
  const rule_kid *k = kid_named(&s->root, root);
  if (!k)
    unknown_element(&w, &s->root, root);
  else
    check_element(&w, k->rule, root);
  if (w.ids) xmlHashFree(w.ids, NULL);
  return w.reported;
}
