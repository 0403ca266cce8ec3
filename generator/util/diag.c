/* diag.c - formats a diagnostic and hands it to the caller's sink. */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void diag_report(diag_sink *sink, bilaga_severity severity, const char *file, int line, int column,
                 const char *fmt, ...) {
  if (!sink) return;
  if (severity == BILAGA_SEVERITY_ERROR) sink->errors++;
  if (!sink->fn) return;
  /* Most messages fit the stack buffer; a longer one (a quoted long value)
   * is formatted again on the heap rather than cut. */
  char small[1024], *message = small;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n >= (int)sizeof small) {
    char *big = malloc((size_t)n + 1);
    if (big) {
      va_start(ap, fmt);
      vsnprintf(big, (size_t)n + 1, fmt, ap);
      va_end(ap);
      message = big;
    }
  }
  bilaga_diagnostic d = {severity, file ? file : "", line, column, n < 0 ? "(unformattable message)" : message};
  sink->fn(&d, sink->user);
  if (message != small) free(message);
}
