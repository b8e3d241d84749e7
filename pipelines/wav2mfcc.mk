# wav2mfcc: build tuning and its benchmark (included by the top-level Makefile).

# The per-sample loops of decoding and MFCC extraction are elementwise (window,
# power spectrum, DCT as axpy, downmix): GCC's full vectoriser speeds them up
# without reordering any sum, so results stay bit-identical to scalar code.
WAV2MFCC_HOT := $(BUILD)/common/dsp/audio.o $(BUILD)/common/dsp/mfcc.o $(BUILD)/common/dsp/melfilter.o
# (a GCC option: CC=clang, as make fuzz builds, goes without it)
$(WAV2MFCC_HOT): ALL_CFLAGS += $(if $(findstring clang,$(CC)),,-fvect-cost-model=dynamic)

# make bench: x-realtime on ../shared/data against the decode+resample floor and SPTK.
.PHONY: bench bench-wav2mfcc
bench: bench-wav2mfcc
bench-wav2mfcc: $(BIN)/wav2mfcc
	bash pipelines/bench/wav2mfcc.sh $(BIN) ../shared/data
