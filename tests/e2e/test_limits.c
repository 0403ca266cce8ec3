/* test_limits.c - documents at and past the limits of PDF/A-1 and libharu,
 * written here and rendered by the command:
 *
 *  - 40,000 list items in one list, 40,000 table rows, 40,000 paragraphs in
 *    one section (libharu holds 32,767 entries per array, PDF/A-1 8,191):
 *    exit 0, no array in the file over 8,191 entries, each element's kids
 *    (through /NonStruct groups) are all there with /P right, the
 *    ParentTree is a number tree whose keys and /Limits agree;
 *  - 9,000 sections with a page each and a TOC linking them (about 18,000
 *    ParentTree keys; a flat /Nums failed past 16,383): a three-level
 *    number tree, pages in nodes;
 *  - dates: 0001-01-01, 1969-07-20, 9999-12-31 and a SOURCE_DATE_EPOCH
 *    before 1970 in the Info dictionary and XMP; 99999-12-31, 2023-02-30
 *    and a malformed SOURCE_DATE_EPOCH refused with their position;
 *  - strings longer than a PDF string (title, subject at the boundary, a
 *    symbol value) refused at their position; a page with more
 *    tagged pieces than PDF/A-1 can index refused at the element;
 *  - a libharu-side failure (no sRGB profile) is exit 3 naming the cause;
 *  - PDFBox Preflight (../shared/tools/pdf-check --pdfa --tagged) on the
 *    big documents and the dates it can compare, all in one call.
 *
 * The PDF is read through `qpdf --json=2 --json-stream-data=none`, objects
 * indexed by number. Exit 77 (skip) when pdf-check is missing and all else
 * passed. Under AddressSanitizer Preflight is left to the normal build,
 * which writes the same bytes. */
#include "support.h"

enum { PDF_MAX_ARRAY = 8191, BIG = 40000 };

static char big_dir[600]; /* files for the one pdf-check call */

/* ---- documents ---------------------------------------------------------- */

static const char *doc_head =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<report xmlns=\"urn:bilaga:content:1\">\n";

/* A document: meta (title, board and extra, one line each) and body. */
static char *write_doc(const char *dir, const char *name, const char *meta_extra, const char *body) {
  sbuf b = {0};
  sbuf_add(&b, doc_head);
  sbuf_printf(&b, "<meta>\n<title>Gränser</title>\n<board>Kommunstyrelsen</board>\n%s</meta>\n<body>\n",
              meta_extra ? meta_extra : "");
  sbuf_add(&b, body);
  sbuf_add(&b, "</body>\n</report>\n");
  char *path = sfmt("%s/%s", dir, name);
  write_file(path, b.s, b.len);
  return path;
}

/* Small type and margins, so that 40,000 lines take a few hundred pages. */
static const char *dense_template(const char *dir) {
  char *path = sfmt("%s/dense.xml", dir);
  write_text(
      path,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<template xmlns=\"urn:bilaga:template:1\" name=\"dense\">\n"
      "  <page size=\"A4\" top=\"10mm\" bottom=\"10mm\" inner=\"10mm\" outer=\"10mm\"/>\n"
      "  <style name=\"body\" family=\"Carlito\" size=\"4pt\" leading=\"4.5pt\" space-after=\"0pt\"/>\n"
      "  <list item-space=\"0pt\"/>\n"
      "  <table padding=\"0.5pt\" padding-vertical=\"0pt\" min-font-size=\"4pt\"/>\n"
      "  <style name=\"table\" size=\"4pt\" leading=\"4.5pt\"/>\n"
      "  <style name=\"table-header\" size=\"4pt\" leading=\"4.5pt\"/>\n"
      "</template>\n");
  return path;
}

static run_result render(const char *in, const char *tpl, const char *out) {
  run_opts o = {.timeout = 600};
  if (tpl) return run(&o, bilaga_binary(), "render", in, "-t", tpl, "-o", out, NULL);
  return run(&o, bilaga_binary(), "render", in, "-o", out, NULL);
}

static void assert_rendered(const run_result *r, const char *out, const char *label) {
  ck_assert_msg(run_exit_is(r, 0), "%s: %s; stderr: %.2000s", label, run_describe(r), r->err);
  ck_assert_msg(strstr(r->err, "error") == NULL, "%s: exit 0 but an error: %.2000s", label, r->err);
  ck_assert_msg(is_regular_file(out), "%s: no %s", label, out);
  run_result q = run(NULL, "qpdf", "--check", out, NULL);
  ck_assert_msg(run_exit_is(&q, 0) && !strstr(q.out, "WARNING"), "%s: qpdf --check: %s %.2000s %.1000s",
                label, run_describe(&q), q.out, q.err);
}

/* A refusal: exit 2, "file:line:col: error: ...want...", no output left. */
static void assert_refused(const run_result *r, const char *in, int line, int col, const char *want,
                           const char *out, const char *label) {
  ck_assert_msg(run_exit_is(r, 2), "%s: %s; stderr: %.2000s", label, run_describe(r), r->err);
  const char *at = sfmt("%s:%d:%d: error: ", in, line, col);
  const char *hit = strstr(r->err, at);
  ck_assert_msg(hit != NULL, "%s: no \"%s\" in: %.2000s", label, at, r->err);
  const char *eol = strchr(hit, '\n');
  ck_assert_msg(strstr(xstrndup(hit, eol ? (size_t)(eol - hit) : strlen(hit)), want) != NULL,
                "%s: the message at %s does not say \"%s\": %.2000s", label, at, want, r->err);
  ck_assert_msg(!file_exists(out), "%s: %s was written", label, out);
}

static void keep_for_preflight(const char *pdf, const char *name) {
  size_t n;
  char *bytes = read_file(pdf, &n);
  write_file(sfmt("%s/%s", big_dir, name), bytes, n);
}

/* ---- the PDF through qpdf's JSON ---------------------------------------- */

typedef struct pdfx {
  const char *path;
  const json **obj; /* by object number: the value (a stream: its dictionary) */
  int max;
  const json *catalog;
} pdfx;

static int ref_num(const json *v) {
  int n, g;
  char r, extra;
  if (v && v->type == JSON_STRING && sscanf(v->string, "%d %d %c%c", &n, &g, &r, &extra) == 3 && r == 'R')
    return n;
  return -1;
}

static const json *deref(const pdfx *p, const json *v) {
  int n = ref_num(v);
  if (n < 0) return v;
  return n <= p->max ? p->obj[n] : NULL;
}

static const json *get(const pdfx *p, const json *dict, const char *key) {
  dict = deref(p, dict);
  return dict && dict->type == JSON_OBJECT ? deref(p, json_get(dict, key)) : NULL;
}

static int is_name(const json *v, const char *name) {
  return v && v->type == JSON_STRING && strcmp(v->string, name) == 0;
}

static int longest_array(const json *v) {
  int most = v->type == JSON_ARRAY ? v->count : 0;
  if (v->type == JSON_ARRAY || v->type == JSON_OBJECT)
    for (int i = 0; i < v->count; i++) {
      int m = longest_array(&v->items[i]);
      if (m > most) most = m;
    }
  return most;
}

static pdfx *pdfx_load(const char *path) {
  run_opts o = {.timeout = 600};
  run_result r = run(&o, "qpdf", "--json=2", "--json-stream-data=none", path, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "qpdf --json %s: %s", path, run_describe(&r));
  const json *q = json_get(json_parse(r.out), "qpdf");
  ck_assert_msg(q && q->type == JSON_ARRAY && q->count == 2, "%s: unexpected qpdf JSON", path);
  const json *objs = &q->items[1];
  pdfx *p = xmalloc(sizeof *p);
  memset(p, 0, sizeof *p);
  p->path = path;
  for (int i = 0; i < objs->count; i++) {
    int n;
    if (sscanf(objs->keys[i], "obj:%d", &n) == 1 && n > p->max) p->max = n;
  }
  p->obj = xmalloc(sizeof *p->obj * (size_t)(p->max + 1));
  memset(p->obj, 0, sizeof *p->obj * (size_t)(p->max + 1));
  const json *trailer = NULL;
  int longest = 0, longest_at = -1;
  for (int i = 0; i < objs->count; i++) {
    int n;
    const json *e = &objs->items[i];
    const json *v = json_get(e, "value");
    if (!v && json_get(e, "stream")) v = json_get(json_get(e, "stream"), "dict");
    if (sscanf(objs->keys[i], "obj:%d", &n) == 1)
      p->obj[n] = v;
    else if (strcmp(objs->keys[i], "trailer") == 0)
      trailer = v;
    int m = v ? longest_array(v) : 0;
    if (m > longest) longest = m, longest_at = i;
  }
  /* PDF/A-1 (ISO 19005-1, 6.1.12) and Preflight: at most 8,191 entries */
  ck_assert_msg(longest <= PDF_MAX_ARRAY, "%s: %s holds an array of %d entries", path,
                longest_at >= 0 ? objs->keys[longest_at] : "?", longest);
  p->catalog = get(p, trailer, "/Root");
  ck_assert_msg(p->catalog && is_name(json_get(p->catalog, "/Type"), "/Catalog"), "%s: no catalog", path);
  return p;
}

static int page_count(const pdfx *p, const json *node_ref, int depth) {
  ck_assert_int_lt(depth, 16);
  const json *node = deref(p, node_ref);
  if (is_name(json_get(node, "/Type"), "/Page")) return 1;
  const json *kids = get(p, node, "/Kids");
  ck_assert_msg(kids && kids->type == JSON_ARRAY, "%s: a page tree node without /Kids", p->path);
  int n = 0;
  for (int i = 0; i < kids->count; i++) n += page_count(p, &kids->items[i], depth + 1);
  const json *count = json_get(node, "/Count");
  ck_assert_msg(count && (int)count->number == n, "%s: /Count %g, %d pages below", p->path,
                count ? count->number : -1.0, n);
  return n;
}

/* ---- the structure tree ------------------------------------------------- */

typedef struct tree_check {
  const pdfx *p;
  int elements, groups;
  int *mcid_owner_page; /* parallel lists: (page object, MCID) -> element object */
  int *mcid_owner_mcid, *mcid_owner_elem, owned;
} tree_check;

static void own_mcid(tree_check *t, int page, int mcid, int elem) {
  t->mcid_owner_page = xgrow(t->mcid_owner_page, sizeof(int) * (size_t)(t->owned + 1));
  t->mcid_owner_mcid = xgrow(t->mcid_owner_mcid, sizeof(int) * (size_t)(t->owned + 1));
  t->mcid_owner_elem = xgrow(t->mcid_owner_elem, sizeof(int) * (size_t)(t->owned + 1));
  t->mcid_owner_page[t->owned] = page, t->mcid_owner_mcid[t->owned] = mcid,
  t->mcid_owner_elem[t->owned] = elem;
  t->owned++;
}

/* Every element from the root (iteratively): /P names the element whose
 * /K lists it; MCIDs and MCRs recorded for the ParentTree check. */
static void walk_tree(tree_check *t, int root) {
  const pdfx *p = t->p;
  int *stack = xmalloc(sizeof(int) * 16), depth = 0, cap = 16;
  stack[depth++] = root;
  char *seen = xmalloc((size_t)p->max + 1);
  memset(seen, 0, (size_t)p->max + 1);
  while (depth > 0) {
    int num = stack[--depth];
    const json *e = p->obj[num];
    ck_assert_msg(e && e->type == JSON_OBJECT, "%s: structure object %d is no dictionary", p->path, num);
    ck_assert_msg(!seen[num]++, "%s: element %d reached twice", p->path, num);
    if (num != root) t->elements++;
    if (is_name(json_get(e, "/S"), "/NonStruct")) t->groups++;
    const json *k = get(p, e, "/K");
    if (!k) continue;
    ck_assert_msg(k->type == JSON_ARRAY, "%s: /K of %d is not an array", p->path, num);
    int pg = ref_num(json_get(e, "/Pg"));
    for (int i = 0; i < k->count; i++) {
      const json *kid = &k->items[i];
      if (kid->type == JSON_NUMBER) {
        ck_assert_msg(pg >= 0, "%s: element %d has an MCID but no /Pg", p->path, num);
        own_mcid(t, pg, (int)kid->number, num);
        continue;
      }
      int kn = ref_num(kid);
      const json *kd = deref(p, kid);
      ck_assert_msg(kd && kd->type == JSON_OBJECT, "%s: a kid of %d is no dictionary", p->path, num);
      if (is_name(json_get(kd, "/Type"), "/MCR")) {
        own_mcid(t, ref_num(json_get(kd, "/Pg")), (int)json_get(kd, "/MCID")->number, num);
      } else if (is_name(json_get(kd, "/Type"), "/OBJR")) {
        continue;
      } else {
        ck_assert_msg(kn >= 0, "%s: a direct element under %d", p->path, num);
        ck_assert_msg(ref_num(json_get(kd, "/P")) == num, "%s: element %d: /P is not %d, whose /K lists it",
                      p->path, kn, num);
        if (depth == cap) cap *= 2, stack = xgrow(stack, sizeof(int) * (size_t)cap);
        stack[depth++] = kn;
      }
    }
  }
}

/* Kids of type `type` of element `num`, looking through /NonStruct groups. */
static int kids_of_type(const pdfx *p, int num, const char *type) {
  const json *k = get(p, p->obj[num], "/K");
  int n = 0;
  for (int i = 0; k && i < k->count; i++) {
    int kn = ref_num(&k->items[i]);
    if (kn < 0) continue;
    const json *s = json_get(p->obj[kn], "/S");
    if (is_name(s, "/NonStruct"))
      n += kids_of_type(p, kn, type);
    else if (is_name(s, type))
      n++;
  }
  return n;
}

/* The element of type `type` with the most `kid` kids: their number. */
static int most_kids(const pdfx *p, const char *type, const char *kid) {
  int most = 0;
  for (int n = 0; n <= p->max; n++)
    if (p->obj[n] && is_name(json_get(p->obj[n], "/S"), type)) {
      int c = kids_of_type(p, n, kid);
      if (c > most) most = c;
    }
  return most;
}

/* ---- the ParentTree ------------------------------------------------------ */

typedef struct numtree {
  int *keys;
  const json **values;
  int count, depth;
} numtree;

/* Walks a number tree: every leaf's keys ascend and lie within the
 * /Limits of every node above; kids are indirect; the root has no /Limits. */
static void numtree_walk(const pdfx *p, const json *ref, numtree *nt, int depth, int lo, int hi) {
  ck_assert_msg(depth < 16, "%s: number tree deeper than 16", p->path);
  const json *node = deref(p, ref);
  ck_assert_msg(node && node->type == JSON_OBJECT, "%s: a number tree node is no dictionary", p->path);
  if (depth > nt->depth) nt->depth = depth;
  const json *limits = get(p, node, "/Limits");
  if (depth == 0)
    ck_assert_msg(!limits, "%s: the number tree's root has /Limits", p->path);
  else {
    ck_assert_msg(limits && limits->count == 2, "%s: a number tree node without /Limits", p->path);
    lo = (int)limits->items[0].number, hi = (int)limits->items[1].number;
  }
  const json *nums = get(p, node, "/Nums"), *kids = get(p, node, "/Kids");
  ck_assert_msg(!nums != !kids, "%s: a number tree node needs /Nums or /Kids, not both", p->path);
  int first = nt->count;
  if (nums) {
    for (int i = 0; i + 1 < nums->count; i += 2) {
      nt->keys = xgrow(nt->keys, sizeof *nt->keys * (size_t)(nt->count + 1));
      nt->values = xgrow(nt->values, sizeof *nt->values * (size_t)(nt->count + 1));
      nt->keys[nt->count] = (int)nums->items[i].number;
      nt->values[nt->count++] = &nums->items[i + 1];
    }
  } else {
    for (int i = 0; i < kids->count; i++) {
      ck_assert_msg(ref_num(&kids->items[i]) >= 0, "%s: a number tree kid is direct", p->path);
      numtree_walk(p, &kids->items[i], nt, depth + 1, lo, hi);
    }
  }
  for (int i = first; i < nt->count; i++) {
    if (depth > 0)
      ck_assert_msg(nt->keys[i] >= lo && nt->keys[i] <= hi, "%s: key %d outside /Limits [%d %d]", p->path,
                    nt->keys[i], lo, hi);
    if (i > 0)
      ck_assert_msg(nt->keys[i] > nt->keys[i - 1], "%s: keys do not ascend at %d", p->path, nt->keys[i]);
  }
  if (depth > 0 && nt->count > first)
    ck_assert_msg(nt->keys[first] == lo && nt->keys[nt->count - 1] == hi,
                  "%s: /Limits [%d %d], keys from %d to %d", p->path, lo, hi, nt->keys[first],
                  nt->keys[nt->count - 1]);
}

static const json *numtree_value(const numtree *nt, int key) {
  int a = 0, b = nt->count - 1;
  while (a <= b) {
    int m = (a + b) / 2;
    if (nt->keys[m] == key) return nt->values[m];
    if (nt->keys[m] < key)
      a = m + 1;
    else
      b = m - 1;
  }
  return NULL;
}

typedef struct tagged_summary {
  int pages, elements, groups, keys, tree_depth;
} tagged_summary;

/* Loads a tagged PDF and checks what holds for any size: arrays within
 * PDF/A-1, the page tree's counts, every element's /P, the ParentTree as a
 * number tree with every page's MCIDs mapped to the element listing them
 * and every link annotation to its Link element. */
static tagged_summary check_tagged(const char *path, pdfx **out) {
  pdfx *p = pdfx_load(path);
  tagged_summary s = {0};
  s.pages = page_count(p, json_get(p->catalog, "/Pages"), 0);
  int root = ref_num(json_get(p->catalog, "/StructTreeRoot"));
  ck_assert_msg(root >= 0, "%s: no /StructTreeRoot", path);
  tree_check t = {p, 0, 0, NULL, NULL, NULL, 0};
  walk_tree(&t, root);
  s.elements = t.elements, s.groups = t.groups;
  numtree nt = {0};
  numtree_walk(p, json_get(p->obj[root], "/ParentTree"), &nt, 0, 0, 0);
  s.keys = nt.count, s.tree_depth = nt.depth;
  const json *next = json_get(p->obj[root], "/ParentTreeNextKey");
  ck_assert_msg(
      next && (int)next->number == nt.count && (nt.count == 0 || nt.keys[nt.count - 1] == nt.count - 1),
      "%s: %d keys up to %d, /ParentTreeNextKey %g", path, nt.count, nt.count ? nt.keys[nt.count - 1] : -1,
      next ? next->number : -1.0);
  /* each recorded MCID: the page's entry names its element */
  for (int i = 0; i < t.owned; i++) {
    int page = t.mcid_owner_page[i];
    const json *sp = get(p, p->obj[page], "/StructParents");
    ck_assert_msg(sp, "%s: page %d has MCIDs but no /StructParents", path, page);
    const json *arr = deref(p, numtree_value(&nt, (int)sp->number));
    ck_assert_msg(arr && arr->type == JSON_ARRAY, "%s: ParentTree[%g] is no array", path, sp->number);
    int m = t.mcid_owner_mcid[i];
    ck_assert_msg(m < arr->count && ref_num(&arr->items[m]) == t.mcid_owner_elem[i],
                  "%s: ParentTree[%g][%d] is not element %d", path, sp->number, m, t.mcid_owner_elem[i]);
  }
  /* link annotations: their key maps to a Link element */
  for (int n = 0; n <= p->max; n++) {
    const json *o = p->obj[n];
    if (!o || !is_name(json_get(o, "/Subtype"), "/Link")) continue;
    const json *sp = json_get(o, "/StructParent");
    ck_assert_msg(sp, "%s: link annotation %d has no /StructParent", path, n);
    const json *e = deref(p, numtree_value(&nt, (int)sp->number));
    ck_assert_msg(e && is_name(json_get(e, "/S"), "/Link"), "%s: ParentTree[%g] is no Link", path,
                  sp->number);
  }
  if (out) *out = p;
  return s;
}

/* ---- 1. tens of thousands of kids ---------------------------------------- */

static const char *big_body(int which) {
  sbuf b = {0};
  if (which == 0) {
    sbuf_add(&b, "<section>\n<heading>Lista</heading>\n<ul>\n");
    for (int i = 1; i <= BIG; i++) sbuf_printf(&b, "<li>Punkt %d</li>\n", i);
    sbuf_add(&b, "</ul>\n</section>\n");
  } else if (which == 1) {
    sbuf_add(
        &b,
        "<section>\n<heading>Tabell</heading>\n<table>\n<columns><column width=\"auto\"/>"
        "<column width=\"auto\"/></columns>\n<thead><row><cell>Rad</cell><cell>Värde</cell></row></thead>\n"
        "<tbody>\n");
    for (int i = 1; i <= BIG; i++) sbuf_printf(&b, "<row><cell>Rad %d</cell><cell>%d</cell></row>\n", i, i);
    sbuf_add(&b, "</tbody>\n</table>\n</section>\n");
  } else {
    sbuf_add(&b, "<section>\n<heading>Stycken</heading>\n");
    for (int i = 1; i <= BIG; i++) sbuf_printf(&b, "<p>Stycke %d.</p>\n", i);
    sbuf_add(&b, "</section>\n");
  }
  return b.s;
}

static const struct {
  const char *name, *container, *kid;
  int want;
} bigs[] = {
    {"list", "/L", "/LI", BIG},
    {"table", "/Table", "/TR", BIG + 1}, /* level A: the header row and the rows straight under Table */
    {"section", "/Sect", "/P", BIG},
};

START_TEST(test_forty_thousand_kids) {
  const char *dir = tmpdir_new();
  const char *in = write_doc(dir, sfmt("%s.xml", bigs[_i].name), "<date>2024-04-30</date>\n", big_body(_i));
  const char *out = sfmt("%s/%s.pdf", dir, bigs[_i].name);
  run_result r = render(in, dense_template(dir), out);
  assert_rendered(&r, out, bigs[_i].name);
  pdfx *p;
  tagged_summary s = check_tagged(out, &p);
  int got = most_kids(p, bigs[_i].container, bigs[_i].kid);
  ck_assert_msg(got == bigs[_i].want, "%s: the biggest %s holds %d %s, want %d", bigs[_i].name,
                bigs[_i].container + 1, got, bigs[_i].kid + 1, bigs[_i].want);
  /* 40,000 kids need groups: ten of at most 4,096 */
  ck_assert_msg(s.groups >= 10, "%s: %d /NonStruct groups for %d kids", bigs[_i].name, s.groups, BIG);
  ck_assert_msg(s.keys >= s.pages && s.tree_depth >= 1, "%s: %d keys, depth %d, %d pages", bigs[_i].name,
                s.keys, s.tree_depth, s.pages);
  keep_for_preflight(out, sfmt("%s.pdf", bigs[_i].name));
}
END_TEST

/* ---- 2. thousands of pages and links ------------------------------------- */

START_TEST(test_nine_thousand_pages) {
#if defined(__SANITIZE_ADDRESS__)
  /* the same code under the sanitizers in a third of the time: still more
   * keys than leaves under one root hold (64 x 64) */
  enum { SECTIONS = 3000 };
#else
  enum { SECTIONS = 9000 };
#endif
  const char *dir = tmpdir_new();
  sbuf b = {0};
  sbuf_add(&b, "<toc/>\n");
  for (int i = 1; i <= SECTIONS; i++)
    sbuf_printf(&b,
                "<section page-break-before=\"yes\"><heading>Avsnitt %d</heading><p>Text %d.</p></section>\n",
                i, i);
  const char *in = write_doc(dir, "pages.xml", "<date>2024-04-30</date>\n", b.s);
  const char *out = sfmt("%s/pages.pdf", dir);
  run_result r = render(in, NULL, out);
  assert_rendered(&r, out, "9,000 sections");
  tagged_summary s = check_tagged(out, NULL);
  ck_assert_msg(s.pages > SECTIONS, "%d pages for %d sections on pages of their own", s.pages, SECTIONS);
  /* a key per page and per TOC link: more than libharu's flat array took
   * (16,383 pairs), deeper than leaves under a root (64 x 64) */
  ck_assert_msg(s.keys >= s.pages + SECTIONS, "%d ParentTree keys for %d pages and %d links", s.keys, s.pages,
                SECTIONS);
  ck_assert_msg(s.tree_depth >= 2, "a ParentTree of %d keys only %d deep", s.keys, s.tree_depth);
  /* the TOC's last entry shows the last section's page */
  char *toc = pdf_text(out, 1, 400, NULL);
  char *last = strstr(toc, sfmt("Avsnitt %d", SECTIONS));
  ck_assert_msg(last != NULL, "the TOC has no entry for section %d", SECTIONS);
  char *text = pdf_text(out, s.pages, s.pages, NULL);
  ck_assert_msg(strstr(text, sfmt("Avsnitt %d", SECTIONS)) != NULL, "the last page is not section %d",
                SECTIONS);
  ck_assert_msg(strstr(last, sfmt("%d", s.pages)) != NULL,
                "the TOC entry for section %d does not say page %d: %.200s", SECTIONS, s.pages, last);
}
END_TEST

/* ---- 3. dates ------------------------------------------------------------- */

static const struct {
  const char *date, *info, *xmp;
  int preflight; /* PDFBox compares dates before 1582-10-15 in the Julian calendar */
} good_dates[] = {
    {"0001-01-01", "D:00010101000000+00'00'", "0001-01-01T00:00:00+00:00", 0},
    {"1969-07-20", "D:19690720000000+00'00'", "1969-07-20T00:00:00+00:00", 1},
    {"9999-12-31", "D:99991231000000+00'00'", "9999-12-31T00:00:00+00:00", 1},
};

static int contains(const char *bytes, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (bytes[i] == needle[0] && memcmp(bytes + i, needle, k) == 0) return 1;
  return 0;
}

static void assert_dates(const char *pdf, const char *info, const char *xmp, const char *label) {
  size_t n;
  char *bytes = read_file(pdf, &n);
  const char *want[] = {sfmt("/CreationDate (%s)", info), sfmt("/ModDate (%s)", info),
                        sfmt("<xmp:CreateDate>%s</xmp:CreateDate>", xmp),
                        sfmt("<xmp:ModifyDate>%s</xmp:ModifyDate>", xmp)};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    ck_assert_msg(contains(bytes, n, want[i]), "%s: no %s in the PDF", label, want[i]);
}

START_TEST(test_dates_accepted) {
  const char *dir = tmpdir_new();
  const char *in = write_doc(dir, "d.xml", sfmt("<date>%s</date>\n", good_dates[_i].date),
                             "<section><heading>Datum</heading><p>Text.</p></section>\n");
  const char *out = sfmt("%s/d.pdf", dir);
  run_result r = render(in, NULL, out);
  assert_rendered(&r, out, good_dates[_i].date);
  assert_dates(out, good_dates[_i].info, good_dates[_i].xmp, good_dates[_i].date);
  if (good_dates[_i].preflight)
    keep_for_preflight(out, sfmt("date-%s.pdf", good_dates[_i].date));
  else
    ck_assert_msg(strstr(r.err, "warning") && strstr(r.err, "1582-10-15"), "%s: no warning: %s",
                  good_dates[_i].date, r.err);
}
END_TEST

START_TEST(test_source_date_epoch_before_1970) {
  const char *dir = tmpdir_new();
  const char *in = write_doc(dir, "e.xml", NULL, "<section><heading>Datum</heading><p>Text.</p></section>\n");
  const char *out = sfmt("%s/e.pdf", dir);
  setenv("SOURCE_DATE_EPOCH", "-14182940", 1); /* 1969-07-20T20:17:40Z */
  run_result r = render(in, NULL, out);
  assert_rendered(&r, out, "SOURCE_DATE_EPOCH=-14182940");
  assert_dates(out, "D:19690720201740+00'00'", "1969-07-20T20:17:40+00:00", "SOURCE_DATE_EPOCH=-14182940");
  keep_for_preflight(out, "epoch-1969.pdf");
  const char *bad[] = {"1e9", "99999999999999", "-62135596801"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    setenv("SOURCE_DATE_EPOCH", bad[i], 1);
    const char *out2 = sfmt("%s/bad%zu.pdf", dir, i);
    r = render(in, NULL, out2);
    ck_assert_msg(run_exit_is(&r, 2) && strstr(r.err, "SOURCE_DATE_EPOCH") && !file_exists(out2),
                  "SOURCE_DATE_EPOCH=%s: %s: %s", bad[i], run_describe(&r), r.err);
  }
  unsetenv("SOURCE_DATE_EPOCH");
}
END_TEST

static const char *bad_dates[] = {"99999-12-31", "2023-02-30", "-0044-03-15"};

START_TEST(test_dates_refused) {
  const char *dir = tmpdir_new();
  /* <date> on line 6, column 1 (after <meta>, <title>, <board>) */
  const char *in = write_doc(dir, "d.xml", sfmt("<date>%s</date>\n", bad_dates[_i]),
                             "<section><heading>Datum</heading><p>Text.</p></section>\n");
  const char *out = sfmt("%s/d.pdf", dir);
  run_result r = render(in, NULL, out);
  assert_refused(&r, in, 6, 1, "date", out, bad_dates[_i]);
}
END_TEST

/* ---- 4. strings longer than PDF holds ------------------------------------- */

static char *repeat(char c, int n) {
  char *s = xmalloc((size_t)n + 1);
  memset(s, c, (size_t)n);
  s[n] = '\0';
  return s;
}

START_TEST(test_long_title_refused) {
  const char *dir = tmpdir_new();
  sbuf b = {0};
  sbuf_printf(&b,
              "%s<meta>\n  <title>%s</title>\n<board>B</board></meta>\n<body><section><heading>H</heading>"
              "<p>a</p></section></body>\n</report>\n",
              doc_head, repeat('x', BIG));
  const char *in = sfmt("%s/t.xml", dir), *out = sfmt("%s/t.pdf", dir);
  write_file(in, b.s, b.len);
  run_result r = render(in, NULL, out);
  assert_refused(&r, in, 4, 3, "<title> is too long for PDF: 40000 characters", out,
                 "40,000-character title");
}
END_TEST

START_TEST(test_subject_at_the_limit) {
  const char *dir = tmpdir_new();
  /* a text string is UTF-16 with a byte order mark: 2 + 2 x 32,766 = 65,534 bytes fit */
  const char *in = write_doc(dir, "s.xml", sfmt("<subject>%s</subject>\n", repeat('s', 32766)),
                             "<section><heading>H</heading><p>a</p></section>\n");
  const char *out = sfmt("%s/s.pdf", dir);
  run_result r = render(in, NULL, out);
  assert_rendered(&r, out, "32,766-character subject");
  keep_for_preflight(out, "subject-32766.pdf");
  in = write_doc(dir, "s2.xml", sfmt("<subject>%s</subject>\n", repeat('s', 32767)),
                 "<section><heading>H</heading><p>a</p></section>\n");
  out = sfmt("%s/s2.pdf", dir);
  r = render(in, NULL, out);
  assert_refused(&r, in, 6, 1, "<subject> is too long", out, "32,767-character subject");
}
END_TEST

/* A symbol's meaning comes from the template (bounded there); a huge
 * value in the content is simply not one of the family's, and the
 * message quotes only its start. */
START_TEST(test_long_symbol_value_refused) {
  const char *dir = tmpdir_new();
  const char *in = write_doc(dir, "p.xml", NULL,
                             sfmt("<section><heading>H</heading>\n<p>a <symbol family=\"bedömning\" value=\"%s\"/>"
                                  "</p></section>\n",
                                  repeat('f', BIG)));
  const char *out = sfmt("%s/p.pdf", dir);
  run_result r = render(in, NULL, out);
  assert_refused(&r, in, 9, 6, "unknown value", out, "40,000-character symbol value");
  ck_assert_msg(r.err_len < 1000, "the message quotes the whole value: %zu bytes", r.err_len);
}
END_TEST

/* ---- 5. a page PDF/A-1 cannot index; an internal failure ------------------ */

START_TEST(test_too_many_tagged_pieces_on_a_page) {
  const char *dir = tmpdir_new();
  /* each <b xml:lang> is a Span of its own: two pieces (Span, then P again) a word */
  sbuf b = {0};
  sbuf_add(&b, "<section><heading>H</heading>\n<p>\n");
  for (int i = 0; i < 9000; i++) sbuf_add(&b, "<b xml:lang=\"en\">x</b>\n");
  sbuf_add(&b, "</p></section>\n");
  const char *in = write_doc(dir, "m.xml", NULL, b.s);
  const char *out = sfmt("%s/m.pdf", dir);
  run_result r = render(in, dense_template(dir), out);
  ck_assert_msg(run_exit_is(&r, 2) && strstr(r.err, "page 1 holds more than 8191") && !file_exists(out),
                "%s: %.2000s", run_describe(&r), r.err);
  /* at one of the <b> elements (lines 10 to 9009) */
  int line = 0, col = 0;
  const char *at = strstr(r.err, "m.xml:");
  ck_assert_msg(at && sscanf(at, "m.xml:%d:%d:", &line, &col) == 2 && line >= 10 && line <= 9009 && col == 1,
                "no position of a <b>: %s", r.err);
}
END_TEST

START_TEST(test_writer_failure_is_internal) {
  /* a data directory with fonts and templates but no sRGB profile */
  const char *data = tmpdir_new();
  const char *root = source_root();
  ck_assert_int_eq(symlink(sfmt("%s/fonts", root), sfmt("%s/fonts", data)), 0);
  ck_assert_int_eq(mkdir(sfmt("%s/templates", data), 0755), 0);
  const char *keep[] = {"content.rng", "template.rng", "default.xml"};
  for (size_t i = 0; i < 3; i++)
    ck_assert_int_eq(symlink(sfmt("%s/templates/%s", root, keep[i]), sfmt("%s/templates/%s", data, keep[i])),
                     0);
  const char *dir = tmpdir_new();
  const char *in = write_doc(dir, "i.xml", NULL, "<section><heading>H</heading><p>a</p></section>\n");
  const char *out = sfmt("%s/i.pdf", dir);
  setenv("BILAGA_DATA_DIR", data, 1);
  run_result r = render(in, NULL, out);
  ck_assert_msg(run_exit_is(&r, 3) && !file_exists(out), "%s: %s", run_describe(&r), r.err);
  ck_assert_msg(strstr(r.err, "writing the PDF failed: ") && strstr(r.err, "sRGB.icc") &&
                    strstr(r.err, "cannot be read"),
                "the cause is not named: %s", r.err);
  ck_assert_msg(!strstr(r.err, "font"), "a message about fonts: %s", r.err);
  /* a FIFO in the profile's place is refused at once, never read */
  ck_assert_int_eq(mkdir(sfmt("%s/templates/icc", data), 0755), 0);
  ck_assert_int_eq(mkfifo(sfmt("%s/templates/icc/sRGB.icc", data), 0644), 0);
  r = render(in, NULL, out);
  ck_assert_msg(run_exit_is(&r, 3) && !file_exists(out), "%s: %s", run_describe(&r), r.err);
  ck_assert_msg(strstr(r.err, "sRGB.icc") && strstr(r.err, "is not a regular file"), "the cause is not named: %s",
                r.err);
}
END_TEST

/* ---- 6. Preflight, once for everything kept ------------------------------- */

START_TEST(test_preflight) {
#if defined(__SANITIZE_ADDRESS__)
  printf("note: Preflight of the big documents runs in the normal build (same bytes)\n");
  return;
#endif
  const char *tool = pdf_check_tool();
  if (!tool) return; /* main reports the skip */
  int n = 0;
  char **names = dir_entries_with_prefix(big_dir, "", &n);
  const char *argv[32];
  int a = 0;
  /* LC_ALL=C: pdf-check's sed reads raw /ID bytes (see pdf_check_batch) */
  argv[a++] = "env", argv[a++] = "LC_ALL=C";
  argv[a++] = tool, argv[a++] = "--pdfa", argv[a++] = "--tagged";
  for (int i = 0; i < n && a < 31; i++)
    if (strstr(names[i], ".pdf")) argv[a++] = sfmt("%s/%s", big_dir, names[i]);
  argv[a] = NULL;
  ck_assert_msg(a == 5 + 7, "%d files kept for Preflight, want 7", a - 5);
  run_opts o = {.timeout = 1500};
  run_result r = run_argv(argv, &o);
  ck_assert_msg(run_exit_is(&r, 0) && strstr(r.out, " 0 failed"), "pdf-check: %s; %.4000s", run_describe(&r),
                r.out);
  ck_assert_msg(strstr(r.out, sfmt("%d passed", (a - 5) * 5)) != NULL, "pdf-check ran fewer checks: %.2000s",
                r.out);
}
END_TEST

int main(void) {
  Suite *s = suite_create("limits");
  TCase *tc = tcase_create("limits");
  tcase_set_timeout(tc, 1500);
  tcase_add_loop_test(tc, test_forty_thousand_kids, 0, (int)(sizeof bigs / sizeof *bigs));
  tcase_add_test(tc, test_nine_thousand_pages);
  tcase_add_loop_test(tc, test_dates_accepted, 0, (int)(sizeof good_dates / sizeof *good_dates));
  tcase_add_test(tc, test_source_date_epoch_before_1970);
  tcase_add_loop_test(tc, test_dates_refused, 0, (int)(sizeof bad_dates / sizeof *bad_dates));
  tcase_add_test(tc, test_long_title_refused);
  tcase_add_test(tc, test_subject_at_the_limit);
  tcase_add_test(tc, test_long_symbol_value_refused);
  tcase_add_test(tc, test_too_many_tagged_pieces_on_a_page);
  tcase_add_test(tc, test_writer_failure_is_internal);
  tcase_add_test(tc, test_preflight);
  suite_add_tcase(s, tc);
  if (!tmp_root_init("limits")) return EXIT_FAILURE;
  snprintf(big_dir, sizeof big_dir, "%s/preflight", sup_tmp_root);
  if (mkdir(big_dir, 0755) != 0) return EXIT_FAILURE;
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  tmp_root_remove();
  if (failed) return EXIT_FAILURE;
  if (!pdf_check_tool()) {
    printf("SKIP: ../shared/tools/pdf-check is missing; Preflight did not run\n");
    return 77;
  }
  return EXIT_SUCCESS;
}
