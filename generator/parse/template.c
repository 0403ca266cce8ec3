/* template.c - layout template XML to the template model. Every setting
 * has a default, and every style inherits what it does not set from
 * "body", so a template states only what it changes. */
#include <libxml/tree.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse/xml_internal.h"
#include "util/i18n.h"
#include "util/num.h"

typedef struct tbuilder {
  xml_input *in;
  template_model *t;
  int failed;
} tbuilder;

static const char *dup(tbuilder *b, const char *s) { return s ? arena_strdup(&b->t->arena, s) : NULL; }

/* Points as people write them: one decimal at most (%g of this). */
static double pt(double x) { return floor(x * 10 + 0.5) / 10; }

static double length_attr(tbuilder *b, xmlNodePtr el, const char *name, double fallback) {
  const char *v = xml_attr(b->in, el, name);
  if (!v) return fallback;
  double x = parse_length(v);
  if (x < 0 || x > 5000) {
    xml_error_at(b->in, el, _("%s=\"%s\" is not a usable length"), name, v);
    b->failed = 1;
    return fallback;
  }
  return x;
}

static int yes(const char *v, int fallback) { return v ? strcmp(v, "yes") == 0 : fallback; }

rgb parse_color(const char *v, rgb fallback) {
  if (!v || v[0] != '#' || strlen(v) != 7) return fallback;
  unsigned long x = strtoul(v + 1, NULL, 16);
  rgb c = {((x >> 16) & 255) / 255.0, ((x >> 8) & 255) / 255.0, (x & 255) / 255.0};
  return c;
}

static void apply_style_attrs(tbuilder *b, xmlNodePtr el, text_style *s) {
  const char *v;
  if ((v = xml_attr(b->in, el, "family"))) {
    s->family = dup(b, v);
    xml_node_position(b->in, el, &s->line, &s->column);
  }
  if ((v = xml_attr(b->in, el, "weight"))) s->bold = strcmp(v, "bold") == 0;
  if ((v = xml_attr(b->in, el, "slant"))) s->italic = strcmp(v, "italic") == 0;
  double old_size = s->size;
  s->size = length_attr(b, el, "size", s->size);
  /* A new size without a new leading keeps the old proportion. */
  if (xml_attr(b->in, el, "leading")) s->leading = length_attr(b, el, "leading", s->leading);
  else if (s->size != old_size && old_size > 0) s->leading = s->leading * s->size / old_size;
  if (s->size < 1 || s->size > 400) {
    xml_error_at(b->in, el, _("font size %gpt is out of range (1pt to 400pt)"), pt(s->size));
    b->failed = 1;
  }
  if (s->leading < s->size * 0.8) s->leading = s->size * 1.2;
  s->color = parse_color(xml_attr(b->in, el, "color"), s->color);
  s->space_before = length_attr(b, el, "space-before", s->space_before);
  s->space_after = length_attr(b, el, "space-after", s->space_after);
  s->indent = length_attr(b, el, "indent", s->indent);
  if ((v = xml_attr(b->in, el, "align")))
    s->align = strcmp(v, "justify") == 0  ? ALIGN_JUSTIFY
               : strcmp(v, "center") == 0 ? ALIGN_CENTER
               : strcmp(v, "right") == 0  ? ALIGN_RIGHT
                                          : ALIGN_LEFT;
  s->hyphenate = yes(xml_attr(b->in, el, "hyphenate"), s->hyphenate);
}

static void set_defaults(template_model *t) {
  t->page = (page_setup){595.276, 841.89, 72, 68, 70, 62, 1, 37, 37};
  text_style body = {0};
  body.family = "Carlito";
  body.size = 11;
  body.leading = 14.5;
  body.space_after = 7;
  body.align = ALIGN_JUSTIFY;
  body.hyphenate = 1;
  t->body = body;
  t->list = (list_style){0, 14, 2.5, {"\xe2\x80\xa2", "\xe2\x80\x93", "\xe2\x97\xa6"}, "."};
  t->toc.title = "Innehållsförteckning";
  t->toc.levels = 2;
  t->toc.indent = 14;
  t->toc.leader = ".";
  t->table.padding_h = 4;
  t->table.padding_v = 2.5;
  t->table.min_font_size = 7;
  t->table.rule_width = 0.4;
  t->table.frame_width = 0.9;
  t->table.rule_color = (rgb){0.55, 0.61, 0.68};
  t->table.header_fill = (rgb){0.86, 0.9, 0.94};
  t->table.zebra_fill = (rgb){0.96, 0.97, 0.98};
  t->table.tabular_figures = 1;
  t->number_group_separator = "\xc2\xa0";
  t->minus_sign = "\xe2\x88\x92";
  t->decimal_separator = ",";
  t->fallback_families[0] = "DejaVu Sans";
  t->fallback_count = 1;
  t->title_space_after = 20;
  t->group_min_digits = 5;
  t->scripts = (script_style){0.7, 0.33, 0.15};
  t->footnote.rule_width = 0.5;
  t->footnote.rule_length = 0.3;
  t->footnote.space_before = 10;
  t->footnote.table_symbols = 1;
  t->hyphen_min_word = 7;
}

/* Derived styles start as a copy of body with their own natural defaults. */
static void derive_styles(template_model *t) {
  text_style b = t->body;
  t->lead = b;
  t->note = b;
  t->note.size = b.size * 0.82, t->note.leading = b.leading * 0.8;
  t->placeholder = b;
  t->placeholder.italic = 1;
  t->placeholder.size = b.size * 0.85;
  t->running = b;
  t->running.size = 8.5, t->running.leading = 10, t->running.space_after = 0;
  double sizes[MAX_HEADING_LEVEL] = {18, 14, 11.5, 11, 11};
  for (int i = 0; i < MAX_HEADING_LEVEL; i++) {
    heading_style *h = &t->heading[i];
    h->text = b;
    h->text.bold = 1;
    h->text.size = sizes[i];
    h->text.leading = sizes[i] * 1.22;
    h->text.align = ALIGN_LEFT;
    h->text.hyphenate = 0;
    h->text.space_before = sizes[i] * 1.1;
    h->text.space_after = sizes[i] * 0.4;
  }
  t->toc.title_style = t->heading[1].text;
  for (int i = 0; i < MAX_HEADING_LEVEL; i++) {
    t->toc.entry[i] = b;
    t->toc.entry[i].align = ALIGN_LEFT;
    t->toc.entry[i].hyphenate = 0;
    t->toc.entry[i].space_after = 1;
  }
  t->toc.entry[0].bold = 1;
  t->table.body = b;
  t->table.body.size = 9.5, t->table.body.leading = 12, t->table.body.space_after = 0;
  t->table.body.align = ALIGN_LEFT;
  t->table.header = t->table.body;
  t->table.header.bold = 1;
  t->table.caption = t->table.body;
  t->table.caption.bold = 1;
  t->table.unit = t->table.body;
  t->table.unit.italic = 1;
  t->table.note = t->table.body;
  t->footnote.text = b;
  t->footnote.text.size = b.size * 0.8, t->footnote.text.leading = b.leading * 0.8;
  t->footnote.text.space_before = 0, t->footnote.text.space_after = 1;
  t->footnote.text.align = ALIGN_LEFT;
}

static text_style *style_by_name(template_model *t, const char *name) {
  const struct {
    const char *name;
    text_style *style;
  } styles[] = {
      {"lead", &t->lead},
      {"note", &t->note},
      {"placeholder", &t->placeholder},
      {"running", &t->running},
      {"heading-1", &t->heading[0].text},
      {"heading-2", &t->heading[1].text},
      {"heading-3", &t->heading[2].text},
      {"heading-4", &t->heading[3].text},
      {"heading-5", &t->heading[4].text},
      {"toc-title", &t->toc.title_style},
      {"toc-1", &t->toc.entry[0]},
      {"toc-2", &t->toc.entry[1]},
      {"toc-3", &t->toc.entry[2]},
      {"toc-4", &t->toc.entry[3]},
      {"toc-5", &t->toc.entry[4]},
      {"footnote", &t->footnote.text},
      {"table", &t->table.body},
      {"table-header", &t->table.header},
      {"caption", &t->table.caption},
      {"table-unit", &t->table.unit},
      {"table-note", &t->table.note},
  };
  for (size_t i = 0; i < sizeof styles / sizeof *styles; i++)
    if (strcmp(name, styles[i].name) == 0) return styles[i].style;
  return NULL;
}

static void parse_running(tbuilder *b, xmlNodePtr el, running_part *r) {
  memset(r, 0, sizeof *r);
  r->present = 1;
  r->rule_width = length_attr(b, el, "rule", 0);
  r->rule_color = parse_color(xml_attr(b->in, el, "rule-color"), (rgb){0.5, 0.5, 0.5});
  for (xmlNodePtr c = el->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    xmlChar *v = xmlNodeGetContent(c);
    const char *s = dup(b, v ? (const char *)v : "");
    xmlFree(v);
    if (xml_is(c, "left")) r->left = s;
    else if (xml_is(c, "center")) r->center = s;
    else if (xml_is(c, "right")) r->right = s;
  }
}

/* Space-separated words into out; more than max is an error at el. */
static void split_words(tbuilder *b, xmlNodePtr el, const char *attr, const char *list, const char **out, int max,
                        int *count) {
  char *copy = arena_strdup(&b->t->arena, list);
  int n = 0;
  for (char *save = NULL, *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
    if (n == max) {
      xml_error_at(b->in, el, _("%s=\"%s\" has more than %d entries"), attr, list, max);
      b->failed = 1;
      break;
    }
    out[n++] = tok;
  }
  if (count) *count = n;
}

static void apply_named_style(tbuilder *b, xmlNodePtr c, const char *name) {
  template_model *t = b->t;
  const char *v;
  text_style *s = style_by_name(t, name);
  if (!s) return; /* body */
  apply_style_attrs(b, c, s);
  if (strncmp(name, "heading-", 8) != 0) return;
  heading_style *h = &t->heading[name[8] - '1'];
  h->numbered = yes(xml_attr(b->in, c, "numbered"), h->numbered);
  if ((v = xml_attr(b->in, c, "page-break-before"))) {
    h->page_break_before = strcmp(v, "no") != 0;
    h->odd_page = strcmp(v, "odd") == 0;
  }
  h->rule_width = length_attr(b, c, "rule", h->rule_width);
  h->rule_color = parse_color(xml_attr(b->in, c, "rule-color"), h->text.color);
  if ((v = xml_attr(b->in, c, "number-format")))
    h->number_format = strcmp(v, "1") == 0      ? HEADING_NUMBER_OWN
                       : strcmp(v, "1.") == 0   ? HEADING_NUMBER_OWN_DOT
                       : strcmp(v, "1.1.") == 0 ? HEADING_NUMBER_PATH_DOT
                                                : HEADING_NUMBER_PATH;
}

/* Levels 4 and 5 and their TOC entries follow the template's level 3 (a
 * template written for three levels still sets them in its own letters):
 * level 4 at the body's size, level 5 in italic as well. */
static int is_deep_style(const char *name) {
  return name && (strcmp(name, "heading-4") == 0 || strcmp(name, "heading-5") == 0 || strcmp(name, "toc-4") == 0 ||
                  strcmp(name, "toc-5") == 0);
}

static void derive_deep_headings(template_model *t) {
  for (int i = 3; i < MAX_HEADING_LEVEL; i++) {
    heading_style *h = &t->heading[i];
    *h = t->heading[i - 1];
    h->page_break_before = h->odd_page = 0;
    h->rule_width = 0;
    if (i == 3) {
      h->text.size = t->body.size;
      h->text.leading = t->body.leading;
      h->text.space_before = t->body.size * 0.9;
      h->text.space_after = t->body.size * 0.3;
    } else {
      h->text.italic = 1;
    }
    t->toc.entry[i] = t->toc.entry[i - 1];
  }
}

static void parse_template_root(tbuilder *b, xmlNodePtr root) {
  template_model *t = b->t;
  const char *v;
  if ((v = xml_attr(b->in, root, "name"))) t->name = dup(b, v);
  if ((v = xml_attr(b->in, root, "description"))) t->description = dup(b, v);
  /* body first: everything else derives from it */
  for (xmlNodePtr c = root->children; c; c = c->next)
    if (xml_is(c, "style") && strcmp(xml_attr(b->in, c, "name"), "body") == 0)
      apply_style_attrs(b, c, &t->body);
  derive_styles(t);
  for (xmlNodePtr c = root->children; c && !b->failed; c = c->next) {
    if (xml_is(c, "page")) {
      page_setup *p = &t->page;
      if ((v = xml_attr(b->in, c, "size"))) {
        if (strcmp(v, "A5") == 0) p->width = 419.528, p->height = 595.276;
        else if (strcmp(v, "letter") == 0) p->width = 612, p->height = 792;
      }
      p->width = length_attr(b, c, "width", p->width);
      p->height = length_attr(b, c, "height", p->height);
      p->top = length_attr(b, c, "top", p->top);
      p->bottom = length_attr(b, c, "bottom", p->bottom);
      p->inner = length_attr(b, c, "inner", p->inner);
      p->outer = length_attr(b, c, "outer", p->outer);
      p->mirrored = yes(xml_attr(b->in, c, "mirrored"), p->mirrored);
      p->header_offset = length_attr(b, c, "header-offset", p->header_offset);
      p->footer_offset = length_attr(b, c, "footer-offset", p->footer_offset);
    } else if (xml_is(c, "symbols")) {
      if (!parse_symbol_families(b->in, t, c)) b->failed = 1;
    } else if (xml_is(c, "fonts")) {
      xml_node_position(b->in, c, &t->fallback_line, &t->fallback_column);
      if ((v = xml_attr(b->in, c, "fallback"))) {
        /* comma-separated family names */
        char *copy = arena_strdup(&t->arena, v);
        t->fallback_count = 0;
        int max = (int)(sizeof t->fallback_families / sizeof *t->fallback_families);
        for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
          while (*tok == ' ') tok++;
          if (!*tok) continue;
          if (t->fallback_count == max) {
            xml_error_at(b->in, c, _("fallback names more than %d families"), max);
            b->failed = 1;
            break;
          }
          t->fallback_families[t->fallback_count++] = tok;
        }
      }
    } else if (xml_is(c, "numbers")) {
      if ((v = xml_attr(b->in, c, "group-separator")))
        t->number_group_separator = strcmp(v, "thin") == 0          ? "\xe2\x80\x89"
                                    : strcmp(v, "narrow-nbsp") == 0 ? "\xe2\x80\xaf"
                                    : strcmp(v, "space") == 0       ? " "
                                    : strcmp(v, "none") == 0        ? ""
                                                                    : "\xc2\xa0";
      if ((v = xml_attr(b->in, c, "minus"))) t->minus_sign = strcmp(v, "hyphen") == 0 ? "-" : "\xe2\x88\x92";
      if ((v = xml_attr(b->in, c, "group-min-digits"))) t->group_min_digits = atoi(v);
    } else if (xml_is(c, "scripts")) {
      script_style *sc = &t->scripts;
      if ((v = xml_attr(b->in, c, "scale"))) sc->scale = atof(v);
      if ((v = xml_attr(b->in, c, "rise"))) sc->rise = atof(v);
      if ((v = xml_attr(b->in, c, "drop"))) sc->drop = atof(v);
    } else if (xml_is(c, "footnotes")) {
      footnote_style *fn = &t->footnote;
      if ((v = xml_attr(b->in, c, "numbering"))) fn->numbering = strcmp(v, "page") == 0 ? NOTE_NUMBER_PAGE : NOTE_NUMBER_DOCUMENT;
      if ((v = xml_attr(b->in, c, "table-marks"))) fn->table_symbols = strcmp(v, "numbers") != 0;
      fn->rule_width = length_attr(b, c, "rule", fn->rule_width);
      fn->space_before = length_attr(b, c, "space-before", fn->space_before);
    } else if (xml_is(c, "hyphenation")) {
      if ((v = xml_attr(b->in, c, "min-word"))) t->hyphen_min_word = atoi(v); /* the schema checks the range */
      t->hyphen_capitalized = yes(xml_attr(b->in, c, "capitalized"), t->hyphen_capitalized);
    } else if (xml_is(c, "style")) {
      const char *name = xml_attr(b->in, c, "name");
      if (!is_deep_style(name)) apply_named_style(b, c, name); /* body: done above; deep: below */
    } else if (xml_is(c, "list")) {
      list_style *l = &t->list;
      l->indent = length_attr(b, c, "indent", l->indent);
      l->label_width = length_attr(b, c, "label-width", l->label_width);
      l->item_space = length_attr(b, c, "item-space", l->item_space);
      if ((v = xml_attr(b->in, c, "bullets"))) {
        int n = 0;
        split_words(b, c, "bullets", v, l->bullets, 3, &n);
        for (int i = n; i < 3 && n > 0; i++) l->bullets[i] = l->bullets[n - 1];
      }
      if ((v = xml_attr(b->in, c, "number-suffix"))) l->number_suffix = dup(b, v);
    } else if (xml_is(c, "toc")) {
      if ((v = xml_attr(b->in, c, "title"))) t->toc.title = dup(b, v);
      if ((v = xml_attr(b->in, c, "levels"))) t->toc.levels = atoi(v);
      if ((v = xml_attr(b->in, c, "leader"))) t->toc.leader = dup(b, v);
      t->toc.indent = length_attr(b, c, "indent", t->toc.indent);
    } else if (xml_is(c, "table")) {
      table_style *ts = &t->table;
      ts->padding_h = length_attr(b, c, "padding", ts->padding_h);
      ts->padding_v = length_attr(b, c, "padding-vertical", ts->padding_v);
      ts->min_font_size = length_attr(b, c, "min-font-size", ts->min_font_size);
      ts->rule_width = length_attr(b, c, "rule", ts->rule_width);
      ts->frame_width = length_attr(b, c, "frame", ts->frame_width);
      ts->rule_color = parse_color(xml_attr(b->in, c, "rule-color"), ts->rule_color);
      ts->header_fill = parse_color(xml_attr(b->in, c, "header-fill"), ts->header_fill);
      if ((v = xml_attr(b->in, c, "zebra"))) ts->zebra = 1, ts->zebra_fill = parse_color(v, ts->zebra_fill);
      ts->tabular_figures = yes(xml_attr(b->in, c, "tabular-figures"), ts->tabular_figures);
    } else if (xml_is(c, "header")) {
      parse_running(b, c, &t->header);
    } else if (xml_is(c, "footer")) {
      parse_running(b, c, &t->footer);
    } else if (xml_is(c, "first-page-header")) {
      parse_running(b, c, &t->first_header);
      t->first_page_different = 1;
    } else if (xml_is(c, "first-page-footer")) {
      parse_running(b, c, &t->first_footer);
      t->first_page_different = 1;
    } else if (xml_is(c, "title-block")) {
      t->title_space_after = length_attr(b, c, "space-after", t->title_space_after);
      int n = 0;
      for (xmlNodePtr l = c->children; l; l = l->next) n += xml_is(l, "line");
      t->title_lines = arena_alloc(&t->arena, sizeof(title_line) * (size_t)(n ? n : 1));
      if (!t->title_lines) {
        b->failed = 1;
        return;
      }
      for (xmlNodePtr l = c->children; l; l = l->next) {
        if (!xml_is(l, "line")) continue;
        title_line *tl = &t->title_lines[t->title_line_count++];
        tl->style = t->body;
        tl->style.align = ALIGN_LEFT;
        tl->style.space_after = 0;
        apply_style_attrs(b, l, &tl->style);
        xmlChar *text = xmlNodeGetContent(l);
        tl->text = dup(b, text ? (const char *)text : "");
        xmlFree(text);
      }
    }
  }
  /* <domain> names families of <symbols>, wherever that stands */
  for (xmlNodePtr c = root->children; c && !b->failed; c = c->next)
    if (xml_is(c, "domain") && !parse_domain(b->in, t, c)) b->failed = 1;
  derive_deep_headings(t);
  for (xmlNodePtr c = root->children; c && !b->failed; c = c->next)
    if (xml_is(c, "style") && is_deep_style(xml_attr(b->in, c, "name")))
      apply_named_style(b, c, xml_attr(b->in, c, "name"));
  /* With a first-page part given for only one of header/footer, the other
   * stays as on every page. */
  if (t->first_page_different) {
    if (!t->first_header.present) t->first_header = t->header;
    if (!t->first_footer.present) t->first_footer = t->footer;
  }
}

/* ---- values that would put content off the page ----
 * Checked once everything is read, against the final page: a style may
 * come before <page>. Each element answers for the values it sets. */

enum { MIN_TEXT_WIDTH = 72, MIN_TEXT_HEIGHT = 144, MIN_MEASURE = 36, MAX_RULE = 72 };

typedef struct fit_check {
  tbuilder *b;
  double width, height; /* the text area */
} fit_check;

#define refuse(fc, el, ...) (xml_error_at((fc)->b->in, (el), __VA_ARGS__), (fc)->b->failed = 1)

static void check_height(fit_check *fc, xmlNodePtr el, const char *what, double value) {
  if (value > fc->height)
    refuse(fc, el, _("%s %gpt is taller than the text area (%gpt)"), what, pt(value), pt(fc->height));
}

static void check_rule(fit_check *fc, xmlNodePtr el, const char *what, double value) {
  if (value > MAX_RULE)
    refuse(fc, el, _("%s %gpt is thicker than a rule may be (%dpt)"), what, pt(value), MAX_RULE);
}

static void check_style(fit_check *fc, xmlNodePtr el, const text_style *s) {
  check_height(fc, el, "leading", s->leading);
  check_height(fc, el, "space-before", s->space_before);
  check_height(fc, el, "space-after", s->space_after);
  if (fc->width - s->indent < MIN_MEASURE)
    refuse(fc, el, _("indent %gpt leaves no room for text: the text area is %gpt wide"), pt(s->indent),
           pt(fc->width));
}

static void check_running(fit_check *fc, xmlNodePtr page_el, const template_model *t) {
  const page_setup *p = &t->page;
  double size = t->running.size;
  if (t->header.present || t->first_header.present) {
    if (p->header_offset > p->top)
      refuse(fc, page_el, _("header-offset %gpt puts the header into the text area (top margin %gpt)"),
             pt(p->header_offset), pt(p->top));
    else if (p->header_offset < size)
      refuse(fc, page_el, _("header-offset %gpt puts the header's %gpt text above the page edge"),
             pt(p->header_offset), pt(size));
  }
  if ((t->footer.present || t->first_footer.present) && p->footer_offset + size > p->bottom)
    refuse(fc, page_el,
           _("footer-offset %gpt puts the footer's %gpt text into the text area (bottom margin %gpt)"),
           pt(p->footer_offset), pt(size), pt(p->bottom));
}

static void check_fits(tbuilder *b, xmlNodePtr root) {
  template_model *t = b->t;
  const page_setup *p = &t->page;
  fit_check fc = {b, p->width - p->inner - p->outer, p->height - p->top - p->bottom};
  xmlNodePtr page_el = NULL;
  for (xmlNodePtr c = root->children; c; c = c->next)
    if (xml_is(c, "page")) page_el = c;
  if (fc.width < MIN_TEXT_WIDTH || fc.height < MIN_TEXT_HEIGHT) {
    xml_error_at(
        b->in, page_el ? page_el : root,
        _("margins leave less than 1 x 2 inches for text: the text area is %gpt x %gpt of a %gpt x %gpt "
          "page (at least 72pt x 144pt)"),
        pt(fc.width), pt(fc.height), pt(p->width), pt(p->height));
    b->failed = 1;
    return; /* everything else is measured against the text area */
  }
  if (page_el) check_running(&fc, page_el, t);
  for (xmlNodePtr c = root->children; c; c = c->next) {
    if (xml_is(c, "style")) {
      const char *name = xml_attr(b->in, c, "name");
      const text_style *s = strcmp(name, "body") == 0 ? &t->body : style_by_name(t, name);
      if (s) check_style(&fc, c, s);
      if (strncmp(name, "heading-", 8) == 0) check_rule(&fc, c, "rule", t->heading[name[8] - '1'].rule_width);
    } else if (xml_is(c, "title-block")) {
      check_height(&fc, c, "space-after", t->title_space_after);
      int k = 0;
      for (xmlNodePtr l = c->children; l && k < t->title_line_count; l = l->next)
        if (xml_is(l, "line")) check_style(&fc, l, &t->title_lines[k++].style);
    } else if (xml_is(c, "list")) {
      const list_style *l = &t->list;
      if (fc.width - l->indent - l->label_width < MIN_MEASURE)
        refuse(&fc, c,
               _("indent + label-width %gpt leaves no room for list items: the text area is %gpt wide"),
               pt(l->indent + l->label_width), pt(fc.width));
      check_height(&fc, c, "item-space", l->item_space);
    } else if (xml_is(c, "toc")) {
      double indents = t->toc.indent * (t->toc.levels - 1);
      if (indents > fc.width / 2)
        refuse(&fc, c, _("indent %gpt per level takes more than half of the text area's width (%gpt)"),
               pt(t->toc.indent), pt(fc.width));
    } else if (xml_is(c, "table")) {
      const table_style *ts = &t->table;
      if (fc.width - 2 * ts->padding_h < MIN_MEASURE)
        refuse(&fc, c, _("padding %gpt is larger than the text area allows (%gpt wide)"), pt(ts->padding_h),
               pt(fc.width));
      if (2 * ts->padding_v + ts->body.leading > fc.height)
        refuse(&fc, c, _("padding-vertical %gpt leaves no room for a table row: the text area is %gpt tall"),
               pt(ts->padding_v), pt(fc.height));
      if (ts->min_font_size < 1 || ts->min_font_size > 400) {
        xml_error_at(b->in, c, _("min-font-size %gpt is out of range (1pt to 400pt)"), pt(ts->min_font_size));
        b->failed = 1;
      }
      check_rule(&fc, c, "rule", ts->rule_width);
      check_rule(&fc, c, "frame", ts->frame_width);
    } else if (xml_is(c, "header") || xml_is(c, "footer") || xml_is(c, "first-page-header") ||
               xml_is(c, "first-page-footer")) {
      running_part *r = xml_is(c, "header") ? &t->header : xml_is(c, "footer") ? &t->footer
                        : xml_is(c, "first-page-header") ? &t->first_header : &t->first_footer;
      check_rule(&fc, c, "rule", r->rule_width);
    }
  }
}

template_model *parse_template(const char *bytes, size_t length, const char *name,
                               xml_schema *schema, diag_sink *sink) {
  xml_input in;
  if (!xml_input_load(&in, bytes, length, name, schema, XML_MAX_TEMPLATE_ELEMENTS, sink)) return NULL;
  arena a = {0};
  template_model *t = arena_alloc(&a, sizeof *t);
  if (!t) {
    xml_input_free(&in);
    arena_free(&a);
    return NULL;
  }
  t->arena = a;
  t->file = arena_strdup(&t->arena, name);
  t->name = t->file;
  t->description = "";
  set_defaults(t);
  domain_style_defaults(&t->domain);
  tbuilder b = {&in, t, 0};
  parse_template_root(&b, xmlDocGetRootElement(in.doc));
  if (!b.failed && !parse_derive(&in, t, xmlDocGetRootElement(in.doc))) b.failed = 1;
  if (!b.failed) check_fits(&b, xmlDocGetRootElement(in.doc));
  xml_input_free(&in);
  if (b.failed || t->arena.failed) {
    template_free(t);
    return NULL;
  }
  return t;
}
