/* diag.h - diagnostics as data: every stage reports through a sink. */
#ifndef BILAGA_UTIL_DIAG_H
#define BILAGA_UTIL_DIAG_H

#include "bilaga.h"

typedef struct diag_sink {
  bilaga_diagnostic_fn fn;
  void *user;
  int errors;
} diag_sink;

/* What a diagnostic carries beyond its message: a stable code
 * (docs/diagnostics.md), a hint, and where the culprit ends (0: no span). */
typedef struct diag_extra {
  const char *code;
  const char *hint;
  int end_line, end_column;
} diag_extra;

void diag_report(diag_sink *sink, bilaga_severity severity, const char *file, int line, int column,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void diag_report_ex(diag_sink *sink, bilaga_severity severity, const char *file, int line, int column,
                    const diag_extra *extra, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
#define diag_error(sink, file, line, column, ...) \
  diag_report((sink), BILAGA_SEVERITY_ERROR, (file), (line), (column), __VA_ARGS__)
#define diag_warning(sink, file, line, column, ...) \
  diag_report((sink), BILAGA_SEVERITY_WARNING, (file), (line), (column), __VA_ARGS__)

/* Codes of diagnostics not yet given their own. */
#define DIAG_CODE_ERROR "E0001-error"
#define DIAG_CODE_WARNING "W0001-warning"

#endif
