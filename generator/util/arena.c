/* arena.c - bump allocator: large chunks, freed all at once. */
#include "util/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
  arena_chunk *next;
  size_t used, size;
  max_align_t data[];
};

enum { CHUNK_DEFAULT = 64 * 1024 };

void *arena_alloc_uninit(arena *a, size_t size) {
  const size_t align = sizeof(max_align_t);
  size = (size + align - 1) / align * align;
  if (size == 0) size = align;
  arena_chunk *c = a->head;
  if (!c || c->size - c->used < size) {
    size_t cap = size > CHUNK_DEFAULT / 2 ? size : CHUNK_DEFAULT;
    c = malloc(sizeof(arena_chunk) + cap);
    if (!c) {
      a->failed = 1;
      return NULL;
    }
    c->used = 0;
    c->size = cap;
    /* A big block gets its own chunk behind the current one, so the
     * current chunk's free space is not wasted. */
    if (a->head && cap != CHUNK_DEFAULT) {
      c->next = a->head->next;
      a->head->next = c;
    } else {
      c->next = a->head;
      a->head = c;
    }
  }
  void *p = (char *)c->data + c->used;
  c->used += size;
  a->total += size;
  return p;
}

void *arena_alloc(arena *a, size_t size) {
  void *p = arena_alloc_uninit(a, size);
  if (p) memset(p, 0, size);
  return p;
}

char *arena_strndup(arena *a, const char *s, size_t len) {
  char *d = arena_alloc_uninit(a, len + 1);
  if (!d) return NULL;
  memcpy(d, s, len);
  d[len] = '\0';
  return d;
}

char *arena_strdup(arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *d = arena_alloc(a, (size_t)n + 1);
  if (!d) return NULL;
  va_start(ap, fmt);
  vsnprintf(d, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return d;
}

void arena_free(arena *a) {
  arena_chunk *c = a->head;
  while (c) {
    arena_chunk *next = c->next;
    free(c);
    c = next;
  }
  a->head = NULL;
  a->total = 0;
  a->failed = 0;
}
