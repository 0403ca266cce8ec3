/* fontset.c - fontconfig look-ups and the font cache. */
#include "text/fontset.h"

#include <dirent.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/grow.h"

fontset *fontset_new(const char *font_dir) {
  fontset *fs = calloc(1, sizeof *fs);
  if (!fs) return NULL;
  fs->font_dir = font_dir ? strdup(font_dir) : NULL;
  return fs;
}

void fontset_free(fontset *fs) {
  if (!fs) return;
  for (int i = 0; i < fs->font_count; i++) font_free(fs->fonts[i]);
  for (int i = 0; i < fs->face_count; i++) {
    free((char *)fs->faces[i].family);
    free((char *)fs->faces[i].fallback_families);
  }
  if (fs->system_config) FcConfigDestroy(fs->system_config);
  if (fs->bundled_set) FcFontSetDestroy(fs->bundled_set);
  if (fs->empty_config) FcConfigDestroy(fs->empty_config);
  free(fs->fonts);
  free(fs->digit_advance);
  free(fs->faces);
  free((char *)fs->font_dir);
  free(fs);
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The bundled fonts as a font set read straight from the files: no
 * fontconfig cache to write, and the same answer on every machine. */
static FcFontSet *bundled_set(fontset *fs) {
  if (fs->bundled_set || !fs->font_dir) return fs->bundled_set;
  FcFontSet *set = FcFontSetCreate();
  DIR *dir = opendir(fs->font_dir);
  if (!set || !dir) {
    if (dir) closedir(dir);
    if (set) FcFontSetDestroy(set);
    return NULL;
  }
  char *names[256];
  int n = 0;
  for (struct dirent *e; (e = readdir(dir)) && n < 256;) {
    size_t len = strlen(e->d_name);
    if (len > 4 && (strcasecmp(e->d_name + len - 4, ".ttf") == 0)) names[n++] = strdup(e->d_name);
  }
  closedir(dir);
  qsort(names, (size_t)n, sizeof *names, compare_names); /* directory order is not stable */
  for (int i = 0; i < n; i++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", fs->font_dir, names[i] ? names[i] : "");
    int count = 0;
    FcPattern *p = names[i] ? FcFreeTypeQuery((const FcChar8 *)path, 0, NULL, &count) : NULL;
    if (p && !FcFontSetAdd(set, p)) FcPatternDestroy(p);
    free(names[i]);
  }
  fs->bundled_set = set;
  return set;
}

static FcConfig *system_config(fontset *fs) {
  if (!fs->system_config) fs->system_config = FcInitLoadConfigAndFonts();
  return fs->system_config;
}

/* File of the best match whose family really is the one asked for:
 * fontconfig always answers with something, even for a family it lacks. */
/* File of the best match whose family really is the one asked for:
 * fontconfig always answers with something, even for a family it lacks.
 * *exact tells whether weight and slant are as asked. */
static char *match_file(FcConfig *config, FcFontSet *set, const char *family, int bold, int italic,
                        int *exact) {
  *exact = 0;
  if (!config) return NULL;
  FcPattern *pat = FcPatternCreate();
  if (!pat) return NULL;
  FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
  FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
  FcPatternAddInteger(pat, FC_SLANT, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
  FcConfigSubstitute(config, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult result;
  FcPattern *match = set ? FcFontSetMatch(config, &set, 1, pat, &result) : FcFontMatch(config, pat, &result);
  FcPatternDestroy(pat);
  if (!match) return NULL;
  char *path = NULL;
  FcChar8 *got_family = NULL, *file = NULL;
  for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &got_family) == FcResultMatch; i++) {
    if (strcasecmp((const char *)got_family, family) == 0) {
      if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) path = strdup((const char *)file);
      break;
    }
  }
  int weight = 0, slant = 0;
  FcPatternGetInteger(match, FC_WEIGHT, 0, &weight);
  FcPatternGetInteger(match, FC_SLANT, 0, &slant);
  *exact = (weight >= FC_WEIGHT_DEMIBOLD) == (bold != 0) && (slant != FC_SLANT_ROMAN) == (italic != 0);
  FcPatternDestroy(match);
  return path;
}

static int load_font(fontset *fs, const char *path, diag_sink *sink, const char *file, int line, int column,
                     const char *family) {
  for (int i = 0; i < fs->font_count; i++)
    if (strcmp(font_path(fs->fonts[i]), path) == 0) return i;
  font **fonts = grow_heap(fs->fonts, &fs->font_capacity, fs->font_count + 1, sizeof *fonts, 8);
  if (fonts) fs->fonts = fonts;
  int *digits = grow_heap(fs->digit_advance, &fs->digit_capacity, fs->font_count + 1, sizeof *digits, 8);
  if (digits) fs->digit_advance = digits;
  if (!fonts || !digits) {
    diag_error(sink, file, line, column, "out of memory loading font family \"%s\"", family);
    return -1;
  }
  char err[256];
  font *f = font_load(path, err, sizeof err);
  if (!f) {
    diag_error(sink, file, line, column, "font family \"%s\": %s: %s", family, path, err);
    return -1;
  }
  fs->fonts[fs->font_count] = f;
  int widest = 0;
  for (uint32_t d = '0'; d <= '9'; d++) {
    int a = font_advance(f, font_glyph(f, d));
    if (a > widest) widest = a;
  }
  fs->digit_advance[fs->font_count] = widest;
  return fs->font_count++;
}

static int resolve(fontset *fs, const char *family, int bold, int italic, diag_sink *sink, const char *file,
                   int line, int column) {
  FcFontSet *bundled = bundled_set(fs);
  if (bundled && !fs->empty_config) fs->empty_config = FcConfigCreate();
  int exact = 0;
  char *path = bundled ? match_file(fs->empty_config, bundled, family, bold, italic, &exact) : NULL;
  /* bundled first; the system only for what is not bundled, e.g. a bold
   * of a family of which only the regular is bundled */
  if (!path || !exact) {
    int system_exact = 0;
    char *system = match_file(system_config(fs), NULL, family, bold, italic, &system_exact);
    if (system && (!path || system_exact)) {
      free(path);
      path = system;
    } else {
      free(system);
    }
  }
  if (!path) {
    diag_error(sink, file, line, column,
               "font family \"%s\" is not installed (fc-list lists the families there are)", family);
    return -1;
  }
  int index = load_font(fs, path, sink, file, line, column, family);
  free(path);
  return index;
}

int fontset_face(fontset *fs, const char *family, int bold, int italic, const char *const *fallbacks,
                 int fallback_count, diag_sink *sink, const char *file) {
  return fontset_face_at(fs, family, bold, italic, fallbacks, fallback_count, sink, file, 0, 0);
}

static int new_face(fontset *fs, const char *family, int bold, int italic, const char *const *fallbacks,
                    int fallback_count, diag_sink *sink, const char *file, int line, int column) {
  if (fs->face_count == FONTSET_MAX_FACES) {
    diag_error(sink, file, line, column, "more than %d font faces are in use", FONTSET_MAX_FACES);
    return -1;
  }
  face *faces = grow_heap(fs->faces, &fs->face_capacity, fs->face_count + 1, sizeof *faces, 8);
  if (!faces) {
    diag_error(sink, file, line, column, "out of memory loading font family \"%s\"", family);
    return -1;
  }
  fs->faces = faces;
  int primary = resolve(fs, family, bold, italic, sink, file, line, column);
  if (primary < 0) return -1;
  face *f = &fs->faces[fs->face_count];
  memset(f, 0, sizeof *f);
  f->bold = bold;
  f->italic = italic;
  f->font = primary;
  for (int i = 0; i < fallback_count && f->fallback_count < FACE_MAX_FALLBACKS; i++) {
    int fb = resolve(fs, fallbacks[i], bold, italic, sink, file, line, column);
    if (fb < 0) return -1;
    if (fb != primary) f->fallbacks[f->fallback_count++] = fb;
  }
  f->family = strdup(family);
  if (!f->family) return -1;
  return fs->face_count++;
}

int fontset_file_count(const fontset *fs) { return fs->font_count; }

const char *fontset_file(const fontset *fs, int index) { return font_path(fs->fonts[index]); }

/* The fallback families as one string (NULL when out of memory). */
static char *join_families(const char *const *families, int count) {
  size_t n = 1;
  for (int i = 0; i < count; i++) n += strlen(families[i]) + 1;
  char *s = malloc(n), *p = s;
  for (int i = 0; s && i < count; i++) p += sprintf(p, "%s\n", families[i]);
  if (s) *p = '\0';
  return s;
}

/* Whether joined (join_families' form) names exactly these families. */
static int same_families(const char *joined, const char *const *families, int count) {
  for (int i = 0; i < count; i++) {
    size_t n = strlen(families[i]);
    if (strncasecmp(joined, families[i], n) != 0 || joined[n] != '\n') return 0;
    joined += n + 1;
  }
  return *joined == '\0';
}

int fontset_face_at(fontset *fs, const char *family, int bold, int italic, const char *const *fallbacks,
                    int fallback_count, diag_sink *sink, const char *file, int line, int column) {
  /* templates that share a family may differ in fallbacks; the face must
   * not depend on which of them the context saw first */
  for (int i = 0; i < fs->face_count; i++) {
    face *f = &fs->faces[i];
    if (f->bold == bold && f->italic == italic && strcasecmp(f->family, family) == 0 &&
        same_families(f->fallback_families, fallbacks, fallback_count))
      return i;
  }
  char *fallback_families = join_families(fallbacks, fallback_count);
  if (!fallback_families) return -1;
  int index = new_face(fs, family, bold, italic, fallbacks, fallback_count, sink, file, line, column);
  if (index >= 0)
    fs->faces[index].fallback_families = fallback_families;
  else
    free(fallback_families);
  return index;
}

int fontset_font_for(const fontset *fs, int face_index, uint32_t cp, uint16_t *glyph) {
  const face *f = &fs->faces[face_index];
  uint16_t g = font_glyph(fs->fonts[f->font], cp);
  /* a no-break space is a space that does not break: the font's own space
   * has the right width, a fallback font's would not */
  if (!g && cp == 0xA0) g = font_glyph(fs->fonts[f->font], 0x20);
  if (g) {
    *glyph = g;
    return f->font;
  }
  for (int i = 0; i < f->fallback_count; i++) {
    g = font_glyph(fs->fonts[f->fallbacks[i]], cp);
    if (g) {
      *glyph = g;
      return f->fallbacks[i];
    }
  }
  *glyph = 0;
  return f->font;
}
