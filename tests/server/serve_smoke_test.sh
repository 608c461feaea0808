#!/usr/bin/env bash
# Starts `credstack serve` on an ephemeral port with a config file, an
# environment variable and a flag, checks the operational endpoints, then
# SIGTERM -> exit 0 while a request is in flight is not needed here (see
# server_test); also: a world-readable master key file is refused.
set -u
BIN=${1:?usage: serve_smoke_test.sh path/to/credstack}
T=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$T/log" ] && tail -5 "$T/log"; exit 1; }

cat > "$T/credstack.conf" <<CONF
# file layer
listen = 127.0.0.1:1
log-level = debug
data = "$T/data"
CONF
# env overrides the file's listen address; the flag overrides log-level.
CREDSTACK_LISTEN=127.0.0.1:0 "$BIN" serve --config "$T/credstack.conf" \
  --log-level info --enable-echo true 2>"$T/log" &
PID=$!
port=""
for _ in $(seq 1 100); do
  port=$(grep -o '"msg":"listening".*"port":[0-9]*' "$T/log" 2>/dev/null | grep -o '[0-9]*$')
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || fail "server did not report its port"
grep -q '"level":"debug"' "$T/log" && fail "flag --log-level did not override the file"

code=$(curl -s -o "$T/body" -w '%{http_code}' "http://127.0.0.1:$port/healthz")
[ "$code" = 200 ] || fail "/healthz gave $code"
[ "$(cat "$T/body")" = '{"status":"ok"}' ] || fail "/healthz body $(cat "$T/body")"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")
[ "$code" = 200 ] || fail "/readyz gave $code"
echo=$(curl -s -H 'Content-Type: application/json' -d '{"a":1}' "http://127.0.0.1:$port/debug/echo")
[ "$echo" = '{"a":1}' ] || fail "echo gave $echo"
ctype=$(curl -s -o "$T/body" -w '%{content_type}' "http://127.0.0.1:$port/nope")
[ "$ctype" = application/problem+json ] || fail "404 content type $ctype"
curl -s "http://127.0.0.1:$port/metrics" | grep -q '^http_requests_total{route="/healthz",method="GET",status="200"} 1$' \
  || fail "/metrics does not count /healthz"
curl -s "http://127.0.0.1:$port/api/v1/openapi.json" | grep -q '"openapi":"3.1.0"' || fail "no OpenAPI document"

kill -TERM "$PID"
for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$PID" 2>/dev/null && fail "still running 5 s after SIGTERM"
wait "$PID"
rc=$?
PID=""
[ "$rc" = 0 ] || fail "exit code $rc after SIGTERM"
grep -q '"msg":"stopped"' "$T/log" || fail "no 'stopped' log line"

# Bad configuration is a usage error with a message naming the option.
"$BIN" serve --listen nowhere 2>"$T/err" && fail "--listen nowhere accepted"
grep -q listen "$T/err" || fail "error does not name the option: $(cat "$T/err")"
echo "secret" > "$T/master.key"; chmod 644 "$T/master.key"
"$BIN" serve --listen 127.0.0.1:0 --master-key-file "$T/master.key" 2>"$T/err" && fail "world-readable key accepted"
grep -q "chmod 600" "$T/err" || fail "no hint for the key file: $(cat "$T/err")"
echo "PASS"
