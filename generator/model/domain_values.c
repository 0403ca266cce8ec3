/* domain_values.c - the symbol values of domain blocks: every explicit
 * one checked against the family the template's <domain> assigns (an
 * unknown value is an error at the block, with the allowed values), the
 * missing ones derived by the template's <derive> rules (model/derive.h),
 * and a warning where an explicit value contradicts the derived one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/expand_internal.h"
#include "util/i18n.h"

typedef struct resolver {
  expander *e;
  int ok;
} resolver;

static const char *family_name(const expander *e, domain_family f) {
  return e->tpl->domain.family[f];
}

static const char *tpl_name(const expander *e) {
  return e->tpl->name ? e->tpl->name : _("the template");
}

/* An explicit value of attribute a, checked; NULL when absent or wrong
 * (then reported). */
static const char *checked(resolver *r, const node *n, domain_attr a, domain_family f) {
  const char *v = domain_attr_of(n, a);
  if (!v) return NULL;
  expander *e = r->e;
  const symbol_family *fam;
  const symbol_value *val;
  double x;
  const char *family = family_name(e, f);
  switch (symbol_lookup(&e->tpl->symbols, family, v, &fam, &val, &x)) {
    case SYMBOL_OK:
      return v;
    case SYMBOL_NO_FAMILY:
      diag_error(
          e->sink, e->doc->file, n->line, n->column,
          _("<%s %s=\"%s\">: template %s has no symbol family \"%s\" to draw it with (see its <domain>); "
            "it has %s"),
          model_kind_name(n->kind), domain_attr_names[a], v, tpl_name(e), family,
          symbol_allowed(&e->scratch, &e->tpl->symbols, NULL));
      break;
    case SYMBOL_NO_VALUE:
      diag_error(e->sink, e->doc->file, n->line, n->column,
                 _("<%s %s=\"%s\">: unknown value \"%s\" of symbol family \"%s\": allowed are %s"),
                 model_kind_name(n->kind), domain_attr_names[a], v, v, family,
                 symbol_allowed(&e->scratch, &e->tpl->symbols, fam));
      break;
    case SYMBOL_NOT_A_NUMBER:
    case SYMBOL_OUT_OF_RANGE:
      diag_error(e->sink, e->doc->file, n->line, n->column,
                 _("<%s %s=\"%s\">: value \"%s\" of symbol family \"%s\" must be %s"),
                 model_kind_name(n->kind), domain_attr_names[a], v, v, family,
                 symbol_allowed(&e->scratch, &e->tpl->symbols, fam));
      break;
  }
  r->ok = 0;
  return NULL;
}

/* A derived value is used only when the rules speak of the family the
 * template draws the attribute with. */
static int same_family(const char *a, const char *b) {
  return a && b && strcmp(a, b) == 0;
}

/* The explicit value wins; a contradicting derived one is a warning. */
static const char *settle(resolver *r, const node *n, domain_attr a, const char *explicit_value,
                          const char *derived, const char *why) {
  if (!explicit_value) return derived;
  if (derived && strcmp(explicit_value, derived) != 0)
    diag_warning(r->e->sink, r->e->doc->file, n->line, n->column,
                 _("%s=\"%s\" contradicts the value derived from %s: \"%s\"; the written value is used"),
                 domain_attr_names[a], explicit_value, why, derived);
  return explicit_value;
}

/* A trend that cannot be judged (a word among the outcomes, an
 * assessment without rank) reads "ej utvärderad", as the rules name it. */
static const char *trend_value(const derive_rules *rules, derive_trend t) {
  return rules->trend_values[t];
}

/* The heading text of the nearest enclosing section. */
static const char *enclosing_heading(expander *e, const node *n) {
  for (const node *p = n->parent; p; p = p->parent)
    if (p->kind == NODE_SECTION && p->first && p->first->kind == NODE_HEADING)
      return model_plain_text(&e->out->arena, p->first);
  return NULL;
}

static void resolve_area(resolver *r, const node *n, domain_values *v) {
  expander *e = r->e;
  const derive_rules *rules = &e->tpl->derive;
  v->assessment = checked(r, n, DA_ASSESSMENT, DF_AREA_ASSESSMENT);
  const char *trend = checked(r, n, DA_TREND, DF_AREA_TREND);
  const char *previous = checked(r, n, DA_PREVIOUS, DF_AREA_ASSESSMENT);
  const char *derived = NULL;
  derive_trend t = TREND_NOT_EVALUATED;
  if (previous && v->assessment &&
      same_family(rules->assessment_family, family_name(e, DF_AREA_ASSESSMENT)) &&
      same_family(rules->trend_family, family_name(e, DF_AREA_TREND))) {
    t = derive_trend_assessments(rules, previous, v->assessment);
    derived = trend_value(rules, t);
  }
  v->trend = settle(r, n, DA_TREND, trend, t == TREND_NOT_EVALUATED && trend ? NULL : derived,
                    _("previous-assessment and assessment"));
  v->perspective = domain_attr_of(n, DA_PERSPECTIVE);
  if (!v->perspective) v->perspective = enclosing_heading(e, n);
}

/* The outcome and target an indicator row is judged by: the target (its
 * year, else the latest), the outcome of that year, else the latest; and
 * the outcome before it. */
static void row_values(const node *row, const char **target, const char **outcome, const char **previous) {
  *target = *outcome = *previous = NULL;
  const char *target_year = NULL;
  for (const node *c = row->first; c; c = c->next)
    if (c->kind == NODE_DOMAIN_PART && c->u.domain.part == DOMAIN_PART_TARGET) {
      *target = c->text;
      target_year = domain_attr_of(c, DA_YEAR);
    }
  long best = -1, before = -1;
  for (const node *c = row->first; c; c = c->next) {
    if (c->kind != NODE_DOMAIN_PART || c->u.domain.part != DOMAIN_PART_OUTCOME) continue;
    const char *y = domain_attr_of(c, DA_YEAR);
    long year = y ? strtol(y, NULL, 10) : 0;
    if (target_year && y && strcmp(y, target_year) == 0) {
      *outcome = c->text;
      best = year;
    }
  }
  for (const node *c = row->first; c && best < 0; c = c->next) {
    if (c->kind != NODE_DOMAIN_PART || c->u.domain.part != DOMAIN_PART_OUTCOME) continue;
    const char *y = domain_attr_of(c, DA_YEAR);
    long year = y ? strtol(y, NULL, 10) : 0;
    if (!*outcome || year >= best) *outcome = c->text, best = year;
  }
  for (const node *c = row->first; c; c = c->next) {
    if (c->kind != NODE_DOMAIN_PART || c->u.domain.part != DOMAIN_PART_OUTCOME) continue;
    const char *y = domain_attr_of(c, DA_YEAR);
    long year = y ? strtol(y, NULL, 10) : 0;
    if (year < best && year > before) *previous = c->text, before = year;
  }
}

static void resolve_indicator(resolver *r, const node *n, domain_values *v) {
  expander *e = r->e;
  const derive_rules *rules = &e->tpl->derive;
  const char *assessment = checked(r, n, DA_ASSESSMENT, DF_IND_ASSESSMENT);
  const char *trend = checked(r, n, DA_TREND, DF_IND_TREND);
  const char *dir = domain_attr_of(n, DA_DIRECTION);
  if (!dir && n->u.domain.part == DOMAIN_PART_SUB) dir = domain_attr_of(n->parent, DA_DIRECTION);
  derive_direction direction = dir && strcmp(dir, "lower") == 0 ? DIRECTION_LOWER : DIRECTION_HIGHER;
  const char *target, *outcome, *previous;
  row_values(n, &target, &outcome, &previous);
  const char *derived = NULL;
  derive_verdict verdict = VERDICT_NOT_EVALUATED;
  if ((target || outcome) && same_family(rules->indicator_family, family_name(e, DF_IND_ASSESSMENT))) {
    verdict = derive_indicator(outcome ? outcome : "", target ? target : "", direction, rules->tolerance);
    derived = rules->indicator_values[verdict];
  }
  /* a written verdict where the data give none (I.U.) is no contradiction */
  v->assessment =
      settle(r, n, DA_ASSESSMENT, assessment, verdict == VERDICT_NOT_EVALUATED && assessment ? NULL : derived,
             _("outcome and target"));
  const char *derived_trend = NULL;
  derive_trend t = TREND_NOT_EVALUATED;
  if (previous && outcome && same_family(rules->trend_family, family_name(e, DF_IND_TREND))) {
    t = derive_trend_values(previous, outcome, direction, rules->trend_same);
    derived_trend = trend_value(rules, t);
  }
  v->trend = settle(r, n, DA_TREND, trend, t == TREND_NOT_EVALUATED && trend ? NULL : derived_trend,
                    _("the last two outcomes"));
}

static void resolve_risk(resolver *r, const node *n, domain_values *v) {
  expander *e = r->e;
  v->assessment = checked(r, n, DA_ASSESSMENT, DF_RISK_ASSESSMENT);
  const char *value = checked(r, n, DA_VALUE, DF_RISK_VALUE);
  int product = derive_risk_value_text(domain_attr_of(n, DA_LIKELIHOOD), domain_attr_of(n, DA_CONSEQUENCE));
  const char *derived = product > 0 ? arena_printf(&e->out->arena, "%d", product) : NULL;
  if (value && derived && strtod(value, NULL) == product) derived = value; /* "12" and "12.0" agree */
  v->risk_value = settle(r, n, DA_VALUE, value, derived, "likelihood × consequence");
  /* the matrix's level, when the value is the product it judges */
  const derive_rules *rules = &e->tpl->derive;
  if (derived && v->risk_value == derived && same_family(rules->risk_family, family_name(e, DF_RISK_VALUE))) {
    int likelihood = atoi(domain_attr_of(n, DA_LIKELIHOOD)),
        consequence = atoi(domain_attr_of(n, DA_CONSEQUENCE));
    const symbol_value *level = derive_risk_level(rules, &e->tpl->symbols, likelihood, consequence);
    v->risk_level = level ? level->name : NULL;
  }
}

static domain_values *values_for(resolver *r, const node *n) {
  expander *e = r->e;
  if (!e->values) {
    e->values = arena_alloc(&e->scratch, sizeof *e->values * (size_t)(e->doc->node_count + 1));
    if (!e->values) return NULL;
  }
  domain_values *v = arena_alloc(&e->scratch, sizeof *v);
  if (v) e->values[n->id] = v;
  return v;
}

/* A count's value: one of the family its blocks' main value uses. */
static void check_count(resolver *r, const node *n) {
  const char *of = domain_attr_of(n, DA_OF), *value = domain_attr_of(n, DA_VALUE);
  if (!of || !value) return;
  static const struct {
    const char *of;
    domain_family family;
  } families[] = {{"process-areas", DF_AREA_ASSESSMENT},
                  {"process-goals", DF_GOAL_ASSESSMENT},
                  {"commitments", DF_COMMITMENT_STATUS},
                  {"indicators", DF_IND_ASSESSMENT},
                  {"risks", DF_RISK_ASSESSMENT}};
  for (size_t i = 0; i < sizeof families / sizeof *families; i++)
    if (strcmp(of, families[i].of) == 0) checked(r, n, DA_VALUE, families[i].family);
}

/* An indicator table has a column per outcome year: at most
 * DOMAIN_MAX_YEARS, so that it stays within a table's 64 columns. */
static int count_years(const node *n, const char **seen, int count) {
  for (const node *c = n->first; c && count <= DOMAIN_MAX_YEARS; c = c->next) {
    if (c->kind == NODE_INDICATOR) count = count_years(c, seen, count);
    const char *y = c->kind == NODE_DOMAIN_PART && c->u.domain.part == DOMAIN_PART_OUTCOME
                        ? domain_attr_of(c, DA_YEAR)
                        : NULL;
    int known = !y;
    for (int i = 0; i < count && !known; i++) known = strcmp(seen[i], y) == 0;
    if (!known) seen[count++] = y;
  }
  return count;
}

static void check_years(resolver *r, const node *n) {
  const char *seen[DOMAIN_MAX_YEARS + 1];
  if (count_years(n, seen, 0) > DOMAIN_MAX_YEARS) {
    diag_error(
        r->e->sink, r->e->doc->file, n->line, n->column,
        _("<indicators> has outcomes of more than %d different years: at most %d columns of years fit"),
        DOMAIN_MAX_YEARS, DOMAIN_MAX_YEARS);
    r->ok = 0;
  }
}

static void note_block(expander *e, block_list list, const node *n) {
  if (e->block_count[list] == e->block_capacity[list]) {
    int capacity = e->block_capacity[list] ? 2 * e->block_capacity[list] : 16;
    const node **grown = arena_alloc(&e->scratch, sizeof *grown * (size_t)capacity);
    if (!grown) {
      e->failed = 1;
      return;
    }
    if (e->block_count[list]) memcpy(grown, e->blocks[list], sizeof *grown * (size_t)e->block_count[list]);
    e->blocks[list] = grown;
    e->block_capacity[list] = capacity;
  }
  e->blocks[list][e->block_count[list]++] = n;
}

int domain_resolve(expander *e) {
  resolver r = {e, 1};
  for (const node *n = e->doc->body; n && !e->failed;) {
    domain_values *v = NULL;
    switch (n->kind) {
      case NODE_PROCESS_AREA:
        note_block(e, BLOCKS_AREAS, n);
        if ((v = values_for(&r, n))) resolve_area(&r, n, v);
        break;
      case NODE_PROCESS_GOAL:
        note_block(e, BLOCKS_GOALS, n);
        if ((v = values_for(&r, n))) v->assessment = checked(&r, n, DA_ASSESSMENT, DF_GOAL_ASSESSMENT);
        break;
      case NODE_COMMITMENT:
        note_block(e, BLOCKS_COMMITMENTS, n);
        if ((v = values_for(&r, n))) {
          v->status = checked(&r, n, DA_STATUS, DF_COMMITMENT_STATUS);
          v->progress = checked(&r, n, DA_PROGRESS, DF_COMMITMENT_PROGRESS);
        }
        break;
      case NODE_INDICATOR:
        if (n->u.domain.part != DOMAIN_PART_SUB) note_block(e, BLOCKS_INDICATORS, n);
        if ((v = values_for(&r, n))) resolve_indicator(&r, n, v);
        break;
      case NODE_RISK:
        note_block(e, BLOCKS_RISKS, n);
        if ((v = values_for(&r, n))) resolve_risk(&r, n, v);
        break;
      case NODE_ASSIGNMENT:
        note_block(e, BLOCKS_ASSIGNMENTS, n);
        if ((v = values_for(&r, n))) v->status = domain_attr_of(n, DA_STATUS);
        break;
      case NODE_COUNT:
        check_count(&r, n);
        break;
      case NODE_INDICATORS:
        check_years(&r, n);
        break;
      case NODE_ASSIGNMENTS:
      case NODE_DOMAIN_PART:
      case NODE_SUMMARY:
      case NODE_BODY:
      case NODE_SECTION:
      case NODE_HEADING:
      case NODE_PARAGRAPH:
      case NODE_LIST:
      case NODE_ITEM:
      case NODE_PAGE_BREAK:
      case NODE_TOC:
      case NODE_LEGEND:
      case NODE_PLACEHOLDER:
      case NODE_TABLE:
      case NODE_CAPTION:
      case NODE_TABLE_UNIT:
      case NODE_TABLE_NOTE:
      case NODE_THEAD:
      case NODE_TBODY:
      case NODE_TFOOT:
      case NODE_ROW:
      case NODE_CELL:
      case NODE_TEXT:
      case NODE_BOLD:
      case NODE_ITALIC:
      case NODE_LINE_BREAK:
      case NODE_NUMBER:
      case NODE_SYMBOL:
      case NODE_SUPERSCRIPT:
      case NODE_SUBSCRIPT:
      case NODE_SPAN:
      case NODE_NOTE:
      case NODE_KIND_COUNT:
        break;
    }
    if (n->kind == NODE_PROCESS_AREA || n->kind == NODE_PROCESS_GOAL || n->kind == NODE_COMMITMENT ||
        n->kind == NODE_INDICATOR || n->kind == NODE_RISK || n->kind == NODE_ASSIGNMENT) {
      if (!v) e->failed = 1;
    }
    if (n->first) {
      n = n->first;
      continue;
    }
    while (n && !n->next) n = n->parent;
    if (n) n = n->next;
  }
  return r.ok;
}

const domain_values *domain_values_of(const expander *e, const node *n) {
  static const domain_values none = {0};
  return e->values && e->values[n->id] ? e->values[n->id] : &none;
}
