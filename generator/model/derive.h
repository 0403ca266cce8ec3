/* derive.h - values the content may leave out, derived from its data and
 * the template's <derive> rules (docs/template.md, "<derive>"):
 * an indicator's verdict from outcome vs target, a trend from two numbers
 * or two assessments, a risk value and its level in the 5x5 matrix.
 * The verdicts are template-neutral; derive_rules maps them to the value
 * names of the template's symbol families. */
#ifndef BILAGA_MODEL_DERIVE_H
#define BILAGA_MODEL_DERIVE_H

#include "model/symbols.h"

typedef enum derive_direction {
  DIRECTION_HIGHER, /* higher is better (the default) */
  DIRECTION_LOWER
} derive_direction;

typedef enum derive_verdict {
  VERDICT_NOT_EVALUATED, /* outcome or target is not a number */
  VERDICT_ON_TARGET,     /* on or better than the target */
  VERDICT_NEAR_TARGET,   /* worse, but by at most tolerance % of |target| (exactly 10 % is near) */
  VERDICT_OFF_TARGET,    /* worse by more than that; any shortfall when the target is 0 */
  VERDICT_COUNT
} derive_verdict;

typedef enum derive_trend {
  TREND_NOT_EVALUATED, /* a value is missing, not a number, or has no rank */
  TREND_BETTER,
  TREND_SAME,
  TREND_WORSE,
  TREND_COUNT
} derive_trend;

enum { RISK_SCALE = 5 }; /* likelihood and consequence are 1..5 */

/* Reads a canonical number as <num> stores it: optional sign, digits,
 * optional '.' and digits ("1234.5", "-3", "+0.25", ".5"); surrounding
 * white space is ignored. Anything else ("I.U.", "47,0 (2021)", "≥ 4 %",
 * "80 000*", "") is not a number: returns 0. */
int derive_is_number(const char *s);

/* The indicator verdict. outcome, target: canonical numbers or any text;
 * tolerance_percent >= 0 (the template's, 10 by default). Compared exactly
 * on the decimal digits, so 90 against 100 is near and 89.999 is off. */
derive_verdict derive_indicator(const char *outcome, const char *target, derive_direction direction,
                                double tolerance_percent);

/* The trend from the previous to the current value, both canonical numbers
 * (anything else: not evaluated). Equal values (exactly, 71.50 = 71.5) are
 * TREND_SAME; so is a change of at most same_percent % of |previous| (0:
 * only equal values). */
derive_trend derive_trend_values(const char *previous, const char *current, derive_direction direction,
                                 double same_percent);
/* The same for numbers already read (no band: only equal is same). */
derive_trend derive_trend_numbers(double previous, double current, derive_direction direction);
/* From two ranks in an ordered family (0 = worst; < 0: the value has no
 * rank, e.g. "ej utvärderad", so the trend is not evaluated). */
derive_trend derive_trend_ranks(int previous_rank, int current_rank);

/* likelihood x consequence, both 1..5; 0 when either is out of range. */
int derive_risk_value(int likelihood, int consequence);
/* The same from attribute text ("3"): 0 unless both are exactly 1..5. */
int derive_risk_value_text(const char *likelihood, const char *consequence);

/* The template's rules. Value names are those of the named families in
 * the template's <symbols>; a NULL family turns that derivation off (a
 * template without <derive> gets the defaults for the families it has). */
typedef struct derive_rules {
  const char *indicator_family;                /* "indikator" */
  double tolerance;                            /* percent, 10 */
  const char *indicator_values[VERDICT_COUNT]; /* by verdict */
  const char *trend_family;                    /* "trendpil" */
  double trend_same;                           /* percent band for TREND_SAME from numbers, 0 */
  const char *trend_values[TREND_COUNT];       /* by trend */
  const char *assessment_family;               /* "bedömning" */
  const char **assessment_order;               /* worst -> best */
  int assessment_count;
  const char *risk_family; /* "riskvärde" */
  /* [likelihood - 1][consequence - 1]: a name of one of the family's
   * range values; NULL cells take the range holding the product. */
  const char *risk_matrix[RISK_SCALE][RISK_SCALE];
  int line, column; /* the <derive> element; 0 for the defaults */
} derive_rules;

/* The built-in rules; then derive_rules_fit_defaults turns off each
 * derivation whose family or value names the template's symbols lack. */
void derive_rules_defaults(derive_rules *r);
void derive_rules_fit_defaults(derive_rules *r, const symbol_set *set);

/* The rank of an assessment value in the order (0 = worst), -1 if it has
 * none (unknown, or a value such as "ej utvärderad" left out of it). */
int derive_assessment_rank(const derive_rules *r, const char *value);
/* The trend from two assessment values, by their ranks. */
derive_trend derive_trend_assessments(const derive_rules *r, const char *previous, const char *current);

/* The risk family's value that draws likelihood x consequence: the matrix
 * cell's level, else the range holding the product. NULL when the rules
 * have no risk family, the template lacks it, or the inputs are invalid. */
const symbol_value *derive_risk_level(const derive_rules *r, const symbol_set *set, int likelihood,
                                      int consequence);

/* The template value name for a verdict or trend (NULL when that
 * derivation is off). */
const char *derive_indicator_value(const derive_rules *r, derive_verdict v);
const char *derive_trend_value(const derive_rules *r, derive_trend t);

#endif
