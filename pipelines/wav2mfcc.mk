# wav2mfcc: build tuning and its benchmark (included by the top-level Makefile).

# The per-sample loops of decoding and MFCC extraction are elementwise (window,
# power spectrum, DCT as axpy, downmix): GCC's full vectoriser speeds them up
# without reordering any sum, so results stay bit-identical to scalar code.
# Only GCC knows the flag (clang rejects it): it is added when $(CC) accepts it,
# probed once per make run and only when one of these objects is compiled.
WAV2MFCC_HOT := $(BUILD)/common/dsp/audio.o $(BUILD)/common/dsp/mfcc.o $(BUILD)/common/dsp/melfilter.o
VECT_COST_FLAG = $(eval VECT_COST_FLAG := $$(shell $(CC) -Werror -fvect-cost-model=dynamic -x c -c /dev/null -o /dev/null 2>/dev/null && echo -fvect-cost-model=dynamic))$(VECT_COST_FLAG)
$(WAV2MFCC_HOT): ALL_CFLAGS += $(VECT_COST_FLAG)

# make bench: x-realtime on ../shared/data against the decode+resample floor and SPTK.
.PHONY: bench bench-wav2mfcc
bench: bench-wav2mfcc
bench-wav2mfcc: $(BIN)/wav2mfcc
	bash pipelines/bench/wav2mfcc.sh $(BIN) ../shared/data
