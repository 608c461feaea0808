#!/usr/bin/env bash
# Runs every test suite: the release build's ctest (unit, conformance,
# interop, end-to-end), then the unit tests under ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}

echo "== ctest (release build)"
(cd build && ctest --output-on-failure -j "$JOBS" --timeout 900)

echo "== ctest -L unit (ASan + UBSan build)"
cmake --preset asan >/dev/null
scripts/check-unit-targets.sh build-asan
cmake --build build-asan -j "$JOBS" --target unit_tests
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -L unit -j "$JOBS" --timeout 900)
