#!/usr/bin/env bash
# Issuer service figures (issue 4): `credstack serve` on SQLite or on a
# throwaway PostgreSQL (scripts/pg-test-server.sh, fsync on), then
#   idle RSS after start-up,
#   wrk against POST /api/v1/verify (a credential the server issued,
#     eddsa-rdfc-2022) and POST /api/v1/orgs/{org}/credentials (single
#     issuance, each request a new credential),
#   bulk issuance rate (a CSV job of ROWS rows, submission to done),
#   RSS after the run.
# Usage: bench/http/issuer_bench.sh [build/credstack] [sqlite|postgres]
# Environment: ROWS (default 20000), DURATION (wrk seconds, default 10),
#              CONNS (wrk connections, default 32), BULK_ONLY=1 (skip the
#              wrk runs: the bulk figure alone), LEARNERS (default 0: that
#              many of the bulk job's recipients are learners, spread over
#              the rows, so the job also links credentials to learners).
set -eu
BIN=${1:-build/credstack}
BACKEND=${2:-sqlite}
ROWS=${ROWS:-20000}
DURATION=${DURATION:-10}
CONNS=${CONNS:-32}
BULK_ONLY=${BULK_ONLY:-0}
LEARNERS=${LEARNERS:-0}
DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$DIR/../.." && pwd)
WORK=$(mktemp -d)
PID=""
PG_STATE=""
cleanup() {
  [ -n "$PID" ] && { kill -TERM "$PID" && wait "$PID"; } 2>/dev/null
  [ -n "$PG_STATE" ] && "$ROOT/scripts/pg-test-server.sh" stop "$PG_STATE" >/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
TOKEN=op-token-bench-00000000000000001

DB_ARGS=()
if [ "$BACKEND" = postgres ]; then
  PG_STATE=$WORK/pg
  url=$(PG_TEST_DURABLE=1 "$ROOT/scripts/pg-test-server.sh" start "$PG_STATE" | tail -1)
  DB_ARGS=(--database "$url")
fi
CREDSTACK_OPERATOR_TOKEN=$TOKEN "$BIN" serve --listen 127.0.0.1:0 --data "$WORK/data" \
  "${DB_ARGS[@]}" --public-url https://bench.test --rate-limit-ip 0 --rate-limit-key 0 \
  --log-level info 2>"$WORK/log" &
PID=$!
PORT=""
for _ in $(seq 1 200); do
  PORT=$(grep -o '"msg":"listening".*"port":[0-9]*' "$WORK/log" 2>/dev/null | grep -o '[0-9]*$' || true)
  [ -n "$PORT" ] && break
  sleep 0.05
done
[ -n "$PORT" ] || { echo "server did not start"; cat "$WORK/log"; exit 1; }
BASE=http://127.0.0.1:$PORT
rss() { awk '/VmRSS/ {printf "%.1f MB", $2 / 1024}' "/proc/$PID/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }  # utime + stime
sleep 1
echo "backend: $BACKEND; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "idle RSS after start-up: $(rss)"

org=$(curl -s -X POST "$BASE/api/v1/orgs" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"name":"Bench University","slug":"bench"}')
ORG=$(jq -r .organization.id <<<"$org")
KEY=$(jq -r .apiKey.secret <<<"$org")
ACH=$(curl -s -X POST "$BASE/api/v1/orgs/$ORG/achievements" -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: application/json' \
  -d '{"name":"Intro to Data Analysis","description":"Cleans, explores and visualises tabular data.",
       "criteria":{"narrative":"Completed the capstone project."},"creditsAvailable":1.5,
       "alignment":[{"targetName":"perform data analysis","targetFramework":"ESCO",
         "targetUrl":"http://data.europa.eu/esco/skill/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"}]}' |
  jq -r .id)
echo "{\"achievementId\":\"$ACH\",\"recipient\":\"ada@example.org\"}" >"$WORK/issue.json"
curl -s -X POST "$BASE/api/v1/orgs/$ORG/credentials" -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: application/json' --data-binary "@$WORK/issue.json" >"$WORK/vc.json"
[ "$(curl -s -X POST "$BASE/api/v1/verify" -H 'Content-Type: application/json' \
  --data-binary "@$WORK/vc.json" | jq -r '.checks[] | select(.name == "proof") | .ok')" = true ] ||
  { echo "the issued credential does not verify"; exit 1; }
echo "idle RSS with one organization: $(rss)"

if [ "$BULK_ONLY" != 1 ]; then
echo
echo "== wrk POST /api/v1/verify ($(jq -r .proof.cryptosuite "$WORK/vc.json"), $(wc -c <"$WORK/vc.json") bytes), $CONNS connections"
wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$DIR/wrk_auth_post.lua" "$BASE/api/v1/verify" \
  -- "$WORK/vc.json"
echo
echo "== wrk POST /api/v1/orgs/{org}/credentials (single issuance), $CONNS connections"
wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$DIR/wrk_auth_post.lua" \
  "$BASE/api/v1/orgs/$ORG/credentials" -- "$WORK/issue.json" "$KEY"
fi

echo
{ echo "recipient,rowKey"; seq 1 "$ROWS" | awk '{print "learner" $1 "@example.org,row-" $1}'; } >"$WORK/rows.csv"
if [ "$LEARNERS" -gt 0 ]; then
  step=$(( ROWS / LEARNERS > 0 ? ROWS / LEARNERS : 1 ))
  LEARNER=""
  for i in $(seq 1 "$step" "$ROWS" | head -n "$LEARNERS"); do
    l=$(curl -sf -X POST "$BASE/api/v1/learners" -H "Authorization: Bearer $KEY" \
      -H 'Content-Type: application/json' -d "{\"emails\":[\"learner$i@example.org\"]}") ||
      { echo "cannot create learner $i"; exit 1; }
    [ -n "$LEARNER" ] || LEARNER=$(jq -r .id <<<"$l")
  done
  echo "$LEARNERS of the job's recipients are learners"
fi
c0=$(cpu_ticks)
t0=$(date +%s%N)
JOB=$(curl -s -X POST "$BASE/api/v1/orgs/$ORG/jobs?achievementId=$ACH" -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: text/csv' --data-binary "@$WORK/rows.csv" | jq -r .id)
t1=$(date +%s%N)
while :; do
  st=$(curl -s "$BASE/api/v1/jobs/$JOB" -H "Authorization: Bearer $KEY")
  [ "$(jq -r .status <<<"$st")" = done ] && break
  [ "$(jq -r .status <<<"$st")" = failed ] && { echo "job failed: $st"; exit 1; }
  sleep 0.1
done
t2=$(date +%s%N)
c1=$(cpu_ticks)
issued=$(jq -r .issued <<<"$st")
echo "== bulk issuance: $issued rows"
echo "upload accepted in $(( (t1 - t0) / 1000000 )) ms; issued in $(( (t2 - t1) / 1000000 )) ms:" \
  "$(( issued * 1000000000 / (t2 - t1) )) credentials/s (submission to done: $(( issued * 1000000000 / (t2 - t0) ))/s)"
awk -v c="$((c1 - c0))" -v hz="$(getconf CLK_TCK)" -v ns="$((t2 - t0))" \
  'BEGIN {printf "server CPU during the job: %.2f s (%.2f cores busy on average)\n", c / hz, c / hz / (ns / 1e9)}'
if [ "$LEARNERS" -gt 0 ]; then
  echo "credentials of the first learner: $(curl -s "$BASE/api/v1/learners/$LEARNER/skills" \
    -H "Authorization: Bearer $KEY" | jq '.credentials | length') (1 expected)"
fi
echo "RSS after the run: $(rss)"
