#!/usr/bin/env bash
# End to end over real HTTP: issue credentials, publish status lists, revoke
# and suspend through the API and the CLI, verify (server and offline CLI
# with a log bundle), and run the transparency log tools against the live
# server: checkpoint, proof, consistency, monitor, witness cosignatures,
# log verify. Usage: status_service_e2e_test.sh path/to/credstack
set -u
BIN=${1:?usage: status_service_e2e_test.sh path/to/credstack}
T=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && { kill -KILL "$PID"; wait "$PID"; } 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$T/log" ] && tail -5 "$T/log"; exit 1; }
checks=0
ok() { checks=$((checks + 1)); }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
export CREDSTACK_OPERATOR_TOKEN="e2e-operator-token-0123456789"
"$BIN" log keygen --name witness.test --out "$T/witness.key" --witness > "$T/witness.vkey" || fail keygen
ok
start() {
  "$BIN" serve --listen "127.0.0.1:$PORT" --public-url "$BASE" --data "$T/data" \
    --log-batch-interval 50ms --log-witnesses "$(cat "$T/witness.vkey")" 2>>"$T/log" &
  PID=$!
  for _ in $(seq 1 100); do
    curl -sf "$BASE/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  fail "server did not start"
}
start
H=(-H "Content-Type: application/json")
OP=(-H "Authorization: Bearer $CREDSTACK_OPERATOR_TOKEN")
org=$(curl -sf "${H[@]}" "${OP[@]}" -d '{"name":"Acme University","slug":"acme"}' "$BASE/api/v1/orgs") ||
  fail "create org"
ORG=$(echo "$org" | jq -r .organization.id)
KEY=$(echo "$org" | jq -r .apiKey.secret)
AUTH=(-H "Authorization: Bearer $KEY")
ach=$(curl -sf "${H[@]}" "${AUTH[@]}" -d '{"name":"Data Literacy","description":"Reads data.","criteria":{"narrative":"Pass the test."}}' \
  "$BASE/api/v1/orgs/$ORG/achievements") || fail "create achievement"
ACH=$(echo "$ach" | jq -r .id)
for i in 1 2 3; do
  curl -sf "${H[@]}" "${AUTH[@]}" -d "{\"achievementId\":\"$ACH\",\"recipient\":\"did:example:learner$i\"}" \
    "$BASE/api/v1/orgs/$ORG/credentials" > "$T/cred$i.json" || fail "issue $i"
done
ID1=$(jq -r .id "$T/cred1.json")
ID2=$(jq -r .id "$T/cred2.json")
LIST=$(jq -r '.credentialStatus | if type == "array" then .[0] else . end | .statusListCredential' "$T/cred1.json")
[[ "$LIST" == "$BASE/status/"* ]] || fail "status list URL $LIST"
ok

# The published list: signed, cached per version.
code=$(curl -s -D "$T/h1" -o "$T/list1.json" -w '%{http_code}' "$LIST")
[ "$code" = 200 ] || fail "GET status list gave $code"
grep -qi '^cache-control: public, max-age=300' "$T/h1" || fail "no Cache-Control"
ETAG=$(grep -i '^etag:' "$T/h1" | cut -d' ' -f2 | tr -d '\r')
[ -n "$ETAG" ] || fail "no ETag"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$LIST")
[ "$code" = 304 ] || fail "If-None-Match gave $code"
[ "$(jq -r .issuer "$T/list1.json")" = "$(jq -r '.issuer.id // .issuer' "$T/cred1.json")" ] ||
  fail "list issuer differs from the credential issuer"
ok

# Server-side verification: status checked from the store, logged.
sleep 0.3
v=$(curl -s "${H[@]}" --data-binary @"$T/cred1.json" "$BASE/api/v1/verify")
[ "$(echo "$v" | jq .verified)" = true ] || fail "cred1 does not verify: $v"
echo "$v" | jq -r '.checks[] | select(.name=="status") | .detail' | grep -q "not revoked" || fail "status: $v"
echo "$v" | jq -r '.checks[] | select(.name=="logged") | .detail' | grep -q "in checkpoint" || fail "logged: $v"
ok

# Revoke by API (with reason), revoke again (no change), suspend without a
# suspension entry (404), another org's key is refused.
r=$(curl -s "${H[@]}" "${AUTH[@]}" -d '{"action":"revoke","reason":"plagiarism"}' \
  "$BASE/api/v1/orgs/$ORG/credentials/$ID1/status")
[ "$(echo "$r" | jq .changed)" = true ] || fail "revoke: $r"
r=$(curl -s "${H[@]}" "${AUTH[@]}" -d '{"action":"revoke"}' "$BASE/api/v1/orgs/$ORG/credentials/$ID1/status")
[ "$(echo "$r" | jq .changed)" = false ] || fail "second revoke: $r"
code=$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" "${AUTH[@]}" -d '{"action":"revoke","value":0,"purpose":"revocation"}' \
  "$BASE/api/v1/orgs/$ORG/credentials/$ID1/status")
org2=$(curl -sf "${H[@]}" "${OP[@]}" -d '{"name":"Other","slug":"other"}' "$BASE/api/v1/orgs")
KEY2=$(echo "$org2" | jq -r .apiKey.secret)
code=$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -H "Authorization: Bearer $KEY2" \
  -d '{"action":"revoke"}' "$BASE/api/v1/orgs/$ORG/credentials/$ID2/status")
[ "$code" = 403 ] || fail "other org's key gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -H "Authorization: Bearer $KEY2" \
  -d "{\"credentialId\":\"$ID2\",\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\"}}" \
  "$BASE/credentials/status")
[ "$code" = 404 ] || fail "VC-API status update by another org gave $code"
ok
code=$(curl -s -D "$T/h2" -o "$T/list2.json" -w '%{http_code}' -H "If-None-Match: $ETAG" "$LIST")
[ "$code" = 200 ] || fail "changed list still 304"
ok
v=$(curl -s "${H[@]}" --data-binary @"$T/cred1.json" "$BASE/api/v1/verify")
[ "$(echo "$v" | jq .verified)" = false ] || fail "revoked cred1 verifies"
echo "$v" | jq -r '.checks[] | select(.name=="status") | .detail' | grep -q REVOKED || fail "not REVOKED: $v"
hist=$(curl -s "${AUTH[@]}" "$BASE/api/v1/orgs/$ORG/credentials/$ID1/status")
[ "$(echo "$hist" | jq -r '.events[0].reason')" = plagiarism ] || fail "history: $hist"
[ "$(echo "$hist" | jq -r '.events | length')" = 1 ] || fail "history length: $hist"
ok

# Revoke by CLI (VC-API status endpoint), reason kept.
"$BIN" revoke --server "$BASE" --key "$KEY" --reason "issued in error" "$ID2" > "$T/cli-revoke.json" ||
  fail "credstack revoke"
[ "$(jq -r '.results[0].changed' "$T/cli-revoke.json")" = true ] || fail "cli revoke: $(cat "$T/cli-revoke.json")"
hist=$(curl -s "${AUTH[@]}" "$BASE/api/v1/orgs/$ORG/credentials/$ID2/status")
[ "$(echo "$hist" | jq -r '.events[0].reason')" = "issued in error" ] || fail "cli history: $hist"
"$BIN" suspend --server "$BASE" --key "$KEY" "$ID2" >/dev/null 2>&1 && fail "suspend without a suspension entry succeeded"
ok

# The log: revocations are leaves; proofs; offline verification.
sleep 0.3
VKEY=$("$BIN" log vkey --key-file "$T/data/log-key") || fail "log vkey"
"$BIN" log checkpoint --server "$BASE" --log-key "$VKEY" > "$T/cp.txt" || fail "log checkpoint"
[ "$(sed -n 2p "$T/cp.txt")" = 5 ] || fail "expected 5 leaves (3 issued, 2 revoked): $(cat "$T/cp.txt")"
"$BIN" log proof --server "$BASE" "$T/cred3.json" > "$T/bundle3.json" || fail "log proof"
[ "$(jq -r .treeSize "$T/bundle3.json")" = 5 ] || fail "bundle: $(cat "$T/bundle3.json")"
"$BIN" log proof --server "$BASE" --event revoked "$T/cred1.json" > /dev/null || fail "revoked leaf proof"
"$BIN" log consistency --server "$BASE" --from 1 --to 5 > /dev/null || fail "log consistency"
code=$(curl -s -D "$T/h3" -o /dev/null -w '%{http_code}' "$BASE/log/tile/0/000.p/5")
[ "$code" = 200 ] || fail "tile gave $code"
grep -qi 'immutable' "$T/h3" || fail "tile not immutable"
code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/log/tile/entries/000.p/5")
[ "$code" = 200 ] || fail "entry bundle gave $code"
ok
# Offline: the status lists and DID document as files, the log bundle.
mkdir -p "$T/docs"
curl -sf "$LIST" > "$T/docs/list.json"
DID=$(jq -r '.issuer.id // .issuer' "$T/cred3.json")
curl -sf "$BASE/issuers/acme/did.json" > "$T/docs/did.json"
out=$("$BIN" verify --json --status-dir "$T/docs" --log-bundle "$T/bundle3.json" --log-key "$VKEY" \
  --require-logged "$T/cred3.json")
[ "$(echo "$out" | jq .verified)" = true ] || fail "offline verify with bundle: $out"
out=$("$BIN" verify --json --status-dir "$T/docs" --log-key "$VKEY" --require-logged "$T/cred3.json")
[ "$(echo "$out" | jq .verified)" = false ] || fail "verify without bundle but required passed: $out"
echo "$out" | jq -r '.checks[] | select(.name=="logged") | .detail' | grep -q "NOT LOGGED" || fail "$out"
out=$("$BIN" verify --json --status-dir "$T/docs" --log-key "$VKEY" "$T/cred3.json")
[ "$(echo "$out" | jq .verified)" = true ] || fail "informational logged check failed: $out"
out=$("$BIN" verify --json --online --http-host "127.0.0.1:$PORT" --allow-host 127.0.0.1 \
  --log-key "$VKEY" --log-server "$BASE" --require-logged "$T/cred1.json")
echo "$out" | jq -r '.checks[] | select(.name=="status") | .detail' | grep -q REVOKED || fail "online: $out"
echo "$out" | jq -r '.checks[] | select(.name=="logged") | .ok' | grep -q true || fail "online logged: $out"
ok

# Monitor and witness against the live log; cosignatures are served.
"$BIN" log monitor --server "$BASE" --state "$T/monitor.state" --log-key "$VKEY" > "$T/mon1" || fail "monitor 1"
"$BIN" witness --server "$BASE" --key "$T/witness.key" --log-key "$VKEY" --state "$T/witness.state" \
  > "$T/cosig" 2>"$T/witness.err" || fail "witness: $(cat "$T/witness.err")"
grep -q '^— witness.test ' "$T/cosig" || fail "no cosignature line: $(cat "$T/cosig")"
curl -s "$BASE/log/checkpoint" | grep -q '^— witness.test ' || fail "cosignature not served"
curl -sf "${H[@]}" "${AUTH[@]}" -d "{\"achievementId\":\"$ACH\",\"recipient\":\"did:example:learner9\"}" \
  "$BASE/api/v1/orgs/$ORG/credentials" > /dev/null || fail "issue 9"
sleep 0.4
"$BIN" log monitor --server "$BASE" --state "$T/monitor.state" --log-key "$VKEY" > "$T/mon2" || fail "monitor 2"
grep -q "grew consistently from 5 to 6" "$T/mon2" || fail "monitor 2: $(cat "$T/mon2")"
ok
# Rollback: restore the database as it was at 5 entries; the monitor
# alerts, log verify with the monitor's state reports it.
cp "$T/monitor.state" "$T/state6"
kill -TERM "$PID"; wait "$PID"; PID=""
sqlite3 "$T/data/credstack.db" "DROP TRIGGER log_entries_no_delete; DROP TRIGGER log_checkpoints_immutable; \
  DELETE FROM log_cosignatures WHERE size > 5; DELETE FROM log_checkpoints WHERE size > 5; \
  DELETE FROM log_credential_index WHERE seq >= 5; DELETE FROM log_entries WHERE seq >= 5; \
  UPDATE log_sequencer SET next_seq = 5; UPDATE log_integration SET size = 5;" || fail "rollback sql"
start
if "$BIN" log monitor --server "$BASE" --state "$T/monitor.state" --log-key "$VKEY" > "$T/mon3"; then
  fail "monitor missed the rollback"
fi
grep -q "^ALERT: ROLLBACK" "$T/mon3" || fail "monitor 3: $(cat "$T/mon3")"
"$BIN" log verify --data "$T/data" --known "$T/state6" > "$T/audit" && fail "log verify missed the rollback"
grep -q "ROLLBACK" "$T/audit" || fail "audit: $(cat "$T/audit")"
grep -q "has no issued leaf" "$T/audit" || fail "audit: $(cat "$T/audit")"
ok
echo "status/log e2e: $checks groups of checks passed"
