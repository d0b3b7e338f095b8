/* output.c - atomic replacement of a file: temporary file, fsync, rename;
 * a signal meanwhile removes the temporary file (signals.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spnaudit/output.h"
#include "spnaudit/signals.h"
#include "spnaudit/strv.h"

/* The mode of a new report: 0640 less the umask.  A report names every
 * SCOM account and what is wrong with it: not for every local user. */
static mode_t
new_file_mode(void)
{
    mode_t mask = umask(0);

    umask(mask);
    return SA_OUTPUT_MODE & ~mask;
}

/* The directory part of path ("." for none), malloc'd; NULL on no memory. */
static char *
directory_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

sa_status
sa_output_check(const char *path, sa_error *err)
{
    const char *base = strrchr(path, '/');
    char *dir = NULL;
    struct stat st;
    sa_status ret = SA_ERR_USAGE;

    base = base ? base + 1 : path;
    if (*base == '\0' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
        return sa_error_set(err, SA_ERR_USAGE,
                            "cannot write the report to %s: it is a directory; name a file in it", path);
    if ((dir = directory_of(path)) == NULL)
        return sa_error_nomem(err);
    if (stat(dir, &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
        sa_error_set(err, SA_ERR_USAGE,
                     "cannot write the report to %s: the directory %s does not exist; create it "
                     "or name a file in an existing directory",
                     path, dir);
    else if (stat(dir, &st) != 0)
        sa_error_set(err, SA_ERR_USAGE, "cannot write the report to %s: cannot look at the directory %s (%s)",
                     path, dir, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        sa_error_set(err, SA_ERR_USAGE, "cannot write the report to %s: %s is not a directory", path, dir);
    else if (access(dir, W_OK | X_OK) != 0)
        sa_error_set(err, SA_ERR_USAGE,
                     "cannot write the report to %s: this account may not create files in the directory "
                     "%s (%s); name a file in a directory it can write to",
                     path, dir, strerror(errno));
    else
        ret = SA_OK;
    free(dir);
    return ret;
}

/* Flush the directory entry of the rename to disk; failures are harmless
 * for the content, so they are ignored. */
static void
sync_directory(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

sa_status
sa_output_write_atomic(const char *path, sa_output_writer writer, void *data, sa_error *err)
{
    char *dir = NULL, *tmp = NULL;
    const char *base = strrchr(path, '/');
    FILE *out = NULL;
    struct stat old;
    mode_t mode;
    int fd = -1, rc;
    sa_status ret = SA_ERR_SYSTEM;

    base = base ? base + 1 : path;
    if (*base == '\0') {
        ret = sa_error_set(err, SA_ERR_USAGE, "cannot write %s: the name is a directory, not a file", path);
        goto cleanup;
    }
    if ((dir = directory_of(path)) == NULL || (tmp = sa_strdup_printf("%s/.%s.XXXXXX", dir, base)) == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    mode = stat(path, &old) == 0 && S_ISREG(old.st_mode) ? old.st_mode & 07777 : new_file_mode();
    /* mode 0600 while it is written; a signal removes it */
    if ((fd = sa_signals_temp_create(tmp, path)) < 0) {
        ret = sa_error_set(err, SA_ERR_SYSTEM, "cannot write %s: %s while creating a temporary file in %s",
                           path, strerror(errno), dir);
        free(tmp);
        tmp = NULL; /* nothing to remove */
        goto cleanup;
    }
    if ((out = fdopen(fd, "w")) == NULL) {
        ret = sa_error_set(err, SA_ERR_SYSTEM, "cannot write %s: %s while opening %s", path, strerror(errno),
                           tmp);
        goto cleanup;
    }
    fd = -1; /* out owns it */
    errno = 0;
    rc = writer(out, data);
    if (rc != 0 || fflush(out) != 0 || ferror(out)) {
        ret = sa_error_set(err, SA_ERR_SYSTEM, "cannot write %s: %s while writing %s", path,
                           strerror(errno ? errno : EIO), tmp);
        goto cleanup;
    }
    /* the final mode only now that the content is complete */
    if (fchmod(fileno(out), mode) != 0 || fsync(fileno(out)) != 0) {
        ret = sa_error_set(err, SA_ERR_SYSTEM,
                           "cannot write %s: %s while setting the mode of %s and syncing it", path,
                           strerror(errno), tmp);
        goto cleanup;
    }
    rc = fclose(out);
    out = NULL;
    if (rc != 0) {
        ret = sa_error_set(err, SA_ERR_SYSTEM, "cannot write %s: %s while closing %s", path, strerror(errno),
                           tmp);
        goto cleanup;
    }
    if (sa_signals_temp_commit(tmp, path) != 0) {
        ret = sa_error_set(err, SA_ERR_SYSTEM, "cannot write %s: %s while renaming %s to it", path,
                           strerror(errno), tmp);
        goto cleanup;
    }
    free(tmp);
    tmp = NULL; /* it is path now */
    sync_directory(dir);
    ret = SA_OK;
cleanup:
    if (out != NULL)
        fclose(out);
    if (fd >= 0)
        close(fd);
    if (tmp != NULL)
        sa_signals_temp_remove(tmp);
    free(tmp);
    free(dir);
    return ret;
}

int
sa_output_width(int fd)
{
    const char *env = getenv("COLUMNS");
    struct winsize ws;
    long cols = 80;
    char *end = NULL;

    if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        cols = ws.ws_col;
    else if (env != NULL && *env != '\0') {
        long v = strtol(env, &end, 10);
        if (*end == '\0')
            cols = v;
    }
    return cols < 40 ? 40 : cols > 1000 ? 1000 : (int)cols;
}
