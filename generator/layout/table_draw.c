/* table_draw.c - drawing a table's rows: fills and rules per cell box
 * (a row-spanned cell is one cell: no row's rule or stripe crosses it),
 * then the cells' content in reading order. */
#include "layout/symbol.h"
#include "layout/table_internal.h"
#include "layout/tagging.h"

static void fill_rect(display_page *page, double x, double y, double w, double h, rgb c) {
  display_op *op = display_push(page, DISPLAY_RECT);
  if (op) op->x = x, op->y = y, op->w = w, op->h = h, op->u.fill = c;
}

static void hrule(display_page *page, double x, double y, double w, double width, rgb c) {
  if (width <= 0) return;
  display_op *op = display_push(page, DISPLAY_LINE);
  if (op) op->x = x, op->y = y, op->w = w, op->h = 0, op->u.line.width = width, op->u.line.color = c;
}

/* The next run [*k, *m) of columns from *k on that skip leaves out
 * (columns a row-spanned cell covers); 0 when there is none. */
static int next_run(const table_layout *t, uint64_t skip, int *k, int *m) {
  while (*k < t->ncols && *k < 64 && (skip >> *k & 1)) (*k)++;
  if (*k >= t->ncols) return 0;
  for (*m = *k + 1; *m < t->ncols && !(*m < 64 && (skip >> *m & 1));) (*m)++;
  return 1;
}

/* A fill across the table from y1 up by h, or (h < 0) a rule of the given
 * width at y1, over the columns not in skip: a row-spanned cell is one box
 * that no row's stripe or rule crosses. One piece per run of columns. */
static void across(display_page *page, const table_layout *t, double left, double y1, double h, uint64_t skip,
                   double width, rgb c) {
  for (int k = 0, m = 0; next_run(t, skip, &k, &m); k = m) {
    double x = left + t->col_x[k], w = t->col_x[m] - t->col_x[k];
    if (h >= 0) fill_rect(page, x, y1, w, h, c);
    else hrule(page, x, y1, w, width, c);
  }
}

/* A cell that holds nothing but a cell-background symbol (riskvärde) is
 * tinted whole, as risk matrices are printed; NULL for any other cell. */
static const symbol_part *cell_symbol_fill(layout_ctx *ctx, const node *cell) {
  const node *p = cell->first;
  if (!p || p->kind != NODE_PARAGRAPH || !p->first || p->first->kind != NODE_SYMBOL) return NULL;
  const placed_symbol *s = layout_symbol(ctx, p->first);
  if (!s || !s->fills_cell) return NULL;
  for (int i = 0; i < s->value->part_count; i++)
    if (s->value->parts[i].shape == SHAPE_CELL && (s->value->parts[i].paint & SYMBOL_FILL))
      return &s->value->parts[i];
  return NULL;
}

void table_emit_rows(emit_state *es, const vbox *b, double top) {
  layout_ctx *ctx = es->ctx;
  const table_layout *t = b->u.rows.table;
  const table_style *ts = &ctx->tpl->table;
  double left = es->frame_x + b->x, width = t->col_x[t->ncols];
  int first = b->u.rows.first, last = first + b->u.rows.count;
  double total = t->rows[last - 1].top + t->rows[last - 1].height - t->rows[first].top;
  /* the window of the row group this box shows: all of it, or a slice;
   * the rows before `start` end above it (each loop below starts there,
   * so a long group costs no more per page than a short one) */
  double from = b->u.rows.to > 0 ? b->u.rows.from : 0, to = b->u.rows.to > 0 ? b->u.rows.to : total;
  double origin = top + from; /* where the group's top would be */
  int start = first_row_reaching(t, first, last, from);
  double start_y = origin - (t->rows[start].top - t->rows[first].top);
  /* backgrounds, then rules over them; each row draws the rule at its own
   * top, so the next box's fill never covers it. All are artifacts. */
  display_push(es->page, DISPLAY_BEGIN_ARTIFACT);
  double bottom = top - (to - from);
  double y = start_y;
  for (int r = start; r < last && y > bottom + 0.01; r++) {
    const row_info *ri = &t->rows[r];
    double y0 = y < top ? y : top, y1 = y - ri->height > bottom ? y - ri->height : bottom;
    rgb fill = {0, 0, 0};
    int filled = 1, striped = 0;
    if (ri->group == NODE_THEAD || ri->row->u.row.role == ROW_GROUP) fill = ts->header_fill;
    else if (ts->zebra && ri->group == NODE_TBODY && ri->body_index % 2 == 1) fill = ts->zebra_fill, striped = 1;
    else filled = 0;
    /* a row-spanned cell is one box: the row's stripe stops at it; it
     * takes the header or group fill whole, never a zebra stripe */
    uint64_t skip = ri->spanned;
    for (int i = ri->first_cell; i < ri->first_cell + ri->cell_count; i++)
      if (t->cells[i].rowspan > 1) skip |= column_bits(t->cells[i].col, t->cells[i].colspan);
    if (filled && y1 < y0) across(es->page, t, left, y1, y0 - y1, skip, 0, fill);
    for (int i = ri->first_cell; i < ri->first_cell + ri->cell_count; i++) {
      const cell_layout *c = &t->cells[i];
      const symbol_part *tint = cell_symbol_fill(ctx, c->cell);
      int whole = c->rowspan > 1 && filled && !striped;
      if (!tint && !whole) continue;
      double h = 0;
      for (int k = r; k < r + c->rowspan && k < t->nrows; k++) h += t->rows[k].height;
      double cy1 = y - h > bottom ? y - h : bottom;
      if (cy1 < y0)
        fill_rect(es->page, left + t->col_x[c->col], cy1, t->col_x[c->col + c->colspan] - t->col_x[c->col], y0 - cy1,
                  tint ? tint->fill : fill);
    }
    y -= ri->height;
  }
  y = start_y;
  for (int r = start; r < last && y > bottom + 0.01; r++) {
    const row_info *ri = &t->rows[r];
    if (r > 0 && ri->group != NODE_THEAD && y <= top + 0.01) {
      const row_info *above = &t->rows[r - 1];
      double w = above->group == NODE_THEAD ? ts->frame_width
                 : ri->row->u.row.role == ROW_SUM ? ts->frame_width * 0.8
                                                  : ts->rule_width;
      across(es->page, t, left, y, -1, ri->spanned, w, ts->rule_color);
    }
    y -= ri->height;
    int last_of_header = ri->group == NODE_THEAD && (r + 1 == t->nrows || t->rows[r + 1].group != NODE_THEAD);
    if ((last_of_header || r + 1 == t->nrows) && y >= bottom - 0.01)
      hrule(es->page, left, y, width, ts->frame_width, ts->rule_color);
  }
  if ((first == 0 && from == 0) || b->is_table_header) hrule(es->page, left, top, width, ts->frame_width, ts->rule_color);
  /* a thin rule under header cells that span columns (two-level headers) */
  int header_cells = t->rows[first].group == NODE_THEAD ? t->rows[last - 1].first_cell + t->rows[last - 1].cell_count : 0;
  for (int i = t->rows[first].first_cell; i < header_cells; i++) {
    const cell_layout *c = &t->cells[i];
    if (c->colspan < 2 || t->rows[c->row].group != NODE_THEAD) continue;
    double cy = top;
    for (int r = first; r < c->row + c->rowspan; r++) cy -= t->rows[r].height;
    hrule(es->page, left + t->col_x[c->col] + ts->padding_h, cy,
          t->col_x[c->col + c->colspan] - t->col_x[c->col] - 2 * ts->padding_h, ts->rule_width, ts->rule_color);
  }
  display_push(es->page, DISPLAY_END_ARTIFACT);

  /* cells, row by row, in reading order; in a slice only the rows and
   * cells it crosses, with the lines in it (opening every row of a long
   * group on every page made pages and structure quadratic) */
  for (int r = start; r < last; r++) {
    double row_top = t->rows[r].top - t->rows[first].top;
    if (row_top >= to - 0.01) break;
    int cells_from = t->rows[r].first_cell, cells_to = cells_from + t->rows[r].cell_count;
    int crossed = row_top + t->rows[r].height > from + 0.01;
    for (int i = cells_from; i < cells_to && !crossed; i++) crossed = cell_bottom(t, &t->cells[i], first) > from + 0.01;
    if (!crossed) continue;
    layout_begin_struct(ctx, es->page, t->rows[r].row->id, PART_NODE);
    for (int i = cells_from; i < cells_to; i++) {
      const cell_layout *c = &t->cells[i];
      if (cell_bottom(t, c, first) <= from + 0.01) continue;
      layout_begin_struct(ctx, es->page, c->cell->id, PART_NODE);
      int cursor = 0;
      emit_state inner = {ctx, es->page, left + t->col_x[c->col] + ts->padding_h - c->shift, &cursor};
      for (int k = from > 0 ? first_box_below(t, c, first, from - 0.01) : 0; k < c->content.count; k++) {
        double offset = box_offset(t, c, first, k);
        if (offset >= to - 0.01) break;
        if (offset < from - 0.01) continue;
        flow_emit_box(&inner, &c->content, &c->content.boxes[k], top - (offset - from));
      }
      if (to >= total - 0.01) {
        flow_emit_events_until(&inner, &c->content, c->content.event_count);
      } else {
        /* a slice ends inside the cell: close what it opened; the next
         * slice re-opens the same elements */
        int open = 0;
        for (int e = 0; e < cursor; e++) open += c->content.events[e].kind == EVENT_BEGIN ? 1 : -1;
        for (; open > 0; open--) display_push(es->page, DISPLAY_END_NODE);
      }
      display_push(es->page, DISPLAY_END_NODE);
    }
    display_push(es->page, DISPLAY_END_NODE);
  }
}
