/* errmsg.h - filling a caller's error buffer, for library functions that
 * report "what went wrong" and let the tool add the file name. */
#ifndef SENTIO_ERRMSG_H
#define SENTIO_ERRMSG_H

#include <stddef.h>

/* snprintf into err[0..errlen-1]; returns -1, so `return errmsg_set(...)` fails. */
int errmsg_set(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
