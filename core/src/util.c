/*
** util.c -- growable strings and the handle's error and result slots.
*/
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(strbuf *sb) { memset(sb, 0, sizeof *sb); }

void sb_free(strbuf *sb) {
  free(sb->data);
  sb_init(sb);
}

static int sb_reserve(strbuf *sb, size_t extra) {
  if (sb->oom)
    return 0;
  if (sb->len + extra + 1 <= sb->cap)
    return 1;
  size_t cap = sb->cap ? sb->cap : 64;
  while (cap < sb->len + extra + 1) {
    if (cap > SIZE_MAX / 2) {
      sb->oom = 1;
      return 0;
    }
    cap *= 2;
  }
  char *p = realloc(sb->data, cap);
  if (!p) {
    sb->oom = 1;
    return 0;
  }
  sb->data = p;
  sb->cap = cap;
  return 1;
}

void sb_putn(strbuf *sb, const char *s, size_t n) {
  if (!sb_reserve(sb, n))
    return;
  memcpy(sb->data + sb->len, s, n);
  sb->len += n;
  sb->data[sb->len] = '\0';
}

void sb_puts(strbuf *sb, const char *s) { sb_putn(sb, s, strlen(s)); }

void sb_putc(strbuf *sb, char c) { sb_putn(sb, &c, 1); }

void sb_printf(strbuf *sb, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || !sb_reserve(sb, (size_t)n))
    return;
  va_start(ap, fmt);
  vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  sb->len += (size_t)n;
}

char *sb_take(strbuf *sb) {
  char *s = sb->oom ? NULL : sb->data;
  if (sb->oom)
    free(sb->data);
  else if (!s)
    s = calloc(1, 1);
  sb_init(sb);
  return s;
}

void db_begin_call(ck_db *db) {
  db->errcode = CK_OK;
  db->errmsg[0] = '\0';
  free(db->result);
  db->result = NULL;
  db->sql_steps = 0;
  db->interrupted = CK_OK;
  atomic_store_explicit(&db->cancel, 0, memory_order_relaxed);
  db->last_kind = LAST_NONE;
}

int db_enter(ck_db *db) {
  if (db->sql) {
    db_begin_call(db);
    return CK_OK;
  }
  /* ck_open failed: keep its reason in the message. */
  char reason[CK_ERRMSG_MAX];
  memcpy(reason, db->errmsg, sizeof reason);
  db_begin_call(db);
  return db_error(db, CK_MISUSE, "the database is not open: %.900s", reason);
}

/* A message is UTF-8 whatever it quotes: a byte of another encoding (a
   sheet saved as GBK), or of a character cut short by "%.80s" or by the
   message's size, becomes '?', so a front end can always decode it. */
static void utf8_scrub(char *s) {
  size_t len = strlen(s), at;
  while ((at = utf8_invalid_at(s, len)) != (size_t)-1) {
    s[at] = '?';
    s += at + 1;
    len -= at + 1;
  }
}

int db_error(ck_db *db, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(db->errmsg, sizeof db->errmsg, fmt, ap);
  va_end(ap);
  utf8_scrub(db->errmsg);
  db->errcode = rc;
  return rc;
}

int db_nomem(ck_db *db) {
  return db_error(db, CK_NOMEM, "%s", "out of memory");
}

int db_sql_error(ck_db *db, int sqlite_rc, const char *doing) {
  int rc;
  if ((sqlite_rc & 0xff) == SQLITE_INTERRUPT && db->interrupted == CK_SCRIPT &&
      budget_spent(db))
    return db_error(db, CK_SCRIPT, "%s", budget_spent(db));
  if ((sqlite_rc & 0xff) == SQLITE_INTERRUPT && db->interrupted == DB_CANCELLED)
    return db_error(db, CK_ERROR, "%s: interrupted (ck_interrupt)", doing);
  if ((sqlite_rc & 0xff) == SQLITE_INTERRUPT && db->interrupted == CK_ERROR)
    return db_error(db, CK_ERROR,
                    "%s: stopped after %lld SQLite steps (CK_LIMIT_SQL_STEPS)",
                    doing, db->sql_limit);
  switch (sqlite_rc & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    rc = CK_BUSY;
    break;
  case SQLITE_NOMEM:
    rc = CK_NOMEM;
    break;
  case SQLITE_READONLY:
    rc = CK_READONLY;
    break;
  case SQLITE_IOERR:
  case SQLITE_CANTOPEN:
  case SQLITE_FULL:
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
  case SQLITE_PERM:
    rc = CK_IO;
    break;
  default:
    rc = CK_ERROR;
  }
  const char *why = db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(sqlite_rc);
  return db_error(db, rc, "%s: %s", doing, why);
}

int db_charge(ck_db *db, const char *fn, size_t bytes) {
  if (db->result_room < 0)
    return CK_OK;
  if (bytes > (size_t)db->result_room) {
    budget_spend_memory(db);
    return db_error(db, CK_NOMEM,
                    "%s: the result needs more memory than the script has "
                    "left (CK_LIMIT_LUA_MEMORY %lld bytes)",
                    fn, db->lua_memory);
  }
  db->result_room -= (long long)bytes;
  return CK_OK;
}

const char *db_set_result(ck_db *db, char *s) {
  free(db->result);
  db->result = s;
  if (!s)
    db_nomem(db);
  return s;
}

size_t prefix_len(const char *p, const char *end, const char *lit) {
  size_t n = strlen(lit);
  return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0 ? n : 0;
}

int id_valid(const char *s) {
  size_t n = 0;
  for (; s[n]; n++) {
    char c = s[n];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '_' || c == '-'))
      return 0;
  }
  return n >= 1 && n <= 64;
}
