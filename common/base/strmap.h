/* strmap.h - interning of strings with counts: labels, metadata strings, group
 * names. Each distinct string gets an id in order of first appearance; lookups
 * are hashed, so a stream with many distinct values stays linear. */
#ifndef SENTIO_STRMAP_H
#define SENTIO_STRMAP_H

#include <stddef.h>

#define STRMAP_NONE ((size_t)-1)

typedef struct {
    char **names;   /* names[id], owned */
    size_t *counts; /* how many times each was added */
    size_t n, cap;
    size_t *slots; /* hash table of id + 1 (0 = empty) */
    size_t nslots;
} strmap;

/* A zeroed strmap is empty and valid. */
void strmap_free(strmap *m);
/* Adds one occurrence of s and returns its id. */
size_t strmap_add(strmap *m, const char *s);
/* The id of s, or STRMAP_NONE. */
size_t strmap_find(const strmap *m, const char *s);
/* The ids sorted by name (byte order, as strcmp); the caller frees the array. */
size_t *strmap_sorted_ids(const strmap *m);
/* rank[id] = the position of names[id] among the sorted names: the class index of
 * a label when classes are numbered in the byte order of their names. The caller
 * frees the array. */
size_t *strmap_ranks(const strmap *m);

#endif
