/* table_internal.h - what table.c (widths, rows, page breaks) and
 * table_draw.c (rules, fills, cells) share: the laid-out table. */
#ifndef BILAGA_LAYOUT_TABLE_INTERNAL_H
#define BILAGA_LAYOUT_TABLE_INTERNAL_H

#include <stdint.h>

#include "layout/table.h"

typedef struct cell_layout {
  const node *cell;
  int row, col, rowspan, colspan;
  const text_style *style;
  align_kind align;
  flow content;
  double *box_top; /* top of each content box below the cell's top (padding included) */
  double height;   /* content height */
  double frac_width, shift; /* decimal alignment */
  double whole, natural;    /* content width with no word hyphenated; on one line */
  int is_header;
} cell_layout;

typedef struct row_info {
  const node *row;
  node_kind group; /* THEAD, TBODY, TFOOT */
  double height;
  double top;     /* below the table's first row */
  int body_index; /* for zebra stripes */
  int first_cell, cell_count; /* the cells starting in this row (cells are in row order) */
  uint64_t spanned; /* columns a row span from a row above covers (a table has at most 64) */
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

/* Offset of the top of a cell's content box k below its row group's top,
 * exactly as table_emit_rows places it. */
static inline double box_offset(const table_layout *t, const cell_layout *c, int group_first, int k) {
  return t->rows[c->row].top - t->rows[group_first].top + c->box_top[k];
}

/* Index of the cell's first box whose bottom is below offset y. */
static inline int first_box_below(const table_layout *t, const cell_layout *c, int group_first, double y) {
  int lo = 0, hi = c->content.count;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (box_offset(t, c, group_first, mid) + c->content.boxes[mid].height <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Bottom of a cell (all the rows it spans) below its row group's top. */
static inline double cell_bottom(const table_layout *t, const cell_layout *c, int group_first) {
  const row_info *last = &t->rows[c->row + c->rowspan - 1];
  return last->top + last->height - t->rows[group_first].top;
}

/* The first row of [first, last) with a cell or row reaching below offset
 * y of the group: the rows before it play no part in a slice from y. */
static inline int first_row_reaching(const table_layout *t, int first, int last, double y) {
  double at = t->rows[first].top + y;
  int lo = first, hi = last;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (t->reach[mid] <= at + 0.01) lo = mid + 1;
    else hi = mid;
  }
  return lo < last ? lo : last - 1;
}

/* The columns [col, col + span) as bits. */
static inline uint64_t column_bits(int col, int span) {
  uint64_t all = span >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << span) - 1);
  return col >= 64 ? 0 : all << col;
}

#endif
