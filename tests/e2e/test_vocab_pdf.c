/* test_vocab_pdf.c - end to end: the vocabulary of issue 13 in a real PDF,
 * read back with poppler and qpdf. A document with five heading levels,
 * an unnumbered section, sup/sub, typed years and codes, a footnote on the
 * page and notes in a table is rendered with the bundled kommun-klassisk
 * (numbered headings): the extracted text has the numbers and the notes,
 * the note's text stands at the foot of the page below the body text, the
 * structure tree (pdfinfo -struct-text) has H4, H5, Reference and Note,
 * the outline nests five deep, a marker reads as a word of its own
 * ("innan. 1", its /ActualText), and pdf-check passes (run with the
 * argument "pdf-check", exit 77 when the checker is missing). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *vocab_doc(void) {
  const char *path = sfmt("%s/vocab.xml", tmpdir_new());
  write_text(path,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"
             "  <meta><title>Ordförråd</title><board>Servicenämnden</board></meta>\n"
             "  <body>\n"
             "    <section><heading>Nivå ett</heading>\n"
             "      <p>Utsläppen av CO<sub>2</sub> var 12 m<sup>3</sup> år <num>2023</num> mot <num>12345</num> "
             "året innan.<note>Enligt nämndens egen mätning.</note> Diarienummer <num grouping=\"no\">123456</num>.</p>\n"
             "      <section><heading>Nivå två</heading>\n"
             "        <section><heading>Nivå tre</heading>\n"
             "          <section><heading>Nivå fyra</heading><p>Fjärde nivån.</p>\n"
             "            <section><heading>Nivå fem</heading><p>Femte nivån.</p></section>\n"
             "          </section>\n"
             "        </section>\n"
             "        <section numbered=\"no\"><heading>Utan nummer</heading><p>Ingen siffra.</p></section>\n"
             "        <section><heading>Tabellen</heading>\n"
             "          <table><caption>Tabell med noter</caption>\n"
             "            <columns><column/><column align=\"decimal\"/></columns>\n"
             "            <thead><row><cell>Post <span weight=\"normal\">(tkr)</span></cell>"
             "<cell>Belopp<note>Avrundat till tusental.</note></cell></row></thead>\n"
             "            <tbody><row><cell>Intäkter<note>Utan interna poster.</note></cell><cell><num>1234</num></cell></row></tbody>\n"
             "          </table>\n"
             "          <p>Stycket efter tabellen.</p>\n"
             "        </section>\n"
             "      </section>\n"
             "    </section>\n"
             "  </body>\n"
             "</report>\n");
  return path;
}

static const char *render_doc(void) {
  const char *out = sfmt("%s/vocab.pdf", tmpdir_new());
  run_result r = run(NULL, bilaga_binary(), "render", vocab_doc(), "-t", "kommun-klassisk", "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "render: %s", run_describe(&r));
  return out;
}

START_TEST(test_text_numbers_and_notes) {
  const char *pdf = render_doc();
  char *text = plain_spaces(pdf_text(pdf, 0, 0, NULL));
  const char *want[] = {"1.1.1.1 Nivå fyra", "1.1.1.1.1 Nivå fem", "Utan nummer", "1.1.2 Tabellen", "CO2", "år 2023 ",
                        "mot 12 345 ", "Diarienummer 123456.", "innan. 1 Diarienummer", "1 234", "Enligt nämndens egen mätning.",
                        "* Avrundat till tusental.", "** Utan interna poster."};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    ck_assert_msg(strstr(text, want[i]), "\"%s\" not in the text:\n%s", want[i], text);
  ck_assert_msg(!strstr(text, "1.1.2 Utan nummer") && !strstr(text, "1.1.3 Tabellen"),
                "the unnumbered section used a number up:\n%s", text);
  /* the table's notes come before the paragraph after the table; the
   * page's footnote after everything in the body */
  const char *n2 = strstr(text, "** Utan interna"), *after = strstr(text, "Stycket efter"),
             *foot = strstr(text, "1 Enligt nämndens");
  ck_assert_msg(n2 && after && foot && n2 < after && after < foot, "notes out of place:\n%s", text);
  /* and at the foot of the page: below every body line, above the footer */
  bbox_doc *d = pdf_words(pdf, 0, 0);
  double note_y = 0, body_y = 0;
  for (int i = 0; i < d->count; i++) {
    const bword *w = &d->words[i];
    if (strcmp(w->text, "Enligt") == 0) note_y = w->y0;
    if (strcmp(w->text, "efter") == 0) body_y = w->y0;
  }
  ck_assert_double_gt(note_y, body_y + 100);
  ck_assert_double_lt(note_y, d->page_height[1] - 40);
}
END_TEST

START_TEST(test_structure_and_outline) {
  const char *pdf = render_doc();
  run_result r = run(NULL, "pdfinfo", "-struct-text", pdf, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "pdfinfo -struct-text: %s", run_describe(&r));
  ck_assert_msg(!strstr(r.err, "wrong type"), "poppler: %s", r.err);
  const char *tags[] = {"H4 (block)", "H5 (block)", "Reference (inline)", "Note ", "Link (inline)"};
  for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
    ck_assert_msg(strstr(r.out, tags[i]), "no %s in the structure:\n%s", tags[i], r.out);
  ck_assert_int_eq(count_substr(r.out, "Reference (inline)"), 3);
  ck_assert_msg(strstr(r.out, "\"1.1.1.1\xe2\x80\x82" "Nivå fyra\""), "H4 text:\n%s", r.out);
  /* the outline: five levels, nested */
  run_result q = run(NULL, "qpdf", "--json", "--json-key=outlines", pdf, NULL);
  ck_assert_msg(run_exit_is(&q, 0), "qpdf --json: %s", run_describe(&q));
  const json *o = json_get(json_parse(q.out), "outlines");
  int depth = 0;
  const char *deepest = NULL;
  while (o && o->type == JSON_ARRAY && o->count > 0) {
    depth++;
    const json *title = json_get(&o->items[0], "title");
    deepest = title && title->type == JSON_STRING ? title->string : NULL;
    o = json_get(&o->items[0], "kids");
  }
  ck_assert_int_eq(depth, 5);
  ck_assert_str_eq(deepest, "1.1.1.1.1 Nivå fem");
}
END_TEST

START_TEST(test_pdf_check) {
  const char *pdf = render_doc();
  const char *files[] = {pdf};
  char *out = pdf_check_batch(files, 1, "--pdfa --tagged");
  int passed = 0, failed = 0;
  const char *failures = NULL;
  pdf_check_verdict(out, pdf, &passed, &failed, &failures);
  ck_assert_msg(failed == 0 && passed > 0, "pdf-check: %s", failures ? failures : out);
}
END_TEST

int main(int argc, char **argv) {
  int only_check = argc > 1 && strcmp(argv[1], "pdf-check") == 0;
  if (only_check && !pdf_check_tool()) {
    printf("SKIP: pdf-check is missing\n");
    return 77;
  }
  if (!tmp_root_init("vocab_pdf")) return EXIT_FAILURE;
  Suite *s = suite_create("vocab_pdf");
  TCase *tc = tcase_create(only_check ? "pdf-check" : "vocabulary");
  tcase_set_timeout(tc, 600);
  if (only_check) {
    tcase_add_test(tc, test_pdf_check);
  } else {
    tcase_add_test(tc, test_text_numbers_and_notes);
    tcase_add_test(tc, test_structure_and_outline);
  }
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  tmp_root_remove();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
