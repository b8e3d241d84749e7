/* The product uses GCC vector extensions, which every GCC/Clang target lowers to
 * whatever vectors it has; the elementwise loops are left to the vectoriser,
 * which -O2's cheap cost model keeps from vectorising them, hence -O3 for this
 * file alone. The kernels are cloned for AVX2 and
 * AVX-512, the CPU's choice made at load time. Contraction to FMA is off (as
 * -std=c11 implies, made explicit here) so that each clone computes the same
 * roundings; sqrt and division are correctly rounded in every ISA. */
#if defined(__clang__)
/* clang has no per-file optimize pragma; it contracts by default, so say off. */
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("O3", "fp-contract=off")
#endif

#include "nn/kernels.h"

#include <math.h>

#include <string.h>

typedef float v8 __attribute__((vector_size(32)));

/* Not under ThreadSanitizer: the clones' ifunc resolvers run before it is set up
 * and crash in its instrumentation. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__) && \
    !defined(__SANITIZE_THREAD__)
#define KERN_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define KERN_CLONES
#endif

/* Unaligned loads and stores (macros: passing vectors by value would change the ABI). */
#define LOAD8(v, p) memcpy(&(v), (p), sizeof(v8))
#define STORE8(p, v) memcpy((p), &(v), sizeof(v8))

/* One row of C, columns j.. to the end, k in order. */
static inline void row_tail(int j, int N, int K, const float *a, const float *B, int ldb, float *c)
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

KERN_CLONES
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

KERN_CLONES
void kern_relu(const float *restrict in, float *restrict out, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        out[i] = in[i] > 0.0f ? in[i] : 0.0f;
}

KERN_CLONES
void kern_relu_backward(const float *restrict x, const float *restrict dy, float *restrict dx,
                        size_t n)
{
    for (size_t i = 0; i < n; ++i)
        dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
}

KERN_CLONES
void kern_mul(const float *restrict a, const float *restrict b, float *restrict out, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        out[i] = a[i] * b[i];
}

KERN_CLONES
void kern_add(float *restrict acc, const float *restrict x, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        acc[i] += x[i];
}

KERN_CLONES
void kern_colsum_acc(const float *restrict M, size_t rows, size_t cols, float *restrict sum)
{
    for (size_t i = 0; i < rows; ++i)
        for (size_t j = 0; j < cols; ++j)
            sum[j] += M[i * cols + j];
}

/* Keras's update in this order of operations in every variant:
 *   m = beta1*m + (1-beta1)*g;  v = beta2*v + (1-beta2)*(g*g);  w = w - (alpha*m) / (sqrt(v) + eps)
 * GCC will not vectorise sqrtf while errno may be set (and its optimize
 * attribute cannot lift that for one function), so on x86-64 the loop is
 * written with intrinsics, chosen by the CPU at run time. */
static inline void adam_one(float *w, float *m, float *v, float g, float alpha, float b1, float b2,
                            float c1, float c2, float eps)
{
    *m = b1 * *m + c1 * g;
    *v = b2 * *v + c2 * (g * g);
    *w = *w - (alpha * *m) / (sqrtf(*v) + eps);
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define ADAM_SIMD(W, PS, LOAD, STORE, SET1, ADD, SUB, MUL, DIV, SQRT)                        \
    {                                                                                        \
        PS vb1 = SET1(b1), vb2 = SET1(b2), vc1 = SET1(c1), vc2 = SET1(c2), va = SET1(alpha), \
           ve = SET1(eps);                                                                   \
        for (; i + (W) <= n; i += (W)) {                                                     \
            PS vg = LOAD(g + i);                                                             \
            PS vm = ADD(MUL(vb1, LOAD(m + i)), MUL(vc1, vg));                                \
            PS vv = ADD(MUL(vb2, LOAD(v + i)), MUL(vc2, MUL(vg, vg)));                       \
            STORE(m + i, vm);                                                                \
            STORE(v + i, vv);                                                                \
            STORE(w + i, SUB(LOAD(w + i), DIV(MUL(va, vm), ADD(SQRT(vv), ve))));             \
        }                                                                                    \
    }

__attribute__((target("avx512f"))) static size_t adam_avx512(float *w, float *m, float *v,
                                                             const float *g, size_t n, float alpha,
                                                             float b1, float b2, float c1, float c2,
                                                             float eps)
{
    size_t i = 0;
    ADAM_SIMD(16, __m512, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_set1_ps, _mm512_add_ps,
              _mm512_sub_ps, _mm512_mul_ps, _mm512_div_ps, _mm512_sqrt_ps)
    return i;
}

__attribute__((target("avx"))) static size_t adam_avx(float *w, float *m, float *v, const float *g,
                                                      size_t n, float alpha, float b1, float b2,
                                                      float c1, float c2, float eps)
{
    size_t i = 0;
    ADAM_SIMD(8, __m256, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_set1_ps, _mm256_add_ps,
              _mm256_sub_ps, _mm256_mul_ps, _mm256_div_ps, _mm256_sqrt_ps)
    return i;
}

static size_t adam_sse(float *w, float *m, float *v, const float *g, size_t n, float alpha,
                       float b1, float b2, float c1, float c2, float eps)
{
    size_t i = 0;
    ADAM_SIMD(4, __m128, _mm_loadu_ps, _mm_storeu_ps, _mm_set1_ps, _mm_add_ps, _mm_sub_ps,
              _mm_mul_ps, _mm_div_ps, _mm_sqrt_ps)
    return i;
}
#endif

void kern_adam(float *w, float *m, float *v, const float *g, size_t n, float alpha, float beta1,
               float beta2, float epsilon)
{
    float c1 = 1.0f - beta1, c2 = 1.0f - beta2;
    size_t i = 0;
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        i = adam_avx512(w, m, v, g, n, alpha, beta1, beta2, c1, c2, epsilon);
    else if (__builtin_cpu_supports("avx"))
        i = adam_avx(w, m, v, g, n, alpha, beta1, beta2, c1, c2, epsilon);
    else
        i = adam_sse(w, m, v, g, n, alpha, beta1, beta2, c1, c2, epsilon);
#endif
    for (; i < n; ++i)
        adam_one(w + i, m + i, v + i, g[i], alpha, beta1, beta2, c1, c2, epsilon);
}
