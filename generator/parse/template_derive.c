/* template_derive.c - <derive> of a template: which families and value
 * names the derived values use (docs/template.md, "<derive>"). Every name
 * is checked against the template's <symbols>, so a typo is an error at
 * the template's position, never a symbol that silently does not appear. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse/xml_internal.h"
#include "util/i18n.h"
#include "util/num.h"

typedef struct dparser {
  xml_input *in;
  template_model *t;
  int failed;
} dparser;

static const symbol_family *family_of(const symbol_set *set, const char *name) {
  for (int i = 0; name && i < set->family_count; i++)
    if (strcmp(set->families[i].name, name) == 0) return &set->families[i];
  return NULL;
}

static int has_value(const symbol_family *f, const char *name) {
  for (int i = 0; i < f->value_count; i++)
    if (f->values[i].name && strcmp(f->values[i].name, name) == 0) return 1;
  return 0;
}

static int xml_child_count(xmlNodePtr el, const char *name) {
  int n = 0;
  for (xmlNodePtr c = el->children; c; c = c->next) n += xml_is(c, name);
  return n;
}

/* The names of a numeric family's named ranges: "\"låg\", \"hög\"". */
static const char *level_names(arena *a, const symbol_family *f) {
  size_t size = 64;
  for (int i = 0; i < f->value_count; i++) size += (f->values[i].name ? strlen(f->values[i].name) : 0) + 4;
  char *out = arena_alloc(a, size);
  if (!out) return "";
  *out = '\0';
  for (int i = 0; i < f->value_count; i++) {
    if (!f->values[i].name) continue;
    if (*out) strcat(out, ", ");
    strcat(out, "\"");
    strcat(out, f->values[i].name);
    strcat(out, "\"");
  }
  return *out ? out : _("none (give its values a name)");
}

/* The family an element's family= (or the default) names, of the kind the
 * rule needs; NULL after an error. */
static const symbol_family *rule_family(dparser *p, xmlNodePtr el, const char **name, int numeric) {
  const char *v = xml_attr(p->in, el, "family");
  if (v) *name = arena_strdup(&p->t->arena, v);
  const symbol_set *set = &p->t->symbols;
  const symbol_family *f = family_of(set, *name);
  if (!f) {
    xml_error_at(p->in, el,
                 _("<%s> names symbol family \"%s\"%s, which the template does not define: it has %s"),
                 (const char *)el->name, *name, v ? "" : _(" (the default: give family=\"...\")"),
                 symbol_allowed(&p->t->arena, set, NULL));
    p->failed = 1;
    return NULL;
  }
  if (f->numeric != numeric) {
    xml_error_at(p->in, el, _("<%s> needs a family of %s: \"%s\" has %s"), (const char *)el->name,
                 numeric ? _("numbers (min and max)") : _("named values"), *name,
                 f->numeric ? _("numbers") : _("named values"));
    p->failed = 1;
    return NULL;
  }
  return f;
}

/* A value name from attribute attr (else the default *slot), checked. */
static void rule_value(dparser *p, xmlNodePtr el, const symbol_family *f, const char *attr, const char **slot) {
  const char *v = xml_attr(p->in, el, attr);
  if (v) *slot = arena_strdup(&p->t->arena, v);
  if (*slot && !has_value(f, *slot)) {
    xml_error_at(p->in, el, _("%s=\"%s\" is not a value of symbol family \"%s\": allowed are %s%s"), attr,
                 *slot, f->name, symbol_allowed(&p->t->arena, &p->t->symbols, f),
                 v ? "" : _(" (this is the default name)"));
    p->failed = 1;
  }
}

static double percent_attr(dparser *p, xmlNodePtr el, const char *attr, double fallback) {
  const char *v = xml_attr(p->in, el, attr);
  if (!v) return fallback;
  char *end;
  double x = strtod_c(v, &end);
  if (*end || !isfinite(x) || x < 0 || x > 100) {
    xml_error_at(p->in, el, _("%s=\"%s\" must be a percentage from 0 to 100"), attr, v);
    p->failed = 1;
    return fallback;
  }
  return x;
}

/* "a, b, c" into at most max trimmed names (arena copies); -1 if more. */
static int split_names(arena *a, const char *list, const char **out, int max) {
  char *copy = arena_strdup(a, list);
  if (!copy) return 0;
  int n = 0;
  for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    while (*tok == ' ') tok++;
    size_t len = strlen(tok);
    while (len > 0 && tok[len - 1] == ' ') tok[--len] = '\0';
    if (n == max) return -1;
    out[n++] = tok;
  }
  return n;
}

static void parse_indicator(dparser *p, xmlNodePtr el, derive_rules *r) {
  r->indicator_family = "indikator";
  const symbol_family *f = rule_family(p, el, &r->indicator_family, 0);
  r->tolerance = percent_attr(p, el, "tolerance", r->tolerance);
  if (!f) return;
  static const char *const attrs[VERDICT_COUNT] = {[VERDICT_NOT_EVALUATED] = "not-evaluated",
                                                   [VERDICT_ON_TARGET] = "on",
                                                   [VERDICT_NEAR_TARGET] = "near",
                                                   [VERDICT_OFF_TARGET] = "off"};
  for (int v = 0; v < VERDICT_COUNT; v++) rule_value(p, el, f, attrs[v], &r->indicator_values[v]);
}

static void parse_trend(dparser *p, xmlNodePtr el, derive_rules *r) {
  r->trend_family = "trendpil";
  const symbol_family *f = rule_family(p, el, &r->trend_family, 0);
  r->trend_same = percent_attr(p, el, "same-within", r->trend_same);
  if (!f) return;
  static const char *const attrs[TREND_COUNT] = {[TREND_NOT_EVALUATED] = "not-evaluated",
                                                 [TREND_BETTER] = "better",
                                                 [TREND_SAME] = "same",
                                                 [TREND_WORSE] = "worse"};
  for (int v = 0; v < TREND_COUNT; v++) rule_value(p, el, f, attrs[v], &r->trend_values[v]);
}

static void parse_assessment(dparser *p, xmlNodePtr el, derive_rules *r) {
  r->assessment_family = "bedömning";
  const symbol_family *f = rule_family(p, el, &r->assessment_family, 0);
  const char *order = xml_attr(p->in, el, "order");
  if (!f) return;
  if (!order) {
    for (int i = 0; i < r->assessment_count; i++)
      if (!has_value(f, r->assessment_order[i])) {
        xml_error_at(
            p->in, el,
            _("family \"%s\" has no value \"%s\" of the default order: give order=\"worst, ..., best\" "
              "from %s"),
            f->name, r->assessment_order[i], symbol_allowed(&p->t->arena, &p->t->symbols, f));
        p->failed = 1;
        return;
      }
    return;
  }
  const char **names = arena_alloc(&p->t->arena, sizeof *names * (size_t)(f->value_count + 1));
  if (!names) return;
  int n = split_names(&p->t->arena, order, names, f->value_count);
  if (n < 2) {
    xml_error_at(
        p->in, el,
        _("order=\"%s\" must list from 2 to %d values of family \"%s\", worst first, separated by commas"),
        order, f->value_count, f->name);
    p->failed = 1;
    return;
  }
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < i; j++)
      if (strcmp(names[i], names[j]) == 0) {
        xml_error_at(p->in, el, _("order lists \"%s\" twice"), names[i]);
        p->failed = 1;
      }
    if (!has_value(f, names[i])) {
      xml_error_at(p->in, el,
                   _("order names \"%s\", which is not a value of symbol family \"%s\": allowed are %s"),
                   names[i], f->name, symbol_allowed(&p->t->arena, &p->t->symbols, f));
      p->failed = 1;
    }
  }
  r->assessment_order = names;
  r->assessment_count = n;
}

static void parse_risk(dparser *p, xmlNodePtr el, derive_rules *r) {
  r->risk_family = "riskvärde";
  const symbol_family *f = rule_family(p, el, &r->risk_family, 1);
  if (!f) return;
  memset(r->risk_matrix, 0, sizeof r->risk_matrix);
  int named = 0;
  for (int i = 0; i < f->value_count; i++) named += f->values[i].name != NULL;
  if (!named && xml_child_count(el, "row")) {
    xml_error_at(p->in, el,
                 _("the matrix names levels, but family \"%s\" has no named values: give its ranges a name"),
                 f->name);
    p->failed = 1;
    return;
  }
  const char *reported[RISK_SCALE * RISK_SCALE];
  int seen[RISK_SCALE] = {0}, rows = 0, nreported = 0;
  for (xmlNodePtr c = el->children; c; c = c->next) {
    if (!xml_is(c, "row")) continue;
    rows++;
    const char *lv = xml_attr(p->in, c, "likelihood"), *levels = xml_attr(p->in, c, "levels");
    int l = lv && lv[0] >= '1' && lv[0] <= '0' + RISK_SCALE && !lv[1] ? lv[0] - '0' : 0;
    if (!l) {
      xml_error_at(p->in, c, _("likelihood=\"%s\" must be 1 to 5"), lv ? lv : "");
      p->failed = 1;
      continue;
    }
    if (seen[l - 1]) {
      xml_error_at(p->in, c, _("likelihood %d has a row already"), l);
      p->failed = 1;
      continue;
    }
    seen[l - 1] = 1;
    const char *names[RISK_SCALE];
    int n = levels ? split_names(&p->t->arena, levels, names, RISK_SCALE) : 0;
    if (n != RISK_SCALE) {
      xml_error_at(p->in, c, _("levels must name 5 levels, for consequence 1 to 5, separated by commas"));
      p->failed = 1;
      continue;
    }
    for (int k = 0; k < RISK_SCALE; k++) {
      int found = 0;
      for (int i = 0; i < f->value_count; i++) found |= f->values[i].name && strcmp(f->values[i].name, names[k]) == 0;
      for (int i = 0; i < nreported && !found; i++) found = strcmp(reported[i], names[k]) == 0;
      if (!found) {
        reported[nreported++] = names[k];
        xml_error_at(p->in, c, _("level \"%s\" is not a named value of symbol family \"%s\": allowed are %s"),
                     names[k], f->name, level_names(&p->t->arena, f));
        p->failed = 1;
      }
      r->risk_matrix[l - 1][k] = names[k];
    }
  }
  if (rows && rows != RISK_SCALE) {
    xml_error_at(p->in, el, _("the risk matrix needs a row for each likelihood 1 to 5 (it has %d)"), rows);
    p->failed = 1;
  }
}

int parse_derive(xml_input *in, template_model *t, xmlNodePtr root) {
  xmlNodePtr el = NULL;
  for (xmlNodePtr c = root->children; c; c = c->next)
    if (xml_is(c, "derive")) el = c;
  derive_rules *r = &t->derive;
  derive_rules_defaults(r);
  derive_rules_fit_defaults(r, &t->symbols);
  if (!el) return 1;
  dparser p = {in, t, 0};
  xml_node_position(in, el, &r->line, &r->column);
  derive_rules d;
  derive_rules_defaults(&d); /* names an element leaves out */
  for (xmlNodePtr c = el->children; c; c = c->next) {
    if (xml_is(c, "indicator")) {
      memcpy(r->indicator_values, d.indicator_values, sizeof r->indicator_values);
      r->tolerance = d.tolerance;
      parse_indicator(&p, c, r);
    } else if (xml_is(c, "trend")) {
      memcpy(r->trend_values, d.trend_values, sizeof r->trend_values);
      parse_trend(&p, c, r);
    } else if (xml_is(c, "assessment")) {
      r->assessment_order = d.assessment_order, r->assessment_count = d.assessment_count;
      parse_assessment(&p, c, r);
    } else if (xml_is(c, "risk")) {
      parse_risk(&p, c, r);
    }
  }
  return !p.failed;
}
