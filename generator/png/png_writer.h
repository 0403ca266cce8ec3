/* png_writer.h - the preview backend: replays page display lists with
 * cairo into PNG images. Glyphs are drawn from their outlines, read with
 * FreeType from the same font bytes the layout measured and the PDF
 * embeds, by glyph id; nothing is looked up by name. The only code that
 * includes cairo.h. */
#ifndef BILAGA_PNG_WRITER_H
#define BILAGA_PNG_WRITER_H

#include <stddef.h>

#include "layout/display.h"
#include "text/fontset.h"
#include "util/diag.h"

typedef struct png_writer png_writer;

enum { PNG_MIN_DPI = 1, PNG_MAX_DPI = 1200, PNG_MAX_PIXELS = 150000000 };

/* Borrows fonts (which must outlive the writer). NULL on failure
 * (reported, naming file). */
png_writer *png_writer_new(const fontset *fonts, double dpi, diag_sink *sink, const char *file);
/* Draws one page into a malloc'ed PNG the caller frees. On failure
 * (reported): BILAGA_ERROR_USAGE for a page too large at the resolution,
 * BILAGA_ERROR_IO otherwise. */
bilaga_status png_writer_page(png_writer *w, const display_page *page, unsigned char **bytes, size_t *length);
void png_writer_free(png_writer *w);

#endif
