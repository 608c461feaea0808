#!/usr/bin/env bash
# Revocation interop with the reference JavaScript verifier
# (@digitalbazaar/vc + @digitalbazaar/vc-bitstring-status-list, offline):
#  A. credentials issued by `credstack serve` (did:web issuer): two revoked
#     through the API / CLI are reported revoked, the others valid, with the
#     status list credential published at /status/{list};
#  B. credentials carrying TWO entries (revocation + suspension) signed by a
#     did:key with status lists signed by the same key: none set -> valid,
#     suspended -> invalid, revoked -> invalid, unsuspended -> valid.
# Usage: status_interop_test.sh path/to/credstack SOURCE_DIR BUILD_DIR
set -u
BIN=$1
ROOT=$2
BUILD=$3
REF=$("$ROOT/scripts/interop-setup.sh" "$BUILD/interop") || {
  echo "REFERENCE VERIFIER UNAVAILABLE (node/npm or ../shared/interop missing): interop NOT checked"
  exit 1
}
T=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && { kill -KILL "$PID"; wait "$PID"; } 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# ---- A: server-issued, did:web ------------------------------------------------
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
export CREDSTACK_OPERATOR_TOKEN="interop-operator-token-0123456789"
"$BIN" serve --listen "127.0.0.1:$PORT" --public-url "$BASE" --data "$T/data" 2>"$T/log" &
PID=$!
for _ in $(seq 1 100); do curl -sf "$BASE/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
H=(-H "Content-Type: application/json")
org=$(curl -sf "${H[@]}" -H "Authorization: Bearer $CREDSTACK_OPERATOR_TOKEN" \
  -d '{"name":"Interop University","slug":"interop"}' "$BASE/api/v1/orgs") || fail "create org"
ORG=$(echo "$org" | jq -r .organization.id)
KEY=$(echo "$org" | jq -r .apiKey.secret)
AUTH=(-H "Authorization: Bearer $KEY")
ACH=$(curl -sf "${H[@]}" "${AUTH[@]}" \
  -d '{"name":"Interop Badge","description":"d","criteria":{"narrative":"n"}}' \
  "$BASE/api/v1/orgs/$ORG/achievements" | jq -r .id)
: > "$T/a.jsonl"
for i in 1 2 3 4 5 6; do
  curl -sf "${H[@]}" "${AUTH[@]}" -d "{\"achievementId\":\"$ACH\",\"recipient\":\"did:example:l$i\"}" \
    "$BASE/api/v1/orgs/$ORG/credentials" > "$T/c$i.json" || fail "issue $i"
done
curl -sf "${H[@]}" "${AUTH[@]}" -d '{"action":"revoke","reason":"interop"}' \
  "$BASE/api/v1/orgs/$ORG/credentials/$(jq -r .id "$T/c2.json")/status" > /dev/null || fail "revoke 2"
"$BIN" revoke --server "$BASE" --key "$KEY" --reason interop "$(jq -r .id "$T/c5.json")" > /dev/null ||
  fail "revoke 5"
for i in 1 2 3 4 5 6; do
  expect=valid
  { [ "$i" = 2 ] || [ "$i" = 5 ]; } && expect=invalid
  jq -c --arg e "$expect" --arg id "server-$i" '{id: $id, expect: $e, credential: .}' "$T/c$i.json" >> "$T/a.jsonl"
done
mkdir -p "$T/status"
for url in $(jq -r '[.credentialStatus] | flatten | .[].statusListCredential' "$T"/c*.json | sort -u); do
  curl -sf "$url" > "$T/status/$(basename "$url").json" || fail "fetch $url"
done
DID=$(jq -r '.issuer.id // .issuer' "$T/c1.json")
VM=$(jq -r .proof.verificationMethod "$T/c1.json")
curl -sf "$BASE/issuers/interop/did.json" > "$T/did.json" || fail "DID document"
jq --arg vm "$VM" '(.verificationMethod[] | select(.id == $vm or (.id | startswith("#")))) +
  {"@context": "https://w3id.org/security/multikey/v1"}' "$T/did.json" | jq -s '.[0]' > "$T/vm.json"
node "$REF/verify.mjs" --status-dir "$T/status" --doc "$DID=$T/did.json" --doc "$VM=$T/vm.json" \
  "$T/a.jsonl" > "$T/a.out" 2>&1
summary=$(tail -1 "$T/a.out")
echo "A (did:web, server-issued, 2 revoked through the API/CLI): reference: $summary"
[ "$summary" = "6 passed, 0 failed" ] || { grep '"ok":false' "$T/a.out" | head -3; fail "A"; }
for i in 2 5; do
  grep "\"id\":\"server-$i\"" "$T/a.out" | grep -q 'status bit set (revocation)' ||
    fail "server-$i not rejected for its revocation: $(grep "server-$i" "$T/a.out")"
done
kill -TERM "$PID"; wait "$PID"; PID=""

# ---- B: two entries per credential (revocation + suspension) -----------------------
"$BIN" keys new --out "$T/k.json" > "$T/did" 2>/dev/null || fail "keys new"
ISSUER=$(cat "$T/did")
python3 - "$T" "$ISSUER" <<'PY'
import base64, gzip, io, json, sys
t, issuer = sys.argv[1], sys.argv[2]
N = 131072
def encoded(bits_set):
    b = bytearray(N // 8)
    for i in bits_set:
        b[i // 8] |= 0x80 >> (i % 8)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as g:
        g.write(bytes(b))
    return "u" + base64.urlsafe_b64encode(buf.getvalue()).decode().rstrip("=")
# Entries: credential k uses index 100+k in both lists.
revoked = {102}          # credential 2 revoked
suspended = {103, 104}   # credentials 3 and 4 suspended
for name, purpose, bits in (("rev", "revocation", revoked), ("sus", "suspension", suspended)):
    url = "https://status.example/lists/" + name
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": url,
           "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": issuer,
           "validFrom": "2025-01-01T00:00:00Z",
           "credentialSubject": {"id": url + "#list", "type": "BitstringStatusList",
                                 "statusPurpose": purpose, "encodedList": encoded(bits)}}
    json.dump(doc, open(f"{t}/{name}-unsigned.json", "w"))
for k in range(1, 6):
    c = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": f"urn:uuid:00000000-0000-4000-8000-00000000000{k}",
         "type": ["VerifiableCredential"], "issuer": issuer, "validFrom": "2025-01-01T00:00:00Z",
         "credentialSubject": {"id": f"did:example:holder{k}"},
         "credentialStatus": [
           {"id": f"https://status.example/lists/rev#{100+k}", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": str(100 + k),
            "statusListCredential": "https://status.example/lists/rev"},
           {"id": f"https://status.example/lists/sus#{100+k}", "type": "BitstringStatusListEntry",
            "statusPurpose": "suspension", "statusListIndex": str(100 + k),
            "statusListCredential": "https://status.example/lists/sus"}]}
    json.dump(c, open(f"{t}/two{k}-unsigned.json", "w"))
PY
mkdir -p "$T/status2"
for name in rev sus; do
  "$BIN" sign --key "$T/k.json" "$T/$name-unsigned.json" > "$T/status2/$name.json" || fail "sign $name"
done
: > "$T/b.jsonl"
for k in 1 2 3 4 5; do
  "$BIN" sign --key "$T/k.json" "$T/two$k-unsigned.json" > "$T/two$k.json" || fail "sign two$k"
  expect=valid
  { [ "$k" = 2 ] || [ "$k" = 3 ] || [ "$k" = 4 ]; } && expect=invalid
  jq -c --arg e "$expect" --arg id "two-entries-$k" '{id: $id, expect: $e, credential: .}' "$T/two$k.json" >> "$T/b.jsonl"
done
node "$REF/verify.mjs" --status-dir "$T/status2" "$T/b.jsonl" > "$T/b.out" 2>&1
summary=$(tail -1 "$T/b.out")
echo "B (two entries: revocation + suspension; 1 revoked, 2 suspended): reference: $summary"
[ "$summary" = "5 passed, 0 failed" ] || { grep '"ok":false' "$T/b.out" | head -3; fail "B"; }
grep '"id":"two-entries-3"' "$T/b.out" | grep -q 'status bit set (suspension)' || fail "B: suspension"
grep '"id":"two-entries-2"' "$T/b.out" | grep -q 'status bit set (revocation)' || fail "B: revocation"
# credstack agrees.
"$BIN" verify --jsonl --status-dir "$T/status2" "$T/b.jsonl" > "$T/b.ours" 2>/dev/null
[ "$(grep -c '"matches":true' "$T/b.ours")" = 5 ] || fail "credstack disagrees: $(cat "$T/b.ours")"
echo "credstack agrees on 5/5"
