/* tagging.h - what each structure element of the display list is: layout
 * reads the model once and says role, language and table attributes, so
 * the backend tags without knowing the model. */
#ifndef BILAGA_LAYOUT_TAGGING_H
#define BILAGA_LAYOUT_TAGGING_H

#include "layout/inline.h"

/* Indexes the model's nodes by id (ctx->nodes); 0 when out of memory. */
int layout_index_nodes(layout_ctx *ctx);
/* The structure of part `part` of node `node_id` (0: the title block). */
display_struct layout_struct_of(const layout_ctx *ctx, int node_id, display_part part);
/* Pushes a BEGIN_NODE for it; NULL (ctx->failed set) when out of memory. */
display_op *layout_begin_struct(layout_ctx *ctx, display_page *page, int node_id, display_part part);

#endif
