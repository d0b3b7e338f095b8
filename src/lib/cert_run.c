/* cert_run.c - "spnaudit cert" on files: each read for its host, its
 * certificates checked, the files that could not be read said; the
 * password of the PKCS#12 files asked for once, when one needs it. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cert_internal.h"
#include "spnaudit/cert.h"
#include "spnaudit/display.h"
#include "spnaudit/secret.h"

/* The host of path number i: --host pairs with the paths one to one, or
 * one serves them all. */
static const char *
host_of(const sa_cert_run_config *cfg, size_t i)
{
    size_t n = cfg->hosts ? cfg->hosts->n : 0;

    return n == 0 ? NULL : n == 1 ? cfg->hosts->items[0] : cfg->hosts->items[i];
}

/* "FILE: why" into run->unread; false on out of memory. */
static bool
not_read(sa_cert_run *run, const char *why)
{
    return sa_strv_add(&run->unread, why);
}

/* One file into run->certs; only out of memory is an error. */
static sa_status
read_one(const sa_cert_run_config *cfg, const sa_cert_store *store, sa_cert_run *run, size_t i, sa_error *err)
{
    const char *password = cfg->password ? cfg->password : run->asked;
    sa_cert_request req = {cfg->paths->items[i], password, host_of(cfg, i), store};
    sa_error why = {SA_OK, ""};
    sa_status st = sa_cert_read_file(&req, &run->certs, &why);

    if (st == SA_ERR_CREDENTIALS && password == NULL && cfg->ask != NULL) {
        st = cfg->ask(cfg->ask_ctx, req.path, &run->asked, &why);
        if (st == SA_OK) {
            req.password = run->asked;
            st = sa_cert_read_file(&req, &run->certs, &why);
        }
    }
    if (st == SA_OK)
        return SA_OK;
    if (st == SA_ERR_SYSTEM && strcmp(why.message, "out of memory") == 0)
        return sa_error_nomem(err);
    if (st == SA_ERR_CREDENTIALS && cfg->password_how != NULL) {
        char *line = sa_strdup_printf("%s: %s", why.message, cfg->password_how);
        bool ok = line != NULL && not_read(run, line);
        free(line);
        return ok ? SA_OK : sa_error_nomem(err);
    }
    return not_read(run, why.message) ? SA_OK : sa_error_nomem(err);
}

sa_status
sa_cert_run_files(const sa_cert_run_config *cfg, sa_cert_run *run, sa_error *err)
{
    size_t hosts = cfg->hosts ? cfg->hosts->n : 0;
    sa_cert_store *store = NULL;
    sa_status st;

    if (hosts > 1 && hosts != cfg->paths->n)
        return sa_error_set(err, SA_ERR_USAGE,
                            "%zu --host for %zu files: give one --host for all of them, or one per file, "
                            "in the files' order",
                            hosts, cfg->paths->n);
    if ((st = sa_cert_store_open(cfg->trust, &store, err)) != SA_OK)
        return st;
    for (size_t i = 0; st == SA_OK && i < cfg->paths->n; i++)
        st = read_one(cfg, store, run, i, err);
    if (st == SA_OK)
        st = sa_cert_run_check(run, cfg->now, cfg->expiry_days, err);
    sa_cert_store_close(store);
    if (st == SA_OK)
        sa_cert_run_finish(run);
    return st;
}

sa_status
sa_cert_run_check(sa_cert_run *run, int64_t now, int expiry_days, sa_error *err)
{
    for (size_t i = 0; i < run->certs.n; i++) {
        if (!sa_cert_check(&run->certs.items[i], now, expiry_days, &run->findings))
            return sa_error_nomem(err);
    }
    return SA_OK;
}

void
sa_cert_run_finish(sa_cert_run *run)
{
    sa_findings_sort(&run->findings);
    run->exit_status = sa_findings_exit_status(&run->findings, run->unread.n == 0);
}

void
sa_cert_run_clear(sa_cert_run *run)
{
    sa_certs_clear(&run->certs);
    sa_cert_templates_clear(&run->templates);
    sa_findings_clear(&run->findings);
    sa_strv_clear(&run->unread);
    sa_strv_clear(&run->unread_hosts);
    sa_strv_clear(&run->unread_why);
    sa_secret_free(run->asked);
    memset(run, 0, sizeof(*run));
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

sa_status
sa_cert_dir_files(const char *dir, sa_strv *paths, sa_error *err)
{
    DIR *d = opendir(dir);
    sa_strv found = {NULL, 0, 0};
    struct dirent *e;
    sa_status ret = SA_OK;

    if (d == NULL)
        return sa_error_set(err, SA_ERR_USAGE, "the directory %s cannot be read: %s", dir, strerror(errno));
    while (ret == SA_OK && (errno = 0, e = readdir(d)) != NULL) {
        struct stat st;
        char *path;
        bool regular;

        if (e->d_name[0] == '.')
            continue;
        path = sa_strdup_printf("%s/%s", dir, e->d_name);
        regular = path != NULL && stat(path, &st) == 0 && S_ISREG(st.st_mode);
        if (path == NULL)
            ret = sa_error_nomem(err);
        else if (regular && found.n >= SA_CERT_DIR_MAX_FILES)
            ret = sa_error_set(err, SA_ERR_USAGE, "the directory %s holds more than %d files", dir,
                               SA_CERT_DIR_MAX_FILES);
        else if (regular && !sa_strv_add(&found, path))
            ret = sa_error_nomem(err);
        free(path);
    }
    if (ret == SA_OK && errno != 0)
        ret = sa_error_set(err, SA_ERR_SYSTEM, "reading the directory %s: %s", dir, strerror(errno));
    closedir(d);
    if (found.n > 1)
        qsort(found.items, found.n, sizeof(*found.items), by_name);
    for (size_t i = 0; ret == SA_OK && i < found.n; i++) {
        if (!sa_strv_add(paths, found.items[i]))
            ret = sa_error_nomem(err);
    }
    sa_strv_clear(&found);
    return ret;
}

sa_status
sa_cert_run_dir(const char *dir, const char *ca_file, const char *password_file, const char *password_option,
                sa_cert_run *run, sa_error *err)
{
    sa_strv paths = {NULL, 0, 0};
    sa_cert_trust trust = {ca_file, NULL};
    char *password = NULL, *how = NULL;
    sa_status st = SA_OK;

    if (password_file != NULL)
        st = sa_secret_from_file(password_file, &password, err);
    if (st == SA_OK)
        st = sa_cert_dir_files(dir, &paths, err);
    if (st == SA_OK && (how = sa_strdup_printf("give it with %s", password_option)) == NULL)
        st = sa_error_nomem(err);
    if (st == SA_OK)
        st = sa_cert_run_files(
            &(sa_cert_run_config){&paths, NULL, password, NULL, NULL, how, &trust, (int64_t)time(NULL), 30},
            run, err);
    free(how);
    sa_secret_free(password);
    sa_strv_clear(&paths);
    return st;
}
