/* test_output.c - where the PDF goes: files the render reads are never
 * overwritten, symbolic links write their target, devices and FIFOs are
 * written in place, permissions are kept, long names work, and no
 * temporary file survives a failure or a signal. Drives the command, and
 * the library's writer (util/output_file.h) for what the command cannot
 * choose (the named-temporary-file fallback). */
#define _XOPEN_SOURCE 700 /* mknod */
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/sysmacros.h>

#include "support.h"
#include "util/output_file.h"

static const char report_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"
    "  <meta>\n    <title>Utdata</title>\n    <board>Servicenämnden</board>\n  </meta>\n"
    "  <body>\n    <section>\n      <heading>Rubrik</heading>\n"
    "      <p>Ett kort stycke som går att sätta utan problem.</p>\n    </section>\n  </body>\n</report>\n";

static const char *write_input(const char *dir) {
  const char *in = sfmt("%s/in.xml", dir);
  write_text(in, report_xml);
  return in;
}

static run_result render(const char *in, const char *out) {
  return run(NULL, bilaga_binary(), "render", in, "-o", out, NULL);
}

/* The PDF in.xml gives, rendered in a directory of its own. */
static const char *reference_pdf(size_t *length) {
  const char *dir = tmpdir_new();
  const char *out = sfmt("%s/ref.pdf", dir);
  run_result r = render(write_input(dir), out);
  ck_assert_msg(run_exit_is(&r, 0), "reference render: %s", run_describe(&r));
  char *bytes = read_file(out, length);
  ck_assert_msg(bytes && *length > 1000 && memcmp(bytes, "%PDF-", 5) == 0, "the reference is not a PDF");
  return bytes;
}

static int has_bytes(const char *path, const char *bytes, size_t length) {
  size_t n;
  char *now = read_file(path, &n);
  return now && n == length && memcmp(now, bytes, length) == 0;
}

static int starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int count_errors(const char *err) {
  int n = 0;
  for (const char *p = err; (p = strstr(p, ": error: ")) != NULL; p++) n++;
  return n;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir, sorted, separated by spaces ("a.pdf in.xml"). */
static const char *listing(const char *dir) {
  int n;
  char **names = dir_entries_with_prefix(dir, "", &n);
  qsort(names, (size_t)n, sizeof *names, cmp_names);
  sbuf b = {0};
  for (int i = 0; i < n; i++) {
    if (strcmp(names[i], ".") == 0 || strcmp(names[i], "..") == 0) continue;
    if (b.len) sbuf_add(&b, " ");
    sbuf_add(&b, names[i]);
  }
  return sbuf_str(&b);
}

static mode_t mode_of(const char *path) {
  struct stat st;
  ck_assert_msg(stat(path, &st) == 0, "stat %s: %s", path, strerror(errno));
  return st.st_mode & 07777;
}

static const char *link_target(const char *path) {
  char buf[4096];
  ssize_t n = readlink(path, buf, sizeof buf - 1);
  ck_assert_msg(n >= 0, "%s is not a symbolic link any more", path);
  return xstrndup(buf, (size_t)n);
}

/* ---- files the render reads ------------------------------------------ */

/* A data directory of the test's own with copies of the bundled fonts, so
 * a regression overwrites a copy, never the source tree's fonts. */
static const char *private_data_dir(const char *dir) {
  const char *data = sfmt("%s/data", dir);
  ck_assert_int_eq(mkdir(data, 0755), 0);
  ck_assert_int_eq(symlink(sfmt("%s/templates", source_root()), sfmt("%s/templates", data)), 0);
  ck_assert_int_eq(mkdir(sfmt("%s/fonts", data), 0755), 0);
  const char *fonts[] = {"Carlito-Regular.ttf", "Carlito-Bold.ttf", "Carlito-Italic.ttf",
                         "Carlito-BoldItalic.ttf", "DejaVuSans.ttf"};
  for (size_t i = 0; i < sizeof fonts / sizeof *fonts; i++) {
    size_t len;
    char *bytes = read_file(sfmt("%s/fonts/%s", source_root(), fonts[i]), &len);
    ck_assert_msg(bytes != NULL, "cannot read the bundled font %s", fonts[i]);
    write_file(sfmt("%s/fonts/%s", data, fonts[i]), bytes, len);
  }
  return data;
}

/* An output that is the content, the template or a font in use (by name,
 * hard link, symbolic link or chain of them, and standard output appended
 * to the content) is refused with exit 1 before anything is written: every
 * file keeps its bytes, nothing is added to the directory. */
START_TEST(test_same_file_is_refused) {
  const char *dir = tmpdir_new();
  const char *in = write_input(dir);
  const char *tpl = sfmt("%s/tpl.xml", dir);
  size_t tpl_len;
  char *tpl_bytes = read_file(sfmt("%s/templates/default.xml", source_root()), &tpl_len);
  ck_assert_ptr_nonnull(tpl_bytes);
  write_file(tpl, tpl_bytes, tpl_len);
  const char *data = private_data_dir(dir);
  ck_assert_int_eq(setenv("BILAGA_DATA_DIR", data, 1), 0);
  const char *regular = sfmt("%s/fonts/Carlito-Regular.ttf", data);
  const char *fallback = sfmt("%s/fonts/DejaVuSans.ttf", data);
  ck_assert_int_eq(link(in, sfmt("%s/hard.pdf", dir)), 0);
  ck_assert_int_eq(symlink("in.xml", sfmt("%s/soft.pdf", dir)), 0);
  ck_assert_int_eq(symlink("soft.pdf", sfmt("%s/chain.pdf", dir)), 0);
  ck_assert_int_eq(link(tpl, sfmt("%s/tpl-hard.pdf", dir)), 0);
  ck_assert_int_eq(symlink(regular, sfmt("%s/font.pdf", dir)), 0);
  /* content that would fail in layout: the refusal must come first */
  const char *wide = sfmt("%s/wide.xml", dir);
  size_t wide_len;
  char *wide_bytes = read_file(sfmt("%s/tests/e2e/data/twelve-columns.xml", source_root()), &wide_len);
  ck_assert_ptr_nonnull(wide_bytes);
  write_file(wide, wide_bytes, wide_len);

  const char *protected_files[] = {in, tpl, regular, fallback, wide};
  char *before[5];
  size_t before_len[5];
  for (int i = 0; i < 5; i++) before[i] = read_file(protected_files[i], &before_len[i]);
  const char *names_before = listing(dir);

  struct {
    const char *what, *in, *tpl, *out, *message;
  } cases[] = {
      {"the input itself", in, NULL, in, "the output is the same file as the content"},
      {"a hard link to the input", in, NULL, sfmt("%s/hard.pdf", dir),
       "the output is the same file as the content"},
      {"a symbolic link to the input", in, NULL, sfmt("%s/soft.pdf", dir),
       "the output is the same file as the content"},
      {"a chain of links to the input", in, NULL, sfmt("%s/chain.pdf", dir),
       "the output is the same file as the content"},
      {"the template", in, tpl, tpl, "the output is the same file as the template"},
      {"a hard link to the template", in, tpl, sfmt("%s/tpl-hard.pdf", dir),
       "the output is the same file as the template"},
      {"the template's font", in, NULL, regular, "the output is the same file as the font"},
      {"a link to the template's font", in, NULL, sfmt("%s/font.pdf", dir),
       "the output is the same file as the font"},
      {"the fallback font", in, NULL, fallback, "the output is the same file as the font"},
      {"content that layout would refuse", wide, NULL, wide, "the output is the same file as the content"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    run_result r = cases[i].tpl ? run(NULL, bilaga_binary(), "render", cases[i].in, "-t", cases[i].tpl, "-o",
                                      cases[i].out, NULL)
                                : render(cases[i].in, cases[i].out);
    ck_assert_msg(run_exit_is(&r, 1), "%s: expected exit 1, got %s", cases[i].what, run_describe(&r));
    ck_assert_msg(
        starts_with(r.err, sfmt("%s: error: %s", cases[i].out, cases[i].message)) && count_errors(r.err) == 1,
        "%s: expected one error, \"%s: error: %s ...\": %s", cases[i].what, cases[i].out, cases[i].message,
        run_describe(&r));
  }

  /* standard output appended to the file standard input is read from */
  run_result r =
      run(NULL, "sh", "-c", "exec \"$0\" render - -o - < \"$1\" >> \"$1\"", bilaga_binary(), in, NULL);
  ck_assert_msg(
      run_exit_is(&r, 1) && strstr(r.err, "<stdout>: error: the output is the same file as the content"),
      "stdout appended to stdin's file: %s", run_describe(&r));

  for (int i = 0; i < 5; i++)
    ck_assert_msg(has_bytes(protected_files[i], before[i], before_len[i]), "%s was changed",
                  protected_files[i]);
  ck_assert_str_eq(listing(dir), names_before);
}
END_TEST

/* ---- symbolic links ------------------------------------------------- */

/* A link writes its target and stays a link: to an existing PDF, through
 * a chain across directories, dangling (the target is created), and
 * relative to the link's own directory. The temporary file is made beside
 * the target, so no directory is left with anything new. */
START_TEST(test_symbolic_links_write_their_target) {
  size_t ref_len;
  const char *ref = reference_pdf(&ref_len);
  const char *dir = tmpdir_new();
  const char *in = write_input(dir);
  const char *other = tmpdir_new();

  write_text(sfmt("%s/old.pdf", dir), "an old PDF");
  ck_assert_int_eq(symlink("old.pdf", sfmt("%s/link.pdf", dir)), 0);
  ck_assert_int_eq(mkdir(sfmt("%s/sub", dir), 0755), 0);
  write_text(sfmt("%s/sub/deep.pdf", dir), "another old PDF");
  ck_assert_int_eq(symlink("sub/one.pdf", sfmt("%s/chain.pdf", dir)), 0);
  ck_assert_int_eq(symlink("deep.pdf", sfmt("%s/sub/one.pdf", dir)), 0); /* relative to sub/ */
  ck_assert_int_eq(symlink("created.pdf", sfmt("%s/dangling.pdf", dir)), 0);
  ck_assert_int_eq(symlink("../up.pdf", sfmt("%s/sub/up-link.pdf", dir)), 0);
  ck_assert_int_eq(symlink(sfmt("%s/far.pdf", other), sfmt("%s/far-link.pdf", dir)), 0);
  write_text(sfmt("%s/far.pdf", other), "a far old PDF");

  const char *outs[] = {"link.pdf", "chain.pdf", "dangling.pdf", "sub/up-link.pdf", "far-link.pdf"};
  const char *targets[] = {sfmt("%s/old.pdf", dir), sfmt("%s/sub/deep.pdf", dir), sfmt("%s/created.pdf", dir),
                           sfmt("%s/up.pdf", dir), sfmt("%s/far.pdf", other)};
  for (int i = 0; i < 5; i++) {
    run_result r = render(in, sfmt("%s/%s", dir, outs[i]));
    ck_assert_msg(run_exit_is(&r, 0), "-o %s: %s", outs[i], run_describe(&r));
    ck_assert_msg(has_bytes(targets[i], ref, ref_len), "-o %s: %s is not the PDF", outs[i], targets[i]);
  }
  ck_assert_str_eq(link_target(sfmt("%s/link.pdf", dir)), "old.pdf");
  ck_assert_str_eq(link_target(sfmt("%s/chain.pdf", dir)), "sub/one.pdf");
  ck_assert_str_eq(link_target(sfmt("%s/sub/one.pdf", dir)), "deep.pdf");
  ck_assert_str_eq(link_target(sfmt("%s/dangling.pdf", dir)), "created.pdf");
  ck_assert_str_eq(link_target(sfmt("%s/sub/up-link.pdf", dir)), "../up.pdf");
  ck_assert_str_eq(link_target(sfmt("%s/far-link.pdf", dir)), sfmt("%s/far.pdf", other));
  ck_assert_str_eq(listing(dir),
                   "chain.pdf created.pdf dangling.pdf far-link.pdf in.xml link.pdf old.pdf sub up.pdf");
  ck_assert_str_eq(listing(sfmt("%s/sub", dir)), "deep.pdf one.pdf up-link.pdf");
  ck_assert_str_eq(listing(other), "far.pdf");
}
END_TEST

/* A link that cannot be written through fails with exit 3, a message that
 * names it, and nothing new anywhere. */
START_TEST(test_broken_links_fail_cleanly) {
  const char *dir = tmpdir_new();
  const char *in = write_input(dir);
  ck_assert_int_eq(symlink("no-such-dir/x.pdf", sfmt("%s/nodir.pdf", dir)), 0);
  ck_assert_int_eq(symlink("loop-b.pdf", sfmt("%s/loop-a.pdf", dir)), 0);
  ck_assert_int_eq(symlink("loop-a.pdf", sfmt("%s/loop-b.pdf", dir)), 0);
  ck_assert_int_eq(mkdir(sfmt("%s/a-dir", dir), 0755), 0);
  ck_assert_int_eq(symlink("a-dir", sfmt("%s/dir-link.pdf", dir)), 0);
  const char *names = listing(dir);
  struct {
    const char *out, *message;
  } cases[] = {{"nodir.pdf", "No such file or directory"},
               {"loop-a.pdf", "Too many levels of symbolic links"},
               {"dir-link.pdf", "Is a directory"},
               {"a-dir", "Is a directory"}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *out = sfmt("%s/%s", dir, cases[i].out);
    run_result r = render(in, out);
    ck_assert_msg(run_exit_is(&r, 3), "-o %s: expected exit 3, got %s", cases[i].out, run_describe(&r));
    ck_assert_msg(starts_with(r.err, sfmt("%s: error: cannot write", out)) && strstr(r.err, cases[i].message),
                  "-o %s: expected \"%s: error: cannot write ... %s\": %s", cases[i].out, out,
                  cases[i].message, run_describe(&r));
    ck_assert_str_eq(listing(dir), names);
    ck_assert_str_eq(listing(sfmt("%s/a-dir", dir)), "");
  }
}
END_TEST

/* ---- devices, FIFOs, standard output ----------------------------------- */

static int is_char_device(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISCHR(st.st_mode);
}

/* /dev/NAME (memory device 1,minor) to write to. A regression that
 * renames over it would replace the node, so as root (who may) the test
 * uses a node of its own in dir; the system's only where this process
 * cannot replace it. NULL (with a note) when neither is possible. */
static const char *device(const char *dir, const char *name, unsigned minor) {
  const char *own = sfmt("%s/%s", dir, name);
  if (mknod(own, S_IFCHR | 0666, makedev(1, minor)) == 0) {
    int fd = open(own, O_WRONLY);
    if (fd >= 0) {
      close(fd);
      return own;
    }
    unlink(own); /* a nodev file system */
  }
  const char *system_node = sfmt("/dev/%s", name);
  if (access("/dev", W_OK) != 0 && is_char_device(system_node)) return system_node;
  printf("note: no /dev/%s to write to safely here; that case was skipped\n", name);
  return NULL;
}

/* A device is written where it is, never replaced: /dev/full fails with
 * exit 3 and its errno, /dev/null takes the PDF, /dev/stdout (reached
 * through a link of the test's own, so a regression replaces only that)
 * and "-" give standard output the bytes a file gets, also when standard
 * output is a file that held more. */
START_TEST(test_devices_are_written_in_place) {
  size_t ref_len;
  const char *ref = reference_pdf(&ref_len);
  const char *dir = tmpdir_new();
  const char *in = write_input(dir);
  const char *devices = tmpdir_new();
  const char *full = device(devices, "full", 7);
  if (full) {
    run_result r = render(in, full);
    ck_assert_msg(run_exit_is(&r, 3) &&
                      starts_with(r.err, sfmt("%s: error: cannot write: No space left on device", full)),
                  "-o %s: %s", full, run_describe(&r));
    ck_assert_msg(is_char_device(full), "%s is no longer a device", full);
  }
  const char *null = device(devices, "null", 3);
  if (null) {
    run_result r = render(in, null);
    ck_assert_msg(run_exit_is(&r, 0) && r.err_len == 0, "-o %s: %s", null, run_describe(&r));
    ck_assert_msg(is_char_device(null), "%s is no longer a device", null);
  }

  const char *to_stdout = sfmt("%s/stdout.pdf", dir);
  ck_assert_int_eq(symlink("/dev/stdout", to_stdout), 0);
  run_result r = render(in, to_stdout);
  ck_assert_msg(run_exit_is(&r, 0), "-o /dev/stdout: %s", run_describe(&r));
  ck_assert_msg(r.out_len == ref_len && memcmp(r.out, ref, ref_len) == 0,
                "-o /dev/stdout: not the PDF (%zu bytes)", r.out_len);
  ck_assert_str_eq(link_target(to_stdout), "/dev/stdout");
  r = render(in, "-");
  ck_assert_msg(run_exit_is(&r, 0), "-o -: %s", run_describe(&r));
  ck_assert_msg(r.out_len == ref_len && memcmp(r.out, ref, ref_len) == 0, "-o -: not the PDF (%zu bytes)",
                r.out_len);

  /* standard output is a file that holds more than the PDF already */
  const char *file = sfmt("%s/file.pdf", dir);
  char *longer = xmalloc(ref_len + 100);
  memset(longer, 'x', ref_len + 100);
  write_file(file, longer, ref_len + 100);
  r = run(NULL, "sh", "-c", "exec \"$0\" render \"$1\" -o \"$2\" 1<>\"$3\"", bilaga_binary(), in, to_stdout,
          file, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "-o /dev/stdout into a file: %s", run_describe(&r));
  ck_assert_msg(has_bytes(file, ref, ref_len), "-o /dev/stdout into a file: the file is not the PDF");
  ck_assert_str_eq(listing(dir), "file.pdf in.xml stdout.pdf");
  sbuf own = {0}; /* nothing beside the test's own nodes either */
  if (full && starts_with(full, devices)) sbuf_add(&own, "full");
  if (null && starts_with(null, devices)) sbuf_add(&own, own.len ? " null" : "null");
  ck_assert_str_eq(listing(devices), sbuf_str(&own));
}
END_TEST

/* A FIFO is opened and written, not replaced: a reader gets the PDF. */
START_TEST(test_fifo_is_written_in_place) {
  size_t ref_len;
  const char *ref = reference_pdf(&ref_len);
  const char *dir = tmpdir_new();
  const char *in = write_input(dir);
  const char *fifo = sfmt("%s/pipe.pdf", dir);
  const char *copy = sfmt("%s/read.pdf", dir);
  ck_assert_int_eq(mkfifo(fifo, 0644), 0);
  fflush(NULL);
  pid_t reader = fork();
  ck_assert_int_ge(reader, 0);
  if (reader == 0) {
    int from = open(fifo, O_RDONLY), to = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char buf[65536];
    ssize_t n;
    while (from >= 0 && to >= 0 && (n = read(from, buf, sizeof buf)) > 0)
      if (write(to, buf, (size_t)n) != n) _exit(1);
    _exit(from >= 0 && to >= 0 && close(to) == 0 ? 0 : 1);
  }
  run_result r = render(in, fifo);
  /* a FIFO replaced by a file leaves the reader waiting for ever */
  int status = 0, waited = 0;
  for (int tries = 0; !waited && tries < 300; tries++) {
    waited = waitpid(reader, &status, WNOHANG) == reader;
    if (!waited) nanosleep(&(struct timespec){0, 100000000L}, NULL);
  }
  if (!waited) kill(reader, SIGKILL), waitpid(reader, &status, 0);
  ck_assert_msg(run_exit_is(&r, 0), "-o FIFO: %s", run_describe(&r));
  ck_assert_msg(waited, "the FIFO's reader got nothing in 30 s");
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the FIFO's reader failed");
  ck_assert_msg(has_bytes(copy, ref, ref_len), "the FIFO's reader did not get the PDF");
  struct stat st;
  ck_assert_msg(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode), "the FIFO was replaced");
  ck_assert_str_eq(listing(dir), "in.xml pipe.pdf read.pdf");
}
END_TEST

/* ---- permissions and names ------------------------------------------ */

/* A replaced file keeps its permission bits; a new one gets 0666 less the
 * umask, whatever the umask is. */
START_TEST(test_permissions) {
  const char *dir = tmpdir_new();
  const char *in = write_input(dir);
  mode_t kept[] = {0600, 0640, 0604, 0755};
  for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
    const char *out = sfmt("%s/kept-%o.pdf", dir, (unsigned)kept[i]);
    write_text(out, "old");
    ck_assert_int_eq(chmod(out, kept[i]), 0);
    run_result r = render(in, out);
    ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
    ck_assert_msg(mode_of(out) == kept[i], "a %o file came back %o", (unsigned)kept[i],
                  (unsigned)mode_of(out));
  }
  mode_t masks[] = {022, 077, 027, 002};
  for (size_t i = 0; i < sizeof masks / sizeof *masks; i++) {
    const char *out = sfmt("%s/new-%o.pdf", dir, (unsigned)masks[i]);
    mode_t old = umask(masks[i]);
    run_result r = render(in, out);
    umask(old);
    ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
    ck_assert_msg(mode_of(out) == (0666 & ~masks[i]), "umask %03o: a new file is %o, expected %o",
                  (unsigned)masks[i], (unsigned)mode_of(out), (unsigned)(0666 & ~masks[i]));
  }
}
END_TEST

/* An output name of NAME_MAX bytes is written and replaced (the temporary
 * name does not lengthen it); one byte more is the system's error. */
START_TEST(test_long_names) {
  size_t ref_len;
  const char *ref = reference_pdf(&ref_len);
  const char *dir = tmpdir_new();
  const char *in = write_input(dir);
  long name_max = pathconf(dir, _PC_NAME_MAX);
  if (name_max <= 0 || name_max > 1024) name_max = 255;
  char *name = xmalloc((size_t)name_max + 2);
  memset(name, 'a', (size_t)name_max + 1);
  memcpy(name + name_max - 4, ".pdf", 5);
  const char *out = sfmt("%s/%s", dir, name);
  for (int pass = 0; pass < 2; pass++) { /* created, then replaced */
    run_result r = render(in, out);
    ck_assert_msg(run_exit_is(&r, 0), "a %ld-byte name, pass %d: %s", name_max, pass, run_describe(&r));
    ck_assert_msg(has_bytes(out, ref, ref_len), "a %ld-byte name: not the PDF", name_max);
    ck_assert_str_eq(listing(dir), sfmt("%s in.xml", name));
  }
  memset(name, 'b', (size_t)name_max + 1);
  memcpy(name + name_max - 3, ".pdf", 5);
  run_result r = render(in, sfmt("%s/%s", dir, name));
  ck_assert_msg(run_exit_is(&r, 3) && strstr(r.err, "File name too long"), "a %ld-byte name: %s",
                name_max + 1, run_describe(&r));
}
END_TEST

/* ---- failures and signals ------------------------------------------- */

/* A failed run leaves a good PDF at the output (or at a link's target)
 * byte for byte as it was, and nothing new in the directory: invalid
 * content, and a write that fails half way (file size limit). */
START_TEST(test_failures_leave_nothing) {
  const char *dir = tmpdir_new();
  const char *in = write_input(dir);
  const char *bad = sfmt("%s/bad.xml", dir);
  write_text(bad, "<report xmlns=\"urn:bilaga:content:1\"><meta>");
  const char *good = sfmt("%s/good.pdf", dir);
  run_result r = render(in, good);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  size_t len;
  char *before = read_file(good, &len);
  ck_assert_int_eq(symlink("good.pdf", sfmt("%s/link.pdf", dir)), 0);
  const char *names = listing(dir);
  const char *outs[] = {good, sfmt("%s/link.pdf", dir)};
  for (int i = 0; i < 2; i++) {
    r = render(bad, outs[i]);
    ck_assert_msg(run_exit_is(&r, 2), "bad content: %s", run_describe(&r));
    run_opts limited = {.fsize_limit = (long long)len / 2};
    r = run(&limited, bilaga_binary(), "render", in, "-o", outs[i], NULL);
    ck_assert_msg(run_exit_is(&r, 3) && strstr(r.err, "cannot write"), "file size limit: %s",
                  run_describe(&r));
    ck_assert_msg(has_bytes(good, before, len), "-o %s: the good PDF was changed", outs[i]);
    ck_assert_str_eq(listing(dir), names);
  }
  /* a new file that cannot be completed is not there at all */
  run_opts limited = {.fsize_limit = (long long)len / 2};
  r = run(&limited, bilaga_binary(), "render", in, "-o", sfmt("%s/new.pdf", dir), NULL);
  ck_assert_msg(run_exit_is(&r, 3), "file size limit, new file: %s", run_describe(&r));
  ck_assert_str_eq(listing(dir), names);
}
END_TEST

static const char *write_big_input(const char *dir) {
  const char *in = sfmt("%s/big.xml", dir);
  FILE *f = fopen(in, "wb");
  ck_assert_ptr_nonnull(f);
  fputs(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<report xmlns=\"urn:bilaga:content:1\" "
      "xml:lang=\"sv-SE\">\n"
      "<meta><title>Stor</title><board>Servicenämnden</board></meta>\n<body>\n",
      f);
  for (int s = 0; s < 40; s++) {
    fprintf(f, "<section><heading>Avsnitt %d</heading>\n", s);
    for (int p = 0; p < 100; p++)
      fprintf(f,
              "<p>Stycke %d i avsnitt %d om verksamheten, ekonomin och personalen, långt nog för flera rader "
              "på sidan så att det blir många sidor att skriva.</p>\n",
              p, s);
    fputs("</section>\n", f);
  }
  fputs("</body></report>\n", f);
  ck_assert_int_eq(fclose(f), 0);
  return in;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Starts argv; sends sig after delay seconds or, with delay < 0, the
 * moment anything appears in dir (inotify: the first temporary file);
 * waits for it to end. */
static void run_and_signal(const char *const *argv, double delay, const char *dir, int sig) {
  int watch = -1;
  if (delay < 0) {
    watch = inotify_init1(IN_CLOEXEC);
    ck_assert_msg(watch >= 0 && inotify_add_watch(watch, dir, IN_CREATE | IN_MOVED_TO) >= 0, "inotify: %s",
                  strerror(errno));
  }
  fflush(NULL);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    dup2(null, 1), dup2(null, 2);
    execv(argv[0], (char *const *)argv);
    _exit(127);
  }
  if (watch >= 0) {
    struct pollfd p = {watch, POLLIN, 0};
    while (poll(&p, 1, 120000) < 0 && errno == EINTR) {
    }
    close(watch);
  } else {
    struct timespec ts = {(time_t)delay, (long)((delay - (double)(time_t)delay) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
  }
  kill(pid, sig);
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

/* SIGTERM or SIGINT at any moment of a render leaves only the input and,
 * at the output, either what was there before or the complete new PDF:
 * delays spread over a whole run, and a signal the moment the writer
 * puts anything into the directory. */
START_TEST(test_signals_leave_nothing) {
  const char *dir = tmpdir_new();
  const char *in = write_big_input(dir);
  const char *out = sfmt("%s/out.pdf", dir);
  double start = now_seconds();
  run_result r = render(in, out);
  double whole = now_seconds() - start;
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  size_t pdf_len;
  char *pdf = read_file(out, &pdf_len);
  const double fractions[] = {0.1, 0.5, 0.8, 0.9, 0.95, 0.98, 1.0, 1.05, -1, -1, -1, -1};
  const char *argv[] = {bilaga_binary(), "render", in, "-o", out, NULL};
  for (int existing = 0; existing < 2; existing++) {
    for (size_t i = 0; i < sizeof fractions / sizeof *fractions; i++) {
      const char *when = fractions[i] < 0 ? xstrdup("when the first file appears")
                                          : sfmt("after %.0f%% of a run", fractions[i] * 100);
      if (existing)
        write_text(out, "the old PDF");
      else
        unlink(out);
      run_and_signal(argv, whole * fractions[i], dir, i % 2 ? SIGINT : SIGTERM);
      const char *names = listing(dir);
      ck_assert_msg(strcmp(names, "big.xml") == 0 || strcmp(names, "big.xml out.pdf") == 0,
                    "signal %s: the directory holds %s", when, names);
      if (file_exists(out))
        ck_assert_msg(has_bytes(out, pdf, pdf_len) || (existing && has_bytes(out, "the old PDF", 11)),
                      "signal %s: out.pdf is neither the old file nor the whole PDF", when);
      else
        ck_assert_msg(!existing, "signal %s: the old out.pdf is gone", when);
    }
  }
}
END_TEST

/* ---- the library's writer, both ways of replacing a file --------------- */

static void collect(const bilaga_diagnostic *d, void *user) {
  sbuf *b = user;
  sbuf_printf(b, "%s: %s\n", d->file, d->message);
}

static const output_strategy strategies[] = {OUTPUT_ANY, OUTPUT_NAMED_TEMP};
static const char *const strategy_names[] = {"unnamed temporary file", "named temporary file"};

/* Created with the umask's mode, replaced with the old mode kept, through
 * a link, refused for a guarded file, and failing (missing directory, file
 * size limit) without a trace. */
START_TEST(test_writer) {
  output_strategy how = strategies[_i];
  const char *what = strategy_names[_i];
  const char *dir = tmpdir_new();
  sbuf messages = {0};
  diag_sink sink = {collect, &messages, 0};
  const char bytes[] = "%PDF-1.4 not really";
  size_t len = sizeof bytes - 1;
  const char *out = sfmt("%s/out.pdf", dir);

  mode_t old_mask = umask(027);
  bilaga_status st = output_file_write(out, bytes, len, NULL, 0, how, &sink);
  umask(old_mask);
  ck_assert_msg(st == BILAGA_OK, "%s: create: %s", what, sbuf_str(&messages));
  ck_assert_msg(has_bytes(out, bytes, len) && mode_of(out) == 0640, "%s: created %o", what,
                (unsigned)mode_of(out));

  ck_assert_int_eq(chmod(out, 0600), 0);
  st = output_file_write(out, "second", 6, NULL, 0, how, &sink);
  ck_assert_msg(st == BILAGA_OK && has_bytes(out, "second", 6) && mode_of(out) == 0600,
                "%s: replace: %s, mode %o", what, sbuf_str(&messages), (unsigned)mode_of(out));

  ck_assert_int_eq(symlink("out.pdf", sfmt("%s/link.pdf", dir)), 0);
  ck_assert_int_eq(symlink("made.pdf", sfmt("%s/dangling.pdf", dir)), 0);
  st = output_file_write(sfmt("%s/link.pdf", dir), "third", 5, NULL, 0, how, &sink);
  ck_assert_msg(st == BILAGA_OK && has_bytes(out, "third", 5), "%s: through a link: %s", what,
                sbuf_str(&messages));
  st = output_file_write(sfmt("%s/dangling.pdf", dir), "fourth", 6, NULL, 0, how, &sink);
  ck_assert_msg(st == BILAGA_OK && has_bytes(sfmt("%s/made.pdf", dir), "fourth", 6), "%s: dangling link: %s",
                what, sbuf_str(&messages));
  ck_assert_str_eq(listing(dir), "dangling.pdf link.pdf made.pdf out.pdf");

  output_guard guard = {file_identity_of_path(out), "content", "x.xml"};
  st = output_file_write(sfmt("%s/link.pdf", dir), "fifth", 5, &guard, 1, how, &sink);
  ck_assert_msg(st == BILAGA_ERROR_USAGE && has_bytes(out, "third", 5), "%s: a guarded file was written",
                what);
  ck_assert_msg(strstr(sbuf_str(&messages), "link.pdf: the output is the same file as the content x.xml"),
                "%s: %s", what, sbuf_str(&messages));

  /* read from a terminal or device and written back to it: not a file to lose */
  const char *null = device(tmpdir_new(), "null", 3);
  if (null) {
    output_guard device_guard = {file_identity_of_path(null), "content", "<stdin>"};
    st = output_file_write(null, bytes, len, &device_guard, 1, how, &sink);
    ck_assert_msg(st == BILAGA_OK && is_char_device(null), "%s: a guarded device: %s", what,
                  sbuf_str(&messages));
  }

  st = output_file_write(sfmt("%s/no-dir/x.pdf", dir), bytes, len, NULL, 0, how, &sink);
  ck_assert_msg(
      st == BILAGA_ERROR_IO && strstr(sbuf_str(&messages), "no-dir/x.pdf: cannot write: No such file"),
      "%s: missing directory: %s", what, sbuf_str(&messages));

  /* a write that fails half way, for a new and for an existing file */
  size_t big_len = 1 << 20;
  char *big = xmalloc(big_len);
  memset(big, 'x', big_len);
  signal(SIGXFSZ, SIG_IGN);
  struct rlimit old_limit, limit = {big_len / 2, big_len / 2};
  ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  limit.rlim_max = old_limit.rlim_max;
  ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &limit), 0);
  bilaga_status replaced = output_file_write(out, big, big_len, NULL, 0, how, &sink);
  bilaga_status created = output_file_write(sfmt("%s/new.pdf", dir), big, big_len, NULL, 0, how, &sink);
  setrlimit(RLIMIT_FSIZE, &old_limit);
  ck_assert_msg(
      replaced == BILAGA_ERROR_IO && created == BILAGA_ERROR_IO && strstr(sbuf_str(&messages), "too large"),
      "%s: file size limit: %s", what, sbuf_str(&messages));
  ck_assert_msg(has_bytes(out, "third", 5), "%s: the old file was changed by a failed write", what);
  ck_assert_str_eq(listing(dir), "dangling.pdf link.pdf made.pdf out.pdf");
}
END_TEST

/* A process killed while it writes, over and over, leaves no temporary
 * file with either way of writing (the named one holds the signal off
 * until it is gone). */
START_TEST(test_writer_killed) {
  output_strategy how = strategies[_i];
  const char *dir = tmpdir_new();
  const char *out = sfmt("%s/out.pdf", dir);
  size_t len = 8 << 20;
  char *bytes = xmalloc(len);
  memset(bytes, '%', len);
  for (int round = 0; round < 8; round++) {
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
      /* check's own handlers (inherited) would take the test down too */
      signal(SIGTERM, SIG_DFL);
      signal(SIGINT, SIG_DFL);
      diag_sink sink = {0};
      for (;;) output_file_write(out, bytes, len, NULL, 0, how, &sink);
    }
    struct timespec ts = {0, 20000000L + round * 17000000L};
    nanosleep(&ts, NULL);
    kill(pid, round % 2 ? SIGINT : SIGTERM);
    int status;
    waitpid(pid, &status, 0);
    ck_assert_msg(WIFSIGNALED(status), "the writer did not die of the signal");
    const char *names = listing(dir);
    ck_assert_msg(strcmp(names, "") == 0 || strcmp(names, "out.pdf") == 0,
                  "%s, round %d: the directory holds %s", strategy_names[_i], round, names);
    if (file_exists(out))
      ck_assert_msg(has_bytes(out, bytes, len), "%s: out.pdf is incomplete", strategy_names[_i]);
  }
}
END_TEST

static Suite *output_suite(void) {
  Suite *s = suite_create("output");
  TCase *reads = tcase_create("inputs");
  tcase_add_test(reads, test_same_file_is_refused);
  suite_add_tcase(s, reads);
  TCase *where = tcase_create("where");
  tcase_add_test(where, test_symbolic_links_write_their_target);
  tcase_add_test(where, test_broken_links_fail_cleanly);
  tcase_add_test(where, test_devices_are_written_in_place);
  tcase_add_test(where, test_fifo_is_written_in_place);
  tcase_add_test(where, test_permissions);
  tcase_add_test(where, test_long_names);
  suite_add_tcase(s, where);
  TCase *safety = tcase_create("safety");
  tcase_add_test(safety, test_failures_leave_nothing);
  tcase_add_test(safety, test_signals_leave_nothing);
  tcase_add_loop_test(safety, test_writer, 0, 2);
  tcase_add_loop_test(safety, test_writer_killed, 0, 2);
  suite_add_tcase(s, safety);
  return s;
}

int main(void) {
  if (!tmp_root_init("output")) return 1;
  SRunner *sr = srunner_create(output_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  tmp_root_remove();
  return failed == 0 ? 0 : 1;
}
