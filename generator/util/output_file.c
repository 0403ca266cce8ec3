/* output_file.c - writes the finished PDF where its path points, never
 * losing a file on the way (rules in output_file.h and the README). */
#define _GNU_SOURCE /* O_TMPFILE */
#include "util/output_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/i18n.h"

enum { MAX_LINK_HOPS = 40, TEMP_NAME_TRIES = 100 };

static file_identity identity_of(const struct stat *st) {
  return (file_identity){(unsigned long long)st->st_dev, (unsigned long long)st->st_ino, 1};
}

file_identity file_identity_of_path(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? identity_of(&st) : (file_identity){0, 0, 0};
}

file_identity file_identity_of_fd(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 ? identity_of(&st) : (file_identity){0, 0, 0};
}

static bilaga_status cannot_write(diag_sink *sink, const char *path, const char *final, int error) {
  if (final && strcmp(final, path) != 0)
    diag_error(sink, path, 0, 0, _("cannot write %s (where the link points): %s"), final, strerror(error));
  else
    diag_error(sink, path, 0, 0, _("cannot write: %s"), strerror(error));
  return BILAGA_ERROR_IO;
}

bilaga_status output_file_check(const char *path, const output_guard *guards, int count, diag_sink *sink) {
  int is_stdout = strcmp(path, "-") == 0;
  struct stat st;
  if ((is_stdout ? fstat(STDOUT_FILENO, &st) : stat(path, &st)) != 0)
    return BILAGA_OK; /* nothing there yet */
  const char *name = is_stdout ? "<stdout>" : path;
  file_identity id = identity_of(&st);
  /* only a regular file can be overwritten: reading a terminal and
   * writing it back is fine */
  for (int i = 0; S_ISREG(st.st_mode) && i < count; i++) {
    const file_identity *g = &guards[i].id;
    if (g->known && g->dev == id.dev && g->ino == id.ino) {
      diag_error(sink, name, 0, 0, _("the output is the same file as the %s %s; nothing was written"),
                 guards[i].what, guards[i].name);
      return BILAGA_ERROR_USAGE;
    }
  }
  if (S_ISDIR(st.st_mode)) return cannot_write(sink, name, NULL, EISDIR);
  return BILAGA_OK;
}

/* ---- writing bytes -------------------------------------------------- */

static int write_all(int fd, const unsigned char *bytes, size_t length) {
  while (length > 0) {
    ssize_t n = write(fd, bytes, length);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    bytes += n;
    length -= (size_t)n;
  }
  return 0;
}

/* A reader that went away must be an error to report, not a SIGPIPE that
 * kills the host: SIGPIPE is blocked in this thread while writing, and one
 * raised by the write is taken back before the mask is restored. */
typedef struct pipe_guard {
  sigset_t pipe, old;
  int was_pending;
} pipe_guard;

static void pipe_guard_begin(pipe_guard *g) {
  sigemptyset(&g->pipe);
  sigaddset(&g->pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &g->pipe, &g->old);
  sigset_t pending;
  g->was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE);
}

static void pipe_guard_end(pipe_guard *g, int error) {
  if (error == EPIPE && !g->was_pending) {
    const struct timespec no_wait = {0, 0};
    while (sigtimedwait(&g->pipe, NULL, &no_wait) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

static bilaga_status write_stdout(const void *bytes, size_t length, diag_sink *sink) {
  pipe_guard g;
  pipe_guard_begin(&g);
  int error = 0;
  errno = 0;
  if (fwrite(bytes, 1, length, stdout) != length || fflush(stdout) != 0) error = errno ? errno : EIO;
  pipe_guard_end(&g, error);
  if (error) return cannot_write(sink, "<stdout>", NULL, error);
  return BILAGA_OK;
}

/* Devices, FIFOs and open files named through /proc are written as they
 * are: opened without creating or replacing anything. */
static bilaga_status write_in_place(const char *path, const char *final, int truncate, const void *bytes,
                                    size_t length, diag_sink *sink) {
  int fd = open(final, O_WRONLY | O_NOCTTY | O_CLOEXEC | (truncate ? O_TRUNC : 0));
  if (fd < 0) return cannot_write(sink, path, final, errno);
  pipe_guard g;
  pipe_guard_begin(&g);
  int error = write_all(fd, bytes, length);
  pipe_guard_end(&g, error);
  struct stat st;
  if (!error && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fsync(fd) != 0) error = errno;
  if (close(fd) != 0 && !error && errno != EINTR) error = errno;
  return error ? cannot_write(sink, path, final, error) : BILAGA_OK;
}

/* ---- names ---------------------------------------------------------- */

static char *join(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s/%s", dir, name);
  return s;
}

static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup(".");
  if (slash == path) return strdup("/");
  size_t n = (size_t)(slash - path);
  char *d = malloc(n + 1);
  if (d) memcpy(d, path, n), d[n] = '\0';
  return d;
}

static char *read_link(const char *path, size_t hint) {
  size_t size = hint > 0 ? hint + 1 : 256;
  for (;;) {
    char *buf = malloc(size);
    if (!buf) return NULL;
    ssize_t n = readlink(path, buf, size);
    if (n < 0) {
      free(buf);
      return NULL;
    }
    if ((size_t)n < size) {
      buf[n] = '\0';
      return buf;
    }
    free(buf);
    size *= 2;
  }
}

/* The name path finally stands for: symbolic links in the last component
 * followed by hand (a dangling link names the file to create; the kernel
 * follows links in the directories). Sets *in_proc when a link lives in
 * /proc (/dev/stdout, /dev/fd/N): those name open files, not paths, and are
 * written in place. Returns 0 or an errno value. */
static int resolve_links(const char *path, char **final, int *in_proc) {
  *in_proc = 0;
  struct stat proc;
  int have_proc = lstat("/proc", &proc) == 0;
  char *cur = strdup(path);
  for (int hops = 0; cur; hops++) {
    struct stat st;
    if (lstat(cur, &st) != 0) {
      int error = errno;
      if (error == ENOENT) break;
      free(cur);
      return error;
    }
    if (!S_ISLNK(st.st_mode)) break;
    if (have_proc && st.st_dev == proc.st_dev) {
      *in_proc = 1;
      break;
    }
    if (hops == MAX_LINK_HOPS) {
      free(cur);
      return ELOOP;
    }
    char *target = read_link(cur, (size_t)st.st_size);
    if (!target) {
      int error = errno ? errno : ENOMEM;
      free(cur);
      return error;
    }
    char *next = target;
    if (target[0] != '/' && strchr(cur, '/')) {
      char *dir = dir_of(cur);
      next = dir ? join(dir, target) : NULL;
      free(dir);
      free(target);
    }
    free(cur);
    cur = next;
  }
  if (!cur) return ENOMEM;
  *final = cur;
  return 0;
}

/* ".bilaga-" and six letters or digits: short, so that an output name
 * near NAME_MAX still has room beside it. Different for each attempt,
 * process and thread (the address of a local); no clock is read. */
static char *temp_name(const char *dir, unsigned long long seed, unsigned attempt) {
  static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  uint64_t x = seed ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&seed ^ attempt * 0x9E3779B97F4A7C15u;
  x ^= x >> 30, x *= 0xBF58476D1CE4E5B9u, x ^= x >> 27, x *= 0x94D049BB133111EBu, x ^= x >> 31;
  char name[16] = ".bilaga-";
  for (int i = 0; i < 6; i++, x /= 62) name[8 + i] = letters[x % 62];
  name[14] = '\0';
  return join(dir, name);
}

/* ---- replacing a regular file ---------------------------------------- */

/* While a temporary file has a name, the signals that end a process by
 * default wait (in this thread), so the name is always removed again. */
static void block_termination(sigset_t *old) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGQUIT);
  pthread_sigmask(SIG_BLOCK, &set, old);
}

/* The bytes, the replaced file's owner (when allowed) and permissions,
 * then fsync. A new file keeps the mode open() gave it: 0666 less the
 * umask, which the kernel applies. */
static int fill(int fd, const void *bytes, size_t length, const struct stat *old) {
  int error = write_all(fd, bytes, length);
  if (error) return error;
  if (old) {
    struct stat now;
    if (fstat(fd, &now) == 0 && (now.st_uid != old->st_uid || now.st_gid != old->st_gid)) {
      if (fchown(fd, old->st_uid, old->st_gid) != 0) {
        /* not ours to give away: the file stays the writer's */
      }
    }
    if (fchmod(fd, old->st_mode & 07777) != 0) return errno;
  }
  return fsync(fd) != 0 ? errno : 0;
}

/* The rename is durable only once the directory is on disk too. */
static void sync_dir(const char *dir, const char *path, diag_sink *sink) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS && errno != EBADF)
    diag_warning(sink, path, 0, 0, _("written, but its directory could not be synced: %s"), strerror(errno));
  close(fd);
}

/* Named temporary file beside the target, renamed over it; removed on
 * every failure. Signals wait for as long as it exists. */
static int write_named(const char *dir, const char *final, const void *bytes, size_t length,
                       const struct stat *old) {
  sigset_t mask;
  block_termination(&mask);
  int fd = -1, error = 0;
  char *tmp = NULL;
  for (unsigned attempt = 0; fd < 0 && !error && attempt < TEMP_NAME_TRIES; attempt++) {
    free(tmp);
    tmp = temp_name(dir, (uint64_t)(uintptr_t) final, attempt);
    if (!tmp)
      error = ENOMEM;
    else if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0 && errno != EEXIST)
      error = errno;
  }
  if (fd < 0 && !error) error = EEXIST;
  if (fd >= 0) {
    error = fill(fd, bytes, length, old);
    if (close(fd) != 0 && !error && errno != EINTR) error = errno;
    if (!error && rename(tmp, final) != 0) error = errno;
    if (error) unlink(tmp);
  }
  pthread_sigmask(SIG_SETMASK, &mask, NULL);
  free(tmp);
  return error;
}

#ifdef O_TMPFILE
/* An unnamed file (O_TMPFILE) that nothing can leave behind, linked into
 * place when complete: straight to its name when there is no file yet,
 * else under a temporary name renamed over the old file, the only moment
 * it has a name of its own (signals wait through it). */
static int link_unnamed(int fd, const char *dir, const char *final, const void *bytes, size_t length,
                        const struct stat *old) {
  int error = fill(fd, bytes, length, old);
  if (error) return error;
  char self[64];
  snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
  if (!old) {
    if (linkat(AT_FDCWD, self, AT_FDCWD, final, AT_SYMLINK_FOLLOW) == 0) return 0;
    if (errno != EEXIST) return errno;
  }
  struct stat st;
  unsigned long long seed = fstat(fd, &st) == 0 ? (unsigned long long)st.st_ino : 0;
  sigset_t mask;
  block_termination(&mask);
  char *tmp = NULL;
  error = EEXIST;
  for (unsigned attempt = 0; error == EEXIST && attempt < TEMP_NAME_TRIES; attempt++) {
    free(tmp);
    tmp = temp_name(dir, seed, attempt);
    if (!tmp)
      error = ENOMEM;
    else
      error = linkat(AT_FDCWD, self, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0 ? 0 : errno;
  }
  if (!error && rename(tmp, final) != 0) {
    error = errno;
    unlink(tmp);
  }
  pthread_sigmask(SIG_SETMASK, &mask, NULL);
  free(tmp);
  return error;
}
#endif

/* final is a regular file (old) or nothing yet (old NULL). */
static bilaga_status write_regular(const char *path, const char *final, const struct stat *old,
                                   const void *bytes, size_t length, output_strategy strategy,
                                   diag_sink *sink) {
  char *dir = dir_of(final);
  if (!dir) return cannot_write(sink, path, final, ENOMEM);
  int error = -1; /* not tried yet */
#ifdef O_TMPFILE
  /* linking an unnamed file needs /proc/self/fd */
  if (strategy == OUTPUT_ANY && access("/proc/self/fd", X_OK) == 0) {
    int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (fd >= 0) {
      error = link_unnamed(fd, dir, final, bytes, length, old);
      close(fd);
    } else if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
      error = errno; /* the file system has O_TMPFILE; the directory is the problem */
    }
  }
#endif
  (void)strategy;
  if (error < 0) error = write_named(dir, final, bytes, length, old);
  if (!error) sync_dir(dir, path, sink);
  free(dir);
  return error ? cannot_write(sink, path, final, error) : BILAGA_OK;
}

bilaga_status output_file_write(const char *path, const void *bytes, size_t length,
                                const output_guard *guards, int count, output_strategy strategy,
                                diag_sink *sink) {
  bilaga_status st = output_file_check(path, guards, count, sink);
  if (st != BILAGA_OK) return st;
  if (strcmp(path, "-") == 0) return write_stdout(bytes, length, sink);
  char *final = NULL;
  int in_proc;
  int error = resolve_links(path, &final, &in_proc);
  if (error) return cannot_write(sink, path, NULL, error);
  struct stat target;
  if (in_proc) {
    /* an open file: whatever it is, written where it is */
    int regular = stat(path, &target) == 0 && S_ISREG(target.st_mode);
    st = write_in_place(path, path, regular, bytes, length, sink);
  } else if (lstat(final, &target) != 0) {
    st = errno == ENOENT ? write_regular(path, final, NULL, bytes, length, strategy, sink)
                         : cannot_write(sink, path, final, errno);
  } else if (S_ISREG(target.st_mode)) {
    st = write_regular(path, final, &target, bytes, length, strategy, sink);
  } else if (S_ISDIR(target.st_mode)) {
    st = cannot_write(sink, path, final, EISDIR);
  } else {
    st = write_in_place(path, final, 0, bytes, length, sink);
  }
  free(final);
  return st;
}
