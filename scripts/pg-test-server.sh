#!/usr/bin/env bash
# Starts and stops a throwaway PostgreSQL 15 server for tests and benchmarks.
#
#   scripts/pg-test-server.sh start STATE_DIR   start (restarting any leftover), print the URL
#   scripts/pg-test-server.sh url   STATE_DIR   print the URL of the running server
#   scripts/pg-test-server.sh stop  STATE_DIR   stop the server and delete its data
#
# STATE_DIR (default: build/pg-test) holds only small state files: `url`, `datadir`, `port`.
# The cluster itself lives in a fresh directory under ${TMPDIR:-/tmp}. The server listens on
# 127.0.0.1 on a free port (plus a Unix socket inside its data dir), trust auth on loopback,
# database `credstack_test`. initdb refuses to run as root, so as root the server runs as
# the `postgres` system user (runuser) and owns its temporary directory.
#
# Environment:
#   CREDSTACK_SKIP_POSTGRES=1   do nothing and write "skip" to STATE_DIR/url; the PostgreSQL
#                               tests then skip with a message. This is the only way to skip.
#   PG_TEST_DURABLE=1           keep fsync on (benchmarks); tests default to fsync=off.
#   PG_BIN                      PostgreSQL binaries (default /usr/lib/postgresql/15/bin).
# Robust to being run twice and to leftover directories: `start` stops a server recorded in
# STATE_DIR first and deletes abandoned temporary clusters; `stop` on nothing is a no-op.
set -euo pipefail

cmd=${1:-}
state=${2:-build/pg-test}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DB=credstack_test

die() { echo "pg-test-server: $*" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

do_stop() {
  local dir=""
  [ -f "$state/datadir" ] && dir=$(cat "$state/datadir")
  if [ -n "$dir" ] && [ -d "$dir" ]; then
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    # Only ever remove a directory this script created.
    case "$dir" in
      */credstack-pg.*) rm -rf -- "$dir" ;;
    esac
  fi
  rm -f "$state/url" "$state/datadir" "$state/port"
}

# Removes temporary clusters whose server is no longer running (left behind when a state dir was
# deleted, e.g. by `make clean`, or a run was killed). Running servers are left alone: they may
# belong to another build's test run.
sweep_leftovers() {
  local d pid
  for d in "${TMPDIR:-/tmp}"/credstack-pg.*; do
    [ -d "$d" ] || continue
    pid=""
    [ -f "$d/data/postmaster.pid" ] && pid=$(head -1 "$d/data/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      continue
    fi
    # A cluster being created right now has no pid file yet: spare young directories.
    if [ -n "$(find "$d" -maxdepth 0 -mmin -10 2>/dev/null)" ] && [ -z "$pid" ]; then
      continue
    fi
    rm -rf -- "$d"
  done
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! ss -Htln "sport = :$p" 2>/dev/null | grep -q .; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

do_start() {
  mkdir -p "$state"
  if [ "${CREDSTACK_SKIP_POSTGRES:-0}" = "1" ]; then
    echo skip > "$state/url"
    echo "pg-test-server: CREDSTACK_SKIP_POSTGRES=1, not starting PostgreSQL" >&2
    echo skip
    return 0
  fi
  [ -x "$PG_BIN/initdb" ] || die "no PostgreSQL binaries in $PG_BIN (Debian package postgresql)"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' system user"
  fi
  do_stop
  sweep_leftovers

  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/credstack-pg.XXXXXX")
  echo "$dir" > "$state/datadir"
  chmod 0755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi

  as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

  local fsync=off
  [ "${PG_TEST_DURABLE:-0}" = "1" ] && fsync=on
  local port started=0
  for _ in 1 2 3 4 5; do
    port=$(free_port) || die "no free port"
    if as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $dir -c fsync=$fsync -c max_connections=200 -c shared_buffers=64MB" \
        start >/dev/null 2>&1; then
      started=1
      break
    fi
    tail -5 "$dir/server.log" >&2 || true
  done
  [ "$started" = 1 ] || { do_stop; die "PostgreSQL did not start (see messages above)"; }
  echo "$port" > "$state/port"

  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DB" \
    || { do_stop; die "createdb failed"; }
  local url="postgresql://postgres@127.0.0.1:$port/$DB"
  echo "$url" > "$state/url"
  echo "$url"
}

case "$cmd" in
  start) do_start ;;
  stop) do_stop ;;
  url)
    [ -s "$state/url" ] || die "no server recorded in $state (run start first)"
    cat "$state/url"
    ;;
  *) echo "usage: $0 start|stop|url [STATE_DIR]" >&2; exit 2 ;;
esac
