#!/usr/bin/env bash
# Fails when a test labelled `unit` runs a binary that the `unit_tests`
# target does not build (the sanitizer pass would then run a stale or
# missing binary). Usage: check-unit-targets.sh BUILD_DIR
set -euo pipefail
B=${1:?build dir}
missing=0
deps=$(ninja -C "$B" -t query unit_tests)
while read -r exe; do
  name=$(basename "$exe")
  if ! grep -q "/$name\$" <<<"$deps"; then
    echo "unit test binary $name is not a dependency of the unit_tests target"
    missing=1
  fi
done < <(cd "$B" && ctest -N -L unit --show-only=json-v1 | python3 -c '
import json,sys
d=json.load(sys.stdin)
for t in d["tests"]:
    print(t["command"][0])')
exit $missing
