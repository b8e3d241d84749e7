# nnfit's benchmark: both seed architectures against PyTorch on one thread, and
# nnfit's -j scaling.
.PHONY: bench bench-nn fidelity-nn
bench: bench-nn
bench-nn: $(BIN)/nnfit
	SENTIO_BIN=$(abspath $(BIN)) sh pipelines/bench/nn.sh

# A developer check, not part of `make test`: nnfit against a PyTorch replica of
# Keras's training (pipelines/bench/keras_reference.py) on ../shared's
# sentimiento_es, over SEEDS seeds (default 30). Skips without python3-torch or
# the data.
fidelity-nn: $(BIN)/nnfit $(BIN)/wav2mfcc $(BIN)/featsplit $(BIN)/featdump
	SENTIO_BIN=$(abspath $(BIN)) sh pipelines/bench/fidelity_nn.sh
