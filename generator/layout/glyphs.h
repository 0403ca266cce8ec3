/* glyphs.h - characters that neither a style's font nor its fallbacks
 * have: a warning (an error when rendering strictly) naming the place and
 * the character, once per element and character. They are drawn from the
 * bundled last resort or as U+FFFD (text/fontset.h), never as .notdef. */
#ifndef BILAGA_LAYOUT_GLYPHS_H
#define BILAGA_LAYOUT_GLYPHS_H

#include "layout/inline.h"

/* Checks text about to be laid out in face; the place is ctx->source (the
 * model node the text comes from) or, without one, the content file. */
void layout_check_glyphs(layout_ctx *ctx, int face, const char *text, int length);
/* Reports how many more were not listed, and frees what the checks kept. */
void layout_glyphs_release(layout_ctx *ctx);

#endif
