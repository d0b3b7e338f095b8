/* infile.c - the files spnaudit reads that someone else may have written,
 * read whole: regular files only, each kind no larger than its limit. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spnaudit/infile.h"
#include "spnaudit/strv.h"

#define MB ((size_t)1024 * 1024)

static const struct {
    const char *name;
    size_t limit;
    bool stdin_ok; /* "-" is standard input */
} kinds[] = {
    [SA_INFILE_CONFIG] = {"configuration file", 1 * MB, false},
    [SA_INFILE_REPORT] = {"report", 256 * MB, false},
    [SA_INFILE_PROBE_LIST] = {"probe list", 64 * MB, true},
    [SA_INFILE_CA_FILE] = {"CA file", 16 * MB, false},
    [SA_INFILE_CERT] = {"certificate file", 4 * MB, false},
};

const char *
sa_infile_kind_name(sa_infile_kind kind)
{
    return kinds[kind].name;
}

size_t
sa_infile_limit(sa_infile_kind kind)
{
    return kinds[kind].limit;
}

/* What st_mode is, for "it is a ..., not a regular file". */
static const char *
file_type(mode_t mode)
{
    if (S_ISDIR(mode))
        return "directory";
    if (S_ISFIFO(mode))
        return "FIFO";
    if (S_ISCHR(mode))
        return "character device";
    if (S_ISBLK(mode))
        return "block device";
    if (S_ISSOCK(mode))
        return "socket";
    return "special file";
}

/* bytes in megabytes, rounded up to a tenth ("300", "1.1"), in buf. */
static const char *
megabytes(unsigned long long bytes, char *buf, size_t size)
{
    unsigned long long tenths = bytes / MB * 10 + ((bytes % MB) * 10 + MB - 1) / MB;

    if (tenths % 10 == 0)
        snprintf(buf, size, "%llu", tenths / 10);
    else
        snprintf(buf, size, "%llu.%llu", tenths / 10, tenths % 10);
    return buf;
}

/* name is over the limit of kind: size bytes, or more than it can tell
 * (0: standard input, read until past the limit). */
static sa_status
too_big(const char *name, sa_infile_kind kind, unsigned long long size, sa_error *err)
{
    char have[32], limit[32];

    megabytes(kinds[kind].limit, limit, sizeof(limit));
    if (size == 0)
        return sa_error_set(err, SA_ERR_USAGE, "%s is more than the %s MB limit for a %s", name, limit,
                            kinds[kind].name);
    return sa_error_set(err, SA_ERR_USAGE, "%s is %s MB, more than the %s MB limit for a %s", name,
                        megabytes(size, have, sizeof(have)), limit, kinds[kind].name);
}

/* path opened for reading into *fd if it is a regular file within the
 * limit.  Nothing else is ever opened (a FIFO would block, a device may
 * act on open); fstat again after open, in case the name changed. */
static sa_status
open_regular(const char *path, sa_infile_kind kind, int *fd, sa_error *err)
{
    const char *what = kinds[kind].name;
    struct stat sb;
    int f = -1;
    sa_status ret = SA_ERR_USAGE;

    if (stat(path, &sb) != 0 ||
        (S_ISREG(sb.st_mode) &&
         ((f = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0 || fstat(f, &sb) != 0))) {
        ret = sa_error_set(err, SA_ERR_USAGE, "cannot open the %s %s: %s", what, path, strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(sb.st_mode)) {
        ret = sa_error_set(err, SA_ERR_USAGE, "cannot read the %s %s: it is a %s, not a regular file", what,
                           path, file_type(sb.st_mode));
        goto cleanup;
    }
    if ((size_t)sb.st_size > kinds[kind].limit) {
        ret = too_big(path, kind, (unsigned long long)sb.st_size, err);
        goto cleanup;
    }
    *fd = f;
    f = -1;
    ret = SA_OK;
cleanup:
    if (f >= 0)
        close(f);
    return ret;
}

/* All of fd, at most limit bytes, NUL-terminated, in *text. */
static sa_status
read_bounded(int fd, const char *name, sa_infile_kind kind, char **text, size_t *len, sa_error *err)
{
    size_t limit = kinds[kind].limit, n = 0, cap = 0;
    char *buf = NULL;
    sa_status ret = SA_ERR_SYSTEM;

    for (;;) {
        char *grown = sa_grow(buf, &cap, n + 1, 1, 65536); /* room for the NUL too */
        size_t want;
        ssize_t got;

        if (grown == NULL) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
        buf = grown;
        want = cap - n - 1;
        if (want > limit + 1 - n)
            want = limit + 1 - n; /* one byte past the limit tells it is over */
        got = read(fd, buf + n, want);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            ret = sa_error_set(err, SA_ERR_SYSTEM, "cannot read the %s %s: %s", kinds[kind].name, name,
                               strerror(errno));
            goto cleanup;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n > limit) {
            ret = too_big(name, kind, 0, err);
            goto cleanup;
        }
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    buf = NULL;
    ret = SA_OK;
cleanup:
    free(buf);
    return ret;
}

sa_status
sa_infile_read(const char *path, sa_infile_kind kind, char **text, size_t *len, sa_error *err)
{
    bool is_stdin = kinds[kind].stdin_ok && strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : -1;
    sa_status ret = SA_OK;

    if (!is_stdin)
        ret = open_regular(path, kind, &fd, err);
    if (ret == SA_OK)
        ret = read_bounded(fd, is_stdin ? "standard input" : path, kind, text, len, err);
    if (fd >= 0 && !is_stdin)
        close(fd);
    return ret;
}
