/* fontset.h - fonts by family name: fontconfig finds the files (bundled
 * fonts first), each distinct file is loaded once, and a face is a style's
 * font plus the template's fallback fonts for characters it lacks. */
#ifndef BILAGA_TEXT_FONTSET_H
#define BILAGA_TEXT_FONTSET_H

#include "text/font.h"
#include "util/diag.h"

/* Faces and fonts are kept for the context's life and grow as needed, so
 * a context that has seen many templates renders as a fresh one would;
 * layout keeps a face index in 16 bits. */
enum { FONTSET_MAX_FACES = 65535, FACE_MAX_FALLBACKS = 4 };

typedef struct face {
  const char *family;
  const char *fallback_families; /* as asked for, joined by newlines: part of the face's identity */
  int bold, italic;
  int font;                         /* index into fontset.fonts */
  int fallbacks[FACE_MAX_FALLBACKS]; /* font indices, tried in order */
  int fallback_count;
  int last_resort; /* the bundled DejaVu Sans when it is none of the above, else -1 */
} face;

/* A file in the bundled directory that is not used: not a regular file
 * (a warning), or not a usable font (an error). */
typedef struct bundled_problem {
  char *path, *reason;
  int error;
} bundled_problem;

typedef struct fontset {
  font **fonts;
  int *digit_advance; /* per font: widest of 0-9, for tabular figures */
  int font_count, font_capacity, digit_capacity;
  face *faces;
  int face_count, face_capacity;
  const char *font_dir; /* bundled fonts, searched first */
  void *system_config;  /* FcConfig, created only when a family is not bundled */
  void *empty_config;   /* FcConfig for matching within the bundled set */
  void *bundled_set;    /* FcFontSet of the bundled fonts */
  bundled_problem *problems;
  int problem_count, problem_capacity;
} fontset;

/* font_dir: the bundled fonts directory. Free with fontset_free. */
fontset *fontset_new(const char *font_dir);
void fontset_free(fontset *fs);

/* Reports the bundled directory's files that are not used (an error for a
 * *.ttf that is no usable font, a warning for one that is not a regular
 * file); returns 0 when there was an error. Called once per template. */
int fontset_check_bundled(fontset *fs, diag_sink *sink);

/* Face index for family/bold/italic with the given fallback families;
 * reports (file/line for the diagnostic) and returns -1 when the family is
 * not installed or its file is not a usable TrueType font. */
int fontset_face(fontset *fs, const char *family, int bold, int italic, const char *const *fallbacks,
                 int fallback_count, diag_sink *sink, const char *file);
/* Same, with the position of what asked for the font (a template's style
 * element) for the diagnostic. */
int fontset_face_at(fontset *fs, const char *family, int bold, int italic, const char *const *fallbacks,
                    int fallback_count, diag_sink *sink, const char *file, int line, int column);

/* The font files loaded so far (borrowed paths), so that an output path
 * can be checked against them. */
int fontset_file_count(const fontset *fs);
const char *fontset_file(const fontset *fs, int index);

/* Calls fn once per family a template can name: bundled ones (bundled
 * = 1) first, then the system's TrueType families, each group in name
 * order. Returns how many. */
int fontset_families(fontset *fs, void (*fn)(const char *family, int bundled, void *user), void *user);

/* The font and glyph that draw cp in a face: its own font, then the
 * fallbacks, then the bundled DejaVu Sans (FONTSET_LAST_RESORT). A
 * character none of them has is drawn as U+FFFD (the replacement
 * character) from the first that has it, else as '?': never as .notdef,
 * which would vanish from the text. *glyph is 0 only when not even '?'
 * exists. */
int fontset_font_for(const fontset *fs, int face, uint32_t cp, uint16_t *glyph);
/* Whether the face's own font or one of its template's fallbacks has cp
 * (a no-break space counts when the font has a space). */
int fontset_covers(const fontset *fs, int face, uint32_t cp);

#define FONTSET_LAST_RESORT "DejaVuSans.ttf" /* in the bundled fonts directory */

#endif
