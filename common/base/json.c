#include "base/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void json_write_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            fputc('\\', fp);
            fputc(*p, fp);
        } else if (*p < 0x20)
            fprintf(fp, "\\u%04x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

void json_format_double(char *buf, size_t len, double x)
{
    if (!isfinite(x)) {
        snprintf(buf, len, "null"); /* NaN and Infinity are not JSON */
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    size_t used = strlen(buf);
    if (!strpbrk(buf, ".e") && used + 3 <= len)
        memcpy(buf + used, ".0", 3);
}

void json_write_double(FILE *fp, double x)
{
    char buf[40];
    json_format_double(buf, sizeof buf, x);
    fputs(buf, fp);
}
