#include "eval/split.h"

#include "base/err.h"
#include "base/mt19937.h"
#include "base/xalloc.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- partitions ---- */

int split_test_count(double test_size, size_t n, size_t *n_test, char *err, size_t errlen)
{
    /* sklearn: ceil(test_size * n_samples) for a float, the count for an int. */
    size_t t = test_size < 1 ? (size_t)ceil(test_size * (double)n) : (size_t)test_size;
    if (t >= n) {
        err_set(err, errlen, "test size %g leaves the training side empty (%zu of %zu)", test_size,
                t, n);
        return -1;
    }
    *n_test = t;
    return 0;
}

void split_result_free(split_result *res)
{
    free(res->train);
    free(res->val);
    memset(res, 0, sizeof *res);
}

/* Fills res from a per-item side flag, in input order. */
static void collect_sides(const unsigned char *is_val, size_t n, split_result *res)
{
    res->train = cli_xmalloc((n ? n : 1) * sizeof(size_t));
    res->val = cli_xmalloc((n ? n : 1) * sizeof(size_t));
    res->ntrain = res->nval = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_val[i])
            res->val[res->nval++] = i;
        else
            res->train[res->ntrain++] = i;
    }
}

/* Items grouped by id: members[start[k] .. start[k+1]) are the items of id k,
 * in input order. */
static void bucket(const size_t *id_of, size_t n, size_t nids, size_t **members, size_t **start)
{
    *start = cli_xcalloc(nids + 1, sizeof(size_t));
    *members = cli_xmalloc((n ? n : 1) * sizeof(size_t));
    for (size_t i = 0; i < n; i++)
        (*start)[id_of[i] + 1]++;
    for (size_t k = 0; k < nids; k++)
        (*start)[k + 1] += (*start)[k];
    size_t *fill = cli_xmalloc((nids ? nids : 1) * sizeof(size_t));
    memcpy(fill, *start, (nids ? nids : 1) * sizeof(size_t));
    for (size_t i = 0; i < n; i++)
        (*members)[fill[id_of[i]]++] = i;
    free(fill);
}

/* Per-class validation counts summing to n_test, proportional to class sizes
 * by the largest-remainder method (ties go to the lower class id). */
static size_t *stratified_quotas(const size_t *start, size_t nclasses, size_t n, size_t n_test)
{
    size_t *quota = cli_xcalloc(nclasses ? nclasses : 1, sizeof(size_t));
    double *rest = cli_xcalloc(nclasses ? nclasses : 1, sizeof(double));
    size_t given = 0;
    for (size_t c = 0; c < nclasses; c++) {
        double exact = (double)n_test * (double)(start[c + 1] - start[c]) / (double)n;
        quota[c] = (size_t)floor(exact);
        rest[c] = exact - (double)quota[c];
        given += quota[c];
    }
    while (given < n_test) {
        size_t best = 0;
        for (size_t c = 1; c < nclasses; c++)
            if (rest[c] > rest[best])
                best = c;
        quota[best]++;
        rest[best] = -1;
        given++;
    }
    free(rest);
    return quota;
}

static int holdout(const split_options *o, mt19937 *rng, size_t n, const size_t *class_of,
                   size_t nclasses, const size_t *group_of, size_t ngroups, unsigned char *is_val,
                   char *err, size_t errlen)
{
    size_t n_test;
    if (o->grouped) {
        if (split_test_count(o->test_size, ngroups, &n_test, err, errlen) != 0) {
            size_t len = strlen(err);
            snprintf(err + len, errlen - len, " (--group: the test size counts groups)");
            return -1;
        }
        size_t *groups = cli_xmalloc(ngroups * sizeof *groups);
        for (size_t g = 0; g < ngroups; g++)
            groups[g] = g;
        mt19937_shuffle(rng, groups, ngroups);
        unsigned char *group_val = cli_xcalloc(ngroups, 1);
        for (size_t k = 0; k < n_test; k++)
            group_val[groups[k]] = 1;
        for (size_t i = 0; i < n; i++)
            is_val[i] = group_val[group_of[i]];
        free(group_val);
        free(groups);
        return 0;
    }
    if (split_test_count(o->test_size, n, &n_test, err, errlen) != 0)
        return -1;
    if (!o->stratify) {
        size_t *perm = cli_xmalloc(n * sizeof *perm);
        for (size_t i = 0; i < n; i++)
            perm[i] = i;
        mt19937_shuffle(rng, perm, n);
        for (size_t k = 0; k < n_test; k++)
            is_val[perm[k]] = 1;
        free(perm);
        return 0;
    }
    size_t *members, *start;
    bucket(class_of, n, nclasses, &members, &start);
    size_t *quota = stratified_quotas(start, nclasses, n, n_test);
    for (size_t c = 0; c < nclasses; c++) {
        mt19937_shuffle(rng, members + start[c], start[c + 1] - start[c]);
        for (size_t k = 0; k < quota[c]; k++)
            is_val[members[start[c] + k]] = 1;
    }
    free(quota);
    free(members);
    free(start);
    return 0;
}

static int kfold(const split_options *o, mt19937 *rng, size_t n, const size_t *class_of,
                 size_t nclasses, const size_t *group_of, size_t ngroups, unsigned char *is_val,
                 char *err, size_t errlen)
{
    size_t k = (size_t)o->folds, want = (size_t)o->fold - 1;
    size_t *fold_of = cli_xmalloc(n * sizeof *fold_of);
    if (o->grouped) {
        if (ngroups < k) {
            err_set(err, errlen, "%zu groups cannot make %zu folds", ngroups, k);
            free(fold_of);
            return -1;
        }
        /* Shuffled groups, largest first (ties in shuffled order), each to the
         * fold with the fewest records so far (the lowest on ties). */
        size_t *members, *start;
        bucket(group_of, n, ngroups, &members, &start);
        size_t *groups = cli_xmalloc(ngroups * sizeof *groups);
        for (size_t g = 0; g < ngroups; g++)
            groups[g] = g;
        mt19937_shuffle(rng, groups, ngroups);
        for (size_t a = 1; a < ngroups; a++) /* stable insertion sort by size, descending */
            for (size_t b = a; b > 0; b--) {
                size_t gb = groups[b], ga = groups[b - 1];
                if (start[gb + 1] - start[gb] <= start[ga + 1] - start[ga])
                    break;
                groups[b] = ga;
                groups[b - 1] = gb;
            }
        size_t *load = cli_xcalloc(k, sizeof *load);
        for (size_t a = 0; a < ngroups; a++) {
            size_t g = groups[a], best = 0;
            for (size_t f = 1; f < k; f++)
                if (load[f] < load[best])
                    best = f;
            load[best] += start[g + 1] - start[g];
            for (size_t m = start[g]; m < start[g + 1]; m++)
                fold_of[members[m]] = best;
        }
        free(load);
        free(groups);
        free(members);
        free(start);
    } else if (n < k) {
        err_set(err, errlen, "%zu records cannot make %zu folds", n, k);
        free(fold_of);
        return -1;
    } else if (o->stratify) {
        /* Each class shuffled, classes one after another, dealt round-robin:
         * per-class and total fold sizes differ by at most one. */
        size_t *members, *start;
        bucket(class_of, n, nclasses, &members, &start);
        for (size_t c = 0; c < nclasses; c++)
            mt19937_shuffle(rng, members + start[c], start[c + 1] - start[c]);
        for (size_t p = 0; p < n; p++)
            fold_of[members[p]] = p % k;
        free(members);
        free(start);
    } else {
        /* sklearn's KFold sizes on a shuffled order: the first n % k folds one larger. */
        size_t *perm = cli_xmalloc(n * sizeof *perm);
        for (size_t i = 0; i < n; i++)
            perm[i] = i;
        mt19937_shuffle(rng, perm, n);
        size_t p = 0;
        for (size_t f = 0; f < k; f++)
            for (size_t size = n / k + (f < n % k); size > 0; size--)
                fold_of[perm[p++]] = f;
        free(perm);
    }
    for (size_t i = 0; i < n; i++)
        is_val[i] = fold_of[i] == want;
    free(fold_of);
    return 0;
}

int split_partition(const split_options *o, size_t n, const size_t *class_of, size_t nclasses,
                    const size_t *group_of, size_t ngroups, split_result *res, char *err,
                    size_t errlen)
{
    memset(res, 0, sizeof *res);
    if (n == 0) {
        err_set(err, errlen, "no records to split");
        return -1;
    }
    if (n > UINT32_MAX) {
        err_set(err, errlen, "too many records (%zu) for numpy's 32-bit shuffle", n);
        return -1;
    }
    if (o->sklearn) {
        size_t n_test;
        if (split_test_count(o->test_size, n, &n_test, err, errlen) != 0)
            return -1;
        size_t *perm = cli_xmalloc(n * sizeof *perm);
        mt19937_permutation((uint32_t)o->seed, n, perm);
        res->nval = n_test;
        res->ntrain = n - n_test;
        res->val = cli_xmalloc(n_test * sizeof(size_t));
        res->train = cli_xmalloc(res->ntrain * sizeof(size_t));
        memcpy(res->val, perm, n_test * sizeof(size_t));
        memcpy(res->train, perm + n_test, res->ntrain * sizeof(size_t));
        free(perm);
        return 0;
    }
    mt19937 rng;
    mt19937_seed(&rng, (uint32_t)o->seed);
    unsigned char *is_val = cli_xcalloc(n, 1);
    int rc = o->folds >= 2
                 ? kfold(o, &rng, n, class_of, nclasses, group_of, ngroups, is_val, err, errlen)
                 : holdout(o, &rng, n, class_of, nclasses, group_of, ngroups, is_val, err, errlen);
    if (rc == 0) {
        collect_sides(is_val, n, res);
        if (res->nval == 0 || res->ntrain == 0) {
            err_set(err, errlen, "the %s side would be empty",
                    res->nval ? "training" : "validation");
            split_result_free(res);
            rc = -1;
        }
    }
    free(is_val);
    return rc;
}

/* ---- groups ---- */

int split_grouper_init(split_grouper *g, const char *regex, char *err, size_t errlen)
{
    memset(g, 0, sizeof *g);
    int rc = regcomp(&g->re, regex, REG_EXTENDED);
    if (rc != 0) {
        char why[256];
        regerror(rc, &g->re, why, sizeof why);
        err_set(err, errlen, "bad regular expression '%s': %s", regex, why);
        return -1;
    }
    g->compiled = true;
    if (g->re.re_nsub < 1) {
        err_set(err, errlen, "regular expression '%s' has no capture group ( )", regex);
        split_grouper_free(g);
        return -1;
    }
    return 0;
}

char *split_group_of(const split_grouper *g, const char *key)
{
    regmatch_t m[2];
    if (regexec(&g->re, key, 2, m, 0) != 0 || m[1].rm_so < 0)
        return NULL;
    size_t len = (size_t)(m[1].rm_eo - m[1].rm_so);
    char *s = cli_xmalloc(len + 1);
    memcpy(s, key + m[1].rm_so, len);
    s[len] = '\0';
    return s;
}

void split_grouper_free(split_grouper *g)
{
    if (g->compiled)
        regfree(&g->re);
    g->compiled = false;
}
