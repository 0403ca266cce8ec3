/* table.c - table layout: automatic column widths (minimum and preferred
 * content widths fitted to the frame), decimal-comma alignment, row roles,
 * and the fallback chain for numbers that do not fit: the column takes the
 * width, then the table's font steps down to the template's limit, then a
 * clear error. Never '#####'. */
#include "layout/symbol.h"
#include "layout/table.h"
#include "layout/tagging.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"

typedef struct cell_layout {
  const node *cell;
  int row, col, rowspan, colspan;
  const text_style *style;
  align_kind align;
  flow content;
  double *box_top; /* top of each content box below the cell's top (padding included) */
  double height;   /* content height */
  double frac_width, shift; /* decimal alignment */
  int is_header;
} cell_layout;

typedef struct row_info {
  const node *row;
  node_kind group; /* THEAD, TBODY, TFOOT */
  double height;
  double top;     /* below the table's first row */
  int body_index; /* for zebra stripes */
  int first_cell, cell_count; /* the cells starting in this row (cells are in row order) */
} row_info;

typedef struct table_layout {
  const node *table;
  int ncols, nrows, ncells;
  double x, width;
  double *col_x, *col_w;
  row_info *rows;
  cell_layout *cells;
  text_style body, header;
  int header_index; /* the header's box in the flow, -1 when none */
  double pad_v;
  double header_height;
  double *reach; /* reach[r]: lowest bottom of rows 0..r and their cells */
} table_layout;

double table_header_height(const table_layout *t) { return t ? t->header_height : 0; }
int table_header_index(const table_layout *t) { return t ? t->header_index : -1; }

static int is_numeric_align(align_kind a) { return a == ALIGN_DECIMAL || a == ALIGN_RIGHT; }

static const table_column *column_of(const table_layout *t, int c) { return &t->table->u.table.columns[c]; }

/* The style a cell's text takes from its row's role and group. */
static const text_style *cell_style(layout_ctx *ctx, table_layout *t, const row_info *r, const node *cell,
                                    int *is_header) {
  *is_header = r->group == NODE_THEAD || cell->u.cell.header == CELL_HEADER_ROW ||
               cell->u.cell.header == CELL_HEADER_COLUMN;
  const text_style *base = r->group == NODE_THEAD ? &t->header : &t->body;
  row_role role = r->row->u.row.role;
  if (role == ROW_NORMAL && !(*is_header && r->group != NODE_THEAD)) return base;
  text_style *s = arena_alloc(ctx->pass, sizeof *s);
  if (!s) {
    ctx->failed = 1;
    return base;
  }
  *s = *base;
  if (role == ROW_SUM || role == ROW_GROUP) s->bold = 1;
  if (role == ROW_SUB) s->italic = 1;
  if (*is_header && r->group != NODE_THEAD) s->bold = t->header.bold;
  s->face = -1;
  s->face = layout_face(ctx, s, s->bold, s->italic);
  return s;
}

/* Widths of a cell's blocks: w[0] the minimum with hyphenation, w[1] the
 * minimum with whole words, w[2] everything on one line. */
static void measure_blocks(layout_ctx *ctx, const node *parent, const text_style *style, double w[3]) {
  const list_style *ls = &ctx->tpl->list;
  for (const node *n = parent->first; n && !ctx->failed; n = n->next) {
    double m[3] = {0, 0, 0};
    if (n->kind == NODE_PARAGRAPH) {
      paragraph p = {0};
      paragraph_add_inlines(ctx, &p, n, style, style->bold, style->italic);
      paragraph_widths(ctx, &p, &m[0], &m[1], &m[2]);
      paragraph_discard(ctx, &p);
    } else if (n->kind == NODE_LIST) {
      for (const node *it = n->first; it; it = it->next) {
        double a[3] = {0, 0, 0};
        measure_blocks(ctx, it, style, a);
        for (int k = 0; k < 3; k++)
          if (a[k] > m[k]) m[k] = a[k];
      }
      for (int k = 0; k < 3; k++) m[k] += ls->indent + ls->label_width;
    }
    for (int k = 0; k < 3; k++)
      if (m[k] > w[k]) w[k] = m[k];
  }
}

/* Width of a numeric cell's text from its decimal separator (or, without
 * one, from its last digit) to the end: what must line up. */
static double fraction_width(layout_ctx *ctx, const cell_layout *c) {
  const node *p = c->cell->first;
  if (!p || p->kind != NODE_PARAGRAPH || p->next) return 0;
  paragraph para = {0};
  paragraph_add_inlines(ctx, &para, p, c->style, c->style->bold, c->style->italic);
  double w = 0;
  int seen_sep = 0;
  const char *sep = ctx->tpl->decimal_separator;
  size_t sl = strlen(sep);
  for (int i = para.item_count - 1; i >= 0 && !seen_sep; i--) {
    const item *it = &para.items[i];
    if (it->kind == ITEM_SYMBOL) { /* a drawing, whatever its text */
      w += it->width;
      continue;
    }
    int cut = -1;
    for (int k = it->length - (int)sl; k >= 0; k--)
      if (memcmp(it->text + k, sep, sl) == 0) {
        cut = k;
        break;
      }
    if (cut < 0) {
      /* no separator: the tail after the last digit */
      int k = it->length;
      while (k > 0 && !(it->text[k - 1] >= '0' && it->text[k - 1] <= '9')) k--;
      if (k > 0 || it->kind == ITEM_WORD) {
        if (k < it->length) w += item_part_width(ctx, it, k, it->length);
        if (k > 0) {
          paragraph_discard(ctx, &para);
          return w;
        }
        continue;
      }
      w += it->width;
      continue;
    }
    w += item_part_width(ctx, it, cut, it->length);
    seen_sep = 1;
  }
  paragraph_discard(ctx, &para);
  return w;
}

static void collect(layout_ctx *ctx, table_layout *t) {
  const node *table = t->table;
  t->ncols = table->u.table.column_count;
  t->nrows = table->u.table.row_count;
  int ncells = 0;
  for (const node *g = table->first; g; g = g->next)
    if (g->kind == NODE_THEAD || g->kind == NODE_TBODY || g->kind == NODE_TFOOT)
      for (const node *r = g->first; r; r = r->next)
        for (const node *c = r->first; c; c = c->next) ncells++;
  t->rows = arena_alloc(ctx->pass, sizeof(row_info) * (size_t)(t->nrows ? t->nrows : 1));
  t->cells = arena_alloc(ctx->pass, sizeof(cell_layout) * (size_t)(ncells ? ncells : 1));
  t->col_x = arena_alloc(ctx->pass, sizeof(double) * (size_t)(t->ncols + 1));
  t->col_w = arena_alloc(ctx->pass, sizeof(double) * (size_t)(t->ncols + 1));
  if (!t->rows || !t->cells || !t->col_x || !t->col_w) {
    ctx->failed = 1;
    return;
  }
  int ri = 0, body_index = 0;
  for (const node *g = table->first; g; g = g->next) {
    if (g->kind != NODE_THEAD && g->kind != NODE_TBODY && g->kind != NODE_TFOOT) continue;
    for (const node *r = g->first; r && ri < t->nrows; r = r->next, ri++) {
      t->rows[ri].row = r;
      t->rows[ri].group = g->kind;
      t->rows[ri].body_index = g->kind == NODE_TBODY ? body_index++ : 0;
      t->rows[ri].first_cell = t->ncells;
      for (const node *c = r->first; c; c = c->next) {
        cell_layout *cl = &t->cells[t->ncells++];
        memset(cl, 0, sizeof *cl);
        cl->cell = c;
        cl->row = ri;
        cl->col = c->u.cell.column;
        cl->colspan = c->u.cell.colspan;
        cl->rowspan = c->u.cell.rowspan;
      }
      t->rows[ri].cell_count = t->ncells - t->rows[ri].first_cell;
    }
  }
}

static void assign_styles(layout_ctx *ctx, table_layout *t) {
  for (int i = 0; i < t->ncells; i++) {
    cell_layout *c = &t->cells[i];
    c->style = cell_style(ctx, t, &t->rows[c->row], c->cell, &c->is_header);
    align_kind a = c->cell->u.cell.align != ALIGN_DEFAULT ? c->cell->u.cell.align : column_of(t, c->col)->align;
    if (c->colspan > 1 && t->rows[c->row].group == NODE_THEAD) a = ALIGN_CENTER;
    else if (a == ALIGN_DECIMAL && t->rows[c->row].group == NODE_THEAD) a = ALIGN_RIGHT;
    else if (a == ALIGN_DECIMAL && c->colspan > 1) a = ALIGN_RIGHT;
    c->align = a;
  }
}

static void set_column_context(layout_ctx *ctx, const table_layout *t, const cell_layout *c) {
  const table_column *col = column_of(t, c->col);
  ctx->tabular = ctx->tpl->table.tabular_figures;
  ctx->column_decimals = col->decimals;
  ctx->column_unit = col->unit;
  ctx->column_unit_space = col->unit_space;
}

/* Column widths; returns 0 when even the minimum widths do not fit. */
static int fit_columns(layout_ctx *ctx, table_layout *t, double avail, int *worst_cell) {
  int n = t->ncols;
  double pad = 2 * ctx->tpl->table.padding_h;
  double *mn = arena_alloc(ctx->scratch, sizeof(double) * (size_t)n * 5);
  if (!mn) {
    ctx->failed = 1;
    return 1;
  }
  double *mx = mn + n, *int_w = mn + 2 * n, *frac_w = mn + 3 * n, *mnw = mn + 4 * n;
  *worst_cell = -1;
  for (int pass = 0; pass < 2; pass++) { /* single-column cells first, then spans */
    for (int i = 0; i < t->ncells; i++) {
      cell_layout *c = &t->cells[i];
      if ((c->colspan == 1) != (pass == 0)) continue;
      set_column_context(ctx, t, c);
      double m[3] = {0, 0, 0};
      measure_blocks(ctx, c->cell, c->style, m);
      if (c->align == ALIGN_DECIMAL && c->colspan == 1) c->frac_width = fraction_width(ctx, c);
      ctx->tabular = 0;
      double a = m[0] + pad, aw = m[1] + pad, b = m[2] + pad;
      if (c->colspan == 1) {
        if (c->align == ALIGN_DECIMAL) {
          /* a number is one unbreakable word: min = max */
          double iw = b - pad - c->frac_width;
          if (iw > int_w[c->col]) int_w[c->col] = iw;
          if (c->frac_width > frac_w[c->col]) frac_w[c->col] = c->frac_width;
        }
        if (a > mn[c->col]) mn[c->col] = a, *worst_cell = a > avail / n ? i : *worst_cell;
        if (aw > mnw[c->col]) mnw[c->col] = aw;
        if (b > mx[c->col]) mx[c->col] = b;
      } else {
        double smin = 0, sminw = 0, smax = 0;
        for (int k = 0; k < c->colspan; k++) smin += mn[c->col + k], sminw += mnw[c->col + k], smax += mx[c->col + k];
        for (int k = 0; k < c->colspan; k++) {
          if (a > smin) mn[c->col + k] += (a - smin) / c->colspan;
          if (aw > sminw) mnw[c->col + k] += (aw - sminw) / c->colspan;
          if (b > smax) mx[c->col + k] += (b - smax) / c->colspan;
        }
      }
    }
  }
  for (int k = 0; k < n; k++) {
    double dec = int_w[k] + frac_w[k] + pad;
    if (column_of(t, k)->align == ALIGN_DECIMAL) {
      if (dec > mn[k]) mn[k] = dec;
      if (dec > mnw[k]) mnw[k] = dec;
      if (dec > mx[k]) mx[k] = dec;
    }
  }
  /* Whole words where they fit: hyphenate in a table only when the
   * columns cannot otherwise be made narrow enough. */
  double whole_sum = 0, avail_auto = avail;
  for (int k = 0; k < n; k++) {
    const table_column *col = column_of(t, k);
    if (col->width_kind == WIDTH_FIXED) avail_auto -= col->width;
    else if (col->width_kind == WIDTH_PERCENT) avail_auto -= avail * col->width / 100;
    else whole_sum += mnw[k];
  }
  if (whole_sum <= avail_auto)
    for (int k = 0; k < n; k++) {
      width_kind wk = column_of(t, k)->width_kind;
      if (wk != WIDTH_FIXED && wk != WIDTH_PERCENT && mnw[k] > mn[k]) mn[k] = mnw[k];
    }
  /* fixed and percentage columns take their width; the rest share */
  double fixed = 0, sum_min = 0, sum_max = 0, weights = 0;
  for (int k = 0; k < n; k++) {
    const table_column *col = column_of(t, k);
    t->col_w[k] = 0;
    if (col->width_kind == WIDTH_FIXED) t->col_w[k] = col->width;
    else if (col->width_kind == WIDTH_PERCENT) t->col_w[k] = avail * col->width / 100;
    if (t->col_w[k] > 0) {
      if (t->col_w[k] < mn[k]) t->col_w[k] = mn[k];
      fixed += t->col_w[k];
    } else {
      sum_min += mn[k], sum_max += mx[k];
      if (col->width_kind == WIDTH_WEIGHT) weights += col->width;
    }
  }
  double room = avail - fixed;
  if (sum_min > room + 0.01) return 0;
  if (sum_max <= room) {
    /* everything fits on one line; the spare room goes to weighted
     * columns, else to text columns (numbers stay compact) */
    double spare = room - sum_max, text_max = 0;
    for (int k = 0; k < n; k++)
      if (t->col_w[k] == 0 && !is_numeric_align(column_of(t, k)->align)) text_max += mx[k];
    for (int k = 0; k < n; k++) {
      if (t->col_w[k] > 0) continue;
      const table_column *col = column_of(t, k);
      double share = 0;
      if (weights > 0) share = col->width_kind == WIDTH_WEIGHT ? spare * col->width / weights : 0;
      else if (text_max > 0) share = is_numeric_align(col->align) ? 0 : spare * mx[k] / text_max;
      else share = spare / n;
      t->col_w[k] = mx[k] + share;
    }
  } else {
    double extra = room - sum_min, want = sum_max - sum_min;
    for (int k = 0; k < n; k++)
      if (t->col_w[k] == 0) t->col_w[k] = mn[k] + (want > 0 ? extra * (mx[k] - mn[k]) / want : 0);
  }
  double x = 0;
  for (int k = 0; k < n; k++) {
    t->col_x[k] = x;
    x += t->col_w[k];
  }
  t->col_x[n] = x;
  /* decimal alignment: each number moves left by what its fraction lacks */
  for (int i = 0; i < t->ncells; i++) {
    cell_layout *c = &t->cells[i];
    if (c->align == ALIGN_DECIMAL) c->shift = frac_w[c->col] - c->frac_width;
  }
  return 1;
}

static void layout_cells(layout_ctx *ctx, table_layout *t) {
  double pad_h = ctx->tpl->table.padding_h, pad_v = ctx->tpl->table.padding_v;
  t->pad_v = pad_v;
  for (int i = 0; i < t->ncells && !ctx->failed; i++) {
    cell_layout *c = &t->cells[i];
    double w = t->col_x[c->col + c->colspan] - t->col_x[c->col] - 2 * pad_h;
    text_style *st = arena_alloc(ctx->pass, sizeof *st);
    if (!st) {
      ctx->failed = 1;
      return;
    }
    *st = *c->style;
    st->align = c->align == ALIGN_DECIMAL ? ALIGN_RIGHT : c->align == ALIGN_DEFAULT ? ALIGN_LEFT : c->align;
    st->space_before = st->space_after = 0;
    if (t->rows[c->row].row->u.row.role == ROW_SUB && c->col == 0) st->indent = st->size;
    block_frame fr = {0, w, 0, st, 1};
    set_column_context(ctx, t, c);
    flow_layout_blocks(ctx, &c->content, c->cell, &fr);
    ctx->tabular = 0;
    c->box_top = arena_alloc_uninit(ctx->pass, sizeof(double) * (size_t)(c->content.count + 1));
    if (!c->box_top) {
      ctx->failed = 1;
      return;
    }
    double h = 0;
    for (int k = 0; k < c->content.count; k++) {
      const vbox *b = &c->content.boxes[k];
      h += k ? b->space_before : 0;
      c->box_top[k] = pad_v + h;
      h += b->height;
    }
    c->height = h + 2 * pad_v;
  }
  ctx->column_decimals = -1;
  ctx->column_unit = NULL;
  ctx->column_unit_space = -1;
  /* row heights: single-row cells first, then spans top up their last row */
  for (int r = 0; r < t->nrows; r++) t->rows[r].height = t->body.leading + 2 * pad_v;
  for (int i = 0; i < t->ncells; i++)
    if (t->cells[i].rowspan == 1 && t->cells[i].height > t->rows[t->cells[i].row].height)
      t->rows[t->cells[i].row].height = t->cells[i].height;
  for (int i = 0; i < t->ncells; i++) {
    cell_layout *c = &t->cells[i];
    if (c->rowspan == 1) continue;
    double h = 0;
    for (int k = 0; k < c->rowspan; k++) h += t->rows[c->row + k].height;
    if (c->height > h) t->rows[c->row + c->rowspan - 1].height += c->height - h;
  }
  double top = 0;
  for (int r = 0; r < t->nrows; r++) t->rows[r].top = top, top += t->rows[r].height;
  /* how far down the rows so far reach, spans included: where a slice's
   * rows start is a binary search */
  t->reach = arena_alloc_uninit(ctx->pass, sizeof *t->reach * (size_t)(t->nrows ? t->nrows : 1));
  if (!t->reach) {
    ctx->failed = 1;
    return;
  }
  for (int r = 0; r < t->nrows; r++) {
    double reach = (r ? t->reach[r - 1] : 0), bottom = t->rows[r].top + t->rows[r].height;
    if (bottom > reach) reach = bottom;
    for (int i = t->rows[r].first_cell; i < t->rows[r].first_cell + t->rows[r].cell_count; i++) {
      const row_info *end = &t->rows[t->cells[i].row + t->cells[i].rowspan - 1];
      if (end->top + end->height > reach) reach = end->top + end->height;
    }
    t->reach[r] = reach;
  }
}

static void report_overflow(layout_ctx *ctx, const table_layout *t, int worst) {
  const node *where = worst >= 0 ? t->cells[worst].cell : t->table;
  const char *name = NULL;
  for (const node *n = t->table->first; n; n = n->next)
    if (n->kind == NODE_CAPTION) name = model_plain_text(ctx->pass, n);
  diag_error(ctx->sink, ctx->doc->file, where->line, where->column,
             "table %s%s%s(line %d) does not fit the text width even at %.1fpt: this cell's content "
             "cannot be broken (give the table fewer or narrower columns, or allow a smaller "
             "min-font-size)",
             name ? "\"" : "", name ? name : "", name ? "\" " : "", t->table->line,
             ctx->tpl->table.min_font_size);
  ctx->failed = 1;
}

/* A caption, unit or note paragraph (tagged P); keep: stays with what follows. */
static void caption_paragraph(layout_ctx *ctx, flow *f, const node *n, const text_style *st,
                              const block_frame *fr, int keep) {
  paragraph *p = arena_alloc(ctx->pass, sizeof *p);
  if (!p) {
    ctx->failed = 1;
    return;
  }
  paragraph_add_inlines(ctx, p, n, st, st->bold, st->italic);
  paragraph_break(ctx, p, fr->width);
  flow_event_push(ctx, f, EVENT_BEGIN, n->id, PART_NODE);
  flow_add_paragraph(ctx, f, p, fr->x, st->space_before, keep);
  flow_event_push(ctx, f, EVENT_END, n->id, PART_NODE);
  f->pending_space = st->space_after;
}

/* Offset of the top of a cell's content box k below its row group's top,
 * exactly as table_emit_rows places it. */
static double box_offset(const table_layout *t, const cell_layout *c, int group_first, int k) {
  return t->rows[c->row].top - t->rows[group_first].top + c->box_top[k];
}

/* Index of the cell's first box whose bottom is below offset y. */
static int first_box_below(const table_layout *t, const cell_layout *c, int group_first, double y) {
  int lo = 0, hi = c->content.count;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (box_offset(t, c, group_first, mid) + c->content.boxes[mid].height <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Bottom of a cell (all the rows it spans) below its row group's top. */
static double cell_bottom(const table_layout *t, const cell_layout *c, int group_first) {
  const row_info *last = &t->rows[c->row + c->rowspan - 1];
  return last->top + last->height - t->rows[group_first].top;
}

/* The first row of [first, last) with a cell or row reaching below offset
 * y of the group: the rows before it play no part in a slice from y. */
static int first_row_reaching(const table_layout *t, int first, int last, double y) {
  double at = t->rows[first].top + y;
  int lo = first, hi = last;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (t->reach[mid] <= at + 0.01) lo = mid + 1;
    else hi = mid;
  }
  return lo < last ? lo : last - 1;
}

/* A line of a cell in a slice search: its top and bottom below the row
 * group's top. */
typedef struct span_y {
  double top, bottom;
} span_y;

static int by_top(const void *a, const void *b) {
  double x = ((const span_y *)a)->top, y = ((const span_y *)b)->top;
  return (x > y) - (x < y);
}

/* The largest cut in (from, limit] that passes between lines of every
 * cell of rows [first, end); at worst a cut through a line that is itself
 * taller than the slice. The lines near the window are sorted by top with
 * a running maximum of their bottoms, so whether any line straddles a
 * candidate is one binary search (checking every cell for every candidate
 * was quadratic in the rows that spans join into one group). */
static double slice_end(layout_ctx *ctx, const table_layout *t, int first, int end, double from, double limit) {
  double total = t->rows[end - 1].top + t->rows[end - 1].height - t->rows[first].top;
  if (limit >= total) return total;
  int cell_from = t->rows[first_row_reaching(t, first, end, from)].first_cell;
  int cell_to = t->rows[end - 1].first_cell + t->rows[end - 1].cell_count;
  span_y *lines = NULL;
  int count = 0, capacity = 0;
  for (int i = cell_from; i < cell_to; i++) {
    const cell_layout *c = &t->cells[i];
    if (t->rows[c->row].top - t->rows[first].top >= limit) break; /* cells are in row order */
    for (int k = first_box_below(t, c, first, from); k < c->content.count; k++) {
      double top = box_offset(t, c, first, k);
      if (top >= limit) break;
      span_y *grown = grow_heap(lines, &capacity, count + 1, sizeof *lines, 64);
      if (!grown) {
        free(lines);
        ctx->failed = 1;
        return limit;
      }
      lines = grown;
      lines[count++] = (span_y){top, top + c->content.boxes[k].height};
    }
  }
  qsort(lines, (size_t)count, sizeof *lines, by_top);
  double *reach = malloc(sizeof *reach * (size_t)(count ? count : 1)); /* max bottom of lines[0..i] */
  if (!reach) {
    free(lines);
    ctx->failed = 1;
    return limit;
  }
  for (int i = 0; i < count; i++) reach[i] = i && reach[i - 1] > lines[i].bottom ? reach[i - 1] : lines[i].bottom;
  double best = from;
  for (int i = 0; i < count; i++) {
    double cut = lines[i].bottom + 0.01;
    if (cut > limit || cut <= from || cut <= best) continue;
    /* a line straddles the cut: it starts above cut - 0.02 and ends below cut + 0.02 */
    int lo = 0, hi = count;
    while (lo < hi) {
      int mid = lo + (hi - lo) / 2;
      if (lines[mid].top < cut - 0.02) lo = mid + 1;
      else hi = mid;
    }
    if (lo == 0 || reach[lo - 1] <= cut + 0.02) best = cut;
  }
  free(lines);
  free(reach);
  return best > from + 1 ? best : limit;
}

/* Styles and column widths with the table's font stepped down by `step`
 * half points; 1 when the columns fit. */
static int fit_at_step(layout_ctx *ctx, table_layout *t, double avail, int step, int *worst) {
  const table_style *ts = &ctx->tpl->table;
  double scale = 1 - step * 0.5 / ts->body.size;
  t->body.size = ts->body.size * scale, t->body.leading = ts->body.leading * scale;
  t->header.size = ts->header.size * scale, t->header.leading = ts->header.leading * scale;
  t->body.face = ts->body.face, t->header.face = ts->header.face;
  assign_styles(ctx, t);
  return fit_columns(ctx, t, avail, worst);
}

void table_layout_node(layout_ctx *ctx, flow *f, const node *table, const block_frame *fr) {
  table_layout *t = arena_alloc(ctx->pass, sizeof *t);
  if (!t) {
    ctx->failed = 1;
    return;
  }
  t->table = table;
  t->header_index = -1;
  t->x = fr->x;
  t->width = fr->width;
  collect(ctx, t);
  if (ctx->failed) return;
  /* step the font down in half points to the largest size at which the
   * columns fit, down to the template's minimum: by bisection, since
   * widths grow with the size (one step at a time was hundreds of passes
   * over every cell from a large size to a small minimum) */
  const table_style *ts = &ctx->tpl->table;
  t->body = ts->body;
  t->header = ts->header;
  int worst = -1;
  int steps = (int)floor((ts->body.size - ts->min_font_size + 1e-6) / 0.5); /* the smallest size tried */
  if (steps < 0) steps = 0;
  if (!fit_at_step(ctx, t, fr->width, 0, &worst)) {
    int lo = 1, hi = steps + 1, tried = 0; /* the first step that fits is in [lo, hi]; hi = steps + 1: none */
    while (lo < hi && !ctx->failed) {
      int mid = lo + (hi - lo) / 2;
      tried = mid;
      if (fit_at_step(ctx, t, fr->width, mid, &worst)) hi = mid;
      else lo = mid + 1;
    }
    if (lo > steps) {
      if (tried != steps) fit_at_step(ctx, t, fr->width, steps, &worst); /* the smallest size's worst cell */
      report_overflow(ctx, t, worst);
      return;
    }
    if (tried != lo) fit_at_step(ctx, t, fr->width, lo, &worst);
  }
  layout_cells(ctx, t);
  if (ctx->failed) return;

  /* Table > Caption (caption and unit as its paragraphs), then the rows;
   * a note follows the table, outside it */
  flow_event_push(ctx, f, EVENT_BEGIN, table->id, PART_NODE);
  int captioned = 0;
  for (const node *n = table->first; n; n = n->next)
    captioned |= n->kind == NODE_CAPTION || n->kind == NODE_TABLE_UNIT;
  if (captioned) flow_event_push(ctx, f, EVENT_BEGIN, table->id, PART_TABLE_CAPTION);
  for (const node *n = table->first; n; n = n->next)
    if (n->kind == NODE_CAPTION) caption_paragraph(ctx, f, n, &ts->caption, fr, 1);
  for (const node *n = table->first; n; n = n->next)
    if (n->kind == NODE_TABLE_UNIT) caption_paragraph(ctx, f, n, &ts->unit, fr, 1);
  if (captioned) flow_event_push(ctx, f, EVENT_END, table->id, PART_TABLE_CAPTION);
  f->pending_space = f->pending_space > 4 ? f->pending_space : 4;
  /* Row groups: a row joins the previous one while a row span from above
   * still covers it, so spanned rows stay together. */
  node_kind open_group = NODE_BODY;
  int group_start = 0;
  for (int r = 0; r < t->nrows && !ctx->failed;) {
    int end = r + 1;
    for (int k = r; k < end && k < t->nrows; k++) /* rows join while a span reaches past them */
      for (int i = t->rows[k].first_cell; i < t->rows[k].first_cell + t->rows[k].cell_count; i++)
        if (t->cells[i].row + t->cells[i].rowspan > end) end = t->cells[i].row + t->cells[i].rowspan;
    node_kind group = t->rows[r].group;
    if (group == NODE_THEAD) /* the whole header is one box */
      while (end < t->nrows && t->rows[end].group == NODE_THEAD) end++;
    if (group != open_group) {
      if (open_group != NODE_BODY) flow_event_push(ctx, f, EVENT_END, t->rows[group_start].row->parent->id, PART_NODE);
      flow_event_push(ctx, f, EVENT_BEGIN, t->rows[r].row->parent->id, PART_NODE);
      open_group = group;
      group_start = r;
    }
    double h = 0;
    for (int k = r; k < end; k++) h += t->rows[k].height;
    /* Rows taller than a page are cut between lines into slices small
     * enough that pages fill well (a page may break between any two). */
    double limit = ctx->frame_height - t->header_height - 1;
    int too_tall = h > limit;
    if (limit > ctx->frame_height / 4) limit = ctx->frame_height / 4;
    if (group != NODE_THEAD && too_tall && limit > 36) {
      double from = 0;
      while (from < h - 0.01 && !ctx->failed) {
        double to = slice_end(ctx, t, r, end, from, from + limit);
        vbox *sb = flow_push(ctx, f, VBOX_TABLE_ROWS, to - from, 0);
        if (!sb) return;
        sb->x = (float)fr->x;
        sb->u.rows.table = t;
        sb->u.rows.first = r;
        sb->u.rows.count = end - r;
        sb->u.rows.from = (float)from;
        sb->u.rows.to = (float)to;
        sb->repeat = t;
        from = to;
      }
      r = end;
      continue;
    }
    vbox *b = flow_push(ctx, f, VBOX_TABLE_ROWS, h, 0);
    if (!b) return;
    b->x = (float)fr->x;
    b->u.rows.table = t;
    b->u.rows.first = r;
    b->u.rows.count = end - r;
    if (group == NODE_THEAD) {
      b->is_table_header = 1;
      b->keep_with_next = 1; /* never a header alone at the foot of a page */
      t->header_index = f->count - 1;
      t->header_height = h;
    } else {
      b->repeat = t;
    }
    r = end;
  }
  if (open_group != NODE_BODY) flow_event_push(ctx, f, EVENT_END, t->rows[group_start].row->parent->id, PART_NODE);
  f->pending_space = ctx->tpl->body.space_after;
  flow_event_push(ctx, f, EVENT_END, table->id, PART_NODE);
  for (const node *n = table->first; n; n = n->next)
    if (n->kind == NODE_TABLE_NOTE) caption_paragraph(ctx, f, n, &ts->note, fr, 0);
  f->pending_space = ctx->tpl->body.space_after * 1.5;
}

/* ---- drawing ---- */

static void fill_rect(display_page *page, double x, double y, double w, double h, rgb c) {
  display_op *op = display_push(page, DISPLAY_RECT);
  if (op) op->x = x, op->y = y, op->w = w, op->h = h, op->u.fill = c;
}

static void hrule(display_page *page, double x, double y, double w, double width, rgb c) {
  if (width <= 0) return;
  display_op *op = display_push(page, DISPLAY_LINE);
  if (op) op->x = x, op->y = y, op->w = w, op->h = 0, op->u.line.width = width, op->u.line.color = c;
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
    rgb fill;
    int filled = 1;
    if (ri->group == NODE_THEAD || ri->row->u.row.role == ROW_GROUP) fill = ts->header_fill;
    else if (ts->zebra && ri->group == NODE_TBODY && ri->body_index % 2 == 1) fill = ts->zebra_fill;
    else filled = 0;
    if (filled && y1 < y0) fill_rect(es->page, left, y1, width, y0 - y1, fill);
    for (int i = ri->first_cell; i < ri->first_cell + ri->cell_count; i++) {
      const cell_layout *c = &t->cells[i];
      const symbol_part *tint = cell_symbol_fill(ctx, c->cell);
      if (!tint) continue;
      double h = 0;
      for (int k = r; k < r + c->rowspan && k < t->nrows; k++) h += t->rows[k].height;
      double cy1 = y - h > bottom ? y - h : bottom;
      if (cy1 < y0)
        fill_rect(es->page, left + t->col_x[c->col], cy1, t->col_x[c->col + c->colspan] - t->col_x[c->col], y0 - cy1,
                  tint->fill);
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
      hrule(es->page, left, y, width, w, ts->rule_color);
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
