# pipelines/experiment-si.mk: speaker-independent evaluation (issue 11; README, "Speakers the
# model has never heard"), svmfit's benchmark, and the choice of featnorm's default prior.
#
#   make experiment-si DATA=DIR SPEAKER=REGEX [FOLDS=6] [DB=experiments.db] [SI_OUT=results-si]
#   make experiment-si                  on the demo set: its four voices from demo/utt2spk, 4 folds
#   make experiment-si DATA=DIR UTT2SPK=FILE
#   make experiment-si ... PRIORS="0 4"      featnorm's prior chosen per fold inside the training folds
#   make experiment-si ... SI_SETS="egemaps+mfccstd egemapsx+mfccstd" SI_NETS=no   a narrower study
#   make choose-prior DATA=DIR SPEAKER=REGEX [FOLDS=6]
#   make bench-svm                      svmfit --grid against scikit-learn's SVC grid
#
# pipelines/experiment-si.sh says what runs; every run is recorded in DB and the table is read
# back from it (pipelines/experiment-si-table.sh).

SI_OUT ?= results-si
SPEAKER ?=
UTT2SPK ?=
SI_DATA := $(patsubst %/,%,$(or $(DATA),$(DEMO),demo))
SI_IS_DEMO := $(if $(filter $(abspath $(or $(DEMO),demo)),$(abspath $(SI_DATA))),yes)
SI_UTT2SPK := $(or $(UTT2SPK),$(if $(and $(SI_IS_DEMO),$(if $(SPEAKER),,yes)),$(SI_DATA)/utt2spk))
SI_SPEAKER_OPT = $(if $(SPEAKER),--group '$(SPEAKER)',$(if $(SI_UTT2SPK),--utt2spk $(SI_UTT2SPK)))
SI_FOLDS := $(or $(FOLDS),$(if $(SI_IS_DEMO),4,6))
SI_TOOLS := wav2mfcc featsplit featnorm featpaste nnfit svmfit nnpredict metrics

.PHONY: experiment-si choose-prior bench-svm
experiment-si: $(SI_TOOLS:%=$(BIN)/%) $(if $(SI_IS_DEMO),$(SI_DATA)/TRAIN.csv)
	@test -n "$(SI_SPEAKER_OPT)" || { echo "make experiment-si: give SPEAKER=REGEX or UTT2SPK=FILE" >&2; exit 2; }
	SENTIO_BIN=$(abspath $(BIN)) PRIORS='$(PRIORS)' SI_SETS='$(SI_SETS)' SI_NETS='$(SI_NETS)' \
		sh pipelines/experiment-si.sh $(SI_DATA) $(SI_OUT) $(DB) $(SI_FOLDS) $(SI_SPEAKER_OPT)

choose-prior: $(SI_TOOLS:%=$(BIN)/%) $(if $(SI_IS_DEMO),$(SI_DATA)/TRAIN.csv)
	@test -n "$(SI_SPEAKER_OPT)" || { echo "make choose-prior: give SPEAKER=REGEX or UTT2SPK=FILE" >&2; exit 2; }
	mkdir -p $(SI_OUT)/prior
	$(BIN)/wav2mfcc -j 2 --pool meanstd --csv $(SI_DATA)/TRAIN.csv -o $(SI_OUT)/prior/mfccstd.feat
	SENTIO_BIN=$(abspath $(BIN)) sh pipelines/choose-prior.sh $(SI_OUT)/prior/mfccstd.feat $(SI_OUT)/prior $(SI_FOLDS) 5 $(SI_SPEAKER_OPT)

bench: bench-svm
bench-svm: $(BIN)/svmfit $(BIN)/featsplit $(BIN)/featdump
	SENTIO_BIN=$(abspath $(BIN)) sh pipelines/bench/svm.sh
experiment-si choose-prior: | $(DEPS)/experiment
bench-svm: | $(DEPS)/bench
