/* paginate.c - the layout run: flow the document, cut it into pages that
 * respect keeps, widows and orphans, repeat until the table of contents'
 * page numbers settle, then build each page's display list (running
 * header and footer included) and hand it on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/symbol.h"
#include "layout/flow.h"
#include "layout/footnote.h"
#include "layout/layout.h"
#include "layout/table.h"
#include "layout/tagging.h"
#include "util/grow.h"

typedef struct page_plan {
  int first, end;      /* boxes [first, end) */
  int repeat_header;   /* box index of a table header to repeat, or -1 */
} page_plan;

typedef struct plan {
  page_plan *pages;
  int count, capacity;
} plan;

static int push_page(plan *p, int first, int end, int header) {
  page_plan *pages = grow_heap(p->pages, &p->capacity, p->count + 1, sizeof *pages, 64);
  if (!pages) return 0;
  p->pages = pages;
  p->pages[p->count++] = (page_plan){first, end, header};
  return 1;
}

static double frame_height(const template_model *t) { return t->page.height - t->page.top - t->page.bottom; }

/* Greedy filling; at an overflow the page ends at the last box after
 * which a break is allowed, so keeps (headings with their text, widows
 * and orphans, a table header with its first row) hold where they can. */
static int paginate(const flow *f, const template_model *t, plan *out) {
  const double eps = 0.01, height = frame_height(t);
  out->count = 0;
  int i = 0;
  while (i < f->count) {
    const vbox *first = &f->boxes[i];
    if (first->break_before == 2 && out->count % 2 == 1) /* start on an odd page: leave a blank one */
      if (!push_page(out, i, i, -1)) return 0;
    int header = -1;
    double y = 0;
    if (first->repeat && i > 0 && f->boxes[i - 1].kind == VBOX_TABLE_ROWS &&
        f->boxes[i - 1].u.rows.table == first->u.rows.table) {
      header = table_header_index(first->repeat);
      if (header >= 0) y = table_header_height(first->repeat);
    }
    int start = i, last_ok = -1, j = i;
    double notes = 0; /* footnotes at the page foot */
    while (j < f->count) {
      const vbox *b = &f->boxes[j];
      if (j > start && b->break_before) break;
      double sb = j == start ? 0 : b->space_before;
      double nh = footnote_height(t, f, b, notes == 0);
      if (j > start && y + sb + b->height + notes + nh > height + eps) {
        if (last_ok >= start) j = last_ok + 1;
        break;
      }
      y += sb + b->height;
      notes += nh;
      if (!b->keep_with_next) last_ok = j;
      j++;
    }
    if (j == start) j = start + 1; /* never loop: a box always advances */
    if (!push_page(out, start, j, header)) return 0;
    i = j;
  }
  if (out->count == 0 && !push_page(out, 0, 0, -1)) return 0;
  return 1;
}

/* The model node a structure event of a node begins or ends, or NULL. */
static const node *event_node(const layout_ctx *ctx, const flow_event *ev) {
  return ctx->nodes && ev->part == PART_NODE && ev->node_id > 0 && ev->node_id <= ctx->doc->node_count
             ? ctx->nodes[ev->node_id]
             : NULL;
}

/* A lead-in paragraph ending in ':' ("KLK kommer att bidra med bland
 * annat följande:") never ends a page without the list or table it
 * introduces: its last line keeps with the next box. A block's boxes are
 * bounded by its structure events, which sit between boxes. */
static void keep_lead_ins(layout_ctx *ctx, flow *f) {
  for (int j = 1; j < f->count; j++) {
    vbox *before = &f->boxes[j - 1];
    if (before->kind != VBOX_LINE || before->keep_with_next) continue;
    const node *lead = NULL;
    int introduces = 0;
    for (int e = before->event; e < f->boxes[j].event && e < f->event_count; e++) {
      const flow_event *ev = &f->events[e];
      const node *n = event_node(ctx, ev);
      if (!n) continue;
      if (ev->kind == EVENT_END && n->kind == NODE_PARAGRAPH) lead = n;
      if (ev->kind == EVENT_BEGIN && lead && (n->kind == NODE_LIST || n->kind == NODE_TABLE)) introduces = 1;
    }
    if (!introduces) continue;
    const char *text = model_plain_text(ctx->scratch, lead);
    size_t len = text ? strlen(text) : 0;
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\n' || text[len - 1] == '\t')) len--;
    if (len > 0 && text[len - 1] == ':') before->keep_with_next = 1;
  }
}

/* A heading keeps with more than one line of what follows: a one-line
 * paragraph right under it ("Projekt: Drift + driftprojekt" over a table)
 * keeps with the next box too, so the two never end a page alone. */
static void keep_heading_followers(layout_ctx *ctx, flow *f) {
  for (int j = 2; j < f->count; j++) {
    vbox *line = &f->boxes[j - 1];
    if (line->kind != VBOX_LINE || line->keep_with_next || !f->boxes[j - 2].keep_with_next) continue;
    int after_heading = 0, one_line = 0;
    for (int e = f->boxes[j - 2].event; e < f->boxes[j].event && e < f->event_count; e++) {
      const flow_event *ev = &f->events[e];
      const node *n = event_node(ctx, ev);
      if (!n || ev->kind != EVENT_END) continue;
      if (e < line->event) after_heading |= n->kind == NODE_HEADING;
      else one_line |= n->kind == NODE_PARAGRAPH;
    }
    if (after_heading && one_line) line->keep_with_next = 1;
  }
}

/* Heading pages from a plan: pages[section id] = page number. */
static void heading_pages(const flow *f, const plan *p, int *pages, int count) {
  memset(pages, 0, sizeof(int) * (size_t)count);
  for (int k = 0; k < p->count; k++)
    for (int b = p->pages[k].first; b < p->pages[k].end; b++)
      if (f->boxes[b].anchor > 0 && f->boxes[b].anchor < count) pages[f->boxes[b].anchor] = k + 1;
}

/* ---- running header and footer ---- */

static const char *expand_running(layout_ctx *ctx, const char *pattern, int page, int pages) {
  if (!pattern) return NULL;
  const char *text = layout_expand_fields(ctx, ctx->scratch, pattern, page, pages, NULL);
  return text && *text ? text : NULL;
}

static int is_continuation(char c) { return ((unsigned char)c & 0xC0) == 0x80; }

/* A slot's text at a size that fits its room: the running style's size,
 * stepped down to 75 % if need be, then cut with an ellipsis. Returns the
 * width; *size and *text are what to draw. */
static double fit_slot(layout_ctx *ctx, const char **text, double *size, double room) {
  const text_style *st = &ctx->tpl->running;
  int face = layout_face(ctx, st, st->bold, st->italic);
  int len = (int)strlen(*text);
  double w = layout_measure(ctx, face, st->size, *text, len);
  *size = st->size;
  if (w <= room || room <= 0) return w;
  if (w * 0.75 <= room) {
    *size = st->size * room / w;
    return room;
  }
  *size = st->size * 0.75;
  double ell = layout_measure(ctx, face, *size, "\xe2\x80\xa6", 3);
  /* the longest prefix that fits, by bisection: measuring prefix after
   * prefix was quadratic in the text's length */
  int lo = 0, hi = len; /* prefix lo fits (or is empty); prefixes longer than hi do not */
  while (lo < hi) {
    int mid = lo + (hi - lo + 1) / 2, m = mid;
    while (m > lo && is_continuation((*text)[m])) m--; /* whole characters */
    if (m == lo) {
      for (m = mid; m <= hi && is_continuation((*text)[m]);) m++;
      if (m > hi) break;
    }
    mid = m;
    if (layout_measure(ctx, face, *size, *text, mid) + ell <= room) lo = mid;
    else hi = mid - 1;
  }
  int cut = lo;
  *text = arena_printf(ctx->scratch, "%.*s\xe2\x80\xa6", cut, *text);
  return layout_measure(ctx, face, *size, *text, (int)strlen(*text));
}

static void running_slot(layout_ctx *ctx, display_page *page, const char *text, double x, double size,
                         double baseline) {
  if (!text) return;
  text_style *st = arena_alloc(ctx->scratch, sizeof *st);
  if (!st) return;
  *st = ctx->tpl->running;
  st->size = size;
  st->align = ALIGN_LEFT;
  paragraph p = {0};
  p.style = st;
  paragraph_add_text(ctx, &p, st, layout_face(ctx, st, st->bold, st->italic), &st->color, text,
                     (int)strlen(text), 0);
  paragraph_break(ctx, &p, 1e6);
  if (p.line_count) paragraph_emit_line(ctx, &p, 0, x, baseline, page);
}

static void emit_running(layout_ctx *ctx, display_page *page, const running_part *part, int is_header,
                         double frame_x, double frame_w, int number, int pages) {
  if (!part->present) return;
  const template_model *t = ctx->tpl;
  double baseline = is_header ? t->page.height - t->page.header_offset : t->page.footer_offset;
  const char *slots[3] = {expand_running(ctx, part->left, number, pages),
                          expand_running(ctx, part->center, number, pages),
                          expand_running(ctx, part->right, number, pages)};
  if (t->page.mirrored && number % 2 == 0) { /* outside edge on both pages */
    const char *tmp = slots[0];
    slots[0] = slots[2];
    slots[2] = tmp;
  }
  /* the centre slot first; left and right share what is left beside it */
  display_push(page, DISPLAY_BEGIN_ARTIFACT);
  double gap = t->running.size, size[3] = {0, 0, 0}, width[3] = {0, 0, 0};
  if (slots[1]) {
    /* the centre leaves the sides room for what they hold, up to a third */
    const text_style *st = &t->running;
    int face = layout_face(ctx, st, st->bold, st->italic);
    double sides = 0;
    for (int k = 0; k < 3; k += 2) {
      double w = slots[k] ? layout_measure(ctx, face, st->size, slots[k], (int)strlen(slots[k])) : 0;
      if (w > sides) sides = w;
    }
    double room = frame_w - 2 * (sides + gap);
    if (room < frame_w / 3) room = frame_w / 3;
    width[1] = fit_slot(ctx, &slots[1], &size[1], room);
  }
  double side = slots[1] ? (frame_w - width[1]) / 2 - gap : frame_w / 2 - gap / 2;
  if (!slots[1] && !slots[2]) side = frame_w;
  if (!slots[1] && !slots[0]) side = frame_w;
  if (slots[0]) width[0] = fit_slot(ctx, &slots[0], &size[0], side);
  if (slots[2]) width[2] = fit_slot(ctx, &slots[2], &size[2], side);
  running_slot(ctx, page, slots[0], frame_x, size[0], baseline);
  running_slot(ctx, page, slots[1], frame_x + (frame_w - width[1]) / 2, size[1], baseline);
  running_slot(ctx, page, slots[2], frame_x + frame_w - width[2], size[2], baseline);
  if (part->rule_width > 0) {
    display_op *op = display_push(page, DISPLAY_LINE);
    if (op) {
      double gap = t->running.size * 0.45;
      op->x = frame_x;
      op->y = is_header ? baseline - gap : baseline + t->running.size + gap * 0.5;
      op->w = frame_w;
      op->u.line.width = part->rule_width;
      op->u.line.color = part->rule_color;
    }
  }
  display_push(page, DISPLAY_END_ARTIFACT);
}

/* ---- the run ---- */

typedef struct pass_state {
  arena pass_arena;
  flow f;
  plan p;
} pass_state;

static int run_pass(layout_ctx *ctx, pass_state *ps, double width) {
  arena_free(&ps->pass_arena);
  memset(&ps->f, 0, sizeof ps->f);
  ctx->pass = &ps->pass_arena;
  ctx->symbols = NULL; /* they lived in the arena just freed */
  ctx->column_decimals = -1;
  ctx->column_unit = NULL;
  ctx->column_unit_space = -1;
  ctx->frame_height = frame_height(ctx->tpl);
  flow_layout_document(ctx, &ps->f, width);
  if (ctx->failed || ps->pass_arena.failed) return 0;
  keep_lead_ins(ctx, &ps->f);
  keep_heading_followers(ctx, &ps->f);
  return paginate(&ps->f, ctx->tpl, &ps->p);
}

static int emit_pages(layout_ctx *ctx, pass_state *ps, layout_page_fn emit, void *user) {
  const template_model *t = ctx->tpl;
  const flow *f = &ps->f;
  double frame_w = t->page.width - t->page.inner - t->page.outer;
  int cursor = 0;
  arena scratch = {0}, *measure_scratch = ctx->scratch;
  ctx->scratch = &scratch; /* per page from here on */
  display_page page = {0};
  int ok = 1;
  for (int k = 0; k < ps->p.count && ok; k++) {
    const page_plan *pp = &ps->p.pages[k];
    int number = k + 1;
    page.number = number;
    page.width = t->page.width;
    page.height = t->page.height;
    page.count = 0;
    double frame_x = t->page.mirrored && number % 2 == 0 ? t->page.outer : t->page.inner;
    int first_page = number == 1 && t->first_page_different;
    int blank = pp->first == pp->end; /* left before an odd-page start: truly blank */
    if (!blank) {
      emit_running(ctx, &page, first_page ? &t->first_header : &t->header, 1, frame_x, frame_w, number,
                   ps->p.count);
      emit_running(ctx, &page, first_page ? &t->first_footer : &t->footer, 0, frame_x, frame_w, number,
                   ps->p.count);
    }
    emit_state es = {ctx, &page, frame_x, &cursor};
    double y = t->page.height - t->page.top;
    if (pp->repeat_header >= 0) {
      /* a repeated header is a copy: an artifact, the first one is tagged */
      display_push(&page, DISPLAY_BEGIN_ARTIFACT);
      const vbox *hb = &f->boxes[pp->repeat_header];
      ctx->artifact_copy = 1;
      table_emit_rows(&es, hb, y);
      ctx->artifact_copy = 0;
      display_push(&page, DISPLAY_END_ARTIFACT);
      y -= hb->height;
    }
    for (int b = pp->first; b < pp->end; b++) {
      const vbox *box = &f->boxes[b];
      if (b > pp->first) y -= box->space_before;
      flow_emit_box(&es, f, box, y);
      y -= box->height;
    }
    footnote_emit_page(&es, f, pp->first, pp->end);
    if (k == ps->p.count - 1) flow_emit_events_until(&es, f, f->event_count);
    if (ctx->failed) ok = 0;
    else if (!emit(user, &page)) ok = 0;
    arena_free(&scratch);
  }
  display_page_clear(&page);
  ctx->scratch = measure_scratch;
  return ok;
}

/* The node after n in document order under root, without a stack (a
 * fixed one silently dropped sections past its size). */
static const node *next_node(const node *n, const node *root) {
  if (n->first) return n->first;
  for (; n && n != root; n = n->parent)
    if (n->next) return n->next;
  return NULL;
}

static void record_headings(layout_ctx *ctx, pass_state *ps, layout_result *r) {
  const flow *f = &ps->f;
  int n = 0;
  for (int b = 0; b < f->count; b++) n += f->boxes[b].anchor > 0;
  r->headings = arena_alloc(&r->arena, sizeof(layout_heading) * (size_t)(n ? n : 1));
  if (!r->headings) return;
  /* section ids to nodes: walk the model once */
  const node **by_id = calloc((size_t)ctx->doc->node_count + 1, sizeof *by_id);
  if (!by_id) return;
  for (const node *n = ctx->doc->body; n; n = next_node(n, ctx->doc->body))
    if (n->kind == NODE_SECTION && n->id <= ctx->doc->node_count) by_id[n->id] = n;
  const double top = ctx->tpl->page.height - ctx->tpl->page.top;
  for (int k = 0; k < ps->p.count; k++) {
    double y = top;
    for (int b = ps->p.pages[k].first; b < ps->p.pages[k].end; b++) {
      const vbox *box = &f->boxes[b];
      if (b > ps->p.pages[k].first) y -= box->space_before;
      if (box->anchor > 0 && box->anchor <= ctx->doc->node_count && by_id[box->anchor]) {
        const node *s = by_id[box->anchor];
        layout_heading *h = &r->headings[r->heading_count++];
        h->node_id = s->id;
        h->level = s->u.section.level;
        h->page = k + 1;
        h->y = y;
        h->title = s->first && s->first->kind == NODE_HEADING ? model_plain_text(&r->arena, s->first) : "";
        char num[80];
        template_section_number(ctx->tpl, s, num, sizeof num);
        if (*num) {
          h->title = arena_printf(&r->arena, "%s %s", num, h->title ? h->title : "");
        }
      }
      y -= box->height;
    }
  }
  free(by_id);
}

int layout_run(const document_model *doc, const template_model *tpl, fontset *fonts, hyphenator *hyphen,
               diag_sink *sink, layout_page_fn emit, void *user, layout_result *result) {
  memset(result, 0, sizeof *result);
  layout_ctx ctx = {.doc = doc, .tpl = tpl, .fonts = fonts, .hyphen = hyphen, .sink = sink, .column_decimals = -1,
                    .column_unit_space = -1};
  arena measure_scratch = {0};
  ctx.scratch = &measure_scratch;
  double width = tpl->page.width - tpl->page.inner - tpl->page.outer;
  int count = doc->node_count + 1;
  int *pages = calloc((size_t)count, sizeof(int));
  pass_state ps = {0};
  /* One pass suffices: the TOC reserves a fixed width for its page numbers,
   * so no number can move what follows it; they are filled in from the
   * final pagination when the pages are drawn. */
  int ok = pages && layout_check_symbols(&ctx) && layout_index_nodes(&ctx) && run_pass(&ctx, &ps, width);
  int *marks = NULL;
  if (ok && tpl->footnote.numbering == NOTE_NUMBER_PAGE && doc->note_count > 0) {
    /* Numbered per page: the numbers come from a pagination, and may move
     * it (a narrower marker); a few passes settle them. */
    marks = calloc((size_t)count, sizeof *marks);
    ok = marks != NULL;
    for (int pass = 0; ok && pass < 4; pass++) {
      int changed = 0;
      for (int k = 0; k < ps.p.count; k++)
        changed += footnote_number_page(&ps.f, ps.p.pages[k].first, ps.p.pages[k].end, marks);
      if (!changed) break;
      ctx.note_marks = marks;
      ok = run_pass(&ctx, &ps, width);
    }
  }
  if (ok) {
    result->passes = 1;
    heading_pages(&ps.f, &ps.p, pages, count);
    toc_input toc = {pages, count};
    ctx.toc = &toc;
    result->pages = ps.p.count;
    record_headings(&ctx, &ps, result);
    ok = emit_pages(&ctx, &ps, emit, user);
    ctx.toc = NULL;
  }
  if (ctx.failed) ok = 0;
  layout_ctx_release(&ctx);
  free(ctx.nodes);
  arena_free(&measure_scratch);
  arena_free(&ps.pass_arena);
  free(ps.p.pages);
  free(pages);
  free(marks);
  return ok;
}

void layout_result_free(layout_result *result) { arena_free(&result->arena); }
