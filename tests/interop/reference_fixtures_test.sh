#!/usr/bin/env bash
# Reference -> credstack: every labelled public fixture of the reference
# stack (../shared/interop/fixtures) gets its labelled result from
# `credstack verify --jsonl`.
set -u
BIN=$1
ROOT=$2
FIX=${CREDSTACK_INTEROP_DIR:-$ROOT/../shared/interop}/fixtures
if [ ! -f "$FIX/fixtures.jsonl" ]; then
  echo "INTEROP FIXTURES ABSENT: $FIX not found; the reference fixtures were NOT checked"
  exit 1
fi
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
"$BIN" verify --jsonl --status-dir "$FIX/status" "$FIX/fixtures.jsonl" > "$OUT"
total=$(grep -c . "$FIX/fixtures.jsonl")
matched=$(grep -c '"matches":true' "$OUT")
edge=$(grep -c 'UTF-16 code unit order' "$OUT")
echo "reference fixtures: $matched/$total got the labelled result ($edge verified via UTF-16 N-Quads order)"
grep '"matches":false' "$OUT"
[ "$matched" -eq "$total" ] && [ "$total" -ge 60 ]
