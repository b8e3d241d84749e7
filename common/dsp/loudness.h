/* loudness.h - perceived loudness from an auditory spectrum, as eGeMAPS defines
 * it (Eyben et al. 2016; openSMILE's cPlp with doAud=1 then the band mean):
 * each critical band's power, floored at LOUDNESS_FLOOR, is weighted by an
 * equal-loudness curve at the band's centre and raised to the power 0.33 (the
 * intensity-loudness power law); the loudness is the mean over the bands. */
#ifndef SENTIO_LOUDNESS_H
#define SENTIO_LOUDNESS_H

#define LOUDNESS_FLOOR 9.3e-10    /* band power floor (openSMILE's melfloor) */
#define LOUDNESS_COMPRESSION 0.33 /* exponent of the power law of hearing */

/* The equal-loudness weight at f Hz, Hermansky's PLP curve in openSMILE's
 * form: with w = 2 pi f,
 *   E(w) = 1e32 (w^2 + 56.8e6) w^4 / ((w^2 + 6.3e6)^2 (w^2 + 0.38e9) (w^7 + 1.7e31)).
 * It rises by about 30 dB from 100 Hz to its peak (about 3.1) near 3 kHz. */
double loudness_equal_weight(double f_hz);

/* (1/n) sum_b (max(power[b], LOUDNESS_FLOOR) * weight[b])^0.33, where weight[b]
 * is loudness_equal_weight of band b's centre (precomputed by the caller). */
double loudness_from_bands(const double *power, const double *weight, int n_bands);

#endif
