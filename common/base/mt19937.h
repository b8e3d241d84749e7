/* mt19937.h - sentio's own Mersenne Twister, drawing exactly what numpy's legacy
 * RandomState(seed) draws: the same seeding for an integer seed (seed 0 included),
 * the same doubles from random_sample() and the same bounded integers and
 * permutations, so that splits match numpy and scikit-learn bit for bit. */
#ifndef SENTIO_MT19937_H
#define SENTIO_MT19937_H

#include <stddef.h>
#include <stdint.h>

#define MT19937_N 624

typedef struct {
    uint32_t key[MT19937_N];
    int pos; /* next word of key to temper; MT19937_N: regenerate first */
} mt19937;

/* numpy's RandomState(seed) for an integer seed in 0..2^32-1 (Matsumoto and
 * Nishimura's init_genrand, which numpy also uses for 0). */
void mt19937_seed(mt19937 *mt, uint32_t seed);
/* The next 32-bit output. */
uint32_t mt19937_next(mt19937 *mt);
/* random_sample(): a double in [0, 1) with 53 random bits, from two outputs. */
double mt19937_random_sample(mt19937 *mt);
/* A uniform integer in [0, max] by numpy's legacy masked rejection: the draw is
 * masked to the smallest all-ones mask covering max and redrawn while above max. */
uint32_t mt19937_interval(mt19937 *mt, uint32_t max);
/* RandomState.shuffle of a[0..n-1]: Fisher-Yates from the end, n <= 2^32. */
void mt19937_shuffle(mt19937 *mt, size_t *a, size_t n);
/* RandomState(seed).permutation(n) into perm[0..n-1], n <= 2^32. */
void mt19937_permutation(uint32_t seed, size_t n, size_t *perm);

#endif
