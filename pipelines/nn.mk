# nnfit's benchmark: both seed architectures against PyTorch on one thread.
.PHONY: bench bench-nn
bench: bench-nn
bench-nn: $(BIN)/nnfit
	SENTIO_BIN=$(abspath $(BIN)) sh pipelines/bench/nn.sh
