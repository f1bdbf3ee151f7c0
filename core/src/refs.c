/*
** refs.c -- what an import knows of the records its claims refer to: an
** open-addressing hash map from id to the few fields import needs (does it
** exist; an actor's weight, region and kind; a source's date; a question's
** scale).  A million claims referring to a thousand actors then ask SQLite
** a thousand times, not a million.  Pure: the caller fills the entries.
*/
#include "import.h"

#include <stdlib.h>
#include <string.h>

static void entry_free(ref_entry *e) {
  free(e->id);
  free(e->region);
  free(e->kind);
  free(e->published);
  free(e->unit);
}

void refs_free(refs *m) {
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i].id)
      entry_free(&m->slots[i]);
  free(m->slots);
  memset(m, 0, sizeof *m);
}

static int grow(refs *m) {
  size_t cap = m->cap ? 2 * m->cap : 64;
  ref_entry *slots = calloc(cap, sizeof *slots);
  if (!slots)
    return -1;
  for (size_t i = 0; i < m->cap; i++) {
    ref_entry *e = &m->slots[i];
    if (!e->id)
      continue;
    size_t j = (size_t)e->hash & (cap - 1);
    while (slots[j].id)
      j = (j + 1) & (cap - 1);
    slots[j] = *e;
  }
  free(m->slots);
  m->slots = slots;
  m->cap = cap;
  return 0;
}

/* The slot of id, or the empty slot where it would go. */
static ref_entry *slot(refs *m, const char *id, uint64_t h) {
  size_t j = (size_t)h & (m->cap - 1);
  for (; m->slots[j].id; j = (j + 1) & (m->cap - 1))
    if (m->slots[j].hash == h && strcmp(m->slots[j].id, id) == 0)
      break;
  return &m->slots[j];
}

/* Entries move only when one is added: a pointer to an entry stays valid
   until the next refs_get of a new id. */
ref_entry *refs_get(refs *m, const char *id, int *created) {
  *created = 0;
  uint64_t h = fnv1a64(id, strlen(id));
  ref_entry *e = m->cap ? slot(m, id, h) : NULL;
  if (e && e->id)
    return e;
  if (2 * (m->n + 1) > m->cap) {
    if (grow(m) != 0)
      return NULL;
    e = slot(m, id, h);
  }
  memset(e, 0, sizeof *e);
  if (!(e->id = strdup(id)))
    return NULL;
  e->hash = h;
  e->weight = 1.0;
  m->n++;
  *created = 1;
  return e;
}

int refs_set_text(char **field, const char *value) {
  char *copy = value ? strdup(value) : NULL;
  if (value && !copy)
    return -1;
  free(*field);
  *field = copy;
  return 0;
}
