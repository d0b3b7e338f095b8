/* heap_peak.h - the peak of the heap in use while a report is written:
 * sampled at every write of a stream that discards what it is given. */
#ifndef SPNAUDIT_TEST_HEAP_PEAK_H
#define SPNAUDIT_TEST_HEAP_PEAK_H

#include <check.h>
#include <malloc.h>
#include <stdio.h>
#include <sys/types.h>

static size_t heap_peak;

/* 0 under ASan, whose allocator glibc does not see. */
static inline size_t
heap_in_use(void)
{
    return mallinfo2().uordblks;
}

static inline ssize_t
heap_sample_write(void *cookie, const char *buf, size_t size)
{
    size_t now = heap_in_use();

    (void)cookie;
    (void)buf;
    if (now > heap_peak)
        heap_peak = now;
    return (ssize_t)size;
}

/* How many bytes more than before the heap held at its peak while
 * write(data, stream) ran; the write must succeed. */
static inline size_t
heap_growth(int (*write)(const void *data, FILE *out), const void *data)
{
    FILE *f = fopencookie(NULL, "w", (cookie_io_functions_t){NULL, heap_sample_write, NULL, NULL});
    size_t before;

    ck_assert_ptr_nonnull(f);
    before = heap_peak = heap_in_use();
    ck_assert_int_eq(write(data, f), 0);
    ck_assert_int_eq(fclose(f), 0);
    return heap_peak - before;
}

#endif
