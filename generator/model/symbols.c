/* symbols.c - looking up a family's value and the texts it stands for. */
#include "model/symbols.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/num.h"

const char *const symbol_shape_names[SHAPE_COUNT] = {
    [SHAPE_CIRCLE] = "circle",     [SHAPE_SQUARE] = "square",   [SHAPE_DIAMOND] = "diamond",
    [SHAPE_TRIANGLE] = "triangle", [SHAPE_PIE] = "pie",         [SHAPE_ARROW] = "arrow",
    [SHAPE_CHECK] = "check",       [SHAPE_CROSS] = "cross",     [SHAPE_DASH] = "dash",
    [SHAPE_CLOCK] = "clock",       [SHAPE_WARNING] = "warning", [SHAPE_CELL] = "cell"};
_Static_assert(sizeof symbol_shape_names / sizeof *symbol_shape_names == SHAPE_COUNT, "a name per shape");

/* "80", "80 %", "80%", "12,5": a number, or 0 when it is not one. */
static int parse_number(const char *s, double *out) {
  char buf[64];
  size_t n = strlen(s);
  if (n == 0 || n >= sizeof buf) return 0;
  memcpy(buf, s, n + 1);
  while (n > 0 && (buf[n - 1] == '%' || buf[n - 1] == ' ')) buf[--n] = '\0';
  if (n >= 2 && (unsigned char)buf[n - 2] == 0xC2 && (unsigned char)buf[n - 1] == 0xA0) buf[n -= 2] = '\0';
  while (n > 0 && buf[n - 1] == ' ') buf[--n] = '\0';
  for (char *c = buf; *c; c++)
    if (*c == ',') *c = '.';
  if (n == 0) return 0;
  char *end;
  double x = strtod_c(buf, &end); /* not the locale's decimal point */
  if (*end || !isfinite(x)) return 0;
  *out = x;
  return 1;
}

symbol_lookup_status symbol_lookup(const symbol_set *set, const char *family, const char *value,
                                   const symbol_family **fam, const symbol_value **val, double *number) {
  *fam = NULL, *val = NULL, *number = 0;
  for (int i = 0; i < set->family_count && !*fam; i++)
    if (strcmp(set->families[i].name, family) == 0) *fam = &set->families[i];
  if (!*fam) return SYMBOL_NO_FAMILY;
  const symbol_family *f = *fam;
  if (!f->numeric) {
    for (int i = 0; i < f->value_count; i++)
      if (f->values[i].name && strcmp(f->values[i].name, value) == 0) {
        *val = &f->values[i];
        return SYMBOL_OK;
      }
    return SYMBOL_NO_VALUE;
  }
  double x;
  if (!parse_number(value, &x)) return SYMBOL_NOT_A_NUMBER;
  if (x < f->min || x > f->max) return SYMBOL_OUT_OF_RANGE;
  *number = x;
  for (int i = 0; i < f->value_count; i++)
    if (x >= f->values[i].from && x <= f->values[i].to) {
      *val = &f->values[i];
      return SYMBOL_OK;
    }
  return SYMBOL_OUT_OF_RANGE; /* a gap between the template's ranges */
}

/* a[0, an) b c in the arena (memcpy, not printf: called per symbol). */
static char *concat3(arena *ar, const char *a, size_t an, const char *b, const char *c) {
  size_t bn = strlen(b), cn = strlen(c);
  char *s = arena_alloc_uninit(ar, an + bn + cn + 1);
  if (!s) return NULL;
  memcpy(s, a, an);
  memcpy(s + an, b, bn);
  memcpy(s + an + bn, c, cn + 1);
  return s;
}

static void format_number(char *out, size_t size, double x, const char *decimal_separator) {
  if (fabs(x - round(x)) < 1e-9 && fabs(x) < 1e15 && size >= 18) {
    /* whole numbers (every riskvärde, most percentages) without printf:
     * a symbol-heavy table formats thousands of them */
    long long v = llround(x);
    char digits[20];
    int n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do digits[n++] = (char)('0' + u % 10); while (u /= 10);
    int o = 0;
    if (v < 0) out[o++] = '-';
    while (n) out[o++] = digits[--n];
    out[o] = '\0';
    return;
  }
  char tmp[48];
  snprintf(tmp, sizeof tmp, "%.2f", x);
  size_t n = strlen(tmp);
  while (n > 0 && tmp[n - 1] == '0') tmp[--n] = '\0';
  char *dot = strchr(tmp, '.');
  if (dot) *dot = '\0';
  snprintf(out, size, "%s%s%s", tmp, dot ? decimal_separator : "", dot ? dot + 1 : "");
}

const char *symbol_expand(arena *a, const char *text, double number, const char *decimal_separator) {
  const char *at = strstr(text, "{value}");
  if (!at) return text;
  char num[64];
  format_number(num, sizeof num, number, decimal_separator ? decimal_separator : ",");
  return concat3(a, text, (size_t)(at - text), num, at + 7);
}

const char *symbol_alt(arena *a, const symbol_family *fam, const char *short_text) {
  char *s = concat3(a, fam->title, strlen(fam->title), ": ", short_text);
  if (!s) return NULL;
  /* the short text's capital becomes small after the colon ("Bedömning: delvis") */
  unsigned char *c = (unsigned char *)s + strlen(fam->title) + 2;
  if (c[0] >= 'A' && c[0] <= 'Z' && !(c[1] >= 'A' && c[1] <= 'Z'))
    c[0] = (unsigned char)(c[0] - 'A' + 'a');
  else if (c[0] == 0xC3 && (c[1] == 0x84 || c[1] == 0x85 || c[1] == 0x96))
    c[1] = (unsigned char)(c[1] + 0x20);
  return s;
}

const char *symbol_allowed(arena *a, const symbol_set *set, const symbol_family *fam) {
  size_t size = 1;
  if (!fam) {
    for (int i = 0; i < set->family_count; i++) size += strlen(set->families[i].name) + 2;
  } else if (fam->numeric) {
    size = 64;
  } else {
    for (int i = 0; i < fam->value_count; i++)
      size += (fam->values[i].name ? strlen(fam->values[i].name) : 0) + 4;
  }
  char *out = arena_alloc(a, size);
  if (!out) return "";
  if (fam && fam->numeric) {
    char lo[32], hi[32];
    format_number(lo, sizeof lo, fam->min, ",");
    format_number(hi, sizeof hi, fam->max, ",");
    snprintf(out, size, _("a number from %s to %s"), lo, hi);
    return out;
  }
  int count = fam ? fam->value_count : set->family_count;
  for (int i = 0; i < count; i++) {
    const char *name = fam ? fam->values[i].name : set->families[i].name;
    if (!name) continue;
    if (*out) strcat(out, ", ");
    strcat(out, "\"");
    strcat(out, name);
    strcat(out, "\"");
  }
  if (!*out) return _("none (the template defines no symbol families)");
  return out;
}
