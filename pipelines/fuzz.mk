# Coverage-guided fuzzing of every parser (tests/fuzz, HACKING.md "Fuzzing").
# `make fuzz [FUZZ_SECONDS=N] [HARNESSES="stream text"]` builds each libFuzzer
# harness with clang and runs it for N seconds on its seed corpus;
# `make fuzz-campaign [FUZZ_TARGET=N FUZZ_CHUNK=S]` runs each toward N executions, resumably;
# `make fuzz-repro HARNESS=NAME FILE=INPUT` replays one input.
# The library is compiled again with clang and the fuzzing flags into
# $(FUZZ_BUILD), so it never mixes with the gcc build.

FUZZ_BUILD ?= build-fuzz
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 30
FUZZ_TARGET ?= 10000000
FUZZ_CHUNK ?= 600
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1
FUZZ_ALL := $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
HARNESSES ?= $(FUZZ_ALL)
FUZZ_BIN := $(FUZZ_ALL:%=$(FUZZ_BUILD)/fuzz/fuzz_%)
FUZZ_LIB := $(FUZZ_BUILD)/libsentio.a

.PHONY: fuzz fuzz-build fuzz-campaign fuzz-repro fuzz-lib fuzz-clean

# The library's objects: the ordinary rules (and their header dependencies), run
# with clang, coverage instrumentation (fuzzer-no-link) and the sanitizers.
fuzz-lib: | $(DEPS)/build $(DEPS)/fuzz
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
		CFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" $(FUZZ_LIB)

$(FUZZ_BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) fuzz-lib
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 $(WARN) -D_POSIX_C_SOURCE=200809L -Icommon -Itests/fuzz $(PKG_CFLAGS) \
		$(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: $(HARNESSES:%=$(FUZZ_BUILD)/fuzz/fuzz_%)
	FUZZ_BUILD=$(FUZZ_BUILD) sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(HARNESSES)

# A long run, resumable: each harness FUZZ_CHUNK seconds at a time until FUZZ_TARGET executions.
fuzz-campaign: $(HARNESSES:%=$(FUZZ_BUILD)/fuzz/fuzz_%)
	FUZZ_BUILD=$(FUZZ_BUILD) sh tests/fuzz/campaign.sh $(FUZZ_TARGET) $(FUZZ_CHUNK) $(HARNESSES)

fuzz-repro: $(if $(HARNESS),$(FUZZ_BUILD)/fuzz/fuzz_$(HARNESS))
	@test -n "$(HARNESS)" -a -n "$(FILE)" || { echo "usage: make fuzz-repro HARNESS=NAME FILE=INPUT (NAME: $(FUZZ_ALL))" >&2; exit 2; }
	$(FUZZ_BUILD)/fuzz/fuzz_$(HARNESS) -runs=1 $(FILE)

clean: fuzz-clean
fuzz-clean:
	rm -rf $(FUZZ_BUILD)
