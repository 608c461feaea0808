#!/usr/bin/env bash
# HTTP server overhead: `credstack serve` with access logs off, wrk against
# GET /healthz and POST /debug/echo, then POST /api/v1/verify with a fresh
# eddsa-jcs-2022 Open Badges credential. Usage: bench/http/run_wrk.sh [build/credstack]
set -eu
BIN=${1:-build/credstack}
PORT=${PORT:-18080}
DIR=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
"$BIN" keys new --out "$WORK/issuer.json" >/dev/null
cat > "$WORK/achievement.json" <<'JSON'
{"name": "Intro to Data Analysis", "description": "Cleans, explores and visualises tabular data.",
 "criteria": {"narrative": "Completed the capstone project."}, "creditsAvailable": 1.5}
JSON
"$BIN" issue --key "$WORK/issuer.json" --achievement "$WORK/achievement.json" \
  --recipient email:ada@example.org --suite eddsa-jcs-2022 > "$WORK/vc.json"
"$BIN" serve --listen 127.0.0.1:$PORT --log-level warn --enable-echo true \
  --rate-limit-ip 0 --data "$(mktemp -d)" &
PID=$!
trap 'kill -TERM $PID; wait $PID; rm -rf "$WORK"' EXIT
sleep 0.5
echo "== GET /healthz, 64 connections"
wrk -t2 -c64 -d10s --latency "http://127.0.0.1:$PORT/healthz"
echo "== POST /debug/echo (176-byte JSON), 64 connections"
wrk -t2 -c64 -d10s --latency -s "$DIR/wrk_post.lua" "http://127.0.0.1:$PORT/debug/echo"
echo "== GET /healthz, 1 connection (latency)"
wrk -t1 -c1 -d5s --latency "http://127.0.0.1:$PORT/healthz"
echo "== POST /api/v1/verify (eddsa-jcs-2022 OB 3.0 credential), 32 connections"
wrk -t2 -c32 -d15s --latency -s "$DIR/wrk_post.lua" "http://127.0.0.1:$PORT/api/v1/verify" -- "$WORK/vc.json"
