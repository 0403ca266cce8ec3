/* flow.h - the vertical list: blocks become boxes (lines, labels, rules,
 * table rows) with the spacing and keep rules that pagination obeys, plus
 * structure events (begin/end of model nodes) placed between boxes. A
 * flow is laid out once per pass; a page only refers to a range of it. */
#ifndef BILAGA_LAYOUT_FLOW_H
#define BILAGA_LAYOUT_FLOW_H

#include "layout/inline.h"

typedef enum vbox_kind {
  VBOX_LINE,      /* one line of a paragraph */
  VBOX_LABEL,     /* a list label: no height, drawn on the next line's baseline */
  VBOX_RULE,      /* a horizontal rule (artifact) */
  VBOX_TOC_LINE,  /* a line of a TOC entry; the last one carries leader and page */
  VBOX_TABLE_ROWS /* one or more table rows that stay together */
} vbox_kind;

struct table_layout;

typedef struct vbox {
  unsigned char kind;
  unsigned char keep_with_next; /* no page break between this box and the next */
  unsigned char break_before;   /* 1: start a new page; 2: a new odd page */
  unsigned char is_table_header;
  float height;
  float space_before; /* dropped at the top of a page */
  float x;            /* offset from the frame's left edge */
  float baseline;     /* LINE, LABEL, TOC_LINE: baseline below the box top */
  int anchor;         /* heading: section node id to link to, else 0 */
  int event;          /* index of the first structure event before this box */
  union {
    struct {
      const paragraph *p;
      int index;
    } line;
    struct {
      float width, thickness;
      rgb color;
    } rule;
    struct {
      const paragraph *p;
      int index;
      int target;      /* section node id */
      int has_number;  /* the entry's last line carries leader and page number */
      int level;
    } toc;
    struct {
      struct table_layout *table;
      int first, count;
      float from, to; /* a slice of rows taller than a page; to == 0: all */
    } rows;
  } u;
  const struct table_layout *repeat; /* inside a table: header to repeat after a break */
} vbox;

typedef enum event_kind { EVENT_BEGIN, EVENT_END } event_kind;

typedef struct flow_event {
  unsigned char kind;
  unsigned char part; /* display_part */
  int node_id;
} flow_event;

typedef struct flow {
  vbox *boxes;
  int count, capacity;
  flow_event *events;
  int event_count, event_capacity;
  double pending_space;   /* space after the previous block, merged with the next one's */
  int pending_break;      /* 1 or 2 (odd page) for the next box */
  int pending_anchor;
} flow;

/* Page numbers of headings: pages[section id], 0 when unknown. The TOC
 * reserves a fixed width for its numbers, so its layout never depends on
 * them: they are looked up when the page is drawn. */
struct toc_input {
  const int *pages;
  int count;
};
typedef struct toc_input toc_input;

/* Fills the {field}s of a template text into arena memory: metadata names
 * (empty when the content has none), and {page} / {pages} when page > 0;
 * other braces stay as written. *all_empty (may be NULL): fields were
 * used and all were empty. NULL (ctx->failed set) when out of memory. */
const char *layout_expand_fields(layout_ctx *ctx, arena *a, const char *pattern, int page, int pages,
                                 int *all_empty);

vbox *flow_push(layout_ctx *ctx, flow *f, vbox_kind kind, double height, double space_before);
void flow_event_push(layout_ctx *ctx, flow *f, event_kind kind, int node_id, display_part part);

/* Lays out the body (and the template's title block) into f, with frame
 * width `width`. */
void flow_layout_document(layout_ctx *ctx, flow *f, double width);
/* Where blocks go: indent and width in the frame, list depth, and the
 * paragraph style (body text, or a table's cell style). */
typedef struct block_frame {
  double x, width;
  int depth;
  const text_style *style;
  int in_cell; /* tighter spacing, no page-level breaks */
} block_frame;

/* Lays out the block children of parent. */
void flow_layout_blocks(layout_ctx *ctx, flow *f, const node *parent, const block_frame *frame);
/* A paragraph's lines as boxes, with the widow/orphan rule (at least two
 * lines on either side of a page break). keep_last: keep its last line
 * with what follows (headings). */
void flow_add_paragraph(layout_ctx *ctx, flow *f, paragraph *p, double x, double space_before,
                        int keep_all);
/* Baseline below the top of a line box of the given leading. */
double line_baseline(const paragraph *p, double leading);

/* Emits the boxes [first, last) of a flow onto a page, the first box's top
 * at y; events are emitted from `*event_cursor` on. Used by the paginator
 * for the page body and by tables for their cells. */
typedef struct emit_state {
  layout_ctx *ctx;
  display_page *page;
  double frame_x;
  int *event_cursor;
} emit_state;
void flow_emit_box(emit_state *es, const flow *f, const vbox *b, double top);
void flow_emit_events_until(emit_state *es, const flow *f, int event_end);

#endif
