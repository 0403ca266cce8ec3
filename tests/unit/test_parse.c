/* test_parse.c - check suite "parse": content XML to the document model
 * (with the real content schema), the checks a schema cannot express
 * (section depth, table grids), positions in diagnostics, and templates
 * (defaults, overrides, bad lengths). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/model.h"
#include "model/template.h"
#include "parse/parse.h"
#include "support.h"

#define CONTENT_SCHEMA BILAGA_TEST_SOURCE_ROOT "/templates/content.rng"
#define TEMPLATE_SCHEMA BILAGA_TEST_SOURCE_ROOT "/templates/template.rng"
#define MM(x) ((x) * 72.0 / 25.4)

/* ---- helpers ---- */

static xml_schema *content_schema;
static xml_schema *template_schema;

static void load_schemas(void) {
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  content_schema = parse_schema_load(CONTENT_SCHEMA, &sink);
  ck_assert_msg(content_schema != NULL, "content schema: %s", diag_log_text(&log));
  template_schema = parse_schema_load(TEMPLATE_SCHEMA, &sink);
  ck_assert_msg(template_schema != NULL, "template schema: %s", diag_log_text(&log));
  ck_assert_int_eq(sink.errors, 0);
}

static void free_schemas(void) {
  parse_schema_free(content_schema);
  parse_schema_free(template_schema);
  content_schema = template_schema = NULL;
}

/* Parses content; the sink's error count must agree with the log. */
static document_model *parse_str(const char *xml, diag_log *log) {
  diag_sink sink = diag_log_sink(log);
  document_model *doc = parse_content(xml, strlen(xml), "test.xml", content_schema, &sink);
  ck_assert_int_eq(sink.errors, log->errors);
  return doc;
}

static document_model *parse_ok(const char *xml) {
  diag_log log;
  document_model *doc = parse_str(xml, &log);
  ck_assert_msg(doc != NULL, "valid content refused: %s", diag_log_text(&log));
  ck_assert_msg(log.errors == 0, "errors for valid content: %s", diag_log_text(&log));
  return doc;
}

/* Asserts that xml is refused with an error at the position of needle
 * (its line, and its column when check_column). */
static void expect_refused_at(const char *xml, const char *needle, int check_column) {
  int line, column;
  text_position(xml, needle, &line, &column);
  diag_log log;
  document_model *doc = parse_str(xml, &log);
  ck_assert_msg(doc == NULL, "invalid content accepted (expected an error at line %d)", line);
  model_free(doc);
  ck_assert_int_gt(log.errors, 0);
  int i = diag_log_find_line(&log, line);
  ck_assert_msg(i >= 0, "no error at line %d: %s", line, diag_log_text(&log));
  ck_assert_str_eq(log.entries[i].file, "test.xml");
  if (check_column)
    ck_assert_msg(log.entries[i].column == column, "error at %d:%d, expected column %d: %s", line,
                  log.entries[i].column, column, diag_log_text(&log));
  else
    ck_assert_int_gt(log.entries[i].column, 0);
}

/* The index-th child of n (from 0), asserting that it exists. */
static const node *child(const node *n, int index) {
  ck_assert_ptr_nonnull(n);
  const node *c = n->first;
  for (int i = 0; i < index && c; i++) c = c->next;
  ck_assert_msg(c != NULL, "%s (line %d) has no child %d", model_kind_name(n->kind), n->line, index);
  return c;
}

static int child_count(const node *n) {
  int k = 0;
  for (const node *c = n->first; c; c = c->next) k++;
  return k;
}

static void assert_kind(const node *n, node_kind kind) {
  ck_assert_ptr_nonnull(n);
  ck_assert_msg(n->kind == kind, "node %d at line %d is <%s>, expected <%s>", n->id, n->line,
                model_kind_name(n->kind), model_kind_name(kind));
}

static char *plain(document_model *doc, const node *n) { return model_plain_text(&doc->arena, n); }

/* Every node: ids increase in document order, parents link back, texts
 * hold no layout whitespace, positions are known. */
static void check_tree(const document_model *doc, const node *n, int *last_id) {
  ck_assert_int_gt(n->id, *last_id);
  ck_assert_int_le(n->id, doc->node_count);
  *last_id = n->id;
  ck_assert_int_gt(n->line, 0);
  ck_assert_int_gt(n->column, 0);
  if (n->kind == NODE_TEXT) {
    ck_assert_uint_eq(strlen(n->text), n->length);
    ck_assert_msg(!strstr(n->text, "  "), "double space kept in \"%s\"", n->text);
    ck_assert_msg(!strpbrk(n->text, "\n\t\r"), "layout whitespace kept in \"%s\"", n->text);
  }
  const node *prev = NULL;
  for (const node *c = n->first; c; c = c->next) {
    ck_assert_ptr_eq(c->parent, n);
    prev = c;
    check_tree(doc, c, last_id);
  }
  ck_assert_ptr_eq(n->last, prev);
}

#define REPORT_OPEN "<report xmlns=\"urn:bilaga:content:1\">\n"
#define META "<meta><title>T</title><board>B</board></meta>\n"

/* ---- a valid document ---- */

static const char *const valid_doc =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"
    "  <meta>\n"
    "    <title>  Årsredovisning\n      2023  </title>\n"
    "    <board>Kommun\tstyrelsen</board>\n"
    "    <diary-number>KS 2023/17</diary-number>\n"
    "    <date>2024-01-31</date>\n"
    "  </meta>\n"
    "  <body>\n"
    "    <section id=\"inledning\">\n"
    "      <heading>Första   avsnittet</heading>\n"
    "      <p>Hej   <b>fet</b>\n        text\t<num decimals=\"1\" unit=\"%\" sign=\"always\"> -109.75 </num>  slut</p>\n"
    "      <section>\n"
    "        <heading>Under</heading>\n"
    "        <ul>\n"
    "          <li>Punkt ett <i>kursiv</i>\n"
    "            <ul><li>Inre punkt</li></ul>\n"
    "          </li>\n"
    "          <li><p>Stycke A</p><p>Stycke B</p></li>\n"
    "        </ul>\n"
    "        <section toc=\"no\">\n"
    "          <heading>Tredje nivån</heading>\n"
    "          <p xml:lang=\"en\">In English</p>\n"
    "        </section>\n"
    "      </section>\n"
    "    </section>\n"
    "    <section page-break-before=\"yes\">\n"
    "      <heading>Andra</heading>\n"
    "      <ol start=\"3\"><li>Tre</li></ol>\n"
    "    </section>\n"
    "  </body>\n"
    "</report>\n";

START_TEST(test_valid_sections_and_numbers) {
  document_model *doc = parse_ok(valid_doc);
  ck_assert_ptr_nonnull(doc->body);
  assert_kind(doc->body, NODE_BODY);
  ck_assert_int_eq(doc->heading_count, 4);
  ck_assert_int_eq(child_count(doc->body), 2);

  const node *s1 = child(doc->body, 0);
  assert_kind(s1, NODE_SECTION);
  ck_assert_int_eq(s1->u.section.level, 1);
  ck_assert_int_eq(s1->u.section.number[0], 1);
  ck_assert_int_eq(s1->u.section.number[1], 0);
  ck_assert_int_eq(s1->u.section.number[2], 0);
  ck_assert_str_eq(s1->u.section.anchor, "inledning");
  ck_assert_int_eq(s1->u.section.in_toc, 1);
  ck_assert_int_eq(s1->u.section.page_break_before, -1); /* unset: as the template says */
  int line, column;
  text_position(valid_doc, "<section id=\"inledning\">", &line, &column);
  ck_assert_int_eq(s1->line, line);
  ck_assert_int_eq(s1->column, column);

  const node *h1 = child(s1, 0);
  assert_kind(h1, NODE_HEADING);
  ck_assert_str_eq(plain(doc, h1), "Första avsnittet");

  const node *s11 = child(s1, 2);
  assert_kind(s11, NODE_SECTION);
  ck_assert_ptr_eq(s11->parent, s1);
  ck_assert_int_eq(s11->u.section.level, 2);
  ck_assert_int_eq(s11->u.section.number[0], 1);
  ck_assert_int_eq(s11->u.section.number[1], 1);
  ck_assert_int_eq(s11->u.section.number[2], 0);
  ck_assert_ptr_null(s11->u.section.anchor);

  const node *s111 = s11->last;
  assert_kind(s111, NODE_SECTION);
  ck_assert_int_eq(s111->u.section.level, 3);
  ck_assert_int_eq(s111->u.section.number[0], 1);
  ck_assert_int_eq(s111->u.section.number[1], 1);
  ck_assert_int_eq(s111->u.section.number[2], 1);
  ck_assert_int_eq(s111->u.section.in_toc, 0);
  ck_assert_str_eq(plain(doc, child(s111, 0)), "Tredje nivån");

  const node *s2 = child(doc->body, 1);
  assert_kind(s2, NODE_SECTION);
  ck_assert_int_eq(s2->u.section.level, 1);
  ck_assert_int_eq(s2->u.section.number[0], 2);
  ck_assert_int_eq(s2->u.section.number[1], 0);
  ck_assert_int_eq(s2->u.section.page_break_before, 1);
  const node *ol = child(s2, 1);
  assert_kind(ol, NODE_LIST);
  ck_assert_int_eq(ol->u.list.ordered, 1);
  ck_assert_int_eq(ol->u.list.start, 3);

  int last_id = 0;
  check_tree(doc, doc->body, &last_id);
  model_free(doc);
}
END_TEST

START_TEST(test_valid_inlines_whitespace_and_num) {
  document_model *doc = parse_ok(valid_doc);
  const node *p = child(child(doc->body, 0), 1);
  assert_kind(p, NODE_PARAGRAPH);
  ck_assert_int_eq(p->u.paragraph.style, PARAGRAPH_NORMAL);
  /* "Hej   <b>fet</b>\n   text\t<num> -109.75 </num>  slut" */
  assert_kind(child(p, 0), NODE_TEXT);
  ck_assert_str_eq(child(p, 0)->text, "Hej ");
  assert_kind(child(p, 1), NODE_BOLD);
  ck_assert_str_eq(child(child(p, 1), 0)->text, "fet");
  assert_kind(child(p, 2), NODE_TEXT);
  ck_assert_str_eq(child(p, 2)->text, " text ");
  const node *num = child(p, 3);
  assert_kind(num, NODE_NUMBER);
  ck_assert_str_eq(num->text, "-109.75"); /* canonical, trimmed, not formatted */
  ck_assert_uint_eq(num->length, 7);
  ck_assert_int_eq(num->u.number.decimals, 1);
  ck_assert_str_eq(num->u.number.unit, "%");
  ck_assert_int_eq(num->u.number.sign_always, 1);
  ck_assert_str_eq(child(p, 4)->text, " slut");
  ck_assert_int_eq(child_count(p), 5);
  ck_assert_str_eq(plain(doc, p), "Hej fet text -109.75 slut");
  model_free(doc);
}
END_TEST

START_TEST(test_valid_list_items) {
  document_model *doc = parse_ok(valid_doc);
  const node *ul = child(child(child(doc->body, 0), 2), 1);
  assert_kind(ul, NODE_LIST);
  ck_assert_int_eq(ul->u.list.ordered, 0);
  ck_assert_int_eq(child_count(ul), 2);

  /* inline text followed by a nested list: implicit paragraph + list */
  const node *li = child(ul, 0);
  assert_kind(li, NODE_ITEM);
  ck_assert_int_eq(child_count(li), 2);
  const node *ip = child(li, 0);
  assert_kind(ip, NODE_PARAGRAPH);
  assert_kind(child(ip, 1), NODE_ITALIC);
  char *t = plain(doc, ip);
  /* trailing layout whitespace may stay as one space; nothing else */
  size_t n = strlen(t);
  if (n && t[n - 1] == ' ') t[n - 1] = '\0';
  ck_assert_str_eq(t, "Punkt ett kursiv");
  const node *inner = child(li, 1);
  assert_kind(inner, NODE_LIST);
  ck_assert_int_eq(child_count(inner), 1);
  const node *inner_li = child(inner, 0);
  assert_kind(inner_li, NODE_ITEM);
  assert_kind(child(inner_li, 0), NODE_PARAGRAPH);
  ck_assert_str_eq(plain(doc, child(inner_li, 0)), "Inre punkt");

  /* an item of paragraphs keeps them as they are */
  const node *li2 = child(ul, 1);
  ck_assert_int_eq(child_count(li2), 2);
  assert_kind(child(li2, 0), NODE_PARAGRAPH);
  assert_kind(child(li2, 1), NODE_PARAGRAPH);
  ck_assert_str_eq(plain(doc, child(li2, 0)), "Stycke A");
  ck_assert_str_eq(plain(doc, child(li2, 1)), "Stycke B");
  model_free(doc);
}
END_TEST

START_TEST(test_valid_meta_and_lang) {
  document_model *doc = parse_ok(valid_doc);
  ck_assert_str_eq(doc->meta[META_TITLE], "Årsredovisning 2023");
  ck_assert_str_eq(doc->meta[META_BOARD], "Kommun styrelsen");
  ck_assert_str_eq(doc->meta[META_DIARY_NUMBER], "KS 2023/17");
  ck_assert_str_eq(doc->meta[META_DATE], "2024-01-31");
  ck_assert_ptr_null(doc->meta[META_SUBTITLE]);
  ck_assert_ptr_null(doc->meta[META_AUTHOR]);
  ck_assert_str_eq(doc->file, "test.xml");
  ck_assert_str_eq(doc->lang, "sv-SE");

  const node *s111 = child(child(doc->body, 0), 2)->last;
  const node *en = child(s111, 1);
  assert_kind(en, NODE_PARAGRAPH);
  ck_assert_str_eq(en->lang, "en");
  ck_assert_str_eq(model_node_lang(doc, en), "en");
  ck_assert_str_eq(model_node_lang(doc, child(en, 0)), "en");
  ck_assert_str_eq(model_node_lang(doc, child(s111, 0)), "sv-SE");
  model_free(doc);
}
END_TEST

START_TEST(test_language_default_and_meta) {
  document_model *doc = parse_ok(REPORT_OPEN META "<body><p>x</p></body></report>\n");
  ck_assert_str_eq(doc->lang, "sv-SE"); /* no xml:lang: Swedish */
  model_free(doc);
  doc = parse_ok("<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"fi-FI\">" META "<body/></report>");
  ck_assert_str_eq(doc->lang, "fi-FI");
  model_free(doc);
  doc = parse_ok(REPORT_OPEN "<meta><title>T</title><board>B</board><language>en-GB</language></meta>"
                             "<body><p>x</p></body></report>");
  ck_assert_str_eq(doc->lang, "en-GB");
  ck_assert_str_eq(doc->meta[META_LANGUAGE], "en-GB");
  ck_assert_str_eq(model_node_lang(doc, child(doc->body, 0)), "en-GB");
  model_free(doc);
}
END_TEST

START_TEST(test_nbsp_kept) {
  /* only XML layout whitespace collapses; U+00A0 stays as written */
  document_model *doc = parse_ok(REPORT_OPEN META "<body><p>12\xc2\xa0\xc2\xa0kr \n\n x</p></body></report>");
  const node *p = child(doc->body, 0);
  ck_assert_str_eq(child(p, 0)->text, "12\xc2\xa0\xc2\xa0kr x");
  model_free(doc);
}
END_TEST

START_TEST(test_whitespace_across_inline_elements) {
  document_model *doc = parse_ok(REPORT_OPEN META "<body><p>Alfa <b> beta </b> gamma\n  <i> delta</i></p></body></report>");
  const node *p = child(doc->body, 0);
  /* BUG: "Alfa  beta  gamma  delta". add_text (parse/content.c) collapses
   * whitespace within one text node only; a space that ends one text and
   * one that starts the next (inside or after <b>, <i>) both stay, and
   * layout draws both. */
  ck_assert_str_eq(plain(doc, p), "Alfa beta gamma delta");
  model_free(doc);
}
END_TEST

/* ---- malformed XML ---- */

START_TEST(test_malformed_inline_error_position) {
  /* an error detected on its own line: "<" that starts no tag, on line 4 */
  const char *xml = REPORT_OPEN META "<body>\n  <p>a < b</p>\n</body>\n</report>\n";
  diag_log log;
  document_model *doc = parse_str(xml, &log);
  ck_assert_ptr_null(doc);
  ck_assert_int_gt(log.errors, 0);
  ck_assert_int_eq(log.entries[0].line, 4);
  ck_assert_int_gt(log.entries[0].column, 0);
  ck_assert_str_eq(log.entries[0].file, "test.xml");
}
END_TEST

START_TEST(test_malformed_unclosed_tag_line) {
  /* <p> is opened on line 4 and never closed. */
  const char *xml = REPORT_OPEN META "<body>\n  <p>abc\n</body>\n</report>\n";
  diag_log log;
  document_model *doc = parse_str(xml, &log);
  ck_assert_ptr_null(doc);
  ck_assert_int_gt(log.errors, 0);
  /* BUG: the diagnostics point at line 5 (where libxml2 noticed the
   * mismatch, "Opening and ending tag mismatch: p line 4 and body") and
   * at the end of the input, never at line 4 where the unclosed tag is.
   * libxml2 passes the opening tag's line in xmlError.int1 for
   * XML_ERR_TAG_NAME_MISMATCH and XML_ERR_TAG_NOT_FINISHED;
   * report_xml_error (parse/xml.c) ignores it. */
  int i = diag_log_find_line(&log, 4);
  ck_assert_msg(i >= 0, "no diagnostic at line 4 for the unclosed <p>: %s", diag_log_text(&log));
  ck_assert_int_gt(log.entries[i].column, 0);
}
END_TEST

START_TEST(test_malformed_empty_input) {
  diag_log log;
  document_model *doc = parse_str("", &log);
  ck_assert_ptr_null(doc);
  ck_assert_int_gt(log.errors, 0);
}
END_TEST

/* ---- schema violations ---- */

START_TEST(test_schema_p_in_report) {
  const char *xml = REPORT_OPEN META "<p>direkt i rapporten</p>\n<body/>\n</report>\n";
  expect_refused_at(xml, "<p>", 1);
}
END_TEST

START_TEST(test_schema_unknown_element_column) {
  const char *xml = REPORT_OPEN META
      "<body>\n"
      "<section>\n"
      "<heading>Rubrik</heading>\n"
      "<p>text</p>\n"
      "      <okand>x</okand>\n" /* line 7, '<' in column 7 */
      "</section>\n"
      "</body>\n"
      "</report>\n";
  int line, column;
  text_position(xml, "<okand>", &line, &column);
  ck_assert_int_eq(line, 7);
  ck_assert_int_eq(column, 7);
  expect_refused_at(xml, "<okand>", 1);
}
END_TEST

START_TEST(test_schema_bad_attribute_value) {
  const char *xml = REPORT_OPEN META "<body>\n   <p style=\"fet\">x</p>\n</body></report>\n";
  expect_refused_at(xml, "style=\"fet\"", 1); /* the attribute, not its element */
}
END_TEST

START_TEST(test_schema_missing_board) {
  const char *xml = REPORT_OPEN "<meta><title>T</title></meta>\n<body/></report>\n";
  diag_log log;
  document_model *doc = parse_str(xml, &log);
  ck_assert_ptr_null(doc);
  ck_assert_int_gt(log.errors, 0);
}
END_TEST

START_TEST(test_fourth_section_level_refused) {
  const char *xml = REPORT_OPEN META
      "<body>\n"
      "<section><heading>1</heading>\n"
      " <section><heading>1.1</heading>\n"
      "  <section><heading>1.1.1</heading>\n"
      "   <section><heading>1.1.1.1</heading><p>x</p></section>\n"
      "  </section>\n"
      " </section>\n"
      "</section>\n"
      "</body></report>\n";
  expect_refused_at(xml, "<section><heading>1.1.1.1", 1);
  /* three levels are fine */
  const char *ok = REPORT_OPEN META
      "<body><section><heading>1</heading><section><heading>1.1</heading>"
      "<section><heading>1.1.1</heading></section></section></section></body></report>";
  document_model *doc = parse_ok(ok);
  ck_assert_int_eq(child(child(child(doc->body, 0), 1), 1)->u.section.level, 3);
  model_free(doc);
}
END_TEST

/* ---- table grids ---- */

#define TABLE_OPEN(cols) REPORT_OPEN META "<body>\n<table>\n<columns>" cols "</columns>\n"
#define TABLE_CLOSE "</table>\n</body>\n</report>\n"
#define COL "<column/>"

START_TEST(test_table_colspan_past_last_column) {
  const char *xml = TABLE_OPEN(COL COL COL)
      "<tbody>\n"
      "<row><cell>a</cell><cell>b</cell><cell>c</cell></row>\n"
      "<row><cell>a</cell>\n"
      "  <cell colspan=\"3\">b</cell></row>\n"
      "</tbody>\n" TABLE_CLOSE;
  expect_refused_at(xml, "<cell colspan=\"3\">", 0);
}
END_TEST

START_TEST(test_table_row_too_narrow) {
  const char *narrow = TABLE_OPEN(COL COL COL)
      "<tbody>\n"
      "<row><cell>a</cell><cell>b</cell><cell>c</cell></row>\n"
      "<row><cell>a</cell><cell>b</cell></row>\n"
      "</tbody>\n" TABLE_CLOSE;
  expect_refused_at(narrow, "<row><cell>a</cell><cell>b</cell></row>", 0);
}
END_TEST

START_TEST(test_table_rowspan_past_group) {
  const char *xml = TABLE_OPEN(COL COL)
      "<thead>\n"
      "<row><cell>A</cell>\n"
      "<cell rowspan=\"2\">B</cell></row>\n"
      "</thead>\n"
      "<tbody>\n"
      "<row><cell>a</cell><cell>b</cell></row>\n"
      "</tbody>\n" TABLE_CLOSE;
  expect_refused_at(xml, "<cell rowspan=\"2\">", 0);
  /* a rowspan inside its group is fine, and covers the next row */
  const char *ok = TABLE_OPEN(COL COL)
      "<tbody>\n"
      "<row><cell rowspan=\"2\">a</cell><cell>b</cell></row>\n"
      "<row><cell>c</cell></row>\n"
      "</tbody>\n" TABLE_CLOSE;
  document_model *doc = parse_ok(ok);
  const node *tbody = child(child(doc->body, 0), 0);
  assert_kind(tbody, NODE_TBODY);
  const node *c = child(child(tbody, 1), 0);
  assert_kind(c, NODE_CELL);
  ck_assert_int_eq(c->u.cell.column, 1);
  model_free(doc);
}
END_TEST

START_TEST(test_table_overlapping_spans_refused) {
  /* Row 2: "d" spans columns 1-2, but column 2 is still covered by "b"
   * (rowspan 2) from row 1, and "e" takes column 3: row 2 is four columns
   * wide in a three-column table. */
  const char *xml = TABLE_OPEN(COL COL COL)
      "<tbody>\n"
      "<row><cell>a</cell><cell rowspan=\"2\">b</cell><cell>c</cell></row>\n"
      "<row><cell colspan=\"2\">d</cell><cell>e</cell></row>\n"
      "</tbody>\n" TABLE_CLOSE;
  /* BUG: accepted. check_table_grid (parse/content.c) places a cell at the
   * first free column but never checks that the columns its colspan
   * covers are free; here "d" overwrites b's rowspan and the row still
   * counts as exactly three columns. */
  expect_refused_at(xml, "<row><cell colspan=\"2\">d", 0);
}
END_TEST

START_TEST(test_table_two_level_header) {
  const char *xml = TABLE_OPEN(COL COL COL COL COL)
      "<thead>\n"
      "<row><cell rowspan=\"2\">Område</cell><cell colspan=\"2\">2022</cell><cell colspan=\"2\">2023</cell></row>\n"
      "<row><cell>Budget</cell><cell>Utfall</cell><cell>Budget</cell><cell>Utfall</cell></row>\n"
      "</thead>\n"
      "<tbody>\n"
      "<row><cell>Skola</cell><cell><num>1.5</num></cell><cell>2</cell><cell>3</cell><cell>4</cell></row>\n"
      "</tbody>\n" TABLE_CLOSE;
  document_model *doc = parse_ok(xml);
  const node *table = child(doc->body, 0);
  assert_kind(table, NODE_TABLE);
  ck_assert_int_eq(table->u.table.column_count, 5);
  ck_assert_int_eq(table->u.table.row_count, 3);
  const node *thead = child(table, 0);
  assert_kind(thead, NODE_THEAD);
  const node *r1 = child(thead, 0), *r2 = child(thead, 1);
  ck_assert_int_eq(r1->u.row.index, 0);
  ck_assert_int_eq(r2->u.row.index, 1);
  const int expect1[][3] = {{0, 1, 2}, {1, 2, 1}, {3, 2, 1}}; /* column, colspan, rowspan */
  for (int i = 0; i < 3; i++) {
    const node *c = child(r1, i);
    ck_assert_int_eq(c->u.cell.column, expect1[i][0]);
    ck_assert_int_eq(c->u.cell.colspan, expect1[i][1]);
    ck_assert_int_eq(c->u.cell.rowspan, expect1[i][2]);
  }
  /* the second header row starts right of the row-spanning cell */
  for (int i = 0; i < 4; i++) ck_assert_int_eq(child(r2, i)->u.cell.column, 1 + i);
  const node *body_row = child(child(table, 1), 0);
  ck_assert_int_eq(body_row->u.row.index, 2);
  for (int i = 0; i < 5; i++) ck_assert_int_eq(child(body_row, i)->u.cell.column, i);
  /* inline cell content becomes a paragraph */
  const node *cell = child(body_row, 1);
  ck_assert_int_eq(cell->u.cell.has_blocks, 0);
  assert_kind(child(cell, 0), NODE_PARAGRAPH);
  assert_kind(child(child(cell, 0), 0), NODE_NUMBER);
  ck_assert_str_eq(child(child(cell, 0), 0)->text, "1.5");
  model_free(doc);
}
END_TEST

START_TEST(test_table_columns) {
  const char *xml = TABLE_OPEN("<column width=\"30mm\" align=\"right\" decimals=\"2\" unit=\"%\"/>"
                               "<column width=\"25%\"/><column width=\"2*\"/><column/>")
      "<tbody><row><cell>a</cell><cell>b</cell><cell>c</cell><cell>d</cell></row></tbody>\n" TABLE_CLOSE;
  document_model *doc = parse_ok(xml);
  const node *table = child(doc->body, 0);
  const table_column *c = table->u.table.columns;
  ck_assert_int_eq(c[0].width_kind, WIDTH_FIXED);
  ck_assert_double_eq_tol(c[0].width, MM(30), 1e-9);
  ck_assert_int_eq(c[0].align, ALIGN_RIGHT);
  ck_assert_int_eq(c[0].decimals, 2);
  ck_assert_str_eq(c[0].unit, "%");
  ck_assert_int_eq(c[1].width_kind, WIDTH_PERCENT);
  ck_assert_double_eq_tol(c[1].width, 25, 1e-9);
  ck_assert_int_eq(c[2].width_kind, WIDTH_WEIGHT);
  ck_assert_double_eq_tol(c[2].width, 2, 1e-9);
  ck_assert_int_eq(c[3].width_kind, WIDTH_AUTO);
  ck_assert_int_eq(c[3].decimals, -1);
  model_free(doc);
}
END_TEST

/* ---- templates ---- */

#define TEMPLATE_OPEN "<template xmlns=\"urn:bilaga:template:1\">\n"

static template_model *template_str(const char *xml, diag_log *log) {
  diag_sink sink = diag_log_sink(log);
  template_model *t = parse_template(xml, strlen(xml), "t.xml", template_schema, &sink);
  ck_assert_int_eq(sink.errors, log->errors);
  return t;
}

/* Relax NG validation of the template's interleave grows faster than the
 * element count (50,000 styles took minutes): a template is bounded to
 * 10,000 elements, refused at the first one past that, and a template just
 * under the bound still loads in seconds. */
START_TEST(test_template_element_bound) {
  for (int styles = 9990; styles <= 20000; styles += 10010) {
    strbuf b = {0};
    sb_puts(&b, TEMPLATE_OPEN "<page/>\n");
    for (int i = 0; i < styles; i++) sb_puts(&b, "<style name=\"body\" size=\"10pt\"/>\n");
    sb_puts(&b, "</template>\n");
    diag_log log;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    template_model *t = template_str(b.data, &log);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_msg(seconds < 60, "%d styles took %.1f s", styles, seconds);
    if (styles < 10000) {
      ck_assert_msg(t != NULL, "%s", diag_log_text(&log));
    } else {
      ck_assert_ptr_null(t);
      ck_assert_int_eq(log.entries[0].line, 10000 + 1); /* the template element is the first */
      ck_assert_ptr_nonnull(strstr(log.entries[0].message, "more than 10000 elements"));
    }
    template_free(t);
    sb_free(&b);
  }
}
END_TEST

/* <symbols>: families with named values and numeric ranges, what each
 * value draws, and the look-up content goes through (numbers written the
 * Swedish way, ranges, gaps, unknown names). */
START_TEST(test_template_symbols) {
  diag_log log;
  template_model *t = template_str(
      TEMPLATE_OPEN "<page/><symbols>\n"
                    "<family name=\"bedömning\" title=\"Bedömning\" size=\"0.9\">"
                    "<explanation>Förklaring.</explanation>"
                    "<value name=\"delvis\" short=\"Delvis uppfyllt\" label=\"Delvis.\">"
                    "<circle stroke=\"#102030\"/><pie percent=\"50\" fill=\"#FF0000\"/></value>"
                    "<value name=\"ej\" short=\"Ännu ej\"><cross color=\"#00FF00\"/></value></family>\n"
                    "<family name=\"färdiggrad\" title=\"Färdiggrad\" min=\"0\" max=\"100\">"
                    "<value from=\"0\" to=\"40\" short=\"{value} %\" label=\"{value} % gjort\"><pie/></value>"
                    "<value from=\"60\" to=\"100\" short=\"Nära: {value} %\"><arrow angle=\"-45\"/></value></family>\n"
                    "<family name=\"status\" text=\"visible\"><value name=\"klart\" short=\"Klart\"><check/></value></family>\n"
                    "</symbols></template>\n",
      &log);
  ck_assert_msg(t != NULL, "%s", diag_log_text(&log));
  const symbol_set *set = &t->symbols;
  ck_assert_int_eq(set->family_count, 3);
  const symbol_family *f;
  const symbol_value *v;
  double x;
  ck_assert_int_eq(symbol_lookup(set, "bedömning", "delvis", &f, &v, &x), SYMBOL_OK);
  ck_assert_str_eq(f->explanation, "Förklaring.");
  ck_assert_double_eq_tol(f->size, 0.9, 1e-9);
  ck_assert_int_eq(f->text_visible, 0);
  ck_assert_str_eq(v->label, "Delvis.");
  ck_assert_int_eq(v->part_count, 2);
  ck_assert_int_eq(v->parts[0].shape, SHAPE_CIRCLE);
  ck_assert_int_eq(v->parts[0].paint, SYMBOL_STROKE); /* stroke only: a ring */
  ck_assert_double_eq_tol(v->parts[0].stroke.b, 0x30 / 255.0, 1e-9);
  ck_assert_int_eq(v->parts[1].shape, SHAPE_PIE);
  ck_assert_int_eq(v->parts[1].paint, SYMBOL_FILL);
  ck_assert_double_eq_tol(v->parts[1].param, 50, 1e-9);
  ck_assert_int_eq(v->parts[1].param_from_value, 0);
  ck_assert_int_eq(symbol_lookup(set, "bedömning", "ej", &f, &v, &x), SYMBOL_OK);
  ck_assert_str_eq(v->label, "Ännu ej"); /* no label: the short text */
  ck_assert_int_eq(v->parts[0].paint, SYMBOL_STROKE); /* a cross in `color` is a line */
  ck_assert_str_eq(symbol_alt(&t->arena, f, v->short_text), "Bedömning: ännu ej");
  ck_assert_int_eq(symbol_lookup(set, "bedömning", "kanske", &f, &v, &x), SYMBOL_NO_VALUE);
  ck_assert_str_eq(symbol_allowed(&t->arena, set, f), "\"delvis\", \"ej\"");
  ck_assert_int_eq(symbol_lookup(set, "humör", "glad", &f, &v, &x), SYMBOL_NO_FAMILY);
  ck_assert_str_eq(symbol_allowed(&t->arena, set, NULL), "\"bedömning\", \"färdiggrad\", \"status\"");
  /* numbers as people write them */
  const char *forms[] = {"20", "20 %", "20%", "20\xc2\xa0%", "20,0"};
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
    ck_assert_msg(symbol_lookup(set, "färdiggrad", forms[i], &f, &v, &x) == SYMBOL_OK, "%s", forms[i]);
    ck_assert_double_eq_tol(x, 20, 1e-9);
    ck_assert_int_eq(v->parts[0].param_from_value, 1);
  }
  ck_assert_str_eq(symbol_expand(&t->arena, v->short_text, 20, ","), "20 %");
  ck_assert_str_eq(symbol_expand(&t->arena, v->label, 12.5, ","), "12,5 % gjort");
  ck_assert_int_eq(symbol_lookup(set, "färdiggrad", "80", &f, &v, &x), SYMBOL_OK);
  ck_assert_str_eq(symbol_expand(&t->arena, v->short_text, x, ","), "Nära: 80 %");
  ck_assert_int_eq(symbol_lookup(set, "färdiggrad", "50", &f, &v, &x), SYMBOL_OUT_OF_RANGE); /* the gap */
  ck_assert_int_eq(symbol_lookup(set, "färdiggrad", "101", &f, &v, &x), SYMBOL_OUT_OF_RANGE);
  ck_assert_int_eq(symbol_lookup(set, "färdiggrad", "-1", &f, &v, &x), SYMBOL_OUT_OF_RANGE);
  ck_assert_int_eq(symbol_lookup(set, "färdiggrad", "mycket", &f, &v, &x), SYMBOL_NOT_A_NUMBER);
  ck_assert_str_eq(symbol_allowed(&t->arena, set, f), "a number from 0 to 100");
  ck_assert_int_eq(symbol_lookup(set, "status", "klart", &f, &v, &x), SYMBOL_OK);
  ck_assert_int_eq(f->text_visible, 1);
  ck_assert_str_eq(f->title, "status"); /* no title: the name */
  template_free(t);

  /* a family defined twice, a value twice, a numeric range's name twice */
  const char *bad[] = {
      "<family name=\"a\"><value name=\"x\" short=\"X\"/></family><family name=\"a\"><value name=\"y\" short=\"Y\"/></family>",
      "<family name=\"a\"><value name=\"x\" short=\"X\"/><value name=\"x\" short=\"Y\"/></family>",
      "<family name=\"a\" min=\"1\" max=\"5\"><value name=\"x\" to=\"2\" short=\"X\"/>"
      "<value name=\"x\" from=\"3\" short=\"Y\"/></family>",
      "<family name=\"a\" size=\"3\"><value name=\"x\" short=\"X\"/></family>",
  };
  const char *want[] = {"defined twice", "defined twice", "defined twice", "out of range"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    strbuf b = {0};
    sb_puts(&b, TEMPLATE_OPEN "<page/><symbols>\n");
    sb_puts(&b, bad[i]);
    sb_puts(&b, "\n</symbols></template>\n");
    t = template_str(b.data, &log);
    ck_assert_msg(t == NULL, "accepted: %s", bad[i]);
    ck_assert_msg(strstr(diag_log_text(&log), want[i]), "%s: %s", bad[i], diag_log_text(&log));
    ck_assert_int_eq(log.entries[0].line, 3);
    sb_free(&b);
  }
}
END_TEST

START_TEST(test_template_default_file) {
  size_t len;
  char *bytes = slurp_source_file("templates/default.xml", &len);
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  template_model *t = parse_template(bytes, len, "default.xml", template_schema, &sink);
  free(bytes);
  ck_assert_msg(t != NULL, "%s", diag_log_text(&log));
  ck_assert_int_eq(log.errors, 0);
  /* <page size="A4" top="27mm" bottom="25mm" inner="25mm" outer="22mm" mirrored="yes"> */
  ck_assert_double_eq_tol(t->page.width, MM(210), 0.01);
  ck_assert_double_eq_tol(t->page.height, MM(297), 0.01);
  ck_assert_double_eq_tol(t->page.top, MM(27), 1e-6);
  ck_assert_double_eq_tol(t->page.bottom, MM(25), 1e-6);
  ck_assert_double_eq_tol(t->page.inner, MM(25), 1e-6);
  ck_assert_double_eq_tol(t->page.outer, MM(22), 1e-6);
  ck_assert_int_eq(t->page.mirrored, 1);
  ck_assert_str_eq(t->body.family, "Carlito");
  ck_assert_double_eq_tol(t->body.size, 11, 1e-9);
  ck_assert_double_eq_tol(t->body.leading, 14.5, 1e-9);
  ck_assert_int_eq(t->body.align, ALIGN_JUSTIFY);
  ck_assert_int_eq(t->body.hyphenate, 1);
  ck_assert_double_eq_tol(t->body.color.r, 0x1A / 255.0, 1e-9);
  ck_assert_double_eq_tol(t->heading[0].text.size, 18, 1e-9);
  ck_assert_double_eq_tol(t->heading[0].text.leading, 22, 1e-9);
  ck_assert_int_eq(t->heading[0].text.bold, 1);
  ck_assert_int_eq(t->heading[0].text.align, ALIGN_LEFT);
  ck_assert_int_eq(t->heading[0].text.hyphenate, 0);
  ck_assert_str_eq(t->heading[0].text.family, "Carlito"); /* inherited from body */
  ck_assert_int_eq(t->toc.levels, 2);
  ck_assert_str_eq(t->toc.title, "Innehållsförteckning");
  ck_assert_int_eq(t->fallback_count, 1);
  ck_assert_str_eq(t->fallback_families[0], "DejaVu Sans");
  ck_assert_int_eq(t->title_line_count, 4);
  ck_assert_str_eq(t->title_lines[1].text, "{title}");
  ck_assert_double_eq_tol(t->title_lines[1].style.size, 26, 1e-9);
  ck_assert_int_eq(t->header.present, 1);
  ck_assert_str_eq(t->footer.right, "Sida {page} av {pages}");
  ck_assert_int_eq(t->first_page_different, 1);
  template_free(t);
}
END_TEST

START_TEST(test_template_defaults_and_overrides) {
  /* nothing but a page: every default */
  diag_log log;
  template_model *d = template_str(TEMPLATE_OPEN "<page/>\n</template>\n", &log);
  ck_assert_msg(d != NULL, "%s", diag_log_text(&log));
  ck_assert_double_eq_tol(d->page.width, MM(210), 0.01);
  ck_assert_int_eq(d->page.mirrored, 1);
  ck_assert_str_eq(d->body.family, "Carlito");
  double body_size = d->body.size, body_leading = d->body.leading, h1_size = d->heading[0].text.size;
  ck_assert_double_gt(body_size, 0);
  ck_assert_double_gt(h1_size, body_size);
  ck_assert_int_eq(d->heading[0].numbered, 0);

  const char *xml = TEMPLATE_OPEN
      "<page size=\"A5\" mirrored=\"no\" inner=\"2cm\" outer=\"0.5in\"/>\n"
      "<style name=\"body\" family=\"DejaVu Sans\" size=\"10pt\" align=\"left\"/>\n"
      "<style name=\"heading-1\" size=\"20pt\" numbered=\"yes\" page-break-before=\"odd\"/>\n"
      "<numbers group-separator=\"thin\" minus=\"hyphen\"/>\n"
      "</template>\n";
  template_model *t = template_str(xml, &log);
  ck_assert_msg(t != NULL, "%s", diag_log_text(&log));
  ck_assert_int_eq(t->page.mirrored, 0);
  ck_assert_double_eq_tol(t->page.width, MM(148), 0.01);
  ck_assert_double_eq_tol(t->page.height, MM(210), 0.01);
  ck_assert_double_eq_tol(t->page.inner, MM(20), 1e-6);
  ck_assert_double_eq_tol(t->page.outer, 36, 1e-6);
  ck_assert_double_eq_tol(t->page.top, d->page.top, 1e-9); /* not given: default */
  ck_assert_str_eq(t->body.family, "DejaVu Sans");
  ck_assert_double_eq_tol(t->body.size, 10, 1e-9);
  /* a new size without a leading keeps the proportion */
  ck_assert_double_eq_tol(t->body.leading, body_leading * 10 / body_size, 1e-9);
  ck_assert_int_eq(t->body.align, ALIGN_LEFT);
  /* styles not named derive from the new body */
  ck_assert_str_eq(t->heading[0].text.family, "DejaVu Sans");
  ck_assert_str_eq(t->heading[1].text.family, "DejaVu Sans");
  ck_assert_str_eq(t->lead.family, "DejaVu Sans");
  ck_assert_double_eq_tol(t->heading[0].text.size, 20, 1e-9);
  ck_assert_int_eq(t->heading[0].numbered, 1);
  ck_assert_int_eq(t->heading[0].page_break_before, 1);
  ck_assert_int_eq(t->heading[0].odd_page, 1);
  ck_assert_double_eq_tol(t->heading[1].text.size, d->heading[1].text.size, 1e-9);
  ck_assert_int_eq(t->heading[1].numbered, 0);
  ck_assert_str_eq(t->number_group_separator, "\xe2\x80\x89");
  ck_assert_str_eq(t->minus_sign, "-");
  template_free(t);
  template_free(d);
}
END_TEST

START_TEST(test_template_bad_length_line) {
  /* passes the schema's pattern, but is no usable length */
  const char *xml = TEMPLATE_OPEN "<page/>\n\n  <style name=\"lead\" space-after=\"6000pt\"/>\n</template>\n";
  int line, column;
  text_position(xml, "<style name=\"lead\"", &line, &column);
  diag_log log;
  template_model *t = template_str(xml, &log);
  ck_assert_ptr_null(t);
  int i = diag_log_find_line(&log, line);
  ck_assert_msg(i >= 0, "no error at line %d: %s", line, diag_log_text(&log));
  ck_assert_int_eq(log.entries[i].column, column);
  ck_assert_str_eq(log.entries[i].file, "t.xml");

  /* a unit the schema does not know */
  xml = TEMPLATE_OPEN "<page/>\n<style name=\"body\" size=\"12px\"/>\n</template>\n";
  text_position(xml, "size=\"12px\"", &line, &column); /* the schema's: at the attribute */
  t = template_str(xml, &log);
  ck_assert_ptr_null(t);
  i = diag_log_find_line(&log, line);
  ck_assert_msg(i >= 0, "no error at line %d: %s", line, diag_log_text(&log));
  ck_assert_int_eq(log.entries[i].column, column);
}
END_TEST

START_TEST(test_template_bad_length_multiline_tag) {
  /* Templates write long start tags over several lines (default.xml
   * does). The style starts on line 3; the bad value is on line 4. */
  const char *xml = TEMPLATE_OPEN "<page/>\n  <style name=\"lead\" size=\"12pt\"\n         space-after=\"6000pt\"/>\n</template>\n";
  int line, column;
  text_position(xml, "<style name=\"lead\"", &line, &column);
  ck_assert_int_eq(line, 3);
  diag_log log;
  template_model *t = template_str(xml, &log);
  ck_assert_ptr_null(t);
  ck_assert_int_gt(log.errors, 0);
  /* BUG: reported at line 4, column 1. libxml2 records an element's line
   * where its start tag ends, and xml_node_column (parse/xml.c) finds no
   * "<style" on that line, so it falls back to column 1. Expected: the
   * line of the tag's '<' (or the attribute's own line) with a real
   * column, not column 1 of the continuation line. */
  int attr_line, attr_column;
  text_position(xml, "space-after=", &attr_line, &attr_column);
  int at_tag = 0, at_attr = 0;
  for (int i = 0; i < log.count; i++) {
    at_tag |= log.entries[i].line == line && log.entries[i].column == column;
    at_attr |= log.entries[i].line == attr_line && log.entries[i].column == attr_column;
  }
  ck_assert_msg(at_tag || at_attr, "expected an error at %d:%d (the tag) or %d:%d (the attribute): %s", line,
                column, attr_line, attr_column, diag_log_text(&log));
}
END_TEST

START_TEST(test_template_margins_too_large) {
  const char *xml = TEMPLATE_OPEN "<page width=\"200pt\" inner=\"70pt\" outer=\"70pt\"/>\n</template>\n";
  int line, column;
  text_position(xml, "<page", &line, &column);
  diag_log log;
  template_model *t = template_str(xml, &log);
  ck_assert_ptr_null(t);
  ck_assert_int_ge(diag_log_find_line(&log, line), 0);
}
END_TEST

START_TEST(test_parse_length_units) {
  ck_assert_double_eq_tol(parse_length("12pt"), 12, 1e-12);
  ck_assert_double_eq_tol(parse_length("12"), 12, 1e-12);
  ck_assert_double_eq_tol(parse_length("0.5pt"), 0.5, 1e-12);
  ck_assert_double_eq_tol(parse_length("25.4mm"), 72, 1e-9);
  ck_assert_double_eq_tol(parse_length("10mm"), 720 / 25.4, 1e-9);
  ck_assert_double_eq_tol(parse_length("2.54cm"), 72, 1e-9);
  ck_assert_double_eq_tol(parse_length("1.5cm"), 15 * 72 / 25.4, 1e-9);
  ck_assert_double_eq_tol(parse_length("1in"), 72, 1e-12);
  ck_assert_double_eq_tol(parse_length("0.25in"), 18, 1e-12);
  ck_assert_double_eq_tol(parse_length("0"), 0, 1e-12);
  ck_assert(parse_length("12px") < 0);
  ck_assert(parse_length("mm") < 0);
  ck_assert(parse_length("") < 0);
  ck_assert(parse_length(NULL) < 0);
  ck_assert(parse_length("-3mm") < 0);
  ck_assert(parse_length("12 pt") < 0);
  ck_assert(parse_length("12ptx") < 0);
}
END_TEST

static Suite *parse_suite(void) {
  Suite *s = suite_create("parse");
  TCase *tc = tcase_create("content");
  tcase_add_checked_fixture(tc, load_schemas, free_schemas);
  tcase_add_test(tc, test_valid_sections_and_numbers);
  tcase_add_test(tc, test_valid_inlines_whitespace_and_num);
  tcase_add_test(tc, test_valid_list_items);
  tcase_add_test(tc, test_valid_meta_and_lang);
  tcase_add_test(tc, test_language_default_and_meta);
  tcase_add_test(tc, test_nbsp_kept);
  tcase_add_test(tc, test_whitespace_across_inline_elements);
  suite_add_tcase(s, tc);

  tc = tcase_create("errors");
  tcase_add_checked_fixture(tc, load_schemas, free_schemas);
  tcase_add_test(tc, test_malformed_inline_error_position);
  tcase_add_test(tc, test_malformed_unclosed_tag_line);
  tcase_add_test(tc, test_malformed_empty_input);
  tcase_add_test(tc, test_schema_p_in_report);
  tcase_add_test(tc, test_schema_unknown_element_column);
  tcase_add_test(tc, test_schema_bad_attribute_value);
  tcase_add_test(tc, test_schema_missing_board);
  tcase_add_test(tc, test_fourth_section_level_refused);
  suite_add_tcase(s, tc);

  tc = tcase_create("tables");
  tcase_add_checked_fixture(tc, load_schemas, free_schemas);
  tcase_add_test(tc, test_table_colspan_past_last_column);
  tcase_add_test(tc, test_table_row_too_narrow);
  tcase_add_test(tc, test_table_rowspan_past_group);
  tcase_add_test(tc, test_table_overlapping_spans_refused);
  tcase_add_test(tc, test_table_two_level_header);
  tcase_add_test(tc, test_table_columns);
  suite_add_tcase(s, tc);

  tc = tcase_create("template");
  tcase_add_checked_fixture(tc, load_schemas, free_schemas);
  tcase_add_test(tc, test_template_default_file);
  tcase_add_test(tc, test_template_defaults_and_overrides);
  tcase_add_test(tc, test_template_bad_length_line);
  tcase_add_test(tc, test_template_bad_length_multiline_tag);
  tcase_add_test(tc, test_template_margins_too_large);
  tcase_add_test(tc, test_parse_length_units);
  tcase_add_test(tc, test_template_element_bound);
  tcase_add_test(tc, test_template_symbols);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(parse_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
