/* expand.h - the generated parts of a document, made before layout: a
 * <legend/> becomes each family's title, explanation and Symbol | Innebörd
 * table; domain blocks (process areas, goals, commitments, indicator
 * tables, risks, assignments) become sections, paragraphs and tables laid
 * out as the template's <domain> says, with their symbol values checked
 * and the missing ones derived; summaries and counts are counted from the
 * blocks. Layout, tagging and the table of contents then treat generated
 * parts like written content. */
#ifndef BILAGA_MODEL_EXPAND_H
#define BILAGA_MODEL_EXPAND_H

#include "model/model.h"
#include "model/template.h"
#include "util/diag.h"

/* A copy of doc with everything generated expanded, or doc itself when
 * it has nothing to expand (nothing is copied then). The model stays
 * read-only: one document may be rendered with several templates at once.
 * The copy's nodes are numbered anew in document order; its strings may
 * point into doc, which must outlive it. Free a copy with model_free.
 * NULL after reporting errors in the content to sink (*input_error set:
 * an unknown symbol value, ...), or when memory runs out (*input_error 0).
 * Warnings (a derived value contradicting an explicit one) go to sink. */
document_model *model_expand(const document_model *doc, const template_model *tpl, diag_sink *sink,
                             int *input_error);

#endif
