# pipelines/experiment-svm.mk: make experiment's third model, svmfit on FEATURES (the Makefile
# includes it before experiment.mk; an installed experiment.mk includes it from beside itself).
#
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
cmd_egemaps = $(strip wav2egemaps $(EXP_EG_OPT) $1 $(call exp_keep_going,egemaps) \
	--csv $(EXP_DATA)/TRAIN.csv -o $(EXP_OUT)/$(EXP_EG).feat)
cmd_testegemaps = $(strip cd $(EXP_DATA)/TEST && LC_ALL=C ls | grep -Ei '$(EXP_AUDIO_RE)' | \
	wav2egemaps $(EXP_EG_OPT) $1 $(call exp_keep_going,test-egemaps) --list - \
	-o $(abspath $(EXP_OUT))/test-$(EXP_EG).feat)
# The sharded forms (make experiment NJ=N CMD=LAUNCHER), as wav2mfcc's in experiment.mk.
cmd_egemaps_sharded = $(strip $(call exp_sharded,$(EXP_EG)) $(call exp_sharded_keep_going,egemaps) \
	--header $(EXP_DATA)/TRAIN.csv \
	-- wav2egemaps $(EXP_EG_OPT) -j $(JOBS) --dir $(EXP_DATA)/TRAIN --csv)
cmd_testegemaps_sharded = $(strip cd $(EXP_DATA)/TEST && LC_ALL=C ls | grep -Ei '$(EXP_AUDIO_RE)' | \
	$(call exp_sharded,test-$(EXP_EG)) $(call exp_sharded_keep_going,test-egemaps) - \
	-- wav2egemaps $(EXP_EG_OPT) -j $(JOBS) --list)
cmd_svmsplit = $(strip featsplit $(SPLIT_OPTS) $(EXP_OUT)/$(FEATURES).feat \
	--train $(EXP_OUT)/split-$(FEATURES)/train.feat --val $(EXP_OUT)/split-$(FEATURES)/val.feat)

define EXP_SVM_RULES
ifeq ($(filter $(FEATURES),mfcc egemaps egemaps+mfcc egemapsx egemapsx+mfcc),)
$$(error FEATURES=$(FEATURES): give mfcc, egemaps, egemaps+mfcc, egemapsx or egemapsx+mfcc)
endif
ifneq ($(and $(EXP_SVM_FEAT),$(filter experiment $(EXP_OUT)/%,$(EXP_GOALS))),)
ifeq ($(wildcard tools/wav2egemaps.c $(SENTIO_BIN)/wav2egemaps),)
$$(error FEATURES=$(FEATURES) needs wav2egemaps, which neither this checkout nor $(SENTIO_BIN) has)
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
	$$(if $$(EXP_SHARDED),$$(cmd_egemaps_sharded),$$(call cmd_egemaps,-j $(JOBS)))$$(EXP_SKIPPED_OK)

$(EXP_OUT)/test-$(EXP_EG).feat: $(EXP_DATA)/TEST $(EXP_OUT)/.opts/testegemaps $(SENTIO_BIN)/wav2egemaps
	$$(if $$(EXP_SHARDED),$$(cmd_testegemaps_sharded),$$(call cmd_testegemaps,-j $(JOBS)))$$(EXP_SKIPPED_OK)

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
