/* error.c - results at the library boundary. */
#include <stdarg.h>
#include <stdio.h>

#include "spnaudit/error.h"

sa_status
sa_error_set(sa_error *err, sa_status status, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return status;
    err->status = status;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    return status;
}

sa_status
sa_error_nomem(sa_error *err)
{
    return sa_error_set(err, SA_ERR_SYSTEM, "out of memory");
}

const char *
sa_status_name(sa_status status)
{
    switch (status) {
    case SA_OK:
        return "ok";
    case SA_ERR_USAGE:
        return "usage";
    case SA_ERR_CREDENTIALS:
        return "credentials";
    case SA_ERR_DIRECTORY:
        return "directory";
    case SA_ERR_INCOMPLETE:
        return "incomplete";
    case SA_ERR_KERBEROS:
        return "kerberos";
    case SA_ERR_SYSTEM:
        return "system";
    }
    return "unknown";
}
