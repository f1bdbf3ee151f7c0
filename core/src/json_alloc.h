/*
** json_alloc.h -- jansson's parser, refused when memory ran out inside it.
**
** jansson 2.14's lexer drops a byte when growing its token buffer fails
** (lex_save() ignores strbuffer_append_byte's result): the parse goes on
** and returns a tree with a space missing from a script, a digit from a
** number.  Every parse in claimkit goes through ck_json_loadb(), which
** sees any allocation that failed during the parse and refuses it.
*/
#ifndef CK_JSON_ALLOC_H
#define CK_JSON_ALLOC_H

#include <jansson.h>
#include <stddef.h>

/* Chains claimkit's allocation functions in front of jansson's current
   ones, once per process (ck_open calls it). */
void ck_json_alloc_install(void);

/* json_loadb(), but NULL with json_error_out_of_memory as its code when
   any allocation failed while jansson parsed, even if it returned a
   tree.  err may be NULL. */
json_t *ck_json_loadb(const char *buf, size_t len, size_t flags,
                      json_error_t *err);
json_t *ck_json_loads(const char *s, size_t flags, json_error_t *err);

/* A tree built in a block of its own, freed at once (what a JSON Lines
   line parses into).  Its nodes may be freed -- by jansson, or by
   ck_json_arena_free() -- only on a thread that has entered its arena;
   nothing allocated by anyone else may live in the tree after the parse
   unless it is freed before the arena is (json_object_del, set_new and the
   like are fine while the arena is entered).  *arena is NULL when the
   tree is an ordinary one (no room for a block, or no ck_open yet). */
typedef struct ck_json_arena ck_json_arena;
json_t *ck_json_loadb_arena(const char *buf, size_t len, size_t flags,
                            json_error_t *err, ck_json_arena **arena);
/* Makes `a` (may be NULL) the thread's arena; returns the one before. */
ck_json_arena *ck_json_arena_enter(ck_json_arena *a);
/* json_decref(v) with its arena entered, then the arena freed. */
void ck_json_arena_free(json_t *v, ck_json_arena *a);

#endif
