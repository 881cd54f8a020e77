# SPDX-License-Identifier: GPL-3.0-or-later
# The two commands: `make run` and `make test`. Both install missing Debian packages,
# configure into build/ with Ninja and build; then run starts the app, test runs CTest.
BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
# CI builds with -Werror so warnings cannot pile up unseen.
WERROR     := $(if $(CI),ON,OFF)
ARGS       ?=

.PHONY: run test deps configure build clean screenshots sanitize fuzz fuzz-configure tsan

run: build
	@packaging/run-app.sh $(BUILD_DIR)/app/switchyard $(ARGS)

test: build
	cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j2 --timeout 300

# Every view rendered under Xvfb into docs/screenshots/.
screenshots: build
	packaging/screenshots.sh $(BUILD_DIR) docs/screenshots

# Sanitizers and fuzzing share one clang build in build-fuzz: AddressSanitizer and
# UndefinedBehaviorSanitizer everywhere, libFuzzer's coverage hooks on our code, so one
# compile gives both the test suite and the fuzz targets of fuzz/ (see fuzz/README.md).
# Warnings stay warnings here: -Werror is the gcc build's job (clang warns about other things).
# Line tables only: what the sanitizers' reports need, at a fraction of full debug information.
FUZZ_DIR      ?= build-fuzz
FUZZ_SECONDS  ?= 600
FUZZ_PARALLEL ?= 1
SAN_FLAGS     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# handle_segv=0: a test that kills a child with SIGSEGV (tst_KeyLeak) must see it crash.
SAN_ENV       := ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:handle_segv=0 \
                 LSAN_OPTIONS=suppressions=$(CURDIR)/fuzz/lsan.supp:print_suppressions=0 \
                 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The whole test suite under the sanitizers; ctest also replays every fuzz corpus once.
# Left out, because the sanitizers change what they measure: tst_ResourceLimits (the
# process's peak memory, which ASan's shadow memory and quarantine of freed blocks inflate).
SAN_EXCLUDE   ?= ^tst_ResourceLimits$$
sanitize: fuzz-configure
	cmake --build $(FUZZ_DIR) -j2
	@echo "sanitize: not run under the sanitizers: $(SAN_EXCLUDE)"
	cd $(FUZZ_DIR) && $(SAN_ENV) QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j2 --timeout 600 -E '$(SAN_EXCLUDE)'

# Each fuzz target for FUZZ_SECONDS (FUZZ_PARALLEL at a time), starting from its seeds.
fuzz: fuzz-configure
	cmake --build $(FUZZ_DIR) -j2 --target fuzzers
	$(SAN_ENV) fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_PARALLEL)

fuzz-configure: deps
	@fuzz/deps.sh
	@if [ ! -f $(FUZZ_DIR)/build.ninja ]; then \
	  CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSWITCHYARD_WERROR=OFF \
	    -DCMAKE_C_FLAGS_DEBUG=-gline-tables-only -DCMAKE_CXX_FLAGS_DEBUG=-gline-tables-only \
	    -DSWITCHYARD_FUZZ=ON -DCMAKE_C_FLAGS="$(SAN_FLAGS) -fsanitize=fuzzer-no-link -O1" \
	    -DCMAKE_CXX_FLAGS="$(SAN_FLAGS) -fsanitize=fuzzer-no-link -O1" -DCMAKE_EXE_LINKER_FLAGS="$(SAN_FLAGS)"; \
	fi

# ThreadSanitizer over the tests that run threads: the proxy, the log store, the servers.
# Debian's Qt is not built with TSan and syncs its queues with raw futexes, so every hand-off
# through Qt (queued calls, QThreadPool) shows as a race: this run reports, it does not fail.
# The summary lists each reported site once, most frequent first (see fuzz/README.md).
TSAN_DIR   ?= build-tsan
TSAN_TESTS ?= tst_ProxyRouting tst_ProxyStreaming tst_DialectProxy tst_LogStore tst_UpstreamClient tst_HttpServer tst_AdminApi
tsan: deps
	@if [ ! -f $(TSAN_DIR)/build.ninja ]; then \
	  cmake -S . -B $(TSAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSWITCHYARD_WERROR=$(WERROR) \
	    -DCMAKE_C_FLAGS="-fsanitize=thread -O1" -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer -O1" \
	    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread"; \
	fi
	cmake --build $(TSAN_DIR) -j2 --target $(TSAN_TESTS)
	rm -f $(TSAN_DIR)/tsan.*
	-cd $(TSAN_DIR) && TSAN_OPTIONS="halt_on_error=0 exitcode=0 ignore_noninstrumented_modules=1 log_path=$(CURDIR)/$(TSAN_DIR)/tsan" \
	  QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j1 --timeout 1200 -R '^($(subst $(eval) ,|,$(TSAN_TESTS)))$$'
	@echo "tsan: $$(cat $(TSAN_DIR)/tsan.* 2>/dev/null | grep -c '^WARNING: ThreadSanitizer') reports; by site:"
	@cat $(TSAN_DIR)/tsan.* 2>/dev/null | grep '^SUMMARY' | sed 's/^SUMMARY: ThreadSanitizer: //' | sort | uniq -c | sort -rn | head -40

deps:
	@packaging/install-deps.sh

configure: deps
	@if [ ! -f $(BUILD_DIR)/build.ninja ] || [ "$$(grep -s '^SWITCHYARD_WERROR:' $(BUILD_DIR)/CMakeCache.txt | cut -d= -f2)" != "$(WERROR)" ]; then \
	  cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DSWITCHYARD_WERROR=$(WERROR); \
	fi

build: configure
	cmake --build $(BUILD_DIR) -j2

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_DIR) $(TSAN_DIR)

# Benchmarks (not tests): Switchyard beside the upstream called directly, nginx and the Portkey
# gateway, then memory and the request log at a million rows. Installs what it needs, builds
# a Release tree in build-bench, writes bench/results/latest.md and docs/performance.md's table.
.PHONY: bench
bench:
	bench/run.sh

# The real Claude Code and Codex CLI (pinned in tests/agents/package-lock.json, installed into
# build/agents) through a headless Switchyard to a scripted upstream, on both provider kinds; prints
# the compatibility table and writes it to build/agents/compat.md (see tests/agents/README.md).
# AGENTS_LATEST=1: the newest versions npm serves, installed into build/agents-latest.
# agents-golden also refreshes tests/data/agents/; agents-readme runs and puts the table, passing
# or not, into the README.
AGENTS_LATEST ?=
AGENTS_OUT    := $(BUILD_DIR)/$(if $(AGENTS_LATEST),agents-latest,agents)
.PHONY: agents agents-golden agents-readme
agents: build
	AGENTS_LATEST=$(AGENTS_LATEST) tests/agents/run.sh $(BUILD_DIR)

agents-golden: build
	AGENTS_GOLDEN=1 AGENTS_LATEST=$(AGENTS_LATEST) tests/agents/run.sh $(BUILD_DIR)

agents-readme: build
	-AGENTS_LATEST=$(AGENTS_LATEST) tests/agents/run.sh $(BUILD_DIR)
	node tests/agents/readme-table.mjs $(AGENTS_OUT)/compat.md README.md
