/* pdf_limits.c - what PDF/A and libharu cannot hold, and failures: the
 * length of a text string (which the caller checks before writing begins,
 * pdf_input.c), and the record of a libharu call that failed, reported
 * once with what was being written. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pdf/pdf_internal.h"
#include "util/i18n.h"
#include "util/utf8.h"

void pdf_fail(pdf_writer *w, HPDF_STATUS status, const char *what, ...) {
  if (!w->error) w->error = status ? status : HPDF_INVALID_OBJECT;
  if (w->failure[0]) return; /* the first failure is the cause */
  va_list ap;
  va_start(ap, what);
  vsnprintf(w->failure, sizeof w->failure, what, ap);
  va_end(ap);
}

int pdf_ok(pdf_writer *w, HPDF_STATUS status, const char *what) {
  if (status == HPDF_OK) return 1;
  pdf_fail(w, status, "%s", _(what)); /* the callers mark it N_() */
  return 0;
}

bilaga_status pdf_writer_report(pdf_writer *w) {
  if (w->input_refused) return BILAGA_ERROR_INPUT;
  if (!w->error) return BILAGA_OK;
  diag_error(w->sink, w->info.file, 0, 0, _("writing the PDF failed: %s (libharu status 0x%04X, detail %u)"),
             w->failure[0] ? w->failure : _("libharu reported an error"), (unsigned)w->error,
             (unsigned)w->error_detail);
  return BILAGA_ERROR_IO;
}

size_t pdf_text_units(const char *s) {
  size_t len = strlen(s), units = 0;
  for (size_t i = 0; i < len;) {
    int n;
    uint32_t cp = utf8_decode(s + i, len - i, &n);
    i += (size_t)(n > 0 ? n : 1);
    units += cp >= 0x10000 ? 2 : 1;
  }
  return units;
}
