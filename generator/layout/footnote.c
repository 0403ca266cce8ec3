/* footnote.c - footnotes. A note's marker is laid out with the text it
 * stands in (layout/inline.c); here its text is laid out, attached to the
 * flow box whose line holds the marker, given room at the foot of that
 * box's page by the paginator and drawn there under a short rule. Notes
 * inside a table are set under the table instead, marked apart. */
#include "layout/footnote.h"

#include <stdlib.h>
#include <string.h>

#include "layout/flow.h"
#include "layout/tagging.h"
#include "util/grow.h"

enum { MAX_ASTERISKS = 3 }; /* "*", "**", "***"; a table with more notes numbers them */

static const node *note_of(const layout_ctx *ctx, int span) {
  if (span <= 0 || span > ctx->doc->node_count || !ctx->nodes) return NULL;
  const node *n = ctx->nodes[span];
  return n && n->kind == NODE_NOTE ? n : NULL;
}

int footnote_is_marker(const layout_ctx *ctx, int span) { return note_of(ctx, span) != NULL; }

/* A table's notes are marked with asterisks when the template says so
 * and there are at most three of them; otherwise all with numbers. */
static int asterisks(const layout_ctx *ctx, const node *note) {
  return note->u.note.table_id && ctx->tpl->footnote.table_symbols && note->u.note.table_total <= MAX_ASTERISKS;
}

int footnote_mark_raised(const layout_ctx *ctx, const node *note) { return !asterisks(ctx, note); }

const char *footnote_mark(layout_ctx *ctx, const node *note) {
  const char *s;
  if (note->u.note.table_id) {
    int k = note->u.note.table_number;
    s = asterisks(ctx, note) ? arena_printf(ctx->pass, "%.*s", k, "***") : arena_printf(ctx->pass, "%d", k);
  } else {
    int k = ctx->note_marks && ctx->note_marks[note->id] > 0 ? ctx->note_marks[note->id] : note->u.note.number;
    s = arena_printf(ctx->pass, "%d", k);
  }
  if (!s) ctx->failed = 1;
  return s ? s : "";
}

const char *footnote_marker_text(layout_ctx *ctx, int note_id) {
  const node *n = note_of(ctx, note_id);
  return n ? arena_printf(ctx->scratch, " %s", footnote_mark(ctx, n)) : NULL;
}

void footnote_marker_begin(layout_ctx *ctx, display_page *page, int note_id) {
  if (layout_begin_struct(ctx, page, note_id, PART_NODE)) layout_begin_struct(ctx, page, note_id, PART_NOTE_LINK);
}

void footnote_marker_end(layout_ctx *ctx, display_page *page, int note_id, double x0, double x1, double y) {
  const node *n = note_of(ctx, note_id);
  const char *lang = ctx->doc->lang ? ctx->doc->lang : "sv";
  int swedish = (lang[0] == 's' || lang[0] == 'S') && (lang[1] == 'v' || lang[1] == 'V');
  /* a copy (a repeated header) is an artifact: its marker links nowhere,
   * as an annotation outside the structure is not allowed */
  display_op *op = ctx->artifact_copy ? NULL : display_push(page, DISPLAY_LINK);
  if (op && n) {
    double size = ctx->tpl->body.size;
    op->x = x0;
    op->y = y - size * 0.2;
    op->w = x1 - x0 > 1 ? x1 - x0 : 1;
    op->h = size * 1.1;
    op->u.anchor = note_id;
    op->u.link_text = arena_printf(ctx->scratch, swedish ? "Fotnot %s" : "Footnote %s", footnote_mark(ctx, n));
  }
  if ((!op && !ctx->artifact_copy) || !display_push(page, DISPLAY_END_NODE) || !display_push(page, DISPLAY_END_NODE))
    ctx->failed = 1;
}

/* The note's text in style st: its mark raised as in the text, a space,
 * then its content. */
static paragraph *note_paragraph(layout_ctx *ctx, const node *note, const text_style *st, double width) {
  paragraph *p = arena_alloc(ctx->pass, sizeof *p);
  text_style *mark_style = arena_alloc(ctx->pass, sizeof *mark_style);
  if (!p || !mark_style) {
    ctx->failed = 1;
    return NULL;
  }
  int raised = footnote_mark_raised(ctx, note);
  *mark_style = *st;
  if (raised) mark_style->size = st->size * ctx->tpl->scripts.scale;
  int face = layout_face(ctx, st, st->bold, st->italic);
  const char *mark = footnote_mark(ctx, note);
  p->style = st;
  paragraph_add_text(ctx, p, mark_style, face, &st->color, mark, (int)strlen(mark), 0);
  short rise = (short)(raised ? ctx->tpl->scripts.rise * st->size * 64 : 0);
  for (int k = 0; k < p->item_count; k++) p->items[k].rise = rise;
  paragraph_add_text(ctx, p, st, face, &st->color, " ", 1, 0);
  paragraph_add_inlines(ctx, p, note, st, st->bold, st->italic);
  paragraph_break(ctx, p, width);
  return p;
}

void footnote_attach(layout_ctx *ctx, flow *f, const paragraph *p, int index) {
  if (!ctx->nodes || f->count == 0 || p->line_count <= index) return;
  const line *l = &p->lines[index];
  for (int i = l->first; i <= l->last && i < p->item_count; i++) {
    if (i == l->first && l->first_offset > 0) continue; /* begun on the line above */
    const node *n = note_of(ctx, p->items[i].span);
    if (!n || n->u.note.table_id) continue;
    if (i > l->first && p->items[i - 1].span == p->items[i].span) continue; /* one marker, several items */
    const template_model *t = ctx->tpl;
    double width = t->page.width - t->page.inner - t->page.outer;
    paragraph *np = note_paragraph(ctx, n, &t->footnote.text, width);
    if (!np) return;
    flow_note *notes = grow_arena(ctx->pass, f->notes, f->note_count, &f->note_capacity, f->note_count + 1,
                                  sizeof *notes, 8);
    if (!notes) {
      ctx->failed = 1;
      return;
    }
    f->notes = notes;
    vbox *b = &f->boxes[f->count - 1];
    if (b->note_count == 0) b->note_first = f->note_count;
    b->note_count++;
    f->notes[f->note_count++] = (flow_note){n, np, np->line_count * t->footnote.text.leading + t->footnote.text.space_after};
  }
}

/* The node after n in document order inside root. */
static const node *next_in(const node *n, const node *root) {
  if (n->first) return n->first;
  for (; n && n != root; n = n->parent)
    if (n->next) return n->next;
  return NULL;
}

void footnote_table_notes(layout_ctx *ctx, flow *f, const node *table, const block_frame *fr) {
  const text_style *st = &ctx->tpl->table.note;
  int first = 1;
  for (const node *n = table->first ? table->first : NULL; n && !ctx->failed; n = next_in(n, table)) {
    if (n->kind != NODE_NOTE) continue;
    paragraph *p = note_paragraph(ctx, n, st, fr->width);
    if (!p || p->line_count == 0) continue;
    if (first && f->count) f->boxes[f->count - 1].keep_with_next = 1; /* under its table */
    f->pending_anchor = n->id;
    flow_event_push(ctx, f, EVENT_BEGIN, n->id, PART_NOTE_TEXT);
    flow_add_paragraph(ctx, f, p, fr->x, first ? st->size * 0.4 : 0, 0);
    flow_event_push(ctx, f, EVENT_END, n->id, PART_NOTE_TEXT);
    f->pending_space = st->space_after > 1 ? st->space_after : 1;
    first = 0;
  }
  if (!first) f->pending_space = ctx->tpl->body.space_after;
}

double footnote_height(const template_model *t, const flow *f, const vbox *b, int first) {
  if (b->note_count == 0) return 0;
  double h = first ? t->footnote.space_before + t->footnote.rule_width + t->footnote.text.size * 0.5 : 0;
  for (int k = 0; k < b->note_count; k++) h += f->notes[b->note_first + k].height;
  return h;
}

void footnote_emit_page(emit_state *es, const flow *f, int first, int end) {
  layout_ctx *ctx = es->ctx;
  const template_model *t = ctx->tpl;
  double total = 0;
  int any = 0;
  for (int b = first; b < end; b++) {
    total += footnote_height(t, f, &f->boxes[b], !any);
    any |= f->boxes[b].note_count > 0;
  }
  if (!any) return;
  /* close what ended on this page first, so the notes do not land inside
   * the page's last paragraph or heading */
  int limit = end < f->count ? f->boxes[end].event : f->event_count;
  int body = ctx->doc->body ? ctx->doc->body->id : 0; /* the document stays open: notes are in it */
  while (*es->event_cursor < limit && f->events[*es->event_cursor].kind == EVENT_END &&
         f->events[*es->event_cursor].node_id != body)
    flow_emit_events_until(es, f, *es->event_cursor + 1);
  double frame_w = t->page.width - t->page.inner - t->page.outer;
  double y = t->page.bottom + total - t->footnote.space_before;
  if (t->footnote.rule_width > 0) {
    display_push(es->page, DISPLAY_BEGIN_ARTIFACT);
    display_op *op = display_push(es->page, DISPLAY_LINE);
    if (op) {
      op->x = es->frame_x;
      op->y = y - t->footnote.rule_width / 2;
      op->w = frame_w * t->footnote.rule_length;
      op->u.line.width = t->footnote.rule_width;
      op->u.line.color = t->footnote.text.color;
    }
    display_push(es->page, DISPLAY_END_ARTIFACT);
  }
  y -= t->footnote.rule_width + t->footnote.text.size * 0.5;
  for (int b = first; b < end; b++) {
    const vbox *box = &f->boxes[b];
    for (int k = 0; k < box->note_count; k++) {
      const flow_note *fn = &f->notes[box->note_first + k];
      const text_style *st = fn->p->style;
      display_op *a = display_push(es->page, DISPLAY_ANCHOR);
      if (a) a->x = es->frame_x, a->y = y, a->u.anchor = fn->note->id;
      if (!layout_begin_struct(ctx, es->page, fn->note->id, PART_NOTE_TEXT)) return;
      for (int i = 0; i < fn->p->line_count; i++) {
        paragraph_emit_line(ctx, fn->p, i, es->frame_x, y - line_baseline(fn->p, st->leading), es->page);
        y -= st->leading;
      }
      y -= st->space_after;
      if (!display_push(es->page, DISPLAY_END_NODE)) ctx->failed = 1;
    }
  }
}

int footnote_number_page(const flow *f, int first, int end, int *marks) {
  int changed = 0, k = 0;
  for (int b = first; b < end; b++)
    for (int i = 0; i < f->boxes[b].note_count; i++) {
      int id = f->notes[f->boxes[b].note_first + i].note->id;
      changed += marks[id] != ++k;
      marks[id] = k;
    }
  return changed;
}
