/*
** import_pack.c -- a claim pack's lists, one element at a time.
**
** Parsing a pack whole kept every claim's tree in memory at once (several
** times the text) and freed it node by node at the end: a pack imported
** at a third of the speed of the same claims as JSON Lines.  So the text
** is first scanned for its shape only -- the top-level members, and in
** each list the bytes of each element -- and then each element is parsed
** on its own into a block freed at once (json_alloc.c), imported, and
** dropped.  Whatever is not a list is parsed as before, as a small pack
** with each list left empty (the skeleton).
**
** The outcome must be the whole parse's.  A text whose shape is anything
** but plain (more than 512 levels deep, a list given twice, a skeleton
** that does not parse) is parsed whole, as before; a list whose key is
** written with escapes stays in the skeleton.  Jansson parses each
** element and the skeleton, so a text scanned as an object whose every
** element and skeleton parse is one the whole parse accepts, with the
** same values.  When anything fails part way -- an element that does not
** parse, a record refused -- the whole text is parsed once more: if it
** does not parse, that is the message (the whole parse came first);
** if it does, the records came in the order the whole pack gives them,
** so the first refusal is the one it would have met.
**
** A pack in a regular file is not read whole: the scan and the elements
** read it through a window of a few megabytes (pack_text), so a million
** claims import in about the memory a million lines of JSON Lines take.
** A text the window cannot serve -- a read that fails or comes short, a
** NUL byte -- is read whole after all, and that reading says what is
** wrong.
*/
#include "import.h"

#include <stdlib.h>
#include <string.h>

/* ---- the scan ------------------------------------------------------------ */

/* Far below jansson's 2048 levels: an element parsed on its own is two
   levels shallower than in its pack. */
#define SCAN_DEPTH 512

typedef struct scan {
  pack_text *t;
  size_t n, i;
  size_t keep; /* the window keeps the bytes from here: the skeleton's */
  pack_spans *out;
  char *skel; /* the skeleton's text */
  size_t skel_len, skel_cap;
} scan;

/* The byte at i, or -1 past the end (or when it cannot be read). */
static inline int peek(scan *sc, size_t i) {
  const pack_text *t = sc->t;
  if (i - t->win_at < t->win_len) /* (i < win_at wraps: no) */
    return (unsigned char)t->win[i - t->win_at];
  if (i >= sc->n || !pack_text_get(sc->t, sc->keep, i - sc->keep + 1))
    return -1;
  return (unsigned char)t->win[i - t->win_at];
}

/* The bytes from `at` up to the scan, which the window keeps. */
static const char *kept(const scan *sc, size_t at) {
  return sc->t->win + (at - sc->t->win_at);
}

static int is_ws(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(scan *sc) {
  while (is_ws(peek(sc, sc->i)))
    sc->i++;
}

/* Past the string at i (its opening quote); 0 when it does not end. */
static int skip_string(scan *sc) {
  for (sc->i++;; sc->i++) {
    int c = peek(sc, sc->i);
    if (c < 0)
      return 0;
    if (c == '\\')
      sc->i++;
    else if (c == '"')
      return ++sc->i <= sc->n;
  }
}

/* Past the value at i: strings and brackets matched, scalars up to what
   ends them (jansson checks what they hold). */
static int skip_value(scan *sc) {
  char open[SCAN_DEPTH];
  int depth = 0;
  do {
    int c = peek(sc, sc->i);
    if (c < 0)
      return 0;
    if (c == '"') {
      if (!skip_string(sc))
        return 0;
    } else if (c == '{' || c == '[') {
      if (depth == SCAN_DEPTH)
        return 0;
      open[depth++] = c == '{' ? '}' : ']';
      sc->i++;
    } else if (c == '}' || c == ']') {
      if (depth == 0 || open[--depth] != c)
        return 0;
      sc->i++;
    } else if (depth == 0) {
      while ((c = peek(sc, sc->i)) >= 0 && !is_ws(c) && c != ',' && c != '}' &&
             c != ']' && c != '"')
        sc->i++;
    } else {
      sc->i++;
    }
  } while (depth > 0);
  return 1;
}

static int skel_add(scan *sc, const char *s, size_t n) {
  if (sc->skel_cap - sc->skel_len <= n) {
    size_t cap = 2 * (sc->skel_cap + n) + 64;
    char *p = realloc(sc->skel, cap);
    if (!p)
      return 0;
    sc->skel = p, sc->skel_cap = cap;
  }
  memcpy(sc->skel + sc->skel_len, s, n);
  sc->skel_len += n;
  sc->skel[sc->skel_len] = '\0';
  return 1;
}

/* An element at `at`, `len` bytes, `end` being where the one before it
   ended; 0 when a gap or a length does not fit in a span (the pack is
   parsed whole). */
static int add_span(pack_list *l, size_t *end, size_t at, size_t len) {
  if (at - *end > UINT32_MAX || len > UINT32_MAX)
    return 0;
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 64;
    span *p = realloc(l->at, cap * sizeof *p);
    if (!p)
      return 0;
    l->at = p, l->cap = cap;
  }
  l->at[l->n++] = (span){(uint32_t)(at - *end), (uint32_t)len};
  *end = at + len;
  return 1;
}

/* The elements of the list at i into l. */
static int scan_list(scan *sc, pack_list *l) {
  sc->i++;
  skip_ws(sc);
  l->from = sc->i;
  if (peek(sc, sc->i) == ']')
    return sc->i++, 1;
  for (size_t end = l->from;;) {
    size_t at = sc->keep = sc->i;
    if (!skip_value(sc) || sc->i == at || !add_span(l, &end, at, sc->i - at))
      return 0;
    skip_ws(sc);
    int c = peek(sc, sc->i++);
    if (c == ']')
      return 1;
    if (c != ',')
      return 0;
    skip_ws(sc);
  }
}

/* The list a key names, when it is one written plainly; else -1. */
static int list_named(const char *key, size_t len) {
  for (int k = 0; k < R_COUNT; k++)
    if (strlen(import_list_name[k]) == len &&
        memcmp(import_list_name[k], key, len) == 0)
      return k;
  return -1;
}

/* One member at i: its key and value into the skeleton, a list's
   elements into sc->out. */
static int scan_member(scan *sc) {
  size_t key = sc->keep = sc->i;
  if (peek(sc, sc->i) != '"' || !skip_string(sc))
    return 0;
  size_t key_end = sc->i;
  skip_ws(sc);
  if (peek(sc, sc->i++) != ':')
    return 0;
  skip_ws(sc);
  /* the window keeps the key: the skip above read from it */
  int k = list_named(kept(sc, key) + 1, key_end - key - 2);
  if (!skel_add(sc, kept(sc, key), key_end - key) || !skel_add(sc, ":", 1))
    return 0;
  if (k >= 0 && peek(sc, sc->i) == '[') {
    if (sc->out->list[k].listed) /* twice: the whole parse says so */
      return 0;
    sc->out->list[k].listed = 1;
    return scan_list(sc, &sc->out->list[k]) && skel_add(sc, "[]", 2);
  }
  size_t at = sc->keep = sc->i;
  return skip_value(sc) && skel_add(sc, kept(sc, at), sc->i - at);
}

void pack_spans_free(pack_spans *p) {
  for (int k = 0; k < R_COUNT; k++)
    free(p->list[k].at);
  free(p->skeleton);
  memset(p, 0, sizeof *p);
}

int pack_scan(pack_text *t, pack_spans *out) {
  memset(out, 0, sizeof *out);
  scan sc = {t, t->len, 0, 0, out, NULL, 0, 0};
  skip_ws(&sc);
  sc.keep = sc.i;
  int ok = peek(&sc, sc.i++) == '{' && skel_add(&sc, "{", 1);
  skip_ws(&sc);
  if (ok && peek(&sc, sc.i) == '}')
    sc.i++;
  else
    for (int first = 1; ok; first = 0) {
      ok = (first || skel_add(&sc, ",", 1)) && scan_member(&sc);
      sc.keep = sc.i;
      skip_ws(&sc);
      int c = peek(&sc, sc.i);
      if (!ok || (c != ',' && c != '}'))
        ok = 0;
      else if (sc.i++, c == '}')
        break;
      skip_ws(&sc);
    }
  sc.keep = sc.i;
  skip_ws(&sc);
  ok = ok && sc.i == sc.n && !t->failed && skel_add(&sc, "}", 1);
  t->db = NULL; /* the elements' reading is not the input's progress */
  out->text_len = sc.n;
  out->skeleton = sc.skel;
  out->skeleton_len = sc.skel_len;
  if (!ok)
    pack_spans_free(out);
  return ok;
}

/* The elements of list k, parsed and imported one by one. */
int pack_import_list(importer *imp, pack_text *t, const pack_list *l, int k) {
  size_t end = l->from;
  for (size_t i = 0; i < l->n; i++) {
    json_error_t err;
    ck_json_arena *arena;
    const char *s = pack_text_get(t, span_next(l, i, &end), l->at[i].len);
    if (!s)
      return PACK_UNPARSED;
    json_t *rec =
        ck_json_loadb_arena(s, l->at[i].len, LINE_FLAGS, &err, &arena);
    if (!rec)
      return input_parse_code(&err) == CK_NOMEM ? imp_nomem(imp)
                                                : PACK_UNPARSED;
    char ptr[64];
    snprintf(ptr, sizeof ptr, "/%s/%zu", import_list_name[k], i);
    ck_json_arena *outer = ck_json_arena_enter(arena);
    int rc = import_record(imp, (enum rec_kind)k, rec, ptr);
    ck_json_arena_enter(outer);
    ck_json_arena_free(rec, arena);
    if (rc != CK_OK)
      return rc;
  }
  return CK_OK;
}
