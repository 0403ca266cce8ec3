/* linebreak.c - a paragraph into lines by total fit: Knuth and Plass,
 * "Breaking paragraphs into lines" (1981), as TeX and Typst do it. Every
 * way of breaking is weighed at once and the one with the fewest demerits
 * wins, so a loose line is avoided by setting the lines before it a little
 * tighter or looser, not only by hyphenating.
 *
 * Boxes are words and symbols; glue is the word spaces (justified text
 * stretches and shrinks them, ragged text has a stretchable line end
 * instead, so that its rag is weighed too); penalties are the breaks after
 * a hyphen, dash or slash, at hyphenation points and at <br/>. The
 * passes, each only when the one before found no way:
 *   1. lines within a tolerance (justified spaces at most about 1.6 times
 *      natural), hyphenation by the rules below;
 *   2. the emergency stretch: lines as loose as they must be (first up to
 *      spaces 4 times natural, then any), weighed by their badness, so
 *      that only the lines that have to be loose are; a paragraph's last
 *      word may then be hyphenated, at a high penalty;
 *   3. also the hyphenation points the rules leave out and, in runs wider
 *      than the line, breaks between characters; only here a line may be
 *      overfull, when one character or symbol is wider than the measure.
 * The rules: words of at least the template's minimum letters (7), not
 * names (capitalised inside a sentence) unless the template allows, not a
 * paragraph's last word, 2 letters before a break and 3 after, never a
 * third hyphenated line in a row; extra demerits for two in a row and for
 * a hyphen ending the last full line.
 *
 * Linear: a line from an active break that would be overfull can only get
 * worse, so that break leaves the list; the list holds the breaks of about
 * one line. A word is hyphenated only when a line from an active break
 * could end inside it. */
#include "layout/linebreak.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "util/utf8.h"

/* Demerits as in TeX: (line penalty + badness)^2 + penalty^2 + extras.
 * Hyphens cost more than plain TeX's 50 (Typst's 135 is alike): long
 * Swedish compounds offer a point in almost every line; two in a row four
 * times a hyphen's cost, at the end of the last full line twice, as TeX. */
#define LINE_PENALTY 10.0
#define HYPHEN_PENALTY 170.0
#define EXPLICIT_PENALTY 50.0 /* after a hyphen, dash or slash in the text */
#define SOFT_PENALTY 500.0    /* pass 2 on: the last word, rather than spaces over twice natural */
#define RELAXED_PENALTY 400.0 /* pass 3: a point the rules leave out */
#define CHAR_PENALTY 3000.0   /* pass 3: between two characters */
#define DOUBLE_HYPHEN_DEMERITS (4 * HYPHEN_PENALTY * HYPHEN_PENALTY)
#define FINAL_HYPHEN_DEMERITS (2 * HYPHEN_PENALTY * HYPHEN_PENALTY)
#define ADJ_DEMERITS 10000.0
#define RUNT_DEMERITS 1e7 /* a heading's last line of one word, when it has more */
#define OVERFULL_DEMERITS 1e15
/* A justified space stretches by half its width and shrinks by a third,
 * the proportions of TeX's fonts and Typst's defaults. */
#define SPACE_STRETCH 0.5
#define SPACE_SHRINK (1.0 / 3)
#define TOLERANCE 1.26 /* stretch ratio of badness 200, TeX's tolerance */
#define RAG_EM 3.0     /* a ragged line's end stretches by 3 em (at most a third of the line) */
#define RAG_TOLERANCE 2.0
#define EMERGENCY 6.0 /* spaces 4 times natural: the emergency pass first tries within this */
#define EPS 0.001

enum { FIT_VERY_LOOSE, FIT_LOOSE, FIT_DECENT, FIT_TIGHT, FIT_COUNT };
/* the passes of the comment at the top: 1, 2 (in two steps), 3 */
enum { PASS_TOLERANT = 1, PASS_EMERGENCY, PASS_ANY, PASS_RELAXED };
enum { RUN_MAX = 2 }; /* hyphenated lines in a row */
enum { LB_START, LB_GLUE, LB_EXPLICIT, LB_HYPHEN, LB_CHAR, LB_FORCED, LB_END };
/* a hyphenation point by the rules, in the last word (pass 2), or only by the patterns (pass 3) */
enum { PT_NONE, PT_RULED, PT_SOFT, PT_RELAXED };

/* A feasible break: the line ending here and where the next one starts. */
typedef struct lb_node {
  double total;                                /* demerits of the best way to here */
  double start_w, start_stretch, start_shrink; /* running totals where the next line starts */
  int prev;
  int end_item, end_off;
  int start_item, start_off;
  unsigned char kind, fitness, run, hyphen;
} lb_node;

/* A break opportunity as the scan meets it. */
typedef struct lb_point {
  int kind;
  int end_item, end_off;
  double end_w, end_stretch, end_shrink;
  int start_item, start_off;
  double start_w, start_stretch, start_shrink;
  double penalty;
  int flagged;   /* ends in a hyphen or dash */
  double next_w; /* LB_CHAR: width of what follows up to the next such break */
} lb_point;

/* A word's hyphenation points, remembered: a report repeats its words,
 * and the patterns cost more than the rest of breaking a line. */
enum { MEMO_SLOTS = 1024 };
typedef struct hyphen_memo {
  uint32_t hash;
  unsigned char length; /* 0: empty */
  char word[HYPHEN_MAX_WORD];
  uint64_t bits[(HYPHEN_MAX_WORD + 63) / 64];
} hyphen_memo;

/* Heap memory kept by the context from paragraph to paragraph. */
struct linebreak_work {
  hyphen_memo *memo; /* MEMO_SLOTS, direct mapped */
  lb_node *nodes;
  int node_count, node_capacity;
  int *active;
  int active_count, active_capacity;
  unsigned char *points; /* per byte of the word being hyphenated */
  int points_capacity;
  unsigned char *wide; /* per item: in a run of glued items wider than the line */
  int wide_capacity;
};

typedef struct lb_pass {
  layout_ctx *ctx;
  paragraph *p;
  struct linebreak_work *w;
  int pass;
  double width, first_room, min_room;
  double space_stretch, space_shrink; /* per point of space width */
  double line_stretch;                /* every line's own: a ragged line's end */
  double threshold;                   /* largest stretch ratio of a line (not a last line) */
  int last_word;                      /* first item of the paragraph's last word */
  int heading;                        /* the paragraph is a heading: no one-word last line */
  int final_first; /* nodes of the latest forced break or the end: [final_first, node_count) */
  int hy_face;
  float hy_size;
  double hy_width;
} lb_pass;

/* ---- characters ---- */

static int is_letter(uint32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
         (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x370 && cp <= 0x1FFF);
}

/* Capitals of the scripts a Swedish report meets (Latin-1, Latin
 * Extended-A, Greek, Cyrillic). */
static int is_upper(uint32_t cp) {
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) return 1;
  if (cp >= 0x100 && cp <= 0x137) return !(cp & 1);
  if (cp >= 0x139 && cp <= 0x148) return cp & 1;
  if (cp >= 0x14A && cp <= 0x177) return !(cp & 1);
  if (cp == 0x178 || cp == 0x179 || cp == 0x17B || cp == 0x17D) return 1;
  return (cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x400 && cp <= 0x42F);
}

/* Letters right before text[i], back to text[start], counting up to max. */
static int letters_before(const char *text, int start, int i, int max) {
  int count = 0;
  while (i > start && count < max) {
    int k = i - 1;
    while (k > start && ((unsigned char)text[k] & 0xC0) == 0x80) k--;
    int n;
    if (!is_letter(utf8_decode(text + k, (size_t)(i - k), &n))) break;
    count++;
    i = k;
  }
  return count;
}

static int letters_from(const char *text, int length, int i, int max) {
  int count = 0;
  while (i < length && count < max) {
    int n;
    if (!is_letter(utf8_decode(text + i, (size_t)(length - i), &n))) break;
    count++;
    i += n;
  }
  return count;
}

int linebreak_after(const char *text, int length, int start, int i, int *n) {
  uint32_t cp = utf8_decode(text + i, (size_t)(length - i), n);
  int kind = cp == '-' || cp == 0x2010 || cp == 0x2013 || cp == 0x2014 ? BREAK_AFTER_DASH
             : cp == '/'                                               ? BREAK_AFTER_SLASH
                                                                       : BREAK_AFTER_NONE;
  if (kind == BREAK_AFTER_NONE) return kind;
  /* between words of two letters or more: not in numbers, dates, codes */
  if (letters_before(text, start, i, 2) < 2 || letters_from(text, length, i + *n, 2) < 2)
    return BREAK_AFTER_NONE;
  return kind;
}

/* ---- work memory ---- */

void linebreak_release(layout_ctx *ctx) {
  struct linebreak_work *w = ctx->linebreak;
  if (!w) return;
  free(w->nodes);
  free(w->active);
  free(w->points);
  free(w->wide);
  free(w->memo);
  free(w);
  ctx->linebreak = NULL;
}

static int push_node(lb_pass *s, const lb_node *n) {
  struct linebreak_work *w = s->w;
  lb_node *nodes = grow_heap(w->nodes, &w->node_capacity, w->node_count + 1, sizeof *nodes, 256);
  int *active = grow_heap(w->active, &w->active_capacity, w->active_count + 1, sizeof *active, 64);
  if (nodes) w->nodes = nodes;
  if (active) w->active = active;
  if (!nodes || !active) return -1;
  w->nodes[w->node_count] = *n;
  w->active[w->active_count++] = w->node_count;
  return w->node_count++;
}

/* ---- weighing one line ---- */

/* How far the line from a to bp must be stretched (> 0) or shrunk (< 0)
 * in units of what it can: below -1 it is overfull. */
static double line_ratio(const lb_pass *s, const lb_node *a, double room, const lb_point *bp,
                         double *natural) {
  double w = bp->end_w - a->start_w;
  *natural = w;
  if (bp->kind == LB_FORCED || bp->kind == LB_END)
    return w > room + EPS ? -INFINITY : 0; /* the rest of a last line is blank */
  double diff = room - w;
  if (diff >= -EPS) {
    double stretch = bp->end_stretch - a->start_stretch + s->line_stretch;
    if (diff <= EPS) return 0;
    return stretch > 0 ? diff / stretch : INFINITY;
  }
  double shrink = bp->end_shrink - a->start_shrink;
  return shrink > 0 ? diff / shrink : -INFINITY;
}

static double badness(double r) {
  double a = fabs(r);
  return a > 10 ? 1e5 : 100 * a * a * a;
}

static int fitness(double r) {
  return r < -0.5 ? FIT_TIGHT : r <= 0.5 ? FIT_DECENT : r <= 1 ? FIT_LOOSE : FIT_VERY_LOOSE;
}

static int one_word(const paragraph *p, int first, int last) {
  for (int i = first; i <= last; i++)
    if (p->items[i].kind == ITEM_SPACE) return 0;
  return 1;
}

/* Weighs every line from an active break to bp; records bp as a break
 * (one node per fitness class and hyphen run worth keeping). Returns 0
 * when the pass has no way on. */
static int try_point(lb_pass *s, const lb_point *bp) {
  struct linebreak_work *w = s->w;
  int final = bp->kind == LB_FORCED || bp->kind == LB_END;
  double best[FIT_COUNT][RUN_MAX + 1];
  int best_prev[FIT_COUNT][RUN_MAX + 1];
  unsigned used = 0; /* bit f * (RUN_MAX + 1) + r: best[f][r] is set */
  double least = INFINITY;
  int least_run = 0, found = 0, kept = 0, dead = -1;
  for (int k = 0; k < w->active_count; k++) {
    int ai = w->active[k];
    const lb_node *a = &w->nodes[ai];
    double room = ai == 0 ? s->first_room : s->width, natural;
    double r = line_ratio(s, a, room, bp, &natural);
    if (r < -1 - 1e-9) { /* overfull, and more so for every later break */
      dead = ai;
      continue;
    }
    w->active[kept++] = ai;
    if (!final && r > s->threshold) continue;
    /* between characters only where the next one would not fit (as first
     * fit does): one such break per line, not one per character */
    if (bp->kind == LB_CHAR && natural + bp->next_w <= room + EPS) continue;
    int run = bp->flagged ? a->run + 1 : 0;
    if (run > RUN_MAX) {
      if (s->pass < PASS_RELAXED) continue;
      run = RUN_MAX;
    }
    int fit = fitness(r);
    double b = LINE_PENALTY + badness(r);
    double d = b * b + bp->penalty * bp->penalty;
    if (bp->flagged && a->hyphen) d += DOUBLE_HYPHEN_DEMERITS;
    if (bp->kind == LB_END && a->hyphen) d += FINAL_HYPHEN_DEMERITS;
    if (abs(fit - a->fitness) > 1) d += ADJ_DEMERITS;
    if (bp->kind == LB_END && s->heading && ai != 0 && one_word(s->p, a->start_item, bp->end_item))
      d += RUNT_DEMERITS;
    double total = a->total + d;
    unsigned bit = 1u << (fit * (RUN_MAX + 1) + run);
    if (!(used & bit) || total < best[fit][run])
      best[fit][run] = total, best_prev[fit][run] = ai, used |= bit;
    if (total < least) least = total, least_run = run;
    found = 1;
  }
  w->active_count = final ? 0 : kept; /* no line reaches across a forced break */
  if (!found) {
    if (s->pass < PASS_RELAXED || kept > 0 || dead < 0) return !final && kept > 0;
    /* nothing fits even between characters: one overfull line */
    best[FIT_DECENT][0] = least = w->nodes[dead].total + OVERFULL_DEMERITS;
    least_run = 0;
    best_prev[FIT_DECENT][0] = dead;
    used = 1u << (FIT_DECENT * (RUN_MAX + 1));
  }
  if (final) s->final_first = w->node_count;
  /* A break in another class is worth keeping only while what it may save
   * later (adjacent-fitness and hyphen demerits) can make up for it; a
   * shorter hyphen run can save more (a third hyphen is refused). */
  double reach = least + ADJ_DEMERITS + DOUBLE_HYPHEN_DEMERITS + FINAL_HYPHEN_DEMERITS;
  for (int f = 0; f < FIT_COUNT; f++) {
    double floor = INFINITY; /* a shorter hyphen run that is no worse makes this one useless */
    for (int r = 0; r <= RUN_MAX; r++) {
      if (!(used & 1u << (f * (RUN_MAX + 1) + r)) || best[f][r] >= floor) continue;
      if (best[f][r] > reach && r >= least_run) continue;
      floor = best[f][r];
      lb_node n = {.total = best[f][r],
                   .start_w = bp->start_w,
                   .start_stretch = bp->start_stretch,
                   .start_shrink = bp->start_shrink,
                   .prev = best_prev[f][r],
                   .end_item = bp->end_item,
                   .end_off = bp->end_off,
                   .start_item = bp->start_item,
                   .start_off = bp->start_off,
                   .kind = (unsigned char)bp->kind,
                   .fitness = (unsigned char)f,
                   .run = (unsigned char)r,
                   .hyphen = (unsigned char)bp->flagged};
      if (push_node(s, &n) < 0) return 0;
    }
  }
  return 1;
}

/* ---- break opportunities inside a word ---- */

static double hyphen_width(lb_pass *s, const item *it) {
  if (it->face != s->hy_face || it->size != s->hy_size) {
    s->hy_face = it->face, s->hy_size = it->size;
    s->hy_width = layout_measure(s->ctx, it->face, it->size, "-", 1);
  }
  return s->hy_width;
}

/* Could a line from an active break end inside item i (starting at the
 * running totals given) within this pass's tolerance? */
static int reachable(const lb_pass *s, int i, double width, double W, double stretch, double shrink) {
  const struct linebreak_work *w = s->w;
  for (int k = 0; k < w->active_count; k++) {
    const lb_node *a = &w->nodes[w->active[k]];
    if (a->start_item == i) return 1;
    double room = w->active[k] == 0 ? s->first_room : s->width;
    double x0 = W - a->start_w;
    if (x0 > room + (shrink - a->start_shrink) + EPS) continue;
    if (isfinite(s->threshold) &&
        x0 + width < room - s->threshold * (stretch - a->start_stretch + s->line_stretch) - EPS)
      continue;
    return 1;
  }
  return 0;
}

static struct linebreak_work *work(layout_ctx *ctx) {
  if (!ctx->linebreak) ctx->linebreak = calloc(1, sizeof *ctx->linebreak);
  if (!ctx->linebreak) ctx->failed = 1;
  return ctx->linebreak;
}

/* hyphenator_breaks through the memo. */
static int patterns(struct linebreak_work *w, hyphenator *h, const char *word, int length,
                    unsigned char *breaks) {
  if (w && !w->memo) w->memo = calloc(MEMO_SLOTS, sizeof *w->memo);
  if (!w || !w->memo || length > HYPHEN_MAX_WORD) return hyphenator_breaks(h, word, (size_t)length, breaks);
  uint32_t hash = 2166136261u;
  for (int k = 0; k < length; k++) hash = (hash ^ (unsigned char)word[k]) * 16777619u;
  hyphen_memo *m = &w->memo[hash % MEMO_SLOTS];
  int count = 0;
  if (m->length == length && m->hash == hash && memcmp(m->word, word, (size_t)length) == 0) {
    for (int k = 0; k < length; k++) count += breaks[k] = (unsigned char)(m->bits[k / 64] >> (k % 64) & 1);
    return count;
  }
  count = hyphenator_breaks(h, word, (size_t)length, breaks);
  m->hash = hash, m->length = (unsigned char)length;
  memcpy(m->word, word, (size_t)length);
  memset(m->bits, 0, sizeof m->bits);
  for (int k = 0; k < length; k++)
    if (breaks[k]) m->bits[k / 64] |= (uint64_t)1 << (k % 64);
  return count;
}

int linebreak_patterns(layout_ctx *ctx, const char *word, int length, unsigned char *breaks) {
  return patterns(work(ctx), ctx->hyphen, word, length, breaks);
}

/* Marks the hyphenation points of item i in s->w->points (after byte k:
 * points[k]): PT_RULED where the rules allow one, PT_RELAXED (pass 3
 * only) where only the patterns do. Returns how many. */
static int hyphen_points(lb_pass *s, int i) {
  layout_ctx *ctx = s->ctx;
  const item *it = &s->p->items[i];
  if (!it->hyphenate || !ctx->hyphen) return 0;
  /* the letters, without punctuation around them */
  int a = 0, b = it->length, n;
  while (a < b && !is_letter(utf8_decode(it->text + a, (size_t)(b - a), &n))) a += n;
  while (b > a) {
    int k = b - 1;
    while (k > a && ((unsigned char)it->text[k] & 0xC0) == 0x80) k--;
    if (is_letter(utf8_decode(it->text + k, (size_t)(b - k), &n))) break;
    b = k;
  }
  if (b - a < 5 || b - a > HYPHEN_MAX_WORD) return 0;
  const template_model *t = ctx->tpl;
  int min_word = t && t->hyphen_min_word > 0 ? t->hyphen_min_word : 7;
  uint32_t first = utf8_decode(it->text + a, (size_t)(b - a), &n);
  /* a capitalised word may be a name (Örebro, Facebook), also at the
   * start of a sentence: by default it is hyphenated only in pass 3, when
   * nothing else fits; there only at joints with 4 letters on either side */
  int capital = is_upper(first) && !(t && t->hyphen_capitalized);
  int name = capital;
  int kind = name || letters_from(it->text, b, a, min_word) < min_word ? PT_RELAXED
             : i < s->last_word                                        ? PT_RULED
             : s->pass == PASS_TOLERANT                                ? PT_NONE
                                                                       : PT_SOFT;
  if ((kind == PT_RELAXED && s->pass < PASS_RELAXED) || kind == PT_NONE) return 0;
  if (kind == PT_SOFT && s->pass == PASS_RELAXED) kind = PT_RELAXED;
  unsigned char *pts = s->w->points;
  memset(pts, PT_NONE, (size_t)it->length);
  if (patterns(s->w, ctx->hyphen, it->text + a, b - a, pts + a) == 0) return 0;
  int kept = 0;
  for (int k = a; k < b; k++) {
    if (!pts[k]) continue;
    /* 2 letters before (the patterns see to it), 3 after; in the last
     * word 5, so that the last line is no stub ("universi-tet.") */
    int before = capital ? 4 : 2, after = capital ? 4 : 3;
    if (kind == PT_SOFT) after = 5;
    int ok = letters_from(it->text, b, k + 1, after) >= after &&
             letters_before(it->text, a, k + 1, before) >= before;
    pts[k] = ok ? kind : s->pass == PASS_RELAXED ? PT_RELAXED : PT_NONE;
    kept += pts[k] != PT_NONE;
  }
  return kept;
}

/* The breaks inside WORD item i, whose text starts at the running totals
 * W, stretch, shrink: hyphenation points and, in pass 3 inside a run wider
 * than the line, every character boundary. */
static int inner_points(lb_pass *s, int i, double W, double stretch, double shrink) {
  layout_ctx *ctx = s->ctx;
  const item *it = &s->p->items[i];
  if (it->length < 2) return 1;
  int chars = s->pass == PASS_RELAXED && s->w->wide[i];
  double hy = hyphen_width(s, it);
  if (!chars && !(it->hyphenate && ctx->hyphen)) return 1;
  if (!reachable(s, i, it->width + hy, W, stretch, shrink)) return 1;
  unsigned char *pts = grow_heap(s->w->points, &s->w->points_capacity, it->length, 1, 128);
  if (!pts) return 0;
  s->w->points = pts;
  int count = hyphen_points(s, i);
  if (count == 0 && !chars) return 1;
  /* walk the word as it is measured: a point at offset k ends a line at
   * the prefix width (plus a hyphen); the next line's part loses the
   * kerning across k, known one character later */
  item_walk wk;
  item_walk_begin(&wk);
  int pending = 0, pending_kind = 0;
  double pending_x = 0;
  while (item_walk_step(ctx, it, &wk)) {
    if (pending) {
      lb_point bp = {.kind = pending_kind,
                     .end_item = i,
                     .end_off = pending,
                     .end_w = W + pending_x + (pending_kind == LB_HYPHEN ? hy : 0),
                     .end_stretch = stretch,
                     .end_shrink = shrink,
                     .start_item = i,
                     .start_off = pending,
                     .start_w = W + pending_x + wk.kern,
                     .start_stretch = stretch,
                     .start_shrink = shrink,
                     .flagged = pending_kind == LB_HYPHEN,
                     .next_w = wk.x - pending_x};
      static const double penalty[] = {[PT_NONE] = 0,
                                       [PT_RULED] = HYPHEN_PENALTY,
                                       [PT_SOFT] = SOFT_PENALTY,
                                       [PT_RELAXED] = RELAXED_PENALTY};
      bp.penalty = pending_kind == LB_CHAR ? CHAR_PENALTY : penalty[pts[pending - 1]];
      if (!try_point(s, &bp)) return 0;
      pending = 0;
    }
    if (wk.pos >= it->length) break;
    int hyphen = count > 0 && pts[wk.pos - 1] != PT_NONE;
    if (hyphen || chars) pending = wk.pos, pending_kind = hyphen ? LB_HYPHEN : LB_CHAR, pending_x = wk.x;
  }
  return 1;
}

/* Pass 3: marks the items of runs (glued items, no break between them)
 * wider than the narrowest line. */
static int mark_wide_runs(lb_pass *s) {
  const paragraph *p = s->p;
  struct linebreak_work *w = s->w;
  unsigned char *wide = grow_heap(w->wide, &w->wide_capacity, p->item_count, 1, 256);
  if (!wide) return 0;
  w->wide = wide;
  memset(wide, 0, (size_t)p->item_count);
  int run = 0;
  double width = 0;
  for (int i = 0; i <= p->item_count; i++) {
    const item *it = i < p->item_count ? &p->items[i] : NULL;
    int glued = it && (it->kind == ITEM_WORD || it->kind == ITEM_SYMBOL) && i > run;
    if (glued) {
      const item *prev = &p->items[i - 1];
      glued = (prev->kind == ITEM_WORD || prev->kind == ITEM_SYMBOL) && !prev->break_after;
    }
    if (!glued) {
      if (width > s->min_room - EPS)
        for (int k = run; k < i; k++) wide[k] = 1;
      run = i, width = 0;
    }
    if (it && (it->kind == ITEM_WORD || it->kind == ITEM_SYMBOL)) width += it->width;
  }
  return 1;
}

/* ---- a pass ---- */

static int next_non_space(const paragraph *p, int i) {
  while (i < p->item_count && p->items[i].kind == ITEM_SPACE) i++;
  return i;
}

static int is_box(const item *it) {
  return it->kind == ITEM_WORD || it->kind == ITEM_SYMBOL;
}

static int ends_in_dash(const item *it) {
  if (it->kind != ITEM_WORD || it->length < 2) return 0;
  const unsigned char *e = (const unsigned char *)it->text + it->length;
  return e[-1] == '-' ||
         (it->length >= 4 && e[-3] == 0xE2 && e[-2] == 0x80 && e[-1] >= 0x90 && e[-1] <= 0x94);
}

/* Returns the node that ends the paragraph, -1 when the pass found no way
 * (or the paragraph is empty: then s->final_first is -1 too). */
static int run_pass(lb_pass *s) {
  const paragraph *p = s->p;
  struct linebreak_work *w = s->w;
  w->node_count = w->active_count = 0;
  s->final_first = -1;
  if (s->pass == PASS_RELAXED && !mark_wide_runs(s)) return -1;
  int i = next_non_space(p, 0);
  lb_node start = {.prev = -1, .start_item = i, .kind = LB_START, .fitness = FIT_DECENT};
  if (push_node(s, &start) < 0) return -1;
  double W = 0, stretch = 0, shrink = 0;             /* running totals at item i */
  double end_w = 0, end_stretch = 0, end_shrink = 0; /* at the end of the last box of the segment */
  int last_box = -1, segment = i;
  for (; i < p->item_count; i++) {
    const item *it = &p->items[i];
    switch ((item_kind)it->kind) {
      case ITEM_SPACE: {
        if (i > segment && is_box(&p->items[i - 1])) {
          double sw = 0;
          int j = i;
          for (; j < p->item_count && p->items[j].kind == ITEM_SPACE; j++) sw += p->items[j].width;
          if (j < p->item_count && p->items[j].kind != ITEM_BREAK) {
            /* "vård- och omsorg": a line ending so shows a hyphen too */
            lb_point bp = {.kind = LB_GLUE,
                           .end_item = i - 1,
                           .end_off = p->items[i - 1].length,
                           .end_w = W,
                           .end_stretch = stretch,
                           .end_shrink = shrink,
                           .start_item = j,
                           .start_w = W + sw,
                           .start_stretch = stretch + sw * s->space_stretch,
                           .start_shrink = shrink + sw * s->space_shrink,
                           .flagged = ends_in_dash(&p->items[i - 1])};
            if (!try_point(s, &bp)) return -1;
          }
        }
        W += it->width, stretch += it->width * s->space_stretch, shrink += it->width * s->space_shrink;
        break;
      }
      case ITEM_BREAK: {
        int j = next_non_space(p, i + 1);
        double sw = 0;
        for (int k = i + 1; k < j; k++) sw += p->items[k].width;
        int empty = last_box < segment;
        lb_point bp = {.kind = LB_FORCED,
                       .end_item = empty ? i : last_box,
                       .end_off = empty ? 0 : p->items[last_box].length,
                       .end_w = empty ? W : end_w,
                       .end_stretch = empty ? stretch : end_stretch,
                       .end_shrink = empty ? shrink : end_shrink,
                       .start_item = j,
                       .start_w = W + sw,
                       .start_stretch = stretch + sw * s->space_stretch,
                       .start_shrink = shrink + sw * s->space_shrink};
        if (!try_point(s, &bp)) return -1;
        segment = j;
        break;
      }
      case ITEM_WORD:
      case ITEM_SYMBOL: {
        if (it->kind == ITEM_WORD && !inner_points(s, i, W, stretch, shrink)) return -1;
        W += it->width;
        end_w = W, end_stretch = stretch, end_shrink = shrink, last_box = i;
        if (i + 1 < p->item_count && is_box(&p->items[i + 1])) {
          int explicit = it->break_after && p->items[i + 1].kind == ITEM_WORD;
          if (explicit || (s->pass == PASS_RELAXED && w->wide[i])) {
            lb_point bp = {.kind = explicit ? LB_EXPLICIT : LB_CHAR,
                           .end_item = i,
                           .end_off = it->length,
                           .end_w = W,
                           .end_stretch = stretch,
                           .end_shrink = shrink,
                           .start_item = i + 1,
                           .start_w = W,
                           .start_stretch = stretch,
                           .start_shrink = shrink,
                           .penalty = explicit ? EXPLICIT_PENALTY : CHAR_PENALTY,
                           .flagged = explicit && it->break_after == BREAK_AFTER_DASH,
                           .next_w = p->items[i + 1].width};
            if (!try_point(s, &bp)) return -1;
          }
        }
        break;
      }
    }
    if (w->active_count == 0) return -1;
  }
  if (last_box >= segment) {
    lb_point bp = {.kind = LB_END,
                   .end_item = last_box,
                   .end_off = p->items[last_box].length,
                   .end_w = end_w,
                   .end_stretch = end_stretch,
                   .end_shrink = end_shrink,
                   .start_item = p->item_count,
                   .start_w = end_w};
    if (!try_point(s, &bp)) return -1;
  } else if (s->final_first < 0) {
    return -1; /* nothing but spaces */
  }
  int best = -1;
  for (int k = s->final_first; k < w->node_count; k++)
    if (best < 0 || w->nodes[k].total < w->nodes[best].total) best = k;
  return best;
}

/* ---- the lines ---- */

static void set_line(lb_pass *s, line *l, const lb_node *from, const lb_node *to) {
  const paragraph *p = s->p;
  l->first = from->start_item, l->first_offset = from->start_off;
  l->last = to->end_item, l->last_offset = to->end_off;
  l->hyphen = to->kind == LB_HYPHEN;
  l->justify = to->kind == LB_GLUE || to->kind == LB_EXPLICIT || to->kind == LB_HYPHEN;
  /* the natural width as emission measures it */
  double x = 0;
  int spaces = 0;
  for (int i = l->first; i <= l->last && i < p->item_count; i++) {
    const item *it = &p->items[i];
    if (it->kind == ITEM_BREAK) continue;
    if (it->kind == ITEM_SPACE) {
      x += it->width, spaces++;
      continue;
    }
    int a = i == l->first ? l->first_offset : 0, b = i == l->last ? l->last_offset : it->length;
    x += a == 0 && b == it->length ? it->width : item_part_width(s->ctx, it, a, b);
  }
  if (l->hyphen) x += hyphen_width(s, &p->items[l->last]);
  l->width = (float)x;
  l->spaces = spaces;
}

static void setup_pass(lb_pass *s, int pass, double em) {
  const text_style *st = s->p->style;
  int justify = st && st->align == ALIGN_JUSTIFY;
  s->pass = pass;
  s->space_stretch = justify ? SPACE_STRETCH : 0;
  s->space_shrink = justify ? SPACE_SHRINK : 0;
  double rag = fmin(RAG_EM * em, s->min_room / 3);
  s->line_stretch = justify ? 0 : rag;
  /* a heading is short: every way is weighed, its rag against a runt */
  s->threshold = s->heading               ? INFINITY
                 : pass == PASS_TOLERANT  ? (justify ? TOLERANCE : RAG_TOLERANCE)
                 : pass == PASS_EMERGENCY ? EMERGENCY
                                          : INFINITY;
}

void linebreak_paragraph(layout_ctx *ctx, paragraph *p, double width) {
  p->width = width;
  p->line_count = 0;
  p->lines = NULL;
  int n = p->item_count;
  /* most paragraphs (cells, headings, short ones) are one line */
  double total = 0;
  int boxes = 0, first = -1, last = -1, breaks = 0;
  for (int i = 0; i < n; i++) {
    const item *it = &p->items[i];
    if (it->kind == ITEM_BREAK) breaks = 1;
    total += it->width;
    if (is_box(it)) boxes++, last = i, first = first < 0 ? i : first;
  }
  if (!breaks && boxes == 0) return;
  if (!breaks && total <= width - p->first_indent + EPS) {
    line *l = arena_alloc(ctx->pass, sizeof *l);
    if (!l) {
      ctx->failed = 1;
      return;
    }
    lb_node from = {0}, to = {0};
    from.start_item = first, to.end_item = last, to.end_off = p->items[last].length, to.kind = LB_END;
    lb_pass s = {.ctx = ctx, .p = p, .hy_face = -1};
    set_line(&s, l, &from, &to);
    p->lines = l;
    p->line_count = 1;
    return;
  }
  if (!work(ctx)) return;
  lb_pass s = {.ctx = ctx, .p = p, .w = ctx->linebreak, .width = width, .hy_face = -1};
  s.first_room = width - p->first_indent;
  s.min_room = fmin(s.first_room, width);
  /* the paragraph's last word, with what is glued to it */
  s.last_word = last < 0 ? n : last;
  while (s.last_word > 0 && is_box(&p->items[s.last_word - 1])) s.last_word--;
  double em = p->style ? p->style->size : first >= 0 ? p->items[first].size : 10;
  for (int k = 0; k < 3 && ctx->tpl; k++) s.heading |= p->style == &ctx->tpl->heading[k].text;
  int end = -1;
  for (int pass = PASS_TOLERANT; pass <= PASS_RELAXED && end < 0; pass++) {
    setup_pass(&s, pass, em);
    end = run_pass(&s);
  }
  if (end < 0) { /* pass 3 always finds a way: out of memory */
    ctx->failed = 1;
    return;
  }
  int count = 0;
  for (int k = end; s.w->nodes[k].prev >= 0; k = s.w->nodes[k].prev) count++;
  line *lines = arena_alloc(ctx->pass, sizeof *lines * (size_t)(count ? count : 1));
  if (!lines) {
    ctx->failed = 1;
    return;
  }
  int at = count;
  for (int k = end; s.w->nodes[k].prev >= 0; k = s.w->nodes[k].prev) {
    const lb_node *to = &s.w->nodes[k];
    set_line(&s, &lines[--at], &s.w->nodes[to->prev], to);
  }
  p->lines = lines;
  p->line_count = count;
}

double linebreak_space_extra(const paragraph *p, const line *l, double extra) {
  if (extra >= 0 || l->spaces <= 0) return extra > 0 ? extra : 0;
  double spaces = 0;
  for (int i = l->first; i <= l->last && i < p->item_count; i++)
    if (p->items[i].kind == ITEM_SPACE) spaces += p->items[i].width;
  double floor = -SPACE_SHRINK * spaces / l->spaces;
  return extra < floor ? floor : extra;
}
