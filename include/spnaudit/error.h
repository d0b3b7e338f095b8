/* error.h - results at the library boundary.
 *
 * A small set of statuses grouped by what the caller can do about them,
 * with the human message kept beside it in a caller-owned struct (no
 * static buffers, nothing to free).
 */
#ifndef SPNAUDIT_ERROR_H
#define SPNAUDIT_ERROR_H

typedef enum sa_status {
    SA_OK = 0,
    SA_ERR_USAGE,       /* the input given by the user is wrong */
    SA_ERR_CREDENTIALS, /* no, expired or unusable Kerberos credentials */
    SA_ERR_DIRECTORY,   /* LDAP connection, bind or search failed */
    SA_ERR_INCOMPLETE,  /* a search was cut short: results are partial */
    SA_ERR_KERBEROS,    /* Kerberos library failure outside a ticket probe */
    SA_ERR_SYSTEM,      /* out of memory, I/O */
} sa_status;

#define SA_ERROR_MAX 1024

typedef struct sa_error {
    sa_status status;
    char message[SA_ERROR_MAX];
} sa_error;

/* Record an error; returns status so callers can write
 * `ret = sa_error_set(err, SA_ERR_..., "...")`.  err may be NULL. */
sa_status sa_error_set(sa_error *err, sa_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Out-of-memory shortcut. */
sa_status sa_error_nomem(sa_error *err);

/* "usage", "credentials", ... for messages. */
const char *sa_status_name(sa_status status);

#endif
