/* font.c - a bounds-checked TrueType parser: metrics, cmap, kerning (GPOS and legacy), subsetting. */
#include "text/font.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
  char psname[64];
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

static uint16_t rd16(const unsigned char *p, size_t len, size_t off) {
  if (off > len || len - off < 2) return 0;
  return (uint16_t)((unsigned)p[off] << 8 | p[off + 1]);
}

static uint32_t rd32(const unsigned char *p, size_t len, size_t off) {
  if (off > len || len - off < 4) return 0;
  return (uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 | (uint32_t)p[off + 2] << 8 | p[off + 3];
}

static int s16(uint16_t v) { return v >= 0x8000u ? (int)v - 0x10000 : (int)v; }

/* Reads inside one table: never past the table, let alone the file. */
static uint16_t t16(const font *f, span t, size_t off) {
  if (off > t.len || t.len - off < 2) return 0;
  return rd16(f->data, f->len, t.off + off);
}

static uint32_t t32(const font *f, span t, size_t off) {
  if (off > t.len || t.len - off < 4) return 0;
  return rd32(f->data, f->len, t.off + off);
}

static void wr16(unsigned char *p, uint16_t v) {
  p[0] = (unsigned char)(v >> 8);
  p[1] = (unsigned char)v;
}

static void wr32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

static void set_err(char *err, size_t errlen, const char *name, const char *fmt, ...) {
  if (!err || errlen == 0) return;
  int n = snprintf(err, errlen, "%s: ", name && *name ? name : "font");
  if (n < 0 || (size_t)n >= errlen) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
  va_end(ap);
}

/* ---- cmap ---- */

static uint16_t cmap_lookup(const font *f, uint32_t cp) {
  const unsigned char *d = f->data;
  size_t n = f->len, sub = f->cmap_sub;
  uint32_t gid = 0;
  if (f->cmap_format == 4) {
    if (cp > 0xFFFF) return 0;
    size_t segx2 = rd16(d, n, sub + 6), lo = 0, hi = segx2 / 2;
    while (lo < hi) { /* first segment whose endCode >= cp */
      size_t mid = lo + (hi - lo) / 2;
      if (rd16(d, n, sub + 14 + 2 * mid) < cp) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= segx2 / 2) return 0;
    uint16_t start = rd16(d, n, sub + 16 + segx2 + 2 * lo);
    uint16_t delta = rd16(d, n, sub + 16 + 2 * segx2 + 2 * lo);
    size_t ro_at = sub + 16 + 3 * segx2 + 2 * lo;
    uint16_t ro = rd16(d, n, ro_at);
    if (cp < start) return 0;
    if (ro == 0) {
      gid = (cp + delta) & 0xFFFFu;
    } else {
      size_t at = ro_at + ro + 2 * (size_t)(cp - start);
      if (at + 2 > f->cmap_end) return 0;
      gid = rd16(d, n, at);
      if (gid) gid = (gid + delta) & 0xFFFFu;
    }
  } else if (f->cmap_format == 12) {
    size_t groups = rd32(d, n, sub + 12), lo = 0, hi = groups;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (rd32(d, n, sub + 16 + 12 * mid + 4) < cp) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= groups) return 0;
    uint32_t start = rd32(d, n, sub + 16 + 12 * lo), first = rd32(d, n, sub + 16 + 12 * lo + 8);
    if (cp < start || first >= f->num_glyphs || cp - start >= f->num_glyphs - first) return 0;
    gid = first + (cp - start);
  }
  return gid < f->num_glyphs ? (uint16_t)gid : 0;
}

/* Picks the best Unicode subtable: 3/10, then 3/1, then platform 0. */
static void choose_cmap(font *f) {
  span c = f->cmap;
  size_t count = t16(f, c, 2), best_score = 0;
  if (count > (c.len >= 4 ? (c.len - 4) / 8 : 0)) count = c.len >= 4 ? (c.len - 4) / 8 : 0;
  for (size_t i = 0; i < count; i++) {
    uint16_t plat = t16(f, c, 4 + 8 * i), enc = t16(f, c, 6 + 8 * i);
    uint32_t off = t32(f, c, 8 + 8 * i);
    if (off >= c.len) continue;
    size_t sub = c.off + off, room = c.len - off, end = sub + room;
    uint16_t fmt = t16(f, c, off);
    size_t score = 0;
    if (plat == 3 && enc == 10) score = 8;
    else if (plat == 3 && enc == 1) score = 6;
    else if (plat == 0) score = fmt == 12 ? 5 : 4;
    if (fmt == 4) {
      size_t segx2 = t16(f, c, off + 6);
      if (room < 16 || segx2 == 0 || segx2 % 2 || 16 + 4 * segx2 > room) continue;
    } else if (fmt == 12) {
      size_t groups = t32(f, c, off + 12);
      if (room < 16 || groups > (room - 16) / 12) continue;
    } else {
      continue;
    }
    if (score > best_score) {
      best_score = score;
      f->cmap_sub = sub;
      f->cmap_end = end;
      f->cmap_format = fmt;
    }
  }
}

/* ---- glyph data ---- */

/* Where glyph g's outline lies (absolute offset); len 0 for empty or broken entries. */
static span glyph_span(const font *f, uint16_t g) {
  span s = {0, 0};
  if (g >= f->num_glyphs) return s;
  uint32_t a, b;
  if (f->long_loca) {
    a = t32(f, f->loca, 4 * (size_t)g);
    b = t32(f, f->loca, 4 * (size_t)g + 4);
  } else {
    a = 2u * t16(f, f->loca, 2 * (size_t)g);
    b = 2u * t16(f, f->loca, 2 * (size_t)g + 2);
  }
  if (a >= b || b > f->glyf.len) return s;
  s.off = f->glyf.off + a;
  s.len = b - a;
  return s;
}

static int glyph_ymax(const font *f, uint16_t g) {
  span s = glyph_span(f, g);
  return s.len >= 10 && g ? s16(rd16(f->data, f->len, s.off + 8)) : 0;
}

/* ---- names ---- */

static int ps_char_ok(unsigned c) { return c > 32 && c < 127 && !strchr("[](){}<>/%#", (int)c); }

static void read_psname(font *f) {
  span t = f->name;
  size_t count = t16(f, t, 2), base = t16(f, t, 4), best = 0, best_score = 0;
  if (count > (t.len >= 6 ? (t.len - 6) / 12 : 0)) count = t.len >= 6 ? (t.len - 6) / 12 : 0;
  for (size_t i = 0; i < count; i++) {
    size_t r = 6 + 12 * i, score = 0;
    uint16_t plat = t16(f, t, r), enc = t16(f, t, r + 2), lang = t16(f, t, r + 4);
    if (t16(f, t, r + 6) != 6) continue;
    if (plat == 3 && (enc == 0 || enc == 1 || enc == 10)) score = lang == 0x409 ? 3 : 2;
    else if (plat == 1 && enc == 0) score = 1;
    if (score > best_score) {
      best_score = score;
      best = r;
    }
  }
  size_t n = 0;
  if (best_score) {
    int wide = t16(f, t, best) == 3;
    size_t len = t16(f, t, best + 8), off = base + t16(f, t, best + 10);
    for (size_t i = 0; i + (wide ? 1 : 0) < len && n + 1 < sizeof f->psname; i += wide ? 2 : 1) {
      unsigned c = wide ? t16(f, t, off + i) : (off + i < t.len ? f->data[t.off + off + i] : 0);
      if (ps_char_ok(c)) f->psname[n++] = (char)c;
    }
  }
  if (n == 0) { /* fall back to the file name without directory and extension */
    const char *p = f->path, *slash = strrchr(p, '/'), *dot;
    if (slash) p = slash + 1;
    dot = strrchr(p, '.');
    for (; *p && p != dot && n + 1 < sizeof f->psname; p++)
      if (ps_char_ok((unsigned char)*p)) f->psname[n++] = *p;
  }
  if (n == 0) {
    memcpy(f->psname, "Font", 4);
    n = 4;
  }
  f->psname[n] = '\0';
}

/* ---- kerning ---- */

static int kern_cmp(const void *a, const void *b) {
  uint32_t x = ((const kern_pair *)a)->key, y = ((const kern_pair *)b)->key;
  return x < y ? -1 : x > y;
}

static int read_kern(font *f) {
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
static int read_gpos(font *f) {
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
static void build_kern_matrix(font *f) {
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

/* ---- loading ---- */

static const char *parse(font *f) {
  const unsigned char *d = f->data;
  size_t n = f->len;
  if (n < 12) return "too short to be a font";
  uint32_t version = rd32(d, n, 0);
  if (version == TAG('O', 'T', 'T', 'O'))
    return "CFF-flavoured OpenType ('OTTO') is not supported; use a TrueType (glyf) font";
  if (version == TAG('t', 't', 'c', 'f')) return "font collections (.ttc) are not supported";
  if (version != 0x00010000u && version != TAG('t', 'r', 'u', 'e')) return "not a TrueType font";
  size_t ntables = rd16(d, n, 4);
  if (ntables == 0 || ntables > MAX_TABLES) return "bad table count";
  if (12 + 16 * ntables > n) return "truncated table directory";
  for (size_t i = 0; i < ntables; i++) {
    size_t e = 12 + 16 * i;
    uint32_t tag = rd32(d, n, e);
    span s = {rd32(d, n, e + 8), rd32(d, n, e + 12)};
    if (s.off > n || s.len > n - s.off) return "a table extends past the end of the file (truncated?)";
    span *slot = NULL;
    switch (tag) {
    case TAG('h', 'e', 'a', 'd'): slot = &f->head; break;
    case TAG('h', 'h', 'e', 'a'): slot = &f->hhea; break;
    case TAG('m', 'a', 'x', 'p'): slot = &f->maxp; break;
    case TAG('h', 'm', 't', 'x'): slot = &f->hmtx; break;
    case TAG('l', 'o', 'c', 'a'): slot = &f->loca; break;
    case TAG('g', 'l', 'y', 'f'): slot = &f->glyf; break;
    case TAG('c', 'v', 't', ' '): slot = &f->cvt; break;
    case TAG('f', 'p', 'g', 'm'): slot = &f->fpgm; break;
    case TAG('p', 'r', 'e', 'p'): slot = &f->prep; break;
    case TAG('O', 'S', '/', '2'): slot = &f->os2; break;
    case TAG('p', 'o', 's', 't'): slot = &f->post; break;
    case TAG('n', 'a', 'm', 'e'): slot = &f->name; break;
    case TAG('k', 'e', 'r', 'n'): slot = &f->kern; break;
    case TAG('c', 'm', 'a', 'p'): slot = &f->cmap; break;
    case TAG('G', 'P', 'O', 'S'): slot = &f->gpos; break;
    case TAG('C', 'F', 'F', ' '): return "CFF outlines are not supported; use a TrueType (glyf) font";
    default: break;
    }
    if (slot && slot->off == 0) *slot = s;
  }
  if (!f->glyf.off || !f->loca.off) return "no 'glyf'/'loca' tables (not a TrueType-outline font)";
  if (f->head.len < 54) return "missing or short 'head' table";
  if (f->hhea.len < 36) return "missing or short 'hhea' table";
  if (f->maxp.len < 6) return "missing or short 'maxp' table";
  if (t32(f, f->head, 12) != 0x5F0F3CF5u) return "bad 'head' magic number";
  font_metrics *m = &f->m;
  m->units_per_em = t16(f, f->head, 18);
  if (m->units_per_em < 16 || m->units_per_em > 16384) return "unitsPerEm out of range";
  for (int i = 0; i < 4; i++) m->bbox[i] = s16(t16(f, f->head, 36 + 2 * (size_t)i));
  int loca_format = s16(t16(f, f->head, 50));
  if (loca_format != 0 && loca_format != 1) return "bad indexToLocFormat";
  f->long_loca = loca_format == 1;

  f->num_glyphs = t16(f, f->maxp, 4);
  if (f->num_glyphs == 0) return "font has no glyphs";
  if (f->loca.len < ((size_t)f->num_glyphs + 1) * (f->long_loca ? 4 : 2)) return "'loca' table too short";
  f->num_hmetrics = t16(f, f->hhea, 34);
  if (f->num_hmetrics == 0) return "numberOfHMetrics is 0";
  if (f->num_hmetrics > f->num_glyphs) f->num_hmetrics = f->num_glyphs;
  if (f->hmtx.len < 4 * (size_t)f->num_hmetrics) return "'hmtx' table too short";
  f->advances = malloc((size_t)f->num_glyphs * sizeof *f->advances);
  if (!f->advances) return "out of memory";
  for (size_t g = 0; g < f->num_glyphs; g++)
    f->advances[g] = g < f->num_hmetrics ? t16(f, f->hmtx, 4 * g) : f->advances[f->num_hmetrics - 1];

  m->ascender = s16(t16(f, f->hhea, 4));
  m->descender = s16(t16(f, f->hhea, 6));
  m->line_gap = s16(t16(f, f->hhea, 8));
  m->weight_class = 400;
  span o = f->os2;
  if (o.len >= 78) {
    uint16_t fs_selection = t16(f, o, 62);
    if (t16(f, o, 4)) m->weight_class = t16(f, o, 4);
    if (fs_selection & 0x80 || (m->ascender == 0 && m->descender == 0)) { /* USE_TYPO_METRICS */
      m->ascender = s16(t16(f, o, 68));
      m->descender = s16(t16(f, o, 70));
      m->line_gap = s16(t16(f, o, 72));
    }
    const unsigned char *panose = f->data + o.off + 32; /* inside: o.len >= 78 */
    unsigned family = panose[0], serif = panose[1], proportion = panose[3];
    m->is_serif = family == 2 && serif >= 2 && serif <= 10; /* 11-15 are sans styles */
    if (family == 2 && proportion == 9) m->is_fixed_pitch = 1;
    if (t16(f, o, 0) >= 2 && o.len >= 90) {
      m->x_height = s16(t16(f, o, 86));
      m->cap_height = s16(t16(f, o, 88));
    }
  }
  if (m->ascender == 0 && m->descender == 0) {
    m->ascender = m->bbox[3];
    m->descender = m->bbox[1];
  }
  if (f->post.len >= 16) {
    uint32_t angle = t32(f, f->post, 4);
    m->italic_angle = (angle >= 0x80000000u ? (double)angle - 4294967296.0 : (double)angle) / 65536.0;
    if (t32(f, f->post, 12)) m->is_fixed_pitch = 1;
  }
  if (f->cmap.len) choose_cmap(f);
  for (uint32_t cp = 0; cp < DIRECT_LIMIT; cp++) f->direct[cp] = cmap_lookup(f, cp);
  if (m->cap_height <= 0) m->cap_height = glyph_ymax(f, f->direct['H']);
  if (m->cap_height <= 0) m->cap_height = m->units_per_em * 7 / 10;
  if (m->x_height <= 0) m->x_height = glyph_ymax(f, f->direct['x']);
  if (m->x_height <= 0) m->x_height = m->units_per_em / 2;
  /* No font records StemV; this weight-based guess (in 1000/em) is the usual one. */
  long w = m->weight_class < 1 ? 1 : m->weight_class > 1000 ? 1000 : m->weight_class;
  int stem = (int)(50 + w * w / (65 * 65));
  m->stem_v = stem * m->units_per_em / 1000;
  read_psname(f);
  if (read_gpos(f)) return "out of memory";
  if (!f->pair_count && read_kern(f)) return "out of memory";
  build_kern_matrix(f); /* optional: without it font_kerning takes the slow path */
  return NULL;
}

/* Takes ownership of data (freed on failure). */
static font *load_owned(unsigned char *data, size_t len, const char *name, char *err, size_t errlen) {
  font *f = calloc(1, sizeof *f);
  char *path = strdup(name ? name : "");
  if (!f || !path) {
    free(f);
    free(path);
    free(data);
    set_err(err, errlen, name, "out of memory");
    return NULL;
  }
  f->data = data;
  f->len = len;
  f->path = path;
  const char *why = parse(f);
  if (why) {
    set_err(err, errlen, name, "%s", why);
    font_free(f);
    return NULL;
  }
  return f;
}

font *font_load(const char *path, char *err, size_t errlen) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    set_err(err, errlen, path, "cannot open: %s", strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, len = 0;
  unsigned char *buf = malloc(cap);
  const char *why = buf ? NULL : "out of memory";
  while (!why) {
    if (len == cap) {
      unsigned char *nb = cap >= MAX_FONT_BYTES ? NULL : realloc(buf, cap * 2);
      if (!nb) {
        why = "file too large (or out of memory)";
        break;
      }
      buf = nb;
      cap *= 2;
    }
    size_t got = fread(buf + len, 1, cap - len, fp);
    len += got;
    if (got == 0) break;
  }
  if (!why && ferror(fp)) why = "read error";
  fclose(fp);
  if (why) {
    set_err(err, errlen, path, "%s", why);
    free(buf);
    return NULL;
  }
  return load_owned(buf, len, path, err, errlen);
}

font *font_load_memory(const unsigned char *data, size_t len, const char *name, char *err, size_t errlen) {
  unsigned char *copy = malloc(len ? len : 1);
  if (!copy) {
    set_err(err, errlen, name, "out of memory");
    return NULL;
  }
  if (len) memcpy(copy, data, len);
  return load_owned(copy, len, name, err, errlen);
}

void font_free(font *f) {
  if (!f) return;
  free(f->data);
  free(f->path);
  free(f->advances);
  free(f->kern_pairs);
  free(f->pair_subs);
  free(f->kslot);
  free(f->krows);
  free(f);
}

uint16_t font_glyph(const font *f, uint32_t codepoint) {
  return codepoint < DIRECT_LIMIT ? f->direct[codepoint] : cmap_lookup(f, codepoint);
}

int font_advance(const font *f, uint16_t glyph) { return glyph < f->num_glyphs ? f->advances[glyph] : 0; }

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

const font_metrics *font_get_metrics(const font *f) { return &f->m; }
const char *font_postscript_name(const font *f) { return f->psname; }
const char *font_path(const font *f) { return f->path; }
uint16_t font_glyph_count(const font *f) { return f->num_glyphs; }

const unsigned char *font_data(const font *f, size_t *len) {
  if (len) *len = f->len;
  return f->data;
}

/* ---- subsetting ---- */

typedef struct out_table {
  uint32_t tag;
  const unsigned char *data;
  size_t len;
} out_table;

static size_t pad4(size_t n) { return (n + 3) & ~(size_t)3; }

static uint32_t checksum(const unsigned char *p, size_t len) {
  uint32_t sum = 0;
  for (size_t i = 0; i < len; i += 4) {
    uint32_t w = 0;
    for (size_t k = 0; k < 4; k++) w = w << 8 | (i + k < len ? p[i + k] : 0);
    sum += w;
  }
  return sum;
}

static int table_cmp(const void *a, const void *b) {
  uint32_t x = ((const out_table *)a)->tag, y = ((const out_table *)b)->tag;
  return x < y ? -1 : x > y;
}

/* Marks the components of every kept composite glyph, transitively. */
static int close_composites(const font *f, unsigned char *keep) {
  uint16_t *stack = malloc((size_t)f->num_glyphs * sizeof *stack);
  size_t top = 0;
  if (!stack) return -1;
  for (size_t g = 0; g < f->num_glyphs; g++)
    if (keep[g]) stack[top++] = (uint16_t)g;
  while (top) { /* each glyph is pushed at most once, so this ends */
    span s = glyph_span(f, stack[--top]);
    if (s.len < 10 || s16(rd16(f->data, f->len, s.off)) >= 0) continue;
    size_t p = s.off + 10, end = s.off + s.len;
    for (int k = 0; k < MAX_COMPONENTS && p + 4 <= end; k++) {
      uint16_t flags = rd16(f->data, f->len, p), comp = rd16(f->data, f->len, p + 2);
      p += 4 + (flags & 0x0001 ? 4 : 2); /* ARG_1_AND_2_ARE_WORDS */
      if (flags & 0x0008) p += 2;        /* WE_HAVE_A_SCALE */
      else if (flags & 0x0040) p += 4;   /* WE_HAVE_AN_X_AND_Y_SCALE */
      else if (flags & 0x0080) p += 8;   /* WE_HAVE_A_TWO_BY_TWO */
      if (comp < f->num_glyphs && !keep[comp]) {
        keep[comp] = 1;
        stack[top++] = comp;
      }
      if (!(flags & 0x0020)) break; /* MORE_COMPONENTS */
    }
  }
  free(stack);
  return 0;
}

unsigned char *font_subset(const font *f, const unsigned char *used, size_t *out_len) {
  size_t n = f->num_glyphs, newn = 1, glyf_len = 0, nt = 0;
  unsigned char *keep = calloc(n, 1), *out = NULL;
  unsigned char *head = NULL, *hhea = NULL, *maxp = NULL, *hmtx = NULL, *loca = NULL, *glyf = NULL;
  out_table tables[12];
  if (!keep) return NULL;
  if (used) memcpy(keep, used, n);
  keep[0] = 1;
  for (size_t g = 0; g < n; g++) keep[g] = keep[g] != 0;
  if (close_composites(f, keep)) goto done;
  for (size_t g = 0; g < n; g++) {
    if (!keep[g]) continue;
    newn = g + 1;
    glyf_len += pad4(glyph_span(f, (uint16_t)g).len);
  }
  int long_loca = glyf_len > 0x1FFFE;
  size_t nhm = f->num_hmetrics < newn ? f->num_hmetrics : newn;
  size_t hmtx_len = 4 * nhm + 2 * (newn - nhm), loca_len = (newn + 1) * (long_loca ? 4 : 2);
  head = malloc(f->head.len);
  hhea = malloc(f->hhea.len);
  maxp = malloc(f->maxp.len);
  hmtx = malloc(hmtx_len);
  loca = malloc(loca_len);
  glyf = calloc(glyf_len ? glyf_len : 1, 1);
  if (!head || !hhea || !maxp || !hmtx || !loca || !glyf) goto done;

  size_t at = 0;
  for (size_t g = 0; g <= newn; g++) {
    if (long_loca) wr32(loca + 4 * g, (uint32_t)at);
    else wr16(loca + 2 * g, (uint16_t)(at / 2));
    if (g == newn || !keep[g]) continue;
    span s = glyph_span(f, (uint16_t)g);
    if (s.len) memcpy(glyf + at, f->data + s.off, s.len);
    at += pad4(s.len);
  }
  for (size_t g = 0; g < newn; g++) {
    if (g < nhm) {
      wr16(hmtx + 4 * g, t16(f, f->hmtx, 4 * g));
      wr16(hmtx + 4 * g + 2, t16(f, f->hmtx, 4 * g + 2));
    } else { /* only left side bearings; nhm == f->num_hmetrics here */
      wr16(hmtx + 4 * nhm + 2 * (g - nhm), t16(f, f->hmtx, 4 * nhm + 2 * (g - nhm)));
    }
  }
  memcpy(head, f->data + f->head.off, f->head.len);
  memcpy(hhea, f->data + f->hhea.off, f->hhea.len);
  memcpy(maxp, f->data + f->maxp.off, f->maxp.len);
  wr32(head + 8, 0); /* checkSumAdjustment, filled in last */
  wr16(head + 50, (uint16_t)long_loca);
  wr16(hhea + 34, (uint16_t)nhm);
  wr16(maxp + 4, (uint16_t)newn);

  tables[nt++] = (out_table){TAG('h', 'e', 'a', 'd'), head, f->head.len};
  tables[nt++] = (out_table){TAG('h', 'h', 'e', 'a'), hhea, f->hhea.len};
  tables[nt++] = (out_table){TAG('m', 'a', 'x', 'p'), maxp, f->maxp.len};
  tables[nt++] = (out_table){TAG('h', 'm', 't', 'x'), hmtx, hmtx_len};
  tables[nt++] = (out_table){TAG('l', 'o', 'c', 'a'), loca, loca_len};
  tables[nt++] = (out_table){TAG('g', 'l', 'y', 'f'), glyf, glyf_len};
  if (f->cvt.len) tables[nt++] = (out_table){TAG('c', 'v', 't', ' '), f->data + f->cvt.off, f->cvt.len};
  if (f->fpgm.len) tables[nt++] = (out_table){TAG('f', 'p', 'g', 'm'), f->data + f->fpgm.off, f->fpgm.len};
  if (f->prep.len) tables[nt++] = (out_table){TAG('p', 'r', 'e', 'p'), f->data + f->prep.off, f->prep.len};
  qsort(tables, nt, sizeof *tables, table_cmp); /* the directory must be sorted by tag */

  size_t total = 12 + 16 * nt;
  for (size_t i = 0; i < nt; i++) total += pad4(tables[i].len);
  out = calloc(total, 1);
  if (!out) goto done;
  size_t pow2 = 1, log2 = 0;
  while (pow2 * 2 <= nt) {
    pow2 *= 2;
    log2++;
  }
  wr32(out, 0x00010000u);
  wr16(out + 4, (uint16_t)nt);
  wr16(out + 6, (uint16_t)(pow2 * 16));
  wr16(out + 8, (uint16_t)log2);
  wr16(out + 10, (uint16_t)(nt * 16 - pow2 * 16));
  size_t pos = 12 + 16 * nt, head_pos = 0;
  for (size_t i = 0; i < nt; i++) {
    unsigned char *e = out + 12 + 16 * i;
    wr32(e, tables[i].tag);
    wr32(e + 4, checksum(tables[i].data, tables[i].len));
    wr32(e + 8, (uint32_t)pos);
    wr32(e + 12, (uint32_t)tables[i].len);
    if (tables[i].len) memcpy(out + pos, tables[i].data, tables[i].len);
    if (tables[i].tag == TAG('h', 'e', 'a', 'd')) head_pos = pos;
    pos += pad4(tables[i].len);
  }
  wr32(out + head_pos + 8, 0xB1B0AFBAu - checksum(out, total));
  *out_len = total;

done:
  free(keep);
  free(head);
  free(hhea);
  free(maxp);
  free(hmtx);
  free(loca);
  free(glyf);
  return out;
}
