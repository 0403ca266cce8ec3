/* xml_words.c - libxml2's well-formedness errors in plain words, with a
 * stable code and a hint, and the schema errors the rule walk could not
 * explain (schema_rules.h). */
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <string.h>

#include "parse/xml_internal.h"
#include "util/i18n.h"

/* HTML's names that authors type most, and their characters. */
static const struct {
  const char *name;
  int code;
} html_entities[] = {
    {"nbsp", 160},   {"shy", 173},    {"ndash", 8211}, {"mdash", 8212},  {"hellip", 8230}, {"lsquo", 8216},
    {"rsquo", 8217}, {"ldquo", 8220}, {"rdquo", 8221}, {"euro", 8364},   {"copy", 169},    {"deg", 176},
    {"aring", 229},  {"auml", 228},   {"ouml", 246},   {"Aring", 197},   {"Auml", 196},    {"Ouml", 214},
    {"eacute", 233}, {"times", 215},  {"minus", 8722}, {"thinsp", 8201}, {"laquo", 171},   {"raquo", 187},
};

static void say(const xml_input *in, const xmlError *e, int line, int column, const char *code,
                const char *hint, const char *message) {
  bilaga_severity severity = e->level == XML_ERR_WARNING ? BILAGA_SEVERITY_WARNING : BILAGA_SEVERITY_ERROR;
  diag_extra x = {.code = code, .hint = hint};
  diag_report_ex(in->sink, severity, in->name, line, column < 1 ? 1 : column, &x, "%s", message);
}

void xml_words_parse_error(const xml_input *in, const xmlError *e, int line, int column) {
  char msg[1024], hint[512];
  const char *s1 = e->str1 ? e->str1 : "?";
  const char *m = e->message ? e->message : "invalid XML";
  switch ((int)e->code) {
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
      for (size_t i = 0; i < sizeof html_entities / sizeof html_entities[0]; i++) {
        if (strcmp(html_entities[i].name, s1) != 0) continue;
        snprintf(msg, sizeof msg, _("&%s; is not defined in XML: write &#%d; or the character itself"), s1,
                 html_entities[i].code);
        say(in, e, line, column, "E0202-undefined-entity", NULL, msg);
        return;
      }
      snprintf(msg, sizeof msg, _("&%s; is not defined in XML"), s1);
      say(in, e, line, column, "E0202-undefined-entity",
          _("only &amp; &lt; &gt; &quot; &apos; and character references such as &#160; are allowed"), msg);
      return;
    case XML_ERR_NAME_REQUIRED:
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
      if (strstr(m, "EntityRef") || e->code == XML_ERR_ENTITYREF_SEMICOL_MISSING) {
        say(in, e, line, column, "E0201-unescaped-ampersand",
            _("write Smith &amp; Wesson for Smith & Wesson"), _("a & must be written &amp;"));
        return;
      }
      if (strstr(m, "StartTag")) {
        say(in, e, line, column, "E0205-unescaped-less-than", _("write 5 &lt; 7 for 5 < 7"),
            _("a < in text must be written &lt;"));
        return;
      }
      break;
    case XML_ERR_LT_IN_ATTRIBUTE:
      say(in, e, line, column, "E0205-unescaped-less-than", NULL,
          _("a < in an attribute value must be written &lt;"));
      return;
    case XML_ERR_ATTRIBUTE_NOT_STARTED:
    case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
      say(in, e, line, column, "E0204-unquoted-attribute", _("write it as name=\"value\""),
          _("an attribute value must be in quotes"));
      return;
    case XML_ERR_TAG_NAME_MISMATCH:
      snprintf(msg, sizeof msg, _("<%s> is not closed: </%s> comes before its </%s>"), s1,
               e->str2 ? e->str2 : "?", s1);
      snprintf(hint, sizeof hint, _("close it with </%s>"), s1);
      say(in, e, line, column, "E0203-unclosed-element", hint, msg);
      return;
    case XML_ERR_TAG_NOT_FINISHED:
      snprintf(msg, sizeof msg, _("<%s> is not closed: the file ends before its </%s>"), s1, s1);
      snprintf(hint, sizeof hint, _("close it with </%s>"), s1);
      say(in, e, line, column, "E0203-unclosed-element", hint, msg);
      return;
    case XML_ERR_DOCUMENT_END:
      say(in, e, line, column, "E0206-content-after-root",
          _("everything belongs inside the one root element"),
          _("there is more after the root element's end tag"));
      return;
    case XML_ERR_ATTRIBUTE_REDEFINED:
      snprintf(msg, sizeof msg, _("attribute %s is given twice"), s1);
      say(in, e, line, column, "E0207-duplicate-attribute", NULL, msg);
      return;
    case XML_ERR_INVALID_CHAR:
      if (strstr(m, "CharRef") && e->int1 > 0) {
        snprintf(msg, sizeof msg, _("&#%d; is not a character XML allows"), e->int1);
        say(in, e, line, column, "E0210-invalid-character",
            _("remove it: XML text holds no control characters but tab and line breaks"), msg);
        return;
      }
      if (e->int1 > 0 && e->int1 < 0x20) {
        snprintf(msg, sizeof msg, _("the control character U+%04X is not allowed in XML"), (unsigned)e->int1);
        say(in, e, line, column, "E0210-invalid-character",
            _("remove it: XML text holds no control characters but tab and line breaks"), msg);
        return;
      }
      break;
    case XML_ERR_INVALID_CHARREF:
      if (e->int1 > 0) {
        snprintf(msg, sizeof msg, _("&#%d; is not a character XML allows"), e->int1);
        say(in, e, line, column, "E0210-invalid-character",
            _("remove it: XML text holds no control characters but tab and line breaks"), msg);
        return;
      }
      break;
    case XML_NS_ERR_UNDEFINED_NAMESPACE:
      if (e->str1 && e->str2) {
        snprintf(msg, sizeof msg, _("the prefix %s: of <%s:%s> is not declared"), e->str1, e->str1, e->str2);
        snprintf(hint, sizeof hint, _("bilaga's elements have no prefix: write <%s>"), e->str2);
        say(in, e, line, column, "E0211-undeclared-prefix", hint, msg);
        return;
      }
      break;
    case XML_ERR_COMMENT_NOT_FINISHED:
      say(in, e, line, column, "E0208-unclosed-comment", _("end it with -->"),
          _("the comment is not closed"));
      return;
    default:
      break;
  }
  if (strstr(m, "Excessive depth")) {
    snprintf(msg, sizeof msg, _("elements nest more than %u levels deep"), xmlParserMaxDepth);
    say(in, e, line, column, "E0209-nesting-too-deep", NULL, msg);
    return;
  }
  size_t n = strlen(m);
  while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--;
  snprintf(msg, sizeof msg, "%.*s", (int)n, m);
  say(in, e, line, column, "E0200-xml", NULL, msg);
}
