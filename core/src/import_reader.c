/*
** import_reader.c -- a large JSON Lines file, a large pack's lists
** (import_pack.c) or a large claim sheet, read on a second thread.
*/
#include "import.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Parsing JSON and writing claims' canonical text take as long as storing
   them: for a large file a reader thread does the first two, ahead of the
   import on the other core, while SQLite stores.  The import takes the
   lines in order and does everything that reads or writes the database;
   the reader touches only its own lines (no handle, no SQL), so messages
   and outcomes are those of the one-thread import.  Lines pass between
   the two a batch at a time: handing them over one by one costs each
   thread a lock, and often a sleep and a wake-up, per line. */

#define BATCH_LINES 128
#define AHEAD_LINES (64 * BATCH_LINES)

typedef struct parsed {
  long line;
  size_t index;      /* of a pack's element in its list */
  long long through; /* bytes of the input up to the next line */
  json_t *rec;       /* NULL: a claim read ahead, a parse error, or the end */
  ck_json_arena *arena; /* rec's nodes (NULL: ordinary ones) */
  int parse_rc;         /* a line that did not parse: CK_INVALID or CK_NOMEM */
  char *parse_error;    /* and why (NULL: no memory to say it) */
  int end, read_errno;
  int kind; /* of a record whose "type" the reader took out, else -1 */
  ahead ahead;
  sheet_row stop; /* a sheet's end: where and why */
} parsed;

typedef struct batch {
  parsed line[BATCH_LINES];
  size_t n;
} batch;

/* What the import is done with of a line, freed on the reader's side:
   freeing a parsed line costs about as much as storing it, and more on a
   thread that did not allocate it. */
typedef struct leftover {
  json_t *rec;
  ck_json_arena *arena;
  char *stored, *texts, *tags;
} leftover;

typedef struct reader {
  input *src; /* the reader's alone until it is joined */
  /* Or a pack's lists: the element after `at` of list `list`. */
  const pack_spans *pack;
  pack_text *text;
  int list;
  size_t at, end;        /* end: where the element before `at` ended */
  sheet_rows *rows;      /* or a claim sheet's */
  sheet_row *stopped_at; /* where its rows stopped, for the caller */
  pthread_mutex_t mu;
  pthread_cond_t more, room;
  parsed ring[AHEAD_LINES];
  size_t head, count;
  int reader_waits, importer_waits;
  /* The import fills done[done_at] while the reader frees the other. */
  leftover done[2][AHEAD_LINES];
  int done_at;
  size_t ndone;
  int stop;
  batch filling, taking; /* the reader's and the import's own */
} reader;

/* The texts of a claim read ahead copied into a block of its own, so that
   its record can be freed at once: a parsed record takes several times
   the memory of its claim, and the fewer bytes a line ahead holds, the
   more lines the reader can read ahead while SQLite is busy. */
static int own_texts(ahead *a) {
  claim_row *c = &a->claim;
  const char **field[] = {&c->id,     &c->actor,  &c->source,   &c->locator,
                          &c->quote,  &c->as_of,  &c->question, &c->entity,
                          &c->metric, &c->period, &c->unit,     &c->quantity};
  size_t n = sizeof field / sizeof *field, len = 0;
  for (size_t i = 0; i < n; i++)
    if (*field[i])
      len += strlen(*field[i]) + 1;
  char *at = a->texts = malloc(len ? len : 1);
  if (!at)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (*field[i]) {
      size_t k = strlen(*field[i]) + 1;
      memcpy(at, *field[i], k);
      *field[i] = at;
      at += k;
    }
  return 1;
}

/* The claim parsed (all the checks but those that need the database);
   when it passes, it is kept on its own and its record freed.  When it
   does not, the import parses it again, to say why where it is. */
static void read_ahead(json_t **rec, ck_json_arena **arena, ahead *a) {
  field_error e;
  a->read =
      a->stored && claim_parse(*rec, "", a->content_id, &a->claim, &e) == CK_OK;
  if (a->read && own_texts(a)) {
    ck_json_arena_free(*rec, *arena);
    *rec = NULL;
    *arena = NULL;
  }
}

/* What a line holds, taken out of it. */
static leftover take_leftover(json_t **rec, ck_json_arena **arena, ahead *a) {
  leftover l = {*rec, *arena, a->stored, a->texts, (char *)a->claim.tags};
  *rec = NULL;
  *arena = NULL;
  memset(a, 0, sizeof *a);
  return l;
}

static void leftover_free(leftover *l) {
  ck_json_arena_free(l->rec, l->arena);
  free(l->stored);
  free(l->texts);
  free(l->tags);
}

static void parsed_free(parsed *p) {
  leftover l = take_leftover(&p->rec, &p->arena, &p->ahead);
  leftover_free(&l);
  free(p->parse_error);
  sheet_row_free(&p->stop);
}

/* ---- claim sheets ---------------------------------------------------------
 */

void sheet_row_free(sheet_row *row) {
  json_decref(row->rec);
  free(row->msg);
  free(row->column);
  memset(row, 0, sizeof *row);
}

/* Why the row stopped the sheet: a copy of msg (and of the column). */
static void row_failed(sheet_row *row, int what, const char *msg,
                       const char *column) {
  row->what = what;
  row->msg = msg && *msg ? strdup(msg) : NULL;
  if (row->msg && column && !(row->column = strdup(column))) {
    free(row->msg);
    row->msg = NULL;
  }
}

void sheet_read_row(sheet_rows *s, sheet_row *row) {
  memset(row, 0, sizeof *row);
  char msg[CK_ERRMSG_MAX];
  for (;;) {
    const char *err = NULL;
    int got = sheet_next(&s->r, &err), err_no = errno;
    row->line = s->r.record_line;
    row->through = s->r.consumed + (long long)s->r.pos;
    if (got == 0) {
      row->what = ROW_END;
      row->header_seen = s->have_header;
      return;
    }
    if (got < 0) {
      row->lineno = s->r.lineno;
      row->err_no = err_no;
      row->what = got == SHEET_NOMEM ? ROW_NOMEM : ROW_IO;
      if (got != SHEET_NOMEM && got != SHEET_IO)
        row_failed(row, ROW_BAD, err, NULL);
      return;
    }
    if (sheet_blank(&s->r))
      continue;
    if (!s->have_header) {
      s->have_header = 1;
      if (sheet_header(&s->r, &s->cols, msg, sizeof msg) != 0)
        return row_failed(row, ROW_HEADER, msg, NULL);
      continue;
    }
    const char *column = NULL;
    int source = 0;
    if (!(row->rec =
              sheet_claim(&s->r, &s->cols, &column, &source, msg, sizeof msg)))
      return row_failed(row, ROW_CLAIM, msg, column);
    row->what = ROW_RECORD;
    row->kind = source ? R_SOURCE : R_CLAIM;
    return;
  }
}

/* The sheet's next record into p, its claim read ahead; 1 when reading
   stopped there (p->end, p->stop saying why). */
static int read_row(reader *r, parsed *p) {
  sheet_row row;
  sheet_read_row(r->rows, &row);
  p->line = row.line;
  p->through = row.through;
  if (row.what != ROW_RECORD) {
    p->end = 1;
    p->stop = row;
    return 1;
  }
  p->kind = row.kind;
  p->rec = row.rec;
  if (p->kind == R_CLAIM) {
    claim_work_ahead(p->rec, &p->ahead);
    read_ahead(&p->rec, &p->arena, &p->ahead);
  }
  return 0;
}

/* Moves the reader's batch into the ring, waiting for room, and frees
   what the import handed back.  0 when the import has stopped (the batch
   is left to the caller). */
static int push(reader *r, batch *b) {
  pthread_mutex_lock(&r->mu);
  while (AHEAD_LINES - r->count < b->n && !r->stop) {
    r->reader_waits = 1;
    pthread_cond_wait(&r->room, &r->mu);
  }
  r->reader_waits = 0;
  int ok = !r->stop;
  if (ok) {
    for (size_t i = 0; i < b->n; i++)
      r->ring[(r->head + r->count + i) % AHEAD_LINES] = b->line[i];
    r->count += b->n;
    b->n = 0;
    if (r->importer_waits)
      pthread_cond_signal(&r->more);
  }
  leftover *done = r->done[r->done_at];
  size_t ndone = r->ndone;
  r->done_at ^= 1;
  r->ndone = 0;
  pthread_mutex_unlock(&r->mu);
  for (size_t i = 0; i < ndone; i++)
    leftover_free(&done[i]);
  return ok;
}

/* The next lines, in b, handing what is in done[0..*ndone) back to the
   reader to free (what it has no room for is freed here). */
static void pop(reader *r, batch *b, leftover *done, size_t *ndone) {
  pthread_mutex_lock(&r->mu);
  size_t give = AHEAD_LINES - r->ndone;
  if (give > *ndone)
    give = *ndone;
  *ndone -= give;
  memcpy(r->done[r->done_at] + r->ndone, done + *ndone, give * sizeof *done);
  r->ndone += give;
  while (r->count == 0) {
    r->importer_waits = 1;
    pthread_cond_wait(&r->more, &r->mu);
  }
  r->importer_waits = 0;
  b->n = r->count < BATCH_LINES ? r->count : BATCH_LINES;
  for (size_t i = 0; i < b->n; i++)
    b->line[i] = r->ring[(r->head + i) % AHEAD_LINES];
  r->head = (r->head + b->n) % AHEAD_LINES;
  r->count -= b->n;
  if (r->reader_waits)
    pthread_cond_signal(&r->room);
  pthread_mutex_unlock(&r->mu);
  for (size_t i = 0; i < *ndone; i++)
    leftover_free(&done[i]);
  *ndone = 0;
}

/* The line the reader took (got: input_next_line()'s answer) into p. */
static void read_line(reader *r, parsed *p, int got, const char *s, size_t n) {
  p->line = r->src->line;
  p->through = input_through(r->src);
  p->kind = -1;
  if (got == SRC_NUL) {
    char why[CK_ERRMSG_MAX];
    input_nul_message(p->line, input_columns(s, n) + 1, why);
    p->parse_rc = CK_INVALID;
    p->parse_error = strdup(why); /* NULL: out of memory, said then */
    return;
  }
  json_error_t err;
  /* The line's tree in a block of its own: freed at once when its claim
     is read ahead, or when the import hands the line back. */
  p->rec = ck_json_loadb_arena(s, n, LINE_FLAGS, &err, &p->arena);
  if (!p->rec) {
    char why[CK_ERRMSG_MAX];
    input_parse_message(&err, p->line, why);
    p->parse_rc = input_parse_code(&err);
    p->parse_error = strdup(why);
  }
  ck_json_arena *outer = ck_json_arena_enter(p->arena);
  p->kind = p->rec ? import_line_kind(p->rec) : -1;
  if (p->kind >= 0)
    json_object_del(p->rec, "type");
  if (p->kind == R_CLAIM) {
    claim_work_ahead(p->rec, &p->ahead);
    read_ahead(&p->rec, &p->arena, &p->ahead);
  }
  ck_json_arena_enter(outer);
}

/* A pack's next element into p, and its bytes; SRC_END after the last. */
static int next_element(reader *r, parsed *p, const char **s, size_t *n) {
  while (r->list < R_COUNT && r->at == r->pack->list[r->list].n)
    r->list++, r->at = 0;
  if (r->list == R_COUNT)
    return SRC_END;
  const pack_list *l = &r->pack->list[r->list];
  if (r->at == 0)
    r->end = l->from;
  size_t at = span_next(l, r->at, &r->end);
  *s = pack_text_get(r->text, at, l->at[r->at].len); /* NULL: unread */
  *n = l->at[r->at].len;
  p->index = r->at++;
  return SRC_LINE;
}

/* An element of a pack's list into p: the same as a line's, but its kind
   is its list's, and one that does not parse is said by the whole parse. */
static void read_element(reader *r, parsed *p, const char *s, size_t n) {
  json_error_t err;
  p->kind = r->list;
  if (!s) {
    p->parse_rc = PACK_UNPARSED;
    return;
  }
  p->rec = ck_json_loadb_arena(s, n, LINE_FLAGS, &err, &p->arena);
  if (!p->rec) {
    p->parse_rc = input_parse_code(&err) == CK_NOMEM ? CK_NOMEM : PACK_UNPARSED;
    return;
  }
  if (p->kind == R_CLAIM && json_is_object(p->rec)) {
    ck_json_arena *outer = ck_json_arena_enter(p->arena);
    claim_work_ahead(p->rec, &p->ahead);
    read_ahead(&p->rec, &p->arena, &p->ahead);
    ck_json_arena_enter(outer);
  }
}

static void *reader_main(void *arg) {
  reader *r = arg;
  batch *b = &r->filling;
  for (;;) {
    parsed *p = &b->line[b->n];
    memset(p, 0, sizeof *p);
    const char *s = NULL;
    size_t n = 0;
    if (r->rows) {
      int stopped = read_row(r, p);
      b->n++;
      if (stopped) {
        push(r, b);
        break;
      }
      if (b->n == BATCH_LINES && !push(r, b))
        break;
      continue;
    }
    int got =
        r->pack ? next_element(r, p, &s, &n) : input_next_line(r->src, &s, &n);
    if (r->pack && got == SRC_LINE) {
      read_element(r, p, s, n);
      b->n++;
      if (b->n == BATCH_LINES && !push(r, b))
        break;
      continue;
    }
    if (r->pack) {
      p->end = 1;
      b->n++;
      push(r, b);
      break;
    }
    if (got == SRC_END || got == SRC_ERROR) {
      p->end = 1;
      p->read_errno = got == SRC_ERROR ? r->src->err : 0;
      p->line = r->src->line;
      p->through = input_read(r->src);
      b->n++;
      push(r, b);
      break;
    }
    if (got == SRC_LINE && input_blank(s, n))
      continue;
    read_line(r, p, got, s, n);
    b->n++;
    if (got == SRC_NUL) { /* the import stops there: read no further */
      push(r, b);
      break;
    }
    if (b->n == BATCH_LINES && !push(r, b))
      break;
  }
  while (b->n) /* what the import stopped before taking */
    parsed_free(&b->line[--b->n]);
  return NULL;
}

static int run_reader(importer *imp, reader *r);

/* The rest of a JSON Lines file, read ahead on a second thread: the same
   outcome as import_line() on each line. */
int import_rest_threaded(importer *imp, input *src) {
  reader *r = calloc(1, sizeof *r);
  if (!r)
    return imp_nomem(imp);
  r->src = src;
  return run_reader(imp, r);
}

/* A pack's lists, read ahead on a second thread: the same outcome as
   pack_import_list() on each. */
int import_pack_threaded(importer *imp, pack_text *text, const pack_spans *sp) {
  reader *r = calloc(1, sizeof *r);
  if (!r)
    return imp_nomem(imp);
  r->pack = sp;
  r->text = text;
  return run_reader(imp, r);
}

int import_sheet_threaded(importer *imp, sheet_rows *s, sheet_row *stop) {
  reader *r = calloc(1, sizeof *r);
  if (!r)
    return imp_nomem(imp);
  r->rows = s;
  r->stopped_at = stop;
  memset(stop, 0, sizeof *stop);
  return run_reader(imp, r);
}

/* What one import record of a line (or element) read ahead says. */
static int import_parsed(importer *imp, const reader *r, parsed *p) {
  if (p->parse_rc == PACK_UNPARSED)
    return PACK_UNPARSED;
  if (p->parse_rc)
    return p->parse_error ? db_error(imp->db, p->parse_rc, "%s", p->parse_error)
                          : imp_nomem(imp);
  char ptr[64] = "";
  if (r->pack)
    snprintf(ptr, sizeof ptr, "/%s/%zu", import_list_name[p->kind], p->index);
  imp->ahead = p->ahead;
  memset(&p->ahead, 0, sizeof p->ahead); /* the import's now */
  ck_json_arena *outer = ck_json_arena_enter(p->arena);
  int rc = p->kind >= 0
               ? import_record(imp, (enum rec_kind)p->kind, p->rec, ptr)
               : import_object(imp, p->rec);
  ck_json_arena_enter(outer);
  return rc;
}

static int run_reader(importer *imp, reader *r) {
  input *src = r->src;
  pthread_t thread;
  int rc = CK_OK;
  if (pthread_mutex_init(&r->mu, NULL) || pthread_cond_init(&r->more, NULL) ||
      pthread_cond_init(&r->room, NULL) ||
      pthread_create(&thread, NULL, reader_main, r)) {
    free(r); /* no thread: the caller reads on */
    return -1;
  }
  batch *b = &r->taking;
  leftover done[BATCH_LINES];
  size_t next = 0, ndone = 0;
  for (;;) {
    if (next == b->n) {
      pop(r, b, done, &ndone);
      next = 0;
    }
    parsed *p = &b->line[next++];
    imp->line = p->line;
    if (p->end && r->rows) {
      *r->stopped_at = p->stop; /* the caller's to say */
      memset(&p->stop, 0, sizeof p->stop);
      break;
    }
    if (p->end) {
      if (p->read_errno)
        rc = input_failed(imp->db, src, SRC_ERROR, p->line, NULL, 0);
      break;
    }
    rc = import_parsed(imp, r, p);
    done[ndone++] = take_leftover(&p->rec, &p->arena, &imp->ahead);
    parsed_free(p);
    if (rc != CK_OK)
      break;
    if (!r->pack)
      import_progress_set(imp->db, CK_PROGRESS_BYTES, p->through);
  }
  while (next < b->n)
    parsed_free(&b->line[next++]);
  while (ndone)
    leftover_free(&done[--ndone]);
  /* Stop the reader, and drop what it read past the end of the import. */
  pthread_mutex_lock(&r->mu);
  r->stop = 1;
  pthread_cond_signal(&r->room);
  pthread_mutex_unlock(&r->mu);
  pthread_join(thread, NULL);
  while (r->count) {
    parsed_free(&r->ring[r->head]);
    r->head = (r->head + 1) % AHEAD_LINES;
    r->count--;
  }
  while (r->ndone)
    leftover_free(&r->done[r->done_at][--r->ndone]);
  pthread_cond_destroy(&r->more);
  pthread_cond_destroy(&r->room);
  pthread_mutex_destroy(&r->mu);
  free(r);
  return rc;
}
