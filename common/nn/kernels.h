/* kernels.h - the arithmetic of the neural network: small dense matrix products
 * and elementwise loops, fast and deterministic.
 *
 * Every element is computed in one fixed order (a product's k = 0, 1, ..., K-1),
 * in float, without fused multiply-add, whatever the vector width the CPU
 * offers: the results are the same bits with SSE2, AVX2 or AVX-512 and do not
 * depend on blocking. */
#ifndef SENTIO_KERNELS_H
#define SENTIO_KERNELS_H

#include <stddef.h>

/* C[i][j] += sum_k A[i][k] * B[k][j] for i < M, j < N, k < K, with row strides
 * lda, ldb, ldc (in floats). A's rows may overlap (lda < K), which makes a
 * channels-last 1-D convolution one product. */
void gemm_acc(int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C,
              int ldc);

/* T[j][i] = S[i][j] for an M x N matrix S with row stride lds; T has stride M. */
void gemm_transpose(int M, int N, const float *S, int lds, float *T);

/* out[i] = max(in[i], 0) (0 for NaN too). */
void kern_relu(const float *in, float *out, size_t n);
/* dx[i] = x[i] > 0 ? dy[i] : 0. */
void kern_relu_backward(const float *x, const float *dy, float *dx, size_t n);
/* out[i] = a[i] * b[i]. */
void kern_mul(const float *a, const float *b, float *out, size_t n);
/* acc[i] += x[i]. */
void kern_add(float *acc, const float *x, size_t n);
/* sum[j] += M[i][j] for i < rows, in order of i (a bias gradient). */
void kern_colsum_acc(const float *M, size_t rows, size_t cols, float *sum);
/* Keras's Adam update (adam.h) of n weights with step size alpha. */
void kern_adam(float *w, float *m, float *v, const float *g, size_t n, float alpha, float beta1,
               float beta2, float epsilon);

#endif
