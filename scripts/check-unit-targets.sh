#!/usr/bin/env bash
# Run after building the `unit_tests` target: fails when a test labelled
# `unit` needs a binary that target did not build (the sanitizer pass would
# then run a stale or missing binary). Usage: check-unit-targets.sh BUILD_DIR
set -euo pipefail
B=${1:?build dir}
deps=$(ninja -C "$B" -t query unit_tests)
tests=$(cd "$B" && ctest -N -L unit --show-only=json-v1 | python3 -c '
import json,sys
for t in json.load(sys.stdin)["tests"]:
    cmd = t.get("command")
    print(t["name"], cmd[0] if cmd else "-")')
missing=0
while read -r name exe; do
  if [ "$exe" = "-" ] || ! grep -q "/$(basename "$exe")\$" <<<"$deps"; then
    echo "unit test $name: its binary is not built by the unit_tests target"
    missing=1
  fi
done <<<"$tests"
exit $missing
