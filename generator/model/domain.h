/* domain.h - the report's domain blocks (process areas, goals,
 * commitments, indicator tables, risks, assignments) as the content gives
 * them, and the template's <domain> settings that lay them out: labels,
 * column headers and widths, and the symbol family of each attribute.
 * Blocks are lowered to sections, paragraphs and tables before layout
 * (model/expand.h). */
#ifndef BILAGA_MODEL_DOMAIN_H
#define BILAGA_MODEL_DOMAIN_H

#include "model/model.h"

/* Attributes of the domain elements, as written (NULL when absent). */
typedef enum domain_attr {
  DA_ID,
  DA_PERSPECTIVE,
  DA_ASSESSMENT,
  DA_TREND,
  DA_PREVIOUS, /* previous-assessment */
  DA_STATUS,
  DA_PROGRESS,
  DA_BOARDS,
  DA_DIRECTION,
  DA_UNIT,
  DA_DECIMALS,
  DA_MANAGE,
  DA_LIKELIHOOD,
  DA_CONSEQUENCE,
  DA_VALUE,
  DA_NUMBER,
  DA_LABEL,
  DA_YEAR,
  DA_OF,
  DA_NAME,       /* a process area's name in summaries */
  DA_UNIT_SPACE, /* an indicator's: yes, no */
  DOMAIN_ATTR_COUNT
} domain_attr;

extern const char *const domain_attr_names[DOMAIN_ATTR_COUNT];

/* What a NODE_DOMAIN_PART holds (and DOMAIN_PART_SUB marks a sub-row
 * NODE_INDICATOR). Outcome and target keep their value in node.text. */
typedef enum domain_part {
  DOMAIN_PART_NONE,
  DOMAIN_PART_TEXT,
  DOMAIN_PART_NAME,
  DOMAIN_PART_OUTCOME,
  DOMAIN_PART_TARGET,
  DOMAIN_PART_ORIGINAL,
  DOMAIN_PART_CONTROL,
  DOMAIN_PART_RESULT,
  DOMAIN_PART_COMMENT, /* holds blocks */
  DOMAIN_PART_SUB,
  DOMAIN_PART_COUNT
} domain_part;

/* A domain node's attribute (also a process area's), NULL when absent. */
const char *domain_attr_of(const node *n, domain_attr a);

/* ---- the template's <domain> ---- */

typedef enum domain_label {
  DL_AREA_PREFIX,
  DL_AREA_ASSESSMENT,
  DL_AREA_TREND,
  DL_GOAL_TEXT,
  DL_GOAL_ASSESSMENT,
  DL_COMMITMENT_TEXT,
  DL_COMMITMENT_STATUS,
  DL_COMMITMENT_PROGRESS,
  DL_IND_NAME,
  DL_IND_OUTCOME, /* {year} */
  DL_IND_TARGET,  /* {year} */
  DL_IND_ASSESSMENT,
  DL_IND_TREND,
  DL_RISK_ORIGINAL,
  DL_RISK_MANAGE,
  DL_RISK_VALUE,
  DL_RISK_LIKELIHOOD,
  DL_RISK_CONSEQUENCE,
  DL_RISK_CONTROL,
  DL_RISK_ASSESSMENT,
  DL_RISK_RESULT,
  DL_RISK_COMMENT,
  DL_RISK_YES,
  DL_RISK_NO,
  DL_ASSIGN_TEXT,
  DL_ASSIGN_STATUS,
  DL_SUM_AREAS_TITLE,
  DL_SUM_AREA,
  DL_SUM_ASSESSMENT,
  DL_SUM_TREND,
  DL_SUM_NO_PERSPECTIVE,
  DL_SUM_COMMITMENTS_TITLE,
  DL_SUM_STATUS,
  DL_SUM_COUNT,
  DL_SUM_TOTAL,
  DOMAIN_LABEL_COUNT
} domain_label;

/* The symbol family each symbol attribute is drawn with. */
typedef enum domain_family {
  DF_AREA_ASSESSMENT,
  DF_AREA_TREND,
  DF_GOAL_ASSESSMENT,
  DF_COMMITMENT_STATUS,
  DF_COMMITMENT_PROGRESS,
  DF_IND_ASSESSMENT,
  DF_IND_TREND,
  DF_RISK_VALUE,
  DF_RISK_ASSESSMENT,
  DOMAIN_FAMILY_COUNT
} domain_family;

/* The generated tables, each with its column widths. */
typedef enum domain_table {
  DT_AREA,
  DT_GOAL,
  DT_COMMITMENT,
  DT_INDICATORS, /* the name column; the others share the rest */
  DT_RISK,
  DT_RISK_RESULT,
  DT_ASSIGNMENTS,
  DT_SUM_AREAS,
  DT_SUM_COMMITMENTS,
  DOMAIN_TABLE_COUNT
} domain_table;

enum { DOMAIN_MAX_WIDTHS = 4, DOMAIN_MAX_YEARS = 40 /* outcome columns of an indicator table */ };

typedef struct domain_widths {
  int count; /* 0: every column auto */
  width_kind kind[DOMAIN_MAX_WIDTHS];
  double width[DOMAIN_MAX_WIDTHS];
} domain_widths;

typedef struct domain_style {
  const char *label[DOMAIN_LABEL_COUNT];
  const char *family[DOMAIN_FAMILY_COUNT];
  domain_widths widths[DOMAIN_TABLE_COUNT];
  int area_table;      /* a process area prints its Bedömning | Trend table */
  int indicator_trend; /* an indicator table has a trend column */
} domain_style;

/* The built-in settings (those of templates/default.xml). */
void domain_style_defaults(domain_style *s);

#endif
