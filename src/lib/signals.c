/* signals.c - SIGINT, SIGTERM and SIGHUP: the temporary file of an atomic
 * write removed, the terminal's echo back, a message, exit 128 + signal.
 * See signals.h for what the handler may touch and why it is safe. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spnaudit/display.h"
#include "spnaudit/signals.h"

enum temp_state { TEMP_NONE, TEMP_WRITING, TEMP_WRITTEN };

static const int handled[] = {SIGINT, SIGTERM, SIGHUP};

/* Everything below the lock is read by the handler and changed only by
 * the holder of the lock, with the handled signals blocked in its thread
 * (so the handler never waits for its own thread). */
static atomic_flag lock = ATOMIC_FLAG_INIT;
static enum temp_state temp_state;
static char temp_path[PATH_MAX];
static char target_shown[SA_SHOWN_MAX(PATH_MAX)];
static bool target_existed;
static bool target_named; /* by sa_signals_target: named outside a write too */
static bool prompt_open, tty_set;
static struct termios tty;

static const char *
signal_name(int sig)
{
    switch (sig) {
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    default:
        return "a signal";
    }
}

/* Write s to standard error with write(2) only. */
static void
say(const char *s)
{
    size_t n = 0;
    ssize_t done;

    while (s[n] != '\0')
        n++;
    while (n > 0) {
        done = write(STDERR_FILENO, s, n);
        if (done < 0 && errno == EINTR)
            continue;
        if (done <= 0)
            return;
        s += done;
        n -= (size_t)done;
    }
}

static void
on_signal(int sig)
{
    /* The holder of the lock has these signals blocked, so it finishes its
     * step; a second signal in another thread waits here until _exit. */
    while (atomic_flag_test_and_set(&lock))
        ;
    if (tty_set)
        tcsetattr(STDIN_FILENO, TCSANOW, &tty);
    if (prompt_open)
        say("\n");
    say("spnaudit: interrupted by ");
    say(signal_name(sig));
    if (temp_state == TEMP_WRITING)
        unlink(temp_path);
    if (temp_state == TEMP_WRITING || (temp_state == TEMP_NONE && target_named)) {
        say("; ");
        say(target_shown);
        say(target_existed ? " left as it was" : " not written");
    } else if (temp_state == TEMP_WRITTEN) {
        say("; ");
        say(target_shown);
        say(" was written");
    }
    say("\n");
    _exit(128 + sig);
}

static void
handled_set(sigset_t *set)
{
    sigemptyset(set);
    for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
        sigaddset(set, handled[i]);
}

/* Block the handled signals in this thread (the old mask in *old), then
 * take the lock. */
static void
guard_enter(sigset_t *old)
{
    sigset_t set;

    handled_set(&set);
    pthread_sigmask(SIG_BLOCK, &set, old);
    while (atomic_flag_test_and_set(&lock))
        ;
}

static void
guard_leave(const sigset_t *old)
{
    atomic_flag_clear(&lock);
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

sa_status
sa_signals_install(sa_error *err)
{
    struct sigaction sa, old;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    handled_set(&sa.sa_mask); /* no second handler on top of the first */
    for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++) {
        if (sigaction(handled[i], NULL, &old) != 0 ||
            /* ignored when we started (nohup, a background job): stays so */
            (old.sa_handler != SIG_IGN && sigaction(handled[i], &sa, NULL) != 0))
            return sa_error_set(err, SA_ERR_SYSTEM, "%s while installing the handler of %s", strerror(errno),
                                signal_name(handled[i]));
    }
    return SA_OK;
}

void
sa_signals_target(const char *target)
{
    sigset_t old;
    struct stat st;
    size_t len = strlen(target);
    bool existed = stat(target, &st) == 0;

    if (len >= PATH_MAX)
        return;
    guard_enter(&old);
    sa_shown_buf(target, len, target_shown);
    target_existed = existed;
    target_named = true;
    guard_leave(&old);
}

int
sa_signals_temp_create(char *tmpl, const char *target)
{
    sigset_t old;
    struct stat st;
    size_t len = strlen(tmpl), target_len = strlen(target);
    bool existed = stat(target, &st) == 0;
    int fd = -1, saved = EBUSY;

    if (len >= sizeof(temp_path) || target_len >= PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    guard_enter(&old);
    if (temp_state != TEMP_WRITING) {
        fd = mkostemp(tmpl, O_CLOEXEC); /* mode 0600 */
        saved = errno;
    }
    if (fd >= 0) {
        memcpy(temp_path, tmpl, len + 1);
        sa_shown_buf(target, target_len, target_shown);
        target_existed = existed;
        temp_state = TEMP_WRITING;
    }
    guard_leave(&old);
    errno = saved;
    return fd;
}

int
sa_signals_temp_commit(const char *tmp, const char *target)
{
    sigset_t old;
    int rc, saved;

    guard_enter(&old);
    rc = rename(tmp, target);
    saved = errno;
    if (rc == 0)
        temp_state = TEMP_WRITTEN;
    guard_leave(&old);
    errno = saved;
    return rc;
}

void
sa_signals_temp_remove(const char *tmp)
{
    sigset_t old;

    guard_enter(&old);
    unlink(tmp);
    temp_state = TEMP_NONE;
    guard_leave(&old);
}

void
sa_signals_prompt(bool open, const struct termios *saved)
{
    sigset_t old;

    guard_enter(&old);
    prompt_open = open;
    tty_set = open && saved != NULL;
    if (tty_set)
        tty = *saved;
    guard_leave(&old);
}
