/* output_file.h - writing a finished PDF to its path without ever losing a
 * file: a symbolic link writes its target, a device or FIFO is written in
 * place, a regular file is replaced atomically with its permissions kept,
 * no temporary file outlives the process, and the files a render reads
 * (content, template, fonts) are never overwritten. */
#ifndef BILAGA_UTIL_OUTPUT_FILE_H
#define BILAGA_UTIL_OUTPUT_FILE_H

#include <stddef.h>

#include "util/diag.h"

/* Which file a path or descriptor is: device and inode. */
typedef struct file_identity {
  unsigned long long dev, ino;
  int known; /* 0: the file could not be looked at (or there is none) */
} file_identity;

/* Follows symbolic links. */
file_identity file_identity_of_path(const char *path);
file_identity file_identity_of_fd(int fd);

/* A file the output must not replace; what ("content", "template",
 * "font") and name are for the message. */
typedef struct output_guard {
  file_identity id;
  const char *what, *name;
} output_guard;

/* How a regular file is written: OUTPUT_ANY uses an unnamed temporary file
 * (O_TMPFILE) where the system has one and a named one beside the target
 * elsewhere; OUTPUT_NAMED_TEMP always the named one (for tests). */
typedef enum output_strategy { OUTPUT_ANY, OUTPUT_NAMED_TEMP } output_strategy;

/* Cheap checks before any work is done: BILAGA_ERROR_USAGE when path ("-":
 * standard output) is one of the guarded files, BILAGA_ERROR_IO when it is
 * a directory; each with a diagnostic. */
bilaga_status output_file_check(const char *path, const output_guard *guards, int count, diag_sink *sink);

/* Checks again, then writes bytes to path ("-": standard output). On
 * failure nothing at path has changed (except a device or FIFO, which
 * may have had part of the bytes) and a diagnostic says why. */
bilaga_status output_file_write(const char *path, const void *bytes, size_t length,
                                const output_guard *guards, int count, output_strategy strategy,
                                diag_sink *sink);

#endif
