#include "base/err.h"

#include <stdio.h>
#include <string.h>

int err_vset(char *err, size_t errlen, const char *fmt, va_list ap)
{
    if (err && errlen > 0)
        vsnprintf(err, errlen, fmt, ap);
    return -1;
}

int err_set(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

int err_append(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return -1;
    size_t used = strnlen(err, errlen);
    if (used + 1 >= errlen)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + used, errlen - used, fmt, ap);
    va_end(ap);
    return -1;
}

/* "NAME: " message " (UNIT N)" (no position when unit is NULL): the name and the
 * message first, then the position, which therefore survives only when the
 * message fits. */
static void at_position(char *err, size_t errlen, const char *name, const char *unit,
                        unsigned long long pos, const char *fmt, va_list ap)
{
    if (!err || errlen == 0)
        return;
    err[0] = '\0';
    if (name)
        snprintf(err, errlen, "%s: ", name);
    size_t used = strlen(err);
    if (used + 1 < errlen)
        vsnprintf(err + used, errlen - used, fmt, ap);
    if (unit)
        err_append(err, errlen, " (%s %llu)", unit, pos);
}

int err_in(char *err, size_t errlen, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    at_position(err, errlen, name, NULL, 0, fmt, ap);
    va_end(ap);
    return -1;
}

int err_at_line(char *err, size_t errlen, const char *name, unsigned long long line,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    at_position(err, errlen, name, "line", line, fmt, ap);
    va_end(ap);
    return -1;
}

int err_at_byte(char *err, size_t errlen, const char *name, unsigned long long byte,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    at_position(err, errlen, name, "byte", byte, fmt, ap);
    va_end(ap);
    return -1;
}
