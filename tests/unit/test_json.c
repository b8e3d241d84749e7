/* The JSON writer: shortest round-trip numbers, escaped strings, and null (never
 * NaN or Infinity, which are not JSON) for non-finite values. */
#include "base/json.h"
#include "unit.h"

#include <stdlib.h>

static void expect_number(double x, const char *want, const char *what)
{
    char buf[40];
    json_format_double(buf, sizeof buf, x);
    if (!CHECK(strcmp(buf, want) == 0, what))
        printf("#   got %s, want %s\n", buf, want);
}

int main(void)
{
    expect_number(1.0, "1.0", "an integral value keeps a decimal point, as Python's repr");
    expect_number(0.1, "0.1", "0.1 is written as 0.1");
    expect_number(1e-7, "1e-07", "a small value in exponent form");
    expect_number(1.0 / 3.0, "0.3333333333333333", "the shortest digits that read back exactly");
    expect_number(NAN, "null", "NaN is null");
    expect_number(INFINITY, "null", "Infinity is null");
    expect_number(-INFINITY, "null", "-Infinity is null");

    char *text = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&text, &n);
    json_write_string(fp, "a\"b\\c\n\x01");
    fputc(' ', fp);
    json_write_double(fp, NAN);
    fclose(fp);
    if (!CHECK(strcmp(text, "\"a\\\"b\\\\c\\u000a\\u0001\" null") == 0,
               "strings escaped; NaN written as null"))
        printf("#   got %s\n", text);
    free(text);
    return unit_done();
}
