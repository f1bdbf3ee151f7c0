/*
** reliability.h -- what the reliability programs share: generated packs,
** a clock, a PRNG, and the fingerprint of a database's contents.
*/
#ifndef CK_RELIABILITY_H
#define CK_RELIABILITY_H

#define _DEFAULT_SOURCE
#include <claimkit.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static inline uint64_t next_random(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* FNV-1a of the database's export: equal contents, equal fingerprints. */
static inline uint64_t fingerprint(ck_db *db) {
  const char *s = ck_export_json(db, NULL);
  if (!s)
    return 0;
  uint64_t h = 0xcbf29ce484222325ULL;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 0x100000001b3ULL;
  }
  return h;
}

/* Removes a database file and its WAL and shared-memory files. */
static inline void remove_database(const char *path) {
  char side[600];
  unlink(path);
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-journal", path);
  unlink(side);
}

/* A JSON Lines pack of `claims` claims (half views, half observations) over
   `actors` actors, tagged with `round` so that each round's claims are new
   ones; the records it refers to are in it too. */
static inline int write_pack(const char *path, int claims, int actors,
                             int round) {
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  fprintf(f, "{\"type\": \"source\", \"id\": \"s\", \"published\": "
             "\"2026-04-28\"}\n");
  fprintf(f, "{\"type\": \"question\", \"id\": \"q\", \"scale\": [-2, 2]}\n");
  fprintf(f, "{\"type\": \"entity\", \"id\": \"e\"}\n");
  fprintf(f, "{\"type\": \"metric\", \"id\": \"m\", \"unit\": \"points\"}\n");
  for (int a = 0; a < actors; a++)
    fprintf(f, "{\"type\": \"actor\", \"id\": \"a%d\", \"region\": \"%s\"}\n",
            a, a % 2 ? "domestic" : "overseas");
  for (int i = 0; i < claims; i++) {
    if (i % 2)
      fprintf(f,
              "{\"type\": \"claim\", \"source\": \"s\", \"actor\": \"a%d\", "
              "\"locator\": \"r%d-%d\", \"question\": \"q\", \"stance\": %d, "
              "\"quote\": \"第%d轮观点\"}\n",
              i / 2 % actors, round, i, round % 5 - 2, round);
    else
      fprintf(f,
              "{\"type\": \"claim\", \"source\": \"s\", \"actor\": \"a%d\", "
              "\"locator\": \"r%d-%d\", \"entity\": \"e\", \"metric\": \"m\", "
              "\"period\": \"2026\", \"value\": %d}\n",
              i / 2 % actors, round, i, round);
  }
  return fclose(f);
}

#endif
