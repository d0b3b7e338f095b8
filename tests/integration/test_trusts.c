/* Integration tests: "spnaudit trusts" against the test domain's real
 * trusts (Samba AD DCs): a two-way forest trust, a two-way external trust,
 * a one-way forest trust and a two-way forest trust with selective
 * authentication, read from CONTOSO and from the partners.
 * Run as: testdomain.sh exec test_trusts PATH-TO-spnaudit */
#include <arpa/inet.h>
#include <check.h>
#include <graphviz/cgraph.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"
#include "run.h"
#include "text_lines.h"

const char *tool_path;
static const char *forest, *external, *oneway, *selective, *allowed_ms;

static json_object *
parse(const run_result *r)
{
    json_object *o = json_tokener_parse(r->out);

    ck_assert_msg(o != NULL, "not JSON (exit %d): %.300s / stderr: %.500s", r->status, r->out, r->err);
    return o;
}

/* The entry of array key in o whose field is value (case-insensitive). */
static json_object *
entry(json_object *o, const char *key, const char *field, const char *value, const char *field2,
      const char *value2)
{
    json_object *arr = json_object_object_get(o, key);

    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *e = json_object_array_get_idx(arr, i);
        if (strcasecmp(jget_str(e, field), value) == 0 &&
            (field2 == NULL || strcasecmp(jget_str(e, field2), value2) == 0))
            return e;
    }
    ck_abort_msg("no %s with %s=%s", key, field, value);
    return NULL;
}

static bool
has_event(json_object *v, int id)
{
    json_object *ev = json_object_object_get(v, "events");

    for (size_t i = 0; i < json_object_array_length(ev); i++) {
        if (json_object_get_int(json_object_array_get_idx(ev, i)) == id)
            return true;
    }
    return false;
}

static bool
jbool(json_object *o, const char *key)
{
    return json_object_get_boolean(json_object_object_get(o, key));
}

START_TEST(trusts_of_the_servers_domain)
{
    const char *argv[] = {"trusts", "--format", "json", NULL};
    const char *work;
    char want[256];
    run_result r;
    json_object *rep, *t, *v;

    run_tool(argv, NULL, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 2); /* certificates needed for two of them */
    ck_assert_str_eq(jget_str(rep, "domain"), "contoso.test");
    /* CONTOSO's four, and the partners' sides it could read: FABRIKAM's
     * and NORTHWIND's (CONTOSO may not enter ADATUM, which it trusts, nor
     * TAILSPIN, to which Samba's KDC issues no ticket over a selective trust) */
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(rep, "trusts")), 6);
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(rep, "not_read")), 2);
    t = entry(rep, "trusts", "domain", forest, "partner", "contoso.test");
    ck_assert_str_eq(jget_str(t, "direction"), "two-way");

    /* decoded, and the raw values kept */
    t = entry(rep, "trusts", "partner", forest, NULL, NULL);
    ck_assert_str_eq(jget_str(t, "kind"), "forest");
    ck_assert_str_eq(jget_str(t, "direction"), "two-way");
    ck_assert(jbool(t, "transitive"));
    ck_assert(!jbool(t, "selective_authentication"));
    ck_assert_int_eq(jget_int(t, "trust_type"), 2);
    ck_assert_int_eq(jget_int(t, "trust_direction"), 3);
    ck_assert_int_eq(jget_int(t, "trust_attributes"), 8);
    ck_assert_str_eq(jget_str(t, "netbios"), "FABRIKAM");
    ck_assert_ptr_nonnull(strstr(jget_str(t, "sid"), "S-1-5-21-"));
    t = entry(rep, "trusts", "partner", external, NULL, NULL);
    ck_assert_str_eq(jget_str(t, "kind"), "external");
    ck_assert(!jbool(t, "transitive"));
    ck_assert(jbool(t, "sid_filtering"));
    t = entry(rep, "trusts", "partner", oneway, NULL, NULL);
    ck_assert_str_eq(jget_str(t, "kind"), "forest");
    ck_assert_str_eq(jget_str(t, "direction"), "outbound");

    /* the verdicts for agents of each partner reporting to CONTOSO's servers */
    v = entry(rep, "verdicts", "agent_domain", forest, NULL, NULL);
    ck_assert_str_eq(jget_str(v, "verdict"), "kerberos");
    ck_assert_ptr_nonnull(strstr(jget_str(v, "path"), "(forest, two-way)"));
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(v, "events")), 0);
    v = entry(rep, "verdicts", "agent_domain", external, NULL, NULL);
    ck_assert_str_eq(jget_str(v, "verdict"), "certificates");
    ck_assert(has_event(v, 21007));
    ck_assert_ptr_nonnull(strstr(jget_str(v, "why"), "external trust"));
    ck_assert_ptr_nonnull(strstr(jget_str(v, "recommendation"), "gateway"));
    /* no servers named: the work names the servers' domain */
    snprintf(want, sizeof(want),
             "on each agent of %s and on each management server of contoso.test: ", external);
    work =
        json_object_get_string(json_object_array_get_idx(json_object_object_get(v, "certificate_work"), 0));
    ck_assert_msg(work != NULL && strncmp(work, want, strlen(want)) == 0, "%s", work ? work : "(none)");
    v = entry(rep, "verdicts", "agent_domain", oneway, NULL, NULL);
    ck_assert_str_eq(jget_str(v, "verdict"), "certificates");
    ck_assert(has_event(v, 21007));
    ck_assert_ptr_nonnull(strstr(jget_str(v, "why"), "both directions"));
    /* selective authentication, no server named: not settled */
    t = entry(rep, "trusts", "partner", selective, NULL, NULL);
    ck_assert(jbool(t, "selective_authentication"));
    ck_assert_int_eq(jget_int(t, "trust_attributes"), 0x18);
    v = entry(rep, "verdicts", "agent_domain", selective, NULL, NULL);
    ck_assert_str_eq(jget_str(v, "verdict"), "selective");
    ck_assert(has_event(v, 21001));
    ck_assert(json_object_object_get(v, "servers_checked") == NULL);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* The Partitions container of each forest read names its domains: each
 * is judged (one domain per forest here: Samba builds no child domains). */
START_TEST(domains_of_each_forest)
{
    const char *argv[] = {"trusts", "--no-tickets", "--format", "json", NULL};
    run_result r;
    json_object *rep, *fd, *v;
    bool home = false, partner = false;

    run_tool(argv, NULL, &r);
    rep = parse(&r);
    fd = json_object_object_get(rep, "forest_domains");
    ck_assert_msg(fd != NULL && json_object_get_type(fd) == json_type_array, "%s", r.out);
    for (size_t i = 0; i < json_object_array_length(fd); i++) {
        const char *d = json_object_get_string(json_object_array_get_idx(fd, i));
        home = home || strcasecmp(d, "contoso.test") == 0;
        partner = partner || strcasecmp(d, forest) == 0;
        ck_assert_msg(strcasecmp(d, oneway) != 0 && strcasecmp(d, selective) != 0, "%s was not readable", d);
    }
    ck_assert(home && partner);
    /* no Configuration, Schema or DNS partition taken for a domain */
    ck_assert_uint_eq(json_object_array_length(fd), 3);
    v = entry(rep, "verdicts", "agent_domain", "contoso.test", NULL, NULL);
    ck_assert_str_eq(jget_str(v, "verdict"), "kerberos");
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* Across the selective trust, each management server's computer object is
 * read: ms01 grants the partner's Domain Computers "Allowed to
 * Authenticate", ms02 grants it to nobody there. */
START_TEST(selective_trust_settled_by_the_servers_dacls)
{
    const char *argv[] = {"trusts",   "--ms", allowed_ms, "--ms", "ms02.contoso.test",
                          "--format", "json", NULL};
    const char *one[] = {"trusts", "--ms", allowed_ms, "--format", "json", NULL};
    const char *text[] = {"trusts", "--ms", allowed_ms, "--ms", "ms02.contoso.test", "--no-tickets", NULL};
    const char *two[] = {
        "trusts",       "--ms", allowed_ms, "--ms", "ms02.contoso.test", "--ms", "ms04.contoso.test",
        "--no-tickets", NULL};
    const char *two_ps[] = {
        "trusts",       "--ms",        allowed_ms,   "--ms", "ms02.contoso.test", "--ms", "ms04.contoso.test",
        "--no-tickets", "--fix-shell", "powershell", NULL};
    const char *sid = getenv("LAB_SELECTIVE_SID");
    run_result r;
    json_object *rep, *v, *a, *observed;

    run_tool(argv, NULL, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 2);
    v = entry(rep, "verdicts", "agent_domain", selective, NULL, NULL);
    ck_assert_str_eq(jget_str(v, "verdict"), "not-allowed");
    ck_assert(has_event(v, 21001));
    ck_assert(has_event(v, 20057));
    a = entry(v, "servers_checked", "server", allowed_ms, NULL, NULL);
    ck_assert_str_eq(jget_str(a, "allowed_to_authenticate"), "granted");
    ck_assert_msg(strstr(jget_str(a, "why"), sid) != NULL && strstr(jget_str(a, "why"), "Domain Computers"),
                  "%s", jget_str(a, "why"));
    a = entry(v, "servers_checked", "server", "ms02.contoso.test", NULL, NULL);
    ck_assert_str_eq(jget_str(a, "allowed_to_authenticate"), "not granted");
    ck_assert_str_eq(jget_str(a, "dn"), "CN=ms02,CN=Computers,DC=contoso,DC=test");
    ck_assert_str_eq(jget_str(v, "recommendation"),
                     "dsacls \"CN=ms02,CN=Computers,DC=contoso,DC=test\" /G "
                     "\"TAILSPIN\\Domain Computers:CA;Allowed to Authenticate\"");
    /* the command as data, with its PowerShell line */
    a = json_object_array_get_idx(json_object_object_get(json_object_object_get(v, "fix_data"), "commands"),
                                  0);
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(jget_str(a, "program"), "dsacls");
    ck_assert_str_eq(jget_str(a, "powershell"), "dsacls 'CN=ms02,CN=Computers,DC=contoso,DC=test' /G "
                                                "'TAILSPIN\\Domain Computers:CA;Allowed to Authenticate'");
    ck_assert_ptr_null(strstr(jget_str(v, "why"), allowed_ms));
    json_object_put(rep);
    run_free(&r);

    /* only the server that grants it: Kerberos by the rule; Samba's KDC
     * still refuses the cross-realm TGT, and that is reported against the rule */
    run_tool(one, NULL, &r);
    rep = parse(&r);
    v = entry(rep, "verdicts", "agent_domain", selective, NULL, NULL);
    ck_assert_str_eq(jget_str(v, "verdict"), "kerberos");
    ck_assert_ptr_nonnull(strstr(jget_str(v, "why"), "every server checked grants it"));
    observed = json_object_object_get(v, "observed");
    ck_assert(jbool(observed, "differs_from_rule"));
    ck_assert(!jbool(json_object_object_get(observed, "cross_realm_tgt"), "issued"));
    ck_assert_int_eq(r.status, 2);
    json_object_put(rep);
    run_free(&r);

    run_tool(text, NULL, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(
        strstr(r.out, "KERBEROS REFUSED: NOT ALLOWED TO AUTHENTICATE  (events 21001, 20057)"));
    ck_assert_ptr_nonnull(strstr(r.out, "ms02.contoso.test: not granted"));
    ck_assert_ptr_nonnull(strstr(r.out, "do (cmd.exe): dsacls \"CN=ms02,CN=Computers,DC=contoso,DC=test\""));
    run_free(&r);

    /* two servers without the right: a command a line, each pasteable (they
     * were one line joined by an escaped \x0a), and for PowerShell on request */
    run_tool(two, NULL, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.out,
                         "do (cmd.exe): dsacls \"CN=ms02,CN=Computers,DC=contoso,DC=test\" /G "
                         "\"TAILSPIN\\Domain Computers:CA;Allowed to Authenticate\"\n"
                         "                    dsacls \"CN=ms04,CN=Computers,DC=contoso,DC=test\" /G") != NULL,
                  "%s", r.out);
    ck_assert_ptr_null(strstr(r.out, "\\x0a"));
    run_free(&r);
    run_tool(two_ps, NULL, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.out, "do (PowerShell): dsacls 'CN=ms02,CN=Computers,DC=contoso,DC=test' /G "
                                "'TAILSPIN\\Domain Computers:CA;Allowed to Authenticate'\n") != NULL,
                  "%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(both_sides_and_an_untrusted_domain)
{
    const char *argv[] = {"trusts",       "--domain", "contoso.test", "--domain", forest,
                          "--domain",     external,   "--domain",     oneway,     "--agent-domain",
                          "litware.test", "--format", "json",         NULL};
    run_result r;
    json_object *rep, *t, *v, *nr;

    run_tool(argv, NULL, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 2);
    /* the partners' own objects, read over the trusts */
    t = entry(rep, "trusts", "domain", forest, "partner", "contoso.test");
    ck_assert_str_eq(jget_str(t, "direction"), "two-way");
    t = entry(rep, "trusts", "domain", external, "partner", "contoso.test");
    ck_assert_str_eq(jget_str(t, "kind"), "external");
    /* CONTOSO may not authenticate to the domain it trusts one way: said so */
    nr = json_object_object_get(rep, "not_read");
    ck_assert_uint_eq(json_object_array_length(nr), 2); /* and the selective partner, read as a partner */
    ck_assert_ptr_nonnull(strstr(json_object_get_string(json_object_array_get_idx(nr, 0)), oneway));
    ck_assert_msg(strstr(r.err, "cannot read the trusts of") != NULL, "stderr: %s", r.err);
    /* still Kerberos with both sides agreeing */
    v = entry(rep, "verdicts", "agent_domain", forest, NULL, NULL);
    ck_assert_str_eq(jget_str(v, "verdict"), "kerberos");
    /* no trust at all: certificates, and 21008 */
    v = entry(rep, "verdicts", "agent_domain", "litware.test", NULL, NULL);
    ck_assert_str_eq(jget_str(v, "verdict"), "certificates");
    ck_assert(has_event(v, 21007) && has_event(v, 21008));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* Each verdict confirmed by the KDCs: a real cross-forest service ticket
 * through the forest trust, tickets across the external trust that OpsMgr
 * still will not use, and the one-way trust's refusal. */
START_TEST(verdicts_confirmed_with_real_tickets)
{
    const char *argv[] = {"trusts", "--domain", "contoso.test", "--domain", forest, "--domain",
                          external, "--domain", oneway,         "--format", "json", NULL};
    const char *quiet[] = {"trusts", "--no-tickets", "--format", "json", NULL};
    run_result r;
    json_object *rep, *v, *seen, *t;

    run_tool(argv, NULL, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 2);
    v = entry(rep, "verdicts", "agent_domain", forest, NULL, NULL);
    seen = json_object_object_get(v, "observed");
    ck_assert_ptr_nonnull(seen);
    ck_assert_msg(!jbool(seen, "differs_from_rule"), "forest trust: %s", jget_str(seen, "note"));
    t = json_object_object_get(seen, "cross_realm_tgt");
    ck_assert(jbool(t, "issued"));
    ck_assert_str_eq(jget_str(t, "principal"), "krbtgt/FABRIKAM.TEST");
    t = json_object_object_get(seen, "service_ticket");
    ck_assert_msg(t != NULL && jbool(t, "issued"), "no MSOMHSvc ticket across the forest trust");
    ck_assert_int_eq(strncmp(jget_str(t, "principal"), "MSOMHSvc/", 9), 0);

    v = entry(rep, "verdicts", "agent_domain", external, NULL, NULL);
    ck_assert_str_eq(jget_str(v, "verdict"), "certificates");
    seen = json_object_object_get(v, "observed");
    ck_assert(jbool(seen, "differs_from_rule"));
    ck_assert(jbool(json_object_object_get(seen, "cross_realm_tgt"), "issued"));
    ck_assert_ptr_nonnull(strstr(jget_str(seen, "note"), "still needs certificates"));

    v = entry(rep, "verdicts", "agent_domain", oneway, NULL, NULL);
    seen = json_object_object_get(v, "observed");
    ck_assert(!jbool(seen, "differs_from_rule"));
    t = json_object_object_get(seen, "cross_realm_tgt");
    ck_assert(!jbool(t, "issued"));
    ck_assert_ptr_nonnull(jget_str(t, "error"));
    ck_assert_ptr_null(json_object_object_get(seen, "service_ticket"));
    json_object_put(rep);
    run_free(&r);

    run_tool(quiet, NULL, &r);
    rep = parse(&r);
    v = entry(rep, "verdicts", "agent_domain", forest, NULL, NULL);
    ck_assert_ptr_null(json_object_object_get(v, "observed"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* The plan for a topology from a configuration file: agent domains that
 * exist (trusted one way or another) and one that does not yet. */
START_TEST(plan_from_the_configuration)
{
    char path[] = "/tmp/spnaudit-plan-XXXXXX";
    char content[512];
    const char *argv[] = {"plan", "-c", path, "--format", "json", NULL};
    int fd = mkstemp(path);
    run_result r;
    json_object *rep, *e, *fix, *work;

    ck_assert_int_ge(fd, 0);
    snprintf(content, sizeof(content),
             "[management_group]\nmanagement_servers = ms01.contoso.test ms02.contoso.test\n"
             "[plan]\nagent_domains = contoso.test %s %s %s litware.test %s\n",
             forest, external, oneway, selective);
    ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
    close(fd);
    run_tool(argv, NULL, &r);
    unlink(path);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(rep, "agent_domains")), 6);
    e = entry(rep, "agent_domains", "agent_domain", "contoso.test", NULL, NULL);
    ck_assert_str_eq(jget_str(json_object_object_get(e, "to_management_servers"), "verdict"), "kerberos");
    e = entry(rep, "agent_domains", "agent_domain", forest, NULL, NULL);
    ck_assert_str_eq(jget_str(json_object_object_get(e, "to_management_servers"), "verdict"), "kerberos");
    ck_assert_ptr_nonnull(strstr(jget_str(e, "design"), "directly, with Kerberos"));
    e = entry(rep, "agent_domains", "agent_domain", external, NULL, NULL);
    ck_assert_str_eq(jget_str(json_object_object_get(e, "to_management_servers"), "verdict"), "certificates");
    ck_assert_ptr_nonnull(strstr(jget_str(e, "design"), "gateway"));
    /* what each side needs: the agents and both servers by name */
    work = json_object_object_get(e, "certificate_work");
    ck_assert_uint_eq(json_object_array_length(work), 4);
    snprintf(
        content, sizeof(content),
        "on each agent of %s and on ms01.contoso.test and ms02.contoso.test: a certificate with Server and "
        "Client Authentication",
        external);
    ck_assert_msg(
        strncmp(json_object_get_string(json_object_array_get_idx(work, 0)), content, strlen(content)) == 0,
        "%s", json_object_get_string(json_object_array_get_idx(work, 0)));
    ck_assert_ptr_nonnull(
        strstr(json_object_get_string(json_object_array_get_idx(work, 2)), "MOMCertImport.exe"));
    /* none where Kerberos works */
    ck_assert_uint_eq(
        json_object_array_length(json_object_object_get(
            entry(rep, "agent_domains", "agent_domain", "contoso.test", NULL, NULL), "certificate_work")),
        0);
    e = entry(rep, "agent_domains", "agent_domain", oneway, NULL, NULL);
    ck_assert_ptr_nonnull(strstr(jget_str(e, "design"), "two-way"));
    /* not there yet: no trust, so 21007 and 21008, and it is said that
     * its directory could not be read */
    e = entry(rep, "agent_domains", "agent_domain", "litware.test", NULL, NULL);
    ck_assert(has_event(json_object_object_get(e, "to_management_servers"), 21008));
    ck_assert_uint_ge(json_object_array_length(json_object_object_get(rep, "not_read")), 1);
    /* the selective partner: ms02 does not grant "Allowed to Authenticate" */
    e = entry(rep, "agent_domains", "agent_domain", selective, NULL, NULL);
    ck_assert_str_eq(jget_str(json_object_object_get(e, "to_management_servers"), "verdict"), "not-allowed");
    snprintf(content, sizeof(content),
             "grant the agents of %s \"Allowed to Authenticate\" on the computer objects of the management "
             "servers that lack it",
             selective);
    ck_assert_str_eq(jget_str(e, "design"), content);
    /* the command as data, for either shell */
    fix = json_object_array_get_idx(
        json_object_object_get(
            json_object_object_get(json_object_object_get(e, "to_management_servers"), "fix_data"),
            "commands"),
        0);
    ck_assert_ptr_nonnull(fix);
    ck_assert_str_eq(jget_str(fix, "cmd"), "dsacls \"CN=ms02,CN=Computers,DC=contoso,DC=test\" /G "
                                           "\"TAILSPIN\\Domain Computers:CA;Allowed to Authenticate\"");
    ck_assert_str_eq(jget_str(fix, "powershell"), "dsacls 'CN=ms02,CN=Computers,DC=contoso,DC=test' /G "
                                                  "'TAILSPIN\\Domain Computers:CA;Allowed to Authenticate'");
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(e, "servers_checked")), 2);
    json_object_put(rep);
    run_free(&r);

    /* the text: the design, then the command written for the shell asked for */
    for (int ps = 0; ps < 2; ps++) {
        const char *text[] = {
            "plan",           "--ms",    "ms01.contoso.test",       "--ms",       "ms02.contoso.test",
            "--agent-domain", selective, ps ? "--fix-shell" : NULL, "powershell", NULL};
        run_tool(text, NULL, &r);
        ck_assert_int_eq(r.status, 2);
        ck_assert_msg(
            strstr(r.out, ps ? "\n  do (PowerShell): dsacls 'CN=ms02,CN=Computers,DC=contoso,DC=test' /G "
                               "'TAILSPIN\\Domain Computers:CA;Allowed to Authenticate'\n"
                             : "\n  do (cmd.exe): dsacls \"CN=ms02,CN=Computers,DC=contoso,DC=test\" /G "
                               "\"TAILSPIN\\Domain Computers:CA;Allowed to Authenticate\"\n") != NULL,
            "%s", r.out);
        run_free(&r);
    }
}
END_TEST

/* A gateway in the agents' domain, servers in a forest they do not trust:
 * Kerberos to the gateway, certificates between gateway and servers. */
START_TEST(plan_through_a_gateway)
{
    char ms[128], line[512];
    const char *gw = getenv("LAB_GATEWAY");
    const char *argv[] = {"plan",           "--ms", ms,         "--gateway", gw,
                          "--agent-domain", forest, "--format", "json",      NULL};
    run_result r;
    json_object *rep, *e, *work;

    snprintf(ms, sizeof(ms), "ms01.%s", external);
    run_tool(argv, NULL, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 1);
    e = entry(rep, "agent_domains", "agent_domain", forest, NULL, NULL);
    ck_assert_str_eq(jget_str(json_object_object_get(e, "to_management_servers"), "verdict"), "certificates");
    ck_assert_str_eq(jget_str(e, "gateway"), gw);
    ck_assert_str_eq(jget_str(json_object_object_get(e, "to_gateway"), "verdict"), "kerberos");
    ck_assert_str_eq(jget_str(json_object_object_get(e, "gateway_to_management_servers"), "verdict"),
                     "certificates");
    ck_assert_ptr_nonnull(strstr(jget_str(e, "design"), "MOMCertImport"));
    /* the certificates are the gateway's and the server's, not the agents' */
    snprintf(line, sizeof(line), "on the gateway %s and on %s: a certificate", gw, ms);
    work = json_object_object_get(e, "certificate_work");
    ck_assert_msg(strncmp(json_object_get_string(json_object_array_get_idx(work, 0)), line, strlen(line)) ==
                      0,
                  "%s", json_object_to_json_string(work));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* A directory of certificate files, from the lab's: cp FILE... into a
 * new directory (its name in dir), the PFX password beside it. */
static void
cert_dir_of(char *dir, const char *files)
{
    char cmd[4096];

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(cmd, sizeof(cmd), "cd \"$LAB_CERTS\" && cp %s %s/ && install -m 600 pfx-password %s.pw", files,
             dir, dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void
cert_dir_remove(const char *dir)
{
    char cmd[512];

    snprintf(cmd, sizeof(cmd), "rm -rf %s %s.pw", dir, dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* The certificate_check line of entry e that begins with party. */
static const char *
check_line(json_object *e, const char *party)
{
    json_object *lines = json_object_object_get(e, "certificate_check");

    for (size_t i = 0; i < json_object_array_length(lines); i++) {
        const char *l = json_object_get_string(json_object_array_get_idx(lines, i));
        if (strncmp(l, party, strlen(party)) == 0 && l[strlen(party)] == ':')
            return l;
    }
    return "";
}

/* plan --cert-dir: each side that needs a certificate, looked for among
 * the files by the host each is for, with what its checks found. */
START_TEST(plan_checks_the_certificates_of_a_directory)
{
    char dir[] = "/tmp/spnaudit-plan-certs-XXXXXX", pw[64], chain[512], agents[128], want[512];
    const char *argv[] = {"plan",
                          "--ms",
                          "ms01.contoso.test",
                          "--ms",
                          "ms02.contoso.test",
                          "--agent-domain",
                          external,
                          "--cert-dir",
                          dir,
                          "--cert-ca-file",
                          chain,
                          "--cert-password-file",
                          pw,
                          "--format",
                          "json",
                          NULL};
    run_result r;
    json_object *rep, *e;

    cert_dir_of(dir, "good.cer expired.pfx ms02.cer");
    snprintf(pw, sizeof(pw), "%s.pw", dir);
    snprintf(chain, sizeof(chain), "%s/chain.pem", getenv("LAB_CERTS"));
    run_tool(argv, NULL, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 2);
    e = entry(rep, "agent_domains", "agent_domain", external, NULL, NULL);
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(e, "certificate_check")), 3);
    /* ms01: its current certificate, and an expired one named */
    snprintf(want, sizeof(want),
             "ms01.contoso.test: 2 certificates in %s, 1 with failures: CERT_EXPIRED (%s/expired.pfx)", dir,
             dir);
    ck_assert_msg(strncmp(check_line(e, "ms01.contoso.test"), want, strlen(want)) == 0, "%s",
                  check_line(e, "ms01.contoso.test"));
    snprintf(want, sizeof(want), "ms02.contoso.test: 1 certificate in %s, no failure", dir);
    ck_assert_str_eq(check_line(e, "ms02.contoso.test"), want);
    snprintf(agents, sizeof(agents), "the agents of %s", external);
    snprintf(want, sizeof(want), "%s: no certificate for them in %s", agents, dir);
    ck_assert_str_eq(check_line(e, agents), want);
    json_object_put(rep);
    run_free(&r);
    cert_dir_remove(dir);
}
END_TEST

/* A gateway between certificates and Kerberos: without a certificate for
 * it among the files, the plan's outcome becomes a failure (2, not 1). */
START_TEST(plan_without_the_gateways_certificate_fails)
{
    char dir[] = "/tmp/spnaudit-plan-certs-XXXXXX", ms[128], chain[512], want[512];
    const char *gw = getenv("LAB_GATEWAY");
    const char *argv[] = {"plan", "--ms",       ms,  "--gateway",      gw,    "--agent-domain",
                          forest, "--cert-dir", dir, "--cert-ca-file", chain, "--format",
                          "json", NULL};
    run_result r;
    json_object *rep, *e;

    cert_dir_of(dir, "ms02.cer");
    snprintf(ms, sizeof(ms), "ms01.%s", external);
    snprintf(chain, sizeof(chain), "%s/chain.pem", getenv("LAB_CERTS"));
    run_tool(argv, NULL, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 2);
    e = entry(rep, "agent_domains", "agent_domain", forest, NULL, NULL);
    snprintf(want, sizeof(want), "%s: no certificate for it in %s", gw, dir);
    ck_assert_str_eq(check_line(e, gw), want);
    json_object_put(rep);
    run_free(&r);
    cert_dir_remove(dir);
}
END_TEST

/* trusts --cert-dir: the same sides for a certificates verdict, the
 * servers named; a Kerberos verdict has none. */
START_TEST(trusts_checks_the_certificates_of_a_directory)
{
    char dir[] = "/tmp/spnaudit-trusts-certs-XXXXXX", chain[512], want[512];
    const char *argv[] = {"trusts", "--no-tickets",   "--ms", "ms01.contoso.test", "--cert-dir",
                          dir,      "--cert-ca-file", chain,  "--format",          "json",
                          NULL};
    run_result r;
    json_object *rep, *v;

    cert_dir_of(dir, "good.cer");
    snprintf(chain, sizeof(chain), "%s/chain.pem", getenv("LAB_CERTS"));
    run_tool(argv, NULL, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 2);
    v = entry(rep, "verdicts", "agent_domain", external, NULL, NULL);
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(v, "certificate_check")), 2);
    snprintf(want, sizeof(want), "ms01.contoso.test: 1 certificate in %s, no failure", dir);
    ck_assert_str_eq(check_line(v, "ms01.contoso.test"), want);
    v = entry(rep, "verdicts", "agent_domain", forest, NULL, NULL);
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(v, "certificate_check")), 0);
    json_object_put(rep);
    run_free(&r);
    cert_dir_remove(dir);
}
END_TEST

START_TEST(only_the_domains_named)
{
    const char *argv[] = {"trusts", "--no-partners", "--no-tickets", "--format", "json", NULL};
    run_result r;
    json_object *rep, *v;

    run_tool(argv, NULL, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(rep, "trusts")), 4);
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(rep, "not_read")), 0);
    v = entry(rep, "verdicts", "agent_domain", forest, NULL, NULL);
    ck_assert_str_eq(jget_str(v, "verdict"), "kerberos");
    ck_assert_str_eq(r.err, "");
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(text_listing)
{
    const char *argv[] = {"trusts", NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.out, "Trusts of contoso.test"));
    ck_assert_ptr_nonnull(strstr(r.out, "QUARANTINED_DOMAIN (SID filtering)"));
    ck_assert_ptr_nonnull(strstr(r.out, "CERTIFICATES REQUIRED  (events 21007)"));
    ck_assert_ptr_nonnull(strstr(r.out, "KERBEROS\n"));
    run_free(&r);
}
END_TEST

START_TEST(unreachable_dc_is_incomplete)
{
    const char *argv[] = {"trusts", "--server", "dc1.contoso.test:1389", NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "ldap://dc1.contoso.test:1389") != NULL, "stderr: %s", r.err);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}
END_TEST

/* A --server named by a short name or an IP address (with a simple bind:
 * Kerberos needs the DC's name) is the servers' domain's, also once the
 * partners' domains are added: its connection is the one the computer
 * objects are read over, not a new one to the DCs named under the domain
 * (here one that does not answer) or found in DNS. */
static const struct {
    const char *scheme, *server, *bind[7];
} bare_servers[] = {
    {"ldap", "dc1", {NULL}},
    {"ldaps",
     "127.0.0.1",
     {"--ldaps", "--insecure-skip-tls-verify", "--bind-user", "administrator@contoso.test", "--password-env",
      "LAB_PASSWORD", NULL}},
};

START_TEST(bare_server_is_the_home_domains)
{
    const char *argv[24] = {"trusts",
                            "--server",
                            "dc1.contoso.test:1389",
                            "--server",
                            bare_servers[_i].server,
                            "--ms",
                            allowed_ms,
                            "--ms",
                            "ms02.contoso.test",
                            "--no-tickets",
                            "--format",
                            "json"};
    char uri[64], skipped[96];
    run_result r;
    json_object *rep, *v, *a;

    for (size_t k = 0, n = 12; bare_servers[_i].bind[k] != NULL; k++)
        argv[n++] = bare_servers[_i].bind[k];
    snprintf(uri, sizeof(uri), "%s://%s", bare_servers[_i].scheme, bare_servers[_i].server);
    snprintf(skipped, sizeof(skipped), "skipped: %s://dc1.contoso.test:1389", bare_servers[_i].scheme);
    run_tool(argv, NULL, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(jget_str(rep, "server"), uri);
    v = entry(rep, "verdicts", "agent_domain", selective, NULL, NULL);
    ck_assert_str_eq(jget_str(v, "verdict"), "not-allowed");
    a = entry(v, "servers_checked", "server", "ms02.contoso.test", NULL, NULL);
    ck_assert_msg(strcmp(jget_str(a, "allowed_to_authenticate"), "not granted") == 0, "%s: %s",
                  jget_str(a, "allowed_to_authenticate"), jget_str(a, "why"));
    /* the DC that does not answer was tried once, for the one connection */
    ck_assert_msg(count_of(r.err, skipped) == 1, "stderr: %s", r.err);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* With several --domain, a short name is the first domain's DC. */
START_TEST(short_server_name_with_several_domains)
{
    const char *argv[] = {"trusts", "--domain",      "contoso.test", "--domain", forest, "--server",
                          "dc1",    "--no-partners", "--no-tickets", "--format", "json", NULL};
    run_result r;
    json_object *rep;

    run_tool(argv, NULL, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(jget_str(rep, "server"), "ldap://dc1");
    entry(rep, "trusts", "domain", forest, "partner", "contoso.test");
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* A KDC that accepts connections and never answers: a socket that
 * listens on 127.0.0.1 and is never accepted from; its port in *port. */
static int
hung_kdc(unsigned *port)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    ck_assert_int_ge(fd, 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(listen(fd, 16), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

static void
write_file(char *path, const char *content)
{
    int fd = mkstemp(path);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
    close(fd);
}

/* [kerberos] kdc_timeout of -c bounds each KDC request of trusts and plan
 * (here the keytab login, to a KDC that never answers): 1 s, not the
 * default 10 s. */
START_TEST(config_kdc_timeout_is_honoured)
{
    static const char *const commands[][4] = {{"trusts", NULL},
                                              {"plan", "--agent-domain", "fabrikam.test", NULL}};
    char conf[] = "/tmp/spnaudit-trusts-conf-XXXXXX", krb5[] = "/tmp/spnaudit-trusts-krb5-XXXXXX";
    char text[512], env_conf[128];
    const char *env[] = {env_conf, NULL};
    unsigned port = 0;
    int kdc = hung_kdc(&port);

    write_file(conf, "[management_group]\nmanagement_servers = ms01.contoso.test\n"
                     "[kerberos]\nkdc_timeout = 1\njobs = 2\n");
    snprintf(
        text, sizeof(text),
        "[libdefaults]\n default_realm = CONTOSO.TEST\n dns_lookup_kdc = false\n dns_lookup_realm = false\n"
        " rdns = false\n udp_preference_limit = 0\n[realms]\n CONTOSO.TEST = {\n  kdc = 127.0.0.1:%u\n }\n",
        port);
    write_file(krb5, text);
    snprintf(env_conf, sizeof(env_conf), "KRB5_CONFIG=%s", krb5);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        const char *argv[12] = {commands[i][0],
                                "-c",
                                conf,
                                "--keytab",
                                getenv("LAB_KEYTAB"),
                                "--principal",
                                getenv("LAB_KEYTAB_PRINCIPAL")};
        struct timespec t0, t1;
        run_result r;
        double seconds;

        for (size_t k = 1; commands[i][k] != NULL; k++)
            argv[6 + k] = commands[i][k];
        clock_gettime(CLOCK_MONOTONIC, &t0);
        run_tool(argv, env, &r);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        ck_assert_msg(r.status == 3, "%s: exit %d: %s", argv[0], r.status, r.err);
        snprintf(text, sizeof(text), "127.0.0.1:%u: no answer (request timeout 1000 ms)", port);
        ck_assert_msg(strstr(r.err, text) != NULL, "%s: stderr: %s", argv[0], r.err);
        ck_assert_msg(seconds < 8.0, "%s took %.1f s", argv[0], seconds);
        run_free(&r);
    }
    close(kdc);
    unlink(conf);
    unlink(krb5);
}
END_TEST

/* Has the report a verdict for the agents of domain? */
static bool
has_verdict(json_object *rep, const char *domain)
{
    json_object *arr = json_object_object_get(rep, "verdicts");

    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        if (strcasecmp(jget_str(json_object_array_get_idx(arr, i), "agent_domain"), domain) == 0)
            return true;
    }
    return false;
}

/* --agent-domain replaces the configuration's agent domains, for trusts
 * as for plan (and as --ms and --gateway replace its servers). */
START_TEST(agent_domains_given_replace_the_files)
{
    char path[] = "/tmp/spnaudit-trusts-XXXXXX";
    const char *conf = "[domain]\nname = contoso.test\n[plan]\nagent_domains = litware.test\n";
    const char *file[] = {"trusts", "-c", path, "--no-tickets", "--no-partners", "--format", "json", NULL};
    const char *given[] = {"trusts",         "-c",           path,       "--no-tickets", "--no-partners",
                           "--agent-domain", "wingtip.test", "--format", "json",         NULL};
    int fd = mkstemp(path);
    run_result r;
    json_object *rep;

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, conf, strlen(conf)), (ssize_t)strlen(conf));
    close(fd);
    run_tool(file, NULL, &r);
    rep = parse(&r);
    ck_assert(has_verdict(rep, "litware.test"));
    json_object_put(rep);
    run_free(&r);

    run_tool(given, NULL, &r);
    unlink(path);
    rep = parse(&r);
    ck_assert(has_verdict(rep, "wingtip.test"));
    ck_assert(!has_verdict(rep, "litware.test"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* The confirmation tickets in flight one at a time or eight at a time:
 * the same tickets, the same outcomes, the same verdicts. */
START_TEST(same_verdicts_whatever_the_jobs)
{
    const char *one[] = {"trusts", "--jobs", "1", "--agent-domain", "litware.test", "--format", "json", NULL};
    const char *eight[] = {"trusts",       "--jobs",   "8",    "--agent-domain",
                           "litware.test", "--format", "json", NULL};
    run_result r1, r8;
    json_object *a, *b, *v;
    size_t observed = 0;

    run_tool(one, NULL, &r1);
    run_tool(eight, NULL, &r8);
    a = parse(&r1);
    b = parse(&r8);
    ck_assert_int_eq(r1.status, r8.status);
    v = json_object_object_get(a, "verdicts");
    for (size_t i = 0; i < json_object_array_length(v); i++)
        observed += json_object_object_get(json_object_array_get_idx(v, i), "observed") != NULL;
    /* every domain but the servers' own was confirmed */
    ck_assert_uint_eq(observed, json_object_array_length(v) - 1);
    ck_assert_msg(json_object_equal(v, json_object_object_get(b, "verdicts")), "--jobs 1: %s\n--jobs 8: %s",
                  json_object_to_json_string(v),
                  json_object_to_json_string(json_object_object_get(b, "verdicts")));
    json_object_put(a);
    json_object_put(b);
    run_free(&r1);
    run_free(&r8);
}
END_TEST

static const struct {
    const char *args[6];
    const char *says;
} bad_usage[] = {
    {{"trusts", "--agent-domain", "not a domain", NULL}, "--agent-domain"},
    {{"trusts", "--forest", NULL}, "--forest"},
    {{"trusts", "--format", "xml", NULL}, "--format"},
    {{"trusts", "extra", NULL}, "unexpected argument"},
    {{"plan", "--agent-domain", "contoso.test", NULL}, "no management server"},
    {{"plan", "--ms", "ms01.contoso.test", NULL}, "no agent domain"},
    {{"plan", "--ms", "ms01", NULL}, "--ms wants"},
    {{"trusts", "--ms", "ms01", NULL}, "--ms wants"},
    {{"trusts", "--gateway", "gw 01", NULL}, "--gateway wants"},
    {{"trusts", "-c", "/nonexistent/spnaudit.conf", NULL}, "/nonexistent/spnaudit.conf"},
    {{"plan", "--ms", "ms01.contoso.test", "--jobs", "4", NULL}, "--jobs: plan requests no tickets"},
    {{"spn", "-j", "4", NULL}, "--jobs: spn requests no tickets"},
};

START_TEST(bad_usage_is_exit_64)
{
    expect_usage_error(bad_usage[_i].args, bad_usage[_i].says);
}
END_TEST

/* ------------------------------------------------------------ the trust map */

/* The DOT on r's standard output, read back by libcgraph. */
static Agraph_t *
parse_dot(const run_result *r)
{
    Agraph_t *g = agmemread(r->out);

    ck_assert_msg(g != NULL, "not DOT (exit %d): %.300s / stderr: %.500s", r->status, r->out, r->err);
    return g;
}

/* The node whose label's first line is domain (case aside; the lab's
 * domain names need no escaping), exactly one. */
static Agnode_t *
map_node(Agraph_t *g, const char *domain)
{
    Agnode_t *found = NULL;
    size_t len = strlen(domain);

    for (Agnode_t *n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
        const char *label = agget(n, "label");
        if (strncasecmp(label, domain, len) == 0 &&
            (label[len] == '\0' || strncmp(label + len, "\\n", 2) == 0)) {
            ck_assert_msg(found == NULL, "two nodes for %s", domain);
            found = n;
        }
    }
    ck_assert_msg(found != NULL, "no node for %s", domain);
    return found;
}

/* The one edge between the nodes of domains a and b (either way). */
static Agedge_t *
map_edge(Agraph_t *g, const char *a, const char *b)
{
    Agnode_t *x = map_node(g, a), *y = map_node(g, b);
    Agedge_t *e = agedge(g, x, y, NULL, 0);

    if (e == NULL)
        e = agedge(g, y, x, NULL, 0);
    ck_assert_msg(e != NULL, "no edge between %s and %s", a, b);
    return e;
}

/* What the map's words and colour are for a verdict of the JSON report. */
static void
map_look(const char *verdict, const char **words, const char **color)
{
    static const struct {
        const char *verdict, *words, *color;
    } looks[] = {
        {"kerberos", "Kerberos", "#1a7f37"},
        {"certificates", "certificates needed", "#c2570c"},
        {"not-allowed", "not allowed to authenticate", "#b42318"},
        {"selective", "not checked (selective authentication)", "#8c8c8c"},
    };

    for (size_t i = 0; i < sizeof(looks) / sizeof(looks[0]); i++) {
        if (strcmp(verdict, looks[i].verdict) == 0) {
            *words = looks[i].words;
            *color = looks[i].color;
            return;
        }
    }
    ck_abort_msg("verdict %s", verdict);
}

/* Every domain of the JSON report (trusts, forests, verdicts) is one node,
 * every trust one edge (its objects merged), every agent domain says its
 * verdict in its colour. */
static void
map_matches_report(Agraph_t *g, json_object *rep)
{
    json_object *trusts = json_object_object_get(rep, "trusts"),
                *verdicts = json_object_object_get(rep, "verdicts");
    json_object *fd = json_object_object_get(rep, "forest_domains");
    char names[64][256], pairs[64][600];
    size_t n_names = 0, n_pairs = 0;

#define ADD_UNIQUE(list, n, value)                                                                           \
    do {                                                                                                     \
        size_t k_ = 0;                                                                                       \
        while (k_ < n && strcasecmp(list[k_], value) != 0)                                                   \
            k_++;                                                                                            \
        if (k_ == n) {                                                                                       \
            ck_assert_uint_lt(n, 64);                                                                        \
            snprintf(list[n++], sizeof(list[0]), "%s", value);                                               \
        }                                                                                                    \
    } while (0)
    ADD_UNIQUE(names, n_names, jget_str(rep, "domain"));
    for (size_t i = 0; i < json_object_array_length(trusts); i++) {
        json_object *t = json_object_array_get_idx(trusts, i);
        const char *d = jget_str(t, "domain"), *p = jget_str(t, "partner");
        char pair[600];
        ADD_UNIQUE(names, n_names, d);
        ADD_UNIQUE(names, n_names, p);
        snprintf(pair, sizeof(pair), "%s|%s|%s", strcasecmp(d, p) < 0 ? d : p, strcasecmp(d, p) < 0 ? p : d,
                 jget_str(t, "kind"));
        ADD_UNIQUE(pairs, n_pairs, pair);
        map_edge(g, d, p);
    }
    for (size_t i = 0; i < json_object_array_length(fd); i++)
        ADD_UNIQUE(names, n_names, json_object_get_string(json_object_array_get_idx(fd, i)));
    for (size_t i = 0; i < json_object_array_length(verdicts); i++) {
        json_object *v = json_object_array_get_idx(verdicts, i);
        const char *agent = jget_str(v, "agent_domain"), *words, *color;
        char line[128];
        Agnode_t *n;
        ADD_UNIQUE(names, n_names, agent);
        if (strcasecmp(agent, jget_str(rep, "domain")) == 0)
            continue;
        map_look(jget_str(v, "verdict"), &words, &color);
        n = map_node(g, agent);
        snprintf(line, sizeof(line), "\\nagents: %s", words);
        ck_assert_msg(strstr(agget(n, "label"), line) != NULL, "%s: %s", agent, agget(n, "label"));
        ck_assert_str_eq(agget(n, "color"), color);
    }
#undef ADD_UNIQUE
    for (size_t i = 0; i < n_names; i++)
        map_node(g, names[i]);
    ck_assert_int_eq(agnnodes(g), (int)n_names);
    ck_assert_int_eq(agnedges(g), (int)n_pairs);
    ck_assert_str_eq(agget(map_node(g, jget_str(rep, "domain")), "peripheries"), "2");
}

static void
assert_map_edge(Agraph_t *g, const char *a, const char *b, const char *dir, const char *color,
                const char *style)
{
    Agedge_t *e = map_edge(g, a, b);

    ck_assert_msg(strcmp(agget(e, "color"), color) == 0 && strcmp(agget(e, "style"), style) == 0,
                  "%s - %s: %s, %s (%s)", a, b, agget(e, "color"), agget(e, "style"), agget(e, "label"));
    if (dir != NULL) {
        /* contoso.test's objects come first: the edge starts there */
        ck_assert_ptr_eq(agtail(e), map_node(g, a));
        ck_assert_str_eq(agget(e, "dir"), dir);
    }
}

/* trusts --format dot against the same run's JSON: the lab's four trusts,
 * the partners CONTOSO may not read marked, and the selective trust red
 * once a server is found not to grant "Allowed to Authenticate", grey
 * (not checked, no failure) when no server is named. */
START_TEST(trust_map_matches_the_report)
{
    const char *dot[] = {"trusts",   "--no-tickets", "--ms", allowed_ms, "--ms", "ms02.contoso.test",
                         "--format", "dot",          NULL};
    const char *json[] = {"trusts",   "--no-tickets", "--ms", allowed_ms, "--ms", "ms02.contoso.test",
                          "--format", "json",         NULL};
    const char *bare[] = {"trusts", "--no-tickets", "--format", "dot", NULL};
    run_result r, rj;
    json_object *rep;
    Agraph_t *g;

    run_tool(dot, NULL, &r);
    run_tool(json, NULL, &rj);
    ck_assert_int_eq(r.status, rj.status);
    g = parse_dot(&r);
    rep = parse(&rj);
    map_matches_report(g, rep);
    ck_assert_ptr_nonnull(strstr(agget(map_node(g, "contoso.test"), "label"), "\\nmanagement servers"));
    assert_map_edge(g, "contoso.test", forest, "both", "#1a7f37", "solid");
    assert_map_edge(g, "contoso.test", external, "both", "#c2570c", "solid");
    assert_map_edge(g, "contoso.test", oneway, "forward", "#c2570c", "solid"); /* CONTOSO trusts it */
    assert_map_edge(g, "contoso.test", selective, "both", "#b42318", "bold");
    ck_assert_ptr_nonnull(strstr(agget(map_edge(g, "contoso.test", external), "label"), "external, two-way"));
    /* the two partners whose side CONTOSO could not read */
    ck_assert_ptr_nonnull(strstr(agget(map_node(g, oneway), "label"), "\\ntrusts not read"));
    ck_assert_ptr_nonnull(strstr(agget(map_node(g, selective), "label"), "\\ntrusts not read"));
    ck_assert_ptr_null(strstr(agget(map_node(g, forest), "label"), "not read"));
    /* one box per forest, named after its root */
    for (Agraph_t *s = agfstsubg(g); s != NULL; s = agnxtsubg(s))
        ck_assert_int_eq(strncmp(agget(s, "label"), "forest ", 7), 0);
    ck_assert_ptr_nonnull(agsubg(g, "cluster_1", 0));
    ck_assert_ptr_nonnull(agsubnode(agsubg(g, "cluster_1", 0), map_node(g, "contoso.test"), 0));
    ck_assert_str_eq(agget(agsubg(g, "cluster_1", 0), "label"), "forest contoso.test");
    agclose(g);
    json_object_put(rep);
    run_free(&r);
    run_free(&rj);

    run_tool(bare, NULL, &r);
    g = parse_dot(&r);
    assert_map_edge(g, "contoso.test", selective, "both", "#8c8c8c", "dashed");
    agclose(g);
    run_free(&r);
}
END_TEST

/* plan --format dot: the agents' domain through a gateway. */
START_TEST(plan_map_through_a_gateway)
{
    char ms[128];
    const char *gw = getenv("LAB_GATEWAY");
    const char *argv[] = {"plan",           "--ms", ms,         "--gateway", gw,
                          "--agent-domain", forest, "--format", "dot",       NULL};
    run_result r;
    Agraph_t *g;

    snprintf(ms, sizeof(ms), "ms01.%s", external);
    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 1);
    g = parse_dot(&r);
    ck_assert_ptr_nonnull(strstr(agget(map_node(g, external), "label"), "\\nmanagement servers"));
    ck_assert_ptr_nonnull(strstr(agget(map_node(g, forest), "label"), "\\nagents: through a gateway"));
    ck_assert_str_eq(agget(map_node(g, forest), "color"), "#c2570c");
    agclose(g);
    run_free(&r);
}
END_TEST

int
main(int argc, char **argv)
{
    Suite *s = suite_create("trusts-integration");
    TCase *tc = tcase_create("trusts");

    forest = getenv("LAB_TRUST_FOREST");
    external = getenv("LAB_TRUST_EXTERNAL");
    oneway = getenv("LAB_TRUST_ONEWAY");
    selective = getenv("LAB_TRUST_SELECTIVE");
    allowed_ms = getenv("LAB_SELECTIVE_ALLOWED_MS");
    if (argc != 2 || forest == NULL || *forest == '\0' || external == NULL || oneway == NULL ||
        selective == NULL || *selective == '\0' || allowed_ms == NULL ||
        getenv("LAB_SELECTIVE_SID") == NULL || getenv("LAB_GATEWAY") == NULL) {
        fprintf(stderr,
                "usage: tests/lab/testdomain.sh exec %s PATH-TO-spnaudit\n"
                "(needs the test domain with its trusts: LAB_TRUST_FOREST, ...)\n",
                argv[0]);
        return 2;
    }
    tool_path = argv[1];
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, trusts_of_the_servers_domain);
    tcase_add_test(tc, both_sides_and_an_untrusted_domain);
    tcase_add_test(tc, domains_of_each_forest);
    tcase_add_test(tc, selective_trust_settled_by_the_servers_dacls);
    tcase_add_test(tc, verdicts_confirmed_with_real_tickets);
    tcase_add_test(tc, plan_from_the_configuration);
    tcase_add_test(tc, plan_through_a_gateway);
    tcase_add_test(tc, plan_checks_the_certificates_of_a_directory);
    tcase_add_test(tc, plan_without_the_gateways_certificate_fails);
    tcase_add_test(tc, trusts_checks_the_certificates_of_a_directory);
    tcase_add_test(tc, only_the_domains_named);
    tcase_add_test(tc, text_listing);
    tcase_add_test(tc, unreachable_dc_is_incomplete);
    tcase_add_loop_test(tc, bare_server_is_the_home_domains, 0,
                        (int)(sizeof(bare_servers) / sizeof(bare_servers[0])));
    tcase_add_test(tc, short_server_name_with_several_domains);
    tcase_add_test(tc, config_kdc_timeout_is_honoured);
    tcase_add_test(tc, same_verdicts_whatever_the_jobs);
    tcase_add_test(tc, agent_domains_given_replace_the_files);
    tcase_add_loop_test(tc, bad_usage_is_exit_64, 0, (int)(sizeof(bad_usage) / sizeof(bad_usage[0])));
    suite_add_tcase(s, tc);
    tc = tcase_create("map");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, trust_map_matches_the_report);
    tcase_add_test(tc, plan_map_through_a_gateway);
    suite_add_tcase(s, tc);
    return check_run(s);
}
