/* plot.h - the data behind sentio's figures (man 1 plotdata): plain text that
 * gnuplot reads directly, tab-separated, with '#' header lines that say what the
 * data is and name the columns with their units. */
#ifndef SENTIO_PLOT_H
#define SENTIO_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum {
    PLOT_WAVEFORM,
    PLOT_SPECTROGRAM,
    PLOT_CURVES,
    PLOT_CONFUSION,
    PLOT_FEATURES
} plot_kind;

typedef struct {
    double sr;       /* audio: resample to this rate; 0 = the file's own */
    long points;     /* waveform: at most this many envelope columns */
    int n_fft, hop;  /* spectrogram: FFT length and hop, samples */
    long frames;     /* spectrogram: at most this many columns (frames pooled); 0 = all */
    double top_db;   /* spectrogram: floor at -top_db dB; 0 = no floor */
    const char *db;  /* curves, confusion: the experiment store */
    const char *run; /* curves, confusion: a run id or name (storeread_find_run) */
    char **where;    /* curves, confusion: KEY=VALUE params the run must have */
    size_t nwhere;
    bool normalize;   /* confusion: row fractions instead of counts */
    bool standardize; /* features: PCA of standardised features (the correlation matrix) */
} plot_options;

#define PLOT_DEFAULT_POINTS 2000
#define PLOT_DEFAULT_N_FFT 2048
#define PLOT_DEFAULT_HOP 512
/* 500 columns of 1025 bins: about 25 MB of text, which gnuplot draws in seconds
 * (every frame of a 2-minute clip is 241 MB and 90 s). */
#define PLOT_DEFAULT_FRAMES 500
#define PLOT_DEFAULT_TOP_DB 80.0

void plot_options_default(plot_options *o);
/* "waveform" -> PLOT_WAVEFORM etc.; -1 for an unknown name. */
int plot_kind_parse(const char *name, plot_kind *kind);
const char *plot_kind_name(plot_kind kind);

/* Each writes one kind's data to out and returns 0, or -1 with err set to
 * "FILE: what went wrong", FILE the input or store it concerns (base/err.h). */
int plot_waveform(const char *audio_path, const plot_options *o, FILE *out, char *err,
                  size_t errlen);
int plot_spectrogram(const char *audio_path, const plot_options *o, FILE *out, char *err,
                     size_t errlen);
int plot_curves(const plot_options *o, FILE *out, char *err, size_t errlen);
/* From the store (o->db, o->run) when predictions_path is NULL, else from
 * nnpredict's TSV output (NULL store, "-" = stdin). */
int plot_confusion(const char *predictions_path, const plot_options *o, FILE *out, char *err,
                   size_t errlen);
/* nfiles == 0 reads stdin. */
int plot_features(int nfiles, char **files, const plot_options *o, FILE *out, char *err,
                  size_t errlen);

#endif
