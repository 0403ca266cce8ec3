/* pdf_structure.c - tagged PDF: structure elements mirror the model (and
 * the few roles layout adds: list labels and bodies, TOC entries, the
 * title block), page content is wrapped in marked-content sequences that
 * belong to them, everything else is an /Artifact. */
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_internal.h"

enum { ROLE_COUNT = 8, MAX_DEPTH = 512 };

typedef struct struct_elem {
  HPDF_Dict dict;
  HPDF_Array kids;
  int page; /* the element's /Pg, from 1; 0 until it has content */
} struct_elem;

typedef enum mc_state { MC_NONE, MC_ELEMENT, MC_ARTIFACT } mc_state;

struct pdf_structure {
  HPDF_Dict root;
  HPDF_Array root_kids;
  HPDF_Array nums; /* parent tree */
  int next_key;
  const node **by_id;
  /* elements by key node id * ROLE_COUNT + role: an open-addressing
   * table, since only a fraction of the nodes and roles ever appear */
  struct_elem **elems;
  size_t *keys;
  size_t elem_capacity, elem_count;
  struct_elem *stack[MAX_DEPTH];
  int depth;
  int overflow; /* begins past MAX_DEPTH, so ends match */
  int artifact_depth;
  /* the page being drawn */
  int page_number;
  HPDF_Array page_parents;
  int next_mcid;
  mc_state open;
  struct_elem *open_elem;
  struct_elem **links; /* by link index */
  int link_capacity;
};


static HPDF_Dict new_indirect_dict(pdf_writer *w) {
  HPDF_Dict d = HPDF_Dict_New(w->pdf->mmgr);
  if (d && HPDF_Xref_Add(w->pdf->xref, d) != HPDF_OK) return NULL;
  return d;
}

int pdf_structure_begin(pdf_writer *w) {
  if (!w->options.pdfa) return 1;
  struct pdf_structure *s = calloc(1, sizeof *s);
  if (!s) return 0;
  w->structure = s;
  const document_model *d = w->doc;
  s->by_id = calloc((size_t)d->node_count + 1, sizeof *s->by_id);
  if (!s->by_id) return 0;
  /* index the model by id (iteratively: no recursion depth to worry about) */
  const node *n = d->body;
  while (n) {
    if (n->id > 0 && n->id <= d->node_count) s->by_id[n->id] = n;
    if (n->first) n = n->first;
    else {
      while (n && !n->next) n = n->parent;
      if (n) n = n->next;
    }
  }
  s->root = new_indirect_dict(w);
  s->root_kids = HPDF_Array_New(w->pdf->mmgr);
  s->nums = HPDF_Array_New(w->pdf->mmgr);
  if (!s->root || !s->root_kids || !s->nums) return 0;
  HPDF_Dict_AddName(s->root, "Type", "StructTreeRoot");
  HPDF_Dict_Add(s->root, "K", s->root_kids);
  HPDF_Dict parent_tree = HPDF_Dict_New(w->pdf->mmgr);
  if (!parent_tree) return 0;
  HPDF_Dict_Add(parent_tree, "Nums", s->nums);
  HPDF_Dict_Add(s->root, "ParentTree", parent_tree);
  return 1;
}

void pdf_structure_free(pdf_writer *w) {
  struct pdf_structure *s = w->structure;
  if (!s) return;
  if (s->elems)
    for (size_t i = 0; i < s->elem_capacity; i++) free(s->elems[i]);
  free(s->keys);
  for (int i = 0; i < s->link_capacity; i++) free(s->links[i]);
  free(s->links);
  free(s->elems);
  free(s->by_id);
  free(s);
  w->structure = NULL;
}

static const char *heading_type(const node *heading) {
  int level = heading->parent && heading->parent->kind == NODE_SECTION ? heading->parent->u.section.level : 1;
  return level <= 1 ? "H1" : level == 2 ? "H2" : "H3";
}

static const char *struct_type(const node *n, int role) {
  switch ((display_role)role) {
    case ROLE_LABEL: return "Lbl";
    case ROLE_BODY: return "LBody";
    case ROLE_TOC_ENTRY: return "TOCI";
    case ROLE_TITLE_BLOCK: return "Div";
    case ROLE_TOC_TITLE: return "P";
    case ROLE_TABLE_CAPTION: return "Caption"; /* the table's; its caption and unit are Ps in it */
    case ROLE_COPY: break; /* same type as the original */
    case ROLE_NODE: break;
  }
  if (!n) return "Div";
  switch (n->kind) {
    case NODE_BODY: return "Document";
    case NODE_SECTION: return "Sect";
    case NODE_HEADING: return heading_type(n);
    case NODE_LIST: return "L";
    case NODE_ITEM: return "LI";
    case NODE_TOC: return "TOC";
    case NODE_PLACEHOLDER: return n->u.placeholder.is_block ? "P" : "Span";
    case NODE_SYMBOL: return "Span";
    case NODE_BOLD:
    case NODE_ITALIC: return "Span"; /* only those with their own language are tagged */
    case NODE_TABLE: return "Table";
    case NODE_THEAD: return "THead";
    case NODE_TBODY: return "TBody";
    case NODE_TFOOT: return "TFoot";
    case NODE_ROW: return "TR";
    case NODE_CELL: {
      /* header="no" makes even a cell in <thead> a data cell */
      int header = n->u.cell.header == CELL_HEADER_ROW || n->u.cell.header == CELL_HEADER_COLUMN ||
                   (n->u.cell.header == CELL_HEADER_AUTO && n->parent && n->parent->parent &&
                    n->parent->parent->kind == NODE_THEAD);
      return header ? "TH" : "TD";
    }
    default: return "P";
  }
}

/* Table attributes: header scope and spans. */
static void cell_attributes(pdf_writer *w, HPDF_Dict elem, const node *n, const char *type) {
  int th = strcmp(type, "TH") == 0;
  if (!th && n->u.cell.colspan <= 1 && n->u.cell.rowspan <= 1) return;
  HPDF_Dict a = HPDF_Dict_New(w->pdf->mmgr);
  if (!a) return;
  HPDF_Dict_AddName(a, "O", "Table");
  if (th) HPDF_Dict_AddName(a, "Scope", n->u.cell.header == CELL_HEADER_ROW ? "Row" : "Column");
  if (n->u.cell.rowspan > 1) HPDF_Dict_AddNumber(a, "RowSpan", n->u.cell.rowspan);
  if (n->u.cell.colspan > 1) HPDF_Dict_AddNumber(a, "ColSpan", n->u.cell.colspan);
  HPDF_Dict_Add(elem, "A", a);
}

static struct_elem *new_element(pdf_writer *w, const char *type, const node *n) {
  struct pdf_structure *s = w->structure;
  struct_elem *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  e->dict = new_indirect_dict(w);
  e->kids = HPDF_Array_New(w->pdf->mmgr);
  if (!e->dict || !e->kids) {
    free(e);
    return NULL;
  }
  /* /Type /StructElem is optional; leaving it out saves an object per element */
  HPDF_Dict_AddName(e->dict, "S", type);
  HPDF_Dict_Add(e->dict, "K", e->kids);
  struct_elem *parent = s->depth > 0 ? s->stack[s->depth - 1] : NULL;
  HPDF_Dict_Add(e->dict, "P", parent ? parent->dict : s->root);
  HPDF_Array_Add(parent ? parent->kids : s->root_kids, e->dict);
  if (n && n->lang) HPDF_Dict_Add(e->dict, "Lang", HPDF_String_New(w->pdf->mmgr, n->lang, NULL));
  return e;
}

static size_t slot_of(const struct pdf_structure *s, size_t key) {
  size_t mask = s->elem_capacity - 1, i = (key * 0x9E3779B97F4A7C15ull) >> 20 & mask;
  while (s->elems[i] && s->keys[i] != key) i = (i + 1) & mask;
  return i;
}

static int grow_table(struct pdf_structure *s) {
  size_t cap = s->elem_capacity ? s->elem_capacity * 2 : 1024;
  struct_elem **elems = calloc(cap, sizeof *elems);
  size_t *keys = calloc(cap, sizeof *keys);
  if (!elems || !keys) {
    free(elems);
    free(keys);
    return 0;
  }
  struct_elem **old = s->elems;
  size_t *old_keys = s->keys, old_cap = s->elem_capacity;
  s->elems = elems, s->keys = keys, s->elem_capacity = cap;
  for (size_t i = 0; i < old_cap; i++)
    if (old[i]) {
      size_t j = slot_of(s, old_keys[i]);
      s->elems[j] = old[i], s->keys[j] = old_keys[i];
    }
  free(old);
  free(old_keys);
  return 1;
}

void pdf_structure_begin_node(pdf_writer *w, int node_id, int role, const char *alt,
                              const char *actual_text) {
  struct pdf_structure *s = w->structure;
  if (!s || s->artifact_depth > 0) return;
  if (s->depth >= MAX_DEPTH) {
    s->overflow++;
    return;
  }
  if (node_id < 0 || node_id > w->doc->node_count || role < 0 || role >= ROLE_COUNT) return;
  size_t key = (size_t)node_id * ROLE_COUNT + (size_t)role;
  if ((s->elem_count + 1) * 10 > s->elem_capacity * 7 && !grow_table(s)) {
    w->error = HPDF_FAILD_TO_ALLOC_MEM;
    return;
  }
  size_t slot = slot_of(s, key);
  struct_elem *e = s->elems[slot];
  if (!e) {
    const node *n = node_id ? s->by_id[node_id] : NULL;
    const char *type = struct_type(n, role);
    e = new_element(w, type, n);
    if (!e) {
      w->error = HPDF_FAILD_TO_ALLOC_MEM;
      return;
    }
    if (n && n->kind == NODE_CELL && role == ROLE_NODE) cell_attributes(w, e->dict, n, type);
    /* what a symbol means, for a screen reader: "Trendpil: bättre" */
    HPDF_Binary b;
    if (alt && (b = pdf_text_string(w, alt))) HPDF_Dict_Add(e->dict, "Alt", b);
    if (actual_text && (b = pdf_text_string(w, actual_text))) HPDF_Dict_Add(e->dict, "ActualText", b);
    s->elems[slot] = e;
    s->keys[slot] = key;
    s->elem_count++;
  }
  s->stack[s->depth++] = e;
}

void pdf_structure_end_node(pdf_writer *w) {
  struct pdf_structure *s = w->structure;
  if (!s || s->artifact_depth > 0) return;
  if (s->overflow) s->overflow--;
  else if (s->depth > 0) s->depth--;
}

static void close_mc(pdf_writer *w) {
  struct pdf_structure *s = w->structure;
  if (s->open != MC_NONE) pdf_buf_puts(w, "EMC\n");
  s->open = MC_NONE;
  s->open_elem = NULL;
}

void pdf_structure_artifact(pdf_writer *w, int begin) {
  struct pdf_structure *s = w->structure;
  if (!s) return;
  if (begin) s->artifact_depth++;
  else if (s->artifact_depth > 0) s->artifact_depth--;
}

void pdf_structure_content(pdf_writer *w) {
  struct pdf_structure *s = w->structure;
  if (!s) return;
  struct_elem *e = s->artifact_depth == 0 && s->depth > 0 ? s->stack[s->depth - 1] : NULL;
  if (!e) { /* artifacts, and anything outside the tree */
    if (s->open == MC_ARTIFACT) return;
    close_mc(w);
    pdf_buf_puts(w, "/Artifact BMC\n");
    s->open = MC_ARTIFACT;
    return;
  }
  if (s->open == MC_ELEMENT && s->open_elem == e) return;
  close_mc(w);
  int mcid = s->next_mcid++;
  const char *type = NULL;
  HPDF_Name name = HPDF_Dict_GetItem(e->dict, "S", HPDF_OCLASS_NAME);
  type = name ? HPDF_Name_GetValue(name) : "P";
  char op[96];
  snprintf(op, sizeof op, "/%s <</MCID %d>> BDC\n", type, mcid);
  pdf_buf_puts(w, op);
  s->open = MC_ELEMENT;
  s->open_elem = e;
  if (!e->page) {
    e->page = s->page_number;
    HPDF_Dict_Add(e->dict, "Pg", w->page);
  }
  if (e->page == s->page_number) {
    HPDF_Array_AddNumber(e->kids, mcid);
  } else {
    HPDF_Dict mcr = HPDF_Dict_New(w->pdf->mmgr);
    if (mcr) {
      HPDF_Dict_AddName(mcr, "Type", "MCR");
      HPDF_Dict_Add(mcr, "Pg", w->page);
      HPDF_Dict_AddNumber(mcr, "MCID", mcid);
      HPDF_Array_Add(e->kids, mcr);
    }
  }
  HPDF_Array_Add(s->page_parents, e->dict);
}

void pdf_structure_page_begin(pdf_writer *w, int number) {
  struct pdf_structure *s = w->structure;
  if (!s) return;
  s->page_number = w->page_count;
  (void)number;
  s->next_mcid = 0;
  s->open = MC_NONE;
  s->page_parents = HPDF_Array_New(w->pdf->mmgr);
  if (!s->page_parents) w->error = HPDF_FAILD_TO_ALLOC_MEM;
}

void pdf_structure_page_end(pdf_writer *w) {
  struct pdf_structure *s = w->structure;
  if (!s) return;
  close_mc(w);
  if (s->next_mcid > 0) {
    HPDF_Dict_AddNumber(w->page, "StructParents", s->next_key);
    HPDF_Array_AddNumber(s->nums, s->next_key++);
    HPDF_Array_Add(s->nums, s->page_parents);
  } else {
    HPDF_Array_Free(s->page_parents);
  }
  s->page_parents = NULL;
}

void pdf_structure_link(pdf_writer *w, int link_index) {
  struct pdf_structure *s = w->structure;
  if (!s || s->artifact_depth > 0) return;
  if (link_index >= s->link_capacity) {
    int cap = s->link_capacity ? s->link_capacity * 2 : 64;
    while (cap <= link_index) cap *= 2;
    struct_elem **l = realloc(s->links, sizeof *l * (size_t)cap);
    if (!l) return;
    memset(l + s->link_capacity, 0, sizeof *l * (size_t)(cap - s->link_capacity));
    s->links = l;
    s->link_capacity = cap;
  }
  s->links[link_index] = new_element(w, "Link", NULL);
}

void pdf_structure_link_annot(pdf_writer *w, int link_index, HPDF_Annotation annot, int page) {
  struct pdf_structure *s = w->structure;
  if (!s || link_index >= s->link_capacity || !s->links[link_index]) return;
  struct_elem *e = s->links[link_index];
  HPDF_Dict objr = HPDF_Dict_New(w->pdf->mmgr);
  if (!objr) return;
  HPDF_Dict_AddName(objr, "Type", "OBJR");
  HPDF_Dict_Add(objr, "Obj", annot);
  HPDF_Dict_Add(objr, "Pg", w->pages[page - 1]);
  HPDF_Array_Add(e->kids, objr);
  HPDF_Dict_Add(e->dict, "Pg", w->pages[page - 1]);
  HPDF_Dict_AddNumber(annot, "StructParent", s->next_key);
  HPDF_Array_AddNumber(s->nums, s->next_key++);
  HPDF_Array_Add(s->nums, e->dict);
}

int pdf_structure_finish(pdf_writer *w) {
  struct pdf_structure *s = w->structure;
  if (!s) return 1;
  HPDF_Dict_AddNumber(s->root, "ParentTreeNextKey", s->next_key);
  HPDF_Dict catalog = w->pdf->catalog;
  HPDF_Dict_Add(catalog, "StructTreeRoot", s->root);
  HPDF_Dict mark = HPDF_Dict_New(w->pdf->mmgr);
  if (!mark) return 0;
  HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
  HPDF_Dict_Add(catalog, "MarkInfo", mark);
  /* a language tag is ASCII: a plain string, as readers expect */
  HPDF_Dict_Add(catalog, "Lang", HPDF_String_New(w->pdf->mmgr, w->doc->lang ? w->doc->lang : "sv-SE", NULL));
  HPDF_Dict prefs = HPDF_Dict_New(w->pdf->mmgr);
  if (!prefs) return 0;
  HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE);
  HPDF_Dict_Add(catalog, "ViewerPreferences", prefs);
  return !w->error;
}
