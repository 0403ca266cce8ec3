/* grow.c - doubling arrays. */
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

static int next_capacity(int capacity, int needed, int initial) {
  int cap = capacity > 0 ? capacity : initial;
  while (cap < needed) cap *= 2;
  return cap;
}

void *grow_heap(void *items, int *capacity, int needed, size_t size, int initial) {
  if (needed <= *capacity) return items;
  int cap = next_capacity(*capacity, needed, initial);
  void *p = realloc(items, size * (size_t)cap);
  if (!p) return NULL;
  *capacity = cap;
  return p;
}

void *grow_arena(arena *a, void *items, int count, int *capacity, int needed, size_t size, int initial) {
  if (needed <= *capacity) return items;
  int cap = next_capacity(*capacity, needed, initial);
  void *p = arena_alloc_uninit(a, size * (size_t)cap);
  if (!p) return NULL;
  if (count > 0) memcpy(p, items, size * (size_t)count);
  *capacity = cap;
  return p;
}
