/*
** claimkit-lua -- the claimkit console.
**
**   claimkit-lua [-d file.db] [-v] [-e code] [script.lua [args...]]
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
#include "progress.h"

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
#include <signal.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

/* The console's state, for the completion callback and the SIGINT
   handler, which have no other way to reach it (lua.c does the same). */
static lua_State *globalL;
static int verbose;                  /* -v: errors with their traceback */
static volatile sig_atomic_t running; /* a chunk is running: stop it */
static volatile sig_atomic_t interrupted; /* Ctrl-C seen at the prompt */
static int wake_pipe[2] = {-1, -1};  /* the handler's byte wakes the prompt */

/* One line for an error: a claimkit error as the library words it
   ("consensus: no question 'x' (CK_NOTFOUND)"), without the position of
   the console's own code; a Lua error with its position in the user's. */
static const char *error_line(lua_State *L, const char *msg) {
  if (verbose)
    return msg;
  const char *colon = strchr(msg, ':');
  size_t len = strlen(msg);
  int ck_error = len > 4 && msg[len - 1] == ')' && strstr(msg, " (CK_");
  int console_own = strncmp(msg, "console.lua:", 12) == 0;
  if (colon && (ck_error || console_own)) {
    const char *p = colon + 1;
    while (*p >= '0' && *p <= '9')
      p++;
    if (p > colon + 1 && p[0] == ':' && p[1] == ' ')
      return lua_pushstring(L, p + 2);
  }
  return msg;
}

static int report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "claimkit-lua: %s\n", msg ? msg : "(error object)");
    lua_pop(L, 1);
  }
  return status;
}

/* The message handler: the error in one line, or with -v its traceback. */
static int message(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (!msg) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  if (verbose)
    luaL_traceback(L, L, msg, 1);
  else
    error_line(L, msg);
  return 1;
}

/* Ctrl-C while a chunk runs: the next Lua instruction raises an error, as
   in lua5.4 (lua_sethook is safe in a signal handler), and ck_interrupt
   ends what the library is doing for it (an import, a query, a script). */
static void stop_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  luaL_error(L, "interrupted");
}

static ck_db *volatile *console_handle; /* the console's db, for Ctrl-C */

static void on_sigint(int sig) {
  (void)sig;
  if (running) {
    lua_sethook(globalL, stop_hook,
                LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
    ck_db *db = console_handle ? *console_handle : NULL;
    if (db) /* the library's own work: an import, a query, a script */
      ck_interrupt(db);
  } else {
    interrupted = 1;
    if (wake_pipe[1] >= 0) {
      int saved = errno;
      (void)!write(wake_pipe[1], "", 1); /* full: a byte already waits */
      errno = saved;
    }
  }
}

static void catch_sigint(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: a read at the prompt
                                   returns, and the line is cleared */
}

static int docall(lua_State *L, int nargs, int nresults) {
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, message);
  lua_insert(L, base);
  running = 1;
  int status = lua_pcall(L, nargs, nresults, base);
  running = 0;
  lua_sethook(L, NULL, 0, 0); /* a Ctrl-C that came too late to stop it */
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

/* A transcript is text, and not a big one: draft reads at most DRAFT_MAX
   bytes, and stops at a NUL byte (a binary file, /dev/zero), so an input
   that never ends is refused, not read until memory runs out. */
#define DRAFT_MAX (16 << 20)

/* Why text[0..len) followed by a NUL byte is refused: where it is. */
static void nul_at(const char *text, size_t len, char *why, size_t size) {
  long line = 1;
  int column = 1;
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '\n')
      line++, column = 1;
    else
      column += ((unsigned char)text[i] & 0xC0) != 0x80;
  }
  snprintf(why, size,
           "line %ld, column %d: a NUL byte (a transcript is UTF-8 text; is "
           "this a binary file?)",
           line, column);
}

static char *read_input(const char *cmd, const char *path, size_t *len) {
  FILE *f = path ? fopen(path, "rb") : stdin;
  const char *name = path ? path : "standard input";
  if (!f) {
    fprintf(stderr, "claimkit-lua %s: cannot open '%s': %s\n", cmd, path,
            strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, n;
  char *text = malloc(cap), why[160] = "";
  *len = 0;
  while (text && !*why && (n = fread(text + *len, 1, cap - *len - 1, f)) > 0) {
    const char *nul = memchr(text + *len, '\0', n);
    if (nul)
      nul_at(text, (size_t)(nul - text), why, sizeof why);
    *len += n;
    if (!*why && *len > DRAFT_MAX)
      snprintf(why, sizeof why,
               "larger than %d MiB: a transcript is at most that (split it)",
               DRAFT_MAX >> 20);
    if (!*why && cap - *len < 2) {
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
  if (text && !*why && ferror(f))
    snprintf(why, sizeof why, "cannot read: %s", strerror(errno ? errno : EIO));
  if (path)
    fclose(f);
  if (!text || *why) {
    if (!text)
      fprintf(stderr, "claimkit-lua %s: out of memory\n", cmd);
    else
      fprintf(stderr, "claimkit-lua %s: '%s': %s\n", cmd, name, why);
    free(text);
    return NULL;
  }
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
    if (console_import_file(db, argv[i]) != CK_OK) {
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

/* sync [--pull|--push] CONNINFO: the -d database with a desk's hub
   (docs/hub.md). */
static int sync_command(const char *dbpath, int argc, char **argv) {
  const char *conninfo = NULL, *only = NULL;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--pull") == 0 || strcmp(argv[i], "--push") == 0)
      only = argv[i] + 2;
    else if (!conninfo)
      conninfo = argv[i];
    else
      return usage();
  }
  if (!dbpath || !conninfo)
    return usage();
  ck_db *db = command_db("sync", dbpath, 1);
  if (!db)
    return 1;
  char *full = malloc(strlen(conninfo) + 16);
  int rc = 1;
  if (full) {
    int uri = strstr(conninfo, "://") != NULL;
    sprintf(full, "%s%s%s%s", conninfo,
            !only ? "" : !uri ? " " : strchr(conninfo, '?') ? "&" : "?",
            only ? "only=" : "", only ? only : "");
    rc = ck_sync(db, full) != CK_OK;
    if (rc)
      fprintf(stderr, "claimkit-lua sync: %s\n", ck_errmsg(db));
    else
      printf("synced: %ld claims\n", claim_count(db));
  }
  free(full);
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

/* lua/console.lua: the Lua side of the console (help, pretty, ck). */
#include "console.h"

/* ---- completion ---------------------------------------------------------- */

static int complete_ref = LUA_NOREF; /* console.lua's complete(text) */

/* Tab: the words console.lua's complete() offers for the text before the
   cursor (globals, a table's fields, db's methods, keywords). */
static char **complete(const char *text, int start, int end) {
  (void)start;
  (void)end;
  rl_attempted_completion_over = 1;
  lua_State *L = globalL;
  int top = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, complete_ref);
  lua_pushstring(L, text);
  size_t n = 0;
  if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_istable(L, -1))
    n = (size_t)lua_rawlen(L, -1);
  char **out = n ? calloc(n + 2, sizeof *out) : NULL;
  for (size_t i = 0; out && i < n; i++) {
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    out[i + 1] = strdup(lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
    lua_pop(L, 1);
  }
  lua_settop(L, top);
  if (!out)
    return NULL;
  /* readline wants the common prefix first, then the matches, then NULL. */
  size_t common = strlen(out[1]);
  for (size_t i = 2; i <= n; i++) {
    size_t k = 0;
    while (k < common && out[i][k] == out[1][k])
      k++;
    common = k;
  }
  out[0] = strndup(out[1], common);
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

/* One byte from the terminal, or -1 at its end, or -2 for a Ctrl-C.  A
   Ctrl-C can come at any moment: while the editor redraws between two
   keys, or just before read() is entered, where a flag alone would be seen
   only after the next key.  So the handler also writes a byte to a pipe,
   and the read waits for the terminal or the pipe. */
static int prompt_byte(int fd) {
  struct pollfd fds[2] = {{fd, POLLIN, 0}, {wake_pipe[0], POLLIN, 0}};
  char drain[64];
  for (;;) {
    if (interrupted) {
      while (read(wake_pipe[0], drain, sizeof drain) > 0)
        ;
      return -2;
    }
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (fds[1].revents & POLLIN) /* a stale byte: a Ctrl-C already seen */
      (void)!read(wake_pipe[0], drain, sizeof drain);
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
      continue;
    unsigned char c;
    ssize_t n = read(fd, &c, 1);
    if (n == 1)
      return c;
    if (n < 0 && errno == EINTR)
      continue;
    return -1;
  }
}

/* The line editor's reads: libedit takes what this returns as one wide
   character, so the bytes of a multibyte one (两) are put together here,
   in the terminal's encoding.  A Ctrl-C ends the line at once (empty:
   repl() drops it). */
static int prompt_getc(FILE *in) {
  mbstate_t state;
  memset(&state, 0, sizeof state);
  for (;;) {
    int byte = prompt_byte(fileno(in));
    if (byte == -2) {
      rl_replace_line("", 0);
      return '\n';
    }
    if (byte < 0)
      return EOF;
    char c = (char)byte;
    wchar_t wc;
    size_t n = mbrtowc(&wc, &c, 1, &state);
    if (n == (size_t)-2) /* the middle of a character */
      continue;
    if (n == (size_t)-1) /* not the terminal's encoding: the byte as is */
      return byte;
    return (int)wc;
  }
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
    /* Before anything that initialises libedit (using_history() does):
       it reads the read function and the signal setting only then.
       Ctrl-C is ours alone: libedit's handler would put the terminal in
       cooked mode and restart the read, which then waits for a newline. */
    rl_getc_function = prompt_getc;
    rl_catch_signals = 0;
    if (pipe(wake_pipe) == 0) {
      fcntl(wake_pipe[0], F_SETFL, O_NONBLOCK);
      fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK);
    }
    rl_initialize();
    rl_attempted_completion_function = complete;
    rl_completion_append_character = '\0'; /* db:views| then "(" */
    rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(,#+-*/%^~[]";
    const char *home = getenv("HOME");
    if (home)
      snprintf(history, sizeof history, "%s/.claimkit_history", home);
    using_history();
    read_history(history);
    printf("claimkit %s console; help() lists the functions\n", ck_version());
  }
  char *chunk = NULL;
  for (;;) {
    interrupted = 0;
    char *line = read_line(interactive, chunk != NULL);
    if (interrupted) { /* Ctrl-C at the prompt: a fresh line, as in a shell */
      free(line);
      free(chunk);
      chunk = NULL;
      printf("\n");
      continue;
    }
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
  ckl_set_import_file(L, console_import_file); /* db:import shows progress */
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
  console_handle = ckl_handle(L, -1);
  lua_pushvalue(L, -1);
  lua_setglobal(L, "db");
  if (luaL_loadbuffer(L, (const char *)console_lua, sizeof console_lua - 1,
                      "=console.lua") != LUA_OK) {
    report(L, LUA_ERRSYNTAX);
    lua_close(L);
    return NULL;
  }
  lua_insert(L, -2);
  if (report(L, docall(L, 1, 1)) != LUA_OK) {
    lua_close(L);
    return NULL;
  }
  complete_ref = luaL_ref(L, LUA_REGISTRYINDEX);
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
      "pretty(db:report{output = out, title = title})\n";
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
          "usage: claimkit-lua [-d file.db] [-v] [-e code] [script.lua [args...]]\n"
          "       claimkit-lua [-d file.db] draft [--csv] [--source ID] "
          "[--published DATE] [FILE]\n"
          "       claimkit-lua -d file.db import FILE...\n"
          "       claimkit-lua -d file.db export [--csv] [FILTER]\n"
          "       claimkit-lua -d file.db sync [--pull|--push] CONNINFO\n"
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
                {"sync", sync_command},
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
    else if (strcmp(argv[i], "-v") == 0)
      verbose = 1;
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
  catch_sigint();

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
