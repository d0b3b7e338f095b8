/* asan_options.c - AddressSanitizer's defaults for the libFuzzer harnesses
 * (linked into each of them, not into the corpus replays): a quarantine of
 * 32 MB instead of 256.  Freed memory waits there before it is handed out
 * again, so a use after free is still caught within an input and for many
 * inputs after it (an input frees at most a few hundred KB, and the
 * library keeps nothing from one input to the next).  With 256 MB nearly
 * every allocation landed on memory the allocator had given back to the
 * system, and the page faults cost more than the harness's own work: the
 * display harness ran 1.6 times slower for it (bench/README.md).
 * ASAN_OPTIONS still overrides this. */
const char *__asan_default_options(void);

const char *
__asan_default_options(void)
{
    return "quarantine_size_mb=32";
}
