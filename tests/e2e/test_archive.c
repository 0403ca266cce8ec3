/* test_archive.c - the archive suite: what an archive's intake checks in
 * the PDF/A-1b files bilaga writes, on real output of the command.
 *
 *  - pdf-check (qpdf, pdffonts, pdftotext, PDFBox Preflight PDF/A-1b, tagged)
 *    on every sample in both templates and on small documents written here;
 *  - the structure tree, walked from the catalog: the ParentTree and the
 *    MCIDs agree with the page content, every shown text is marked content
 *    or an artifact, the text of the tree in order is the text of the pages,
 *    element types (headings, lists, tables, TOC with links);
 *  - reproducible output: same bytes, dates only from <date> or
 *    SOURCE_DATE_EPOCH, a file /ID from the content;
 *  - Info and XMP metadata agree with the content;
 *  - --no-pdfa.
 *
 * The PDF is read through `qpdf --json=2 --json-stream-data=inline`:
 * objects under "qpdf"[1] as "obj:N G R" -> {"value": ...} or {"stream":
 * {"dict": ..., "data": base64 of the decoded data}}, the trailer as
 * "trailer"; names are "/Name", references "N G R", strings "u:text"
 * (qpdf decoded it) or "b:hex". Page content and ToUnicode CMaps are
 * parsed here. ARCHIVE_DEBUG=1 prints what each tagged file holds. */
#include "support.h"

#include <libxml/xmlmemory.h>

/* ---- problems: collected, then reported together ---------------------- */

typedef struct problems {
  int count;
  sbuf text;
} problems;

static void problem(problems *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(problems *p, const char *fmt, ...) {
  if (++p->count > 12) return;
  char buf[1200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  for (char *c = buf; *c; c++)
    if (*c == '\n') *c = ' ';
  if (p->text.len) sbuf_add(&p->text, " | ");
  sbuf_add(&p->text, buf);
}

#define assert_no_problems(p, ...)                                                                         \
  ck_assert_msg((p)->count == 0, "%s: %d problem(s): %s", sfmt(__VA_ARGS__), (p)->count, sbuf_str(&(p)->text))

/* ---- small text helpers ------------------------------------------------ */

/* s without any space-like character. */
static char *strip_ws(const char *s) {
  sbuf b = {0};
  while (*s) {
    int n = space_len(s);
    if (n) {
      s += n;
      continue;
    }
    n = utf8_len(s);
    sbuf_addn(&b, s, (size_t)n);
    s += n;
  }
  if (!b.s) sbuf_addn(&b, "", 0);
  return b.s;
}

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* UTF-16BE (surrogate pairs joined) as UTF-8; *bad counts broken units. */
static char *utf16be_to_utf8(const unsigned char *s, size_t n, int *bad) {
  sbuf b = {0};
  for (size_t i = 0; i + 1 < n; i += 2) {
    unsigned long u = (unsigned long)s[i] << 8 | s[i + 1];
    if (u >= 0xD800 && u < 0xDC00 && i + 3 < n) {
      unsigned long lo = (unsigned long)s[i + 2] << 8 | s[i + 3];
      if (lo >= 0xDC00 && lo < 0xE000) {
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      } else if (bad) (*bad)++;
    } else if (u >= 0xD800 && u < 0xE000 && bad) (*bad)++;
    sup_utf8_put(&b, u);
  }
  if (n % 2 && bad) (*bad)++;
  if (!b.s) sbuf_addn(&b, "", 0);
  return b.s;
}

/* A PDF text string (bytes) as UTF-8: UTF-16BE after a byte order mark,
 * else PDFDocEncoding (ASCII and Latin-1 where they agree; the few
 * characters where PDFDocEncoding differs come out as U+FFFD). */
static char *pdf_string_to_utf8(const unsigned char *s, size_t n) {
  if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF) return utf16be_to_utf8(s + 2, n - 2, NULL);
  sbuf b = {0};
  for (size_t i = 0; i < n; i++) sup_utf8_put(&b, s[i] >= 0x80 && s[i] < 0xA1 ? 0xFFFD : s[i]);
  if (!b.s) sbuf_addn(&b, "", 0);
  return b.s;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static unsigned char *base64_decode(const char *s, size_t *len) {
  size_t n = strlen(s);
  unsigned char *out = xmalloc(n / 4 * 3 + 4);
  size_t o = 0;
  unsigned long v = 0;
  int bits = 0;
  for (const char *p = s; *p; p++) {
    int c = (unsigned char)*p, d;
    if (c >= 'A' && c <= 'Z') d = c - 'A';
    else if (c >= 'a' && c <= 'z') d = c - 'a' + 26;
    else if (c >= '0' && c <= '9') d = c - '0' + 52;
    else if (c == '+') d = 62;
    else if (c == '/') d = 63;
    else continue; /* '=' padding */
    v = (v << 6) | (unsigned long)d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (unsigned char)(v >> bits);
      v &= (1ul << bits) - 1;
    }
  }
  out[o] = 0;
  *len = o;
  return out;
}

/* ---- PDF syntax: content streams, CMaps, dictionaries ------------------ */

typedef enum { C_NULL, C_NUM, C_BOOL, C_NAME, C_STR, C_ARRAY, C_DICT, C_OP, C_END } ctype;

typedef struct cobj {
  ctype type;
  double num;
  char *s; /* name (no '/'), operator, or string bytes */
  size_t len;
  int count;
  struct cobj *items; /* array items, dictionary values */
  char **keys;        /* dictionary keys (no '/') */
} cobj;

typedef struct lexer {
  const unsigned char *p, *end;
} lexer;

static int is_ws(int c) { return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32; }
static int is_delim(int c) { return c && strchr("()<>[]{}/%", c) != NULL; }

static void skip_ws(lexer *lx) {
  while (lx->p < lx->end) {
    if (is_ws(*lx->p)) lx->p++;
    else if (*lx->p == '%')
      while (lx->p < lx->end && *lx->p != '\n' && *lx->p != '\r') lx->p++;
    else break;
  }
}

static void cobj_append(cobj *o, const cobj *item, char *key) {
  o->items = xgrow(o->items, sizeof *o->items * (size_t)(o->count + 1));
  if (o->type == C_DICT) {
    o->keys = xgrow(o->keys, sizeof *o->keys * (size_t)(o->count + 1));
    o->keys[o->count] = key;
  }
  o->items[o->count++] = *item;
}

/* One object or operator; 0 at the end or on a syntax error (then
 * o->type is C_END only at the end). */
static int lex_value(lexer *lx, cobj *o, int depth) {
  memset(o, 0, sizeof *o);
  skip_ws(lx);
  if (lx->p >= lx->end) {
    o->type = C_END;
    return 0;
  }
  if (depth > 64) return 0;
  int c = *lx->p;
  if (c == '(') {
    sbuf b = {0};
    int nest = 1;
    lx->p++;
    while (lx->p < lx->end) {
      int ch = *lx->p++;
      if (ch == '\\' && lx->p < lx->end) {
        int e = *lx->p++;
        char out = 0;
        switch (e) {
          case 'n': out = '\n'; break;
          case 'r': out = '\r'; break;
          case 't': out = '\t'; break;
          case 'b': out = '\b'; break;
          case 'f': out = '\f'; break;
          case '\r':
            if (lx->p < lx->end && *lx->p == '\n') lx->p++;
            continue;
          case '\n': continue;
          default:
            if (e >= '0' && e <= '7') {
              int v = e - '0';
              for (int k = 0; k < 2 && lx->p < lx->end && *lx->p >= '0' && *lx->p <= '7'; k++) v = v * 8 + (*lx->p++ - '0');
              out = (char)v;
            } else out = (char)e;
        }
        sbuf_addn(&b, &out, 1);
        continue;
      }
      if (ch == '(') nest++;
      if (ch == ')' && --nest == 0) break;
      char cc = (char)ch;
      sbuf_addn(&b, &cc, 1);
    }
    if (nest) return 0;
    if (!b.s) sbuf_addn(&b, "", 0);
    o->type = C_STR, o->s = b.s, o->len = b.len;
    return 1;
  }
  if (c == '<' && lx->p + 1 < lx->end && lx->p[1] == '<') {
    lx->p += 2;
    o->type = C_DICT;
    for (;;) {
      skip_ws(lx);
      if (lx->p + 1 < lx->end && lx->p[0] == '>' && lx->p[1] == '>') {
        lx->p += 2;
        return 1;
      }
      cobj key, value;
      if (!lex_value(lx, &key, depth + 1) || key.type != C_NAME) return 0;
      if (!lex_value(lx, &value, depth + 1)) return 0;
      cobj_append(o, &value, key.s);
    }
  }
  if (c == '<') {
    sbuf b = {0};
    int hi = -1;
    lx->p++;
    while (lx->p < lx->end && *lx->p != '>') {
      int v = hexval(*lx->p++);
      if (v < 0) continue; /* white space */
      if (hi < 0) hi = v;
      else {
        char byte = (char)(hi << 4 | v);
        sbuf_addn(&b, &byte, 1);
        hi = -1;
      }
    }
    if (lx->p >= lx->end) return 0;
    lx->p++;
    if (hi >= 0) {
      char byte = (char)(hi << 4);
      sbuf_addn(&b, &byte, 1);
    }
    if (!b.s) sbuf_addn(&b, "", 0);
    o->type = C_STR, o->s = b.s, o->len = b.len;
    return 1;
  }
  if (c == '[') {
    lx->p++;
    o->type = C_ARRAY;
    for (;;) {
      skip_ws(lx);
      if (lx->p >= lx->end) return 0;
      if (*lx->p == ']') {
        lx->p++;
        return 1;
      }
      cobj item;
      if (!lex_value(lx, &item, depth + 1)) return 0;
      cobj_append(o, &item, NULL);
    }
  }
  if (c == '/') {
    sbuf b = {0};
    lx->p++;
    while (lx->p < lx->end && !is_ws(*lx->p) && !is_delim(*lx->p)) {
      char ch = (char)*lx->p++;
      if (ch == '#' && lx->p + 1 < lx->end && hexval(lx->p[0]) >= 0 && hexval(lx->p[1]) >= 0) {
        ch = (char)(hexval(lx->p[0]) << 4 | hexval(lx->p[1]));
        lx->p += 2;
      }
      sbuf_addn(&b, &ch, 1);
    }
    if (!b.s) sbuf_addn(&b, "", 0);
    o->type = C_NAME, o->s = b.s, o->len = b.len;
    return 1;
  }
  if (c == ']' || c == '>' || c == ')') return 0;
  if (c == '{' || c == '}') {
    o->type = C_OP, o->s = xstrndup((const char *)lx->p, 1), o->len = 1;
    lx->p++;
    return 1;
  }
  const unsigned char *start = lx->p;
  while (lx->p < lx->end && !is_ws(*lx->p) && !is_delim(*lx->p)) lx->p++;
  char *word = xstrndup((const char *)start, (size_t)(lx->p - start));
  if ((word[0] >= '0' && word[0] <= '9') || word[0] == '-' || word[0] == '+' || word[0] == '.') {
    char *end;
    double v = strtod(word, &end);
    if (*end == '\0') {
      o->type = C_NUM, o->num = v;
      return 1;
    }
  }
  if (strcmp(word, "true") == 0 || strcmp(word, "false") == 0) {
    o->type = C_BOOL, o->num = word[0] == 't';
    return 1;
  }
  if (strcmp(word, "null") == 0) {
    o->type = C_NULL;
    return 1;
  }
  o->type = C_OP, o->s = word, o->len = strlen(word);
  return 1;
}

static const cobj *cobj_get(const cobj *d, const char *key) {
  if (!d || d->type != C_DICT) return NULL;
  for (int i = 0; i < d->count; i++)
    if (strcmp(d->keys[i], key) == 0) return &d->items[i];
  return NULL;
}

/* A growable list of operands. */
typedef struct operands {
  cobj *v;
  int n, cap;
} operands;

static void operands_push(operands *ops, const cobj *o) {
  if (ops->n == ops->cap) {
    ops->cap = ops->cap ? ops->cap * 2 : 16;
    ops->v = xgrow(ops->v, sizeof *ops->v * (size_t)ops->cap);
  }
  ops->v[ops->n++] = *o;
}

/* ---- the PDF, through qpdf's JSON -------------------------------------- */

/* What a ToUnicode CMap says: code -> UTF-8. */
typedef struct font_map {
  int bytes; /* code length */
  int size;  /* 256 or 65536 */
  char **map;
} font_map;

typedef struct pdf {
  const char *path;
  const json **entry; /* by object number: {"value": ...} or {"stream": ...} */
  int max;
  const json *trailer;
  const json *catalog;
  int root_num;
  int npages;
  int *pages; /* page object numbers, in order */
  font_map **fonts; /* by font object number, loaded on demand */
} pdf;

static int ref_num(const json *v) {
  if (!v || v->type != JSON_STRING) return -1;
  int n, g;
  char r, extra;
  if (sscanf(v->string, "%d %d %c%c", &n, &g, &r, &extra) == 3 && r == 'R' && n >= 0) return n;
  return -1;
}

/* A reference resolved (a stream gives its dictionary); anything else as is. */
static const json *pdf_deref(const pdf *p, const json *v) {
  int n = ref_num(v);
  if (n < 0) return v;
  if (n > p->max || !p->entry[n]) return NULL;
  const json *value = json_get(p->entry[n], "value");
  if (value) return value;
  const json *stream = json_get(p->entry[n], "stream");
  return stream ? json_get(stream, "dict") : NULL;
}

static const json *pdf_get(const pdf *p, const json *dict, const char *key) {
  dict = pdf_deref(p, dict);
  return dict && dict->type == JSON_OBJECT ? pdf_deref(p, json_get(dict, key)) : NULL;
}

/* The entry as written (a reference stays a reference). */
static const json *pdf_get_raw(const pdf *p, const json *dict, const char *key) {
  dict = pdf_deref(p, dict);
  return dict && dict->type == JSON_OBJECT ? json_get(dict, key) : NULL;
}

static int is_name(const json *v, const char *name) {
  return v && v->type == JSON_STRING && strcmp(v->string, name) == 0;
}

static int is_int(const json *v) { return v && v->type == JSON_NUMBER && v->number == floor(v->number); }

/* A string value as UTF-8 ("u:" as qpdf decoded it, "b:" as PDF text). */
static const char *json_pdf_string(const json *v) {
  if (!v || v->type != JSON_STRING) return NULL;
  if (strncmp(v->string, "u:", 2) == 0) return v->string + 2;
  if (strncmp(v->string, "b:", 2) == 0) {
    const char *h = v->string + 2;
    size_t n = strlen(h) / 2;
    unsigned char *bytes = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) bytes[i] = (unsigned char)(hexval(h[2 * i]) << 4 | hexval(h[2 * i + 1]));
    return pdf_string_to_utf8(bytes, n);
  }
  return NULL;
}

/* The decoded data of a stream object (by reference); NULL if none. */
static unsigned char *pdf_stream_data(const pdf *p, const json *ref, size_t *len) {
  int n = ref_num(ref);
  if (n < 0 || n > p->max || !p->entry[n]) return NULL;
  const json *stream = json_get(p->entry[n], "stream");
  const json *data = stream ? json_get(stream, "data") : NULL;
  if (!data || data->type != JSON_STRING) return NULL;
  return base64_decode(data->string, len);
}

static void collect_pages(pdf *p, const json *ref, int depth) {
  ck_assert_msg(depth < 64, "%s: page tree too deep", p->path);
  const json *node = pdf_deref(p, ref);
  ck_assert_msg(node && node->type == JSON_OBJECT, "%s: page tree node %s is not a dictionary", p->path,
                ref && ref->type == JSON_STRING ? ref->string : "?");
  if (is_name(pdf_get(p, node, "/Type"), "/Page")) {
    p->pages = xgrow(p->pages, sizeof *p->pages * (size_t)(p->npages + 1));
    p->pages[p->npages++] = ref_num(ref);
    return;
  }
  const json *kids = pdf_get(p, node, "/Kids");
  ck_assert_msg(kids && kids->type == JSON_ARRAY, "%s: page tree node without /Kids", p->path);
  for (int i = 0; i < kids->count; i++) collect_pages(p, &kids->items[i], depth + 1);
}

static pdf *pdf_load(const char *path) {
  run_result r = run(NULL, "qpdf", "--json=2", "--json-stream-data=inline", "--decode-level=generalized", path, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "qpdf --json %s: %s", path, run_describe(&r));
  json *all = json_parse(r.out);
  const json *q = json_get(all, "qpdf");
  ck_assert_msg(q && q->type == JSON_ARRAY && q->count == 2 && q->items[1].type == JSON_OBJECT,
                "%s: unexpected qpdf JSON layout (want \"qpdf\": [header, objects])", path);
  const json *objs = &q->items[1];
  pdf *p = xmalloc(sizeof *p);
  memset(p, 0, sizeof *p);
  p->path = path;
  for (int i = 0; i < objs->count; i++) {
    int n;
    if (sscanf(objs->keys[i], "obj:%d", &n) == 1 && n > p->max) p->max = n;
  }
  p->entry = xmalloc(sizeof *p->entry * (size_t)(p->max + 1));
  memset(p->entry, 0, sizeof *p->entry * (size_t)(p->max + 1));
  p->fonts = xmalloc(sizeof *p->fonts * (size_t)(p->max + 1));
  memset(p->fonts, 0, sizeof *p->fonts * (size_t)(p->max + 1));
  for (int i = 0; i < objs->count; i++) {
    int n;
    if (sscanf(objs->keys[i], "obj:%d", &n) == 1) p->entry[n] = &objs->items[i];
    else if (strcmp(objs->keys[i], "trailer") == 0) p->trailer = json_get(&objs->items[i], "value");
  }
  ck_assert_msg(p->trailer && p->trailer->type == JSON_OBJECT, "%s: no trailer in qpdf's JSON", path);
  p->root_num = ref_num(json_get(p->trailer, "/Root"));
  p->catalog = pdf_get(p, p->trailer, "/Root");
  ck_assert_msg(p->catalog && is_name(json_get(p->catalog, "/Type"), "/Catalog"), "%s: no catalog", path);
  collect_pages(p, json_get(p->catalog, "/Pages"), 0);
  ck_assert_msg(p->npages > 0, "%s: no pages", path);
  return p;
}

/* ---- ToUnicode CMaps ----------------------------------------------------- */

static unsigned long code_of(const cobj *s) {
  unsigned long c = 0;
  for (size_t i = 0; i < s->len; i++) c = c << 8 | (unsigned char)s->s[i];
  return c;
}

static void map_set(font_map *m, unsigned long code, const unsigned char *utf16, size_t n) {
  if (code >= (unsigned long)m->size) return;
  m->map[code] = utf16be_to_utf8(utf16, n, NULL);
}

/* The map of a font dictionary (by reference), parsed once. */
static font_map *font_map_of(pdf *p, const json *font_ref, problems *pr) {
  int num = ref_num(font_ref);
  if (num >= 0 && p->fonts[num]) return p->fonts[num];
  font_map *m = xmalloc(sizeof *m);
  memset(m, 0, sizeof *m);
  const json *font = pdf_deref(p, font_ref);
  int type0 = is_name(pdf_get(p, font, "/Subtype"), "/Type0");
  size_t len = 0;
  unsigned char *data = pdf_stream_data(p, pdf_get_raw(p, font, "/ToUnicode"), &len);
  if (!data) problem(pr, "font %d has no /ToUnicode CMap: its text cannot be read", num);
  /* code length from the codespace range, else from the font type */
  m->bytes = type0 ? 2 : 1;
  lexer lx = {data, data + len};
  operands ops = {0};
  for (int pass = 0; pass < 2 && data; pass++) {
    if (pass == 1) {
      m->size = m->bytes == 1 ? 256 : 65536;
      m->map = xmalloc(sizeof *m->map * (size_t)m->size);
      memset(m->map, 0, sizeof *m->map * (size_t)m->size);
    }
    lx.p = data;
    ops.n = 0;
    for (;;) {
      cobj o;
      if (!lex_value(&lx, &o, 0)) {
        if (o.type != C_END) problem(pr, "font %d: ToUnicode CMap syntax error", num);
        break;
      }
      if (o.type != C_OP) {
        operands_push(&ops, &o);
        continue;
      }
      if (pass == 0 && strcmp(o.s, "endcodespacerange") == 0 && ops.n >= 2 && ops.v[0].type == C_STR)
        m->bytes = (int)ops.v[0].len;
      if (pass == 1 && strcmp(o.s, "endbfchar") == 0) {
        for (int i = 0; i + 1 < ops.n; i += 2)
          if (ops.v[i].type == C_STR && ops.v[i + 1].type == C_STR)
            map_set(m, code_of(&ops.v[i]), (unsigned char *)ops.v[i + 1].s, ops.v[i + 1].len);
      }
      if (pass == 1 && strcmp(o.s, "endbfrange") == 0) {
        for (int i = 0; i + 2 < ops.n; i += 3) {
          if (ops.v[i].type != C_STR || ops.v[i + 1].type != C_STR) continue;
          unsigned long lo = code_of(&ops.v[i]), hi = code_of(&ops.v[i + 1]);
          const cobj *dst = &ops.v[i + 2];
          for (unsigned long c = lo; c <= hi && c < (unsigned long)m->size; c++) {
            if (dst->type == C_ARRAY) {
              if (c - lo < (unsigned long)dst->count && dst->items[c - lo].type == C_STR)
                map_set(m, c, (unsigned char *)dst->items[c - lo].s, dst->items[c - lo].len);
            } else if (dst->type == C_STR && dst->len >= 2) {
              unsigned char *u = xmalloc(dst->len);
              memcpy(u, dst->s, dst->len);
              unsigned long last = ((unsigned long)u[dst->len - 2] << 8 | u[dst->len - 1]) + (c - lo);
              u[dst->len - 2] = (unsigned char)(last >> 8), u[dst->len - 1] = (unsigned char)last;
              map_set(m, c, u, dst->len);
            }
          }
        }
      }
      ops.n = 0;
    }
  }
  if (m->bytes < 1 || m->bytes > 2) {
    problem(pr, "font %d: %d-byte codes are not supported here", num, m->bytes);
    m->bytes = 2;
  }
  if (!m->map) {
    m->size = m->bytes == 1 ? 256 : 65536;
    m->map = xmalloc(sizeof *m->map * (size_t)m->size);
    memset(m->map, 0, sizeof *m->map * (size_t)m->size);
  }
  if (num >= 0) p->fonts[num] = m;
  return m;
}

/* ---- page content: marked content and the text inside it ----------------- */

/* One piece of tagged text as shown (a Tj, or a string in a TJ). */
typedef struct text_run {
  int mcid;
  const char *mc_lang; /* innermost /Lang of the marked content, or NULL */
  const char *text;
} text_run;

typedef struct page_text {
  int num;        /* page object number */
  int nmcid;      /* 1 + the highest MCID */
  sbuf *by_mcid;  /* text shown in each MCID's sequence */
  int *seen;      /* BDCs with that MCID */
  int *owner;     /* element index claiming the MCID, -1 */
  sbuf content;   /* non-artifact text in content order */
  sbuf artifacts; /* artifact text */
  text_run *runs; /* the non-artifact text, piece by piece */
  int nruns;
} page_text;

typedef struct mc_entry {
  int artifact;
  int mcid;
  const char *lang; /* /Lang of the property list, or NULL */
} mc_entry;


static void page_mcid_grow(page_text *pt, int mcid) {
  if (mcid < pt->nmcid) return;
  int n = mcid + 1;
  pt->by_mcid = xgrow(pt->by_mcid, sizeof *pt->by_mcid * (size_t)n);
  pt->seen = xgrow(pt->seen, sizeof *pt->seen * (size_t)n);
  pt->owner = xgrow(pt->owner, sizeof *pt->owner * (size_t)n);
  for (int i = pt->nmcid; i < n; i++) {
    memset(&pt->by_mcid[i], 0, sizeof pt->by_mcid[i]);
    pt->seen[i] = 0;
    pt->owner[i] = -1;
  }
  pt->nmcid = n;
}

/* The page's /Resources, inherited through /Parent if need be. */
static const json *page_resources(const pdf *p, int page) {
  char ref[32];
  snprintf(ref, sizeof ref, "%d 0 R", page);
  json tmp = {.type = JSON_STRING, .string = ref};
  const json *node = pdf_deref(p, &tmp);
  for (int i = 0; node && i < 64; i++) {
    const json *res = pdf_get(p, node, "/Resources");
    if (res) return res;
    node = pdf_get(p, node, "/Parent");
  }
  return NULL;
}

static const json *page_dict(const pdf *p, int page) {
  char ref[32];
  snprintf(ref, sizeof ref, "%d 0 R", page);
  json tmp = {.type = JSON_STRING, .string = ref};
  return pdf_deref(p, &tmp);
}

typedef struct content_check {
  problems marked;  /* (c): unmarked text, unbalanced marked content */
  problems glyphs;  /* glyphs without Unicode */
  problems syntax;  /* the content cannot be parsed */
} content_check;

static void show_text(page_text *pt, int page_index, const font_map *font, const cobj *str,
                      const mc_entry *stack, int depth, content_check *cc) {
  if (!font) {
    problem(&cc->syntax, "page %d: text shown without a font", page_index + 1);
    return;
  }
  sbuf t = {0};
  int unmapped = 0;
  for (size_t i = 0; i + (size_t)font->bytes <= str->len; i += (size_t)font->bytes) {
    unsigned long code = 0;
    for (int k = 0; k < font->bytes; k++) code = code << 8 | (unsigned char)str->s[i + (size_t)k];
    const char *u = code < (unsigned long)font->size ? font->map[code] : NULL;
    if (u) sbuf_add(&t, u);
    else sbuf_add(&t, "\xEF\xBF\xBD"), unmapped++;
  }
  if (!t.s) return;
  if (unmapped)
    problem(&cc->glyphs, "page %d: %d glyph(s) without a ToUnicode entry in \"%.60s\"", page_index + 1, unmapped,
            t.s);
  int artifact = 0, mcid = -1;
  const char *lang = NULL;
  for (int i = 0; i < depth; i++) {
    if (stack[i].artifact) artifact = 1;
    if (stack[i].mcid >= 0) mcid = stack[i].mcid;
    if (stack[i].lang) lang = stack[i].lang;
  }
  if (artifact) {
    sbuf_add(&pt->artifacts, t.s);
  } else if (mcid >= 0) {
    sbuf_add(&pt->by_mcid[mcid], t.s);
    sbuf_add(&pt->content, t.s);
    pt->runs = xgrow(pt->runs, sizeof *pt->runs * (size_t)(pt->nruns + 1));
    pt->runs[pt->nruns++] = (text_run){mcid, lang, t.s};
  } else {
    problem(&cc->marked, "page %d: text outside marked content and not an artifact: \"%.60s\"", page_index + 1,
            t.s);
  }
}

/* Reads page page_index's content: MCIDs, their text, artifacts. */
static void read_page(pdf *p, int page_index, page_text *pt, content_check *cc) {
  memset(pt, 0, sizeof *pt);
  pt->num = p->pages[page_index];
  const json *page = page_dict(p, pt->num);
  const json *contents = pdf_get_raw(p, page, "/Contents");
  sbuf data = {0};
  const json *list = pdf_deref(p, contents);
  if (list && list->type == JSON_ARRAY) {
    for (int i = 0; i < list->count; i++) {
      size_t n;
      unsigned char *d = pdf_stream_data(p, &list->items[i], &n);
      if (d) sbuf_addn(&data, (char *)d, n), sbuf_add(&data, "\n");
    }
  } else if (contents) {
    size_t n;
    unsigned char *d = pdf_stream_data(p, contents, &n);
    if (d) sbuf_addn(&data, (char *)d, n);
  }
  const json *fonts = pdf_get(p, page_resources(p, pt->num), "/Font");
  const json *xobjects = pdf_get(p, page_resources(p, pt->num), "/XObject");
  const font_map *font = NULL;
  mc_entry stack[256];
  int depth = 0, overflow = 0;
  operands ops = {0};
  lexer lx = {(const unsigned char *)data.s, (const unsigned char *)data.s + data.len};
  for (;;) {
    cobj o;
    if (!lex_value(&lx, &o, 0)) {
      if (o.type != C_END)
        problem(&cc->syntax, "page %d: content syntax error at byte %ld", page_index + 1,
                (long)(lx.p - (const unsigned char *)data.s));
      break;
    }
    if (o.type != C_OP) {
      operands_push(&ops, &o);
      continue;
    }
    const char *op = o.s;
    const cobj *last = ops.n ? &ops.v[ops.n - 1] : NULL;
    if (strcmp(op, "BDC") == 0 || strcmp(op, "BMC") == 0) {
      int bdc = op[1] == 'D';
      if (ops.n != (bdc ? 2 : 1) || ops.v[0].type != C_NAME) {
        problem(&cc->syntax, "page %d: malformed %s", page_index + 1, op);
      } else if (depth == (int)(sizeof stack / sizeof *stack)) {
        overflow++;
      } else {
        mc_entry e = {strcmp(ops.v[0].s, "Artifact") == 0, -1, NULL};
        const cobj *m = bdc ? cobj_get(&ops.v[1], "MCID") : NULL;
        const cobj *l = bdc ? cobj_get(&ops.v[1], "Lang") : NULL;
        if (l && l->type == C_STR) e.lang = pdf_string_to_utf8((const unsigned char *)l->s, l->len);
        if (m && m->type == C_NUM && m->num >= 0 && m->num == floor(m->num) && m->num < 1e6) {
          e.mcid = (int)m->num;
          page_mcid_grow(pt, e.mcid);
          pt->seen[e.mcid]++;
          if (pt->seen[e.mcid] == 2)
            problem(&cc->marked, "page %d: MCID %d used by two marked-content sequences", page_index + 1, e.mcid);
        }
        stack[depth++] = e;
      }
    } else if (strcmp(op, "EMC") == 0) {
      if (overflow) overflow--;
      else if (depth > 0) depth--;
      else problem(&cc->marked, "page %d: EMC without BDC/BMC", page_index + 1);
    } else if (strcmp(op, "Tf") == 0) {
      if (ops.n == 2 && ops.v[0].type == C_NAME) {
        const json *ref = pdf_get_raw(p, fonts, sfmt("/%s", ops.v[0].s));
        if (!ref) problem(&cc->syntax, "page %d: font /%s not in the resources", page_index + 1, ops.v[0].s);
        font = ref ? font_map_of(p, ref, &cc->glyphs) : NULL;
      }
    } else if (strcmp(op, "Tj") == 0 || strcmp(op, "'") == 0 || strcmp(op, "\"") == 0) {
      if (last && last->type == C_STR) show_text(pt, page_index, font, last, stack, depth, cc);
    } else if (strcmp(op, "TJ") == 0) {
      if (last && last->type == C_ARRAY) {
        /* one piece for the whole array: kerning splits words into strings */
        cobj all = {.type = C_STR};
        sbuf bytes = {0};
        for (int i = 0; i < last->count; i++)
          if (last->items[i].type == C_STR) sbuf_addn(&bytes, last->items[i].s, last->items[i].len);
        all.s = bytes.s, all.len = bytes.len;
        if (bytes.s) show_text(pt, page_index, font, &all, stack, depth, cc);
      }
    } else if (strcmp(op, "Do") == 0) {
      const json *x = last && last->type == C_NAME ? pdf_get(p, xobjects, sfmt("/%s", last->s)) : NULL;
      if (x && is_name(pdf_get(p, x, "/Subtype"), "/Form"))
        problem(&cc->syntax, "page %d: form XObject /%s (not examined here)", page_index + 1, last->s);
    } else if (strcmp(op, "BI") == 0) {
      /* inline image: skip to EI */
      const unsigned char *s = lx.p;
      while (s + 2 < lx.end && !(is_ws(s[-1]) && s[0] == 'E' && s[1] == 'I' && is_ws(s[2]))) s++;
      lx.p = s + 2 < lx.end ? s + 2 : lx.end;
    }
    ops.n = 0;
  }
  if (depth || overflow)
    problem(&cc->marked, "page %d: %d marked-content sequence(s) not closed", page_index + 1, depth + overflow);
  if (!pt->content.s) sbuf_addn(&pt->content, "", 0);
  if (!pt->artifacts.s) sbuf_addn(&pt->artifacts, "", 0);
}

/* ---- the structure tree -------------------------------------------------- */

typedef struct selem {
  int num;       /* object number */
  char type[40]; /* /S without the slash */
  int parent;    /* element index, -1 under the root */
  int first_child, last_child, next_sibling;
  size_t text_start, text_end; /* span of the tree text */
  int mcids, objrs;
  const json *dict;
} selem;

typedef struct objr {
  int elem;  /* element index */
  int annot; /* annotation object number */
  int page;  /* /Pg object number */
} objr;

typedef struct tagged {
  pdf *p;
  page_text *pages;
  content_check cc;
  selem *e;
  int n;
  objr *objrs;
  int nobjr;
  sbuf text;     /* the tree's text, depth first */
  char *visited; /* by object number */
  problems tree;    /* the tree itself */
  problems parents; /* (b): ParentTree, StructParents */
  problems links;   /* annotations and OBJRs */
} tagged;

static int page_index_of(const tagged *t, int num) {
  for (int i = 0; i < t->p->npages; i++)
    if (t->p->pages[i] == num) return i;
  return -1;
}

static void claim_mcid(tagged *t, int ei, int page, int mcid) {
  int pi = page_index_of(t, page);
  if (pi < 0) {
    problem(&t->tree, "%s element %d: /Pg %d is not a page", t->e[ei].type, t->e[ei].num, page);
    return;
  }
  page_text *pt = &t->pages[pi];
  if (mcid < 0 || mcid >= pt->nmcid || !pt->seen[mcid]) {
    problem(&t->tree, "%s element %d lists MCID %d on page %d, which that page's content does not have",
            t->e[ei].type, t->e[ei].num, mcid, pi + 1);
    return;
  }
  if (pt->owner[mcid] >= 0) {
    problem(&t->tree, "MCID %d on page %d is listed by elements %d and %d", mcid, pi + 1,
            t->e[pt->owner[mcid]].num, t->e[ei].num);
    return;
  }
  pt->owner[mcid] = ei;
  t->e[ei].mcids++;
  if (pt->by_mcid[mcid].s) sbuf_add(&t->text, pt->by_mcid[mcid].s);
}

static void walk_elem(tagged *t, const json *ref, int parent, int depth);

static void walk_kid(tagged *t, int ei, const json *kid, int depth) {
  const pdf *p = t->p;
  if (kid->type == JSON_NUMBER) {
    int pg = ref_num(json_get(t->e[ei].dict, "/Pg"));
    if (pg < 0) problem(&t->tree, "%s element %d has an MCID but no /Pg", t->e[ei].type, t->e[ei].num);
    else claim_mcid(t, ei, pg, (int)kid->number);
    return;
  }
  const json *kd = pdf_deref(p, kid);
  if (!kd || kd->type != JSON_OBJECT) {
    problem(&t->tree, "%s element %d: a kid that is neither an MCID nor a dictionary", t->e[ei].type, t->e[ei].num);
    return;
  }
  const json *type = pdf_get(p, kd, "/Type");
  if (is_name(type, "/MCR")) {
    int pg = ref_num(json_get(kd, "/Pg"));
    if (pg < 0) pg = ref_num(json_get(t->e[ei].dict, "/Pg"));
    const json *mcid = pdf_get(p, kd, "/MCID");
    if (pg < 0 || !is_int(mcid)) problem(&t->tree, "element %d: MCR without /Pg or /MCID", t->e[ei].num);
    else claim_mcid(t, ei, pg, (int)mcid->number);
  } else if (is_name(type, "/OBJR")) {
    t->objrs = xgrow(t->objrs, sizeof *t->objrs * (size_t)(t->nobjr + 1));
    objr *o = &t->objrs[t->nobjr++];
    o->elem = ei;
    o->annot = ref_num(json_get(kd, "/Obj"));
    o->page = ref_num(json_get(kd, "/Pg"));
    if (o->page < 0) o->page = ref_num(json_get(t->e[ei].dict, "/Pg"));
    t->e[ei].objrs++;
  } else if (json_get(kd, "/S")) {
    walk_elem(t, kid, ei, depth + 1);
  } else {
    problem(&t->tree, "%s element %d: a kid dictionary that is no MCR, OBJR or element", t->e[ei].type, t->e[ei].num);
  }
}

static void walk_kids(tagged *t, int ei, const json *k, int depth) {
  if (!k) return;
  const json *arr = pdf_deref(t->p, k);
  if (arr && arr->type == JSON_ARRAY) {
    for (int i = 0; i < arr->count; i++) walk_kid(t, ei, &arr->items[i], depth);
  } else {
    walk_kid(t, ei, k, depth);
  }
}

static void walk_elem(tagged *t, const json *ref, int parent, int depth) {
  const pdf *p = t->p;
  int num = ref_num(ref);
  const char *ptype = parent >= 0 ? t->e[parent].type : "StructTreeRoot";
  if (num < 0) {
    problem(&t->tree, "a kid of %s is a direct element (the ParentTree cannot point at it)", ptype);
    return;
  }
  if (depth > 200) {
    problem(&t->tree, "structure tree deeper than 200");
    return;
  }
  if (t->visited[num]++) {
    problem(&t->tree, "element %d is reached twice", num);
    return;
  }
  const json *d = pdf_deref(p, ref);
  const json *s = pdf_get(p, d, "/S");
  if (!s || s->type != JSON_STRING || s->string[0] != '/') {
    problem(&t->tree, "element %d has no /S", num);
    return;
  }
  t->e = xgrow(t->e, sizeof *t->e * (size_t)(t->n + 1));
  int ei = t->n++;
  selem *e = &t->e[ei];
  memset(e, 0, sizeof *e);
  e->num = num;
  snprintf(e->type, sizeof e->type, "%s", s->string + 1);
  e->parent = parent;
  e->first_child = e->last_child = e->next_sibling = -1;
  e->dict = d;
  if (parent >= 0) {
    if (t->e[parent].last_child >= 0) t->e[t->e[parent].last_child].next_sibling = ei;
    else t->e[parent].first_child = ei;
    t->e[parent].last_child = ei;
  }
  int want_parent = parent >= 0 ? t->e[parent].num : ref_num(pdf_get_raw(p, t->p->catalog, "/StructTreeRoot"));
  if (ref_num(json_get(d, "/P")) != want_parent)
    problem(&t->tree, "%s element %d: /P is not its parent %s %d", e->type, num, ptype, want_parent);
  e->text_start = t->text.len;
  walk_kids(t, ei, json_get(d, "/K"), depth);
  t->e[ei].text_end = t->text.len;
}

/* A number tree's value for key (as written), NULL when absent. */
static const json *numtree_get(const pdf *p, const json *node, int key, int depth) {
  node = pdf_deref(p, node);
  if (!node || node->type != JSON_OBJECT || depth > 32) return NULL;
  const json *nums = pdf_get(p, node, "/Nums");
  if (nums && nums->type == JSON_ARRAY)
    for (int i = 0; i + 1 < nums->count; i += 2)
      if (is_int(&nums->items[i]) && (int)nums->items[i].number == key) return &nums->items[i + 1];
  const json *kids = pdf_get(p, node, "/Kids");
  if (kids && kids->type == JSON_ARRAY)
    for (int i = 0; i < kids->count; i++) {
      const json *limits = pdf_get(p, &kids->items[i], "/Limits");
      if (limits && limits->type == JSON_ARRAY && limits->count == 2 &&
          (key < limits->items[0].number || key > limits->items[1].number))
        continue;
      const json *v = numtree_get(p, &kids->items[i], key, depth + 1);
      if (v) return v;
    }
  return NULL;
}

static const char *elem_text(const tagged *t, int ei) {
  return xstrndup(t->text.s + t->e[ei].text_start, t->e[ei].text_end - t->e[ei].text_start);
}

/* Reads a tagged PDF: every page's content, the structure tree, the
 * ParentTree and the annotations' places in it. Asserts only what the
 * rest cannot do without (a catalog with a StructTreeRoot); everything
 * else goes into the problem lists. */
static tagged *read_tagged(const char *path) {
  tagged *t = xmalloc(sizeof *t);
  memset(t, 0, sizeof *t);
  pdf *p = t->p = pdf_load(path);
  t->pages = xmalloc(sizeof *t->pages * (size_t)p->npages);
  for (int i = 0; i < p->npages; i++) read_page(p, i, &t->pages[i], &t->cc);
  t->visited = xmalloc((size_t)p->max + 1);
  memset(t->visited, 0, (size_t)p->max + 1);
  sbuf_addn(&t->text, "", 0);
  const json *root = pdf_get(p, p->catalog, "/StructTreeRoot");
  ck_assert_msg(root && root->type == JSON_OBJECT, "%s: the catalog has no /StructTreeRoot", path);
  if (!is_name(pdf_get(p, root, "/Type"), "/StructTreeRoot"))
    problem(&t->tree, "the StructTreeRoot has no /Type /StructTreeRoot");
  const json *k = json_get(root, "/K");
  ck_assert_msg(k != NULL, "%s: the StructTreeRoot has no /K", path);
  const json *arr = pdf_deref(p, k);
  if (arr && arr->type == JSON_ARRAY)
    for (int i = 0; i < arr->count; i++) walk_elem(t, &arr->items[i], -1, 0);
  else walk_elem(t, k, -1, 0);

  /* every MCID in the content belongs to an element */
  for (int i = 0; i < p->npages; i++)
    for (int m = 0; m < t->pages[i].nmcid; m++)
      if (t->pages[i].seen[m] && t->pages[i].owner[m] < 0)
        problem(&t->tree, "MCID %d on page %d is in no structure element", m, i + 1);

  /* (b) ParentTree: page i's /StructParents n maps MCID m to its element */
  const json *ptree = pdf_get_raw(p, root, "/ParentTree");
  if (!ptree) problem(&t->parents, "the StructTreeRoot has no /ParentTree");
  const json *next_key = pdf_get(p, root, "/ParentTreeNextKey");
  for (int i = 0; ptree && i < p->npages; i++) {
    page_text *pt = &t->pages[i];
    const json *page = page_dict(p, pt->num);
    const json *sp = pdf_get(p, page, "/StructParents");
    if (pt->nmcid == 0) continue;
    if (!is_int(sp)) {
      problem(&t->parents, "page %d has marked content but no /StructParents", i + 1);
      continue;
    }
    if (is_int(next_key) && sp->number >= next_key->number)
      problem(&t->parents, "page %d: /StructParents %d is not below /ParentTreeNextKey %d", i + 1, (int)sp->number,
              (int)next_key->number);
    const json *entry = pdf_deref(p, numtree_get(p, ptree, (int)sp->number, 0));
    if (!entry || entry->type != JSON_ARRAY) {
      problem(&t->parents, "page %d: ParentTree[%d] is not an array", i + 1, (int)sp->number);
      continue;
    }
    for (int m = 0; m < pt->nmcid; m++) {
      if (!pt->seen[m]) continue;
      int want = pt->owner[m] >= 0 ? t->e[pt->owner[m]].num : -2;
      int got = m < entry->count ? ref_num(&entry->items[m]) : -1;
      if (got != want)
        problem(&t->parents, "page %d: ParentTree[%d][%d] is %d, the element listing MCID %d is %d", i + 1,
                (int)sp->number, m, got, m, want);
    }
  }

  /* the number tree's keys ascend, each used once, all below NextKey;
   * pages and annotations never share a key */
  const json *nums = pdf_get(p, ptree, "/Nums");
  if (nums && nums->type == JSON_ARRAY) {
    for (int i = 0; i + 1 < nums->count; i += 2) {
      if (!is_int(&nums->items[i])) problem(&t->parents, "ParentTree key %d is not an integer", i / 2);
      else if (i >= 2 && nums->items[i].number <= nums->items[i - 2].number)
        problem(&t->parents, "ParentTree keys do not ascend: %g after %g", nums->items[i].number,
                nums->items[i - 2].number);
      if (is_int(next_key) && nums->items[i].number >= next_key->number)
        problem(&t->parents, "ParentTree key %g is not below /ParentTreeNextKey %g", nums->items[i].number,
                next_key->number);
    }
  } else if (ptree && !pdf_get(p, ptree, "/Kids")) {
    problem(&t->parents, "the ParentTree has neither /Nums nor /Kids");
  }
  if (ptree && !is_int(next_key)) problem(&t->parents, "the StructTreeRoot has no /ParentTreeNextKey");
  int *keys = NULL, nkeys = 0;
  for (int i = 0; i < p->npages; i++) {
    const json *page = page_dict(p, p->pages[i]);
    const json *sp = pdf_get(p, page, "/StructParents");
    if (is_int(sp)) keys = xgrow(keys, sizeof *keys * (size_t)(nkeys + 1)), keys[nkeys++] = (int)sp->number;
    const json *annots = pdf_get(p, page, "/Annots");
    for (int a = 0; annots && annots->type == JSON_ARRAY && a < annots->count; a++) {
      const json *ap = pdf_get(p, &annots->items[a], "/StructParent");
      if (is_int(ap)) keys = xgrow(keys, sizeof *keys * (size_t)(nkeys + 1)), keys[nkeys++] = (int)ap->number;
    }
  }
  for (int i = 0; i < nkeys; i++)
    for (int j = i + 1; j < nkeys; j++)
      if (keys[i] == keys[j]) problem(&t->parents, "ParentTree key %d is used by two pages or annotations", keys[i]);

  /* annotations: every Link annotation is in the tree through an OBJR of
   * a Link element, and its /StructParent leads back to that element */
  for (int i = 0; i < p->npages; i++) {
    const json *annots = pdf_get(p, page_dict(p, p->pages[i]), "/Annots");
    if (!annots || annots->type != JSON_ARRAY) continue;
    for (int a = 0; a < annots->count; a++) {
      int anum = ref_num(&annots->items[a]);
      const json *annot = pdf_deref(p, &annots->items[a]);
      if (!is_name(pdf_get(p, annot, "/Subtype"), "/Link")) continue;
      int owner = -1;
      for (int o = 0; o < t->nobjr; o++)
        if (t->objrs[o].annot == anum) owner = t->objrs[o].elem;
      if (owner < 0) {
        problem(&t->links, "page %d: Link annotation %d is in no OBJR of the structure tree", i + 1, anum);
        continue;
      }
      const json *sp = pdf_get(p, annot, "/StructParent");
      if (!is_int(sp)) {
        problem(&t->links, "page %d: Link annotation %d has no /StructParent", i + 1, anum);
        continue;
      }
      int got = ref_num(numtree_get(p, ptree, (int)sp->number, 0));
      if (got != t->e[owner].num)
        problem(&t->links, "Link annotation %d: ParentTree[%d] is %d, not its element %d", anum, (int)sp->number, got,
                t->e[owner].num);
    }
  }
  for (int o = 0; o < t->nobjr; o++) {
    const objr *r = &t->objrs[o];
    char ref[32];
    snprintf(ref, sizeof ref, "%d 0 R", r->annot);
    json tmp = {.type = JSON_STRING, .string = ref};
    const json *annot = r->annot >= 0 ? pdf_deref(p, &tmp) : NULL;
    if (!annot || annot->type != JSON_OBJECT) {
      problem(&t->links, "OBJR of element %d points at no object", t->e[r->elem].num);
      continue;
    }
    int pi = page_index_of(t, r->page);
    const json *annots = pi >= 0 ? pdf_get(p, page_dict(p, r->page), "/Annots") : NULL;
    int on_page = 0;
    for (int a = 0; annots && annots->type == JSON_ARRAY && a < annots->count; a++)
      on_page |= ref_num(&annots->items[a]) == r->annot;
    if (!on_page) problem(&t->links, "OBJR: annotation %d is not in the /Annots of its /Pg %d", r->annot, r->page);
  }
  return t;
}

/* ---- expectations from the content XML ----------------------------------- */

static int section_depth(xmlNodePtr n) {
  int d = 0;
  for (xmlNodePtr p = n->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
    if (xml_is(p, "section") || xml_is(p, "process-area")) d++; /* an area is a section */
  return d;
}

/* Element children other than inline formatting (b, i, br). */
static int has_special_children(xmlNodePtr n) {
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (xml_is(c, "b") || xml_is(c, "i") || xml_is(c, "br")) {
      if (has_special_children(c)) return 1;
      continue;
    }
    return 1;
  }
  return 0;
}

/* What of a heading's text is printed as written (skeleton): all of it,
 * or what comes before a <num> or <placeholder>. */
static const char *heading_key(xmlNodePtr h) {
  if (!has_special_children(h)) return skeleton(xml_text(h));
  sbuf b = {0};
  sbuf_addn(&b, "", 0);
  for (xmlNodePtr c = h->children; c && (c->type == XML_TEXT_NODE || xml_is(c, "b") || xml_is(c, "i")); c = c->next) {
    if (c->type == XML_TEXT_NODE) sbuf_add(&b, (const char *)c->content);
    else if (!has_special_children(c)) sbuf_add(&b, xml_text(c));
    else break;
  }
  return skeleton(b.s);
}

static int count_elems(const tagged *t, const char *type) {
  int n = 0;
  for (int i = 0; i < t->n; i++) n += strcmp(t->e[i].type, type) == 0;
  return n;
}

static int is_type(const tagged *t, int ei, const char *type) { return ei >= 0 && strcmp(t->e[ei].type, type) == 0; }

static int type_in(const char *type, const char *list) {
  size_t l = strlen(type);
  for (const char *p = list; *p;) {
    const char *e = strchr(p, '|');
    size_t k = e ? (size_t)(e - p) : strlen(p);
    if (k == l && memcmp(p, type, l) == 0) return 1;
    p += k + (e ? 1 : 0);
  }
  return 0;
}

static const char *standard_types =
    "Document|Part|Art|Sect|Div|BlockQuote|Caption|TOC|TOCI|Index|NonStruct|Private|P|H|H1|H2|H3|H4|H5|H6|L|LI|"
    "Lbl|LBody|Table|TR|TH|TD|THead|TBody|TFoot|Span|Quote|Note|Reference|BibEntry|Code|Link|Annot|Ruby|RB|RT|RP|"
    "Warichu|WT|WP|Figure|Formula|Form";

/* The table attribute object of an element: /A as a dictionary or an
 * array of them, the one with /O /Table. */
static const json *table_attrs(const pdf *p, const json *elem) {
  const json *a = pdf_get(p, elem, "/A");
  if (!a) return NULL;
  if (a->type == JSON_OBJECT) return is_name(pdf_get(p, a, "/O"), "/Table") ? a : NULL;
  if (a->type == JSON_ARRAY)
    for (int i = 0; i < a->count; i++) {
      const json *d = pdf_deref(p, &a->items[i]);
      if (d && d->type == JSON_OBJECT && is_name(pdf_get(p, d, "/O"), "/Table")) return d;
    }
  return NULL;
}

static int span_of(const pdf *p, const json *attrs, const char *key) {
  const json *v = attrs ? pdf_get(p, attrs, key) : NULL;
  return is_int(v) ? (int)v->number : 1;
}

static int xml_int_attr(xmlNodePtr n, const char *name, int dflt) {
  char *v = xml_attr(n, name);
  return v ? atoi(v) : dflt;
}

static xmlDocPtr xmp_of(const pdf *p);
static xmlNodePtr find_ns(xmlNodePtr n, const char *ns, const char *local);
static const char *node_text(xmlNodePtr n);

/* Whether the file claims PDF/A-1 level A, which allows only PDF 1.4's
 * structure types: rows straight under Table, no THead/TBody/TFoot. */
static int claims_pdfa1_level_a(const pdf *p) {
  if (!pdf_get_raw(p, p->catalog, "/Metadata")) return 0;
  xmlDocPtr x = xmp_of(p);
  xmlNodePtr root = xmlDocGetRootElement(x);
  const char *part = node_text(find_ns(root, "http://www.aiim.org/pdfa/ns/id/", "part"));
  const char *level = node_text(find_ns(root, "http://www.aiim.org/pdfa/ns/id/", "conformance"));
  xmlFreeDoc(x);
  return part && level && strcmp(part, "1") == 0 && strcmp(level, "A") == 0;
}

/* (e) The element types against the content: headings, lists, tables, the
 * table of contents; and the standard types. */
static void check_roles(const tagged *t, xmlNodePtr body, problems *pr) {
  const pdf *p = t->p;
  const json *rolemap = pdf_get(p, pdf_get(p, p->catalog, "/StructTreeRoot"), "/RoleMap");
  for (int i = 0; i < t->n; i++)
    if (!type_in(t->e[i].type, standard_types) && !pdf_get(p, rolemap, sfmt("/%s", t->e[i].type)))
      problem(pr, "element %d: /S /%s is neither standard nor in the RoleMap", t->e[i].num, t->e[i].type);

  /* headings: H1-H3 by section depth, in order, with the heading's text
   * (a template may number them: "2.1 Ekonomi"); the document's title
   * (in the title block's Div) and the TOC's are headings of their own */
  int nh;
  xmlNodePtr *hs = xml_find_all(body, "heading", &nh);
  /* Domain blocks, summaries and legends are expanded into headings,
   * tables and rows the content does not spell out: for such content the
   * element counts below are not the content's (the domain and samples
   * suites check the generated parts); the structure rules still apply. */
  int ngenerated;
  xml_find_all(body, "process-area|process-goal|commitment|indicators|risk|assignments|summary|legend", &ngenerated);
  int generated = ngenerated > 0;
  int k = 0;
  for (int i = 0; i < t->n; i++) {
    if (!type_in(t->e[i].type, "H|H1|H2|H3|H4|H5|H6")) continue;
    if (generated) {
      k++;
      continue;
    }
    if (is_type(t, t->e[i].parent, "Div") || is_type(t, t->e[i].parent, "TOC")) {
      if (!is_type(t, i, "H1")) problem(pr, "title heading \"%.60s\" is %s, want H1", elem_text(t, i), t->e[i].type);
      continue;
    }
    if (k >= nh) {
      problem(pr, "heading element %s \"%.60s\" more than the content's %d headings", t->e[i].type,
              elem_text(t, i), nh);
      k++;
      continue;
    }
    int level = section_depth(hs[k]);
    if (level < 1) level = 1;
    char want[4];
    snprintf(want, sizeof want, "H%d", level > 3 ? 3 : level);
    const char *got_text = skeleton(elem_text(t, i)), *want_text = skeleton(xml_text(hs[k]));
    if (strcmp(t->e[i].type, want) != 0)
      problem(pr, "heading \"%s\" is %s, want %s", xml_text(hs[k]), t->e[i].type, want);
    if (!has_special_children(hs[k])) {
      int ok = ends_with(got_text, want_text);
      for (size_t c = 0; ok && c < strlen(got_text) - strlen(want_text); c++)
        ok = (got_text[c] >= '0' && got_text[c] <= '9') || got_text[c] == '.';
      if (!ok) problem(pr, "heading %d: element text \"%s\", content \"%s\"", k + 1, got_text, want_text);
    }
    if (!has_special_children(hs[k]) && !strstr(skeleton(t->text.s), want_text))
      problem(pr, "the tree's text lacks the heading \"%s\"", xml_text(hs[k]));
    k++;
  }
  if (generated ? k < nh : k != nh)
    problem(pr, "%d heading elements (H1-H3), the content has %d headings", k, nh);

  /* lists: L holds LI, LI holds one Lbl and then one LBody */
  int nli;
  xml_find_all(body, "li", &nli);
  if (count_elems(t, "LI") != nli) problem(pr, "%d LI elements, the content has %d <li>", count_elems(t, "LI"), nli);
  int nlists;
  xml_find_all(body, "ul|ol", &nlists);
  if (count_elems(t, "L") != nlists)
    problem(pr, "%d L elements, the content has %d <ul>/<ol>", count_elems(t, "L"), nlists);
  for (int i = 0; i < t->n; i++) {
    const selem *e = &t->e[i];
    if (strcmp(e->type, "L") == 0) {
      for (int c = e->first_child; c >= 0; c = t->e[c].next_sibling)
        if (!type_in(t->e[c].type, "LI|Caption")) problem(pr, "L element %d has a %s kid", e->num, t->e[c].type);
    } else if (strcmp(e->type, "LI") == 0) {
      int lbl = 0, lbody = 0, order_ok = 1;
      if (!is_type(t, e->parent, "L")) problem(pr, "LI element %d is not in an L", e->num);
      for (int c = e->first_child; c >= 0; c = t->e[c].next_sibling) {
        if (strcmp(t->e[c].type, "Lbl") == 0) lbl++, order_ok &= lbody == 0;
        else if (strcmp(t->e[c].type, "LBody") == 0) lbody++;
        else problem(pr, "LI element %d has a %s kid", e->num, t->e[c].type);
      }
      if (lbl != 1 || lbody != 1 || !order_ok)
        problem(pr, "LI element %d \"%.40s\": %d Lbl, %d LBody (want one Lbl, then one LBody)", e->num,
                elem_text(t, i), lbl, lbody);
      if (e->mcids) problem(pr, "LI element %d has content of its own, outside Lbl/LBody", e->num);
    } else if (type_in(e->type, "Lbl|LBody") && !is_type(t, e->parent, "LI")) {
      problem(pr, "%s element %d is not in an LI", e->type, e->num);
    }
  }

  /* tables */
  int ntables;
  xml_find_all(body, "table", &ntables);
  if (generated ? count_elems(t, "Table") < ntables : count_elems(t, "Table") != ntables)
    problem(pr, "%d Table elements, the content has %d tables", count_elems(t, "Table"), ntables);
  int nrows;
  xml_find_all(body, "row", &nrows);
  if (generated ? count_elems(t, "TR") < nrows : count_elems(t, "TR") != nrows) problem(pr, "%d TR elements, the content has %d rows", count_elems(t, "TR"), nrows);
  static const char *const groups[][2] = {{"thead", "THead"}, {"tbody", "TBody"}, {"tfoot", "TFoot"}};
  int level_a1 = claims_pdfa1_level_a(p);
  for (int g = 0; g < 3; g++) {
    int n;
    xml_find_all(body, groups[g][0], &n);
    if (level_a1) n = 0; /* PDF 1.4 has no row groups */
    if (generated ? count_elems(t, groups[g][1]) < n : count_elems(t, groups[g][1]) != n)
      problem(pr, "%d %s elements, the content has %d <%s>", count_elems(t, groups[g][1]), groups[g][1], n,
              groups[g][0]);
  }
  int ncells;
  xmlNodePtr *cells = xml_find_all(body, "cell", &ncells);
  int c = 0;
  for (int i = 0; i < t->n; i++) {
    const selem *e = &t->e[i];
    if (strcmp(e->type, "Table") == 0) {
      /* ISO 32000-1, 14.8.4.3.4: rows or row groups, and a Caption as the
       * first or the last kid */
      int captions = 0;
      for (int k2 = e->first_child; k2 >= 0; k2 = t->e[k2].next_sibling) {
        if (!type_in(t->e[k2].type, "Caption|THead|TBody|TFoot|TR"))
          problem(pr, "Table element %d has a %s kid \"%.40s\"", e->num, t->e[k2].type, elem_text(t, k2));
        if (is_type(t, k2, "Caption")) {
          captions++;
          if (k2 != e->first_child && k2 != e->last_child)
            problem(pr, "Table element %d: its Caption is neither the first nor the last kid", e->num);
        }
      }
      if (captions > 1) problem(pr, "Table element %d has %d Caption kids", e->num, captions);
    } else if (type_in(e->type, "THead|TBody|TFoot")) {
      if (!is_type(t, e->parent, "Table")) problem(pr, "%s element %d is not in a Table", e->type, e->num);
      for (int k2 = e->first_child; k2 >= 0; k2 = t->e[k2].next_sibling)
        if (!is_type(t, k2, "TR")) problem(pr, "%s element %d has a %s kid", e->type, e->num, t->e[k2].type);
    } else if (strcmp(e->type, "TR") == 0) {
      if (e->parent < 0 || !type_in(t->e[e->parent].type, "Table|THead|TBody|TFoot"))
        problem(pr, "TR element %d is not in a table", e->num);
      for (int k2 = e->first_child; k2 >= 0; k2 = t->e[k2].next_sibling)
        if (!type_in(t->e[k2].type, "TH|TD")) problem(pr, "TR element %d has a %s kid", e->num, t->e[k2].type);
    } else if (type_in(e->type, "TH|TD")) {
      if (!is_type(t, e->parent, "TR")) problem(pr, "%s element %d is not in a TR", e->type, e->num);
      const json *attrs = table_attrs(p, e->dict);
      int th = strcmp(e->type, "TH") == 0;
      const json *scope = attrs ? pdf_get(p, attrs, "/Scope") : NULL;
      if (th && !(is_name(scope, "/Column") || is_name(scope, "/Row") || is_name(scope, "/Both")))
        problem(pr, "TH element %d \"%.40s\" has no /A << /O /Table /Scope ... >>", e->num, elem_text(t, i));
      if (generated) continue; /* generated cells do not follow the content's */
      if (c >= ncells) {
        problem(pr, "more cell elements than the content's %d cells", ncells);
        c++;
        continue;
      }
      xmlNodePtr cell = cells[c++];
      char *header = xml_attr(cell, "header");
      int in_thead = cell->parent && xml_is(cell->parent->parent, "thead");
      char *row_role = cell->parent ? xml_attr(cell->parent, "role") : NULL;
      int in_group = row_role && strcmp(row_role, "group") == 0; /* a heading of the rows below */
      int want_th = header ? strcmp(header, "no") != 0 : in_thead || in_group;
      const char *want_scope =
          (header && strcmp(header, "row") == 0) || (!header && !in_thead && in_group) ? "/Row" : "/Column";
      int colspan = xml_int_attr(cell, "colspan", 1), rowspan = xml_int_attr(cell, "rowspan", 1);
      const char *what = sfmt("cell %d (\"%.40s\")", c, xml_text(cell));
      if (th != want_th) problem(pr, "%s is %s, want %s", what, e->type, want_th ? "TH" : "TD");
      if (th && want_th && !is_name(scope, want_scope))
        problem(pr, "%s: /Scope %s, want %s", what, scope && scope->type == JSON_STRING ? scope->string : "none",
                want_scope);
      if (span_of(p, attrs, "/ColSpan") != colspan)
        problem(pr, "%s: /ColSpan %d, want %d", what, span_of(p, attrs, "/ColSpan"), colspan);
      if (span_of(p, attrs, "/RowSpan") != rowspan)
        problem(pr, "%s: /RowSpan %d, want %d", what, span_of(p, attrs, "/RowSpan"), rowspan);
      if (!has_special_children(cell) && strcmp(skeleton(elem_text(t, i)), skeleton(xml_text(cell))) != 0)
        problem(pr, "%s: element text \"%.60s\"", what, elem_text(t, i));
    }
  }
  if (!generated && c != ncells) problem(pr, "%d TH/TD elements, the content has %d cells", c, ncells);

  /* table of contents: TOC holds TOCI, each with a Link (OBJR to its
   * annotation; the annotation side is checked in read_tagged) */
  int ntoc;
  xml_find_all(body, "toc", &ntoc);
  if (count_elems(t, "TOC") != ntoc) problem(pr, "%d TOC elements, the content has %d <toc>", count_elems(t, "TOC"), ntoc);
  if (ntoc && count_elems(t, "TOCI") == 0) problem(pr, "a TOC without TOCI elements");
  for (int i = 0; i < t->n; i++) {
    const selem *e = &t->e[i];
    if (strcmp(e->type, "TOCI") == 0) {
      if (!is_type(t, e->parent, "TOC")) problem(pr, "TOCI element %d is not in a TOC", e->num);
      /* an entry that wraps has a link annotation per line: a Link
       * element each is allowed */
      int links = 0;
      for (int k2 = e->first_child; k2 >= 0; k2 = t->e[k2].next_sibling)
        if (strcmp(t->e[k2].type, "Link") == 0) links++;
      if (links < 1) problem(pr, "TOCI element %d \"%.40s\" has no Link element", e->num, elem_text(t, i));
      const char *txt = skeleton(elem_text(t, i));
      int found = 0;
      for (int h = 0; h < nh && !found; h++) found = strstr(txt, heading_key(hs[h])) != NULL;
      if (!found) problem(pr, "TOCI element %d \"%.60s\" names no heading of the content", e->num, txt);
    } else if (strcmp(e->type, "Link") == 0) {
      for (int o = 0; o < t->nobjr; o++) {
        if (t->objrs[o].elem != i) continue;
        char ref[32];
        snprintf(ref, sizeof ref, "%d 0 R", t->objrs[o].annot);
        json tmp = {.type = JSON_STRING, .string = ref};
        const json *annot = pdf_deref(p, &tmp);
        if (!is_name(pdf_get(p, annot, "/Subtype"), "/Link") || !is_int(pdf_get(p, annot, "/StructParent")))
          problem(pr, "Link element %d: OBJR to %d, which is no Link annotation with /StructParent", e->num,
                  t->objrs[o].annot);
      }
      if (!e->objrs) problem(pr, "Link element %d has no OBJR", e->num);
    } else if (e->objrs) {
      problem(pr, "%s element %d has an OBJR (annotations belong in Link elements)", e->type, e->num);
    }
  }
}

/* Where two strings first differ, for messages. */
static const char *first_difference(const char *a, const char *b) {
  size_t i = 0;
  while (a[i] && a[i] == b[i]) i++;
  while (i > 0 && (((unsigned char)a[i] & 0xC0) == 0x80)) i--;
  size_t from = i > 40 ? i - 40 : 0;
  while (from > 0 && (((unsigned char)a[from] & 0xC0) == 0x80)) from--;
  return sfmt("at character %zu: tree \"%.80s\" vs pages \"%.80s\" (lengths %zu, %zu)", i, a + from, b + from,
              strlen(a), strlen(b));
}

/* NULL when the text of the tree, depth first, is the text of the pages
 * in content order without artifacts (white space aside); else where
 * they part. */
static const char *text_difference(const tagged *t) {
  sbuf pages = {0};
  sbuf_addn(&pages, "", 0);
  for (int i = 0; i < t->p->npages; i++) sbuf_add(&pages, t->pages[i].content.s);
  const char *tree_text = strip_ws(t->text.s), *page_text = strip_ws(pages.s);
  return strcmp(tree_text, page_text) == 0 ? NULL : first_difference(tree_text, page_text);
}

/* Every check of a tagged PDF made from content: (a) catalog, (b) parent
 * tree, (c) marked text, (d) text of the tree, (e) element types, and the
 * running header/footer as artifacts ("Sida N av M" on every page). */
static void check_tagged_pdf(const char *pdf_path, const char *xml_path, const char *label) {
  tagged *t = read_tagged(pdf_path);
  const pdf *p = t->p;

  /* (a) the catalog */
  ck_assert_msg(pdf_get(p, p->catalog, "/StructTreeRoot") != NULL, "%s: no /StructTreeRoot", label);
  const json *mark = pdf_get(p, p->catalog, "/MarkInfo");
  ck_assert_msg(mark && pdf_get(p, mark, "/Marked") && pdf_get(p, mark, "/Marked")->type == JSON_BOOL &&
                    pdf_get(p, mark, "/Marked")->number == 1,
                "%s: no /MarkInfo << /Marked true >>", label);
  xmlDocPtr doc = xml_load(xml_path);
  xmlNodePtr report = xmlDocGetRootElement(doc);
  const char *lang = xml_attr(report, "lang");
  xmlNodePtr meta_lang = xml_child(xml_child(report, "meta"), "language");
  if (meta_lang) lang = xml_text(meta_lang);
  if (!lang) lang = "sv-SE";
  const char *got_lang = json_pdf_string(pdf_get(p, p->catalog, "/Lang"));
  ck_assert_msg(got_lang && strcmp(got_lang, lang) == 0, "%s: catalog /Lang %s, want %s", label,
                got_lang ? got_lang : "(none)", lang);
  const json *prefs = pdf_get(p, p->catalog, "/ViewerPreferences");
  const json *ddt = pdf_get(p, prefs, "/DisplayDocTitle");
  ck_assert_msg(ddt && ddt->type == JSON_BOOL && ddt->number == 1,
                "%s: no /ViewerPreferences << /DisplayDocTitle true >>", label);

  assert_no_problems(&t->cc.syntax, "%s: page content", label);
  assert_no_problems(&t->tree, "%s: structure tree", label);
  /* (b) */
  assert_no_problems(&t->parents, "%s: ParentTree and /StructParents", label);
  assert_no_problems(&t->links, "%s: link annotations in the tree", label);
  /* (c) */
  assert_no_problems(&t->cc.marked, "%s: marked content", label);
  assert_no_problems(&t->cc.glyphs, "%s: ToUnicode", label);
  if (getenv("ARCHIVE_DEBUG"))
    printf("%s: %d pages, %d elements, %zu bytes of tree text, %d OBJR\n", label, p->npages, t->n, t->text.len,
           t->nobjr);
  ck_assert_msg(t->n > 0 && strcmp(t->e[0].type, "Document") == 0, "%s: the tree does not start with a Document",
                label);

  /* (d) the tree's text is the pages' text without artifacts */
  const char *tree_text = strip_ws(t->text.s);
  ck_assert_msg(strlen(tree_text) > 100, "%s: the tree holds almost no text (%zu bytes)", label, strlen(tree_text));
  const char *diff = text_difference(t);
  ck_assert_msg(diff == NULL, "%s: the tree's text in order differs from the pages' text, %s", label, diff);

  /* running header and footer: artifacts, never in the tree */
  for (int i = 0; i < p->npages; i++) {
    const char *folio = sfmt("Sida%dav%d", i + 1, p->npages);
    ck_assert_msg(strstr(strip_ws(t->pages[i].artifacts.s), folio) != NULL,
                  "%s: page %d has no artifact \"Sida %d av %d\" (artifacts: \"%.200s\")", label, i + 1, i + 1,
                  p->npages, t->pages[i].artifacts.s);
    ck_assert_msg(strstr(tree_text, folio) == NULL, "%s: \"Sida %d av %d\" is in the structure tree", label, i + 1,
                  p->npages);
  }

  /* (e) */
  problems roles = {0};
  check_roles(t, xml_child(report, "body"), &roles);
  assert_no_problems(&roles, "%s: element types", label);
  xmlFreeDoc(doc);
}

/* ---- rendering ------------------------------------------------------------- */

static const char *klassisk(void) { return sfmt("%s/templates/kommun-klassisk.xml", source_root()); }

static const char *render_pdf(const char *in, const char *tpl, const char *out, int pdfa) {
  const char *argv[12];
  int n = 0;
  argv[n++] = bilaga_binary();
  argv[n++] = "render";
  argv[n++] = in;
  argv[n++] = "-o";
  argv[n++] = out;
  if (tpl) argv[n++] = "-t", argv[n++] = tpl;
  if (!pdfa) argv[n++] = "--no-pdfa";
  if (pdfa == 2) argv[n++] = "--pdf=a-1b"; /* level B keeps THead/TBody/TFoot */
  argv[n] = NULL;
  run_result r = run_argv(argv, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "bilaga render %s%s%s: %s", base_name(in), tpl ? " -t " : "",
                tpl ? base_name(tpl) : "", run_describe(&r));
  ck_assert_msg(is_regular_file(out), "bilaga render %s exited 0 without writing %s", in, out);
  return out;
}

/* A sample rendered once per run of the suite (see render_cached). */
static const char *sample_pdf(const char *sample, const char *tpl, int pdfa) {
  return render_cached(sample, tpl, pdfa ? NULL : "--no-pdfa");
}

/* ---- documents the tests write -------------------------------------------- */

static const char *doc_head =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<report xmlns=\"urn:bilaga:content:1\" xml:lang=\"sv-SE\">\n";

/* Tables with spans in the header, nested lists, placeholders, a
 * paragraph in English, three heading levels, a table of contents. */
static const char *doc_features(void) {
  return sfmt(
      "%s"
      "  <meta>\n"
      "    <title>Arkivprov</title>\n"
      "    <board>Testnämnden</board>\n"
      "    <diary-number>TN/2024:7</diary-number>\n"
      "    <bilaga>Bilaga 3</bilaga>\n"
      "    <date>2024-02-29</date>\n"
      "  </meta>\n"
      "  <body>\n"
      "    <toc/>\n"
      "    <section>\n"
      "      <heading>Tabell med spann</heading>\n"
      "      <p>Tabellen har ett tvåradigt huvud.</p>\n"
      "      <table>\n"
      "        <caption>Spann i huvudet</caption>\n"
      "        <columns><column/><column align=\"right\"/><column align=\"right\"/><column/></columns>\n"
      "        <thead>\n"
      "          <row><cell rowspan=\"2\">Område</cell><cell colspan=\"2\">Utfall</cell>"
      "<cell rowspan=\"2\">Kommentar</cell></row>\n"
      "          <row><cell>2023</cell><cell>2024</cell></row>\n"
      "        </thead>\n"
      "        <tbody>\n"
      "          <row><cell header=\"row\">Skola</cell><cell><num decimals=\"1\">12.5</num></cell>"
      "<cell><num>13</num></cell><cell>Ökning</cell></row>\n"
      "          <row><cell header=\"row\">Vård</cell><cell colspan=\"2\">Ej jämförbart</cell>"
      "<cell>Ny metod</cell></row>\n"
      "          <row><cell rowspan=\"2\">Omsorg</cell><cell>1</cell><cell>2</cell><cell>Första</cell></row>\n"
      "          <row><cell>3</cell><cell>4</cell><cell>Andra</cell></row>\n"
      "        </tbody>\n"
      "      </table>\n"
      "    </section>\n"
      "    <section>\n"
      "      <heading>Listor</heading>\n"
      "      <ul>\n"
      "        <li>Första punkten\n"
      "          <ul>\n"
      "            <li>Underpunkt ett</li>\n"
      "            <li>Underpunkt två\n"
      "              <ol><li>Djupast i listan</li></ol>\n"
      "            </li>\n"
      "          </ul>\n"
      "        </li>\n"
      "        <li>Andra punkten</li>\n"
      "      </ul>\n"
      "      <ol start=\"3\">\n"
      "        <li><p>Stycke i en punkt.</p><p>Andra stycket i samma punkt.</p></li>\n"
      "      </ol>\n"
      "    </section>\n"
      "    <section>\n"
      "      <heading>Platshållare och språk</heading>\n"
      "      <p>Bedömning: <symbol family=\"bedömning\" value=\"uppfyllt\"/> enligt plan.</p>\n"
      "      <placeholder kind=\"chart\">Sjukfrånvaro 2022–2024</placeholder>\n"
      "      <p xml:lang=\"en\">This paragraph is written in English.</p>\n"
      "      <section>\n"
      "        <heading>Underavsnitt</heading>\n"
      "        <p>Text på andra nivån.</p>\n"
      "        <section>\n"
      "          <heading>Tredje nivån</heading>\n"
      "          <p>Text på tredje nivån.</p>\n"
      "        </section>\n"
      "      </section>\n"
      "    </section>\n"
      "  </body>\n"
      "</report>\n",
      doc_head);
}

/* Long enough to break paragraphs and a table across pages. */
static const char *doc_long(void) {
  sbuf b = {0};
  sbuf_add(&b, doc_head);
  sbuf_add(&b,
           "  <meta><title>Långt prov</title><board>Testnämnden</board><diary-number>TN/2024:8</diary-number>"
           "<bilaga>Bilaga 4</bilaga></meta>\n  <body>\n    <section>\n      <heading>Många stycken</heading>\n");
  for (int i = 1; i <= 14; i++) {
    sbuf_printf(&b, "      <p>Stycke %d. ", i);
    for (int k = 0; k < 9; k++)
      sbuf_printf(&b, "Nämnden följer upp verksamheten löpande och rapporterar avvikelser nummer %d till "
                      "kommunstyrelsen. ", i * 10 + k);
    sbuf_add(&b, "</p>\n");
  }
  sbuf_add(&b, "    </section>\n    <section>\n      <heading>En lång tabell</heading>\n"
               "      <table>\n        <caption>Rader över flera sidor</caption>\n"
               "        <columns><column/><column align=\"right\"/><column align=\"right\"/></columns>\n"
               "        <thead><row><cell>Enhet</cell><cell>Budget</cell><cell>Utfall</cell></row></thead>\n"
               "        <tbody>\n");
  for (int i = 1; i <= 70; i++)
    sbuf_printf(&b, "          <row><cell>Enhet nummer %d</cell><cell><num>%d</num></cell><cell><num>%d.5</num></cell></row>\n",
                i, 1000 + 37 * i, 990 + 41 * i);
  sbuf_add(&b, "        </tbody>\n      </table>\n    </section>\n  </body>\n</report>\n");
  return b.s;
}

/* A document with no <date>; word replaces "Skola". */
static const char *doc_plain(const char *word) {
  return sfmt("%s"
              "  <meta><title>Utan datum</title><board>Kulturnämnden</board><diary-number>KN 2023/5</diary-number>"
              "</meta>\n"
              "  <body>\n    <section>\n      <heading>Inledning</heading>\n"
              "      <p>Verksamheten inom %s har bedrivits enligt plan under året.</p>\n"
              "    </section>\n  </body>\n</report>\n",
              doc_head, word);
}

static const char *doc_dated(void) {
  return sfmt("%s"
              "  <meta><title>Med datum</title><board>Kulturnämnden</board><date>2022-04-30</date></meta>\n"
              "  <body>\n    <section>\n      <heading>Inledning</heading>\n"
              "      <p>Verksamheten har bedrivits enligt plan.</p>\n"
              "    </section>\n  </body>\n</report>\n",
              doc_head);
}

/* Metadata with characters that need escaping in XML and in PDF strings. */
static const char *meta_title = "Årsrapport & \"uppföljning\" <miljö> 2023 – del 1";
static const char *meta_board = "Miljö- och byggnämnden";
static const char *meta_subject = "Uppföljning av miljömål (delår)";
static const char *meta_keywords = "miljö, bygg, årsrapport";
static const char *meta_diary = "MBN 2023/118";
static const char *meta_author = "Åsa Öberg";

static const char *doc_meta(int with_author) {
  return sfmt("%s"
              "  <meta>\n"
              "    <title>Årsrapport &amp; \"uppföljning\" &lt;miljö&gt; 2023 – del 1</title>\n"
              "    <board>%s</board>\n"
              "    <diary-number>%s</diary-number>\n"
              "    <bilaga>Bilaga 2</bilaga>\n"
              "    <period>2023</period>\n"
              "%s"
              "    <subject>%s</subject>\n"
              "    <keywords>%s</keywords>\n"
              "  </meta>\n"
              "  <body>\n    <section>\n      <heading>Sammanfattning</heading>\n"
              "      <p>Nämnden har nått de flesta av sina mål.</p>\n"
              "    </section>\n  </body>\n</report>\n",
              doc_head, meta_board, meta_diary, with_author ? sfmt("    <author>%s</author>\n", meta_author) : "",
              meta_subject, meta_keywords);
}

static const char *write_doc(const char *dir, const char *name, const char *text) {
  const char *path = sfmt("%s/%s", dir, name);
  write_text(path, text);
  return path;
}

/* ---- 1. pdf-check ------------------------------------------------------------ */

/* Run as the test "archive_pdf_check" (argument pdf-check): every file is
 * rendered once and all go through pdf-check in two starts (archival
 * files with --pdfa --tagged, --no-pdfa files without); each file's
 * verdict lines are then one test. Without pdf-check the program exits 77,
 * which meson reports as skipped. */

static char **samples;
static int nsamples;

START_TEST(test_samples_exist) {
  ck_assert_msg(nsamples >= 3, "expected the samples in %s/samples, found %d", source_root(), nsamples);
}
END_TEST

enum { SMALL_DOCS = 4 };

/* The files pdf-check sees: each sample in both templates, archival and
 * --no-pdfa, and the small documents in both templates. */
static int check_file_count(void) { return nsamples * 4 + SMALL_DOCS * 2; }

static const char *small_doc(int i) {
  static const char *const names[SMALL_DOCS] = {"features.xml", "long.xml", "no-date.xml", "meta.xml"};
  const char *path = sfmt("%s/%s", suite_cache_dir(), names[i]);
  if (is_regular_file(path)) return path;
  const char *text = i == 0 ? doc_features() : i == 1 ? doc_long() : i == 2 ? doc_plain("skolan") : doc_meta(0);
  write_text(path, text);
  return path;
}

/* File i of check_file_count: its PDF (rendered on first use), whether it
 * is archival, and a label. */
static const char *check_file(int i, int *archival, const char **label) {
  int k = i % 2;
  const char *tpl = k ? klassisk() : NULL, *in;
  *archival = 1;
  if (i < nsamples * 2) {
    in = samples[i / 2];
  } else if (i < nsamples * 4) {
    in = samples[(i - nsamples * 2) / 2];
    *archival = 0;
  } else {
    in = small_doc((i - nsamples * 4) / 2);
  }
  *label = sfmt("%s with %s%s", base_name(in), k ? "kommun-klassisk" : "default", *archival ? "" : ", --no-pdfa");
  unsetenv("SOURCE_DATE_EPOCH");
  return sample_pdf(in, tpl, *archival);
}

/* The outputs of the checkers, made by the first test that asks and kept
 * in the suite's cache for the others: pdf-check --tagged on the archival
 * files, pdf-check on the --no-pdfa files (one start each), PDFBox
 * Preflight on the archival files in one Java start. */
static const char *checker_output(const char *which) {
  const char *dir = suite_cache_dir();
  const char *saved = sfmt("%s/%s.out", dir, which);
  if (!is_regular_file(saved)) {
    int n = check_file_count(), na = 0, np = 0;
    const char **a = xmalloc(sizeof *a * (size_t)n), **pl = xmalloc(sizeof *pl * (size_t)n);
    for (int i = 0; i < n; i++) {
      int arch;
      const char *label, *pdf = check_file(i, &arch, &label);
      if (arch) a[na++] = pdf;
      else pl[np++] = pdf;
    }
    write_text(sfmt("%s/pdf-check-archival.out", dir), pdf_check_batch(a, na, "--tagged"));
    write_text(sfmt("%s/pdf-check-plain.out", dir), pdf_check_batch(pl, np, NULL));
    write_text(sfmt("%s/preflight.out", dir), preflight_batch(a, na, dir));
  }
  char *out = read_file(saved, NULL);
  ck_assert_ptr_nonnull(out);
  return out;
}

/* _i: file _i of check_file: every check of pdf-check passed (qpdf, fonts
 * embedded, pdftotext; archival: tagged, and PDFBox Preflight PDF/A-1b). */
START_TEST(test_pdf_check) {
  int archival;
  const char *label, *pdf = check_file(_i, &archival, &label);
  const char *why;
  if (archival) {
    int valid = preflight_verdict(checker_output("preflight"), pdf, &why);
    ck_assert_msg(valid >= 0, "PDFBox Preflight did not report on %s (%s) %.1500s", label, pdf, why);
    ck_assert_msg(valid == 1, "PDFBox Preflight PDF/A-1b: %s is not valid: %.1500s", label, why);
  }
  int passed, failed;
  const char *out = checker_output(archival ? "pdf-check-archival" : "pdf-check-plain");
  pdf_check_verdict(out, pdf, &passed, &failed, &why);
  ck_assert_msg(failed == 0, "pdf-check%s %s: %d check(s) failed: %.1500s", archival ? " --tagged" : "", label, failed,
                why);
  int want = archival ? 4 : 3;
  ck_assert_msg(passed == want, "pdf-check %s: %d checks passed, expected %d; pdf-check printed: %.1500s", label,
                passed, want, out);
}
END_TEST

/* ---- 2. the structure tree ----------------------------------------------------- */

START_TEST(test_structure_samples) {
  const char *sample = samples[_i / 2];
  const char *tpl = _i % 2 ? klassisk() : NULL;
  const char *out = sample_pdf(sample, tpl, 1);
  check_tagged_pdf(out, sample, sfmt("%s with %s", base_name(sample), tpl ? "kommun-klassisk" : "default"));
}
END_TEST

/* A table's <unit> and <note> lines: ISO 32000-1 14.8.4.3.4 allows only
 * TR, THead, TBody, TFoot and a Caption (first or last) in a Table, so they
 * must not be P kids of the Table (they were, until the unit went into the
 * Caption and the note after the Table). */
START_TEST(test_structure_table_unit_and_note) {
  const char *dir = tmpdir_new();
  const char *in = write_doc(dir, "unit.xml",
                             sfmt("%s"
                                  "  <meta><title>Tabeller</title><board>Kulturnämnden</board></meta>\n"
                                  "  <body>\n"
                                  "    <table>\n      <unit>Belopp i tkr.</unit>\n"
                                  "      <columns><column/><column/></columns>\n"
                                  "      <tbody><row><cell>Skola</cell><cell>1</cell></row></tbody>\n"
                                  "    </table>\n"
                                  "    <table>\n      <caption>Med rubrik</caption>\n"
                                  "      <unit>Belopp i mnkr.</unit>\n"
                                  "      <columns><column/><column/></columns>\n"
                                  "      <tbody><row><cell>Vård</cell><cell>2</cell></row></tbody>\n"
                                  "      <note>En not under tabellen.</note>\n"
                                  "    </table>\n"
                                  "  </body>\n</report>\n",
                                  doc_head));
  const char *out = render_pdf(in, NULL, sfmt("%s/out.pdf", dir), 1);
  tagged *t = read_tagged(out);
  ck_assert_msg(strstr(strip_ws(t->text.s), "Beloppitkr.") && strstr(strip_ws(t->text.s), "Ennotundertabellen."),
                "the unit and the note are not in the tree's text: %s", t->text.s);
  problems pr = {0};
  for (int i = 0; i < t->n; i++) {
    if (!is_type(t, i, "Table")) continue;
    for (int k = t->e[i].first_child; k >= 0; k = t->e[k].next_sibling)
      if (!type_in(t->e[k].type, "Caption|THead|TBody|TFoot|TR"))
        problem(&pr, "Table element %d has a %s kid \"%s\"", t->e[i].num, t->e[k].type, elem_text(t, k));
  }
  assert_no_problems(&pr, "unit.xml: table kids");
}
END_TEST

/* The language a reader uses for the tagged text that contains word: the
 * marked content's /Lang, else the nearest /Lang of its element and their
 * ancestors, else the catalog's; NULL when no piece of text has the word. */
static const char *language_of(const tagged *t, const char *word) {
  for (int i = 0; i < t->p->npages; i++) {
    const page_text *pt = &t->pages[i];
    for (int r = 0; r < pt->nruns; r++) {
      if (!strstr(pt->runs[r].text, word)) continue;
      if (pt->runs[r].mc_lang) return pt->runs[r].mc_lang;
      for (int e = pt->owner[pt->runs[r].mcid]; e >= 0; e = t->e[e].parent) {
        const char *l = json_pdf_string(pdf_get(t->p, t->e[e].dict, "/Lang"));
        if (l) return l;
      }
      return json_pdf_string(pdf_get(t->p, t->p->catalog, "/Lang"));
    }
  }
  return NULL;
}

/* BUG: xml:lang on inline <b> and <i> is lost: docs/content.md says
 * every xml:lang is written into the structure, but the bold/italic text
 * stays in its paragraph's marked content with the paragraph's language
 * (no Span with /Lang, no /Lang in the BDC). Minimal reproduction:
 *   <p>Svensk text <b xml:lang="en">English</b> ord.</p>
 * gives one /P <</MCID n>> BDC holding all of it, the P without /Lang. */
START_TEST(test_structure_languages) {
  const char *dir = tmpdir_new();
  const char *in = write_doc(
      dir, "lang.xml",
      sfmt("%s"
           "  <meta><title>Språkprov</title><board>Testnämnden</board></meta>\n"
           "  <body>\n"
           "    <p>Vanlig svensk inledning.</p>\n"
           "    <section xml:lang=\"en-GB\">\n"
           "      <heading>Summary</heading>\n"
           "      <p>British spelling here.</p>\n"
           "      <p xml:lang=\"sv-SE\">Svenskt stycke i en engelsk del.</p>\n"
           "    </section>\n"
           "    <section>\n"
           "      <heading xml:lang=\"de\">Kapitel</heading>\n"
           "      <p>Svensk text med <b xml:lang=\"en\">English</b> och <i xml:lang=\"fr\">Français</i> ord.</p>\n"
           "      <ul xml:lang=\"fi\"><li>Suomi</li><li xml:lang=\"nb\">Norsk</li></ul>\n"
           "      <table xml:lang=\"da\">\n"
           "        <columns><column/><column/></columns>\n"
           "        <tbody><row><cell>Dansk</cell><cell xml:lang=\"is\">Íslensk</cell></row></tbody>\n"
           "      </table>\n"
           "    </section>\n"
           "  </body>\n</report>\n",
           doc_head));
  const char *out = render_pdf(in, NULL, sfmt("%s/out.pdf", dir), 1);
  check_tagged_pdf(out, in, "lang.xml");
  tagged *t = read_tagged(out);
  static const char *const want[][2] = {{"Vanlig", "sv-SE"}, {"Summary", "en-GB"},  {"British", "en-GB"},
                                        {"Svenskt", "sv-SE"}, {"Kapitel", "de"},     {"Suomi", "fi"},
                                        {"Norsk", "nb"},      {"Dansk", "da"},       {"Íslensk", "is"},
                                        {"English", "en"},    {"Français", "fr"}};
  problems pr = {0};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
    const char *got = language_of(t, want[i][0]);
    if (!got) problem(&pr, "\"%s\" is not in the tagged text", want[i][0]);
    else if (strcmp(got, want[i][1]) != 0)
      problem(&pr, "\"%s\" is read as %s, want %s", want[i][0], got, want[i][1]);
  }
  assert_no_problems(&pr, "lang.xml: languages");
}
END_TEST

/* BUG: an inline <placeholder> in a heading that the table of contents
 * lists gets ONE Span element for both places: the structure element is
 * keyed by the content node, and the TOC entry draws the same node first.
 * The Span (a kid of the TOCI) then lists the MCIDs of the TOC line and of
 * the heading, the H1 has no Span, and the tree's order is not the reading
 * order. Minimal reproduction:
 *   <body><toc/><section><heading>Resultat <symbol family="trendpil"
 *   value="bättre"/></heading><p>Text.</p></section></body>
 * gives TOCI [2, Span, 4, Link], Span /K [3 6], H1 /K [5]. */
START_TEST(test_structure_placeholder_in_listed_heading) {
  const char *dir = tmpdir_new();
  const char *in = write_doc(dir, "heading.xml",
                             sfmt("%s"
                                  "  <meta><title>Prov</title><board>Nämnden</board></meta>\n"
                                  "  <body>\n    <toc/>\n"
                                  "    <section>\n      <heading>Resultat <symbol family=\"trendpil\" "
                                  "value=\"bättre\"/></heading>\n"
                                  "      <p>Text i avsnittet.</p>\n    </section>\n"
                                  "  </body>\n</report>\n",
                                  doc_head));
  const char *out = render_pdf(in, NULL, sfmt("%s/out.pdf", dir), 1);
  tagged *t = read_tagged(out);
  problems pr = {0};
  int h1 = -1, spans = 0;
  for (int i = 0; i < t->n; i++) {
    if (is_type(t, i, "H1")) h1 = i;
    if (is_type(t, i, "Span")) {
      spans++;
      if (strcmp(strip_ws(elem_text(t, i)), strip_ws("Bättre")) != 0)
        problem(&pr, "Span element %d holds \"%s\", want \"Bättre\" once", t->e[i].num, elem_text(t, i));
    }
  }
  ck_assert_msg(h1 >= 0, "no H1");
  if (strcmp(strip_ws(elem_text(t, h1)), strip_ws("Resultat Bättre")) != 0)
    problem(&pr, "the H1 holds \"%s\"", elem_text(t, h1));
  if (spans != 2) problem(&pr, "%d Span elements, want 2 (the TOC entry's and the heading's)", spans);
  const char *diff = text_difference(t);
  if (diff) problem(&pr, "the tree's text is not in reading order, %s", diff);
  assert_no_problems(&pr, "placeholder in a heading listed in the TOC");
}
END_TEST

/* A table of contents over several pages, entries that wrap, a heading
 * kept out of it, a heading with a number. */
START_TEST(test_structure_long_toc) {
  const char *dir = tmpdir_new();
  sbuf b = {0};
  sbuf_add(&b, doc_head);
  sbuf_add(&b, "  <meta><title>Lång innehållsförteckning</title><board>Testnämnden</board>"
               "<diary-number>TN/2024:9</diary-number></meta>\n  <body>\n    <toc title=\"Innehåll\"/>\n");
  for (int i = 1; i <= 40; i++) {
    sbuf_printf(&b, "    <section%s>\n      <heading>Avsnitt %d om verksamhetens uppföljning, måluppfyllelse och "
                    "ekonomiska ställning under perioden</heading>\n      <p>Text i avsnitt %d.</p>\n",
                i == 7 ? " toc=\"no\"" : "", i, i);
    sbuf_printf(&b, "      <section>\n        <heading>Del %d.1</heading>\n        <p>Mer text.</p>\n"
                    "      </section>\n    </section>\n", i);
  }
  sbuf_add(&b, "    <section>\n      <heading>Resultat <num decimals=\"1\">12.5</num> mnkr</heading>\n"
               "      <p>Slut.</p>\n    </section>\n  </body>\n</report>\n");
  const char *in = write_doc(dir, "toc.xml", b.s);
  for (int k = 0; k < 2; k++) {
    const char *label = sfmt("toc.xml with %s", k ? "kommun-klassisk" : "default");
    const char *out = render_pdf(in, k ? klassisk() : NULL, sfmt("%s/out-%d.pdf", dir, k), 1);
    check_tagged_pdf(out, in, label);
    tagged *t = read_tagged(out);
    int toci = count_elems(t, "TOCI");
    ck_assert_msg(toci >= 40, "%s: %d TOCI for 40 listed sections", label, toci);
    /* the TOC's links are on more than one page */
    int first = -1, spread = 0;
    for (int o = 0; o < t->nobjr; o++) {
      if (first < 0) first = t->objrs[o].page;
      spread |= t->objrs[o].page != first;
    }
    ck_assert_msg(spread, "%s: every TOC link is on one page; the test wants a longer TOC", label);
    /* toc="no": "Avsnitt 7" is a heading, not an entry */
    for (int i = 0; i < t->n; i++)
      if (is_type(t, i, "TOCI"))
        ck_assert_msg(!strstr(elem_text(t, i), "Avsnitt 7 "), "%s: the toc=\"no\" heading is listed: %s", label,
                      elem_text(t, i));
  }
}
END_TEST

/* The first element of a type whose text (no spaces) is text. */
static int find_elem(const tagged *t, const char *type, const char *text) {
  for (int i = 0; i < t->n; i++)
    if (strcmp(t->e[i].type, type) == 0 && strcmp(strip_ws(elem_text(t, i)), strip_ws(text)) == 0) return i;
  return -1;
}

static int has_ancestor(const tagged *t, int ei, const char *type) {
  for (int a = t->e[ei].parent; a >= 0; a = t->e[a].parent)
    if (strcmp(t->e[a].type, type) == 0) return 1;
  return 0;
}

START_TEST(test_structure_features) {
  const char *dir = tmpdir_new();
  const char *in = write_doc(dir, "features.xml", doc_features());
  for (int k = 0; k < 2; k++) {
    const char *label = sfmt("features.xml with %s", k ? "kommun-klassisk" : "default");
    const char *out = render_pdf(in, k ? klassisk() : NULL, sfmt("%s/out-%d.pdf", dir, k), 2);
    check_tagged_pdf(out, in, label);
    tagged *t = read_tagged(out);
    const pdf *p = t->p;

    /* spans in the header: Område rowspan 2, Utfall colspan 2 */
    int omrade = find_elem(t, "TH", "Område"), utfall = find_elem(t, "TH", "Utfall");
    ck_assert_msg(omrade >= 0 && utfall >= 0, "%s: no TH Område / Utfall", label);
    ck_assert_msg(has_ancestor(t, omrade, "THead"), "%s: TH Område is not in the THead", label);
    const json *a = table_attrs(p, t->e[omrade].dict);
    ck_assert_msg(span_of(p, a, "/RowSpan") == 2 && is_name(pdf_get(p, a, "/Scope"), "/Column"),
                  "%s: TH Område wants /RowSpan 2 /Scope /Column", label);
    a = table_attrs(p, t->e[utfall].dict);
    ck_assert_msg(span_of(p, a, "/ColSpan") == 2, "%s: TH Utfall wants /ColSpan 2", label);
    int skola = find_elem(t, "TH", "Skola");
    ck_assert_msg(skola >= 0 && has_ancestor(t, skola, "TBody") &&
                      is_name(pdf_get(p, table_attrs(p, t->e[skola].dict), "/Scope"), "/Row"),
                  "%s: the row header Skola wants TH /Scope /Row in the TBody", label);
    int omsorg = find_elem(t, "TD", "Omsorg");
    ck_assert_msg(omsorg >= 0 && span_of(p, table_attrs(p, t->e[omsorg].dict), "/RowSpan") == 2,
                  "%s: TD Omsorg wants /RowSpan 2", label);
    ck_assert_msg(find_elem(t, "Caption", "Spann i huvudet") >= 0, "%s: no Caption element", label);

    /* nested lists: an L inside an LBody, three deep */
    int deepest = find_elem(t, "LBody", "Djupast i listan");
    ck_assert_msg(deepest >= 0, "%s: no LBody \"Djupast i listan\"", label);
    int depth = 0;
    for (int e = deepest; e >= 0; e = t->e[e].parent) depth += strcmp(t->e[e].type, "L") == 0;
    ck_assert_msg(depth == 3, "%s: \"Djupast i listan\" is in %d L elements, want 3", label, depth);
    int second = find_elem(t, "LBody", "Andrastycketisammapunkt.");
    ck_assert_msg(second < 0, "%s: one item's two paragraphs became two LBody", label);
    int item3 = -1;
    for (int i = 0; i < t->n && item3 < 0; i++)
      if (strcmp(t->e[i].type, "LBody") == 0 &&
          strcmp(strip_ws(elem_text(t, i)), strip_ws("Stycke i en punkt.Andra stycket i samma punkt.")) == 0)
        item3 = i;
    ck_assert_msg(item3 >= 0, "%s: no LBody with both paragraphs of the numbered item", label);
    int lbl = t->e[t->e[item3].parent].first_child;
    ck_assert_msg(is_type(t, lbl, "Lbl") && strncmp(elem_text(t, lbl), "3", 1) == 0,
                  "%s: <ol start=\"3\"> item's Lbl is \"%s\"", label, lbl >= 0 ? elem_text(t, lbl) : "?");
    int pcount = 0;
    for (int c = t->e[item3].first_child; c >= 0; c = t->e[c].next_sibling) pcount += is_type(t, c, "P");
    ck_assert_msg(pcount == 2, "%s: the numbered item's LBody holds %d P, want 2", label, pcount);

    /* a symbol: a Span in its P, read as the template's short text, with
     * /Alt; a block placeholder: a P of its own */
    const char *short_text = k ? "Målet nås" : "Uppfyllt", *want_alt = k ? "Måluppfyllelse: målet nås" : "Bedömning: uppfyllt";
    int span = find_elem(t, "Span", short_text);
    ck_assert_msg(span >= 0 && is_type(t, t->e[span].parent, "P"), "%s: no Span \"%s\" in a P", label, short_text);
    const char *alt = json_pdf_string(pdf_get(p, t->e[span].dict, "/Alt"));
    ck_assert_msg(alt && strcmp(alt, want_alt) == 0, "%s: the symbol's /Alt is \"%s\", want \"%s\"", label,
                  alt ? alt : "(none)", want_alt);
    ck_assert_msg(find_elem(t, "P", "[chart: Sjukfrånvaro 2022–2024]") >= 0,
                  "%s: no P \"[chart: Sjukfrånvaro 2022–2024]\"", label);

    /* xml:lang="en" on one paragraph: /Lang on its element, nowhere else */
    int en = find_elem(t, "P", "This paragraph is written in English.");
    ck_assert_msg(en >= 0, "%s: no P for the English paragraph", label);
    const char *elang = json_pdf_string(pdf_get(p, t->e[en].dict, "/Lang"));
    ck_assert_msg(elang && strcmp(elang, "en") == 0, "%s: the English paragraph's /Lang is %s", label,
                  elang ? elang : "(none)");
    for (int i = 0; i < t->n; i++)
      ck_assert_msg(i == en || !pdf_get(p, t->e[i].dict, "/Lang"), "%s: %s element %d has a /Lang too", label,
                    t->e[i].type, t->e[i].num);

    /* headings three levels deep */
    ck_assert_msg(find_elem(t, "H3", k ? "3.1.1 Tredje nivån" : "Tredje nivån") >= 0, "%s: no H3 \"Tredje nivån\"",
                  label);
    ck_assert_msg(count_elems(t, "TOCI") >= 3, "%s: %d TOCI, want one per heading listed", label,
                  count_elems(t, "TOCI"));
  }
}
END_TEST

START_TEST(test_structure_across_pages) {
  const char *dir = tmpdir_new();
  const char *in = write_doc(dir, "long.xml", doc_long());
  for (int k = 0; k < 2; k++) {
    const char *label = sfmt("long.xml with %s", k ? "kommun-klassisk" : "default");
    const char *out = render_pdf(in, k ? klassisk() : NULL, sfmt("%s/out-%d.pdf", dir, k), 1);
    check_tagged_pdf(out, in, label);
    tagged *t = read_tagged(out);
    ck_assert_msg(t->p->npages >= 4, "%s: %d pages; the test wants the text and table to break", label,
                  t->p->npages);
    /* some element continues on another page: an MCR, or MCIDs on two pages */
    int spread = 0;
    for (int i = 0; i < t->n && !spread; i++) {
      int first = -1;
      for (int pi = 0; pi < t->p->npages && !spread; pi++)
        for (int m = 0; m < t->pages[pi].nmcid; m++)
          if (t->pages[pi].owner[m] == i) {
            if (first >= 0 && first != pi) spread = 1;
            first = pi;
          }
    }
    ck_assert_msg(spread, "%s: no element has content on two pages", label);
    /* the table's header row is tagged once; its repetitions are artifacts */
    ck_assert_msg(count_elems(t, "TR") == 71, "%s: %d TR, want 71", label, count_elems(t, "TR"));
    int headers = 0;
    for (int pi = 0; pi < t->p->npages; pi++) headers += count_substr(t->pages[pi].content.s, "Budget");
    ck_assert_msg(headers == 1, "%s: the header cell \"Budget\" is tagged content %d times", label, headers);
  }
}
END_TEST

/* The first needle in n bytes of hay (which may hold NULs). */
static char *mem_find(char *hay, size_t n, const char *needle) {
  size_t l = strlen(needle);
  for (size_t i = 0; l <= n && i <= n - l; i++)
    if (hay[i] == needle[0] && memcmp(hay + i, needle, l) == 0) return hay + i;
  return NULL;
}

/* The checks must be able to fail: a broken ParentTree, an unmarked text
 * and a missing MCID are found in a PDF edited here. */
START_TEST(test_checker_finds_faults) {
  const char *dir = tmpdir_new();
  const char *in = write_doc(dir, "plain.xml", doc_plain("skolan"));
  const char *out = render_pdf(in, NULL, sfmt("%s/out.pdf", dir), 1);
  /* uncompressed, so the content can be edited in place */
  const char *qdf = sfmt("%s/qdf.pdf", dir);
  run_result r = run(NULL, "qpdf", "--qdf", "--object-streams=disable", out, qdf, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "qpdf --qdf: %s", run_describe(&r));
  size_t len;
  char *text = read_file(qdf, &len);
  ck_assert(text != NULL);
  tagged *good = read_tagged(qdf);
  ck_assert_int_eq(good->tree.count + good->parents.count + good->cc.marked.count, 0);

  /* 1: an MCID renamed in the content: the tree's MCID 1 is gone, MCID 9 is in no element */
  char *bad = xstrndup(text, len);
  char *m = mem_find(bad, len, "<</MCID 1>> BDC");
  ck_assert_msg(m != NULL, "no MCID 1 in %s", qdf);
  m[7] = '9';
  const char *f1 = sfmt("%s/bad1.pdf", dir);
  write_file(f1, bad, len);
  tagged *t1 = read_tagged(f1);
  ck_assert_msg(t1->tree.count >= 2, "a renamed MCID went unnoticed: %s", sbuf_str(&t1->tree.text));

  /* 2: every artifact renamed: the running footer becomes text in marked
   * content that is neither an artifact nor has an MCID */
  bad = xstrndup(text, len);
  int renamed = 0;
  for (m = bad; (m = mem_find(m, len - (size_t)(m - bad), "/Artifact BMC")) != NULL; m++) m[8] = 'x', renamed++;
  ck_assert_msg(renamed > 0, "no artifact in %s", qdf);
  const char *f2 = sfmt("%s/bad2.pdf", dir);
  write_file(f2, bad, len);
  tagged *t2 = read_tagged(f2);
  ck_assert_msg(t2->cc.marked.count >= 1, "unmarked text went unnoticed");

  /* 3: the page points at a ParentTree entry that does not exist */
  bad = xstrndup(text, len);
  m = mem_find(bad, len, "/StructParents 0");
  ck_assert_msg(m != NULL, "no /StructParents 0 in %s", qdf);
  m[15] = '9';
  const char *f3 = sfmt("%s/bad3.pdf", dir);
  write_file(f3, bad, len);
  tagged *t3 = read_tagged(f3);
  ck_assert_msg(t3->parents.count >= 1, "a wrong /StructParents went unnoticed");

  /* 4: two MCIDs swapped in the content: the ParentTree still agrees, but
   * the tree's order is no longer the reading order */
  bad = xstrndup(text, len);
  m = mem_find(bad, len, "<</MCID 1>> BDC");
  char *m2 = mem_find(bad, len, "<</MCID 2>> BDC");
  ck_assert(m && m2);
  m[8] = '2', m2[8] = '1';
  const char *f4 = sfmt("%s/bad4.pdf", dir);
  write_file(f4, bad, len);
  tagged *t4 = read_tagged(f4);
  ck_assert_int_eq(t4->tree.count + t4->parents.count + t4->cc.marked.count, 0);
  ck_assert_msg(text_difference(t4) != NULL, "a tree out of reading order went unnoticed");
  ck_assert_msg(text_difference(good) == NULL, "the unedited file: %s", text_difference(good));
}
END_TEST

/* ---- 3. determinism ------------------------------------------------------------ */

static int same_file(const char *a, const char *b) {
  size_t la, lb;
  char *da = read_file(a, &la), *db = read_file(b, &lb);
  ck_assert_msg(da && db, "cannot read %s or %s", a, b);
  return la == lb && memcmp(da, db, la) == 0;
}

START_TEST(test_same_input_same_bytes) {
  const char *dir = tmpdir_new();
  const char *sample = samples[_i / 2];
  const char *tpl = _i % 2 ? klassisk() : NULL;
  const char *a = sample_pdf(sample, tpl, 1); /* rendered earlier in this run */
  const char *b = render_pdf(sample, tpl, sfmt("%s/b.pdf", dir), 1);
  ck_assert_msg(same_file(a, b), "%s: two renderings differ", base_name(sample));
}
END_TEST

typedef struct dates {
  const char *info_creation, *info_mod;           /* raw "D:..." or NULL */
  const char *xmp_create, *xmp_modify, *xmp_meta; /* or NULL */
  const char *id0, *id1;
} dates;

static xmlDocPtr xmp_of(const pdf *p) {
  const json *ref = pdf_get_raw(p, p->catalog, "/Metadata");
  ck_assert_msg(ref != NULL, "%s: the catalog has no /Metadata", p->path);
  size_t len;
  unsigned char *data = pdf_stream_data(p, ref, &len);
  ck_assert_msg(data != NULL, "%s: /Metadata is no stream", p->path);
  xmlDocPtr doc = xmlReadMemory((const char *)data, (int)len, "xmp.xml", NULL, XML_PARSE_NONET);
  ck_assert_msg(doc != NULL, "%s: the XMP packet is not well-formed XML: %.300s", p->path, (const char *)data);
  return doc;
}

static xmlNodePtr find_ns(xmlNodePtr n, const char *ns, const char *local) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (n->ns && strcmp((const char *)n->ns->href, ns) == 0 && strcmp((const char *)n->name, local) == 0) return n;
    xmlNodePtr f = find_ns(n->children, ns, local);
    if (f) return f;
  }
  return NULL;
}

static void find_all_rec(xmlNodePtr n, const char *ns, const char *local, xmlNodePtr **out, int *count) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (n->ns && strcmp((const char *)n->ns->href, ns) == 0 && (!local || strcmp((const char *)n->name, local) == 0)) {
      *out = xgrow(*out, sizeof **out * (size_t)(*count + 1));
      (*out)[(*count)++] = n;
    }
    find_all_rec(n->children, ns, local, out, count);
  }
}

/* Elements under scope in namespace ns named local (any name: NULL), in
 * document order. */
static xmlNodePtr *find_all_ns(xmlNodePtr scope, const char *ns, const char *local, int *count) {
  xmlNodePtr *out = NULL;
  *count = 0;
  find_all_rec(scope->children, ns, local, &out, count);
  return out;
}

static const char *node_text(xmlNodePtr n) {
  if (!n) return NULL;
  xmlChar *c = xmlNodeGetContent(n);
  char *s = xstrdup(c ? (const char *)c : "");
  xmlFree(c);
  return s;
}

#define NS_XMP "http://ns.adobe.com/xap/1.0/"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_PDF "http://ns.adobe.com/pdf/1.3/"
#define NS_PDFAID "http://www.aiim.org/pdfa/ns/id/"
#define NS_PDFAEXT "http://www.aiim.org/pdfa/ns/extension/"
#define NS_PDFASCHEMA "http://www.aiim.org/pdfa/ns/schema#"
#define NS_PDFAPROP "http://www.aiim.org/pdfa/ns/property#"

static dates dates_of(const char *path) {
  pdf *p = pdf_load(path);
  dates d = {0};
  const json *info = pdf_get(p, p->trailer, "/Info");
  d.info_creation = json_pdf_string(pdf_get(p, info, "/CreationDate"));
  d.info_mod = json_pdf_string(pdf_get(p, info, "/ModDate"));
  xmlDocPtr x = xmp_of(p);
  xmlNodePtr root = xmlDocGetRootElement(x);
  d.xmp_create = node_text(find_ns(root, NS_XMP, "CreateDate"));
  d.xmp_modify = node_text(find_ns(root, NS_XMP, "ModifyDate"));
  d.xmp_meta = node_text(find_ns(root, NS_XMP, "MetadataDate"));
  xmlFreeDoc(x);
  const json *id = pdf_get(p, p->trailer, "/ID");
  ck_assert_msg(id && id->type == JSON_ARRAY && id->count == 2, "%s: no /ID [a b] in the trailer", path);
  d.id0 = id->items[0].string;
  d.id1 = id->items[1].string;
  ck_assert_msg(d.id0 && strncmp(d.id0, "b:", 2) == 0 && strlen(d.id0) == 2 + 32,
                "%s: /ID is not a 16-byte string: %s", path, d.id0 ? d.id0 : "?");
  return d;
}

static void assert_dates(const dates *d, const char *pdf_date, const char *xmp_date, const char *label) {
#define SAME(got, want, what) \
  ck_assert_msg(got && strcmp(got, want) == 0, "%s: %s is %s, want %s", label, what, got ? got : "(none)", want)
  SAME(d->info_creation, pdf_date, "Info /CreationDate");
  SAME(d->info_mod, pdf_date, "Info /ModDate");
  SAME(d->xmp_create, xmp_date, "xmp:CreateDate");
  SAME(d->xmp_modify, xmp_date, "xmp:ModifyDate");
  if (d->xmp_meta) SAME(d->xmp_meta, xmp_date, "xmp:MetadataDate");
#undef SAME
}

static void sleep_a_second(void) {
  struct timespec ts = {1, 100000000};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

START_TEST(test_source_date_epoch) {
  const char *dir = tmpdir_new();
  const char *in = write_doc(dir, "plain.xml", doc_plain("skolan"));
  static const struct {
    const char *epoch, *pdf, *xmp;
  } cases[] = {
      {"1700000000", "D:20231114221320+00'00'", "2023-11-14T22:13:20+00:00"},
      {"951868799", "D:20000229235959+00'00'", "2000-02-29T23:59:59+00:00"},
      {"0", "D:19700101000000+00'00'", "1970-01-01T00:00:00+00:00"},
      {"4107542399", "D:21000228235959+00'00'", "2100-02-28T23:59:59+00:00"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    setenv("SOURCE_DATE_EPOCH", cases[i].epoch, 1);
    const char *a = render_pdf(in, NULL, sfmt("%s/a%zu.pdf", dir, i), 1);
    sleep_a_second();
    const char *b = render_pdf(in, NULL, sfmt("%s/b%zu.pdf", dir, i), 1);
    const char *label = sfmt("SOURCE_DATE_EPOCH=%s", cases[i].epoch);
    ck_assert_msg(same_file(a, b), "%s: two runs a second apart differ", label);
    dates d = dates_of(a);
    assert_dates(&d, cases[i].pdf, cases[i].xmp, label);
  }
  unsetenv("SOURCE_DATE_EPOCH");
}
END_TEST

START_TEST(test_no_dates) {
  const char *dir = tmpdir_new();
  unsetenv("SOURCE_DATE_EPOCH");
  const char *in = write_doc(dir, "plain.xml", doc_plain("skolan"));
  const char *a = render_pdf(in, NULL, sfmt("%s/a.pdf", dir), 1);
  sleep_a_second();
  const char *b = render_pdf(in, NULL, sfmt("%s/b.pdf", dir), 1);
  ck_assert_msg(same_file(a, b), "without dates, two runs a second apart differ");
  dates d = dates_of(a);
  ck_assert_msg(!d.info_creation && !d.info_mod, "no date given, yet Info has /CreationDate %s /ModDate %s",
                d.info_creation ? d.info_creation : "-", d.info_mod ? d.info_mod : "-");
  ck_assert_msg(!d.xmp_create && !d.xmp_modify && !d.xmp_meta, "no date given, yet the XMP has %s",
                d.xmp_create ? d.xmp_create : d.xmp_modify ? d.xmp_modify : d.xmp_meta);
  /* nor any date-like property at all */
  pdf *p = pdf_load(a);
  size_t len;
  char *xmp = (char *)pdf_stream_data(p, pdf_get_raw(p, p->catalog, "/Metadata"), &len);
  ck_assert_msg(!strstr(xmp, "Date>"), "the XMP has a date: %.300s", strstr(xmp, "Date>") - 40);
}
END_TEST

START_TEST(test_content_date) {
  const char *dir = tmpdir_new();
  const char *in = write_doc(dir, "dated.xml", doc_dated());
  unsetenv("SOURCE_DATE_EPOCH");
  const char *a = render_pdf(in, NULL, sfmt("%s/a.pdf", dir), 1);
  dates d = dates_of(a);
  assert_dates(&d, "D:20220430000000+00'00'", "2022-04-30T00:00:00+00:00", "<date>2022-04-30</date>");
  /* the content's date wins over SOURCE_DATE_EPOCH */
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  const char *b = render_pdf(in, NULL, sfmt("%s/b.pdf", dir), 1);
  unsetenv("SOURCE_DATE_EPOCH");
  d = dates_of(b);
  assert_dates(&d, "D:20220430000000+00'00'", "2022-04-30T00:00:00+00:00",
               "<date>2022-04-30</date> and SOURCE_DATE_EPOCH=1700000000");
  ck_assert_msg(same_file(a, b), "<date> given: SOURCE_DATE_EPOCH still changed the file");
}
END_TEST

START_TEST(test_file_id) {
  const char *dir = tmpdir_new();
  unsetenv("SOURCE_DATE_EPOCH");
  const char *in1 = write_doc(dir, "a.xml", doc_plain("skolan"));
  const char *in2 = write_doc(dir, "b.xml", doc_plain("skalan")); /* one word changed, same length */
  dates a = dates_of(render_pdf(in1, NULL, sfmt("%s/a1.pdf", dir), 1));
  sleep_a_second();
  dates b = dates_of(render_pdf(in1, NULL, sfmt("%s/a2.pdf", dir), 1));
  dates c = dates_of(render_pdf(in2, NULL, sfmt("%s/c.pdf", dir), 1));
  ck_assert_msg(strcmp(a.id0, b.id0) == 0 && strcmp(a.id1, b.id1) == 0, "/ID differs across runs: %s vs %s", a.id0,
                b.id0);
  ck_assert_msg(strcmp(a.id0, c.id0) != 0, "/ID %s stays the same when a word of the content changes", a.id0);
  /* and on a sample: one word of a paragraph */
  char *text = read_file(samples[0], NULL);
  ck_assert(text != NULL);
  char *p = strstr(text, "<p>");
  ck_assert_msg(p != NULL, "no <p> in %s", samples[0]);
  p += 3;
  while (!(*p >= 'a' && *p <= 'z')) p++;
  *p = *p == 'x' ? 'y' : 'x';
  const char *changed = write_doc(dir, "changed.xml", text);
  dates s1 = dates_of(render_pdf(samples[0], NULL, sfmt("%s/s1.pdf", dir), 1));
  dates s2 = dates_of(render_pdf(changed, NULL, sfmt("%s/s2.pdf", dir), 1));
  ck_assert_msg(strcmp(s1.id0, s2.id0) != 0, "%s: /ID stays the same when a letter of a paragraph changes",
                base_name(samples[0]));
}
END_TEST

/* ---- 4. metadata ------------------------------------------------------------- */

/* An Info entry from the file's own syntax (qpdf --show-object), decoded
 * here: UTF-16BE with a byte order mark, or PDFDocEncoding. */
static const char *raw_info_string(const char *path, const pdf *p, const char *key) {
  int n = ref_num(json_get(p->trailer, "/Info"));
  ck_assert_msg(n > 0, "%s: the trailer has no /Info reference", path);
  run_result r = run(NULL, "qpdf", sfmt("--show-object=%d", n), path, NULL);
  ck_assert_msg(run_exit_is(&r, 0), "qpdf --show-object: %s", run_describe(&r));
  lexer lx = {(const unsigned char *)r.out, (const unsigned char *)r.out + r.out_len};
  cobj d;
  ck_assert_msg(lex_value(&lx, &d, 0) && d.type == C_DICT, "%s: Info is not a dictionary: %.200s", path, r.out);
  const cobj *v = cobj_get(&d, key);
  if (!v) return NULL;
  ck_assert_msg(v->type == C_STR, "%s: Info /%s is not a string", path, key);
  return pdf_string_to_utf8((const unsigned char *)v->s, v->len);
}

static void check_metadata(const char *path, const char *title, const char *author, const char *subject,
                           const char *keywords, const char *diary, const char *label) {
  pdf *p = pdf_load(path);
  const json *info = pdf_get(p, p->trailer, "/Info");
  ck_assert_msg(info && info->type == JSON_OBJECT, "%s: no Info dictionary", label);
  static const char *const keys[] = {"Title", "Author", "Subject", "Keywords"};
  const char *want[] = {title, author, subject, keywords};
  for (int i = 0; i < 4; i++) {
    const char *raw = raw_info_string(path, p, keys[i]);
    const char *via_qpdf = json_pdf_string(pdf_get(p, info, sfmt("/%s", keys[i])));
    if (!want[i]) {
      ck_assert_msg(!raw, "%s: Info /%s is \"%s\", the content has none", label, keys[i], raw);
      continue;
    }
    ck_assert_msg(raw && strcmp(raw, want[i]) == 0, "%s: Info /%s is \"%s\", want \"%s\"", label, keys[i],
                  raw ? raw : "(none)", want[i]);
    ck_assert_msg(via_qpdf && strcmp(via_qpdf, want[i]) == 0, "%s: qpdf reads Info /%s as \"%s\"", label, keys[i],
                  via_qpdf ? via_qpdf : "(none)");
  }

  /* the XMP packet: uncompressed, well-formed, agreeing with Info */
  const json *mref = pdf_get_raw(p, p->catalog, "/Metadata");
  const json *mdict = pdf_deref(p, mref);
  ck_assert_msg(mdict && is_name(pdf_get(p, mdict, "/Type"), "/Metadata") && is_name(pdf_get(p, mdict, "/Subtype"), "/XML"),
                "%s: /Metadata is not /Type /Metadata /Subtype /XML", label);
  ck_assert_msg(!pdf_get(p, mdict, "/Filter"), "%s: the XMP stream is compressed (/Filter)", label);
  run_result raw = run(NULL, "qpdf", sfmt("--show-object=%d", ref_num(mref)), "--raw-stream-data", path, NULL);
  ck_assert_msg(run_exit_is(&raw, 0), "qpdf --raw-stream-data: %s", run_describe(&raw));
  ck_assert_msg(strncmp(raw.out, "<?xpacket begin=", 16) == 0 && strstr(raw.out, "<?xpacket end=\"w\"?>"),
                "%s: the raw metadata stream is no plain XMP packet: %.100s", label, raw.out);
  xmlDocPtr x = xmp_of(p);
  xmlNodePtr root = xmlDocGetRootElement(x);
  const char *v;
#define XMP_IS(ns, local, want)                                                                                 \
  v = node_text(find_ns(root, ns, local));                                                                      \
  ck_assert_msg(v && strcmp(v, want) == 0, "%s: XMP %s is \"%s\", want \"%s\"", label, local, v ? v : "(none)", \
                want)
  XMP_IS(NS_PDFAID, "part", "1");
  XMP_IS(NS_PDFAID, "conformance", "A"); /* level A is the default */
  XMP_IS(NS_DC, "title", title);
  XMP_IS(NS_DC, "creator", author);
  if (subject) {
    XMP_IS(NS_DC, "description", subject);
  }
  if (keywords) {
    XMP_IS(NS_PDF, "Keywords", keywords);
  } else {
    ck_assert_msg(!find_ns(root, NS_PDF, "Keywords"), "%s: pdf:Keywords without keywords", label);
  }
  /* dc:title is a language alternative with x-default */
  xmlNodePtr li = find_ns(find_ns(root, NS_DC, "title"), "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "li");
  ck_assert_msg(li && xml_attr(li, "lang") && strcmp(xml_attr(li, "lang"), "x-default") == 0,
                "%s: dc:title has no rdf:li xml:lang=\"x-default\"", label);

  /* bilaga:diaryNumber, in a namespace the extension schema declares */
  xmlNodePtr dn = NULL, any = NULL;
  for (xmlNodePtr n = root; n;) {
    if (n->type == XML_ELEMENT_NODE && n->ns && n->ns->prefix && strcmp((const char *)n->ns->prefix, "bilaga") == 0) {
      if (!any) any = n;
      if (strcmp((const char *)n->name, "diaryNumber") == 0) dn = n;
    }
    if (n->children) n = n->children;
    else {
      while (n && !n->next) n = n->parent;
      if (n) n = n->next;
    }
  }
  if (!diary) {
    ck_assert_msg(dn == NULL, "%s: bilaga:diaryNumber \"%s\" without a diary number", label, node_text(dn));
    dn = any;
  } else {
    ck_assert_msg(dn != NULL, "%s: no bilaga:diaryNumber in the XMP", label);
    ck_assert_msg(strcmp(node_text(dn), diary) == 0, "%s: bilaga:diaryNumber is \"%s\", want \"%s\"", label,
                  node_text(dn), diary);
  }
  ck_assert_msg(dn != NULL, "%s: no bilaga: properties in the XMP", label);
  const char *bilaga_ns = (const char *)dn->ns->href;
  xmlNodePtr schemas = find_ns(root, NS_PDFAEXT, "schemas");
  ck_assert_msg(schemas != NULL, "%s: no pdfaExtension:schemas in the XMP", label);
  int nuris, declared = 0;
  xmlNodePtr *uris = find_all_ns(schemas, NS_PDFASCHEMA, "namespaceURI", &nuris);
  xmlNodePtr schema = NULL; /* the rdf:li declaring bilaga's namespace */
  for (int i = 0; i < nuris; i++)
    if (strcmp(node_text(uris[i]), bilaga_ns) == 0) schema = uris[i]->parent;
  ck_assert_msg(schema != NULL, "%s: pdfaExtension:schemas declares no schema for %s", label, bilaga_ns);
  xmlNodePtr prefix = find_ns(schema->children, NS_PDFASCHEMA, "prefix");
  ck_assert_msg(prefix && strcmp(node_text(prefix), "bilaga") == 0, "%s: the schema for %s has prefix %s", label,
                bilaga_ns, prefix ? node_text(prefix) : "(none)");
  int nnames;
  xmlNodePtr *names = find_all_ns(schema, NS_PDFAPROP, "name", &nnames);
  for (int i = 0; i < nnames; i++) {
    if (strcmp(node_text(names[i]), "diaryNumber") != 0) continue;
    xmlNodePtr type = find_ns(names[i]->parent->children, NS_PDFAPROP, "valueType");
    xmlNodePtr cat = find_ns(names[i]->parent->children, NS_PDFAPROP, "category");
    ck_assert_msg(type && strcmp(node_text(type), "Text") == 0, "%s: diaryNumber's valueType is not Text", label);
    ck_assert_msg(cat && strcmp(node_text(cat), "external") == 0, "%s: diaryNumber's category is not external",
                  label);
    declared = 1;
  }
  ck_assert_msg(declared, "%s: the schema for %s does not declare diaryNumber", label, bilaga_ns);
  ck_assert_msg(nnames >= 4, "%s: the schema declares %d properties, want diaryNumber, attachment, board, period", label,
                nnames);
  /* every bilaga: property used is declared */
  int nused;
  xmlNodePtr *used = find_all_ns(root, bilaga_ns, NULL, &nused);
  for (int u = 0; u < nused; u++) {
    int found = 0;
    for (int i = 0; i < nnames && !found; i++) found = strcmp(node_text(names[i]), (const char *)used[u]->name) == 0;
    ck_assert_msg(found, "%s: bilaga:%s is used but not declared", label, (const char *)used[u]->name);
  }
  xmlFreeDoc(x);
#undef XMP_IS
}

START_TEST(test_metadata_board_as_author) {
  const char *dir = tmpdir_new();
  const char *in = write_doc(dir, "meta.xml", doc_meta(0));
  const char *out = render_pdf(in, NULL, sfmt("%s/out.pdf", dir), 1);
  check_metadata(out, meta_title, meta_board, meta_subject, meta_keywords, meta_diary, "meta.xml (no author)");
}
END_TEST

START_TEST(test_metadata_author) {
  const char *dir = tmpdir_new();
  const char *in = write_doc(dir, "meta.xml", doc_meta(1));
  const char *out = render_pdf(in, klassisk(), sfmt("%s/out.pdf", dir), 1);
  check_metadata(out, meta_title, meta_author, meta_subject, meta_keywords, meta_diary, "meta.xml (with author)");
}
END_TEST

START_TEST(test_metadata_samples) {
  for (int i = 0; i < nsamples; i++) {
    xmlDocPtr doc = xml_load(samples[i]);
    xmlNodePtr meta = xml_child(xmlDocGetRootElement(doc), "meta");
    const char *field[6] = {0};
    static const char *const names[] = {"title", "author", "board", "subject", "keywords", "diary-number"};
    for (int k = 0; k < 6; k++) {
      xmlNodePtr n = xml_child(meta, names[k]);
      field[k] = n ? xml_text(n) : NULL;
    }
    xmlFreeDoc(doc);
    const char *out = sample_pdf(samples[i], NULL, 1);
    check_metadata(out, field[0], field[1] ? field[1] : field[2], field[3], field[4], field[5], base_name(samples[i]));
  }
}
END_TEST

/* ---- 5. --no-pdfa -------------------------------------------------------------- */

START_TEST(test_no_pdfa) {
  const char *sample = samples[_i / 2];
  const char *tpl = _i % 2 ? klassisk() : NULL;
  const char *out = sample_pdf(sample, tpl, 0);
  const char *label = sfmt("%s --no-pdfa%s", base_name(sample), tpl ? " -t kommun-klassisk" : "");
  pdf *p = pdf_load(out);
  /* no claim, no output intent; but tagged (issue 15: tags do not depend
   * on PDF/A), with its title in XMP */
  ck_assert_msg(!json_get(p->catalog, "/OutputIntents"), "%s: the catalog has /OutputIntents", label);
  static const char *const present[] = {"/StructTreeRoot", "/MarkInfo", "/Metadata", "/Lang"};
  for (size_t i = 0; i < sizeof present / sizeof *present; i++)
    ck_assert_msg(json_get(p->catalog, present[i]) != NULL, "%s: the catalog has no %s", label, present[i]);
  size_t xmp_len;
  char *xmp = (char *)pdf_stream_data(p, pdf_get_raw(p, p->catalog, "/Metadata"), &xmp_len);
  ck_assert_msg(xmp && !strstr(xmp, "pdfaid:") && strstr(xmp, "<dc:title>"), "%s: the XMP claims PDF/A or has no title",
                label);
  int marked = 0;
  for (int i = 0; i < p->npages; i++) {
    const json *page = page_dict(p, p->pages[i]);
    size_t len;
    char *content = (char *)pdf_stream_data(p, pdf_get_raw(p, page, "/Contents"), &len);
    marked += content && strstr(content, "/MCID") != NULL;
  }
  ck_assert_msg(marked == p->npages, "%s: %d of %d pages have marked content", label, marked, p->npages);
  /* the text is all there */
  xmlDocPtr doc = xml_load(sample);
  const char *title = xml_text(xml_child(xml_child(xmlDocGetRootElement(doc), "meta"), "title"));
  xmlFreeDoc(doc);
  ck_assert_msg(strstr(skeleton(pdf_text(out, 0, 0, NULL)), skeleton(title)) != NULL,
                "%s: the title \"%s\" is not in the text", label, title);
  /* pdf-check of the file: archive_pdf_check */
}
END_TEST

/* test_archive [pdf-check]: without an argument everything but
 * pdf-check; with it, pdf-check only (exit 77 when it is missing). */
int main(int argc, char **argv) {
  int only_pdf_check = argc > 1 && strcmp(argv[1], "pdf-check") == 0;
  /* before check allocates: a skip must not leak (LeakSanitizer) */
  if (only_pdf_check && (!pdf_check_tool() || !preflight_classpath())) {
    printf("SKIP: %s: the PDFs are not checked\n",
           pdf_check_tool() ? "PDFBox Preflight or java is missing (tests/setup installs them)"
                            : sfmt("%s/../shared/tools/pdf-check is missing", source_root()));
    return 77;
  }
  samples = sample_files(&nsamples);
  int combos = nsamples * 2; /* each sample in both templates */
  Suite *s = suite_create("archive");
  TCase *tc;
  if (only_pdf_check) {
    tc = tcase_create("pdf-check");
    tcase_set_timeout(tc, 1800);
    tcase_add_test(tc, test_samples_exist);
    tcase_add_loop_test(tc, test_pdf_check, 0, check_file_count());
    suite_add_tcase(s, tc);
  } else {
    tc = tcase_create("structure");
    tcase_add_test(tc, test_samples_exist);
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_structure_samples, 0, combos);
    tcase_add_test(tc, test_structure_features);
    tcase_add_test(tc, test_structure_table_unit_and_note);
    tcase_add_test(tc, test_structure_languages);
    tcase_add_test(tc, test_structure_long_toc);
    tcase_add_test(tc, test_structure_placeholder_in_listed_heading);
    tcase_add_test(tc, test_structure_across_pages);
    tcase_add_test(tc, test_checker_finds_faults);
    suite_add_tcase(s, tc);

    tc = tcase_create("determinism");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_same_input_same_bytes, 0, combos);
    tcase_add_test(tc, test_source_date_epoch);
    tcase_add_test(tc, test_no_dates);
    tcase_add_test(tc, test_content_date);
    tcase_add_test(tc, test_file_id);
    suite_add_tcase(s, tc);

    tc = tcase_create("metadata");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_metadata_board_as_author);
    tcase_add_test(tc, test_metadata_author);
    tcase_add_test(tc, test_metadata_samples);
    suite_add_tcase(s, tc);

    tc = tcase_create("no-pdfa");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_no_pdfa, 0, combos);
    suite_add_tcase(s, tc);
  }
  if (!tmp_root_init("archive")) return EXIT_FAILURE;
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  tmp_root_remove();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
