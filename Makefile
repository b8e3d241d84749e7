# sentio: sentiment classification of short spoken clips, as Unix filter tools.
# `make` builds bin/*, `make test` runs every suite, `make experiment` runs the study.

VERSION := 0.1.0
PREFIX ?= /usr/local
CC ?= cc
CFLAGS ?= -O2
BUILD ?= build
BIN ?= bin

# Packages (pipelines/deps.sh): reading this file looks nothing up and installs nothing,
# so `make -n`, `make help` and `make clean` never run dpkg-query or apt-get. A goal that
# needs packages has $(DEPS)/PROFILE as an order-only prerequisite, made before its
# recipes: as root deps.sh installs what is missing, otherwise it prints the exact apt-get
# line and make stops. The stamp keeps `make -q` meaningful and is made again when deps.sh
# changes or after make clean. `make deps [PROFILES="build test experiment"]` only installs.
.DEFAULT_GOAL := all
PROFILES ?= build test experiment
DEPS = $(BUILD)/.deps
.PHONY: deps
deps:
	sh pipelines/deps.sh $(PROFILES)
$(DEPS)/%: pipelines/deps.sh
	@sh pipelines/deps.sh $* && mkdir -p $(@D) && touch $@

PKGS := sndfile fftw3f soxr gsl sqlite3
# Asked of pkg-config when a recipe first needs them (after $(DEPS)/build), then kept.
PKG_CFLAGS = $(eval PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null))$(PKG_CFLAGS)
PKG_LIBS = $(eval PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null))$(PKG_LIBS)

WARN := -Wall -Wextra -Werror
ALL_CFLAGS = -std=c11 $(WARN) -D_POSIX_C_SOURCE=200809L -DSENTIO_VERSION='"$(VERSION)"' \
	-Icommon $(PKG_CFLAGS) -MMD -MP $(CFLAGS)
# libsvm (Debian libsvm-dev) has no pkg-config file.
LDLIBS = $(PKG_LIBS) -lsvm -lpthread -lm

TOOLS := $(sort $(basename $(notdir $(wildcard tools/*.c))))
LIB_SRC := $(sort $(wildcard common/*/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB := $(BUILD)/libsentio.a
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BIN := $(TOOLS:%=$(BIN)/%)

.PHONY: all test check unit bats check-asan check-valgrind install uninstall clean help
.SECONDARY:
all: $(TOOL_BIN)

$(BUILD)/%.o: %.c | $(DEPS)/build
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BIN)/%: $(BUILD)/tools/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# The suite: C unit tests (TAP) then every BATS file; tests/run.sh tallies them.
test check: $(TOOL_BIN) $(UNIT_BIN) | $(DEPS)/test
	SENTIO_BIN=$(abspath $(BIN)) sh tests/run.sh $(UNIT_BIN)

unit: $(UNIT_BIN) | $(DEPS)/test
	SENTIO_BIN=$(abspath $(BIN)) SENTIO_ONLY=unit sh tests/run.sh $(UNIT_BIN)

bats: $(TOOL_BIN) | $(DEPS)/test
	SENTIO_BIN=$(abspath $(BIN)) SENTIO_ONLY=bats sh tests/run.sh

# gcc's "undefined" leaves out float-cast-overflow (clang's has it): a double out of an
# integer's range (nan, 1e300 from a user's file) converted with a cast is undefined too.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
check-asan:
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(MAKE) BUILD=build-asan BIN=build-asan/bin CFLAGS="$(SAN_FLAGS)" test

# Every tool run by the BATS suites goes through valgrind (tests/helper.bash honours it).
check-valgrind: $(TOOL_BIN) $(UNIT_BIN) | $(DEPS)/test
	SENTIO_BIN=$(abspath $(BIN)) SENTIO_VALGRIND=1 sh tests/run.sh $(UNIT_BIN)

install: $(TOOL_BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5
	install -d $(DESTDIR)$(PREFIX)/share/man/man7
	install -m 755 $(TOOL_BIN) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(wildcard man/man1/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(wildcard man/man5/*.5) $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 $(wildcard man/man7/*.7) $(DESTDIR)$(PREFIX)/share/man/man7/
	install -d $(DESTDIR)$(PREFIX)/share/sentio/plots $(DESTDIR)$(PREFIX)/share/sentio/queries
	install -m 644 $(wildcard pipelines/plots/*.gp) $(DESTDIR)$(PREFIX)/share/sentio/plots/
	install -m 755 pipelines/plots/first-clip.sh $(DESTDIR)$(PREFIX)/share/sentio/plots/
	install -m 644 $(wildcard pipelines/queries/*.sql) $(DESTDIR)$(PREFIX)/share/sentio/queries/
	install -d $(DESTDIR)$(PREFIX)/share/sentio/cmd
	install -m 644 pipelines/experiment.mk pipelines/experiment-svm.mk pipelines/plots.mk \
		$(DESTDIR)$(PREFIX)/share/sentio/
	install -m 755 $(EXP_SCRIPTS) $(DESTDIR)$(PREFIX)/share/sentio/
	install -m 755 $(wildcard pipelines/cmd/*.sh) $(DESTDIR)$(PREFIX)/share/sentio/cmd/

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(PREFIX)/bin/%)
	rm -f $(patsubst man/%,$(DESTDIR)$(PREFIX)/share/man/%,$(wildcard man/man1/*.1 man/man5/*.5 man/man7/*.7))
	rm -rf $(DESTDIR)$(PREFIX)/share/sentio

clean:
	rm -rf $(BUILD) build-asan build-clang $(BIN)

help:
	@echo "make                 build every tool into $(BIN)/"
	@echo "make deps            install the Debian packages of PROFILES ($(PROFILES))"
	@echo "make test            run the C unit tests and the BATS suites"
	@echo "make check-asan      the same under AddressSanitizer + UBSan"
	@echo "make check-valgrind  the BATS suites with every tool under valgrind"
	@echo "make fuzz            every libFuzzer harness for FUZZ_SECONDS (30) each (HACKING.md)"
	@echo "make fuzz-campaign   the long run: each harness to FUZZ_TARGET (10 million) executions, resumable"
	@echo "make bench           benchmarks (needs ../shared/data)"
	@echo "make fidelity-nn     nnfit against a PyTorch replica of Keras (needs ../shared, torch)"
	@echo "make fidelity-egemaps  wav2egemaps against openSMILE's eGeMAPS (needs ../shared)"
	@echo "make splits-nn       validation accuracy on split 42 against 20 other splits"
	@echo "make experiment      the seed's study [DATA=DIR DB=experiments.db OUT=results]"
	@echo "make install         install binaries and man pages [PREFIX=$(PREFIX)]"
	@echo "make format          clang-format every C file (format-check: only report, as CI does)"
	@echo "make lint            cppcheck and clang-tidy, zero findings (compile_commands.json too)"

# Recipes added by later work (bench, experiment, plots) live in pipelines/*.mk.
-include $(sort $(wildcard pipelines/*.mk))
# The packages of goals defined there (after the includes, which set these variables).
$(EXP_DEMO)/TRAIN.csv experiment: | $(DEPS)/experiment
$(PLOT_PNGS:%=$(PLOTS_DIR)/%.png): | $(DEPS)/experiment
bench-wav2mfcc bench-nn: | $(DEPS)/bench
-include $(LIB_OBJ:.o=.d) $(TOOLS:%=$(BUILD)/tools/%.d) $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%.d)
