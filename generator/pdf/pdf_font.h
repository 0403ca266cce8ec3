/* pdf_font.h - embeds a TrueType font as a subset Type0/CIDFontType2 font.
 *
 * libharu 2.3.0's own TrueType embedding writes a malformed ToUnicode map,
 * keeps whole tables and has no CIDSet, so fonts are built here through its
 * object API. Text uses Identity-H with CID = glyph id (plus aliases, see
 * pdf_font_use): the content stream shows 2-byte CIDs. */
#ifndef BILAGA_PDF_FONT_H
#define BILAGA_PDF_FONT_H

#include <hpdf.h>
#include <stdint.h>

#include "text/font.h"

typedef struct pdf_font pdf_font;

/* Creates the (still empty) font dictionary as an indirect object of doc.
 * The pdf_font borrows f, which must outlive it. NULL on failure. */
pdf_font *pdf_font_new(HPDF_Doc doc, const font *f);
/* The Type0 font dictionary, to register in page resources. */
HPDF_Dict pdf_font_dict(pdf_font *pf);
/* Records that glyph is shown and stands for the given code points (for
 * the ToUnicode map) and returns the code to show it with. That is the
 * glyph id, unless the glyph already stands for another single code point:
 * then it is an extra CID (past the glyph ids, through a CIDToGIDMap) that
 * shows the same glyph and reads as the new code point, so a no-break
 * space drawn with the space glyph still reads as U+00A0. Otherwise the
 * first mapping recorded for a glyph wins. */
uint16_t pdf_font_use(pdf_font *pf, uint16_t glyph, const uint32_t *codepoints, int count);
/* Writes the subset font program, descriptor (with CapHeight, CIDSet),
 * widths and ToUnicode map. Call once, after all pages, before saving.
 * The subset tag is derived from the glyph set, so it is deterministic.
 * Returns 0 on success, -1 with a reason in err. */
int pdf_font_finish(pdf_font *pf, char *err, size_t errlen);
void pdf_font_free(pdf_font *pf);

#endif
