/* pdf_structure.c - tagged PDF: structure elements mirror the model (and
 * the few roles layout adds: list labels and bodies, TOC entries, the
 * title block), page content is wrapped in marked-content sequences that
 * belong to them, everything else is an /Artifact.
 *
 * Kids are collected while pages are drawn and the arrays are written at
 * the end, because PDF/A-1 allows 8,191 entries per array: an element with
 * more kids gets them in /NonStruct groups (grouping elements that readers
 * treat as transparent, so an L still holds only LIs as far as meaning
 * goes), and the ParentTree becomes a number tree with /Kids. */
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_internal.h"
#include "util/grow.h"
#include "util/i18n.h"

enum {
  /* kids per /K array and entries per ParentTree node: well inside
   * PDF_MAX_ARRAY, small enough that readers look keys up quickly */
  KIDS_MAX = 4096,
  TREE_FANOUT = 64
};

typedef enum kid_kind { KID_ELEM, KID_MCID, KID_OBJR } kid_kind;

struct struct_elem;

typedef struct kid {
  kid_kind kind;
  int page; /* from 1; MCID and OBJR */
  int mcid;
  int slot; /* MCID and OBJR: index into pdf_structure.owner */
  struct struct_elem *elem;
  HPDF_Annotation annot;
} kid;

typedef struct struct_elem {
  HPDF_Dict dict;
  const char *type;
  int role;         /* struct_role; -1 for the root */
  int line, column; /* where it comes from, for diagnostics */
  kid *kids;
  int kid_count, kid_capacity;
} struct_elem;

typedef enum mc_state { MC_NONE, MC_ELEMENT, MC_ARTIFACT } mc_state;

/* A ParentTree entry: a page's MCIDs (slots first..first+count) or one
 * annotation (slot first). */
typedef struct parent_entry {
  int key, first, count, is_page;
} parent_entry;

struct pdf_structure {
  struct_elem root; /* dict: the StructTreeRoot */
  /* elements by key node id * PART_COUNT + part: an open-addressing
   * table, since only a fraction of the nodes and roles ever appear */
  struct_elem **elems;
  size_t *keys;
  size_t elem_capacity, elem_count;
  struct_elem **all; /* every element, in creation order (owns them) */
  int all_count, all_capacity;
  struct_elem **stack;
  int depth, stack_capacity;
  int artifact_depth;
  /* the element holding each MCID and OBJR, known once the /K are built */
  struct_elem **owner;
  int owner_count, owner_capacity;
  parent_entry *entries;
  int entry_count, entry_capacity;
  /* the page being drawn */
  int page_number;
  int page_first_slot;
  int next_mcid;
  mc_state open;
  struct_elem *open_elem;
  struct_elem **links; /* by link index */
  int link_capacity;
};

static HPDF_Dict new_indirect_dict(pdf_writer *w) {
  HPDF_Dict d = HPDF_Dict_New(w->pdf->mmgr);
  if (!d) return NULL;
  /* HPDF_Xref_Add frees the dictionary itself when it fails */
  return HPDF_Xref_Add(w->pdf->xref, d) == HPDF_OK ? d : NULL;
}

static int add_kid(pdf_writer *w, struct_elem *e, kid k) {
  kid *kids = grow_heap(e->kids, &e->kid_capacity, e->kid_count + 1, sizeof *kids, 4);
  if (!kids) {
    pdf_fail(w, HPDF_FAILD_TO_ALLOC_MEM, _("out of memory building the structure tree"));
    return 0;
  }
  e->kids = kids;
  e->kids[e->kid_count++] = k;
  return 1;
}

static int new_slot(pdf_writer *w) {
  struct pdf_structure *s = w->structure;
  struct_elem **o = grow_heap(s->owner, &s->owner_capacity, s->owner_count + 1, sizeof *o, 1024);
  if (!o) {
    pdf_fail(w, HPDF_FAILD_TO_ALLOC_MEM, _("out of memory building the structure tree"));
    return -1;
  }
  s->owner = o;
  s->owner[s->owner_count] = NULL;
  return s->owner_count++;
}

static int add_entry(pdf_writer *w, int first, int count, int is_page) {
  struct pdf_structure *s = w->structure;
  parent_entry *e = grow_heap(s->entries, &s->entry_capacity, s->entry_count + 1, sizeof *e, 256);
  if (!e) {
    pdf_fail(w, HPDF_FAILD_TO_ALLOC_MEM, _("out of memory building the parent tree"));
    return -1;
  }
  s->entries = e;
  int key = s->entry_count;
  s->entries[s->entry_count++] = (parent_entry){key, first, count, is_page};
  return key;
}

int pdf_structure_begin(pdf_writer *w) {
  if (!w->options.tagged) return 1;
  struct pdf_structure *s = calloc(1, sizeof *s);
  if (!s) return 0;
  w->structure = s;
  s->root.dict = new_indirect_dict(w);
  s->root.type = "StructTreeRoot";
  s->root.role = -1;
  return s->root.dict &&
         pdf_ok(w, HPDF_Dict_AddName(s->root.dict, "Type", "StructTreeRoot"), N_("the structure tree"));
}

void pdf_structure_free(pdf_writer *w) {
  struct pdf_structure *s = w->structure;
  if (!s) return;
  for (int i = 0; i < s->all_count; i++) {
    free(s->all[i]->kids);
    free(s->all[i]);
  }
  free(s->root.kids);
  free(s->all);
  free(s->keys);
  free(s->elems);
  free(s->links);
  free(s->stack);
  free(s->owner);
  free(s->entries);
  free(s);
  w->structure = NULL;
}

/* PDF's standard structure types, by role. */
static const char *const role_names[] = {
    [STRUCT_DOCUMENT] = "Document", [STRUCT_PART] = "Part",     [STRUCT_SECT] = "Sect",
    [STRUCT_DIV] = "Div",           [STRUCT_H1] = "H1",         [STRUCT_H2] = "H2",
    [STRUCT_H3] = "H3",             [STRUCT_H4] = "H4",         [STRUCT_H5] = "H5",
    [STRUCT_H6] = "H6",             [STRUCT_P] = "P",           [STRUCT_L] = "L",
    [STRUCT_LI] = "LI",             [STRUCT_LBL] = "Lbl",       [STRUCT_LBODY] = "LBody",
    [STRUCT_TABLE] = "Table",       [STRUCT_THEAD] = "THead",   [STRUCT_TBODY] = "TBody",
    [STRUCT_TFOOT] = "TFoot",       [STRUCT_TR] = "TR",         [STRUCT_TH] = "TH",
    [STRUCT_TD] = "TD",             [STRUCT_CAPTION] = "Caption", [STRUCT_TOC] = "TOC",
    [STRUCT_TOCI] = "TOCI",         [STRUCT_LINK] = "Link",     [STRUCT_SPAN] = "Span",
    [STRUCT_FIGURE] = "Figure",     [STRUCT_NOTE] = "Note",     [STRUCT_NONSTRUCT] = "NonStruct",
    [STRUCT_REFERENCE] = "Reference",
};
_Static_assert(sizeof role_names / sizeof *role_names == STRUCT_ROLE_COUNT, "a name for every structure role");

static const char *const scope_names[] = {[SCOPE_NONE] = NULL, [SCOPE_ROW] = "Row", [SCOPE_COLUMN] = "Column", [SCOPE_BOTH] = "Both"};
_Static_assert(sizeof scope_names / sizeof *scope_names == SCOPE_BOTH + 1, "a name for every scope");

/* PDF 1.4's types lack the row groups: a file claiming PDF/A-1 level A
 * (ISO 19005-1, 6.8.3.3, which allows only those) puts rows straight
 * under the table. A role map is no way out: PDF/UA forbids remapping
 * standard types. */
static int transparent(const pdf_writer *w, int role) {
  return w->options.pdfa_part == 1 && w->options.pdfa_level == 'A' &&
         (role == STRUCT_THEAD || role == STRUCT_TBODY || role == STRUCT_TFOOT);
}

/* List attributes: how items are numbered. */
static int list_attributes(pdf_writer *w, HPDF_Dict elem, const display_struct *l) {
  static const char *const names[] = {[NUMBERING_NONE] = NULL, [NUMBERING_DECIMAL] = "Decimal", [NUMBERING_DISC] = "Disc"};
  _Static_assert(sizeof names / sizeof *names == NUMBERING_DISC + 1, "a name for every numbering");
  const char *name = l->numbering <= NUMBERING_DISC ? names[l->numbering] : NULL;
  if (!name) return 1;
  HPDF_Dict a = HPDF_Dict_New(w->pdf->mmgr);
  if (!a) return pdf_ok(w, HPDF_FAILD_TO_ALLOC_MEM, N_("the list attributes"));
  HPDF_STATUS st = HPDF_Dict_AddName(a, "O", "List");
  if (!st) st = HPDF_Dict_AddName(a, "ListNumbering", name);
  if (!st) st = HPDF_Dict_Add(elem, "A", a);
  return pdf_ok(w, st, N_("the list attributes"));
}

/* Table attributes: header scope and spans. */
static int cell_attributes(pdf_writer *w, HPDF_Dict elem, const display_struct *c) {
  const char *scope = c->role == STRUCT_TH && c->scope <= SCOPE_BOTH ? scope_names[c->scope] : NULL;
  if (!scope && c->colspan <= 1 && c->rowspan <= 1) return 1;
  HPDF_Dict a = HPDF_Dict_New(w->pdf->mmgr);
  if (!a) return pdf_ok(w, HPDF_FAILD_TO_ALLOC_MEM, N_("the table attributes of a cell"));
  HPDF_STATUS st = HPDF_Dict_AddName(a, "O", "Table");
  if (scope && !st) st = HPDF_Dict_AddName(a, "Scope", scope);
  if (c->rowspan > 1 && !st) st = HPDF_Dict_AddNumber(a, "RowSpan", c->rowspan);
  if (c->colspan > 1 && !st) st = HPDF_Dict_AddNumber(a, "ColSpan", c->colspan);
  if (!st) st = HPDF_Dict_Add(elem, "A", a);
  return pdf_ok(w, st, N_("the table attributes of a cell"));
}

/* A new element under the innermost open one (or the root); its /P and
 * /K are written at the end. */
static struct_elem *new_element(pdf_writer *w, int role, const char *lang, int line, int column) {
  struct pdf_structure *s = w->structure;
  struct_elem **all = grow_heap(s->all, &s->all_capacity, s->all_count + 1, sizeof *all, 1024);
  struct_elem *e = all ? calloc(1, sizeof *e) : NULL;
  if (all) s->all = all;
  if (!e) {
    pdf_fail(w, HPDF_FAILD_TO_ALLOC_MEM, _("out of memory building the structure tree"));
    return NULL;
  }
  s->all[s->all_count++] = e;
  const char *type = role_names[role];
  e->type = type;
  e->role = role;
  e->line = line, e->column = column;
  e->dict = new_indirect_dict(w);
  if (!e->dict) {
    pdf_fail(w, HPDF_FAILD_TO_ALLOC_MEM, _("a structure element"));
    return NULL;
  }
  /* /Type /StructElem is optional; leaving it out saves an object per element */
  if (!pdf_ok(w, HPDF_Dict_AddName(e->dict, "S", type), N_("a structure element"))) return NULL;
  struct_elem *parent = s->depth > 0 ? s->stack[s->depth - 1] : &s->root;
  if (!add_kid(w, parent, (kid){.kind = KID_ELEM, .elem = e})) return NULL;
  /* lengths were checked before writing began (pdf_check_document) */
  if (lang &&
      !pdf_ok(w, HPDF_Dict_Add(e->dict, "Lang", HPDF_String_New(w->pdf->mmgr, lang, NULL)), N_("a /Lang")))
    return NULL;
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

void pdf_structure_begin_node(pdf_writer *w, const display_struct *d) {
  struct pdf_structure *s = w->structure;
  if (!s || s->artifact_depth > 0 || w->error) return;
  if (d->node_id < 0 || d->part >= PART_COUNT || d->role >= STRUCT_ROLE_COUNT) return;
  size_t key = (size_t)d->node_id * PART_COUNT + d->part;
  if ((s->elem_count + 1) * 10 > s->elem_capacity * 7 && !grow_table(s)) {
    pdf_fail(w, HPDF_FAILD_TO_ALLOC_MEM, _("out of memory building the structure tree"));
    return;
  }
  struct_elem **stack = grow_heap(s->stack, &s->stack_capacity, s->depth + 1, sizeof *stack, 64);
  if (!stack) {
    pdf_fail(w, HPDF_FAILD_TO_ALLOC_MEM, _("out of memory building the structure tree"));
    return;
  }
  s->stack = stack;
  if (transparent(w, d->role)) { /* its content belongs to the parent */
    s->stack[s->depth] = s->depth > 0 ? s->stack[s->depth - 1] : &s->root;
    s->depth++;
    return;
  }
  size_t slot = slot_of(s, key);
  struct_elem *e = s->elems[slot];
  if (!e) {
    e = new_element(w, d->role, d->lang, d->line, d->column);
    if (!e) return;
    if ((d->role == STRUCT_TH || d->role == STRUCT_TD) && !cell_attributes(w, e->dict, d)) return;
    if (d->role == STRUCT_L && !list_attributes(w, e->dict, d)) return;
    if (d->role == STRUCT_NOTE) { /* PDF/UA: every Note has a unique /ID */
      char id[32];
      snprintf(id, sizeof id, "note-%d", d->node_id);
      if (!pdf_ok(w, HPDF_Dict_Add(e->dict, "ID", HPDF_String_New(w->pdf->mmgr, id, NULL)),
                  N_("a note's /ID")))
        return;
    }
    /* what a symbol means, for a screen reader: "Trendpil: bättre" */
    if (d->alt && !pdf_ok(w, HPDF_Dict_Add(e->dict, "Alt", pdf_text_string(w, d->alt)),
                          N_("the description (/Alt) of a symbol")))
      return;
    if (d->actual_text && !pdf_ok(w, HPDF_Dict_Add(e->dict, "ActualText", pdf_text_string(w, d->actual_text)),
                                  N_("the text (/ActualText) of a symbol")))
      return;
    s->elems[slot] = e;
    s->keys[slot] = key;
    s->elem_count++;
  }
  s->stack[s->depth++] = e;
}

void pdf_structure_end_node(pdf_writer *w) {
  struct pdf_structure *s = w->structure;
  if (!s || s->artifact_depth > 0) return;
  if (s->depth > 0) s->depth--;
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
  if (!s || w->error) return;
  struct_elem *e = s->artifact_depth == 0 && s->depth > 0 ? s->stack[s->depth - 1] : NULL;
  if (!e) { /* artifacts, and anything outside the tree */
    if (s->open == MC_ARTIFACT) return;
    close_mc(w);
    pdf_buf_puts(w, "/Artifact BMC\n");
    s->open = MC_ARTIFACT;
    return;
  }
  if (s->open == MC_ELEMENT && s->open_elem == e) return;
  /* the page's ParentTree entry is one array indexed by MCID */
  if (s->next_mcid >= PDF_MAX_ARRAY) {
    diag_error(w->sink, w->info.file, e->line, e->column,
               _("page %d holds more than %d separately tagged pieces of content, more than PDF/A-1 can "
                 "index on one page"),
               s->page_number, PDF_MAX_ARRAY);
    w->input_refused = 1;
    pdf_fail(w, HPDF_INVALID_PARAMETER, _("too much tagged content on page %d"), s->page_number);
    return;
  }
  close_mc(w);
  int mcid = s->next_mcid++;
  char op[96];
  snprintf(op, sizeof op, "/%s <</MCID %d>> BDC\n", e->type, mcid);
  pdf_buf_puts(w, op);
  s->open = MC_ELEMENT;
  s->open_elem = e;
  int slot = new_slot(w);
  if (slot >= 0) add_kid(w, e, (kid){.kind = KID_MCID, .page = s->page_number, .mcid = mcid, .slot = slot});
}

void pdf_structure_page_begin(pdf_writer *w, int number) {
  struct pdf_structure *s = w->structure;
  if (!s) return;
  s->page_number = w->page_count;
  (void)number;
  s->next_mcid = 0;
  s->open = MC_NONE;
  s->page_first_slot = s->owner_count;
}

void pdf_structure_page_end(pdf_writer *w) {
  struct pdf_structure *s = w->structure;
  if (!s) return;
  close_mc(w);
  if (s->next_mcid > 0 && !w->error) {
    int key = add_entry(w, s->page_first_slot, s->next_mcid, 1);
    if (key >= 0)
      pdf_ok(w, HPDF_Dict_AddNumber(w->page, "StructParents", key), N_("a page's /StructParents"));
  }
}

void pdf_structure_link(pdf_writer *w, int link_index) {
  struct pdf_structure *s = w->structure;
  if (!s || s->artifact_depth > 0 || w->error) return;
  if (link_index >= s->link_capacity) {
    int cap = s->link_capacity ? s->link_capacity * 2 : 64;
    while (cap <= link_index) cap *= 2;
    struct_elem **l = realloc(s->links, sizeof *l * (size_t)cap);
    if (!l) {
      pdf_fail(w, HPDF_FAILD_TO_ALLOC_MEM, _("out of memory building the structure tree"));
      return;
    }
    memset(l + s->link_capacity, 0, sizeof *l * (size_t)(cap - s->link_capacity));
    s->links = l;
    s->link_capacity = cap;
  }
  /* the annotation joins the Link element it is drawn in (TOCI > Link >
   * text, annotation), else it gets a Link of its own */
  struct_elem *top = s->depth > 0 ? s->stack[s->depth - 1] : NULL;
  s->links[link_index] = top && top->role == STRUCT_LINK ? top : new_element(w, STRUCT_LINK, NULL, 0, 0);
}

void pdf_structure_link_annot(pdf_writer *w, int link_index, HPDF_Annotation annot, int page) {
  struct pdf_structure *s = w->structure;
  if (!s || link_index >= s->link_capacity || !s->links[link_index] || w->error) return;
  int slot = new_slot(w);
  if (slot < 0) return;
  int key = add_entry(w, slot, 1, 0);
  if (key < 0) return;
  if (!add_kid(w, s->links[link_index], (kid){.kind = KID_OBJR, .page = page, .slot = slot, .annot = annot})) return;
  pdf_ok(w, HPDF_Dict_AddNumber(annot, "StructParent", key), N_("a link's /StructParent"));
}

/* ---- writing the tree ---- */

/* Moves e's kids into /NonStruct groups of at most KIDS_MAX until e itself
 * has no more than KIDS_MAX; the groups are built like any element. */
static int group_kids(pdf_writer *w, struct_elem *e) {
  struct pdf_structure *s = w->structure;
  while (e->kid_count > KIDS_MAX) {
    int groups = (e->kid_count + KIDS_MAX - 1) / KIDS_MAX;
    kid *grouped = calloc((size_t)groups, sizeof *grouped);
    if (!grouped) return pdf_ok(w, HPDF_FAILD_TO_ALLOC_MEM, N_("out of memory building the structure tree"));
    for (int g = 0; g < groups; g++) {
      struct_elem **all = grow_heap(s->all, &s->all_capacity, s->all_count + 1, sizeof *all, 1024);
      struct_elem *ns = all ? calloc(1, sizeof *ns) : NULL;
      if (all) s->all = all;
      int first = g * KIDS_MAX, count = e->kid_count - first < KIDS_MAX ? e->kid_count - first : KIDS_MAX;
      if (ns) s->all[s->all_count++] = ns;
      if (ns) ns->kids = malloc(sizeof *ns->kids * (size_t)count);
      if (!ns || !ns->kids || !(ns->dict = new_indirect_dict(w))) {
        free(grouped);
        return pdf_ok(w, HPDF_FAILD_TO_ALLOC_MEM, N_("out of memory building the structure tree"));
      }
      ns->type = role_names[STRUCT_NONSTRUCT];
      ns->role = STRUCT_NONSTRUCT;
      ns->line = e->line, ns->column = e->column;
      memcpy(ns->kids, e->kids + first, sizeof *ns->kids * (size_t)count);
      ns->kid_count = ns->kid_capacity = count;
      if (!pdf_ok(w, HPDF_Dict_AddName(ns->dict, "S", "NonStruct"), N_("a structure group"))) {
        free(grouped);
        return 0;
      }
      grouped[g] = (kid){.kind = KID_ELEM, .elem = ns};
    }
    free(e->kids);
    e->kids = grouped;
    e->kid_count = e->kid_capacity = groups;
  }
  return 1;
}

/* Writes e's /K (and /Pg: the page of its first marked content), and each
 * kid element's /P; records which element holds each MCID and OBJR. */
static int write_kids(pdf_writer *w, struct_elem *e) {
  struct pdf_structure *s = w->structure;
  if (!group_kids(w, e)) return 0;
  HPDF_MMgr mm = w->pdf->mmgr;
  HPDF_Array k = HPDF_Array_New(mm);
  if (!k) return pdf_ok(w, HPDF_FAILD_TO_ALLOC_MEM, N_("a structure element's kids"));
  HPDF_STATUS st = HPDF_Dict_Add(e->dict, "K", k);
  int page = 0;
  for (int i = 0; i < e->kid_count && !st; i++) {
    const kid *c = &e->kids[i];
    if (c->kind == KID_ELEM) {
      st = HPDF_Array_Add(k, c->elem->dict);
      if (!st) st = HPDF_Dict_Add(c->elem->dict, "P", e->dict);
      continue;
    }
    s->owner[c->slot] = e;
    if (e == &s->root) { /* content straight under the root cannot be: the tree starts with elements */
      st = HPDF_INVALID_OBJECT;
      break;
    }
    if (!page) {
      page = c->page;
      st = HPDF_Dict_Add(e->dict, "Pg", w->pages[page - 1]);
      if (st) break;
    }
    if (c->kind == KID_MCID && c->page == page) {
      st = HPDF_Array_AddNumber(k, c->mcid);
    } else {
      HPDF_Dict ref = HPDF_Dict_New(mm);
      if (!ref) {
        st = HPDF_FAILD_TO_ALLOC_MEM;
        break;
      }
      st = HPDF_Array_Add(k, ref);
      if (!st) st = HPDF_Dict_AddName(ref, "Type", c->kind == KID_MCID ? "MCR" : "OBJR");
      if (!st) st = HPDF_Dict_Add(ref, "Pg", w->pages[c->page - 1]);
      if (!st) st = c->kind == KID_MCID ? HPDF_Dict_AddNumber(ref, "MCID", c->mcid) : HPDF_Dict_Add(ref, "Obj", c->annot);
    }
  }
  return pdf_ok(w, st, N_("the structure tree"));
}

/* One ParentTree value: a page's array of elements by MCID, or the
 * element of an annotation. */
static void *parent_value(pdf_writer *w, const parent_entry *pe) {
  struct pdf_structure *s = w->structure;
  if (!pe->is_page) return s->owner[pe->first]->dict;
  HPDF_Array a = HPDF_Array_New(w->pdf->mmgr);
  for (int m = 0; a && m < pe->count; m++)
    if (HPDF_Array_Add(a, s->owner[pe->first + m]->dict) != HPDF_OK) return NULL;
  return a;
}

static HPDF_Array limits(pdf_writer *w, int first, int last) {
  HPDF_Array a = HPDF_Array_New(w->pdf->mmgr);
  if (a && (HPDF_Array_AddNumber(a, first) || HPDF_Array_AddNumber(a, last))) return NULL;
  return a;
}

/* The ParentTree as a number tree: leaves of TREE_FANOUT keys, then
 * layers of nodes with TREE_FANOUT kids each, up to a root with /Kids (or
 * just /Nums when one leaf holds everything). */
static HPDF_Dict parent_tree(pdf_writer *w) {
  struct pdf_structure *s = w->structure;
  int n = s->entry_count;
  HPDF_Dict root = new_indirect_dict(w);
  if (!root) return NULL;
  int count = (n + TREE_FANOUT - 1) / TREE_FANOUT;
  HPDF_Dict *nodes = calloc((size_t)(count ? count : 1), sizeof *nodes);
  int *first = calloc((size_t)(count ? count : 1), sizeof *first), *last = calloc((size_t)(count ? count : 1), sizeof *last);
  HPDF_STATUS st = nodes && first && last ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
  for (int l = 0; l < count && !st; l++) {
    HPDF_Dict leaf = n <= TREE_FANOUT ? root : new_indirect_dict(w);
    HPDF_Array nums = HPDF_Array_New(w->pdf->mmgr);
    if (!leaf || !nums) {
      st = HPDF_FAILD_TO_ALLOC_MEM;
      break;
    }
    st = HPDF_Dict_Add(leaf, "Nums", nums);
    int from = l * TREE_FANOUT, to = from + TREE_FANOUT < n ? from + TREE_FANOUT : n;
    for (int i = from; i < to && !st; i++) {
      st = HPDF_Array_AddNumber(nums, s->entries[i].key);
      if (!st) st = HPDF_Array_Add(nums, parent_value(w, &s->entries[i]));
    }
    nodes[l] = leaf, first[l] = s->entries[from].key, last[l] = s->entries[to - 1].key;
    if (!st && leaf != root) st = HPDF_Dict_Add(leaf, "Limits", limits(w, first[l], last[l]));
  }
  /* layers of intermediate nodes while the root would have too many kids */
  while (!st && count > TREE_FANOUT) {
    int up = (count + TREE_FANOUT - 1) / TREE_FANOUT;
    for (int u = 0; u < up && !st; u++) {
      HPDF_Dict node = new_indirect_dict(w);
      HPDF_Array kids = HPDF_Array_New(w->pdf->mmgr);
      if (!node || !kids) {
        st = HPDF_FAILD_TO_ALLOC_MEM;
        break;
      }
      st = HPDF_Dict_Add(node, "Kids", kids);
      int from = u * TREE_FANOUT, to = from + TREE_FANOUT < count ? from + TREE_FANOUT : count;
      for (int i = from; i < to && !st; i++) st = HPDF_Array_Add(kids, nodes[i]);
      int lo = first[from], hi = last[to - 1];
      if (!st) st = HPDF_Dict_Add(node, "Limits", limits(w, lo, hi));
      nodes[u] = node, first[u] = lo, last[u] = hi;
    }
    count = up;
  }
  if (!st && n > TREE_FANOUT) {
    HPDF_Array kids = HPDF_Array_New(w->pdf->mmgr);
    st = kids ? HPDF_Dict_Add(root, "Kids", kids) : HPDF_FAILD_TO_ALLOC_MEM;
    for (int i = 0; i < count && !st; i++) st = HPDF_Array_Add(kids, nodes[i]);
  } else if (!st && n == 0) {
    HPDF_Array nums = HPDF_Array_New(w->pdf->mmgr);
    st = nums ? HPDF_Dict_Add(root, "Nums", nums) : HPDF_FAILD_TO_ALLOC_MEM;
  }
  free(nodes);
  free(first);
  free(last);
  return pdf_ok(w, st, N_("the parent tree")) ? root : NULL;
}

int pdf_structure_finish(pdf_writer *w) {
  struct pdf_structure *s = w->structure;
  if (!s) return 1;
  if (w->error) return 0;
  /* every element's kids, the groups made on the way included */
  if (!write_kids(w, &s->root)) return 0;
  for (int i = 0; i < s->all_count; i++)
    if (!write_kids(w, s->all[i])) return 0;
  HPDF_Dict tree = parent_tree(w);
  if (!tree) return 0;
  HPDF_Dict catalog = w->pdf->catalog;
  HPDF_STATUS st = HPDF_Dict_Add(s->root.dict, "ParentTree", tree);
  if (!st) st = HPDF_Dict_AddNumber(s->root.dict, "ParentTreeNextKey", s->entry_count);
  if (!st) st = HPDF_Dict_Add(catalog, "StructTreeRoot", s->root.dict);
  HPDF_Dict mark = st ? NULL : HPDF_Dict_New(w->pdf->mmgr);
  if (!st) st = mark ? HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE) : HPDF_FAILD_TO_ALLOC_MEM;
  if (!st) st = HPDF_Dict_Add(catalog, "MarkInfo", mark);
  /* a language tag is ASCII: a plain string, as readers expect */
  if (!st)
    st = HPDF_Dict_Add(catalog, "Lang",
                       HPDF_String_New(w->pdf->mmgr, w->info.lang ? w->info.lang : "sv-SE", NULL));
  HPDF_Dict prefs = st ? NULL : HPDF_Dict_New(w->pdf->mmgr);
  if (!st) st = prefs ? HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE) : HPDF_FAILD_TO_ALLOC_MEM;
  if (!st) st = HPDF_Dict_Add(catalog, "ViewerPreferences", prefs);
  return pdf_ok(w, st, N_("the structure tree's place in the catalog"));
}
