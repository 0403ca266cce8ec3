/* template.h - the layout template as data: page geometry, styles, running
 * header and footer. Lengths are in points, colours in 0..1 RGB. Fonts are
 * named by family; the text stage resolves them to faces (face index). */
#ifndef BILAGA_MODEL_TEMPLATE_H
#define BILAGA_MODEL_TEMPLATE_H

#include "model/derive.h"
#include "model/domain.h"
#include "model/model.h"
#include "model/symbols.h"
#include "util/arena.h"

typedef struct text_style {
  const char *family;
  int bold, italic;
  double size, leading; /* font size and baseline-to-baseline distance */
  rgb color;
  double space_before, space_after;
  align_kind align; /* LEFT (ragged right), JUSTIFY, CENTER, RIGHT */
  double indent;    /* left indent of every line */
  int hyphenate;
  int face;         /* set by font resolution */
  int line, column; /* the element that last set the family (for diagnostics) */
} text_style;

/* How a heading's number is printed: its whole path or its own number,
 * with or without a final period (template number-format). */
typedef enum heading_number_format { HEADING_NUMBER_PATH, HEADING_NUMBER_PATH_DOT, HEADING_NUMBER_OWN, HEADING_NUMBER_OWN_DOT } heading_number_format;

typedef struct heading_style {
  text_style text;
  int numbered;          /* "5.1 Title" */
  heading_number_format number_format;
  int page_break_before; /* start on a new page */
  int odd_page;          /* and on a right-hand (odd) page */
  rgb rule_color;        /* a rule under the heading when rule_width > 0 */
  double rule_width;
} heading_style;

typedef struct list_style {
  double indent;      /* per nesting level */
  double label_width; /* room for the bullet or number */
  double item_space;  /* between items */
  const char *bullets[3];
  const char *number_suffix; /* "." or ")" */
} list_style;

typedef struct toc_style {
  const char *title;
  int levels;         /* headings down to this level are listed */
  text_style title_style;
  text_style entry[MAX_HEADING_LEVEL];
  double indent;      /* per level */
  const char *leader; /* the leader character, "." */
} toc_style;

/* One running header or footer: three slots with {field} placeholders:
 * metadata names and {page}, {pages}. */
typedef struct running_part {
  const char *left, *center, *right;
  int present;
  double rule_width; /* a rule between it and the text area */
  rgb rule_color;
} running_part;

typedef struct title_line {
  const char *text; /* with {field} placeholders */
  text_style style;
} title_line;

typedef struct table_style {
  text_style body, header, caption, unit, note;
  double padding_h, padding_v;
  double min_font_size; /* how far a too-wide table may step its font down */
  double rule_width;    /* horizontal rules between rows */
  double frame_width;   /* top and bottom of the table, above sum rows */
  rgb rule_color, header_fill, zebra_fill;
  int zebra;
  int tabular_figures; /* use the font's tabular figures when it has them */
} table_style;

typedef struct page_setup {
  double width, height;
  double top, bottom, inner, outer; /* inner = left on odd pages */
  int mirrored;
  double header_offset, footer_offset; /* baseline distance from the page edge */
} page_setup;

/* Superscript and subscript: size and baseline shift as fractions of the
 * surrounding text's size. */
typedef struct script_style {
  double scale, rise, drop;
} script_style;

typedef enum note_numbering { NOTE_NUMBER_DOCUMENT, NOTE_NUMBER_PAGE } note_numbering;

/* Footnotes: their text at the page foot under a short rule; notes inside
 * a table go under the table, marked "*", "**" ... or 1, 2 ... */
typedef struct footnote_style {
  text_style text;
  note_numbering numbering;
  int table_symbols; /* table notes marked with asterisks rather than numbers */
  double rule_width, rule_length; /* the separator; length as a fraction of the text width */
  double space_before;            /* between the body text and the rule */
} footnote_style;

typedef struct template_model {
  arena arena;
  const char *name, *file;
  const char *description; /* one line for listings; "" when none */
  page_setup page;
  text_style body, lead, note, placeholder;
  heading_style heading[MAX_HEADING_LEVEL];
  list_style list;
  toc_style toc;
  text_style running; /* the header and footer text */
  running_part header, footer, first_header, first_footer;
  int first_page_different;
  title_line *title_lines;
  int title_line_count;
  double title_space_after;
  table_style table;
  const char *fallback_families[4];
  int fallback_count;
  int fallback_line, fallback_column; /* the <fonts> element, 0 for the default */
  const char *number_group_separator; /* UTF-8, e.g. U+00A0 or U+2009 */
  const char *minus_sign;
  const char *decimal_separator;
  int group_min_digits; /* integer parts shorter than this are not grouped (2023, not 2 023) */
  script_style scripts;
  footnote_style footnote;
  int hyphen_min_word;    /* <hyphenation min-word>: shorter words are never hyphenated */
  int hyphen_capitalized; /* <hyphenation capitalized>: names may be hyphenated */
  symbol_set symbols;
  derive_rules derive; /* <derive>, else the defaults fitted to symbols */
  domain_style domain; /* <domain>: how domain blocks are laid out */
} template_model;

void template_free(template_model *t);
/* A section's number as its heading style prints it ("5.1", "1.", ...);
 * "" when the section or its style is unnumbered. */
void template_section_number(const template_model *t, const node *section, char *out, size_t size);
/* Every text_style of the template, for font resolution: styles 0 ..
 * template_style_count - 1 (the fixed ones, then one per title line). */
int template_style_count(const template_model *t);
text_style *template_style(template_model *t, int i);

#endif
