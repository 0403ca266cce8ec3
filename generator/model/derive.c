/* derive.c - derived indicator verdicts, trends and risk levels.
 *
 * Numbers are compared exactly on their decimal digits (a small bignum),
 * never in binary floating point: 1.1 against a target of 1 with lower is
 * better is exactly 10 % off, which doubles would call 10.000000000000009 %.
 * The rules at the edges (docs/template.md, "<derive>"):
 * - on target: outcome >= target (higher is better) or <= (lower);
 * - near: worse by at most tolerance % of |target|; exactly at the
 *   tolerance is near (90 against 100 with 10 %);
 * - a zero target has no relative band: any shortfall is off;
 * - a negative target's band is measured from |target| too;
 * - an outcome or target that is not a canonical number is not evaluated. */
#include "model/derive.h"

#include <stdint.h>
#include <string.h>

#include "util/num.h"

/* ---- exact decimals ---- */

enum {
  MAX_PART_DIGITS = 40, /* before and after the point; longer is not a number */
  LIMB_BASE = 1000000000,
  LIMB_DIGITS = 9,
  MAX_LIMBS = 32 /* products of two aligned numbers and a scale factor */
};

typedef struct decimal {
  int negative;
  const char *int_digits, *frac_digits; /* into the source text */
  int int_len, frac_len;
} decimal;

typedef struct big {
  uint32_t limb[MAX_LIMBS]; /* little-endian, base 10^9 */
  int n;
} big;

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int parse_decimal(const char *s, decimal *d) {
  if (!s) return 0;
  memset(d, 0, sizeof *d);
  while (is_space(*s)) s++;
  if (*s == '+' || *s == '-') d->negative = *s++ == '-';
  d->int_digits = s;
  while (is_digit(*s)) s++;
  d->int_len = (int)(s - d->int_digits);
  if (*s == '.') {
    d->frac_digits = ++s;
    while (is_digit(*s)) s++;
    d->frac_len = (int)(s - d->frac_digits);
  }
  while (is_space(*s)) s++;
  if (*s || d->int_len + d->frac_len == 0) return 0;
  /* leading zeros do not count against the limit */
  while (d->int_len > 0 && d->int_digits[0] == '0') d->int_digits++, d->int_len--;
  while (d->frac_len > 0 && d->frac_digits[d->frac_len - 1] == '0') d->frac_len--;
  return d->int_len <= MAX_PART_DIGITS && d->frac_len <= MAX_PART_DIGITS;
}

int derive_is_number(const char *s) {
  decimal d;
  return parse_decimal(s, &d);
}

static void big_trim(big *a) {
  while (a->n > 0 && a->limb[a->n - 1] == 0) a->n--;
}

static void big_mul_small(big *a, uint32_t m, uint32_t add) {
  uint64_t carry = add;
  for (int i = 0; i < a->n; i++) {
    uint64_t x = (uint64_t)a->limb[i] * m + carry;
    a->limb[i] = (uint32_t)(x % LIMB_BASE);
    carry = x / LIMB_BASE;
  }
  if (carry && a->n < MAX_LIMBS) a->limb[a->n++] = (uint32_t)carry;
}

static void big_push_digit(big *a, int digit) {
  if (a->n == 0 && digit) a->limb[a->n++] = (uint32_t)digit;
  else if (a->n) big_mul_small(a, 10, (uint32_t)digit);
}

/* |d| * 10^scale as an integer; scale >= d's fraction digits. */
static big to_big(const decimal *d, int scale) {
  big a = {{0}, 0};
  for (int i = 0; i < d->int_len; i++) big_push_digit(&a, d->int_digits[i] - '0');
  for (int i = 0; i < scale; i++) big_push_digit(&a, i < d->frac_len ? d->frac_digits[i] - '0' : 0);
  return a;
}

static int big_cmp(const big *a, const big *b) {
  if (a->n != b->n) return a->n < b->n ? -1 : 1;
  for (int i = a->n - 1; i >= 0; i--)
    if (a->limb[i] != b->limb[i]) return a->limb[i] < b->limb[i] ? -1 : 1;
  return 0;
}

static big big_add(const big *a, const big *b) {
  big r = {{0}, 0};
  uint32_t carry = 0;
  int n = a->n > b->n ? a->n : b->n;
  for (int i = 0; i < n; i++) {
    uint32_t x = (i < a->n ? a->limb[i] : 0) + (i < b->n ? b->limb[i] : 0) + carry;
    carry = x >= LIMB_BASE;
    r.limb[i] = carry ? x - LIMB_BASE : x;
  }
  r.n = n;
  if (carry) r.limb[r.n++] = 1;
  return r;
}

/* a - b for a >= b */
static big big_sub(const big *a, const big *b) {
  big r = *a;
  int64_t borrow = 0;
  for (int i = 0; i < r.n; i++) {
    int64_t x = (int64_t)r.limb[i] - (i < b->n ? b->limb[i] : 0) - borrow;
    borrow = x < 0;
    r.limb[i] = (uint32_t)(x < 0 ? x + LIMB_BASE : x);
  }
  big_trim(&r);
  return r;
}

static big big_mul(const big *a, const big *b) {
  uint64_t acc[2 * MAX_LIMBS] = {0};
  for (int i = 0; i < a->n; i++) {
    uint64_t carry = 0;
    for (int j = 0; j < b->n && i + j < 2 * MAX_LIMBS; j++) {
      uint64_t x = acc[i + j] + (uint64_t)a->limb[i] * b->limb[j] + carry;
      acc[i + j] = x % LIMB_BASE;
      carry = x / LIMB_BASE;
    }
    for (int k = i + b->n; carry && k < 2 * MAX_LIMBS; k++) {
      uint64_t x = acc[k] + carry;
      acc[k] = x % LIMB_BASE;
      carry = x / LIMB_BASE;
    }
  }
  big r = {{0}, 0};
  /* operands stay below 2 * 40 + 2 * 40 + 12 digits: the product fits */
  for (int i = 0; i < MAX_LIMBS; i++) r.limb[i] = (uint32_t)acc[i];
  r.n = MAX_LIMBS;
  big_trim(&r);
  return r;
}

static big big_pow10(int e) {
  big r = {{1}, 1};
  for (int i = 0; i < e; i++) big_mul_small(&r, 10, 0);
  return r;
}

/* Two numbers brought to one scale: signs and magnitudes. */
typedef struct pair {
  int neg_a, neg_b;
  big a, b;
  int scale;
} pair;

static int read_pair(const char *sa, const char *sb, pair *p) {
  decimal da, db;
  if (!parse_decimal(sa, &da) || !parse_decimal(sb, &db)) return 0;
  p->scale = da.frac_len > db.frac_len ? da.frac_len : db.frac_len;
  p->a = to_big(&da, p->scale);
  p->b = to_big(&db, p->scale);
  p->neg_a = da.negative && p->a.n > 0; /* -0 is 0 */
  p->neg_b = db.negative && p->b.n > 0;
  return 1;
}

/* sign of a - b */
static int signed_cmp(const pair *p) {
  if (p->neg_a != p->neg_b) return p->neg_a ? -1 : 1;
  int c = big_cmp(&p->a, &p->b);
  return p->neg_a ? -c : c;
}

static big abs_diff(const pair *p) {
  if (p->neg_a != p->neg_b) return big_add(&p->a, &p->b);
  return big_cmp(&p->a, &p->b) >= 0 ? big_sub(&p->a, &p->b) : big_sub(&p->b, &p->a);
}

/* |a - b| <= percent % of |base| (base: a magnitude at the pair's scale).
 * The percentage is read back from its decimal digits (at most 6 decimals),
 * so 10 stays exactly 10. */
static int within_percent(const big *diff, const big *base, double percent) {
  char text[64];
  if (!(percent >= 0) || percent > 1e9) return 0;
  format_real(text, sizeof text, percent, 6); /* '.' whatever the locale */
  decimal dp;
  if (!parse_decimal(text, &dp)) return 0;
  big pc = to_big(&dp, dp.frac_len);
  /* diff * 100 * 10^frac <= pc * base */
  big scale = big_pow10(dp.frac_len + 2);
  big lhs = big_mul(diff, &scale), rhs = big_mul(&pc, base);
  return big_cmp(&lhs, &rhs) <= 0;
}

derive_verdict derive_indicator(const char *outcome, const char *target, derive_direction direction,
                                double tolerance_percent) {
  pair p;
  if (!read_pair(outcome, target, &p)) return VERDICT_NOT_EVALUATED;
  int c = signed_cmp(&p);
  int better_or_equal = 0;
  switch (direction) {
  case DIRECTION_HIGHER: better_or_equal = c >= 0; break;
  case DIRECTION_LOWER: better_or_equal = c <= 0; break;
  }
  if (better_or_equal) return VERDICT_ON_TARGET;
  big diff = abs_diff(&p);
  /* |target| = 0: the band is empty and diff > 0, so off */
  return within_percent(&diff, &p.b, tolerance_percent) ? VERDICT_NEAR_TARGET : VERDICT_OFF_TARGET;
}

static derive_trend trend_from_sign(int c, derive_direction direction) {
  if (c == 0) return TREND_SAME;
  switch (direction) {
  case DIRECTION_HIGHER: return c > 0 ? TREND_BETTER : TREND_WORSE;
  case DIRECTION_LOWER: return c < 0 ? TREND_BETTER : TREND_WORSE;
  }
  return TREND_NOT_EVALUATED;
}

derive_trend derive_trend_values(const char *previous, const char *current, derive_direction direction,
                                 double same_percent) {
  pair p;
  if (!read_pair(current, previous, &p)) return TREND_NOT_EVALUATED;
  int c = signed_cmp(&p);
  if (c != 0 && same_percent > 0) {
    big diff = abs_diff(&p);
    if (within_percent(&diff, &p.b, same_percent)) c = 0;
  }
  return trend_from_sign(c, direction);
}

derive_trend derive_trend_numbers(double previous, double current, derive_direction direction) {
  if (previous != previous || current != current) return TREND_NOT_EVALUATED; /* NaN */
  return trend_from_sign(current > previous ? 1 : current < previous ? -1 : 0, direction);
}

derive_trend derive_trend_ranks(int previous_rank, int current_rank) {
  if (previous_rank < 0 || current_rank < 0) return TREND_NOT_EVALUATED;
  return trend_from_sign(current_rank > previous_rank ? 1 : current_rank < previous_rank ? -1 : 0,
                         DIRECTION_HIGHER);
}

int derive_risk_value(int likelihood, int consequence) {
  if (likelihood < 1 || likelihood > RISK_SCALE || consequence < 1 || consequence > RISK_SCALE) return 0;
  return likelihood * consequence;
}

static int scale_digit(const char *s) {
  if (!s) return 0;
  while (is_space(*s)) s++;
  int v = *s >= '1' && *s <= '0' + RISK_SCALE ? *s++ - '0' : 0;
  while (is_space(*s)) s++;
  return *s ? 0 : v;
}

int derive_risk_value_text(const char *likelihood, const char *consequence) {
  return derive_risk_value(scale_digit(likelihood), scale_digit(consequence));
}

/* ---- rules ---- */

static const char *const default_assessment_order[] = {"ej uppfyllt", "delvis", "uppfyllt"};

void derive_rules_defaults(derive_rules *r) {
  memset(r, 0, sizeof *r);
  r->indicator_family = "indikator";
  r->tolerance = 10;
  r->indicator_values[VERDICT_NOT_EVALUATED] = "ej utvärderad";
  r->indicator_values[VERDICT_ON_TARGET] = "på målnivå";
  r->indicator_values[VERDICT_NEAR_TARGET] = "nära målnivå";
  r->indicator_values[VERDICT_OFF_TARGET] = "sämre än målnivå";
  r->trend_family = "trendpil";
  r->trend_values[TREND_NOT_EVALUATED] = "ej utvärderad";
  r->trend_values[TREND_BETTER] = "bättre";
  r->trend_values[TREND_SAME] = "oförändrad";
  r->trend_values[TREND_WORSE] = "sämre";
  r->assessment_family = "bedömning";
  r->assessment_order = (const char **)default_assessment_order;
  r->assessment_count = (int)(sizeof default_assessment_order / sizeof *default_assessment_order);
  r->risk_family = "riskvärde"; /* matrix all NULL: by the ranges */
}

static const symbol_family *find_family(const symbol_set *set, const char *name) {
  for (int i = 0; name && i < set->family_count; i++)
    if (strcmp(set->families[i].name, name) == 0) return &set->families[i];
  return NULL;
}

static const symbol_value *find_value(const symbol_family *f, const char *name) {
  for (int i = 0; f && name && i < f->value_count; i++)
    if (f->values[i].name && strcmp(f->values[i].name, name) == 0) return &f->values[i];
  return NULL;
}

static int has_all(const symbol_family *f, const char *const *names, int n) {
  if (!f || f->numeric) return 0;
  for (int i = 0; i < n; i++)
    if (names[i] && !find_value(f, names[i])) return 0;
  return 1;
}

void derive_rules_fit_defaults(derive_rules *r, const symbol_set *set) {
  if (!has_all(find_family(set, r->indicator_family), r->indicator_values, VERDICT_COUNT))
    r->indicator_family = NULL;
  if (!has_all(find_family(set, r->trend_family), r->trend_values, TREND_COUNT)) r->trend_family = NULL;
  if (!has_all(find_family(set, r->assessment_family), r->assessment_order, r->assessment_count))
    r->assessment_family = NULL;
  const symbol_family *risk = find_family(set, r->risk_family);
  if (!risk || !risk->numeric) r->risk_family = NULL;
}

int derive_assessment_rank(const derive_rules *r, const char *value) {
  if (!r->assessment_family || !value) return -1;
  for (int i = 0; i < r->assessment_count; i++)
    if (strcmp(r->assessment_order[i], value) == 0) return i;
  return -1;
}

derive_trend derive_trend_assessments(const derive_rules *r, const char *previous, const char *current) {
  return derive_trend_ranks(derive_assessment_rank(r, previous), derive_assessment_rank(r, current));
}

const symbol_value *derive_risk_level(const derive_rules *r, const symbol_set *set, int likelihood,
                                      int consequence) {
  int product = derive_risk_value(likelihood, consequence);
  const symbol_family *f = find_family(set, r->risk_family);
  if (!product || !f) return NULL;
  const symbol_value *named = find_value(f, r->risk_matrix[likelihood - 1][consequence - 1]);
  if (named) return named;
  for (int i = 0; i < f->value_count; i++)
    if (product >= f->values[i].from && product <= f->values[i].to) return &f->values[i];
  return NULL;
}

const char *derive_indicator_value(const derive_rules *r, derive_verdict v) {
  return r->indicator_family && v >= 0 && v < VERDICT_COUNT ? r->indicator_values[v] : NULL;
}

const char *derive_trend_value(const derive_rules *r, derive_trend t) {
  return r->trend_family && t >= 0 && t < TREND_COUNT ? r->trend_values[t] : NULL;
}
