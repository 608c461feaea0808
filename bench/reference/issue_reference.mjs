#!/usr/bin/env node
// Issuance throughput of the JavaScript reference stack (@digitalbazaar/vc
// issue with DataIntegrityProof / eddsa-rdfc-2022, jsonld + rdf-canonize,
// the versions pinned in ../shared/interop). Run from a copy of the interop
// folder with node_modules installed (bench/compare_reference.sh copies it
// there): node issue_reference.mjs UNSIGNED.jsonl
// Signs every credential with one seeded Ed25519 key (the credential's
// issuer is set to that key's did:key) and prints one JSON line:
// {"issued_per_s": ..., "credentials": N, "seconds": S}. Timing covers
// vc.issue and JSON.stringify of each result, not reading the file.
import fs from 'node:fs';
import {buildLoader} from './loader.mjs';
import {keyFromSeed, signingSuite, issueCredential} from './common.mjs';

const input = process.argv[2];
if(!input) {
  console.error('usage: node issue_reference.mjs UNSIGNED.jsonl');
  process.exit(2);
}
const documentLoader = buildLoader();
const {keyPair, did} = await keyFromSeed('credstack-bench/issuer');
const creds = fs.readFileSync(input, 'utf8').split('\n').filter(Boolean).map(l => {
  const c = JSON.parse(l);
  c.issuer = typeof c.issuer === 'object' ? {...c.issuer, id: did} : did;
  return c;
});
const date = '2025-01-01T00:00:00Z';
let bytes = 0;
const t0 = process.hrtime.bigint();
for(const credential of creds) {
  const suite = signingSuite({keyPair, date});
  const signed = await issueCredential({credential, suite, documentLoader});
  bytes += JSON.stringify(signed).length;
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({issued_per_s: Math.round(creds.length / seconds * 10) / 10,
  credentials: creds.length, seconds: Math.round(seconds * 1000) / 1000, bytes}));
