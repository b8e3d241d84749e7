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
char *cli_xstrdup(const char *s);

#endif
