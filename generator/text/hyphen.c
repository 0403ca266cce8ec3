/* hyphen.c - a thin, safe wrapper around libhyphen. */
#include "text/hyphen.h"

#include <hyphen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

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

int hyphenator_breaks(hyphenator *h, const char *word, size_t len, unsigned char *breaks) {
  memset(breaks, 0, len);
  if (!h || len < 5 || len > HYPHEN_MAX_WORD) return 0;
  /* The patterns are lower case, in the dictionary's own encoding (Debian's
   * Swedish one is ISO 8859-1): fold and convert, remembering where each
   * character starts in the UTF-8 word. Anything but letters disables. */
  int latin1 = strcmp(h->dict->cset, "UTF-8") != 0;
  char text[HYPHEN_MAX_WORD + 1];
  size_t start[HYPHEN_MAX_WORD + 1]; /* byte offset in word of each text position */
  size_t n = 0;
  for (size_t i = 0; i < len;) {
    int bytes;
    uint32_t cp = utf8_decode(word + i, len - i, &bytes);
    if (cp >= 'A' && cp <= 'Z') cp += 32;
    else if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) cp += 32; /* Latin-1 capitals */
    int letter = (cp >= 'a' && cp <= 'z') || (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) || (!latin1 && cp > 0xFF);
    if (!letter) return 0;
    if (latin1) {
      start[n] = i;
      text[n++] = (char)cp;
    } else {
      char enc[4];
      int k = utf8_encode(cp, enc);
      for (int j = 0; j < k && n < HYPHEN_MAX_WORD; j++) {
        start[n] = j == 0 ? i : (size_t)-1;
        text[n++] = enc[j];
      }
    }
    i += (size_t)bytes;
  }
  text[n] = '\0';
  start[n] = len;
  size_t chars = 0;
  for (size_t i = 0; i < n; i++) chars += start[i] != (size_t)-1;
  if (chars < 5) return 0;
  char hyphens[HYPHEN_MAX_WORD + 5];
  char **rep = NULL;
  int *pos = NULL, *cut = NULL;
  int count = 0;
  if (hnj_hyphen_hyphenate2(h->dict, text, (int)n, hyphens, NULL, &rep, &pos, &cut) == 0) {
    /* at least two letters on either side of a break */
    size_t seen = 0;
    for (size_t i = 0; i + 1 < n; i++) {
      if (start[i] != (size_t)-1) seen++;
      if (!(hyphens[i] & 1) || (rep && rep[i])) continue; /* spelling-changing breaks are skipped */
      if (start[i + 1] == (size_t)-1) continue;          /* never inside a character */
      if (seen < 2 || chars - seen < 2) continue;
      breaks[start[i + 1] - 1] = 1;
      count++;
    }
  }
  if (rep) {
    for (size_t i = 0; i < n; i++) free(rep[i]);
    free(rep);
  }
  free(pos);
  free(cut);
  return count;
}
