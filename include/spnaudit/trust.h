/* trust.h - Active Directory trusts (trustedDomain objects), decoded, and
 * the verdict OpsMgr's mutual authentication depends on: can an agent of
 * one domain and a management server (or gateway) of another authenticate
 * each other with Kerberos, and by which chain of trusts?  Pure logic on
 * plain data: the directory code fills the trusts in. */
#ifndef SPNAUDIT_TRUST_H
#define SPNAUDIT_TRUST_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/error.h"
#include "spnaudit/fix.h"

/* trustType */
#define SA_TRUST_TYPE_DOWNLEVEL 1 /* NT4: no Kerberos */
#define SA_TRUST_TYPE_UPLEVEL 2   /* Active Directory */
#define SA_TRUST_TYPE_MIT 3       /* a Kerberos realm */
#define SA_TRUST_TYPE_DCE 4
#define SA_TRUST_TYPE_AAD 5

/* trustDirection, as seen from the domain holding the object */
#define SA_TRUST_DIR_DISABLED 0
#define SA_TRUST_DIR_INBOUND 1  /* the partner trusts this domain */
#define SA_TRUST_DIR_OUTBOUND 2 /* this domain trusts the partner */
#define SA_TRUST_DIR_BOTH 3

/* trustAttributes */
#define SA_TRUST_NON_TRANSITIVE 0x1u
#define SA_TRUST_UPLEVEL_ONLY 0x2u
#define SA_TRUST_QUARANTINED_DOMAIN 0x4u  /* SID filtering */
#define SA_TRUST_FOREST_TRANSITIVE 0x8u   /* a forest trust */
#define SA_TRUST_CROSS_ORGANIZATION 0x10u /* selective authentication */
#define SA_TRUST_WITHIN_FOREST 0x20u      /* parent-child or tree-root */
#define SA_TRUST_TREAT_AS_EXTERNAL 0x40u
#define SA_TRUST_USES_RC4_ENCRYPTION 0x80u
#define SA_TRUST_USES_AES_KEYS 0x100u
#define SA_TRUST_CROSS_ORGANIZATION_NO_TGT_DELEGATION 0x200u
#define SA_TRUST_PIM_TRUST 0x400u
#define SA_TRUST_CROSS_ORGANIZATION_ENABLE_TGT_DELEGATION 0x800u

typedef struct sa_trust {
    char *domain;  /* DNS name of the domain holding the trustedDomain object */
    char *partner; /* trustPartner: DNS name (NetBIOS for a downlevel trust) */
    char *flat;    /* flatName (NetBIOS), or NULL */
    char *sid;     /* securityIdentifier as S-1-5-..., or NULL */
    int type;
    int direction;
    unsigned attributes;
    bool has_enctypes;
    unsigned enctypes; /* msDS-SupportedEncryptionTypes */
} sa_trust;

typedef struct sa_trusts {
    sa_trust *items;
    size_t n;
    size_t cap;
} sa_trusts;

/* A new zeroed trust at the end of the list; NULL on out of memory. */
sa_trust *sa_trusts_add(sa_trusts *list);
void sa_trusts_clear(sa_trusts *list);
/* Add a trust from plain values (strings copied; flat and sid may be NULL). */
bool sa_trusts_add_values(sa_trusts *list, const char *domain, const char *partner, const char *flat,
                          const char *sid, int type, int direction, unsigned attributes);

/* The longest SID as text (15 sub-authorities), with its NUL. */
#define SA_SID_TEXT_MAX 192

/* A binary SID (as LDAP returns objectSid or securityIdentifier) as text,
 * S-1-5-21-...; false if malformed or buf too small. */
bool sa_sid_to_text(const unsigned char *sid, size_t len, char *buf, size_t size);

/* A crossRef object of the forest's Partitions container names a domain
 * of the forest when its systemFlags have FLAG_CR_NTDS_NC (0x1) and
 * FLAG_CR_NTDS_DOMAIN (0x2): not the Configuration or Schema partitions
 * (0x1 alone), nor application partitions such as the DNS zones (0x5),
 * nor a crossRef for another directory (0); and when it is not disabled
 * (enabled FALSE: a domain created in advance, not promoted yet).
 * enabled is the attribute's value, or NULL when absent. */
bool sa_crossref_is_forest_domain(unsigned system_flags, const char *enabled);

typedef enum sa_trust_kind {
    SA_TK_PARENT_CHILD,
    SA_TK_TREE_ROOT,
    SA_TK_FOREST,
    SA_TK_EXTERNAL,
    SA_TK_REALM,
    SA_TK_DOWNLEVEL,
    SA_TK_OTHER,
} sa_trust_kind;

/* How administrators name the trust: WITHIN_FOREST is parent-child when
 * one name is under the other, else tree-root; FOREST_TRANSITIVE a forest
 * trust; UPLEVEL without either an external trust; MIT a realm trust;
 * DOWNLEVEL an NT4-style one. */
sa_trust_kind sa_trust_classify(const sa_trust *t);
const char *sa_trust_kind_name(sa_trust_kind kind);
/* "two-way", "outbound", "inbound", "disabled" (or "unknown"). */
const char *sa_trust_direction_name(int direction);
/* The direction as the partner sees it (inbound <-> outbound). */
int sa_trust_direction_flip(int direction);
bool sa_trust_transitive(const sa_trust *t);
/* The attribute names, comma-separated ("none" for 0; unknown bits as
 * 0x...), in a malloc'd string. */
char *sa_trust_attributes_text(unsigned attributes);

typedef enum sa_verdict_kind {
    SA_VERDICT_KERBEROS,     /* mutual authentication with Kerberos works */
    SA_VERDICT_SELECTIVE,    /* works only where "Allowed to Authenticate" is granted */
    SA_VERDICT_CERTIFICATES, /* Kerberos cannot work: certificates required */
    SA_VERDICT_NOT_ALLOWED,  /* selective, and a server does not grant the right */
} sa_verdict_kind;

#define SA_VERDICT_MAX_EVENTS 4

typedef struct sa_verdict {
    sa_verdict_kind kind;
    char *path;      /* "contoso.test -> fabrikam.test (forest, two-way)", or "" */
    char *why;       /* one sentence */
    char *recommend; /* what to build or change; "" when nothing */
    sa_fix fix;      /* the commands in recommend, as data (none: empty) */
    int events[SA_VERDICT_MAX_EVENTS];
    size_t n_events;
    long trust; /* index of the deciding trust, or -1 */
} sa_verdict;

/* The verdict for agents of agent_domain and a management server or gateway
 * of server_domain, from the trusts read (either side's objects, or both).
 * Rules: the same domain, or the same forest (within-forest trusts are
 * two-way and transitive): Kerberos.  Across forests only a two-way forest
 * trust between the two forests (forest trusts do not chain through a
 * third forest); with selective authentication, only where "Allowed to
 * Authenticate" is granted.  External, realm, NT4-style, one-way or
 * disabled trusts, and no trust at all: certificates (21007; 21008 too
 * when there is no trust). */
sa_status sa_trust_verdict(const sa_trusts *trusts, const char *agent_domain, const char *server_domain,
                           sa_verdict *out, sa_error *err);
void sa_verdict_clear(sa_verdict *v);

/* For many verdicts over one set of trusts: the graph is built once
 * (O(trusts^2) for pairing each trust's two objects), each verdict then
 * costs a breadth-first search.  The graph refers to trusts, which must
 * outlive it; one graph serves one thread at a time. */
typedef struct sa_trust_graph sa_trust_graph;
sa_trust_graph *sa_trust_graph_new(const sa_trusts *trusts); /* NULL: out of memory */
void sa_trust_graph_free(sa_trust_graph *g);
sa_status sa_trust_graph_verdict(sa_trust_graph *g, const char *agent_domain, const char *server_domain,
                                 sa_verdict *out, sa_error *err);
/* Trust i of the graph's trusts (an index in them) as the verdicts see
 * it: its direction as its domain sees it, with every object of the trust
 * counted (the strictest wins), selective authentication when any object
 * has it, and what that trust alone gives OpsMgr's Kerberos between its
 * two sides: within one forest Kerberos; between forests what it gives
 * when it decides a verdict (a two-way forest trust Kerberos, or
 * selective; any other certificates). */
typedef struct sa_trust_view {
    int direction;
    bool selective;
    bool within_forest;
    sa_verdict_kind kind;
} sa_trust_view;
void sa_trust_graph_view(sa_trust_graph *g, size_t i, sa_trust_view *out);
/* The forest of domain as the within-forest trusts join it: the same
 * number for every domain of one forest; -1 when no trust names domain. */
long sa_trust_graph_forest(sa_trust_graph *g, const char *domain);
/* "kerberos", "selective", "certificates", "not-allowed" */
const char *sa_verdict_kind_name(sa_verdict_kind kind);

/* What the DACL of one management server's or gateway's computer object
 * says of "Allowed to Authenticate" for the agents (see secdesc.h). */
typedef struct sa_server_grant {
    const char *server; /* FQDN */
    const char *dn;     /* its computer object, or NULL when not found */
    int grant;          /* sa_auth_grant; ignored when !read */
    bool read;          /* the DACL could be read */
    const char *why;    /* the deciding ACE, or why it could not be read */
} sa_server_grant;

/* A selective verdict (SA_VERDICT_SELECTIVE) settled with what the
 * servers' DACLs say for the agents of agent_domain (agent_netbios, for
 * the fix, may be NULL): granted on every server, Kerberos; denied or not
 * granted on any, SA_VERDICT_NOT_ALLOWED (21001, 20057 for those
 * servers), with the dsacls command that grants it; otherwise (a DACL
 * not read, a grant to a group whose members were not read) it stays
 * selective, saying which servers are uncertain.  Other verdicts, or no
 * servers, are left as they are. */
sa_status sa_verdict_apply_grants(sa_verdict *v, const char *agent_domain, const char *agent_netbios,
                                  const sa_server_grant *grants, size_t n, sa_error *err);

/* A verdict that leads to OpsMgr events: its kind, why, and the events
 * (0-terminated) that sa_trust_verdict gives it. */
typedef struct sa_verdict_outcome {
    sa_verdict_kind kind;
    const char *summary;
    int events[SA_VERDICT_MAX_EVENTS];
} sa_verdict_outcome;
/* Every such outcome (a static table). */
const sa_verdict_outcome *sa_verdict_outcomes(size_t *count);

#endif
