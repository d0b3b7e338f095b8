/* cert.h - the certificates OpsMgr uses where Kerberos cannot work: what
 * is read from a certificate file (cert_read.c, cert_x509.c, with
 * OpenSSL), as plain data, and the checks on that data (cert_checks.c:
 * pure functions, each failure a finding with its OpsMgr events). */
#ifndef SPNAUDIT_CERT_H
#define SPNAUDIT_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spnaudit/cert_template.h"
#include "spnaudit/directory.h"
#include "spnaudit/error.h"
#include "spnaudit/finding.h"
#include "spnaudit/strv.h"

/* The private key, as far as the file tells. */
typedef enum sa_cert_key {
    SA_CERT_KEY_NOT_IN_FILE, /* a certificate file (PEM or DER) without a key: not checked */
    SA_CERT_KEY_ABSENT,      /* a PKCS#12 file without the certificate's key */
    SA_CERT_KEY_MATCHES,     /* present and the certificate's */
    SA_CERT_KEY_MISMATCH,    /* present, but another certificate's */
} sa_cert_key;

typedef enum sa_cert_chain {
    SA_CERT_CHAIN_NOT_CHECKED,
    SA_CERT_CHAIN_OK,     /* builds to a trust anchor */
    SA_CERT_CHAIN_FAILED, /* chain_error says why, chain_missing the link not found */
} sa_cert_chain;

/* Windows' KEY_SPEC, from the PKCS#12 key's key usage attribute. */
typedef enum sa_cert_key_spec {
    SA_CERT_KEY_SPEC_NOT_SAID = 0,
    SA_CERT_KEY_SPEC_EXCHANGE = 1,  /* AT_KEYEXCHANGE */
    SA_CERT_KEY_SPEC_SIGNATURE = 2, /* AT_SIGNATURE */
} sa_cert_key_spec;

/* One certificate as read.  Every string is from the file: untrusted. */
typedef struct sa_cert {
    char *source;           /* the file, and which certificate of it when several */
    char *host;             /* the host it is for: --host, else its own name; NULL if none */
    bool host_given;        /* host came from --host */
    char *subject, *issuer; /* one line, RFC 2253 */
    char *subject_cn;       /* the (last) common name of the subject, or NULL */
    sa_strv san_dns;        /* the DNS names of the subject alternative name, in order */
    bool has_eku, eku_server_auth, eku_client_auth;
    bool has_key_usage, ku_digital_signature, ku_key_encipherment;
    bool dates_read;               /* the validity could be read (else not checked) */
    int64_t not_before, not_after; /* seconds since the epoch, UTC */
    char *key_type;                /* "RSA", "EC", ... */
    int key_bits;
    char *signature;       /* the signature algorithm, e.g. sha256WithRSAEncryption */
    bool signature_weak;   /* SHA-1 or MD5 */
    char *serial;          /* upper-case hex, as certutil shows it */
    char *serial_registry; /* its bytes reversed: MOMCertImport's ChannelCertificateSerialNumber */
    char *thumbprint;      /* SHA-1 of the DER, upper-case hex */
    sa_cert_key key;
    bool pkcs12; /* read from a PKCS#12 file: csp and key_spec below were looked for */
    char *csp;   /* the Microsoft CSP name bag attribute (1.3.6.1.4.1.311.17.1), or NULL */
    sa_cert_key_spec key_spec;
    sa_cert_chain chain;
    char *chain_error;   /* what the verification said, or NULL */
    char *chain_missing; /* the issuer that was not found (a subject name), or NULL */
} sa_cert;

typedef struct sa_certs {
    sa_cert *items;
    size_t n, cap;
} sa_certs;

/* Where trust anchors come from: a file and/or a directory of CA
 * certificates (c_rehash names), else the system's store. */
typedef struct sa_cert_trust {
    const char *ca_file;
    const char *ca_dir;
} sa_cert_trust;

/* The trust anchors, read once for a whole run (sa_cert_store_open). */
typedef struct sa_cert_store sa_cert_store;

/* Read the trust anchors of trust into *out; SA_ERR_USAGE with the
 * reason when they cannot be read. */
sa_status sa_cert_store_open(const sa_cert_trust *trust, sa_cert_store **out, sa_error *err);
void sa_cert_store_close(sa_cert_store *store);

/* How a file is read: its password when it is PKCS#12 (NULL: none), the
 * host it is for (NULL: each certificate's own name), the trust anchors. */
typedef struct sa_cert_request {
    const char *path;
    const char *password;
    const char *host;
    const sa_cert_store *store;
} sa_cert_request;

/* Read the end-entity certificates of a file (PKCS#12, PEM or DER,
 * recognised by content) into out, each with its private key state,
 * PKCS#12 attributes and chain (the file's CA certificates are the
 * intermediates).  A file that cannot be read, is not a certificate file,
 * or whose PKCS#12 password is wrong: an error that says which and why
 * (SA_ERR_USAGE for a wrong password, SA_ERR_SYSTEM otherwise), and out is
 * unchanged. */
sa_status sa_cert_read_file(const sa_cert_request *req, sa_certs *out, sa_error *err);

/* The same for one DER certificate in memory (a value of a computer
 * object's userCertificate): req->path names where it came from, in
 * messages and as the certificate's source; no key, no intermediates. */
sa_status sa_cert_read_der(const sa_cert_request *req, const unsigned char *der, size_t len, sa_certs *out,
                           sa_error *err);

/* The checks, as of now (epoch seconds): a finding in out for each
 * problem of c (subject: c->source; server: c->host), expiring within
 * expiry_days a warning.  False on out of memory. */
bool sa_cert_check(const sa_cert *c, int64_t now, int expiry_days, sa_findings *out);

/* Is name the host (ASCII case-insensitive, a trailing dot ignored)? */
bool sa_cert_name_is(const char *name, const char *host);

/* Whole days from now to c's end of validity (negative once expired). */
long sa_cert_days_left(const sa_cert *c, int64_t now);

void sa_certs_clear(sa_certs *list);

/* The certificate work where Kerberos cannot carry a path from clients
 * (in words: "each agent of fabrikam.test", "the gateway gw01...") to
 * servers (their FQDNs; NULL or none: each management server of
 * servers_domain): one line per thing to do, appended to out; false on
 * out of memory. */
bool sa_cert_work(const char *clients, const sa_strv *servers, const char *servers_domain, sa_strv *out);

/* sa_cert_work for the agents of a domain, or for a gateway, by name. */
typedef enum sa_cert_work_clients { SA_CERT_WORK_AGENTS, SA_CERT_WORK_GATEWAY } sa_cert_work_clients;
bool sa_cert_work_of(sa_cert_work_clients kind, const char *name, const sa_strv *servers,
                     const char *servers_domain, sa_strv *out);

/* ------------------------------------------------------------ a run */

/* Asks for the password of the PKCS#12 files (a prompt): into *password,
 * wiped and freed by the run. */
typedef sa_status (*sa_cert_ask_fn)(void *ctx, const char *path, char **password, sa_error *err);

typedef struct sa_cert_run_config {
    const sa_strv *paths; /* the files, in order */
    const sa_strv *hosts; /* --host: none, one for every file, or one per file */
    const char *password; /* for the PKCS#12 files, or NULL */
    sa_cert_ask_fn ask;   /* else asked once, when a file needs one (NULL: never) */
    void *ask_ctx;
    const char *password_how; /* how to give one, for the file that needs it ("give it with ...") */
    const sa_cert_trust *trust;
    int64_t now; /* the checks' time */
    int expiry_days;
} sa_cert_run_config;

typedef struct sa_cert_run {
    sa_certs certs;
    sa_cert_templates templates; /* cert --templates: as read */
    bool templates_read;         /* they were (else not asked for, or said in unread) */
    size_t templates_left_out;   /* beyond the bound: not read */
    sa_findings findings; /* sorted: worst first */
    sa_strv unread;       /* "FILE: why", or "HOST: why" */
    /* from the directory: unread's hosts and whys, apart, [i] for [i] */
    sa_strv unread_hosts, unread_why;
    char *asked;          /* the password asked for, if it was */
    int exit_status;      /* 0, 1 warnings, 2 failures, 3 a file not read */
} sa_cert_run;

/* Read and check every file; a file that cannot be read is said in
 * run->unread (the run goes on), never a finding.  SA_ERR_USAGE when the
 * hosts do not pair with the paths or the trust anchors cannot be read,
 * SA_ERR_SYSTEM on out of memory. */
sa_status sa_cert_run_files(const sa_cert_run_config *cfg, sa_cert_run *run, sa_error *err);
/* The directory's side: the certificates published on hosts' computer
 * objects (cert_dir.c). */
/* A bound connection to domain, the caller's (as trustaudit.h's). */
typedef sa_status (*sa_cert_dir_fn)(void *ctx, const char *domain, sa_dir **dir, sa_error *err);

typedef struct sa_cert_dir_config {
    const sa_strv *hosts;   /* FQDNs, in order */
    const sa_strv *domains; /* the domains read: a host goes to the longest it is
                               under, else to its DNS suffix */
    sa_cert_dir_fn dir_for;
    void *dir_ctx;
    const sa_cert_trust *trust;
    int64_t now;
    int expiry_days;
    bool templates; /* the forest's certificate templates too (from the first domain's DC) */
} sa_cert_dir_config;

/* Read and check the certificates of every host; a host that cannot be
 * checked (its domain not read, no object, two objects, no certificate
 * published) is said in run->unread.  SA_ERR_USAGE when the trust anchors
 * cannot be read, SA_ERR_SYSTEM on out of memory. */
sa_status sa_cert_run_directory(const sa_cert_dir_config *cfg, sa_cert_run *run, sa_error *err);

void sa_cert_run_clear(sa_cert_run *run);

/* The regular files of directory dir (not its dot files, not below it),
 * sorted by name, appended to paths: at most SA_CERT_DIR_MAX_FILES, else
 * SA_ERR_USAGE (and a directory that cannot be read). */
#define SA_CERT_DIR_MAX_FILES 10000
sa_status sa_cert_dir_files(const char *dir, sa_strv *paths, sa_error *err);

/* trusts and plan --cert-dir: the files of dir (sa_cert_dir_files), each
 * read and checked by sa_cert_run_files against ca_file (NULL: the
 * system's store), a PFX opened with the first line of password_file
 * (NULL: none; a PFX that wants one is said, naming password_option),
 * the expiry warning 30 days. */
sa_status sa_cert_run_dir(const char *dir, const char *ca_file, const char *password_file,
                          const char *password_option, sa_cert_run *run, sa_error *err);

/* plan --cert-dir (cert_cover.c): one line a party, into out: for the
 * agents of domain name (kind AGENTS) or the gateway name, then each of
 * servers, the certificates of run that are for it (by their host) and
 * whether they have failures; dir names where they came from.
 * *all_usable: every party has a certificate without failures.  False on
 * out of memory. */
bool sa_cert_cover(const sa_cert_run *run, const char *dir, sa_cert_work_clients kind, const char *name,
                   const sa_strv *servers, sa_strv *out, bool *all_usable);

#endif
