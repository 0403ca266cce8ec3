/* bad_gen.h - inputs of the bad-input corpus that are written at run time
 * (tests/bad/cases.txt: @gen:NAME as input or template, @data:NAME as
 * template): big, binary or differently encoded files need no committed
 * copy, and each is one line of a table here.
 *
 * Generated content starts from tests/bad/good.xml or from gen_head (the
 * body's first line is line 8); generated templates from
 * templates/default.xml with one or two replacements, so the positions in
 * cases.txt are lines of those files. */
#ifndef BILAGA_BAD_GEN_H
#define BILAGA_BAD_GEN_H

#include "support.h"

typedef struct gen_env {
  const char *dir;      /* the case's temporary directory */
  const char *data_dir; /* set by @data: BILAGA_DATA_DIR for the run */
  const char *broken_font; /* set by @data: the font file it breaks (blame "font") */
} gen_env;

static const char *gen_head =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n"
    "  <meta>\n"
    "    <title>Genererad indata</title>\n"
    "    <board>Servicenämnden</board>\n"
    "  </meta>\n"
    "  <body>\n";
static const char *gen_tail = "  </body>\n</report>\n";

static const char *gen_path(const gen_env *e, const char *name) {
  return sfmt("%s/%s", e->dir, name);
}

static const char *gen_bytes(const gen_env *e, const char *name, const void *bytes, size_t n) {
  const char *path = gen_path(e, name);
  write_file(path, bytes, n);
  return path;
}

static const char *gen_source(const char *rel) {
  const char *path = sfmt("%s/%s", source_root(), rel);
  char *text = read_file(path, NULL);
  ck_assert_msg(text != NULL, "cannot read %s", path);
  return text;
}

/* text with the first `from` replaced by `to` (it must be there) */
static const char *gen_replace(const char *text, const char *from, const char *to) {
  const char *at = strstr(text, from);
  ck_assert_msg(at != NULL, "generator: \"%s\" not found", from);
  return sfmt("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
}

/* ---- one body inside gen_head and gen_tail ---------------------------- */

static const struct {
  const char *name, *body;
} gen_bodies[] = {
    {"control-char", "    <p>a\x01z</p>\n"},
    {"overlong-utf8", "    <p>a\xc0\xafz</p>\n"},
    {"surrogate-utf8", "    <p>a\xed\xa0\x80z</p>\n"},
    {"unescaped-ampersand", "    <p>a & z</p>\n"},
    {"unquoted-attribute", "    <p a=b>x</p>\n"},
    {"undefined-prefix", "    <x:p>x</x:p>\n"},
    {"undefined-entity", "    <p>a &nosuch; z</p>\n"},
    {"cdata-unterminated", "    <p><![CDATA[abc</p>\n"},
    {"xinclude",
     "    <xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"/etc/passwd\" parse=\"text\"/>\n"},
    {"colspan-1e9",
     "    <table><columns><column/><column/></columns><tbody><row><cell colspan=\"1000000000\">x</cell>"
     "</row></tbody></table>\n"},
    {"colspan-zero",
     "    <table><columns><column/><column/></columns><tbody><row><cell colspan=\"0\">x</cell></row>"
     "</tbody></table>\n"},
    {"rowspan-past-end",
     "    <table><columns><column/><column/></columns><tbody><row><cell rowspan=\"5\">x</cell>"
     "<cell>y</cell></row></tbody></table>\n"},
    {"contradictory-spans",
     "    <table><columns><column/><column/></columns><tbody><row><cell rowspan=\"2\">x</cell>"
     "<cell>y</cell></row><row><cell colspan=\"2\">z</cell></row></tbody></table>\n"},
    {"number-overflow", "    <p><num>1e400</num></p>\n"},
};

/* ---- good.xml with one or two replacements ---------------------------- */

static const struct {
  const char *name, *from, *to, *from2, *to2;
} gen_edits[] = {
    {"wrong-root", "<report ", "<rapport ", "</report>", "</rapport>"},
    {"wrong-namespace", "urn:bilaga:content:1", "urn:bilaga:content:2", NULL, NULL},
    {"no-namespace", " xmlns=\"urn:bilaga:content:1\"", "", NULL, NULL},
    {"xml-1.1", "version=\"1.0\"", "version=\"1.1\"", NULL, NULL},
    {"unsupported-encoding", "UTF-8", "x-klingon", NULL, NULL},
    {"junk-after-root", "</report>\n", "</report>\n<report/>\n", NULL, NULL},
    {"external-dtd", "?>\n", "?>\n<!DOCTYPE report SYSTEM \"http://bilaga.invalid/report.dtd\">\n", NULL,
     NULL},
    {"external-entity", "?>\n", "?>\n<!DOCTYPE report [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>\n",
     "går att sätta", "&x;"},
    {"internal-entity", "?>\n", "?>\n<!DOCTYPE report [<!ENTITY x \"intern\">]>\n", "går att sätta", "&x;"},
    {"date-year-99999", "</board>\n", "</board>\n    <date>99999-12-31</date>\n", NULL, NULL},
    {"date-year-0000", "</board>\n", "</board>\n    <date>0000-01-01</date>\n", NULL, NULL},
};

/* ---- good.xml in other encodings -------------------------------------- */

/* UTF-8 to UTF-16 (the test files are in the BMP) */
static const char *gen_utf16(const char *s, int big_endian, int bom, size_t *len) {
  sbuf b = {0};
  if (bom) sbuf_addn(&b, big_endian ? "\xfe\xff" : "\xff\xfe", 2);
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    unsigned c = *p++;
    if (c >= 0xe0)
      c = (c & 0x0f) << 12 | (p[0] & 0x3fu) << 6 | (p[1] & 0x3fu), p += 2;
    else if (c >= 0xc0)
      c = (c & 0x1f) << 6 | (p[0] & 0x3fu), p += 1;
    char u[2] = {(char)(big_endian ? c >> 8 : c & 0xff), (char)(big_endian ? c & 0xff : c >> 8)};
    sbuf_addn(&b, u, 2);
  }
  *len = b.len;
  return b.s;
}

static const struct {
  const char *name, *declared; /* declared: the encoding the declaration names */
  int utf16, big_endian, bom;
} gen_encodings[] = {
    {"utf16le-bom", "UTF-16", 1, 0, 1},
    {"utf16be-bom", "UTF-16", 1, 1, 1},
    {"utf16le-no-bom", "UTF-16", 1, 0, 0},
    {"utf16le-bom-declared-utf8", "UTF-8", 1, 0, 1},
    {"utf16le-no-bom-declared-utf8", "UTF-8", 1, 0, 0},
    {"utf8-bom", "UTF-8", 0, 0, 1},
    {"utf8-bom-declared-latin1", "ISO-8859-1", 0, 0, 1},
};

/* ---- generated by code ------------------------------------------------- */

static const char *gen_report(const gen_env *e, const char *name, const char *body) {
  write_text(gen_path(e, name), sfmt("%s%s%s", gen_head, body, gen_tail));
  return gen_path(e, name);
}

static const char *gen_code(const gen_env *e, const char *name) {
  sbuf b = {0};
  if (strcmp(name, "empty") == 0) return gen_bytes(e, "empty.xml", "", 0);
  if (strcmp(name, "whitespace-only") == 0) return gen_bytes(e, "blank.xml", "  \n\n", 4);
  if (strcmp(name, "nul-byte") == 0) {
    sbuf_add(&b, gen_head);
    sbuf_addn(&b, "    <p>a\0z</p>\n", 15);
    sbuf_add(&b, gen_tail);
    return gen_bytes(e, "nul.xml", b.s, b.len);
  }
  if (strcmp(name, "truncated-utf8") == 0) {
    sbuf_add(&b, gen_head);
    sbuf_add(&b, "    <p>ab\xc3");
    return gen_bytes(e, "truncated-utf8.xml", b.s, b.len);
  }
  if (strcmp(name, "truncated-document") == 0)
    return gen_bytes(e, "truncated.xml", gen_source("tests/bad/good.xml"), 150);
  if (strcmp(name, "word-10mb") == 0) {
    sbuf_add(&b, "    <p>");
    while (b.len < 10 * 1024 * 1024) sbuf_add(&b, "kommunförvaltningsområdesåtgärdsuppföljning");
    sbuf_add(&b, "</p>\n");
    return gen_report(e, "word.xml", b.s);
  }
  if (strcmp(name, "columns-10000") == 0) {
    sbuf_add(&b, "    <table><columns>");
    for (int i = 0; i < 10000; i++) sbuf_add(&b, "<column/>");
    sbuf_add(&b, "</columns><tbody><row>");
    for (int i = 0; i < 10000; i++) sbuf_add(&b, "<cell>x</cell>");
    sbuf_add(&b, "</row></tbody></table>\n");
    return gen_report(e, "columns.xml", b.s);
  }
  if (strcmp(name, "list-32768-items") == 0) {
    sbuf_add(&b, "    <ul>");
    for (int i = 0; i < 32768; i++) sbuf_add(&b, "<li>x</li>");
    sbuf_add(&b, "</ul>\n");
    return gen_report(e, "list.xml", b.s);
  }
  if (strcmp(name, "title-40000-chars") == 0) {
    for (int i = 0; i < 4000; i++) sbuf_add(&b, "Årsrapport");
    const char *text = gen_replace(sfmt("%s    <p>x</p>\n%s", gen_head, gen_tail), "Genererad indata", b.s);
    write_text(gen_path(e, "title.xml"), text);
    return gen_path(e, "title.xml");
  }
  if (strcmp(name, "entity-expansion") == 0) {
    sbuf_add(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE report [\n<!ENTITY a \"aaaaaaaaaa\">\n");
    for (char c = 'b'; c <= 'j'; c++) {
      sbuf_printf(&b, "<!ENTITY %c \"", c);
      for (int i = 0; i < 10; i++) sbuf_printf(&b, "&%c;", c - 1);
      sbuf_add(&b, "\">\n");
    }
    sbuf_add(
        &b,
        "]>\n<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\"><meta><title>T</title><board>B</board>"
        "</meta><body><p>&j;</p></body></report>\n");
    return gen_bytes(e, "laughs.xml", b.s, b.len);
  }
  if (strcmp(name, "tpl-empty") == 0) return gen_bytes(e, "empty-template.xml", "", 0);
  return NULL;
}

/* ---- templates: default.xml with one or two replacements -------------- */

static const struct {
  const char *name, *from, *to, *from2, *to2;
} gen_templates[] = {
    {"tpl-negative-margin", "top=\"27mm\"", "top=\"-5mm\"", NULL, NULL},
    {"tpl-page-smaller-than-margins", "size=\"A4\"", "width=\"40mm\" height=\"40mm\"", NULL, NULL},
    {"tpl-margins-wider-than-page", "inner=\"25mm\" outer=\"22mm\"", "inner=\"120mm\" outer=\"120mm\"", NULL,
     NULL},
    {"tpl-zero-page-width", "size=\"A4\"", "width=\"0mm\" height=\"297mm\"", NULL, NULL},
    {"tpl-absurd-page-size", "size=\"A4\"", "width=\"100000mm\" height=\"100000mm\"", NULL, NULL},
    {"tpl-absurd-font-size", "family=\"Carlito\" size=\"11pt\"", "family=\"Carlito\" size=\"10000pt\"", NULL,
     NULL},
    {"tpl-zero-font-size", "family=\"Carlito\" size=\"11pt\"", "family=\"Carlito\" size=\"0pt\"", NULL, NULL},
    {"tpl-unknown-unit", "top=\"27mm\"", "top=\"27furlong\"", NULL, NULL},
    {"tpl-unknown-page-size", "size=\"A4\"", "size=\"A3\"", NULL, NULL},
    {"tpl-bad-color", "color=\"#1A1A1A\"", "color=\"#1A1A1\"", NULL, NULL},
    {"tpl-wrong-root", "<template ", "<mall ", "</template>", "</mall>"},
    {"tpl-wrong-namespace", "urn:bilaga:template:1", "urn:bilaga:template:9", NULL, NULL},
    {"tpl-missing-fallback-font", "fallback=\"DejaVu Sans\"", "fallback=\"No Such Sans\"", NULL, NULL},
    {"tpl-unknown-style", "name=\"lead\"", "name=\"leader\"", NULL, NULL},
    {"tpl-leading-5000pt", "leading=\"14.5pt\" align=\"justify\"", "leading=\"5000pt\" align=\"justify\"",
     NULL, NULL},
    {"tpl-toc-indent-5000pt", "indent=\"14pt\"", "indent=\"5000pt\"", NULL, NULL},
    {"tpl-table-padding-5000pt", "padding=\"4pt\"", "padding=\"5000pt\"", NULL, NULL},
    {"tpl-header-offset-500mm", "header-offset=\"13mm\"", "header-offset=\"500mm\"", NULL, NULL},
};

/* ---- @data: a copy of the data directory with one font file broken ---- */

typedef enum { FONT_TRUNCATED, FONT_TEXT, FONT_EMPTY, FONT_FIFO, FONT_DIRECTORY } font_fault;

static const struct {
  const char *name, *file; /* file: in fonts/, replaced or added */
  font_fault fault;
} gen_data[] = {
    {"font-truncated", "Carlito-Regular.ttf", FONT_TRUNCATED},
    {"font-not-a-font", "Carlito-Regular.ttf", FONT_TEXT},
    {"font-empty", "Carlito-Regular.ttf", FONT_EMPTY},
    {"font-fifo", "Extra.ttf", FONT_FIFO},
    {"font-directory", "Extra.ttf", FONT_DIRECTORY},
    {"font-extra-empty", "Extra.ttf", FONT_EMPTY},
};

/* data/templates links to the source's templates; data/fonts holds links
 * to the bundled fonts but for the broken one. */
static void gen_data_dir(gen_env *e, const char *file, font_fault fault) {
  const char *data = gen_path(e, "data"), *fonts = sfmt("%s/fonts", data);
  ck_assert_int_eq(mkdir(data, 0755), 0);
  ck_assert_int_eq(mkdir(fonts, 0755), 0);
  ck_assert_int_eq(symlink(sfmt("%s/templates", source_root()), sfmt("%s/templates", data)), 0);
  const char *src = sfmt("%s/fonts", source_root());
  char **names = dir_entries_with_prefix(src, "", NULL);
  for (int i = 0; names[i]; i++)
    if (names[i][0] != '.' && strcmp(names[i], file) != 0)
      ck_assert_int_eq(symlink(sfmt("%s/%s", src, names[i]), sfmt("%s/%s", fonts, names[i])), 0);
  const char *path = sfmt("%s/%s", fonts, file);
  size_t len = 0;
  char *bytes = is_regular_file(sfmt("%s/%s", src, file)) ? read_file(sfmt("%s/%s", src, file), &len) : NULL;
  switch (fault) {
    case FONT_TRUNCATED:
      ck_assert_msg(bytes && len > 5000, "no %s to truncate", file);
      write_file(path, bytes, 5000);
      break;
    case FONT_TEXT:
      write_text(path, "This is not a font.\n");
      break;
    case FONT_EMPTY:
      write_file(path, "", 0);
      break;
    case FONT_FIFO:
      ck_assert_int_eq(mkfifo(path, 0644), 0);
      break;
    case FONT_DIRECTORY:
      ck_assert_int_eq(mkdir(path, 0755), 0);
      break;
  }
  e->data_dir = data;
}

/* The file for @gen:NAME or @data:NAME (token without the '@'), or NULL
 * when the name is unknown. @data returns the template that names the
 * broken font: the data directory's default. */
static const char *gen_make(gen_env *e, const char *token) {
  if (strncmp(token, "data:", 5) == 0) {
    for (size_t i = 0; i < sizeof gen_data / sizeof *gen_data; i++)
      if (strcmp(gen_data[i].name, token + 5) == 0) {
        gen_data_dir(e, gen_data[i].file, gen_data[i].fault);
        e->broken_font = sfmt("%s/fonts/%s", e->data_dir, gen_data[i].file);
        return sfmt("%s/templates/default.xml", e->data_dir);
      }
    return NULL;
  }
  if (strncmp(token, "gen:", 4) != 0) return NULL;
  const char *name = token + 4, *file = sfmt("%s.xml", name);
  for (size_t i = 0; i < sizeof gen_bodies / sizeof *gen_bodies; i++)
    if (strcmp(gen_bodies[i].name, name) == 0) return gen_report(e, file, gen_bodies[i].body);
  for (size_t i = 0; i < sizeof gen_edits / sizeof *gen_edits; i++)
    if (strcmp(gen_edits[i].name, name) == 0) {
      const char *t = gen_replace(gen_source("tests/bad/good.xml"), gen_edits[i].from, gen_edits[i].to);
      if (gen_edits[i].from2) t = gen_replace(t, gen_edits[i].from2, gen_edits[i].to2);
      write_text(gen_path(e, file), t);
      return gen_path(e, file);
    }
  for (size_t i = 0; i < sizeof gen_templates / sizeof *gen_templates; i++)
    if (strcmp(gen_templates[i].name, name) == 0) {
      const char *t =
          gen_replace(gen_source("templates/default.xml"), gen_templates[i].from, gen_templates[i].to);
      if (gen_templates[i].from2) t = gen_replace(t, gen_templates[i].from2, gen_templates[i].to2);
      write_text(gen_path(e, file), t);
      return gen_path(e, file);
    }
  for (size_t i = 0; i < sizeof gen_encodings / sizeof *gen_encodings; i++)
    if (strcmp(gen_encodings[i].name, name) == 0) {
      const char *t = gen_replace(gen_source("tests/bad/good.xml"), "encoding=\"UTF-8\"",
                                  sfmt("encoding=\"%s\"", gen_encodings[i].declared));
      size_t len = strlen(t);
      if (gen_encodings[i].utf16)
        t = gen_utf16(t, gen_encodings[i].big_endian, gen_encodings[i].bom, &len);
      else if (gen_encodings[i].bom)
        t = sfmt("\xef\xbb\xbf%s", t), len += 3;
      return gen_bytes(e, file, t, len);
    }
  return gen_code(e, name);
}

#endif
