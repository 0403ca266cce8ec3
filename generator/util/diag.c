/* diag.c - formats a diagnostic and hands it to the caller's sink. */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>

void diag_report(diag_sink *sink, bilaga_severity severity, const char *file, int line, int column,
                 const char *fmt, ...) {
  if (!sink) return;
  if (severity == BILAGA_SEVERITY_ERROR) sink->errors++;
  if (!sink->fn) return;
  char message[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  bilaga_diagnostic d = {severity, file ? file : "", line, column, message};
  sink->fn(&d, sink->user);
}
