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
  ck_assert_int_eq(font_kerning(f, T, o), 0); /* Carlito kerns only through GPOS */
  /* A synthetic legacy table, deliberately unsorted. */
  const uint16_t pairs[][3] = {{V, a, (uint16_t)-80}, {T, o, (uint16_t)-120}, {a, V, 15}, {0, 1, 7}, {65535, 65535, 9}};
  unsigned char *kd = with_kern(data, len, pairs, 5, &klen);
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
  font_free(f);
  free(kd);
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

Suite *font_suite(void) {
  Suite *s = suite_create("font");
  TCase *tc = tcase_create("font");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_glyphs);
  tcase_add_test(tc, test_metrics);
  tcase_add_test(tc, test_kerning);
  tcase_add_test(tc, test_bad_files);
  tcase_add_test(tc, test_truncated);
  tcase_add_test(tc, test_garbage);
  tcase_add_test(tc, test_subset);
  tcase_add_test(tc, test_pdf_font);
  tcase_add_test(tc, test_tounicode_blocks);
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
