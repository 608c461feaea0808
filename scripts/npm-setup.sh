#!/usr/bin/env bash
# Copies an npm project (package.json + package-lock.json, and any scripts
# next to them) into a writable directory, runs `npm ci` there and prints
# the directory. Idempotent: reuses the copy while its lock file is
# unchanged. Usage: npm-setup.sh SRC DEST
set -euo pipefail
SRC=${1:?source directory}
DEST=${2:?destination directory}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "npm-setup: node and npm are required" >&2
  exit 3
fi
if [ -f "$DEST/.ready" ] && cmp -s "$SRC/package-lock.json" "$DEST/package-lock.json"; then
  cp -r "$SRC/." "$DEST/"  # scripts may have changed; the modules have not
  chmod -R u+w "$DEST"
  echo "$DEST"
  exit 0
fi
rm -rf "$DEST"
mkdir -p "$DEST"
cp -r "$SRC/." "$DEST/"
chmod -R u+w "$DEST"
(cd "$DEST" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) || {
  echo "npm-setup: npm ci failed in $DEST" >&2
  exit 3
}
touch "$DEST/.ready"
echo "$DEST"
