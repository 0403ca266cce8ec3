/* fontset.c - fontconfig look-ups and the font cache. */
#include "text/fontset.h"

#include <dirent.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/grow.h"
#include "util/i18n.h"

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
  for (int i = 0; i < fs->problem_count; i++) free(fs->problems[i].path), free(fs->problems[i].reason);
  free(fs->problems);
  free((char *)fs->font_dir);
  free(fs);
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void note_problem(fontset *fs, const char *path, const char *reason, int error) {
  bundled_problem *p = grow_heap(fs->problems, &fs->problem_capacity, fs->problem_count + 1, sizeof *p, 4);
  if (!p) return;
  fs->problems = p;
  p[fs->problem_count].path = strdup(path);
  p[fs->problem_count].reason = strdup(reason);
  p[fs->problem_count].error = error;
  if (p[fs->problem_count].path && p[fs->problem_count].reason) fs->problem_count++;
  else free(p[fs->problem_count].path), free(p[fs->problem_count].reason);
}

/* Adds one bundled file to the set. Only regular files are read (a FIFO
 * would block the open forever); a file that is not a usable font is
 * remembered as a problem, so that it is reported rather than silently
 * replaced by a system font of the same family. */
static void add_bundled(fontset *fs, FcFontSet *set, const char *path) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
    note_problem(fs, path, _("not a regular file; skipped"), 0);
    return;
  }
  int count = 0;
  FcPattern *p = FcFreeTypeQuery((const FcChar8 *)path, 0, NULL, &count);
  if (p) {
    if (!FcFontSetAdd(set, p)) FcPatternDestroy(p);
    return;
  }
  /* our own parser says why */
  char err[256];
  font *f = font_load(path, err, sizeof err);
  font_free(f);
  size_t skip = strncmp(err, path, strlen(path)) == 0 && strncmp(err + strlen(path), ": ", 2) == 0 ? strlen(path) + 2 : 0;
  note_problem(fs, path, f ? _("fontconfig cannot read this font") : err + skip, 1);
}

/* The bundled fonts as a font set read straight from the files: no
 * fontconfig cache to write, and the same answer on every machine (the
 * names are sorted: directory order is not stable). */
static FcFontSet *bundled_set(fontset *fs) {
  if (fs->bundled_set || !fs->font_dir) return fs->bundled_set;
  FcFontSet *set = FcFontSetCreate();
  DIR *dir = opendir(fs->font_dir);
  if (!set || !dir) {
    if (dir) closedir(dir);
    if (set) FcFontSetDestroy(set);
    return NULL;
  }
  char **names = NULL;
  int n = 0, capacity = 0, ok = 1;
  for (struct dirent *e; ok && (e = readdir(dir));) {
    size_t len = strlen(e->d_name);
    if (len <= 4 || strcasecmp(e->d_name + len - 4, ".ttf") != 0) continue;
    char **grown = grow_heap(names, &capacity, n + 1, sizeof *names, 16);
    char *path = malloc(strlen(fs->font_dir) + len + 2);
    if (!grown || !path) {
      free(path);
      ok = 0;
      break;
    }
    names = grown;
    sprintf(path, "%s/%s", fs->font_dir, e->d_name);
    names[n++] = path;
  }
  closedir(dir);
  if (n) qsort(names, (size_t)n, sizeof *names, compare_names);
  for (int i = 0; i < n; i++) {
    if (ok) add_bundled(fs, set, names[i]);
    free(names[i]);
  }
  free(names);
  if (!ok) {
    FcFontSetDestroy(set);
    return NULL;
  }
  fs->bundled_set = set;
  return set;
}

int fontset_check_bundled(fontset *fs, diag_sink *sink) {
  bundled_set(fs);
  int ok = 1;
  for (int i = 0; i < fs->problem_count; i++) {
    const bundled_problem *p = &fs->problems[i];
    if (p->error) {
      diag_error(sink, p->path, 0, 0, _("bundled font is not usable (%s); replace or remove the file"),
                 p->reason);
      ok = 0;
    } else {
      diag_warning(sink, p->path, 0, 0, "%s", p->reason);
    }
  }
  return ok;
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
    diag_error(sink, file, line, column, _("out of memory loading font family \"%s\""), family);
    return -1;
  }
  char err[256];
  font *f = font_load(path, err, sizeof err);
  if (!f) {
    diag_error(sink, file, line, column, _("font family \"%s\": %s: %s"), family, path, err);
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

/* The font file for a family, weight and slant; *exact tells whether the
 * weight and slant are as asked (NULL: not wanted). */
static int resolve(fontset *fs, const char *family, int bold, int italic, diag_sink *sink, const char *file,
                   int line, int column, int *exact_out) {
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
      exact = system_exact;
    } else {
      free(system);
    }
  }
  if (!path) {
    diag_error(sink, file, line, column,
               _("font family \"%s\" is not installed (fc-list lists the families there are)"), family);
    return -1;
  }
  int index = load_font(fs, path, sink, file, line, column, family);
  free(path);
  if (exact_out) *exact_out = exact;
  return index;
}

int fontset_face(fontset *fs, const char *family, int bold, int italic, const char *const *fallbacks,
                 int fallback_count, diag_sink *sink, const char *file) {
  return fontset_face_at(fs, family, bold, italic, fallbacks, fallback_count, sink, file, 0, 0);
}

static int new_face(fontset *fs, const char *family, int bold, int italic, const char *const *fallbacks,
                    int fallback_count, diag_sink *sink, const char *file, int line, int column) {
  if (fs->face_count == FONTSET_MAX_FACES) {
    diag_error(sink, file, line, column, _("more than %d font faces are in use"), FONTSET_MAX_FACES);
    return -1;
  }
  face *faces = grow_heap(fs->faces, &fs->face_capacity, fs->face_count + 1, sizeof *faces, 8);
  if (!faces) {
    diag_error(sink, file, line, column, _("out of memory loading font family \"%s\""), family);
    return -1;
  }
  fs->faces = faces;
  int exact = 1;
  int primary = resolve(fs, family, bold, italic, sink, file, line, column, &exact);
  if (primary < 0) return -1;
  if (!exact) /* the family is there, but not in this weight or slant */
    diag_warning(sink, file, line, column, _("font family \"%s\" has no %s face; using %s instead"), family,
                 bold && italic ? _("bold italic")
                 : bold         ? _("bold")
                 : italic       ? _("italic")
                                : _("regular"),
                 font_path(fs->fonts[primary]));
  face *f = &fs->faces[fs->face_count];
  memset(f, 0, sizeof *f);
  f->bold = bold;
  f->italic = italic;
  f->font = primary;
  for (int i = 0; i < fallback_count && f->fallback_count < FACE_MAX_FALLBACKS; i++) {
    int fb = resolve(fs, fallbacks[i], bold, italic, sink, file, line, column, NULL);
    if (fb < 0) return -1;
    if (fb != primary) f->fallbacks[f->fallback_count++] = fb;
  }
  /* the last resort, only from the bundled directory: the same glyphs on
   * every machine; a broken file is reported by fontset_check_bundled */
  f->last_resort = -1;
  if (fs->font_dir) {
    char path[4096];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/%s", fs->font_dir, FONTSET_LAST_RESORT) < (int)sizeof path &&
        stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
      int lr = load_font(fs, path, NULL, file, line, column, "DejaVu Sans");
      int known = lr == primary;
      for (int i = 0; i < f->fallback_count; i++) known |= lr == f->fallbacks[i];
      if (lr >= 0 && !known) f->last_resort = lr;
    }
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

/* cp from the face's own font, its fallbacks and (with last_resort) the
 * bundled last resort; 0 in *glyph when none has it. */
static int lookup(const fontset *fs, const face *f, uint32_t cp, int last_resort, uint16_t *glyph) {
  uint16_t g = font_glyph(fs->fonts[f->font], cp);
  /* a no-break space is a space that does not break: the font's own space
   * has the right width, a fallback font's would not */
  if (!g && cp == 0xA0) g = font_glyph(fs->fonts[f->font], 0x20);
  *glyph = g;
  if (g) return f->font;
  for (int i = 0; i < f->fallback_count; i++) {
    g = font_glyph(fs->fonts[f->fallbacks[i]], cp);
    if (g) {
      *glyph = g;
      return f->fallbacks[i];
    }
  }
  if (last_resort && f->last_resort >= 0 && (g = font_glyph(fs->fonts[f->last_resort], cp))) {
    *glyph = g;
    return f->last_resort;
  }
  return f->font;
}

int fontset_font_for(const fontset *fs, int face_index, uint32_t cp, uint16_t *glyph) {
  const face *f = &fs->faces[face_index];
  int fi = lookup(fs, f, cp, 1, glyph);
  if (!*glyph) fi = lookup(fs, f, 0xFFFD, 1, glyph);
  if (!*glyph) fi = lookup(fs, f, '?', 0, glyph);
  return fi;
}

int fontset_covers(const fontset *fs, int face_index, uint32_t cp) {
  uint16_t g;
  lookup(fs, &fs->faces[face_index], cp, 0, &g);
  return g != 0;
}

/* ---- listing ---- */

typedef struct family_entry {
  char *name;
  int bundled;
} family_entry;

static int compare_families(const void *a, const void *b) {
  const family_entry *x = a, *y = b;
  if (x->bundled != y->bundled) return y->bundled - x->bundled;
  return strcmp(x->name, y->name);
}

static int add_families(family_entry **list, int *n, int *capacity, FcFontSet *set, int bundled) {
  for (int i = 0; set && i < set->nfont; i++) {
    FcChar8 *family, *format;
    if (FcPatternGetString(set->fonts[i], FC_FAMILY, 0, &family) != FcResultMatch) continue;
    /* only glyf-based TrueType can be embedded (CFF is refused at load) */
    if (FcPatternGetString(set->fonts[i], FC_FONTFORMAT, 0, &format) == FcResultMatch &&
        strcmp((const char *)format, "TrueType") != 0)
      continue;
    family_entry *grown = grow_heap(*list, capacity, *n + 1, sizeof **list, 32);
    char *name = strdup((const char *)family);
    if (!grown || !name) {
      free(name);
      return 0;
    }
    *list = grown;
    (*list)[(*n)++] = (family_entry){name, bundled};
  }
  return 1;
}

int fontset_families(fontset *fs, void (*fn)(const char *family, int bundled, void *user), void *user) {
  family_entry *list = NULL;
  int n = 0, capacity = 0;
  add_families(&list, &n, &capacity, bundled_set(fs), 1);
  FcConfig *config = system_config(fs);
  FcPattern *all = FcPatternCreate();
  FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, FC_FONTFORMAT, (char *)NULL);
  FcFontSet *system = config && all && os ? FcFontList(config, all, os) : NULL;
  add_families(&list, &n, &capacity, system, 0);
  if (system) FcFontSetDestroy(system);
  if (os) FcObjectSetDestroy(os);
  if (all) FcPatternDestroy(all);
  if (n) qsort(list, (size_t)n, sizeof *list, compare_families);
  int shown = 0;
  for (int i = 0; i < n; i++) {
    int seen = 0; /* a bundled family hides the system's of that name */
    for (int k = 0; k < i && !seen; k++) seen = strcmp(list[k].name, list[i].name) == 0;
    if (!seen) {
      fn(list[i].name, list[i].bundled, user);
      shown++;
    }
  }
  for (int i = 0; i < n; i++) free(list[i].name);
  free(list);
  return shown;
}
