#!/usr/bin/env bash
# eddsa-rdfc-2022: credstack against the JavaScript reference stack
# (../shared/interop: @digitalbazaar/vc 7.3.0, jsonld 9.0.0, rdf-canonize
# 5.0.0) on the same N credentials in one run (issue 3 item 7).
#
#   bench/compare_reference.sh [N]        (default N=1000; needs build/ and node)
#
# The credentials: the public interop fixtures' valid Open Badges 3.0
# credentials (~3 KB, signed by the reference stack, with
# BitstringStatusListEntry status) repeated to N, each copy with its JSON
# members reordered (bench/reference/make_bench_set.mjs). Verification:
#   reference  node verify.mjs --quiet --status-dir ... signed.jsonl
#              (prints throughput_per_s; status list credential verified too)
#   credstack  build/credstack verify --jsonl --status-dir ... signed.jsonl
#              (prints credentials/s on stderr)
# Issuance: the same credentials without proof, signed again by each side
# (bench/reference/issue_reference.mjs; build/bench/vc_issue_bench).
# Both sides run single-threaded, one after the other, on the same machine
# state; the load average is printed with the results.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-1000}
BUILD=${CREDSTACK_BUILD_DIR:-$ROOT/build}
for bin in "$BUILD/credstack" "$BUILD/bench/vc_issue_bench"; do
  if [ ! -x "$bin" ]; then
    echo "compare_reference: $bin not built (cmake --preset release && cmake --build build)" >&2
    exit 3
  fi
done
INTEROP=$("$ROOT/scripts/interop-setup.sh")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$ROOT/bench/reference/issue_reference.mjs" "$INTEROP/"
node "$ROOT/bench/reference/make_bench_set.mjs" "$INTEROP/fixtures/fixtures.jsonl" "$N" "$WORK"
STATUS="$INTEROP/fixtures/status"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- verification ---
node "$INTEROP/verify.mjs" --quiet --status-dir "$STATUS" "$WORK/signed.jsonl" > "$WORK/ref.out" || {
  echo "reference verifier did not verify every credential:" >&2
  tail -5 "$WORK/ref.out" >&2
  exit 1
}
REF_VERIFY=$(grep -o '"throughput_per_s":[0-9.]*' "$WORK/ref.out" | cut -d: -f2)
"$BUILD/credstack" verify --jsonl --status-dir "$STATUS" "$WORK/signed.jsonl" > "$WORK/cs.out" 2> "$WORK/cs.err" || {
  echo "credstack did not verify every credential:" >&2
  tail -3 "$WORK/cs.err" >&2
  exit 1
}
CS_VERIFY=$(grep -o '[0-9.]* credentials/s' "$WORK/cs.err" | cut -d' ' -f1)

# --- issuance ---
REF_ISSUE=$(node "$INTEROP/issue_reference.mjs" "$WORK/unsigned.jsonl" | grep -o '"issued_per_s":[0-9.]*' | cut -d: -f2)
CS_ISSUE=$("$BUILD/bench/vc_issue_bench" "$WORK/unsigned.jsonl" | grep -o '"issued_per_s":[0-9.]*' | cut -d: -f2)

echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v n="$N" -v rv="$REF_VERIFY" -v cv="$CS_VERIFY" -v ri="$REF_ISSUE" -v ci="$CS_ISSUE" 'BEGIN {
  printf "eddsa-rdfc-2022, %d Open Badges 3.0 credentials, one core each:\n", n
  printf "  verify  reference %9.1f/s  credstack %9.1f/s  ratio %6.1fx\n", rv, cv, cv / rv
  printf "  issue   reference %9.1f/s  credstack %9.1f/s  ratio %6.1fx\n", ri, ci, ci / ri
}'
