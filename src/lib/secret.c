/* secret.c - passwords from a prompt without echo, a file or the
 * environment, wiped when done. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "spnaudit/secret.h"

void
sa_secret_free(char *secret)
{
    if (secret == NULL)
        return;
    explicit_bzero(secret, strlen(secret));
    free(secret);
}

/* One line of f without its line ending, in a buffer of its own (getline's
 * buffer may be larger than the line: it is wiped whole). */
static sa_status
read_line(FILE *f, const char *what, char **out, sa_error *err)
{
    char *line = NULL, *copy = NULL;
    size_t cap = 0;
    ssize_t len;
    sa_status ret = SA_ERR_USAGE;

    errno = 0;
    len = getline(&line, &cap, f);
    if (len < 0) {
        if (errno != 0)
            sa_error_set(err, SA_ERR_SYSTEM, "cannot read the password from %s: %s", what, strerror(errno));
        else
            sa_error_set(err, SA_ERR_USAGE, "no password in %s (it is empty)", what);
        goto cleanup;
    }
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    copy = strdup(line);
    if (copy == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    *out = copy;
    ret = SA_OK;
cleanup:
    if (line != NULL)
        explicit_bzero(line, cap);
    free(line);
    return ret;
}

sa_status
sa_secret_prompt(const char *prompt, bool hide, char **out, sa_error *err)
{
    struct termios saved, quiet;
    bool hidden = false;
    sa_status ret;

    fprintf(stderr, "%s: ", prompt);
    fflush(stderr);
    if (hide && isatty(STDIN_FILENO) == 1 && tcgetattr(STDIN_FILENO, &saved) == 0) {
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        hidden = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    ret = read_line(stdin, "standard input", out, err);
    if (hidden) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        fputc('\n', stderr);
    }
    return ret;
}

sa_status
sa_secret_from_file(const char *path, char **out, sa_error *err)
{
    struct stat st;
    FILE *f = NULL;
    char what[600];
    int fd = -1;
    sa_status ret = SA_ERR_USAGE;

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        sa_error_set(err, SA_ERR_USAGE, "cannot open the password file %s: %s", path, strerror(errno));
        goto cleanup;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        sa_error_set(err, SA_ERR_USAGE, "the password file %s is not a regular file", path);
        goto cleanup;
    }
    if ((st.st_mode & S_IROTH) != 0) {
        sa_error_set(err, SA_ERR_USAGE,
                     "the password file %s may be read by anyone (mode %04o): refusing it; "
                     "chmod o-r it first",
                     path, (unsigned)(st.st_mode & 07777));
        goto cleanup;
    }
    f = fdopen(fd, "r");
    if (f == NULL) {
        ret = sa_error_set(err, SA_ERR_SYSTEM, "cannot read the password file %s: %s", path, strerror(errno));
        goto cleanup;
    }
    fd = -1;
    setvbuf(f, NULL, _IONBF, 0); /* no stdio buffer keeps a copy */
    snprintf(what, sizeof(what), "the password file %s", path);
    ret = read_line(f, what, out, err);
cleanup:
    if (f != NULL)
        fclose(f);
    if (fd >= 0)
        close(fd);
    return ret;
}

sa_status
sa_secret_from_env(const char *name, char **out, sa_error *err)
{
    const char *value = getenv(name);
    char *copy = NULL;

    if (value == NULL)
        return sa_error_set(err, SA_ERR_USAGE,
                            "the environment variable %s, which should hold the password, is not set", name);
    copy = strdup(value);
    if (copy == NULL)
        return sa_error_nomem(err);
    *out = copy;
    return SA_OK;
}
