/* The kernels use GCC vector extensions, which every GCC/Clang target lowers to
 * whatever vectors it has, and are cloned for AVX2 and AVX-512 with the CPU's
 * choice made at load time. Contraction to FMA is off (as -std=c11 implies, made
 * explicit here) so that each clone computes the same roundings. */
#pragma GCC optimize("fp-contract=off")

#include "gemm.h"

#include <string.h>

typedef float v8 __attribute__((vector_size(32)));

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define GEMM_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define GEMM_CLONES
#endif

/* Unaligned loads and stores (macros: passing vectors by value would change the ABI). */
#define LOAD8(v, p) memcpy(&(v), (p), sizeof(v8))
#define STORE8(p, v) memcpy((p), &(v), sizeof(v8))

/* One row of C, columns j.. to the end, k in order. */
static inline void row_tail(int j, int N, int K, const float *a, const float *B, int ldb,
                            float *c)
{
    for (; j + 8 <= N; j += 8) {
        v8 s, b;
        LOAD8(s, c + j);
        for (int k = 0; k < K; ++k) {
            LOAD8(b, B + (size_t)k * ldb + j);
            s += a[k] * b;
        }
        STORE8(c + j, s);
    }
    for (; j < N; ++j) {
        float s = c[j];
        for (int k = 0; k < K; ++k)
            s += a[k] * B[(size_t)k * ldb + j];
        c[j] = s;
    }
}

GEMM_CLONES
void gemm_acc(int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C,
              int ldc)
{
    int i = 0;
    /* 4 rows x 16 columns of C stay in registers while k runs. */
    for (; i + 4 <= M; i += 4) {
        const float *a0 = A + (size_t)i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
        float *c0 = C + (size_t)i * ldc, *c1 = c0 + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;
        int j = 0;
        for (; j + 16 <= N; j += 16) {
            v8 s00, s01, s10, s11, s20, s21, s30, s31, b0, b1;
            LOAD8(s00, c0 + j);
            LOAD8(s01, c0 + j + 8);
            LOAD8(s10, c1 + j);
            LOAD8(s11, c1 + j + 8);
            LOAD8(s20, c2 + j);
            LOAD8(s21, c2 + j + 8);
            LOAD8(s30, c3 + j);
            LOAD8(s31, c3 + j + 8);
            const float *b = B + j;
            for (int k = 0; k < K; ++k, b += ldb) {
                LOAD8(b0, b);
                LOAD8(b1, b + 8);
                s00 += a0[k] * b0;
                s01 += a0[k] * b1;
                s10 += a1[k] * b0;
                s11 += a1[k] * b1;
                s20 += a2[k] * b0;
                s21 += a2[k] * b1;
                s30 += a3[k] * b0;
                s31 += a3[k] * b1;
            }
            STORE8(c0 + j, s00);
            STORE8(c0 + j + 8, s01);
            STORE8(c1 + j, s10);
            STORE8(c1 + j + 8, s11);
            STORE8(c2 + j, s20);
            STORE8(c2 + j + 8, s21);
            STORE8(c3 + j, s30);
            STORE8(c3 + j + 8, s31);
        }
        row_tail(j, N, K, a0, B, ldb, c0);
        row_tail(j, N, K, a1, B, ldb, c1);
        row_tail(j, N, K, a2, B, ldb, c2);
        row_tail(j, N, K, a3, B, ldb, c3);
    }
    for (; i < M; ++i)
        row_tail(0, N, K, A + (size_t)i * lda, B, ldb, C + (size_t)i * ldc);
}

void gemm_transpose(int M, int N, const float *S, int lds, float *T)
{
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j)
            T[(size_t)j * M + i] = S[(size_t)i * lds + j];
}
