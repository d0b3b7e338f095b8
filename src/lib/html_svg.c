/* html_svg.c - the trust map's SVG in the HTML report: parsed without
 * fetching or expanding anything, then copied element by element keeping
 * only what an allow-list names, so that nothing in it can run, fetch or
 * link, whoever wrote the text (Graphviz draws names read from the
 * directory). */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

#include "html_internal.h"

#define SVG_NS "http://www.w3.org/2000/svg"
/* Deeper than any drawing Graphviz makes; a guard for the recursion. */
#define MAX_DEPTH 64

/* The drawing elements kept (as they are, or as another: <a> becomes a
 * <g>, its link dropped). */
static const struct {
    const char *name, *as;
} elements[] = {
    {"svg", "svg"},           {"g", "g"},           {"title", "title"}, {"desc", "desc"},
    {"text", "text"},         {"tspan", "tspan"},   {"path", "path"},   {"polygon", "polygon"},
    {"ellipse", "ellipse"},   {"circle", "circle"}, {"rect", "rect"},   {"line", "line"},
    {"polyline", "polyline"}, {"defs", "defs"},     {"a", "g"},
};

/* Presentation and geometry: nothing that runs, fetches or links (no
 * on*, href, style, src). */
static const char *const attributes[] = {
    "id",
    "class",
    "transform",
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "opacity",
    "points",
    "d",
    "x",
    "y",
    "dx",
    "dy",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "width",
    "height",
    "viewBox",
    "preserveAspectRatio",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "text-decoration",
};

/* What an element of the SVG namespace (or of none) is kept as, or NULL. */
static const char *
kept_as(const xmlNode *n)
{
    if (n->ns != NULL && (n->ns->href == NULL || strcmp((const char *)n->ns->href, SVG_NS) != 0))
        return NULL;
    for (size_t i = 0; i < sizeof(elements) / sizeof(elements[0]); i++) {
        if (strcmp((const char *)n->name, elements[i].name) == 0)
            return elements[i].as;
    }
    return NULL;
}

/* A value that could fetch: url(...) of anything but a fragment of the
 * drawing itself. */
static bool
fetches(const char *value)
{
    for (const char *p = value; (p = strcasestr(p, "url(")) != NULL; p += 4) {
        if (p[4] != '#')
            return true;
    }
    return false;
}

/* An attribute's value when it is plain text, or NULL: a reference to an
 * entity is never expanded (its text may be anything, and grow without
 * bound). */
static const char *
attribute_text(const xmlAttr *a)
{
    if (a->children == NULL)
        return "";
    if (a->children->next != NULL || a->children->type != XML_TEXT_NODE)
        return NULL;
    return (const char *)a->children->content;
}

static bool
attribute_kept(const xmlAttr *a, const char *value)
{
    if (a->ns != NULL || value == NULL || fetches(value)) /* xlink:href, xml:*, ... */
        return false;
    for (size_t i = 0; i < sizeof(attributes) / sizeof(attributes[0]); i++) {
        if (strcmp((const char *)a->name, attributes[i]) == 0)
            return true;
    }
    return false;
}

static void copy_children(const xmlNode *from, xmlNodePtr to, int depth);

/* Element c, kept as as, copied at the end of to with its kept attributes
 * and children; the copy, or NULL. */
static xmlNodePtr
copy_element(const xmlNode *c, const char *as, xmlNodePtr to, int depth)
{
    xmlNodePtr el = html_el(to, as, NULL, NULL);

    for (const xmlAttr *a = c->properties; a != NULL && el != NULL; a = a->next) {
        const char *value = attribute_text(a);
        if (attribute_kept(a, value))
            html_attr(el, (const char *)a->name, value);
    }
    copy_children(c, el, depth + 1);
    return el;
}

/* The kept children of from, copied into to (its copy). */
static void
copy_children(const xmlNode *from, xmlNodePtr to, int depth)
{
    for (const xmlNode *c = from->children; c != NULL && to != NULL; c = c->next) {
        const char *as;

        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            html_words(to, (const char *)c->content);
        else if (c->type == XML_ELEMENT_NODE && depth < MAX_DEPTH && (as = kept_as(c)) != NULL)
            copy_element(c, as, to, depth);
        /* else dropped: comments, processing instructions, entities, other elements */
    }
}

xmlNodePtr
html_svg_import(xmlNodePtr parent, const char *svg, const char **why)
{
    xmlDocPtr doc = NULL;
    xmlNodePtr root, copy = NULL;
    size_t len = strlen(svg);

    *why = NULL;
    if (parent == NULL)
        return NULL;
    /* no network, no entity expansion, no DTD loaded or applied */
    if (len > (size_t)INT32_MAX ||
        (doc = xmlReadMemory(svg, (int)len, "map.svg", NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)) == NULL) {
        *why = "the map is not well-formed XML";
        goto cleanup;
    }
    root = xmlDocGetRootElement(doc);
    if (root == NULL || strcmp((const char *)root->name, "svg") != 0 || kept_as(root) == NULL) {
        *why = "the map is not an SVG drawing";
        goto cleanup;
    }
    if ((copy = copy_element(root, "svg", parent, 0)) == NULL)
        *why = "out of memory";
cleanup:
    xmlFreeDoc(doc);
    return copy;
}
