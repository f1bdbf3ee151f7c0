/*
** registry.c -- the one table of callable functions, and the binding of
** JSON arguments (positional or named, defaults, types) to them.  Every
** front end (ck_call, ck_num, Python, Calc, Lua) goes through here, so an
** argument error reads the same everywhere.
*/
#include "internal.h"
#include "canon.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fn_cmp(const void *a, const void *b) {
  const ck_function *fa = *(const ck_function *const *)a;
  const ck_function *fb = *(const ck_function *const *)b;
  return strcmp(fa->name, fb->name);
}

int registry_init(ck_db *db) {
  struct {
    const ck_function *table;
    size_t n;
  } tables[] = {
      {ck_data_functions, ck_data_function_count},
      {ck_view_functions, ck_view_function_count},
      {ck_observation_functions, ck_observation_function_count},
      {ck_text_functions, ck_text_function_count},
      {ck_export_functions, ck_export_function_count},
  };
  size_t total = 0;
  for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
    total += tables[t].n;
  db->function_cap = total + 16;
  db->functions = malloc(db->function_cap * sizeof *db->functions);
  if (!db->functions)
    return db_nomem(db);
  db->nfunctions = 0;
  for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
    for (size_t i = 0; i < tables[t].n; i++)
      db->functions[db->nfunctions++] = &tables[t].table[i];
  qsort(db->functions, db->nfunctions, sizeof *db->functions, fn_cmp);
  return CK_OK;
}

void registry_free(ck_db *db) {
  for (size_t i = 0; i < db->nfunctions; i++)
    if (db->functions[i]->release)
      db->functions[i]->release((ck_function *)db->functions[i]);
  free(db->functions);
  db->functions = NULL;
  db->nfunctions = 0;
}

int registry_add(ck_db *db, ck_function *fn, ck_function **replaced) {
  *replaced = NULL;
  for (size_t i = 0; i < db->nfunctions; i++)
    if (strcmp(db->functions[i]->name, fn->name) == 0) {
      *replaced = (ck_function *)db->functions[i];
      db->functions[i] = fn;
      return CK_OK;
    }
  if (db->nfunctions == db->function_cap) {
    const ck_function **grown =
        realloc(db->functions, 2 * db->function_cap * sizeof *grown);
    if (!grown)
      return CK_NOMEM;
    db->functions = grown;
    db->function_cap *= 2;
  }
  db->functions[db->nfunctions++] = fn;
  qsort(db->functions, db->nfunctions, sizeof *db->functions, fn_cmp);
  return CK_OK;
}

const ck_function *registry_find(const ck_db *db, const char *name) {
  size_t lo = 0, hi = db->nfunctions;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(name, db->functions[mid]->name);
    if (c == 0)
      return db->functions[mid];
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

void result_clear(ck_result *r) {
  json_decref(r->json);
  memset(r, 0, sizeof *r);
}

/* Checks `v` against the parameter's type; returns a new reference to the
   (possibly converted) value, or NULL after setting the error. */
static json_t *coerce(ck_db *db, const ck_function *fn, const ck_param *p,
                      json_t *v) {
  const char *t = p->type;
  if (strcmp(t, "any") == 0)
    return json_incref(v);
  if (strcmp(t, "string") == 0) {
    if (json_is_string(v))
      return json_incref(v);
    /* A spreadsheet hands a typed 2026 over as a number. */
    if (json_is_number(v)) {
      strbuf sb;
      sb_init(&sb);
      double d = json_number_value(v);
      if (json_is_integer(v))
        sb_printf(&sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
      else if (d == floor(d) && fabs(d) < 1e15)
        sb_printf(&sb, "%.0f", d);
      else
        canon_number(&sb, d);
      char *s = sb_take(&sb);
      json_t *r = s ? json_string(s) : NULL;
      free(s);
      if (!r)
        db_nomem(db);
      return r;
    }
  } else if (strcmp(t, "number") == 0) {
    if (json_is_number(v))
      return json_incref(v);
  } else if (strcmp(t, "integer") == 0) {
    if (json_is_integer(v))
      return json_incref(v);
    double d = json_is_real(v) ? json_real_value(v) : NAN;
    if (d == floor(d) && fabs(d) < 9e15)
      return json_integer((json_int_t)d);
  } else if (strcmp(t, "boolean") == 0) {
    if (json_is_boolean(v))
      return json_incref(v);
    if (json_is_number(v))
      return json_boolean(json_number_value(v) != 0);
  } else if (strcmp(t, "array") == 0) {
    if (json_is_array(v))
      return json_incref(v);
  } else if (strcmp(t, "object") == 0) {
    if (json_is_object(v))
      return json_incref(v);
  }
  db_error(db, CK_INVALID, "%s: argument '%s' must be %s %s, not %s",
           fn->name, p->name, strchr("aeiou", t[0]) ? "an" : "a", t,
           ckjson_kind(v));
  return NULL;
}

/* 1 when the word s is one of the space-separated `choices`. */
static int chosen(const char *choices, const char *s) {
  size_t n = strlen(s);
  for (const char *c = choices; *c;) {
    const char *e = strchr(c, ' ');
    size_t len = e ? (size_t)(e - c) : strlen(c);
    if (len == n && memcmp(c, s, n) == 0)
      return 1;
    c += len + (e != NULL);
  }
  return 0;
}

/* "a, b, c" of "a b c", for messages. */
static void list_choices(strbuf *sb, const char *choices) {
  for (const char *c = choices; *c; c++)
    if (*c == ' ')
      sb_puts(sb, ", ");
    else
      sb_putc(sb, *c);
}

static int bind_args(ck_db *db, const ck_function *fn, json_t *given,
                     json_t **bound) {
  json_t *raw[CK_MAX_PARAMS] = {0};
  int np = fn_nparams(fn);
  if (json_is_array(given)) {
    if (json_array_size(given) > (size_t)np)
      return db_error(db, CK_INVALID, "%s takes at most %d argument%s, got %zu",
                      fn->name, np, np == 1 ? "" : "s", json_array_size(given));
    for (size_t i = 0; i < json_array_size(given); i++)
      raw[i] = json_array_get(given, i);
  } else {
    const char *key;
    json_t *val;
    json_object_foreach(given, key, val) {
      int i = 0;
      while (i < np && strcmp(fn->params[i].name, key) != 0)
        i++;
      if (i == np) {
        strbuf names;
        sb_init(&names);
        for (int j = 0; j < np; j++)
          sb_printf(&names, "%s%s", j ? ", " : "", fn->params[j].name);
        db_error(db, CK_INVALID, "%s has no parameter '%s' (it takes: %s)",
                 fn->name, key, names.data ? names.data : "nothing");
        sb_free(&names);
        return CK_INVALID;
      }
      raw[i] = val;
    }
  }
  for (int i = 0; i < np; i++) {
    const ck_param *p = &fn->params[i];
    json_t *v = raw[i];
    json_t *def = NULL;
    if (!v || json_is_null(v)) {
      if (!p->def)
        return db_error(db, CK_INVALID, "%s: missing argument '%s' (%s)",
                        fn->name, p->name, p->doc);
      def = ck_json_loads(p->def, JSON_DECODE_ANY, NULL);
      if (!def)
        return db_nomem(db);
      v = def;
    }
    bound[i] = coerce(db, fn, p, v);
    json_decref(def);
    if (!bound[i]) /* a refusal set the error; a failed conversion did not */
      return db->errcode != CK_OK
                 ? db->errcode
                 : db_error(db, CK_NOMEM, "%s: out of memory", fn->name);
    if (p->choices && json_is_string(bound[i]) &&
        !chosen(p->choices, json_string_value(bound[i]))) {
      strbuf list;
      sb_init(&list);
      list_choices(&list, p->choices);
      db_error(db, CK_INVALID, "%s: unknown %s '%.80s' (one of: %s)",
               fn->name, p->name, json_string_value(bound[i]),
               list.data ? list.data : p->choices);
      sb_free(&list);
      return CK_INVALID;
    }
  }
  return CK_OK;
}

int registry_call_json(ck_db *db, const char *name, json_t *args,
                       ck_result *out) {
  memset(out, 0, sizeof *out);
  if (!name)
    return db_error(db, CK_MISUSE, "function name is NULL");
  const ck_function *fn = registry_find(db, name);
  if (!fn)
    return db_error(db, CK_NOTFOUND,
                    "no function '%s' (ck_functions lists them)", name);
  json_t *given = args;
  if (given && !json_is_array(given) && !json_is_object(given))
    return db_error(db, CK_INVALID,
                    "%s: arguments must be a JSON list or object", name);
  json_t *empty = given ? NULL : json_array();
  if (!given && !(given = empty))
    return db_nomem(db);
  /* Read before the call: a registered function may replace its own
     entry. */
  int nparams = fn_nparams(fn);
  json_t *bound[CK_MAX_PARAMS] = {0};
  int rc = bind_args(db, fn, given, bound), renamed = 0;
  int builtin = fn->release == NULL;
  json_decref(empty);
  if (rc == CK_OK)
    rc = names_resolve(db, fn, bound, 0, &renamed);
  /* A registered (Lua) function's failure is CK_SCRIPT, and its entry may be gone
     after it: what could be an id is checked before it runs. */
  if (rc == CK_OK && !builtin)
    rc = names_resolve(db, fn, bound, 1, &renamed);
  if (rc == CK_OK) {
    rc = fn->impl(db, fn, bound, out);
    /* Not found: maybe an argument that looks like an id is a name (an
       alias such as "nvda"); only now is it checked, so that a call by id
       costs nothing more (names.c). */
    if (rc == CK_NOTFOUND && builtin) {
      int failed = names_resolve(db, fn, bound, 1, &renamed);
      if (failed != CK_OK)
        rc = failed;
      else if (renamed) {
        result_clear(out);
        db->errcode = CK_OK;
        db->errmsg[0] = '\0';
        rc = fn->impl(db, fn, bound, out);
      }
    }
    /* A result that could not be built (no memory) is a failure, whichever
       function it came from. */
    if (rc == CK_OK && !out->is_num && !out->json)
      rc = db_error(db, CK_NOMEM, "%s: out of memory", name);
    if (rc != CK_OK)
      result_clear(out);
  }
  for (int i = 0; i < nparams; i++)
    json_decref(bound[i]);
  return rc;
}

int registry_call(ck_db *db, const char *name, const char *args_json,
                  ck_result *out) {
  memset(out, 0, sizeof *out);
  if (!args_json || !*args_json)
    return registry_call_json(db, name, NULL, out);
  json_error_t err;
  json_t *given = ck_json_loads(
      args_json, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
  if (!given)
    return db_error(db, json_error_code(&err) == json_error_out_of_memory
                            ? CK_NOMEM
                            : CK_INVALID,
                    "%s: arguments: line %d, column %d: %s",
                    name ? name : "(null)", err.line, err.column, err.text);
  int rc = registry_call_json(db, name, given, out);
  json_decref(given);
  return rc;
}

/* The ck_functions() list. */
char *registry_describe(ck_db *db) {
  json_t *list = json_array();
  int bad = !list;
  for (size_t i = 0; !bad && i < db->nfunctions; i++) {
    const ck_function *fn = db->functions[i];
    json_t *params = json_array();
    bad |= !params;
    for (int j = 0; !bad && j < fn_nparams(fn); j++) {
      const ck_param *p = &fn->params[j];
      json_t *o = json_pack("{s:s, s:s, s:s}", "name", p->name, "type",
                            p->type, "doc", p->doc);
      if (o && p->def)
        jset(o, "default", ck_json_loads(p->def, JSON_DECODE_ANY, NULL),
             &bad);
      if (o && p->choices) {
        json_t *list = json_array();
        for (const char *c = p->choices; list && *c;) {
          size_t len = strcspn(c, " ");
          jpush(list, json_stringn(c, len), &bad);
          c += len + (c[len] == ' ');
        }
        jset(o, "choices", list, &bad);
      }
      if (o && p->record)
        jset(o, "record", json_string(p->record), &bad);
      if (o && p->format)
        jset(o, "format", json_string(p->format), &bad);
      jpush(params, o, &bad);
    }
    jpush(list,
          json_pack("{s:s, s:s, s:s, s:O}", "name", fn->name, "doc", fn->doc,
                    "returns", fn->returns, "params", params),
          &bad);
    json_decref(params);
  }
  char *text = bad ? NULL : canon_text(list, 0, 0);
  json_decref(list);
  return text;
}
