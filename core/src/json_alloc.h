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

#endif
