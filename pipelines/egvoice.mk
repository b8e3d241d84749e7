# The eGeMAPS voice-source LLDs (dsp/voice.h): their frame-level fidelity against openSMILE.

$(BUILD)/voice_lld_dump: pipelines/fidelity/voice_lld_dump.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# make fidelity-voice: per-LLD frame agreement with openSMILE's LLD CSVs of the fixtures
# (tests/fixtures/golden/egemaps/lld, and the shared real recordings' when present), voiced F0
# and voice-quality order against Praat, and, with ../shared, the voice columns' means across
# the ravdess3_dev clips against openSMILE's functionals. SENTIO_SHARED overrides ../shared.
SENTIO_SHARED ?= $(abspath ..)/shared
.PHONY: fidelity-voice
fidelity-voice: $(BUILD)/voice_lld_dump
	SENTIO_SHARED=$(SENTIO_SHARED) python3 pipelines/fidelity/voice_lld.py $(BUILD)/voice_lld_dump
	@if [ -d $(SENTIO_SHARED)/data/ravdess3_dev ]; then \
	  python3 pipelines/fidelity/voice_functionals.py $(BUILD)/voice_lld_dump \
	    $(SENTIO_SHARED)/data/ravdess3_dev $(SENTIO_SHARED)/fixtures/golden/egemaps/ravdess3_dev.csv; \
	  $(BUILD)/voice_lld_dump -t $(SENTIO_SHARED)/data/ravdess3_dev/TRAIN/*.flac; \
	else echo "fidelity-voice: $(SENTIO_SHARED)/data absent, clip-level check skipped"; fi

# The voice LLDs' per-bin loops (subharmonic sums, spline evaluation, spectral resampling) are
# elementwise: vectorising them reorders no sum, so results stay bit-identical.
# -fno-math-errno: sqrtf need not set errno (nothing reads it), so the magnitude loops become
# vector square roots instead of a scalar one with a branch to the library per bin; the
# values are the same correctly rounded roots.
VOICE_HOT := $(BUILD)/common/dsp/pitch.o $(BUILD)/common/dsp/formant.o $(BUILD)/common/dsp/voice.o \
	$(BUILD)/common/dsp/eglld.o
$(VOICE_HOT): ALL_CFLAGS += $(VECT_COST_FLAG) -fno-math-errno # VECT_COST_FLAG: wav2mfcc.mk
