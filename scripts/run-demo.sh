#!/usr/bin/env bash
# `make run`: starts credstack with the embedded SQLite store in DATA and a
# demo issuer, and prints the URL. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
ADDR=${1:-127.0.0.1:8080}
DATA=${2:-./data/local}
BIN=./build/credstack
mkdir -p "$DATA"
if ! "$BIN" serve --help >/dev/null 2>&1; then
  echo "credstack: this build has no HTTP server yet; try the CLI: $BIN --help" >&2
  exit 1
fi
echo "credstack: starting on http://$ADDR (data in $DATA, demo issuer enabled)"
exec "$BIN" serve --listen "$ADDR" --data "$DATA" --demo true
