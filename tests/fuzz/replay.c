// replay.c - runs the fuzz harness over saved inputs without libFuzzer, so
// the committed corpus and every saved crash are replayed by the test suite
// in every build (gcc, sanitizers, another locale).
//
//   fuzz_replay_content FILE-OR-DIR...
//
// A directory contributes its regular files in name order (subdirectories
// are not entered); a directory that does not exist is skipped, so crashes/
// may be absent. Each input runs in a child process of its own, so one
// finding does not hide the next and a leak check covers each input, and is
// handed over in a buffer of exactly its size, like libFuzzer does, so a
// read past the end is caught by AddressSanitizer. The context is set up
// before the children are forked, as libFuzzer sets it up once. Exits 0 when every input
// ran cleanly; 1 when one crashed, aborted or failed a sanitizer check, on
// a usage or read error, or when there was no input at all.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

// Runs one input in this process; returns 0, or -1 when it cannot be read.
static int run_input(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
    return -1;
  }
  size_t cap = 4096, len = 0;
  unsigned char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) {
      unsigned char *grown = realloc(buf, cap *= 2);
      if (!grown) free(buf);
      buf = grown;
    }
  }
  int failed = !buf || ferror(f);
  fclose(f);
  if (failed) {
    fprintf(stderr, "replay: %s: cannot read\n", path);
    free(buf);
    return -1;
  }
  // exactly len bytes: nothing after the input that a reader could lean on
  unsigned char *exact = malloc(len ? len : 1);
  if (!exact) {
    free(buf);
    return -1;
  }
  memcpy(exact, buf, len);
  free(buf);
  // named before it runs: a crash report then follows the input's name
  fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
  LLVMFuzzerTestOneInput(exact, len);
  free(exact);
  fuzz_release();
  return 0;
}

// Runs one input in a child; returns 0 when it ran cleanly, else -1.
static int replay_file(const char *path) {
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "replay: fork: %s\n", strerror(errno));
    return -1;
  }
  if (pid == 0) exit(run_input(path) == 0 ? 0 : 2);  // exit(): the leak check runs
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  if (WIFSIGNALED(status))
    fprintf(stderr, "replay: FAILED %s (signal %d)\n", path, WTERMSIG(status));
  else
    fprintf(stderr, "replay: FAILED %s (exit %d)\n", path, WEXITSTATUS(status));
  return -1;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

// Replays the regular files in dir: adds to *ran and *failed. Returns -1
// when the directory cannot be listed.
static int replay_dir(const char *dir, int *ran, int *failed) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
    return -1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  int result = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    if (n == cap) {
      char **grown = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names);
      if (!grown) {
        result = -1;
        break;
      }
      names = grown;
    }
    size_t size = strlen(dir) + strlen(e->d_name) + 2;
    if (!(names[n] = malloc(size))) {
      result = -1;
      break;
    }
    snprintf(names[n++], size, "%s/%s", dir, e->d_name);
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, compare_names);  // names is NULL when n is 0
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (result >= 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
      ++*ran;
      if (replay_file(names[i]) != 0) ++*failed;
    }
    free(names[i]);
  }
  free(names);
  return result;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE-OR-DIR...\n", argv[0]);
    return 1;
  }
  // set up once here: each child starts from this state, so an input does
  // not pay for loading schemas and fonts
  LLVMFuzzerInitialize(&argc, &argv);
  int ran = 0, failed = 0, trouble = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      if (errno == ENOENT) continue;  // e.g. no crash saved yet
      fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
      trouble = 1;
    } else if (S_ISDIR(st.st_mode)) {
      if (replay_dir(argv[i], &ran, &failed) < 0) trouble = 1;
    } else {
      ran++;
      if (replay_file(argv[i]) != 0) failed++;
    }
  }
  if (ran == 0) {
    fprintf(stderr, "replay: no input found\n");
    trouble = 1;
  }
  fuzz_release();
  printf("replay: %d inputs, %d failed\n", ran, failed);
  return failed || trouble;
}
