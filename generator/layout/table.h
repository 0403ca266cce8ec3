/* table.h - tables: column widths from the content fitted to the frame,
 * cells laid out as small flows, rows grouped so that row spans stay
 * together, header rows repeated after a page break. */
#ifndef BILAGA_LAYOUT_TABLE_H
#define BILAGA_LAYOUT_TABLE_H

#include "layout/flow.h"

/* Lays out a table node into boxes of f (caption, header, row groups,
 * footer, note). Reports a number that cannot fit as an error. */
void table_layout_node(layout_ctx *ctx, flow *f, const node *table, const block_frame *frame);
/* Draws the rows of a VBOX_TABLE_ROWS box with its top at `top`. */
void table_emit_rows(emit_state *es, const vbox *b, double top);
/* Height of the table's header rows (0 when none), and the index of their
 * box in the flow (-1 when none): the paginator repeats it. */
double table_header_height(const struct table_layout *t);
int table_header_index(const struct table_layout *t);

#endif
