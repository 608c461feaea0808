#!/usr/bin/env bash
# keys new -> issue -> verify (exit 0) -> change one field -> verify exits 1
# naming the failed check; plus the exit-code contract on bad input.
set -u
BIN=${1:?usage: cli_roundtrip_test.sh path/to/credstack}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
fail() { echo "FAIL: $*"; exit 1; }
expect_exit() {  # expect_exit CODE CMD...
  local want=$1; shift
  "$@" >out.txt 2>err.txt
  local got=$?
  [ "$got" -eq "$want" ] || { cat out.txt err.txt; fail "'$*' exited $got, expected $want"; }
}

expect_exit 0 "$BIN" keys new --out issuer.json
did=$(cat out.txt)
[[ "$did" == did:key:z6Mk* ]] || fail "keys new printed '$did'"
[ "$(stat -c %a issuer.json)" = 600 ] || fail "key file mode is $(stat -c %a issuer.json)"
expect_exit 1 "$BIN" keys new --out issuer.json   # never overwrites

cat > achievement.json <<'JSON'
{"name": "Intro to Data Analysis",
 "description": "Cleans, explores and visualises tabular data.",
 "criteria": {"narrative": "Completed the capstone project."},
 "alignment": [{"targetName": "analyse big data",
                "targetUrl": "http://data.europa.eu/esco/skill/d3a2ebd3-d8d0-4c8e-8a87-fc1f4e7e1e5b",
                "targetFramework": "ESCO"}],
 "creditsAvailable": 1.5}
JSON

for suite in eddsa-jcs-2022 ""; do
  args=(issue --key issuer.json --achievement achievement.json --recipient email:Ada@Example.org
        --valid-until 2099-01-01T00:00:00Z)
  [ -n "$suite" ] && args+=(--suite "$suite")
  expect_exit 0 "$BIN" "${args[@]}"
  cp out.txt vc.json
  grep -q '"OpenBadgeCredential"' vc.json || fail "not an OpenBadgeCredential"
  grep -qi 'ada@example.org' vc.json && fail "plain email in the credential"
  grep -q "\"$did\"" vc.json || fail "issuer is not the key's DID"

  expect_exit 0 "$BIN" verify vc.json
  grep -q '^VERIFIED' out.txt || fail "human output: $(cat out.txt)"
  expect_exit 0 "$BIN" verify --json - < vc.json
  grep -q '"verified":true' out.txt || fail "json output: $(cat out.txt)"

  # One changed field: the proof check fails and says so.
  sed 's/Intro to Data Analysis/Intro to Data Analysis!/' vc.json > tampered.json
  expect_exit 1 "$BIN" verify --json tampered.json
  grep -q '"name":"proof","ok":false' out.txt || fail "tamper not reported by the proof check: $(cat out.txt)"
  grep -q '"verified":false' out.txt || fail "tampered credential reported verified"

  # Time travel: expired and not yet valid.
  expect_exit 1 "$BIN" verify --json --now 2100-01-01T00:00:00Z vc.json
  grep -q '"name":"validity","ok":false' out.txt || fail "expiry not reported"
done

# sign: issuer set from the key; a foreign issuer is refused.
cat > unsigned.json <<'JSON'
{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
 "credentialSubject": {"id": "did:example:alice", "name": "Alice"}}
JSON
expect_exit 0 "$BIN" sign --key issuer.json --suite eddsa-jcs-2022 unsigned.json
cp out.txt signed.json
expect_exit 0 "$BIN" verify signed.json
sed 's/"credentialSubject"/"issuer": "did:example:someone-else", "credentialSubject"/' unsigned.json > foreign.json
expect_exit 1 "$BIN" sign --key issuer.json foreign.json
grep -q "not the key's controller" err.txt || fail "foreign issuer message: $(cat err.txt)"

# jsonl: one result line per input, a summary on stderr, exit 1 if any fails.
{ tr -d '\n' < vc.json; echo; tr -d '\n' < tampered.json; echo; echo '{not json'; } > batch.jsonl
expect_exit 1 "$BIN" verify --jsonl batch.jsonl
[ "$(wc -l < out.txt)" -eq 3 ] || fail "jsonl printed $(wc -l < out.txt) lines"
head -1 out.txt | grep -q '"verified":true' || fail "first jsonl line"
grep -q 'credentials/s' err.txt || fail "no throughput line"

# Bad input never crashes: exit 1 (invalid data) or 2 (unreadable/usage).
printf '{"a":' > trunc.json
expect_exit 1 "$BIN" verify trunc.json
python3 -c 'print("["*100000)' > deep.json 2>/dev/null || printf '%0.s[' $(seq 1 5000) > deep.json
expect_exit 1 "$BIN" verify deep.json
head -c 100 /dev/urandom > random.bin
expect_exit 1 "$BIN" verify random.bin
expect_exit 2 "$BIN" verify /nonexistent.json
expect_exit 2 "$BIN" verify --now yesterday vc.json
expect_exit 2 "$BIN" verify --no-such-flag vc.json
expect_exit 1 "$BIN" issue --key issuer.json --achievement unsigned.json --recipient did:example:x
expect_exit 1 "$BIN" issue --key issuer.json --achievement achievement.json --recipient nobody
echo "cli round trip: all checks passed"
