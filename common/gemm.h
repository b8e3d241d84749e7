/* gemm.h - the small dense matrix products of the neural network, fast and
 * deterministic.
 *
 * Every element is accumulated in one fixed order (k = 0, 1, ..., K-1, in float,
 * without fused multiply-add), whatever the vector width the CPU offers, so
 * the results are the same bits on any x86-64 and independent of blocking. */
#ifndef SENTIO_GEMM_H
#define SENTIO_GEMM_H

/* C[i][j] += sum_k A[i][k] * B[k][j] for i < M, j < N, k < K, with row strides
 * lda, ldb, ldc (in floats). A's rows may overlap (lda < K), which makes a
 * channels-last 1-D convolution one product. */
void gemm_acc(int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C,
              int ldc);

/* T[j][i] = S[i][j] for an M x N matrix S with row stride lds; T has stride M. */
void gemm_transpose(int M, int N, const float *S, int lds, float *T);

#endif
