/* suggest.h - "did you mean": the nearest of a set of names. */
#ifndef BILAGA_UTIL_SUGGEST_H
#define BILAGA_UTIL_SUGGEST_H

#include <stddef.h>

/* Edit distance (insert, delete, replace, swap two neighbours) between a
 * and b, counted in bytes; stops early above limit (returns limit + 1). */
int suggest_distance(const char *a, const char *b, int limit);

/* Keeps the best near miss while candidates are offered one by one. */
typedef struct suggestion {
  const char *word;
  const char *best;
  int distance;
} suggestion;

void suggest_begin(suggestion *s, const char *word);
void suggest_offer(suggestion *s, const char *candidate);
/* The nearest candidate close enough to be a typo (a third of the word's
 * length, at least 1, at most 3 edits, and not the word itself), or NULL. */
const char *suggest_result(const suggestion *s);

#endif
