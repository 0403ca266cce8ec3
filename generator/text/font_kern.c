/* font_kern.c - pair kerning: GPOS PairPos (formats 1 and 2, through Extension
 * lookups) from the 'kern' feature, else the legacy 'kern' table; Latin
 * pairs precomputed into a small matrix, the rest looked up on demand. */
#include <stdlib.h>
#include <string.h>

#include "text/font_internal.h"

/* ---- kerning ---- */

static int kern_cmp(const void *a, const void *b) {
  uint32_t x = ((const kern_pair *)a)->key, y = ((const kern_pair *)b)->key;
  return x < y ? -1 : x > y;
}

int font_read_kern(font *f) {
  span t = f->kern;
  if (t.len < 4 || t16(f, t, 0) != 0) return 0; /* Apple's version 1 tables are ignored */
  size_t ntables = t16(f, t, 2), pos = 4, cap = 0;
  for (size_t i = 0; i < ntables && i < MAX_KERN_SUBTABLES && pos + 14 <= t.len; i++) {
    size_t sublen = t16(f, t, pos + 2);
    uint16_t coverage = t16(f, t, pos + 4);
    if ((coverage >> 8) == 0 && (coverage & 7) == 1) { /* format 0, horizontal, not minimum/cross-stream */
      /* nPairs, not the 16-bit length (which overflows in big tables), bounded by the table end. */
      size_t np = t16(f, t, pos + 6), room = (t.len - (pos + 14)) / 6;
      if (np > room) np = room;
      if (f->kern_count + np > cap) {
        size_t ncap = f->kern_count + np;
        kern_pair *p = realloc(f->kern_pairs, ncap * sizeof *p);
        if (!p) return -1;
        f->kern_pairs = p;
        cap = ncap;
      }
      for (size_t k = 0; k < np; k++) {
        size_t at = pos + 14 + 6 * k;
        kern_pair *kp = &f->kern_pairs[f->kern_count++];
        kp->key = t32(f, t, at);
        kp->value = s16(t16(f, t, at + 4));
      }
    }
    if (sublen < 6) break;
    pos += sublen;
  }
  size_t n = f->kern_count, out = 0;
  int sorted = 1;
  for (size_t i = 1; i < n && sorted; i++) sorted = f->kern_pairs[i - 1].key < f->kern_pairs[i].key;
  if (!sorted) qsort(f->kern_pairs, n, sizeof *f->kern_pairs, kern_cmp);
  for (size_t i = 0; i < n; i++) { /* subtables add up; merge duplicates */
    if (out && f->kern_pairs[out - 1].key == f->kern_pairs[i].key) f->kern_pairs[out - 1].value += f->kern_pairs[i].value;
    else f->kern_pairs[out++] = f->kern_pairs[i];
  }
  f->kern_count = out;
  return 0;
}

/* ---- GPOS pair kerning ---- */

/* Reads inside GPOS; offsets below are relative to the table's start. */
static uint16_t g16(const font *f, size_t off) { return t16(f, f->gpos, off); }
static uint32_t g32(const font *f, size_t off) { return t32(f, f->gpos, off); }

/* Entries of size bytes that fit between off + skip and the end of GPOS. */
static size_t g_room(const font *f, size_t off, size_t skip, size_t size) {
  size_t len = f->gpos.len;
  return off <= len && len - off >= skip ? (len - off - skip) / size : 0;
}

static int clamp16(long v) { return v < -32768 ? -32768 : v > 32767 ? 32767 : (int)v; }

static unsigned bits8(unsigned v) { /* set bits among a ValueFormat's eight defined ones */
  unsigned n = 0;
  for (v &= 0xFFu; v; v &= v - 1) n++;
  return n;
}

/* Coverage index of glyph g, -1 when the coverage table does not list it. */
static long coverage_index(const font *f, size_t cov, uint16_t g) {
  uint16_t fmt = g16(f, cov);
  size_t n = g16(f, cov + 2), lo = 0, hi;
  if (fmt == 1) {
    hi = n < g_room(f, cov, 4, 2) ? n : g_room(f, cov, 4, 2);
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      uint16_t v = g16(f, cov + 4 + 2 * mid);
      if (v == g) return (long)mid;
      if (v < g) lo = mid + 1;
      else hi = mid;
    }
  } else if (fmt == 2) { /* ranges: start, end, index of start */
    hi = n < g_room(f, cov, 4, 6) ? n : g_room(f, cov, 4, 6);
    size_t end = hi;
    while (lo < hi) { /* first range whose end >= g */
      size_t mid = lo + (hi - lo) / 2;
      if (g16(f, cov + 6 + 6 * mid) < g) lo = mid + 1;
      else hi = mid;
    }
    if (lo < end) {
      size_t r = cov + 4 + 6 * lo;
      uint16_t start = g16(f, r);
      if (start <= g && g <= g16(f, r + 2)) return (long)g16(f, r + 4) + (g - start);
    }
  }
  return -1;
}

/* Class of glyph g in a ClassDef table; 0 for glyphs it does not list. */
static unsigned class_of(const font *f, size_t cd, uint16_t g) {
  uint16_t fmt = g16(f, cd);
  if (fmt == 1) {
    size_t start = g16(f, cd + 2), n = g16(f, cd + 4);
    if (g >= start && g - start < n) return g16(f, cd + 6 + 2 * (g - start));
  } else if (fmt == 2) {
    size_t n = g16(f, cd + 2), lo = 0, hi;
    hi = n < g_room(f, cd, 4, 6) ? n : g_room(f, cd, 4, 6);
    size_t end = hi;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (g16(f, cd + 6 + 6 * mid) < g) lo = mid + 1;
      else hi = mid;
    }
    if (lo < end && g16(f, cd + 4 + 6 * lo) <= g) return g16(f, cd + 8 + 6 * lo);
  }
  return 0;
}

/* Format 1: the pair set of coverage index ci, its record count in *count. */
static size_t pair_set(const font *f, const pair_sub *s, long ci, size_t *count) {
  size_t ps = s->off + g16(f, s->off + 10 + 2 * (size_t)ci), n = g16(f, ps), room = g_room(f, ps, 2, 2u + s->rec);
  *count = n < room ? n : room;
  return ps;
}

/* XAdvance of value record 1 of the pair record at rec (its first value record). */
static int pair_xadv(const font *f, const pair_sub *s, size_t rec) {
  return s->xadv == KNONE ? 0 : s16(g16(f, rec + s->xadv));
}

/* Format 1: whether the pair set at ps (n records) has second glyph right; its value in *v. */
static int pair_set_find(const font *f, const pair_sub *s, size_t ps, size_t n, uint16_t right, int *v) {
  size_t lo = 0, hi = n, size = 2u + s->rec;
  while (lo < hi) { /* records are sorted by second glyph */
    size_t mid = lo + (hi - lo) / 2, r = ps + 2 + size * mid;
    uint16_t g = g16(f, r);
    if (g == right) {
      *v = pair_xadv(f, s, r + 2);
      return 1;
    }
    if (g < right) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

/* Whether subtable s applies to the pair; its XAdvance for the first glyph in *v. */
static int pair_value(const font *f, const pair_sub *s, uint16_t left, uint16_t right, int *v) {
  long ci = coverage_index(f, s->cov, left);
  if (ci < 0) return 0;
  if (s->format == 1) {
    if (ci >= s->count) return 0;
    size_t n, ps = pair_set(f, s, ci, &n);
    return pair_set_find(f, s, ps, n, right, v);
  }
  unsigned c1 = class_of(f, s->cd1, left), c2 = class_of(f, s->cd2, right);
  if (c1 >= s->count || c2 >= s->class2) return 0;
  *v = pair_xadv(f, s, s->off + 16 + ((size_t)c1 * s->class2 + c2) * s->rec);
  return 1;
}

/* The slow path: every kern lookup in order, the first subtable that applies in each. */
static int gpos_kerning(const font *f, uint16_t left, uint16_t right) {
  long total = 0;
  for (size_t i = 0; i < f->pair_count;) {
    const pair_sub *s = &f->pair_subs[i];
    int v = 0;
    if (pair_value(f, s, left, right, &v)) {
      total += v;
      while (i < f->pair_count && f->pair_subs[i].lookup == s->lookup) i++;
    } else {
      i++;
    }
  }
  return clamp16(total);
}

/* Records a PairPos subtable at off (relative to GPOS) of lookup li. */
static void add_pair_sub(font *f, size_t off, size_t li) {
  size_t len = f->gpos.len;
  if (off >= len || len - off < 10) return;
  pair_sub s;
  memset(&s, 0, sizeof s);
  uint16_t vf1 = g16(f, off + 4), vf2 = g16(f, off + 6);
  s.off = (uint32_t)off;
  s.cov = (uint32_t)(off + g16(f, off + 2));
  s.lookup = (uint16_t)li;
  s.format = g16(f, off);
  s.rec = (uint16_t)(2 * (bits8(vf1) + bits8(vf2)));
  s.xadv = vf1 & 0x0004 ? (uint16_t)(2 * bits8(vf1 & 0x0003)) : KNONE; /* after XPlacement, YPlacement */
  if (s.cov >= len) return;
  if (s.format == 1) {
    size_t n = g16(f, off + 8), room = g_room(f, off, 10, 2);
    s.count = (uint16_t)(n < room ? n : room);
  } else if (s.format == 2) {
    if (len - off < 16) return;
    s.cd1 = (uint32_t)(off + g16(f, off + 8));
    s.cd2 = (uint32_t)(off + g16(f, off + 10));
    s.count = g16(f, off + 12);
    s.class2 = g16(f, off + 14);
    uint64_t need = 16 + (uint64_t)s.count * s.class2 * s.rec;
    if (need > len - off) return; /* the class matrix would run past the table */
  } else {
    return;
  }
  f->pair_subs[f->pair_count++] = s;
}

/* Marks the lookups of feature fi when it is a 'kern' feature; *steps bounds the work. */
static void mark_kern_feature(const font *f, size_t fl, size_t nfeat, size_t fi, unsigned char *use, size_t nlook,
                              long *steps) {
  if (fi >= nfeat || g32(f, fl + 2 + 6 * fi) != TAG('k', 'e', 'r', 'n')) return;
  size_t ft = fl + g16(f, fl + 6 + 6 * fi), n = g16(f, ft + 2);
  for (size_t k = 0; k < n && (*steps)-- > 0; k++) {
    size_t li = g16(f, ft + 4 + 2 * k);
    if (li < nlook) use[li] = 1;
  }
}

/* The default language system of script 'latn', else 'DFLT' or 'dflt'; 0 when none. */
static size_t find_langsys(const font *f, size_t sl) {
  static const uint32_t want[] = {TAG('l', 'a', 't', 'n'), TAG('D', 'F', 'L', 'T'), TAG('d', 'f', 'l', 't')};
  size_t n = sl ? g16(f, sl) : 0, room = g_room(f, sl, 2, 6);
  if (n > room) n = room;
  for (size_t w = 0; w < sizeof want / sizeof *want; w++)
    for (size_t i = 0; i < n; i++) {
      if (g32(f, sl + 2 + 6 * i) != want[w]) continue;
      size_t script = sl + g16(f, sl + 6 + 6 * i), dls = g16(f, script);
      if (dls && script + dls < f->gpos.len) return script + dls;
    }
  return 0;
}

/* Collects the PairPos subtables of the lookups of the 'kern' feature. */
int font_read_gpos(font *f) {
  size_t len = f->gpos.len;
  if (len < 10 || g16(f, 0) != 1) return 0;
  size_t sl = g16(f, 4), fl = g16(f, 6), ll = g16(f, 8);
  if (!fl || !ll) return 0;
  size_t nfeat = g16(f, fl), nlook = g16(f, ll);
  if (nfeat > g_room(f, fl, 2, 6)) nfeat = g_room(f, fl, 2, 6);
  if (nlook > g_room(f, ll, 2, 2)) nlook = g_room(f, ll, 2, 2);
  if (!nfeat || !nlook) return 0;
  unsigned char *use = calloc(nlook, 1);
  if (!use) return -1;
  long steps = 1L << 20;
  size_t ls = find_langsys(f, sl);
  if (ls) { /* the required feature, then the listed ones */
    size_t nfi = g16(f, ls + 4);
    mark_kern_feature(f, fl, nfeat, g16(f, ls + 2), use, nlook, &steps);
    for (size_t i = 0; i < nfi && steps > 0; i++) mark_kern_feature(f, fl, nfeat, g16(f, ls + 6 + 2 * i), use, nlook, &steps);
  } else { /* no Latin or default script: every 'kern' feature */
    for (size_t i = 0; i < nfeat && steps > 0; i++) mark_kern_feature(f, fl, nfeat, i, use, nlook, &steps);
  }
  size_t taken = 0;
  for (size_t li = 0; li < nlook && taken < MAX_KERN_LOOKUPS && f->pair_count < MAX_PAIR_SUBTABLES; li++) {
    if (!use[li]) continue;
    taken++;
    size_t lk = ll + g16(f, ll + 2 + 2 * li), type = g16(f, lk), nsub = g16(f, lk + 4);
    if (type != 2 && type != 9) continue;
    if (nsub > g_room(f, lk, 6, 2)) nsub = g_room(f, lk, 6, 2);
    for (size_t k = 0; k < nsub && f->pair_count < MAX_PAIR_SUBTABLES; k++) {
      size_t sub = lk + g16(f, lk + 6 + 2 * k);
      if (type == 9) { /* Extension: format 1, the wrapped type, a 32-bit offset */
        uint32_t ext = g32(f, sub + 4);
        if (g16(f, sub) != 1 || g16(f, sub + 2) != 2 || sub >= len || ext >= len - sub) continue;
        sub += ext;
      }
      if (!f->pair_subs) {
        f->pair_subs = malloc(MAX_PAIR_SUBTABLES * sizeof *f->pair_subs);
        if (!f->pair_subs) {
          free(use);
          return -1;
        }
      }
      add_pair_sub(f, sub, li);
    }
  }
  free(use);
  return 0;
}

/* ---- the precomputed kerning matrix ---- */

/* Code points whose glyphs get a row and a column: Latin, punctuation, a few symbols. */
static const uint32_t kern_ranges[][2] = {{0x0020, 0x024F}, {0x2000, 0x206F}, {0x20A0, 0x20CF},
                                          {0x2122, 0x2122}, {0x2212, 0x2212}, {0xFB00, 0xFB06}};

typedef struct matrix_build {
  font *f;
  kern_slot *slot;
  const uint16_t *glyphs; /* by column */
  size_t n;
  int32_t *acc; /* n: sums over at most MAX_KERN_LOOKUPS int16 values, or one legacy value */
  int *vals; /* n: one class1 record's values by class2 */
  unsigned char *done;
  uint16_t *cls2; /* pair_count x n second-glyph classes, filled on first use */
  unsigned char *cls2_ready;
  long work;
} matrix_build;

/* Adds GPOS kerning of first glyph L against every column to b->acc;
 * returns 0 when no subtable covers L (the row is all zeros). */
static int gpos_row(matrix_build *b, uint16_t L) {
  int covered = 0;
  const font *f = b->f;
  size_t n = b->n;
  for (size_t i = 0; i < f->pair_count;) {
    uint16_t lookup = f->pair_subs[i].lookup;
    size_t remaining = n;
    memset(b->done, 0, n);
    for (; i < f->pair_count && f->pair_subs[i].lookup == lookup; i++) {
      const pair_sub *s = &f->pair_subs[i];
      if (!remaining) continue;
      long ci = coverage_index(f, s->cov, L);
      b->work += 20;
      if (ci < 0) continue;
      covered = 1;
      if (s->format == 1) {
        if (ci >= s->count) continue;
        size_t cnt, ps = pair_set(f, s, ci, &cnt), size = 2u + s->rec;
        if (cnt <= 2 * n) { /* walk the set */
          b->work += (long)cnt;
          for (size_t k = 0; k < cnt; k++) {
            size_t r = ps + 2 + size * k;
            uint16_t g = g16(f, r);
            size_t d = g < f->num_glyphs ? b->slot[g].col : KNONE;
            if (d == KNONE || b->done[d]) continue;
            b->done[d] = 1;
            remaining--;
            b->acc[d] += pair_xadv(f, s, r + 2);
          }
        } else { /* look each column up */
          b->work += 20 * (long)n;
          for (size_t d = 0; d < n; d++) {
            int v = 0;
            if (b->done[d] || !pair_set_find(f, s, ps, cnt, b->glyphs[d], &v)) continue;
            b->done[d] = 1;
            remaining--;
            b->acc[d] += v;
          }
        }
      } else {
        unsigned c1 = class_of(f, s->cd1, L);
        if (c1 >= s->count) continue;
        uint16_t *c2 = b->cls2 + i * n;
        if (!b->cls2_ready[i]) {
          for (size_t d = 0; d < n; d++) {
            unsigned c = class_of(f, s->cd2, b->glyphs[d]);
            c2[d] = (uint16_t)(c < 0xFFFFu ? c : 0xFFFFu);
          }
          b->cls2_ready[i] = 1;
          b->work += 20 * (long)n;
        }
        size_t base = s->off + 16 + (size_t)c1 * s->class2 * s->rec;
        int *vals = NULL;
        if (s->class2 <= n) { /* read the class1 record once, not once per column */
          vals = b->vals;
          for (size_t k = 0; k < s->class2; k++) vals[k] = pair_xadv(f, s, base + k * s->rec);
        }
        b->work += (long)n;
        for (size_t d = 0; d < n; d++) {
          if (b->done[d] || c2[d] >= s->class2) continue;
          b->done[d] = 1;
          remaining--;
          b->acc[d] += vals ? vals[c2[d]] : pair_xadv(f, s, base + (size_t)c2[d] * s->rec);
        }
      }
    }
  }
  return covered;
}

/* Adds legacy kerning of first glyph L against every column to b->acc; returns 0 when it has none. */
static int legacy_row(matrix_build *b, uint16_t L) {
  const font *f = b->f;
  uint32_t key = (uint32_t)L << 16;
  size_t lo = 0, hi = f->kern_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (f->kern_pairs[mid].key < key) lo = mid + 1;
    else hi = mid;
  }
  int any = 0;
  for (; lo < f->kern_count && f->kern_pairs[lo].key >> 16 == L; lo++) {
    uint16_t r = (uint16_t)f->kern_pairs[lo].key;
    b->work++;
    if (r < f->num_glyphs && b->slot[r].col != KNONE) {
      b->acc[b->slot[r].col] += f->kern_pairs[lo].value;
      any = 1;
    }
  }
  return any;
}

/* Precomputes the kerning between the glyphs of kern_ranges into distinct
 * rows (glyphs of one kerning class share one). Leaves f->kslot NULL when
 * there is nothing to kern or memory is short (font_kerning then walks the
 * tables). A font whose kerning costs more than KERN_BUILD_BUDGET for these
 * few hundred glyphs (real fonts need about 1% of it) is hostile or broken:
 * its kerning is dropped rather than walked slowly for every pair. */
void font_build_kern_matrix(font *f) {
  if (!f->pair_count && !f->kern_count) return;
  matrix_build b;
  memset(&b, 0, sizeof b);
  b.f = f;
  uint16_t glyphs[KERN_DENSE_MAX];
  int16_t *rows = NULL;
  uint32_t *hash = NULL;
  size_t nrows = 0, cap_rows = 64, hsize = 1;
  b.slot = malloc((size_t)f->num_glyphs * sizeof *b.slot);
  if (!b.slot) return;
  for (size_t g = 0; g < f->num_glyphs; g++) b.slot[g] = (kern_slot){0, KNONE};
  for (size_t r = 0; r < sizeof kern_ranges / sizeof *kern_ranges; r++)
    for (uint32_t cp = kern_ranges[r][0]; cp <= kern_ranges[r][1] && b.n < KERN_DENSE_MAX; cp++) {
      uint16_t g = font_glyph(f, cp);
      if (g && b.slot[g].col == KNONE) {
        b.slot[g].col = (uint16_t)b.n;
        glyphs[b.n++] = g;
      }
    }
  size_t n = b.n;
  if (!n) goto fail;
  b.glyphs = glyphs;
  while (hsize < 2 * (n + 1)) hsize *= 2;
  b.acc = malloc(n * sizeof *b.acc);
  b.vals = malloc(n * sizeof *b.vals);
  b.done = malloc(n);
  b.cls2 = malloc((f->pair_count + 1) * n * sizeof *b.cls2);
  b.cls2_ready = calloc(f->pair_count + 1, 1);
  rows = malloc(cap_rows * n * sizeof *rows);
  hash = calloc(hsize, sizeof *hash);
  if (!b.acc || !b.vals || !b.done || !b.cls2 || !b.cls2_ready || !rows || !hash) goto fail;
  memset(rows, 0, n * sizeof *rows); /* row 0: no kerning, hash 0 */
  hash[0] = 1;
  nrows = 1;
  for (size_t d = 0; d < n; d++) {
    uint16_t L = glyphs[d];
    memset(b.acc, 0, n * sizeof *b.acc);
    int any = f->pair_count ? gpos_row(&b, L) : legacy_row(&b, L);
    if (b.work > KERN_BUILD_BUDGET) {
      f->pair_count = 0;
      f->kern_count = 0;
      goto fail;
    }
    if (!any) { /* row 0 */
      b.slot[L].row = 0;
      continue;
    }
    if (nrows == cap_rows) {
      int16_t *nr = realloc(rows, 2 * cap_rows * n * sizeof *rows);
      if (!nr) goto fail;
      rows = nr;
      cap_rows *= 2;
    }
    int16_t *row = rows + nrows * n; /* candidate, kept only when new */
    uint32_t sum = 0; /* the row, clamped, and its hash (terms independent of each other: vectorizes) */
    for (size_t c = 0; c < n; c++) {
      int32_t v = b.acc[c] < -32768 ? -32768 : b.acc[c] > 32767 ? 32767 : b.acc[c];
      row[c] = (int16_t)v;
      sum += (uint16_t)v * (((uint32_t)c * 2 + 1) * 2654435761u);
    }
    size_t h = (sum ^ sum >> 15) & (hsize - 1);
    while (hash[h] && memcmp(rows + (hash[h] - 1) * n, row, n * sizeof *row)) h = (h + 1) & (hsize - 1);
    if (!hash[h]) hash[h] = (uint32_t)++nrows;
    b.slot[L].row = (uint16_t)(hash[h] - 1);
  }
  int16_t *shrunk = realloc(rows, nrows * n * sizeof *rows);
  f->krows = shrunk ? shrunk : rows;
  f->kslot = b.slot;
  f->kcols = n;
  b.slot = NULL;
  rows = NULL;
fail:
  free(b.slot);
  free(b.acc);
  free(b.vals);
  free(b.done);
  free(b.cls2);
  free(b.cls2_ready);
  free(rows);
  free(hash);
}

/* Layout asks for every adjacent pair: Latin pairs are one lookup in the
 * precomputed matrix, other glyphs walk GPOS (or the legacy pairs). */
int font_kerning(const font *f, uint16_t left, uint16_t right) {
  if (f->kslot && left < f->num_glyphs && right < f->num_glyphs) {
    kern_slot a = f->kslot[left], b = f->kslot[right];
    if (a.col != KNONE && b.col != KNONE) return f->krows[(size_t)a.row * f->kcols + b.col];
  }
  if (f->pair_count) return gpos_kerning(f, left, right);
  uint32_t key = (uint32_t)left << 16 | right;
  size_t lo = 0, hi = f->kern_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    uint32_t k = f->kern_pairs[mid].key;
    if (k == key) return clamp16(f->kern_pairs[mid].value);
    if (k < key) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}
