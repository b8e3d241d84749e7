# The eGeMAPS voice-source LLDs (dsp/voice.h): their frame-level fidelity against openSMILE.

$(BUILD)/voice_lld_dump: pipelines/fidelity/voice_lld_dump.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# make fidelity-voice: per-LLD frame agreement with openSMILE's LLD CSVs of the fixtures
# (tests/fixtures/golden/egemaps/lld, and ../shared's real recordings when present).
.PHONY: fidelity-voice
fidelity-voice: $(BUILD)/voice_lld_dump
	python3 pipelines/fidelity/voice_lld.py $(BUILD)/voice_lld_dump

# The voice LLDs' per-bin loops (subharmonic sums, spline evaluation, spectral resampling) are
# elementwise: vectorising them reorders no sum, so results stay bit-identical.
VOICE_HOT := $(BUILD)/common/dsp/pitch.o $(BUILD)/common/dsp/formant.o $(BUILD)/common/dsp/voice.o
$(VOICE_HOT): ALL_CFLAGS += -fvect-cost-model=dynamic
