// fuzz.h - what the fuzz harness (fuzz_render.c) offers its two drivers:
// libFuzzer (-fsanitize=fuzzer) and the plain replay driver (replay.c).
#ifndef BILAGA_FUZZ_H
#define BILAGA_FUZZ_H

#include <stddef.h>
#include <stdint.h>

// Sets up what every input uses (the context...). Optional: the first
// input does it otherwise. Always returns 0.
int LLVMFuzzerInitialize(int *argc, char ***argv);
// Runs one input; aborts on a broken promise. Always returns 0.
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
// Frees what the harness keeps across inputs (the context, fixed objects).
void fuzz_release(void);

#endif
