#!/usr/bin/env bash
# credstack -> reference: 250 credentials issued by credstack in varied
# shapes (scripts from CJK to emoji, controls, long texts, tiny and
# fractional numbers, optional fields, alignments, evidence, results,
# revocation), plus 10 VC 1.1 ones, verify in the reference JavaScript verifier exactly as
# labelled; the revoked ones are reported revoked. credstack agrees.
set -u
BIN=$1
GEN=$2
ROOT=$3
BUILD=$4
REF=$("$ROOT/scripts/interop-setup.sh" "$BUILD/interop") || {
  echo "REFERENCE VERIFIER UNAVAILABLE (node/npm or ../shared/interop missing): interop NOT checked"
  exit 1
}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$GEN" "$T" 250 || exit 1
node "$REF/verify.mjs" --quiet --status-dir "$T/status" "$T/credentials.jsonl" > "$T/ref.out" 2>&1
ref_rc=$?
tail -2 "$T/ref.out"
grep -v '^{"throughput' "$T/ref.out" | grep '^{' | head -5
revoked=$(grep -c '"expect":"invalid"' "$T/credentials.jsonl")
summary=$(tail -1 "$T/ref.out")
[ "$summary" = "260 passed, 0 failed" ] || { echo "FAIL: reference verifier: $summary"; exit 1; }
[ "$ref_rc" -eq 0 ] || exit 1
"$BIN" verify --jsonl --status-dir "$T/status" "$T/credentials.jsonl" > "$T/ours.out" 2>/dev/null
ours=$(grep -c '"matches":true' "$T/ours.out")
edge=$(grep -c 'UTF-16 code unit order' "$T/ours.out")
echo "reference verified all 260 (250 OB 3.0 + 10 VC 1.1) as labelled ($revoked revoked ones rejected); credstack agrees on $ours/260"
echo "$edge credentials have canonical N-Quads that differ between code point and UTF-16 order"
[ "$ours" -eq 260 ] && [ "$revoked" -gt 0 ] && [ "$edge" -gt 0 ]
