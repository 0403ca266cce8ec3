/* test_diagnostics.c - what an author is told about the ordinary mistakes:
 * exactly one diagnostic per mistake, at the culprit (line:column in
 * characters), with its stable code, its wording and its hint; the same
 * in Swedish under a Swedish locale (argument "sv": skipped, exit 77,
 * when sv_SE.UTF-8 cannot be had); the command's source excerpt and its
 * --diagnostics=json lines; and a library that never writes to stderr. */
#include <check.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bilaga.h"
#include "support.h"

#define HEAD                                                     \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                 \
  "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n" \
  "  <meta>\n"
#define META "    <title>Årsrapport för Servicenämnden</title>\n    <board>Servicenämnden</board>\n"
#define BODY(b) "  </meta>\n  <body>\n" b "\n  </body>\n</report>\n"
#define DOC(b) HEAD META BODY(b)
#define TABLE(cells)                                                     \
  "    <table><columns><column/><column align=\"decimal\"/></columns>\n" \
  "      <tbody><row><cell>Åtgärd</cell>" cells "</row></tbody></table>"

typedef struct mistake {
  const char *name;
  const char *xml;
  const char *tpl; /* a template name to load after the content and render with, or NULL */
  bilaga_severity severity;
  const char *code;
  const char *at;         /* where the diagnostic must point: the first occurrence */
  const char *message;    /* a substring of the message */
  const char *hint;       /* a substring of the hint, or NULL for no hint */
  const char *message_sv; /* the Swedish message's substring, or NULL (not tried in Swedish) */
} mistake;

static const mistake mistakes[] = {
    /* the ten of issue 14 */
    {"bad-date", HEAD META "    <date>2023-13-01</date>\n" BODY("    <p>Text.</p>"), NULL,
     BILAGA_SEVERITY_ERROR, "E0105-bad-date", "<date>",
     "<date>2023-13-01</date> is not a day of the calendar", "the form is YYYY-MM-DD: a month 01-12",
     "<date>2023-13-01</date> är ingen dag i kalendern"},
    {"date-written-in-words", HEAD META "    <date>31 maj 2023</date>\n" BODY("    <p>Text.</p>"), NULL,
     BILAGA_SEVERITY_ERROR, "E0105-bad-date", "<date>",
     "<date>31 maj 2023</date> is not a date: write it as YYYY-MM-DD, such as 2023-05-31", NULL,
     "<date>31 maj 2023</date> är inget datum: skriv det som ÅÅÅÅ-MM-DD"},
    {"swedish-number-in-num", DOC(TABLE("<cell><num>1 234,5</num></cell>")), NULL, BILAGA_SEVERITY_ERROR,
     "E0106-bad-number", "<num>", "<num>1 234,5</num> is not a number",
     "write 1234.5 in <num>: the template prints it as 1 234,5", "<num>1 234,5</num> är inget tal"},
    {"wrong-attribute-value", DOC("    <p style=\"ingress\">Text.</p>"), NULL, BILAGA_SEVERITY_ERROR,
     "E0103-bad-attribute-value",
     "style=", "style=\"ingress\" is not allowed on <p>: write one of \"normal\", \"lead\" or \"note\"", NULL,
     "style=\"ingress\" är inte tillåtet på <p>: skriv ett av \"normal\", \"lead\" eller \"note\""},
    {"missing-metadata", HEAD "    <title>Årsrapport</title>\n" BODY("    <p>Text.</p>"), NULL,
     BILAGA_SEVERITY_ERROR, "E0108-missing-element", "<meta>", "<meta> lacks <board>",
     "add <board>…</board> inside <meta>", "<meta> saknar <board>"},
    {"misspelt-element", DOC("    <tabel><columns><column/></columns></tabel>"), NULL, BILAGA_SEVERITY_ERROR,
     "E0101-unknown-element", "<tabel>", "unknown element <tabel>", "did you mean <table>?",
     "okänt element <tabel>"},
    {"a-ring-before-the-error", DOC("    <p>Åäö åäö <b>ö</b> <numm>3</numm></p>"), NULL,
     BILAGA_SEVERITY_ERROR, "E0101-unknown-element", "<numm>", "unknown element <numm>",
     "did you mean <num>?", NULL},
    {"unescaped-ampersand", DOC("    <p>Smith & Wesson</p>"), NULL, BILAGA_SEVERITY_ERROR,
     "E0201-unescaped-ampersand", "& W", "a & must be written &amp;", "&amp;", "ett & måste skrivas &amp;"},
    {"nbsp", DOC("    <p>10&nbsp;kr per invånare</p>"), NULL, BILAGA_SEVERITY_ERROR, "E0202-undefined-entity",
     "&nbsp;", "&nbsp; is not defined in XML: write &#160; or the character itself", NULL,
     "&nbsp; finns inte i XML: skriv &#160; eller tecknet självt"},
    {"unknown-template", DOC("    <p>Text.</p>"), "defualt", BILAGA_SEVERITY_ERROR, "E0301-unknown-template",
     NULL, "unknown template \"defualt\"", "did you mean \"default\"?", "okänd mall \"defualt\""},
    {"misspelt-attribute", DOC("    <p stlye=\"lead\">Text.</p>"), NULL, BILAGA_SEVERITY_ERROR,
     "E0102-unknown-attribute", "stlye", "<p> has no attribute stlye", "did you mean style=\"lead\"?",
     "<p> har inget attribut stlye"},
    /* and more */
    {"misspelt-value",
     DOC("    <table><columns><column "
         "align=\"rigth\"/></columns><tbody><row><cell>1</cell></row></tbody></table>"),
     NULL, BILAGA_SEVERITY_ERROR, "E0103-bad-attribute-value",
     "align=", "align=\"rigth\" is not allowed on <column>", "did you mean align=\"right\"?", NULL},
    {"text-in-body", DOC("    Lös text utan stycke"), NULL, BILAGA_SEVERITY_ERROR, "E0110-text-not-allowed",
     "Lös", "text is not allowed directly inside <body>", "<p>", "text får inte stå direkt i <body>"},
    {"sixth-section-level",
     DOC("    <section><heading>1</heading><section><heading>2</heading><section><heading>3</heading>\n"
         "      <section><heading>4</heading><section><heading>5</heading>\n"
         "      <section><heading>6</heading></section></section></section></section></section></section>"),
     NULL, BILAGA_SEVERITY_ERROR, "E0001-error", "<section><heading>6", "sections nest deeper than 5 levels",
     NULL, "avsnitten är nästlade djupare än 5 nivåer"},
    {"empty-title", HEAD "    <title></title>\n    <board>SN</board>\n" BODY("    <p>x</p>"), NULL,
     BILAGA_SEVERITY_ERROR, "E0104-empty-value", "<title>", "<title> is empty: write some text", NULL, NULL},
    {"unclosed-bold", DOC("    <p>Ett <b>fetstilt stycke</p>"), NULL, BILAGA_SEVERITY_ERROR,
     "E0203-unclosed-element", "<b>", "<b> is not closed: </p> comes before its </b>", "close it with </b>",
     NULL},
    {"symbol-without-value", DOC("    <p><symbol family=\"trendpil\"/></p>"), NULL, BILAGA_SEVERITY_ERROR,
     "E0107-missing-attribute", "<symbol", "<symbol> needs the attribute value", "add value=", NULL},
    {"ol-start-zero", DOC("    <ol start=\"0\"><li>x</li></ol>"), NULL, BILAGA_SEVERITY_ERROR,
     "E0103-bad-attribute-value", "start=", "start=\"0\" on <ol> is not a whole number from 1 up", NULL,
     NULL},
    {"bad-language", HEAD META "    <language>sv_SE</language>\n" BODY("    <p>x</p>"), NULL,
     BILAGA_SEVERITY_ERROR, "E0109-bad-value", "<language>",
     "<language>sv_SE</language> is not a language tag such as sv or en-GB", NULL, NULL},
    {"decimals-seven", DOC("    <p><num decimals=\"7\">1.5</num></p>"), NULL, BILAGA_SEVERITY_ERROR,
     "E0103-bad-attribute-value", "decimals=", "decimals=\"7\" on <num> is not a whole number from 0 to 6",
     NULL, NULL},
    {"unquoted-attribute", DOC("    <p style=lead>x</p>"), NULL, BILAGA_SEVERITY_ERROR,
     "E0204-unquoted-attribute", "lead>", "an attribute value must be in quotes", "name=\"value\"", NULL},
    {"less-than-in-text", DOC("    <p>5 < 7</p>"), NULL, BILAGA_SEVERITY_ERROR, "E0205-unescaped-less-than",
     "< 7", "a < in text must be written &lt;", NULL, NULL},
    {"attribute-twice", DOC("    <p style=\"lead\" style=\"note\">x</p>"), NULL, BILAGA_SEVERITY_ERROR,
     "E0207-duplicate-attribute", NULL, "attribute style is given twice", NULL, NULL},
    {"attribute-on-br", DOC("    <p>a<br x=\"1\"/>b</p>"), NULL, BILAGA_SEVERITY_ERROR,
     "E0102-unknown-attribute", "x=", "<br> has no attribute x", "<br> takes no attributes", NULL},
    {"section-without-heading", DOC("    <section><p>x</p></section>"), NULL, BILAGA_SEVERITY_ERROR,
     "E0108-missing-element", "<section>", "<section> lacks <heading>", NULL, NULL},
    {"text-in-list", DOC("    <ul>punkt</ul>"), NULL, BILAGA_SEVERITY_ERROR, "E0110-text-not-allowed",
     "punkt", "text is not allowed directly inside <ul>", "<li>", NULL},
    {"misspelt-meta", HEAD META "    <diarienummer>KS 2023/1</diarienummer>\n" BODY("    <p>x</p>"), NULL,
     BILAGA_SEVERITY_ERROR, "E0101-unknown-element", "<diarienummer>", "unknown element <diarienummer>", NULL,
     NULL},
    {"bad-number-before-a-good-one", DOC("    <p>Intäkter <num>1 234,5</num> och <num>17</num> mnkr</p>"),
     NULL, BILAGA_SEVERITY_ERROR, "E0106-bad-number", "<num>1 234", "<num>1 234,5</num> is not a number",
     "write 1234.5", NULL},
    {"paragraph-after-section", DOC("    <section><heading>A</heading></section>\n    <p>Efteråt</p>"), NULL,
     BILAGA_SEVERITY_ERROR, "E0112-out-of-order", "<p>Efter", "<p> is out of place in <body>",
     "the order in <body> is: <p>", "<p> står på fel plats i <body>"},
    {"heading-not-first", DOC("    <section><p>x</p><heading>Å</heading></section>"), NULL,
     BILAGA_SEVERITY_ERROR, "E0112-out-of-order", "<p>x", "<p> is out of place in <section>",
     "the order in <section> is: <heading>, <p>", NULL},
    {"title-twice", HEAD META "    <title>Två</title>\n" BODY("    <p>x</p>"), NULL, BILAGA_SEVERITY_ERROR,
     "E0111-element-twice", "<title>Två", "<title> may appear once in <meta>, and this is the second", NULL,
     NULL},
    {"id-twice",
     DOC("    <table id=\"t1\"><columns><column/></columns><tbody><row><cell>1</cell></row></tbody></table>\n"
         "    <table id=\"t1\"><columns><column/></columns><tbody><row><cell>2</cell></row></tbody></table>"),
     NULL, BILAGA_SEVERITY_ERROR, "E0114-duplicate-id",
     "id=\"t1\"><columns><column/></columns><tbody><row><cell>2", "id=\"t1\" is used twice", NULL, NULL},
    {"misspelt-symbol-value", DOC("    <p>Trend: <symbol family=\"trendpil\" value=\"bätre\"/></p>"),
     "default", BILAGA_SEVERITY_ERROR, "E0303-unknown-symbol-value", "<symbol",
     "unknown value \"bätre\" of symbol family \"trendpil\"", "did you mean value=\"bättre\"?",
     "okänt värde \"bätre\" i symbolfamiljen \"trendpil\": tillåtna värden är"},
    {"misspelt-symbol-family", DOC("    <p>Trend: <symbol family=\"trendpill\" value=\"bättre\"/></p>"),
     "default", BILAGA_SEVERITY_ERROR, "E0302-unknown-symbol-family", "<symbol",
     "unknown symbol family \"trendpill\"", "did you mean family=\"trendpil\"?",
     "okänd symbolfamilj \"trendpill\""},
    /* allowed, but probably not meant */
    {"empty-heading", DOC("    <section><heading> </heading><p>x</p></section>"), NULL, BILAGA_SEVERITY_ERROR,
     "E0115-empty-heading", "<heading>", "<heading> is empty", NULL, "<heading> är tom"},
    {"number-as-text", DOC(TABLE("<cell>1 234,5</cell>")), NULL, BILAGA_SEVERITY_WARNING,
     "W0402-number-as-text", "<cell>1 234", "\"1 234,5\" is text in a decimal column",
     "write <num>1234.5</num>", NULL},
};
enum { MISTAKE_COUNT = sizeof mistakes / sizeof mistakes[0] };

typedef struct collected {
  int count;
  bilaga_diagnostic first;
  char *file, *message, *code, *hint;
} collected;

static void collect(const bilaga_diagnostic *d, void *user) {
  collected *c = user;
  if (c->count++ == 0) {
    c->first = *d;
    c->message = xstrdup(d->message);
    c->code = xstrdup(d->code ? d->code : "(null)");
    c->hint = d->hint ? xstrdup(d->hint) : NULL;
  }
  fprintf(stderr, "  %s:%d:%d-%d:%d: %s [%s] %s\n", d->file, d->line, d->column, d->end_line, d->end_column,
          d->message, d->code ? d->code : "", d->hint ? d->hint : "");
}

/* line:column (characters) of the first needle in text. */
static void position_of(const char *text, const char *needle, int *line, int *column) {
  const char *at = strstr(text, needle);
  ck_assert_msg(at != NULL, "the test text lacks \"%s\"", needle);
  *line = 1, *column = 1;
  for (const char *p = text; p < at; p++) {
    if (*p == '\n')
      *line += 1, *column = 1;
    else if (((unsigned char)*p & 0xC0) != 0x80)
      *column += 1;
  }
}

static collected run_mistake(const mistake *m) {
  collected c = {0};
  bilaga_context *ctx = bilaga_context_new(NULL);
  ck_assert_ptr_nonnull(ctx);
  bilaga_context_set_diagnostic_sink(ctx, collect, &c);
  bilaga_document *doc = NULL;
  bilaga_status st = bilaga_document_load_memory(ctx, m->xml, strlen(m->xml), "in.xml", &doc);
  if (m->tpl) {
    ck_assert_int_eq(st, BILAGA_OK);
    bilaga_template *tpl = NULL;
    st = bilaga_template_load(ctx, m->tpl, &tpl);
    if (st == BILAGA_OK) {
      unsigned char *pdf = NULL;
      size_t len = 0;
      st = bilaga_render_memory(ctx, doc, tpl, NULL, &pdf, &len, NULL);
      free(pdf);
    }
    bilaga_template_free(tpl);
  }
  if (m->severity == BILAGA_SEVERITY_ERROR)
    ck_assert_msg(st == BILAGA_ERROR_INPUT, "%s: accepted", m->name);
  else
    ck_assert_msg(st == BILAGA_OK, "%s: refused: %s", m->name, c.message ? c.message : "");
  bilaga_document_free(doc);
  bilaga_context_free(ctx);
  return c;
}

static void check_mistake(const mistake *m, int swedish) {
  fprintf(stderr, "%s%s:\n", m->name, swedish ? " (sv)" : "");
  collected c = run_mistake(m);
  ck_assert_msg(c.count == 1, "%s: %d diagnostics, expected exactly one", m->name, c.count);
  ck_assert_int_eq(c.first.severity, m->severity);
  ck_assert_str_eq(c.code, m->code);
  const char *want = swedish ? m->message_sv : m->message;
  ck_assert_msg(strstr(c.message, want), "%s: \"%s\" does not say \"%s\"", m->name, c.message, want);
  if (!swedish && m->hint)
    ck_assert_msg(c.hint && strstr(c.hint, m->hint), "%s: the hint \"%s\" does not say \"%s\"", m->name,
                  c.hint ? c.hint : "(none)", m->hint);
  if (m->at) {
    int line, column;
    position_of(m->xml, m->at, &line, &column);
    ck_assert_msg(c.first.line == line && c.first.column == column, "%s: at %d:%d, expected %d:%d", m->name,
                  c.first.line, c.first.column, line, column);
    ck_assert_msg(c.first.end_line > line || (c.first.end_line == line && c.first.end_column >= column),
                  "%s: the span ends (%d:%d) before it starts", m->name, c.first.end_line,
                  c.first.end_column);
  }
}

START_TEST(test_mistake) {
  check_mistake(&mistakes[_i], 0);
}
END_TEST

START_TEST(test_mistake_in_swedish) {
  if (mistakes[_i].message_sv) check_mistake(&mistakes[_i], 1);
}
END_TEST

/* Columns count characters: the å ä ö before <numm> do not shift it. */
START_TEST(test_columns_are_characters) {
  const char *xml = DOC("    <p>Åäö åäö <b>ö</b> <numm>3</numm></p>");
  collected c =
      run_mistake(&(mistake){"columns", xml, NULL, BILAGA_SEVERITY_ERROR, "", NULL, "", NULL, NULL});
  ck_assert_int_eq(c.first.line, 8);
  ck_assert_int_eq(c.first.column, 25); /* 30 in bytes */
  ck_assert_int_eq(c.first.end_column, 31);
}
END_TEST

/* A table whose font steps down to fit is a warning at the table, and the
 * render goes on. */
static int shrunk_warnings;
static void count_shrunk(const bilaga_diagnostic *d, void *user) {
  (void)user;
  ck_assert_msg(d->severity == BILAGA_SEVERITY_WARNING, "unexpected: %s", d->message);
  ck_assert_str_eq(d->code, "W0403-table-shrunk");
  ck_assert_msg(strstr(d->message, "below the template's 9.0pt, to fit the text width"), "%s", d->message);
  if (shrunk_warnings++ == 0) {
    /* the position is the <table> start tag in the sample */
    int n = 0;
    char *text = read_file(d->file, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", d->file);
    char **lines = split_lines(text, &n);
    ck_assert_msg(d->line >= 1 && d->line <= n, "line %d of %d", d->line, n);
    const char *at = lines[d->line - 1] + (d->column > 0 ? d->column - 1 : 0);
    ck_assert_msg(strncmp(at, "<table", 6) == 0, "%s:%d:%d is no <table>: %s", d->file, d->line, d->column, at);
  }
}

START_TEST(test_table_shrunk_warning) {
  bilaga_context *ctx = bilaga_context_new(NULL);
  bilaga_context_set_diagnostic_sink(ctx, count_shrunk, NULL);
  bilaga_document *doc = NULL;
  bilaga_template *tpl = NULL;
  ck_assert_int_eq(bilaga_document_load_file(
                       ctx, sfmt("%s/samples/sn-2023-verksamhetsberattelse.xml", source_root()), &doc),
                   BILAGA_OK);
  ck_assert_int_eq(bilaga_template_load(ctx, sfmt("%s/tests/e2e/data/alt-template.xml", source_root()), &tpl),
                   BILAGA_OK);
  unsigned char *pdf = NULL;
  size_t len = 0;
  ck_assert_int_eq(bilaga_render_memory(ctx, doc, tpl, NULL, &pdf, &len, NULL), BILAGA_OK);
  ck_assert_int_ge(shrunk_warnings, 1);
  free(pdf);
  bilaga_template_free(tpl);
  bilaga_document_free(doc);
  bilaga_context_free(ctx);
}
END_TEST

/* The command: the source line with a caret under the culprit, then the
 * hint. */
START_TEST(test_source_excerpt) {
  const char *dir = tmpdir_new(), *in = sfmt("%s/in.xml", dir);
  write_text(in, DOC("    <p>Åä <b>x</b></p><p stlye=\"lead\">y</p>"));
  run_result r = run(NULL, bilaga_binary(), "validate", in, NULL);
  ck_assert_msg(run_exit_is(&r, 2), "%s", run_describe(&r));
  int n;
  char **lines = split_lines(r.err, &n);
  ck_assert_msg(n >= 5, "%s", run_describe(&r));
  ck_assert_str_eq(lines[0], sfmt("%s:8:26: error: <p> has no attribute stlye", in));
  ck_assert_str_eq(lines[1], "   |");
  ck_assert_str_eq(lines[2], " 8 |     <p>Åä <b>x</b></p><p stlye=\"lead\">y</p>");
  ck_assert_str_eq(lines[3], "   |                          ^~~~~~~~~~~~");
  ck_assert_str_eq(lines[4], " = hint: did you mean style=\"lead\"?");
}
END_TEST

/* --diagnostics=json: one object a line with every field; python3 reads
 * each line too when it is installed. */
START_TEST(test_json_lines) {
  const char *dir = tmpdir_new(), *in = sfmt("%s/in.xml", dir);
  write_text(in, HEAD META "    <date>2023-02-30</date>\n" BODY("    <p stlye=\"lead\">\"citat\"\\</p>"));
  run_result r =
      run(NULL, bilaga_binary(), "render", in, "-o", sfmt("%s/out.pdf", dir), "--diagnostics=json", NULL);
  ck_assert_msg(run_exit_is(&r, 2), "%s", run_describe(&r));
  ck_assert(!file_exists(sfmt("%s/out.pdf", dir)));
  int n;
  char **lines = split_lines(r.err, &n);
  int objects = 0;
  for (int i = 0; i < n; i++) {
    if (!*lines[i]) continue;
    json *o = json_parse(lines[i]);
    ck_assert_msg(o && o->type == JSON_OBJECT, "not a JSON object: %s", lines[i]);
    const char *keys[] = {"severity",   "file", "line",    "column", "end_line",
                          "end_column", "code", "message", "hint"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
      ck_assert_msg(json_get(o, keys[k]), "no \"%s\" in %s", keys[k], lines[i]);
    ck_assert_str_eq(json_get(o, "severity")->string, "error");
    ck_assert_str_eq(json_get(o, "file")->string, in);
    objects++;
  }
  ck_assert_msg(objects == 2, "%d objects: %s", objects, r.err);
  json *date = json_parse(lines[0]);
  ck_assert_str_eq(json_get(date, "code")->string, "E0105-bad-date");
  ck_assert_int_eq((int)json_get(date, "line")->number, 6);
  ck_assert_int_eq((int)json_get(date, "column")->number, 5);
  ck_assert_int_eq((int)json_get(date, "end_column")->number, 28);
  ck_assert_str_eq(json_get(date, "message")->string, "<date>2023-02-30</date> is not a day of the calendar");
  ck_assert_str_eq(json_get(date, "hint")->string,
                   "the form is YYYY-MM-DD: a month 01-12 and a day that month has");
  json *attr = json_parse(lines[1]);
  ck_assert_str_eq(json_get(attr, "code")->string, "E0102-unknown-attribute");
  ck_assert_str_eq(json_get(attr, "hint")->string, "did you mean style=\"lead\"?");
  /* no hint: null */
  const char *nbsp = sfmt("%s/nbsp.xml", dir);
  write_text(nbsp, DOC("    <p>10&nbsp;kr</p>"));
  run_result one = run(NULL, bilaga_binary(), "validate", nbsp, "--diagnostics=json", NULL);
  ck_assert_msg(run_exit_is(&one, 2), "%s", run_describe(&one));
  json *e = json_parse(one.err);
  ck_assert_str_eq(json_get(e, "code")->string, "E0202-undefined-entity");
  ck_assert_int_eq(json_get(e, "hint")->type, JSON_NULL);
  ck_assert_int_eq((int)json_get(e, "column")->number, 10);
  ck_assert_int_eq(count_substr(one.err, "\n"), 1);
  if (system("python3 -c pass >/dev/null 2>&1") == 0) {
    const char *json_file = sfmt("%s/diagnostics.jsonl", dir);
    write_text(json_file, r.err);
    run_opts o = {.stdin_path = json_file};
    run_result py =
        run(&o, "python3", "-c",
            "import json, sys\n"
            "for line in sys.stdin:\n"
            "    d = json.loads(line)\n"
            "    assert set(d) == {'severity', 'file', 'line', 'column', 'end_line', 'end_column',"
            " 'code', 'message', 'hint'}, d\n"
            "    print(d['code'])\n",
            NULL);
    ck_assert_msg(run_exit_is(&py, 0), "python3 cannot read the JSON lines: %s", run_describe(&py));
    ck_assert_str_eq(py.out, "E0105-bad-date\nE0102-unknown-attribute\n");
  }
}
END_TEST

/* The library never writes to stderr, also when the data directory's
 * schema makes libxml2 load a file that is not there. */
START_TEST(test_library_never_prints) {
  const char *dir = tmpdir_new();
  ck_assert_int_eq(system(sfmt("mkdir -p '%s/templates' && cp -r '%s/fonts' '%s/'", dir, source_root(), dir)),
                   0);
  write_text(sfmt("%s/templates/content.rng", dir),
             "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"><start><element name=\"x\">"
             "<externalRef href=\"/no/such/schema.rng\"/></element></start></grammar>\n");
  const char *captured = sfmt("%s/stderr", dir);
  fflush(stderr);
  int saved = dup(2), fd = open(captured, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ck_assert_int_ge(fd, 0);
  dup2(fd, 2);
  close(fd);
  collected c = {0};
  int errors[2] = {0, 0};
  const char *dirs[2] = {dir, sfmt("%s/no-such-dir", dir)};
  for (int i = 0; i < 2; i++) {
    bilaga_context *ctx = bilaga_context_new(dirs[i]);
    if (!ctx) continue;
    bilaga_context_set_diagnostic_sink(ctx, collect, &c);
    bilaga_document *doc = NULL;
    const char *xml = DOC("    <p>x</p>");
    bilaga_document_load_memory(ctx, xml, strlen(xml), "in.xml", &doc);
    errors[i] = bilaga_context_error_count(ctx);
    bilaga_document_free(doc);
    bilaga_context_free(ctx);
  }
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  size_t len;
  char *printed = read_file(captured, &len);
  /* collect() itself prints to the captured stderr: take its lines out */
  int n;
  char **lines = split_lines(printed ? printed : "", &n);
  for (int i = 0; i < n; i++)
    ck_assert_msg(!*lines[i] || strncmp(lines[i], "  ", 2) == 0, "the library printed: %s", lines[i]);
  ck_assert_int_gt(errors[0], 0);
  ck_assert_msg(c.count > 0 && strstr(c.message, "/no/such/schema.rng"), "first: %s",
                c.message ? c.message : "");
}
END_TEST

/* The command under LC_ALL=sv_SE.UTF-8: Swedish message and hint, the
 * first line's form unchanged. */
START_TEST(test_command_in_swedish) {
  const char *dir = tmpdir_new(), *in = sfmt("%s/in.xml", dir);
  write_text(in, DOC("    <p stlye=\"lead\">Text.</p>"));
  const char *env[] = {"LC_ALL=sv_SE.UTF-8", "LANGUAGE=", NULL};
  run_opts o = {.env = env};
  run_result r = run(&o, bilaga_binary(), "validate", in, NULL);
  ck_assert_msg(run_exit_is(&r, 2), "%s", run_describe(&r));
  ck_assert_msg(strstr(r.err, sfmt("%s:8:8: error: <p> har inget attribut stlye\n", in)), "%s", run_describe(&r));
  ck_assert_msg(strstr(r.err, " = tips: menade du style=\"lead\"?\n"), "%s", run_describe(&r));
}
END_TEST

/* The default template with one text replaced, written to dir/name. */
static const char *template_with(const char *dir, const char *name, const char *from, const char *to) {
  char *text = read_file(sfmt("%s/templates/default.xml", source_root()), NULL);
  ck_assert_ptr_nonnull(text);
  char *at = strstr(text, from);
  ck_assert_msg(at != NULL, "templates/default.xml lacks %s", from);
  *at = '\0';
  const char *path = sfmt("%s/%s", dir, name);
  write_text(path, sfmt("%s%s%s", text, to, at + strlen(from)));
  return path;
}

/* Every stage speaks Swedish under a Swedish locale, not only the parser:
 * the template's limits, the fonts, the domain values (model), the output
 * file and the command's own usage errors and batch summary. */
START_TEST(test_stages_in_swedish) {
  const char *dir = tmpdir_new(), *in = sfmt("%s/in.xml", dir), *out = sfmt("%s/out.pdf", dir);
  write_text(in, DOC("    <p>Text.</p>"));
  const char *env[] = {"LC_ALL=sv_SE.UTF-8", "LANGUAGE=", NULL};
  run_opts o = {.env = env};
  static const struct {
    const char *stage, *from, *to, *want;
  } templates[] = {
      {"template", "size=\"11pt\"", "size=\"500pt\"",
       "error: teckenstorleken 500pt ligger utanför det tillåtna intervallet (1pt till 400pt)\n"},
      {"fonts", "family=\"Carlito\" size=\"11pt\"", "family=\"Ingen Sådan\" size=\"11pt\"",
       "error: typsnittsfamiljen \"Ingen Sådan\" är inte installerad"},
  };
  for (size_t i = 0; i < sizeof templates / sizeof *templates; i++) {
    const char *tpl =
        template_with(dir, sfmt("%s.xml", templates[i].stage), templates[i].from, templates[i].to);
    run_result r = run(&o, bilaga_binary(), "render", in, "-t", tpl, "-o", out, NULL);
    ck_assert_msg(run_exit_is(&r, 2), "%s: %s", templates[i].stage, run_describe(&r));
    ck_assert_msg(strstr(r.err, templates[i].want), "%s: no \"%s\" in %s", templates[i].stage,
                  templates[i].want, r.err);
    ck_assert(!file_exists(out));
  }
  /* model: a domain value the template's symbol family does not have */
  const char *domain = sfmt("%s/domain.xml", dir);
  write_text(domain, DOC("    <process-area assessment=\"kanske\"><heading>X</heading></process-area>"));
  run_result r = run(&o, bilaga_binary(), "render", domain, "-o", out, NULL);
  ck_assert_msg(run_exit_is(&r, 2), "%s", run_describe(&r));
  ck_assert_msg(strstr(r.err,
                       "error: <process-area assessment=\"kanske\">: okänt värde \"kanske\" i "
                       "symbolfamiljen \"bedömning\": tillåtna värden är \"uppfyllt\""),
                "%s", r.err);
  /* the output file */
  r = run(&o, bilaga_binary(), "render", in, "-o", in, NULL);
  ck_assert_msg(run_exit_is(&r, 1), "%s", run_describe(&r));
  ck_assert_msg(
      strstr(r.err, sfmt("%s: error: utdata är samma fil som innehållsfilen %s; ingenting skrevs\n", in, in)),
      "%s", r.err);
  /* the command: usage errors, "did you mean", the batch summary */
  r = run(&o, bilaga_binary(), "render", in, "--pngg", dir, NULL);
  ck_assert_msg(run_exit_is(&r, 1), "%s", run_describe(&r));
  ck_assert_msg(strstr(r.err, "bilaga: okänd flagga --pngg; menade du --png?\nanvändning: bilaga render "),
                "%s", r.err);
  r = run(&o, bilaga_binary(), "rendr", in, NULL);
  ck_assert_msg(run_exit_is(&r, 1), "%s", run_describe(&r));
  ck_assert_msg(strstr(r.err, "bilaga: okänt kommando \"rendr\"; menade du \"render\"?\n"), "%s", r.err);
  r = run(&o, bilaga_binary(), "render", in, domain, "-d", sfmt("%s/batch", dir), NULL);
  ck_assert_msg(run_exit_is(&r, 2), "%s", run_describe(&r));
  ck_assert_msg(strstr(r.err, sfmt("bilaga: 1 av 2 filer renderades; 1 misslyckades: %s\n", domain)), "%s",
                r.err);
}
END_TEST

/* sv_SE.UTF-8 for LC_MESSAGES, generated (as root, like tests/run does)
 * when missing; 0 when it cannot be had. */
static int swedish_locale(void) {
  unsetenv("LANGUAGE"); /* the suite's environment pins English */
  if (setlocale(LC_MESSAGES, "sv_SE.UTF-8")) return 1;
  if (geteuid() != 0 || system("command -v localedef >/dev/null 2>&1") != 0) return 0;
  /* localedef may exit non-zero for warnings alone: try the locale after */
  if (system("timeout 120 localedef -i sv_SE -f UTF-8 sv_SE.UTF-8 >/dev/null 2>&1") == -1) return 0;
  return setlocale(LC_MESSAGES, "sv_SE.UTF-8") != NULL;
}

int main(int argc, char **argv) {
  Suite *s = suite_create("diagnostics");
  TCase *tc = tcase_create("diagnostics");
  tcase_set_timeout(tc, 600);
  if (argc > 1 && strcmp(argv[1], "sv") == 0) {
    if (!swedish_locale()) {
      printf("SKIP: the locale sv_SE.UTF-8 is not installed and cannot be generated\n");
      return 77;
    }
    tcase_add_loop_test(tc, test_mistake_in_swedish, 0, MISTAKE_COUNT);
    tcase_add_test(tc, test_command_in_swedish);
    tcase_add_test(tc, test_stages_in_swedish);
  } else {
    tcase_add_loop_test(tc, test_mistake, 0, MISTAKE_COUNT);
    tcase_add_test(tc, test_columns_are_characters);
    tcase_add_test(tc, test_table_shrunk_warning);
    tcase_add_test(tc, test_source_excerpt);
    tcase_add_test(tc, test_json_lines);
    tcase_add_test(tc, test_library_never_prints);
  }
  suite_add_tcase(s, tc);
  if (!tmp_root_init("diagnostics")) return EXIT_FAILURE;
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  tmp_root_remove();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
