/* pdf_font.c - embeds a subset TrueType font as Type0/CIDFontType2 through libharu's object API. */
#include "pdf/pdf_font.h"

#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

#define MAX_SEQ 16         /* code points per glyph in ToUnicode (ligatures) */
#define MULTI 0x80000000u  /* map[] entry refers to seq[] instead of being a code point */
#define BFCHAR_BLOCK 100   /* the CMap format's limit per beginbfchar */
#define W_RUN_MAX 8000     /* keeps /W sub-arrays well below HPDF_LIMIT_MAX_ARRAY */

struct pdf_font {
  HPDF_Doc doc;
  const font *f;
  HPDF_Dict type0;
  uint16_t nglyphs;
  unsigned char *used; /* bitmap, one bit per glyph id */
  uint32_t *map;       /* per glyph: 0 none, a code point, or MULTI | index into seq */
  uint32_t *seq;       /* runs of [count, cp...] for glyphs standing for several code points */
  size_t seq_len, seq_cap;
  /* Extra CIDs past the glyph ids, each a glyph standing for another code
   * point than its first use (a no-break space drawn with the space glyph,
   * a substitute for a character no font has): CID nglyphs + i shows
   * alias_glyph[i] and reads as alias_cp[i]. */
  uint16_t *alias_glyph;
  uint32_t *alias_cp;
  int alias_count, alias_cap;
  int finished;
};

static int is_used(const pdf_font *pf, size_t g) { return pf->used[g >> 3] & (0x80 >> (g & 7)); }

static int valid_cp(uint32_t cp) { return cp > 0 && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF); }

/* Font units to PDF glyph space (1000/em), rounded half away from zero. */
static int scale(const font *f, long v) {
  long u = font_get_metrics(f)->units_per_em;
  return (int)(v >= 0 ? (v * 1000 + u / 2) / u : -((-v * 1000 + u / 2) / u));
}

static int glyph_width(const font *f, uint16_t g) { return scale(f, font_advance(f, g)); }

/* HPDF_Xref_Add frees the dictionary itself when it fails. */
static HPDF_Dict new_indirect(pdf_font *pf) {
  HPDF_Dict d = HPDF_Dict_New(pf->doc->mmgr);
  return d && HPDF_Xref_Add(pf->doc->xref, d) == HPDF_OK ? d : NULL;
}

pdf_font *pdf_font_new(HPDF_Doc doc, const font *f) {
  if (!HPDF_HasDoc(doc) || !f) return NULL;
  pdf_font *pf = calloc(1, sizeof *pf);
  if (!pf) return NULL;
  pf->doc = doc;
  pf->f = f;
  pf->nglyphs = font_glyph_count(f);
  pf->used = calloc(((size_t)pf->nglyphs + 7) / 8, 1);
  pf->map = calloc(pf->nglyphs, sizeof *pf->map);
  /* Indirect from the start so pages can refer to it before it is filled. */
  if (!pf->used || !pf->map || !(pf->type0 = new_indirect(pf))) {
    pdf_font_free(pf);
    return NULL;
  }
  return pf;
}

HPDF_Dict pdf_font_dict(pdf_font *pf) { return pf->type0; }

/* The CID that shows glyph and reads as cp, when the glyph itself already
 * reads as another single code point: an alias, new or recorded. */
static uint16_t alias_for(pdf_font *pf, uint16_t glyph, uint32_t cp) {
  for (int i = 0; i < pf->alias_count; i++)
    if (pf->alias_glyph[i] == glyph && pf->alias_cp[i] == cp) return (uint16_t)(pf->nglyphs + i);
  if ((long)pf->nglyphs + pf->alias_count >= 0xFFFF) return glyph; /* no CID left: first mapping wins */
  if (pf->alias_count == pf->alias_cap) {
    int cap = pf->alias_cap ? pf->alias_cap * 2 : 8;
    uint16_t *g = realloc(pf->alias_glyph, sizeof *g * (size_t)cap);
    if (g) pf->alias_glyph = g;
    uint32_t *c = realloc(pf->alias_cp, sizeof *c * (size_t)cap);
    if (c) pf->alias_cp = c;
    if (!g || !c) return glyph;
    pf->alias_cap = cap;
  }
  pf->alias_glyph[pf->alias_count] = glyph;
  pf->alias_cp[pf->alias_count] = cp;
  return (uint16_t)(pf->nglyphs + pf->alias_count++);
}

uint16_t pdf_font_use(pdf_font *pf, uint16_t glyph, const uint32_t *codepoints, int count) {
  if (glyph >= pf->nglyphs || pf->finished) return glyph;
  pf->used[glyph >> 3] |= (unsigned char)(0x80 >> (glyph & 7));
  if (count <= 0 || !codepoints) return glyph;
  if (pf->map[glyph]) {
    uint32_t m = pf->map[glyph];
    if (count == 1 && !(m & MULTI) && m != codepoints[0] && valid_cp(codepoints[0]))
      return alias_for(pf, glyph, codepoints[0]);
    return glyph;
  }
  if (count == 1) {
    if (valid_cp(codepoints[0])) pf->map[glyph] = codepoints[0];
    return glyph;
  }
  if (count > MAX_SEQ) count = MAX_SEQ;
  if (pf->seq_len + (size_t)count + 1 > pf->seq_cap) {
    size_t cap = pf->seq_cap ? pf->seq_cap * 2 : 256;
    uint32_t *p = realloc(pf->seq, cap * sizeof *p);
    if (!p) return glyph; /* only the ToUnicode entry is lost */
    pf->seq = p;
    pf->seq_cap = cap;
  }
  size_t at = pf->seq_len, k = 0;
  for (int i = 0; i < count; i++)
    if (valid_cp(codepoints[i])) pf->seq[at + 1 + k++] = codepoints[i];
  if (k == 0) return glyph;
  pf->seq[at] = (uint32_t)k;
  pf->seq_len += k + 1;
  pf->map[glyph] = MULTI | (uint32_t)at;
  return glyph;
}

/* ---- pieces written at finish ---- */

static HPDF_Dict new_stream(pdf_font *pf) {
  HPDF_Dict s = HPDF_DictStream_New(pf->doc->mmgr, pf->doc->xref);
  if (s) s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  return s;
}

static int write_str(HPDF_Stream s, const char *text) { return HPDF_Stream_WriteStr(s, text) != HPDF_OK; }

/* UTF-16BE hex of one code point into out (at least 9 bytes). */
static int utf16_hex(uint32_t cp, char *out) {
  if (cp < 0x10000) return snprintf(out, 9, "%04X", (unsigned)cp);
  cp -= 0x10000;
  return snprintf(out, 9, "%04X%04X", (unsigned)(0xD800 + (cp >> 10)), (unsigned)(0xDC00 + (cp & 0x3FF)));
}

static HPDF_Dict build_tounicode(pdf_font *pf) {
  HPDF_Dict s = new_stream(pf);
  if (!s) return NULL;
  HPDF_Stream st = s->stream;
  int bad = write_str(st, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                          "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                          "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                          "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  size_t total = 0;
  for (size_t g = 1; g < pf->nglyphs; g++) /* .notdef stands for no text */
    total += is_used(pf, g) && pf->map[g];
  size_t aliases = (size_t)pf->alias_count;
  size_t left = total, g = 1;
  /* the aliases follow the glyphs, in blocks of their own */
  while (aliases && !bad) {
    size_t block = aliases < BFCHAR_BLOCK ? aliases : BFCHAR_BLOCK, first = (size_t)pf->alias_count - aliases;
    char line[48];
    snprintf(line, sizeof line, "%u beginbfchar\n", (unsigned)block);
    bad |= write_str(st, line);
    for (size_t i = first; i < first + block; i++) {
      int n = snprintf(line, sizeof line, "<%04X> <", (unsigned)(pf->nglyphs + i));
      n += utf16_hex(pf->alias_cp[i], line + n);
      memcpy(line + n, ">\n", 3);
      bad |= write_str(st, line);
    }
    bad |= write_str(st, "endbfchar\n");
    aliases -= block;
  }
  while (left && !bad) {
    size_t block = left < BFCHAR_BLOCK ? left : BFCHAR_BLOCK;
    char line[16 + MAX_SEQ * 8 + 8];
    snprintf(line, sizeof line, "%u beginbfchar\n", (unsigned)block);
    bad |= write_str(st, line);
    for (size_t k = 0; k < block; g++) {
      if (!is_used(pf, g) || !pf->map[g]) continue;
      uint32_t m = pf->map[g];
      int n = snprintf(line, sizeof line, "<%04X> <", (unsigned)g);
      if (m & MULTI) {
        const uint32_t *sq = pf->seq + (m & ~MULTI);
        for (uint32_t i = 0; i < sq[0]; i++) n += utf16_hex(sq[1 + i], line + n);
      } else {
        n += utf16_hex(m, line + n);
      }
      memcpy(line + n, ">\n", 3);
      bad |= write_str(st, line);
      k++;
    }
    bad |= write_str(st, "endbfchar\n");
    left -= block;
  }
  bad |= write_str(st, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
  return bad ? NULL : s;
}

/* /W as runs of consecutive used glyphs: c [w1 w2 ...]. */
static HPDF_Array build_widths(pdf_font *pf) {
  HPDF_MMgr mm = pf->doc->mmgr;
  HPDF_Array w = HPDF_Array_New(mm), run = NULL;
  size_t run_len = 0;
  if (!w) return NULL;
  /* On failure w is not attached anywhere yet, so freeing it frees the runs too. */
  for (size_t g = 0; g < pf->nglyphs; g++) {
    if (!is_used(pf, g)) {
      run = NULL;
      continue;
    }
    if (!run || run_len >= W_RUN_MAX) {
      run = HPDF_Array_New(mm);
      if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)g) != HPDF_OK) {
        if (run) HPDF_Array_Free(run);
        HPDF_Array_Free(w);
        return NULL;
      }
      if (HPDF_Array_Add(w, run) != HPDF_OK) { /* frees run itself */
        HPDF_Array_Free(w);
        return NULL;
      }
      run_len = 0;
    }
    if (HPDF_Array_AddNumber(run, glyph_width(pf->f, (uint16_t)g)) != HPDF_OK) {
      HPDF_Array_Free(w);
      return NULL;
    }
    run_len++;
  }
  if (pf->alias_count) {
    run = HPDF_Array_New(mm);
    if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)pf->nglyphs) != HPDF_OK || HPDF_Array_Add(w, run) != HPDF_OK) {
      HPDF_Array_Free(w);
      return NULL;
    }
    for (int i = 0; i < pf->alias_count; i++)
      if (HPDF_Array_AddNumber(run, glyph_width(pf->f, pf->alias_glyph[i])) != HPDF_OK) {
        HPDF_Array_Free(w);
        return NULL;
      }
  }
  return w;
}

/* Marks glyph ids whose outline survives in the subset (composite components included). */
static void mark_present(const unsigned char *ttf, size_t len, unsigned char *present, size_t n) {
  size_t ntables = len >= 12 ? (size_t)(ttf[4] << 8 | ttf[5]) : 0, loca = 0, loca_len = 0, long_loca = 0;
  for (size_t i = 0; i < ntables && 12 + 16 * i + 16 <= len; i++) {
    const unsigned char *e = ttf + 12 + 16 * i;
    size_t off = (size_t)e[8] << 24 | (size_t)e[9] << 16 | (size_t)e[10] << 8 | e[11];
    size_t tlen = (size_t)e[12] << 24 | (size_t)e[13] << 16 | (size_t)e[14] << 8 | e[15];
    if (off > len || tlen > len - off) continue;
    if (!memcmp(e, "loca", 4)) {
      loca = off;
      loca_len = tlen;
    } else if (!memcmp(e, "head", 4) && tlen >= 54) {
      long_loca = ttf[off + 51];
    }
  }
  size_t step = long_loca ? 4 : 2;
  for (size_t g = 0; g < n && (g + 2) * step <= loca_len; g++) {
    const unsigned char *p = ttf + loca + g * step;
    size_t a = long_loca ? (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3] : (size_t)(p[0] << 8 | p[1]);
    size_t b = long_loca ? (size_t)p[4] << 24 | (size_t)p[5] << 16 | (size_t)p[6] << 8 | p[7] : (size_t)(p[2] << 8 | p[3]);
    if (b > a) present[g] = 1;
  }
}

/* CIDSet: one bit per CID up to the highest glyph in the font program, high bit first. */
static HPDF_Dict build_cidset(pdf_font *pf, const unsigned char *present) {
  size_t top = 0;
  for (size_t g = 0; g < pf->nglyphs; g++)
    if (present[g]) top = g;
  if (pf->alias_count) top = pf->nglyphs + (size_t)pf->alias_count - 1; /* aliases show used glyphs */
  size_t nbytes = top / 8 + 1;
  unsigned char *bits = calloc(nbytes, 1);
  HPDF_Dict s = bits ? new_stream(pf) : NULL;
  if (s) {
    for (size_t g = 0; g <= top; g++)
      if (g >= pf->nglyphs || present[g]) bits[g >> 3] |= (unsigned char)(0x80 >> (g & 7));
    if (HPDF_Stream_Write(s->stream, bits, (HPDF_UINT)nbytes) != HPDF_OK) s = NULL;
  }
  free(bits);
  return s;
}

static void subset_tag(const pdf_font *pf, char tag[8]) {
  uint64_t h = 0xcbf29ce484222325u; /* FNV-1a over the used glyph ids, big-endian */
  for (size_t g = 0; g < pf->nglyphs; g++) {
    if (!is_used(pf, g)) continue;
    h = (h ^ (g >> 8)) * 0x100000001b3u;
    h = (h ^ (g & 0xFF)) * 0x100000001b3u;
  }
  for (int i = 0; i < 6; i++) {
    tag[i] = (char)('A' + h % 26);
    h /= 26;
  }
  tag[6] = '+';
  tag[7] = '\0';
}

int pdf_font_finish(pdf_font *pf, char *err, size_t errlen) {
  const font *f = pf->f;
  const font_metrics *m = font_get_metrics(f);
  HPDF_MMgr mm = pf->doc->mmgr;
  unsigned char *used = NULL, *present = NULL, *ttf = NULL;
  size_t ttf_len = 0;
  HPDF_Dict file, cidset, tounicode, desc, cid, sysinfo = NULL;
  HPDF_Array widths = NULL, bbox = NULL, descendants = NULL;
  const char *why = NULL;
  if (pf->finished) {
    if (err && errlen) snprintf(err, errlen, _("%s: font finished twice"), font_path(f));
    return -1;
  }
  pf->finished = 1;
  used = calloc(pf->nglyphs, 1);
  present = calloc(pf->nglyphs, 1);
  if (!used || !present) {
    why = N_("out of memory");
    goto done;
  }
  for (size_t g = 0; g < pf->nglyphs; g++) used[g] = present[g] = is_used(pf, g) != 0;
  present[0] = 1;
  ttf = font_subset(f, used, &ttf_len);
  if (!ttf) {
    why = N_("cannot subset the font");
    goto done;
  }
  mark_present(ttf, ttf_len, present, pf->nglyphs);

  char name[8 + 64];
  subset_tag(pf, name);
  strncat(name, font_postscript_name(f), sizeof name - strlen(name) - 1);

  /* Streams and indirect dictionaries belong to the xref as soon as they exist. */
  file = new_stream(pf);
  cidset = build_cidset(pf, present);
  tounicode = build_tounicode(pf);
  desc = new_indirect(pf);
  cid = new_indirect(pf);
  sysinfo = HPDF_Dict_New(mm);
  widths = build_widths(pf);
  bbox = HPDF_Array_New(mm);
  descendants = HPDF_Array_New(mm);
  if (!file || !cidset || !tounicode || !desc || !cid || !sysinfo || !widths || !bbox || !descendants) {
    why = N_("cannot create PDF objects");
    goto done;
  }
  int bad = HPDF_Stream_Write(file->stream, ttf, (HPDF_UINT)ttf_len) != HPDF_OK;
  bad |= HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)ttf_len) != HPDF_OK;

  int flags = 4; /* Symbolic: glyphs are addressed by CID, not a standard encoding */
  if (m->is_fixed_pitch) flags |= 1;
  if (m->is_serif) flags |= 2;
  if (m->italic_angle != 0) flags |= 64;
  for (int i = 0; i < 4; i++) bad |= HPDF_Array_AddNumber(bbox, scale(f, m->bbox[i])) != HPDF_OK;
  bad |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor") != HPDF_OK;
  bad |= HPDF_Dict_AddName(desc, "FontName", name) != HPDF_OK;
  bad |= HPDF_Dict_AddNumber(desc, "Flags", flags) != HPDF_OK;
  bad |= HPDF_Dict_Add(desc, "FontBBox", bbox) != HPDF_OK;
  bad |= HPDF_Dict_AddReal(desc, "ItalicAngle", (HPDF_REAL)m->italic_angle) != HPDF_OK;
  bad |= HPDF_Dict_AddNumber(desc, "Ascent", scale(f, m->ascender)) != HPDF_OK;
  bad |= HPDF_Dict_AddNumber(desc, "Descent", scale(f, m->descender)) != HPDF_OK;
  bad |= HPDF_Dict_AddNumber(desc, "CapHeight", scale(f, m->cap_height)) != HPDF_OK;
  bad |= HPDF_Dict_AddNumber(desc, "XHeight", scale(f, m->x_height)) != HPDF_OK;
  bad |= HPDF_Dict_AddNumber(desc, "StemV", scale(f, m->stem_v)) != HPDF_OK;
  bad |= HPDF_Dict_Add(desc, "FontFile2", file) != HPDF_OK;
  bad |= HPDF_Dict_Add(desc, "CIDSet", cidset) != HPDF_OK;

  bad |= HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(mm, "Adobe", NULL)) != HPDF_OK;
  bad |= HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(mm, "Identity", NULL)) != HPDF_OK;
  bad |= HPDF_Dict_AddNumber(sysinfo, "Supplement", 0) != HPDF_OK;
  bad |= HPDF_Dict_AddName(cid, "Type", "Font") != HPDF_OK;
  bad |= HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2") != HPDF_OK;
  bad |= HPDF_Dict_AddName(cid, "BaseFont", name) != HPDF_OK;
  bad |= HPDF_Dict_Add(cid, "CIDSystemInfo", sysinfo) != HPDF_OK;
  bad |= HPDF_Dict_Add(cid, "FontDescriptor", desc) != HPDF_OK;
  bad |= HPDF_Dict_AddNumber(cid, "DW", glyph_width(f, 0)) != HPDF_OK;
  bad |= HPDF_Dict_Add(cid, "W", widths) != HPDF_OK;
  if (pf->alias_count) { /* glyph ids as they are, then each alias's glyph */
    HPDF_Dict map = new_stream(pf);
    bad |= !map;
    for (size_t c = 0; map && !bad && c < pf->nglyphs + (size_t)pf->alias_count; c++) {
      uint16_t g = c < pf->nglyphs ? (uint16_t)c : pf->alias_glyph[c - pf->nglyphs];
      unsigned char be[2] = {(unsigned char)(g >> 8), (unsigned char)g};
      bad |= HPDF_Stream_Write(map->stream, be, 2) != HPDF_OK;
    }
    if (map) bad |= HPDF_Dict_Add(cid, "CIDToGIDMap", map) != HPDF_OK;
  } else {
    bad |= HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity") != HPDF_OK;
  }

  bad |= HPDF_Array_Add(descendants, cid) != HPDF_OK;
  bad |= HPDF_Dict_AddName(pf->type0, "Type", "Font") != HPDF_OK;
  bad |= HPDF_Dict_AddName(pf->type0, "Subtype", "Type0") != HPDF_OK;
  bad |= HPDF_Dict_AddName(pf->type0, "BaseFont", name) != HPDF_OK;
  bad |= HPDF_Dict_AddName(pf->type0, "Encoding", "Identity-H") != HPDF_OK;
  bad |= HPDF_Dict_Add(pf->type0, "DescendantFonts", descendants) != HPDF_OK;
  bad |= HPDF_Dict_Add(pf->type0, "ToUnicode", tounicode) != HPDF_OK;
  /* Ownership has passed to the document (directly or through the xref). */
  sysinfo = NULL;
  widths = bbox = descendants = NULL;
  if (bad) why = N_("libharu refused a font object");

done:
  if (why) {
    /* Objects not yet attached are not in the xref and would leak. */
    if (sysinfo) HPDF_Dict_Free(sysinfo);
    if (widths) HPDF_Array_Free(widths);
    if (bbox) HPDF_Array_Free(bbox);
    if (descendants) HPDF_Array_Free(descendants);
    if (err && errlen)
      snprintf(err, errlen, _("%s: %s (libharu status 0x%04lX)"), font_path(f), _(why),
               (unsigned long)HPDF_GetError(pf->doc));
  }
  free(used);
  free(present);
  free(ttf);
  return why ? -1 : 0;
}

void pdf_font_free(pdf_font *pf) {
  if (!pf) return;
  free(pf->used);
  free(pf->map);
  free(pf->seq);
  free(pf->alias_glyph);
  free(pf->alias_cp);
  free(pf);
}
