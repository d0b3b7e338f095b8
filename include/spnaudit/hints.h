/* hints.h - what a failed connection means and what to do about it, in
 * words, added before the library's own text (kept in parentheses).  Pure
 * functions on strings: the caller gathers the facts (the DC's own name,
 * whether a name resolves). */
#ifndef SPNAUDIT_HINTS_H
#define SPNAUDIT_HINTS_H

#include <stdbool.h>
#include <stddef.h>

/* Is host an IPv4 or IPv6 address rather than a name? */
bool sa_host_is_address(const char *host);

/* Why a SASL GSSAPI bind to host failed, from the SASL diagnostic diag,
 * with what to do: into buf.  dc_name is the DC's own name (its rootDSE's
 * dnsHostName, read anonymously) or NULL.  false when diag names no cause
 * known here (buf is then empty). */
bool sa_hint_gssapi_bind(const char *host, const char *diag, const char *dc_name, char *buf, size_t size);

/* A DC named host did not answer and its name does not resolve (why:
 * gai_strerror's text): into buf. */
void sa_hint_unresolved(const char *host, const char *why, char *buf, size_t size);

/* No DC answered for domain, found neither by the SRV record qname nor
 * as the domain's own name: into buf. */
void sa_hint_no_srv(const char *domain, const char *qname, char *buf, size_t size);

/* "<uri>: <hint> (<what the message said after "<uri>: ">)": message
 * rewritten in place (size bytes), the library's text kept. */
void sa_hint_prepend(char *message, size_t size, const char *uri, const char *hint);

#endif
