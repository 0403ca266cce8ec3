/* diag.c - formats a diagnostic and hands it to the caller's sink. */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void report(diag_sink *sink, bilaga_severity severity, const char *file, int line, int column,
                   const diag_extra *extra, const char *fmt, va_list args) {
  if (!sink) return;
  if (severity == BILAGA_SEVERITY_ERROR) sink->errors++;
  if (!sink->fn) return;
  /* Most messages fit the stack buffer; a longer one (a quoted long value)
   * is formatted again on the heap rather than cut. */
  char small[1024], *message = small;
  va_list ap;
  va_copy(ap, args);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n >= (int)sizeof small) {
    char *big = malloc((size_t)n + 1);
    if (big) {
      va_copy(ap, args);
      vsnprintf(big, (size_t)n + 1, fmt, ap);
      va_end(ap);
      message = big;
    }
  }
  const char *code = extra && extra->code                ? extra->code
                     : severity == BILAGA_SEVERITY_ERROR ? DIAG_CODE_ERROR
                                                         : DIAG_CODE_WARNING;
  int spans = extra && extra->end_line > 0;
  bilaga_diagnostic d = {
      .severity = severity,
      .file = file ? file : "",
      .line = line,
      .column = column,
      .message = n < 0 ? "(unformattable message)" : message,
      .code = code,
      .hint = extra ? extra->hint : NULL,
      .end_line = spans ? extra->end_line : line,
      .end_column = spans ? extra->end_column : column,
  };
  sink->fn(&d, sink->user);
  if (message != small) free(message);
}

void diag_report(diag_sink *sink, bilaga_severity severity, const char *file, int line, int column,
                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(sink, severity, file, line, column, NULL, fmt, ap);
  va_end(ap);
}

void diag_report_ex(diag_sink *sink, bilaga_severity severity, const char *file, int line, int column,
                    const diag_extra *extra, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(sink, severity, file, line, column, extra, fmt, ap);
  va_end(ap);
}
