# pipelines/plots.mk: `make plots`, the figures of an experiment (the Makefile includes it).
#
#   make plots [DATA=DIR] [OUT=results] [DB=experiments.db] [PLOTS_DIR=OUT/plots] [RUN=ID|NAME]
#
# Renders into PLOTS_DIR (default OUT/plots), from what `make experiment` leaves in OUT and DB:
#   waveform.png, spectrogram.png   the first clip of DATA/TRAIN.csv
#   ann_accuracy.png, ann_loss.png, cnn_accuracy.png, cnn_loss.png
#                                   training and validation curves of the latest finished
#                                   nnfit runs named ANN and CNN that this OUT recorded
#                                   (tag experiment=ABSOLUTE_OUT), else of any so named
#   ann_confusion.png, cnn_confusion.png
#                                   the validation confusion matrices (OUT/ann_val.tsv, ...)
#   features.png                    OUT/train.feat on its first two principal components
# With RUN=ID|NAME, only that run's figures instead: run-RUN_accuracy.png, run-RUN_loss.png,
# and run-RUN_confusion.png when it has labelled predictions.
# The data behind each figure is kept in OUT/plots/data/*.tsv (plotdata's output), so a
# figure can be restyled with the scripts in pipelines/plots/ without recomputing anything.
# `make plots OUT=results PLOTS_DIR=examples` refreshes the README's figures.

DEMO ?= demo
DATA ?= $(DEMO)
OUT ?= results
DB ?= experiments.db
PLOTS_DIR ?= $(OUT)/plots
RUN ?=
SENTIO_BIN ?= $(BIN)

PLOT_OUT := $(patsubst %/,%,$(OUT))
PLOT_DATA_DIR := $(PLOT_OUT)/plots/data
# The gnuplot scripts: pipelines/plots/ of a checkout, or PREFIX/share/sentio/plots/ installed.
PLOT_GP := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))/plots
PLOTDATA := $(SENTIO_BIN)/plotdata
PLOT_CSV := $(patsubst %/,%,$(DATA))/TRAIN.csv
# Evaluated only when a plot needs them (TRAIN.csv may be made by this very run).
plot_clip_name = $(shell sh $(PLOT_GP)/first-clip.sh $(PLOT_CSV) name)
plot_clip_class = $(shell sh $(PLOT_GP)/first-clip.sh $(PLOT_CSV) class)
# A run of this experiment when the store knows it as such, else the latest of that name.
plot_where = $(if $(shell sqlite3 -readonly $(DB) "SELECT 1 FROM params WHERE key = 'experiment' \
	AND value = '$(abspath $(PLOT_OUT))' LIMIT 1" 2>/dev/null),--where experiment=$(abspath $(PLOT_OUT)))
# $(call plot_render,SCRIPT,DATA,PNG,TITLE[,EXTRA gnuplot assignments])
plot_render = gnuplot -e "in='$2'; out='$3'; title='$4'; $5" $(PLOT_GP)/$1.gp
PLOT_DEPS := $(PLOT_GP)/style.gp $(PLOTDATA)

ifeq ($(RUN),)
PLOT_PNGS := waveform spectrogram ann_accuracy ann_loss cnn_accuracy cnn_loss \
	ann_confusion cnn_confusion features
else
PLOT_PNGS := run-$(RUN)_accuracy run-$(RUN)_loss
endif

.PHONY: plots
plots: $(PLOT_PNGS:%=$(PLOTS_DIR)/%.png)
ifneq ($(RUN),)
	@if $(PLOTDATA) confusion --db $(DB) --run $(RUN) -o $(PLOT_DATA_DIR)/run-$(RUN)_confusion.tsv \
		2>/dev/null; then \
	  echo "$(call plot_render,confusion,$(PLOT_DATA_DIR)/run-$(RUN)_confusion.tsv,$(PLOTS_DIR)/run-$(RUN)_confusion.png,run $(RUN): confusion matrix)"; \
	  $(call plot_render,confusion,$(PLOT_DATA_DIR)/run-$(RUN)_confusion.tsv,$(PLOTS_DIR)/run-$(RUN)_confusion.png,run $(RUN): confusion matrix); \
	fi
endif
	@echo "figures: $(PLOTS_DIR)/"

$(PLOT_DATA_DIR) $(PLOTS_DIR):
	mkdir -p $@

# ---- data ---------------------------------------------------------------------------------
$(PLOT_DATA_DIR)/waveform.tsv: $(PLOT_CSV) $(PLOTDATA) | $(PLOT_DATA_DIR)
	$(PLOTDATA) waveform -o $@ $(dir $(PLOT_CSV))TRAIN/$(plot_clip_name)

$(PLOT_DATA_DIR)/spectrogram.tsv: $(PLOT_CSV) $(PLOTDATA) | $(PLOT_DATA_DIR)
	$(PLOTDATA) spectrogram -o $@ $(dir $(PLOT_CSV))TRAIN/$(plot_clip_name)

# Curves change with the store; the model file's date says when its run finished.
$(PLOT_DATA_DIR)/%_curves.tsv: $(PLOT_OUT)/%.nn $(PLOTDATA) | $(PLOT_DATA_DIR)
	$(PLOTDATA) curves --db $(DB) --run $(if $(filter ann,$*),ANN,CNN) $(plot_where) -o $@

$(PLOT_DATA_DIR)/run-$(RUN)_curves.tsv: $(DB) $(PLOTDATA) | $(PLOT_DATA_DIR)
	$(PLOTDATA) curves --db $(DB) --run $(RUN) -o $@

$(PLOT_DATA_DIR)/%_confusion.tsv: $(PLOT_OUT)/%_val.tsv $(PLOTDATA) | $(PLOT_DATA_DIR)
	$(PLOTDATA) confusion -o $@ $<

$(PLOT_DATA_DIR)/features.tsv: $(PLOT_OUT)/train.feat $(PLOTDATA) | $(PLOT_DATA_DIR)
	$(PLOTDATA) features --standardize -o $@ $<

# ---- figures ------------------------------------------------------------------------------
$(PLOTS_DIR)/waveform.png: $(PLOT_DATA_DIR)/waveform.tsv $(PLOT_GP)/waveform.gp $(PLOT_DEPS) | $(PLOTS_DIR)
	$(call plot_render,waveform,$<,$@,Waveform of TRAIN/$(plot_clip_name) ($(plot_clip_class)))

$(PLOTS_DIR)/spectrogram.png: $(PLOT_DATA_DIR)/spectrogram.tsv $(PLOT_GP)/spectrogram.gp $(PLOT_DEPS) | $(PLOTS_DIR)
	$(call plot_render,spectrogram,$<,$@,Spectrogram of TRAIN/$(plot_clip_name) ($(plot_clip_class)))

$(PLOTS_DIR)/%_accuracy.png: $(PLOT_DATA_DIR)/%_curves.tsv $(PLOT_GP)/curves.gp $(PLOT_DEPS) | $(PLOTS_DIR)
	$(call plot_render,curves,$<,$@,$(call plot_model,$*): model accuracy,metric='acc')

$(PLOTS_DIR)/%_loss.png: $(PLOT_DATA_DIR)/%_curves.tsv $(PLOT_GP)/curves.gp $(PLOT_DEPS) | $(PLOTS_DIR)
	$(call plot_render,curves,$<,$@,$(call plot_model,$*): model loss,metric='loss')

$(PLOTS_DIR)/%_confusion.png: $(PLOT_DATA_DIR)/%_confusion.tsv $(PLOT_GP)/confusion.gp $(PLOT_DEPS) | $(PLOTS_DIR)
	$(call plot_render,confusion,$<,$@,$(call plot_model,$*): validation confusion matrix)

$(PLOTS_DIR)/features.png: $(PLOT_DATA_DIR)/features.tsv $(PLOT_GP)/features.gp $(PLOT_DEPS) | $(PLOTS_DIR)
	$(call plot_render,features,$<,$@,TRAIN features: principal components of standardised MFCC means)

plot_model = $(if $(filter ann,$1),ANN,$(if $(filter cnn,$1),CNN,$(patsubst run-%,run %,$1)))
