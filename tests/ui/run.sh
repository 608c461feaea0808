#!/usr/bin/env bash
# ctest entry of the browser test: prepares playwright-core (npm ci into the
# build tree once) and runs ui_test.mjs against the real binary in Debian's
# Chromium (scripts/install-deps.sh installs it).
# Usage: run.sh path/to/credstack SOURCE_DIR BUILD_DIR
set -euo pipefail
BIN=${1:?credstack binary}; ROOT=${2:?source dir}; BUILD=${3:?build dir}
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "ui test: Chromium not found at ${CHROMIUM:-/usr/bin/chromium} (run scripts/install-deps.sh)" >&2
  exit 1
fi
DIR=$("$ROOT/scripts/npm-setup.sh" "$ROOT/tests/ui" "$BUILD/ui")
exec node "$DIR/ui_test.mjs" "$BIN" "$BUILD/ui/screenshots"
