/*
** claimkit-lua -- the claimkit console.
**
**   claimkit-lua [-d file.db] [-e code] [script.lua [args...]]
**   claimkit-lua [-d file.db] draft [--csv] [--source ID] [--published DATE]
**                [FILE]
**   claimkit-lua -d file.db import FILE...
**   claimkit-lua -d file.db export [--csv] [FILTER]
**   claimkit-lua -d file.db report [-o report.html] [--title TEXT]
**
** Lua 5.4 with the claimkit module loaded, a database open as the global
** `db` (in memory without -d), and `ck`, whose functions are db's registry
** functions: ck.consensus("q") is db:consensus("q").  help() lists every
** function and help("consensus") describes one, both from ck_functions();
** pretty(v) prints a value, tabulate(rows [, columns]) lays rows out.
**
** Interactive on a terminal: a prompt with line editing (libedit), history
** in ~/.claimkit_history and tab completion of function and method names;
** lists of rows print as aligned tables.  From a pipe: the same, without a
** prompt.  With a script: runs it with `arg` set, as lua5.4 does.
**
** The commands do one thing each to the -d database (draft uses its
** codebook; import takes packs, JSON Lines and claim sheets; export writes
** a pack or, with --csv, a claim sheet; report writes the HTML report of
** whatever the database holds) and exit non-zero with a message on error.
*/
#include "lclaimkit.h"
#include "lua_json.h"

#include <claimkit.h>
#include <editline/readline.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static lua_State *globalL; /* for the completion callback only */

static int report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "claimkit-lua: %s\n", msg ? msg : "(error object)");
    lua_pop(L, 1);
  }
  return status;
}

static int traceback(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  luaL_traceback(L, L, msg ? msg : "(error object)", 1);
  return 1;
}

static int docall(lua_State *L, int nargs, int nresults) {
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, traceback);
  lua_insert(L, base);
  int status = lua_pcall(L, nargs, nresults, base);
  lua_remove(L, base);
  return status;
}

/* ---- JSON ------------------------------------------------------------------- */

#define JSON_OUT (JSON_INDENT(2) | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY)

/* json(v): v as indented JSON text, keys sorted. */
static int l_json(lua_State *L) {
  char err[256];
  luaL_checkany(L, 1);
  json_t *v = ckl_to_json(L, 1, err, sizeof err);
  if (!v)
    return luaL_error(L, "json: %s", err);
  char *text = json_dumps(v, JSON_OUT | JSON_SORT_KEYS);
  json_decref(v);
  if (!text)
    return luaL_error(L, "json: out of memory");
  lua_pushstring(L, text);
  free(text);
  return 1;
}

/* terminal_width(): the columns of the terminal on standard output, else
   $COLUMNS, else 80. */
static int l_terminal_width(lua_State *L) {
  struct winsize ws;
  const char *env = getenv("COLUMNS");
  int cols = 80;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    cols = ws.ws_col;
  else if (env && atoi(env) > 0)
    cols = atoi(env);
  lua_pushinteger(L, cols);
  return 1;
}

/* ---- commands -------------------------------------------------------------- */

static int usage(void);

/* The database a command works on: the file of -d (which must exist when
   the command only reads it), else an empty one in memory. */
static ck_db *command_db(const char *cmd, const char *path, int writes) {
  ck_db *db = NULL;
  int rc = ck_open(path ? path : ":memory:",
                   path && !writes ? CK_OPEN_READONLY : 0, &db);
  if (rc != CK_OK) {
    fprintf(stderr, "claimkit-lua %s: %s\n", cmd,
            db ? ck_errmsg(db) : "out of memory");
    ck_close(db);
    return NULL;
  }
  return db;
}

static char *read_input(const char *cmd, const char *path, size_t *len) {
  FILE *f = path ? fopen(path, "rb") : stdin;
  if (!f) {
    fprintf(stderr, "claimkit-lua %s: cannot open '%s': %s\n", cmd, path,
            strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, n;
  char *text = malloc(cap);
  *len = 0;
  while (text && (n = fread(text + *len, 1, cap - *len - 1, f)) > 0) {
    *len += n;
    if (cap - *len < 2) {
      char *grown = realloc(text, cap * 2);
      if (!grown) {
        free(text);
        text = NULL;
        break;
      }
      text = grown;
      cap *= 2;
    }
  }
  if (path)
    fclose(f);
  if (!text)
    fprintf(stderr, "claimkit-lua %s: out of memory\n", cmd);
  else
    text[*len] = '\0';
  return text;
}

/* Prints a registry function's answer: text as it is, JSON indented. */
static int print_call(ck_db *db, const char *cmd, const char *fn,
                      json_t *args) {
  char *args_text = args ? json_dumps(args, JSON_COMPACT) : NULL;
  json_decref(args);
  if (!args_text) {
    fprintf(stderr, "claimkit-lua %s: the input is not UTF-8 text\n", cmd);
    return 1;
  }
  const char *out = ck_call(db, fn, args_text);
  free(args_text);
  if (!out) {
    fprintf(stderr, "claimkit-lua %s: %s\n", cmd, ck_errmsg(db));
    return 1;
  }
  json_t *v = json_loads(out, JSON_DECODE_ANY, NULL);
  char *pretty = json_is_string(v) ? NULL : json_dumps(v, JSON_OUT);
  if (json_is_string(v))
    fwrite(json_string_value(v), 1, json_string_length(v), stdout);
  else
    printf("%s\n", pretty ? pretty : out);
  free(pretty);
  json_decref(v);
  return fflush(stdout) == 0 ? 0 : 1;
}

/* draft [--csv] [--source ID] [--published DATE] [FILE]: the draft pack
   of a transcript, with the codebook of the -d database, ready to edit;
   with --csv as a claim sheet, its source a first row of type "source" so
   that the sheet imports where only the codebook is. */
static int draft_command(const char *dbpath, int argc, char **argv) {
  const char *source = "draft", *published = "", *path = NULL;
  int csv = 0;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--csv") == 0)
      csv = 1;
    else if (strcmp(argv[i], "--source") == 0 && i + 1 < argc)
      source = argv[++i];
    else if (strcmp(argv[i], "--published") == 0 && i + 1 < argc)
      published = argv[++i];
    else if (!path && (argv[i][0] != '-' || !argv[i][1]))
      path = strcmp(argv[i], "-") == 0 ? NULL : argv[i];
    else
      return usage();
  }
  size_t len;
  char *text = read_input("draft", path, &len);
  if (!text)
    return 1;
  json_t *args = json_pack("[s%,s,s]", text, len, source, published);
  free(text);
  ck_db *db = command_db("draft", dbpath, 0);
  if (!db) {
    json_decref(args);
    return 1;
  }
  int rc;
  if (!csv) {
    rc = print_call(db, "draft", "draft", args);
  } else {
    char *args_text = args ? json_dumps(args, JSON_COMPACT) : NULL;
    const char *out = args_text ? ck_call(db, "draft", args_text) : NULL;
    json_t *pack = out ? json_loads(out, 0, NULL) : NULL;
    json_decref(args);
    free(args_text);
    if (!pack) {
      fprintf(stderr, "claimkit-lua draft: %s\n",
              out || !args_text ? "out of memory" : ck_errmsg(db));
      rc = 1;
    } else {
      /* the whole pack: the source travels as a row of type "source" */
      rc = print_call(db, "draft", "sheet", json_pack("[so]", "", pack));
      pack = NULL;
      json_decref(pack);
    }
  }
  ck_close(db);
  return rc;
}

static long claim_count(ck_db *db) {
  const char *out = ck_call(db, "sql", "[\"SELECT count(*) AS n FROM claims\"]");
  json_t *rows = out ? json_loads(out, 0, NULL) : NULL;
  long n = (long)json_integer_value(json_object_get(json_array_get(rows, 0),
                                                    "n"));
  json_decref(rows);
  return n;
}

/* import FILE...: packs, JSON Lines and claim sheets into the -d database,
   each file one transaction. */
static int import_command(const char *dbpath, int argc, char **argv) {
  if (!dbpath || argc == 0)
    return usage();
  ck_db *db = command_db("import", dbpath, 1);
  if (!db)
    return 1;
  int rc = 0;
  for (int i = 0; i < argc && rc == 0; i++) {
    long before = claim_count(db);
    if (ck_import_file(db, argv[i]) != CK_OK) {
      fprintf(stderr, "claimkit-lua import: %s\n", ck_errmsg(db));
      rc = 1;
      break;
    }
    long after = claim_count(db);
    printf("%s: %ld new claim%s, %ld in all\n", argv[i], after - before,
           after - before == 1 ? "" : "s", after);
  }
  ck_close(db);
  return rc;
}

/* export [--csv] [FILTER]: the -d database as a canonical pack, or the
   claims as a claim sheet, on standard output. */
static int export_command(const char *dbpath, int argc, char **argv) {
  int csv = 0;
  const char *filter = "";
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--csv") == 0)
      csv = 1;
    else if (!*filter)
      filter = argv[i];
    else
      return usage();
  }
  ck_db *db = command_db("export", dbpath, 0);
  if (!db)
    return 1;
  int rc;
  if (csv) {
    rc = print_call(db, "export", "sheet", json_pack("[s]", filter));
  } else {
    const char *pack = ck_export_json(db, filter);
    if (pack)
      fputs(pack, stdout);
    else
      fprintf(stderr, "claimkit-lua export: %s\n", ck_errmsg(db));
    rc = !pack || fflush(stdout) != 0;
  }
  ck_close(db);
  return rc;
}

/* ---- printing ------------------------------------------------------------ */

/* print() the values, except lists of rows, which pretty() lays out. */
static void print_results(lua_State *L, int n) {
  if (n == 0)
    return;
  lua_getglobal(L, "pretty");
  lua_insert(L, -(n + 1));
  report(L, docall(L, n, 0));
}

/* Lua side of the console: help(), pretty(), ck. */
static const char *const prelude =
    "local db = ...\n"
    "local as_json = {__tostring = function(t) return json(t) end}\n"
    "-- ck.name(...) is db:name(...); tables it returns print as JSON\n"
    "ck = setmetatable({}, {__index = function(_, name)\n"
    "  return function(...)\n"
    "    local r = db:call(name, ...)\n"
    "    if type(r) == 'table' then setmetatable(r, as_json) end\n"
    "    return r\n"
    "  end end})\n"
    "local function fmt(v)\n"
    "  if v == nil then return '' end\n"
    "  if math.type(v) == 'float' then\n"
    "    if v ~= v then return 'nan' end\n"
    "    if v == math.floor(v) and math.abs(v) < 1e15 then\n"
    "      return string.format('%d', v) end\n"
    "    return string.format('%.6g', v)\n"
    "  end\n"
    "  if type(v) == 'table' then\n"
    "    local parts = {}\n"
    "    for i, x in ipairs(v) do parts[i] = fmt(x) end\n"
    "    if #parts > 0 or next(v) == nil then return table.concat(parts, ', ') end\n"
    "    local keys = {}\n"
    "    for k in pairs(v) do keys[#keys + 1] = tostring(k) end\n"
    "    table.sort(keys)\n"
    "    for i, k in ipairs(keys) do parts[i] = k .. '=' .. fmt(v[k]) end\n"
    "    return '{' .. table.concat(parts, ', ') .. '}'\n"
    "  end\n"
    "  return tostring(v)\n"
    "end\n"
    "local first_columns = {id = 1, actor = 2, name = 3, date = 4, period = 5,\n"
    "  text = 6}\n"
    "local function columns(rows)\n"
    "  local seen, cols = {}, {}\n"
    "  for _, row in ipairs(rows) do\n"
    "    for k in pairs(row) do\n"
    "      if not seen[k] then seen[k] = true; cols[#cols + 1] = k end\n"
    "    end\n"
    "  end\n"
    "  table.sort(cols, function(a, b)\n"
    "    local ra, rb = first_columns[a] or 99, first_columns[b] or 99\n"
    "    if ra ~= rb then return ra < rb end\n"
    "    return a < b end)\n"
    "  return cols\n"
    "end\n"
    "-- terminal columns: East Asian wide characters take two\n"
    "local function cp_width(c)\n"
    "  if c >= 0x1100 and (c <= 0x115F or (c >= 0x2E80 and c <= 0xA4CF)\n"
    "      or (c >= 0xAC00 and c <= 0xD7A3) or (c >= 0xF900 and c <= 0xFAFF)\n"
    "      or (c >= 0xFE30 and c <= 0xFE4F) or (c >= 0xFF00 and c <= 0xFF60)\n"
    "      or (c >= 0xFFE0 and c <= 0xFFE6)) then return 2 end\n"
    "  return 1\n"
    "end\n"
    "local function width(s)\n"
    "  if not utf8.len(s) then return #s end\n"
    "  local w = 0\n"
    "  for _, c in utf8.codes(s) do w = w + cp_width(c) end\n"
    "  return w\n"
    "end\n"
    "local function clip(s, max)\n"
    "  if width(s) <= max or not utf8.len(s) then return s end\n"
    "  local w, out = 0, {}\n"
    "  for _, c in utf8.codes(s) do\n"
    "    w = w + cp_width(c)\n"
    "    if w > max - 1 then break end\n"
    "    out[#out + 1] = utf8.char(c)\n"
    "  end\n"
    "  return table.concat(out) .. '…'\n"
    "end\n"
    "-- text in lines of at most `max` columns, broken at a space, else anywhere\n"
    "-- (Chinese has no spaces)\n"
    "local function wrap(s, max)\n"
    "  if not utf8.len(s) or width(s) <= max then return {s} end\n"
    "  local lines, cur, cw, last_space = {}, {}, 0, nil\n"
    "  for _, c in utf8.codes(s) do\n"
    "    local ch, w = utf8.char(c), cp_width(c)\n"
    "    if cw + w > max and #cur > 0 then\n"
    "      if ch == ' ' then\n"
    "        lines[#lines + 1] = table.concat(cur)\n"
    "        cur, cw, last_space, ch = {}, 0, nil, nil\n"
    "      elseif last_space then\n"
    "        lines[#lines + 1] = table.concat(cur, '', 1, last_space - 1)\n"
    "        cur = table.move(cur, last_space + 1, #cur, 1, {})\n"
    "        cw, last_space = width(table.concat(cur)), nil\n"
    "      else\n"
    "        lines[#lines + 1] = table.concat(cur)\n"
    "        cur, cw, last_space = {}, 0, nil\n"
    "      end\n"
    "    end\n"
    "    if ch then\n"
    "      cur[#cur + 1] = ch\n"
    "      cw = cw + w\n"
    "      if ch == ' ' then last_space = #cur end\n"
    "    end\n"
    "  end\n"
    "  if #cur > 0 then lines[#lines + 1] = table.concat(cur) end\n"
    "  return lines\n"
    "end\n"
    "-- rows as aligned columns; cells cut at 40 columns, or with wrap_last the\n"
    "-- last column wrapped to the terminal's width\n"
    "local function table_text(rows, cols, wrap_last)\n"
    "  cols = cols or columns(rows)\n"
    "  local w, cells = {}, {}\n"
    "  local n = #cols\n"
    "  for j, c in ipairs(cols) do w[j] = width(c) end\n"
    "  for i, row in ipairs(rows) do\n"
    "    cells[i] = {}\n"
    "    for j, c in ipairs(cols) do\n"
    "      local s = (fmt(row[c]):gsub('\\n', ' '))\n"
    "      if not (wrap_last and j == n) then s = clip(s, 40) end\n"
    "      cells[i][j] = s\n"
    "      if width(s) > w[j] and not (wrap_last and j == n) then w[j] = width(s) end\n"
    "    end\n"
    "  end\n"
    "  if wrap_last then\n"
    "    local used = 0\n"
    "    for j = 1, n - 1 do used = used + w[j] + 2 end\n"
    "    local room = math.max(20, terminal_width() - used - 1)\n"
    "    for _, r in ipairs(cells) do\n"
    "      w[n] = math.max(w[n], math.min(room, width(r[n])))\n"
    "    end\n"
    "    w[n] = math.min(w[n], room)\n"
    "  end\n"
    "  local function line(vals)\n"
    "    local out = {}\n"
    "    for j, s in ipairs(vals) do\n"
    "      out[j] = s .. string.rep(' ', w[j] - width(s)) end\n"
    "    return (table.concat(out, '  '):gsub('%s+$', ''))\n"
    "  end\n"
    "  local out = {line(cols)}\n"
    "  local rule = {}\n"
    "  for j in ipairs(cols) do rule[j] = string.rep('-', w[j]) end\n"
    "  out[2] = line(rule)\n"
    "  for i in ipairs(rows) do\n"
    "    if wrap_last then\n"
    "      local parts = wrap(cells[i][n], w[n])\n"
    "      local first = table.move(cells[i], 1, n - 1, 1, {})\n"
    "      first[n] = parts[1]\n"
    "      out[#out + 1] = line(first)\n"
    "      for k = 2, #parts do\n"
    "        local more = {}\n"
    "        for j = 1, n - 1 do more[j] = '' end\n"
    "        more[n] = parts[k]\n"
    "        out[#out + 1] = line(more)\n"
    "      end\n"
    "    else\n"
    "      out[#out + 1] = line(cells[i])\n"
    "    end\n"
    "  end\n"
    "  return table.concat(out, '\\n')\n"
    "end\n"
    "local function is_rows(v)\n"
    "  if type(v) ~= 'table' or #v == 0 then return false end\n"
    "  for _, row in ipairs(v) do\n"
    "    if type(row) ~= 'table' or #row > 0 then return false end\n"
    "  end\n"
    "  return true\n"
    "end\n"
    "tabulate = table_text\n"
    "function pretty(...)\n"
    "  for i = 1, select('#', ...) do\n"
    "    local v = select(i, ...)\n"
    "    if is_rows(v) then print(table_text(v))\n"
    "    elseif type(v) == 'table' and #v == 0 and next(v) then\n"
    "      local rows = {}\n"
    "      for k, x in pairs(v) do rows[#rows + 1] = {key = k, value = x} end\n"
    "      table.sort(rows, function(a, b) return tostring(a.key) < tostring(b.key) end)\n"
    "      print(table_text(rows))\n"
    "    else print(fmt(v)) end\n"
    "  end\n"
    "end\n"
    "function help(name)\n"
    "  local fns = db:functions()\n"
    "  if name == nil then\n"
    "    local rows = {}\n"
    "    for _, f in ipairs(fns) do\n"
    "      local ps = {}\n"
    "      for i, p in ipairs(f.params) do ps[i] = p.name end\n"
    "      rows[#rows + 1] = {name = f.name .. '(' .. table.concat(ps, ', ') .. ')',\n"
    "        doc = f.doc}\n"
    "    end\n"
    "    print(table_text(rows, {'name', 'doc'}, true))\n"
    "    print('help(\"name\") describes one; db:name(...) or ck.name(...) calls it.')\n"
    "    return\n"
    "  end\n"
    "  for _, f in ipairs(fns) do\n"
    "    if f.name == name then\n"
    "      local ps = {}\n"
    "      for i, p in ipairs(f.params) do\n"
    "        ps[i] = p.name .. (p.default ~= nil and ('=' .. fmt(p.default)) or '')\n"
    "      end\n"
    "      print(f.name .. '(' .. table.concat(ps, ', ') .. ') -> ' .. f.returns)\n"
    "      print(table.concat(wrap(f.doc, terminal_width() - 1), '\\n'))\n"
    "      local rows = {}\n"
    "      for i, p in ipairs(f.params) do\n"
    "        rows[i] = {name = p.name, type = p.type,\n"
    "          default = p.default == nil and 'required' or fmt(p.default), doc = p.doc}\n"
    "      end\n"
    "      if #rows > 0 then\n"
    "        print(table_text(rows, {'name', 'type', 'default', 'doc'}, true)) end\n"
    "      return\n"
    "    end\n"
    "  end\n"
    "  print('no function ' .. tostring(name) .. '; help() lists them')\n"
    "end\n";

/* ---- completion ---------------------------------------------------------- */

static const char *const db_methods[] = {"import", "export", "script",
                                         "limit",  "functions", "call",
                                         "close",  NULL};

typedef struct candidates {
  char **items;
  size_t n, cap;
} candidates;

static void add(candidates *c, const char *prefix, const char *word,
                const char *partial) {
  if (strncmp(word, partial, strlen(partial)) != 0)
    return;
  if (c->n + 2 > c->cap) {
    c->cap = c->cap ? c->cap * 2 : 32;
    c->items = realloc(c->items, c->cap * sizeof *c->items);
  }
  size_t len = strlen(prefix) + strlen(word) + 1;
  char *s = malloc(len);
  snprintf(s, len, "%s%s", prefix, word);
  c->items[c->n++] = s;
}

/* Registry function names, from db:functions(). */
static void add_functions(candidates *c, const char *prefix,
                          const char *partial) {
  lua_State *L = globalL;
  int top = lua_gettop(L);
  lua_getglobal(L, "db");
  lua_getfield(L, -1, "functions");
  lua_insert(L, -2);
  if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_istable(L, -1)) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, -1, i);
      lua_getfield(L, -1, "name");
      if (lua_isstring(L, -1))
        add(c, prefix, lua_tostring(L, -1), partial);
      lua_pop(L, 2);
    }
  }
  lua_settop(L, top);
}

static char **complete(const char *text, int start, int end) {
  (void)start;
  (void)end;
  rl_attempted_completion_over = 1;
  candidates c = {0};
  const char *sep = strrchr(text, ':');
  const char *dot = strrchr(text, '.');
  if (sep && (!dot || sep > dot)) { /* db:con -> db:consensus */
    size_t plen = (size_t)(sep - text) + 1;
    char prefix[128];
    snprintf(prefix, sizeof prefix, "%.*s", (int)plen, text);
    for (const char *const *m = db_methods; *m; m++)
      add(&c, prefix, *m, sep + 1);
    add_functions(&c, prefix, sep + 1);
  } else if (dot && strncmp(text, "ck.", 3) == 0) {
    add_functions(&c, "ck.", text + 3);
  } else {
    static const char *const words[] = {"db", "ck", "help", "pretty",
                                        "print", "local", "function",
                                        "return", "for", "if", "then", "end",
                                        NULL};
    for (const char *const *w = words; *w; w++)
      add(&c, "", *w, text);
  }
  if (c.n == 0) {
    free(c.items);
    return NULL;
  }
  /* readline wants the common prefix first, then the matches, then NULL. */
  char **out = malloc((c.n + 2) * sizeof *out);
  size_t common = strlen(c.items[0]);
  for (size_t i = 1; i < c.n; i++) {
    size_t k = 0;
    while (k < common && c.items[i][k] == c.items[0][k])
      k++;
    common = k;
  }
  out[0] = strndup(c.items[0], common);
  for (size_t i = 0; i < c.n; i++)
    out[i + 1] = c.items[i];
  out[c.n + 1] = NULL;
  free(c.items);
  return out;
}

/* ---- the loop -------------------------------------------------------------- */

static int incomplete(lua_State *L, int status) {
  if (status == LUA_ERRSYNTAX) {
    size_t len;
    const char *msg = lua_tolstring(L, -1, &len);
    if (len >= 5 && strcmp(msg + len - 5, "<eof>") == 0) {
      lua_pop(L, 1);
      return 1;
    }
  }
  return 0;
}

/* Compiles `code` as an expression to print, else as a statement. */
static int load_line(lua_State *L, const char *code) {
  const char *ret = lua_pushfstring(L, "return %s;", code);
  int status = luaL_loadbuffer(L, ret, strlen(ret), "=stdin");
  lua_remove(L, -2);
  if (status == LUA_OK)
    return LUA_OK;
  lua_pop(L, 1);
  return luaL_loadbuffer(L, code, strlen(code), "=stdin");
}

static char *read_line(int interactive, int more) {
  if (interactive)
    return readline(more ? ">> " : "> ");
  char *line = NULL;
  size_t cap = 0;
  ssize_t n = getline(&line, &cap, stdin);
  if (n < 0) {
    free(line);
    return NULL;
  }
  if (n > 0 && line[n - 1] == '\n')
    line[n - 1] = '\0';
  return line;
}

static void repl(lua_State *L) {
  int interactive = isatty(0);
  char history[1024] = "";
  if (interactive) {
    const char *home = getenv("HOME");
    if (home)
      snprintf(history, sizeof history, "%s/.claimkit_history", home);
    using_history();
    read_history(history);
    rl_attempted_completion_function = complete;
    rl_completion_append_character = '\0'; /* db:views| then "(" */
    rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(,";
    printf("claimkit %s console; help() lists the functions\n", ck_version());
  }
  char *chunk = NULL;
  for (;;) {
    char *line = read_line(interactive, chunk != NULL);
    if (!line)
      break;
    if (interactive && *line) {
      add_history(line);
      if (*history) /* every line, so a killed session keeps its history */
        write_history(history);
    }
    char *code;
    if (chunk) {
      size_t len = strlen(chunk) + strlen(line) + 2;
      code = malloc(len);
      snprintf(code, len, "%s\n%s", chunk, line);
      free(chunk);
      chunk = NULL;
    } else {
      code = strdup(line);
    }
    free(line);
    int top = lua_gettop(L);
    int status = load_line(L, code);
    if (incomplete(L, status)) {
      chunk = code;
      continue;
    }
    free(code);
    if (status == LUA_OK)
      status = docall(L, 0, LUA_MULTRET);
    if (status == LUA_OK)
      print_results(L, lua_gettop(L) - top);
    else
      report(L, status);
    lua_settop(L, top);
    fflush(stdout);
  }
  free(chunk);
  if (interactive)
    printf("\n");
}

/* A Lua state with the claimkit module, json(), the database at `dbpath`
   as the global db and the prelude's help(), pretty() and tabulate(). */
static lua_State *console_state(const char *dbpath, int readonly) {
  lua_State *L = luaL_newstate();
  if (!L)
    return NULL;
  globalL = L;
  luaL_openlibs(L);
  lua_pushcfunction(L, l_json);
  lua_setglobal(L, "json");
  lua_pushcfunction(L, l_terminal_width);
  lua_setglobal(L, "terminal_width");
  luaL_requiref(L, "claimkit", luaopen_claimkit, 0);
  lua_getfield(L, -1, "open");
  lua_pushstring(L, dbpath);
  lua_pushstring(L, readonly ? "r" : "rw");
  if (report(L, docall(L, 2, 1)) != LUA_OK) {
    lua_close(L);
    return NULL;
  }
  lua_pushvalue(L, -1);
  lua_setglobal(L, "db");
  if (luaL_loadbuffer(L, prelude, strlen(prelude), "=prelude") != LUA_OK) {
    report(L, LUA_ERRSYNTAX);
    lua_close(L);
    return NULL;
  }
  lua_insert(L, -2);
  if (report(L, docall(L, 1, 0)) != LUA_OK) {
    lua_close(L);
    return NULL;
  }
  lua_settop(L, 0);
  return L;
}

/* report [-o report.html] [--title TEXT]: the report of the -d database;
   the dashboard on standard output. */
static int report_command(const char *dbpath, int argc, char **argv) {
  const char *out = "report.html", *title = NULL;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
      out = argv[++i];
    else if (strcmp(argv[i], "--title") == 0 && i + 1 < argc)
      title = argv[++i];
    else
      return usage();
  }
  if (!dbpath)
    return usage();
  lua_State *L = console_state(dbpath, 1);
  if (!L)
    return 1;
  static const char *const run =
      "local out, title = ...\n"
      "local _, dashboard = db:report{output = out, title = title}\n"
      "for _, t in ipairs(dashboard) do\n"
      "  print(t.title); print(tabulate(t.rows, t.columns)); print()\n"
      "end\n"
      "print('wrote ' .. out)\n";
  int status = luaL_loadbuffer(L, run, strlen(run), "=report");
  if (status == LUA_OK) {
    lua_pushstring(L, out);
    if (title)
      lua_pushstring(L, title);
    else
      lua_pushnil(L);
    status = docall(L, 2, 0);
  }
  report(L, status);
  lua_close(L);
  return status == LUA_OK ? 0 : 1;
}

static int usage(void) {
  fprintf(stderr,
          "usage: claimkit-lua [-d file.db] [-e code] [script.lua [args...]]\n"
          "       claimkit-lua [-d file.db] draft [--csv] [--source ID] "
          "[--published DATE] [FILE]\n"
          "       claimkit-lua -d file.db import FILE...\n"
          "       claimkit-lua -d file.db export [--csv] [FILTER]\n"
          "       claimkit-lua -d file.db report [-o report.html] "
          "[--title TEXT]\n");
  return 2;
}

static const struct {
  const char *name;
  int (*run)(const char *dbpath, int argc, char **argv);
} commands[] = {{"draft", draft_command},
                {"import", import_command},
                {"export", export_command},
                {"report", report_command}};

/* The line editor reads and draws what is typed by the character set of
   LC_CTYPE; claimkit's text is UTF-8 whatever the user's locale says, so a
   locale that is not UTF-8 (C, POSIX: a bare container) is made C.UTF-8.
   Only LC_CTYPE: Lua reads and writes numbers by LC_NUMERIC, which stays
   "C" so that 3.5 is 3.5 in every locale. */
static void utf8_terminal(void) {
  const char *set = setlocale(LC_CTYPE, "");
  if (!set || strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
    setlocale(LC_CTYPE, "C.UTF-8");
}

int main(int argc, char **argv) {
  utf8_terminal();
  const char *dbpath = NULL;
  const char *code = NULL;
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
      dbpath = argv[++i];
    else if (strcmp(argv[i], "-e") == 0 && i + 1 < argc)
      code = argv[++i];
    else if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    } else
      return usage();
  }
  /* A command, whose options may name the database too (report -d x.db). */
  for (size_t c = 0; !code && i < argc && c < sizeof commands /
                                                  sizeof commands[0]; c++) {
    if (strcmp(argv[i], commands[c].name) != 0)
      continue;
    char **rest = argv + i + 1;
    int n = 0;
    for (int j = i + 1; j < argc; j++) {
      if (strcmp(argv[j], "-d") == 0 && j + 1 < argc)
        dbpath = argv[++j];
      else
        rest[n++] = argv[j];
    }
    return commands[c].run(dbpath, n, rest);
  }
  if (!dbpath)
    dbpath = ":memory:";
  lua_State *L = console_state(dbpath, 0);
  if (!L)
    return 1;

  int status = LUA_OK;
  /* arg, as lua5.4 sets it: the script at 0, its arguments from 1. */
  lua_createtable(L, argc, 1);
  for (int j = 0; j < argc; j++) {
    lua_pushstring(L, argv[j]);
    lua_rawseti(L, -2, j - i);
  }
  lua_setglobal(L, "arg");
  if (code) {
    status = luaL_loadbuffer(L, code, strlen(code), "=(command line)");
    if (status == LUA_OK)
      status = docall(L, 0, 0);
    report(L, status);
  } else if (i < argc) {
    status = luaL_loadfile(L, argv[i]);
    if (status == LUA_OK) {
      for (int j = i + 1; j < argc; j++)
        lua_pushstring(L, argv[j]);
      status = docall(L, argc - i - 1, 0);
    }
    report(L, status);
  } else {
    repl(L);
  }
  lua_close(L);
  return status == LUA_OK ? 0 : 1;
}
