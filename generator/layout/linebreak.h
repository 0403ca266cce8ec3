/* linebreak.h - a paragraph's items into lines by total fit (Knuth and
 * Plass), and the break opportunities inside words that it uses. */
#ifndef BILAGA_LAYOUT_LINEBREAK_H
#define BILAGA_LAYOUT_LINEBREAK_H

#include "layout/inline.h"

/* What a line may end in after a character inside a word. */
enum {
  BREAK_AFTER_NONE = 0,
  BREAK_AFTER_DASH = 1,  /* a hyphen or dash: the line ends in it, like a hyphenated one */
  BREAK_AFTER_SLASH = 2, /* "och/eller" */
};

/* Whether a line may end after the character at text[i] (word text from
 * text[start]): a hyphen or dash between letters ("KS-beslut",
 * "januari–mars"), never in "Covid-19", "2019-2020" or "e-post"; a slash
 * between words ("coronaviruset/covid"), never in "KSKF/2021". Stores the
 * character's byte length in *n. */
int linebreak_after(const char *text, int length, int start, int i, int *n);

/* hyphenator_breaks (text/hyphen.h) for the context's hyphenator,
 * remembering the latest words. */
int linebreak_patterns(layout_ctx *ctx, const char *word, int length, unsigned char *breaks);

/* Breaks p's items (settled) into p->lines for the given measure. */
void linebreak_paragraph(layout_ctx *ctx, paragraph *p, double width);

/* The extra width per space a justified line is set with, given what
 * stretching it to the measure would need: never narrower than the
 * breaker allowed (lines are shrunk only as far as it measured). */
double linebreak_space_extra(const paragraph *p, const line *l, double extra);

/* Frees the context's line-breaking memory. */
void linebreak_release(layout_ctx *ctx);

#endif
