/* arena.h - bump allocation for objects that live and die together. */
#ifndef BILAGA_UTIL_ARENA_H
#define BILAGA_UTIL_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

/* An arena owns every block it hands out; arena_free releases them all.
 * Zero-initialise (arena a = {0}) before use. */
typedef struct arena {
  arena_chunk *head;
  size_t total;  /* bytes handed out, for limits and statistics */
  int failed;    /* set once an allocation failed */
} arena;

/* Zeroed memory aligned for any type; NULL (and a->failed set) on failure. */
void *arena_alloc(arena *a, size_t size);
/* Same without zeroing, for memory the caller overwrites at once. */
void *arena_alloc_uninit(arena *a, size_t size);
/* Copies len bytes and a terminating NUL. */
char *arena_strndup(arena *a, const char *s, size_t len);
char *arena_strdup(arena *a, const char *s);
/* Formats into arena memory. */
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(arena *a);

#endif
