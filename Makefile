# vnodesim -- plain Makefile with pkg-config.
#   make            build build/vnodesim
#   make run        build, compare every policy on the default scenario, plots and a page
#   make check      build and run the tests (SAN=1: with AddressSanitizer + UBSan; DEBUG=1: the
#                   modules' state checks after every request, sampled -- CI runs both)
#   make validate   long model validations (queueing theory, real drives)
#   make bench      benchmarks, figures to paste into bench/RESULTS.md
#   make report     compare on every scenario: results/report/index.html (unchanged ones reused)
#   make install PREFIX=/usr/local
# `deps` installs the Debian packages that are missing (as root, or through sudo).

PREFIX  ?= /usr/local
DEB_PKGS = libsimgrid-dev libglib2.0-dev libjson-glib-dev check gnuplot-nox pkg-config g++ python3
# What only the tests, fuzzing and memcheck need (make check installs them; make run does not):
# GNU parallel and headless Chromium are exercised for real by the sweep and report tests;
# fio and python3-six: the fio suite runs the real fio and its scripts (fio2gnuplot,
# fio_jsonplus_clat2csv) on vnodesim's outputs; blktrace (blkparse), fio and e2fsprogs record
# a block trace under make validate (tests/traces/record-blktrace.sh); slurmctld, slurmd,
# slurm-client: the slurm suite runs a sweep on a one-node Slurm cluster it starts itself
# (tests/slurm/cluster.sh; munge comes with them, the test uses auth/none).
DEB_TEST_PKGS = clang libclang-rt-14-dev valgrind parallel chromium clang-format-14 cppcheck \
		blktrace fio e2fsprogs python3-six slurmctld slurmd slurm-client munge
PKGS     = simgrid glib-2.0 json-glib-1.0
BUILD   ?= build

CC      ?= gcc
CXX     ?= g++
OPT     ?= -O2 -g
WARN     = -Wall -Wextra -Werror=implicit-function-declaration -Wno-unused-parameter
# CI builds with WERROR=1: a warning fails the build there.
ifeq ($(WERROR),1)
WARN    += -Werror
endif
CFLAGS  += -std=gnu11 $(OPT) $(WARN) -I. $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CXXFLAGS+= -std=c++17 $(OPT) -Wall -Wextra -I. $(shell pkg-config --cflags simgrid 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
ifeq ($(SAN),1)
BUILD    = build-san
# Every UBSan check is fatal, nonnull-attribute included: a NULL pointer with a zero count
# (an empty GArray's data) is guarded at the call, not passed to qsort/memcpy.
OPT      = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	   -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
# SimGrid's raw contexts switch stacks behind ASan's back: ASan warns once per simulation
# ("ignoring requested __asan_handle_no_return ... False positive error reports may follow")
# but, with detect_stack_use_after_return=0, reports no false errors (every suite checked).
# Its reports go to $(BUILD)/asan.PID, not stderr, so the warning does not reach the
# outputs the suites compare; `check` prints every report holding an ERROR and fails.
# (--cfg=contexts/factory:thread avoids the warning too, for a command line.)  Leaks are left
# to `make memcheck` (valgrind): the suites end with SimGrid's engine still allocated.
ASAN_LOG = log_path=$(CURDIR)/$(BUILD)/asan
export ASAN_OPTIONS  ?= detect_leaks=0:detect_stack_use_after_return=0:abort_on_error=1:$(ASAN_LOG)
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
endif

# DEBUG=1: VN_DEBUG, the file system checks the page cache, the block map and the locks
# (pc_check, bmap_check, lk_check) after each request, sampled to a bounded cost a request
# (models/vnode.c); its own build directory.
ifeq ($(DEBUG),1)
BUILD   := $(BUILD)-debug
CFLAGS  += -DVN_DEBUG
endif

SRCS    = $(wildcard sim/*.c models/*.c models/locks/*.c)
CXXSRCS = $(wildcard sim/*.cpp)
OBJS    = $(SRCS:%.c=$(BUILD)/%.o) $(CXXSRCS:%.cpp=$(BUILD)/%.o)
LIBOBJS = $(filter-out $(BUILD)/sim/main.o,$(OBJS))
TSRCS   = $(wildcard tests/*.c)
TOBJS   = $(TSRCS:%.c=$(BUILD)/%.o)


.PHONY: all deps deps-test deps-rule run check validate bench install format lint clean memcheck fuzz report
all: $(BUILD)/vnodesim

deps-test: DEB_PKGS += $(DEB_TEST_PKGS)
deps-test: deps
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/%.o: %.cpp | deps
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -MMD -MP -c $< -o $@

# The build id: SHA-256 over the program's sources (names and contents), so a result stamp
# (compare --reuse, sweep resume) names the code that made it; rewritten only when it changes.
BUILDID_SRCS = $(sort $(SRCS) $(CXXSRCS) $(wildcard sim/*.h models/*.h models/locks/*.h))
CFLAGS  += -I$(BUILD)/gen
$(BUILD)/gen/buildid.h: $(BUILDID_SRCS)
	@mkdir -p $(dir $@)
	@id=$$(sha256sum $(BUILDID_SRCS) | sha256sum | cut -c1-64); \
	  printf '/* generated by the Makefile: sha256 of the sources */\n#define VNODESIM_BUILD_ID "%s"\n' "$$id" > $@.tmp; \
	  if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(BUILD)/sim/report.o: $(BUILD)/gen/buildid.h

$(BUILD)/vnodesim: $(OBJS)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The test runner finds every `Suite *suite_NAME(void)` in tests/*.c by itself.
$(BUILD)/tests/suites.inc: $(TSRCS)
	@mkdir -p $(dir $@)
	@grep -ho '^suite_[a-z0-9_]*(void)' $(TSRCS) | sed 's/^suite_\([a-z0-9_]*\)(void)/SUITE(\1)/' | sort -u > $@.tmp && mv $@.tmp $@
$(BUILD)/tests/main.o: $(BUILD)/tests/suites.inc
$(BUILD)/tests/main.o: CFLAGS += -I$(BUILD)/tests $(shell pkg-config --cflags check 2>/dev/null)
$(BUILD)/tests/%.o: CFLAGS += $(shell pkg-config --cflags check 2>/dev/null)
$(BUILD)/vnodesim-tests: $(TOBJS) $(LIBOBJS)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs check 2>/dev/null)

# make run: every policy on the default scenario, 3 seeds (reused when nothing changed), its
# plots and a one-workload review page; make report does every scenario.
REPORT_SEEDS ?= 3
run: $(BUILD)/vnodesim
	$(BUILD)/vnodesim compare scenarios/default.ini --seeds $(REPORT_SEEDS) --reuse
	@$(BUILD)/vnodesim report scenarios/default.ini --seeds $(REPORT_SEEDS) -q
	@echo; echo "plots:  results/default/plots/ (PNG and SVG; commands.txt redraws them)"; \
	  echo "report: results/report/index.html (this scenario; make report: all of scenarios/)"

report: $(BUILD)/vnodesim
	$(BUILD)/vnodesim report --seeds $(REPORT_SEEDS)

# The dependency rule: models/ depends only on models/ (and SimGrid, glib).  No models/ file
# includes a sim/ header, and every models/ object links without sim/ (tests/deps).
MODEL_OBJS = $(filter $(BUILD)/models/%,$(OBJS))
$(BUILD)/tests/deps/models_only: tests/deps/models_only.c $(MODEL_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
deps-rule: $(BUILD)/tests/deps/models_only
	@if grep -n '#include "sim/' models/*.[ch] models/*/*.[ch]; then \
	  echo "deps-rule: models/ must not include sim/ headers (models/env.h says why)"; exit 1; fi
	$(BUILD)/tests/deps/models_only

check: deps-test $(BUILD)/vnodesim $(BUILD)/vnodesim-tests deps-rule
	@rm -f $(BUILD)/asan.*
	VNODESIM=$(BUILD)/vnodesim $(BUILD)/vnodesim-tests; st=$$?; \
	  if grep -qs ERROR $(BUILD)/asan.*; then grep -ls ERROR $(BUILD)/asan.* | xargs cat; st=1; fi; \
	  exit $$st

validate: $(BUILD)/vnodesim $(BUILD)/vnodesim-tests
	VNODESIM_VALIDATE=1 VNODESIM=$(BUILD)/vnodesim $(BUILD)/vnodesim-tests
	VNODESIM=$(BUILD)/vnodesim sh bench/validate.sh
	VNODESIM=$(BUILD)/vnodesim sh scenarios/published/run.sh

bench: $(BUILD)/vnodesim $(BUILD)/bench/bare $(BUILD)/bench/lockbench
	VNODESIM=$(BUILD)/vnodesim BARE=$(BUILD)/bench/bare sh bench/bench.sh
	sh bench/lockbench.sh $(BUILD)/bench/lockbench

# The lock micro-benchmark: acquire + release, extent-list vs extent-tree.
$(BUILD)/bench/lockbench: $(BUILD)/bench/lockbench.o $(LIBOBJS)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The bare SimGrid program: the floor for vnodesim's cost per request.
$(BUILD)/bench/bare: bench/bare.c $(BUILD)/sim/platform.o
	@mkdir -p $(dir $@)
	$(CXX) $(CFLAGS) -x c -std=gnu11 bench/bare.c -x none $(BUILD)/sim/platform.o -o $@ $(LDLIBS)

memcheck: deps-test $(BUILD)/vnodesim
	VNODESIM=$(BUILD)/vnodesim sh tests/memcheck.sh

# make fuzz: libFuzzer targets (clang, ASan+UBSan; fuzz/targets.c) for the scenario loader,
# --set, every trace reader (and its time contract), the disk readers, and include / DiskSim
# source between several files, FUZZ_TIME seconds each over fuzz/corpus/NAME;
# crashes land in fuzz/crashers/NAME/.  make check replays both through the normal build.
FUZZ_TARGETS = scenario plain set trace_validate trace_ascii trace_mqsim trace_spc \
	       trace_blkparse trace_blktrace trace_iolog diskspecs disk include source
FUZZ_TIME   ?= 30
FZ           = build/fuzz
FZ_SAN       = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FZ_OBJS      = $(patsubst %.c,$(FZ)/%.o,$(filter-out sim/main.c,$(SRCS))) $(CXXSRCS:%.cpp=$(FZ)/%.o)
$(FZ)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	clang $(CFLAGS) $(FZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
$(FZ)/%.o: %.cpp | deps
	@mkdir -p $(dir $@)
	clang++ $(CXXFLAGS) $(FZ_SAN) -MMD -MP -c $< -o $@
$(FZ)/fuzz-%: fuzz/fuzz.c fuzz/targets.c $(FZ_OBJS)
	clang $(CFLAGS) $(FZ_SAN) -fsanitize=fuzzer -DFZ_TARGET='"$*"' -c fuzz/fuzz.c -o $@.o
	clang++ $(FZ_SAN) -fsanitize=fuzzer -o $@ $@.o $(FZ_OBJS) $(LDLIBS)
$(FZ_OBJS): | deps
$(FZ)/sim/report.o: $(BUILD)/gen/buildid.h
.SECONDARY: $(FZ_OBJS)
fuzz: deps-test $(FUZZ_TARGETS:%=$(FZ)/fuzz-%)
	sh fuzz/run.sh $(FZ) $(FUZZ_TIME) $(FUZZ_TARGETS)

install: $(BUILD)/vnodesim
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/vnodesim/scenarios/published \
	  $(DESTDIR)$(PREFIX)/share/vnodesim/disks $(DESTDIR)$(PREFIX)/share/vnodesim/results
	install -m 755 $(BUILD)/vnodesim $(DESTDIR)$(PREFIX)/bin/vnodesim
	install -m 644 $(wildcard scenarios/*.ini scenarios/*.fio scenarios/*.sim) $(DESTDIR)$(PREFIX)/share/vnodesim/scenarios/
	install -m 644 scenarios/published/*.ini scenarios/published/EXPECTED_FAILURES \
	  $(DESTDIR)$(PREFIX)/share/vnodesim/scenarios/published/
	install -m 755 scenarios/published/run.sh $(DESTDIR)$(PREFIX)/share/vnodesim/scenarios/published/
	install -m 644 disks/*.disk $(DESTDIR)$(PREFIX)/share/vnodesim/disks/
	-install -m 644 results/*.gp $(DESTDIR)$(PREFIX)/share/vnodesim/results/ 2>/dev/null

# The formatter is pinned to Debian 12's clang-format (14): other versions format differently.
CLANG_FORMAT ?= clang-format-14
FMT_SRCS = $(wildcard sim/*.[ch] sim/*.cpp models/*.[ch] models/locks/*.[ch] tests/*.[ch] tests/deps/*.c \
	     bench/*.c fuzz/*.c)
format:
	$(CLANG_FORMAT) -i $(FMT_SRCS)
lint:
	@command -v $(CLANG_FORMAT) >/dev/null || { echo "lint: $(CLANG_FORMAT) not found (apt-get install clang-format-14)"; exit 2; }
	$(CLANG_FORMAT) --dry-run --Werror $(FMT_SRCS)
	cppcheck --quiet --inline-suppr --error-exitcode=1 --enable=warning,performance -I. \
	  sim models tests fuzz bench

clean:
	rm -rf build build-san build-debug build-san-debug

-include $(OBJS:.o=.d) $(TOBJS:.o=.d) $(wildcard $(FZ)/*/*.d $(FZ)/*/*/*.d)
