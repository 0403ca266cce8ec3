/* content_internal.h - what parse/content.c shares with the files that
 * read parts of the content vocabulary (parse/content_domain.c). */
#ifndef BILAGA_PARSE_CONTENT_INTERNAL_H
#define BILAGA_PARSE_CONTENT_INTERNAL_H

#include "parse/xml_internal.h"

typedef struct builder {
  xml_input *in;
  document_model *doc;
  int section_number[3];
  int failed;
  int after_space; /* the inline text so far ends in a space (or nothing yet) */
  node *growing;   /* the text node that add_text extends, and its buffer's size */
  size_t growing_capacity;
} builder;

/* A node at src's position, with src's xml:lang. */
node *content_node(builder *b, node_kind kind, node *parent, xmlNodePtr src);
/* Inline content (a block's start) and blocks, as content.c reads them. */
void content_inlines(builder *b, xmlNodePtr first, node *parent);
void content_blocks(builder *b, xmlNodePtr first, node *parent);

/* content_domain.c: the domain elements. An element that is none of them
 * is left alone. */
void content_domain_block(builder *b, xmlNodePtr el, node *parent);
void content_domain_inline(builder *b, xmlNodePtr el, node *parent);
/* The domain attributes el carries, DOMAIN_ATTR_COUNT strings or NULLs. */
const char *const *content_domain_attrs(builder *b, xmlNodePtr el);

#endif
