/* trust_map.h - the trust map: the domains of a "trusts" run (or of a
 * plan) grouped by forest, the trusts between them with their direction
 * and kind, coloured by the verdict for OpsMgr's Kerberos across each,
 * and the management servers' domain marked; as a Graphviz DOT graph and
 * as an SVG picture of it.
 *
 * Conventions of the map (its legend says them too): an arrow points from
 * the trusting domain to the trusted one, the direction of the trust
 * (access goes the other way); a two-way trust has both heads.  Edges are
 * green where Kerberos works, orange where certificates are needed, red
 * (bold) where selective authentication does not allow the agents, grey
 * and dashed where it could not be checked (never drawn as a failure).
 * Every name from the directory is shown escaped (display.h); node names
 * are synthetic (n1, n2...), the domain is only in the label. */
#ifndef SPNAUDIT_TRUST_MAP_H
#define SPNAUDIT_TRUST_MAP_H

#include <stddef.h>

#include "spnaudit/error.h"
#include "spnaudit/trustaudit.h"

/* Above this many domains (or trusts) the map is not drawn: a layout of
 * more is unreadable and slow; the error says so. */
#define SA_TRUST_MAP_MAX_DOMAINS 300
#define SA_TRUST_MAP_MAX_TRUSTS 2000

/* The map of a trusts run (its home domain the management servers'), or
 * of a plan, as DOT text in *dot_out (malloc'd, NUL-terminated). */
sa_status sa_trust_map_dot(const sa_trust_run *r, char **dot_out, sa_error *err);
sa_status sa_plan_map_dot(const sa_plan *p, char **dot_out, sa_error *err);

/* The map drawn as SVG by Graphviz's dot program, for inline use in an
 * HTML page: *svg_out (malloc'd) starts at "<svg" and holds no XML
 * prolog, DOCTYPE or comment.  Errors say why the map is not drawn: too
 * many domains, dot not installed, failed, too slow or its output too
 * large. */
sa_status sa_trust_map_svg(const sa_trust_run *r, char **svg_out, sa_error *err);
sa_status sa_plan_map_svg(const sa_plan *p, char **svg_out, sa_error *err);

/* DOT text drawn as inline SVG, as above, dot given SA_DOT_SECONDS and
 * its SVG SA_SVG_MAX bytes at the most (it is stopped beyond either). */
#define SA_DOT_SECONDS 30
#define SA_SVG_MAX ((size_t)16 << 20)
sa_status sa_dot_to_svg(const char *dot, char **svg_out, sa_error *err);
/* The same within other limits. */
sa_status sa_dot_to_svg_within(const char *dot, int seconds, size_t svg_max, char **svg_out, sa_error *err);

#endif
