#!/usr/bin/env node
// Builds the benchmark set for bench/compare_reference.sh from the public
// interop fixtures (credentials signed by the JavaScript reference stack,
// ~3 KB Open Badges 3.0 with status entries):
//   OUT/signed.jsonl    N valid signed credentials: the valid fixtures in
//                       turn, each copy with its JSON members in a new
//                       (seeded) order, so no two consecutive lines are the
//                       same text; RDF canonicalization makes the order
//                       irrelevant to the signature;
//   OUT/unsigned.jsonl  the same credentials without proof, for issuance.
// usage: node make_bench_set.mjs FIXTURES.jsonl N OUT_DIR
import fs from 'node:fs';
import path from 'node:path';

const [fixtures, countArg, outDir] = process.argv.slice(2);
if(!fixtures || !outDir) {
  console.error('usage: node make_bench_set.mjs FIXTURES.jsonl N OUT_DIR');
  process.exit(2);
}
const n = Number(countArg || 1000);
const valid = fs.readFileSync(fixtures, 'utf8').split('\n').filter(Boolean)
  .map(l => JSON.parse(l)).filter(f => f.expect === 'valid').map(f => f.credential);
if(valid.length === 0) {
  console.error('no valid fixtures');
  process.exit(2);
}
// xorshift32, seeded: the set is the same on every run.
let state = 0x2545f491;
const rand = () => {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state / 4294967296;
};
function shuffled(v) {
  if(Array.isArray(v)) {
    return v.map(shuffled);  // array order is data (e.g. @context, lists)
  }
  if(v && typeof v === 'object') {
    const keys = Object.keys(v);
    for(let i = keys.length - 1; i > 0; --i) {
      const j = Math.floor(rand() * (i + 1));
      [keys[i], keys[j]] = [keys[j], keys[i]];
    }
    const out = {};
    for(const k of keys) {
      out[k] = shuffled(v[k]);
    }
    return out;
  }
  return v;
}
const signed = [];
const unsigned = [];
for(let i = 0; i < n; ++i) {
  const c = shuffled(valid[i % valid.length]);
  signed.push(JSON.stringify(c));
  const u = {...c};
  delete u.proof;
  unsigned.push(JSON.stringify(u));
}
fs.mkdirSync(outDir, {recursive: true});
fs.writeFileSync(path.join(outDir, 'signed.jsonl'), signed.join('\n') + '\n');
fs.writeFileSync(path.join(outDir, 'unsigned.jsonl'), unsigned.join('\n') + '\n');
console.error(`wrote ${n} credentials (${valid.length} distinct) to ${outDir}`);
