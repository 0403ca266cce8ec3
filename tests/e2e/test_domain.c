/* test_domain.c - end to end: the domain blocks (process areas, goals,
 * commitments, indicator tables, risks, assignments) and what is counted
 * from them (summaries, <count/>), with both shipped templates. Labels,
 * families and short texts are read from the templates, so the tests
 * check that each template's words stand where they should, cell by cell
 * in the text layer; the structure tree tags the generated tables; an
 * unknown value is refused with its position and the allowed values; a
 * written value that contradicts the derived one is a warning. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *const templates[] = {"default", "kommun-klassisk"};
enum { TEMPLATE_COUNT = sizeof templates / sizeof *templates };

/* ---- what a template says ---- */

/* Each template read once per test process and kept (LSan sees it held). */
static xmlDocPtr loaded[TEMPLATE_COUNT];

static xmlNodePtr tpl_root(const char *tpl) {
  for (int i = 0; i < TEMPLATE_COUNT; i++)
    if (strcmp(templates[i], tpl) == 0) {
      if (!loaded[i]) loaded[i] = xml_load(sfmt("%s/templates/%s.xml", source_root(), tpl));
      return xmlDocGetRootElement(loaded[i]);
    }
  ck_abort_msg("no template %s", tpl);
  return NULL;
}

/* An attribute of <domain><element>, or the built-in setting. */
static const char *domain_setting(const char *tpl, const char *element, const char *attr,
                                  const char *fallback) {
  const char *v = xml_attr(xml_child(xml_child(tpl_root(tpl), "domain"), element), attr);
  return v ? v : fallback;
}

/* The short text of a family's value ("{value}" filled in), as the text
 * layer shows the symbol. */
static const char *short_text(const char *tpl, const char *family, const char *value) {
  for (xmlNodePtr f = xml_child(xml_child(tpl_root(tpl), "symbols"), "family"); f; f = f->next) {
    if (!xml_is(f, "family") || strcmp(xml_attr(f, "name"), family) != 0) continue;
    int numeric = xml_attr(f, "min") != NULL;
    for (xmlNodePtr v = f->children; v; v = v->next) {
      if (!xml_is(v, "value")) continue;
      if (numeric ? atof(value) < atof(xml_attr(v, "from")) || atof(value) > atof(xml_attr(v, "to"))
                  : strcmp(xml_attr(v, "name"), value) != 0)
        continue;
      const char *s = xml_attr(v, "short"), *at = strstr(s, "{value}");
      return at ? sfmt("%.*s%s%s", (int)(at - s), s, value, at + 7) : s;
    }
  }
  ck_abort_msg("%s: no value \"%s\" in family \"%s\"", tpl, value, family);
  return NULL;
}

/* A family's title, as the legend prints it. */
static const char *family_title(const char *tpl, const char *family) {
  for (xmlNodePtr f = xml_child(xml_child(tpl_root(tpl), "symbols"), "family"); f; f = f->next)
    if (xml_is(f, "family") && strcmp(xml_attr(f, "name"), family) == 0)
      return xml_attr(f, "title") ? xml_attr(f, "title") : family;
  ck_abort_msg("%s: no family \"%s\"", tpl, family);
  return NULL;
}

/* ---- the document ---- */

static const char *head =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"
    "  <meta><title>Domänblock</title><board>Kommunstyrelsen</board></meta>\n"
    "  <body>\n";

/* Commitments: status and progress, spread over the areas. */
static const struct {
  const char *status, *progress;
  int area;
} commitments[] = {{"klart", "100", 0}, {"försenat", "20", 0}, {"pågår", "80", 0},  {"klart", "100", 1},
                   {"klart", "100", 1}, {"pågår", "40", 1},    {"klart", "100", 2}, {"försenat", "0", 2},
                   {"pågår", "60", 2},  {"klart", "100", 2}};
enum { COMMITMENTS = sizeof commitments / sizeof *commitments };

/* Areas: name, perspective section, assessment, trend (or previous-assessment). */
static const struct {
  const char *name, *section, *assessment, *attrs;
  const char *trend; /* written or derived */
} areas[] = {
    {"Näringsliv", "Hållbar utveckling", "delvis", "previous-assessment=\"ej uppfyllt\"", "bättre"},
    {"Miljö", "Hållbar utveckling", "uppfyllt", "trend=\"oförändrad\"", "oförändrad"},
    {"Kompetens", "Effektiv organisation", "ej uppfyllt", "trend=\"sämre\"", "sämre"},
};
enum { AREAS = sizeof areas / sizeof *areas };

static void add_commitments(sbuf *b, int area) {
  for (int i = 0; i < COMMITMENTS; i++)
    if (commitments[i].area == area)
      sbuf_printf(b,
                  "        <commitment status=\"%s\" progress=\"%s\" boards=\"KS\"><text>Åtagande %d.</text>"
                  "<p>Kommentar %d.</p></commitment>\n",
                  commitments[i].status, commitments[i].progress, i, i);
}

static const char *indicators =
    "        <process-goal assessment=\"delvis\">\n"
    "          <text>Ett processmål.</text>\n"
    "          <indicators>\n"
    "            <indicator unit=\"%\"><name>Andel A</name><outcome year=\"2020\">50</outcome>"
    "<outcome year=\"2021\">90</outcome><target year=\"2021\">60</target>\n"
    "              <sub label=\"Kvinnor\"><outcome year=\"2020\">40</outcome><outcome "
    "year=\"2021\">88</outcome>"
    "<target year=\"2021\">60</target></sub>\n"
    "              <sub label=\"Män\"><outcome year=\"2020\">60</outcome><outcome year=\"2021\">20</outcome>"
    "<target year=\"2021\">60</target></sub></indicator>\n"
    "            <indicator unit=\"%\"><name>Andel B</name><outcome year=\"2020\">30</outcome>"
    "<outcome year=\"2021\">20</outcome><target year=\"2021\">60</target></indicator>\n"
    "            <indicator direction=\"lower\" unit=\"dagar\"><name>Väntetid</name><outcome "
    "year=\"2020\">35</outcome><outcome year=\"2021\">28</outcome><target "
    "year=\"2021\">30</target></indicator>\n"
    "            <indicator><name>Index C</name><outcome year=\"2020\">I.U.</outcome>"
    "<outcome year=\"2021\">Sekretessbelagt</outcome><target year=\"2021\">60</target></indicator>\n"
    "          </indicators>\n"
    "        </process-goal>\n";

static const char *write_doc(const char *dir) {
  sbuf b = {0};
  sbuf_add(&b, head);
  sbuf_add(&b,
           "    <section><heading>Sammanfattning</heading>\n"
           "      <p>KLARA <count of=\"commitments\" value=\"klart\"/> AV <count of=\"commitments\"/> "
           "FÖRSENADE <count of=\"commitments\" value=\"försenat\"/> OMRÅDEN <count of=\"process-areas\"/> "
           "UPPFYLLDA <count of=\"process-areas\" value=\"uppfyllt\"/> MÅL <count of=\"process-goals\"/> "
           "INDIKATORER <count of=\"indicators\"/> RISKER <count of=\"risks\"/> "
           "UPPDRAG <count of=\"assignments\" value=\"Genomförd\"/> SLUT.</p>\n"
           "      <summary of=\"process-areas\"/>\n      <summary of=\"commitments\"/>\n    </section>\n");
  const char *section = NULL;
  for (int a = 0; a < AREAS; a++) {
    if (!section || strcmp(section, areas[a].section) != 0) {
      if (section) sbuf_add(&b, "    </section>\n");
      section = areas[a].section;
      sbuf_printf(&b, "    <section><heading>%s</heading>\n", section);
    }
    sbuf_printf(&b, "      <process-area assessment=\"%s\" %s><heading>%s</heading>\n", areas[a].assessment,
                areas[a].attrs, areas[a].name);
    if (a == 0) sbuf_add(&b, indicators);
    add_commitments(&b, a);
    sbuf_add(&b, "      </process-area>\n");
  }
  sbuf_add(&b,
           "    </section>\n    <section><heading>Intern kontroll</heading>\n"
           "      <risk manage=\"yes\" likelihood=\"3\" consequence=\"4\" assessment=\"delvis\">\n"
           "        <text>En risk.</text><control>Stickprov.</control><result>Fyra av trettio.</result>\n"
           "        <comment><p>En kommentar.</p></comment>\n      </risk>\n"
           "      <assignments>\n"
           "        <assignment number=\"1\" status=\"Genomförd\">Uppdrag ett.</assignment>\n"
           "        <assignment number=\"2\" status=\"Pågår\">Uppdrag två.</assignment>\n"
           "        <assignment number=\"3\" status=\"Genomförd\">Uppdrag tre.</assignment>\n"
           "      </assignments>\n"
           "      <legend/>\n    </section>\n  </body>\n</report>\n");
  const char *path = sfmt("%s/domain.xml", dir);
  write_text(path, sbuf_str(&b));
  return path;
}

static const char *render_doc(const char *tpl) {
  const char *dir = tmpdir_new();
  const char *out = sfmt("%s/%s.pdf", dir, tpl);
  run_result r = run(NULL, bilaga_binary(), "render", write_doc(dir), "-t", tpl, "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 0) && r.err_len == 0, "render with %s: %s", tpl, run_describe(&r));
  return out;
}

/* ---- reading rows ---- */

typedef struct rows {
  char **line; /* -layout lines, spaces collapsed: a table row is its cells joined by spaces */
  int count;
} rows;

static rows rows_of(const char *pdf) {
  rows r;
  char **lines = split_lines(plain_spaces(pdf_text(pdf, 0, 0, "-layout")), &r.count);
  r.line = xmalloc(sizeof *r.line * (size_t)(r.count + 1));
  for (int i = 0; i < r.count; i++) r.line[i] = collapse_ws(lines[i]);
  return r;
}

/* The row whose cells, read left to right, are exactly cells. */
static void assert_row(const rows *r, const char *tpl, const char *const *cells) {
  sbuf want = {0};
  for (int i = 0; cells[i]; i++) sbuf_printf(&want, "%s%s", i ? " " : "", cells[i]);
  for (int i = 0; i < r->count; i++)
    if (strcmp(r->line[i], sbuf_str(&want)) == 0) return;
  ck_abort_msg("%s: no row \"%s\"", tpl, sbuf_str(&want));
}

#define ROW(r, tpl, ...) assert_row(r, tpl, (const char *const[]){__VA_ARGS__, NULL})

/* ---- tests ---- */

/* Indicator rows: name | outcome per year | target | verdict [| trend];
 * sub-rows by their label; verdicts and trends derived where the content
 * gives none, "ej utvärderad" for words. */
START_TEST(test_indicator_table) {
  const char *tpl = templates[_i];
  const char *pdf = render_doc(tpl);
  rows r = rows_of(pdf);
  const char *fam = domain_setting(tpl, "indicators", "assessment-family", "indikator");
  const char *tfam = domain_setting(tpl, "indicators", "trend-family", "trendpil");
  int trend = strcmp(domain_setting(tpl, "indicators", "trend-column", "no"), "yes") == 0;
  const char *on = short_text(tpl, fam, "på målnivå"), *off = short_text(tpl, fam, "sämre än målnivå"),
             *none = short_text(tpl, fam, "ej utvärderad");
  const char *better = trend ? short_text(tpl, tfam, "bättre") : NULL,
             *worse = trend ? short_text(tpl, tfam, "sämre") : NULL,
             *not_evaluated = trend ? short_text(tpl, tfam, "ej utvärderad") : NULL;
  ROW(&r, tpl, "Andel A", "50 %", "90 %", "60 %", on, better);
  ROW(&r, tpl, "Kvinnor", "40 %", "88 %", "60 %", on, better);
  ROW(&r, tpl, "Män", "60 %", "20 %", "60 %", off, worse);
  ROW(&r, tpl, "Andel B", "30 %", "20 %", "60 %", off, worse);
  ROW(&r, tpl, "Väntetid", "35 dagar", "28 dagar", "30 dagar", on, better); /* lower is better */
  ROW(&r, tpl, "Index C", "I.U.", "Sekretessbelagt", "60", none, not_evaluated);
  /* the header: the template's words, years filled in */
  const char *outcome = domain_setting(tpl, "indicators", "outcome", "Utfall {year}");
  const char *target = domain_setting(tpl, "indicators", "target", "Mål {year}");
  const char *y = strstr(outcome, "{year}"), *ty = strstr(target, "{year}");
  const char *o1 = sfmt("%.*s2020%s", (int)(y - outcome), outcome, y + 6);
  const char *o2 = sfmt("%.*s2021%s", (int)(y - outcome), outcome, y + 6);
  const char *t = sfmt("%.*s2021%s", (int)(ty - target), target, ty + 6);
  const char *text = collapse_ws(plain_spaces(pdf_text(pdf, 0, 0, NULL)));
  const char *name = domain_setting(tpl, "indicators", "name", "Indikator");
  ck_assert_msg(strstr(text, name) && strstr(text, o1) && strstr(text, o2) && strstr(text, t),
                "%s: indicator header lacks \"%s\", \"%s\", \"%s\" or \"%s\"", tpl, name, o1, o2, t);
}
END_TEST

/* Commitment rows: text (boards) | status | progress, and the header. */
START_TEST(test_commitments) {
  const char *tpl = templates[_i];
  rows r = rows_of(render_doc(tpl));
  const char *sfam = domain_setting(tpl, "commitment", "status-family", "status");
  const char *pfam = domain_setting(tpl, "commitment", "progress-family", "färdiggrad");
  for (int i = 0; i < COMMITMENTS; i++)
    ROW(&r, tpl, sfmt("Åtagande %d. (KS)", i), short_text(tpl, sfam, commitments[i].status),
        short_text(tpl, pfam, commitments[i].progress));
  ROW(&r, tpl, domain_setting(tpl, "commitment", "text", "1-årigt åtagande"),
      domain_setting(tpl, "commitment", "status", "Status"),
      domain_setting(tpl, "commitment", "progress", "Färdiggrad"));
}
END_TEST

/* The summaries and counts equal the blocks: areas grouped by the
 * section they stand in, commitments per status in the template's order,
 * the total; <count/> the same numbers in running text. */
START_TEST(test_summaries_and_counts) {
  const char *tpl = templates[_i];
  const char *pdf = render_doc(tpl);
  rows r = rows_of(pdf);
  const char *afam = domain_setting(tpl, "process-area", "assessment-family", "bedömning");
  const char *tfam = domain_setting(tpl, "process-area", "trend-family", "trendpil");
  /* the area summary: a group row per perspective, then its areas */
  int at = -1;
  for (int a = 0; a < AREAS; a++) {
    const char *row = sfmt("%s %s %s", areas[a].name, short_text(tpl, afam, areas[a].assessment),
                           short_text(tpl, tfam, areas[a].trend));
    int found = -1;
    for (int i = at + 1; i < r.count && found < 0; i++)
      if (strcmp(r.line[i], row) == 0) found = i;
    ck_assert_msg(found > at, "%s: summary row \"%s\" missing or out of order", tpl, row);
    if (a == 0 || strcmp(areas[a].section, areas[a - 1].section) != 0)
      ck_assert_msg(strcmp(r.line[found - 1], areas[a].section) == 0,
                    "%s: \"%s\" follows \"%s\", want group \"%s\"", tpl, row, r.line[found - 1],
                    areas[a].section);
    at = found;
  }
  /* commitments per status */
  const char *sfam = domain_setting(tpl, "commitment", "status-family", "status");
  static const char *const statuses[] = {"klart", "pågår", "försenat"};
  int sum = 0, per[3] = {0};
  for (int s = 0; s < 3; s++) {
    int n = 0;
    for (int i = 0; i < COMMITMENTS; i++) n += strcmp(commitments[i].status, statuses[s]) == 0;
    sum += n;
    per[s] = n;
    ROW(&r, tpl, short_text(tpl, sfam, statuses[s]), sfmt("%d", n));
  }
  ROW(&r, tpl, domain_setting(tpl, "summary", "total", "Totalt"), sfmt("%d", sum));
  ck_assert_int_eq(sum, COMMITMENTS);
  /* counts in prose */
  const char *text = collapse_ws(plain_spaces(pdf_text(pdf, 0, 0, NULL)));
  const char *want = sfmt(
      "KLARA %d AV %d FÖRSENADE %d OMRÅDEN %d UPPFYLLDA 1 MÅL 1 INDIKATORER 4 RISKER 1 "
      "UPPDRAG 2 SLUT.",
      per[0], COMMITMENTS, per[2], AREAS);
  ck_assert_msg(strstr(text, want), "%s: no \"%s\" in the text", tpl, want);
}
END_TEST

/* Process areas: heading (with the template's prefix) and the area's own
 * Bedömning | Trend row; risk and assignment tables. */
START_TEST(test_area_risk_assignments) {
  const char *tpl = templates[_i];
  const char *pdf = render_doc(tpl);
  rows r = rows_of(pdf);
  const char *prefix = domain_setting(tpl, "process-area", "prefix", "");
  const char *afam = domain_setting(tpl, "process-area", "assessment-family", "bedömning");
  const char *tfam = domain_setting(tpl, "process-area", "trend-family", "trendpil");
  const char *text = collapse_ws(plain_spaces(pdf_text(pdf, 0, 0, NULL)));
  for (int a = 0; a < AREAS; a++) {
    const char *heading = sfmt("%s%s", prefix, areas[a].name);
    ck_assert_msg(strstr(text, heading), "%s: no heading \"%s\"", tpl, heading);
    ROW(&r, tpl, short_text(tpl, afam, areas[a].assessment), short_text(tpl, tfam, areas[a].trend));
  }
  const char *rfam = domain_setting(tpl, "risk", "value-family", "riskvärde");
  const char *rafam = domain_setting(tpl, "risk", "assessment-family", "bedömning");
  ROW(&r, tpl, domain_setting(tpl, "risk", "yes", "Ja"), short_text(tpl, rfam, "12"), "3", "4");
  ROW(&r, tpl, short_text(tpl, rafam, "delvis"), "Fyra av trettio.");
  ROW(&r, tpl, "1. Uppdrag ett.", "Genomförd");
  ROW(&r, tpl, "2. Uppdrag två.", "Pågår");
  ROW(&r, tpl, domain_setting(tpl, "assignments", "text", "Uppdrag"),
      domain_setting(tpl, "assignments", "status", "Status"));
  /* the legend after them lists the families the blocks drew, in order of
   * first use: the summaries (assessment, trend, status), then the
   * indicators, the progress, the risk value */
  const char *legend = strstr(text, "Uppdrag tre.");
  ck_assert_msg(legend != NULL, "%s: no assignments before the legend", tpl);
  const char *const used[] = {afam, tfam, domain_setting(tpl, "commitment", "status-family", "status"),
                              domain_setting(tpl, "indicators", "assessment-family", "indikator"),
                              domain_setting(tpl, "commitment", "progress-family", "färdiggrad"), rfam};
  for (size_t i = 0; i < sizeof used / sizeof *used; i++) {
    const char *title = sfmt(" %s ", family_title(tpl, used[i]));
    const char *at = strstr(legend, title);
    ck_assert_msg(at != NULL, "%s: the legend lacks family %d \"%s\" after: %.300s", tpl, (int)i + 1,
                  family_title(tpl, used[i]), legend);
    legend = at + strlen(title) - 1;
  }
}
END_TEST

/* The generated tables are tagged like written ones: Table, TH for the
 * header cells, TD for values, and every symbol a Span with /Alt. */
START_TEST(test_structure_tree) {
  const char *tpl = templates[_i];
  run_result r = run(NULL, "qpdf", "--json=2", render_doc(tpl), NULL);
  ck_assert_msg(run_exit_is(&r, 0), "qpdf --json: %s", run_describe(&r));
  const json *q = json_get(json_parse(r.out), "qpdf");
  ck_assert_msg(q && q->type == JSON_ARRAY && q->count == 2, "unexpected qpdf JSON");
  const json *objs = &q->items[1];
  int tables = 0, th = 0, td = 0, alt_spans = 0;
  for (int i = 0; i < objs->count; i++) {
    const json *v = json_get(&objs->items[i], "value");
    const json *s = json_get(v, "/S");
    if (!s || s->type != JSON_STRING) continue;
    tables += strcmp(s->string, "/Table") == 0;
    th += strcmp(s->string, "/TH") == 0;
    td += strcmp(s->string, "/TD") == 0;
    alt_spans += strcmp(s->string, "/Span") == 0 && json_get(v, "/Alt") != NULL;
  }
  /* areas 3, goal 1, indicators 1, commitments 10, risk 2, assignments 1, summaries 2 */
  ck_assert_msg(tables >= 20, "%s: %d Table elements, want at least 20", tpl, tables);
  /* header cells: 3*2 + 2 + 5 (or 6) + 10*3 + 4 + 2 + 2 + 3 + 2 */
  ck_assert_msg(th >= 56, "%s: %d TH elements, want at least 56", tpl, th);
  ck_assert_msg(td > th, "%s: %d TD elements for %d TH", tpl, td, th);
  /* symbols: areas 2*3 (own table) + 2*3 (summary), goal 1, indicators 6,
   * commitments 2*10, summary 3, risk 2 */
  ck_assert_msg(alt_spans >= 44, "%s: %d symbol Spans with /Alt, want at least 44", tpl, alt_spans);
}
END_TEST

/* Unknown values in each symbol attribute: refused at the block with the
 * allowed values, nothing written. */
START_TEST(test_unknown_values_refused) {
  static const struct {
    const char *block, *want;
  } bad[] = {
      {"<process-area assessment=\"kanske\"><heading>X</heading></process-area>",
       "<process-area assessment=\"kanske\">: unknown value \"kanske\" of symbol family \"bedömning\": "
       "allowed are "
       "\"uppfyllt\""},
      {"<process-area trend=\"uppåt\"><heading>X</heading></process-area>", "allowed are \"bättre\""},
      {"<process-area previous-assessment=\"bra\"><heading>X</heading></process-area>", "\"bra\""},
      {"<process-goal assessment=\"nja\"><text>X</text></process-goal>", "family \"bedömning\""},
      {"<commitment status=\"halvklart\"><text>X</text></commitment>", "allowed are \"klart\""},
      {"<commitment progress=\"101\"><text>X</text></commitment>", "must be a number from 0 to 100"},
      {"<indicators><indicator assessment=\"grön\"><name>X</name></indicator></indicators>",
       "family \"indikator\""},
      {"<indicators><indicator trend=\"upp\"><name>X</name></indicator></indicators>", "family \"trendpil\""},
      {"<risk value=\"26\"><text>X</text></risk>", "must be a number from 1 to 25"},
      {"<risk assessment=\"okänd\"><text>X</text></risk>", "family \"bedömning\""},
      {"<p>Antal <count of=\"commitments\" value=\"färdig\"/>.</p>", "family \"status\""},
  };
  for (int t = 0; t < TEMPLATE_COUNT; t++)
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
      const char *dir = tmpdir_new();
      const char *in = sfmt("%s/bad.xml", dir), *out = sfmt("%s/bad.pdf", dir);
      /* the block on line 5, column 5 */
      write_text(in, sfmt("%s    %s\n  </body>\n</report>\n", head, bad[i].block));
      run_result r = run(NULL, bilaga_binary(), "render", in, "-t", templates[t], "-o", out, NULL);
      ck_assert_msg(run_exit_is(&r, 2), "%s: %s", bad[i].block, run_describe(&r));
      /* the element holding the first attribute */
      const char *el = strstr(bad[i].block, "=\"");
      while (*el != '<') el--;
      int col = 5 + (int)(el - bad[i].block);
      const char *pos = sfmt("%s:5:%d: error: ", in, col);
      ck_assert_msg(strstr(r.err, pos), "%s: no \"%s\" in: %s", bad[i].block, pos, r.err);
      ck_assert_msg(strstr(r.err, bad[i].want), "%s: no \"%s\" in: %s", bad[i].block, bad[i].want, r.err);
      ck_assert_msg(!file_exists(out), "%s: a PDF was written", bad[i].block);
    }
}
END_TEST

/* A written value that contradicts the derived one wins, with a warning
 * at the block; the summary and counts use the written value. */
START_TEST(test_contradiction_warns) {
  const char *dir = tmpdir_new();
  const char *in = sfmt("%s/contra.xml", dir), *out = sfmt("%s/contra.pdf", dir);
  write_text(in,
             sfmt("%s"
                  "    <indicators><indicator assessment=\"på målnivå\"><name>Andel</name>"
                  "<outcome year=\"2021\">20</outcome><target>60</target></indicator></indicators>\n"
                  "    <risk likelihood=\"2\" consequence=\"2\" value=\"5\"><text>Risk.</text></risk>\n"
                  "    <indicators><indicator assessment=\"på målnivå\"><name>Ord</name>"
                  "<outcome year=\"2021\">I.U.</outcome><target>60</target></indicator></indicators>\n"
                  "    <process-area assessment=\"uppfyllt\" previous-assessment=\"delvis\" trend=\"sämre\">"
                  "<heading>Område</heading></process-area>\n"
                  "  </body>\n</report>\n",
                  head));
  run_result r = run(NULL, bilaga_binary(), "render", in, "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 0) && file_exists(out), "%s", run_describe(&r));
  ck_assert_msg(strstr(r.err, sfmt("%s:5:17: warning: assessment=\"på målnivå\" contradicts", in)), "%s",
                r.err);
  ck_assert_msg(strstr(r.err, sfmt("%s:6:5: warning: value=\"5\" contradicts", in)), "%s", r.err);
  ck_assert_msg(strstr(r.err, sfmt("%s:8:5: warning: trend=\"sämre\" contradicts", in)), "%s", r.err);
  /* words among the outcomes: not evaluated, which contradicts nothing */
  ck_assert_msg(!strstr(r.err, ":7:"), "a warning for a verdict over words: %s", r.err);
  rows rw = rows_of(out);
  ROW(&rw, "default", "Andel", "20", "60", short_text("default", "indikator", "på målnivå"));
}
END_TEST

/* The fill of a template's named value of a family (its <cell>). */
static void cell_fill(const char *tpl, const char *family, const char *name, double rgb[3]) {
  for (xmlNodePtr f = xml_child(xml_child(tpl_root(tpl), "symbols"), "family"); f; f = f->next)
    if (xml_is(f, "family") && strcmp(xml_attr(f, "name"), family) == 0)
      for (xmlNodePtr v = f->children; v; v = v->next)
        if (xml_is(v, "value") && xml_attr(v, "name") && strcmp(xml_attr(v, "name"), name) == 0) {
          unsigned x = (unsigned)strtoul(xml_attr(xml_child(v, "cell"), "fill") + 1, NULL, 16);
          rgb[0] = (x >> 16) / 255.0, rgb[1] = ((x >> 8) & 255) / 255.0, rgb[2] = (x & 255) / 255.0;
          return;
        }
  ck_abort_msg("%s: no value \"%s\" in %s", tpl, name, family);
}

/* Whether the PDF (uncompressed, binary) fills with a colour ("r g b rg"). */
static int fills_with(const char *pdf, size_t len, const double rgb[3]) {
  for (size_t i = 0; i + 4 <= len; i++) {
    if (memcmp(pdf + i, " rg\n", 4) != 0) continue;
    size_t start = i;
    while (start > 0 && pdf[start - 1] != '\n' && i - start < 60) start--;
    char line[64];
    size_t n = i - start < sizeof line - 1 ? i - start : sizeof line - 1;
    memcpy(line, pdf + start, n);
    line[n] = '\0';
    double c[3];
    if (sscanf(line, "%lf %lf %lf", &c[0], &c[1], &c[2]) == 3 && fabs(c[0] - rgb[0]) < 0.003 &&
        fabs(c[1] - rgb[1]) < 0.003 && fabs(c[2] - rgb[2]) < 0.003)
      return 1;
  }
  return 0;
}

/* A risk's riskvärde takes its tint from the template's matrix, which may
 * name another level than the range holding the product: kommun-klassisk
 * calls 5 × 1 = 5 "bör hanteras", not "acceptabel". */
START_TEST(test_risk_matrix_level) {
  const char *dir = tmpdir_new();
  const char *in = sfmt("%s/risk.xml", dir), *out = sfmt("%s/risk.pdf", dir), *qdf = sfmt("%s/risk.qdf", dir);
  write_text(in, sfmt("%s    <risk likelihood=\"5\" consequence=\"1\"><text>En risk.</text></risk>\n"
                      "  </body>\n</report>\n",
                      head));
  run_result r = run(NULL, bilaga_binary(), "render", in, "-t", "kommun-klassisk", "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "%s", run_describe(&r));
  r = run(NULL, "qpdf", "--qdf", "--object-streams=disable", out, qdf, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "qpdf: %s", run_describe(&r));
  size_t len;
  const char *bytes = read_file(qdf, &len);
  double level[3], range[3];
  cell_fill("kommun-klassisk", "riskvärde", "bör hanteras", level);
  cell_fill("kommun-klassisk", "riskvärde", "acceptabel", range);
  ck_assert_msg(fills_with(bytes, len, level), "the riskvärde cell is not tinted as \"bör hanteras\"");
  ck_assert_msg(!fills_with(bytes, len, range), "the riskvärde cell is tinted as the range \"acceptabel\"");
  rows rw = rows_of(out);
  ROW(&rw, "kommun-klassisk", "5", "5", "1");
}
END_TEST

/* What the samples need: a process area with sub-sections one level
 * deeper (numbered as such), a short name for the summary, a risk result
 * of paragraphs, an indicator unit without its space. */
START_TEST(test_area_sections_and_name) {
  const char *tpl = "kommun-klassisk";
  const char *dir = tmpdir_new();
  const char *in = sfmt("%s/area.xml", dir), *out = sfmt("%s/area.pdf", dir);
  write_text(
      in,
      sfmt("%s"
           "    <section><heading>Sammanfattning</heading><summary of=\"process-areas\"/></section>\n"
           "    <section><heading>Perspektiv</heading>\n"
           "      <process-area name=\"Kort\" assessment=\"uppfyllt\"><heading>Långt namn</heading>\n"
           "        <p>Inledning.</p>\n"
           "        <section><heading>Åtaganden</heading>\n"
           "          <commitment status=\"klart\"><text>Ett åtagande.</text></commitment>\n"
           "        </section>\n"
           "      </process-area>\n"
           "      <section><heading>Risker</heading>\n"
           "        <risk assessment=\"delvis\"><text>En risk.</text>\n"
           "          <result><p>Första stycket.</p><p>Andra stycket.</p></result></risk>\n"
           "        <indicators><indicator unit=\"%%\" unit-space=\"no\" decimals=\"1\"><name>Andel</name>"
           "<outcome year=\"2021\">3.5</outcome><target>4</target></indicator></indicators>\n"
           "      </section>\n"
           "    </section>\n  </body>\n</report>\n",
           head));
  run_result r = run(NULL, bilaga_binary(), "render", in, "-t", tpl, "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 0) && r.err_len == 0, "%s", run_describe(&r));
  const char *text = collapse_ws(plain_spaces(pdf_text(out, 0, 0, NULL)));
  const char *prefix = domain_setting(tpl, "process-area", "prefix", "");
  const char *want[] = {sfmt("2.1 %sLångt namn", prefix),
                        "2.1.1 Åtaganden",
                        "2.2 Risker",
                        "Första stycket.",
                        "Andra stycket.",
                        "3,5%"};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    ck_assert_msg(strstr(text, want[i]), "no \"%s\" in: %.800s", want[i], text);
  rows rw = rows_of(out);
  ROW(&rw, tpl, "Kort",
      short_text(tpl, domain_setting(tpl, "process-area", "assessment-family", "bedömning"), "uppfyllt"));
  ROW(&rw, tpl, short_text(tpl, "bedömning", "delvis"), "Första stycket.");
}
END_TEST

int main(void) {
  if (!tmp_root_init("domain")) return EXIT_FAILURE;
  Suite *s = suite_create("domain");
  TCase *tc = tcase_create("domain");
  tcase_set_timeout(tc, 600);
  tcase_add_loop_test(tc, test_indicator_table, 0, TEMPLATE_COUNT);
  tcase_add_loop_test(tc, test_commitments, 0, TEMPLATE_COUNT);
  tcase_add_loop_test(tc, test_summaries_and_counts, 0, TEMPLATE_COUNT);
  tcase_add_loop_test(tc, test_area_risk_assignments, 0, TEMPLATE_COUNT);
  tcase_add_loop_test(tc, test_structure_tree, 0, TEMPLATE_COUNT);
  tcase_add_test(tc, test_unknown_values_refused);
  tcase_add_test(tc, test_contradiction_warns);
  tcase_add_test(tc, test_risk_matrix_level);
  tcase_add_test(tc, test_area_sections_and_name);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  tmp_root_remove();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
