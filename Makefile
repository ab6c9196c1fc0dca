# fluxacdc — GNU make. `make` builds ./fluxacdc; `make check` runs every test.
# Knobs: DEVELOPER=1 (-Werror), SANITIZE=address,undefined, CC, PREFIX, DESTDIR.

CC       ?= cc
PKGS     := libcurl jansson yaml-0.1 rdkafka libmariadb libcrypto
WARN     := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
            -Wmissing-prototypes -Wwrite-strings -Wvla
CFLAGS   ?= -O2 -g
CSTD     := -std=c11 -D_GNU_SOURCE
PREFIX   ?= /usr/local

ifeq ($(DEVELOPER),1)
WARN     += -Werror
endif

BUILD    := build
ifneq ($(SANITIZE),)
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
BUILD    := build/san
endif

# The library flags are asked of pkg-config when a recipe first needs them,
# not when make reads this file: on a bare machine the -dev packages arrive
# with `make deps`, which `build`, `demo` and `check` run first and then
# build in a second make that reads the flags afresh.  A build without them
# stops at once and says how to get them.
PKG_CONFIG ?= pkg-config
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(call pkg_flags,--cflags))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $$(call pkg_flags,--libs))$(PKG_LIBS)
pkg_flags  = $(call pkg_check,$(shell $(PKG_CONFIG) $(1) $(PKGS) 2>/dev/null || echo __missing__),$(1))
pkg_check  = $(if $(filter __missing__,$(1)),$(error $(PKG_CONFIG) $(2) $(PKGS) failed: \
  the -dev packages are not all installed; run 'make deps' (or 'make build', which runs it first)),$(1))
DEPS_SCRIPT ?= scripts/deps.sh

ALL_CFLAGS  = $(CSTD) $(WARN) $(CFLAGS) $(SANFLAGS) -Isrc $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)
LIBS        = $(PKG_LIBS) -lpthread -lm

LIB_SRC  := $(sort $(wildcard src/*.c src/util/*.c))
LIB_SRC  := $(filter-out src/main.c,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/src/main.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o)

BIN      := fluxacdc
UNIT_BIN := $(BUILD)/run_unit

.PHONY: all build deps check unit valgrind-unit integration fuzz fuzz-check demo stack-up stack-down \
        lint-man schema-check clean install uninstall bench mutate

all: $(BIN)

# ./fluxacdc is plain or instrumented, from build/ or build/san/: the stamp
# changes when SANITIZE does, so switching back relinks instead of keeping the
# other flavor's binary.
FLAVOR := build/.flavor
$(shell mkdir -p build; echo '$(SANITIZE)' | cmp -s - $(FLAVOR) 2>/dev/null || echo '$(SANITIZE)' > $(FLAVOR))

$(BIN): $(MAIN_OBJ) $(LIB_OBJ) $(FLAVOR)
	$(CC) $(ALL_LDFLAGS) -o $@ $(MAIN_OBJ) $(LIB_OBJ) $(LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(UNIT_BIN): $(UNIT_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) -lcriterion

deps:
	@$(DEPS_SCRIPT)

# deps, then the binary, in a second make that asks pkg-config afresh: the
# first step of `demo` and `check`, safe on a machine that has nothing yet.
build: deps
	@$(MAKE) --no-print-directory all

# scripts/unit.sh fails the run on any sanitizer or valgrind report, which
# Criterion's own verdict misses (leaks are found after a test has passed).
unit: $(UNIT_BIN) $(BIN)
	@scripts/unit.sh $(UNIT_BIN) --jobs 2

# The unit suite under valgrind (memcheck, definite and indirect leaks), on a
# plain build whatever SANITIZE says: valgrind and ASan do not mix.
VALGRIND_JOBS ?= 2
valgrind-unit:
	@$(MAKE) --no-print-directory SANITIZE= build/run_unit
	@scripts/unit.sh --valgrind build/run_unit --jobs $(VALGRIND_JOBS)

lint-man:
	@scripts/lint-man.sh

schema-check: $(BIN)
	@python3 tests/schema/check_schemas.py

# Every test: unit tests, offline CLI tests, schemas, man pages, fuzz smoke,
# then integration tests against the real local stack (brought up once per
# profile, always brought down) with the unit tests under valgrind running
# alongside them on one core (scripts/alongside.sh: their times overlap).  With SANITIZE=, every sanitized
# process reports to $(SAN_REPORTS) and any report fails the check.
SAN_REPORTS := $(CURDIR)/$(BUILD)/sanitizer-reports
ifneq ($(SANITIZE),)
check: export ASAN_OPTIONS := log_path=$(SAN_REPORTS)/asan:detect_leaks=1
check: export UBSAN_OPTIONS := log_path=$(SAN_REPORTS)/ubsan:print_stacktrace=1
endif
check: build
	@rm -rf $(SAN_REPORTS) && mkdir -p $(SAN_REPORTS)
	@scripts/timed.sh unit $(MAKE) --no-print-directory unit
	@scripts/timed.sh bare-build tests/build/test_bare_build.sh
	@scripts/timed.sh alongside tests/build/test_alongside.sh
	@scripts/timed.sh cli tests/cli/run.sh ./$(BIN)
	@scripts/timed.sh schema+man $(MAKE) --no-print-directory schema-check lint-man
	@scripts/timed.sh fuzz-check $(MAKE) --no-print-directory fuzz-check
	@$(MAKE) --no-print-directory SANITIZE= build/run_unit
	@scripts/alongside.sh $(BUILD)/valgrind-unit.log \
	  scripts/timed.sh valgrind-unit $(MAKE) --no-print-directory valgrind-unit VALGRIND_JOBS=1 -- \
	  scripts/timed.sh integration $(MAKE) --no-print-directory integration
	@scripts/san-reports.sh $(SAN_REPORTS)

# make check's own stack, never the demo's (.stack, 13306/19092/18083): its
# own run dir and ports, wiped and brought up for each profile, always brought
# down.  Whatever FLUXACDC_STACK_* says in the caller's shell does not apply;
# `make check CHECK_MYSQL_PORT=...` & co. move it (tests derive the ports they
# use for closed or stalled listeners from these).  CHECK_PROFILES=current runs
# one profile only.
CHECK_STACK_DIR    ?= $(CURDIR)/.stack-check
CHECK_PROFILES     ?= current 3.9
CHECK_MYSQL_PORT   ?= 14306
CHECK_KAFKA_PORT   ?= 19192
CHECK_CONTROLLER_PORT ?= 19193
CHECK_CONNECT_PORT ?= 18183
CHECK_CONNECT2_PORT ?= 18184
integration: $(BIN)
	@CHECK_STACK_DIR='$(CHECK_STACK_DIR)' CHECK_PROFILES='$(CHECK_PROFILES)' \
	  CHECK_MYSQL_PORT=$(CHECK_MYSQL_PORT) CHECK_KAFKA_PORT=$(CHECK_KAFKA_PORT) \
	  CHECK_CONTROLLER_PORT=$(CHECK_CONTROLLER_PORT) CHECK_CONNECT_PORT=$(CHECK_CONNECT_PORT) \
	  CHECK_CONNECT2_PORT=$(CHECK_CONNECT2_PORT) scripts/integration.sh

# fuzz-check (in make check) is a gate: the committed corpora once, then a
# fixed number of runs from a fixed seed, so a commit always gets the same
# verdict.  fuzz: long runs from random seeds (FUZZ_TIME seconds per target).
FUZZ_RUNS ?= 10000
FUZZ_SEED ?= 1
fuzz-check:
	@FUZZ_MODE=check FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_SEED=$(FUZZ_SEED) scripts/fuzz.sh
fuzz:
	@FUZZ_MODE=long FUZZ_SECONDS=$(or $(FUZZ_TIME),300) scripts/fuzz.sh

# Mutation testing (not part of check: hours for the whole set).  Plants one
# small bug at a time in a copy of the tree and reports the mutants the tests
# let through.  MUTATE_ARGS: modules, --sample N, --seed S, -j N, --integration
# (scripts/mutate.py --help).
MUTATE_ARGS ?=
mutate:
	@nice -n 15 python3 scripts/mutate.py $(MUTATE_ARGS)

stack-up:
	@tests/stack/stack.sh up

stack-down:
	@tests/stack/stack.sh down

demo: build
	@scripts/demo.sh

bench: all
	@tests/bench/run.sh

# tests/bench/bench_decode.sh's driver: tail's decoding without Kafka.
$(BUILD)/bench_decode: tests/bench/bench_decode.c $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB_OBJ) $(LIBS)

# Installs the binary, both man pages, the bash and zsh completions (generated
# by the binary just built, from the option tables --help prints) and the
# JSON Schemas.  uninstall removes exactly those files.
BINDIR    = $(PREFIX)/bin
MAN1DIR   = $(PREFIX)/share/man/man1
MAN5DIR   = $(PREFIX)/share/man/man5
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  = $(PREFIX)/share/zsh/site-functions
SCHEMADIR = $(PREFIX)/share/fluxacdc/schemas
SCHEMAS   := $(notdir $(wildcard schemas/*.json))

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(MAN5DIR) \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(SCHEMADIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/fluxacdc
	install -m 644 man/fluxacdc.1 $(DESTDIR)$(MAN1DIR)/fluxacdc.1
	install -m 644 man/fluxacdc.yaml.5 $(DESTDIR)$(MAN5DIR)/fluxacdc.yaml.5
	./$(BIN) completion bash > $(DESTDIR)$(BASHCOMPDIR)/fluxacdc.tmp
	mv -f $(DESTDIR)$(BASHCOMPDIR)/fluxacdc.tmp $(DESTDIR)$(BASHCOMPDIR)/fluxacdc
	chmod 644 $(DESTDIR)$(BASHCOMPDIR)/fluxacdc
	./$(BIN) completion zsh > $(DESTDIR)$(ZSHCOMPDIR)/_fluxacdc.tmp
	mv -f $(DESTDIR)$(ZSHCOMPDIR)/_fluxacdc.tmp $(DESTDIR)$(ZSHCOMPDIR)/_fluxacdc
	chmod 644 $(DESTDIR)$(ZSHCOMPDIR)/_fluxacdc
	install -m 644 $(addprefix schemas/,$(SCHEMAS)) $(DESTDIR)$(SCHEMADIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fluxacdc $(DESTDIR)$(MAN1DIR)/fluxacdc.1 \
	  $(DESTDIR)$(MAN5DIR)/fluxacdc.yaml.5 $(DESTDIR)$(BASHCOMPDIR)/fluxacdc \
	  $(DESTDIR)$(ZSHCOMPDIR)/_fluxacdc $(addprefix $(DESTDIR)$(SCHEMADIR)/,$(SCHEMAS))
	rmdir $(DESTDIR)$(SCHEMADIR) $(DESTDIR)$(PREFIX)/share/fluxacdc 2>/dev/null || true

clean:
	rm -rf build $(BIN)

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
