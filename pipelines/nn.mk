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

# A developer check, not part of `make test`: the validation accuracy of both
# seed models on sentimiento_es's split 42 against SPLITS (default 20) other 80/20
# splits, nnfit and (with python3-torch) the Keras replica, SEEDS (default 3) each.
.PHONY: splits-nn
splits-nn: $(BIN)/nnfit $(BIN)/nnpredict $(BIN)/wav2mfcc $(BIN)/featsplit $(BIN)/featdump
	SENTIO_BIN=$(abspath $(BIN)) sh pipelines/bench/splits_nn.sh
