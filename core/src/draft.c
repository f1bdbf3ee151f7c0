/*
** draft.c -- a transcript's segments into a draft claim pack with the
** codebook (DESIGN §8): an observation per quantity, its entity, metric,
** actor and period from the mentions and periods around it, and a view
** per question, sentence and actor whose cue a sentence holds.  Pure: the
** codebook and the source record come in loaded; JSON out.
**
** A null is better than a guess: a field the text does not settle stays
** null for the analyst.  Everything a figure needs is found by binary
** search in lists made once per segment (sentence and clause ends,
** mentions, periods), so a long text stays about linear.
**
** This file reads a segment, drafts its views and puts the whole together;
** sentence ends, quotes and mentions are draft_text.c's, changes and
** periods draft_periods.c's, a figure's fields draft_figure.c's;
** draft_parts.h is what they share.
*/
#include "draft_parts.h"
#include "internal.h"
#include "canon.h"
#include "codebook.h"
#include "periods.h"

#include <stdlib.h>
#include <string.h>

static int by_place(const void *a, const void *b) {
  const placed *x = a, *y = b;
  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  return x->view - y->view;
}

static void segment_free(segment *s) {
  free(s->q);
  free(s->list_first);
  free(s->list_len);
  dp_stops_free(&s->sentences);
  dp_stops_free(&s->clauses);
  free(s->mentions);
  free(s->cues);
  free((void *)s->kinds[0].at);
  free(s->periods);
  free(s->cmp);
}

/* Cue hits grouped by sentence, question and actor, the longest (in
   characters) first, then the first: the first of each group is the
   view drafted. */
/* At most this many listed actors share one cue's view. */
#define CUE_ACTORS_MAX 8

typedef struct cue_pick {
  size_t sentence; /* start */
  int actor;
  const cb_hit *hit;
} cue_pick;

static int by_pick(const void *a, const void *b) {
  const cue_pick *x = a, *y = b;
  if (x->sentence != y->sentence)
    return x->sentence < y->sentence ? -1 : 1;
  if (x->hit->record != y->hit->record)
    return x->hit->record < y->hit->record ? -1 : 1;
  if (x->actor != y->actor)
    return x->actor < y->actor ? -1 : 1;
  if (x->hit->chars != y->hit->chars)
    return x->hit->chars > y->hit->chars ? -1 : 1;
  return x->hit->start < y->hit->start ? -1 : x->hit->start > y->hit->start;
}

static int draft_view(segment *s, draft_in *in, const cue_pick *pick,
                      placed *out) {
  const cb_hit *h = pick->hit;
  size_t a, b;
  dp_bounds(s->len, &s->sentences, h->start, h->end, &a, &b);
  span quote = dp_quote_of(s->t, s->len, &s->sentences, h->start, h->end);
  if (!transcript_take_room(in->room, CLAIM_BYTES + quote.n))
    return -1;
  /* as_of: the date the sentence gives the opinion, else published */
  const char *d = dp_opinion_date_at(s, a, b, h->start);
  char as_of[11] = "";
  if (d && strlen(d) == 10)
    memcpy(as_of, d, 11);
  else if (d && period_end(d, as_of) != 0)
    as_of[0] = '\0';
  if (!as_of[0] && in->published && *in->published)
    snprintf(as_of, sizeof as_of, "%s", in->published);
  int bad = 0;
  json_t *c = json_object();
  jset(c, "source", json_string(in->source), &bad);
  jset(c, "actor", dp_actor_json(in, pick->actor), &bad);
  jset(c, "question", json_string(in->cb->ids[CB_CUE][h->record]), &bad);
  jset(c, "stance", json_integer(h->stance), &bad);
  jset(c, "locator", json_string(s->locator), &bad);
  jset(c, "quote", json_stringn(quote.p, quote.n), &bad);
  if (as_of[0])
    jset(c, "as_of", json_string(as_of), &bad);
  if (!c || bad) {
    json_decref(c);
    return -1;
  }
  *out = (placed){h->start, 1, c};
  return 0;
}

/* Only list separators (、 ， , 和 及 与 以及 and &, spaces) in t[from, to). */
static int only_separators(const char *t, size_t from, size_t to) {
  static const char *const seps[] = {"、", "，", ",", "和", "及", "与", "以及",
                                     "and", "&", " ", NULL};
  size_t p = from;
  int seen = 0;
  while (p < to) {
    size_t n = 0;
    for (int i = 0; seps[i] && !n; i++)
      if (strncmp(t + p, seps[i], strlen(seps[i])) == 0 &&
          p + strlen(seps[i]) <= to)
        n = strlen(seps[i]);
    if (!n)
      return 0;
    seen |= t[p] != ' ';
    p += n;
  }
  return seen;
}

/* The actors a cue at pos speaks for, into actors[0..max): the actor
   mentioned nearest before it, and those listed with it (花旗、高盛、摩根
   士丹利均维持“买入”评级; Citi and UBS both rate it a buy) in the cue's
   sentence [a, pos); else the speaker's (actor_at).  Their number. */
static size_t cue_actors(const segment *s, size_t pos, size_t a, int *actors,
                         size_t max) {
  const kind_list *l = &s->kinds[CB_ACTOR];
  size_t k = dp_first_from(l, pos);
  while (k > 0 && l->at[k - 1]->end > pos)
    k--;
  if (k == 0 || l->at[k - 1]->start < a) {
    actors[0] = dp_actor_at(s, pos);
    return 1;
  }
  size_t n = 0;
  actors[n++] = l->at[k - 1]->record;
  for (size_t j = k - 1; j > 0 && n < max && l->at[j - 1]->start >= a &&
                         only_separators(s->t, l->at[j - 1]->end,
                                         l->at[j]->start);
       j--)
    actors[n++] = l->at[j - 1]->record;
  return n;
}

/* The views of the segment's cues into out (room for CUE_ACTORS_MAX a
   cue): their number, or -1. */
static long draft_views(segment *s, draft_in *in, placed *out) {
  cue_pick *picks = malloc((s->nc * CUE_ACTORS_MAX + 1) * sizeof *picks);
  if (!picks)
    return -1;
  size_t np = 0;
  for (size_t i = 0; i < s->nc; i++) {
    size_t a, b;
    int actors[CUE_ACTORS_MAX];
    dp_bounds(s->len, &s->sentences, s->cues[i].start, s->cues[i].end, &a, &b);
    size_t na = cue_actors(s, s->cues[i].start, a, actors, CUE_ACTORS_MAX);
    for (size_t j = 0; j < na; j++)
      picks[np++] = (cue_pick){a, actors[j], &s->cues[i]};
  }
  if (np)
    qsort(picks, np, sizeof *picks, by_pick);
  long n = 0;
  for (size_t i = 0; i < np; i++) {
    if (i && picks[i].sentence == picks[i - 1].sentence &&
        picks[i].hit->record == picks[i - 1].hit->record &&
        picks[i].actor == picks[i - 1].actor)
      continue;
    if (in->left == 0) {
      in->too_many = 1;
      n = -1;
      break;
    }
    if (draft_view(s, in, &picks[i], &out[n]) != 0) {
      n = -1;
      break;
    }
    n++;
    in->left--;
  }
  free(picks); /* on failure the caller frees what was placed */
  return n;
}

/* A number inside a period or a date (fiscal 2025, FY '23, November 27)
   is no figure. */
static void drop_inside_periods(segment *s) {
  size_t kept = 0, p = 0;
  for (size_t k = 0; k < s->nq; k++) {
    while (p < s->np && s->periods[p].end <= s->q[k].start)
      p++;
    if (p < s->np && s->periods[p].start <= s->q[k].start &&
        s->q[k].end <= s->periods[p].end)
      continue;
    s->q[kept++] = s->q[k];
  }
  s->nq = kept;
}

/* Reads what the segment's claims are drafted from; 0, or -1. */
static int segment_read(segment *s, draft_in *in, json_t *seg) {
  memset(s, 0, sizeof *s);
  json_t *text = json_object_get(seg, "text");
  json_t *label = json_object_get(seg, "speaker");
  s->t = json_string_value(text);
  s->len = json_string_length(text);
  s->locator = json_string_value(json_object_get(seg, "locator"));
  s->speaker = in->cb ? codebook_speaker(in->cb, json_string_value(label),
                                         json_string_length(label))
                      : -1;
  if (s->speaker < 0)
    s->speaker = in->subject_actor;
  s->call_period = in->call_period;
  /* no more figures than the draft may still hold, and one to tell */
  int r = quantity_scan(s->t, s->len, in->left + 1, &s->q, &s->nq);
  if (r < 0)
    return -1;
  if (s->nq > in->left) {
    in->too_many = 1;
    return -1;
  }
  if (dp_find_stops(s->t, s->len, &s->sentences, draft_stop_at) ||
      dp_find_stops(s->t, s->len, &s->clauses, draft_clause_at) ||
      draft_periods(s->t, s->len, in->published, &s->periods, &s->np))
    return -1;
  drop_inside_periods(s);
  if (dp_find_comparisons(s))
    return -1;
  if (in->cb && codebook_find(in->cb, s->t, s->len, &s->mentions, &s->nm,
                              &s->cues, &s->nc, in->room))
    return -1;
  const cb_hit **by_kind = malloc((s->nm + 1) * sizeof *by_kind);
  s->list_first = malloc((s->nq + 1) * sizeof *s->list_first);
  s->list_len = malloc((s->nq + 1) * sizeof *s->list_len);
  s->kinds[0].at = by_kind;
  if (!by_kind || !s->list_first || !s->list_len)
    return -1;
  for (int k = 0, used = 0; k < CB_CUE; k++) {
    s->kinds[k].at = by_kind + used;
    for (size_t i = 0; i < s->nm; i++)
      if (s->mentions[i].kind == k)
        s->kinds[k].at[s->kinds[k].n++] = &s->mentions[i];
    used += (int)s->kinds[k].n;
  }
  s->kinds[0].at = by_kind; /* segment_free frees it through kinds[0] */
  s->list_asked = s->periods_asked = SIZE_MAX;
  dp_find_lists(s);
  return 0;
}

/* The draft's claims of one segment, appended to claims. */
static int draft_segment(json_t *claims, json_t *seg, draft_in *in) {
  segment s;
  int bad = segment_read(&s, in, seg) != 0;
  placed *out =
      bad ? NULL : calloc(s.nq + s.nc * CUE_ACTORS_MAX + 1, sizeof *out);
  size_t nplaced = 0;
  bad = bad || !out;
  for (size_t k = 0; !bad && k < s.nq; k++) {
    bad = dp_figure(&s, in, k, &out[nplaced]) != 0;
    nplaced += !bad;
  }
  if (!bad)
    in->left -= s.nq;
  if (!bad && in->cb) {
    long v = draft_views(&s, in, out + nplaced);
    if (v < 0) {
      bad = 1;
      for (size_t i = nplaced; i < s.nq + s.nc * CUE_ACTORS_MAX && out[i].claim;
           i++)
        json_decref(out[i].claim);
    } else {
      nplaced += (size_t)v;
    }
  }
  if (!bad && nplaced)
    qsort(out, nplaced, sizeof *out, by_place);
  for (size_t i = 0; i < nplaced; i++) {
    if (bad)
      json_decref(out[i].claim);
    else
      jpush(claims, out[i].claim, &bad);
  }
  free(out);
  segment_free(&s);
  return bad ? -1 : 0;
}

/* The actor whose id is the call's subject entity's: a company speaking
   for itself on its own call, the default actor of what no one else says. */
static int subject_actor(const codebook *cb, const char *subject) {
  for (size_t i = 0; cb && subject && i < cb->nids[CB_ACTOR]; i++)
    if (strcmp(cb->ids[CB_ACTOR][i], subject) == 0)
      return (int)i;
  return -1;
}

/* The period a call's title names ("2025 Q3 Earnings Call", "小米集团
   2025年三季度业绩会") when it names exactly one: the period of what the
   call says with no period of its own.  0, or -1 when memory runs out. */
static int call_period(const json_t *title, const char *published,
                       char out[CK_PERIOD_MAX]) {
  dr_period *p = NULL;
  size_t n = 0, found = 0;
  *out = '\0';
  if (!json_is_string(title))
    return 0;
  if (draft_periods(json_string_value(title), json_string_length(title),
                    published, &p, &n))
    return -1;
  for (size_t i = 0; i < n; i++)
    if (!p[i].date && !p[i].base && p[i].years == 1 && p[i].iso[0]) {
      if (found++ == 0)
        snprintf(out, CK_PERIOD_MAX, "%s", p[i].iso);
      else if (strcmp(out, p[i].iso) != 0)
        *out = '\0', found = 99;
    }
  free(p);
  return 0;
}

json_t *transcript_draft(const char *text, size_t len, const char *source,
                         const char *published, codebook *cb,
                         const json_t *source_record, long long *room,
                         int *too_many) {
  draft_in in = {source, published, NULL, -1, "", cb, room,
                 CK_DRAFT_MAX_CLAIMS, 0};
  if (too_many)
    *too_many = 0;
  if (source_record) {
    in.subject = json_string_value(json_object_get(source_record, "entity"));
    in.subject_actor = subject_actor(cb, in.subject);
    if (call_period(json_object_get(source_record, "title"), published,
                    in.call_period) != 0)
      return NULL;
  }
  json_t *segments = transcript_segments(text, len, room);
  if (!segments)
    return NULL;
  json_t *claims = json_array();
  int bad = !claims;
  size_t i;
  json_t *seg;
  json_array_foreach(segments, i, seg) {
    if (bad || draft_segment(claims, seg, &in) != 0) {
      bad = 1;
      break;
    }
  }
  json_decref(segments);
  /* the source record: the stored one as it is, else a new one */
  json_t *src = NULL;
  if (!bad && source_record) {
    src = json_deep_copy(source_record);
  } else if (!bad) {
    src = json_pack("{s:s, s:s}", "id", source, "kind", "transcript");
    if (src && published && *published)
      jset(src, "published", json_string(published), &bad);
  }
  if (too_many)
    *too_many = in.too_many;
  if (bad || !src) {
    json_decref(src);
    json_decref(claims);
    return NULL;
  }
  return json_pack("{s:i, s:[o], s:o}", "claimkit", 1, "sources", src,
                   "claims", claims);
}
