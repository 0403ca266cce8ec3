/* glyphs.c - reporting characters no font of a style has. */
#include "layout/glyphs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/utf8.h"

/* Past this many reported (element, character) pairs the rest are only
 * counted: a document full of one odd character gets a summary, not a
 * flood, and the look-up stays cheap. */
enum { MISSES_LISTED = 100 };

typedef struct glyph_miss {
  int node_id; /* 0: text not from a model node */
  uint32_t cp;
} glyph_miss;

struct glyph_misses {
  glyph_miss listed[MISSES_LISTED];
  int count;
  long unlisted;
  /* ASCII coverage of the face checked last: most text is ASCII, and one
   * bit test is cheaper than a cmap look-up per letter */
  int ascii_face; /* -1: none yet */
  uint64_t ascii[2];
};

static void cache_ascii(layout_ctx *ctx, struct glyph_misses *m, int face) {
  m->ascii_face = face;
  m->ascii[0] = m->ascii[1] = 0;
  for (uint32_t cp = 0x20; cp < 0x80; cp++)
    if (fontset_covers(ctx->fonts, face, cp)) m->ascii[cp >> 6] |= (uint64_t)1 << (cp & 63);
}

/* The families of a face as the message names them. */
static void families(const layout_ctx *ctx, int face_index, char *out, size_t size) {
  const face *f = &ctx->fonts->faces[face_index];
  int n = snprintf(out, size, "\"%s\"", f->family);
  const char *fb = f->fallback_families ? f->fallback_families : "";
  if (!*fb || n < 0 || (size_t)n >= size) {
    if (n >= 0 && (size_t)n < size) snprintf(out + n, size - (size_t)n, "%s", _(" (no fallback fonts)"));
    return;
  }
  n += snprintf(out + n, size - (size_t)n, "%s", _(" nor the fallback fonts ("));
  for (const char *p = fb; *p && (size_t)n < size;) { /* newline-separated */
    const char *end = strchr(p, '\n');
    int len = end ? (int)(end - p) : (int)strlen(p);
    n += snprintf(out + n, size - (size_t)n, "%s%.*s", p == fb ? "" : ", ", len, p);
    p = end ? end + 1 : p + len;
  }
  if ((size_t)n < size) snprintf(out + n, size - (size_t)n, ")");
}

static void report(layout_ctx *ctx, int face, uint32_t cp) {
  const node *at = ctx->source;
  char ch[8] = "", shown[8] = "", names[512], how[160];
  int n = utf8_encode(cp, ch);
  ch[n > 0 ? n : 0] = '\0';
  families(ctx, face, names, sizeof names);
  uint16_t g;
  int fi = fontset_font_for(ctx->fonts, face, cp, &g);
  const char *file = font_path(ctx->fonts->fonts[fi]), *base = strrchr(file, '/');
  base = base ? base + 1 : file;
  if (g && font_glyph(ctx->fonts->fonts[fi], cp) == g) {
    snprintf(how, sizeof how, _("shown from the bundled %s"), base);
  } else if (g) {
    uint32_t sub = font_glyph(ctx->fonts->fonts[fi], 0xFFFD) == g ? 0xFFFD : '?';
    n = utf8_encode(sub, shown);
    shown[n > 0 ? n : 0] = '\0';
    snprintf(how, sizeof how, _("shown as U+%04X '%s' from %s, read as U+%04X"), (unsigned)sub, shown, base,
             (unsigned)cp);
  } else {
    snprintf(how, sizeof how, "%s", _("no font has a replacement character either"));
  }
  diag_warning(ctx->sink, ctx->doc->file, at ? at->line : 0, at ? at->column : 0,
               _("character U+%04X '%s' is in neither font %s; %s"), (unsigned)cp, ch, names, how);
}

void layout_check_glyphs(layout_ctx *ctx, int face, const char *text, int length) {
  if (face < 0) return;
  struct glyph_misses *m = ctx->misses;
  if (!m) {
    if (!(m = ctx->misses = calloc(1, sizeof *m))) {
      ctx->failed = 1;
      return;
    }
    m->ascii_face = -1;
  }
  if (m->ascii_face != face) cache_ascii(ctx, m, face);
  for (int i = 0; i < length;) {
    uint32_t cp = (unsigned char)text[i];
    if (cp < 0x80) {
      i++;
      if (cp < 0x20 || (m->ascii[cp >> 6] >> (cp & 63) & 1)) continue;
    } else {
      int n;
      cp = utf8_decode(text + i, (size_t)(length - i), &n);
      i += n > 0 ? n : 1;
      if (fontset_covers(ctx->fonts, face, cp)) continue;
    }
    int id = ctx->source ? ctx->source->id : 0, seen = 0;
    for (int k = 0; k < m->count && !seen; k++) seen = m->listed[k].node_id == id && m->listed[k].cp == cp;
    if (seen) continue;
    if (m->count == MISSES_LISTED) {
      m->unlisted++;
      continue;
    }
    m->listed[m->count++] = (glyph_miss){id, cp};
    report(ctx, face, cp);
  }
}

void layout_glyphs_release(layout_ctx *ctx) {
  struct glyph_misses *m = ctx->misses;
  if (!m) return;
  if (m->unlisted)
    diag_warning(ctx->sink, ctx->doc->file, 0, 0,
                 _("%ld more characters are in none of their style's fonts (not listed: only the first %d "
                   "places are)"),
                 m->unlisted, MISSES_LISTED);
  free(m);
  ctx->misses = NULL;
}
