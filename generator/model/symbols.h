/* symbols.h - symbol families as the template defines them (bedömning,
 * trendpil, ...): per value a vector drawing made of a few primitives, a
 * short text for the text layer and a label for legends. Content names a
 * family and a value; layout resolves it here. */
#ifndef BILAGA_MODEL_SYMBOLS_H
#define BILAGA_MODEL_SYMBOLS_H

#include "util/arena.h"

typedef struct rgb {
  double r, g, b;
} rgb;

/* Drawing primitives, each in the symbol's square box. */
typedef enum symbol_shape {
  SHAPE_CIRCLE,
  SHAPE_SQUARE,
  SHAPE_DIAMOND,
  SHAPE_TRIANGLE,
  SHAPE_PIE,   /* a sector from 12 o'clock clockwise: param percent */
  SHAPE_ARROW, /* param: angle in degrees, 0 = right, counter-clockwise */
  SHAPE_CHECK,
  SHAPE_CROSS,
  SHAPE_DASH,
  SHAPE_CLOCK,
  SHAPE_WARNING, /* triangle with an exclamation mark */
  SHAPE_CELL,    /* background behind the short text, which is then shown in it */
  SHAPE_COUNT
} symbol_shape;

extern const char *const symbol_shape_names[SHAPE_COUNT];

enum { SYMBOL_FILL = 1, SYMBOL_STROKE = 2 };

typedef struct symbol_part {
  symbol_shape shape;
  unsigned paint;       /* SYMBOL_FILL, SYMBOL_STROKE */
  rgb fill, stroke;     /* stroke also colours arrows, checks, marks */
  double stroke_width;  /* share of the symbol size */
  double param;         /* percent or angle */
  int param_from_value; /* pie: the content's number is the percentage */
} symbol_part;

typedef struct symbol_value {
  const char *name;               /* NULL for a numeric range */
  double from, to;                /* numeric range (families with numbers) */
  const char *short_text, *label; /* may hold {value} */
  symbol_part *parts;
  int part_count;
} symbol_value;

typedef struct symbol_family {
  const char *name, *title, *explanation;
  double size;      /* of the symbol box, relative to the text size */
  int text_visible; /* the short text stands beside the symbol */
  int numeric;      /* values are numbers in [min, max] */
  double min, max;
  symbol_value *values;
  int value_count;
} symbol_family;

typedef struct symbol_set {
  symbol_family *families;
  int family_count;
} symbol_set;

typedef enum symbol_lookup_status {
  SYMBOL_OK,
  SYMBOL_NO_FAMILY,
  SYMBOL_NO_VALUE,
  SYMBOL_NOT_A_NUMBER,
  SYMBOL_OUT_OF_RANGE
} symbol_lookup_status;

/* Finds family and value; a numeric family takes "80", "80 %" or "80%"
 * (then *number is set). */
symbol_lookup_status symbol_lookup(const symbol_set *set, const char *family, const char *value,
                                   const symbol_family **fam, const symbol_value **val, double *number);
/* The allowed values of a family (or the families, when fam is NULL), for
 * a diagnostic: "uppfyllt, delvis, ej uppfyllt" / "0 to 100". */
const char *symbol_allowed(arena *a, const symbol_set *set, const symbol_family *fam);
/* A short text or label with {value} replaced by the number (decimal
 * separator as given); NULL on allocation failure. */
const char *symbol_expand(arena *a, const char *text, double number, const char *decimal_separator);
/* What a screen reader says: "Bedömning: delvis uppfyllt". */
const char *symbol_alt(arena *a, const symbol_family *fam, const char *short_text);

#endif
