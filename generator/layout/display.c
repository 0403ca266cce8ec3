/* display.c - growing and dumping page display lists. */
#include "layout/display.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

display_op *display_push(display_page *page, display_kind kind) {
  if (page->count == page->capacity) {
    size_t cap = page->capacity ? page->capacity * 2 : 256;
    display_op *ops = realloc(page->ops, cap * sizeof *ops);
    if (!ops) return NULL;
    page->ops = ops;
    page->capacity = cap;
  }
  display_op *op = &page->ops[page->count++];
  memset(op, 0, sizeof *op);
  op->kind = kind;
  return op;
}

void display_page_clear(display_page *page) {
  free(page->ops);
  page->ops = NULL;
  page->count = page->capacity = 0;
}

void display_page_dump(const display_page *page, void *file) {
  FILE *f = file;
  fprintf(f, "page %d %.2f x %.2f\n", page->number, page->width, page->height);
  for (size_t i = 0; i < page->count; i++) {
    const display_op *op = &page->ops[i];
    switch (op->kind) {
      case DISPLAY_GLYPHS: {
        fprintf(f, "  text font=%d size=%.2f at %.2f,%.2f \"", op->u.glyphs.font, op->u.glyphs.size,
                op->x, op->y);
        for (int k = 0; k < op->u.glyphs.text_length; k++) {
          char buf[4];
          int n = utf8_encode(op->u.glyphs.text[k], buf);
          fwrite(buf, 1, (size_t)n, f);
        }
        fprintf(f, "\" width=%.2f\n", op->w);
        break;
      }
      case DISPLAY_RECT: fprintf(f, "  rect %.2f,%.2f %.2fx%.2f\n", op->x, op->y, op->w, op->h); break;
      case DISPLAY_LINE: fprintf(f, "  line %.2f,%.2f d %.2f,%.2f\n", op->x, op->y, op->w, op->h); break;
      case DISPLAY_LINK: fprintf(f, "  link -> %d\n", op->u.anchor); break;
      case DISPLAY_ANCHOR: fprintf(f, "  anchor %d at %.2f\n", op->u.anchor, op->y); break;
      case DISPLAY_BEGIN_NODE: fprintf(f, "  begin %d role %d\n", op->u.node.node_id, op->u.node.role); break;
      case DISPLAY_END_NODE: fprintf(f, "  end\n"); break;
      case DISPLAY_BEGIN_ARTIFACT: fprintf(f, "  artifact\n"); break;
      case DISPLAY_END_ARTIFACT: fprintf(f, "  end artifact\n"); break;
    }
  }
}
