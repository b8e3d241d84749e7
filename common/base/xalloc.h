/* xalloc.h - allocation that cannot fail: on exhausted memory the tool exits
 * with "tool: out of memory (asked for N bytes)" (status 1). Sizes of 0 allocate
 * one byte, so the result is never NULL. The library allocates through these;
 * untrusted sizes are checked before they get here. */
#ifndef SENTIO_XALLOC_H
#define SENTIO_XALLOC_H

#include <stddef.h>

void *cli_xmalloc(size_t n);
void *cli_xcalloc(size_t count, size_t size);
void *cli_xrealloc(void *p, size_t n);
/* p resized to count elements of size bytes: a product past SIZE_MAX is refused as out of
 * memory, never wrapped round into a small block that later writes would overrun. */
void *cli_xreallocarray(void *p, size_t count, size_t size);
/* The capacity of a full array of cap elements after growing it: first when it is empty,
 * else doubled (the one growth rule of the library's arrays, so appends cost amortised O(1));
 * a capacity that cannot double is out of memory. */
size_t cli_grown(size_t cap, size_t first);
char *cli_xstrdup(const char *s);

#endif
