# hgym: one non-recursive Makefile.  See README.md and docs/ARCHITECTURE.md.
#
#   make            build bin/hgym-index, bin/hgym-query (and build/libhgym.a)
#   make deps       install missing system packages, fetch and verify the grammar
#   make test       build and run every test; non-zero exit on any failure
#   make run        index the machine's Python standard library and print a summary
#   make lint       cppcheck + clang-tidy over the project's sources
#   make format     clang-format the project's sources

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

# ---- third-party grammar: fetched from npm, verified, never committed ------
GRAMMAR_VERSION := 0.23.6
GRAMMAR_SHA256  := aab5b860d93dbf84b37fed532f7dacc0468ede5387d0c74911d68f964287662a
GRAMMAR_TGZ     := build/tree-sitter-python-$(GRAMMAR_VERSION).tgz
GRAMMAR_DIR     := build/tree-sitter-python
GRAMMAR_LIB     := build/libtree-sitter-python.a
GRAMMAR_CFLAGS  := -O2 -g -std=c11 -fPIC -w -I$(GRAMMAR_DIR)/src

TS_CFLAGS := $(shell pkg-config --cflags tree-sitter libcjson 2>/dev/null)
TS_LIBS   := $(shell pkg-config --libs tree-sitter libcjson 2>/dev/null || echo -ltree-sitter -lcjson) -lJudy
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

override CPPFLAGS += -I. $(TS_CFLAGS)
LDLIBS := $(GRAMMAR_LIB) $(TS_LIBS) -lpthread

# ---- the project's sources ---------------------------------------------------
LIB_SRC := $(wildcard analyzer/*.c) $(filter-out %_main.c,$(wildcard index/*.c queries/*.c))
LIB_OBJ := $(LIB_SRC:%.c=build/obj/%.o)
LIB     := build/libhgym.a
BINS    := bin/hgym-index bin/hgym-query bin/hgym-synth
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/tests/%)

.PHONY: all deps test check run lint format clean distclean compile_commands.json
all: $(BINS)

# ---- dependencies --------------------------------------------------------------
DEBIAN_PKGS := libtree-sitter-dev libjudy-dev libcjson-dev libcmocka-dev pkg-config
deps: build/.deps-ok $(GRAMMAR_LIB)

# The system packages must be present before anything is compiled; this stamp
# re-checks them only when the Makefile changes.
build/.deps-ok: Makefile
	@mkdir -p build
	@$(MAKE) --no-print-directory deps-system
	@touch $@
.PHONY: deps-system
deps-system:
	@missing=""; for p in $(DEBIAN_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get install -y -q $$missing >/dev/null 2>&1 || { $$SUDO apt-get update -q && $$SUDO apt-get install -y -q $$missing; } \
	    || { echo "deps: apt-get failed for:$$missing" >&2; exit 1; }; \
	fi

$(GRAMMAR_TGZ):
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

build/grammar/%.o: $(GRAMMAR_DIR)/src/parser.c | build/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(GRAMMAR_CFLAGS) $(if $(SANITIZE),-fsanitize=$(SANITIZE)) -c $(GRAMMAR_DIR)/src/$*.c -o $@

$(GRAMMAR_LIB): build/grammar/parser.o build/grammar/scanner.o
	$(AR) rcs $@ $^

# ---- the project ------------------------------------------------------------------
build/obj/%.o: %.c | build/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	$(AR) rcs $@ $^

bin/hgym-index: build/obj/index/hgym_index_main.o $(LIB) $(GRAMMAR_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(LIB) $(LDLIBS) -o $@

bin/hgym-query: build/obj/queries/hgym_query_main.o $(LIB) $(GRAMMAR_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(LIB) $(LDLIBS) -o $@

bin/hgym-synth: build/obj/queries/hgym_synth_main.o $(LIB) $(GRAMMAR_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(LIB) $(LDLIBS) -o $@

build/tests/%: tests/unit/%.c $(LIB) $(GRAMMAR_LIB) | build/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< $(LIB) $(LDLIBS) $(CMOCKA_LIBS) -o $@

# ---- tests -------------------------------------------------------------------
# Every unit binary, the golden repositories, the bad-input suite and the
# comparison with Python's ast over the whole standard library.
TEST_WRAP ?=
test: $(BINS) $(UNIT_BIN)
	@PYTHON=$(PYTHON) TEST_WRAP="$(TEST_WRAP)" bash tests/run_all.sh $(UNIT_BIN)

check: test

# ---- the main job --------------------------------------------------------------
RUN_OUT ?= build/run
run: $(BINS)
	@bash tests/make_run.sh "$(PYTHON)" "$(RUN_OUT)"

# ---- code habits ------------------------------------------------------------------
OWN_SRC := $(wildcard analyzer/*.[ch] index/*.[ch] queries/*.[ch] tests/unit/*.[ch])
format:
	clang-format -i $(OWN_SRC)
lint: $(GRAMMAR_LIB)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	  --suppress=missingIncludeSystem -I. $(filter %.c,$(OWN_SRC))
	clang-tidy --quiet $(filter-out tests/%,$(filter %.c,$(OWN_SRC))) -- $(CPPFLAGS) -std=c11 -D_GNU_SOURCE
compile_commands.json:
	$(MAKE) clean-obj && bear -- $(MAKE) all $(UNIT_BIN)
.PHONY: clean-obj
clean-obj:
	rm -rf build/obj build/tests
clean:
	rm -rf build/obj build/tests bin $(LIB)
distclean:
	rm -rf build bin

-include $(LIB_OBJ:.o=.d) $(UNIT_BIN:=.d)
