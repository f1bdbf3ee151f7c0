/*
** lua_pattern.c -- Lua 5.4's pattern matching for the sandbox
** (string.find, match, gmatch, gsub), with its work charged to the call's
** budget.
**
** Lua's own matcher backtracks inside C, where the count hook never runs:
** string.find(string.rep("a", 1e5), ".-.-.-.-b") takes hours, and so does
** "a*b" on a few megabytes of "a".  This matcher follows the semantics of
** the Lua manual (§6.4.1) and charges STEP_UNITS of budget for every step:
** a pattern item tried at a position, a repetition counted, a character of
** a balance scanned, four bytes of a set, a back-reference or a plain
** search compared.  A pattern therefore runs no longer than a loop taking
** as much time, and ends with the budget's error when that is spent.  Its
** results are Lua's: tests/c/test_sandbox.c compares them with the real
** string library on many thousands of generated patterns and subjects.
**
** Subjects and patterns are Lua strings, which always have a '\0' after
** their last byte; the matcher reads that byte where Lua's does (the
** frontier at the end of a subject), never further.
*/
#define _GNU_SOURCE /* memmem: linear-time plain search */
#include "lua_sandbox.h"

#include <ctype.h>
#include <lauxlib.h>
#include <string.h>

#define MAX_CAPTURES 32 /* LUA_MAXCAPTURES */
#define MAX_DEPTH 200   /* recursion of the matcher, as Lua's MAXCCALLS */
#define CHARGE_EVERY 1024
/* Units of budget a step costs: a backtracking step takes about twice a
   VM instruction's time (tests/c/test_sandbox.c's attacks, CK_VERBOSE=1),
   and the budget is meant as time. */
#define STEP_UNITS 2
/* Steps an escape of a replacement string (%1 ...) costs: a capture pushed
   and added, about eight instructions' time. */
#define ESCAPE_STEPS 4
#define CAP_OPEN (-1)
#define CAP_POSITION (-2)

typedef struct matcher {
  lua_State *L;
  const char *subject, *subject_end;
  const char *pattern_end;
  int depth; /* how much deeper the matcher may recurse */
  int level; /* captures started */
  unsigned steps; /* not yet charged */
  struct {
    const char *start;
    ptrdiff_t len; /* CAP_OPEN, CAP_POSITION, or the length */
  } cap[MAX_CAPTURES];
} matcher;

/* Charges in batches: the budget is looked at once per CHARGE_EVERY steps. */
static void charge(matcher *m, size_t n) {
  if (n >= CHARGE_EVERY) {
    sandbox_charge(m->L, (lua_Integer)n * STEP_UNITS);
    return;
  }
  m->steps += (unsigned)n;
  if (m->steps >= CHARGE_EVERY) {
    sandbox_charge(m->L, (lua_Integer)m->steps * STEP_UNITS);
    m->steps = 0;
  }
}

static void settle(matcher *m) {
  sandbox_charge(m->L, (lua_Integer)m->steps * STEP_UNITS);
  m->steps = 0;
}

static void matcher_init(matcher *m, lua_State *L, const char *s, size_t ls,
                         const char *p, size_t lp) {
  m->L = L;
  m->subject = s;
  m->subject_end = s + ls;
  m->pattern_end = p + lp;
  m->steps = 0;
}

static void matcher_reset(matcher *m) {
  m->level = 0;
  m->depth = MAX_DEPTH;
}

/* ---- single characters --------------------------------------------------- */

/* %a, %d ... (and their complements %A, %D ...); any other character after
   '%' stands for itself. */
static int class_has(int c, int cl) {
  int in;
  switch (tolower(cl)) {
  case 'a': in = isalpha(c); break;
  case 'c': in = iscntrl(c); break;
  case 'd': in = isdigit(c); break;
  case 'g': in = isgraph(c); break;
  case 'l': in = islower(c); break;
  case 'p': in = ispunct(c); break;
  case 's': in = isspace(c); break;
  case 'u': in = isupper(c); break;
  case 'w': in = isalnum(c); break;
  case 'x': in = isxdigit(c); break;
  case 'z': in = c == 0; break; /* deprecated, but Lua 5.4 reads it */
  default: return cl == c;
  }
  return isupper(cl) ? !in : in != 0;
}

/* c in the set [ ... ] that opens at p and closes at `close`. */
static int set_has(matcher *m, int c, const char *p, const char *close) {
  int want = 1;
  if (close - p > 4)
    charge(m, (size_t)(close - p) / 4);
  if (p[1] == '^') {
    want = 0;
    p++;
  }
  while (++p < close) {
    if (*p == '%') {
      p++;
      if (class_has(c, (unsigned char)*p))
        return want;
    } else if (p[1] == '-' && p + 2 < close) {
      p += 2;
      if ((unsigned char)p[-2] <= c && c <= (unsigned char)*p)
        return want;
    } else if ((unsigned char)*p == c) {
      return want;
    }
  }
  return !want;
}

/* Where the single-character class at p ends.  Walking a set is charged
   as reading it is (set_has): the matcher may reach a long set at as many
   places as it likes without testing a character against it. */
static const char *item_end(matcher *m, const char *p) {
  if (*p == '%') {
    if (p + 1 >= m->pattern_end)
      luaL_error(m->L, "malformed pattern (ends with '%%')");
    return p + 2;
  }
  if (*p == '[') {
    const char *q = p + 1;
    if (*q == '^')
      q++;
    do { /* the first character of a set may be ']' itself */
      if (q >= m->pattern_end)
        luaL_error(m->L, "malformed pattern (missing ']')");
      if (*q++ == '%' && q < m->pattern_end)
        q++;
    } while (*q != ']');
    if (q - p > 4)
      charge(m, (size_t)(q - p) / 4);
    return q + 1;
  }
  return p + 1;
}

/* Does the character at s match the class [p, ep)? */
static int single(matcher *m, const char *s, const char *p, const char *ep) {
  if (s >= m->subject_end)
    return 0;
  int c = (unsigned char)*s;
  switch (*p) {
  case '.': return 1;
  case '%': return class_has(c, (unsigned char)p[1]);
  case '[': return set_has(m, c, p, ep - 1);
  default: return (unsigned char)*p == c;
  }
}

/* ---- the matcher ----------------------------------------------------------- */

static const char *match_here(matcher *m, const char *s, const char *p);

static const char *longest(matcher *m, const char *s, const char *p,
                           const char *ep) {
  ptrdiff_t n = 0;
  while (single(m, s + n, p, ep)) {
    n++;
    charge(m, 1);
  }
  for (; n >= 0; n--) {
    const char *r = match_here(m, s + n, ep + 1);
    if (r)
      return r;
  }
  return NULL;
}

static const char *shortest(matcher *m, const char *s, const char *p,
                            const char *ep) {
  for (;;) {
    const char *r = match_here(m, s, ep + 1);
    if (r)
      return r;
    if (!single(m, s, p, ep))
      return NULL;
    s++;
  }
}

static const char *open_capture(matcher *m, const char *s, const char *p,
                                ptrdiff_t what) {
  if (m->level >= MAX_CAPTURES)
    luaL_error(m->L, "too many captures");
  m->cap[m->level].start = s;
  m->cap[m->level].len = what;
  m->level++;
  const char *r = match_here(m, s, p);
  if (!r)
    m->level--;
  return r;
}

static const char *close_capture(matcher *m, const char *s, const char *p) {
  int l = m->level - 1;
  while (l >= 0 && m->cap[l].len != CAP_OPEN)
    l--;
  if (l < 0)
    luaL_error(m->L, "invalid pattern capture");
  m->cap[l].len = s - m->cap[l].start;
  const char *r = match_here(m, s, p);
  if (!r)
    m->cap[l].len = CAP_OPEN;
  return r;
}

/* %bxy at s; p points at x. */
static const char *balanced(matcher *m, const char *s, const char *p) {
  if (p + 1 >= m->pattern_end)
    luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
  if (s >= m->subject_end || *s != *p)
    return NULL;
  char open = p[0], close = p[1];
  int depth = 1;
  while (++s < m->subject_end) {
    charge(m, 1);
    if (*s == close) {
      if (--depth == 0)
        return s + 1;
    } else if (*s == open) {
      depth++;
    }
  }
  return NULL;
}

/* %1 ... %9 at s. */
static const char *back_reference(matcher *m, const char *s, int digit) {
  int l = digit - '1';
  if (l < 0 || l >= m->level || m->cap[l].len == CAP_OPEN)
    luaL_error(m->L, "invalid capture index %%%d", l + 1);
  /* A position capture has no text: its length reads as huge, and never
     fits. */
  size_t len = (size_t)m->cap[l].len;
  if ((size_t)(m->subject_end - s) < len)
    return NULL;
  charge(m, 1 + len / 4);
  return memcmp(m->cap[l].start, s, len) == 0 ? s + len : NULL;
}

/* %b, %f or a back-reference at *p, matched at s: the subject after it,
   with *p moved past it; NULL when it does not match here. */
static const char *escape_item(matcher *m, const char *s, const char **p) {
  const char *q = *p;
  if (q[1] == 'b') {
    *p = q + 4;
    return balanced(m, s, q + 2);
  }
  if (q[1] == 'f') {
    q += 2;
    if (*q != '[')
      luaL_error(m->L, "missing '[' after '%%f' in pattern");
    const char *ep = item_end(m, q);
    int before = s == m->subject ? 0 : (unsigned char)s[-1];
    *p = ep;
    return !set_has(m, before, q, ep - 1) &&
                   set_has(m, (unsigned char)*s, q, ep - 1)
               ? s
               : NULL;
  }
  *p = q + 2;
  return back_reference(m, s, (unsigned char)q[1]);
}

/* A single-character class at *p, perhaps with a repetition after it,
   matched at *s: 1 when that settles the match (*s its end, or NULL), 0
   when the match goes on from the new *s and *p. */
static int class_item(matcher *m, const char **s, const char **p) {
  const char *ep = item_end(m, *p);
  char rep = ep < m->pattern_end ? *ep : '\0';
  if (!single(m, *s, *p, ep)) {
    if (rep == '*' || rep == '?' || rep == '-') {
      *p = ep + 1; /* none is enough */
      return 0;
    }
    *s = NULL;
    return 1;
  }
  const char *r;
  switch (rep) {
  case '?':
    if ((r = match_here(m, *s + 1, ep + 1))) {
      *s = r;
      return 1;
    }
    *p = ep + 1;
    return 0;
  case '+': *s = longest(m, *s + 1, *p, ep); return 1;
  case '*': *s = longest(m, *s, *p, ep); return 1;
  case '-': *s = shortest(m, *s, *p, ep); return 1;
  default:
    (*s)++;
    *p = ep;
    return 0;
  }
}

/* The end of a match of [p, pattern_end) at s, or NULL. */
static const char *match_here(matcher *m, const char *s, const char *p) {
  if (m->depth-- == 0)
    luaL_error(m->L, "pattern too complex");
  for (;;) {
    charge(m, 1);
    if (p == m->pattern_end)
      break;
    if (*p == '(') {
      s = p[1] == ')' ? open_capture(m, s, p + 2, CAP_POSITION)
                      : open_capture(m, s, p + 1, CAP_OPEN);
      break;
    }
    if (*p == ')') {
      s = close_capture(m, s, p + 1);
      break;
    }
    if (*p == '$' && p + 1 == m->pattern_end) {
      if (s != m->subject_end)
        s = NULL;
      break;
    }
    if (*p == '%' &&
        (p[1] == 'b' || p[1] == 'f' || isdigit((unsigned char)p[1]))) {
      if (!(s = escape_item(m, s, &p)))
        break;
      continue;
    }
    if (class_item(m, &s, &p))
      break;
  }
  m->depth++;
  return s;
}

/* ---- captures ---------------------------------------------------------------- */

/* Capture i of the match [s, e); with no captures, capture 0 is the match. */
static void push_capture(matcher *m, int i, const char *s, const char *e) {
  if (i >= m->level) {
    if (i != 0)
      luaL_error(m->L, "invalid capture index %%%d", i + 1);
    lua_pushlstring(m->L, s, (size_t)(e - s));
    return;
  }
  ptrdiff_t len = m->cap[i].len;
  if (len == CAP_OPEN)
    luaL_error(m->L, "unfinished capture");
  if (len == CAP_POSITION)
    lua_pushinteger(m->L, (lua_Integer)(m->cap[i].start - m->subject) + 1);
  else
    lua_pushlstring(m->L, m->cap[i].start, (size_t)len);
}

/* The captures, or the whole match when there are none and s is given. */
static int push_captures(matcher *m, const char *s, const char *e) {
  int n = m->level == 0 && s ? 1 : m->level;
  luaL_checkstack(m->L, n, "too many captures");
  for (int i = 0; i < n; i++)
    push_capture(m, i, s, e);
  return n;
}

/* ---- the string functions -------------------------------------------------- */

/* A 1-based start position, negative from the end, as Lua reads it. */
static size_t start_at(lua_Integer pos, size_t len) {
  if (pos > 0)
    return (size_t)pos;
  if (pos == 0 || pos < -(lua_Integer)len)
    return 1;
  return len + (size_t)pos + 1;
}

static int has_specials(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] && strchr("^$*+?.([%-", p[i]))
      return 1;
  return 0;
}

static int find_or_match(lua_State *L, int find) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = start_at(luaL_optinteger(L, 3, 1), ls) - 1;
  if (init > ls) {
    luaL_pushfail(L);
    return 1;
  }
  matcher m;
  matcher_init(&m, L, s, ls, p, lp);
  charge(&m, lp / 4); /* has_specials may read all of it */
  if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
    charge(&m, (ls - init + lp) / 4 + 1);
    settle(&m);
    const char *hit = lp == 0 ? s + init : memmem(s + init, ls - init, p, lp);
    if (hit) {
      lua_pushinteger(L, (lua_Integer)(hit - s) + 1);
      lua_pushinteger(L, (lua_Integer)(hit - s) + (lua_Integer)lp);
      return 2;
    }
    luaL_pushfail(L);
    return 1;
  }
  int anchor = lp > 0 && *p == '^';
  if (anchor)
    p++;
  const char *from = s + init;
  do {
    matcher_reset(&m);
    const char *e = match_here(&m, from, p);
    if (e) {
      settle(&m);
      if (!find)
        return push_captures(&m, from, e);
      lua_pushinteger(L, (lua_Integer)(from - s) + 1);
      lua_pushinteger(L, (lua_Integer)(e - s));
      return push_captures(&m, NULL, NULL) + 2;
    }
  } while (from++ < m.subject_end && !anchor);
  settle(&m);
  luaL_pushfail(L);
  return 1;
}

static int str_find(lua_State *L) { return find_or_match(L, 1); }

static int str_match(lua_State *L) { return find_or_match(L, 0); }

/* gmatch's iterator: its subject, pattern and place are upvalues. */
typedef struct gmatch_state {
  size_t next;       /* where the next search starts */
  size_t last_match; /* the end of the last match; (size_t)-1 before one */
} gmatch_state;

static int gmatch_next(lua_State *L) {
  size_t ls, lp;
  const char *s = lua_tolstring(L, lua_upvalueindex(1), &ls);
  const char *p = lua_tolstring(L, lua_upvalueindex(2), &lp);
  gmatch_state *g = lua_touserdata(L, lua_upvalueindex(3));
  matcher m;
  matcher_init(&m, L, s, ls, p, lp);
  for (size_t from = g->next; from <= ls; from++) {
    matcher_reset(&m);
    const char *e = match_here(&m, s + from, p);
    if (e && (size_t)(e - s) != g->last_match) {
      g->next = g->last_match = (size_t)(e - s);
      settle(&m);
      return push_captures(&m, s + from, e);
    }
  }
  settle(&m);
  return 0;
}

static int str_gmatch(lua_State *L) {
  size_t ls;
  luaL_checklstring(L, 1, &ls);
  luaL_checkstring(L, 2);
  size_t init = start_at(luaL_optinteger(L, 3, 1), ls) - 1;
  lua_settop(L, 2);
  gmatch_state *g = lua_newuserdatauv(L, sizeof *g, 0);
  g->next = init > ls ? ls + 1 : init;
  g->last_match = (size_t)-1;
  lua_pushcclosure(L, gmatch_next, 3);
  return 1;
}

/* A replacement string: %0 .. %9 and %%.  It is read again at every
   match, and each escape pushes a capture: both are charged, or a long
   replacement of empty captures would run for free (what it adds to the
   result is charged by the allocator when it grows). */
static void add_string(matcher *m, luaL_Buffer *b, const char *s,
                       const char *e) {
  size_t l;
  const char *r = lua_tolstring(m->L, 3, &l), *end = r + l;
  const char *pct;
  charge(m, l / 4 + 1);
  while ((pct = memchr(r, '%', (size_t)(end - r))) != NULL) {
    charge(m, ESCAPE_STEPS);
    luaL_addlstring(b, r, (size_t)(pct - r));
    int c = pct + 1 < end ? (unsigned char)pct[1] : '\0';
    if (c == '%') {
      luaL_addchar(b, '%');
    } else if (c == '0') {
      luaL_addlstring(b, s, (size_t)(e - s));
    } else if (isdigit(c)) {
      push_capture(m, c - '1', s, e);
      lua_tolstring(m->L, -1, NULL); /* a position capture is a number */
      luaL_addvalue(b);
    } else {
      luaL_error(m->L, "invalid use of '%%' in replacement string");
    }
    r = pct + 2;
  }
  luaL_addlstring(b, r, (size_t)(end - r));
}

/* Adds the replacement of the match [s, e); 0 when it is the match itself
   (a function or table gave nil or false), else 1. */
static int add_replacement(matcher *m, luaL_Buffer *b, const char *s,
                           const char *e, int kind) {
  lua_State *L = m->L;
  if (kind == LUA_TFUNCTION) {
    lua_pushvalue(L, 3);
    int n = push_captures(m, s, e);
    lua_call(L, n, 1);
  } else if (kind == LUA_TTABLE) {
    push_capture(m, 0, s, e);
    lua_gettable(L, 3);
  } else {
    add_string(m, b, s, e);
    return 1;
  }
  if (!lua_toboolean(L, -1)) { /* nil or false: keep the original text */
    lua_pop(L, 1);
    luaL_addlstring(b, s, (size_t)(e - s));
    return 0;
  }
  if (!lua_isstring(L, -1))
    luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  luaL_addvalue(b);
  return 1;
}

static int str_gsub(lua_State *L) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  int kind = lua_type(L, 3);
  lua_Integer max_n = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
  luaL_argexpected(L,
                   kind == LUA_TNUMBER || kind == LUA_TSTRING ||
                       kind == LUA_TFUNCTION || kind == LUA_TTABLE,
                   3, "string/function/table");
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  matcher m;
  matcher_init(&m, L, s, ls, p, lp);
  int anchor = lp > 0 && *p == '^';
  if (anchor)
    p++;
  const char *last_match = NULL;
  lua_Integer n = 0;
  int changed = 0;
  while (n < max_n) {
    matcher_reset(&m);
    const char *e = match_here(&m, s, p);
    if (e && e != last_match) {
      n++;
      changed |= add_replacement(&m, &b, s, e, kind);
      s = last_match = e;
    } else if (s < m.subject_end) {
      luaL_addchar(&b, *s++);
    } else {
      break;
    }
    if (anchor)
      break;
  }
  settle(&m);
  /* Nothing replaced: Lua gives back the subject itself, not a copy (the
     same object: string.format("%p") shows it, and no memory is spent). */
  if (changed) {
    luaL_addlstring(&b, s, (size_t)(m.subject_end - s));
    luaL_pushresult(&b);
  } else {
    lua_pushvalue(L, 1);
  }
  lua_pushinteger(L, n);
  return 2;
}

void sandbox_patterns(lua_State *L, int t) {
  static const luaL_Reg fns[] = {{"find", str_find},
                                 {"match", str_match},
                                 {"gmatch", str_gmatch},
                                 {"gsub", str_gsub},
                                 {NULL, NULL}};
  t = lua_absindex(L, t);
  for (const luaL_Reg *f = fns; f->name; f++) {
    lua_pushcfunction(L, f->func);
    lua_setfield(L, t, f->name);
  }
}
