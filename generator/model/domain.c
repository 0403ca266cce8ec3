/* domain.c - the domain blocks' attribute names and the built-in <domain>
 * settings. */
#include "model/domain.h"

const char *const domain_attr_names[DOMAIN_ATTR_COUNT] = {
    [DA_ID] = "id",
    [DA_PERSPECTIVE] = "perspective",
    [DA_ASSESSMENT] = "assessment",
    [DA_TREND] = "trend",
    [DA_PREVIOUS] = "previous-assessment",
    [DA_STATUS] = "status",
    [DA_PROGRESS] = "progress",
    [DA_BOARDS] = "boards",
    [DA_DIRECTION] = "direction",
    [DA_UNIT] = "unit",
    [DA_DECIMALS] = "decimals",
    [DA_MANAGE] = "manage",
    [DA_LIKELIHOOD] = "likelihood",
    [DA_CONSEQUENCE] = "consequence",
    [DA_VALUE] = "value",
    [DA_NUMBER] = "number",
    [DA_LABEL] = "label",
    [DA_YEAR] = "year",
    [DA_OF] = "of",
    [DA_NAME] = "name",
    [DA_UNIT_SPACE] = "unit-space",
};
_Static_assert(sizeof domain_attr_names / sizeof *domain_attr_names == DOMAIN_ATTR_COUNT,
               "a name per attribute");

const char *domain_attr_of(const node *n, domain_attr a) {
  const char *const *attrs = NULL;
  switch (n->kind) {
    case NODE_PROCESS_AREA:
      attrs = n->u.section.domain;
      break;
    case NODE_PROCESS_GOAL:
    case NODE_COMMITMENT:
    case NODE_INDICATORS:
    case NODE_INDICATOR:
    case NODE_RISK:
    case NODE_ASSIGNMENTS:
    case NODE_ASSIGNMENT:
    case NODE_DOMAIN_PART:
    case NODE_SUMMARY:
    case NODE_COUNT:
      attrs = n->u.domain.attrs;
      break;
    /* the other kinds have no domain attributes */
    case NODE_BODY:
    case NODE_SECTION:
    case NODE_HEADING:
    case NODE_PARAGRAPH:
    case NODE_LIST:
    case NODE_ITEM:
    case NODE_PAGE_BREAK:
    case NODE_TOC:
    case NODE_LEGEND:
    case NODE_PLACEHOLDER:
    case NODE_TABLE:
    case NODE_CAPTION:
    case NODE_TABLE_UNIT:
    case NODE_TABLE_NOTE:
    case NODE_THEAD:
    case NODE_TBODY:
    case NODE_TFOOT:
    case NODE_ROW:
    case NODE_CELL:
    case NODE_TEXT:
    case NODE_BOLD:
    case NODE_ITALIC:
    case NODE_LINE_BREAK:
    case NODE_NUMBER:
    case NODE_SYMBOL:
    case NODE_KIND_COUNT:
      break;
  }
  return attrs ? attrs[a] : NULL;
}

static const char *const default_labels[DOMAIN_LABEL_COUNT] = {
    [DL_AREA_PREFIX] = "",
    [DL_AREA_ASSESSMENT] = "Bedömning",
    [DL_AREA_TREND] = "Trend",
    [DL_GOAL_TEXT] = "4-åriga processmål",
    [DL_GOAL_ASSESSMENT] = "Bedömning",
    [DL_COMMITMENT_TEXT] = "1-årigt åtagande",
    [DL_COMMITMENT_STATUS] = "Status",
    [DL_COMMITMENT_PROGRESS] = "Färdiggrad",
    [DL_IND_NAME] = "Indikator",
    [DL_IND_OUTCOME] = "Utfall {year}",
    [DL_IND_TARGET] = "Mål {year}",
    [DL_IND_ASSESSMENT] = "Bedömning",
    [DL_IND_TREND] = "Trend",
    [DL_RISK_ORIGINAL] = "Ursprunglig risk:",
    [DL_RISK_MANAGE] = "Hantera risk?",
    [DL_RISK_VALUE] = "Riskvärde",
    [DL_RISK_LIKELIHOOD] = "Sannolikhet",
    [DL_RISK_CONSEQUENCE] = "Konsekvens",
    [DL_RISK_CONTROL] = "Kontrollmoment:",
    [DL_RISK_ASSESSMENT] = "Bedömning",
    [DL_RISK_RESULT] = "Resultat",
    [DL_RISK_COMMENT] = "Kommentar:",
    [DL_RISK_YES] = "Ja",
    [DL_RISK_NO] = "Nej",
    [DL_ASSIGN_TEXT] = "Uppdrag",
    [DL_ASSIGN_STATUS] = "Status",
    [DL_SUM_AREAS_TITLE] = "Sammanställning processområden",
    [DL_SUM_AREA] = "Processområde",
    [DL_SUM_ASSESSMENT] = "Bedömning",
    [DL_SUM_TREND] = "Trend",
    [DL_SUM_NO_PERSPECTIVE] = "Övriga",
    [DL_SUM_COMMITMENTS_TITLE] = "Status åtaganden",
    [DL_SUM_STATUS] = "Status",
    [DL_SUM_COUNT] = "Antal",
    [DL_SUM_TOTAL] = "Totalt",
};
_Static_assert(sizeof default_labels / sizeof *default_labels == DOMAIN_LABEL_COUNT, "a label per text");

static const char *const default_families[DOMAIN_FAMILY_COUNT] = {
    [DF_AREA_ASSESSMENT] = "bedömning",
    [DF_AREA_TREND] = "trendpil",
    [DF_GOAL_ASSESSMENT] = "bedömning",
    [DF_COMMITMENT_STATUS] = "status",
    [DF_COMMITMENT_PROGRESS] = "färdiggrad",
    [DF_IND_ASSESSMENT] = "indikator",
    [DF_IND_TREND] = "trendpil",
    [DF_RISK_VALUE] = "riskvärde",
    [DF_RISK_ASSESSMENT] = "bedömning",
};
_Static_assert(sizeof default_families / sizeof *default_families == DOMAIN_FAMILY_COUNT,
               "a family per attribute");

void domain_style_defaults(domain_style *s) {
  for (int i = 0; i < DOMAIN_LABEL_COUNT; i++) s->label[i] = default_labels[i];
  for (int i = 0; i < DOMAIN_FAMILY_COUNT; i++) s->family[i] = default_families[i];
  for (int i = 0; i < DOMAIN_TABLE_COUNT; i++) s->widths[i] = (domain_widths){0};
  /* symbol columns a fixed width, text columns the rest */
  s->widths[DT_AREA] = (domain_widths){2, {WIDTH_FIXED, WIDTH_FIXED}, {120, 120}};
  s->widths[DT_GOAL] = (domain_widths){2, {WIDTH_WEIGHT, WIDTH_FIXED}, {1, 110}};
  s->widths[DT_COMMITMENT] = (domain_widths){3, {WIDTH_WEIGHT, WIDTH_FIXED, WIDTH_FIXED}, {1, 80, 80}};
  s->widths[DT_INDICATORS] = (domain_widths){1, {WIDTH_PERCENT}, {36}};
  s->widths[DT_RISK] =
      (domain_widths){4, {WIDTH_WEIGHT, WIDTH_WEIGHT, WIDTH_WEIGHT, WIDTH_WEIGHT}, {1, 1, 1, 1}};
  s->widths[DT_RISK_RESULT] = (domain_widths){2, {WIDTH_FIXED, WIDTH_WEIGHT}, {110, 1}};
  s->widths[DT_ASSIGNMENTS] = (domain_widths){2, {WIDTH_WEIGHT, WIDTH_FIXED}, {1, 110}};
  s->widths[DT_SUM_AREAS] = (domain_widths){3, {WIDTH_WEIGHT, WIDTH_FIXED, WIDTH_FIXED}, {1, 110, 90}};
  s->widths[DT_SUM_COMMITMENTS] = (domain_widths){2, {WIDTH_FIXED, WIDTH_FIXED}, {170, 70}};
  s->area_table = 1;
  s->indicator_trend = 0;
}
