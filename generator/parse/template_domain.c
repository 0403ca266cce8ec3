/* template_domain.c - the template's <domain>: labels, column headers and
 * widths of the domain blocks, and the symbol family each attribute is
 * drawn with (docs/template.md, "<domain>"). */
#include <stdlib.h>
#include <string.h>

#include "parse/xml_internal.h"
#include "util/i18n.h"

typedef enum spec_kind { SPEC_LABEL, SPEC_FAMILY, SPEC_WIDTHS, SPEC_FLAG } spec_kind;

/* Which attribute of which child sets what. */
static const struct {
  const char *element, *attr;
  spec_kind kind;
  int index; /* domain_label, domain_family, domain_table, or a flag number */
} specs[] = {
    {"process-area", "prefix", SPEC_LABEL, DL_AREA_PREFIX},
    {"process-area", "assessment", SPEC_LABEL, DL_AREA_ASSESSMENT},
    {"process-area", "trend", SPEC_LABEL, DL_AREA_TREND},
    {"process-area", "assessment-family", SPEC_FAMILY, DF_AREA_ASSESSMENT},
    {"process-area", "trend-family", SPEC_FAMILY, DF_AREA_TREND},
    {"process-area", "widths", SPEC_WIDTHS, DT_AREA},
    {"process-area", "table", SPEC_FLAG, 0},
    {"process-goal", "text", SPEC_LABEL, DL_GOAL_TEXT},
    {"process-goal", "assessment", SPEC_LABEL, DL_GOAL_ASSESSMENT},
    {"process-goal", "assessment-family", SPEC_FAMILY, DF_GOAL_ASSESSMENT},
    {"process-goal", "widths", SPEC_WIDTHS, DT_GOAL},
    {"commitment", "text", SPEC_LABEL, DL_COMMITMENT_TEXT},
    {"commitment", "status", SPEC_LABEL, DL_COMMITMENT_STATUS},
    {"commitment", "progress", SPEC_LABEL, DL_COMMITMENT_PROGRESS},
    {"commitment", "status-family", SPEC_FAMILY, DF_COMMITMENT_STATUS},
    {"commitment", "progress-family", SPEC_FAMILY, DF_COMMITMENT_PROGRESS},
    {"commitment", "widths", SPEC_WIDTHS, DT_COMMITMENT},
    {"indicators", "name", SPEC_LABEL, DL_IND_NAME},
    {"indicators", "outcome", SPEC_LABEL, DL_IND_OUTCOME},
    {"indicators", "target", SPEC_LABEL, DL_IND_TARGET},
    {"indicators", "assessment", SPEC_LABEL, DL_IND_ASSESSMENT},
    {"indicators", "trend", SPEC_LABEL, DL_IND_TREND},
    {"indicators", "assessment-family", SPEC_FAMILY, DF_IND_ASSESSMENT},
    {"indicators", "trend-family", SPEC_FAMILY, DF_IND_TREND},
    {"indicators", "widths", SPEC_WIDTHS, DT_INDICATORS},
    {"indicators", "trend-column", SPEC_FLAG, 1},
    {"risk", "original", SPEC_LABEL, DL_RISK_ORIGINAL},
    {"risk", "manage", SPEC_LABEL, DL_RISK_MANAGE},
    {"risk", "value", SPEC_LABEL, DL_RISK_VALUE},
    {"risk", "likelihood", SPEC_LABEL, DL_RISK_LIKELIHOOD},
    {"risk", "consequence", SPEC_LABEL, DL_RISK_CONSEQUENCE},
    {"risk", "control", SPEC_LABEL, DL_RISK_CONTROL},
    {"risk", "assessment", SPEC_LABEL, DL_RISK_ASSESSMENT},
    {"risk", "result", SPEC_LABEL, DL_RISK_RESULT},
    {"risk", "comment", SPEC_LABEL, DL_RISK_COMMENT},
    {"risk", "yes", SPEC_LABEL, DL_RISK_YES},
    {"risk", "no", SPEC_LABEL, DL_RISK_NO},
    {"risk", "value-family", SPEC_FAMILY, DF_RISK_VALUE},
    {"risk", "assessment-family", SPEC_FAMILY, DF_RISK_ASSESSMENT},
    {"risk", "widths", SPEC_WIDTHS, DT_RISK},
    {"risk", "result-widths", SPEC_WIDTHS, DT_RISK_RESULT},
    {"assignments", "text", SPEC_LABEL, DL_ASSIGN_TEXT},
    {"assignments", "status", SPEC_LABEL, DL_ASSIGN_STATUS},
    {"assignments", "widths", SPEC_WIDTHS, DT_ASSIGNMENTS},
    {"summary", "areas-title", SPEC_LABEL, DL_SUM_AREAS_TITLE},
    {"summary", "area", SPEC_LABEL, DL_SUM_AREA},
    {"summary", "assessment", SPEC_LABEL, DL_SUM_ASSESSMENT},
    {"summary", "trend", SPEC_LABEL, DL_SUM_TREND},
    {"summary", "no-perspective", SPEC_LABEL, DL_SUM_NO_PERSPECTIVE},
    {"summary", "commitments-title", SPEC_LABEL, DL_SUM_COMMITMENTS_TITLE},
    {"summary", "status", SPEC_LABEL, DL_SUM_STATUS},
    {"summary", "count", SPEC_LABEL, DL_SUM_COUNT},
    {"summary", "total", SPEC_LABEL, DL_SUM_TOTAL},
    {"summary", "areas-widths", SPEC_WIDTHS, DT_SUM_AREAS},
    {"summary", "commitments-widths", SPEC_WIDTHS, DT_SUM_COMMITMENTS},
};

enum { MAX_DOMAIN_LABEL = 200 }; /* bytes: a column header or a short label */

/* "* 80pt 25% 2* auto": one width per column. */
static int parse_widths(xml_input *in, xmlNodePtr el, const char *attr, const char *v, domain_widths *w) {
  domain_widths out = {0};
  const char *p = v;
  while (*p) {
    while (*p == ' ') p++;
    if (!*p) break;
    const char *end = p;
    while (*end && *end != ' ') end++;
    char tok[32];
    size_t n = (size_t)(end - p);
    if (out.count == DOMAIN_MAX_WIDTHS || n >= sizeof tok) {
      xml_error_at(in, el, _("%s=\"%s\": at most %d widths of the form auto, *, 2*, 30mm, 80pt or 25%%"),
                   attr, v, DOMAIN_MAX_WIDTHS);
      return 0;
    }
    memcpy(tok, p, n);
    tok[n] = '\0';
    int k = out.count++;
    if (strcmp(tok, "auto") == 0) {
      out.kind[k] = WIDTH_AUTO;
    } else if (tok[n - 1] == '*') {
      out.kind[k] = WIDTH_WEIGHT;
      out.width[k] = n == 1 ? 1 : strtod(tok, NULL);
    } else if (tok[n - 1] == '%') {
      out.kind[k] = WIDTH_PERCENT;
      out.width[k] = strtod(tok, NULL);
    } else {
      out.kind[k] = WIDTH_FIXED;
      out.width[k] = parse_length(tok);
    }
    if ((out.kind[k] != WIDTH_AUTO && !(out.width[k] > 0)) || out.width[k] > 2000 ||
        (out.kind[k] == WIDTH_PERCENT && out.width[k] > 100)) {
      xml_error_at(in, el, _("%s=\"%s\": \"%s\" is not a usable width"), attr, v, tok);
      return 0;
    }
    p = end;
  }
  *w = out;
  return 1;
}

/* A family named here must be one of the template's symbol families. */
static int check_family(xml_input *in, xmlNodePtr el, const char *attr, const char *name,
                        const symbol_set *set) {
  for (int i = 0; i < set->family_count; i++)
    if (strcmp(set->families[i].name, name) == 0) return 1;
  xml_error_at(in, el, _("%s=\"%s\" names no symbol family of this template's <symbols>"), attr, name);
  return 0;
}

int parse_domain(xml_input *in, template_model *t, xmlNodePtr el) {
  int ok = 1;
  for (xmlNodePtr c = el->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++) {
      if (!xml_is(c, specs[i].element)) continue;
      const char *v = xml_attr(in, c, specs[i].attr);
      if (!v) continue;
      switch (specs[i].kind) {
        case SPEC_LABEL:
          if (strlen(v) > MAX_DOMAIN_LABEL) {
            xml_error_at(in, c, _("%s is longer than %d bytes"), specs[i].attr, MAX_DOMAIN_LABEL);
            ok = 0;
          }
          t->domain.label[specs[i].index] = arena_strdup(&t->arena, v);
          break;
        case SPEC_FAMILY:
          ok &= check_family(in, c, specs[i].attr, v, &t->symbols);
          t->domain.family[specs[i].index] = arena_strdup(&t->arena, v);
          break;
        case SPEC_WIDTHS:
          ok &= parse_widths(in, c, specs[i].attr, v, &t->domain.widths[specs[i].index]);
          break;
        case SPEC_FLAG:
          if (specs[i].index == 0)
            t->domain.area_table = strcmp(v, "yes") == 0;
          else
            t->domain.indicator_trend = strcmp(v, "yes") == 0;
          break;
      }
    }
  }
  return ok && !t->arena.failed;
}
