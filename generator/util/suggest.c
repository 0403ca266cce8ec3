/* suggest.c - optimal string alignment distance for "did you mean". */
#include "util/suggest.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_WORD = 64 };

int suggest_distance(const char *a, const char *b, int limit) {
  size_t n = strlen(a), m = strlen(b);
  if (n > MAX_WORD || m > MAX_WORD) return limit + 1;
  if ((n > m ? n - m : m - n) > (size_t)limit) return limit + 1;
  int d[MAX_WORD + 1][MAX_WORD + 1];
  for (size_t i = 0; i <= n; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= m; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= n; i++) {
    for (size_t j = 1; j <= m; j++) {
      int cost = a[i - 1] != b[j - 1];
      int v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
    }
  }
  return d[n][m] > limit ? limit + 1 : d[n][m];
}

static int allowed_distance(const char *word) {
  int l = (int)strlen(word) / 3;
  return l < 1 ? 1 : l > 3 ? 3 : l;
}

void suggest_begin(suggestion *s, const char *word) {
  s->word = word;
  s->best = NULL;
  s->distance = allowed_distance(word) + 1;
}

void suggest_offer(suggestion *s, const char *candidate) {
  if (!candidate || strcmp(candidate, s->word) == 0) return;
  int d = suggest_distance(s->word, candidate, s->distance - 1);
  if (d < s->distance) {
    s->distance = d;
    s->best = candidate;
  }
}

const char *suggest_result(const suggestion *s) {
  return s->best;
}
