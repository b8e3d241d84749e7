/* dct.h - the orthonormal DCT-II (scipy.fft.dct(type=2, norm='ortho')) as a
 * matrix, so that the first few coefficients cost only what they need. */
#ifndef SENTIO_DCT_H
#define SENTIO_DCT_H

/* Fills d (n_out x n, row-major) with the first n_out rows of the orthonormal
 * DCT-II of length n: d[k][i] = s_k cos(pi k (2i + 1) / (2n)), s_0 = sqrt(1/n),
 * s_k = sqrt(2/n). Requires 1 <= n_out <= n. */
void dct2_ortho_matrix(float *d, int n_out, int n);

#endif
