/* expand_internal.h - what the expansion pass (model/expand.c) shares
 * with the files that expand one kind each: legend.c, domain_*.c,
 * summary.c. They build ordinary nodes into the copy. */
#ifndef BILAGA_MODEL_EXPAND_INTERNAL_H
#define BILAGA_MODEL_EXPAND_INTERNAL_H

#include "model/domain.h"
#include "model/template.h"
#include "util/diag.h"

/* A domain block's values once checked against the template's families,
 * explicit or derived (NULL: none). */
typedef struct domain_values {
  const char *assessment, *trend, *status, *progress, *risk_value;
  const char *risk_level;  /* the risk matrix's level for risk_value, NULL: its range */
  const char *perspective; /* a process area's */
} domain_values;

/* The blocks summaries and counts count, each kind in document order. */
typedef enum block_list {
  BLOCKS_AREAS,
  BLOCKS_GOALS,
  BLOCKS_COMMITMENTS,
  BLOCKS_INDICATORS, /* rows, not sub-rows */
  BLOCKS_RISKS,
  BLOCKS_ASSIGNMENTS,
  BLOCK_LIST_COUNT
} block_list;

typedef struct expander {
  document_model *out;
  const document_model *doc;
  const template_model *tpl;
  diag_sink *sink;
  int failed;             /* out of memory */
  arena scratch;          /* lives for the expansion only */
  domain_values **values; /* by source node id, for domain blocks */
  const node **blocks[BLOCK_LIST_COUNT];
  int block_count[BLOCK_LIST_COUNT], block_capacity[BLOCK_LIST_COUNT];
} expander;

/* Building blocks; each sets e->failed when memory runs out. Positions
 * are those of at, the source node the new one stands for. */
node *expand_add(expander *e, node_kind kind, node *parent, const node *at);
void expand_text(expander *e, node *parent, const node *at, const char *text);
node *expand_paragraph(expander *e, node *parent, const node *at, int implicit);
node *expand_bold_paragraph(expander *e, node *parent, const node *at, const char *text);
/* A table of count columns with the template's widths (auto past them),
 * the given alignments (NULL: left). */
node *expand_table(expander *e, node *parent, const node *at, int count, const domain_widths *w,
                   const align_kind *align);
node *expand_row(expander *e, node *group, const node *at, int *rows, row_role role);
/* A cell, for blocks. */
node *expand_cell_node(expander *e, node *row, const node *at, int column, int colspan);
/* A cell's implicit paragraph, to put inlines in. */
node *expand_cell(expander *e, node *row, const node *at, int column, int colspan);
node *expand_header_cell(expander *e, node *row, const node *at, int column, const char *text);
/* A symbol of a family; nothing when value is NULL. */
void expand_symbol(expander *e, node *parent, const node *at, const char *family, const char *value);
/* The symbol just added to parent, or NULL. */
node *expand_last_symbol(node *parent);
/* Copies src's children (blocks or inlines) under dst, expanding
 * domain blocks, summaries and counts on the way. */
void expand_children(expander *e, const node *src, node *dst);
/* The same for first and the siblings after it. */
void expand_siblings(expander *e, const node *first, node *dst);
/* The first child of kind part, NULL when there is none. */
const node *expand_part(const node *n, domain_part part);

/* domain_values.c: checks every domain block's symbol values against
 * the template, derives the missing ones (warnings where explicit and
 * derived disagree) and records them in e->values. 0 after errors. */
int domain_resolve(expander *e);
const domain_values *domain_values_of(const expander *e, const node *n);

/* domain_lower.c, domain_indicators.c, summary.c, legend.c */
void domain_lower_area(expander *e, node *parent, const node *area);
void domain_lower_block(expander *e, node *parent, const node *block);
void domain_lower_indicators(expander *e, node *parent, const node *indicators);
void summary_expand(expander *e, node *parent, const node *summary);
void summary_count(expander *e, node *parent, const node *count);
/* The number of blocks a <count> or summary counts: of, value as written. */
int summary_tally(const expander *e, const char *of, const char *value);
/* Expands every legend of the copy in place, families in first use order. */
void legend_expand_all(expander *e);

#endif
