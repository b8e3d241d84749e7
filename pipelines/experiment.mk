# pipelines/experiment.mk: `make demo-data` and `make experiment` (the Makefile includes it).
#
#   make demo-data [DEMO=demo]
#   make experiment [DATA=DIR] [DB=experiments.db] [OUT=results] [VARIABLE=VALUE ...]
#
# Installed (`make install` puts it in PREFIX/share/sentio/ with what it needs), in any folder:
#
#   make -f PREFIX/share/sentio/experiment.mk [demo-data|experiment|plots] [VARIABLE=VALUE ...]
#
# runs the same study with the tools found on PATH (SENTIO_BIN= to choose others).
#
# `make experiment` reproduces the seed's study on DATA, a folder in the Kaggle layout
# (TRAIN.csv with Filename,Class; TRAIN/; optional unlabelled TEST/), or, without DATA, on the
# synthetic demo set that `make demo-data` makes in DEMO. Every step is one shell pipeline a user
# could type (make echoes it) and produces a file in OUT; every tool but wav2mfcc records its run
# in the SQLite experiment store DB (man 5 sentio-store):
#
#   OUT/train.feat        wav2mfcc -j 2 --csv DATA/TRAIN.csv -o OUT/train.feat
#   OUT/split/{train,val}.feat
#                         featsplit --sklearn --seed 42 --test-size 0.2 --db DB ... OUT/train.feat
#                             --train OUT/split/train.feat --val OUT/split/val.feat
#   OUT/ann.nn OUT/cnn.nn nnfit --arch ann|cnn --val OUT/split/val.feat --seed 1 --db DB ...
#                             -o OUT/ann.nn OUT/split/train.feat 2>OUT/ann_fit.log
#   OUT/{ann,cnn}_val.tsv nnpredict -m OUT/ann.nn --db DB ... -o OUT/ann_val.tsv OUT/split/val.feat
#   OUT/{ann,cnn}_report.txt
#                         metrics --db DB ... -o OUT/ann_report.txt OUT/ann_val.tsv
#   OUT/test.feat         cd DATA/TEST && LC_ALL=C ls | grep -Ei '\.(wav|flac|...)$' |
#                             wav2mfcc -j 2 --list - -o /abs/OUT/test.feat      (when TEST/ exists)
#   OUT/TEST_predictions_{ann,cnn}.csv
#                         nnpredict -m OUT/cnn.nn --format kaggle --db DB ... OUT/test.feat
#   OUT/TEST_predictions.csv  the submission: a copy of the SUBMIT model's predictions
#
# then prints the seed's table "Model | Validation Accuracy | Validation Loss" from the store
# (pipelines/experiment-table.sh: the metrics run whose input_sha256 is that of OUT/ann_val.tsv)
# and each model's classification report, and runs `make plots` when pipelines/plots.mk exists.
#
# Every recorded run is tagged dataset=DATASET, experiment=ABSOLUTE_OUT and data=ABSOLUTE_DATA
# (two studies in one store stay apart), and named split,
# ANN or CNN (nnfit, nnpredict and metrics runs of a model share its name; nnpredict's carry
# split=val or split=test), so the store answers "which runs made the files in OUT".
#
# Incremental: each step depends on its inputs, on the tool binary and on a stamp
# OUT/.opts/STEP holding the step's exact command, rewritten (new mtime) only when that command
# changes. A second `make experiment` redoes nothing; changing DATA, DB, OUT or an option redoes
# only the steps whose command changed and those downstream. (Audio edited in place under an
# unchanged TRAIN.csv is not noticed: touch TRAIN.csv.) JOBS only changes speed, so it is not
# part of any stamp. Paths in DATA, DB and OUT must not contain spaces (make cannot express them).

# Where this file is: pipelines/ of a checkout, or PREFIX/share/sentio/ once installed. The
# scripts it runs (demo-data.sh, extract-sharded.sh, cmd/, check-submission.sh,
# experiment-table.sh) and the makefiles it needs (experiment-svm.mk, plots.mk) are beside it.
EXP_HERE := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
# Read on its own (make -f .../experiment.mk), not by the checkout's Makefile, which has
# already read experiment-svm.mk: the tools are those on PATH, `experiment` the default goal.
ifndef EXP_SVM_RULES
EXP_STANDALONE := yes
.DEFAULT_GOAL := experiment
# (as the Makefile says: keep the models and predictions, intermediate files or not)
.SECONDARY:
ifeq ($(origin BIN),undefined)
BIN := $(patsubst %/,%,$(dir $(shell command -v wav2mfcc 2>/dev/null)))
endif
include $(EXP_HERE)/experiment-svm.mk
-include $(EXP_HERE)/plots.mk
endif
# The goals of this run (stamps are written only when they need the experiment).
EXP_GOALS := $(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))
# What `make install` puts beside the installed experiment.mk (with cmd/*.sh, experiment-svm.mk
# and plots.mk).
EXP_SCRIPTS := $(addprefix $(EXP_HERE)/,demo-data.sh extract-sharded.sh check-submission.sh \
	experiment-table.sh)

DEMO ?= demo
DATA ?= $(DEMO)
DB ?= experiments.db
OUT ?= results
# The dataset tag of every run; by default DATA's folder name (demo, sentimiento_es, ...).
DATASET ?= $(notdir $(abspath $(DATA)))
# Worker threads for wav2mfcc and processes for demo-data.sh (output does not depend on it).
JOBS ?= 2
# Extra options: wav2mfcc (TRAIN and TEST alike), featsplit, nnfit (both models).
MFCC_OPTS ?=
SPLIT_OPTS ?= --sklearn --seed 42 --test-size 0.2
FIT_OPTS ?= --seed 1
# Which model's TEST predictions become OUT/TEST_predictions.csv: the seed submitted its CNN.
SUBMIT ?= cnn
# KEEP_GOING=1: skip unreadable clips (wav2mfcc --keep-going) instead of stopping; they are
# listed in OUT/{train,test}_skipped.tsv, in the summary, and in the store (tags
# skipped_train on the split run, skipped_test on the TEST prediction runs). With NJ > 1
# every shard keeps going and extract-sharded.sh --keep-going joins their lists. The SVM's
# eGeMAPS (FEATURES=egemaps...) keep going too: OUT/{egemaps,test-egemaps}_skipped.tsv.
KEEP_GOING ?=
# Where the tools are (the test suite points it at the build under test).
SENTIO_BIN ?= $(BIN)
# Sharded extraction (man 7 sentio-cmd): with NJ > 1 or a launcher CMD (pipelines/cmd/run.sh,
# slurm.sh, parallel.sh, with options), TRAIN and TEST are extracted in NJ contiguous shards
# through CMD by pipelines/extract-sharded.sh, each shard with JOBS threads; the streams are
# the same bytes, so neither is part of any stamp.
NJ ?= 1
CMD ?=

EXP_DATA := $(patsubst %/,%,$(DATA))
EXP_DEMO := $(patsubst %/,%,$(DEMO))
EXP_OUT := $(patsubst %/,%,$(OUT))
EXP_IS_DEMO := $(if $(filter $(abspath $(EXP_DEMO)),$(abspath $(EXP_DATA))),yes)
ifneq ($(EXP_IS_DEMO),)
EXP_DATA := $(EXP_DEMO)
endif
# The demo set gets TEST/ when it is made, possibly later in this very run.
EXP_HAS_TEST := $(or $(EXP_IS_DEMO),$(wildcard $(EXP_DATA)/TEST))
EXP_MODELS := ann cnn svm
EXP_NAME_ann := ANN
EXP_NAME_cnn := CNN
EXP_NAME_svm := SVM
exp_name = $(or $(EXP_NAME_$1),$1)

.PHONY: demo-data experiment

# ---- make demo-data ---------------------------------------------------------------------
demo-data: $(EXP_DEMO)/TRAIN.csv

$(EXP_DEMO)/TRAIN.csv $(EXP_DEMO)/TEST &: $(EXP_HERE)/demo-data.sh
	sh $(EXP_HERE)/demo-data.sh -j $(JOBS) $(EXP_DEMO)

# ---- make experiment: the steps ---------------------------------------------------------
# Each cmd_* is a step's command; $(call cmd_X,EXTRA) puts EXTRA (options that cannot change
# the output, like -j) after the tool's name, and the stamps record the command without them.
# experiment= and data= together tell studies apart that share a store (and even an OUT).
EXP_RECORD = --db $(DB) --tag dataset=$(DATASET) --tag experiment=$(abspath $(EXP_OUT)) \
	--tag data=$(abspath $(EXP_DATA))
# $(call exp_keep_going,train|test): wav2mfcc's options under KEEP_GOING=1.
exp_keep_going = $(if $(KEEP_GOING),--keep-going --skipped-list $(abspath $(EXP_OUT))/$1_skipped.tsv)
# $(call exp_skipped_tag,train|test): the skipped clips' keys as one tag, comma-separated.
exp_skipped_tag = $(if $(KEEP_GOING),--tag "skipped_$1=$$(cut -f1 $(EXP_OUT)/$1_skipped.tsv | paste -sd, -)")
# wav2mfcc (and extract-sharded.sh) exit 3 when they skipped clips: a success under
# KEEP_GOING=1 only.
EXP_SKIPPED_OK = $(if $(KEEP_GOING), || [ $$? -eq 3 ])
EXP_AUDIO_RE := \.(wav|flac|ogg|oga|opus|mp3|aiff?|au|caf|w64)$$

cmd_feat = $(strip wav2mfcc $1 $(MFCC_OPTS) $(call exp_keep_going,train) --csv $(EXP_DATA)/TRAIN.csv \
	-o $(EXP_OUT)/train.feat)
cmd_split = $(strip featsplit $(SPLIT_OPTS) $(EXP_RECORD) $(call exp_skipped_tag,train) \
	--run-name split $(EXP_OUT)/train.feat \
	--train $(EXP_OUT)/split/train.feat --val $(EXP_OUT)/split/val.feat)
cmd_fit = $(if $(filter svm,$1),$(cmd_svmfit),$(strip nnfit --arch $1 --val $(EXP_OUT)/split/val.feat $(FIT_OPTS) $(EXP_RECORD) \
	--run-name $(call exp_name,$1) -o $(EXP_OUT)/$1.nn $(EXP_OUT)/split/train.feat \
	2>$(EXP_OUT)/$1_fit.log))
cmd_val = $(strip nnpredict -m $(call exp_model,$1) $(EXP_RECORD) --run-name $(call exp_name,$1) \
	--tag split=val -o $(EXP_OUT)/$1_val.tsv $(call exp_val,$1))
cmd_report = $(strip metrics $(EXP_RECORD) --run-name $(call exp_name,$1) -o $(EXP_OUT)/$1_report.txt \
	$(EXP_OUT)/$1_val.tsv)
# Keys of TEST records are the bare file names, in byte order, as a Kaggle submission wants.
cmd_testfeat = $(strip cd $(EXP_DATA)/TEST && LC_ALL=C ls | grep -Ei '$(EXP_AUDIO_RE)' | \
	wav2mfcc $1 $(MFCC_OPTS) $(call exp_keep_going,test) --list - -o $(abspath $(EXP_OUT))/test.feat)
cmd_test = $(strip nnpredict -m $(call exp_model,$1) --format kaggle $(EXP_RECORD) $(call exp_skipped_tag,test) \
	--run-name $(call exp_name,$1) --tag split=test \
	-o $(EXP_OUT)/TEST_predictions_$1.csv $(call exp_test,$1))
cmd_submit = $(strip cp $(EXP_OUT)/TEST_predictions_$(SUBMIT).csv $(EXP_OUT)/TEST_predictions.csv)
# The sharded forms of cmd_feat and cmd_testfeat (paths absolute: TEST's runs in DATA/TEST).
EXP_SHARDED := $(if $(or $(CMD),$(filter-out 1,$(NJ))),yes)
EXP_LAUNCHER = $(or $(CMD),$(EXP_HERE)/cmd/run.sh)
EXP_LAUNCHER_ABS = $(if $(findstring /,$(firstword $(EXP_LAUNCHER))),$(abspath \
	$(firstword $(EXP_LAUNCHER))),$(firstword $(EXP_LAUNCHER))) $(wordlist 2,999,$(EXP_LAUNCHER))
exp_sharded = bash $(abspath $(EXP_HERE)/extract-sharded.sh) \
	--cmd '$(strip $(EXP_LAUNCHER_ABS)) --num-threads $(JOBS)' --nj $(NJ) \
	--dir $(abspath $(EXP_OUT))/shards/$1 -o $(abspath $(EXP_OUT))/$1.feat
# KEEP_GOING=1: each shard skips what it cannot read; extract-sharded.sh gathers their lists.
exp_sharded_keep_going = $(if $(KEEP_GOING),--keep-going $(abspath $(EXP_OUT))/$1_skipped.tsv)
cmd_feat_sharded = $(strip $(call exp_sharded,train) $(call exp_sharded_keep_going,train) \
	--header $(EXP_DATA)/TRAIN.csv \
	-- wav2mfcc -j $(JOBS) --dir $(EXP_DATA)/TRAIN $(MFCC_OPTS) --csv)
cmd_testfeat_sharded = $(strip cd $(EXP_DATA)/TEST && LC_ALL=C ls | grep -Ei '$(EXP_AUDIO_RE)' | \
	$(call exp_sharded,test) $(call exp_sharded_keep_going,test) - \
	-- wav2mfcc -j $(JOBS) $(MFCC_OPTS) --list)

# Stamps: written while make reads this file, and only when a goal needs the experiment.
# (Not for `make plots`: it draws what OUT holds and must not redo steps, e.g. when the
# experiment was made with options it is not given.)
# $(call exp_stamp,NAME,TEXT): OUT/.opts/NAME holds TEXT; its mtime changes only with TEXT.
exp_stamp = $(file >$(EXP_OUT)/.opts/$1.new,$2)$(shell cd $(EXP_OUT)/.opts && \
	{ cmp -s $1.new $1 && rm -f $1.new || mv -f $1.new $1; })
ifneq ($(filter experiment $(EXP_OUT)/% $(abspath $(EXP_OUT))/%,$(EXP_GOALS)),)
ifeq ($(and $(EXP_STANDALONE),$(if $(wildcard $(SENTIO_BIN)/wav2mfcc),,no)),no)
$(error $(if $(SENTIO_BIN),SENTIO_BIN=$(SENTIO_BIN) has no wav2mfcc,wav2mfcc is not on PATH): \
	give SENTIO_BIN=DIR, the folder of the sentio tools)
endif
ifeq ($(filter $(SUBMIT),$(EXP_MODELS)),)
$(error SUBMIT=$(SUBMIT): give one of $(EXP_MODELS))
endif
ifeq ($(EXP_IS_DEMO),)
ifeq ($(wildcard $(EXP_DATA)/TRAIN.csv),)
$(error DATA=$(DATA) has no TRAIN.csv: give a folder in the Kaggle layout (TRAIN.csv, TRAIN/, optional TEST/))
endif
endif
$(shell mkdir -p $(EXP_OUT)/.opts)
$(call exp_stamp,feat,$(call cmd_feat))
$(call exp_stamp,split,$(cmd_split))
$(foreach m,$(EXP_MODELS),$(call exp_stamp,fit_$m,$(call cmd_fit,$m)))
$(foreach m,$(EXP_MODELS),$(call exp_stamp,val_$m,$(call cmd_val,$m)))
$(foreach m,$(EXP_MODELS),$(call exp_stamp,report_$m,$(call cmd_report,$m)))
ifneq ($(EXP_HAS_TEST),)
$(call exp_stamp,testfeat,$(call cmd_testfeat))
$(foreach m,$(EXP_MODELS),$(call exp_stamp,test_$m,$(call cmd_test,$m)))
$(call exp_stamp,submit,$(cmd_submit))
endif
endif

# A step that fails leaves no output behind for the next run to take as done (wav2mfcc
# --keep-going's exit 3 outside KEEP_GOING=1, a submission that misses clips).
.DELETE_ON_ERROR:

# The recipes find the tools under test first (commands then read as a user types them).
$(EXP_OUT)/%: export PATH := $(abspath $(SENTIO_BIN)):$(PATH)

$(EXP_OUT)/train.feat: $(EXP_DATA)/TRAIN.csv $(EXP_OUT)/.opts/feat $(SENTIO_BIN)/wav2mfcc
	$(if $(EXP_SHARDED),$(cmd_feat_sharded),$(call cmd_feat,-j $(JOBS)))$(EXP_SKIPPED_OK)

$(EXP_OUT)/split/train.feat $(EXP_OUT)/split/val.feat &: $(EXP_OUT)/train.feat \
		$(EXP_OUT)/.opts/split $(SENTIO_BIN)/featsplit
	@mkdir -p $(EXP_OUT)/split
	$(cmd_split)

# nnfit's per-epoch log goes to OUT/MODEL_fit.log; make shows its last line (the best epoch).
$(EXP_OUT)/%.nn: $(EXP_OUT)/split/train.feat $(EXP_OUT)/split/val.feat $(EXP_OUT)/.opts/fit_% \
		$(SENTIO_BIN)/nnfit
	$(call cmd_fit,$*) || { cat $(EXP_OUT)/$*_fit.log >&2; exit 1; }
	@echo "$(call exp_name,$*): $$(tail -n 1 $(EXP_OUT)/$*_fit.log)"

$(EXP_OUT)/%_val.tsv: $(EXP_OUT)/%.nn $(EXP_OUT)/split/val.feat $(EXP_OUT)/.opts/val_% \
		$(SENTIO_BIN)/nnpredict
	$(call cmd_val,$*)

$(EXP_OUT)/%_report.txt: $(EXP_OUT)/%_val.tsv $(EXP_OUT)/.opts/report_% $(SENTIO_BIN)/metrics
	$(call cmd_report,$*)

$(EXP_OUT)/test.feat: $(EXP_DATA)/TEST $(EXP_OUT)/.opts/testfeat $(SENTIO_BIN)/wav2mfcc
	$(if $(EXP_SHARDED),$(cmd_testfeat_sharded),$(call cmd_testfeat,-j $(JOBS)))$(EXP_SKIPPED_OK)

$(EXP_OUT)/TEST_predictions_%.csv: $(EXP_OUT)/%.nn $(EXP_OUT)/test.feat $(EXP_OUT)/.opts/test_% \
		$(SENTIO_BIN)/nnpredict
	$(call cmd_test,$*)

# One row per TEST clip, or the step fails naming the missing ones (under KEEP_GOING=1 the
# skipped clips may be missing: the summary lists them).
$(EXP_OUT)/TEST_predictions.csv: $(EXP_OUT)/TEST_predictions_$(SUBMIT).csv $(EXP_OUT)/.opts/submit
	@rm -f $@
	@sh $(EXP_HERE)/check-submission.sh $< $(EXP_DATA)/TEST '$(EXP_AUDIO_RE)' \
		$(if $(KEEP_GOING),$(EXP_OUT)/test_skipped.tsv)
	$(cmd_submit)

# The SVM's steps and its FEATURES (pipelines/experiment-svm.mk).
$(eval $(EXP_SVM_RULES))

# ---- make experiment: the study and its summary -----------------------------------------
EXP_TARGETS := $(EXP_MODELS:%=$(EXP_OUT)/%_report.txt) \
	$(if $(EXP_HAS_TEST),$(EXP_MODELS:%=$(EXP_OUT)/TEST_predictions_%.csv) \
		$(EXP_OUT)/TEST_predictions.csv)

experiment: $(EXP_TARGETS)
	@echo
	@sh $(EXP_HERE)/experiment-table.sh $(DB) \
		$(foreach m,$(EXP_MODELS),$(call exp_name,$m)=$(EXP_OUT)/$(m)_val.tsv)
	@for m in $(EXP_MODELS); do echo; echo "== $(EXP_OUT)/$${m}_report.txt"; \
		cat $(EXP_OUT)/$${m}_report.txt; done
	$(if $(KEEP_GOING),@for s in train test $(if $(EXP_SVM_FEAT),egemaps test-egemaps); do \
		f=$(EXP_OUT)/$${s}_skipped.tsv; [ -s $$f ] || continue; echo; \
		echo "Skipped $$s clips (KEEP_GOING=1; not in the study$$([ "$${s#test}" != "$$s" ] && echo ' nor the submission')):"; \
		sed 's/^/  /' $$f; done)
	$(if $(EXP_HAS_TEST),@echo; echo "Kaggle submission ($(SUBMIT)): $(EXP_OUT)/TEST_predictions.csv")
	$(if $(wildcard $(EXP_HERE)/plots.mk),@$(MAKE) --no-print-directory$(if $(EXP_STANDALONE), \
		-f $(EXP_HERE)/experiment.mk) plots)
