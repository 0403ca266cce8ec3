/* font_internal.h - what font.c (tables, cmap, subsetting) and font_kern.c
 * (pair kerning) share: the font record and bounds-checked reads. */
#ifndef BILAGA_TEXT_FONT_INTERNAL_H
#define BILAGA_TEXT_FONT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "text/font.h"

#define DIRECT_LIMIT 0x3000u        /* code points served from font->direct */
#define MAX_FONT_BYTES (256u << 20) /* larger files are refused, not read */
#define MAX_TABLES 512              /* real fonts have < 50 */
#define MAX_KERN_SUBTABLES 64
#define MAX_COMPONENTS 1024         /* per composite glyph */
#define MAX_KERN_LOOKUPS 64         /* GPOS lookups taken from the 'kern' feature */
#define MAX_PAIR_SUBTABLES 256      /* PairPos subtables over all of them */
#define KERN_DENSE_MAX 720          /* glyphs in the precomputed Latin kerning matrix */
#define KERN_BUILD_BUDGET 40000000L /* work units (about a ns each) the matrix may cost */
#define KNONE 0xFFFFu

#define TAG(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* A table's place in the file; off 0 means absent (the directory lives there). */
typedef struct span {
  size_t off, len;
} span;

typedef struct kern_pair {
  uint32_t key; /* left << 16 | right */
  int32_t value;
} kern_pair;

/* One GPOS PairPos subtable (Extension resolved) of a 'kern' lookup. Offsets
 * are relative to the GPOS table; the header and the arrays it sizes
 * (pair set offsets, class matrix) were checked to lie inside the table. */
typedef struct pair_sub {
  uint32_t off, cov;   /* the subtable, its coverage */
  uint32_t cd1, cd2;   /* format 2: class definitions */
  uint16_t lookup;     /* subtables of one lookup are consecutive; the first that applies wins */
  uint16_t format;     /* 1: pair sets, 2: class pairs */
  uint16_t count;      /* format 1: pair sets; format 2: class1Count */
  uint16_t class2;     /* format 2: class2Count */
  uint16_t rec;        /* bytes of both value records */
  uint16_t xadv;       /* XAdvance's place in value record 1, KNONE when absent */
} pair_sub;

/* Where a glyph sits in the precomputed matrix: its row when it comes first,
 * its column when second; col KNONE for glyphs outside the Latin set. */
typedef struct kern_slot {
  uint16_t row, col;
} kern_slot;

struct font {
  unsigned char *data;
  size_t len;
  char *path;
  char psname[64]; /* PostScript names are at most 63 characters (Adobe TN 5088); longer ones are cut */
  font_metrics m;
  uint16_t num_glyphs, num_hmetrics;
  int long_loca;
  span head, hhea, maxp, hmtx, loca, glyf, cvt, fpgm, prep, os2, post, name, kern, cmap, gpos;
  size_t cmap_sub, cmap_end; /* chosen subtable: absolute start, end of its data */
  int cmap_format;           /* 4, 12, or 0 when the font has no usable cmap */
  uint16_t *advances;        /* one per glyph, expanded from hmtx */
  kern_pair *kern_pairs;     /* sorted by key; read only when GPOS has no kerning */
  size_t kern_count;
  pair_sub *pair_subs;       /* GPOS kerning, preferred over kern_pairs */
  size_t pair_count;
  kern_slot *kslot;          /* num_glyphs entries; NULL without a matrix */
  int16_t *krows;            /* distinct rows of kcols values each */
  size_t kcols;
  uint16_t direct[DIRECT_LIMIT];
};

/* ---- bounds-checked big-endian reads: out of range reads give 0 ---- */

static inline uint16_t rd16(const unsigned char *p, size_t len, size_t off) {
  if (off > len || len - off < 2) return 0;
  return (uint16_t)((unsigned)p[off] << 8 | p[off + 1]);
}

static inline uint32_t rd32(const unsigned char *p, size_t len, size_t off) {
  if (off > len || len - off < 4) return 0;
  return (uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 | (uint32_t)p[off + 2] << 8 | p[off + 3];
}

static inline int s16(uint16_t v) { return v >= 0x8000u ? (int)v - 0x10000 : (int)v; }

/* Reads inside one table: never past the table, let alone the file. */
static inline uint16_t t16(const font *f, span t, size_t off) {
  if (off > t.len || t.len - off < 2) return 0;
  return rd16(f->data, f->len, t.off + off);
}

static inline uint32_t t32(const font *f, span t, size_t off) {
  if (off > t.len || t.len - off < 4) return 0;
  return rd32(f->data, f->len, t.off + off);
}

/* Kerning tables (font_kern.c), read while loading; nonzero: out of memory. */
int font_read_gpos(font *f);
int font_read_kern(font *f);
/* Optional: without the matrix font_kerning takes the slow path. */
void font_build_kern_matrix(font *f);

#endif
