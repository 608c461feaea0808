#!/usr/bin/env bash
# Crash test: SIGKILL the issuing process at a random moment while batched
# appends and background integration run; after restart the log must be
# consistent with every checkpoint published before the crash, and every
# credential committed before the crash must be stored with an issued leaf.
# Usage: log_crash_test.sh DRIVER [TRIALS]
set -u
DRIVER=$1
TRIALS=${2:-20}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
for trial in $(seq 1 "$TRIALS"); do
  D="$T/trial$trial"
  mkdir -p "$D"
  # Several crashes per trial: restart and kill again on the same data.
  for round in 1 2; do
    "$DRIVER" append "$D" >> "$D/committed.txt" 2> "$D/append.err" &
    pid=$!
    sleep "0.$(( (RANDOM % 9) + 2 ))$(( RANDOM % 10 ))"
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
  done
  if out=$("$DRIVER" check "$D" < "$D/committed.txt" 2>&1); then
    pass=$((pass + 1))
    echo "trial $trial: $out"
  else
    echo "trial $trial FAILED: $out"
    cat "$D/append.err"
  fi
done
echo "$pass/$TRIALS crash trials consistent"
[ "$pass" -eq "$TRIALS" ]
