# hgym: one non-recursive Makefile.  See README.md and docs/ARCHITECTURE.md.
#
#   make            build bin/hgym-index, bin/hgym-query, bin/hgym-synth (and build/libhgym.a)
#   make deps       install missing system packages (deps.sh build test), fetch and verify
#                   the grammar: the only target that installs (make run and make test call it)
#   make deps-fuzz, make deps-bench, make deps-slurm   the optional groups (clang's libFuzzer;
#                   the bench corpus; Slurm, munge and OpenSSH for make test-slurm)
#   make test       make deps, build, run every test; non-zero exit on any failure
#   make test-slurm make deps-slurm, then the recipes of docs/DISTRIBUTED.md on a real
#                   one-node Slurm cluster and over ssh to localhost (root; CI runs it)
#   make unit       build and run the CMocka unit tests only
#   make run        make deps, index the machine's Python standard library, write sample rows
#   make lint       cppcheck + clang-tidy over the project's sources
#   make format     clang-format the project's sources
#   make check SANITIZE=address,undefined   the whole suite under ASan and UBSan
#   make check VALGRIND=1                   the whole suite under valgrind
#   make fuzz FUZZ_SECONDS=N                run each libFuzzer target for N seconds

CC      ?= cc
CFLAGS  ?= -O2 -g
PYTHON  ?= python3
override CFLAGS += -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter \
                   -D_GNU_SOURCE -pthread -MMD -MP
ifeq ($(WERROR),1)
override CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
override CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
override LDFLAGS += -fsanitize=$(SANITIZE)
endif

# ---- output directories (robustness: sanitizer builds) -------------------------
# A sanitizer build keeps its objects, libraries, unit tests and binaries in
# directories of its own (build/san-address-undefined/, bin/san-address-undefined/),
# so they never mix with the normal build's.  The fetched grammar sources stay shared.
comma := ,
ifneq ($(SANITIZE),)
OUT_TAG  := san-$(subst $(comma),-,$(SANITIZE))
BUILD_DIR := build/$(OUT_TAG)
BIN_DIR   := bin/$(OUT_TAG)
else
BUILD_DIR := build
BIN_DIR   := bin
endif

# ---- third-party grammar: fetched from npm, verified, never committed ------
GRAMMAR_VERSION := 0.23.6
GRAMMAR_SHA256  := aab5b860d93dbf84b37fed532f7dacc0468ede5387d0c74911d68f964287662a
GRAMMAR_TGZ     := build/tree-sitter-python-$(GRAMMAR_VERSION).tgz
GRAMMAR_DIR     := build/tree-sitter-python
GRAMMAR_LIB     := $(BUILD_DIR)/libtree-sitter-python.a
# TREE_SITTER_REUSE_ALLOCATOR: the grammar's external scanner allocates through
# tree-sitter's allocator (ts_current_malloc ...), so hgym's region allocator
# (analyzer/tsalloc.h) serves it too; its indent stack is freed and
# re-allocated every time the parser restores the scanner's state.
GRAMMAR_CFLAGS  := -O2 -g -std=c11 -fPIC -w -DTREE_SITTER_REUSE_ALLOCATOR -I$(GRAMMAR_DIR)/src

TS_CFLAGS := $(shell pkg-config --cflags tree-sitter libcjson 2>/dev/null)
TS_LIBS   := $(shell pkg-config --libs tree-sitter libcjson 2>/dev/null || echo -ltree-sitter -lcjson) -lJudy
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

override CPPFLAGS += -I. $(TS_CFLAGS)
LDLIBS := $(GRAMMAR_LIB) $(TS_LIBS) -lpthread

# ---- the project's sources ---------------------------------------------------
# Layers, lowest first (docs/ARCHITECTURE.md); each CLI's main is in its folder.
LAYERS  := base analyzer store resolve index queries
LIB_SRC := $(filter-out %_main.c,$(foreach d,$(LAYERS),$(wildcard $(d)/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD_DIR)/obj/%.o)
LIB     := $(BUILD_DIR)/libhgym.a
BINS    := $(BIN_DIR)/hgym-index $(BIN_DIR)/hgym-query $(BIN_DIR)/hgym-synth
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD_DIR)/tests/%)

.PHONY: all deps test check run lint format clean distclean compile_commands.json
all: $(BINS)

# ---- dependencies --------------------------------------------------------------
# deps.sh is the one place that installs (docs/ARCHITECTURE.md, Dependencies).
# Building needs the `build` group and the fetched grammar; without them the
# build stops and names `make deps` instead of installing anything itself.
deps:
	@./deps.sh install build test
	@$(MAKE) --no-print-directory $(GRAMMAR_DIR)/src/parser.c GRAMMAR_FETCH=1
	@mkdir -p build && touch build/.deps-ok
deps-fuzz:
	@./deps.sh install fuzz
deps-bench:
	@./deps.sh install bench
deps-slurm:
	@./deps.sh install slurm
.PHONY: deps-fuzz deps-bench deps-slurm

# The packages are checked again when the Makefile or deps.sh changes.
build/.deps-ok: Makefile deps.sh
	@./deps.sh check build
	@[ -f $(GRAMMAR_DIR)/src/parser.c ] || { echo "hgym: the tree-sitter-python grammar is not fetched; run \`make deps\`" >&2; exit 1; }
	@mkdir -p build && touch $@

# The grammar is fetched only by `make deps` (GRAMMAR_FETCH=1).
$(GRAMMAR_TGZ):
	@[ "$(GRAMMAR_FETCH)" = 1 ] || { echo "hgym: the tree-sitter-python grammar is not fetched; run \`make deps\`" >&2; exit 1; }
	@mkdir -p build
	cd build && npm pack --silent tree-sitter-python@$(GRAMMAR_VERSION) >/dev/null
	@echo "$(GRAMMAR_SHA256)  $@" | sha256sum -c --quiet - \
	  || { echo "grammar: checksum mismatch for $@; refusing it" >&2; rm -f $@; exit 1; }

$(GRAMMAR_DIR)/src/parser.c: $(GRAMMAR_TGZ)
	@echo "$(GRAMMAR_SHA256)  $<" | sha256sum -c --quiet - \
	  || { echo "grammar: checksum mismatch for $<; refusing it" >&2; rm -f $<; exit 1; }
	rm -rf $(GRAMMAR_DIR) && mkdir -p $(GRAMMAR_DIR)
	tar -xzf $< -C $(GRAMMAR_DIR) --strip-components=1 package/src package/LICENSE
	@touch $@

$(BUILD_DIR)/grammar/%.o: $(GRAMMAR_DIR)/src/parser.c | build/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(GRAMMAR_CFLAGS) $(if $(SANITIZE),-fsanitize=$(SANITIZE)) -c $(GRAMMAR_DIR)/src/$*.c -o $@

$(GRAMMAR_LIB): $(BUILD_DIR)/grammar/parser.o $(BUILD_DIR)/grammar/scanner.o
	$(AR) rcs $@ $^

# ---- the project ------------------------------------------------------------------
$(BUILD_DIR)/obj/%.o: %.c | build/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	$(AR) rcs $@ $^

# bin/hgym-NAME is linked from NAME's main: index/hgym_index_main.c, queries/hgym_query_main.c, ...
MAIN_DIR_index := index
MAIN_DIR_query := queries
MAIN_DIR_synth := queries
MAIN_OBJ := $(foreach n,index query synth,$(BUILD_DIR)/obj/$(MAIN_DIR_$(n))/hgym_$(n)_main.o)
.SECONDARY: $(MAIN_OBJ)
.SECONDEXPANSION:
$(BIN_DIR)/hgym-%: $(BUILD_DIR)/obj/$$(MAIN_DIR_$$*)/hgym_$$*_main.o $(LIB) $(GRAMMAR_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(LIB) $(LDLIBS) -o $@

$(BUILD_DIR)/tests/%: tests/unit/%.c $(LIB) $(GRAMMAR_LIB) | build/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< $(LIB) $(LDLIBS) $(CMOCKA_LIBS) -o $@

# ---- tests -------------------------------------------------------------------
# Every unit binary, the golden repositories, the bad-input suite and the
# comparison with Python's ast over the whole standard library.
TEST_WRAP ?=
test: deps
	@$(MAKE) --no-print-directory test-run
.PHONY: test-run unit
test-run: $(BINS) $(UNIT_BIN)
	@PYTHON=$(PYTHON) TEST_WRAP="$(TEST_WRAP)" HGYM_BIN=$(BIN_DIR) VALGRIND=$(VALGRIND) bash tests/run_all.sh $(UNIT_BIN)

check: test

# the unit tests alone: seconds, for the edit-compile-test loop
unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $(TEST_WRAP) $$t; done

# ---- the distributed recipes for real (docs/DISTRIBUTED.md) --------------------
# Not part of `make test`: installs Slurm, munge and OpenSSH (make deps-slurm),
# needs root, and starts a one-node Slurm cluster and an sshd in a temporary
# directory, stopped by their pids at the end.  CI runs it.
CLUSTER_SUITES := tests/cluster/slurm.sh tests/cluster/parallel_ssh.sh
.PHONY: test-slurm test-slurm-run
test-slurm: deps
	@$(MAKE) --no-print-directory deps-slurm
	@$(MAKE) --no-print-directory test-slurm-run
test-slurm-run: $(BINS)
	@fail=0; for t in $(CLUSTER_SUITES); do \
	  echo "== $$t"; PYTHON=$(PYTHON) HGYM_BIN=$(BIN_DIR) bash $$t || fail=1; \
	done; exit $$fail

# ---- the main job --------------------------------------------------------------
RUN_OUT ?= build/run
run: deps
	@$(MAKE) --no-print-directory $(BINS)
	@bash tests/make_run.sh "$(PYTHON)" "$(RUN_OUT)"

# ---- code habits ------------------------------------------------------------------
OWN_SRC := $(foreach d,$(LAYERS),$(wildcard $(d)/*.[ch])) $(wildcard tests/unit/*.[ch])
format:
	clang-format -i $(OWN_SRC)
lint: $(GRAMMAR_LIB)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	  --suppress=missingIncludeSystem -I. $(filter %.c,$(OWN_SRC))
	clang-tidy --quiet --warnings-as-errors='*' $(filter-out tests/%,$(filter %.c,$(OWN_SRC))) -- $(CPPFLAGS) -std=c11 -D_GNU_SOURCE
compile_commands.json:
	$(MAKE) clean-obj && bear -- $(MAKE) all $(UNIT_BIN)
.PHONY: clean-obj
clean-obj:
	rm -rf build/obj build/tests
clean:
	rm -rf build/obj build/tests bin $(LIB) build/san-* build/fuzz
distclean:
	rm -rf build bin

# ---- robustness: sanitizers, valgrind, fuzzing (docs/FUZZING.md) -------------------
# make check SANITIZE=address,undefined: everything built in its own directories
# (see "output directories" above) and the whole suite run with these options, so
# any report fails it.
ifneq ($(SANITIZE),)
export ASAN_OPTIONS  ?= detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS ?= halt_on_error=1:print_stacktrace=1
endif
# make check VALGRIND=1: every hgym binary and unit test under valgrind; any error
# or definite/indirect leak exits 99.  tests/run_all.sh puts wrappers in front of
# the binaries (HGYM_BIN); suites too slow under valgrind take a reduced input
# (docs/FUZZING.md lists them).
VALGRIND ?=
ifeq ($(VALGRIND),1)
TEST_WRAP := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
endif

# make fuzz FUZZ_SECONDS=N: build the libFuzzer targets of tests/fuzz/ with clang
# (-fsanitize=fuzzer,address,undefined) under build/fuzz/ and run each for N
# seconds from the seed corpus in tests/fuzz/corpus_* (and index seeds built
# now by tests/fuzz/make_corpus.sh, in the current format); new inputs go to
# build/fuzz/corpus_*, crashes to build/fuzz/artifacts/.  FUZZ_ARGS adds options.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_ARGS    ?=
FUZZ_DIR     := build/fuzz
FUZZ_CFLAGS  := -O1 -g -std=c11 -D_GNU_SOURCE -pthread -fno-omit-frame-pointer -fno-sanitize-recover=all \
                -fsanitize=fuzzer-no-link,address,undefined
FUZZ_OBJ     := $(LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_TARGETS := fuzz_analyzer fuzz_index fuzz_synth
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)
# the targets that read indexes share a harness (tests/fuzz/index_harness.h)
# and the index seeds
FUZZ_HARNESS := $(FUZZ_DIR)/obj/tests/fuzz/index_harness.o
# per target: options beyond the shared ones (fuzz_index's also serve fuzz_synth)
FUZZ_OPTS_fuzz_analyzer := -max_len=16384
FUZZ_OPTS_fuzz_index    := -max_len=16384 -detect_leaks=0
.PHONY: fuzz fuzz-build fuzz-deps
fuzz: $(FUZZ_BINS) $(BIN_DIR)/hgym-index
	@mkdir -p $(FUZZ_DIR)/artifacts
	@bash tests/fuzz/make_corpus.sh $(BIN_DIR) $(FUZZ_DIR)/seed_index
	@set -e; for t in $(FUZZ_TARGETS); do \
	  c=$${t#fuzz_}; mkdir -p $(FUZZ_DIR)/corpus_$$c; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  case $$t in fuzz_analyzer) o="$(FUZZ_OPTS_fuzz_analyzer)"; s=;; *) o="$(FUZZ_OPTS_fuzz_index)"; s=$(FUZZ_DIR)/seed_index;; esac; \
	  $(FUZZ_DIR)/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/artifacts/$$c- $$o $(FUZZ_ARGS) \
	    $(FUZZ_DIR)/corpus_$$c tests/fuzz/corpus_$$c $$s 2> $(FUZZ_DIR)/$$t.log \
	    || { tail -n 60 $(FUZZ_DIR)/$$t.log; echo "fuzz: $$t FAILED (log: $(FUZZ_DIR)/$$t.log)"; exit 1; }; \
	  grep -E '^#[0-9]+.*DONE|^stat::(number_of_executed_units|peak_rss)' $(FUZZ_DIR)/$$t.log | sed "s/^/fuzz: $$t: /"; \
	done
fuzz-build: $(FUZZ_BINS)

# clang and its libFuzzer runtime (Debian: clang, libclang-rt-<version>-dev),
# installed by `make deps-fuzz`
$(FUZZ_DIR)/.deps-ok: deps.sh | build/.deps-ok
	@./deps.sh check fuzz
	@mkdir -p $(@D) && touch $@

$(FUZZ_DIR)/obj/%.o: %.c | $(FUZZ_DIR)/.deps-ok
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
$(FUZZ_DIR)/grammar/%.o: $(GRAMMAR_DIR)/src/parser.c | $(FUZZ_DIR)/.deps-ok
	@mkdir -p $(@D)
	$(FUZZ_CC) $(GRAMMAR_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $(GRAMMAR_DIR)/src/$*.c -o $@
$(FUZZ_DIR)/libhgym.a: $(FUZZ_OBJ)
	$(AR) rcs $@ $^
$(FUZZ_DIR)/libtree-sitter-python.a: $(FUZZ_DIR)/grammar/parser.o $(FUZZ_DIR)/grammar/scanner.o
	$(AR) rcs $@ $^
$(FUZZ_DIR)/fuzz_index $(FUZZ_DIR)/fuzz_synth: $(FUZZ_HARNESS)
$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_DIR)/libhgym.a $(FUZZ_DIR)/libtree-sitter-python.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(filter %.o,$^) $(FUZZ_DIR)/libhgym.a \
	  $(FUZZ_DIR)/libtree-sitter-python.a $(TS_LIBS) -lpthread -o $@
.SECONDARY: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/obj/tests/fuzz/%.o) $(FUZZ_HARNESS)
-include $(FUZZ_OBJ:.o=.d) $(FUZZ_TARGETS:%=$(FUZZ_DIR)/obj/tests/fuzz/%.d) $(FUZZ_HARNESS:.o=.d)
# ---- end of robustness --------------------------------------------------------------

# ---- benchmarks (make bench; benchmarks/README.md) -----------------------------
# Installs the corpus (Debian python3-* packages), then measures the parse
# floor, indexing with 1..N threads, index size, deps lookup latency and the
# jedi reference method; writes build/bench/results.{txt,json} and RESULTS.md.
# Not part of `make test`.  BENCH_REPS=1 for a quick look.
BENCH_BIN    := $(dir $(LIB))bench/hgym-bench
BENCH_OUT    ?= build/bench
BENCH_REPS   ?= 3
BENCH_ARGS   ?=
JEDI_PYTHON  ?= /usr/bin/python3
.PHONY: bench
bench: deps-bench
	@$(MAKE) --no-print-directory bench-run
.PHONY: bench-run
bench-run: $(BINS) $(BENCH_BIN)
	@bash benchmarks/corpus.sh "$(PYTHON)" $(BENCH_OUT)/manifest.txt
	$(BENCH_BIN) --manifest $(BENCH_OUT)/manifest.txt --out $(BENCH_OUT) --reps $(BENCH_REPS) \
	  --hgym-index $(filter %/hgym-index,$(BINS)) --hgym-query $(filter %/hgym-query,$(BINS)) \
	  --jedi-python $(JEDI_PYTHON) $(BENCH_ARGS) >$(BENCH_OUT)/results.txt; \
	  rc=$$?; cat $(BENCH_OUT)/results.txt; [ $$rc = 0 ] || exit $$rc; \
	  $(PYTHON) benchmarks/results_md.py $(BENCH_OUT)/results.json $(BENCH_OUT)/manifest.txt >$(BENCH_OUT)/RESULTS.md \
	  && echo "bench: figures as Markdown in $(BENCH_OUT)/RESULTS.md (for benchmarks/RESULTS.md)"
	@# issue 5: every task's rows over the whole corpus, every field checked against the source
	bash benchmarks/synth_check.sh $(BENCH_OUT)/manifest.txt $(BENCH_OUT)/synth

$(BENCH_BIN): benchmarks/bench.c $(LIB) $(GRAMMAR_LIB) | build/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< $(LIB) $(LDLIBS) -o $@
-include $(BENCH_BIN).d
# ---- end of benchmarks ------------------------------------------------------------

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BIN:=.d)
