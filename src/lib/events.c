/* events.c - the OpsMgr Connector events of mutual authentication.
 * Texts from the OpsMgr 2007 documentation and the field list of
 * mutual-authentication events (see README, "Sources"). */
#include <stddef.h>

#include "spnaudit/events.h"

static const sa_event_info events[] = {
    {20050, "Enhanced key usage error", "The certificate has the wrong OID in its enhanced key usage."},
    {20057, "Could not connect to MSOMHSvc/<server>: mutual authentication failed",
     "Kerberos mutual authentication failed: usually the MSOMHSvc SPN is not registered "
     "(or not on the right account), there is no forest trust to a separate forest, "
     "or no authority could be contacted (0x80090311: firewall to TCP/UDP 88 and 389)."},
    {20068, "Certificate has an unusable or no private key",
     "The certificate's private key is missing or unusable."},
    {20069, "Wrong type of certificate (KEY_SPEC)", "The certificate has the wrong key spec or OIDs."},
    {20070, "Connected, but the connection was closed right after authentication",
     "General indicator: the agent is not authorized (pending approval) or the server "
     "has not received configuration."},
    {20072, "Remote certificate not trusted",
     "The issuing CA chain of the remote certificate is not in the Trusted Root store."},
    {20075, "Unable to obtain subject or issuer from certificate",
     "The subject or issuer could not be read from the local certificate."},
    {20076, "Unable to obtain subject or issuer from remote certificate",
     "The subject or issuer could not be read from the remote certificate."},
    {20077, "Certificate cannot be queried for property information",
     "Usually no private key was included with the certificate."},
    {21001, "Could not connect to MSOMHSvc/<fqdn>: mutual authentication failed",
     "Kerberos mutual authentication failed: verify the MSOMHSvc SPN is registered on the "
     "right account and, across domains, that a full (two-way) trust exists."},
    {21005, "DNS resolution failed", "The management server or gateway name does not resolve on the agent."},
    {21006, "TCP connection to <server>:5723 failed",
     "A firewall blocks TCP 5723, or the management group or server name is wrong."},
    {21007, "Not in a trusted domain: cannot create a mutually authenticated connection",
     "Kerberos cannot be used between these computers and certificates are needed but not "
     "configured."},
    {21008, "Untrusted target",
     "Usually an untrusted domain, or a domain controller (KDC) that cannot be reached."},
    {21016, "Unable to set up a communications channel and no failover hosts",
     "General indicator of failed authentication; duplicate MSOMHSvc SPNs cause it too."},
    {21035, "SPN registration failed; Kerberos authentication will not work",
     "The Health Service could not register its MSOMHSvc SPN on its computer account."},
    {21036, "The certificate in the registry cannot be used: private key missing",
     "The configured certificate has no private key."},
    {26371, "SDK SPN not registered (Data Access service)",
     "The MSOMSdkSvc SPN of the Data Access (SDK) service is missing or on the wrong account; "
     "consoles fall back from Kerberos."},
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
