#!/usr/bin/env bash
# Prepares the pinned JavaScript reference verifier (../shared/interop) in a
# writable copy and prints its directory. Idempotent: reuses the copy when
# its package-lock.json is unchanged. Usage: interop-setup.sh [DEST]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=${CREDSTACK_INTEROP_DIR:-$ROOT/../shared/interop}
DEST=${1:-$ROOT/build/interop}
if [ ! -f "$SRC/verify.mjs" ]; then
  echo "interop-setup: reference verifier not found at $SRC" >&2
  exit 3
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "interop-setup: node and npm are required" >&2
  exit 3
fi
if [ -f "$DEST/.ready" ] && cmp -s "$SRC/package-lock.json" "$DEST/package-lock.json"; then
  echo "$DEST"
  exit 0
fi
rm -rf "$DEST"
mkdir -p "$DEST"
cp -r "$SRC/." "$DEST/"
chmod -R u+w "$DEST"
(cd "$DEST" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) || {
  echo "interop-setup: npm ci failed in $DEST" >&2
  exit 3
}
touch "$DEST/.ready"
echo "$DEST"
