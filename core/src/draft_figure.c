/*
** draft_figure.c -- a figure's fields: its actor, entity and metric by the
** mention rules, and the observation drafted.  A part of a draft
** (draft_parts.h).
*/
#include "draft_parts.h"

/* The actor record at pos: nearest before it in the segment, else the
   speaker's; -1 none. */
int dp_actor_at(const segment *s, size_t pos) {
  size_t k = dp_first_from(&s->kinds[CB_ACTOR], pos);
  while (k > 0 && s->kinds[CB_ACTOR].at[k - 1]->end > pos)
    k--;
  return k ? s->kinds[CB_ACTOR].at[k - 1]->record : s->speaker;
}

json_t *dp_actor_json(const draft_in *in, int record) {
  return record >= 0 ? json_string(in->cb->ids[CB_ACTOR][record]) : json_null();
}

/* Is pos inside parentheses that close before `to`, with no other
   opening between?  小米(包括汽车)实现收入: 汽车 glosses 小米. */
#define GLOSS_BYTES 256
static int in_closed_gloss(const char *t, size_t pos, size_t to) {
  for (size_t i = pos; i < to && i < pos + GLOSS_BYTES; i++) {
    if (t[i] == '(' || (i + 3 <= to && memcmp(t + i, "（", 3) == 0))
      return 0;
    if (t[i] == ')' || (i + 3 <= to && memcmp(t + i, "）", 3) == 0))
      return 1;
  }
  return 0;
}

/* The entity nearest before figure k in [a, qe), passing over the ones in
   a parenthesis closed before the figure (a gloss of the name before) and
   the base of a share (占互联网服务收入的34.9%). */
static const cb_hit *entity_before(const segment *s, size_t k, size_t a) {
  const kind_list *l = &s->kinds[CB_ENTITY];
  size_t i = dp_first_from(l, s->q[k].end);
  for (int passed = 0; i > 0 && passed < 4; i--, passed++) {
    const cb_hit *h = l->at[i - 1];
    if (h->start < a)
      return NULL;
    /* 占总收入的25%: the base of a share is not its subject */
    if (!in_closed_gloss(s->t, h->end, s->q[k].start) &&
        !(h->start >= 3 && memcmp(s->t + h->start - 3, "占", 3) == 0))
      return h;
  }
  return NULL;
}

/* The metric named right after figure k, in its clause (ending at cb):
   $4 million of restructuring charges, a 14% annualized growth rate,
   约30亿元的补贴压力.  A percent takes only a name that follows it
   directly: 20% of revenue is a share of revenue, not revenue. */
static const cb_hit *metric_after(const segment *s, size_t k, size_t cb) {
  static const char *const joins[] = {"的", "of ", "on a ", "on an ", NULL};
  const char *t = s->t, *u = s->q[k].unit;
  size_t p = s->q[k].end;
  int percent = strcmp(u, "%") == 0 || strcmp(u, "pp") == 0 ||
                strcmp(u, "bp") == 0;
  while (p < cb && t[p] == ' ')
    p++;
  for (int i = 0; !percent && joins[i]; i++) {
    size_t n = strlen(joins[i]);
    if (p + n <= cb && memcmp(t + p, joins[i], n) == 0) {
      p += n;
      break;
    }
  }
  while (p < cb && t[p] == ' ')
    p++;
  const kind_list *l = &s->kinds[CB_METRIC];
  size_t i = dp_first_from(l, p);
  return i < l->n && l->at[i]->start == p && l->at[i]->end <= cb ? l->at[i]
                                                                 : NULL;
}

/* The entity of a sentence before [a, ...) joined to it by a semicolon
   (手机收入460亿元；毛利率11.1%): the last one named there. */
static const cb_hit *entity_carried(const segment *s, size_t a) {
  const kind_list *l = &s->kinds[CB_ENTITY];
  for (int steps = 0; steps < 4 && a > 0; steps++) {
    size_t e = a;
    while (e > 0 && s->t[e - 1] == ' ')
      e--;
    int semi = (e >= 3 && memcmp(s->t + e - 3, "；", 3) == 0) ||
               (e >= 1 && s->t[e - 1] == ';');
    if (!semi)
      return NULL;
    size_t pa, pb;
    dp_bounds(s->len, &s->sentences, e - 1, e - 1, &pa, &pb);
    size_t i = dp_first_from(l, e);
    if (i > 0 && l->at[i - 1]->start >= pa)
      return l->at[i - 1];
    if (pa >= a)
      return NULL;
    a = pa;
  }
  return NULL;
}

/* The n-th of a list of mentions of `kind` before figure k's list, or
   the mention rule's: nearest before in the sentence, else after. */
static const cb_hit *mention_of(segment *s, int kind, size_t k,
                                size_t a, size_t b) {
  const kind_list *l = &s->kinds[kind];
  size_t f = s->list_first[k];
  if (s->list_len[k] > 1) {
    if (s->list_asked != f) { /* once per list: a long one stays linear */
      s->list_asked = f;
      memset(s->list_mentions_known, 0, sizeof s->list_mentions_known);
    }
    if (!s->list_mentions_known[kind]) {
      s->list_mentions[kind] =
          dp_mention_list(s->t, l, s->q[f].start, a, s->list_len[k]);
      s->list_mentions_known[kind] = 1;
    }
    long first = s->list_mentions[kind];
    if (first >= 0)
      return l->at[first + (long)(k - f)];
  }
  const cb_hit *h = kind == CB_ENTITY ? entity_before(s, k, a)
                                      : dp_nearest_before(l, s->q[k].end, a);
  return h ? h : dp_nearest_after(l, s->q[k].end, b);
}

/* What a unit measures: 1 money, 2 a share (%, pp, bp), 3 a multiple, 4 a
   count (a measure word after the number: 3400万股, 10万辆), 5 another
   named unit (tokens, GWh); 0 unknown ("" without a measure word). */
enum { U_UNKNOWN, U_MONEY, U_SHARE, U_MULTIPLE, U_COUNT, U_OTHER };
static int unit_class(const char *u) {
  static const char *const money[] = {"CNY", "USD", "HKD", "JPY", "EUR",
                                      "GBP", "KRW", "TWD", NULL};
  if (!u || !*u)
    return U_UNKNOWN;
  for (int i = 0; money[i]; i++)
    if (strcmp(u, money[i]) == 0)
      return U_MONEY;
  if (strcmp(u, "%") == 0 || strcmp(u, "pp") == 0 || strcmp(u, "bp") == 0)
    return U_SHARE;
  return strcmp(u, "x") == 0 ? U_MULTIPLE : U_OTHER;
}

static int figure_class(const segment *s, size_t k) {
  static const char *const counters[] = {
      "股", "台", "辆", "輛", "部", "家", "个", "個", "件", "套", "只",
      "户", "戶", "名", "位", "人", " shares", " units", " vehicles", NULL};
  int c = unit_class(s->q[k].unit);
  if (c != U_UNKNOWN)
    return c;
  const char *p = s->t + s->q[k].end, *end = s->t + s->len;
  if (p < end && *p == ' ' && (unsigned char)p[1] >= 0x80)
    p++; /* 35 万台: the space web text puts before a character */
  for (int i = 0; counters[i]; i++) {
    size_t n = strlen(counters[i]);
    if ((size_t)(end - p) >= n && memcmp(p, counters[i], n) == 0)
      return U_COUNT;
  }
  return U_UNKNOWN;
}

/* Does figure k's unit say it cannot be metric m's (a count of shares is
   no amount of money; $4.2 million is no growth rate)? */
static int unit_conflict(const segment *s, size_t k, const cb_metric *m) {
  int f = figure_class(s, k), c = m ? unit_class(m->unit) : U_UNKNOWN;
  if (f == U_UNKNOWN || c == U_UNKNOWN)
    return 0;
  if (f == U_OTHER && c == U_OTHER)
    return strcmp(s->q[k].unit, m->unit) != 0;
  if ((f == U_COUNT && c == U_OTHER) || (f == U_OTHER && c == U_COUNT))
    return 0; /* 1-2个月 of a metric in months */
  return f != c;
}

/* The metric of figure k by mention h: the mention's, or its change's;
   null when the figure's unit contradicts it. */
static json_t *metric_by(segment *s, const draft_in *in, size_t k,
                         size_t a, size_t b, size_t ca, size_t cb,
                         const cb_hit *h, const cb_metric **out) {
  *out = NULL;
  if (!h)
    return json_null();
  const char *m = in->cb->ids[CB_METRIC][h->record];
  const cb_metric *info = codebook_metric(in->cb, m);
  int basis;
  int change = dp_states_change(s, k, ca, cb, &basis);
  const char *unit = s->q[k].unit;
  if (!change && info && info->unit && strcmp(info->unit, "%") == 0 &&
      (strcmp(unit, "pp") == 0 || strcmp(unit, "bp") == 0 ||
       draft_points_after(s->t, s->len, s->q[k].end)))
    change = 1;
  if (change) {
    /* as far as a quote reaches: a long sentence costs no more */
    size_t lo = s->q[k].start > CK_QUOTE_MAX ? s->q[k].start - CK_QUOTE_MAX : 0;
    size_t hi = s->q[k].end + CK_QUOTE_MAX;
    /* the figure's own words first: down 4.2% from the prior quarter and
       up 7.8% from a year ago names one basis for each */
    if (basis == CB_BASIS_NONE)
      basis = dp_own_basis(s, k, ca, cb);
    if (basis == CB_BASIS_NONE)
      basis = dp_basis_named(s, ca > lo ? ca : lo, cb < hi ? cb : hi);
    if (basis == CB_BASIS_NONE)
      basis = dp_basis_named(s, a > lo ? a : lo, b < hi ? b : hi);
    m = dp_change_metric(in->cb, m, basis);
    if (!m)
      return json_null();
    info = codebook_metric(in->cb, m);
  }
  if (unit_conflict(s, k, info))
    return json_null();
  *out = info;
  return json_string(m);
}

/* The metric named right after figure k, else the mention rule's; one
   whose unit contradicts the figure's gives way to the next before it in
   the sentence ($4.2 million Year-over-Year: not a growth rate). */
#define METRIC_TRIES 4
static json_t *metric_at(segment *s, const draft_in *in, size_t k,
                         size_t a, size_t b, size_t ca, size_t cb,
                         const cb_metric **out) {
  const kind_list *l = &s->kinds[CB_METRIC];
  const cb_hit *h = s->list_len[k] > 1 ? NULL : metric_after(s, k, cb);
  json_t *m = metric_by(s, in, k, a, b, ca, cb, h, out);
  if (!json_is_null(m))
    return m;
  const cb_hit *next = mention_of(s, CB_METRIC, k, a, b);
  for (int tries = 0; next && next != h && tries < METRIC_TRIES; tries++) {
    json_decref(m);
    h = next;
    m = metric_by(s, in, k, a, b, ca, cb, h, out);
    if (!json_is_null(m) || s->list_len[k] > 1)
      break; /* a list's n-th mention is the n-th figure's, or none */
    size_t i = dp_first_from(l, h->start); /* the one before h */
    next = i > 0 && l->at[i - 1]->start >= a ? l->at[i - 1] : NULL;
  }
  return m;
}

/* metric_at(), or, for a figure compared with the one before it (grew 8%,
   versus 5%) or a comparison's old level (from C, paired with A), that
   one's metric. */
static json_t *metric_of(segment *s, const draft_in *in, size_t k, size_t a,
                         size_t b, size_t ca, size_t cb,
                         const cb_metric **out) {
  size_t head = dp_base_counterpart(s, k, a);
  for (int steps = 0; steps < 16 && dp_versus_before(s, head, a); steps++)
    head--; /* a longer chain of comparisons is noise */
  if (head != k)
    dp_bounds(s->len, &s->clauses, s->q[head].start, s->q[head].end, &ca, &cb);
  return metric_at(s, in, head, a, b, ca, cb, out);
}

/* 1 when figure k restates the change just before it in another unit
   with no direction of its own -- "decreased $2.7 million, or 0.3%",
   "下降2.7亿元，即3%" -- and so takes that change's fall: its own words
   would read up.  Only an exact or approximate figure (a bound mirrored
   has no number to write). */
static int restates_a_fall(const segment *s, size_t k) {
  static const char *const joins[] = {", or ", ",or ", "，即", "，或", "，约合"};
  if (k == 0)
    return 0;
  const ck_quantity *q = &s->q[k], *before = &s->q[k - 1];
  if (before->direction >= 0 || q->direction || q->negative ||
      !(q->lo == q->value && q->hi == q->value) || before->end > q->start)
    return 0;
  /* the join may follow a word the first figure's reading left out, its
     unit (3万吨，即5%; 40 tons, or 5%): a few letters, no digit or stop */
  const char *gap = s->t + before->end;
  size_t n = q->start - before->end;
  for (size_t i = 0; i < sizeof joins / sizeof joins[0]; i++) {
    size_t j = strlen(joins[i]);
    if (j > n || memcmp(gap + n - j, joins[i], j) != 0 || n - j > 12)
      continue;
    size_t w = 0;
    while (w < n - j && !strchr("0123456789.,;:!?()", gap[w]) &&
           (unsigned char)gap[w] != 0xE3 && (unsigned char)gap[w] != 0xEF)
      w++; /* (0xE3, 0xEF lead CJK and full-width punctuation) */
    if (w == n - j)
      return 1;
  }
  return 0;
}

/* A figure's number: its own words, which the import reads again; or,
   when the sign comes from the words before them (restates_a_fall), the
   number itself and its unit, the words staying in the quote. */
static void figure_amount(const segment *s, size_t k, json_t *c, int *bad) {
  const ck_quantity *q = &s->q[k];
  if (!restates_a_fall(s, k)) {
    jset(c, "quantity", json_stringn(s->t + q->start, q->end - q->start), bad);
    return;
  }
  jset(c, "value", json_real(-q->value), bad);
  if (q->unit && *q->unit)
    jset(c, "unit", json_string(q->unit), bad);
}

int dp_figure(segment *s, draft_in *in, size_t k, placed *out) {
  size_t qs = s->q[k].start, qe = s->q[k].end, a, b, ca, cb;
  dp_bounds(s->len, &s->sentences, qs, qe, &a, &b);
  dp_bounds(s->len, &s->clauses, qs, qe, &ca, &cb);
  span quote = dp_quote_of(s->t, s->len, &s->sentences, qs, qe);
  if (!transcript_take_room(in->room, CLAIM_BYTES + quote.n))
    return -1;
  int bad = 0;
  json_t *c = json_object(), *entity = json_null(), *metric = json_null();
  const cb_metric *info = NULL;
  int actor = -1;
  if (in->cb) {
    const cb_hit *e = mention_of(s, CB_ENTITY, k, a, b);
    if (!e)
      e = entity_carried(s, a);
    entity = e ? json_string(in->cb->ids[CB_ENTITY][e->record])
             : in->subject ? json_string(in->subject) : json_null();
    metric = metric_of(s, in, k, a, b, ca, cb, &info);
    actor = dp_actor_at(s, qs);
  } else if (in->subject) {
    json_decref(entity);
    entity = json_string(in->subject);
  }
  json_t *period = info && info->point_in_time
                       ? dp_moment_of(s, k, a, b, in->published)
                       : dp_period_of(s, k, a, b, ca, cb);
  jset(c, "source", json_string(in->source), &bad);
  jset(c, "actor", in->cb ? dp_actor_json(in, actor) : json_null(), &bad);
  jset(c, "entity", entity, &bad);
  jset(c, "metric", metric, &bad);
  jset(c, "period", period, &bad);
  jset(c, "locator", json_string(s->locator), &bad);
  jset(c, "quote", json_stringn(quote.p, quote.n), &bad);
  figure_amount(s, k, c, &bad);
  if (!c || bad) {
    json_decref(c);
    return -1;
  }
  *out = (placed){qs, 0, c};
  return 0;
}
