/* table.c - table layout: automatic column widths (minimum and preferred
 * content widths fitted to the frame), decimal-comma alignment, row roles,
 * and the fallback chain for numbers that do not fit: the column takes the
 * width, then the table's font steps down to the template's limit, then a
 * clear error. Never '#####'. */
#include "layout/symbol.h"
#include "layout/table_internal.h"
#include "layout/tagging.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "util/i18n.h"
#include "util/utf8.h"

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
  /* which columns of each row a span from above covers: their rules and
   * stripes are the spanning cell's, not the row's */
  int cover_end[64] = {0}; /* a span from above covers the column in rows before this */
  for (int r = 0; r < t->nrows; r++) {
    t->rows[r].spanned = 0;
    for (int k = 0; k < t->ncols && k < 64; k++)
      if (cover_end[k] > r) t->rows[r].spanned |= (uint64_t)1 << k;
    for (int i = t->rows[r].first_cell; i < t->rows[r].first_cell + t->rows[r].cell_count; i++)
      for (int k = t->cells[i].col; k < t->cells[i].col + t->cells[i].colspan && k < 64; k++)
        cover_end[k] = r + t->cells[i].rowspan;
  }
}

/* A cell of words, not a number ("Genomförs ej", "I.U."): a letter and
 * no digit. In a decimal column it aligns as the column's header does,
 * instead of on a comma it does not have. A dash stays a number's stand-in. */
static int is_text_value(layout_ctx *ctx, const node *cell) {
  const char *s = model_plain_text(ctx->scratch, cell);
  if (!s) return 0;
  int letter = 0;
  for (size_t i = 0, len = strlen(s); i < len;) {
    int n = 1;
    uint32_t cp = utf8_decode(s + i, len - i, &n);
    if (n < 1) n = 1;
    if (cp >= '0' && cp <= '9') return 0;
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7))
      letter = 1;
    i += (size_t)n;
  }
  return letter;
}

/* A "varav" row's indent: its first cell's, also when a span from above
 * covers the first column, unless that cell holds a number. */
static double sub_indent(const table_layout *t, const cell_layout *c) {
  const row_info *r = &t->rows[c->row];
  if (r->row->u.row.role != ROW_SUB) return 0;
  if (c->col == 0 || (c == &t->cells[r->first_cell] && !is_numeric_align(c->align))) return c->style->size;
  return 0;
}

static void assign_styles(layout_ctx *ctx, table_layout *t) {
  for (int i = 0; i < t->ncells; i++) {
    cell_layout *c = &t->cells[i];
    c->style = cell_style(ctx, t, &t->rows[c->row], c->cell, &c->is_header);
    align_kind a = c->cell->u.cell.align != ALIGN_DEFAULT ? c->cell->u.cell.align : column_of(t, c->col)->align;
    if (c->colspan > 1 && t->rows[c->row].group == NODE_THEAD) a = ALIGN_CENTER;
    else if (a == ALIGN_DECIMAL && t->rows[c->row].group == NODE_THEAD) a = ALIGN_RIGHT;
    else if (a == ALIGN_DECIMAL && c->colspan > 1) a = ALIGN_RIGHT;
    else if (a == ALIGN_DECIMAL && is_text_value(ctx, c->cell)) a = ALIGN_RIGHT;
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

/* When not every word fits whole, label columns come first: their words
 * whole (header included, else the body's), while the header words of
 * number columns wrap or hyphenate; a number column's body is unbreakable
 * anyway. Raises mn where that fits in avail (the auto columns' room). */
static void whole_labels(const table_layout *t, double *mn, const double *mnw, const double *body_w, double avail) {
  for (int tier = 0; tier < 2; tier++) {
    const double *want = tier == 0 ? mnw : body_w;
    double sum = 0;
    for (int k = 0; k < t->ncols; k++) {
      const table_column *col = column_of(t, k);
      if (col->width_kind == WIDTH_FIXED || col->width_kind == WIDTH_PERCENT) continue;
      sum += !is_numeric_align(col->align) && want[k] > mn[k] ? want[k] : mn[k];
    }
    if (sum > avail) continue;
    for (int k = 0; k < t->ncols; k++) {
      const table_column *col = column_of(t, k);
      if (col->width_kind == WIDTH_FIXED || col->width_kind == WIDTH_PERCENT || is_numeric_align(col->align)) continue;
      if (want[k] > mn[k]) mn[k] = want[k];
    }
    return;
  }
}

/* Column widths; returns 0 when even the minimum widths do not fit. */
static int fit_columns(layout_ctx *ctx, table_layout *t, double avail, int *worst_cell) {
  int n = t->ncols;
  double pad = 2 * ctx->tpl->table.padding_h;
  double *mn = arena_alloc(ctx->scratch, sizeof(double) * (size_t)n * 6);
  if (!mn) {
    ctx->failed = 1;
    return 1;
  }
  double *mx = mn + n, *int_w = mn + 2 * n, *frac_w = mn + 3 * n, *mnw = mn + 4 * n;
  double *body_w = mn + 5 * n; /* whole-word minimum of the cells below the header */
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
      double indent = sub_indent(t, c);
      double a = m[0] + pad + indent, aw = m[1] + pad + indent, b = m[2] + pad + indent;
      int in_head = t->rows[c->row].group == NODE_THEAD;
      c->whole = m[1] + indent, c->natural = m[2] + indent;
      if (c->colspan == 1) {
        if (!in_head && aw > body_w[c->col]) body_w[c->col] = aw;
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
        double smin = 0, sminw = 0, smax = 0, sbody = 0;
        for (int k = 0; k < c->colspan; k++) smin += mn[c->col + k], sminw += mnw[c->col + k], smax += mx[c->col + k];
        for (int k = 0; k < c->colspan; k++) sbody += body_w[c->col + k];
        for (int k = 0; k < c->colspan; k++) {
          if (!in_head && aw > sbody) body_w[c->col + k] += (aw - sbody) / c->colspan;
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
  else
    whole_labels(t, mn, mnw, body_w, avail_auto);
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
    /* a text column that needs little more than its minimum to set every
     * cell on one line gets it first (no "Totalt" over a lone "%"); the
     * rest is shared in proportion to what each column lacks */
    double extra = room - sum_min, fair = extra / n;
    for (int k = 0; k < n; k++)
      if (t->col_w[k] == 0 && !is_numeric_align(column_of(t, k)->align) && mx[k] - mn[k] <= fair) {
        extra -= mx[k] - mn[k];
        sum_max -= mx[k] - mn[k];
        t->col_w[k] = mn[k] = mx[k];
      }
    double want = sum_max - sum_min;
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
    st->indent = sub_indent(t, c);
    /* a short label (up to about two and a half lines) whose words all
     * fit whole is not hyphenated to fill a line ("KS ny sim-hall");
     * prose in a cell still is, for an even edge */
    if (w >= c->whole - 0.01 && c->natural <= 2.5 * w) st->hyphenate = 0;
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
             _("table %s%s%s(line %d) does not fit the text width even at %.1fpt: this cell's content "
               "cannot be broken (give the table fewer or narrower columns, or allow a smaller "
               "min-font-size)"),
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

/* Where a table may break: never so that a caption, the header or a
 * group-heading row ends a page without two body rows under it, and never
 * before a sum row or the last row (which would stand alone on the new
 * page). Boxes [first, f->count) are the table's rows; slices of a row
 * taller than a page break as they must. */
static void keep_rows(const table_layout *t, flow *f, int first, int captioned) {
  int last = f->count - 1, need = captioned ? 2 : 0; /* body rows still wanted under a heading */
  for (int i = first; i < last; i++) {
    vbox *b = &f->boxes[i];
    const vbox *next = &f->boxes[i + 1];
    if (b->u.rows.to > 0) { /* a slice */
      need = 0;
      continue;
    }
    if (b->is_table_header) {
      need = 2;
      continue; /* kept with the next box already */
    }
    for (int r = b->u.rows.first; r < b->u.rows.first + b->u.rows.count; r++)
      if (t->rows[r].row->u.row.role == ROW_GROUP) need = 2;
      else if (need > 0) need--;
    int next_alone = next->u.rows.to == 0 && (i + 1 == last || t->rows[next->u.rows.first].row->u.row.role == ROW_SUM);
    if (need > 0 || next_alone) b->keep_with_next = 1;
  }
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

/* Allowed (down to min-font-size) but worth knowing: the table's text is
 * smaller than the template's table style. */
static void warn_shrunk(layout_ctx *ctx, const table_layout *t) {
  char hint[200];
  snprintf(hint, sizeof hint, _("give it fewer or narrower columns to keep %.1fpt"),
           ctx->tpl->table.body.size);
  diag_extra x = {.code = "W0403-table-shrunk", .hint = hint};
  diag_report_ex(ctx->sink, BILAGA_SEVERITY_WARNING, ctx->doc->file, t->table->line, t->table->column, &x,
                 _("the table is set in %.1fpt, below the template's %.1fpt, to fit the text width"),
                 t->body.size, ctx->tpl->table.body.size);
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
    warn_shrunk(ctx, t);
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
  int group_start = 0, first_box = f->count;
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
  keep_rows(t, f, first_box, captioned);
  f->pending_space = ctx->tpl->body.space_after;
  flow_event_push(ctx, f, EVENT_END, table->id, PART_NODE);
  for (const node *n = table->first; n; n = n->next)
    if (n->kind == NODE_TABLE_NOTE) caption_paragraph(ctx, f, n, &ts->note, fr, 0);
  f->pending_space = ctx->tpl->body.space_after * 1.5;
}
