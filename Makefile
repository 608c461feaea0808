# credstack: the two-command quick start is `make run` and `make test`.
# Both install missing Debian packages first (scripts/install-deps.sh).

JOBS ?= 2
ADDR ?= 127.0.0.1:8080
DATA ?= ./data/local

.PHONY: all deps deps-test build run test test-fast asan bench fuzz format clean

all: build

deps:
	@./scripts/install-deps.sh

# What the tests and benchmarks need on top (PostgreSQL, Node.js, Chromium, ...).
deps-test:
	@./scripts/install-deps.sh --test

build: deps
	@cmake --preset release >/dev/null
	@cmake --build build -j $(JOBS)

run: build
	@./scripts/run-demo.sh "$(ADDR)" "$(DATA)"

# Everything: release build + every ctest suite, then the unit tests again
# under AddressSanitizer + UndefinedBehaviorSanitizer.
test: deps-test build
	@./scripts/run-tests.sh

# Only the release suites (no sanitizer pass).
test-fast: deps-test build
	@cd build && ctest --output-on-failure -j $(JOBS)

asan: deps-test
	@cmake --preset asan >/dev/null
	@cmake --build build-asan -j $(JOBS) --target unit_tests
	@cd build-asan && ctest --output-on-failure -L unit -j $(JOBS)

bench: deps-test build
	@./bench/run.sh

fuzz: deps-test
	@cmake --preset fuzz >/dev/null
	@cmake --build build-fuzz -j $(JOBS)

format:
	@find src cmd tests fuzz bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build build-asan build-debug build-tsan build-fuzz
