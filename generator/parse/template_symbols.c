/* template_symbols.c - <symbols> of a template: families, their values and
 * each value's drawing (docs/template.md, "Symbols"). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse/xml_internal.h"
#include "util/i18n.h"
#include "util/num.h"

static int count_elements(xmlNodePtr el, const char *name) {
  int n = 0;
  for (xmlNodePtr c = el->children; c; c = c->next) n += xml_is(c, name);
  return n;
}

static double number_attr(xml_input *in, xmlNodePtr el, const char *name, double fallback, int *failed) {
  const char *v = xml_attr(in, el, name);
  if (!v) return fallback;
  char *end;
  double x = strtod_c(v, &end); /* not the locale's decimal point */
  if (*end || !isfinite(x)) {
    xml_error_at(in, el, _("%s=\"%s\" is not a number"), name, v);
    *failed = 1;
    return fallback;
  }
  return x;
}

/* Texts that end up in the PDF's text layer and structure tree (/Alt,
 * /ActualText: "title: short") are bounded well inside a PDF string. */
enum { MAX_SHORT_TEXT = 200, MAX_LONG_TEXT = 2000 };

static const char *dup_attr(xml_input *in, template_model *t, xmlNodePtr el, const char *name) {
  const char *v = xml_attr(in, el, name);
  return v ? arena_strdup(&t->arena, v) : NULL;
}

static const char *dup_text(xml_input *in, template_model *t, xmlNodePtr el, const char *name, size_t max,
                            int *failed) {
  const char *v = xml_attr(in, el, name);
  if (v && strlen(v) > max) {
    xml_error_at(in, el, _("%s is %zu bytes long: at most %zu fit"), name, strlen(v), max);
    *failed = 1;
    return NULL;
  }
  return v ? arena_strdup(&t->arena, v) : NULL;
}

static void parse_part(xml_input *in, xmlNodePtr el, symbol_part *p, int *failed) {
  for (int s = 0; s < SHAPE_COUNT; s++)
    if (xml_is(el, symbol_shape_names[s])) p->shape = (symbol_shape)s;
  const char *fill = xml_attr(in, el, "fill"), *stroke = xml_attr(in, el, "stroke");
  const char *color = xml_attr(in, el, "color");
  rgb black = {0, 0, 0};
  p->fill = parse_color(fill ? fill : color, black);
  p->stroke = parse_color(stroke ? stroke : color, black);
  /* lines are stroked in the colour; areas filled with it */
  int line_shape = p->shape == SHAPE_ARROW || p->shape == SHAPE_CHECK || p->shape == SHAPE_CROSS;
  p->paint = (fill || (!stroke && color && !line_shape) ? SYMBOL_FILL : 0) |
             (stroke || (color && line_shape) ? SYMBOL_STROKE : 0);
  if (!p->paint) p->paint = line_shape ? SYMBOL_STROKE : SYMBOL_FILL;
  p->stroke_width = number_attr(in, el, "stroke-width", line_shape ? 0.14 : 0.09, failed);
  if (p->stroke_width < 0 || p->stroke_width > 0.5) {
    xml_error_at(in, el, _("stroke-width=\"%g\" is out of range (0 to 0.5 of the symbol size)"),
                 p->stroke_width);
    *failed = 1;
  }
  if (p->shape == SHAPE_PIE) {
    p->param_from_value = !xml_attr(in, el, "percent");
    p->param = number_attr(in, el, "percent", 0, failed);
    if (p->param < 0 || p->param > 100) {
      xml_error_at(in, el, _("percent=\"%g\" is out of range (0 to 100)"), p->param);
      *failed = 1;
    }
  } else if (p->shape == SHAPE_ARROW) {
    p->param = number_attr(in, el, "angle", 0, failed);
  }
}

static void parse_value(xml_input *in, template_model *t, xmlNodePtr el, symbol_family *f, symbol_value *v,
                        int *failed) {
  v->name = dup_attr(in, t, el, "name");
  v->short_text = dup_text(in, t, el, "short", MAX_SHORT_TEXT, failed);
  v->label = dup_text(in, t, el, "label", MAX_LONG_TEXT, failed);
  if (!v->label) v->label = v->short_text;
  if (f->numeric) {
    /* a range may carry a name: the level a risk matrix cell names (<derive>) */
    v->from = number_attr(in, el, "from", f->min, failed);
    v->to = number_attr(in, el, "to", f->max, failed);
  } else if (!v->name) {
    xml_error_at(in, el, _("a value of family \"%s\" needs a name (or the family needs min and max)"),
                 f->name);
    *failed = 1;
  }
  int n = 0;
  for (xmlNodePtr c = el->children; c; c = c->next) n += c->type == XML_ELEMENT_NODE;
  v->parts = arena_alloc(&t->arena, sizeof *v->parts * (size_t)(n ? n : 1));
  if (!v->parts) {
    *failed = 1;
    return;
  }
  for (xmlNodePtr c = el->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) parse_part(in, c, &v->parts[v->part_count++], failed);
}

int parse_symbol_families(xml_input *in, template_model *t, xmlNodePtr el) {
  int failed = 0;
  symbol_set *set = &t->symbols;
  int n = count_elements(el, "family");
  set->family_count = 0;
  set->families = arena_alloc(&t->arena, sizeof *set->families * (size_t)(n ? n : 1));
  if (!set->families) return 0;
  for (xmlNodePtr c = el->children; c; c = c->next) {
    if (!xml_is(c, "family")) continue;
    symbol_family *f = &set->families[set->family_count];
    f->name = dup_attr(in, t, c, "name");
    for (int i = 0; i < set->family_count; i++)
      if (strcmp(set->families[i].name, f->name) == 0) {
        xml_error_at(in, c, _("symbol family \"%s\" is defined twice"), f->name);
        failed = 1;
      }
    set->family_count++;
    f->title = dup_text(in, t, c, "title", MAX_SHORT_TEXT, &failed);
    if (!f->title) f->title = f->name;
    f->size = number_attr(in, c, "size", 0.8, &failed);
    if (f->size < 0.3 || f->size > 1.5) {
      xml_error_at(in, c, _("size=\"%g\" is out of range (0.3 to 1.5 of the text size)"), f->size);
      failed = 1;
    }
    const char *text = xml_attr(in, c, "text");
    f->text_visible = text && strcmp(text, "visible") == 0;
    f->numeric = xml_attr(in, c, "min") || xml_attr(in, c, "max");
    f->min = number_attr(in, c, "min", 0, &failed);
    f->max = number_attr(in, c, "max", 100, &failed);
    if (f->min > f->max) {
      xml_error_at(in, c, _("min is larger than max"));
      failed = 1;
    }
    for (xmlNodePtr e = c->children; e; e = e->next)
      if (xml_is(e, "explanation")) {
        xmlChar *s = xmlNodeGetContent(e);
        f->explanation = arena_strdup(&t->arena, s ? (const char *)s : "");
        xmlFree(s);
      }
    int vn = count_elements(c, "value");
    f->values = arena_alloc(&t->arena, sizeof *f->values * (size_t)(vn ? vn : 1));
    if (!f->values) return 0;
    for (xmlNodePtr e = c->children; e; e = e->next) {
      if (!xml_is(e, "value")) continue;
      symbol_value *v = &f->values[f->value_count];
      parse_value(in, t, e, f, v, &failed);
      for (int i = 0; i < f->value_count && v->name; i++)
        if (f->values[i].name && strcmp(f->values[i].name, v->name) == 0) {
          xml_error_at(in, e, _("value \"%s\" of family \"%s\" is defined twice"), v->name, f->name);
          failed = 1;
        }
      f->value_count++;
    }
  }
  return !failed;
}
