/* legend.h - generated symbol legends: a <legend/> becomes, for each
 * family, a bold title, the family's explanation and a Symbol | Innebörd
 * table, built from the template before layout. */
#ifndef BILAGA_MODEL_LEGEND_H
#define BILAGA_MODEL_LEGEND_H

#include "model/model.h"
#include "model/template.h"

/* A copy of doc with every legend expanded, or doc itself when it has
 * none (nothing is copied then). The copy's nodes are numbered anew in
 * document order; its strings point into doc, which must outlive it.
 * NULL when memory runs out. Free a copy with model_free. */
document_model *model_expand_legends(const document_model *doc, const template_model *tpl);

#endif
