/* font.h - TrueType fonts: loading, character-to-glyph mapping and metrics.
 *
 * This is the narrow metrics interface that layout uses; it never draws.
 * A bilaga_font owns a copy of the font file's bytes (the PDF backend
 * subsets and embeds from them) and is freed with font_free(). */
#ifndef BILAGA_TEXT_FONT_H
#define BILAGA_TEXT_FONT_H

#include <stddef.h>
#include <stdint.h>

typedef struct font font;

/* Metrics in font units unless noted; units_per_em converts to points. */
typedef struct font_metrics {
  int units_per_em;
  int ascender, descender, line_gap; /* hhea (or OS/2 typo when USE_TYPO_METRICS) */
  int cap_height, x_height;          /* OS/2; estimated from glyphs when absent */
  int bbox[4];                       /* head: xMin yMin xMax yMax */
  double italic_angle;               /* post, degrees */
  int weight_class;                  /* OS/2 usWeightClass */
  int is_fixed_pitch;
  int is_serif;                      /* from OS/2 panose family, best effort */
  int stem_v;                        /* estimate for the PDF font descriptor */
} font_metrics;

/* Loads a TrueType (glyf-based) font from a file. Returns NULL and writes a
 * one-line reason into err (size errlen) when the file cannot be read or is
 * not a usable TrueType font (CFF-flavoured OpenType is refused). */
font *font_load(const char *path, char *err, size_t errlen);
/* Same from memory; the bytes are copied. */
font *font_load_memory(const unsigned char *data, size_t len, const char *name, char *err, size_t errlen);
void font_free(font *f);

/* Glyph id for a Unicode code point, 0 (.notdef) when the font lacks it. */
uint16_t font_glyph(const font *f, uint32_t codepoint);
/* Advance width of a glyph in font units. */
int font_advance(const font *f, uint16_t glyph);
/* Kerning between two glyphs in font units: the first glyph's XAdvance from
 * GPOS pair positioning (the 'kern' feature of script 'latn' or DFLT), else
 * the legacy 'kern' table (format 0); 0 when the font has neither. Pairs of
 * Latin glyphs are precomputed at load time, so this is cheap per pair. */
int font_kerning(const font *f, uint16_t left, uint16_t right);
const font_metrics *font_get_metrics(const font *f);
/* PostScript name from the 'name' table (ID 6), never NULL. */
const char *font_postscript_name(const font *f);
const char *font_path(const font *f);
uint16_t font_glyph_count(const font *f);

/* Raw access for the PDF backend's subsetter. */
const unsigned char *font_data(const font *f, size_t *len);

/* Builds a TrueType subset that keeps glyph ids (unused glyphs become
 * empty, composite components are kept, the glyph table is cut after the
 * highest used id) and only the tables a PDF CIDFontType2 needs (head,
 * hhea, maxp, hmtx, loca, glyf, cvt, fpgm, prep). used[] has one flag per
 * glyph id (font_glyph_count entries). Returns a malloc'ed buffer the
 * caller frees, its size in *out_len; NULL on failure. */
unsigned char *font_subset(const font *f, const unsigned char *used, size_t *out_len);

#endif
