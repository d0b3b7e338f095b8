/* fuzz_svg.c - libFuzzer harness for the trust map's SVG in the HTML
 * report (html_svg.c through sa_trust_report_html): for any text given as
 * the map, the page is written, and read back with libxml2's HTML parser
 * it holds no script, style (but the page's own), foreign object, image,
 * link or frame, no attribute that runs (on*), links (href, src, any
 * namespaced one) or styles, no value that fetches (url( but of a
 * fragment), and under <figure> only the allow-list's elements; the map
 * is either drawn (one <svg>) or its placeholder says why; abort()
 * otherwise.  Run as
 *   build-fuzz/tests/fuzz/fuzz_svg -max_total_time=300 NEWDIR tests/fuzz/corpus/svg */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "spnaudit/report_html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
broken(const char *what, const xmlChar *name)
{
    fprintf(stderr, "svg invariant broken: %s [%s]\n", what, name ? (const char *)name : "");
    abort();
}

static const char *const drawing[] = {"svg",  "g",       "title",    "desc",    "text",   "tspan", "path",
                                      "rect", "polygon", "polyline", "ellipse", "circle", "line",  "defs"};

static bool
in_drawing(const xmlChar *name)
{
    for (size_t i = 0; i < sizeof(drawing) / sizeof(drawing[0]); i++) {
        if (strcasecmp((const char *)name, drawing[i]) == 0)
            return true;
    }
    return false;
}

static bool
fetches(const char *value)
{
    for (const char *p = value; (p = strcasestr(p, "url(")) != NULL; p += 4) {
        if (p[4] != '#')
            return true;
    }
    return false;
}

/* Every element under n; in_map: under the <figure> of the map;
 * map_inside: under an element of the map (a drawing's own drawings are
 * not counted in *svgs). */
static void
check_tree(xmlNodePtr n, bool in_map, bool map_inside, size_t *styles, size_t *svgs)
{
    for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
        bool map = in_map;
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcasecmp((const char *)c->name, "style") == 0)
            (*styles)++;
        *svgs += in_map && !map_inside && strcasecmp((const char *)c->name, "svg") == 0;
        if (strcasecmp((const char *)c->name, "script") == 0 ||
            strcasecmp((const char *)c->name, "iframe") == 0 ||
            strcasecmp((const char *)c->name, "img") == 0 ||
            strcasecmp((const char *)c->name, "image") == 0 || strcasecmp((const char *)c->name, "a") == 0 ||
            strcasecmp((const char *)c->name, "link") == 0 ||
            strcasecmp((const char *)c->name, "foreignobject") == 0 ||
            strcasecmp((const char *)c->name, "use") == 0)
            broken("an element that runs, fetches or links", c->name);
        if (in_map && !in_drawing(c->name) && strcasecmp((const char *)c->name, "figcaption") != 0 &&
            strcasecmp((const char *)c->name, "p") != 0)
            broken("an element of the map not on the allow-list", c->name);
        for (xmlAttrPtr a = c->properties; a != NULL; a = a->next) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            if (strncasecmp((const char *)a->name, "on", 2) == 0 ||
                strcasecmp((const char *)a->name, "href") == 0 ||
                strcasecmp((const char *)a->name, "src") == 0 || strchr((const char *)a->name, ':') != NULL ||
                (strcasecmp((const char *)a->name, "style") == 0))
                broken("an attribute that runs, links or styles", a->name);
            if (v != NULL && fetches((const char *)v))
                broken("a value that fetches", a->name);
            xmlFree(v);
        }
        if (strcasecmp((const char *)c->name, "figure") == 0)
            map = true;
        check_tree(c, map, in_map, styles, svgs);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *svg = strndup((const char *)data, size), *page = NULL;
    size_t len = 0, styles = 0, svgs = 0;
    sa_trust_run run;
    FILE *out;
    htmlDocPtr doc = NULL;

    memset(&run, 0, sizeof(run));
    run.home = "contoso.test";
    run.uri = "ldap://dc1.contoso.test";
    if (svg == NULL || (out = open_memstream(&page, &len)) == NULL)
        goto cleanup;
    if (sa_trust_report_html(&run, SA_SHELL_CMD, svg, NULL, out) != 0) {
        fclose(out);
        goto cleanup; /* out of memory */
    }
    if (fclose(out) != 0 || page == NULL)
        goto cleanup;
    doc = htmlReadMemory(page, (int)len, NULL, "UTF-8",
                         HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    if (doc == NULL)
        broken("the page does not parse", NULL);
    check_tree((xmlNodePtr)doc, false, false, &styles, &svgs);
    if (styles != 1)
        broken("a style besides the page's own", NULL);
    if (svgs > 1 || (svgs == 0 && strstr(page, "The trust map could not be shown: ") == NULL))
        broken("neither one drawing nor the reason why not", NULL);
cleanup:
    xmlFreeDoc(doc);
    free(page);
    free(svg);
    return 0;
}
