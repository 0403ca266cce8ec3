/* hyphen.h - where a word may break: libhyphen with the system's pattern
 * dictionary (Debian's hyphen-sv for Swedish). */
#ifndef BILAGA_TEXT_HYPHEN_H
#define BILAGA_TEXT_HYPHEN_H

#include <stddef.h>

typedef struct hyphenator hyphenator;

/* Loads the patterns for a language ("sv-SE" -> hyph_sv_SE.dic) from the
 * usual directories. NULL when there are none: words then break only at
 * existing hyphens. */
hyphenator *hyphenator_load(const char *lang);
void hyphenator_free(hyphenator *h);

/* Longer words (in bytes) get no hyphenation points: no real word is that
 * long, and a line that has to break such a string breaks it between
 * characters (documented in docs/template.md, hyphenate). */
enum { HYPHEN_MAX_WORD = 120 };

/* Marks the byte offsets in word (UTF-8) after which a hyphen may be
 * inserted: breaks[i] = 1 allows a break after byte i. breaks has len
 * entries. Returns the number of break points. Words with digits,
 * shorter than 5 letters or longer than HYPHEN_MAX_WORD bytes get none. */
int hyphenator_breaks(hyphenator *h, const char *word, size_t len, unsigned char *breaks);

#endif
