/* mt19937.c - the Mersenne Twister of Matsumoto and Nishimura (1998), with the
 * draws numpy's legacy RandomState makes from it (numpy/random/src/mt19937 and
 * legacy distributions, read for their definitions). */
#include "base/mt19937.h"

#define MT_M 397
#define MATRIX_A 0x9908b0dfu
#define UPPER_MASK 0x80000000u
#define LOWER_MASK 0x7fffffffu

void mt19937_seed(mt19937 *mt, uint32_t seed)
{
    mt->key[0] = seed;
    for (uint32_t i = 1; i < MT19937_N; i++)
        mt->key[i] = 1812433253u * (mt->key[i - 1] ^ (mt->key[i - 1] >> 30)) + i;
    mt->pos = MT19937_N;
}

static uint32_t twist(uint32_t upper, uint32_t lower, uint32_t far)
{
    uint32_t y = (upper & UPPER_MASK) | (lower & LOWER_MASK);
    return far ^ (y >> 1) ^ ((y & 1u) ? MATRIX_A : 0u);
}

static void regenerate(mt19937 *mt)
{
    uint32_t *k = mt->key;
    int i = 0;
    for (; i < MT19937_N - MT_M; i++)
        k[i] = twist(k[i], k[i + 1], k[i + MT_M]);
    for (; i < MT19937_N - 1; i++)
        k[i] = twist(k[i], k[i + 1], k[i + MT_M - MT19937_N]);
    k[MT19937_N - 1] = twist(k[MT19937_N - 1], k[0], k[MT_M - 1]);
    mt->pos = 0;
}

uint32_t mt19937_next(mt19937 *mt)
{
    if (mt->pos >= MT19937_N)
        regenerate(mt);
    uint32_t y = mt->key[mt->pos++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

double mt19937_random_sample(mt19937 *mt)
{
    uint32_t a = mt19937_next(mt) >> 5, b = mt19937_next(mt) >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

uint32_t mt19937_interval(mt19937 *mt, uint32_t max)
{
    if (max == 0)
        return 0;
    uint32_t mask = max;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    uint32_t v;
    while ((v = mt19937_next(mt) & mask) > max)
        ;
    return v;
}

void mt19937_shuffle(mt19937 *mt, size_t *a, size_t n)
{
    for (size_t i = n; i-- > 1;) {
        size_t j = mt19937_interval(mt, (uint32_t)i);
        size_t t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

void mt19937_permutation(uint32_t seed, size_t n, size_t *perm)
{
    mt19937 mt;
    mt19937_seed(&mt, seed);
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    mt19937_shuffle(&mt, perm, n);
}
