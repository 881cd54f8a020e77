# SPDX-License-Identifier: GPL-3.0-or-later
# The two commands: `make run` and `make test`. Both install missing Debian packages,
# configure into build/ with Ninja and build; then run starts the app, test runs CTest.
BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
# CI builds with -Werror so warnings cannot pile up unseen.
WERROR     := $(if $(CI),ON,OFF)
ARGS       ?=

.PHONY: run test deps configure build clean screenshots sanitize

run: build
	@packaging/run-app.sh $(BUILD_DIR)/app/switchyard $(ARGS)

test: build
	cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j2 --timeout 300

# Every view rendered under Xvfb into docs/screenshots/.
screenshots: build
	packaging/screenshots.sh $(BUILD_DIR) docs/screenshots

# The whole test suite built with AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize: deps
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSWITCHYARD_WERROR=$(WERROR) \
	  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -O1" \
	  -DCMAKE_C_FLAGS="-fsanitize=address,undefined" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
	cmake --build build-asan -j2
	cd build-asan && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j2 --timeout 600

deps:
	@packaging/install-deps.sh

configure: deps
	@if [ ! -f $(BUILD_DIR)/build.ninja ] || [ "$$(grep -s '^SWITCHYARD_WERROR:' $(BUILD_DIR)/CMakeCache.txt | cut -d= -f2)" != "$(WERROR)" ]; then \
	  cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DSWITCHYARD_WERROR=$(WERROR); \
	fi

build: configure
	cmake --build $(BUILD_DIR) -j2

clean:
	rm -rf $(BUILD_DIR) build-asan

# Benchmarks (not tests): Switchyard beside the upstream called directly, nginx and the Portkey
# gateway, then memory and the request log at a million rows. Installs what it needs, builds
# a Release tree in build-bench, writes bench/results/latest.md and docs/performance.md's table.
.PHONY: bench
bench:
	bench/run.sh
