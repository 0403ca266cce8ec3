/* support.h - helpers for the end-to-end suites: run a command and capture
 * what it prints, temporary directories, files, the output of pdftotext,
 * pdfinfo and qpdf (text, word boxes, JSON), text normalisation and Swedish
 * number formatting. Header-only, every function static.
 *
 * Memory: strings and arrays these helpers return live until the test
 * process exits (check runs each test in its own forked process); they are
 * linked on one list, so they are never reported as leaks and need no free. */
#ifndef BILAGA_E2E_SUPPORT_H
#define BILAGA_E2E_SUPPORT_H

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef BILAGA_TEST_SOURCE_ROOT
#define BILAGA_TEST_SOURCE_ROOT "."
#endif

#define SUP static __attribute__((unused))

/* ---- memory kept until exit ------------------------------------------- */

/* Every block carries a header that links it into one list. */
typedef union sup_block {
  struct {
    union sup_block *prev, *next;
  } link;
  max_align_t align;
} sup_block;

static sup_block sup_blocks = {{&sup_blocks, &sup_blocks}};
static int sup_blocks_registered;

static void sup_free_blocks(void) {
  sup_block *b = sup_blocks.link.next;
  while (b != &sup_blocks) {
    sup_block *next = b->link.next;
    free(b);
    b = next;
  }
  sup_blocks.link.prev = sup_blocks.link.next = &sup_blocks;
}

static void *sup_link(sup_block *b) {
  if (!b) {
    fprintf(stderr, "support: out of memory\n");
    abort();
  }
  if (!sup_blocks_registered) {
    sup_blocks_registered = 1;
    atexit(sup_free_blocks);
  }
  b->link.prev = sup_blocks.link.prev;
  b->link.next = &sup_blocks;
  sup_blocks.link.prev->link.next = b;
  sup_blocks.link.prev = b;
  return b + 1;
}

SUP void *xmalloc(size_t n) { return sup_link(malloc(sizeof(sup_block) + n)); }

/* Resizes a block from xmalloc/xgrow (or NULL). */
SUP void *xgrow(void *old, size_t n) {
  if (!old) return xmalloc(n);
  sup_block *b = (sup_block *)old - 1;
  b->link.prev->link.next = b->link.next;
  b->link.next->link.prev = b->link.prev;
  return sup_link(realloc(b, sizeof(sup_block) + n));
}

SUP char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

SUP char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

SUP char *sfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
SUP char *sfmt(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

/* A growable string. */
typedef struct sbuf {
  char *s;
  size_t len, cap;
} sbuf;

SUP void sbuf_addn(sbuf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (b->len + n + 1 > cap) cap *= 2;
    b->s = xgrow(b->s, cap);
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

SUP void sbuf_add(sbuf *b, const char *s) { sbuf_addn(b, s, strlen(s)); }

SUP void sbuf_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
SUP void sbuf_printf(sbuf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof tmp) {
    sbuf_addn(b, tmp, (size_t)n);
    return;
  }
  char *big = xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  sbuf_addn(b, big, (size_t)n);
}

SUP const char *sbuf_str(const sbuf *b) { return b->s ? b->s : ""; }

/* ---- paths and the environment ---------------------------------------- */

SUP const char *source_root(void) {
  const char *s = getenv("BILAGA_SOURCE_ROOT");
  return s && *s ? s : BILAGA_TEST_SOURCE_ROOT;
}

SUP const char *bilaga_binary(void) {
  const char *s = getenv("BILAGA_BINARY");
  ck_assert_msg(s && *s, "BILAGA_BINARY is not set (run the suites with meson test)");
  return s;
}

SUP int file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

SUP int is_regular_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

SUP int is_directory(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The whole file, NUL-terminated; NULL when it cannot be read. */
SUP char *read_file(const char *path, size_t *length) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  sbuf b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) sbuf_addn(&b, chunk, n);
  int bad = ferror(f);
  fclose(f);
  if (bad) return NULL;
  if (!b.s) sbuf_addn(&b, "", 0);
  if (length) *length = b.len;
  return b.s;
}

SUP void write_file(const char *path, const void *data, size_t length) {
  FILE *f = fopen(path, "wb");
  ck_assert_msg(f != NULL, "cannot create %s: %s", path, strerror(errno));
  ck_assert_msg(fwrite(data, 1, length, f) == length, "cannot write %s", path);
  ck_assert_msg(fclose(f) == 0, "cannot close %s", path);
}

SUP void write_text(const char *path, const char *text) { write_file(path, text, strlen(text)); }

/* strstr, but without the sanitizers' strstr interceptor, which measures
 * the whole haystack on every call: a loop over a long text (the words of
 * pdftotext -bbox, a document's text) turned quadratic in the sanitizer
 * build. */
SUP const char *text_find(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  if (!n) return hay;
  for (const char *p = hay; (p = strchr(p, needle[0])) != NULL; p++)
    if (strncmp(p, needle, n) == 0) return p;
  return NULL;
}

/* ---- temporary directories -------------------------------------------- */

static char sup_tmpdirs[16][512];
static int sup_tmpdir_count;

SUP void remove_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    chmod(path, 0700);
    DIR *d = opendir(path);
    if (d) {
      struct dirent *e;
      while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *child = malloc(n);
        if (!child) break;
        snprintf(child, n, "%s/%s", path, e->d_name);
        remove_tree(child);
        free(child);
      }
      closedir(d);
    }
    rmdir(path);
  } else {
    unlink(path);
  }
}

static void sup_remove_tmpdirs(void) {
  if (getenv("BILAGA_KEEP_TMP")) return;
  for (int i = 0; i < sup_tmpdir_count; i++) remove_tree(sup_tmpdirs[i]);
  sup_tmpdir_count = 0;
}

/* One directory per run of a suite, made by main before the tests fork:
 * every test's directory goes inside it, so main can remove what a failed
 * test (which exits without its atexit handlers) left behind. */
static char sup_tmp_root[512];

/* Call from main before srunner_run_all; returns 0 on failure. */
SUP int tmp_root_init(const char *suite) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  snprintf(sup_tmp_root, sizeof sup_tmp_root, "%s/bilaga-%s-XXXXXX", base, suite);
  if (!mkdtemp(sup_tmp_root)) {
    fprintf(stderr, "mkdtemp %s: %s\n", sup_tmp_root, strerror(errno));
    sup_tmp_root[0] = '\0';
    return 0;
  }
  return 1;
}

/* Call from main after srunner_run_all. */
SUP void tmp_root_remove(void) {
  if (!sup_tmp_root[0]) return;
  if (getenv("BILAGA_KEEP_TMP")) printf("note: test files kept in %s\n", sup_tmp_root);
  else remove_tree(sup_tmp_root);
  sup_tmp_root[0] = '\0';
}

/* A fresh directory for one test (mkdtemp), removed when the test
 * process exits or, failing that, with the suite's root directory. Set
 * BILAGA_KEEP_TMP to keep them for a look. */
SUP const char *tmpdir_new(void) {
  const char *base = sup_tmp_root[0] ? sup_tmp_root : getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  char *path = sfmt("%s/test-XXXXXX", base);
  ck_assert_msg(mkdtemp(path) != NULL, "mkdtemp in %s: %s", base, strerror(errno));
  if (sup_tmpdir_count < 16) {
    if (sup_tmpdir_count == 0) atexit(sup_remove_tmpdirs);
    snprintf(sup_tmpdirs[sup_tmpdir_count++], sizeof sup_tmpdirs[0], "%s", path);
  }
  return path;
}

/* Names in dir that start with prefix (a NULL-terminated array; empty
 * when dir cannot be read). Usable outside tests: asserts nothing. */
SUP char **dir_entries_with_prefix(const char *dir, const char *prefix, int *count) {
  char **names = NULL;
  int n = 0;
  DIR *d = opendir(dir);
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    if (strncmp(e->d_name, prefix, strlen(prefix)) != 0) continue;
    names = xgrow(names, sizeof *names * (size_t)(n + 2));
    names[n++] = xstrdup(e->d_name);
  }
  if (d) closedir(d);
  names = xgrow(names, sizeof *names * (size_t)(n + 1));
  names[n] = NULL;
  if (count) *count = n;
  return names;
}

static int sup_cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The samples (full paths, sorted): every *.xml in samples/. */
SUP char **sample_files(int *count) {
  const char *dir = sfmt("%s/samples", source_root());
  char **all = dir_entries_with_prefix(dir, "", NULL);
  char **out = NULL;
  int n = 0;
  for (int i = 0; all[i]; i++) {
    size_t l = strlen(all[i]);
    if (l < 5 || strcmp(all[i] + l - 4, ".xml") != 0) continue;
    out = xgrow(out, sizeof *out * (size_t)(n + 2));
    out[n++] = sfmt("%s/%s", dir, all[i]);
  }
  if (n) qsort(out, (size_t)n, sizeof *out, sup_cmp_str);
  out = xgrow(out, sizeof *out * (size_t)(n + 1));
  out[n] = NULL;
  if (count) *count = n;
  return out;
}

SUP const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* ---- running commands ------------------------------------------------- */

typedef struct run_opts {
  const char *stdin_path; /* NULL: /dev/null */
  double timeout;         /* seconds; <= 0: 300 */
  long long fsize_limit;  /* > 0: RLIMIT_FSIZE for the child, SIGXFSZ ignored */
  const char *const *env; /* "NAME=VALUE" strings set in the child, NULL-terminated (or NULL) */
} run_opts;

typedef struct run_result {
  int exited, code;     /* normal exit and its status */
  int signaled, signal; /* killed by a signal */
  int timed_out;        /* killed by us after the timeout */
  double seconds;
  char *out, *err; /* NUL-terminated */
  size_t out_len, err_len;
} run_result;

static double sup_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv[0] (looked up in PATH) with argv and waits; stdout and stderr
 * are captured. The child gets its own process group, so a timeout kills
 * it and whatever it started, and nothing else. */
SUP run_result run_argv(const char *const *argv, const run_opts *opts) {
  run_opts defaults = {0};
  if (!opts) opts = &defaults;
  run_result r = {0};
  int out_pipe[2], err_pipe[2];
  ck_assert_int_eq(pipe(out_pipe), 0);
  ck_assert_int_eq(pipe(err_pipe), 0);
  fflush(NULL);
  double start = sup_now();
  pid_t pid = fork();
  ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
  if (pid == 0) {
    setpgid(0, 0);
    int in = open(opts->stdin_path ? opts->stdin_path : "/dev/null", O_RDONLY);
    if (in < 0) _exit(126);
    dup2(in, 0);
    close(in);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    close(out_pipe[0]), close(out_pipe[1]), close(err_pipe[0]), close(err_pipe[1]);
    for (int i = 0; opts->env && opts->env[i]; i++) {
      const char *eq = strchr(opts->env[i], '=');
      if (eq) setenv(xstrndup(opts->env[i], (size_t)(eq - opts->env[i])), eq + 1, 1);
    }
    if (opts->fsize_limit > 0) {
      signal(SIGXFSZ, SIG_IGN);
      struct rlimit rl = {(rlim_t)opts->fsize_limit, (rlim_t)opts->fsize_limit};
      if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(126);
    }
    execvp(argv[0], (char *const *)argv);
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  setpgid(pid, pid);
  close(out_pipe[1]);
  close(err_pipe[1]);
  sbuf out = {0}, err = {0};
  struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  double timeout = opts->timeout > 0 ? opts->timeout : 300;
  double deadline = start + timeout;
  while (open_fds > 0) {
    double left = deadline - sup_now();
    if (left <= 0 && !r.timed_out) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      r.timed_out = 1;
    }
    int ms = r.timed_out ? 1000 : (int)(left * 1000) + 1;
    int n = poll(fds, 2, ms);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    for (int i = 0; i < 2; i++) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char chunk[65536];
      ssize_t got = read(fds[i].fd, chunk, sizeof chunk);
      if (got > 0) {
        sbuf_addn(i == 0 ? &out : &err, chunk, (size_t)got);
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(fds[i].fd);
        fds[i].fd = -1;
        open_fds--;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.seconds = sup_now() - start;
  if (WIFEXITED(status)) r.exited = 1, r.code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signaled = 1, r.signal = WTERMSIG(status);
  if (!out.s) sbuf_addn(&out, "", 0);
  if (!err.s) sbuf_addn(&err, "", 0);
  r.out = out.s, r.out_len = out.len;
  r.err = err.s, r.err_len = err.len;
  return r;
}

/* run(opts, "prog", "arg", ..., NULL) */
SUP run_result run(const run_opts *opts, const char *arg0, ...) {
  const char *argv[64];
  int n = 0;
  argv[n++] = arg0;
  va_list ap;
  va_start(ap, arg0);
  const char *a;
  while ((a = va_arg(ap, const char *)) != NULL) {
    ck_assert_int_lt(n, 63);
    argv[n++] = a;
  }
  va_end(ap);
  argv[n] = NULL;
  return run_argv(argv, opts);
}

/* A short description for assertion messages (stderr on one line: the
 * test log keeps only the first line of a message). */
SUP const char *run_describe(const run_result *r) {
  char *err = xstrndup(r->err, r->err_len < 3000 ? r->err_len : 3000);
  for (char *p = err; *p; p++)
    if (*p == '\n') *p = '|';
  if (r->timed_out) return sfmt("timed out after %.1f s; stderr: %s", r->seconds, err);
  if (r->signaled) return sfmt("killed by signal %d; stderr: %s", r->signal, err);
  return sfmt("exit %d after %.1f s; stderr: %s", r->code, r->seconds, err);
}

SUP int run_exit_is(const run_result *r, int code) { return r->exited && !r->timed_out && r->code == code; }

/* ---- rendered PDFs, kept for a whole run of a suite ------------------- */

/* Each test runs in its own forked process, so what one test renders is
 * kept on disk, in the suite's temporary root (tmp_root_init), for the
 * tests after it: every sample is rendered once per suite, not once per
 * test. Cached files are shared: tests read them, never change them. */

SUP const char *suite_cache_dir(void) {
  ck_assert_msg(sup_tmp_root[0] != '\0', "tmp_root_init was not called");
  const char *dir = sfmt("%s/cache", sup_tmp_root);
  ck_assert_msg(mkdir(dir, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", dir, strerror(errno));
  return dir;
}

/* FNV-1a of the strings, as 16 hex digits: a cache file's name. */
SUP const char *cache_key(const char *const *parts) {
  unsigned long long h = 1469598103934665603ULL;
  for (int i = 0; parts[i]; i++)
    for (const unsigned char *p = (const unsigned char *)parts[i];; p++) {
      h = (h ^ *p) * 1099511628211ULL;
      if (!*p) break;
    }
  return sfmt("%016llx", h);
}

/* bilaga render IN [-t TPL] [FLAG] into the suite's cache, once: later
 * calls with the same arguments (and the same SOURCE_DATE_EPOCH) return
 * the same file. The command must exit 0 and print nothing. */
SUP const char *render_cached(const char *in, const char *tpl, const char *flag) {
  const char *epoch = getenv("SOURCE_DATE_EPOCH");
  const char *parts[] = {in, tpl ? tpl : "-", flag ? flag : "-", epoch ? epoch : "-", NULL};
  const char *out = sfmt("%s/%s.pdf", suite_cache_dir(), cache_key(parts));
  if (is_regular_file(out)) return out;
  const char *part = sfmt("%s.part", out);
  const char *argv[10];
  int n = 0;
  argv[n++] = bilaga_binary();
  argv[n++] = "render";
  argv[n++] = in;
  argv[n++] = "-o";
  argv[n++] = part;
  if (tpl) argv[n++] = "-t", argv[n++] = tpl;
  if (flag) argv[n++] = flag;
  argv[n++] = "--diagnostics=json";
  argv[n] = NULL;
  run_result r = run_argv(argv, NULL);
  const char *what = sfmt("bilaga render %s%s%s%s%s", base_name(in), tpl ? " -t " : "", tpl ? base_name(tpl) : "",
                          flag ? " " : "", flag ? flag : "");
  ck_assert_msg(run_exit_is(&r, 0), "%s: %s", what, run_describe(&r));
  /* nothing but the warning that a table's font stepped down to fit (a
   * designed fallback, and some test documents are made to need it) */
  for (const char *line = r.err; line && *line;) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    const char *l = xstrndup(line, len);
    ck_assert_msg(strstr(l, "\"severity\":\"warning\"") && strstr(l, "\"code\":\"W0403-table-shrunk\""),
                  "%s printed diagnostics: %s", what, run_describe(&r));
    line = end ? end + 1 : NULL;
  }
  ck_assert_msg(is_regular_file(part), "%s exited 0 but wrote no file", what);
  ck_assert_msg(rename(part, out) == 0, "rename %s: %s", part, strerror(errno));
  return out;
}

/* ---- pdf-check, many files per start ---------------------------------- */

/* ../shared/tools/pdf-check, or NULL when it is missing: a test program
 * that needs it then returns 77 (skipped) from main, never passes. */
SUP const char *pdf_check_tool(void) {
  const char *tool = sfmt("%s/../shared/tools/pdf-check", source_root());
  return is_regular_file(tool) ? tool : NULL;
}

/* pdf-check [FLAGS] on all files in one start; its output (one verdict
 * line per check and file: "ok    FILE: check" or "FAIL  FILE: check"
 * with indented detail lines) is returned for pdf_check_verdict. */
SUP char *pdf_check_batch(const char *const *files, int count, const char *flags) {
  const char *tool = pdf_check_tool();
  ck_assert_msg(tool != NULL, "pdf-check is missing");
  const char **argv = xmalloc(sizeof *argv * (size_t)(count + 7));
  int n = 0;
  /* pdf-check's sed reads the trailer's /ID bytes: under a UTF-8 locale a
   * byte sequence that is no valid UTF-8 fails its match */
  argv[n++] = "env";
  argv[n++] = "LC_ALL=C";
  argv[n++] = "bash";
  argv[n++] = tool;
  if (flags && strstr(flags, "--pdfa")) argv[n++] = "--pdfa";
  if (flags && strstr(flags, "--tagged")) argv[n++] = "--tagged";
  for (int i = 0; i < count; i++) argv[n++] = files[i];
  argv[n] = NULL;
  if (count == 0) return "";
  run_opts o = {.timeout = 3000};
  run_result r = run_argv(argv, &o);
  /* no assertion here: the caller keeps the output for later tests, and
   * a failed start shows as files without verdicts */
  if (r.timed_out || r.signaled || !strstr(r.out, "pdf-check: "))
    return sfmt("%s\npdf-check failed: %s\n", r.out, run_describe(&r));
  return r.out;
}

SUP char *collapse_ws(const char *s);

/* ---- PDFBox Preflight, many files per Java start ---------------------- */

/* pdf-check starts a Java per file (2 s of start-up and JIT each);
 * Preflight's own "xml group LIST" mode validates a list of files in one
 * start. Same classpath and validator (PDF/A-1b) as pdf-check --pdfa. */
static const char *const sup_preflight_jars[] = {"preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging",
                                                 "javax.activation", "jaxb-api"};

/* The classpath, or NULL when a jar or java is missing. */
SUP const char *preflight_classpath(void) {
  sbuf cp = {0};
  for (size_t i = 0; i < sizeof sup_preflight_jars / sizeof *sup_preflight_jars; i++) {
    const char *jar = sfmt("/usr/share/java/%s.jar", sup_preflight_jars[i]);
    if (!is_regular_file(jar)) return NULL;
    sbuf_printf(&cp, "%s%s", i ? ":" : "", jar);
  }
  if (system("command -v java >/dev/null 2>&1") != 0) return NULL;
  return sbuf_str(&cp);
}

/* Validates the files (their base names must differ: the report names
 * files by base name) in one Java start; returns the XML report. */
SUP char *preflight_batch(const char *const *files, int count, const char *workdir) {
  const char *cp = preflight_classpath();
  ck_assert_msg(cp != NULL, "PDFBox Preflight or java is missing");
  sbuf list = {0};
  for (int i = 0; i < count; i++) sbuf_printf(&list, "%s\n", files[i]);
  const char *list_path = sfmt("%s/preflight-list.txt", workdir);
  write_text(list_path, sbuf_str(&list));
  if (count == 0) return "<preflights/>";
  run_opts o = {.timeout = 3000};
  run_result r = run(&o, "java", "-XX:+UseSerialGC", "-cp", cp, "org.apache.pdfbox.preflight.Validator_A1b", "xml",
                     "group", list_path, NULL);
  char *xml = read_file(sfmt("%s.preflight.xml", list_path), NULL);
  /* as for pdf-check: a failed start shows as files without verdicts */
  if (r.timed_out || r.signaled || !xml) return sfmt("<preflights failed=\"%s\"/>", run_describe(&r));
  return xml;
}

/* One file's verdict in a Preflight group report: 1 valid, 0 not (the
 * errors in *why), -1 not in the report (*why: why the run failed). */
SUP int preflight_verdict(const char *report, const char *file, const char **why) {
  *why = "";
  xmlDocPtr doc = xmlReadMemory(report, (int)strlen(report), "preflight.xml", NULL, XML_PARSE_NONET);
  ck_assert_msg(doc != NULL, "the Preflight report is not XML: %.500s", report);
  int verdict = -1;
  xmlChar *failed = xmlGetProp(xmlDocGetRootElement(doc), (const xmlChar *)"failed");
  if (failed) *why = xstrdup((const char *)failed);
  xmlFree(failed);
  for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
    xmlChar *name = n->type == XML_ELEMENT_NODE ? xmlGetProp(n, (const xmlChar *)"name") : NULL;
    int match = name && strcmp((const char *)name, base_name(file)) == 0;
    xmlFree(name);
    if (!match) continue;
    sbuf errors = {0};
    for (xmlNodePtr c = n->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      xmlChar *text = xmlNodeGetContent(c);
      if (strcmp((const char *)c->name, "isValid") == 0) verdict = strcmp((const char *)text, "true") == 0;
      else if (strcmp((const char *)c->name, "errors") == 0 || strcmp((const char *)c->name, "exceptionThrown") == 0)
        sbuf_add(&errors, (const char *)text);
      xmlFree(text);
    }
    *why = collapse_ws(sbuf_str(&errors));
    break;
  }
  xmlFreeDoc(doc);
  return verdict;
}

SUP char **split_lines(const char *text, int *count);

/* The verdict lines of one file in a pdf-check output: the number of
 * checks passed and failed; the failures with their details in *failures
 * (one line). */
SUP void pdf_check_verdict(const char *output, const char *file, int *passed, int *failed, const char **failures) {
  *passed = *failed = 0;
  sbuf why = {0};
  int n;
  char **lines = split_lines(output, &n);
  size_t fl = strlen(file);
  for (int i = 0; i < n; i++) {
    const char *l = lines[i];
    int ok = strncmp(l, "ok    ", 6) == 0, bad = strncmp(l, "FAIL  ", 6) == 0;
    if ((!ok && !bad) || strncmp(l + 6, file, fl) != 0 || l[6 + fl] != ':') continue;
    if (ok) {
      (*passed)++;
      continue;
    }
    (*failed)++;
    sbuf_printf(&why, "%s%s", why.len ? " | " : "", l + 6 + fl + 2);
    for (int k = i + 1; k < n && strncmp(lines[k], "      ", 6) == 0; k++) sbuf_printf(&why, " / %s", lines[k] + 6);
  }
  *failures = sbuf_str(&why);
}

/* ---- poppler and qpdf ------------------------------------------------- */

/* Where the output of a poppler tool run on a PDF in the suite's cache
 * (which does not change during the run) is kept, or NULL for other PDFs:
 * poppler spends most of its time setting up colour management (the
 * PDF/A output intent) on every start, and the tests read the same PDFs
 * many times. argv's last argument but "-" is the PDF. */
SUP const char *tool_output_cache(const char *const *argv) {
  int n = 0;
  while (argv[n]) n++;
  const char *pdf = n > 1 && strcmp(argv[n - 1], "-") == 0 ? argv[n - 2] : argv[n - 1];
  if (!sup_tmp_root[0]) return NULL;
  const char *dir = sfmt("%s/cache/", sup_tmp_root);
  if (strncmp(pdf, dir, strlen(dir)) != 0 || strchr(pdf + strlen(dir), '/')) return NULL;
  return sfmt("%s%s.txt", dir, cache_key(argv));
}

SUP void tool_output_save(const char *path, const char *text, size_t len) {
  const char *part = sfmt("%s.part", path);
  write_file(part, text, len);
  ck_assert_msg(rename(part, path) == 0, "rename %s: %s", part, strerror(errno));
}

/* pdftotext with extra arguments (NULL-terminated), UTF-8, to stdout.
 * Poppler must succeed and print nothing on stderr: a warning means the
 * PDF has a problem. */
SUP char *pdf_text_argv(const char *pdf, const char *const *extra) {
  const char *argv[40];
  int n = 0;
  argv[n++] = "pdftotext";
  argv[n++] = "-enc";
  argv[n++] = "UTF-8";
  for (int i = 0; extra && extra[i]; i++) {
    ck_assert_int_lt(n, 35);
    argv[n++] = extra[i];
  }
  argv[n++] = pdf;
  argv[n++] = "-";
  argv[n] = NULL;
  const char *saved = tool_output_cache(argv);
  char *text = saved ? read_file(saved, NULL) : NULL;
  if (text) return text;
  run_result r = run_argv(argv, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "pdftotext %s: %s", pdf, run_describe(&r));
  ck_assert_msg(r.err_len == 0, "pdftotext %s printed warnings: %.2000s", pdf, r.err);
  if (saved) tool_output_save(saved, r.out, r.out_len);
  return r.out;
}

/* pdfinfo's output (it must succeed), kept like pdftotext's. */
SUP char *pdfinfo_output(const char *pdf) {
  const char *argv[] = {"pdfinfo", pdf, NULL};
  const char *saved = tool_output_cache(argv);
  char *text = saved ? read_file(saved, NULL) : NULL;
  if (text) return text;
  run_result r = run_argv(argv, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "pdfinfo %s: %s", pdf, run_describe(&r));
  if (saved) tool_output_save(saved, r.out, r.out_len);
  return r.out;
}

/* mode: NULL, "-layout", "-bbox" or "-bbox-layout"; pages first..last
 * (1-based, 0 for all). */
SUP char *pdf_text(const char *pdf, int first, int last, const char *mode) {
  const char *extra[8];
  int n = 0;
  char fbuf[16], lbuf[16];
  if (mode) extra[n++] = mode;
  if (first > 0) {
    snprintf(fbuf, sizeof fbuf, "%d", first);
    extra[n++] = "-f", extra[n++] = fbuf;
  }
  if (last > 0) {
    snprintf(lbuf, sizeof lbuf, "%d", last);
    extra[n++] = "-l", extra[n++] = lbuf;
  }
  extra[n] = NULL;
  return pdf_text_argv(pdf, extra);
}

/* Page count from pdfinfo. */
SUP int pdf_page_count(const char *pdf) {
  const char *out = pdfinfo_output(pdf);
  const char *p = strstr(out, "\nPages:");
  if (!p && strncmp(out, "Pages:", 6) == 0) p = out - 1;
  ck_assert_msg(p != NULL, "pdfinfo printed no page count for %s:\n%s", pdf, out);
  return atoi(p + 1 + 6);
}

/* Size of page 1 in points, from pdfinfo. */
SUP void pdf_page_size(const char *pdf, double *width, double *height) {
  const char *p = strstr(pdfinfo_output(pdf), "Page size:");
  ck_assert_msg(p && sscanf(p, "Page size: %lf x %lf", width, height) == 2, "pdfinfo gives no page size for %s", pdf);
}

/* The text inside the body area of every page, the running header and
 * footer cut away: a band from the top margin to the bottom margin (a few
 * points wider, for ascenders and descenders; the running lines stand in
 * the margins, well away from it). */
SUP char *pdf_body_text(const char *pdf, double top_margin, double bottom_margin) {
  double pw, ph;
  pdf_page_size(pdf, &pw, &ph);
  char x[16], y[16], w[16], h[16];
  snprintf(x, sizeof x, "%d", 0);
  snprintf(y, sizeof y, "%d", (int)floor(top_margin - 6));
  snprintf(w, sizeof w, "%d", (int)ceil(pw));
  snprintf(h, sizeof h, "%d", (int)ceil(ph - top_margin - bottom_margin + 12));
  const char *extra[] = {"-x", x, "-y", y, "-W", w, "-H", h, NULL};
  return pdf_text_argv(pdf, extra);
}

/* ---- word boxes from pdftotext -bbox ---------------------------------- */

typedef struct bword {
  int page; /* 1-based */
  double x0, y0, x1, y1;
  char *text;
} bword;

typedef struct bbox_doc {
  int pages;
  double page_width[4096], page_height[4096];
  bword *words;
  int count;
} bbox_doc;

static double sup_attr_num(const char *tag, const char *name) {
  char key[32];
  snprintf(key, sizeof key, " %s=\"", name);
  const char *p = text_find(tag, key);
  ck_assert_msg(p != NULL, "no %s in %.200s", name, tag);
  return strtod(p + strlen(key), NULL);
}

/* Undoes the HTML escapes pdftotext writes. */
SUP char *html_unescape(const char *s, size_t n) {
  sbuf b = {0};
  for (size_t i = 0; i < n;) {
    if (s[i] == '&') {
      static const struct {
        const char *e, *c;
      } ents[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&#39;", "'"}};
      size_t k;
      for (k = 0; k < sizeof ents / sizeof *ents; k++) {
        size_t l = strlen(ents[k].e);
        if (i + l <= n && memcmp(s + i, ents[k].e, l) == 0) {
          sbuf_add(&b, ents[k].c);
          i += l;
          break;
        }
      }
      if (k < sizeof ents / sizeof *ents) continue;
    }
    sbuf_addn(&b, s + i, 1);
    i++;
  }
  if (!b.s) sbuf_addn(&b, "", 0);
  return b.s;
}

/* Word boxes of pages first..last (0: all); coordinates in points from
 * the top-left corner of the page, as pdftotext prints them. */
SUP bbox_doc *pdf_words(const char *pdf, int first, int last) {
  char *html = pdf_text(pdf, first, last, "-bbox");
  bbox_doc *d = xmalloc(sizeof *d);
  memset(d, 0, sizeof *d);
  int page = first > 0 ? first - 1 : 0, cap = 0;
  for (const char *p = html; (p = strchr(p, '<')) != NULL; p++) {
    if (strncmp(p, "<page ", 6) == 0) {
      page++;
      ck_assert_int_lt(page, 4096);
      d->page_width[page] = sup_attr_num(p, "width");
      d->page_height[page] = sup_attr_num(p, "height");
      if (page > d->pages) d->pages = page;
    } else if (strncmp(p, "<word ", 6) == 0) {
      const char *gt = strchr(p, '>');
      const char *end = gt ? text_find(gt, "</word>") : NULL;
      ck_assert_msg(gt && end, "bad -bbox output near %.100s", p);
      if (d->count == cap) {
        cap = cap ? cap * 2 : 1024;
        d->words = xgrow(d->words, sizeof *d->words * (size_t)cap);
      }
      bword *w = &d->words[d->count++];
      w->page = page;
      w->x0 = sup_attr_num(p, "xMin");
      w->y0 = sup_attr_num(p, "yMin");
      w->x1 = sup_attr_num(p, "xMax");
      w->y1 = sup_attr_num(p, "yMax");
      w->text = html_unescape(gt + 1, (size_t)(end - gt - 1));
      p = end;
    }
  }
  /* A hyphen inserted at a line end is drawn after the page's other text
   * (an artifact, outside the paragraph's marked content), so -bbox
   * reports it as a word of its own: glue it to the word it touches, as
   * plain pdftotext does. */
  int kept = 0;
  for (int i = 0; i < d->count; i++) {
    bword *w = &d->words[i];
    if (strcmp(w->text, "-") == 0) {
      bword *to = NULL;
      for (int k = 0; k < kept && !to; k++) {
        bword *c = &d->words[k];
        if (c->page == w->page && fabs(c->x1 - w->x0) < 0.1 && fabs(c->y0 - w->y0) < 0.1 && fabs(c->y1 - w->y1) < 0.1)
          to = c;
      }
      if (to) {
        size_t l = strlen(to->text);
        to->text = xgrow(to->text, l + 2);
        memcpy(to->text + l, "-", 2);
        to->x1 = w->x1;
        continue;
      }
    }
    d->words[kept++] = *w;
  }
  d->count = kept;
  return d;
}

/* A line: consecutive words on one page with the same top and height. */
typedef struct bline {
  int page;
  double x0, y0, x1, y1, height;
  char *text; /* words joined by single spaces */
} bline;

SUP bline *pdf_lines(const bbox_doc *d, int *count) {
  bline *lines = NULL;
  int n = 0, cap = 0;
  for (int i = 0; i < d->count; i++) {
    const bword *w = &d->words[i];
    double h = w->y1 - w->y0;
    bline *cur = n ? &lines[n - 1] : NULL;
    if (cur && cur->page == w->page && fabs(cur->y0 - w->y0) < 0.5 && fabs(cur->height - h) < 0.5 &&
        w->x0 >= cur->x1 - 0.5) {
      cur->text = sfmt("%s %s", cur->text, w->text);
      cur->x1 = w->x1;
      continue;
    }
    if (n == cap) {
      cap = cap ? cap * 2 : 256;
      lines = xgrow(lines, sizeof *lines * (size_t)cap);
    }
    bline *l = &lines[n++];
    l->page = w->page;
    l->x0 = w->x0, l->y0 = w->y0, l->x1 = w->x1, l->y1 = w->y1, l->height = h;
    l->text = w->text;
  }
  *count = n;
  return lines;
}

/* ---- a small JSON reader (for qpdf --json) ---------------------------- */

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json {
  json_type type;
  double number;
  char *string; /* UTF-8 */
  int count;
  struct json *items; /* array items or object values */
  char **keys;        /* object keys */
} json;

static void sup_json_ws(const char **p) {
  while (**p == ' ' || **p == '\n' || **p == '\r' || **p == '\t') (*p)++;
}

static void sup_utf8_put(sbuf *b, unsigned long c) {
  char o[4];
  size_t n;
  if (c < 0x80) o[0] = (char)c, n = 1;
  else if (c < 0x800) o[0] = (char)(0xC0 | (c >> 6)), o[1] = (char)(0x80 | (c & 0x3F)), n = 2;
  else if (c < 0x10000)
    o[0] = (char)(0xE0 | (c >> 12)), o[1] = (char)(0x80 | ((c >> 6) & 0x3F)), o[2] = (char)(0x80 | (c & 0x3F)), n = 3;
  else
    o[0] = (char)(0xF0 | (c >> 18)), o[1] = (char)(0x80 | ((c >> 12) & 0x3F)), o[2] = (char)(0x80 | ((c >> 6) & 0x3F)),
    o[3] = (char)(0x80 | (c & 0x3F)), n = 4;
  sbuf_addn(b, o, n);
}

static int sup_json_value(const char **p, json *v, int depth);

static int sup_json_string(const char **p, char **out) {
  if (**p != '"') return 0;
  (*p)++;
  sbuf b = {0};
  while (**p && **p != '"') {
    if (**p != '\\') {
      sbuf_addn(&b, *p, 1);
      (*p)++;
      continue;
    }
    (*p)++;
    char c = **p;
    (*p)++;
    switch (c) {
    case 'n': sbuf_add(&b, "\n"); break;
    case 't': sbuf_add(&b, "\t"); break;
    case 'r': sbuf_add(&b, "\r"); break;
    case 'b': sbuf_add(&b, "\b"); break;
    case 'f': sbuf_add(&b, "\f"); break;
    case 'u': {
      unsigned long u = strtoul(xstrndup(*p, 4), NULL, 16);
      *p += 4;
      if (u >= 0xD800 && u < 0xDC00 && (*p)[0] == '\\' && (*p)[1] == 'u') {
        unsigned long lo = strtoul(xstrndup(*p + 2, 4), NULL, 16);
        *p += 6;
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
      }
      sup_utf8_put(&b, u);
      break;
    }
    default: sbuf_addn(&b, &c, 1); break;
    }
  }
  if (**p != '"') return 0;
  (*p)++;
  if (!b.s) sbuf_addn(&b, "", 0);
  *out = b.s;
  return 1;
}

static int sup_json_value(const char **p, json *v, int depth) {
  memset(v, 0, sizeof *v);
  if (depth > 200) return 0;
  sup_json_ws(p);
  if (**p == '"') {
    v->type = JSON_STRING;
    return sup_json_string(p, &v->string);
  }
  if (**p == '[' || **p == '{') {
    int obj = **p == '{';
    v->type = obj ? JSON_OBJECT : JSON_ARRAY;
    (*p)++;
    sup_json_ws(p);
    if (**p == (obj ? '}' : ']')) {
      (*p)++;
      return 1;
    }
    int cap = 0;
    for (;;) {
      if (v->count == cap) { /* doubling: qpdf's JSON of a big PDF has 100,000s of objects */
        cap = cap ? cap * 2 : 4;
        v->items = xgrow(v->items, sizeof *v->items * (size_t)cap);
        if (obj) v->keys = xgrow(v->keys, sizeof *v->keys * (size_t)cap);
      }
      if (obj) {
        sup_json_ws(p);
        if (!sup_json_string(p, &v->keys[v->count])) return 0;
        sup_json_ws(p);
        if (**p != ':') return 0;
        (*p)++;
      }
      if (!sup_json_value(p, &v->items[v->count], depth + 1)) return 0;
      v->count++;
      sup_json_ws(p);
      if (**p == ',') {
        (*p)++;
        continue;
      }
      if (**p == (obj ? '}' : ']')) {
        (*p)++;
        return 1;
      }
      return 0;
    }
  }
  if (strncmp(*p, "true", 4) == 0) return v->type = JSON_BOOL, v->number = 1, *p += 4, 1;
  if (strncmp(*p, "false", 5) == 0) return v->type = JSON_BOOL, *p += 5, 1;
  if (strncmp(*p, "null", 4) == 0) return v->type = JSON_NULL, *p += 4, 1;
  char *end;
  v->type = JSON_NUMBER;
  v->number = strtod(*p, &end);
  if (end == *p) return 0;
  *p = end;
  return 1;
}

SUP json *json_parse(const char *text) {
  json *v = xmalloc(sizeof *v);
  const char *p = text;
  ck_assert_msg(sup_json_value(&p, v, 0), "cannot parse JSON near: %.100s", p);
  return v;
}

SUP const json *json_get(const json *obj, const char *key) {
  if (!obj || obj->type != JSON_OBJECT) return NULL;
  for (int i = 0; i < obj->count; i++)
    if (strcmp(obj->keys[i], key) == 0) return &obj->items[i];
  return NULL;
}

/* ---- text ------------------------------------------------------------- */

/* Length of the UTF-8 sequence at s (1 for invalid bytes). */
SUP int utf8_len(const char *s) {
  unsigned char c = (unsigned char)*s;
  if (c < 0xC0) return 1;
  if (c < 0xE0) return 2;
  if (c < 0xF0) return 3;
  return 4;
}

/* Space-like characters: ASCII white space, no-break space (U+00A0),
 * thin space (U+2009), narrow no-break space (U+202F), figure space
 * (U+2007). Returns the byte length, 0 if s does not start with one. */
SUP int space_len(const char *s) {
  if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r' || *s == '\f' || *s == '\v') return 1;
  if (strncmp(s, "\xC2\xA0", 2) == 0) return 2;
  if (strncmp(s, "\xE2\x80\x89", 3) == 0 || strncmp(s, "\xE2\x80\xAF", 3) == 0 || strncmp(s, "\xE2\x80\x87", 3) == 0 ||
      strncmp(s, "\xE2\x80\x82", 3) == 0) /* en space: after a heading's number */
    return 3;
  return 0;
}

/* Hyphen-like characters: '-', soft hyphen (U+00AD), hyphen (U+2010),
 * non-breaking hyphen (U+2011). Byte length or 0. */
SUP int hyphen_len(const char *s) {
  if (*s == '-') return 1;
  if (strncmp(s, "\xC2\xAD", 2) == 0) return 2;
  if (strncmp(s, "\xE2\x80\x90", 3) == 0 || strncmp(s, "\xE2\x80\x91", 3) == 0) return 3;
  return 0;
}

/* Every space-like character as one plain space, runs collapsed, trimmed. */
SUP char *collapse_ws(const char *s) {
  sbuf b = {0};
  int pending = 0;
  while (*s) {
    int n = space_len(s);
    if (n) {
      pending = b.len > 0;
      s += n;
      continue;
    }
    if (pending) sbuf_add(&b, " ");
    pending = 0;
    n = utf8_len(s);
    sbuf_addn(&b, s, (size_t)n);
    s += n;
  }
  if (!b.s) sbuf_addn(&b, "", 0);
  return b.s;
}

/* Space-like characters as plain spaces, nothing else changed. */
SUP char *plain_spaces(const char *s) {
  sbuf b = {0};
  while (*s) {
    int n = space_len(s);
    if (n) {
      sbuf_addn(&b, *s == '\n' || *s == '\f' ? s : " ", 1);
      s += n;
      continue;
    }
    n = utf8_len(s);
    sbuf_addn(&b, s, (size_t)n);
    s += n;
  }
  if (!b.s) sbuf_addn(&b, "", 0);
  return b.s;
}

/* The text without any space-like or hyphen-like character. Justified
 * lines put any amount of space between words, and at a line end a
 * hyphen may be one the hyphenator added ("identi-\nfiera") or one that
 * was in the text all along ("risk-\noch" from "risk- och",
 * "ladd-\ninfrastrukturen"): pdftotext cannot tell them apart, so text
 * comparisons ignore spaces and hyphens and compare everything else. */
SUP char *skeleton(const char *s) {
  sbuf b = {0};
  while (*s) {
    int n = space_len(s);
    if (!n) n = hyphen_len(s);
    if (n) {
      s += n;
      continue;
    }
    n = utf8_len(s);
    sbuf_addn(&b, s, (size_t)n);
    s += n;
  }
  if (!b.s) sbuf_addn(&b, "", 0);
  return b.s;
}

/* The first n characters (not bytes) of s. */
SUP char *utf8_prefix(const char *s, int n) {
  const char *p = s;
  for (int i = 0; i < n && *p; i++) p += utf8_len(p);
  return xstrndup(s, (size_t)(p - s));
}

SUP int count_substr(const char *hay, const char *needle) {
  int n = 0;
  size_t l = strlen(needle);
  if (!l) return 0;
  for (const char *p = hay; (p = text_find(p, needle)) != NULL; p += l) n++;
  return n;
}

/* Lines of text (the string is copied; '\f' also ends a line). */
SUP char **split_lines(const char *text, int *count) {
  char **lines = NULL;
  int n = 0;
  const char *p = text;
  while (*p) {
    const char *e = p;
    while (*e && *e != '\n' && *e != '\f') e++;
    lines = xgrow(lines, sizeof *lines * (size_t)(n + 2));
    lines[n++] = xstrndup(p, (size_t)(e - p));
    p = *e ? e + 1 : e;
  }
  lines = xgrow(lines, sizeof *lines * (size_t)(n + 1));
  lines[n] = NULL;
  *count = n;
  return lines;
}

/* Pages of pdftotext output (split at '\f'). */
SUP char **split_pages(const char *text, int *count) {
  char **pages = NULL;
  int n = 0;
  const char *p = text;
  while (*p) {
    const char *e = strchr(p, '\f');
    if (!e) e = p + strlen(p);
    pages = xgrow(pages, sizeof *pages * (size_t)(n + 2));
    pages[n++] = xstrndup(p, (size_t)(e - p));
    p = *e ? e + 1 : e;
  }
  pages = xgrow(pages, sizeof *pages * (size_t)(n + 1));
  pages[n] = NULL;
  *count = n;
  return pages;
}

/* Fields of a -layout line: runs separated by two or more spaces (after
 * plain_spaces, so a number's group separator is one space and stays
 * inside its field). */
SUP char **layout_fields(const char *line, int *count) {
  char **f = NULL;
  int n = 0;
  const char *p = line;
  while (*p == ' ') p++;
  while (*p) {
    const char *e = p;
    while (*e && !(e[0] == ' ' && (e[1] == ' ' || e[1] == '\0'))) e++;
    f = xgrow(f, sizeof *f * (size_t)(n + 2));
    f[n++] = xstrndup(p, (size_t)(e - p));
    p = e;
    while (*p == ' ') p++;
  }
  f = xgrow(f, sizeof *f * (size_t)(n + 1));
  f[n] = NULL;
  *count = n;
  return f;
}

/* ---- Swedish numbers -------------------------------------------------- */

/* Formats a canonical decimal ("-1234.5") the way the templates ask:
 * decimal comma, digits grouped in threes with one plain space (the PDF
 * has a no-break space; compare after plain_spaces), U+2212 as minus.
 * decimals < 0 keeps the digits given; otherwise rounds half away from
 * zero or pads with zeros. */
SUP char *format_sv_number(const char *canonical, int decimals) {
  const char *s = canonical;
  while (*s == ' ' || *s == '\n' || *s == '\t') s++;
  int neg = 0;
  if (*s == '-' || *s == '+') neg = *s == '-', s++;
  sbuf ip = {0}, fp = {0};
  while (*s >= '0' && *s <= '9') sbuf_addn(&ip, s++, 1);
  if (*s == '.') {
    s++;
    while (*s >= '0' && *s <= '9') sbuf_addn(&fp, s++, 1);
  }
  if (!ip.s) sbuf_add(&ip, "0");
  if (!fp.s) sbuf_addn(&fp, "", 0);
  char *digits = sfmt("%s%s", ip.s, fp.s); /* all digits, the point after ip.len */
  size_t int_len = ip.len;
  size_t frac_len = fp.len;
  if (decimals >= 0 && frac_len > (size_t)decimals) {
    size_t keep_len = int_len + (size_t)decimals;
    int carry = digits[keep_len] >= '5';
    digits[keep_len] = '\0';
    for (size_t i = keep_len; carry && i > 0; i--) {
      if (digits[i - 1] == '9') digits[i - 1] = '0';
      else digits[i - 1]++, carry = 0;
    }
    if (carry) digits = sfmt("1%s", digits), int_len++;
    frac_len = (size_t)decimals;
  } else if (decimals >= 0) {
    sbuf d = {0};
    sbuf_add(&d, digits);
    while (frac_len < (size_t)decimals) sbuf_add(&d, "0"), frac_len++;
    digits = d.s;
  }
  /* strip leading zeros of the integer part */
  while (int_len > 1 && digits[0] == '0') digits++, int_len--;
  int all_zero = 1;
  for (const char *d = digits; *d; d++) all_zero &= *d == '0';
  sbuf out = {0};
  if (neg && !all_zero) sbuf_add(&out, "\xE2\x88\x92");
  for (size_t i = 0; i < int_len; i++) {
    if (i > 0 && (int_len - i) % 3 == 0) sbuf_add(&out, " ");
    sbuf_addn(&out, digits + i, 1);
  }
  if (frac_len > 0) {
    sbuf_add(&out, ",");
    sbuf_addn(&out, digits + int_len, frac_len);
  }
  return out.s;
}

/* ---- lengths and templates -------------------------------------------- */

/* "25mm", "2cm", "11pt", "1in" -> points; -1 if not a length. */
SUP double length_pt(const char *s) {
  if (!s) return -1;
  char *end;
  double v = strtod(s, &end);
  if (end == s) return -1;
  if (strcmp(end, "mm") == 0) return v * 72.0 / 25.4;
  if (strcmp(end, "cm") == 0) return v * 720.0 / 25.4;
  if (strcmp(end, "in") == 0) return v * 72.0;
  if (strcmp(end, "pt") == 0 || *end == '\0') return v;
  return -1;
}

/* ---- XML (libxml2) ---------------------------------------------------- */

SUP xmlDocPtr xml_load(const char *path) {
  xmlDocPtr d = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
  ck_assert_msg(d != NULL, "cannot parse %s", path);
  return d;
}

SUP int xml_is(xmlNodePtr n, const char *name) {
  return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

SUP xmlNodePtr xml_child(xmlNodePtr n, const char *name) {
  for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
    if (xml_is(c, name)) return c;
  return NULL;
}

/* An attribute's value (copied) or NULL. */
SUP char *xml_attr(xmlNodePtr n, const char *name) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
  if (!v) return NULL;
  char *s = xstrdup((const char *)v);
  xmlFree(v);
  return s;
}

static void sup_xml_text(xmlNodePtr n, sbuf *b) {
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) sbuf_add(b, (const char *)c->content);
    else if (c->type == XML_ELEMENT_NODE) {
      if (xml_is(c, "br")) sbuf_add(b, " ");
      sup_xml_text(c, b);
    }
  }
}

/* All text inside n, white space collapsed. */
SUP char *xml_text(xmlNodePtr n) {
  sbuf b = {0};
  sup_xml_text(n, &b);
  if (!b.s) sbuf_addn(&b, "", 0);
  return collapse_ws(b.s);
}

static int sup_name_in(xmlNodePtr n, const char *names) {
  if (!n || n->type != XML_ELEMENT_NODE) return 0;
  size_t l = strlen((const char *)n->name);
  for (const char *p = names; *p;) {
    const char *e = strchr(p, '|');
    size_t k = e ? (size_t)(e - p) : strlen(p);
    if (k == l && memcmp(p, n->name, l) == 0) return 1;
    p += k + (e ? 1 : 0);
  }
  return 0;
}

/* Elements under n whose name is one of names ("p" or "p|li"), in
 * document order. */
SUP xmlNodePtr *xml_find_all(xmlNodePtr n, const char *names, int *count) {
  xmlNodePtr *out = NULL;
  int k = 0;
  /* iterative pre-order walk */
  xmlNodePtr cur = n->children;
  while (cur) {
    if (sup_name_in(cur, names)) {
      out = xgrow(out, sizeof *out * (size_t)(k + 1));
      out[k++] = cur;
    }
    if (cur->children && cur->type == XML_ELEMENT_NODE) {
      cur = cur->children;
      continue;
    }
    while (cur && !cur->next && cur != n) cur = cur->parent;
    if (!cur || cur == n) break;
    cur = cur->next;
  }
  *count = k;
  return out;
}

SUP int xml_has_ancestor(xmlNodePtr n, const char *name) {
  for (xmlNodePtr p = n->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
    if (xml_is(p, name)) return 1;
  return 0;
}

/* The line of the first line in a file that contains marker (1-based),
 * 0 when absent; *column gets the byte column of the first '<' on it. */
SUP int marker_line(const char *path, const char *marker, int *column) {
  char *text = read_file(path, NULL);
  ck_assert_msg(text != NULL, "cannot read %s", path);
  const char *m = strstr(text, marker);
  if (!m) return 0;
  int line = 1;
  const char *start = text;
  for (const char *p = text; p < m; p++)
    if (*p == '\n') line++, start = p + 1;
  if (column) {
    const char *lt = strchr(start, '<');
    *column = lt && lt < m ? (int)(lt - start) + 1 : 1;
  }
  return line;
}

/* Top and bottom page margins of a layout template, in points. */
SUP void template_margins(const char *path, double *top, double *bottom) {
  xmlDocPtr d = xml_load(path);
  xmlNodePtr page = xml_child(xmlDocGetRootElement(d), "page");
  ck_assert_msg(page != NULL, "%s has no <page>", path);
  *top = length_pt(xml_attr(page, "top"));
  *bottom = length_pt(xml_attr(page, "bottom"));
  xmlFreeDoc(d);
  ck_assert_msg(*top > 0 && *bottom > 0, "%s: no top and bottom margins", path);
}

#endif
