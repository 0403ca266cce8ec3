/* test_ua.c - end to end: tags as PDF/UA-1 wants them and the conformance
 * claims (issue 15, items 2 and 4). A small document with a title block,
 * a table of contents, an ordered list and a table with a group row is
 * rendered under every --pdf claim; the structure tree and the catalog are
 * read back with qpdf --json: /Tabs /S on every page with annotations,
 * link annotations whose /Contents names the target, each held (OBJR) by
 * a Link element that also holds the entry's text, the title a heading,
 * group rows TH /Scope /Row, /ListNumbering on the ordered list, page
 * labels, PDF 1.4 types only under a PDF/A-1 level A claim, the header
 * version and the XMP identification of each claim. Run with the argument
 * "ua-check" (test ua_check), it gives the same document to
 * ../shared/tools/ua-check with the flags each claim calls for (exit 77
 * when the checker is missing). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bilaga.h"
#include "support.h"

typedef struct claim {
  const char *flag;    /* --pdf= value */
  const char *version; /* header */
  int part;            /* pdfaid:part, 0 for none */
  char level;          /* pdfaid:conformance */
  int ua;              /* pdfuaid */
  int pdf14;           /* only PDF 1.4 structure types */
  int tagged;
} claim;

static const claim claims[] = {
    {"a-1b", "%PDF-1.4", 1, 'B', 0, 0, 1},      {"a-1a", "%PDF-1.4", 1, 'A', 0, 1, 1},
    {"a-1a+ua-1", "%PDF-1.4", 1, 'A', 1, 1, 1}, {"a-2a", "%PDF-1.7", 2, 'A', 0, 0, 1},
    {"a-2u+ua-1", "%PDF-1.7", 2, 'U', 1, 0, 1}, {"none", "%PDF-1.7", 0, 0, 0, 0, 1},
    {"ua-1", "%PDF-1.7", 0, 0, 1, 0, 1},        {"untagged", NULL, 0, 0, 0, 0, 0},
};
enum { CLAIM_COUNT = sizeof claims / sizeof *claims };

/* Short paragraphs (one line each), so that the reading-text check of
 * ua-check measures the tags, not line breaking. */
static const char *small_doc(void) {
  const char *path = sfmt("%s/ua.xml", tmpdir_new());
  write_text(path,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"
             "  <meta><title>Tillgänglighetsprov</title><board>Kommunstyrelsen</board>\n"
             "    <municipality>Eskilstuna kommun</municipality><bilaga>Bilaga 3</bilaga>\n"
             "    <date>2024-03-01</date></meta>\n"
             "  <body>\n"
             "    <toc/>\n"
             "    <section><heading>Ekonomi</heading>\n"
             "      <p>Kort stycke om ekonomin.</p>\n"
             "      <ol><li>Första punkten</li><li>Andra punkten</li></ol>\n"
             "      <section><heading>Driftredovisning</heading>\n"
             "        <table>\n"
             "          <columns><column/><column align=\"decimal\"/></columns>\n"
             "          <thead><row><cell>Post</cell><cell>Belopp</cell></row></thead>\n"
             "          <tbody>\n"
             "            <row role=\"group\"><cell colspan=\"2\">Intäkter</cell></row>\n"
             "            <row><cell>Avgifter</cell><cell><num>12.5</num></cell></row>\n"
             "          </tbody>\n"
             "        </table>\n"
             "      </section>\n"
             "    </section>\n"
             "    <section><heading>Personal</heading><p>Kort stycke om personalen.</p></section>\n"
             "  </body>\n"
             "</report>\n");
  return path;
}

static const char *render_claim(const char *in, const claim *c) {
  const char *out = sfmt("%s/%s.pdf", tmpdir_new(), c->flag);
  run_result r = run(NULL, bilaga_binary(), "render", in, sfmt("--pdf=%s", c->flag), "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "render --pdf=%s: %s", c->flag, run_describe(&r));
  return out;
}

/* ---- the file through qpdf --json ---- */

typedef struct qpdf {
  const json *objects; /* "obj:N 0 R" -> {"value": ...} */
  const json *catalog;
} qpdf;

static const json *deref(const qpdf *q, const json *v) {
  if (v && v->type == JSON_STRING && strstr(v->string, " 0 R"))
    return json_get(json_get(q->objects, sfmt("obj:%s", v->string)), "value");
  return v;
}

static const json *get(const qpdf *q, const json *dict, const char *key) {
  return deref(q, json_get(deref(q, dict), key));
}

static int is_name(const json *v, const char *name) {
  return v && v->type == JSON_STRING && strcmp(v->string, name) == 0;
}

static qpdf load(const char *pdf) {
  run_result r = run(NULL, "qpdf", "--json=2", pdf, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "qpdf --json %s: %s", pdf, run_describe(&r));
  const json *top = json_get(json_parse(r.out), "qpdf");
  ck_assert_msg(top && top->type == JSON_ARRAY && top->count == 2, "unexpected qpdf JSON");
  qpdf q = {&top->items[1], NULL};
  q.catalog = get(&q, json_get(json_get(q.objects, "trailer"), "value"), "/Root");
  ck_assert_ptr_nonnull(q.catalog);
  return q;
}

/* Structure elements with /S type, in object order. */
static int elements(const qpdf *q, const char *type, const json **out, int max) {
  int n = 0;
  for (int i = 0; i < q->objects->count; i++) {
    const json *v = json_get(&q->objects->items[i], "value");
    if (is_name(json_get(v, "/S"), type) && json_get(v, "/P")) {
      if (n < max) out[n] = v;
      n++;
    }
  }
  return n;
}

/* Every link annotation's /Contents, one per line. */
static const char *r_contents(const qpdf *q) {
  sbuf b = {0};
  sbuf_addn(&b, "", 0);
  for (int i = 0; i < q->objects->count; i++) {
    const json *v = json_get(&q->objects->items[i], "value");
    const json *c = is_name(json_get(v, "/Subtype"), "/Link") ? json_get(v, "/Contents") : NULL;
    if (c && c->type == JSON_STRING) sbuf_printf(&b, "%s\n", c->string);
  }
  return b.s;
}

/* The XMP packet: stored unfiltered (PDF/A asks for it), so the file
 * holds it as it is (among binary streams: no strstr over the file). */
static const char *xmp_of(const char *bytes, size_t len) {
  static const char key[] = "<x:xmpmeta";
  for (size_t i = 0; i + sizeof key - 1 <= len; i++)
    if (memcmp(bytes + i, key, sizeof key - 1) == 0) {
      const char *end = strstr(bytes + i, "</x:xmpmeta>");
      return xstrndup(bytes + i, end ? (size_t)(end - (bytes + i)) : 0);
    }
  return "";
}

START_TEST(test_structure_under_each_claim) {
  const claim *c = &claims[_i];
  const char *pdf = render_claim(small_doc(), c);
  size_t len;
  char *bytes = read_file(pdf, &len);
  qpdf q = load(pdf);

  /* page labels: the printed numbers, always */
  const json *labels = get(&q, q.catalog, "/PageLabels");
  ck_assert_msg(labels != NULL, "--pdf=%s: no /PageLabels", c->flag);
  const json *nums = get(&q, labels, "/Nums");
  ck_assert_msg(nums && nums->type == JSON_ARRAY && nums->count == 2 && is_name(get(&q, &nums->items[1], "/S"), "/D"),
                "--pdf=%s: /PageLabels is not [0 << /S /D >>]", c->flag);

  if (!c->tagged) {
    ck_assert_msg(!json_get(q.catalog, "/StructTreeRoot"), "--pdf=untagged has a structure tree");
    return;
  }
  ck_assert_msg(strncmp(bytes, c->version, 8) == 0, "--pdf=%s: header %.8s, want %s", c->flag, bytes, c->version);

  /* links: /Contents names the target; /Tabs /S on their pages */
  int links = 0;
  for (int i = 0; i < q.objects->count; i++) {
    const json *v = json_get(&q.objects->items[i], "value");
    if (!is_name(json_get(v, "/Type"), "/Page")) continue;
    const json *annots = get(&q, v, "/Annots");
    if (!annots || annots->type != JSON_ARRAY || annots->count == 0) continue;
    ck_assert_msg(is_name(json_get(v, "/Tabs"), "/S"), "--pdf=%s: a page with annotations lacks /Tabs /S", c->flag);
    for (int a = 0; a < annots->count; a++) {
      const json *an = deref(&q, &annots->items[a]);
      if (!is_name(json_get(an, "/Subtype"), "/Link")) continue;
      const json *contents = json_get(an, "/Contents");
      ck_assert_msg(contents && contents->type == JSON_STRING && strncmp(contents->string, "u:Gå till ", 11) == 0 &&
                        strstr(contents->string, ", sida 1"),
                    "--pdf=%s: link /Contents %s", c->flag, contents ? contents->string : "(none)");
      links++;
    }
  }
  ck_assert_msg(links == 3, "--pdf=%s: %d link annotations, want 3 (one per TOC entry)", c->flag, links);
  ck_assert_msg(strstr(r_contents(&q), "Gå till Driftredovisning, sida 1") != NULL,
                "--pdf=%s: no link says \"Gå till Driftredovisning, sida 1\"", c->flag);

  /* each Link element holds the entry's text (MCIDs) and the annotation (OBJR) */
  const json *found[64];
  int nlinks = elements(&q, "/Link", found, 64);
  ck_assert_int_eq(nlinks, 3);
  for (int i = 0; i < nlinks; i++) {
    const json *k = json_get(found[i], "/K");
    int mcids = 0, objrs = 0;
    for (int j = 0; k && k->type == JSON_ARRAY && j < k->count; j++) {
      const json *kid = deref(&q, &k->items[j]);
      if (kid->type == JSON_NUMBER) mcids++;
      else if (is_name(json_get(kid, "/Type"), "/OBJR")) objrs++;
      else if (is_name(json_get(kid, "/Type"), "/MCR")) mcids++;
    }
    ck_assert_msg(mcids > 0 && objrs == 1, "--pdf=%s: a Link element with %d MCIDs and %d OBJRs", c->flag, mcids,
                  objrs);
    ck_assert_msg(is_name(get(&q, get(&q, found[i], "/P"), "/S"), "/TOCI"), "--pdf=%s: a Link outside a TOCI",
                  c->flag);
  }

  /* the title block: a Div holding the title as H1 and the rest as P */
  const json *divs[4];
  ck_assert_int_eq(elements(&q, "/Div", divs, 4), 1);
  const json *k = json_get(divs[0], "/K");
  ck_assert(k && k->type == JSON_ARRAY && k->count == 4);
  static const char *const want[] = {"/P", "/H1", "/P", "/P"}; /* bilaga, title, board, municipality */
  for (int j = 0; j < 4; j++)
    ck_assert_msg(is_name(get(&q, &k->items[j], "/S"), want[j]), "--pdf=%s: title block kid %d is not %s", c->flag,
                  j, want[j]);
  /* and the TOC's title a heading */
  const json *tocs[2];
  ck_assert_int_eq(elements(&q, "/TOC", tocs, 2), 1);
  ck_assert_msg(is_name(get(&q, &json_get(tocs[0], "/K")->items[0], "/S"), "/H1"), "--pdf=%s: TOC title not H1",
                c->flag);

  /* the group row's cell heads the rows below it; the head's cells their columns */
  const json *ths[8];
  int nth = elements(&q, "/TH", ths, 8), row_scope = 0, col_scope = 0;
  for (int i = 0; i < nth && i < 8; i++) {
    const json *scope = get(&q, get(&q, ths[i], "/A"), "/Scope");
    row_scope += is_name(scope, "/Row");
    col_scope += is_name(scope, "/Column");
  }
  ck_assert_msg(nth == 3 && row_scope == 1 && col_scope == 2, "--pdf=%s: %d TH, %d /Scope /Row, %d /Column", c->flag,
                nth, row_scope, col_scope);

  /* the ordered list says how it is numbered */
  const json *ls[2];
  ck_assert_int_eq(elements(&q, "/L", ls, 2), 1);
  ck_assert_msg(is_name(get(&q, get(&q, ls[0], "/A"), "/ListNumbering"), "/Decimal"), "--pdf=%s: no /ListNumbering",
                c->flag);

  /* row groups: none under a PDF/A-1 level A claim (rows straight under the table) */
  const json *groups[4];
  int nthead = elements(&q, "/THead", groups, 4), ntbody = elements(&q, "/TBody", groups, 4);
  const json *trs[8];
  int ntr = elements(&q, "/TR", trs, 8), under_table = 0;
  for (int i = 0; i < ntr && i < 8; i++) under_table += is_name(get(&q, get(&q, trs[i], "/P"), "/S"), "/Table");
  if (c->pdf14)
    ck_assert_msg(nthead == 0 && ntbody == 0 && under_table == 3, "--pdf=%s: %d THead, %d TBody, %d of 3 TR in Table",
                  c->flag, nthead, ntbody, under_table);
  else
    ck_assert_msg(nthead == 1 && ntbody == 1 && under_table == 0, "--pdf=%s: %d THead, %d TBody", c->flag, nthead,
                  ntbody);

  /* what the file claims */
  const char *xmp = xmp_of(bytes, len);
  if (c->part) {
    ck_assert_msg(strstr(xmp, sfmt("<pdfaid:part>%d</pdfaid:part>", c->part)) &&
                      strstr(xmp, sfmt("<pdfaid:conformance>%c</pdfaid:conformance>", c->level)),
                  "--pdf=%s: the XMP claims otherwise", c->flag);
    ck_assert_msg(json_get(q.catalog, "/OutputIntents") != NULL, "--pdf=%s: no output intent", c->flag);
  } else {
    ck_assert_msg(!strstr(xmp, "pdfaid:"), "--pdf=%s: claims PDF/A", c->flag);
    ck_assert_msg(!json_get(q.catalog, "/OutputIntents"), "--pdf=%s: has an output intent", c->flag);
  }
  ck_assert_msg(!!strstr(xmp, "<pdfuaid:part>1</pdfuaid:part>") == c->ua, "--pdf=%s: pdfuaid %s", c->flag,
                c->ua ? "missing" : "present");
  if (c->ua && c->part) /* PDF/A wants a schema it does not know declared */
    ck_assert_msg(strstr(xmp, "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>") != NULL,
                  "--pdf=%s: pdfuaid not declared as an extension schema", c->flag);
  ck_assert_msg(strstr(xmp, "<dc:title>") != NULL, "--pdf=%s: no dc:title", c->flag);
}
END_TEST

/* Claims the command refuses, and an untagged file claiming level A. */
START_TEST(test_bad_claims_refused) {
  const char *in = small_doc(), *dir = tmpdir_new();
  static const char *const bad[] = {"a-1c", "a-3a", "a-1b+ua-2", "untagged+ua-1", "", "A-1B"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    const char *out = sfmt("%s/bad%zu.pdf", dir, i);
    run_result r = run(NULL, bilaga_binary(), "render", in, sfmt("--pdf=%s", bad[i]), "-o", out, NULL);
    ck_assert_msg(run_exit_is(&r, 1), "--pdf=%s: %s", bad[i], run_describe(&r));
    ck_assert_msg(strstr(r.err, "--pdf"), "--pdf=%s: the message does not name the option: %s", bad[i], r.err);
    ck_assert_msg(!file_exists(out), "--pdf=%s: a PDF was written", bad[i]);
  }
  bilaga_context *ctx = bilaga_context_new(source_root());
  ck_assert_ptr_nonnull(ctx);
  bilaga_document *doc;
  bilaga_template *tpl;
  ck_assert_int_eq(bilaga_document_load_file(ctx, in, &doc), BILAGA_OK);
  ck_assert_int_eq(bilaga_template_load(ctx, "default", &tpl), BILAGA_OK);
  bilaga_render_options o;
  bilaga_render_options_init(&o);
  ck_assert_int_eq(bilaga_render_options_set_pdf(&o, "a-1a"), BILAGA_OK);
  o.untagged = 1;
  unsigned char *bytes;
  size_t length;
  ck_assert_int_eq(bilaga_render_memory(ctx, doc, tpl, &o, &bytes, &length, NULL), BILAGA_ERROR_USAGE);
  ck_assert_ptr_null(bytes);
  bilaga_template_free(tpl);
  bilaga_document_free(doc);
  bilaga_context_free(ctx);
}
END_TEST

/* ---- ua-check ---- */

static const char *ua_check_tool(void) {
  const char *path = sfmt("%s/../shared/tools/ua-check", source_root());
  return is_regular_file(path) ? path : NULL;
}

START_TEST(test_ua_check) {
  const claim *c = &claims[_i];
  if (!c->tagged) return;
  const char *pdf = render_claim(small_doc(), c);
  const char *argv[6];
  int n = 0;
  argv[n++] = ua_check_tool();
  if (c->pdf14) argv[n++] = "--pdfa1a";
  if (c->ua) argv[n++] = "--claim-ua";
  argv[n++] = pdf;
  argv[n] = NULL;
  run_result r = run_argv(argv, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "ua-check on --pdf=%s: %s\n%s", c->flag, run_describe(&r), r.out);
}
END_TEST

/* Every sample with both templates under the default claim (PDF/A-1a):
 * the whole PDF/A-1a structure rule set and the Matterhorn checkpoints,
 * the structure text read against the page text included. */
static char **samples;
static int nsamples;

START_TEST(test_ua_check_samples) {
  const char *tpl = _i % 2 ? "kommun-klassisk" : "default";
  ck_assert_msg(nsamples >= 3, "expected the samples, found %d", nsamples);
  if (_i / 2 > nsamples) return;
  /* after the samples: a heading of one letter under a narrow number gap
   * (pdftotext once read "1T", the structure "1 T") */
  const char *in = _i / 2 < nsamples ? samples[_i / 2]
                                      : sfmt("%s/tests/fuzz/corpus/content/sample-table.xml", source_root());
  const char *pdf = render_cached(in, tpl, NULL);
  run_result r = run(NULL, ua_check_tool(), "--pdfa1a", pdf, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "ua-check --pdfa1a on %s with %s: %s\n%s", base_name(in), tpl,
                run_describe(&r), r.out);
}
END_TEST

int main(int argc, char **argv) {
  int only_ua_check = argc > 1 && strcmp(argv[1], "ua-check") == 0;
  if (only_ua_check && !ua_check_tool()) {
    printf("SKIP: %s/../shared/tools/ua-check is missing\n", source_root());
    return 77;
  }
  if (!tmp_root_init("ua")) return EXIT_FAILURE;
  Suite *s = suite_create("ua");
  TCase *tc = tcase_create(only_ua_check ? "ua-check" : "structure");
  tcase_set_timeout(tc, 600);
  if (only_ua_check) {
    tcase_add_loop_test(tc, test_ua_check, 0, CLAIM_COUNT);
    samples = sample_files(&nsamples);
    tcase_add_loop_test(tc, test_ua_check_samples, 0, 2 * ((nsamples > 3 ? nsamples : 3) + 1));
  } else {
    tcase_add_loop_test(tc, test_structure_under_each_claim, 0, CLAIM_COUNT);
    tcase_add_test(tc, test_bad_claims_refused);
  }
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  tmp_root_remove();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
