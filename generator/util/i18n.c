/* i18n.c - binding the library's text domain once. */
#include "util/i18n.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_once_t bound = PTHREAD_ONCE_INIT;

static void bind_domain(void) {
  const char *dir = getenv("BILAGA_LOCALE_DIR");
  if (!dir || !*dir) {
    dir = BILAGA_LOCALE_DIR;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/sv/LC_MESSAGES/" BILAGA_TEXT_DOMAIN ".mo", dir);
    if (access(probe, R_OK) != 0) dir = BILAGA_BUILD_LOCALE_DIR; /* not installed: the build tree */
  }
  bindtextdomain(BILAGA_TEXT_DOMAIN, dir);
  bind_textdomain_codeset(BILAGA_TEXT_DOMAIN, "UTF-8");
}

void i18n_init(void) {
  pthread_once(&bound, bind_domain);
}
