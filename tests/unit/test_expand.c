/* test_expand.c - the expansion pass on the model (model/expand.h): domain
 * blocks lowered to sections, paragraphs and tables with no domain kind
 * left for layout, ids in document order, the shared model untouched and
 * the result the same every time; the template's <domain> read with
 * defaults equal to what templates/default.xml writes out. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "model/expand.h"
#include "model/model.h"
#include "model/template.h"
#include "parse/parse.h"
#include "support.h"

#define CONTENT_SCHEMA BILAGA_TEST_SOURCE_ROOT "/templates/content.rng"
#define TEMPLATE_SCHEMA BILAGA_TEST_SOURCE_ROOT "/templates/template.rng"

static xml_schema *content_schema, *template_schema;

static void load_schemas(void) {
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  content_schema = parse_schema_load(CONTENT_SCHEMA, &sink);
  template_schema = parse_schema_load(TEMPLATE_SCHEMA, &sink);
  ck_assert_msg(content_schema && template_schema, "schemas: %s", diag_log_text(&log));
}

static void free_schemas(void) {
  parse_schema_free(content_schema);
  parse_schema_free(template_schema);
}

static template_model *template_file(const char *name) {
  size_t len;
  char *bytes = slurp_source_file(name, &len);
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  template_model *t = parse_template(bytes, len, name, template_schema, &sink);
  free(bytes);
  ck_assert_msg(t != NULL, "%s: %s", name, diag_log_text(&log));
  return t;
}

static template_model *template_str(const char *xml, diag_log *log) {
  diag_sink sink = diag_log_sink(log);
  return parse_template(xml, strlen(xml), "t.xml", template_schema, &sink);
}

static document_model *content_file(const char *name) {
  size_t len;
  char *bytes = slurp_source_file(name, &len);
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  document_model *d = parse_content(bytes, len, name, content_schema, &sink);
  free(bytes);
  ck_assert_msg(d != NULL, "%s: %s", name, diag_log_text(&log));
  return d;
}

static int is_domain_kind(node_kind k) {
  return k == NODE_PROCESS_AREA || k == NODE_PROCESS_GOAL || k == NODE_COMMITMENT || k == NODE_INDICATORS ||
         k == NODE_INDICATOR || k == NODE_RISK || k == NODE_ASSIGNMENTS || k == NODE_ASSIGNMENT ||
         k == NODE_DOMAIN_PART || k == NODE_SUMMARY || k == NODE_COUNT || k == NODE_LEGEND;
}

/* The model as one line per node: kind, position, text; and checks on
 * the way (ids in document order, no kind layout does not know). */
static void dump(const node *n, strbuf *b, int depth, int *id, int *domain) {
  for (const node *c = n->first; c; c = c->next) {
    ck_assert_int_eq(c->id, ++*id);
    ck_assert_ptr_eq(c->parent, n);
    *domain += is_domain_kind(c->kind);
    sb_printf(b, "%*s%s %d:%d", depth * 2, "", model_kind_name(c->kind), c->line, c->column);
    if (c->kind == NODE_TEXT || c->kind == NODE_NUMBER) sb_printf(b, " \"%.*s\"", (int)c->length, c->text);
    if (c->kind == NODE_SYMBOL) sb_printf(b, " %s=%s", c->u.symbol.family, c->u.symbol.value);
    if (c->kind == NODE_SECTION) sb_printf(b, " level %d", c->u.section.level);
    sb_puts(b, "\n");
    dump(c, b, depth + 1, id, domain);
  }
}

static char *expanded_dump(const document_model *doc, const template_model *t, int *domain, int *count) {
  diag_log log;
  diag_sink sink = diag_log_sink(&log);
  int input_error;
  document_model *m = model_expand(doc, t, &sink, &input_error);
  ck_assert_msg(m != NULL, "expansion failed: %s", diag_log_text(&log));
  ck_assert_msg(m != doc, "a document with domain blocks was not copied");
  ck_assert_int_eq(log.errors, 0);
  strbuf b = {0};
  int id = 1;
  *domain = 0;
  ck_assert_int_eq(m->body->id, 1);
  dump(m->body, &b, 0, &id, domain);
  ck_assert_int_eq(id, m->node_count);
  *count = m->node_count;
  model_free(m);
  return b.data;
}

START_TEST(test_lowered_for_layout) {
  static const char *const tpls[] = {"templates/default.xml", "templates/kommun-klassisk.xml"};
  document_model *doc = content_file("tests/e2e/data/domain.xml");
  int before_count = doc->node_count, domain_in_source = 0;
  for (const node *n = doc->body; n;) {
    domain_in_source += is_domain_kind(n->kind);
    if (n->first) {
      n = n->first;
      continue;
    }
    while (n && !n->next) n = n->parent;
    if (n) n = n->next;
  }
  ck_assert_int_gt(domain_in_source, 20);
  for (int i = 0; i < 2; i++) {
    template_model *t = template_file(tpls[i]);
    int domain, count, domain2, count2;
    char *first = expanded_dump(doc, t, &domain, &count);
    char *second = expanded_dump(doc, t, &domain2, &count2);
    ck_assert_msg(domain == 0, "%s: %d domain nodes left for layout", tpls[i], domain);
    ck_assert_str_eq(first, second); /* the same every time */
    ck_assert_int_gt(count, before_count);
    /* process areas became sections of their level, with the prefix */
    ck_assert_msg(strstr(first, "  section 22:7 level 2\n    heading 23:9\n"), "%s:\n%.2000s", tpls[i],
                  first);
    ck_assert_msg(strstr(first, "symbol 85:7 riskvärde=12"), "%s: no derived riskvärde", tpls[i]);
    free(first);
    free(second);
    template_free(t);
  }
  ck_assert_int_eq(doc->node_count, before_count); /* the shared model is untouched */
  model_free(doc);
}
END_TEST

/* A template without <domain> gets what default.xml writes out. */
START_TEST(test_domain_defaults_are_default_xml) {
  template_model *d = template_file("templates/default.xml");
  diag_log log;
  template_model *bare = template_str("<template xmlns=\"urn:bilaga:template:1\"><page/></template>\n", &log);
  ck_assert_msg(bare != NULL, "%s", diag_log_text(&log));
  for (int i = 0; i < DOMAIN_LABEL_COUNT; i++) ck_assert_str_eq(bare->domain.label[i], d->domain.label[i]);
  for (int i = 0; i < DOMAIN_FAMILY_COUNT; i++) ck_assert_str_eq(bare->domain.family[i], d->domain.family[i]);
  for (int i = 0; i < DOMAIN_TABLE_COUNT; i++) {
    ck_assert_int_eq(bare->domain.widths[i].count, d->domain.widths[i].count);
    for (int k = 0; k < d->domain.widths[i].count; k++) {
      ck_assert_int_eq(bare->domain.widths[i].kind[k], d->domain.widths[i].kind[k]);
      ck_assert_double_eq_tol(bare->domain.widths[i].width[k], d->domain.widths[i].width[k], 1e-9);
    }
  }
  ck_assert_int_eq(bare->domain.area_table, d->domain.area_table);
  ck_assert_int_eq(bare->domain.indicator_trend, d->domain.indicator_trend);
  template_free(bare);
  template_free(d);
}
END_TEST

START_TEST(test_domain_settings_read) {
  diag_log log;
  template_model *t = template_str(
      "<template xmlns=\"urn:bilaga:template:1\"><page/>\n"
      "<domain><commitment text=\"Åtagande\" widths=\"2* 25% 30mm auto\"/>"
      "<indicators trend-column=\"yes\"/><process-area table=\"no\" prefix=\"Område \"/></domain>\n"
      "</template>\n",
      &log);
  ck_assert_msg(t != NULL, "%s", diag_log_text(&log));
  ck_assert_str_eq(t->domain.label[DL_COMMITMENT_TEXT], "Åtagande");
  ck_assert_str_eq(t->domain.label[DL_AREA_PREFIX], "Område ");
  const domain_widths *w = &t->domain.widths[DT_COMMITMENT];
  ck_assert_int_eq(w->count, 4);
  ck_assert_int_eq(w->kind[0], WIDTH_WEIGHT);
  ck_assert_double_eq_tol(w->width[0], 2, 1e-9);
  ck_assert_int_eq(w->kind[1], WIDTH_PERCENT);
  ck_assert_int_eq(w->kind[2], WIDTH_FIXED);
  ck_assert_double_eq_tol(w->width[2], 30 * 72 / 25.4, 1e-6);
  ck_assert_int_eq(w->kind[3], WIDTH_AUTO);
  ck_assert_int_eq(t->domain.indicator_trend, 1);
  ck_assert_int_eq(t->domain.area_table, 0);
  template_free(t);
  /* a family that <symbols> lacks, at its element */
  template_model *bad = template_str(
      "<template xmlns=\"urn:bilaga:template:1\"><page/>\n<domain>\n<risk value-family=\"risk\"/></domain>\n"
      "</template>\n",
      &log);
  ck_assert_ptr_null(bad);
  ck_assert_msg(diag_log_find_line(&log, 3) >= 0 &&
                    diag_log_find_text(&log, "value-family=\"risk\" names no symbol family") >= 0,
                "%s", diag_log_text(&log));
}
END_TEST

int main(void) {
  Suite *s = suite_create("expand");
  TCase *tc = tcase_create("expand");
  tcase_set_timeout(tc, 120);
  tcase_add_unchecked_fixture(tc, load_schemas, free_schemas);
  tcase_add_test(tc, test_lowered_for_layout);
  tcase_add_test(tc, test_domain_defaults_are_default_xml);
  tcase_add_test(tc, test_domain_settings_read);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
