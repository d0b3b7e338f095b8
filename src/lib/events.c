/* events.c - the OpsMgr Connector events of mutual authentication: what
 * each means and its usual causes, from the OpsMgr 2007 documentation and
 * the field list of mutual-authentication events (see README, "Sources");
 * and which checks of this tool show each, read from the tables of the
 * findings, the ticket causes and the trust verdicts. */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/events.h"
#include "spnaudit/finding.h"
#include "spnaudit/krbcause.h"
#include "spnaudit/strv.h"
#include "spnaudit/trust.h"

#define CERT_CHECK "spnaudit cert checks the certificate file (a PFX exported with its key shows the most); "

static const sa_event_info events[] = {
    {20050,
     "Enhanced key usage error",
     "The certificate offered for mutual authentication does not carry the enhanced key usage OpsMgr "
     "needs.",
     {"the certificate was issued with the wrong OIDs in its enhanced key usage (OpsMgr wants Server "
      "Authentication and Client Authentication)",
      "a certificate template made for another purpose was used", NULL},
     CERT_CHECK "check the Enhanced Key Usage of the certificate in the computer account's Personal "
                "store (certutil -v -store my), and issue a new one from a template with both "
                "authentication OIDs if they are missing."},
    {20057,
     "Could not connect to MSOMHSvc/<server>: mutual authentication failed",
     "The OpsMgr Connector could not authenticate the server mutually with Kerberos: it asks to verify "
     "that the server's MSOMHSvc SPN is registered.",
     {"the MSOMHSvc SPN of the server is not registered, or is on another account than the one the "
      "Health Service runs as",
      "the server is in a separate forest and no two-way forest trust joins the forests",
      "no authority could be contacted (error 0x80090311): a firewall blocks TCP/UDP 88 or TCP 389 "
      "between the agent and its domain controllers",
      NULL},
     NULL},
    {20068,
     "Certificate has an unusable or no private key",
     "The certificate configured for OpsMgr has no private key, or one the Health Service cannot use.",
     {"the certificate was imported without its private key", "the private key is damaged or not accessible",
      NULL},
     CERT_CHECK "check that the certificate has its private key (certutil -verifystore my SERIAL), "
                "and import it again from a PFX file that holds the key, with MOMCertImport."},
    {20069,
     "Wrong type of certificate (KEY_SPEC)",
     "The certificate's key is of the wrong type for OpsMgr, or the certificate carries the wrong OIDs.",
     {"the key was made for signatures only instead of key exchange (KeySpec 1)",
      "the certificate carries the wrong OIDs", NULL},
     CERT_CHECK "check the key spec and the OIDs of the certificate (certutil -v -store my), and "
                "request a new one with a key exchange key from a suitable template."},
    {20070,
     "Connected, but the connection was closed right after authentication",
     "Authentication succeeded, then the server closed the connection: a general indicator that says "
     "little about the source.",
     {"the agent is not authorized to talk to the server: a manually installed agent waiting in "
      "Pending Management",
      "the server has not received its configuration yet", "many other reasons", NULL},
     "No spnaudit check can see this: look in the Operations console under Administration, Pending "
     "Management, and at the events logged before it on the agent and the server."},
    {20072,
     "Remote certificate not trusted",
     "The certificate the other side presented was issued by a certification authority this computer "
     "does not trust.",
     {"the CA chain of the remote certificate (root to issuer) is not in the Trusted Root Certification "
      "Authorities store of the local computer account",
      NULL},
     CERT_CHECK "import the CA chain of the remote certificate into the computer account's Trusted "
                "Root Certification Authorities store; certutil -verify shows the chain."},
    {20075,
     "Unable to obtain subject or issuer from certificate",
     "The subject (common name) or the issuing authority of the local certificate could not be read; "
     "rarely seen in practice.",
     {"a damaged or unusual certificate", NULL},
     CERT_CHECK "check the subject and issuer of the local certificate (certutil -v -store my)."},
    {20076,
     "Unable to obtain subject or issuer from remote certificate",
     "The subject (common name) or the issuing authority of the certificate the other side presented "
     "could not be read; rarely seen in practice.",
     {"a damaged or unusual certificate on the other side", NULL},
     CERT_CHECK "check the subject and issuer of the certificate on the other computer."},
    {20077,
     "Certificate cannot be queried for property information",
     "The properties of the certificate could not be read.",
     {"the certificate was imported without its private key", NULL},
     CERT_CHECK "check that the certificate has its private key (certutil -verifystore my SERIAL), "
                "and import it again with the key, with MOMCertImport."},
    {21001,
     "Could not connect to MSOMHSvc/<fqdn>: mutual authentication failed",
     "The OpsMgr Connector could not authenticate the server mutually with Kerberos: it asks to verify "
     "that the server's MSOMHSvc SPN is registered.",
     {"the MSOMHSvc SPN of the server is not registered, or is on another account than the one the "
      "Health Service runs as",
      "across domains, no full (two-way) trust joins the agent's domain to the server's", NULL},
     NULL},
    {21005,
     "DNS resolution failed",
     "The agent (or gateway) could not resolve the name of its management server or gateway.",
     {"no DNS record for the server's name, or the wrong name configured",
      "the agent asks a DNS server that does not know the server's zone", NULL},
     "spnaudit resolves the names from the host it runs on: resolve them on the agent and the gateway "
     "too (nslookup)."},
    {21006,
     "TCP connection to <server>:5723 failed",
     "The OpsMgr Connector could not open a TCP connection to the server's port 5723 (errors such as "
     "10061, refused, or 10060, timed out).",
     {"a firewall between the two computers blocks TCP 5723",
      "the wrong management group name and management server were entered", NULL},
     "spnaudit connects from the host it runs on: test from the agent too (Test-NetConnection SERVER "
     "-Port 5723, or telnet SERVER 5723), in both directions."},
    {21007,
     "Not in a trusted domain: cannot create a mutually authenticated connection",
     "Kerberos cannot be used between the two computers, and the certificates that would replace it "
     "are not available.",
     {"the agent's domain has no two-way trust to the server's (or no forest trust across forests)",
      "the domains are joined by an external trust only: OpsMgr does not use Kerberos across it",
      "the computer is not in a domain (workgroup, DMZ), and its certificates are missing or wrong", NULL},
     CERT_CHECK "where certificates are needed, retrace their set-up on both sides (MOMCertImport, "
                "certutil -verifystore my)."},
    {21008,
     "Untrusted target",
     "The target could not be trusted for mutual authentication.",
     {"the domain of the target is not trusted", "no domain controller (KDC) could be reached",
      "the names do not resolve", NULL},
     "Check name resolution and network connectivity from the agent to its domain controllers "
     "(TCP/UDP 88, TCP 389, DNS)."},
    {21016,
     "Unable to set up a communications channel and no failover hosts",
     "The OpsMgr Connector could not set up a channel to the server and has no other server to fail "
     "over to: a general indicator of failed authentication that says little about the source.",
     {"the agent is waiting in Pending Management", "duplicate MSOMHSvc SPNs: the same SPN on two accounts",
      "any other authentication failure", NULL},
     "Look at the events logged just before it on both sides, and explain those."},
    {21035,
     "SPN registration failed; Kerberos authentication will not work",
     "The Health Service could not register its MSOMHSvc SPNs on its computer account, so agents "
     "cannot authenticate it with Kerberos.",
     {"the computer account may not write its own servicePrincipalName",
      "the SPN is held by another account already", "the server has no computer account", NULL},
     NULL},
    {21036,
     "The certificate in the registry cannot be used: private key missing",
     "The certificate named in the registry for OpsMgr has no private key.",
     {"the certificate was exported without its key and registered from the command line",
      "the certificate was copied between stores in the Certificates snap-in", NULL},
     CERT_CHECK "import the certificate again from a PFX file that holds the private key, with "
                "MOMCertImport."},
    {26371,
     "SDK SPN not registered (Data Access service)",
     "The MSOMSdkSvc SPN of the Data Access (SDK) service is missing or on the wrong account; consoles "
     "fall back from Kerberos.",
     {"MSOMSdkSvc not registered for the server", "MSOMSdkSvc on another account than the SDK service's",
      NULL},
     NULL},
};

const sa_event_info *
sa_event_lookup(int id)
{
    for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
        if (events[i].id == id)
            return &events[i];
    }
    return NULL;
}

const sa_event_info *
sa_event_table(size_t *count)
{
    *count = sizeof(events) / sizeof(events[0]);
    return events;
}

static bool
has_event(const int *events_of, size_t n, int id)
{
    for (size_t i = 0; i < n && events_of[i] != 0; i++) {
        if (events_of[i] == id)
            return true;
    }
    return false;
}

static bool
add_check(sa_event_checks *list, sa_check_source source, const char *code, const char *summary)
{
    sa_event_check *items = sa_grow(list->items, &list->cap, list->n, sizeof(*list->items), 8);

    if (items == NULL)
        return false;
    list->items = items;
    list->items[list->n++] = (sa_event_check){source, code, summary};
    return true;
}

/* The certificate checks' findings are the CERT_ kinds, the template
 * checks' the TEMPLATE_ kinds. */
static sa_check_source
kind_source(sa_finding_kind kind)
{
    const char *code = sa_finding_kind_code(kind);

    return strncmp(code, "CERT_", 5) == 0       ? SA_CHECK_CERT
           : strncmp(code, "TEMPLATE_", 9) == 0 ? SA_CHECK_TEMPLATE
                                                : SA_CHECK_FINDING;
}

sa_status
sa_event_checks_for(int id, sa_event_checks *out, sa_error *err)
{
    const sa_verdict_outcome *outcomes;
    size_t n_outcomes;
    bool ok = true;

    for (int k = 0; ok && k < SA_F_KIND_COUNT; k++) {
        const int *ev = NULL;
        size_t n = sa_finding_kind_events((sa_finding_kind)k, &ev);
        if (has_event(ev, n, id))
            ok = add_check(out, kind_source((sa_finding_kind)k), sa_finding_kind_code((sa_finding_kind)k),
                           sa_finding_kind_summary((sa_finding_kind)k));
    }
    for (int c = SA_KC_NONE + 1; ok && c <= SA_KC_OTHER; c++) {
        const sa_krb_cause_info *info = sa_krb_cause_describe((sa_krb_cause)c);
        if (has_event(info->events, sizeof(info->events) / sizeof(info->events[0]), id))
            ok = add_check(out, SA_CHECK_TICKET, info->finding_code, info->summary);
    }
    outcomes = sa_verdict_outcomes(&n_outcomes);
    for (size_t i = 0; ok && i < n_outcomes; i++) {
        if (has_event(outcomes[i].events, SA_VERDICT_MAX_EVENTS, id))
            ok =
                add_check(out, SA_CHECK_VERDICT, sa_verdict_kind_name(outcomes[i].kind), outcomes[i].summary);
    }
    return ok ? SA_OK : sa_error_nomem(err);
}

bool
sa_check_lookup(const char *code, sa_check_info *out)
{
    for (int k = 0; k < SA_F_KIND_COUNT; k++) {
        const sa_finding_kind kind = (sa_finding_kind)k;
        if (strcasecmp(code, sa_finding_kind_code(kind)) == 0) {
            *out = (sa_check_info){kind_source(kind),
                                   sa_finding_kind_code(kind),
                                   sa_finding_kind_summary(kind),
                                   sa_finding_kind_severity(kind),
                                   NULL,
                                   0,
                                   NULL};
            out->n_events = sa_finding_kind_events(kind, &out->events);
            return true;
        }
    }
    for (int c = SA_KC_NONE + 1; c <= SA_KC_OTHER; c++) {
        const sa_krb_cause_info *info = sa_krb_cause_describe((sa_krb_cause)c);
        size_t n = 0;
        if (strcasecmp(code, info->finding_code) != 0)
            continue;
        while (n < sizeof(info->events) / sizeof(info->events[0]) && info->events[n] != 0)
            n++;
        *out = (sa_check_info){
            SA_CHECK_TICKET, info->finding_code, info->summary, SA_SEV_FAILURE, info->events, n, info->fix};
        return true;
    }
    return false;
}

void
sa_event_checks_clear(sa_event_checks *list)
{
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

const char *
sa_check_source_name(sa_check_source source)
{
    switch (source) {
    case SA_CHECK_FINDING:
        return "finding";
    case SA_CHECK_TICKET:
        return "ticket";
    case SA_CHECK_VERDICT:
        return "verdict";
    case SA_CHECK_CERT:
        return "certificate";
    case SA_CHECK_TEMPLATE:
        return "template";
    }
    return "unknown";
}

const char *const *
sa_check_source_commands(sa_check_source source)
{
    static const char *const audit[] = {"audit", NULL}, *const tickets[] = {"audit", "probe", NULL},
                             *const verdicts[] = {"trusts", "plan", NULL}, *const certs[] = {"cert", NULL},
                             *const none[] = {NULL};

    switch (source) {
    case SA_CHECK_FINDING:
        return audit;
    case SA_CHECK_TICKET:
        return tickets;
    case SA_CHECK_VERDICT:
        return verdicts;
    case SA_CHECK_CERT:
    case SA_CHECK_TEMPLATE: /* the templates are read for cert */
        return certs;
    }
    return none;
}
