/* test_symbol_print.c - symbols as a printout, a screen reader and an
 * archive meet them, on the samples and on generated legends of both
 * shipped templates:
 * - no raster image in any rendered sample (pdfimages -list is empty);
 * - every vector drawing in the page content is either an artifact or
 *   inside a Span of the structure tree that has /Alt (read from the
 *   content streams and the structure tree, not from what bilaga says);
 * - a legend lists exactly the families the document uses, first use first;
 * - a greyscale rendering of a legend of every family tells every two
 *   values of a family apart (shape pixels, or the grey of a tinted cell),
 *   while the same value in a second legend matches. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *const templates[] = {"default", "kommun-klassisk"};
enum { TEMPLATE_COUNT = sizeof templates / sizeof *templates };

static const char *doc_head =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"
    "  <meta><title>Symboler</title><board>Kommunstyrelsen</board></meta>\n";

static const char *render_doc(const char *text, const char *tpl) {
  const char *dir = tmpdir_new();
  const char *in = sfmt("%s/doc.xml", dir), *out = sfmt("%s/%s.pdf", dir, tpl);
  write_text(in, text);
  run_result r = run(NULL, bilaga_binary(), "render", in, "-t", tpl, "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "render with %s: %s", tpl, run_describe(&r));
  return out;
}

/* ---- the template's families, read from its XML ---- */

typedef struct legend_row {
  char *value; /* the value, or the number a legend shows for a range */
  char *label; /* {value} expanded */
} legend_row;

typedef struct family {
  char *name, *title;
  int cells; /* drawn as tinted cells (riskvärde) */
  legend_row *rows;
  int row_count;
} family;

static char *expand(const char *text, const char *value) {
  const char *at = strstr(text, "{value}");
  return at ? sfmt("%.*s%s%s", (int)(at - text), text, value, at + 7) : xstrdup(text);
}

static char *number(double x) { return fabs(x - round(x)) < 1e-9 ? sfmt("%.0f", x) : sfmt("%g", x); }

/* The families in template order with the rows a legend gives them: a row
 * per value; a single range: its ends and 20 % and 80 % of the way. */
static family *families_of(const char *tpl, int *count) {
  xmlDocPtr d = xml_load(sfmt("%s/templates/%s.xml", source_root(), tpl));
  family *fams = NULL;
  int n = 0;
  for (xmlNodePtr f = xml_child(xml_child(xmlDocGetRootElement(d), "symbols"), "family"); f; f = f->next) {
    if (!xml_is(f, "family")) continue;
    fams = xgrow(fams, sizeof *fams * (size_t)(n + 1));
    family *fi = &fams[n++];
    memset(fi, 0, sizeof *fi);
    fi->name = xml_attr(f, "name");
    fi->title = xml_attr(f, "title") ? xml_attr(f, "title") : fi->name;
    int numeric = xml_attr(f, "min") || xml_attr(f, "max"), ranges = 0;
    for (xmlNodePtr v = f->children; v; v = v->next) ranges += xml_is(v, "value");
    for (xmlNodePtr v = f->children; v; v = v->next) {
      if (!xml_is(v, "value")) continue;
      fi->cells |= xml_child(v, "cell") != NULL;
      const char *label = xml_attr(v, "label") ? xml_attr(v, "label") : xml_attr(v, "short");
      char *points[4] = {numeric ? NULL : xml_attr(v, "name"), NULL, NULL, NULL};
      if (numeric) {
        double lo = xml_attr(v, "from") ? atof(xml_attr(v, "from")) : atof(xml_attr(f, "min"));
        double hi = xml_attr(v, "to") ? atof(xml_attr(v, "to")) : atof(xml_attr(f, "max"));
        points[0] = number(lo);
        if (ranges == 1)
          points[1] = number(lo + (hi - lo) * 0.2), points[2] = number(lo + (hi - lo) * 0.8), points[3] = number(hi);
      }
      for (int k = 0; k < 4 && points[k]; k++) {
        fi->rows = xgrow(fi->rows, sizeof *fi->rows * (size_t)(fi->row_count + 1));
        fi->rows[fi->row_count++] = (legend_row){points[k], expand(label, points[k])};
      }
    }
  }
  xmlFreeDoc(d);
  ck_assert_msg(n > 0, "%s: no families", tpl);
  *count = n;
  return fams;
}

/* ---- no raster images, every drawing tagged ---- */

static int base64_value(char c) {
  return c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52
         : c == '+' ? 62 : c == '/' ? 63 : -1;
}

static char *base64_decode(const char *s, size_t *len) {
  size_t n = strlen(s), o = 0;
  char *out = xmalloc(n * 3 / 4 + 4);
  unsigned acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; i++) {
    int v = base64_value(s[i]);
    if (v < 0) continue; /* '=' and white space */
    acc = acc << 6 | (unsigned)v, bits += 6;
    if (bits >= 8) bits -= 8, out[o++] = (char)(acc >> bits & 255);
  }
  out[o] = '\0';
  *len = o;
  return out;
}

static const json *object(const json *objs, const char *ref) { return json_get(objs, sfmt("obj:%s", ref)); }

/* Does (page, mcid) belong to a structure element with /Alt? */
typedef struct alt_mcid {
  const char *page;
  int mcid;
} alt_mcid;

typedef struct drawing_check {
  int drawings;  /* painted paths outside artifacts */
  int untagged;  /* of which not inside an /Alt Span */
  int alt_spans; /* Spans with /Alt */
  char where[200];
} drawing_check;

static int is_paint(const char *op) {
  static const char *const ops[] = {"f", "F", "f*", "S", "s", "B", "B*", "b", "b*"};
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
    if (strcmp(op, ops[i]) == 0) return 1;
  return 0;
}

/* Walks one content stream: marked-content nesting (artifact or MCID) at
 * each path-painting operator. */
static void scan_content(const char *data, size_t len, const char *page, const alt_mcid *alts, int nalts,
                         drawing_check *dc) {
  enum { DEPTH = 64 };
  int artifact[DEPTH], mcid[DEPTH], depth = 0;
  int pending_mcid = -1, pending_artifact = 0;
  char tok[64];
  for (size_t i = 0; i < len;) {
    char c = data[i];
    if (c == '(') { /* a string: skip, with nesting and escapes */
      int nest = 0;
      for (; i < len; i++) {
        if (data[i] == '\\') i++;
        else if (data[i] == '(') nest++;
        else if (data[i] == ')' && --nest == 0) break;
      }
      i++;
      continue;
    }
    if (c == '<' && i + 1 < len && data[i + 1] != '<') {
      while (i < len && data[i] != '>') i++;
      i++;
      continue;
    }
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '[' || c == ']' || c == '{' || c == '}') {
      i++;
      continue;
    }
    if (c == '<' || c == '>') {
      i += 2;
      continue;
    }
    size_t k = 0;
    if (c == '/') tok[k++] = data[i++];
    while (i < len && !strchr(" \n\r\t[]()<>{}/", data[i])) {
      if (k < sizeof tok - 1) tok[k++] = data[i];
      i++;
    }
    tok[k] = '\0';
    if (k == 0) {
      i++;
      continue;
    }
    if (strcmp(tok, "/Artifact") == 0) pending_artifact = 1;
    else if (strcmp(tok, "/MCID") == 0) pending_mcid = -2; /* the next number */
    else if (pending_mcid == -2 && tok[0] >= '0' && tok[0] <= '9') pending_mcid = atoi(tok);
    else if (strcmp(tok, "BDC") == 0 || strcmp(tok, "BMC") == 0) {
      ck_assert_int_lt(depth, DEPTH);
      artifact[depth] = pending_artifact || (depth && artifact[depth - 1]);
      mcid[depth] = pending_mcid >= 0 ? pending_mcid : depth ? mcid[depth - 1] : -1;
      depth++;
      pending_mcid = -1, pending_artifact = 0;
    } else if (strcmp(tok, "EMC") == 0) {
      if (depth) depth--;
    } else if (tok[0] != '/' && !(tok[0] >= '0' && tok[0] <= '9') && tok[0] != '-' && tok[0] != '.') {
      pending_artifact = 0;
      if (pending_mcid == -2) pending_mcid = -1;
      if (is_paint(tok) && !(depth && artifact[depth - 1])) {
        dc->drawings++;
        int m = depth ? mcid[depth - 1] : -1, ok = 0;
        for (int a = 0; a < nalts && !ok; a++) ok = alts[a].mcid == m && strcmp(alts[a].page, page) == 0;
        if (!ok && !dc->untagged++)
          snprintf(dc->where, sizeof dc->where, "page %s, MCID %d, at byte %zu", page, m, i);
      }
    }
  }
}

static drawing_check check_drawings(const char *pdf) {
  run_result r = run(NULL, "qpdf", "--json=2", "--json-stream-data=inline", "--decode-level=generalized", pdf, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "qpdf --json: %s", run_describe(&r));
  const json *root = json_parse(r.out), *q = json_get(root, "qpdf");
  ck_assert_msg(q && q->type == JSON_ARRAY && q->count == 2, "unexpected qpdf JSON");
  const json *objs = &q->items[1];
  alt_mcid *alts = NULL;
  int nalts = 0;
  drawing_check dc = {0};
  for (int i = 0; i < objs->count; i++) {
    const json *v = json_get(&objs->items[i], "value");
    const json *alt = json_get(v, "/Alt"), *k = json_get(v, "/K"), *s = json_get(v, "/S");
    if (!alt || !k || !s) continue;
    dc.alt_spans += s->type == JSON_STRING && strcmp(s->string, "/Span") == 0;
    const json *pg = json_get(v, "/Pg");
    /* /K: an MCID, or an array of MCIDs and kids */
    int n = k->type == JSON_ARRAY ? k->count : 1;
    for (int j = 0; j < n; j++) {
      const json *kid = k->type == JSON_ARRAY ? &k->items[j] : k;
      if (kid->type != JSON_NUMBER || !pg || pg->type != JSON_STRING) continue;
      alts = xgrow(alts, sizeof *alts * (size_t)(nalts + 1));
      alts[nalts++] = (alt_mcid){pg->string, (int)kid->number};
    }
  }
  const json *pages = json_get(root, "pages");
  ck_assert_msg(pages && pages->type == JSON_ARRAY, "no pages in qpdf JSON");
  for (int p = 0; p < pages->count; p++) {
    const char *page = json_get(&pages->items[p], "object")->string;
    const json *contents = json_get(&pages->items[p], "contents");
    for (int c = 0; c < contents->count; c++) {
      const json *stream = json_get(object(objs, contents->items[c].string), "stream");
      const json *data = json_get(stream, "data");
      ck_assert_msg(data && data->type == JSON_STRING, "content stream %s has no data", contents->items[c].string);
      size_t len;
      char *bytes = base64_decode(data->string, &len);
      scan_content(bytes, len, page, alts, nalts, &dc);
    }
  }
  return dc;
}

static int count_in(const char *text, const char *needle) {
  int n = 0;
  for (const char *p = text; (p = strstr(p, needle)) != NULL; p++) n++;
  return n;
}

/* Every sample with both templates: no image at all, every drawing that
 * is not an artifact stands inside a Span with /Alt, and there are at
 * least as many such Spans as the sample has <symbol>s. */
START_TEST(test_samples_vector_and_alt) {
  const char *tpl = templates[_i];
  int n;
  char **samples = sample_files(&n);
  ck_assert_int_gt(n, 0);
  for (int s = 0; s < n; s++) {
    const char *pdf = render_cached(samples[s], tpl, NULL);
    run_result r = run(NULL, "pdfimages", "-list", pdf, NULL);
    ck_assert_msg(run_exit_is(&r, 0), "pdfimages: %s", run_describe(&r));
    int count, images = 0;
    char **lines = split_lines(r.out, &count);
    for (int i = 0; i < count; i++) images += lines[i][0] && strncmp(lines[i], "page", 4) != 0 && lines[i][0] != '-';
    ck_assert_msg(images == 0, "%s with %s: pdfimages lists %d images:\n%s", base_name(samples[s]), tpl, images,
                  r.out);
    drawing_check dc = check_drawings(pdf);
    ck_assert_msg(dc.untagged == 0, "%s with %s: %d of %d drawings are neither artifacts nor in a Span with /Alt (%s)",
                  base_name(samples[s]), tpl, dc.untagged, dc.drawings, dc.where);
    size_t len;
    char *xml = read_file(samples[s], &len);
    int symbols = count_in(xml, "<symbol ");
    ck_assert_msg(dc.alt_spans >= symbols, "%s with %s: %d Spans with /Alt for %d <symbol>s", base_name(samples[s]),
                  tpl, dc.alt_spans, symbols);
  }
}
END_TEST

/* The check above can fail: a legend of every family draws symbols, all
 * inside /Alt Spans; the table rules and fills are artifacts. */
START_TEST(test_legend_drawings_tagged) {
  const char *tpl = templates[_i];
  int nf;
  family *fams = families_of(tpl, &nf);
  int rows = 0;
  for (int f = 0; f < nf; f++) rows += fams[f].row_count;
  const char *pdf = render_doc(sfmt("%s  <body>\n    <section><heading>Förklaring symboler</heading>\n"
                                    "      <legend families=\"all\"/>\n    </section>\n  </body>\n</report>\n",
                                    doc_head),
                               tpl);
  drawing_check dc = check_drawings(pdf);
  ck_assert_msg(dc.drawings >= rows, "%s: %d drawings for %d legend rows", tpl, dc.drawings, rows);
  ck_assert_msg(dc.untagged == 0, "%s: %d untagged drawings (%s)", tpl, dc.untagged, dc.where);
  ck_assert_int_eq(dc.alt_spans, rows);
}
END_TEST

/* ---- the legend lists exactly the families used ---- */

START_TEST(test_legend_lists_exactly_used) {
  const char *tpl = templates[_i];
  int nf;
  family *fams = families_of(tpl, &nf);
  ck_assert_int_ge(nf, 5);
  /* used in a list item, a table cell, a paragraph, then the first again */
  const family *use[3] = {&fams[nf - 2], &fams[1], &fams[3]};
  const char *text = sfmt(
      "%s  <body>\n    <section><heading>Resultat</heading>\n"
      "      <ul><li>Punkt <symbol family=\"%s\" value=\"%s\"/></li></ul>\n"
      "      <table><columns><column/><column/></columns><tbody><row><cell>A</cell>"
      "<cell><symbol family=\"%s\" value=\"%s\"/></cell></row></tbody></table>\n"
      "      <p>Text <symbol family=\"%s\" value=\"%s\"/> och <symbol family=\"%s\" value=\"%s\"/>.</p>\n"
      "    </section>\n    <section><heading>Förklaring symboler</heading>\n      <legend/>\n    </section>\n"
      "  </body>\n</report>\n",
      doc_head, use[0]->name, use[0]->rows[0].value, use[1]->name, use[1]->rows[0].value, use[2]->name,
      use[2]->rows[0].value, use[0]->name, use[0]->rows[0].value);
  const char *pdf = render_doc(text, tpl);
  char *all = plain_spaces(pdf_text(pdf, 0, 0, NULL));
  char *at = strstr(all, "Förklaring symboler\n");
  ck_assert_msg(at, "%s: no legend", tpl);
  int count;
  char **lines = split_lines(at, &count);
  int got = 0;
  for (int i = 0; i < count; i++)
    for (int k = 0; k < nf; k++)
      if (strcmp(lines[i], fams[k].title) == 0) {
        ck_assert_msg(got < 3 && &fams[k] == use[got], "%s: legend family %d is \"%s\", want \"%s\"", tpl, got + 1,
                      fams[k].title, got < 3 ? use[got]->title : "(none: only 3 are used)");
        got++;
      }
  ck_assert_msg(got == 3, "%s: the legend lists %d families, want 3", tpl, got);
  /* and each used family's every row */
  for (int u = 0; u < 3; u++)
    for (int r = 0; r < use[u]->row_count; r++)
      ck_assert_msg(strstr(at, use[u]->rows[r].label), "%s: legend lacks \"%s\"", tpl, use[u]->rows[r].label);
}
END_TEST

/* ---- greyscale ---- */

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
  off++;
  ck_assert_msg((size_t)off + (size_t)g.w * (size_t)g.h <= len, "PGM too short");
  g.px = (unsigned char *)data + off;
  return g;
}

enum { DPI = 300, SHIFT = 2, STRONG = 64, INK = 215, TINT_STEP = 24 };

typedef struct crop {
  int w, h;
  unsigned char *px;
} crop;

static crop cut(const pgm *g, double x0, double y0, double x1, double y1) {
  double s = DPI / 72.0;
  crop c = {(int)((x1 - x0) * s), (int)((y1 - y0) * s), NULL};
  c.px = xmalloc((size_t)c.w * (size_t)c.h);
  int ox = (int)lround(x0 * s), oy = (int)lround(y0 * s);
  for (int r = 0; r < c.h; r++)
    for (int k = 0; k < c.w; k++) {
      int x = ox + k, y = oy + r;
      c.px[r * c.w + k] = x >= 0 && y >= 0 && x < g->w && y < g->h ? g->px[y * g->w + x] : 255;
    }
  return c;
}

static int ink(const crop *c) {
  int n = 0;
  for (int i = 0; i < c->w * c->h; i++) n += c->px[i] < INK;
  return n;
}

/* Pixels of a whose grey differs strongly from every pixel of b around
 * the same spot (one pixel either way: an antialiased edge that moved by a
 * fraction of a pixel does not count), b shifted by (dx, dy). */
static int one_way(const crop *a, const crop *b, int dx, int dy) {
  int d = 0;
  for (int r = SHIFT + 1; r < a->h - SHIFT - 1; r++)
    for (int k = SHIFT + 1; k < a->w - SHIFT - 1; k++) {
      int v = a->px[r * a->w + k], close = 0;
      for (int j = -1; j <= 1 && !close; j++)
        for (int i = -1; i <= 1 && !close; i++) close = abs(v - b->px[(r + dy + j) * b->w + k + dx + i]) < STRONG;
      d += !close;
    }
  return d;
}

/* Strongly differing pixels both ways, at the best of small shifts (the
 * rows' placement on the pixel grid must not count, only the drawings). */
static int differing(const crop *a, const crop *b) {
  int best = a->w * a->h;
  for (int dy = -SHIFT; dy <= SHIFT; dy++)
    for (int dx = -SHIFT; dx <= SHIFT; dx++) {
      int d = one_way(a, b, dx, dy) + one_way(b, a, -dx, -dy);
      if (d < best) best = d;
    }
  return best;
}

/* The commonest grey of a crop (a tinted cell's tint), and its share. */
static int tint(const crop *c, double *share) {
  int hist[256] = {0}, best = 255;
  for (int i = 0; i < c->w * c->h; i++) hist[c->px[i]]++;
  for (int v = 0; v < 256; v++)
    if (hist[v] > hist[best]) best = v;
  *share = (double)hist[best] / (c->w * c->h);
  return best;
}

/* A legend row located in the word boxes. */
typedef struct located {
  int page;
  double y0, y1;
} located;

/* The next occurrence (from *pos on) of the label's first words starting
 * in the label column, at x[page] (pages alternate their margins). */
static located find_label(const bbox_doc *d, int *pos, const char *label, const double *x) {
  char *copy = xstrdup(label), *words[3];
  int nw = 0;
  for (char *save = NULL, *t = strtok_r(copy, " ", &save); t && nw < 3; t = strtok_r(NULL, " ", &save))
    words[nw++] = t;
  for (int i = *pos; i + nw <= d->count; i++) {
    if (fabs(d->words[i].x0 - x[d->words[i].page]) > 1.5) continue;
    int ok = 1;
    for (int k = 0; k < nw && ok; k++) ok = strcmp(d->words[i + k].text, words[k]) == 0;
    if (ok) {
      *pos = i + nw;
      return (located){d->words[i].page, d->words[i].y0, d->words[i].y1};
    }
  }
  ck_abort_msg("legend row \"%s\" not found in the label column", label);
  return (located){0, 0, 0};
}

/* Two legends of every family, rasterised in grey at 300 dpi. The same
 * value in the two legends differs in at most a tenth of its inked pixels
 * (measured: at most a twentieth), two values of a family in at least an
 * eighth of the smaller one's (measured: a fifth, for 80 % and 100 % of a
 * pie; the others much more), counting pixels 64 grey levels apart; tinted
 * cells (riskvärde) differ in their grey by at least 24 levels. */
START_TEST(test_legend_greyscale_distinguishes) {
  const char *tpl = templates[_i];
  int nf;
  family *fams = families_of(tpl, &nf);
  const char *pdf = render_doc(
      sfmt("%s  <body>\n    <section><heading>Förklaring symboler</heading>\n      <legend families=\"all\"/>\n"
           "    </section>\n    <section><heading>Förklaring igen</heading>\n      <legend families=\"all\"/>\n"
           "    </section>\n  </body>\n</report>\n",
           doc_head),
      tpl);
  bbox_doc *words = pdf_words(pdf, 0, 0);
  /* the columns on each page, from a table header there: "Symbol" centred
   * over the symbols, "Innebörd" where the labels begin */
  double *centre = xmalloc(sizeof *centre * (size_t)(words->pages + 1)),
         *label_x = xmalloc(sizeof *label_x * (size_t)(words->pages + 1));
  for (int p = 0; p <= words->pages; p++) centre[p] = label_x[p] = -1000;
  for (int k = 0; k + 1 < words->count; k++) {
    const bword *sym = &words->words[k], *mean = &words->words[k + 1];
    if (strcmp(sym->text, "Symbol") == 0 && strcmp(mean->text, "Innebörd") == 0 && sym->page == mean->page)
      centre[sym->page] = (sym->x0 + sym->x1) / 2, label_x[sym->page] = mean->x0;
  }
  pgm *pages = xmalloc(sizeof *pages * (size_t)(words->pages + 1));
  memset(pages, 0, sizeof *pages * (size_t)(words->pages + 1));
  int pos = 0;
  crop *cuts[2][64];
  for (int pass = 0; pass < 2; pass++)
    for (int f = 0; f < nf; f++)
      for (int r = 0; r < fams[f].row_count; r++) {
        located at = find_label(words, &pos, fams[f].rows[r].label, label_x);
        if (!pages[at.page].px) {
          const char *prefix = sfmt("%s/page-%d", tmpdir_new(), at.page), *p = sfmt("%d", at.page);
          run_result rr = run(NULL, "pdftoppm", "-gray", "-r", sfmt("%d", DPI), "-f", p, "-l", p, "-singlefile",
                              pdf, prefix, NULL);
          ck_assert_msg(run_exit_is(&rr, 0), "pdftoppm: %s", run_describe(&rr));
          pages[at.page] = read_pgm(sfmt("%s.pgm", prefix));
        }
        int idx = 0;
        for (int g = 0; g < f; g++) idx += fams[g].row_count;
        ck_assert_int_lt(idx + r, 64);
        cuts[pass][idx + r] = xmalloc(sizeof(crop));
        /* inside the symbol column (70pt, centred on "Symbol") and the row's first line */
        *cuts[pass][idx + r] = cut(&pages[at.page], centre[at.page] - 30, at.y0 - 1, centre[at.page] + 30, at.y1 + 1);
      }
  int idx = 0;
  for (int f = 0; f < nf; idx += fams[f].row_count, f++) {
    const family *fi = &fams[f];
    for (int a = 0; a < fi->row_count; a++) {
      const crop *ca = cuts[0][idx + a], *twin = cuts[1][idx + a];
      int ia = ink(ca);
      ck_assert_msg(ia > 0 || fi->cells, "%s: %s \"%s\" has no ink", tpl, fi->name, fi->rows[a].value);
      int control = differing(ca, twin);
      ck_assert_msg(control <= ia / 10 + 4, "%s: %s \"%s\" twice differs in %d of %d inked pixels: noise", tpl,
                    fi->name, fi->rows[a].value, control, ia);
      for (int b = a + 1; b < fi->row_count; b++) {
        const crop *cb = cuts[0][idx + b];
        if (fi->cells) {
          double sa, sb;
          int ta = tint(ca, &sa), tb = tint(cb, &sb);
          ck_assert_msg(sa > 0.5 && sb > 0.5, "%s: %s cells are not tinted (%.2f, %.2f)", tpl, fi->name, sa, sb);
          ck_assert_msg(abs(ta - tb) >= TINT_STEP, "%s: %s \"%s\" and \"%s\" are grey %d and %d: want %d apart",
                        tpl, fi->name, fi->rows[a].value, fi->rows[b].value, ta, tb, TINT_STEP);
          continue;
        }
        int ib = ink(cb), d = differing(ca, cb), need = (ia < ib ? ia : ib) / 8 + 10;
        ck_assert_msg(d >= need, "%s: %s \"%s\" and \"%s\" differ in %d strong grey pixels, want >= %d", tpl,
                      fi->name, fi->rows[a].value, fi->rows[b].value, d, need);
      }
    }
  }
}
END_TEST

/* ---- the risk matrix in colour ---- */

typedef struct risk_level {
  char *name;
  int from, to, fill; /* fill as 0xRRGGBB */
} risk_level;

/* riskvärde's ranges and their tints, and <derive>'s matrix of level names
 * ([likelihood - 1][consequence - 1]), read from the template's XML. */
static int risk_of(const char *tpl, risk_level *levels, char *matrix[5][5]) {
  xmlDocPtr d = xml_load(sfmt("%s/templates/%s.xml", source_root(), tpl));
  xmlNodePtr root = xmlDocGetRootElement(d);
  int n = 0;
  for (xmlNodePtr f = xml_child(xml_child(root, "symbols"), "family"); f; f = f->next)
    if (xml_is(f, "family") && strcmp(xml_attr(f, "name"), "riskvärde") == 0)
      for (xmlNodePtr v = f->children; v; v = v->next) {
        if (!xml_is(v, "value")) continue;
        ck_assert_int_lt(n, 8);
        levels[n] = (risk_level){xml_attr(v, "name"), atoi(xml_attr(v, "from")), atoi(xml_attr(v, "to")),
                                 (int)strtol(xml_attr(xml_child(v, "cell"), "fill") + 1, NULL, 16)};
        n++;
      }
  xmlNodePtr risk = xml_child(xml_child(root, "derive"), "risk");
  ck_assert_msg(risk, "%s: no <derive><risk>", tpl);
  for (xmlNodePtr r = risk->children; r; r = r->next) {
    if (!xml_is(r, "row")) continue;
    int l = atoi(xml_attr(r, "likelihood")), c = 0;
    char *save = NULL;
    for (char *t = strtok_r(xml_attr(r, "levels"), ",", &save); t && c < 5; t = strtok_r(NULL, ",", &save)) {
      while (*t == ' ') t++;
      matrix[l - 1][c++] = t;
    }
  }
  xmlFreeDoc(d);
  return n;
}

/* A 5 x 5 table of riskvärde = likelihood x consequence, as a risk matrix
 * is printed: every cell is tinted whole with its range's colour (read
 * from the page's pixels). The default template's <derive> matrix names
 * the same level for all 25 cells (it is its ranges); kommun-klassisk's
 * differs where a 5 makes a small product unacceptable, which only a risk
 * block (likelihood and consequence known) can print. */
START_TEST(test_risk_matrix_colours) {
  const char *tpl = templates[_i];
  risk_level levels[8];
  char *matrix[5][5] = {{0}};
  int nl = risk_of(tpl, levels, matrix);
  ck_assert_int_ge(nl, 3);
  sbuf b = {0};
  sbuf_add(&b, doc_head);
  sbuf_add(&b, "  <body>\n    <table>\n      <columns><column width=\"20mm\"/>");
  for (int c = 0; c < 5; c++) sbuf_add(&b, "<column width=\"20mm\" align=\"center\"/>");
  sbuf_add(&b, "</columns>\n      <tbody>\n");
  for (int l = 5; l >= 1; l--) {
    sbuf_printf(&b, "        <row><cell>S%d</cell>", l);
    for (int c = 1; c <= 5; c++) sbuf_printf(&b, "<cell><symbol family=\"riskvärde\" value=\"%d\"/></cell>", l * c);
    sbuf_add(&b, "</row>\n");
  }
  sbuf_add(&b, "      </tbody>\n    </table>\n  </body>\n</report>\n");
  const char *pdf = render_doc(sbuf_str(&b), tpl);
  bbox_doc *words = pdf_words(pdf, 1, 1);
  const char *prefix = sfmt("%s/matrix", tmpdir_new());
  run_result r = run(NULL, "pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-singlefile", pdf, prefix, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "pdftoppm: %s", run_describe(&r));
  size_t len;
  unsigned char *ppm = (unsigned char *)read_file(sfmt("%s.ppm", prefix), &len);
  int w, h, maxval, off = 0;
  ck_assert_msg(sscanf((char *)ppm, "P6 %d %d %d%n", &w, &h, &maxval, &off) == 3 && maxval == 255, "PPM header");
  const unsigned char *px = ppm + off + 1;
  int differ = 0;
  for (int l = 1; l <= 5; l++) {
    const bword *label = NULL;
    for (int k = 0; k < words->count && !label; k++)
      if (strcmp(words->words[k].text, sfmt("S%d", l)) == 0) label = &words->words[k];
    ck_assert_msg(label, "%s: row S%d not found", tpl, l);
    /* the row's numbers, left to right (pdftotext reads a row in order) */
    const bword *cells[5];
    int found = 0;
    for (int k = 0; k < words->count && found < 5; k++) {
      const bword *x = &words->words[k];
      if (x > label && fabs(x->y0 - label->y0) < 1 && x->x0 > label->x1) cells[found++] = x;
    }
    ck_assert_msg(found == 5, "%s: row S%d has %d cells", tpl, l, found);
    for (int c = 1; c <= 5; c++) {
      const bword *cell = cells[c - 1];
      ck_assert_msg(atoi(cell->text) == l * c, "%s: cell %d x %d reads \"%s\"", tpl, l, c, cell->text);
      const risk_level *want = NULL;
      for (int k = 0; k < nl; k++)
        if (l * c >= levels[k].from && l * c <= levels[k].to) want = &levels[k];
      ck_assert_msg(want, "%s: no range holds %d", tpl, l * c);
      /* 10pt left of the number, mid-height: inside the tinted cell */
      int x = (int)(cell->x0 - 10), y = (int)((cell->y0 + cell->y1) / 2);
      ck_assert(x >= 0 && y >= 0 && x < w && y < h);
      const unsigned char *p = px + 3 * ((size_t)y * (size_t)w + (size_t)x);
      int got = p[0] << 16 | p[1] << 8 | p[2];
      for (int k = 0; k < 3; k++)
        ck_assert_msg(abs(p[k] - (want->fill >> (16 - 8 * k) & 255)) <= 3,
                      "%s: riskvärde %d (%d x %d) is printed #%06X, want #%06X (%s)", tpl, l * c, l, c, got,
                      want->fill, want->name);
      ck_assert_msg(matrix[l - 1][c - 1], "%s: the matrix has no cell %d x %d", tpl, l, c);
      differ += strcmp(matrix[l - 1][c - 1], want->name) != 0;
    }
  }
  ck_assert_int_eq(differ, _i == 0 ? 0 : 2);
}
END_TEST

/* A <derive> name the template's families lack: exit 2 with the
 * template's file:line:col and the allowed names, and no PDF. */
START_TEST(test_bad_derive_refused) {
  const char *dir = tmpdir_new();
  size_t len;
  char *tpl = read_file(sfmt("%s/templates/default.xml", source_root()), &len);
  const char *from = "near=\"nära målnivå\"", *at = strstr(tpl, from);
  ck_assert_msg(at, "default.xml has no %s", from);
  /* the position of the <indicator> element that holds the attribute */
  const char *el = at;
  while (el > tpl && strncmp(el, "<indicator", 10) != 0) el--;
  int line = 1, column = 1;
  for (const char *p = tpl; p < el; p++) line += *p == '\n', column = *p == '\n' ? 1 : column + 1;
  const char *bad_tpl = sfmt("%s/bad-derive.xml", dir);
  write_text(bad_tpl, sfmt("%.*snear=\"nära\"%s", (int)(at - tpl), tpl, at + strlen(from)));
  const char *in = sfmt("%s/doc.xml", dir), *out = sfmt("%s/doc.pdf", dir);
  write_text(in, sfmt("%s  <body>\n    <p>Text.</p>\n  </body>\n</report>\n", doc_head));
  run_result r = run(NULL, bilaga_binary(), "render", in, "-t", bad_tpl, "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 2), "%s", run_describe(&r));
  const char *pos = sfmt("%s:%d:%d: error: near=\"nära\" is not a value of symbol family \"indikator\"", bad_tpl,
                         line, column);
  ck_assert_msg(strstr(r.err, pos), "no \"%s\" in: %s", pos, r.err);
  ck_assert_msg(strstr(r.err, "allowed are \"på målnivå\", \"nära målnivå\""), "%s", r.err);
  ck_assert_msg(!file_exists(out), "a PDF was written");
}
END_TEST

int main(void) {
  if (!tmp_root_init("symbol_print")) return EXIT_FAILURE;
  Suite *s = suite_create("symbol_print");
  TCase *tc = tcase_create("symbol_print");
  tcase_set_timeout(tc, 600);
  tcase_add_loop_test(tc, test_samples_vector_and_alt, 0, TEMPLATE_COUNT);
  tcase_add_loop_test(tc, test_legend_drawings_tagged, 0, TEMPLATE_COUNT);
  tcase_add_loop_test(tc, test_legend_lists_exactly_used, 0, TEMPLATE_COUNT);
  tcase_add_loop_test(tc, test_legend_greyscale_distinguishes, 0, TEMPLATE_COUNT);
  tcase_add_loop_test(tc, test_risk_matrix_colours, 0, TEMPLATE_COUNT);
  tcase_add_test(tc, test_bad_derive_refused);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  tmp_root_remove();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
