# Style and static checks (included by the top-level Makefile).
#   make format              clang-format every C file in place (.clang-format)
#   make format-check        list what clang-format would change; fails if anything (CI)
#   make lint                cppcheck and clang-tidy (.clang-tidy), zero findings (CI)
#   make compile_commands.json  the compilation database clang-tidy and editors read

STYLE_SRC = $(sort $(wildcard common/*/*.c common/*/*.h tools/*.c tests/unit/*.c tests/unit/*.h))
LINT_SRC = $(sort $(wildcard common/*/*.c tools/*.c))

.PHONY: format format-check lint lint-cppcheck lint-clang-tidy

format: | $(DEPS)/style
	clang-format -i $(STYLE_SRC)

format-check: | $(DEPS)/style
	clang-format --dry-run --Werror $(STYLE_SRC)

# The database lists what the build compiles, by recording a clean clang build in a
# build tree of its own (bear), so the checked build is never touched and clang-tidy
# sees clang's flags (gcc-only ones are left out of a clang build).
compile_commands.json: $(LIB_SRC) $(wildcard tools/*.c) $(UNIT_SRC) | $(DEPS)/style $(DEPS)/build
	rm -rf $(BUILD)/compdb
	bear --output $@ -- $(MAKE) --no-print-directory CC=clang BUILD=$(BUILD)/compdb BIN=$(BUILD)/compdb/bin \
		$(TOOLS:%=$(BUILD)/compdb/bin/%) $(UNIT_SRC:tests/unit/%.c=$(BUILD)/compdb/tests/%) >/dev/null

lint: lint-cppcheck lint-clang-tidy
LINT_JOBS ?= 2

# cppcheck: warnings, performance and portability (its 'style' class is mostly
# taste: const-ness of every local, variable scopes). It does not know C11's
# _Noreturn, so it is told in GCC's words. Suppressions, each with its reason, are in
# pipelines/cppcheck.supp.
lint-cppcheck: | $(DEPS)/style $(DEPS)/build
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,performance,portability \
		--inline-suppr --suppressions-list=pipelines/cppcheck.supp \
		-D__GNUC__ '-D_Noreturn=__attribute__((noreturn))' -D_POSIX_C_SOURCE=200809L -DSENTIO_VERSION='"lint"' -Icommon \
		$(LINT_SRC)

# run-clang-tidy colours its output whatever it writes to: the colours are removed.
lint-clang-tidy: compile_commands.json | $(DEPS)/style
	@run-clang-tidy -quiet -j $(LINT_JOBS) -p . '$(CURDIR)/(common|tools)/.*\.c$$' 2>&1 | \
		sed 's/\x1b\[[0-9;]*m//g' >$(BUILD)/clang-tidy.log; \
	if grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' -A3 $(BUILD)/clang-tidy.log; then \
		echo "clang-tidy: findings above (full output in $(BUILD)/clang-tidy.log)" >&2; exit 1; fi; \
	echo "clang-tidy: no findings in $$(grep -c '^clang-tidy' $(BUILD)/clang-tidy.log) files"
