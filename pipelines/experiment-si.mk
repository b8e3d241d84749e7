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

# ---- make experiment's third model: svmfit on FEATURES -----------------------------------
# FEATURES=mfcc (default) trains the SVM on the same split as the ANN and CNN; egemaps and
# egemaps+mfcc (wav2egemaps, alone or pasted before the MFCCs with featpaste), and egemapsx and
# egemapsx+mfcc (wav2egemaps --extra) are split by the same SPLIT_OPTS, which gives the same
# records on each side (the split depends only on their number and order). experiment.mk
# evaluates EXP_SVM_RULES once its own variables exist.
FEATURES ?= mfcc
SVM_OPTS ?= --grid --seed 1
EXP_SVM_FEAT = $(filter-out mfcc,$(FEATURES))
EXP_EG = $(firstword $(subst +, ,$(FEATURES)))
EXP_EG_OPT = $(if $(filter egemapsx%,$(FEATURES)),--extra)
exp_model = $(EXP_OUT)/$1.$(if $(filter svm,$1),svm,nn)
exp_split = $(EXP_OUT)/$(if $(and $(filter svm,$1),$(EXP_SVM_FEAT)),split-$(FEATURES),split)
exp_val = $(call exp_split,$1)/val.feat
exp_test = $(EXP_OUT)/$(if $(and $(filter svm,$1),$(EXP_SVM_FEAT)),test-$(FEATURES),test).feat
cmd_svmfit = $(strip svmfit $(SVM_OPTS) $(EXP_RECORD) --run-name SVM -o $(EXP_OUT)/svm.svm \
	$(call exp_split,svm)/train.feat 2>$(EXP_OUT)/svm_fit.log)
cmd_egemaps = $(strip wav2egemaps $(EXP_EG_OPT) $1 --csv $(EXP_DATA)/TRAIN.csv -o $(EXP_OUT)/$(EXP_EG).feat)
cmd_testegemaps = $(strip cd $(EXP_DATA)/TEST && LC_ALL=C ls | grep -Ei '$(EXP_AUDIO_RE)' | \
	wav2egemaps $(EXP_EG_OPT) $1 --list - -o $(abspath $(EXP_OUT))/test-$(EXP_EG).feat)
# The sharded forms (make experiment NJ=N CMD=LAUNCHER), as wav2mfcc's in experiment.mk.
cmd_egemaps_sharded = $(strip $(call exp_sharded,$(EXP_EG)) --header $(EXP_DATA)/TRAIN.csv \
	-- wav2egemaps $(EXP_EG_OPT) -j $(JOBS) --dir $(EXP_DATA)/TRAIN --csv)
cmd_testegemaps_sharded = $(strip cd $(EXP_DATA)/TEST && LC_ALL=C ls | grep -Ei '$(EXP_AUDIO_RE)' | \
	$(call exp_sharded,test-$(EXP_EG)) - -- wav2egemaps $(EXP_EG_OPT) -j $(JOBS) --list)
cmd_svmsplit = $(strip featsplit $(SPLIT_OPTS) $(EXP_OUT)/$(FEATURES).feat \
	--train $(EXP_OUT)/split-$(FEATURES)/train.feat --val $(EXP_OUT)/split-$(FEATURES)/val.feat)

define EXP_SVM_RULES
ifeq ($(filter $(FEATURES),mfcc egemaps egemaps+mfcc egemapsx egemapsx+mfcc),)
$$(error FEATURES=$(FEATURES): give mfcc, egemaps, egemaps+mfcc, egemapsx or egemapsx+mfcc)
endif
ifneq ($(and $(EXP_SVM_FEAT),$(filter experiment $(EXP_OUT)/%,$(MAKECMDGOALS))),)
ifeq ($(wildcard tools/wav2egemaps.c),)
$$(error FEATURES=$(FEATURES) needs wav2egemaps, which this checkout does not have yet)
endif
$$(call exp_stamp,egemaps,$$(call cmd_egemaps))
$$(call exp_stamp,svmsplit,$$(cmd_svmsplit))
$$(if $(EXP_HAS_TEST),$$(call exp_stamp,testegemaps,$$(call cmd_testegemaps)))
endif

$(EXP_OUT)/svm.svm: $(call exp_split,svm)/train.feat $(EXP_OUT)/.opts/fit_svm $(SENTIO_BIN)/svmfit
	$$(call cmd_fit,svm) || { cat $(EXP_OUT)/svm_fit.log >&2; exit 1; }
	@echo "SVM: $$$$(tail -n 1 $(EXP_OUT)/svm_fit.log)"

$(EXP_OUT)/svm_val.tsv: $(EXP_OUT)/svm.svm $(call exp_val,svm) $(EXP_OUT)/.opts/val_svm \
		$(SENTIO_BIN)/nnpredict
	$$(call cmd_val,svm)

$(EXP_OUT)/TEST_predictions_svm.csv: $(EXP_OUT)/svm.svm $(call exp_test,svm) \
		$(EXP_OUT)/.opts/test_svm $(SENTIO_BIN)/nnpredict
	$$(call cmd_test,svm)

$(EXP_OUT)/$(EXP_EG).feat: $(EXP_DATA)/TRAIN.csv $(EXP_OUT)/.opts/egemaps $(SENTIO_BIN)/wav2egemaps
	$$(if $$(EXP_SHARDED),$$(cmd_egemaps_sharded),$$(call cmd_egemaps,-j $(JOBS)))

$(EXP_OUT)/test-$(EXP_EG).feat: $(EXP_DATA)/TEST $(EXP_OUT)/.opts/testegemaps $(SENTIO_BIN)/wav2egemaps
	$$(if $$(EXP_SHARDED),$$(cmd_testegemaps_sharded),$$(call cmd_testegemaps,-j $(JOBS)))

$(EXP_OUT)/$(EXP_EG)+mfcc.feat: $(EXP_OUT)/$(EXP_EG).feat $(EXP_OUT)/train.feat $(SENTIO_BIN)/featpaste
	featpaste $(EXP_OUT)/$(EXP_EG).feat $(EXP_OUT)/train.feat -o $$@

$(EXP_OUT)/test-$(EXP_EG)+mfcc.feat: $(EXP_OUT)/test-$(EXP_EG).feat $(EXP_OUT)/test.feat \
		$(SENTIO_BIN)/featpaste
	featpaste $(EXP_OUT)/test-$(EXP_EG).feat $(EXP_OUT)/test.feat -o $$@

$(EXP_OUT)/split-$(FEATURES)/train.feat $(EXP_OUT)/split-$(FEATURES)/val.feat &: \
		$(EXP_OUT)/$(FEATURES).feat $(EXP_OUT)/.opts/svmsplit $(SENTIO_BIN)/featsplit
	@mkdir -p $(EXP_OUT)/split-$(FEATURES)
	$$(cmd_svmsplit)
endef
