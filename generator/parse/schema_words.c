/* schema_words.c - schema patterns said in words (schema_words.h). */
#include "parse/schema_words.h"

#include <stdio.h>
#include <string.h>

#include "util/i18n.h"
#include "util/suggest.h"

void words_begin(words *w) {
  w->count = w->values = 0;
  w->type = NULL;
  w->used = 0;
  w->joined[0] = '\0';
}

static const char *keep(words *w, const char *s) {
  size_t n = strlen(s) + 1;
  if (w->count >= WORDS_MAX_ITEMS || w->used + n > sizeof w->store) return NULL;
  char *at = w->store + w->used;
  memcpy(at, s, n);
  w->used += n;
  for (int i = 0; i < w->count; i++)
    if (strcmp(w->items[i], at) == 0) {
      w->used -= n; /* said already */
      return NULL;
    }
  w->items[w->count++] = at;
  return at;
}

int words_kind_named(words *w, const char *name) {
  if (!name) return 0;
  if (strcmp(name, "length") == 0)
    keep(w, _("a length such as 25mm, 12pt, 1.5cm or 1in"));
  else if (strcmp(name, "color") == 0)
    keep(w, _("a colour written #RRGGBB, such as #1F4E79"));
  else if (strcmp(name, "plain") == 0)
    keep(w, _("some text"));
  else
    return 0;
  return 1;
}

void words_value(words *w, const char *value) {
  char q[256];
  snprintf(q, sizeof q, "\"%s\"", value);
  if (keep(w, q)) w->values++;
}

void words_type(words *w, const char *type, const char *max, const char *pattern) {
  char s[512];
  w->type = type;
  if (!type) type = "";
  if (strcmp(type, "date") == 0)
    snprintf(s, sizeof s, "%s", _("a date written YYYY-MM-DD"));
  else if (strcmp(type, "decimal") == 0)
    snprintf(s, sizeof s, "%s", _("a number such as 1234.5 or -12"));
  else if (strcmp(type, "positiveInteger") == 0)
    snprintf(s, sizeof s, "%s", _("a whole number from 1 up"));
  else if (strcmp(type, "nonNegativeInteger") == 0 && max)
    snprintf(s, sizeof s, _("a whole number from 0 to %s"), max);
  else if (strcmp(type, "nonNegativeInteger") == 0)
    snprintf(s, sizeof s, "%s", _("a whole number from 0 up"));
  else if (strcmp(type, "integer") == 0)
    snprintf(s, sizeof s, "%s", _("a whole number"));
  else if (strcmp(type, "language") == 0)
    snprintf(s, sizeof s, "%s", _("a language tag such as sv or en-GB"));
  else if (strcmp(type, "ID") == 0)
    snprintf(s, sizeof s, "%s", _("a name that starts with a letter and has no spaces"));
  else if (strcmp(type, "string") == 0 && pattern)
    snprintf(s, sizeof s, _("a value of the form %s"), pattern);
  else if (strcmp(type, "string") == 0)
    snprintf(s, sizeof s, "%s", _("some text"));
  else
    snprintf(s, sizeof s, _("a value of type %s"), type);
  keep(w, s);
}

void words_name(words *w, const char *name, const char *ns) {
  char s[256];
  snprintf(s, sizeof s, "%s%s", ns && strcmp(ns, "http://www.w3.org/XML/1998/namespace") == 0 ? "xml:" : "",
           name);
  keep(w, s);
}

const char *words_text(words *w) {
  size_t o = 0;
  w->joined[0] = '\0';
  for (int i = 0; i < w->count; i++) {
    const char *sep = i == 0 ? "" : i == w->count - 1 ? _(" or ") : ", ";
    int n = snprintf(w->joined + o, sizeof w->joined - o, "%s%s", sep, w->items[i]);
    if (n < 0 || (size_t)n >= sizeof w->joined - o) break;
    o += (size_t)n;
  }
  return w->joined;
}

const char *words_nearest(words *w, const char *v) {
  if (!w->values) return NULL;
  static const char quote[] = "\"";
  suggestion sg;
  suggest_begin(&sg, v);
  char bare[256];
  const char *best = NULL;
  for (int i = 0; i < w->count; i++) {
    const char *item = w->items[i];
    size_t n = strlen(item);
    if (n < 2 || item[0] != quote[0] || n - 2 >= sizeof bare) continue;
    memcpy(bare, item + 1, n - 2);
    bare[n - 2] = '\0';
    const char *before = suggest_result(&sg);
    suggest_offer(&sg, bare);
    if (suggest_result(&sg) != before) best = item;
  }
  if (!best) return NULL;
  size_t n = strlen(best); /* the value without its quotes */
  memcpy(w->nearest, best + 1, n - 2);
  w->nearest[n - 2] = '\0';
  return w->nearest;
}

void words_quote(const char *v, char *out, size_t size) {
  while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r') v++;
  size_t n = strlen(v);
  while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n' || v[n - 1] == '\r')) n--;
  if (n >= size) {
    n = size > 4 ? size - 4 : 0;
    while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80) n--; /* whole characters */
    snprintf(out, size, "%.*s…", (int)n, v);
    return;
  }
  memcpy(out, v, n);
  out[n] = '\0';
}

int words_decimal_fix(const char *v, char *out, size_t size) {
  size_t o = 0;
  int commas = 0, digits = 0, points = 0;
  for (const char *p = v; *p; p++) points += *p == '.';
  for (const char *p = v; *p && o + 2 < size; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == ' ' || c == '\t') continue;
    if (!strncmp(p, "\xc2\xa0", 2) || !strncmp(p, "\xe2\x80\xaf", 3) || !strncmp(p, "\xe2\x80\x89", 3)) {
      p += c == 0xc2 ? 1 : 2; /* no-break, narrow and thin spaces group digits */
      continue;
    }
    if (!strncmp(p, "\xe2\x88\x92", 3) && o == 0) { /* U+2212 minus */
      out[o++] = '-';
      p += 2;
      continue;
    }
    if (c == ',') {
      commas++;
      out[o++] = '.';
    } else if (c == '.' && commas == 0 && points > 0 && strchr(p, ',')) {
      continue; /* 1.234,5: the dots group thousands */
    } else if ((c == '-' || c == '+') && o == 0) {
      out[o++] = (char)c;
    } else if (c >= '0' && c <= '9') {
      digits++;
      out[o++] = (char)c;
    } else if (c == '.') {
      out[o++] = '.';
    } else {
      return 0;
    }
  }
  out[o] = '\0';
  int dots = 0;
  for (size_t i = 0; i < o; i++) dots += out[i] == '.';
  return digits > 0 && dots <= 1 && commas <= 1 && strcmp(out, v) != 0 && out[o - 1] != '.';
}
