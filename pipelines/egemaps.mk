# wav2egemaps: its fidelity against openSMILE and its benchmark (included by the Makefile).

# make fidelity-egemaps: wav2egemaps against openSMILE 3.0's eGeMAPS v02 on ravdess3_dev
# (per-feature correlation and median relative difference, the spectral LLDs frame by
# frame, and an RBF SVM on each feature set); needs ../shared and the fidelity packages.
# SHARED_DIR: where shared/ is (default ../shared beside the checkout).
SHARED_DIR ?= ../shared
.PHONY: fidelity-egemaps bench-wav2egemaps
fidelity-egemaps: $(BIN)/wav2egemaps $(BIN)/featdump | $(DEPS)/fidelity
	@if [ -d $(SHARED_DIR)/data/ravdess3_dev ]; then \
		/usr/bin/python3 pipelines/fidelity/egemaps.py $(abspath $(BIN)) $(abspath $(SHARED_DIR)); \
	else echo "fidelity-egemaps: skipped: $(SHARED_DIR)/data/ravdess3_dev is not present"; fi

bench: bench-wav2egemaps
bench-wav2egemaps: $(BIN)/wav2egemaps | $(DEPS)/bench
	bash pipelines/bench/wav2egemaps.sh $(BIN) $(SHARED_DIR)/data
