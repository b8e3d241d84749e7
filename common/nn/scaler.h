/* scaler.h - z-score standardisation of feature columns, as scikit-learn's
 * StandardScaler: the population standard deviation (ddof 0), and 1 in place
 * of a zero deviation so that a constant column becomes 0. */
#ifndef SENTIO_SCALER_H
#define SENTIO_SCALER_H

#include <stddef.h>

/* mean and std (cols floats each) of rows x cols values x, in double inside. */
void scaler_fit(const float *x, size_t rows, int cols, float *mean, float *std);
/* x = (x - mean) / std, in place. */
void scaler_apply(const float *mean, const float *std, float *x, size_t rows, int cols);

#endif
