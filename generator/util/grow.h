/* grow.h - growing arrays by doubling, on the heap or in an arena. */
#ifndef BILAGA_UTIL_GROW_H
#define BILAGA_UTIL_GROW_H

#include <stddef.h>

#include "util/arena.h"

/* Returns items, or a larger realloc'ed copy, with room for `needed`
 * elements of `size` bytes; updates *capacity. NULL on failure (items is
 * then still valid and unchanged). */
void *grow_heap(void *items, int *capacity, int needed, size_t size, int initial);

/* The same for an array in an arena: a larger copy of the first `count`
 * elements (the old block stays until the arena is freed). */
void *grow_arena(arena *a, void *items, int count, int *capacity, int needed, size_t size, int initial);

#endif
