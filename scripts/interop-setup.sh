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
exec "$ROOT/scripts/npm-setup.sh" "$SRC" "$DEST"
