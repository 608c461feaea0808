#!/usr/bin/env bash
# Installs the Debian 12 packages credstack needs: to build and run it
# (`make run`), and with --test also what the tests and benchmarks use
# (`make test`, CI): PostgreSQL, clang for the fuzzers, Node.js for the
# interop and browser tests, Chromium, wrk, jq.
# Idempotent: installs only what is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsodium-dev libssl-dev libsqlite3-dev libpq-dev zlib1g-dev
  libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
  coinor-libcbc-dev coinor-libclp-dev coinor-libcoinutils-dev coinor-libosi-dev coinor-libcgl-dev
  curl ca-certificates
)
TEST_PACKAGES=(
  sqlite3 postgresql postgresql-client
  clang libclang-rt-14-dev
  nodejs python3 wrk jq
  chromium
)

if [ "${1:-}" = "--test" ]; then
  PACKAGES+=("${TEST_PACKAGES[@]}")
  # npm comes with the machine's Node.js on some images; Debian's package otherwise.
  if ! command -v npm >/dev/null; then PACKAGES+=(npm); fi
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
