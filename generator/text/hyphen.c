/* hyphen.c - a thin, safe wrapper around libhyphen. */
#include "text/hyphen.h"

#include <hyphen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hyphenator {
  HyphenDict *dict;
};

hyphenator *hyphenator_load(const char *lang) {
  char code[16] = {0};
  size_t n = 0;
  for (; lang && lang[n] && n < sizeof code - 1; n++) code[n] = lang[n] == '-' ? '_' : lang[n];
  if (n == 2) snprintf(code + 2, sizeof code - 2, "_%c%c", code[0] - 32, code[1] - 32); /* sv -> sv_SV */
  if (strcmp(code, "sv_SV") == 0) strcpy(code, "sv_SE");
  const char *dirs[] = {"/usr/share/hyphen", "/usr/local/share/hyphen"};
  for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
    char path[256];
    snprintf(path, sizeof path, "%s/hyph_%s.dic", dirs[i], code);
    FILE *f = fopen(path, "r");
    if (!f) continue;
    fclose(f);
    HyphenDict *d = hnj_hyphen_load(path);
    if (!d) continue;
    hyphenator *h = malloc(sizeof *h);
    if (!h) {
      hnj_hyphen_free(d);
      return NULL;
    }
    h->dict = d;
    return h;
  }
  return NULL;
}

void hyphenator_free(hyphenator *h) {
  if (!h) return;
  hnj_hyphen_free(h->dict);
  free(h);
}

enum { MAX_WORD = 120 };

int hyphenator_breaks(hyphenator *h, const char *word, size_t len, unsigned char *breaks) {
  memset(breaks, 0, len);
  if (!h || len < 5 || len > MAX_WORD) return 0;
  /* Patterns are lower case: fold ASCII and the Latin-1 letters (UTF-8
   * C3 80..9E -> C3 A0..BE); anything else but letters disables breaks. */
  char lower[MAX_WORD + 1];
  int letters = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)word[i];
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
    else if (c == 0xC3 && i + 1 < len && (unsigned char)word[i + 1] >= 0x80 &&
             (unsigned char)word[i + 1] <= 0x9E && (unsigned char)word[i + 1] != 0x97) {
      lower[i] = (char)c;
      lower[i + 1] = (char)((unsigned char)word[i + 1] + 0x20);
      i++;
      letters++;
      continue;
    } else if (c >= '0' && c <= '9') return 0;
    if ((c >= 'a' && c <= 'z') || c >= 0x80) letters++;
    lower[i] = (char)c;
  }
  lower[len] = '\0';
  if (letters < 5) return 0;
  char hyphens[MAX_WORD + 5];
  char **rep = NULL;
  int *pos = NULL, *cut = NULL;
  int count = 0;
  if (hnj_hyphen_hyphenate2(h->dict, lower, (int)len, hyphens, NULL, &rep, &pos, &cut) == 0) {
    /* leave at least two letters on each side */
    for (size_t i = 1; i + 2 < len; i++) {
      if (!(hyphens[i] & 1)) continue;
      if (rep && rep[i]) continue; /* non-standard (spelling-changing) breaks are skipped */
      /* never inside a UTF-8 sequence */
      if (((unsigned char)lower[i + 1] & 0xC0) == 0x80) continue;
      breaks[i] = 1;
      count++;
    }
  }
  if (rep) {
    for (size_t i = 0; i < len; i++) free(rep[i]);
    free(rep);
  }
  free(pos);
  free(cut);
  return count;
}
