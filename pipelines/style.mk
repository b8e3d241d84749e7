# Style and static checks (included by the top-level Makefile).
#   make format              clang-format every C file in place (.clang-format)
#   make format-check        list what clang-format would change; fails if anything (CI)
#   make lint                cppcheck and clang-tidy (.clang-tidy), zero findings (CI)
#   make compile_commands.json  the compilation database clang-tidy and editors read

STYLE_SRC = $(sort $(wildcard common/*/*.c common/*/*.h tools/*.c tests/unit/*.c tests/unit/*.h))
LINT_SRC = $(sort $(wildcard common/*/*.c tools/*.c))

.PHONY: format format-check lint lint-cppcheck lint-clang-tidy deps-style
deps-style:
	@sh pipelines/deps.sh style

format: | deps-style
	clang-format -i $(STYLE_SRC)

format-check: | deps-style
	clang-format --dry-run --Werror $(STYLE_SRC)

# The database lists what the build compiles, by recording a clean build in a
# build tree of its own (bear), so the checked build is never touched.
compile_commands.json: $(LIB_SRC) $(wildcard tools/*.c) $(UNIT_SRC) | deps-style deps-build
	rm -rf $(BUILD)/compdb
	bear --output $@ -- $(MAKE) --no-print-directory BUILD=$(BUILD)/compdb BIN=$(BUILD)/compdb/bin \
		$(TOOLS:%=$(BUILD)/compdb/bin/%) $(UNIT_SRC:tests/unit/%.c=$(BUILD)/compdb/tests/%) >/dev/null

lint: lint-cppcheck lint-clang-tidy

# cppcheck: warnings, performance and portability (its 'style' class is mostly
# taste: const-ness of every local, variable scopes). It does not know C11's
# _Noreturn, so it is told in GCC's words. Suppressions, each with its reason, are in
# pipelines/cppcheck.supp.
lint-cppcheck: | deps-style deps-build
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,performance,portability \
		--inline-suppr --suppressions-list=pipelines/cppcheck.supp \
		-D__GNUC__ '-D_Noreturn=__attribute__((noreturn))' -D_POSIX_C_SOURCE=200809L -DSENTIO_VERSION='"lint"' -Icommon \
		$(LINT_SRC)

lint-clang-tidy: compile_commands.json | deps-style
	clang-tidy --quiet -p . --warnings-as-errors='*' $(LINT_SRC)
