/* support.h - helpers shared by the unit suites (header-only: every
 * function is static inline, so a suite that does not use one gets no
 * warning). Diagnostics are recorded into a log the tests can inspect. */
#ifndef BILAGA_TEST_SUPPORT_H
#define BILAGA_TEST_SUPPORT_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bilaga.h"
#include "util/diag.h"

#ifndef BILAGA_TEST_SOURCE_ROOT
#error "BILAGA_TEST_SOURCE_ROOT must name the source tree"
#endif

enum { DIAG_LOG_MAX = 64 };

typedef struct diag_entry {
  bilaga_severity severity;
  int line, column;
  char file[256];
  char message[512];
} diag_entry;

/* Every diagnostic a sink received (the first DIAG_LOG_MAX of them). */
typedef struct diag_log {
  diag_entry entries[DIAG_LOG_MAX];
  int count;  /* entries recorded */
  int total;  /* diagnostics received */
  int errors; /* of which errors */
} diag_log;

static inline void diag_log_record(const bilaga_diagnostic *d, void *user) {
  diag_log *log = user;
  log->total++;
  if (d->severity == BILAGA_SEVERITY_ERROR) log->errors++;
  if (log->count >= DIAG_LOG_MAX) return;
  diag_entry *e = &log->entries[log->count++];
  e->severity = d->severity;
  e->line = d->line;
  e->column = d->column;
  snprintf(e->file, sizeof e->file, "%s", d->file ? d->file : "");
  snprintf(e->message, sizeof e->message, "%s", d->message ? d->message : "");
}

/* A sink that records into log (cleared here). */
static inline diag_sink diag_log_sink(diag_log *log) {
  memset(log, 0, sizeof *log);
  diag_sink s = {diag_log_record, log, 0};
  return s;
}

/* All recorded diagnostics as text, for assertion messages. */
static inline const char *diag_log_text(const diag_log *log) {
  static char buf[8192];
  size_t o = 0;
  buf[0] = '\0';
  for (int i = 0; i < log->count && o < sizeof buf - 1; i++) {
    int n = snprintf(buf + o, sizeof buf - o, "[%s:%d:%d: %s] ", log->entries[i].file,
                     log->entries[i].line, log->entries[i].column, log->entries[i].message);
    if (n < 0) break;
    o += (size_t)n;
  }
  return buf;
}

/* Index of the first error diagnostic at the given line, -1 if none. */
static inline int diag_log_find_line(const diag_log *log, int line) {
  for (int i = 0; i < log->count; i++)
    if (log->entries[i].severity == BILAGA_SEVERITY_ERROR && log->entries[i].line == line) return i;
  return -1;
}

/* Index of the first diagnostic whose message contains needle (any case
 * as written), -1 if none. */
static inline int diag_log_find_text(const diag_log *log, const char *needle) {
  for (int i = 0; i < log->count; i++)
    if (strstr(log->entries[i].message, needle)) return i;
  return -1;
}

/* 1-based line and column of the first occurrence of needle in text (the
 * column counts bytes, as the library's diagnostics do); asserts that the
 * needle occurs. */
static inline void text_position(const char *text, const char *needle, int *line, int *column) {
  const char *at = strstr(text, needle);
  ck_assert_msg(at != NULL, "test input lacks \"%s\"", needle);
  int l = 1;
  const char *line_start = text;
  for (const char *p = text; p < at; p++)
    if (*p == '\n') l++, line_start = p + 1;
  *line = l;
  int c = 1; /* diagnostics count characters, not bytes */
  for (const char *p = line_start; p < at; p++) c += ((unsigned char)*p & 0xC0) != 0x80;
  *column = c;
}

/* Reads a whole file of the source tree into a malloc'ed, NUL-terminated
 * buffer. */
static inline char *slurp_source_file(const char *relative, size_t *length) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", BILAGA_TEST_SOURCE_ROOT, relative);
  FILE *f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
  long n = ftell(f);
  ck_assert_int_gt(n, 0);
  ck_assert_int_eq(fseek(f, 0, SEEK_SET), 0);
  char *buf = malloc((size_t)n + 1);
  ck_assert_ptr_nonnull(buf);
  ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  buf[n] = '\0';
  if (length) *length = (size_t)n;
  return buf;
}

/* A growable string for building test documents. */
typedef struct strbuf {
  char *data;
  size_t length, capacity;
} strbuf;

static inline void sb_append(strbuf *b, const char *s, size_t n) {
  if (b->length + n + 1 > b->capacity) {
    size_t cap = b->capacity ? b->capacity : 1024;
    while (cap < b->length + n + 1) cap *= 2;
    char *d = realloc(b->data, cap);
    ck_assert_ptr_nonnull(d);
    b->data = d;
    b->capacity = cap;
  }
  memcpy(b->data + b->length, s, n);
  b->length += n;
  b->data[b->length] = '\0';
}

static inline void sb_puts(strbuf *b, const char *s) { sb_append(b, s, strlen(s)); }

static inline void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void sb_printf(strbuf *b, const char *fmt, ...) {
  char tmp[4096];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  ck_assert_int_ge(n, 0);
  ck_assert_int_lt(n, (int)sizeof tmp);
  sb_append(b, tmp, (size_t)n);
}

static inline void sb_free(strbuf *b) {
  free(b->data);
  b->data = NULL;
  b->length = b->capacity = 0;
}

#endif
