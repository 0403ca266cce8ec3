/* i18n.h - the library's messages in the locale's language (gettext).
 * The library has its own text domain, so a host's textdomain() is left
 * alone; the host decides the language with setlocale(LC_MESSAGES, ...). */
#ifndef BILAGA_UTIL_I18N_H
#define BILAGA_UTIL_I18N_H

#include <libintl.h>

#define BILAGA_TEXT_DOMAIN "bilaga"
#define _(s) dgettext(BILAGA_TEXT_DOMAIN, s)
/* singular and plural: which one by n, in the locale's language */
#define P_(s, p, n) dngettext(BILAGA_TEXT_DOMAIN, s, p, n)
/* marks a string for translation where it is defined, translated later */
#define N_(s) s

/* Binds the text domain (once per process, thread-safe): the directory is
 * $BILAGA_LOCALE_DIR, else the installed locale directory when it holds
 * our catalogue, else the build tree's. Messages are always UTF-8. */
void i18n_init(void);

#endif
