/* test_font.c - check suite "font": the TrueType parser/subsetter and the PDF CID font embedding. */
#include <check.h>
#include <hpdf.h>
#include <hpdf_pages.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "pdf/pdf_font.h"
#include "text/font.h"

#define REGULAR BILAGA_DATA_DIR "/fonts/Carlito-Regular.ttf"
#define ITALIC BILAGA_DATA_DIR "/fonts/Carlito-Italic.ttf"

/* ---- helpers ---- */

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  ck_assert_msg(fp != NULL, "cannot open %s", path);
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  ck_assert(n > 0);
  fseek(fp, 0, SEEK_SET);
  unsigned char *buf = malloc((size_t)n);
  ck_assert(buf != NULL);
  ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
  fclose(fp);
  *len = (size_t)n;
  return buf;
}

static uint32_t be16(const unsigned char *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be32(const unsigned char *p) { return be16(p) << 16 | be16(p + 2); }
static void put16(unsigned char *p, uint32_t v) { p[0] = (unsigned char)(v >> 8); p[1] = (unsigned char)v; }
static void put32(unsigned char *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xFFFF); }

/* Finds a table in an sfnt; returns its offset, 0 when absent. */
static size_t find_table(const unsigned char *d, size_t len, const char *tag, size_t *tlen) {
  size_t n = be16(d + 4);
  for (size_t i = 0; i < n && 12 + 16 * (i + 1) <= len; i++) {
    const unsigned char *e = d + 12 + 16 * i;
    if (!memcmp(e, tag, 4)) {
      if (tlen) *tlen = be32(e + 12);
      return be32(e + 8);
    }
  }
  return 0;
}

static size_t glyph_len(const unsigned char *d, size_t len, unsigned g) {
  size_t head = find_table(d, len, "head", NULL), loca = find_table(d, len, "loca", NULL);
  if (be16(d + head + 50)) return be32(d + loca + 4 * g + 4) - be32(d + loca + 4 * g);
  return 2 * (be16(d + loca + 2 * g + 2) - be16(d + loca + 2 * g));
}

static uint32_t sum32(const unsigned char *p, size_t len) {
  uint32_t s = 0;
  for (size_t i = 0; i < len; i += 4) {
    unsigned char w[4] = {0, 0, 0, 0};
    memcpy(w, p + i, len - i < 4 ? len - i : 4);
    s += be32(w);
  }
  return s;
}

/* Returns a copy of the font with a format 0 'kern' table appended (pairs as given, unsorted). */
static unsigned char *with_kern(const unsigned char *d, size_t len, const uint16_t (*pairs)[3], size_t np, size_t *out_len) {
  size_t n = be16(d + 4), klen = 4 + 14 + 6 * np, body = len - (12 + 16 * n);
  size_t total = 12 + 16 * (n + 1) + body + klen;
  unsigned char *o = calloc(total, 1);
  ck_assert(o != NULL);
  memcpy(o, d, 12);
  put16(o + 4, (uint32_t)(n + 1));
  for (size_t i = 0; i < n; i++) {
    memcpy(o + 12 + 16 * i, d + 12 + 16 * i, 16);
    put32(o + 12 + 16 * i + 8, be32(d + 12 + 16 * i + 8) + 16);
  }
  unsigned char *e = o + 12 + 16 * n, *k = o + total - klen;
  memcpy(e, "kern", 4);
  put32(e + 8, (uint32_t)(total - klen));
  put32(e + 12, (uint32_t)klen);
  memcpy(o + 12 + 16 * (n + 1), d + 12 + 16 * n, body);
  put16(k + 2, 1);                      /* one subtable */
  put16(k + 6, (uint32_t)(14 + 6 * np)); /* its length */
  put16(k + 8, 0x0001);                 /* format 0, horizontal */
  put16(k + 10, (uint32_t)np);
  for (size_t i = 0; i < np; i++) {
    put16(k + 18 + 6 * i, pairs[i][0]);
    put16(k + 20 + 6 * i, pairs[i][1]);
    put16(k + 22 + 6 * i, pairs[i][2]);
  }
  *out_len = total;
  return o;
}

/* A copy of the font whose directory entry for table `from` is renamed `to`:
 * the table is still there but no reader looks for it under that tag. */
static unsigned char *retag(const unsigned char *d, size_t len, const char *from, const char *to) {
  unsigned char *o = malloc(len);
  ck_assert(o != NULL);
  memcpy(o, d, len);
  size_t n = be16(o + 4), hit = 0;
  for (size_t i = 0; i < n; i++)
    if (!memcmp(o + 12 + 16 * i, from, 4)) {
      memcpy(o + 12 + 16 * i, to, 4);
      hit++;
    }
  ck_assert_uint_eq(hit, 1);
  return o;
}

/* A copy whose existing table `tag` is replaced by body, placed at the very
 * end of an exactly sized buffer, so that ASan catches any read past it. */
static unsigned char *with_table(const unsigned char *d, size_t len, const char *tag, const unsigned char *body, size_t blen,
                                 size_t *out_len) {
  size_t at = (len + 3) & ~(size_t)3, n = be16(d + 4), hit = 0;
  unsigned char *o = calloc(at + blen ? at + blen : 1, 1);
  ck_assert(o != NULL);
  memcpy(o, d, len);
  if (blen) memcpy(o + at, body, blen);
  for (size_t i = 0; i < n; i++)
    if (!memcmp(o + 12 + 16 * i, tag, 4)) {
      put32(o + 12 + 16 * i + 8, (uint32_t)at);
      put32(o + 12 + 16 * i + 12, (uint32_t)blen);
      hit++;
    }
  ck_assert_uint_eq(hit, 1);
  *out_len = at + blen;
  return o;
}

/* Carlito cut down to what kerning reads (no outlines: glyf empty, loca
 * zeroed; no GSUB, hinting...): a fraction of the size, so the many loads
 * of the hostile tests stay quick. */
static unsigned char *skeleton(const unsigned char *d, size_t len, size_t *out_len) {
  static const char keep[][5] = {"GPOS", "OS/2", "cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post"};
  const size_t nk = sizeof keep / sizeof *keep;
  size_t total = 12 + 16 * nk, tl;
  for (size_t i = 0; i < nk; i++) {
    ck_assert_uint_gt(find_table(d, len, keep[i], &tl), 0);
    if (strcmp(keep[i], "glyf")) total += (tl + 3) & ~(size_t)3;
  }
  unsigned char *o = calloc(total, 1);
  ck_assert(o != NULL);
  memcpy(o, d, 12);
  put16(o + 4, (uint32_t)nk);
  size_t at = 12 + 16 * nk;
  for (size_t i = 0; i < nk; i++) {
    size_t off = find_table(d, len, keep[i], &tl);
    if (!strcmp(keep[i], "glyf")) tl = 0;
    unsigned char *e = o + 12 + 16 * i;
    memcpy(e, keep[i], 4);
    put32(e + 8, (uint32_t)at);
    put32(e + 12, (uint32_t)tl);
    if (strcmp(keep[i], "loca")) memcpy(o + at, d + off, tl);
    at += (tl + 3) & ~(size_t)3;
  }
  *out_len = total;
  return o;
}

/* A tiny big-endian writer for synthetic tables. */
typedef struct wbuf {
  unsigned char b[4096];
  size_t n;
} wbuf;

static size_t w16(wbuf *w, int v) {
  ck_assert_uint_le(w->n + 2, sizeof w->b);
  put16(w->b + w->n, (uint32_t)v & 0xFFFF);
  w->n += 2;
  return w->n - 2;
}

static size_t w32(wbuf *w, uint32_t v) {
  size_t at = w16(w, (int)(v >> 16));
  w16(w, (int)(v & 0xFFFF));
  return at;
}

static size_t wtag(wbuf *w, const char *tag) {
  size_t at = w16(w, tag[0] << 8 | tag[1]);
  w16(w, tag[2] << 8 | tag[3]);
  return at;
}

/* Points the 16-bit offset field at `field` (relative to base) at the current end. */
static void here16(wbuf *w, size_t field, size_t base) { put16(w->b + field, (uint32_t)(w->n - base)); }

/* Glyphs of the synthetic GPOS below (Carlito's ids). */
typedef struct syn_glyphs {
  uint16_t A, T, V, a, o, Tau, omicron; /* the last two Greek: outside the precomputed Latin set */
} syn_glyphs;

/* Builds a GPOS table exercising what font_kerning reads:
 *   scripts   'cyrl' -> feature 1 (kern: lookup 0); 'latn' -> features 0 (cpsp: lookup 0) and 2 (kern: lookups 2, 1)
 *   lookup 0  PairPos 1: A,V +1000 -- a decoy, not in latn's kern feature
 *   lookup 1  PairPos 1 (ValueFormat1 XPlacement|XAdvance|XPlaDevice|XAdvDevice, ValueFormat2 YPlacement|YAdvance):
 *               A,T -50  A,V -80  T,o -120
 *             PairPos 2 (coverage format 2, both ClassDefs format 2, XAdvance only):
 *               class1 {T, Tau}=1 {A}=2, class2 {a, o, omicron}=1 {V}=2; [1][1] -100, [2][2] -60
 *   lookup 2  Extension -> PairPos 2 (coverage format 1, ClassDefs format 1,
 *               ValueFormat1 XPlacement|XAdvance, ValueFormat2 XAdvance): class1 {T, V}=1, class2 {a, o}=1; [1][1] -70
 * tags[] receives where the two script tags are. */
static void synthetic_gpos(wbuf *w, const syn_glyphs *g, size_t tags[2]) {
  memset(w, 0, sizeof *w);
  w32(w, 0x00010000);
  size_t f_sl = w16(w, 0), f_fl = w16(w, 0), f_ll = w16(w, 0);

  size_t sl = w->n;
  here16(w, f_sl, 0);
  w16(w, 2);
  tags[0] = wtag(w, "cyrl");
  size_t s_cyrl = w16(w, 0);
  tags[1] = wtag(w, "latn");
  size_t s_latn = w16(w, 0);
  here16(w, s_cyrl, sl);
  w16(w, 4), w16(w, 0);                           /* Script: default LangSys right after, no others */
  w16(w, 0), w16(w, 0xFFFF), w16(w, 1), w16(w, 1); /* LangSys: no required feature; feature 1 */
  here16(w, s_latn, sl);
  w16(w, 4), w16(w, 0);
  w16(w, 0), w16(w, 0xFFFF), w16(w, 2), w16(w, 0), w16(w, 2);

  size_t fl = w->n;
  here16(w, f_fl, 0);
  w16(w, 3);
  wtag(w, "cpsp");
  size_t ft0 = w16(w, 0);
  wtag(w, "kern");
  size_t ft1 = w16(w, 0);
  wtag(w, "kern");
  size_t ft2 = w16(w, 0);
  here16(w, ft0, fl);
  w16(w, 0), w16(w, 1), w16(w, 0);
  here16(w, ft1, fl);
  w16(w, 0), w16(w, 1), w16(w, 0);
  here16(w, ft2, fl);
  w16(w, 0), w16(w, 2), w16(w, 2), w16(w, 1);

  size_t ll = w->n;
  here16(w, f_ll, 0);
  w16(w, 3);
  size_t lk0 = w16(w, 0), lk1 = w16(w, 0), lk2 = w16(w, 0);

  /* lookup 0 */
  size_t l0 = w->n;
  here16(w, lk0, ll);
  w16(w, 2), w16(w, 0), w16(w, 1);
  size_t s0 = w16(w, 0);
  size_t p = w->n;
  here16(w, s0, l0);
  w16(w, 1);
  size_t cov = w16(w, 0);
  w16(w, 0x0004), w16(w, 0), w16(w, 1);
  size_t ps = w16(w, 0);
  here16(w, cov, p);
  w16(w, 1), w16(w, 1), w16(w, g->A);
  here16(w, ps, p);
  w16(w, 1), w16(w, g->V), w16(w, 1000);

  /* lookup 1 */
  size_t l1 = w->n;
  here16(w, lk1, ll);
  w16(w, 2), w16(w, 0), w16(w, 2);
  size_t s1a = w16(w, 0), s1b = w16(w, 0);
  p = w->n;
  here16(w, s1a, l1);
  w16(w, 1);
  cov = w16(w, 0);
  w16(w, 0x0055), w16(w, 0x000A), w16(w, 2);
  size_t psA = w16(w, 0), psT = w16(w, 0);
  here16(w, cov, p);
  w16(w, 1), w16(w, 2), w16(w, g->A), w16(w, g->T);
  /* records: second glyph; XPlacement, XAdvance, two null device offsets; YPlacement, YAdvance */
  here16(w, psA, p);
  w16(w, 2);
  w16(w, g->T), w16(w, 77), w16(w, -50), w16(w, 0), w16(w, 0), w16(w, 5), w16(w, 6);
  w16(w, g->V), w16(w, 77), w16(w, -80), w16(w, 0), w16(w, 0), w16(w, 5), w16(w, 6);
  here16(w, psT, p);
  w16(w, 1);
  w16(w, g->o), w16(w, 77), w16(w, -120), w16(w, 0), w16(w, 0), w16(w, 5), w16(w, 6);

  p = w->n;
  here16(w, s1b, l1);
  w16(w, 2);
  cov = w16(w, 0);
  w16(w, 0x0004), w16(w, 0);
  size_t cd1 = w16(w, 0), cd2 = w16(w, 0);
  w16(w, 3), w16(w, 3);
  const int m1[3][3] = {{0, 0, 0}, {0, -100, 0}, {0, 0, -60}};
  for (int i = 0; i < 3; i++)
    for (int k = 0; k < 3; k++) w16(w, m1[i][k]);
  here16(w, cov, p);
  w16(w, 2), w16(w, 3);
  w16(w, g->A), w16(w, g->A), w16(w, 0);
  w16(w, g->T), w16(w, g->T), w16(w, 1);
  w16(w, g->Tau), w16(w, g->Tau), w16(w, 2);
  here16(w, cd1, p);
  w16(w, 2), w16(w, 3);
  w16(w, g->A), w16(w, g->A), w16(w, 2);
  w16(w, g->T), w16(w, g->T), w16(w, 1);
  w16(w, g->Tau), w16(w, g->Tau), w16(w, 1);
  here16(w, cd2, p);
  w16(w, 2), w16(w, 4);
  w16(w, g->V), w16(w, g->V), w16(w, 2);
  w16(w, g->a), w16(w, g->a), w16(w, 1);
  w16(w, g->o), w16(w, g->o), w16(w, 1);
  w16(w, g->omicron), w16(w, g->omicron), w16(w, 1);

  /* lookup 2: Extension */
  size_t l2 = w->n;
  here16(w, lk2, ll);
  w16(w, 9), w16(w, 0), w16(w, 1);
  size_t s2 = w16(w, 0);
  size_t ext = w->n;
  here16(w, s2, l2);
  w16(w, 1), w16(w, 2);
  size_t eoff = w32(w, 0);
  p = w->n;
  put32(w->b + eoff, (uint32_t)(p - ext));
  w16(w, 2);
  cov = w16(w, 0);
  w16(w, 0x0005), w16(w, 0x0004);
  cd1 = w16(w, 0), cd2 = w16(w, 0);
  w16(w, 2), w16(w, 2);
  /* [c1][c2]: XPlacement, XAdvance; second glyph's XAdvance (ignored) */
  for (int i = 0; i < 3; i++) w16(w, 0), w16(w, 0), w16(w, 0);
  w16(w, 33), w16(w, -70), w16(w, 999);
  here16(w, cov, p);
  w16(w, 1), w16(w, 2), w16(w, g->T), w16(w, g->V);
  here16(w, cd1, p);
  w16(w, 1), w16(w, g->T), w16(w, g->V - g->T + 1);
  for (int k = g->T; k <= g->V; k++) w16(w, k == g->T || k == g->V);
  here16(w, cd2, p);
  w16(w, 1), w16(w, g->a), w16(w, g->o - g->a + 1);
  for (int k = g->a; k <= g->o; k++) w16(w, k == g->a || k == g->o);
}

static syn_glyphs syn_glyphs_of(const font *f) {
  syn_glyphs g = {font_glyph(f, 'A'), font_glyph(f, 'T'), font_glyph(f, 'V'), font_glyph(f, 'a'),
                  font_glyph(f, 'o'), font_glyph(f, 0x3A4), font_glyph(f, 0x3BF)};
  /* the tables list glyphs in increasing order */
  ck_assert(g.A < g.T && g.T < g.V && g.V < g.a && g.a < g.o && g.o < g.Tau && g.Tau < g.omicron);
  return g;
}

/* Kerning of many pairs of a (possibly hostile) font: must not crash or read out of bounds. */
static long kern_grid(const font *f) {
  static const uint32_t cps[] = {' ', 'A', 'T', 'V', 'W', 'Y', 'a', 'e', 'o', 'r', 'v', 'y', '.', ',', 0xE5, 0xF6,
                                 0x2019, 0x201D, 0x2013, 0x3A4, 0x3BF, 0x391, 0x410, 0x43E, 0xFB01, 0x2122};
  uint16_t gs[sizeof cps / sizeof *cps + 4];
  size_t n = 0;
  for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) gs[n++] = font_glyph(f, cps[i]);
  gs[n++] = 0;
  gs[n++] = 1;
  gs[n++] = (uint16_t)(font_glyph_count(f) - 1);
  gs[n++] = 0xFFFF;
  long sum = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < n; k++) sum += font_kerning(f, gs[i], gs[k]);
  return sum;
}

static uint32_t rng_state = 12345;
static uint32_t rng(void) {
  rng_state = rng_state * 1103515245u + 12345u;
  return rng_state >> 8;
}

/* Uses a (possibly hostile) font the way layout and the PDF backend would.
 * Hot loops test with if: every passing ck_assert writes to check's log. */
static void exercise(const font *f) {
  unsigned n = font_glyph_count(f);
  ck_assert_uint_gt(n, 0);
  for (uint32_t cp = 0; cp < 0x11000; cp += 7) {
    uint16_t g = font_glyph(f, cp);
    if (g >= n) ck_abort_msg("U+%04X maps to glyph %u of %u", (unsigned)cp, g, n);
    (void)font_advance(f, g);
    (void)font_kerning(f, g, (uint16_t)(g + 1));
  }
  ck_assert_ptr_nonnull(font_postscript_name(f));
  ck_assert_int_ge(font_get_metrics(f)->units_per_em, 16);
  unsigned char *used = calloc(n, 1);
  ck_assert(used != NULL);
  for (unsigned g = 0; g < n; g += 3) used[g] = 1;
  size_t slen = 0;
  unsigned char *sub = font_subset(f, used, &slen);
  if (sub) {
    char err[200];
    font *s = font_load_memory(sub, slen, "subset", err, sizeof err);
    if (s) font_free(s);
    free(sub);
  }
  free(used);
}

/* ---- font.c ---- */

START_TEST(test_glyphs) {
  char err[256] = "";
  font *f = font_load(REGULAR, err, sizeof err);
  ck_assert_msg(f != NULL, "%s", err);
  ck_assert_str_eq(font_postscript_name(f), "Carlito");
  ck_assert_str_eq(font_path(f), REGULAR);
  ck_assert_uint_gt(font_glyph_count(f), 2000);
  const uint32_t cps[] = {'A', 'o', ' ', 0xE5, 0xE4, 0xF6, 0xC5, 0x2013, 0x201D, 0x20AC, 0xFB01};
  uint16_t prev = 0;
  for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
    uint16_t g = font_glyph(f, cps[i]);
    ck_assert_msg(g != 0, "U+%04X has no glyph", (unsigned)cps[i]);
    ck_assert_uint_ne(g, prev);
    ck_assert_int_gt(font_advance(f, g), 0);
    prev = g;
  }
  ck_assert_uint_eq(font_glyph(f, 'o'), 111); /* ids of the vendored Carlito, checked with an independent parser */
  ck_assert_uint_eq(font_glyph(f, 0xE5), 1961);
  ck_assert_uint_eq(font_glyph(f, 0x4E00), 0); /* CJK: missing */
  ck_assert_uint_eq(font_glyph(f, 0x1F600), 0);
  ck_assert_uint_eq(font_glyph(f, 0x10FFFF), 0);
  ck_assert_uint_eq(font_glyph(f, 0xFFFFFFFFu), 0);
  ck_assert_int_eq(font_advance(f, 0xFFFF), 0); /* out of range */
  size_t len = 0;
  const unsigned char *raw = font_data(f, &len);
  ck_assert_uint_gt(len, 100000);
  ck_assert_uint_eq(be32(raw), 0x00010000);
  font_free(f);
  font_free(NULL);
}
END_TEST

START_TEST(test_metrics) {
  char err[256] = "";
  font *f = font_load(REGULAR, err, sizeof err), *it = font_load(ITALIC, err, sizeof err);
  ck_assert_msg(f && it, "%s", err);
  const font_metrics *m = font_get_metrics(f);
  ck_assert_int_eq(m->units_per_em, 2048);
  ck_assert_int_gt(m->ascender, 0);
  ck_assert_int_lt(m->descender, 0);
  ck_assert_int_gt(m->cap_height, m->units_per_em / 2);
  ck_assert_int_lt(m->cap_height, m->ascender);
  ck_assert_int_gt(m->x_height, 0);
  ck_assert_int_lt(m->x_height, m->cap_height);
  ck_assert_int_lt(m->bbox[0], m->bbox[2]);
  ck_assert_int_lt(m->bbox[1], m->bbox[3]);
  ck_assert_int_eq(m->weight_class, 400);
  ck_assert(m->italic_angle == 0);
  ck_assert_int_eq(m->is_fixed_pitch, 0);
  ck_assert_int_eq(m->is_serif, 0);
  ck_assert_int_gt(m->stem_v, 0);
  ck_assert(font_get_metrics(it)->italic_angle < 0);
  ck_assert_str_eq(font_postscript_name(it), "Carlito-Italic");
  font_free(f);
  font_free(it);
}
END_TEST

START_TEST(test_kerning) {
  char err[256] = "";
  size_t len, klen;
  unsigned char *data = slurp(REGULAR, &len);
  font *f = font_load_memory(data, len, "Carlito", err, sizeof err);
  ck_assert_msg(f != NULL, "%s", err);
  uint16_t T = font_glyph(f, 'T'), o = font_glyph(f, 'o'), V = font_glyph(f, 'V'), a = font_glyph(f, 'a');
  /* A synthetic legacy table, deliberately unsorted, in a copy without GPOS. */
  unsigned char *nogpos = retag(data, len, "GPOS", "XPOS");
  font *plain = font_load_memory(nogpos, len, "no GPOS", err, sizeof err);
  ck_assert_msg(plain != NULL, "%s", err);
  ck_assert_int_eq(font_kerning(plain, T, o), 0); /* Carlito has no legacy kern table */
  font_free(plain);
  const uint16_t pairs[][3] = {{V, a, (uint16_t)-80}, {T, o, (uint16_t)-120}, {a, V, 15}, {0, 1, 7}, {65535, 65535, 9}};
  unsigned char *kd = with_kern(nogpos, len, pairs, 5, &klen);
  font *k = font_load_memory(kd, klen, "kerned", err, sizeof err);
  ck_assert_msg(k != NULL, "%s", err);
  ck_assert_int_eq(font_kerning(k, T, o), -120);
  ck_assert_int_eq(font_kerning(k, V, a), -80);
  ck_assert_int_eq(font_kerning(k, a, V), 15);
  ck_assert_int_eq(font_kerning(k, 0, 1), 7);
  ck_assert_int_eq(font_kerning(k, 65535, 65535), 9);
  ck_assert_int_eq(font_kerning(k, o, T), 0);
  ck_assert_int_eq(font_kerning(k, 0, 0), 0);
  ck_assert_uint_eq(font_glyph(k, 0xE5), font_glyph(f, 0xE5));
  font_free(k);
  free(kd);
  /* With both, GPOS wins and the legacy table is ignored. */
  kd = with_kern(data, len, pairs, 5, &klen);
  k = font_load_memory(kd, klen, "both", err, sizeof err);
  ck_assert_msg(k != NULL, "%s", err);
  ck_assert_int_eq(font_kerning(k, T, o), font_kerning(f, T, o));
  ck_assert_int_eq(font_kerning(k, a, V), font_kerning(f, a, V));
  ck_assert_int_eq(font_kerning(k, 0, 1), 0);
  font_free(k);
  free(kd);
  free(nogpos);
  font_free(f);
  free(data);
}
END_TEST

/* Carlito kerns through GPOS only: lookup 1 of 'latn''s 'kern' feature, an
 * Extension lookup holding two PairPos format 2 (class pair) subtables. */
START_TEST(test_gpos_carlito) {
  char err[256] = "";
  size_t len, glen;
  unsigned char *data = slurp(REGULAR, &len);
  font *f = font_load_memory(data, len, "Carlito", err, sizeof err);
  ck_assert_msg(f != NULL, "%s", err);
#define K(x, y) font_kerning(f, font_glyph(f, x), font_glyph(f, y))
  /* Classic pairs kern, by negative amounts. */
  ck_assert_int_lt(K('T', 'o'), 0);
  ck_assert_int_lt(K('T', 'e'), 0);
  ck_assert_int_lt(K('V', 'a'), 0);
  ck_assert_int_lt(K('V', 0xE5), 0); /* Vå */
  ck_assert_int_lt(K('A', 'V'), 0);
  ck_assert_int_lt(K('o', 'v'), 0);
  ck_assert_int_lt(K('r', '.'), 0);
  ck_assert_int_lt(K('L', 'T'), 0);
  /* Accented letters kern like their base letters here (same classes). */
  ck_assert_int_eq(K('V', 0xE5), K('V', 'a'));
  ck_assert_int_eq(K('T', 0xF6), K('T', 'o'));
  ck_assert_int_eq(K(0xC5, 'V'), K('A', 'V'));
  /* Pairs that do not kern: uncovered first glyph, covered but class 0 second, spaces. */
  ck_assert_int_eq(K('l', 'l'), 0);
  ck_assert_int_eq(K('H', 'H'), 0);
  ck_assert_int_eq(K('n', 'n'), 0);
  ck_assert_int_eq(K(' ', ' '), 0);
  ck_assert_int_eq(font_kerning(f, 0, 0), 0);
  ck_assert_int_eq(font_kerning(f, 0xFFFF, 0xFFFF), 0);
  /* Values read by hand from the table bytes (a hex dump of the font file):
   * GPOS starts at file offset 542500 (table directory). Its LookupList has
   * lookup 1 = Extension (type 9) whose 2nd subtable points (32-bit offset)
   * to a PairPos format 2 at GPOS+40760: ValueFormat1 = 0x0004 (XAdvance
   * only, 2 bytes), ValueFormat2 = 0, class2Count = 166. Its coverage (format
   * 2) covers 'T' (glyph 36); ClassDef1 (format 2) gives T class 61, ClassDef2
   * (format 2) gives 'o' (glyph 111) class 86. The record lies at
   * GPOS+40760 + 16 + (61 * 166 + 86) * 2 = GPOS+61200 = file offset 603700,
   * bytes FF 4A = -182. Likewise 'V','a' (40, 45): classes 36, 84 ->
   * GPOS+52896: FF 8E = -114; 'A','V' (3, 40): classes 101, 24 -> GPOS+74356:
   * FF A7 = -89. (The first subtable's coverage lists none of these glyphs.) */
  size_t gpos = find_table(data, len, "GPOS", &glen);
  ck_assert_uint_eq(gpos, 542500);
  ck_assert_uint_eq(be16(data + gpos + 61200), 0xFF4A);
  ck_assert_int_eq(K('T', 'o'), -182);
  ck_assert_uint_eq(be16(data + gpos + 52896), 0xFF8E);
  ck_assert_int_eq(K('V', 'a'), -114);
  ck_assert_uint_eq(be16(data + gpos + 74356), 0xFFA7);
  ck_assert_int_eq(K('A', 'V'), -89);
  /* Greek and Cyrillic glyphs are outside the precomputed Latin matrix and
   * take the GPOS walk. Values as an independent reader (a throwaway script
   * walking the same tables, compared with font_kerning on all pairs of
   * Latin, Greek and Cyrillic glyphs) found them; the classes are per script,
   * so mixed pairs do not kern. */
  ck_assert_int_eq(K(0x3A4, 0x39F), -55);  /* Greek TO */
  ck_assert_int_eq(K(0x3A4, 0x3BF), -178); /* Greek To */
  ck_assert_int_eq(K(0x422, 0x43E), -186); /* Cyrillic То */
  ck_assert_int_eq(K(0x410, 0x427), -132); /* Cyrillic АЧ */
  ck_assert_int_eq(K(0x422, 'o'), 0);
  ck_assert_int_eq(K('T', 0x43E), 0);
#undef K
  font_free(f);
  free(data);
}
END_TEST

/* DejaVu Sans has both a legacy 'kern' table and GPOS class kerning with the
 * same values: reading each alone (the other renamed away) must agree on all
 * Latin pairs. This checks the GPOS class path against an independent pair list. */
START_TEST(test_gpos_vs_legacy) {
  char err[256] = "";
  size_t len;
  unsigned char *data = slurp(BILAGA_DATA_DIR "/fonts/DejaVuSans.ttf", &len);
  unsigned char *only_gpos = retag(data, len, "kern", "xern"), *only_kern = retag(data, len, "GPOS", "XPOS");
  font *both = font_load_memory(data, len, "both", err, sizeof err);
  font *g = font_load_memory(only_gpos, len, "gpos", err, sizeof err);
  font *k = font_load_memory(only_kern, len, "kern", err, sizeof err);
  ck_assert_msg(both && g && k, "%s", err);
  uint16_t gs[800];
  size_t n = 0;
  for (uint32_t cp = 0x20; cp < 0x250; cp++)
    if (font_glyph(g, cp)) gs[n++] = font_glyph(g, cp);
  for (uint32_t cp = 0x391; cp < 0x3CA; cp++) /* Greek: the slow paths of both */
    if (font_glyph(g, cp)) gs[n++] = font_glyph(g, cp);
  ck_assert_uint_gt(n, 500);
  long kerned = 0, bad = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      int vg = font_kerning(g, gs[i], gs[j]), vk = font_kerning(k, gs[i], gs[j]), vb = font_kerning(both, gs[i], gs[j]);
      if (vg != vk || vb != vg) {
        if (bad++ < 5) fprintf(stderr, "glyphs %u,%u: GPOS %d, kern %d, both %d\n", gs[i], gs[j], vg, vk, vb);
      }
      kerned += vg != 0;
    }
  ck_assert_int_eq(bad, 0);
  ck_assert_int_gt(kerned, 2000);
  ck_assert_int_eq(font_kerning(g, font_glyph(g, 'T'), font_glyph(g, 'o')), -348);
  font_free(both);
  font_free(g);
  font_free(k);
  free(only_gpos);
  free(only_kern);
  free(data);
}
END_TEST

/* A synthetic GPOS covering both PairPos formats, ClassDef and Coverage
 * formats 1 and 2, Extension lookups, value records with placement and
 * device fields, lookup selection by script and feature, first-subtable-wins
 * within a lookup and sums across lookups. */
START_TEST(test_gpos_synthetic) {
  char err[256] = "";
  size_t len, slen;
  unsigned char *data = slurp(REGULAR, &len);
  font *f = font_load_memory(data, len, "Carlito", err, sizeof err);
  ck_assert_msg(f != NULL, "%s", err);
  syn_glyphs g = syn_glyphs_of(f);
  font_free(f);
  wbuf w;
  size_t tags[2];
  synthetic_gpos(&w, &g, tags);
  unsigned char *sd = with_table(data, len, "GPOS", w.b, w.n, &slen);
  f = font_load_memory(sd, slen, "synthetic", err, sizeof err);
  ck_assert_msg(f != NULL, "%s", err);
  const struct {
    uint16_t l, r;
    int want;
  } cases[] = {
      {g.A, g.V, -80},         /* pair set; the class subtable after it (-60) and the decoy (+1000) do not apply */
      {g.A, g.T, -50},         /* pair set, not its XPlacement (77) */
      {g.T, g.o, -190},        /* pair set -120, plus the Extension lookup's -70 */
      {g.T, g.a, -170},        /* not in T's pair set: class subtable -100, plus -70 */
      {g.T, g.V, 0},           /* covered, classes give 0 */
      {g.A, g.o, 0},           /* class 2 x class 1 */
      {g.V, g.a, -70},         /* the Extension lookup alone; not the second glyph's XAdvance (999) */
      {g.V, g.o, -70},
      {g.V, g.A, 0},           /* V covered, A class 0 */
      {g.o, g.T, 0},           /* o covered nowhere */
      {g.Tau, g.omicron, -100}, /* both outside the Latin matrix */
      {g.T, g.omicron, -100},   /* second outside */
      {g.Tau, g.o, -100},       /* first outside */
      {g.A, g.omicron, 0},      /* class 2 x class 1 */
      {g.Tau, g.V, 0},          /* class 1 x class 2 */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    ck_assert_msg(font_kerning(f, cases[i].l, cases[i].r) == cases[i].want, "case %zu: %u,%u gives %d, want %d", i,
                  cases[i].l, cases[i].r, font_kerning(f, cases[i].l, cases[i].r), cases[i].want);
  font_free(f);
  free(sd);

  /* Without a 'latn' or default script every 'kern' feature counts, so the decoy does too. */
  memcpy(w.b + tags[0], "arab", 4);
  memcpy(w.b + tags[1], "grek", 4);
  sd = with_table(data, len, "GPOS", w.b, w.n, &slen);
  f = font_load_memory(sd, slen, "any script", err, sizeof err);
  ck_assert_msg(f != NULL, "%s", err);
  ck_assert_int_eq(font_kerning(f, g.A, g.V), 920);
  ck_assert_int_eq(font_kerning(f, g.T, g.o), -190);
  font_free(f);
  free(sd);

  /* 'DFLT' is used when there is no 'latn': it has the cyrl feature list, the decoy alone. */
  memcpy(w.b + tags[0], "DFLT", 4); /* script records stay sorted by tag */
  memcpy(w.b + tags[1], "grek", 4);
  sd = with_table(data, len, "GPOS", w.b, w.n, &slen);
  f = font_load_memory(sd, slen, "DFLT", err, sizeof err);
  ck_assert_msg(f != NULL, "%s", err);
  ck_assert_int_eq(font_kerning(f, g.A, g.V), 1000);
  ck_assert_int_eq(font_kerning(f, g.T, g.o), 0);
  font_free(f);
  free(sd);
  free(data);
}
END_TEST

/* Truncated and garbled GPOS tables load (or not) without reading out of bounds. */
START_TEST(test_gpos_hostile) {
  char err[256];
  size_t full_len, len, glen, slen;
  unsigned char *full = slurp(REGULAR, &full_len), *data = skeleton(full, full_len, &len);
  free(full);
  size_t gpos = find_table(data, len, "GPOS", &glen);
  ck_assert_uint_gt(glen, 1000);
  font *f = font_load_memory(data, len, "Carlito", err, sizeof err);
  ck_assert_msg(f != NULL, "%s", err);
  syn_glyphs g = syn_glyphs_of(f);
  font_free(f);
  wbuf w;
  size_t tags[2];
  synthetic_gpos(&w, &g, tags);
  unsigned char *body = malloc(glen);
  ck_assert(body != NULL);
  int loaded = 0;

  /* The synthetic table: every truncation, every byte set to 00, FF and noise. */
  for (size_t round = 0; round < 4; round++)
    for (size_t i = 0; i <= w.n; i++) {
      size_t blen = w.n;
      memcpy(body, w.b, w.n);
      if (round == 0) blen = i;
      else if (i < w.n) body[i] = round == 1 ? 0x00 : round == 2 ? 0xFF : (unsigned char)rng();
      unsigned char *sd = with_table(data, len, "GPOS", body, blen, &slen);
      f = font_load_memory(sd, slen, "hostile", err, sizeof err);
      if (f) {
        loaded++;
        (void)kern_grid(f);
        font_free(f);
      }
      free(sd);
    }

  /* Carlito's own table: truncations (dense near the header and subtable
   * headers), single bytes and bursts of noise. */
  const unsigned char *orig = data + gpos;
  for (size_t i = 0; i < 700; i++) {
    size_t blen = glen;
    memcpy(body, orig, glen);
    if (i < 200) {
      blen = i < 100 ? i * 7 : rng() % glen;
    } else if (i < 500) {
      size_t at = i % 3 == 0 ? rng() % glen : i % 3 == 1 ? rng() % 400 : 40760 + rng() % 64;
      body[at] = i % 5 == 0 ? 0xFF : i % 5 == 1 ? 0x00 : (unsigned char)rng();
    } else {
      for (int e = 0; e < 16; e++) body[rng() % (e < 8 ? 1024 : glen)] = (unsigned char)rng();
    }
    unsigned char *sd = with_table(data, len, "GPOS", body, blen, &slen);
    f = font_load_memory(sd, slen, "hostile", err, sizeof err);
    if (f) {
      loaded++;
      (void)kern_grid(f);
      font_free(f);
    }
    free(sd);
  }
  ck_assert_int_gt(loaded, 100);
  free(body);
  free(data);
}
END_TEST

/* A GPOS built to be expensive: 300 copies of a format 1 subtable whose
 * coverage takes every glyph, each to a pair set of 4000 records that never
 * match. Loading stays bounded (the kerning is given up as hostile) and
 * kerning answers at once. */
START_TEST(test_gpos_bomb) {
  char err[256];
  size_t full_len, len, slen;
  unsigned char *full = slurp(REGULAR, &full_len), *data = skeleton(full, full_len, &len);
  free(full);
  static wbuf w;
  memset(&w, 0, sizeof w);
  w32(&w, 0x00010000);
  w16(&w, 0), w16(&w, 10), w16(&w, 24); /* no ScriptList: every 'kern' feature */
  w16(&w, 1), wtag(&w, "kern"), w16(&w, 8); /* FeatureList at 10 */
  w16(&w, 0), w16(&w, 1), w16(&w, 0);
  w16(&w, 1), w16(&w, 4); /* LookupList at 24, its lookup at 28 */
  w16(&w, 2), w16(&w, 0), w16(&w, 300);
  size_t sub = 6 + 2 * 300, sets = 3000, n = 28 + sub;
  for (int i = 0; i < 300; i++) w16(&w, (int)sub);
  w16(&w, 1), w16(&w, (int)(10 + 2 * sets)), w16(&w, 0), w16(&w, 0), w16(&w, (int)sets); /* PairPos 1, no values */
  ck_assert_uint_eq(w.n, n + 10);
  size_t blen = n + 10 + 2 * sets + 10 + 2 + 2 * 4000;
  unsigned char *big = calloc(blen, 1);
  ck_assert(big != NULL);
  memcpy(big, w.b, w.n);
  n = w.n;
  for (size_t i = 0; i < sets; i++, n += 2) put16(big + n, (uint32_t)(10 + 2 * sets + 10)); /* all the same set */
  const uint16_t cov[] = {2, 1, 0, 0xFFFF, 0}; /* every glyph */
  for (size_t i = 0; i < 5; i++, n += 2) put16(big + n, cov[i]);
  put16(big + n, 4000);
  for (int i = 0; i < 4000; i++) put16(big + n + 2 + 2 * i, (uint32_t)(60000 + i));
  n += 2 + 8000;
  ck_assert_uint_eq(n, blen);
  unsigned char *sd = with_table(data, len, "GPOS", big, n, &slen);
  font *f = font_load_memory(sd, slen, "bomb", err, sizeof err);
  ck_assert_msg(f != NULL, "%s", err);
  ck_assert_int_eq(font_kerning(f, font_glyph(f, 'T'), font_glyph(f, 'o')), 0);
  ck_assert_int_eq(kern_grid(f), 0);
  font_free(f);
  free(sd);
  free(big);
  free(data);
}
END_TEST

START_TEST(test_bad_files) {
  char err[256] = "";
  ck_assert_ptr_null(font_load(BILAGA_DATA_DIR "/meson.build", err, sizeof err));
  ck_assert_msg(strstr(err, "not a TrueType font") != NULL, "%s", err);
  err[0] = '\0';
  ck_assert_ptr_null(font_load(BILAGA_DATA_DIR "/fonts/no-such-font.ttf", err, sizeof err));
  ck_assert_msg(strstr(err, "no-such-font.ttf") != NULL, "%s", err);
  err[0] = '\0';
  ck_assert_ptr_null(font_load(BILAGA_DATA_DIR "/fonts", err, sizeof err));
  ck_assert(err[0] != '\0');
  const unsigned char otto[64] = {'O', 'T', 'T', 'O', 0, 1};
  ck_assert_ptr_null(font_load_memory(otto, sizeof otto, "x.otf", err, sizeof err));
  ck_assert_msg(strstr(err, "CFF") != NULL, "%s", err);
  const unsigned char ttc[64] = {'t', 't', 'c', 'f'};
  ck_assert_ptr_null(font_load_memory(ttc, sizeof ttc, "x.ttc", err, sizeof err));
  ck_assert_msg(strstr(err, "collection") != NULL, "%s", err);
  ck_assert_ptr_null(font_load_memory(otto, 0, NULL, err, sizeof err));
  ck_assert_ptr_null(font_load_memory(otto, 0, NULL, NULL, 0)); /* no error buffer */
  char tiny[4];
  ck_assert_ptr_null(font_load_memory(ttc, sizeof ttc, "x.ttc", tiny, sizeof tiny));
  ck_assert_uint_lt(strlen(tiny), sizeof tiny);
}
END_TEST

/* Carlito's last table ends at the end of the file, so every truncation must fail. */
START_TEST(test_truncated) {
  size_t len;
  unsigned char *data = slurp(REGULAR, &len);
  char err[256];
  /* Longest first: once a big block is freed, malloc reuses it instead of mapping fresh pages. */
  for (size_t n = len; n-- > 0;) {
    if (n >= 4096 && n < len - 64 && n % 509) continue;
    unsigned char *cut = malloc(n ? n : 1); /* exact size, so ASan sees any overread */
    memcpy(cut, data, n);
    err[0] = '\0';
    font *f = font_load_memory(cut, n, "cut", err, sizeof err);
    if (f || !err[0]) ck_abort_msg("truncated to %zu bytes: loaded or no message", n);
    free(cut);
  }
  free(data);
}
END_TEST

START_TEST(test_garbage) {
  size_t len;
  unsigned char *data = slurp(REGULAR, &len), *buf = malloc(len);
  char err[256];
  ck_assert(buf != NULL);
  /* Noise, then noise behind a plausible header and table directory. */
  for (int i = 0; i < 300; i++) {
    size_t n = rng() % 2048;
    for (size_t k = 0; k < n; k++) buf[k] = (unsigned char)rng();
    if (i % 2 && n >= 12) {
      put32(buf, 0x00010000);
      put16(buf + 4, rng() % 24);
    }
    font *f = font_load_memory(buf, n, "noise", err, sizeof err);
    if (f) {
      exercise(f);
      font_free(f);
    }
  }
  /* Mutations of the real font: directory, small tables, cmap, loca and glyf. */
  int loaded = 0;
  for (int i = 0; i < 120; i++) {
    memcpy(buf, data, len);
    int edits = 1 + (int)(rng() % 24);
    for (int e = 0; e < edits; e++) {
      size_t at = rng() % 4 == 0 ? rng() % len : rng() % 40000;
      buf[at] = rng() % 3 ? (unsigned char)rng() : (rng() % 2 ? 0xFF : 0x00);
    }
    font *f = font_load_memory(buf, len, "mutant", err, sizeof err);
    if (f) {
      loaded++;
      exercise(f);
      font_free(f);
    }
  }
  ck_assert_int_gt(loaded, 0);
  free(buf);
  free(data);
}
END_TEST

START_TEST(test_subset) {
  char err[256] = "";
  font *f = font_load(REGULAR, err, sizeof err);
  ck_assert_msg(f != NULL, "%s", err);
  unsigned n = font_glyph_count(f);
  unsigned char *used = calloc(n, 1);
  const uint32_t text[] = {'H', 'e', 'j', ' ', 0xE5, 0xE4, 0xF6, 0x2013, 0x201D, 0xFB01};
  for (size_t i = 0; i < sizeof text / sizeof *text; i++) used[font_glyph(f, text[i])] = 1;
  size_t slen = 0, olen = 0;
  unsigned char *sub = font_subset(f, used, &slen);
  const unsigned char *orig = font_data(f, &olen);
  ck_assert_ptr_nonnull(sub);
  ck_assert_uint_lt(slen, olen / 4);
  ck_assert_uint_eq(slen % 4, 0);

  /* Structure: the expected tables, sorted, checksummed, and a valid checkSumAdjustment. */
  const char *want[] = {"cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep"};
  ck_assert_uint_eq(be16(sub + 4), 9);
  for (unsigned i = 0; i < 9; i++) {
    const unsigned char *e = sub + 12 + 16 * i;
    ck_assert_msg(!memcmp(e, want[i], 4), "table %u is %.4s", i, (const char *)e);
    ck_assert_uint_eq(be32(e + 8) % 4, 0);
    ck_assert_uint_le(be32(e + 8) + be32(e + 12), slen);
    if (memcmp(e, "head", 4)) ck_assert_uint_eq(be32(e + 4), sum32(sub + be32(e + 8), be32(e + 12)));
  }
  ck_assert_uint_eq(sum32(sub, slen), 0xB1B0AFBAu);

  /* Composite glyphs keep their components; unrelated glyphs are emptied; glyph 0 stays. */
  ck_assert_uint_gt(glyph_len(sub, slen, 0), 0);
  ck_assert_uint_gt(glyph_len(sub, slen, font_glyph(f, 0xE5)), 0);
  ck_assert_uint_gt(glyph_len(sub, slen, font_glyph(f, 'a')), 0); /* component of å */
  ck_assert_uint_eq(glyph_len(sub, slen, font_glyph(f, 'Z')), 0);
  ck_assert_uint_gt(glyph_len(orig, olen, font_glyph(f, 'Z')), 0);

  font *s = font_load_memory(sub, slen, "subset", err, sizeof err);
  ck_assert_msg(s != NULL, "%s", err);
  ck_assert_uint_le(font_glyph_count(s), n);
  ck_assert_int_eq(font_get_metrics(s)->units_per_em, 2048);
  for (size_t i = 0; i < sizeof text / sizeof *text; i++) {
    uint16_t g = font_glyph(f, text[i]);
    ck_assert_uint_lt(g, font_glyph_count(s));
    ck_assert_int_eq(font_advance(s, g), font_advance(f, g));
  }
  font_free(s);
  free(sub);

  /* A lone simple glyph: the glyph table is cut right after it. */
  memset(used, 0, n);
  uint16_t A = font_glyph(f, 'A');
  used[A] = 1;
  sub = font_subset(f, used, &slen);
  ck_assert_ptr_nonnull(sub);
  size_t tl;
  size_t maxp = find_table(sub, slen, "maxp", NULL), hhea = find_table(sub, slen, "hhea", NULL);
  find_table(sub, slen, "hmtx", &tl);
  ck_assert_uint_eq(be16(sub + maxp + 4), A + 1u);
  ck_assert_uint_le(be16(sub + hhea + 34), A + 1u);
  ck_assert_uint_eq(tl, 4 * be16(sub + hhea + 34) + 2 * (A + 1u - be16(sub + hhea + 34)));
  s = font_load_memory(sub, slen, "subset-A", err, sizeof err);
  ck_assert_msg(s != NULL, "%s", err);
  ck_assert_uint_eq(font_glyph_count(s), A + 1u);
  ck_assert_int_eq(font_advance(s, A), font_advance(f, A));
  ck_assert_int_eq(font_advance(s, 0), font_advance(f, 0));
  font_free(s);
  free(sub);
  free(used);
  font_free(f);
}
END_TEST

/* ---- pdf_font.c ---- */

/* strstr for PDF files, which contain NUL bytes in binary streams. */
static const char *find(const char *hay, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; n <= len && i <= len - n; i++)
    if (hay[i] == needle[0] && !memcmp(hay + i, needle, n)) return hay + i;
  return NULL;
}

/* Text of a PDF object's stream ("N 0 obj ... stream"), inflated; NULL when absent. */
static char *obj_stream(const char *pdf, size_t len, const char *key, size_t *out_len) {
  const char *k = find(pdf, len, key);
  if (!k) return NULL;
  int num = atoi(k + strlen(key));
  char head[32];
  snprintf(head, sizeof head, "\n%d 0 obj", num);
  const char *o = find(pdf, len, head), *st = o ? find(o, (size_t)(pdf + len - o), "stream\r\n") : NULL;
  if (!st) return NULL;
  st += 8;
  size_t cap = 1 << 20;
  char *out = malloc(cap);
  z_stream z;
  memset(&z, 0, sizeof z);
  inflateInit(&z);
  z.next_in = (unsigned char *)(uintptr_t)st;
  z.avail_in = (uInt)(pdf + len - st);
  z.next_out = (unsigned char *)out;
  z.avail_out = (uInt)cap - 1;
  int rc = inflate(&z, Z_FINISH);
  inflateEnd(&z);
  ck_assert_msg(rc == Z_STREAM_END, "stream of %s does not inflate (%d)", key, rc);
  *out_len = z.total_out;
  out[z.total_out] = '\0';
  return out;
}

static char *save_pdf(HPDF_Doc doc, size_t *len) {
  char path[] = "/tmp/test_font_XXXXXX";
  int fd = mkstemp(path);
  ck_assert(fd >= 0);
  close(fd);
  ck_assert_uint_eq(HPDF_SaveToFile(doc, path), HPDF_OK);
  char *pdf = (char *)slurp(path, len);
  pdf = realloc(pdf, *len + 1);
  pdf[*len] = '\0';
  if (!getenv("KEEP_FONT_PDF")) unlink(path);
  else fprintf(stderr, "test_font: kept %s\n", path);
  return pdf;
}

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data) {
  (void)data;
  ck_abort_msg("libharu error 0x%04lX (%lu)", (unsigned long)code, (unsigned long)detail);
}

/* One page showing text through a pdf_font; returns the saved file. */
static char *make_pdf(const font *f, const uint32_t *text, size_t n, size_t *len) {
  HPDF_Doc doc = HPDF_New(on_error, NULL);
  ck_assert_ptr_nonnull(doc);
  HPDF_Page page = HPDF_AddPage(doc);
  pdf_font *pf = pdf_font_new(doc, f);
  ck_assert_ptr_nonnull(pf);
  const char *res = HPDF_Page_GetLocalFontName(page, (HPDF_Font)pdf_font_dict(pf));
  ck_assert_ptr_nonnull(res);
  HPDF_Stream content = ((HPDF_PageAttr)page->attr)->stream;
  char buf[64];
  snprintf(buf, sizeof buf, "BT /%s 12 Tf 72 700 Td <", res);
  HPDF_Stream_WriteStr(content, buf);
  for (size_t i = 0; i < n; i++) {
    uint16_t g = font_glyph(f, text[i]);
    pdf_font_use(pf, g, &text[i], 1);
    snprintf(buf, sizeof buf, "%04X", g);
    HPDF_Stream_WriteStr(content, buf);
  }
  HPDF_Stream_WriteStr(content, "> Tj ET\n");
  /* A ligature glyph standing for two letters, and one mapped outside the BMP. */
  const uint32_t fi[] = {'f', 'i'}, clef = 0x1D11E, other = 'X';
  pdf_font_use(pf, font_glyph(f, 0xFB01), fi, 2);
  pdf_font_use(pf, font_glyph(f, 0xFB01), &other, 1); /* first mapping wins */
  pdf_font_use(pf, 5, &clef, 1);
  pdf_font_use(pf, 0xFFFF, &other, 1); /* out of range: ignored */
  char err[256] = "";
  ck_assert_msg(pdf_font_finish(pf, err, sizeof err) == 0, "%s", err);
  ck_assert_int_ne(pdf_font_finish(pf, err, sizeof err), 0);
  pdf_font_free(pf);
  char *pdf = save_pdf(doc, len);
  HPDF_Free(doc);
  return pdf;
}

START_TEST(test_pdf_font) {
  char err[256] = "";
  font *f = font_load(REGULAR, err, sizeof err);
  ck_assert_msg(f != NULL, "%s", err);
  const uint32_t text[] = {'H', 'e', 'j', ' ', 0xE5, 0xE4, 0xF6, ' ', 0x2013, ' ', 0x201D, 'T', 'o'};
  size_t len, len2, n;
  char *pdf = make_pdf(f, text, sizeof text / sizeof *text, &len);
  for (const char *want = "/CIDSet\0/FontFile2\0/Subtype /CIDFontType2\0/Encoding /Identity-H\0"
                          "/CIDToGIDMap /Identity\0/CapHeight\0/ToUnicode\0/Length1\0";
       *want; want += strlen(want) + 1)
    ck_assert_msg(find(pdf, len, want) != NULL, "no %s", want);

  /* Subset tag: six capitals, the same for the same glyph set. */
  const char *bf = find(pdf, len, "/BaseFont /");
  ck_assert_ptr_nonnull(bf);
  bf += 11;
  for (int i = 0; i < 6; i++) ck_assert(bf[i] >= 'A' && bf[i] <= 'Z');
  ck_assert(!strncmp(bf + 6, "+Carlito\n", 9));
  char *pdf2 = make_pdf(f, text, sizeof text / sizeof *text, &len2);
  ck_assert_uint_eq(len, len2);
  ck_assert_msg(!memcmp(pdf, pdf2, len), "output is not deterministic");
  free(pdf2);
  pdf2 = make_pdf(f, text, 3, &len2);
  const char *bf2 = find(pdf2, len2, "/BaseFont /") + 11;
  ck_assert_msg(strncmp(bf, bf2, 6) != 0, "different glyph sets share a tag");
  free(pdf2);

  char *cmap = obj_stream(pdf, len, "/ToUnicode ", &n);
  ck_assert_ptr_nonnull(cmap);
  ck_assert_ptr_nonnull(strstr(cmap, "/CIDInit /ProcSet findresource begin"));
  ck_assert_ptr_nonnull(strstr(cmap, "<0000> <FFFF>\nendcodespacerange"));
  ck_assert_ptr_nonnull(strstr(cmap, "13 beginbfchar\n")); /* 11 distinct glyphs + fi + U+1D11E */
  snprintf(err, sizeof err, "<%04X> <00E5>\n", font_glyph(f, 0xE5));
  ck_assert_ptr_nonnull(strstr(cmap, err));
  ck_assert_ptr_nonnull(strstr(cmap, "<0005> <D834DD1E>\n"));
  snprintf(err, sizeof err, "<%04X> <00660069>\n", font_glyph(f, 0xFB01));
  ck_assert_ptr_nonnull(strstr(cmap, err));
  ck_assert_ptr_nonnull(strstr(cmap, "endbfchar\nendcmap\n"));
  free(cmap);

  /* /W agrees with the embedded hmtx, scaled to 1000/em. */
  const char *w = find(pdf, len, "/W [");
  ck_assert_ptr_nonnull(w);
  w += 4;
  int seen = 0;
  while (*w == ' ' || (*w >= '0' && *w <= '9')) {
    char *end;
    long c = strtol(w, &end, 10);
    if (end == w) break;
    for (w = end; *w == ' '; w++) continue;
    ck_assert_int_eq(*w, '[');
    for (w++;; c++) {
      long width = strtol(w, &end, 10);
      if (end == w) break;
      ck_assert_int_eq(width, (font_advance(f, (uint16_t)c) * 1000 + 1024) / 2048);
      seen++;
      w = end;
    }
    for (; *w == ' '; w++) continue;
    ck_assert_int_eq(*w, ']');
    w++;
  }
  ck_assert_int_eq(seen, 13);

  /* The embedded program re-parses; CIDSet covers glyph 0, the used glyphs and components only. */
  size_t ttf_len;
  char *ttf = obj_stream(pdf, len, "/FontFile2 ", &ttf_len);
  ck_assert_ptr_nonnull(ttf);
  const char *l1 = find(pdf, len, "/Length1 ");
  ck_assert_int_eq(atol(l1 + 9), (long)ttf_len);
  font *emb = font_load_memory((unsigned char *)ttf, ttf_len, "embedded", err, sizeof err);
  ck_assert_msg(emb != NULL, "%s", err);
  ck_assert_int_eq(font_advance(emb, font_glyph(f, 0xE5)), font_advance(f, font_glyph(f, 0xE5)));
  char *set = obj_stream(pdf, len, "/CIDSet ", &n);
  ck_assert_ptr_nonnull(set);
  ck_assert_uint_eq(n, (font_glyph_count(emb) - 1u) / 8 + 1);
  unsigned char *used = calloc(font_glyph_count(f), 1);
  for (size_t i = 0; i < sizeof text / sizeof *text; i++) used[font_glyph(f, text[i])] = 1;
  used[0] = used[5] = used[font_glyph(f, 0xFB01)] = 1;
  for (unsigned g = 0; g < font_glyph_count(emb); g++) {
    int bit = (set[g / 8] >> (7 - g % 8)) & 1;
    int present = used[g] || glyph_len((unsigned char *)ttf, ttf_len, g) > 0;
    ck_assert_msg(bit == present, "CID %u: CIDSet bit %d, present %d", g, bit, present);
  }
  ck_assert(glyph_len((unsigned char *)ttf, ttf_len, font_glyph(f, 'a')) > 0); /* component of å */
  ck_assert(glyph_len((unsigned char *)ttf, ttf_len, font_glyph(f, 'Z')) == 0);
  free(used);
  font_free(emb);
  free(set);
  free(ttf);
  free(pdf);
  font_free(f);
}
END_TEST

/* More than 100 mappings are split into beginbfchar blocks of at most 100. */
START_TEST(test_tounicode_blocks) {
  char err[256] = "";
  font *f = font_load(REGULAR, err, sizeof err);
  ck_assert_msg(f != NULL, "%s", err);
  uint32_t text[250];
  size_t n = 0, len, clen;
  for (uint32_t cp = 0x21; n < 250; cp++)
    if (font_glyph(f, cp) && (cp < 0x7F || cp > 0xA0)) text[n++] = cp;
  char *pdf = make_pdf(f, text, n, &len);
  char *cmap = obj_stream(pdf, len, "/ToUnicode ", &clen);
  ck_assert_ptr_nonnull(cmap);
  int blocks = 0, entries = 0, total = 0;
  for (const char *p = strstr(cmap, "beginbfchar"); p; p = strstr(p + 1, "beginbfchar")) {
    const char *num = p - 2;
    while (num > cmap && num[-1] >= '0' && num[-1] <= '9') num--;
    int count = atoi(num);
    ck_assert_int_le(count, 100);
    const char *end = strstr(p, "endbfchar");
    entries = 0;
    for (const char *q = strchr(p, '\n') + 1; q < end; q = strchr(q, '\n') + 1) entries++;
    ck_assert_int_eq(entries, count);
    total += count;
    blocks++;
  }
  ck_assert_int_ge(blocks, 3);
  ck_assert_int_ge(total, 250);
  free(cmap);
  free(pdf);
  font_free(f);
}
END_TEST

/* A glyph that stands for a second character (the space glyph for a
 * no-break space) is shown through an extra CID that reads as it. */
START_TEST(test_pdf_font_alias) {
  char err[256] = "";
  font *f = font_load(REGULAR, err, sizeof err);
  ck_assert_msg(f != NULL, "%s", err);
  HPDF_Doc doc = HPDF_New(on_error, NULL);
  HPDF_AddPage(doc);
  pdf_font *pf = pdf_font_new(doc, f);
  uint16_t space = font_glyph(f, ' '), n = font_glyph_count(f);
  const uint32_t sp = ' ', nbsp = 0xA0, figure = 0x2007, fi[] = {'f', 'i'}, x = 'X';
  ck_assert_uint_eq(pdf_font_use(pf, space, &sp, 1), space);
  ck_assert_uint_eq(pdf_font_use(pf, space, &nbsp, 1), n);
  ck_assert_uint_eq(pdf_font_use(pf, space, &sp, 1), space);
  ck_assert_uint_eq(pdf_font_use(pf, space, &nbsp, 1), n);
  ck_assert_uint_eq(pdf_font_use(pf, space, &figure, 1), n + 1);
  /* a glyph standing for several code points keeps its first mapping */
  uint16_t lig = font_glyph(f, 0xFB01);
  ck_assert_uint_eq(pdf_font_use(pf, lig, fi, 2), lig);
  ck_assert_uint_eq(pdf_font_use(pf, lig, &x, 1), lig);
  ck_assert_msg(pdf_font_finish(pf, err, sizeof err) == 0, "%s", err);
  pdf_font_free(pf);
  size_t len, clen;
  char *pdf = save_pdf(doc, &len);
  HPDF_Free(doc);
  char *cmap = obj_stream(pdf, len, "/ToUnicode ", &clen);
  ck_assert_ptr_nonnull(cmap);
  snprintf(err, sizeof err, "<%04X> <00A0>\n<%04X> <2007>\n", n, n + 1);
  ck_assert_msg(strstr(cmap, err), "%s", cmap);
  snprintf(err, sizeof err, "<%04X> <0020>\n", space);
  ck_assert_ptr_nonnull(strstr(cmap, err));
  /* the aliases' widths are the space's, and a map gives their glyph */
  snprintf(err, sizeof err, " %u [ %d %d ]", n, (font_advance(f, space) * 1000 + 1024) / 2048,
           (font_advance(f, space) * 1000 + 1024) / 2048);
  ck_assert_msg(find(pdf, len, err), "no \"%s\" in %.300s", err, find(pdf, len, "/W ["));
  ck_assert_ptr_null(find(pdf, len, "/CIDToGIDMap /Identity"));
  char *map = obj_stream(pdf, len, "/CIDToGIDMap ", &clen);
  ck_assert_ptr_nonnull(map);
  ck_assert_uint_eq(clen, 2u * (n + 2u));
  const unsigned char *m = (const unsigned char *)map;
  for (unsigned c = 0; c < n; c += 97) ck_assert_uint_eq(m[2 * c] << 8 | m[2 * c + 1], c);
  ck_assert_uint_eq(m[2 * n] << 8 | m[2 * n + 1], space);
  ck_assert_uint_eq(m[2 * n + 2] << 8 | m[2 * n + 3], space);
  char *set = obj_stream(pdf, len, "/CIDSet ", &clen);
  ck_assert_ptr_nonnull(set);
  ck_assert_uint_eq(clen, (n + 1u) / 8 + 1);
  ck_assert((set[n / 8] >> (7 - n % 8)) & 1);
  ck_assert((set[(n + 1) / 8] >> (7 - (n + 1) % 8)) & 1);
  free(set);
  free(map);
  free(cmap);
  free(pdf);
  font_free(f);
}
END_TEST

Suite *font_suite(void) {
  Suite *s = suite_create("font");
  TCase *tc = tcase_create("font");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_glyphs);
  tcase_add_test(tc, test_metrics);
  tcase_add_test(tc, test_kerning);
  tcase_add_test(tc, test_gpos_carlito);
  tcase_add_test(tc, test_gpos_vs_legacy);
  tcase_add_test(tc, test_gpos_synthetic);
  tcase_add_test(tc, test_gpos_hostile);
  tcase_add_test(tc, test_gpos_bomb);
  tcase_add_test(tc, test_bad_files);
  tcase_add_test(tc, test_truncated);
  tcase_add_test(tc, test_garbage);
  tcase_add_test(tc, test_subset);
  tcase_add_test(tc, test_pdf_font);
  tcase_add_test(tc, test_tounicode_blocks);
  tcase_add_test(tc, test_pdf_font_alias);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(font_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
