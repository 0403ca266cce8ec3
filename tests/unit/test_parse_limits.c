/* test_parse_limits.c - check suite "parse_limits": the parse stage under
 * hostile input. Inputs come in exactly-sized buffers without a NUL (the
 * sanitizer build catches any read past their end); XML safety (no
 * DOCTYPE, entities, encodings other than UTF-8); libxml2's global error
 * handlers left as the host set them; positions and validation in time
 * linear in the input; every limit a diagnostic with a position. Times
 * are printed and only bounded generously: the tests prove termination,
 * the report states the numbers. */
#include <check.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/model.h"
#include "parse/parse.h"
#include "support.h"

#define CONTENT_SCHEMA BILAGA_TEST_SOURCE_ROOT "/templates/content.rng"
#define TEMPLATE_SCHEMA BILAGA_TEST_SOURCE_ROOT "/templates/template.rng"
#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define REPORT_OPEN "<report xmlns=\"urn:bilaga:content:1\">\n"
#define META "<meta><title>T</title><board>B</board></meta>\n"
#define DOC(body) HEAD REPORT_OPEN META "<body>\n" body "</body>\n</report>\n"

static xml_schema *content_schema;

static void load_schema(void) {
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  content_schema = parse_schema_load(CONTENT_SCHEMA, &sink);
  ck_assert_msg(content_schema != NULL, "content schema: %s", diag_log_text(&log));
}

static void free_schema(void) {
  parse_schema_free(content_schema);
  content_schema = NULL;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parses bytes[0, length) from a buffer of exactly that size. */
static document_model *parse_exact(const char *bytes, size_t length, diag_log *log) {
  char *copy = malloc(length ? length : 1);
  ck_assert_ptr_nonnull(copy);
  memcpy(copy, bytes, length);
  diag_sink sink = diag_log_sink(log);
  document_model *doc = parse_content(copy, length, "test.xml", content_schema, &sink);
  free(copy);
  ck_assert_int_eq(sink.errors, log->errors);
  return doc;
}

/* Asserts that xml is refused, its first error naming message at the
 * line and column of needle (column 0: any column). */
static void expect_error(const char *xml, size_t length, const char *message, const char *needle,
                         int check_column) {
  diag_log log;
  document_model *doc = parse_exact(xml, length, &log);
  ck_assert_msg(doc == NULL, "accepted, expected \"%s\"", message);
  ck_assert_int_gt(log.errors, 0);
  const diag_entry *e = &log.entries[0];
  ck_assert_msg(strstr(e->message, message), "expected \"%s\", got: %s", message, diag_log_text(&log));
  if (!needle) return;
  int line, column;
  text_position(xml, needle, &line, &column);
  ck_assert_msg(e->line == line && (!check_column || e->column == column), "error at %d:%d, expected %d:%d: %s",
                e->line, e->column, line, check_column ? column : 0, diag_log_text(&log));
}

#define EXPECT(xml, message, needle, check_column) \
  expect_error((xml), sizeof(xml) - 1, (message), (needle), (check_column))

/* ---- buffers without a NUL ---- */

START_TEST(test_exact_buffers_every_path) {
  diag_log log;
  static const char valid[] = DOC("<p>Hej <b>du</b><br/>där</p>\n");
  document_model *doc = parse_exact(valid, sizeof valid - 1, &log);
  ck_assert_msg(doc != NULL, "%s", diag_log_text(&log));
  model_free(doc);
  EXPECT(DOC("<p>x</p>\n") "<!-- never closed", "the comment is not closed", "<!-- never", 1);
  EXPECT(DOC("<p>x</p>\n") "<!-- never closed --", "comment", "<!-- never", 0);
  EXPECT(HEAD REPORT_OPEN META "<body>\n  stray words\n</body>\n</report>\n", "text", "stray", 1);
  EXPECT(DOC("<p>open\n<b>x</p>\n"), "<b> is not closed: </p> comes before its </b>", "<b>", 1);
  EXPECT(HEAD REPORT_OPEN META "<body>\n<p>cut", "<p> is not closed: the file ends before its </p>", "<p>", 1);
  EXPECT(DOC("<p>x</p><okand/>\n"), "okand", "<okand", 1);
  EXPECT(HEAD REPORT_OPEN "<meta><title>T</title></meta>\n<body/>\n</report>\n", "board", "<meta>", 1);
  EXPECT(HEAD REPORT_OPEN "<meta><board>B</board></meta>\n<body/>\n</report>\n", "title", "<meta>", 1);
  EXPECT(DOC("<p>x</p>\n<p"), "", NULL, 0);
  EXPECT("<?xml version=\"1.0", "", NULL, 0);
  EXPECT("<?xml", "", NULL, 0);
  EXPECT("<!-", "", NULL, 0);
  EXPECT("<", "", NULL, 0);
  EXPECT("\xef\xbb", "not UTF-8", NULL, 0);
  EXPECT(DOC("<p>x\xc3"), "not UTF-8", NULL, 0);
  EXPECT("<!DOCTYPE", "DOCTYPE", NULL, 0);
  expect_error("", 0, "", NULL, 0);
}
END_TEST

/* ---- libxml2's global handlers stay the host's ---- */

static int generic_calls, structured_calls;
static void count_generic(void *ctx, const char *msg, ...) {
  (void)msg;
  (*(int *)ctx)++;
}
static void count_structured(void *ctx, xmlErrorPtr e) {
  (void)e;
  (*(int *)ctx)++;
}

static const char *const bad_inputs[] = {
    DOC("<p>x</b>\n"),
    DOC("<p>&nbsp;</p>\n"),
    DOC("<okand/>\n"),
    HEAD "<!DOCTYPE r [<!ENTITY a \"b\">]>\n<r/>\n",
    "<?xml version=\"1.0\"?>\n<report xmlns=\"relative\"/>\n",
    DOC("<p>x</p>") "<!--",
};

static void load_everything(void) {
  diag_log log;
  static const char valid[] = DOC("<p>x</p>\n");
  document_model *doc = parse_exact(valid, sizeof valid - 1, &log);
  ck_assert_ptr_nonnull(doc);
  model_free(doc);
  for (size_t i = 0; i < sizeof bad_inputs / sizeof *bad_inputs; i++) {
    doc = parse_exact(bad_inputs[i], strlen(bad_inputs[i]), &log);
    ck_assert_msg(doc == NULL, "bad input %zu accepted", i);
    ck_assert_msg(log.count > 0, "bad input %zu refused without a message", i);
  }
  /* a broken schema: its errors too go to the caller's sink */
  char path[] = "/tmp/bilaga-schema-XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  const char broken[] = "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"><start><element>";
  ck_assert_int_eq(write(fd, broken, sizeof broken - 1), (int)sizeof broken - 1);
  close(fd);
  diag_sink sink = diag_log_sink(&log);
  ck_assert_ptr_null(parse_schema_load(path, &sink));
  ck_assert_int_gt(log.errors, 0);
  unlink(path);
  xml_schema *t = parse_schema_load(TEMPLATE_SCHEMA, &sink);
  ck_assert_ptr_nonnull(t);
  parse_schema_free(t);
}

START_TEST(test_host_error_handlers_untouched) {
  generic_calls = structured_calls = 0;
  xmlSetGenericErrorFunc(&generic_calls, count_generic);
  xmlSetStructuredErrorFunc(&structured_calls, count_structured);
  load_everything();
  ck_assert_ptr_eq((void *)xmlGenericError, (void *)count_generic);
  ck_assert_ptr_eq(xmlGenericErrorContext, &generic_calls);
  ck_assert_ptr_eq((void *)xmlStructuredError, (void *)count_structured);
  ck_assert_ptr_eq(xmlStructuredErrorContext, &structured_calls);
  ck_assert_int_eq(generic_calls, 0);
  ck_assert_int_eq(structured_calls, 0);
  xmlSetGenericErrorFunc(NULL, NULL);
  xmlSetStructuredErrorFunc(NULL, NULL);
}
END_TEST

/* With libxml2's default handlers, nothing reaches standard error. */
START_TEST(test_nothing_printed) {
  char path[] = "/tmp/bilaga-stderr-XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  fflush(stderr);
  int saved = dup(2);
  dup2(fd, 2);
  load_everything();
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  struct stat st;
  ck_assert_int_eq(fstat(fd, &st), 0);
  close(fd);
  unlink(path);
  ck_assert_msg(st.st_size == 0, "%lld bytes written to standard error", (long long)st.st_size);
}
END_TEST

/* ---- XML safety ---- */

START_TEST(test_doctypes_refused_fast) {
  static const char *const doctypes[] = {
      /* entity expansion ("billion laughs") */
      "<!DOCTYPE report [\n<!ENTITY a \"aaaaaaaaaa\">\n<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
      "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n]>\n",
      /* an external entity (XXE) and an external DTD over the network */
      "<!DOCTYPE report [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n",
      "<!DOCTYPE report SYSTEM \"http://127.0.0.1:9/x.dtd\">\n",
      /* parameter entities */
      "<!DOCTYPE report [<!ENTITY % p \"<!ENTITY q 'x'>\"> %p;]>\n",
      /* after a comment and a processing instruction */
      "<!-- c --><?pi x?>\n  <!DOCTYPE report>\n",
  };
  for (size_t i = 0; i < sizeof doctypes / sizeof *doctypes; i++) {
    strbuf b = {0};
    sb_printf(&b, "%s%s%s<body><p>&f;&x;</p></body>\n</report>\n", HEAD, doctypes[i], REPORT_OPEN META);
    double t0 = now();
    expect_error(b.data, b.length, "DOCTYPE declarations are not allowed", "<!DOCTYPE", 1);
    double t = now() - t0;
    ck_assert_msg(t < 5, "DOCTYPE %zu took %.2f s", i, t);
    sb_free(&b);
  }
}
END_TEST

/* A diagnostic is never cut short, however long its message. */
static void record_length(const bilaga_diagnostic *d, void *user) {
  *(size_t *)user = strlen(d->message);
}

START_TEST(test_long_messages_whole) {
  size_t got = 0;
  diag_sink sink = {record_length, &got, 0};
  char value[5000];
  memset(value, 'x', sizeof value - 1);
  value[sizeof value - 1] = '\0';
  diag_error(&sink, "f.xml", 1, 1, "value \"%s\" is not allowed", value);
  ck_assert_uint_eq(got, strlen(value) + strlen("value \"\" is not allowed"));
  ck_assert_int_eq(sink.errors, 1);
}
END_TEST

START_TEST(test_undefined_entity_is_an_error) {
  EXPECT(DOC("<p>a&nbsp;b</p>\n"), "&nbsp; is not defined in XML: write &#160;", "&nbsp;", 1);
  EXPECT(DOC("<p>ä&auml;b</p>\n"), "&auml; is not defined in XML: write &#228;", "&auml;", 1);
  /* the five predefined ones and character references are text */
  diag_log log;
  static const char ok[] = DOC("<p>&amp;&lt;&gt;&quot;&apos;&#160;&#xe4;</p>\n");
  document_model *doc = parse_exact(ok, sizeof ok - 1, &log);
  ck_assert_msg(doc != NULL, "%s", diag_log_text(&log));
  char *text = model_plain_text(&doc->arena, doc->body);
  ck_assert_str_eq(text, "&<>\"'\xc2\xa0\xc3\xa4");
  model_free(doc);
}
END_TEST

START_TEST(test_versions_and_encodings) {
  EXPECT("<?xml version=\"1.1\"?>\n" REPORT_OPEN META "<body/></report>\n", "XML version \"1.1\" is not supported",
         "1.1", 1);
  EXPECT("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" REPORT_OPEN META "<body/></report>\n",
         "encoding \"ISO-8859-1\" is not supported", "ISO-8859-1", 1);
  EXPECT("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" REPORT_OPEN META "<body/></report>\n",
         "byte order mark but declares encoding \"ISO-8859-1\"", "ISO-8859-1", 1);
  EXPECT("\xff\xfe<\0?\0x\0m\0l\0", "UTF-16", NULL, 0);
  EXPECT("\xfe\xff\0<\0?\0x\0m\0l", "UTF-16", NULL, 0);
  EXPECT("<\0?\0x\0m\0l\0", "UTF-16", NULL, 0);
  /* invalid UTF-8 and NUL bytes at their byte */
  EXPECT(DOC("<p>ok\n gr\xe4s</p>\n"), "byte 0xE4 is not UTF-8", "\xe4s", 1);
  EXPECT(DOC("<p>overlong \xc0\xaf</p>\n"), "byte 0xC0 is not UTF-8", "\xc0", 1);
  EXPECT(DOC("<p>surrogate \xed\xa0\x80</p>\n"), "byte 0xED is not UTF-8", "\xed", 1);
  static const char nul[] = DOC("<p>a\0b</p>\n");
  expect_error(nul, sizeof nul - 1, "NUL byte", "<p>a", 0);
  /* UTF-8 with a BOM, and a lower-case declaration, are read */
  diag_log log;
  static const char bom[] = "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" REPORT_OPEN META
                            "<body><p>\xc3\xa5</p></body></report>\n";
  document_model *doc = parse_exact(bom, sizeof bom - 1, &log);
  ck_assert_msg(doc != NULL, "%s", diag_log_text(&log));
  model_free(doc);
}
END_TEST

START_TEST(test_nesting_depth_bounded) {
  strbuf b = {0};
  sb_puts(&b, HEAD REPORT_OPEN META "<body><p>\n");
  for (int i = 0; i < 300; i++) sb_puts(&b, "<b>");
  sb_puts(&b, "x");
  for (int i = 0; i < 300; i++) sb_puts(&b, "</b>");
  sb_puts(&b, "</p></body></report>\n");
  expect_error(b.data, b.length, "elements nest more than 256 levels deep", "<b>", 0);
  sb_free(&b);
}
END_TEST

START_TEST(test_schema_must_be_a_regular_file) {
  char dir[] = "/tmp/bilaga-fifo-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/content.rng", dir);
  ck_assert_int_eq(mkfifo(path, 0600), 0);
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  ck_assert_ptr_null(parse_schema_load(path, &sink)); /* a blocking open would hang here */
  ck_assert_int_ge(diag_log_find_text(&log, "not a regular file"), 0);
  ck_assert_ptr_null(parse_schema_load(dir, &sink));
  unlink(path);
  rmdir(dir);
}
END_TEST

/* ---- time linear in the input ---- */

/* n list items, on one line or one a line, then an unknown element: the
 * error's position must be exact, however long the line. */
static void items_with_error_at_end(int n, const char *separator) {
  strbuf b = {0};
  sb_puts(&b, HEAD REPORT_OPEN META "<body><ul>");
  for (int i = 0; i < n; i++) sb_printf(&b, "<li>item %d</li>%s", i, separator);
  sb_puts(&b, "<li>last<okand/></li></ul></body></report>\n");
  double t0 = now();
  expect_error(b.data, b.length, "okand", "<okand/>", 1);
  double t = now() - t0;
  fprintf(stderr, "%d items %s: refused in %.2f s\n", n, *separator ? "one a line" : "on one line", t);
  ck_assert_msg(t < 60, "took %.2f s", t);
  /* the valid part, with every node's position */
  b.length = strstr(b.data, "<li>last") - b.data;
  sb_puts(&b, "</ul></body></report>\n");
  diag_log log;
  t0 = now();
  document_model *doc = parse_exact(b.data, b.length, &log);
  t = now() - t0;
  fprintf(stderr, "%d items %s: parsed in %.2f s\n", n, *separator ? "one a line" : "on one line", t);
  ck_assert_msg(doc != NULL, "%s", diag_log_text(&log));
  ck_assert_msg(t < 60, "took %.2f s", t);
  const node *list = doc->body->first;
  const node *last = list->last;
  char needle[32];
  snprintf(needle, sizeof needle, "<li>item %d<", n - 1);
  int line, column;
  text_position(b.data, needle, &line, &column);
  ck_assert_int_eq(last->line, line);
  ck_assert_int_eq(last->column, column);
  model_free(doc);
  sb_free(&b);
}

START_TEST(test_positions_on_one_long_line) { items_with_error_at_end(100000, ""); }
END_TEST

START_TEST(test_positions_one_item_a_line) { items_with_error_at_end(100000, "\n"); }
END_TEST

START_TEST(test_many_line_breaks_validate_fast) {
  strbuf b = {0};
  sb_puts(&b, HEAD REPORT_OPEN META "<body><p>");
  for (int i = 0; i < 200000; i++) sb_puts(&b, "x<br/>");
  sb_puts(&b, "</p></body></report>\n");
  diag_log log;
  double t0 = now();
  document_model *doc = parse_exact(b.data, b.length, &log);
  double t = now() - t0;
  fprintf(stderr, "200,000 <br/> in one paragraph: %.2f s\n", t);
  ck_assert_msg(doc != NULL, "%s", diag_log_text(&log));
  ck_assert_msg(t < 60, "took %.2f s", t);
  int breaks = 0;
  for (const node *n = doc->body->first->first; n; n = n->next) breaks += n->kind == NODE_LINE_BREAK;
  ck_assert_int_eq(breaks, 200000);
  model_free(doc);
  sb_free(&b);
}
END_TEST

/* Text split by 200,000 comments becomes one text node, in linear time. */
START_TEST(test_text_split_by_comments) {
  strbuf b = {0};
  sb_puts(&b, HEAD REPORT_OPEN META "<body><p>");
  for (int i = 0; i < 200000; i++) sb_puts(&b, "x<!---->");
  sb_puts(&b, "</p></body></report>\n");
  diag_log log;
  double t0 = now();
  document_model *doc = parse_exact(b.data, b.length, &log);
  double t = now() - t0;
  fprintf(stderr, "text split by 200,000 comments: %.2f s\n", t);
  ck_assert_msg(doc != NULL, "%s", diag_log_text(&log));
  ck_assert_msg(t < 60, "took %.2f s", t);
  const node *text = doc->body->first->first;
  ck_assert_int_eq(text->kind, NODE_TEXT);
  ck_assert_ptr_null(text->next);
  ck_assert_uint_eq(text->length, 200000);
  model_free(doc);
  sb_free(&b);
}
END_TEST

START_TEST(test_element_count_bounded) {
  strbuf b = {0};
  sb_puts(&b, HEAD REPORT_OPEN META "<body><p>\n");
  for (int i = 0; i < 1000000; i++) sb_puts(&b, i == 999994 ? "\n<b/>" : "<br/>");
  sb_puts(&b, "</p></body></report>\n");
  double t0 = now();
  /* report, meta, title, board, body, p and 999,994 <br/>: the next is one too many */
  expect_error(b.data, b.length, "more than 1000000 elements", "<b/>", 1);
  ck_assert_msg(now() - t0 < 60, "took %.2f s", now() - t0);
  sb_free(&b);
}
END_TEST

START_TEST(test_attributes_bounded) {
  strbuf b = {0};
  sb_puts(&b, HEAD REPORT_OPEN META "<body><p\n");
  for (int i = 0; i < 64; i++) sb_printf(&b, " a%d='>'", i);
  sb_puts(&b, " last=\"x\">x</p></body></report>\n");
  expect_error(b.data, b.length, "more than 64 attributes", "last=", 1);
  sb_free(&b);
  sb_puts(&b, HEAD REPORT_OPEN META "<body>\n");
  for (int i = 0; i < 300; i++) sb_printf(&b, "<p xmlns:n%d=\"urn:x\">x</p>\n", i);
  sb_puts(&b, "</body></report>\n");
  expect_error(b.data, b.length, "more than 256 namespaces", "xmlns:n255", 1); /* the root's is the first */
  sb_free(&b);
}
END_TEST

/* ---- limits of the model ---- */

START_TEST(test_spans_columns_and_list_start) {
  EXPECT(DOC("<table><columns><column/></columns><tbody><row>\n<cell colspan=\"1000000000\">x</cell></row>"
             "</tbody></table>\n"),
         "colspan=\"1000000000\" is too large: the largest allowed is 64", "<cell", 1);
  EXPECT(DOC("<table><columns><column/></columns><tbody><row>\n<cell rowspan=\"99999999999999999999999\">x</cell>"
             "</row></tbody></table>\n"),
         "rowspan=\"99999999999999999999...\" is too large", "<cell", 1);
  EXPECT(DOC("<ol start=\"1000000001\"><li>x</li></ol>\n"), "start=\"1000000001\" is too large", "<ol", 1);
  strbuf b = {0};
  sb_puts(&b, HEAD REPORT_OPEN META "<body><table>\n<columns>");
  for (int i = 0; i < 10000; i++) sb_puts(&b, "<column/>");
  sb_puts(&b, "</columns><tbody><row><cell>x</cell></row></tbody></table></body></report>\n");
  expect_error(b.data, b.length, "at most 64 columns", "<columns>", 1);
  sb_free(&b);
  diag_log log;
  static const char ol[] = DOC("<ol start=\"100001\"><li>x</li></ol>\n");
  document_model *doc = parse_exact(ol, sizeof ol - 1, &log);
  ck_assert_msg(doc != NULL, "%s", diag_log_text(&log));
  ck_assert_int_eq(doc->body->first->u.list.start, 100001);
  model_free(doc);
}
END_TEST

START_TEST(test_list_depth_limit_has_a_position) {
  strbuf b = {0};
  sb_puts(&b, HEAD REPORT_OPEN META "<body>\n");
  for (int i = 0; i < 9; i++) sb_printf(&b, "<ul><li>level %d\n", i);
  sb_puts(&b, "x");
  for (int i = 0; i < 9; i++) sb_puts(&b, "</li></ul>");
  sb_puts(&b, "</body></report>\n");
  expect_error(b.data, b.length, "lists nest deeper than 8 levels", "<ul><li>level 8", 1);
  sb_free(&b);
}
END_TEST

static Suite *limits_suite(void) {
  Suite *s = suite_create("parse_limits");
  TCase *tc = tcase_create("safety");
  tcase_add_checked_fixture(tc, load_schema, free_schema);
  tcase_add_test(tc, test_exact_buffers_every_path);
  tcase_add_test(tc, test_host_error_handlers_untouched);
  tcase_add_test(tc, test_nothing_printed);
  tcase_add_test(tc, test_doctypes_refused_fast);
  tcase_add_test(tc, test_undefined_entity_is_an_error);
  tcase_add_test(tc, test_long_messages_whole);
  tcase_add_test(tc, test_versions_and_encodings);
  tcase_add_test(tc, test_nesting_depth_bounded);
  tcase_add_test(tc, test_schema_must_be_a_regular_file);
  suite_add_tcase(s, tc);

  tc = tcase_create("scale");
  tcase_add_checked_fixture(tc, load_schema, free_schema);
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, test_positions_on_one_long_line);
  tcase_add_test(tc, test_positions_one_item_a_line);
  tcase_add_test(tc, test_many_line_breaks_validate_fast);
  tcase_add_test(tc, test_text_split_by_comments);
  tcase_add_test(tc, test_element_count_bounded);
  tcase_add_test(tc, test_attributes_bounded);
  tcase_add_test(tc, test_spans_columns_and_list_start);
  tcase_add_test(tc, test_list_depth_limit_has_a_position);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(limits_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
