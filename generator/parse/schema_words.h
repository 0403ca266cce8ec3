/* schema_words.h - what a schema pattern allows, said in words: "one of
 * "normal", "lead" or "note"", "a date written YYYY-MM-DD", "a length
 * such as 25mm". The schema gives the values and types; this gives them
 * words (and translations). */
#ifndef BILAGA_PARSE_SCHEMA_WORDS_H
#define BILAGA_PARSE_SCHEMA_WORDS_H

#include <stddef.h>

enum { WORDS_MAX_ITEMS = 48 };

typedef struct words {
  const char *items[WORDS_MAX_ITEMS];
  int count;
  int values;       /* how many items are literal values */
  const char *type; /* the last datatype seen ("date", "decimal"), or NULL */
  char store[2048]; /* the items' text */
  size_t used;
  char joined[2048];
  char nearest[256];
} words;

void words_begin(words *w);
/* Adds the phrase for a define the schema names by its meaning ("length",
 * "color", "plain"); 0 when the name has no phrase (describe its pattern). */
int words_kind_named(words *w, const char *define_name);
void words_value(words *w, const char *value);
void words_type(words *w, const char *type, const char *max_inclusive, const char *pattern);
/* An attribute name (xml:lang for the XML namespace). */
void words_name(words *w, const char *name, const char *ns);
/* The items joined: "a", "b" or "c". */
const char *words_text(words *w);
/* The value nearest to v, when v looks like a typo of one; NULL if not. */
const char *words_nearest(words *w, const char *v);

/* v trimmed of surrounding white space and cut to fit size. */
void words_quote(const char *v, char *out, size_t size);
/* "1 234,5" → "1234.5": the canonical form of a Swedish-written number,
 * when that is what v is; 0 when v is not recognisably a number. */
int words_decimal_fix(const char *v, char *out, size_t size);

#endif
