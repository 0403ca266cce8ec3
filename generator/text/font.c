/* font.c - a bounds-checked TrueType parser: tables, metrics, cmap and subsetting (kerning: font_kern.c). */
#include "text/font.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text/font_internal.h"
#include "util/i18n.h"

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

/* ---- loading ---- */

static const char *parse(font *f) {
  const unsigned char *d = f->data;
  size_t n = f->len;
  if (n < 12) return N_("too short to be a font");
  uint32_t version = rd32(d, n, 0);
  if (version == TAG('O', 'T', 'T', 'O'))
    return N_("CFF-flavoured OpenType ('OTTO') is not supported; use a TrueType (glyf) font");
  if (version == TAG('t', 't', 'c', 'f')) return N_("font collections (.ttc) are not supported");
  if (version != 0x00010000u && version != TAG('t', 'r', 'u', 'e')) return N_("not a TrueType font");
  size_t ntables = rd16(d, n, 4);
  if (ntables == 0 || ntables > MAX_TABLES) return N_("bad table count");
  if (12 + 16 * ntables > n) return N_("truncated table directory");
  for (size_t i = 0; i < ntables; i++) {
    size_t e = 12 + 16 * i;
    uint32_t tag = rd32(d, n, e);
    span s = {rd32(d, n, e + 8), rd32(d, n, e + 12)};
    if (s.off > n || s.len > n - s.off) return N_("a table extends past the end of the file (truncated?)");
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
    case TAG('C', 'F', 'F', ' '):
      return N_("CFF outlines are not supported; use a TrueType (glyf) font");
    default: break;
    }
    if (slot && slot->off == 0) *slot = s;
  }
  if (!f->glyf.off || !f->loca.off) return N_("no 'glyf'/'loca' tables (not a TrueType-outline font)");
  if (f->head.len < 54) return N_("missing or short 'head' table");
  if (f->hhea.len < 36) return N_("missing or short 'hhea' table");
  if (f->maxp.len < 6) return N_("missing or short 'maxp' table");
  if (t32(f, f->head, 12) != 0x5F0F3CF5u) return N_("bad 'head' magic number");
  font_metrics *m = &f->m;
  m->units_per_em = t16(f, f->head, 18);
  if (m->units_per_em < 16 || m->units_per_em > 16384) return N_("unitsPerEm out of range");
  for (int i = 0; i < 4; i++) m->bbox[i] = s16(t16(f, f->head, 36 + 2 * (size_t)i));
  int loca_format = s16(t16(f, f->head, 50));
  if (loca_format != 0 && loca_format != 1) return N_("bad indexToLocFormat");
  f->long_loca = loca_format == 1;

  f->num_glyphs = t16(f, f->maxp, 4);
  if (f->num_glyphs == 0) return N_("font has no glyphs");
  if (f->loca.len < ((size_t)f->num_glyphs + 1) * (f->long_loca ? 4 : 2)) return N_("'loca' table too short");
  f->num_hmetrics = t16(f, f->hhea, 34);
  if (f->num_hmetrics == 0) return N_("numberOfHMetrics is 0");
  if (f->num_hmetrics > f->num_glyphs) f->num_hmetrics = f->num_glyphs;
  if (f->hmtx.len < 4 * (size_t)f->num_hmetrics) return N_("'hmtx' table too short");
  f->advances = malloc((size_t)f->num_glyphs * sizeof *f->advances);
  if (!f->advances) return N_("out of memory");
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
  if (font_read_gpos(f)) return N_("out of memory");
  if (!f->pair_count && font_read_kern(f)) return N_("out of memory");
  font_build_kern_matrix(f); /* optional: without it font_kerning takes the slow path */
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
    set_err(err, errlen, name, _("out of memory"));
    return NULL;
  }
  f->data = data;
  f->len = len;
  f->path = path;
  const char *why = parse(f);
  if (why) {
    set_err(err, errlen, name, "%s", _(why));
    font_free(f);
    return NULL;
  }
  return f;
}

font *font_load(const char *path, char *err, size_t errlen) {
  /* Only a regular file is read: opening a FIFO for reading would block
   * until a writer comes, so open without blocking and look first. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    set_err(err, errlen, path, _("cannot open: %s"), strerror(errno));
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    set_err(err, errlen, path, _("not a regular file"));
    return NULL;
  }
  FILE *fp = fdopen(fd, "rb");
  if (!fp) {
    close(fd);
    set_err(err, errlen, path, _("cannot open: %s"), strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, len = 0;
  unsigned char *buf = malloc(cap);
  const char *why = buf ? NULL : N_("out of memory");
  while (!why) {
    if (len == cap) {
      unsigned char *nb = cap >= MAX_FONT_BYTES ? NULL : realloc(buf, cap * 2);
      if (!nb) {
        why = N_("file too large (or out of memory)");
        break;
      }
      buf = nb;
      cap *= 2;
    }
    size_t got = fread(buf + len, 1, cap - len, fp);
    len += got;
    if (got == 0) break;
  }
  if (!why && ferror(fp)) why = N_("read error");
  fclose(fp);
  if (why) {
    set_err(err, errlen, path, "%s", _(why));
    free(buf);
    return NULL;
  }
  return load_owned(buf, len, path, err, errlen);
}

font *font_load_memory(const unsigned char *data, size_t len, const char *name, char *err, size_t errlen) {
  unsigned char *copy = malloc(len ? len : 1);
  if (!copy) {
    set_err(err, errlen, name, _("out of memory"));
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
