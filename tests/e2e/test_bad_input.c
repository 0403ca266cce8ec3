/* test_bad_input.c - bad input end to end: the corpus in tests/bad/ (one
 * file per case, expectations in tests/bad/cases.txt), a good PDF that a
 * failed run must leave alone, and pathological inputs that must finish
 * quickly without a crash. */
/* mknod (a device node for @devfull) is XSI */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/sysmacros.h>

#include "bad_gen.h"
#include "support.h"

/* Seconds a pathological input may take (the sanitizer build included). */
enum { PATHOLOGICAL_SECONDS = 60 };
/* Seconds one run of a corpus case may take: a case that hangs fails. */
enum { CASE_SECONDS = 300 };

static const char *corpus_dir(void) { return sfmt("%s/tests/bad", source_root()); }

typedef struct bad_case {
  char *name, *input, *tpl, *output, *blame, *position, *message;
  int exit_code;
} bad_case;

static bad_case *cases;
static int case_count;

/* Reads a case file (cases.txt or pending.txt) and appends its cases;
 * called from main, so it reports problems by return value (check's
 * assertions work inside tests only). A missing file is an error only
 * when required. */
static int read_manifest(const char *path, int required) {
  char *text = read_file(path, NULL);
  if (!text) {
    if (required) fprintf(stderr, "cannot read %s\n", path);
    return !required;
  }
  int nl;
  char **lines = split_lines(text, &nl);
  for (int i = 0; i < nl; i++) {
    const char *l = lines[i];
    while (*l == ' ') l++;
    if (*l == '\0' || *l == '#') continue;
    bad_case c = {0};
    char *fields[7];
    int n = 0, off = 0;
    for (; n < 7; n++) {
      char buf[256];
      int used;
      if (sscanf(l + off, "%255s%n", buf, &used) != 1) break;
      fields[n] = xstrdup(buf);
      off += used;
    }
    while (l[off] == ' ') off++;
    if (n < 7 || l[off] == '\0') {
      fprintf(stderr, "%s:%d: expected 8 fields\n", path, i + 1);
      return 0;
    }
    c.name = fields[0], c.input = fields[1], c.tpl = fields[2], c.output = fields[3];
    c.exit_code = atoi(fields[4]);
    c.blame = fields[5], c.position = fields[6];
    c.message = xstrdup(l + off);
    for (int k = 0; k < case_count; k++)
      if (strcmp(cases[k].name, c.name) == 0) {
        fprintf(stderr, "%s:%d: case %s is there twice\n", path, i + 1, c.name);
        return 0;
      }
    cases = xgrow(cases, sizeof *cases * (size_t)(case_count + 1));
    cases[case_count++] = c;
  }
  return 1;
}

/* The first line of stderr with "error: " (or "warning: "). */
static const char *first_diagnostic(const char *err, const char *severity) {
  int n;
  char **lines = split_lines(err, &n);
  const char *key = sfmt("%s: ", severity);
  for (int i = 0; i < n; i++)
    if (strstr(lines[i], key)) return lines[i];
  return "";
}

static const char *first_error(const char *err) { return first_diagnostic(err, "error"); }

/* Nothing at out, and no temporary file beside it. */
static void assert_no_output(const char *out) {
  ck_assert_msg(!file_exists(out), "%s exists after a failed run", out);
  char *dir = xstrdup(out);
  char *slash = strrchr(dir, '/');
  ck_assert_ptr_nonnull(slash);
  *slash = '\0';
  int n;
  char **left = dir_entries_with_prefix(dir, sfmt("%s.", base_name(out)), &n);
  ck_assert_msg(n == 0, "temporary file left behind in %s: %s", dir, n ? left[0] : "");
}

/* Checks the first diagnostic of a severity against the expected file and
 * position. */
static void assert_position(const char *err, const char *severity, const char *file, const char *position,
                            const char *what) {
  const char *e = first_diagnostic(err, severity);
  ck_assert_msg(*e, "%s: no %s printed: %s", what, severity, err);
  size_t fl = strlen(file);
  ck_assert_msg(strncmp(e, file, fl) == 0 && e[fl] == ':', "%s: the first %s does not name %s: %s", what, severity,
                file, e);
  if (strcmp(position, "-") == 0) {
    const char *want = sfmt(": %s: ", severity);
    ck_assert_msg(strncmp(e + fl, want, strlen(want)) == 0, "%s: expected \"%s%s...\", got: %s", what, file, want, e);
    return;
  }
  int want_line = atoi(position);
  const char *colon = strchr(position, ':');
  int line = 0, column = 0;
  ck_assert_msg(sscanf(e + fl, ":%d:%d: ", &line, &column) == 2, "%s: the first %s has no line:col (expected %s:%s): %s",
                what, severity, file, position, e);
  ck_assert_msg(line == want_line, "%s: the first %s is at line %d, the problem is on line %d: %s", what, severity,
                line, want_line, e);
  if (colon && colon[1] != '-') {
    int want_column = atoi(colon + 1);
    ck_assert_msg(column == want_column, "%s: the first %s is at column %d, expected %d: %s", what, severity, column,
                  want_column, e);
  }
  ck_assert_int_ge(column, 1);
}

/* A good PDF (rendered once per run, with a template no case uses, so no
 * case can write the same bytes) that a failed run must leave alone. */
static const char *good_pdf(size_t *len) {
  const char *pdf = render_cached(sfmt("%s/good.xml", corpus_dir()),
                                  sfmt("%s/templates/kommun-klassisk.xml", source_root()), NULL);
  char *bytes = read_file(pdf, len);
  ck_assert_msg(bytes && *len > 5 && memcmp(bytes, "%PDF-", 5) == 0, "no good PDF to start with");
  return bytes;
}

static void place_good_pdf(const char *path, mode_t mode) {
  size_t len;
  const char *bytes = good_pdf(&len);
  write_file(path, bytes, len);
  ck_assert_int_eq(chmod(path, mode), 0);
}

/* The names in dir but one, sorted, one a line: what a run may not
 * change. */
static const char *listing_without(const char *dir, const char *except) {
  int n;
  char **names = dir_entries_with_prefix(dir, "", &n);
  qsort(names, (size_t)n, sizeof *names, sup_cmp_str);
  sbuf b = {0};
  for (int i = 0; i < n; i++)
    if (!except || strcmp(names[i], except) != 0) sbuf_printf(&b, "%s\n", names[i]);
  return sbuf_str(&b);
}

static const char *listing(const char *dir) { return listing_without(dir, NULL); }

/* ---- one case ---------------------------------------------------------- */

/* A case made ready to run: the paths, and what the output token needs
 * checked afterwards. */
typedef struct prepared {
  const bad_case *c;
  const char *dir, *input, *tpl, *out, *blamed_tpl;
  gen_env env;
  const char *guard; /* a file a failed run must leave byte for byte */
  char *guard_bytes;
  size_t guard_len;
  const char *fifo_got; /* @fifo: what a reader of the FIFO got */
  pid_t fifo_reader;
} prepared;

static const char *prepare_input(prepared *p) {
  const bad_case *c = p->c;
  if (strcmp(c->input, "@missing") == 0) return sfmt("%s/no-such-file.xml", p->dir);
  if (strcmp(c->input, "@dir") == 0) {
    const char *d = sfmt("%s/a-directory.xml", p->dir);
    ck_assert_int_eq(mkdir(d, 0755), 0);
    return d;
  }
  if (strcmp(c->input, "@noperm") == 0) {
    const char *in = sfmt("%s/unreadable.xml", p->dir);
    size_t len;
    char *good = read_file(sfmt("%s/good.xml", corpus_dir()), &len);
    ck_assert_ptr_nonnull(good);
    write_file(in, good, len);
    ck_assert_int_eq(chmod(in, 0), 0);
    return in;
  }
  if (c->input[0] == '@') {
    const char *in = gen_make(&p->env, c->input + 1);
    ck_assert_msg(in != NULL, "%s: unknown input %s (see tests/e2e/bad_gen.h)", c->name, c->input);
    return in;
  }
  const char *in = sfmt("%s/%s", corpus_dir(), c->input);
  ck_assert_msg(file_exists(in), "corpus file %s is missing", in);
  return in;
}

/* Sets p->tpl (the -t argument or NULL) and p->blamed_tpl (the file its
 * errors name). */
static void prepare_template(prepared *p) {
  const char *t = p->c->tpl;
  if (strcmp(t, "-") == 0) return;
  if (strcmp(t, "@missing") == 0) {
    p->tpl = p->blamed_tpl = sfmt("%s/no-such-template.xml", p->dir);
  } else if (strcmp(t, "@dir") == 0) {
    p->tpl = p->blamed_tpl = sfmt("%s/a-template.xml", p->dir);
    ck_assert_int_eq(mkdir(p->tpl, 0755), 0);
  } else if (strncmp(t, "@data:", 6) == 0) {
    p->blamed_tpl = gen_make(&p->env, t + 1); /* run with BILAGA_DATA_DIR, the default template */
    ck_assert_msg(p->blamed_tpl != NULL, "%s: unknown template %s (see tests/e2e/bad_gen.h)", p->c->name, t);
  } else if (t[0] == '@') {
    p->tpl = p->blamed_tpl = gen_make(&p->env, t + 1);
    ck_assert_msg(p->tpl != NULL, "%s: unknown template %s (see tests/e2e/bad_gen.h)", p->c->name, t);
  } else {
    const char *as_file = sfmt("%s/%s", corpus_dir(), t);
    p->tpl = p->blamed_tpl = file_exists(as_file) ? as_file : t;
  }
}

/* A reader of the FIFO at path, in a child: copies what it reads to got. */
static pid_t fifo_reader_start(const char *path, const char *got) {
  fflush(NULL);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    int in = open(path, O_RDONLY), out = open(got, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char buf[65536];
    ssize_t n;
    while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
      if (write(out, buf, (size_t)n) != n) break;
    _exit(0);
  }
  return pid;
}

/* Stops the reader: when nothing opened the FIFO for writing, the reader
 * still waits to open it; one open for writing lets it see an empty
 * stream. A reader that waits on a FIFO no longer there is killed. */
static void fifo_reader_stop(pid_t pid, const char *path) {
  for (int i = 0; i < 100; i++) {
    if (waitpid(pid, NULL, WNOHANG) == pid) return;
    struct stat st;
    if (i == 5 && lstat(path, &st) == 0 && S_ISFIFO(st.st_mode)) {
      int fd = open(path, O_WRONLY | O_NONBLOCK);
      if (fd >= 0) close(fd);
    }
    nanosleep(&(struct timespec){0, 20000000}, NULL);
  }
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
}

/* Sets p->out for the output token and makes what it needs; returns 0
 * when the token cannot be made here (the case is skipped). */
static int prepare_output(prepared *p) {
  const char *o = p->c->output, *dir = p->dir;
  p->out = sfmt("%s/out.pdf", dir);
  if (strcmp(o, "out") == 0) return 1;
  if (strcmp(o, "@nodir") == 0) {
    p->out = sfmt("%s/no-such-dir/out.pdf", dir);
  } else if (strcmp(o, "@proc") == 0) {
    p->out = "/proc/bilaga-e2e-out.pdf";
  } else if (strcmp(o, "@symlink") == 0) {
    /* out.pdf -> target.pdf, a good PDF: the target is what is written */
    p->guard = sfmt("%s/target.pdf", dir);
    place_good_pdf(p->guard, 0644);
    ck_assert_int_eq(symlink("target.pdf", p->out), 0);
  } else if (strcmp(o, "@same-as-input") == 0) {
    /* a copy in the case's directory: the corpus itself is never at risk */
    if (strncmp(p->input, dir, strlen(dir)) != 0) {
      size_t len;
      char *bytes = read_file(p->input, &len);
      ck_assert_ptr_nonnull(bytes);
      p->input = sfmt("%s/input.xml", dir);
      write_file(p->input, bytes, len);
    }
    p->out = p->guard = p->input;
  } else if (strcmp(o, "@same-as-template") == 0) {
    const char *src = p->tpl ? p->tpl : sfmt("%s/templates/default.xml", source_root());
    size_t len;
    char *bytes = read_file(src, &len);
    ck_assert_ptr_nonnull(bytes);
    p->tpl = p->blamed_tpl = p->out = p->guard = sfmt("%s/template.xml", dir);
    write_file(p->tpl, bytes, len);
  } else if (strcmp(o, "@fifo") == 0) {
    ck_assert_int_eq(mkfifo(p->out, 0644), 0);
    p->fifo_got = sfmt("%s/from-fifo.pdf", tmpdir_new());
    p->fifo_reader = fifo_reader_start(p->out, p->fifo_got);
  } else if (strcmp(o, "@devfull") == 0) {
    /* as root a renamed file would replace the device node: use a node of
     * our own then, never /dev/full itself */
    if (geteuid() == 0) {
      p->out = sfmt("%s/full", dir);
      if (mknod(p->out, S_IFCHR | 0666, makedev(1, 7)) != 0) {
        printf("note: %s skipped: cannot make a device node (%s)\n", p->c->name, strerror(errno));
        return 0;
      }
    } else {
      p->out = "/dev/full";
    }
  } else if (strcmp(o, "@longname") == 0) {
    sbuf n = {0};
    while (n.len < 251) sbuf_add(&n, "a");
    p->out = sfmt("%s/%s.pdf", dir, n.s); /* 255 bytes, NAME_MAX */
  } else if (strcmp(o, "@mode0600") == 0) {
    p->guard = p->out;
    place_good_pdf(p->out, 0600);
  } else if (strcmp(o, "@outdir") == 0) {
    ck_assert_int_eq(mkdir(p->out, 0755), 0);
  } else {
    ck_abort_msg("%s: unknown output %s (see tests/bad/cases.txt)", p->c->name, o);
  }
  if (p->guard) p->guard_bytes = read_file(p->guard, &p->guard_len);
  return 1;
}

static run_result run_case(const prepared *p) {
  const char *argv[10];
  int n = 0;
  argv[n++] = bilaga_binary();
  argv[n++] = "render";
  argv[n++] = p->input;
  if (p->tpl) argv[n++] = "-t", argv[n++] = p->tpl;
  argv[n++] = "-o", argv[n++] = p->out;
  argv[n] = NULL;
  const char *env[] = {p->env.data_dir ? sfmt("BILAGA_DATA_DIR=%s", p->env.data_dir) : NULL, NULL};
  run_opts o = {.timeout = CASE_SECONDS, .env = env};
  return run_argv(argv, &o);
}

/* What every run must show: the exit code, the message, the first
 * diagnostic's file and position, nothing on stdout. */
static void assert_diagnostics(const prepared *p, const run_result *r) {
  const bad_case *c = p->c;
  ck_assert_msg(run_exit_is(r, c->exit_code), "%s: expected exit %d, got %s", c->name, c->exit_code, run_describe(r));
  ck_assert_msg(r->out_len == 0, "%s: something on stdout: %.200s", c->name, r->out);
  if (c->exit_code == 0 && strcmp(c->message, "-") == 0) {
    ck_assert_msg(r->err_len == 0, "%s: expected nothing on stderr: %s", c->name, run_describe(r));
    return;
  }
  ck_assert_msg(strstr(r->err, c->message) != NULL, "%s: stderr does not mention \"%s\": %s", c->name, c->message,
                run_describe(r));
  const char *blamed = strcmp(c->blame, "tpl") == 0    ? p->blamed_tpl
                       : strcmp(c->blame, "font") == 0 ? p->env.broken_font
                       : strcmp(c->blame, "out") == 0  ? p->out
                                                       : p->input;
  ck_assert_msg(blamed != NULL, "%s: blames the %s, but the case has none", c->name, c->blame);
  assert_position(r->err, c->exit_code ? "error" : "warning", blamed, c->position, c->name);
}

/* After a failed run: the guarded file as it was, the output token's file
 * still what it was, no new file in the case's directory. */
static void assert_untouched(const prepared *p, const char *before) {
  const bad_case *c = p->c;
  if (p->guard) {
    size_t len;
    char *now = read_file(p->guard, &len);
    ck_assert_msg(now && len == p->guard_len && memcmp(now, p->guard_bytes, len) == 0, "%s: %s was changed", c->name,
                  p->guard);
  }
  struct stat st;
  const char *o = c->output;
  if (strcmp(o, "@symlink") == 0) ck_assert_msg(lstat(p->out, &st) == 0 && S_ISLNK(st.st_mode), "%s: the link is gone", c->name);
  if (strcmp(o, "@mode0600") == 0)
    ck_assert_msg(stat(p->out, &st) == 0 && (st.st_mode & 07777) == 0600, "%s: the mode changed", c->name);
  if (strcmp(o, "@fifo") == 0) ck_assert_msg(lstat(p->out, &st) == 0 && S_ISFIFO(st.st_mode), "%s: the FIFO is gone", c->name);
  if (strcmp(o, "@devfull") == 0)
    ck_assert_msg(lstat(p->out, &st) == 0 && S_ISCHR(st.st_mode), "%s: the device node is gone", c->name);
  if (strcmp(o, "@outdir") == 0) ck_assert_msg(is_directory(p->out), "%s: the directory is gone", c->name);
  if (!p->guard &&
      (strcmp(o, "out") == 0 || strcmp(o, "@longname") == 0 || strcmp(o, "@nodir") == 0 || strcmp(o, "@proc") == 0))
    assert_no_output(p->out);
  const char *after = listing(p->dir);
  ck_assert_msg(strcmp(before, after) == 0, "%s: the directory changed in a failed run: before: %s after: %s", c->name,
                before, after);
}

static void assert_is_new_pdf(const char *what, const char *path) {
  size_t len, good_len;
  char *bytes = read_file(path, &len);
  const char *good = good_pdf(&good_len);
  ck_assert_msg(bytes && len > 1000 && memcmp(bytes, "%PDF-", 5) == 0, "%s: %s is not a PDF", what, path);
  ck_assert_msg(len != good_len || memcmp(bytes, good, len) != 0, "%s: %s still holds the old PDF", what, path);
}

/* After a run that succeeded: the PDF where the output token says. */
static void assert_written(const prepared *p, const char *before) {
  const bad_case *c = p->c;
  const char *o = c->output;
  struct stat st;
  int new_name = 0; /* the output is a new name in the directory */
  if (strcmp(o, "@symlink") == 0) {
    ck_assert_msg(lstat(p->out, &st) == 0 && S_ISLNK(st.st_mode), "%s: the link was replaced", c->name);
    assert_is_new_pdf(c->name, p->guard);
  } else if (strcmp(o, "@fifo") == 0) {
    ck_assert_msg(lstat(p->out, &st) == 0 && S_ISFIFO(st.st_mode), "%s: the FIFO was replaced", c->name);
    assert_is_new_pdf(c->name, p->fifo_got);
  } else if (strcmp(o, "@mode0600") == 0) {
    ck_assert_msg(stat(p->out, &st) == 0 && (st.st_mode & 07777) == 0600, "%s: mode %o, was 0600", c->name,
                  (unsigned)(st.st_mode & 07777));
    assert_is_new_pdf(c->name, p->out);
  } else {
    ck_assert_msg(is_regular_file(p->out), "%s: exit 0 but no PDF at %s", c->name, p->out);
    assert_is_new_pdf(c->name, p->out);
    new_name = 1;
  }
  ck_assert_int_ge(pdf_page_count(p->fifo_got ? p->fifo_got : p->guard ? p->guard : p->out), 1);
  /* nothing else appeared: no temporary file left */
  const char *after = listing(p->dir);
  if (new_name && strncmp(p->out, p->dir, strlen(p->dir)) == 0 && !strstr(before, sfmt("%s\n", base_name(p->out))))
    after = listing_without(p->dir, base_name(p->out));
  ck_assert_msg(strcmp(before, after) == 0, "%s: files left beside the output: before: %s after: %s", c->name, before,
                after);
}

/* One case of tests/bad/cases.txt (or pending.txt with --pending). A
 * failing case runs twice when its output is "out": with nothing at the
 * output path (nothing may appear) and with a good PDF there (it must stay
 * as it was); every failed run leaves the case's directory as it was, so
 * no temporary file is left anywhere near. Content problems: validate
 * says the same as render. */
START_TEST(test_corpus_case) {
  prepared p = {.c = &cases[_i]};
  const bad_case *c = p.c;
  p.dir = tmpdir_new();
  p.env.dir = p.dir;
  if (strcmp(c->input, "@noperm") == 0 && geteuid() == 0) {
    printf("note: %s skipped: running as root, where a file without read permission is still readable\n", c->name);
    return;
  }
  p.input = prepare_input(&p);
  prepare_template(&p);
  if (!prepare_output(&p)) return;

  const char *before = listing(p.dir);
  run_result r = run_case(&p);
  if (p.fifo_reader) fifo_reader_stop(p.fifo_reader, p.out);
  assert_diagnostics(&p, &r);
  if (c->exit_code == 0) {
    assert_written(&p, before);
  } else {
    assert_untouched(&p, before);
    if (strcmp(c->output, "out") == 0) {
      place_good_pdf(p.out, 0644);
      p.guard = p.out;
      p.guard_bytes = read_file(p.out, &p.guard_len);
      before = listing(p.dir);
      run_result again = run_case(&p);
      assert_diagnostics(&p, &again);
      assert_untouched(&p, before);
    }
  }

  if (strcmp(c->tpl, "-") == 0 && strcmp(c->blame, "in") == 0) {
    run_opts o = {.timeout = CASE_SECONDS};
    run_result v = run(&o, bilaga_binary(), "validate", p.input, NULL);
    ck_assert_msg(run_exit_is(&v, c->exit_code), "%s: validate: expected exit %d, got %s", c->name, c->exit_code,
                  run_describe(&v));
    ck_assert_str_eq(first_error(v.err), first_error(r.err));
  }
}
END_TEST

/* The corpus holds one good file; it must render, or every case above
 * could be failing for the wrong reason. */
START_TEST(test_corpus_good_file_renders) {
  const char *dir = tmpdir_new();
  const char *out = sfmt("%s/good.pdf", dir);
  run_result r = run(NULL, bilaga_binary(), "render", sfmt("%s/good.xml", corpus_dir()), "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "good.xml: %s", run_describe(&r));
  ck_assert_int_ge(pdf_page_count(out), 1);
}
END_TEST

/* A good PDF at the output path stays byte for byte what it was when a
 * later run fails: bad content, bad template, a layout error, and a
 * write that fails half way (a file size limit makes writing fail even
 * for root). */
START_TEST(test_good_pdf_survives_failures) {
  const char *dir = tmpdir_new();
  const char *corpus = corpus_dir();
  const char *good = sfmt("%s/good.xml", corpus);
  const char *out = sfmt("%s/report.pdf", dir);
  run_result r = run(NULL, bilaga_binary(), "render", good, "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "good.xml: %s", run_describe(&r));
  size_t len;
  char *before = read_file(out, &len);
  ck_assert_msg(before && len > 5 && memcmp(before, "%PDF-", 5) == 0, "no good PDF to start with");

  struct {
    const char *what, *input, *tpl;
    long long fsize;
    int exit_code;
  } runs[] = {
      {"malformed content", sfmt("%s/unclosed-tag.xml", corpus), NULL, 0, 2},
      {"schema violation", sfmt("%s/unknown-element.xml", corpus), NULL, 0, 2},
      {"unknown template", good, "nosuch", 0, 2},
      {"missing font", good, sfmt("%s/missing-font-template.xml", corpus), 0, 2},
      {"table that cannot fit", sfmt("%s/tests/e2e/data/twelve-columns.xml", source_root()), NULL, 0, 2},
      {"write fails (file size limit)", good, NULL, (long long)len / 2, 3},
  };
  for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
    run_opts o = {.fsize_limit = runs[i].fsize};
    r = runs[i].tpl ? run(&o, bilaga_binary(), "render", runs[i].input, "-t", runs[i].tpl, "-o", out, NULL)
                    : run(&o, bilaga_binary(), "render", runs[i].input, "-o", out, NULL);
    ck_assert_msg(run_exit_is(&r, runs[i].exit_code), "%s: expected exit %d, got %s", runs[i].what, runs[i].exit_code,
                  run_describe(&r));
    size_t now_len;
    char *now = read_file(out, &now_len);
    ck_assert_msg(now && now_len == len && memcmp(now, before, len) == 0, "%s: the good PDF was changed", runs[i].what);
    int n;
    char **left = dir_entries_with_prefix(dir, "report.pdf.", &n);
    ck_assert_msg(n == 0, "%s: temporary file left behind: %s", runs[i].what, n ? left[0] : "");
  }
}
END_TEST

/* ---- pathological inputs ---------------------------------------------- */

static const char *write_report(const char *dir, const char *name, const char *body) {
  const char *path = sfmt("%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"
        "  <meta>\n    <title>Patologisk indata</title>\n    <board>Servicenämnden</board>\n  </meta>\n"
        "  <body>\n",
        f);
  fputs(body, f);
  fputs("\n  </body>\n</report>\n", f);
  ck_assert_int_eq(fclose(f), 0);
  return path;
}

/* Renders within the time limit: exit 0 (a PDF exists) or 2 (an error
 * with a position or at least the file name, no PDF); never a crash.
 * Returns the PDF path or NULL. */
static const char *render_pathological(const char *dir, const char *in, const char *what) {
  const char *out = sfmt("%s/out.pdf", dir);
  run_opts o = {.timeout = PATHOLOGICAL_SECONDS};
  run_result r = run(&o, bilaga_binary(), "render", in, "-o", out, NULL);
  ck_assert_msg(!r.timed_out, "%s: still running after %d s", what, PATHOLOGICAL_SECONDS);
  ck_assert_msg(run_exit_is(&r, 0) || run_exit_is(&r, 2), "%s: %s", what, run_describe(&r));
  if (r.code == 2) {
    ck_assert_msg(strncmp(first_error(r.err), in, strlen(in)) == 0, "%s: the error does not name the input: %s", what,
                  run_describe(&r));
    assert_no_output(out);
    printf("note: %s: refused (exit 2) in %.1f s: %s\n", what, r.seconds, first_error(r.err));
    return NULL;
  }
  ck_assert_msg(is_regular_file(out), "%s: exit 0 but no PDF", what);
  ck_assert_int_ge(pdf_page_count(out), 1);
  printf("note: %s: rendered in %.1f s\n", what, r.seconds);
  return out;
}

static void deep_nesting(int depth) {
  const char *dir = tmpdir_new();
  sbuf b = {0};
  sbuf_add(&b, "    <p>Djup: ");
  for (int i = 0; i < depth; i++) sbuf_add(&b, "<b>");
  sbuf_add(&b, "innerst");
  for (int i = 0; i < depth; i++) sbuf_add(&b, "</b>");
  sbuf_add(&b, "</p>");
  const char *in = write_report(dir, "deep.xml", b.s);
  const char *what = sfmt("<b> nested %d deep", depth);
  const char *pdf = render_pathological(dir, in, what);
  if (pdf) ck_assert_msg(strstr(pdf_text(pdf, 0, 0, NULL), "innerst") != NULL, "%s: the text is lost", what);
}

START_TEST(test_deep_nesting) { deep_nesting(10000); }
END_TEST

/* Deep, but within what XML parsers accept by default (256 levels). */
START_TEST(test_deep_nesting_within_parser_limit) { deep_nesting(240); }
END_TEST

/* A word that must be split between characters, line after line: the
 * line breaker has to stay linear in the word's length (measuring the
 * whole rest of the word for every line made 1 MiB take minutes). */
START_TEST(test_one_megabyte_word) {
  const char *dir = tmpdir_new();
  /* one word of letters, å ä ö included, 1 MiB */
  const char *chunk = "kommunförvaltningsområdesåtgärdsuppföljning";
  sbuf w = {0};
  while (w.len < (1 << 20)) sbuf_add(&w, chunk);
  sbuf b = {0};
  sbuf_printf(&b, "    <p>%s</p>", w.s);
  const char *in = write_report(dir, "word.xml", b.s);
  const char *pdf = render_pathological(dir, in, "a 1 MiB word");
  if (pdf) {
    /* nothing of it lost: the body area of the pages (without the running
     * header and footer between them) reads as the word; the lines it is
     * broken into may add hyphens */
    double top, bottom;
    template_margins(sfmt("%s/templates/default.xml", source_root()), &top, &bottom);
    const char *text = skeleton(pdf_body_text(pdf, top, bottom));
    ck_assert_msg(strstr(text, skeleton(w.s)) != NULL, "a 1 MiB word: the text is not all in the PDF");
  }
}
END_TEST

/* A table row far taller than a page: it is cut between lines, and finding
 * the cuts must stay near linear (it was cubic in the row's line count,
 * a 20 KB input took half a minute). Every line must survive the cuts. */
START_TEST(test_very_tall_table_row) {
  enum { LINES = 6000 };
  const char *dir = tmpdir_new();
  sbuf b = {0};
  sbuf_add(&b, "    <table><columns><column/><column/></columns><tbody><row><cell>");
  for (int i = 0; i < LINES; i++) sbuf_printf(&b, "%sR%05d", i ? "<br/>" : "", i);
  sbuf_add(&b, "</cell><cell>Kort</cell></row></tbody></table>");
  const char *in = write_report(dir, "tall-row.xml", b.s);
  const char *pdf = render_pathological(dir, in, "a table row of 6,000 lines");
  if (pdf) {
    const char *text = pdf_text(pdf, 0, 0, NULL);
    for (int i = 0; i < LINES; i += 97) {
      int n = count_substr(text, sfmt("R%05d", i));
      ck_assert_msg(n == 1, "line R%05d appears %d times", i, n);
    }
  }
}
END_TEST

START_TEST(test_200000_word_paragraph) {
  enum { WORDS = 200000, MARK_EVERY = 1000 };
  const char *dir = tmpdir_new();
  static const char *const vocab[] = {"kommunen", "nämnden",  "ärendet", "verksamheten", "och", "för",
                                      "att",      "budgeten", "året",    "utfallet",     "är",  "på"};
  sbuf b = {0};
  sbuf_add(&b, "    <p>");
  unsigned long seed = 12345;
  for (int i = 0; i < WORDS; i++) {
    if (i) sbuf_add(&b, " ");
    if (i % MARK_EVERY == 0) {
      sbuf_printf(&b, "M%06d", i / MARK_EVERY);
      continue;
    }
    seed = seed * 1103515245UL + 12345UL;
    sbuf_add(&b, vocab[(seed >> 16) % (sizeof vocab / sizeof *vocab)]);
  }
  sbuf_add(&b, "</p>");
  const char *in = write_report(dir, "words.xml", b.s);
  const char *pdf = render_pathological(dir, in, "a paragraph of 200,000 words");
  if (pdf) {
    const char *text = pdf_text(pdf, 0, 0, NULL);
    for (int m = 0; m < WORDS / MARK_EVERY; m++) {
      int n = count_substr(text, sfmt("M%06d", m));
      ck_assert_msg(n == 1, "marker word M%06d appears %d times", m, n);
    }
  }
}
END_TEST

/* test_bad_input [--pending]: the cases of tests/bad/cases.txt, or with
 * --pending those of tests/bad/pending.txt (problems not fixed yet; a
 * case moves to cases.txt when it passes). BILAGA_BAD_CASE=NAME runs one
 * case only. */
int main(int argc, char **argv) {
  int pending = argc > 1 && strcmp(argv[1], "--pending") == 0;
  const char *cases_path = sfmt("%s/cases.txt", corpus_dir()), *pending_path = sfmt("%s/pending.txt", corpus_dir());
  if (!read_manifest(pending ? pending_path : cases_path, 1)) return EXIT_FAILURE;
  if (!pending) {
    /* read, so a broken line shows now, but not run: a visible list */
    bad_case *kept = cases;
    int kept_count = case_count;
    cases = NULL, case_count = 0;
    if (!read_manifest(pending_path, 0)) return EXIT_FAILURE;
    for (int i = 0; i < kept_count; i++)
      for (int k = 0; k < case_count; k++)
        if (strcmp(kept[i].name, cases[k].name) == 0) {
          fprintf(stderr, "case %s is in both cases.txt and pending.txt\n", kept[i].name);
          return EXIT_FAILURE;
        }
    if (case_count) {
      printf("note: %d pending cases not run (tests/bad/pending.txt; run them with "
             "meson test bad_input --test-args=--pending):",
             case_count);
      for (int k = 0; k < case_count; k++) printf(" %s", cases[k].name);
      printf("\n");
    }
    cases = kept, case_count = kept_count;
  }
  const char *only = getenv("BILAGA_BAD_CASE");
  if (only && *only) {
    int n = 0;
    for (int i = 0; i < case_count; i++)
      if (strcmp(cases[i].name, only) == 0) cases[n++] = cases[i];
    case_count = n;
  }
  if (case_count == 0) {
    fprintf(stderr, "no cases to run\n");
    return EXIT_FAILURE;
  }
  fflush(stdout);

  Suite *s = suite_create("bad_input");
  TCase *corpus = tcase_create("corpus");
  tcase_set_timeout(corpus, 900);
  tcase_add_loop_test(corpus, test_corpus_case, 0, case_count);
  if (!pending && !(only && *only)) {
    tcase_add_test(corpus, test_corpus_good_file_renders);
    tcase_add_test(corpus, test_good_pdf_survives_failures);
  }
  suite_add_tcase(s, corpus);
  if (!pending && !(only && *only)) {
    TCase *patho = tcase_create("pathological");
    tcase_set_timeout(patho, 600);
    tcase_add_test(patho, test_deep_nesting);
    tcase_add_test(patho, test_deep_nesting_within_parser_limit);
    tcase_add_test(patho, test_one_megabyte_word);
    tcase_add_test(patho, test_200000_word_paragraph);
    tcase_add_test(patho, test_very_tall_table_row);
    suite_add_tcase(s, patho);
  }
  if (!tmp_root_init("bad_input")) return EXIT_FAILURE;
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  tmp_root_remove();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
