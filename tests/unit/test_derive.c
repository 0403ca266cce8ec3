/* test_derive.c - check suite "derive": indicator verdicts at and around
 * the tolerance in both directions, zero and negative targets, values
 * that are not numbers; trends; risk values and the 5x5 matrix of both
 * shipped templates (level and colour of all 25 cells); <derive> read
 * from a template, its defaults and its errors with positions. */
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/derive.h"
#include "model/template.h"
#include "parse/parse.h"
#include "support.h"

#define TEMPLATE_SCHEMA BILAGA_TEST_SOURCE_ROOT "/templates/template.rng"

static const char *const verdict_names[VERDICT_COUNT] = {
    [VERDICT_NOT_EVALUATED] = "not evaluated", [VERDICT_ON_TARGET] = "on target",
    [VERDICT_NEAR_TARGET] = "near target", [VERDICT_OFF_TARGET] = "off target"};

typedef struct verdict_case {
  const char *outcome, *target;
  derive_direction direction;
  double tolerance;
  derive_verdict want;
} verdict_case;

#define H DIRECTION_HIGHER
#define L DIRECTION_LOWER
#define ON VERDICT_ON_TARGET
#define NEAR VERDICT_NEAR_TARGET
#define OFF VERDICT_OFF_TARGET

static void check_cases(const verdict_case *cases, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const verdict_case *c = &cases[i];
    derive_verdict got = derive_indicator(c->outcome, c->target, c->direction, c->tolerance);
    ck_assert_msg(got == c->want, "outcome \"%s\" target \"%s\" %s is better, tolerance %g %%: %s, want %s",
                  c->outcome ? c->outcome : "(null)", c->target ? c->target : "(null)",
                  c->direction == DIRECTION_HIGHER ? "higher" : "lower", c->tolerance, verdict_names[got],
                  verdict_names[c->want]);
  }
}

#define CHECK(cases) check_cases(cases, sizeof cases / sizeof *cases)

/* 10 % of the target is the edge: at it is near, a hair past it is off. */
START_TEST(test_boundary_higher_is_better) {
  static const verdict_case cases[] = {
      {"110", "100", H, 10, ON},       {"100", "100", H, 10, ON},       {"100.000", "100", H, 10, ON},
      {"99.999", "100", H, 10, NEAR},  {"95", "100", H, 10, NEAR},      {"90.001", "100", H, 10, NEAR},
      {"90", "100", H, 10, NEAR},      {"90.0000", "100", H, 10, NEAR}, {"89.999", "100", H, 10, OFF},
      {"89.99999999999999999", "100", H, 10, OFF}, {"0", "100", H, 10, OFF}, {"-90", "100", H, 10, OFF},
      /* small numbers, where doubles would blur the edge */
      {"0.9", "1", H, 10, NEAR},       {"0.89999", "1", H, 10, OFF},    {"0.27", "0.3", H, 10, NEAR},
      {"0.269", "0.3", H, 10, OFF},    {"71.5", "75", H, 10, NEAR},     {"67.5", "75", H, 10, NEAR},
      {"67.49", "75", H, 10, OFF},
  };
  CHECK(cases);
}
END_TEST

START_TEST(test_boundary_lower_is_better) {
  static const verdict_case cases[] = {
      {"90", "100", L, 10, ON},        {"100", "100", L, 10, ON},       {"100.001", "100", L, 10, NEAR},
      {"110", "100", L, 10, NEAR},     {"110.00", "100", L, 10, NEAR},  {"110.001", "100", L, 10, OFF},
      {"200", "100", L, 10, OFF},
      /* 1.1 - 1 is 0.10000000000000009 in doubles: exactly 10 % here */
      {"1.1", "1", L, 10, NEAR},       {"1.10000001", "1", L, 10, OFF}, {"0.33", "0.3", L, 10, NEAR},
      {"0.3300001", "0.3", L, 10, OFF},
  };
  CHECK(cases);
}
END_TEST

START_TEST(test_other_tolerances) {
  static const verdict_case cases[] = {
      {"95", "100", H, 5, NEAR},      {"94.99", "100", H, 5, OFF},     {"105", "100", L, 5, NEAR},
      {"105.01", "100", L, 5, OFF},   {"87.5", "100", H, 12.5, NEAR},  {"87.49", "100", H, 12.5, OFF},
      {"100", "100", H, 0, ON},       {"99.999", "100", H, 0, OFF},    {"100.001", "100", L, 0, OFF},
      {"1", "100", H, 100, NEAR},     {"0", "100", H, 100, NEAR},      {"-0.01", "100", H, 100, OFF},
  };
  CHECK(cases);
}
END_TEST

/* A zero target has no relative band: on or better is on, any shortfall
 * is off however small. */
START_TEST(test_zero_target) {
  static const verdict_case cases[] = {
      {"0", "0", H, 10, ON},         {"0.001", "0", H, 10, ON},      {"-0.001", "0", H, 10, OFF},
      {"-0", "0", H, 10, ON},        {"0", "-0", L, 10, ON},         {"0", "0.0", L, 10, ON},
      {"-5", "0", L, 10, ON},        {"0.0001", "0", L, 10, OFF},    {"12", "0", L, 10, OFF},
      {"-0.0001", "0", H, 100, OFF},
  };
  CHECK(cases);
}
END_TEST

/* A negative target's band is tolerance % of |target|. */
START_TEST(test_negative_target) {
  static const verdict_case cases[] = {
      {"-9", "-10", H, 10, ON},      {"-10", "-10", H, 10, ON},      {"-10.5", "-10", H, 10, NEAR},
      {"-11", "-10", H, 10, NEAR},   {"-11.0", "-10", H, 10, NEAR},  {"-11.01", "-10", H, 10, OFF},
      {"-11", "-10", L, 10, ON},     {"-9", "-10", L, 10, NEAR},     {"-8.99", "-10", L, 10, OFF},
      {"5", "-10", H, 10, ON},       {"5", "-10", L, 10, OFF},       {"-0.9", "-1", L, 10, NEAR},
      {"0", "-1", L, 10, OFF},       {"-0.5", "5", H, 10, OFF},      {"4.5", "5", H, 10, NEAR},
      {"-1.1", "-1", H, 10, NEAR},   {"-1.10001", "-1", H, 10, OFF},
  };
  CHECK(cases);
}
END_TEST

/* Outcomes and targets as reports write them when they are not numbers:
 * never an error, always not evaluated. */
START_TEST(test_not_numbers) {
  const char *texts[] = {"I.U.", "Sekretessbelagt", "47,0 (2021)", "\xe2\x89\xa5 4 %", "80 000*", "30**",
                         "12,5", "", " ", "-", "+", ".", "1.2.3", "--1", "1e3", "0x10", "inf", "nan",
                         "75 %", "\xe2\x88\x92" "5", NULL};
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    for (int d = 0; d < 2; d++) {
      derive_direction dir = d ? DIRECTION_LOWER : DIRECTION_HIGHER;
      ck_assert_msg(derive_indicator(texts[i], "75", dir, 10) == VERDICT_NOT_EVALUATED, "outcome \"%s\"",
                    texts[i] ? texts[i] : "(null)");
      ck_assert_msg(derive_indicator("75", texts[i], dir, 10) == VERDICT_NOT_EVALUATED, "target \"%s\"",
                    texts[i] ? texts[i] : "(null)");
    }
    ck_assert_msg(!derive_is_number(texts[i]), "\"%s\" is a number", texts[i] ? texts[i] : "(null)");
  }
  /* canonical forms that are numbers, white space around them allowed */
  const char *numbers[] = {"75", "+75", "-75", "75.", ".5", "0075.500", " 75 ", "\n75\t", "-0"};
  for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
    ck_assert_msg(derive_is_number(numbers[i]), "\"%s\" is not a number", numbers[i]);
  static const verdict_case cases[] = {{" 90 ", "100", H, 10, NEAR}, {"+90", "+100", H, 10, NEAR},
                                       {".9", "1.", H, 10, NEAR}};
  CHECK(cases);
}
END_TEST

/* 40 digits before and after the point are compared exactly; more is not
 * a number. */
START_TEST(test_long_numbers) {
  const char *t40 = "1000000000000000000000000000000000000000"; /* 10^39, 40 digits */
  static const verdict_case cases[] = {
      {"900000000000000000000000000000000000000", "1000000000000000000000000000000000000000", H, 10, NEAR},
      {"899999999999999999999999999999999999999.9999999999999999999999999999999999999999",
       "1000000000000000000000000000000000000000", H, 10, OFF},
      {"0.9000000000000000000000000000000000000000", "1", H, 10, NEAR},
      {"0.8999999999999999999999999999999999999999", "1", H, 10, OFF},
  };
  CHECK(cases);
  ck_assert(derive_is_number(t40));
  ck_assert(!derive_is_number("10000000000000000000000000000000000000000")); /* 41 digits */
  ck_assert(derive_is_number("00000000000000000000000000000000000000000001")); /* leading zeros */
  ck_assert(!derive_is_number("0.00000000000000000000000000000000000000001")); /* 41 decimals */
}
END_TEST

START_TEST(test_trends) {
  ck_assert_int_eq(derive_trend_values("71.5", "71.50", DIRECTION_HIGHER, 0), TREND_SAME);
  ck_assert_int_eq(derive_trend_values("70", "71.5", DIRECTION_HIGHER, 0), TREND_BETTER);
  ck_assert_int_eq(derive_trend_values("70", "71.5", DIRECTION_LOWER, 0), TREND_WORSE);
  ck_assert_int_eq(derive_trend_values("70", "69.9", DIRECTION_HIGHER, 0), TREND_WORSE);
  ck_assert_int_eq(derive_trend_values("-3", "-4", DIRECTION_LOWER, 0), TREND_BETTER);
  ck_assert_int_eq(derive_trend_values("I.U.", "70", DIRECTION_HIGHER, 0), TREND_NOT_EVALUATED);
  ck_assert_int_eq(derive_trend_values("70", NULL, DIRECTION_HIGHER, 0), TREND_NOT_EVALUATED);
  /* a band around the previous value: at most 1 % of it is "same" */
  ck_assert_int_eq(derive_trend_values("100", "101", DIRECTION_HIGHER, 1), TREND_SAME);
  ck_assert_int_eq(derive_trend_values("100", "101.01", DIRECTION_HIGHER, 1), TREND_BETTER);
  ck_assert_int_eq(derive_trend_values("100", "99", DIRECTION_HIGHER, 1), TREND_SAME);
  ck_assert_int_eq(derive_trend_values("0", "0.01", DIRECTION_HIGHER, 1), TREND_BETTER);
  ck_assert_int_eq(derive_trend_numbers(1, 2, DIRECTION_HIGHER), TREND_BETTER);
  ck_assert_int_eq(derive_trend_numbers(1, 2, DIRECTION_LOWER), TREND_WORSE);
  ck_assert_int_eq(derive_trend_numbers(2, 2, DIRECTION_LOWER), TREND_SAME);
  ck_assert_int_eq(derive_trend_numbers(NAN, 2, DIRECTION_LOWER), TREND_NOT_EVALUATED);
  ck_assert_int_eq(derive_trend_ranks(0, 2), TREND_BETTER);
  ck_assert_int_eq(derive_trend_ranks(2, 1), TREND_WORSE);
  ck_assert_int_eq(derive_trend_ranks(1, 1), TREND_SAME);
  ck_assert_int_eq(derive_trend_ranks(-1, 1), TREND_NOT_EVALUATED);
  ck_assert_int_eq(derive_trend_ranks(1, -1), TREND_NOT_EVALUATED);
  derive_rules r;
  derive_rules_defaults(&r);
  ck_assert_int_eq(derive_assessment_rank(&r, "ej uppfyllt"), 0);
  ck_assert_int_eq(derive_assessment_rank(&r, "uppfyllt"), 2);
  ck_assert_int_eq(derive_assessment_rank(&r, "ej utvärderad"), -1);
  ck_assert_int_eq(derive_trend_assessments(&r, "delvis", "uppfyllt"), TREND_BETTER);
  ck_assert_int_eq(derive_trend_assessments(&r, "uppfyllt", "ej uppfyllt"), TREND_WORSE);
  ck_assert_int_eq(derive_trend_assessments(&r, "delvis", "delvis"), TREND_SAME);
  ck_assert_int_eq(derive_trend_assessments(&r, "ej utvärderad", "delvis"), TREND_NOT_EVALUATED);
}
END_TEST

/* A program that sets a locale with a decimal comma (sv_SE, de_DE) gets
 * the same verdicts: no printf or strtod of the locale in between. */
START_TEST(test_locale_independent) {
  const char *locales[] = {"sv_SE.UTF-8", "de_DE.UTF-8", "C"};
  for (size_t i = 0; i < sizeof locales / sizeof *locales; i++) {
    if (!setlocale(LC_ALL, locales[i])) continue; /* not installed here */
    ck_assert_int_eq(derive_indicator("90", "100", DIRECTION_HIGHER, 10), VERDICT_NEAR_TARGET);
    ck_assert_int_eq(derive_indicator("87.5", "100", DIRECTION_HIGHER, 12.5), VERDICT_NEAR_TARGET);
    ck_assert_int_eq(derive_indicator("87.49", "100", DIRECTION_HIGHER, 12.5), VERDICT_OFF_TARGET);
    ck_assert_int_eq(derive_trend_values("100", "100.5", DIRECTION_HIGHER, 0.5), TREND_SAME);
  }
  setlocale(LC_ALL, "C");
}
END_TEST

START_TEST(test_risk_values) {
  for (int l = 1; l <= 5; l++)
    for (int c = 1; c <= 5; c++) {
      ck_assert_int_eq(derive_risk_value(l, c), l * c);
      char ls[2] = {(char)('0' + l), 0}, cs[2] = {(char)('0' + c), 0};
      ck_assert_int_eq(derive_risk_value_text(ls, cs), l * c);
    }
  int bad[][2] = {{0, 3}, {3, 0}, {6, 1}, {1, 6}, {-1, 2}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    ck_assert_int_eq(derive_risk_value(bad[i][0], bad[i][1]), 0);
  ck_assert_int_eq(derive_risk_value_text(" 3 ", "4"), 12);
  const char *bad_text[] = {"3.0", "", "6", "0", "03", "tre", "3a", NULL};
  for (size_t i = 0; i < sizeof bad_text / sizeof *bad_text; i++)
    ck_assert_msg(derive_risk_value_text(bad_text[i], "2") == 0, "\"%s\"", bad_text[i] ? bad_text[i] : "(null)");
}
END_TEST

/* ---- templates ---- */

static xml_schema *schema;

static void load_schema(void) {
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  schema = parse_schema_load(TEMPLATE_SCHEMA, &sink);
  ck_assert_msg(schema != NULL, "template schema: %s", diag_log_text(&log));
}

static void free_schema(void) {
  parse_schema_free(schema);
  schema = NULL;
}

static template_model *shipped(const char *name) {
  size_t len;
  char *bytes = slurp_source_file(name, &len);
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  template_model *t = parse_template(bytes, len, name, schema, &sink);
  free(bytes);
  ck_assert_msg(t != NULL, "%s: %s", name, diag_log_text(&log));
  return t;
}

static int hex_of(rgb c) {
  return (int)lround(c.r * 255) << 16 | (int)lround(c.g * 255) << 8 | (int)lround(c.b * 255);
}

/* What each template prints for a risk: the level of every cell of its
 * matrix ([likelihood - 1][consequence - 1]) and the level's tint. */
typedef struct matrix_case {
  const char *file;
  double tolerance;
  const char *levels[5][5];
  struct {
    const char *name;
    int fill;
  } tints[4];
} matrix_case;

static const matrix_case matrices[] = {
    {"templates/default.xml",
     10,
     {{"låg", "låg", "låg", "låg", "måttlig"},
      {"låg", "låg", "måttlig", "måttlig", "hög"},
      {"låg", "måttlig", "måttlig", "hög", "hög"},
      {"låg", "måttlig", "hög", "hög", "mycket hög"},
      {"måttlig", "hög", "hög", "mycket hög", "mycket hög"}},
     {{"låg", 0xDCEFD6}, {"måttlig", 0xF7C948}, {"hög", 0xF08A4B}, {"mycket hög", 0xD9534F}}},
    {"templates/kommun-klassisk.xml",
     5,
     {{"acceptabel", "acceptabel", "acceptabel", "acceptabel", "bör hanteras"},
      {"acceptabel", "acceptabel", "acceptabel", "bör hanteras", "bör hanteras"},
      {"acceptabel", "acceptabel", "bör hanteras", "bör hanteras", "oacceptabel"},
      {"acceptabel", "bör hanteras", "bör hanteras", "oacceptabel", "oacceptabel"},
      {"bör hanteras", "bör hanteras", "oacceptabel", "oacceptabel", "oacceptabel"}},
     {{"acceptabel", 0xE4F1E1}, {"bör hanteras", 0xF5CF6B}, {"oacceptabel", 0xE48A8A}, {NULL, 0}}},
};

/* All 25 cells of both templates: riskvärde = likelihood x consequence,
 * the matrix's level, and that level's cell colour. The default matrix is
 * its ranges (level by the product); kommun-klassisk's is not. */
START_TEST(test_risk_matrix_all_cells) {
  const matrix_case *m = &matrices[_i];
  template_model *t = shipped(m->file);
  const derive_rules *r = &t->derive;
  ck_assert_ptr_nonnull(r->risk_family);
  ck_assert_str_eq(r->risk_family, "riskvärde");
  ck_assert_double_eq(r->tolerance, m->tolerance);
  int differs_from_ranges = 0;
  for (int l = 1; l <= 5; l++)
    for (int c = 1; c <= 5; c++) {
      ck_assert_int_eq(derive_risk_value(l, c), l * c);
      const symbol_value *v = derive_risk_level(r, &t->symbols, l, c);
      ck_assert_msg(v && v->name && strcmp(v->name, m->levels[l - 1][c - 1]) == 0,
                    "%s: likelihood %d consequence %d: level %s, want %s", m->file, l, c,
                    v && v->name ? v->name : "(none)", m->levels[l - 1][c - 1]);
      int want = -1;
      for (int k = 0; k < 4 && m->tints[k].name; k++)
        if (strcmp(m->tints[k].name, v->name) == 0) want = m->tints[k].fill;
      ck_assert_int_eq(v->parts[0].shape, SHAPE_CELL);
      ck_assert_msg(hex_of(v->parts[0].fill) == want, "%s: %d x %d: fill #%06X, want #%06X", m->file, l, c,
                    hex_of(v->parts[0].fill), want);
      differs_from_ranges += !(l * c >= v->from && l * c <= v->to);
    }
  ck_assert_int_eq(differs_from_ranges, _i == 0 ? 0 : 2);
  /* out of the scale: no level */
  ck_assert_ptr_null(derive_risk_level(r, &t->symbols, 0, 3));
  ck_assert_ptr_null(derive_risk_level(r, &t->symbols, 3, 6));
  template_free(t);
}
END_TEST

/* Both shipped templates map every verdict and trend to a value of their
 * families. */
START_TEST(test_shipped_rules_complete) {
  template_model *t = shipped(matrices[_i].file);
  const derive_rules *r = &t->derive;
  const symbol_family *f;
  const symbol_value *v;
  double x;
  for (int k = 0; k < VERDICT_COUNT; k++)
    ck_assert_int_eq(symbol_lookup(&t->symbols, r->indicator_family, derive_indicator_value(r, (derive_verdict)k),
                                   &f, &v, &x),
                     SYMBOL_OK);
  for (int k = 0; k < TREND_COUNT; k++)
    ck_assert_int_eq(
        symbol_lookup(&t->symbols, r->trend_family, derive_trend_value(r, (derive_trend)k), &f, &v, &x),
        SYMBOL_OK);
  /* the legend's words for near and off state the template's tolerance */
  char pct[32];
  snprintf(pct, sizeof pct, "%g %%", r->tolerance);
  for (int k = VERDICT_NEAR_TARGET; k <= VERDICT_OFF_TARGET; k++) {
    ck_assert_int_eq(symbol_lookup(&t->symbols, r->indicator_family, r->indicator_values[k], &f, &v, &x), SYMBOL_OK);
    ck_assert_msg(strstr(v->label, pct), "%s: label \"%s\" does not say %s", matrices[_i].file, v->label, pct);
  }
  ck_assert_int_eq(r->assessment_count, 3);
  ck_assert_int_gt(r->line, 0);
  template_free(t);
}
END_TEST

#define OPEN "<template xmlns=\"urn:bilaga:template:1\">\n<page/>\n"
#define FAMILIES                                                                                        \
  "<symbols>\n"                                                                                         \
  "<family name=\"indikator\"><value name=\"på målnivå\" short=\"P\"/><value name=\"nära målnivå\" "    \
  "short=\"N\"/><value name=\"sämre än målnivå\" short=\"S\"/><value name=\"ej utvärderad\" "           \
  "short=\"E\"/></family>\n"                                                                            \
  "<family name=\"mål\"><value name=\"ja\" short=\"J\"/><value name=\"nej\" short=\"N\"/>"              \
  "<value name=\"halvt\" short=\"H\"/></family>\n"                                                      \
  "<family name=\"risk\" min=\"1\" max=\"25\"><value name=\"liten\" to=\"8\" short=\"{value}\"/>"       \
  "<value name=\"stor\" from=\"9\" short=\"{value}\"/></family>\n"                                      \
  "<family name=\"riskvärde\" min=\"1\" max=\"25\"><value to=\"9\" short=\"{value}\"/>"                 \
  "<value from=\"10\" short=\"{value}\"/></family>\n"                                                   \
  "</symbols>\n"

static template_model *template_str(const char *xml, diag_log *log) {
  diag_sink sink = diag_log_sink(log);
  return parse_template(xml, strlen(xml), "t.xml", schema, &sink);
}

/* Without <derive>: the defaults, for the families the template has. */
START_TEST(test_defaults_fit_the_template) {
  diag_log log;
  template_model *t = template_str(OPEN FAMILIES "</template>\n", &log);
  ck_assert_msg(t != NULL, "%s", diag_log_text(&log));
  const derive_rules *r = &t->derive;
  ck_assert_str_eq(r->indicator_family, "indikator");
  ck_assert_double_eq(r->tolerance, 10);
  ck_assert_str_eq(derive_indicator_value(r, VERDICT_NEAR_TARGET), "nära målnivå");
  ck_assert_ptr_null(r->trend_family);      /* no trendpil */
  ck_assert_ptr_null(r->assessment_family); /* no bedömning */
  ck_assert_ptr_null(derive_trend_value(r, TREND_BETTER));
  ck_assert_str_eq(r->risk_family, "riskvärde");
  ck_assert_int_eq(r->line, 0);
  /* no matrix: the range holding the product */
  for (int l = 1; l <= 5; l++)
    for (int c = 1; c <= 5; c++) {
      const symbol_value *v = derive_risk_level(r, &t->symbols, l, c);
      ck_assert_ptr_nonnull(v);
      ck_assert_int_eq(v == &t->symbols.families[3].values[l * c <= 9 ? 0 : 1], 1);
    }
  template_free(t);
  /* no symbols at all: nothing is derived */
  t = template_str(OPEN "</template>\n", &log);
  ck_assert_ptr_nonnull(t);
  ck_assert_ptr_null(t->derive.indicator_family);
  ck_assert_ptr_null(t->derive.risk_family);
  ck_assert_ptr_null(derive_risk_level(&t->derive, &t->symbols, 2, 2));
  template_free(t);
}
END_TEST

START_TEST(test_derive_element) {
  diag_log log;
  template_model *t = template_str(OPEN FAMILIES
                                   "<derive>\n"
                                   "  <indicator tolerance=\"7.5\"/>\n"
                                   "  <assessment family=\"mål\" order=\"nej, halvt , ja\"/>\n"
                                   "  <risk family=\"risk\">\n"
                                   "    <row likelihood=\"1\" levels=\"liten,liten,liten,liten,stor\"/>\n"
                                   "    <row likelihood=\"2\" levels=\"liten, liten, liten, liten, stor\"/>\n"
                                   "    <row likelihood=\"3\" levels=\"liten, liten, liten, stor, stor\"/>\n"
                                   "    <row likelihood=\"4\" levels=\"liten, liten, stor, stor, stor\"/>\n"
                                   "    <row likelihood=\"5\" levels=\"stor, stor, stor, stor, stor\"/>\n"
                                   "  </risk>\n"
                                   "</derive>\n</template>\n",
                                   &log);
  ck_assert_msg(t != NULL, "%s", diag_log_text(&log));
  const derive_rules *r = &t->derive;
  ck_assert_int_eq(r->line, 9);
  ck_assert_double_eq(r->tolerance, 7.5);
  ck_assert_str_eq(r->indicator_values[VERDICT_OFF_TARGET], "sämre än målnivå");
  ck_assert_str_eq(r->assessment_family, "mål");
  ck_assert_int_eq(r->assessment_count, 3);
  ck_assert_int_eq(derive_assessment_rank(r, "halvt"), 1);
  ck_assert_int_eq(derive_trend_assessments(r, "nej", "ja"), TREND_BETTER);
  ck_assert_str_eq(derive_risk_level(r, &t->symbols, 1, 5)->name, "stor"); /* 5: "liten" by range */
  ck_assert_str_eq(derive_risk_level(r, &t->symbols, 5, 1)->name, "stor");
  ck_assert_str_eq(derive_risk_level(r, &t->symbols, 3, 3)->name, "liten"); /* 9: "stor" by range */
  template_free(t);
}
END_TEST

/* Every name <derive> uses must be a value of its family: an error at the
 * element's line:column that lists the allowed names. */
START_TEST(test_derive_errors) {
  struct {
    const char *xml, *want[3];
    int line;
  } bad[] = {
      {"<indicator near=\"nära\"/>", {"near=\"nära\" is not a value of symbol family \"indikator\"",
                                      "\"på målnivå\", \"nära målnivå\""}, 10},
      {"<indicator family=\"humör\"/>", {"symbol family \"humör\", which the template does not define",
                                         "\"indikator\", \"mål\", \"risk\""}, 10},
      {"<indicator family=\"risk\"/>", {"needs a family of named values", NULL}, 10},
      {"<trend better=\"ja\"/>", {"<trend> names symbol family \"trendpil\" (the default: give family=\"...\")",
                                   "\"indikator\", \"mål\", \"risk\", \"riskvärde\""}, 10},
      {"<indicator tolerance=\"150\"/>", {"tolerance=\"150\" must be a percentage from 0 to 100", NULL}, 10},
      {"<trend family=\"mål\" better=\"ja\" same=\"halvt\" worse=\"nej\"/>",
       {"not-evaluated=\"ej utvärderad\" is not a value of symbol family \"mål\"", "(this is the default name)"},
       10},
      {"<assessment family=\"mål\" order=\"nej, kanske, ja\"/>",
       {"order names \"kanske\"", "\"ja\", \"nej\", \"halvt\""}, 10},
      {"<assessment family=\"mål\"/>", {"has no value \"ej uppfyllt\" of the default order", NULL}, 10},
      {"<assessment family=\"mål\" order=\"nej, nej, ja\"/>", {"order lists \"nej\" twice", NULL}, 10},
      {"<risk family=\"risk\">\n<row likelihood=\"1\" levels=\"liten, liten, mellan, liten, stor\"/>\n</risk>",
       {"level \"mellan\" is not a named value of symbol family \"risk\"", "\"liten\", \"stor\""}, 11},
      {"<risk family=\"risk\">\n<row likelihood=\"1\" levels=\"liten, liten, liten\"/>\n</risk>",
       {"levels must name 5 levels", NULL}, 11},
      {"<risk family=\"risk\">\n<row likelihood=\"1\" levels=\"liten, liten, liten, liten, liten\"/>\n</risk>",
       {"needs a row for each likelihood 1 to 5 (it has 1)", NULL}, 10},
      {"<risk family=\"riskvärde\">\n<row likelihood=\"1\" levels=\"a, b, c, d, e\"/>\n</risk>",
       {"family \"riskvärde\" has no named values", NULL}, 10},
      {"<risk family=\"mål\"/>", {"needs a family of numbers", NULL}, 10},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    diag_log log;
    char xml[4096];
    snprintf(xml, sizeof xml, OPEN FAMILIES "<derive>\n%s\n</derive>\n</template>\n", bad[i].xml);
    template_model *t = template_str(xml, &log);
    ck_assert_msg(t == NULL, "accepted: %s", bad[i].xml);
    ck_assert_msg(log.count > 0 && log.entries[0].line == bad[i].line, "%s: line %d, want %d: %s", bad[i].xml,
                  log.count ? log.entries[0].line : 0, bad[i].line, diag_log_text(&log));
    ck_assert_msg(strcmp(log.entries[0].file, "t.xml") == 0 && log.entries[0].column == 1, "%s: %s:%d:%d",
                  bad[i].xml, log.entries[0].file, log.entries[0].line, log.entries[0].column);
    for (int k = 0; k < 3 && bad[i].want[k]; k++)
      ck_assert_msg(strstr(diag_log_text(&log), bad[i].want[k]), "%s: no \"%s\" in %s", bad[i].xml,
                    bad[i].want[k], diag_log_text(&log));
  }
}
END_TEST

static Suite *derive_suite(void) {
  Suite *s = suite_create("derive");
  TCase *tc = tcase_create("values");
  tcase_add_test(tc, test_boundary_higher_is_better);
  tcase_add_test(tc, test_boundary_lower_is_better);
  tcase_add_test(tc, test_other_tolerances);
  tcase_add_test(tc, test_zero_target);
  tcase_add_test(tc, test_negative_target);
  tcase_add_test(tc, test_not_numbers);
  tcase_add_test(tc, test_long_numbers);
  tcase_add_test(tc, test_trends);
  tcase_add_test(tc, test_risk_values);
  tcase_add_test(tc, test_locale_independent);
  suite_add_tcase(s, tc);
  tc = tcase_create("template");
  tcase_add_checked_fixture(tc, load_schema, free_schema);
  tcase_add_loop_test(tc, test_risk_matrix_all_cells, 0, 2);
  tcase_add_loop_test(tc, test_shipped_rules_complete, 0, 2);
  tcase_add_test(tc, test_defaults_fit_the_template);
  tcase_add_test(tc, test_derive_element);
  tcase_add_test(tc, test_derive_errors);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(derive_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
