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

/* "NAME: " message " (UNIT N)" (no position when unit is NULL). The position is
 * what a reader needs most, so a message too long for the buffer (one quoting a
 * long field of the input) is cut short, ending in "...", to keep it. */
static void at_position(char *err, size_t errlen, const char *name, const char *unit,
                        unsigned long long pos, const char *fmt, va_list ap)
{
    if (!err || errlen == 0)
        return;
    char position[48] = "";
    if (unit)
        snprintf(position, sizeof position, " (%s %llu)", unit, pos);
    size_t keep = strlen(position);
    if (keep + 4 >= errlen) { /* no room for both: the message alone */
        keep = 0;
        position[0] = '\0';
    }
    size_t room = errlen - keep; /* for the name, the message and the NUL */
    err[0] = '\0';
    size_t want = 0; /* what the name and the message would take uncut */
    if (name) {
        int n = snprintf(err, room, "%s: ", name);
        want = n > 0 ? (size_t)n : 0;
    }
    if (want + 1 < room) {
        int n = vsnprintf(err + want, room - want, fmt, ap);
        want += n > 0 ? (size_t)n : 0;
    }
    if (want >= room && room >= 4)
        memcpy(err + room - 4, "...", 3);
    memcpy(err + strlen(err), position, keep + 1);
}

int err_in(char *err, size_t errlen, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    at_position(err, errlen, name, NULL, 0, fmt, ap);
    va_end(ap);
    return -1;
}

int err_vat_line(char *err, size_t errlen, const char *name, unsigned long long line,
                 const char *fmt, va_list ap)
{
    at_position(err, errlen, name, "line", line, fmt, ap);
    return -1;
}

int err_at_line(char *err, size_t errlen, const char *name, unsigned long long line,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vat_line(err, errlen, name, line, fmt, ap);
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

int err_at_record(char *err, size_t errlen, const char *name, unsigned long long record,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    at_position(err, errlen, name, "record", record, fmt, ap);
    va_end(ap);
    return -1;
}
