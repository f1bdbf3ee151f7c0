/*
** canon.h -- canonical JSON (canon.c): Python's json.dumps text byte for
** byte, for content ids and every result, and the small JSON helpers the
** builders of results share.  Layer: pure, but for column_text(), which reads
** an SQLite column.
*/
#ifndef CK_CANON_H
#define CK_CANON_H

#include "internal.h"

/* Python's json.dumps(v, sort_keys=True, ensure_ascii=False) byte for byte:
   separators (",", ":") when indent is 0, else (",", ": ") with `indent`
   spaces per level, starting at level `depth`.  Non-finite numbers, which
   JSON cannot hold, are written as null. */
void canon_dump(strbuf *sb, const json_t *v, int indent, int depth,
                int sort_keys);
/* canon_dump() of an object with members replaced, added, or (a NULL
   value) left out: keys[i] -> values[i], i < n. */
void canon_dump_with(strbuf *sb, const json_t *obj, int indent, int depth,
                     int sort_keys, const char *const *keys,
                     json_t *const *values, int n);
/* canon_dump() of an object without indent, keys sorted, returning the
   offset in sb at which a member named `mark` (not in the object) goes:
   after the ',' or '{' before the first member that sorts after it, or at
   the closing '}' (where it needs a ',' before it unless the object is
   empty). */
size_t canon_dump_marking(strbuf *sb, const json_t *obj, const char *mark);
/* Python's repr(float): the shortest text that reads back as d. */
void canon_number(strbuf *sb, double d);
/* canon_dump() into a string the caller frees; NULL when v is NULL or
   memory runs out. */
char *canon_text(const json_t *v, int indent, int sort_keys);
/* d as JSON: a real, or null for +-inf and NaN, which JSON cannot hold. */
json_t *ckjson_number(double d);
/* A column as JSON text, or null; NULL when memory runs out. */
json_t *column_text(sqlite3_stmt *st, int i);
/* json_object_set_new and json_array_append_new that record a failure
   (no memory, or a NULL value from a failed build) in *bad instead of
   dropping it silently: builders check *bad once at the end. */
void jset(json_t *obj, const char *key, json_t *v, int *bad);
void jpush(json_t *arr, json_t *v, int *bad);
/* "a string", "a number", ... for messages about a JSON value's type. */
const char *ckjson_kind(const json_t *v);

#endif
