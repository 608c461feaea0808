#!/usr/bin/env bash
# `make bench`: every Google Benchmark binary of the release build, then
# the side-by-side comparison with the reference JavaScript stack when its
# script is present. Figures go to stdout; docs/benchmarks.md records them
# with the command that produced each.
set -euo pipefail
cd "$(dirname "$0")/.."
MIN_TIME=${MIN_TIME:-0.5}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for b in build/bench/*_benchmark; do
  [ -x "$b" ] || continue
  echo "== $b"
  "$b" --benchmark_min_time="$MIN_TIME" 2>/dev/null
done
if [ -x bench/compare_reference.sh ]; then
  echo "== bench/compare_reference.sh"
  bench/compare_reference.sh
fi
