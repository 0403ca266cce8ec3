/* diag.h - diagnostics as data: every stage reports through a sink. */
#ifndef BILAGA_UTIL_DIAG_H
#define BILAGA_UTIL_DIAG_H

#include "bilaga.h"

typedef struct diag_sink {
  bilaga_diagnostic_fn fn;
  void *user;
  int errors;
} diag_sink;

void diag_report(diag_sink *sink, bilaga_severity severity, const char *file, int line, int column,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
#define diag_error(sink, file, line, column, ...) \
  diag_report((sink), BILAGA_SEVERITY_ERROR, (file), (line), (column), __VA_ARGS__)
#define diag_warning(sink, file, line, column, ...) \
  diag_report((sink), BILAGA_SEVERITY_WARNING, (file), (line), (column), __VA_ARGS__)

#endif
