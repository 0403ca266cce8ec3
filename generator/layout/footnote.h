/* footnote.h - footnotes: a <note>'s marker in the text (Reference > Link)
 * and its text (Note), at the foot of the page where the marker is, or,
 * for notes inside a table, under the table. */
#ifndef BILAGA_LAYOUT_FOOTNOTE_H
#define BILAGA_LAYOUT_FOOTNOTE_H

#include "layout/inline.h"

struct flow;
struct vbox;
struct block_frame;
struct emit_state;

/* A page footnote of the flow: its text laid out at the frame's width. */
typedef struct flow_note {
  const node *note;
  paragraph *p;
  double height; /* its lines and the space after them */
} flow_note;

/* Whether an item's span is a footnote's marker. */
int footnote_is_marker(const layout_ctx *ctx, int span);
/* The marker's text: the note's number (per document or per page), or
 * "*", "**" ... for a note inside a table. Arena memory. */
const char *footnote_mark(layout_ctx *ctx, const node *note);
/* Whether the mark is set raised and small (numbers), or as it is
 * (asterisks, already high). */
int footnote_mark_raised(const layout_ctx *ctx, const node *note);
/* Around a marker's glyphs: Reference > Link, and the link annotation. */
/* What extraction reads for a marker after a word: " 1" (NULL when out
 * of memory), its /ActualText. */
const char *footnote_marker_text(layout_ctx *ctx, int note_id);
void footnote_marker_begin(layout_ctx *ctx, display_page *page, int note_id);
void footnote_marker_end(layout_ctx *ctx, display_page *page, int note_id, double x0, double x1, double y);

/* Records the page notes whose markers are on line `line` of p, the
 * flow's last box. */
void footnote_attach(layout_ctx *ctx, struct flow *f, const paragraph *p, int line);
/* The notes of a table, under it. */
void footnote_table_notes(layout_ctx *ctx, struct flow *f, const node *table, const struct block_frame *fr);
/* The room the notes of box b take at the page foot; first: the page has
 * no note yet (the rule and its space come with the first one). */
double footnote_height(const template_model *t, const struct flow *f, const struct vbox *b, int first);
/* Draws the notes of boxes [first, end) at the page foot. */
void footnote_emit_page(struct emit_state *es, const struct flow *f, int first, int end);
/* Per-page numbering: numbers the notes of boxes [first, end) from 1 into
 * marks[note id]; returns how many of them changed. */
int footnote_number_page(const struct flow *f, int first, int end, int *marks);

#endif
