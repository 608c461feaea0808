#!/usr/bin/env bash
# Crash test (issue 4 "Must show"): one bulk job of ROWS rows (default
# 100,000) on SQLite, the server killed with SIGKILL at random points
# TRIALS times (default 20) while it issues, then restarted; after the
# last restart the job completes with exactly ROWS distinct credentials:
# one per row, none lost, none duplicated (checked for every row in the
# database), a random sample of them verifying through POST /api/v1/verify
# (every check, status list and transparency log included).
#
#   bulk_crash_test.sh path/to/credstack [ROWS] [TRIALS] [SAMPLE]
#
# Kill points are drawn from the seed printed at the start (SEED=... to
# replay). Needs curl, jq and sqlite3.
set -u
BIN=${1:?usage: bulk_crash_test.sh path/to/credstack [ROWS] [TRIALS] [SAMPLE]}
ROWS=${2:-100000}
TRIALS=${3:-20}
SAMPLE=${4:-50}
SEED=${SEED:-$(date +%s%N | tail -c 10)}
RANDOM=$((SEED % 32768))
for tool in curl jq sqlite3; do
  command -v $tool >/dev/null || { echo "SKIP: $tool not installed"; exit 0; }
done

T=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && { kill -KILL "$PID" && wait "$PID"; } 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$T/log" ] && tail -5 "$T/log"; exit 1; }
TOKEN=op-token-crash-test-0000000000001
DB=$T/data/credstack.db
PORT=""

# Starts the server and waits until it accepts requests (sets PID, PORT).
start() {
  : >"$T/log"
  CREDSTACK_OPERATOR_TOKEN=$TOKEN "$BIN" serve --listen 127.0.0.1:0 --data "$T/data" \
    --public-url https://crash.test --rate-limit-ip 0 --rate-limit-key 0 \
    --log-level info 2>>"$T/log" &
  PID=$!
  PORT=""
  for _ in $(seq 1 300); do
    PORT=$(grep -o '"msg":"listening".*"port":[0-9]*' "$T/log" 2>/dev/null | grep -o '[0-9]*$')
    [ -n "$PORT" ] && break
    kill -0 "$PID" 2>/dev/null || fail "server exited at start-up"
    sleep 0.05
  done
  [ -n "$PORT" ] || fail "server did not report its port"
}
kill9() {
  { kill -KILL "$PID" && wait "$PID"; } 2>/dev/null
  PID=""
}
api() {  # METHOD PATH [curl args...]
  local m=$1 p=$2
  shift 2
  curl -s -X "$m" "http://127.0.0.1:$PORT$p" "$@"
}
sql() { sqlite3 -cmd ".timeout 5000" "$DB" "$1"; }

echo "seed $SEED, $ROWS rows, $TRIALS kills"
start
org=$(api POST /api/v1/orgs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"Crash Test University","slug":"crash","url":"https://crash.example"}')
ORG=$(jq -r .organization.id <<<"$org")
KEY=$(jq -r .apiKey.secret <<<"$org")
[ -n "$ORG" ] && [ "$ORG" != null ] || fail "org create: $org"
AUTH="Authorization: Bearer $KEY"
ach=$(api POST "/api/v1/orgs/$ORG/achievements" -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"name":"Resilience","description":"Survives crashes","criteria":{"narrative":"Be killed 20 times"}}')
ACH=$(jq -r .id <<<"$ach")
[ -n "$ACH" ] && [ "$ACH" != null ] || fail "achievement create: $ach"

{ echo "recipient,rowKey"; seq 1 "$ROWS" | awk '{print "learner" $1 "@example.org,row-" $1}'; } >"$T/rows.csv"
job=$(api POST "/api/v1/orgs/$ORG/jobs?achievementId=$ACH" -H "$AUTH" -H 'Content-Type: text/csv' \
  --data-binary "@$T/rows.csv")
JOB=$(jq -r .id <<<"$job")
[ -n "$JOB" ] && [ "$JOB" != null ] || fail "job submit: $job"
[ "$(jq -r .total <<<"$job")" = "$ROWS" ] || fail "job total: $job"

issued() { sql "SELECT count(*) FROM job_rows WHERE job_id='$JOB' AND state='issued'"; }

# Kill points: uniformly random, up to the time the remaining work would
# take at the fastest rate seen so far, shared among the remaining trials,
# so that every kill interrupts the job (some while it starts up).
rate=1
for trial in $(seq 1 "$TRIALS"); do
  before=$(issued)
  left=$((ROWS - before))
  if [ "$trial" = 1 ]; then
    ms=1000
  else
    bound=$(( left * 1000 / rate / (TRIALS - trial + 1) + 20 ))
    ms=$(( (RANDOM * 32768 + RANDOM) % bound ))
  fi
  t0=$(date +%s%N)
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  kill9
  t1=$(date +%s%N)
  after=$(issued)
  r=$(( (after - before) * 1000000000 / (t1 - t0 + 1) ))
  [ "$r" -gt "$rate" ] && rate=$r
  echo "trial $trial: killed after ${ms} ms, issued $before -> $after of $ROWS"
  [ "$after" -lt "$ROWS" ] || fail "the job finished before kill $trial (rate estimate $rate/s)"
  start
done

for _ in $(seq 1 1200); do
  st=$(api GET "/api/v1/jobs/$JOB" -H "$AUTH")
  [ "$(jq -r .status <<<"$st")" = done ] && break
  sleep 0.5
done
[ "$(jq -r .status <<<"$st")" = done ] || fail "job not done: $st"
[ "$(jq -r .issued <<<"$st")" = "$ROWS" ] || fail "job counters: $st"
[ "$(jq -r .failed <<<"$st")" = 0 ] || fail "job counters: $st"

# Every row issued, each with its own credential, and nothing else stored.
n=$(sql "SELECT count(*) FROM job_rows WHERE job_id='$JOB'")
[ "$n" = "$ROWS" ] || fail "$n job rows"
n=$(sql "SELECT count(DISTINCT credential_id) FROM job_rows WHERE job_id='$JOB' AND state='issued'")
[ "$n" = "$ROWS" ] || fail "$n distinct credentials for $ROWS rows"
n=$(sql "SELECT count(*) FROM credentials WHERE org_id='$ORG'")
[ "$n" = "$ROWS" ] || fail "$n credentials stored for $ROWS rows"
n=$(sql "SELECT count(*) FROM credentials c JOIN job_rows r ON r.credential_id = c.id
         WHERE r.job_id='$JOB' AND c.idempotency_key = 'bulk:$JOB:' || r.client_row_key")
[ "$n" = "$ROWS" ] || fail "$n credentials carry their row's idempotency key"
n=$(sql "SELECT count(DISTINCT content_hash) FROM credentials WHERE org_id='$ORG'")
[ "$n" = "$ROWS" ] || fail "$n distinct credential contents"
n=$(sql "SELECT count(*) FROM status_allocations a JOIN credentials c ON c.id = a.credential_id
         WHERE c.org_id='$ORG'")
[ "$n" = "$ROWS" ] || fail "$n status entries"
n=$(sql "SELECT count(*) FROM log_entries")
[ "$n" = "$ROWS" ] || fail "$n log entries"

# A random sample verifies.
sql "SELECT credential_json FROM credentials WHERE org_id='$ORG' ORDER BY random() LIMIT $SAMPLE" \
  >"$T/sample"
verified=0
while IFS= read -r cred; do
  report=$(api POST /api/v1/verify -H 'Content-Type: application/json' --data-binary "$cred")
  [ "$(jq -r .verified <<<"$report")" = true ] || fail "a credential does not verify: $report"
  verified=$((verified + 1))
done <"$T/sample"
[ "$verified" -ge 2 ] || fail "only $verified credentials sampled"
echo "ok: $ROWS distinct credentials after $TRIALS kills; $verified sampled credentials verify"
