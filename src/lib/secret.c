/* secret.c - passwords from a prompt without echo, a file or the
 * environment, wiped when done; the files that hold secrets checked; a
 * process that holds secrets kept out of core dumps. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "spnaudit/display.h"
#include "spnaudit/secret.h"
#include "spnaudit/signals.h"

/* The longest password line read (AD allows 256 characters). */
#define SECRET_MAX 4096

extern char **environ;

void
sa_secret_free(char *secret)
{
    if (secret == NULL)
        return;
    explicit_bzero(secret, strlen(secret));
    free(secret);
}

sa_status
sa_secret_protect_process(sa_error *err)
{
    struct rlimit none = {0, 0};

    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        return sa_error_set(err, SA_ERR_SYSTEM, "%s while turning off core dumps (PR_SET_DUMPABLE)",
                            strerror(errno));
    if (setrlimit(RLIMIT_CORE, &none) != 0)
        return sa_error_set(err, SA_ERR_SYSTEM, "%s while turning off core dumps (RLIMIT_CORE)",
                            strerror(errno));
    return SA_OK;
}

/* One line from fd without its line ending, read a byte at a time (no
 * stdio buffer keeps a copy, and nothing past the line is taken from a
 * pipe), in a buffer that is wiped. */
static sa_status
read_line(int fd, const char *what, char **out, sa_error *err)
{
    char *buf = NULL, *copy = NULL, c = '\0';
    size_t len = 0;
    ssize_t n;
    sa_status ret = SA_ERR_USAGE;

    if ((buf = malloc(SECRET_MAX + 1)) == NULL)
        return sa_error_nomem(err);
    while ((n = read(fd, &c, 1)) != 0 && c != '\n') {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ret = sa_error_set(err, SA_ERR_SYSTEM, "cannot read the password from %s: %s", what,
                               strerror(errno));
            goto cleanup;
        }
        if (len == SECRET_MAX) {
            sa_error_set(err, SA_ERR_USAGE, "the password line in %s is longer than %d bytes", what,
                         SECRET_MAX);
            goto cleanup;
        }
        buf[len++] = c;
    }
    if (n == 0 && len == 0) {
        sa_error_set(err, SA_ERR_USAGE, "no password in %s (it is empty)", what);
        goto cleanup;
    }
    if (len > 0 && buf[len - 1] == '\r')
        len--;
    buf[len] = '\0';
    if ((copy = strdup(buf)) == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    *out = copy;
    ret = SA_OK;
cleanup:
    explicit_bzero(buf, SECRET_MAX + 1);
    explicit_bzero(&c, sizeof(c));
    free(buf);
    return ret;
}

sa_status
sa_secret_prompt(const char *prompt, bool hide, char **out, sa_error *err)
{
    struct termios saved, quiet;
    bool hidden = false;
    sa_status ret;

    sa_show_printf(stderr, "%s: ", prompt); /* may name a principal from a file */
    fflush(stderr);
    sa_signals_prompt(true, NULL);
    if (hide && isatty(STDIN_FILENO) == 1 && tcgetattr(STDIN_FILENO, &saved) == 0) {
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        sa_signals_prompt(true, &saved); /* a signal from here on turns echo back on */
        hidden = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    ret = read_line(STDIN_FILENO, "standard input", out, err);
    if (hidden) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        fputc('\n', stderr);
    }
    sa_signals_prompt(false, NULL);
    return ret;
}

/* A file that holds a secret (kind: "password file", "keytab"), of mode
 * st: refused unless only its owner may read it and write to it. */
static sa_status
check_private(const char *path, const char *kind, const struct stat *st, sa_error *err)
{
    unsigned mode = (unsigned)(st->st_mode & 07777);

    if ((st->st_mode & (S_IRGRP | S_IROTH)) != 0)
        return sa_error_set(err, SA_ERR_USAGE,
                            "%s has mode %04o: a %s must not be readable by group or others "
                            "(chmod 600 %s)",
                            path, mode, kind, path);
    if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0)
        return sa_error_set(err, SA_ERR_USAGE,
                            "%s has mode %04o: a %s must not be writable by anyone but its "
                            "owner (chmod 600 %s)",
                            path, mode, kind, path);
    return SA_OK;
}

sa_status
sa_secret_from_file(const char *path, char **out, sa_error *err)
{
    struct stat st;
    char what[600];
    int fd = -1;
    sa_status ret = SA_ERR_USAGE;

    /* O_NONBLOCK: a FIFO does not hang the open (it is refused below) */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        sa_error_set(err, SA_ERR_USAGE, "cannot open the password file %s: %s", path, strerror(errno));
        goto cleanup;
    }
    if (fstat(fd, &st) != 0) {
        ret = sa_error_set(err, SA_ERR_SYSTEM, "cannot read the password file %s: %s", path, strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        sa_error_set(err, SA_ERR_USAGE, "the password file %s is not a regular file", path);
        goto cleanup;
    }
    if ((ret = check_private(path, "password file", &st, err)) != SA_OK)
        goto cleanup;
    snprintf(what, sizeof(what), "the password file %s", path);
    ret = read_line(fd, what, out, err);
cleanup:
    if (fd >= 0)
        close(fd);
    return ret;
}

/* A user's name ("uid N" when it has none), for messages. */
static void
user_name(uid_t uid, char *buf, size_t size)
{
    struct passwd pw, *found = NULL;
    char scratch[1024];

    if (getpwuid_r(uid, &pw, scratch, sizeof(scratch), &found) == 0 && found != NULL)
        snprintf(buf, size, "%s (uid %u)", found->pw_name, (unsigned)uid);
    else
        snprintf(buf, size, "uid %u", (unsigned)uid);
}

/* Can this account open the keytab (st: its stat)?  Else Kerberos says
 * only "Pre-authentication failed: Permission denied". */
static sa_status
check_readable(const char *path, const struct stat *st, sa_error *err)
{
    char owner[300], us[300];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK), saved = errno;

    if (fd >= 0) {
        close(fd);
        return SA_OK;
    }
    user_name(st->st_uid, owner, sizeof(owner));
    user_name(geteuid(), us, sizeof(us));
    return sa_error_set(err, SA_ERR_USAGE,
                        "cannot read the keytab %s: %s: it belongs to %s, mode %04o, and spnaudit runs as "
                        "%s: run spnaudit as the keytab's owner, or give this account a keytab of its own",
                        path, strerror(saved), owner, (unsigned)(st->st_mode & 07777), us);
}

sa_status
sa_secret_check_keytab(const char *name, sa_error *err)
{
    const char *path = name;
    struct stat st;

    /* As krb5_kt_resolve reads the name: TYPE:RESIDUAL, a plain path, or a
     * path after FILE: or WRFILE:; other types are no file of ours. */
    if (strncmp(name, "FILE:", 5) == 0)
        path = name + 5;
    else if (strncmp(name, "WRFILE:", 7) == 0)
        path = name + 7;
    else if (name[0] != '/' && strchr(name, ':') != NULL)
        return SA_OK;
    if (stat(path, &st) != 0 && errno == ENOENT)
        return sa_error_set(err, SA_ERR_USAGE,
                            "the keytab %s does not exist (%s): check the path given with --keytab", path,
                            strerror(errno));
    if (stat(path, &st) != 0)
        return sa_error_set(err, SA_ERR_USAGE, "cannot open the keytab %s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return sa_error_set(err, SA_ERR_USAGE, "the keytab %s is not a regular file", path);
    if (check_private(path, "keytab", &st, err) != SA_OK)
        return SA_ERR_USAGE;
    return check_readable(path, &st, err);
}

sa_status
sa_secret_from_env(const char *name, char **out, sa_error *err)
{
    const char *value = getenv(name);
    size_t name_len = strlen(name);
    char *copy = NULL;

    if (value == NULL)
        return sa_error_set(err, SA_ERR_USAGE,
                            "the environment variable %s, which should hold the password, is not set", name);
    copy = strdup(value);
    if (copy == NULL)
        return sa_error_nomem(err);
    /* Wipe every copy in the environment (/proc/PID/environ shows the
     * original strings, whatever unsetenv does to the array), then drop
     * the variable: nothing this process starts inherits it. */
    for (char **e = environ; e != NULL && *e != NULL; e++) {
        if (strncmp(*e, name, name_len) == 0 && (*e)[name_len] == '=')
            explicit_bzero(*e + name_len + 1, strlen(*e + name_len + 1));
    }
    unsetenv(name);
    *out = copy;
    return SA_OK;
}
