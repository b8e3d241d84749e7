# pipelines/cluster.mk: the benchmark of sharded extraction through the launchers of
# pipelines/cmd (man 7 sentio-cmd), part of `make bench`.
#   make bench-cluster [BENCH_DATA=../shared/data] [BENCH_RUNS=3]
# Needs the packages of `pipelines/deps.sh cluster` (installed first when run as root); its
# Slurm part runs on the local cluster of tests/cluster/slurm-up.sh, so only as root.
BENCH_DATA ?= ../shared/data

.PHONY: bench bench-cluster
bench: bench-cluster
bench-cluster: $(BIN)/wav2mfcc | $(DEPS)/cluster
	bash pipelines/bench/cluster.sh $(BIN) $(BENCH_DATA)
