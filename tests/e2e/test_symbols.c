/* test_symbols.c - end to end: the template's symbol families in the PDF.
 * Every value of every family, read from the shipped templates (nothing
 * here knows what a template draws), is placed in a table cell and in
 * running text; the tests check the text layer (pdftotext shows each short
 * text where its symbol stands), the structure tree (/Alt and /ActualText
 * on each symbol's Span), that no raster image is used, that a greyscale
 * rendering tells every value of a family apart, and that an unknown
 * family or value is refused with its position and the allowed names. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *const templates[] = {"default", "kommun-klassisk"};
enum { TEMPLATE_COUNT = sizeof templates / sizeof *templates };

/* One symbol to place: family and value as content writes them, and what
 * the template says it reads as. */
typedef struct symbol_case {
  char *family, *value;
  char *short_text; /* {value} expanded */
  char *alt;        /* "Title: short" with the short text's capital small */
} symbol_case;

static char *expand(const char *text, const char *value) {
  const char *at = strstr(text, "{value}");
  return at ? sfmt("%.*s%s%s", (int)(at - text), text, value, at + 7) : xstrdup(text);
}

/* "Delvis" -> "delvis" after the colon; a word in capitals stays. */
static char *alt_of(const char *title, const char *short_text) {
  char *s = sfmt("%s: %s", title, short_text);
  unsigned char *c = (unsigned char *)s + strlen(title) + 2;
  if (c[0] >= 'A' && c[0] <= 'Z' && !(c[1] >= 'A' && c[1] <= 'Z'))
    c[0] = (unsigned char)(c[0] - 'A' + 'a');
  else if (c[0] == 0xC3 && (c[1] == 0x84 || c[1] == 0x85 || c[1] == 0x96))
    c[1] = (unsigned char)(c[1] + 0x20);
  return s;
}

/* Every value of every family of a template; a numeric family gives the
 * lower end of each range and, for a single range, a few points in it. */
static symbol_case *template_cases(const char *name, int *count) {
  xmlDocPtr d = xml_load(sfmt("%s/templates/%s.xml", source_root(), name));
  xmlNodePtr symbols = xml_child(xmlDocGetRootElement(d), "symbols");
  ck_assert_msg(symbols != NULL, "template %s has no <symbols>", name);
  symbol_case *cases = NULL;
  int n = 0;
  for (xmlNodePtr f = symbols->children; f; f = f->next) {
    if (!xml_is(f, "family")) continue;
    char *family = xml_attr(f, "name"), *title = xml_attr(f, "title");
    if (!title) title = family;
    /* a numeric family's ranges may carry a name too (a risk level) */
    int numeric = xml_attr(f, "min") || xml_attr(f, "max"), ranges = 0;
    for (xmlNodePtr v = f->children; v; v = v->next) ranges += numeric && xml_is(v, "value");
    for (xmlNodePtr v = f->children; v; v = v->next) {
      if (!xml_is(v, "value")) continue;
      char *vname = numeric ? NULL : xml_attr(v, "name"), *shorts = xml_attr(v, "short");
      const char *points[4] = {vname, NULL, NULL, NULL};
      if (!vname && ranges > 1) points[0] = xml_attr(v, "from");
      if (!vname && ranges == 1) points[0] = "0", points[1] = "20", points[2] = "80", points[3] = "100";
      for (int k = 0; k < 4 && points[k]; k++) {
        cases = xgrow(cases, sizeof *cases * (size_t)(n + 1));
        symbol_case *c = &cases[n++];
        c->family = family;
        c->value = xstrdup(points[k]);
        c->short_text = expand(shorts, points[k]);
        c->alt = alt_of(title, c->short_text);
      }
    }
  }
  xmlFreeDoc(d);
  ck_assert_msg(n > 0, "template %s defines no symbols", name);
  *count = n;
  return cases;
}

static const char *doc_head =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"
    "  <meta><title>Symboler</title><board>Kommunstyrelsen</board></meta>\n";

/* A table: row i holds "RAD<i>", the symbol, "SLUT<i>"; then one paragraph
 * per symbol: "Före<i> <symbol/> efter<i>." The last row repeats the first
 * symbol (a control for the pixel comparison). */
static const char *write_symbols_doc(const char *dir, const symbol_case *cases, int n) {
  sbuf b = {0};
  sbuf_add(&b, doc_head);
  sbuf_add(&b,
           "  <body>\n    <table>\n      <columns><column width=\"30mm\"/><column width=\"45mm\" "
           "align=\"center\"/>"
           "<column width=\"30mm\"/></columns>\n      <thead><row><cell>Rad</cell><cell>Symbol</cell>"
           "<cell>Slut</cell></row></thead>\n      <tbody>\n");
  for (int i = 0; i <= n; i++) {
    const symbol_case *c = &cases[i < n ? i : 0];
    sbuf_printf(&b,
                "        <row><cell>RAD%d</cell><cell><symbol family=\"%s\" "
                "value=\"%s\"/></cell><cell>SLUT%d</cell></row>\n",
                i, c->family, c->value, i);
  }
  sbuf_add(&b, "      </tbody>\n    </table>\n");
  for (int i = 0; i < n; i++)
    sbuf_printf(&b, "    <p>Före%d <symbol family=\"%s\" value=\"%s\"/> efter%d.</p>\n", i, cases[i].family,
                cases[i].value, i);
  sbuf_add(&b, "  </body>\n</report>\n");
  const char *path = sfmt("%s/symbols.xml", dir);
  write_text(path, sbuf_str(&b));
  return path;
}

static const char *render_with(const char *dir, const char *in, const char *tpl) {
  const char *out = sfmt("%s/%s.pdf", dir, tpl);
  run_result r = run(NULL, bilaga_binary(), "render", in, "-t", tpl, "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "render with %s: %s", tpl, run_describe(&r));
  return out;
}

/* The line of pdftotext -layout output that holds word. */
static const char *line_with(char **lines, int count, const char *word) {
  for (int i = 0; i < count; i++) {
    int nf;
    char **f = layout_fields(lines[i], &nf);
    for (int k = 0; k < nf; k++)
      if (strcmp(f[k], word) == 0) return lines[i];
  }
  return NULL;
}

/* In a table cell and in running text, the short text stands where the
 * symbol does: the row reads RAD<i> | short | SLUT<i>, the paragraph
 * "Före<i> short efter<i>.". */
START_TEST(test_short_text_where_symbol_stands) {
  const char *tpl = templates[_i];
  int n;
  symbol_case *cases = template_cases(tpl, &n);
  const char *dir = tmpdir_new();
  const char *pdf = render_with(dir, write_symbols_doc(dir, cases, n), tpl);
  int count;
  char **lines = split_lines(plain_spaces(pdf_text(pdf, 0, 0, "-layout")), &count);
  for (int i = 0; i < n; i++) {
    const char *line = line_with(lines, count, sfmt("RAD%d", i));
    ck_assert_msg(line, "%s: no table row RAD%d", tpl, i);
    int nf;
    char **f = layout_fields(line, &nf);
    ck_assert_msg(nf == 3 && strcmp(f[1], cases[i].short_text) == 0 && strcmp(f[2], sfmt("SLUT%d", i)) == 0,
                  "%s: row %d (%s=%s) reads \"%s\", want RAD%d | %s | SLUT%d", tpl, i, cases[i].family,
                  cases[i].value, line, i, cases[i].short_text, i);
  }
  const char *text = collapse_ws(plain_spaces(pdf_text(pdf, 0, 0, NULL)));
  for (int i = 0; i < n; i++) {
    const char *want = sfmt("Före%d %s efter%d.", i, cases[i].short_text, i);
    ck_assert_msg(strstr(text, want), "%s: running text lacks \"%s\" (%s=%s)", tpl, want, cases[i].family,
                  cases[i].value);
  }
}
END_TEST

/* In running text a symbol keeps the line: its text box (the invisible
 * or shown short text) has the top and bottom of the words around it, and
 * a paragraph full of symbols has the baseline distance of the template's
 * body style. */
START_TEST(test_symbols_keep_baseline_and_leading) {
  const char *tpl = templates[_i];
  int n;
  symbol_case *cases = template_cases(tpl, &n);
  xmlDocPtr d = xml_load(sfmt("%s/templates/%s.xml", source_root(), tpl));
  double leading = 0;
  for (xmlNodePtr c = xmlDocGetRootElement(d)->children; c; c = c->next)
    if (xml_is(c, "style") && strcmp(xml_attr(c, "name"), "body") == 0)
      leading = length_pt(xml_attr(c, "leading"));
  xmlFreeDoc(d);
  ck_assert_msg(leading > 0, "%s: no body leading", tpl);
  sbuf b = {0};
  sbuf_add(&b, doc_head);
  sbuf_add(&b, "  <body>\n    <p>");
  for (int i = 0; i < n; i++)
    sbuf_printf(&b, "ORD%d <symbol family=\"%s\" value=\"%s\"/> ", i, cases[i].family, cases[i].value);
  sbuf_add(&b, "SLUT.</p>\n  </body>\n</report>\n");
  const char *dir = tmpdir_new();
  const char *in = sfmt("%s/lines.xml", dir);
  write_text(in, sbuf_str(&b));
  bbox_doc *words = pdf_words(render_with(dir, in, tpl), 1, 1);
  /* the word boxes of the paragraph, from ORD0 to SLUT. */
  int first = -1, last = -1;
  for (int k = 0; k < words->count; k++) {
    if (strcmp(words->words[k].text, "ORD0") == 0) first = k;
    if (strcmp(words->words[k].text, "SLUT.") == 0) last = k;
  }
  ck_assert_msg(first >= 0 && last > first, "%s: paragraph not found", tpl);
  double tops[64];
  int lines = 0;
  for (int k = first; k <= last; k++) {
    const bword *w = &words->words[k], *ord = &words->words[first];
    ck_assert_msg(fabs((w->y1 - w->y0) - (ord->y1 - ord->y0)) < 0.01,
                  "%s: \"%s\" is %.2fpt high, the words around it %.2fpt", tpl, w->text, w->y1 - w->y0,
                  ord->y1 - ord->y0);
    if (lines == 0 || fabs(w->y0 - tops[lines - 1]) > 0.01) {
      ck_assert_int_lt(lines, 64);
      tops[lines++] = w->y0;
    }
  }
  ck_assert_msg(lines >= 3, "%s: the paragraph has %d lines, want several", tpl, lines);
  for (int k = 1; k < lines; k++)
    ck_assert_msg(fabs(tops[k] - tops[k - 1] - leading) < 0.01,
                  "%s: lines %d and %d are %.2fpt apart, want %.2fpt", tpl, k, k + 1, tops[k] - tops[k - 1],
                  leading);
}
END_TEST

/* Family titles, labels and numeric-ness, in template order. */
typedef struct family_info {
  char *name, *title;
  int numeric;
  int value_count;
  char **values, **shorts, **labels;
} family_info;

static family_info *template_families(const char *tpl, int *count) {
  xmlDocPtr d = xml_load(sfmt("%s/templates/%s.xml", source_root(), tpl));
  family_info *fams = NULL;
  int n = 0;
  for (xmlNodePtr f = xml_child(xml_child(xmlDocGetRootElement(d), "symbols"), "family"); f; f = f->next) {
    if (!xml_is(f, "family")) continue;
    fams = xgrow(fams, sizeof *fams * (size_t)(n + 1));
    family_info *fi = &fams[n++];
    memset(fi, 0, sizeof *fi);
    fi->name = xml_attr(f, "name");
    fi->title = xml_attr(f, "title") ? xml_attr(f, "title") : fi->name;
    fi->numeric = xml_attr(f, "min") != NULL;
    for (xmlNodePtr v = f->children; v; v = v->next) {
      if (!xml_is(v, "value")) continue;
      int k = fi->value_count++;
      fi->values = xgrow(fi->values, sizeof *fi->values * (size_t)(k + 1));
      fi->shorts = xgrow(fi->shorts, sizeof *fi->shorts * (size_t)(k + 1));
      fi->labels = xgrow(fi->labels, sizeof *fi->labels * (size_t)(k + 1));
      fi->values[k] = xml_attr(v, fi->numeric ? "from" : "name");
      fi->shorts[k] = xml_attr(v, "short");
      fi->labels[k] = xml_attr(v, "label") ? xml_attr(v, "label") : fi->shorts[k];
    }
  }
  xmlFreeDoc(d);
  *count = n;
  return fams;
}

/* The text after the heading "Förklaring symboler", as lines. */
static char **legend_lines(const char *pdf, const char *mode, int *count) {
  char *text = plain_spaces(pdf_text(pdf, 0, 0, mode));
  char *at = strstr(text, "Förklaring symboler\n");
  ck_assert_msg(at != NULL, "no legend heading in: %.500s", text);
  return split_lines(at + strlen("Förklaring symboler\n"), count);
}

/* <legend/> lists the families the document uses, in order of first use,
 * each with every value's symbol (read as its short text) and label;
 * families="all" lists every family of the template in its order. */
START_TEST(test_generated_legend) {
  const char *tpl = templates[_i];
  int nf;
  family_info *fams = template_families(tpl, &nf);
  ck_assert_int_ge(nf, 3);
  /* used: the last family first, then the first, then the last again */
  const family_info *use[2] = {&fams[nf - 1], &fams[0]};
  for (int all = 0; all < 2; all++) {
    sbuf b = {0};
    sbuf_add(&b, doc_head);
    sbuf_add(&b, "  <body>\n    <section><heading>Resultat</heading>\n      <p>");
    for (int k = 0; k < 3; k++) {
      const family_info *f = use[k % 2];
      sbuf_printf(&b, "Text <symbol family=\"%s\" value=\"%s\"/> ", f->name, f->values[0]);
    }
    sbuf_printf(&b,
                "slut.</p>\n    </section>\n    <section><heading>Förklaring symboler</heading>\n"
                "      <legend%s/>\n    </section>\n  </body>\n</report>\n",
                all ? " families=\"all\"" : "");
    const char *dir = tmpdir_new();
    const char *in = sfmt("%s/legend.xml", dir);
    write_text(in, sbuf_str(&b));
    const char *pdf = render_with(dir, in, tpl);
    /* the family titles, each a line of its own, in order */
    int count;
    char **lines = legend_lines(pdf, NULL, &count);
    int want_n = all ? nf : 2, got = 0;
    for (int i = 0; i < count; i++)
      for (int k = 0; k < nf; k++)
        if (strcmp(lines[i], fams[k].title) == 0) {
          const family_info *want = all ? &fams[got] : got < 2 ? use[got] : NULL;
          ck_assert_msg(want && strcmp(want->title, fams[k].title) == 0,
                        "%s: legend family %d is \"%s\", want \"%s\"", tpl, got + 1, fams[k].title,
                        want ? want->title : "(none)");
          got++;
        }
    ck_assert_msg(got == want_n, "%s: the legend lists %d families, want %d", tpl, got, want_n);
    /* every named value's row: its short text | its label */
    char **rows = legend_lines(pdf, "-layout", &count);
    for (int u = 0; u < want_n; u++) {
      const family_info *f = all ? &fams[u] : use[u];
      if (f->numeric) continue; /* rows at points of a range: see docs */
      for (int v = 0; v < f->value_count; v++) {
        int found = 0;
        for (int i = 0; i < count && !found; i++) {
          int n;
          char **cells = layout_fields(rows[i], &n);
          found = n == 2 && strcmp(cells[0], f->shorts[v]) == 0 && strcmp(cells[1], f->labels[v]) == 0;
        }
        ck_assert_msg(found, "%s: no legend row \"%s | %s\" (%s)", tpl, f->shorts[v], f->labels[v], f->name);
      }
    }
  }
}
END_TEST

/* Symbols are paths: pdfimages lists no image at all. */
START_TEST(test_no_raster_images) {
  const char *tpl = templates[_i];
  int n;
  symbol_case *cases = template_cases(tpl, &n);
  const char *dir = tmpdir_new();
  const char *pdf = render_with(dir, write_symbols_doc(dir, cases, n), tpl);
  run_result r = run(NULL, "pdfimages", "-list", pdf, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "pdfimages: %s", run_describe(&r));
  int count;
  char **lines = split_lines(r.out, &count);
  int rows = 0;
  for (int i = 0; i < count; i++)
    rows += lines[i][0] && strncmp(lines[i], "page", 4) != 0 && lines[i][0] != '-';
  ck_assert_msg(rows == 0, "%s: pdfimages lists %d images:\n%s", tpl, rows, r.out);
}
END_TEST

/* qpdf's JSON string: "u:text" (Unicode) or NULL. */
static const char *json_text(const json *v) {
  return v && v->type == JSON_STRING && strncmp(v->string, "u:", 2) == 0 ? v->string + 2 : NULL;
}

/* Every symbol is a Span with /Alt and /ActualText saying what it means. */
START_TEST(test_alt_in_structure_tree) {
  const char *tpl = templates[_i];
  int n;
  symbol_case *cases = template_cases(tpl, &n);
  const char *dir = tmpdir_new();
  const char *pdf = render_with(dir, write_symbols_doc(dir, cases, n), tpl);
  run_result r = run(NULL, "qpdf", "--json=2", pdf, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "qpdf --json: %s", run_describe(&r));
  const json *q = json_get(json_parse(r.out), "qpdf");
  ck_assert_msg(q && q->type == JSON_ARRAY && q->count == 2, "unexpected qpdf JSON");
  const json *objs = &q->items[1];
  int *seen = xmalloc(sizeof *seen * (size_t)n);
  memset(seen, 0, sizeof *seen * (size_t)n);
  int spans = 0;
  for (int i = 0; i < objs->count; i++) {
    const json *v = json_get(&objs->items[i], "value");
    const json *s = json_get(v, "/S");
    if (!s || s->type != JSON_STRING || strcmp(s->string, "/Span") != 0) continue;
    const char *alt = json_text(json_get(v, "/Alt")), *actual = json_text(json_get(v, "/ActualText"));
    if (!alt) continue;
    spans++;
    ck_assert_msg(actual && strcmp(actual, alt) == 0, "%s: Span /Alt \"%s\" has /ActualText \"%s\"", tpl, alt,
                  actual ? actual : "(none)");
    for (int k = 0; k < n; k++) seen[k] += strcmp(cases[k].alt, alt) == 0;
  }
  /* each case twice (table and paragraph), the first once more (control row) */
  ck_assert_msg(spans == 2 * n + 1, "%s: %d Spans with /Alt, want %d", tpl, spans, 2 * n + 1);
  for (int k = 0; k < n; k++)
    ck_assert_msg(seen[k] >= 2, "%s: /Alt \"%s\" (%s=%s) found %d times", tpl, cases[k].alt, cases[k].family,
                  cases[k].value, seen[k]);
}
END_TEST

/* ---- greyscale pixels ---- */

typedef struct pgm {
  int w, h;
  unsigned char *px;
} pgm;

static pgm read_pgm(const char *path) {
  size_t len;
  char *data = read_file(path, &len);
  ck_assert_msg(data && len > 2 && data[0] == 'P' && data[1] == '5', "%s is not a binary PGM", path);
  pgm g = {0};
  int maxval, off = 0;
  ck_assert_msg(sscanf(data, "P5 %d %d %d%n", &g.w, &g.h, &maxval, &off) == 3 && maxval == 255, "PGM header");
  off++; /* the single white space after maxval */
  ck_assert_msg((size_t)off + (size_t)g.w * (size_t)g.h <= len, "PGM too short");
  g.px = (unsigned char *)data + off;
  return g;
}

/* The box (x, y, w, h pixels) as shapes, blind to hue: 0 where it is
 * white or a light tint (zebra and header fills), 2 where black as text,
 * 1 for any colour between, so that a yellow and a green disc are equal. */
static unsigned char *ink(const pgm *g, int x, int y, int w, int h) {
  unsigned char *b = xmalloc((size_t)w * (size_t)h);
  for (int r = 0; r < h; r++)
    for (int c = 0; c < w; c++) {
      int px = x + c, py = y + r;
      int v = px >= 0 && py >= 0 && px < g->w && py < g->h ? g->px[py * g->w + px] : 255;
      b[r * w + c] = (unsigned char)(v >= 215 ? 0 : v >= 60 ? 1 : 2);
    }
  return b;
}

/* Pixels at or above a level: 1 any ink, 2 text-dark. */
static int inked(const unsigned char *a, int n, int level) {
  int k = 0;
  for (int i = 0; i < n; i++) k += a[i] >= level;
  return k;
}

/* Pixels that differ between two boxes, at the best of small shifts: the
 * rows' sub-pixel placement must not count, only shapes. */
static int differing(const unsigned char *a, const unsigned char *b, int w, int h, int level) {
  int best = w * h;
  for (int dy = -3; dy <= 3; dy++)
    for (int dx = -3; dx <= 3; dx++) {
      int d = 0;
      for (int r = 3; r < h - 3; r++)
        for (int c = 3; c < w - 3; c++) d += (a[r * w + c] >= level) != (b[(r + dy) * w + c + dx] >= level);
      if (d < best) best = d;
    }
  return best;
}

/* Rendered in greyscale, the symbol cells of two values of one family
 * differ in many pixels, while the control row (the first value again)
 * matches its twin: shape or fill tells values apart, not hue. */
START_TEST(test_greyscale_distinguishes_values) {
  const char *tpl = templates[_i];
  int n;
  symbol_case *cases = template_cases(tpl, &n);
  const char *dir = tmpdir_new();
  const char *pdf = render_with(dir, write_symbols_doc(dir, cases, n), tpl);
  bbox_doc *words = pdf_words(pdf, 0, 0);
  /* each row's label and end words */
  bword **rad = xmalloc(sizeof *rad * (size_t)(n + 1)), **slut = xmalloc(sizeof *slut * (size_t)(n + 1));
  double left = 0, right = 1e9;
  for (int i = 0; i <= n; i++) {
    rad[i] = slut[i] = NULL;
    for (int k = 0; k < words->count; k++) {
      if (strcmp(words->words[k].text, sfmt("RAD%d", i)) == 0) rad[i] = &words->words[k];
      if (strcmp(words->words[k].text, sfmt("SLUT%d", i)) == 0) slut[i] = &words->words[k];
    }
    ck_assert_msg(rad[i] && slut[i], "%s: row %d not found in the word boxes", tpl, i);
    if (rad[i]->x1 > left) left = rad[i]->x1;
    if (slut[i]->x0 < right) right = slut[i]->x0;
  }
  const int dpi = 300; /* edges (noise) grow with it linearly, areas as its square */
  double scale = dpi / 72.0;
  int w = (int)((right - left - 4) * scale), h = (int)((rad[0]->y1 - rad[0]->y0 + 4) * scale);
  ck_assert(w > 10 && h > 10);
  unsigned char **cells = xmalloc(sizeof *cells * (size_t)(n + 1));
  for (int i = 0; i <= n; i++) {
    const char *prefix = sfmt("%s/page-%d", dir, i);
    char page[16];
    snprintf(page, sizeof page, "%d", rad[i]->page);
    run_result r =
        run(NULL, "pdftoppm", "-gray", "-r", "300", "-f", page, "-l", page, "-singlefile", pdf, prefix, NULL);
    ck_assert_msg(run_exit_is(&r, 0), "pdftoppm: %s", run_describe(&r));
    pgm g = read_pgm(sfmt("%s.pgm", prefix));
    /* the cell's box, aligned on the row's text top */
    cells[i] = ink(&g, (int)((left + 2) * scale + 0.5), (int)((rad[i]->y0 - 2) * scale + 0.5), w, h);
  }
  /* The same symbol twice differs in at most a twentieth of its ink (an
   * antialiased edge). Two values differ in shape (any ink: at least an
   * eighth of the smaller one's; 80 % and 100 % of a pie differ in a fifth)
   * or in the text they show (riskvärde's number on its tint). */
  int control = differing(cells[0], cells[n], w, h, 1), control_ink = inked(cells[0], w * h, 1);
  ck_assert_msg(control_ink > 0, "%s: no ink in the first symbol cell", tpl);
  ck_assert_msg(control <= control_ink / 20 + 2,
                "%s: the same symbol twice differs in %d of %d inked pixels: noise", tpl, control,
                control_ink);
  for (int a = 0; a < n; a++)
    for (int b = a + 1; b < n; b++) {
      if (strcmp(cases[a].family, cases[b].family) != 0) continue;
      int ia = inked(cells[a], w * h, 1), ib = inked(cells[b], w * h, 1);
      int ta = inked(cells[a], w * h, 2), tb = inked(cells[b], w * h, 2);
      int shape = differing(cells[a], cells[b], w, h, 1), need = (ia < ib ? ia : ib) / 8 + 4;
      int text = differing(cells[a], cells[b], w, h, 2), text_need = (ta < tb ? ta : tb) / 8 + 4;
      ck_assert_msg(shape >= need || (ta > 20 && tb > 20 && text >= text_need),
                    "%s: %s \"%s\" and \"%s\" differ in only %d pixels of shape (want >= %d) and %d of text "
                    "in greyscale",
                    tpl, cases[a].family, cases[a].value, cases[b].value, shape, need, text);
    }
}
END_TEST

/* A riskvärde alone in a table cell tints the whole cell: beside its
 * number, well inside the cell, the page is tinted, while the same spot
 * beside a plain number in the next column is not. */
START_TEST(test_cell_symbol_tints_cell) {
  const char *tpl = templates[_i];
  const char *dir = tmpdir_new();
  const char *in = sfmt("%s/risk.xml", dir);
  write_text(in,
             sfmt("%s  <body>\n    <table>\n      <columns><column/><column width=\"30mm\" align=\"center\"/>"
                  "<column width=\"30mm\" align=\"center\"/></columns>\n      <tbody>\n"
                  "        <row><cell>Risk</cell><cell><symbol family=\"riskvärde\" "
                  "value=\"20\"/></cell><cell>77</cell></row>\n"
                  "      </tbody>\n    </table>\n  </body>\n</report>\n",
                  doc_head));
  const char *pdf = render_with(dir, in, tpl);
  bbox_doc *words = pdf_words(pdf, 1, 1);
  const bword *risk = NULL, *plain = NULL;
  for (int k = 0; k < words->count; k++) {
    if (strcmp(words->words[k].text, "20") == 0) risk = &words->words[k];
    if (strcmp(words->words[k].text, "77") == 0) plain = &words->words[k];
  }
  ck_assert_msg(risk && plain, "%s: numbers not found", tpl);
  const char *prefix = sfmt("%s/risk", dir);
  run_result r =
      run(NULL, "pdftoppm", "-gray", "-r", "72", "-f", "1", "-l", "1", "-singlefile", pdf, prefix, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "pdftoppm: %s", run_describe(&r));
  pgm g = read_pgm(sfmt("%s.pgm", prefix));
  /* 25pt left of each number (its cell is 85pt wide and centres it), mid-height */
  int ry = (int)((risk->y0 + risk->y1) / 2), rx = (int)(risk->x0 - 25), px = (int)(plain->x0 - 25);
  int tinted = g.px[ry * g.w + rx], blank = g.px[ry * g.w + px];
  ck_assert_msg(blank - tinted >= 8, "%s: beside the riskvärde the page is grey %d, beside a plain number %d",
                tpl, tinted, blank);
}
END_TEST

/* An unknown family or value: exit 2, the symbol's line:column, the
 * allowed names, and no PDF. */
START_TEST(test_unknown_symbol_refused) {
  struct {
    const char *element, *want[4];
  } bad[] = {
      {"<symbol family=\"bedömning\" value=\"kanske\"/>",
       {"unknown value \"kanske\" of symbol family \"bedömning\"", "\"uppfyllt\"", "\"delvis\"",
        "\"ej uppfyllt\""}},
      {"<symbol family=\"humör\" value=\"glad\"/>",
       {"unknown symbol family \"humör\"", "\"bedömning\"", "\"trendpil\"", "\"riskvärde\""}},
      {"<symbol family=\"färdiggrad\" value=\"120\"/>",
       {"\"färdiggrad\" must be a number from 0 to 100", NULL}},
      {"<symbol family=\"riskvärde\" value=\"hög\"/>", {"\"riskvärde\" must be a number from 1 to 25", NULL}},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    const char *dir = tmpdir_new();
    const char *in = sfmt("%s/bad.xml", dir), *out = sfmt("%s/bad.pdf", dir);
    /* the element on line 7, after "      <p>Text " (column 15) */
    write_text(
        in,
        sfmt("%s  <body>\n    <p>Före.</p>\n    <table><columns><column/></columns><tbody><row><cell>x</cell>"
             "</row></tbody></table>\n      <p>Text %s slut.</p>\n  </body>\n</report>\n",
             doc_head, bad[i].element));
    run_result r = run(NULL, bilaga_binary(), "render", in, "-o", out, NULL);
    ck_assert_msg(run_exit_is(&r, 2), "%s: %s", bad[i].element, run_describe(&r));
    const char *pos = sfmt("%s:7:15: error: ", in);
    ck_assert_msg(strstr(r.err, pos), "%s: no \"%s\" in: %s", bad[i].element, pos, r.err);
    for (int k = 0; k < 4 && bad[i].want[k]; k++)
      ck_assert_msg(strstr(r.err, bad[i].want[k]), "%s: no \"%s\" in: %s", bad[i].element, bad[i].want[k],
                    r.err);
    ck_assert_msg(!file_exists(out), "%s: a PDF was written", bad[i].element);
  }
}
END_TEST

int main(void) {
  if (!tmp_root_init("symbols")) return EXIT_FAILURE;
  Suite *s = suite_create("symbols");
  TCase *tc = tcase_create("symbols");
  tcase_set_timeout(tc, 600);
  tcase_add_loop_test(tc, test_short_text_where_symbol_stands, 0, TEMPLATE_COUNT);
  tcase_add_loop_test(tc, test_symbols_keep_baseline_and_leading, 0, TEMPLATE_COUNT);
  tcase_add_loop_test(tc, test_no_raster_images, 0, TEMPLATE_COUNT);
  tcase_add_loop_test(tc, test_generated_legend, 0, TEMPLATE_COUNT);
  tcase_add_loop_test(tc, test_cell_symbol_tints_cell, 0, TEMPLATE_COUNT);
  tcase_add_loop_test(tc, test_alt_in_structure_tree, 0, TEMPLATE_COUNT);
  tcase_add_loop_test(tc, test_greyscale_distinguishes_values, 0, TEMPLATE_COUNT);
  tcase_add_test(tc, test_unknown_symbol_refused);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  tmp_root_remove();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
