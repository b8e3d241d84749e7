/* unit.h - a minimal TAP producer for sentio's C unit tests.
 * Each CHECK prints "ok N - what" or "not ok N - what" with the failing values;
 * unit_done() prints the plan and returns the exit status. */
#ifndef SENTIO_UNIT_H
#define SENTIO_UNIT_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int unit_count, unit_failed;

static inline int unit_report(int ok, const char *file, int line, const char *what)
{
    ++unit_count;
    printf("%sok %d - %s\n", ok ? "" : "not ", unit_count, what);
    if (!ok) {
        ++unit_failed;
        printf("#   at %s:%d\n", file, line);
    }
    return ok;
}

#define CHECK(cond, what) unit_report(!!(cond), __FILE__, __LINE__, what)

/* |a - b| <= tol, with the values shown on failure. */
#define CHECK_NEAR(a, b, tol, what)                                                            \
    do {                                                                                       \
        double unit_a_ = (a), unit_b_ = (b), unit_t_ = (tol);                                  \
        if (!unit_report(fabs(unit_a_ - unit_b_) <= unit_t_, __FILE__, __LINE__, what))        \
            printf("#   got %.9g, expected %.9g (tolerance %g)\n", unit_a_, unit_b_, unit_t_); \
    } while (0)

static inline int unit_done(void)
{
    printf("1..%d\n", unit_count);
    return unit_failed ? 1 : 0;
}

#endif
