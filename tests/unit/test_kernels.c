/* The network's arithmetic (nn/kernels) against plain loops: products in double
 * (close) and in float in the same k order (the same bits), transposes, ReLU,
 * column sums and Keras's Adam step written out. */
#include "nn/kernels.h"
#include "unit.h"

#include <stdlib.h>

static float rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (float)((*s >> 8) & 0xffff) / 32768.0f - 1.0f;
}

/* Sizes that exercise the 4 x 16 blocks, the 8-wide tails and the scalar tails. */
static void test_gemm(void)
{
    const int sizes[][3] = {{1, 1, 1}, {4, 16, 3}, {5, 17, 9}, {7, 33, 64}, {13, 8, 1}, {3, 5, 40}};
    unsigned seed = 7;
    int bits_ok = 1, near_ok = 1;
    for (size_t t = 0; t < sizeof sizes / sizeof *sizes; t++) {
        int M = sizes[t][0], N = sizes[t][1], K = sizes[t][2];
        int lda = K + 2, ldb = N + 3, ldc = N + 1;
        float *A = malloc(sizeof(float) * (size_t)M * lda),
              *B = malloc(sizeof(float) * (size_t)K * ldb);
        float *C = malloc(sizeof(float) * (size_t)M * ldc),
              *F = malloc(sizeof(float) * (size_t)M * ldc);
        for (int i = 0; i < M * lda; i++)
            A[i] = rnd(&seed);
        for (int i = 0; i < K * ldb; i++)
            B[i] = rnd(&seed);
        for (int i = 0; i < M * ldc; i++)
            C[i] = F[i] = rnd(&seed);
        float *D = malloc(sizeof(float) * (size_t)M * ldc);
        memcpy(D, C, sizeof(float) * (size_t)M * ldc);
        gemm_acc(M, N, K, A, lda, B, ldb, C, ldc);
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) {
                float s = F[i * ldc + j];
                double d = D[i * ldc + j];
                for (int k = 0; k < K; k++) {
                    s += A[i * lda + k] * B[k * ldb + j];
                    d += (double)A[i * lda + k] * B[k * ldb + j];
                }
                bits_ok &= memcmp(&s, &C[i * ldc + j], sizeof s) == 0;
                near_ok &= fabs(d - C[i * ldc + j]) <= 1e-5 * (K + 1);
            }
        for (int i = 0; i < M; i++) /* the padding beyond N is not touched */
            for (int j = N; j < ldc; j++)
                bits_ok &= C[i * ldc + j] == F[i * ldc + j];
        free(A), free(B), free(C), free(D), free(F);
    }
    CHECK(bits_ok, "gemm_acc: the bits of a float loop over k in order, strides honoured");
    CHECK(near_ok, "gemm_acc: within float rounding of the sum in double");

    /* Overlapping rows (lda < K): a 1-D convolution as one product. */
    float x[6] = {1, 2, 3, 4, 5, 6}, w[3] = {1, 0, -1}, y[4] = {0};
    gemm_acc(4, 1, 3, x, 1, w, 1, y, 1);
    CHECK(y[0] == -2 && y[1] == -2 && y[2] == -2 && y[3] == -2, "rows overlapping by lda = 1");
}

static void test_elementwise(void)
{
    float S[2 * 4] = {1, 2, 3, 99, 4, 5, 6, 99}, T[6];
    gemm_transpose(2, 3, S, 4, T);
    CHECK(T[0] == 1 && T[1] == 4 && T[2] == 2 && T[3] == 5 && T[4] == 3 && T[5] == 6,
          "transpose of a 2 x 3 with stride 4");

    enum { N = 37 };
    float in[N], out[N], dy[N], dx[N], acc[N];
    unsigned seed = 3;
    for (int i = 0; i < N; i++) {
        in[i] = rnd(&seed);
        dy[i] = rnd(&seed);
        acc[i] = rnd(&seed);
    }
    in[5] = NAN;
    kern_relu(in, out, N);
    int ok = 1;
    for (int i = 0; i < N; i++)
        ok &= out[i] == (in[i] > 0 ? in[i] : 0.0f);
    CHECK(ok && out[5] == 0.0f, "relu: max(x, 0), NaN to 0");
    kern_relu_backward(in, dy, dx, N);
    ok = 1;
    for (int i = 0; i < N; i++)
        ok &= dx[i] == (in[i] > 0 ? dy[i] : 0.0f);
    CHECK(ok, "relu backward passes dy where x > 0");
    kern_mul(in, dy, out, N);
    ok = 1;
    for (int i = 0; i < N; i++)
        ok &= i == 5 || out[i] == in[i] * dy[i];
    CHECK(ok, "mul is elementwise");
    float before[N];
    memcpy(before, acc, sizeof acc);
    kern_add(acc, dy, N);
    ok = 1;
    for (int i = 0; i < N; i++)
        ok &= acc[i] == before[i] + dy[i];
    CHECK(ok, "add accumulates");

    float Mx[3 * 2] = {1, 10, 2, 20, 3, 30}, sum[2] = {0.5f, 0};
    kern_colsum_acc(Mx, 3, 2, sum);
    CHECK(sum[0] == 6.5f && sum[1] == 60.0f, "column sums add to what is there");
}

static void test_adam(void)
{
    enum { N = 21 };
    float w[N], m[N], v[N], g[N], w2[N], m2[N], v2[N];
    unsigned seed = 11;
    for (int i = 0; i < N; i++) {
        w[i] = w2[i] = rnd(&seed);
        m[i] = m2[i] = rnd(&seed) * 0.1f;
        v[i] = v2[i] = fabsf(rnd(&seed)) * 0.01f;
        g[i] = rnd(&seed);
    }
    const float alpha = 0.001f, b1 = 0.9f, b2 = 0.999f, eps = 1e-7f;
    kern_adam(w, m, v, g, N, alpha, b1, b2, eps);
    int ok = 1;
    for (int i = 0; i < N; i++) {
        m2[i] = b1 * m2[i] + (1.0f - b1) * g[i];
        v2[i] = b2 * v2[i] + (1.0f - b2) * (g[i] * g[i]);
        w2[i] = w2[i] - (alpha * m2[i]) / (sqrtf(v2[i]) + eps);
        ok &= m[i] == m2[i] && v[i] == v2[i] && w[i] == w2[i];
    }
    CHECK(ok, "Adam: every lane (vector body and tail) the bits of Keras's update in float");
}

int main(void)
{
    test_gemm();
    test_elementwise();
    test_adam();
    return unit_done();
}
