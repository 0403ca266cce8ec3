/* flow.c - blocks to boxes: paragraphs, headings, lists, placeholders, the
 * title block and the table of contents; and drawing boxes onto a page. */
#include "layout/flow.h"

#include <stdio.h>
#include <string.h>

#include "layout/footnote.h"
#include "layout/table.h"
#include "layout/tagging.h"
#include "util/grow.h"

enum { WIDOWS = 2, ORPHANS = 2 };

vbox *flow_push(layout_ctx *ctx, flow *f, vbox_kind kind, double height, double space_before) {
  /* cells have small flows: start small */
  vbox *boxes = grow_arena(ctx->pass, f->boxes, f->count, &f->capacity, f->count + 1, sizeof(vbox), 8);
  if (!boxes) {
    ctx->failed = 1;
    return NULL;
  }
  f->boxes = boxes;
  vbox *b = &f->boxes[f->count++];
  memset(b, 0, sizeof *b);
  b->kind = (unsigned char)kind;
  b->height = (float)height;
  double space = space_before > f->pending_space ? space_before : f->pending_space;
  b->space_before = (float)space;
  f->pending_space = 0;
  b->break_before = (unsigned char)f->pending_break;
  f->pending_break = 0;
  b->anchor = f->pending_anchor;
  f->pending_anchor = 0;
  b->event = f->event_count;
  return b;
}

void flow_event_push(layout_ctx *ctx, flow *f, event_kind kind, int node_id, display_part part) {
  flow_event *ev = grow_arena(ctx->pass, f->events, f->event_count, &f->event_capacity, f->event_count + 1,
                              sizeof(flow_event), 8);
  if (!ev) {
    ctx->failed = 1;
    return;
  }
  f->events = ev;
  flow_event *e = &f->events[f->event_count++];
  e->kind = (unsigned char)kind;
  e->part = (unsigned char)part;
  e->node_id = node_id;
}

double line_baseline(const paragraph *p, double leading) {
  double a = p->ascent, d = p->descent;
  return (leading - (a + d)) / 2 + a;
}

void flow_add_paragraph(layout_ctx *ctx, flow *f, paragraph *p, double x, double space_before,
                        int keep_all) {
  double leading = p->style->leading;
  int n = p->line_count;
  for (int i = 0; i < n; i++) {
    vbox *b = flow_push(ctx, f, VBOX_LINE, leading, i == 0 ? space_before : 0);
    if (!b) return;
    b->x = (float)x;
    b->baseline = (float)line_baseline(p, leading);
    b->u.line.p = p;
    b->u.line.index = i;
    footnote_attach(ctx, f, p, i);
    /* a break after line i leaves i+1 lines above and n-i-1 below */
    int allowed = i + 1 >= ORPHANS && n - i - 1 >= WIDOWS;
    b->keep_with_next = (unsigned char)(keep_all || (!allowed && i < n - 1));
  }
}

static paragraph *new_paragraph(layout_ctx *ctx) {
  paragraph *p = arena_alloc(ctx->pass, sizeof *p);
  if (!p) ctx->failed = 1;
  return p;
}

/* One pass of field expansion: with out NULL it only counts, so the
 * caller can allocate exactly and a value of any length fits. */
static size_t expand_pass(const layout_ctx *ctx, const char *pattern, int page, int pages, char *out,
                          int *fields, int *filled) {
  size_t o = 0;
  *fields = *filled = 0;
  for (const char *s = pattern; *s;) {
    const char *end = *s == '{' ? strchr(s, '}') : NULL;
    if (end) {
      size_t len = (size_t)(end - s - 1);
      int number = len == 4 && strncmp(s + 1, "page", 4) == 0    ? page
                   : len == 5 && strncmp(s + 1, "pages", 5) == 0 ? pages
                                                                 : 0;
      if (number > 0) {
        char digits[16];
        size_t n = (size_t)snprintf(digits, sizeof digits, "%d", number);
        if (out) memcpy(out + o, digits, n);
        o += n;
        s = end + 1;
        continue;
      }
      int field = meta_field_lookup(s + 1, len);
      if (field >= 0) {
        const char *v = ctx->doc->meta[field];
        size_t n = v ? strlen(v) : 0;
        (*fields)++;
        *filled += n > 0;
        if (out && n) memcpy(out + o, v, n);
        o += n;
        s = end + 1;
        continue;
      }
    }
    if (out) out[o] = *s;
    o++, s++;
  }
  return o;
}

const char *layout_expand_fields(layout_ctx *ctx, arena *a, const char *pattern, int page, int pages,
                                 int *all_empty) {
  int fields, filled;
  size_t n = expand_pass(ctx, pattern, page, pages, NULL, &fields, &filled);
  char *out = arena_alloc_uninit(a, n + 1);
  if (!out) {
    ctx->failed = 1;
    return NULL;
  }
  expand_pass(ctx, pattern, page, pages, out, &fields, &filled);
  out[n] = '\0';
  if (all_empty) *all_empty = fields > 0 && filled == 0;
  return out;
}

static void layout_title_block(layout_ctx *ctx, flow *f, double width) {
  const template_model *t = ctx->tpl;
  if (t->title_line_count == 0) return;
  flow_event_push(ctx, f, EVENT_BEGIN, 0, PART_TITLE_BLOCK);
  for (int i = 0; i < t->title_line_count; i++) {
    int empty;
    const char *text = layout_expand_fields(ctx, ctx->pass, t->title_lines[i].text, 0, 0, &empty);
    if (!text || empty || !*text) continue;
    const text_style *st = &t->title_lines[i].style;
    paragraph *p = new_paragraph(ctx);
    if (!p) return;
    p->style = st;
    paragraph_add_text(ctx, p, st, layout_face(ctx, st, st->bold, st->italic), &st->color, text,
                       (int)strlen(text), 0);
    paragraph_break(ctx, p, width - st->indent);
    /* each line its own element: the title a heading, the rest paragraphs */
    flow_event_push(ctx, f, EVENT_BEGIN, i + 1, PART_TITLE_LINE);
    flow_add_paragraph(ctx, f, p, st->indent, st->space_before, 1);
    flow_event_push(ctx, f, EVENT_END, i + 1, PART_TITLE_LINE);
    f->pending_space = st->space_after;
  }
  flow_event_push(ctx, f, EVENT_END, 0, PART_TITLE_BLOCK);
  if (f->count) f->boxes[f->count - 1].keep_with_next = 0; /* a page may break after it */
  f->pending_space = t->title_space_after;
}

static const text_style *style_for_paragraph(layout_ctx *ctx, const node *n, const block_frame *fr) {
  if (fr->in_cell) return fr->style;
  switch (n->u.paragraph.style) {
    case PARAGRAPH_LEAD: return &ctx->tpl->lead;
    case PARAGRAPH_NOTE: return &ctx->tpl->note;
    case PARAGRAPH_NORMAL: break;
  }
  return fr->style;
}

static void layout_paragraph(layout_ctx *ctx, flow *f, const node *n, const block_frame *fr,
                             const text_style *style, double space_before, int keep) {
  paragraph *p = new_paragraph(ctx);
  if (!p) return;
  paragraph_add_inlines(ctx, p, n, style, style->bold, style->italic);
  paragraph_break(ctx, p, fr->width - style->indent);
  if (p->line_count == 0) return; /* an empty paragraph takes no room */
  /* a cell's own text belongs to the cell (TD), not to a P of its own */
  int tagged = !(n->u.paragraph.implicit && n->parent && n->parent->kind == NODE_CELL);
  if (tagged) flow_event_push(ctx, f, EVENT_BEGIN, n->id, PART_NODE);
  flow_add_paragraph(ctx, f, p, fr->x + style->indent, space_before, keep);
  if (tagged) flow_event_push(ctx, f, EVENT_END, n->id, PART_NODE);
  f->pending_space = style->space_after;
}

static const char *heading_number(layout_ctx *ctx, const node *section) {
  char buf[80];
  template_section_number(ctx->tpl, section, buf, sizeof buf);
  return arena_strdup(ctx->pass, buf);
}

static void layout_heading(layout_ctx *ctx, flow *f, const node *section, const node *heading,
                           const block_frame *fr) {
  int level = section->u.section.level;
  const heading_style *hs = &ctx->tpl->heading[level - 1];
  const text_style *st = &hs->text;
  paragraph *p = new_paragraph(ctx);
  if (!p) return;
  p->style = st;
  int face = layout_face(ctx, st, st->bold, st->italic);
  const char *num = heading_number(ctx, section);
  if (*num) {
    paragraph_add_text(ctx, p, st, face, &st->color, num, (int)strlen(num), 0);
    /* an en space, drawn: extraction sees the number and the title as two
     * words however narrow the gap (pdftotext joined "1" and "T") */
    paragraph_add_text(ctx, p, st, face, &st->color, "\xe2\x80\x82", 3, 0);
  }
  paragraph_add_inlines(ctx, p, heading, st, st->bold, st->italic);
  paragraph_break(ctx, p, fr->width - st->indent);
  int brk = section->u.section.page_break_before; /* the content overrides the template */
  if (brk < 0) brk = hs->page_break_before ? (hs->odd_page ? 2 : 1) : 0;
  if (brk && f->count > 0) f->pending_break = brk;
  f->pending_anchor = section->id;
  flow_event_push(ctx, f, EVENT_BEGIN, heading->id, PART_NODE);
  flow_add_paragraph(ctx, f, p, fr->x + st->indent, st->space_before, 1);
  flow_event_push(ctx, f, EVENT_END, heading->id, PART_NODE);
  f->pending_space = st->space_after;
  if (hs->rule_width > 0 && f->count) {
    f->boxes[f->count - 1].keep_with_next = 1;
    double space = f->pending_space;
    f->pending_space = 0;
    vbox *r = flow_push(ctx, f, VBOX_RULE, hs->rule_width + 2, 1);
    if (!r) return;
    r->keep_with_next = 1;
    r->x = (float)fr->x;
    r->u.rule.width = (float)fr->width;
    r->u.rule.thickness = (float)hs->rule_width;
    r->u.rule.color = hs->rule_color;
    f->pending_space = space;
  }
  /* The heading stays with the first lines of what follows. */
  if (f->count) f->boxes[f->count - 1].keep_with_next = 1;
}

static const char *list_label(layout_ctx *ctx, const node *list, int index, int depth) {
  const list_style *ls = &ctx->tpl->list;
  if (!list->u.list.ordered) return ls->bullets[depth < 3 ? depth : 2];
  return arena_printf(ctx->pass, "%d%s", list->u.list.start + index, ls->number_suffix);
}

static void layout_list(layout_ctx *ctx, flow *f, const node *list, const block_frame *fr) {
  const list_style *ls = &ctx->tpl->list;
  int depth = fr->depth;
  double label_width = ls->label_width;
  if (list->u.list.ordered) {
    /* room for the widest number */
    int count = 0;
    for (const node *it = list->first; it; it = it->next) count++;
    const char *widest = list_label(ctx, list, count - 1, depth);
    double w = layout_measure(ctx, layout_face(ctx, fr->style, 0, 0), fr->style->size, widest,
                              (int)strlen(widest)) + fr->style->size * 0.4;
    if (w > label_width) label_width = w;
  }
  block_frame inner = *fr;
  inner.x = fr->x + ls->indent + label_width;
  inner.width = fr->width - ls->indent - label_width;
  inner.depth = depth + 1;
  if (inner.width < 36) inner.width = 36, inner.x = fr->x + fr->width - 36;
  text_style item_style = *fr->style;
  item_style.space_before = 0;
  item_style.space_after = ls->item_space;
  item_style.indent = 0;
  text_style *kept = arena_alloc(ctx->pass, sizeof *kept);
  if (!kept) {
    ctx->failed = 1;
    return;
  }
  *kept = item_style;
  inner.style = kept;
  double after = fr->in_cell ? 0 : fr->style->space_after;
  flow_event_push(ctx, f, EVENT_BEGIN, list->id, PART_NODE);
  int index = 0;
  for (const node *it = list->first; it && !ctx->failed; it = it->next, index++) {
    flow_event_push(ctx, f, EVENT_BEGIN, it->id, PART_NODE);
    /* the label: no height of its own, on the first line's baseline */
    const char *label = list_label(ctx, list, index, depth);
    paragraph *lp = new_paragraph(ctx);
    if (!lp) return;
    lp->style = kept;
    paragraph_add_text(ctx, lp, kept, layout_face(ctx, kept, kept->bold, kept->italic), &kept->color,
                       label, (int)strlen(label), 0);
    paragraph_break(ctx, lp, label_width + 100);
    flow_event_push(ctx, f, EVENT_BEGIN, it->id, PART_LABEL);
    vbox *lb = flow_push(ctx, f, VBOX_LABEL, 0, index ? ls->item_space : 0);
    if (!lb) return;
    int label_box = f->count - 1;
    lb->x = (float)(fr->x + ls->indent);
    lb->keep_with_next = 1;
    lb->u.line.p = lp;
    flow_event_push(ctx, f, EVENT_END, it->id, PART_LABEL);
    flow_event_push(ctx, f, EVENT_BEGIN, it->id, PART_BODY);
    flow_layout_blocks(ctx, f, it, &inner);
    flow_event_push(ctx, f, EVENT_END, it->id, PART_BODY);
    flow_event_push(ctx, f, EVENT_END, it->id, PART_NODE);
    /* align the label with the first line that followed it */
    if (label_box + 1 < f->count) {
      vbox *first = &f->boxes[label_box + 1];
      f->boxes[label_box].baseline = first->baseline;
      if (first->kind == VBOX_TABLE_ROWS) f->boxes[label_box].baseline = (float)kept->size;
      first->space_before = 0;
    }
    f->pending_space = ls->item_space;
  }
  flow_event_push(ctx, f, EVENT_END, list->id, PART_NODE);
  f->pending_space = after;
}

static void layout_placeholder(layout_ctx *ctx, flow *f, const node *n, const block_frame *fr) {
  const text_style *st = &ctx->tpl->placeholder;
  const char *text = layout_placeholder_text(ctx, n);
  paragraph *p = new_paragraph(ctx);
  if (!p || !text) return;
  p->style = st;
  paragraph_add_text(ctx, p, st, layout_face(ctx, st, st->bold, st->italic), &st->color, text,
                     (int)strlen(text), 0);
  paragraph_break(ctx, p, fr->width);
  flow_event_push(ctx, f, EVENT_BEGIN, n->id, PART_NODE);
  flow_add_paragraph(ctx, f, p, fr->x, ctx->tpl->body.space_after, 0);
  flow_event_push(ctx, f, EVENT_END, n->id, PART_NODE);
  f->pending_space = ctx->tpl->body.space_after;
}

/* ---- table of contents ---- */

typedef struct toc_state {
  double width;
} toc_state;

static void toc_entries(layout_ctx *ctx, flow *f, const node *parent, const toc_state *ts) {
  const toc_style *tcs = &ctx->tpl->toc;
  for (const node *s = parent->first; s && !ctx->failed; s = s->next) {
    if (s->kind != NODE_SECTION) continue;
    int level = s->u.section.level;
    /* toc="no" leaves out the section with everything in it */
    if (level > tcs->levels || !s->u.section.in_toc) continue;
    if (s->first && s->first->kind == NODE_HEADING) {
      const text_style *st = &tcs->entry[level - 1];
      int face = layout_face(ctx, st, st->bold, st->italic);
      /* the page number column: wide enough for four digits */
      double number_w = layout_measure(ctx, face, st->size, "0000", 4);
      double indent = tcs->indent * (level - 1);
      paragraph *p = new_paragraph(ctx);
      if (!p) return;
      p->style = st;
      const char *num = heading_number(ctx, s);
      if (*num) {
        paragraph_add_text(ctx, p, st, face, &st->color, num, (int)strlen(num), 0);
        paragraph_add_text(ctx, p, st, face, &st->color, "\xe2\x80\x82", 3, 0); /* as in headings */
      }
      ctx->copy = 1; /* the heading's own spans belong to the heading */
      paragraph_add_inlines(ctx, p, s->first, st, st->bold, st->italic);
      ctx->copy = 0;
      paragraph_break(ctx, p, ts->width - indent - number_w - st->size * 1.5);
      flow_event_push(ctx, f, EVENT_BEGIN, s->id, PART_TOC_ENTRY);
      flow_event_push(ctx, f, EVENT_BEGIN, s->id, PART_TOC_LINK); /* TOCI > Link > text and annotations */
      for (int i = 0; i < p->line_count; i++) {
        vbox *b = flow_push(ctx, f, VBOX_TOC_LINE, st->leading, i == 0 ? st->space_before : 0);
        if (!b) return;
        b->x = (float)indent;
        b->baseline = (float)line_baseline(p, st->leading);
        b->keep_with_next = i + 1 < p->line_count;
        b->u.toc.p = p;
        b->u.toc.index = i;
        b->u.toc.target = s->id;
        b->u.toc.level = level;
        b->u.toc.has_number = i + 1 == p->line_count;
      }
      flow_event_push(ctx, f, EVENT_END, s->id, PART_TOC_LINK);
      flow_event_push(ctx, f, EVENT_END, s->id, PART_TOC_ENTRY);
      f->pending_space = st->space_after;
    }
    toc_entries(ctx, f, s, ts);
  }
}

static void layout_toc(layout_ctx *ctx, flow *f, const node *n, const block_frame *fr) {
  const toc_style *tcs = &ctx->tpl->toc;
  const char *title = n->u.toc.title ? n->u.toc.title : tcs->title;
  flow_event_push(ctx, f, EVENT_BEGIN, n->id, PART_NODE);
  if (title && *title) {
    const text_style *st = &tcs->title_style;
    paragraph *p = new_paragraph(ctx);
    if (!p) return;
    p->style = st;
    paragraph_add_text(ctx, p, st, layout_face(ctx, st, st->bold, st->italic), &st->color, title,
                       (int)strlen(title), 0);
    paragraph_break(ctx, p, fr->width);
    flow_event_push(ctx, f, EVENT_BEGIN, n->id, PART_TOC_TITLE);
    flow_add_paragraph(ctx, f, p, fr->x, st->space_before, 1);
    flow_event_push(ctx, f, EVENT_END, n->id, PART_TOC_TITLE);
    f->pending_space = st->space_after;
  }
  toc_state ts = {fr->width};
  int first_entry = f->count;
  toc_entries(ctx, f, ctx->doc->body, &ts);
  /* never one entry alone on the TOC's last page */
  if (f->count - first_entry >= 3) f->boxes[f->count - 2].keep_with_next = 1;
  flow_event_push(ctx, f, EVENT_END, n->id, PART_NODE);
  f->pending_space = ctx->tpl->body.space_after * 2;
}

/* The content's keep-together and keep-with-next on the boxes a block
 * made, [first, f->count). A block taller than the page cannot be kept
 * whole: it breaks as usual. */
static void apply_keeps(layout_ctx *ctx, flow *f, const node *n, int first) {
  if (first >= f->count) return;
  if (n->keep_together) {
    double height = 0;
    for (int k = first; k < f->count; k++) height += f->boxes[k].height + (k > first ? f->boxes[k].space_before : 0);
    if (height <= ctx->frame_height)
      for (int k = first; k < f->count - 1; k++) f->boxes[k].keep_with_next = 1;
  }
  if (n->keep_with_next) f->boxes[f->count - 1].keep_with_next = 1;
}

void flow_layout_blocks(layout_ctx *ctx, flow *f, const node *parent, const block_frame *fr) {
  int first_block = 1;
  for (const node *n = parent->first; n && !ctx->failed; n = n->next) {
    int first_box = f->count;
    switch (n->kind) {
      case NODE_HEADING: break; /* laid out by its section */
      case NODE_PARAGRAPH: {
        const text_style *st = style_for_paragraph(ctx, n, fr);
        double before = fr->in_cell && first_block ? 0 : st->space_before;
        layout_paragraph(ctx, f, n, fr, st, before, 0);
        if (fr->in_cell) f->pending_space = n->next ? st->leading * 0.35 : 0;
        break;
      }
      case NODE_LIST: layout_list(ctx, f, n, fr); break;
      case NODE_PAGE_BREAK:
        if (!fr->in_cell) f->pending_break = 1;
        break;
      case NODE_TOC:
        if (!fr->in_cell) layout_toc(ctx, f, n, fr);
        break;
      case NODE_PLACEHOLDER: layout_placeholder(ctx, f, n, fr); break;
      case NODE_TABLE:
        table_layout_node(ctx, f, n, fr);
        footnote_table_notes(ctx, f, n, fr);
        break;
      case NODE_SECTION: {
        flow_event_push(ctx, f, EVENT_BEGIN, n->id, PART_NODE);
        if (n->first && n->first->kind == NODE_HEADING) layout_heading(ctx, f, n, n->first, fr);
        flow_layout_blocks(ctx, f, n, fr);
        flow_event_push(ctx, f, EVENT_END, n->id, PART_NODE);
        break;
      }
      /* inlines, parts laid out by their parent, legends (expanded before
       * layout): every kind is listed, so a new one is a -Wswitch warning */
      case NODE_BODY: case NODE_ITEM: case NODE_LEGEND: case NODE_CAPTION: case NODE_TABLE_UNIT:
      case NODE_TABLE_NOTE: case NODE_THEAD: case NODE_TBODY: case NODE_TFOOT: case NODE_ROW:
      case NODE_CELL: case NODE_TEXT: case NODE_BOLD: case NODE_ITALIC: case NODE_LINE_BREAK:
      case NODE_NUMBER: case NODE_SYMBOL: case NODE_KIND_COUNT:
      /* domain blocks, expanded before layout (model/expand.h) */
      case NODE_PROCESS_AREA: case NODE_PROCESS_GOAL: case NODE_COMMITMENT: case NODE_INDICATORS:
      case NODE_INDICATOR: case NODE_RISK: case NODE_ASSIGNMENTS: case NODE_ASSIGNMENT: case NODE_DOMAIN_PART:
      case NODE_SUMMARY: case NODE_COUNT:
      case NODE_SUPERSCRIPT: case NODE_SUBSCRIPT: case NODE_SPAN: case NODE_NOTE: /* inlines */
      break;
    }
    if (!fr->in_cell) apply_keeps(ctx, f, n, first_box);
    first_block = 0;
  }
}

void flow_layout_document(layout_ctx *ctx, flow *f, double width) {
  block_frame fr = {0, width, 0, &ctx->tpl->body, 0};
  flow_event_push(ctx, f, EVENT_BEGIN, ctx->doc->body->id, PART_NODE);
  layout_title_block(ctx, f, width); /* inside the document element */
  flow_layout_blocks(ctx, f, ctx->doc->body, &fr);
  flow_event_push(ctx, f, EVENT_END, ctx->doc->body->id, PART_NODE);
}

/* ---- emission ---- */

void flow_emit_events_until(emit_state *es, const flow *f, int event_end) {
  for (; *es->event_cursor < event_end && *es->event_cursor < f->event_count; (*es->event_cursor)++) {
    const flow_event *e = &f->events[*es->event_cursor];
    if (e->kind == EVENT_BEGIN) {
      if (!layout_begin_struct(es->ctx, es->page, e->node_id, (display_part)e->part)) return;
    } else if (!display_push(es->page, DISPLAY_END_NODE)) {
      es->ctx->failed = 1;
      return;
    }
  }
}

static void emit_artifact(display_page *page, int begin) {
  display_push(page, begin ? DISPLAY_BEGIN_ARTIFACT : DISPLAY_END_ARTIFACT);
}

static void emit_toc_line(emit_state *es, const vbox *b, double top) {
  layout_ctx *ctx = es->ctx;
  const paragraph *p = b->u.toc.p;
  double x = es->frame_x + b->x, y = top - b->baseline;
  paragraph_emit_line(ctx, p, b->u.toc.index, x, y, es->page);
  if (!b->u.toc.has_number) return;
  int target = b->u.toc.target;
  int page_number = ctx->toc && target < ctx->toc->count ? ctx->toc->pages[target] : 0;
  char digits[16];
  snprintf(digits, sizeof digits, "%d", page_number);
  const text_style *nst = p->style;
  paragraph *np = arena_alloc(ctx->scratch, sizeof *np);
  if (!np) {
    ctx->failed = 1;
    return;
  }
  np->style = nst;
  paragraph_add_text(ctx, np, nst, layout_face(ctx, nst, nst->bold, nst->italic), &nst->color,
                     arena_strdup(ctx->scratch, digits), (int)strlen(digits), 0);
  paragraph_break(ctx, np, 1e6);
  if (np->line_count == 0) return;
  double frame_right = es->frame_x + (ctx->tpl->page.width - ctx->tpl->page.inner - ctx->tpl->page.outer);
  double num_w = np->lines[0].width;
  double num_x = frame_right - num_w;
  /* leader dots on a common grid, so the columns of dots line up */
  const text_style *st = p->style;
  const char *leader = ctx->tpl->toc.leader;
  if (leader && *leader) {
    int face = layout_face(ctx, st, 0, 0);
    double dot_w = layout_measure(ctx, face, st->size, leader, (int)strlen(leader));
    double step = dot_w + st->size * 0.25;
    double text_end = x + p->lines[b->u.toc.index].width + st->size * 0.4;
    double stop = num_x - st->size * 0.4;
    double start = es->frame_x + step * (double)(long)((text_end - es->frame_x) / step + 1);
    if (step > 0 && start + dot_w <= stop) {
      paragraph dots = {0};
      size_t leader_len = strlen(leader), o = 0;
      int count = 0;
      for (double d = start; d + dot_w <= stop; d += step) count++;
      char *buf = arena_alloc_uninit(ctx->scratch, leader_len * (size_t)count + 1);
      if (!buf) {
        ctx->failed = 1;
        return;
      }
      for (int k = 0; k < count; k++, o += leader_len) memcpy(buf + o, leader, leader_len);
      if (count > 0) {
        /* one run of dots spaced out by letter spacing: emitted as a paragraph
         * line with a computed width, then spread */
        dots.style = st;
        paragraph_add_text(ctx, &dots, st, face, &st->color, buf, (int)o, 0);
        paragraph_break(ctx, &dots, 1e6);
        emit_artifact(es->page, 1);
        size_t before = es->page->count;
        paragraph_emit_line(ctx, &dots, 0, start, y, es->page);
        for (size_t k = before; k < es->page->count; k++) {
          display_op *op = &es->page->ops[k];
          if (op->kind != DISPLAY_GLYPHS) continue;
          for (int g = 0; g < op->u.glyphs.count; g++) op->u.glyphs.x[g] = g * step;
          op->w = count * step;
        }
        emit_artifact(es->page, 0);
      }
    }
  }
  paragraph_emit_line(ctx, np, 0, num_x, y, es->page);
}

/* What a TOC link does, in the document's language, for a screen reader:
 * "Gå till 3.2 Ekonomi, sida 11". NULL when out of memory. */
static const char *toc_link_text(layout_ctx *ctx, int target) {
  const node *s = target > 0 && target <= ctx->doc->node_count ? ctx->nodes[target] : NULL;
  if (!s || !s->first || s->first->kind != NODE_HEADING) return NULL;
  enum { MAX_TITLE = 2000 }; /* bytes of the heading kept: a PDF string is bounded */
  char *title = model_plain_text(ctx->scratch, s->first);
  if (!title) return NULL;
  size_t len = strlen(title);
  const char *cut = "";
  if (len > MAX_TITLE) {
    len = MAX_TITLE;
    while (len > 0 && ((unsigned char)title[len] & 0xC0) == 0x80) len--; /* whole characters */
    cut = "\xe2\x80\xa6";
  }
  char num[80] = "";
  template_section_number(ctx->tpl, s, num, sizeof num - 1);
  if (*num) strcat(num, " ");
  int page = ctx->toc && target < ctx->toc->count ? ctx->toc->pages[target] : 0;
  const char *lang = ctx->doc->lang ? ctx->doc->lang : "sv";
  int swedish = (lang[0] == 's' || lang[0] == 'S') && (lang[1] == 'v' || lang[1] == 'V');
  return arena_printf(ctx->scratch, swedish ? "Gå till %s%.*s%s, sida %d" : "Go to %s%.*s%s, page %d", num,
                      (int)len, title, cut, page);
}

void flow_emit_box(emit_state *es, const flow *f, const vbox *b, double top) {
  flow_emit_events_until(es, f, b->event);
  layout_ctx *ctx = es->ctx;
  if (b->anchor) {
    display_op *op = display_push(es->page, DISPLAY_ANCHOR);
    if (op) op->x = es->frame_x + b->x, op->y = top + b->space_before * 0, op->u.anchor = b->anchor;
  }
  switch ((vbox_kind)b->kind) {
    case VBOX_LINE:
      paragraph_emit_line(ctx, b->u.line.p, b->u.line.index, es->frame_x + b->x, top - b->baseline, es->page);
      break;
    case VBOX_LABEL:
      if (b->u.line.p && b->u.line.p->line_count)
        paragraph_emit_line(ctx, b->u.line.p, 0, es->frame_x + b->x, top - b->baseline, es->page);
      break;
    case VBOX_RULE: {
      emit_artifact(es->page, 1);
      display_op *op = display_push(es->page, DISPLAY_LINE);
      if (op) {
        op->x = es->frame_x + b->x;
        op->y = top - b->height / 2;
        op->w = b->u.rule.width;
        op->h = 0;
        op->u.line.color = b->u.rule.color;
        op->u.line.width = b->u.rule.thickness;
      }
      emit_artifact(es->page, 0);
      break;
    }
    case VBOX_TOC_LINE: {
      emit_toc_line(es, b, top);
      const char *text = toc_link_text(ctx, b->u.toc.target);
      display_op *op = display_push(es->page, DISPLAY_LINK);
      if (op) {
        op->u.link_text = text;
        op->x = es->frame_x + b->x;
        op->y = top - b->height;
        op->w = ctx->tpl->page.width - ctx->tpl->page.inner - ctx->tpl->page.outer - b->x;
        op->h = b->height;
        op->u.anchor = b->u.toc.target;
      }
      break;
    }
    case VBOX_TABLE_ROWS: table_emit_rows(es, b, top); break;
  }
}
