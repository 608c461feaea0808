#!/usr/bin/env node
// Generates testdata/rdfc/rdf-canonize/: for each credential of the public
// interop fixtures (../shared/interop/fixtures/fixtures.jsonl), the RDF
// dataset of the unsigned credential as jsonld 9.0.0 deserializes it
// (<id>.in.nq, blank nodes as jsonld labels them) and its canonical form as
// rdf-canonize 5.0.0 produces it (<id>.rdf-canonize.nq). The C++ tests check
// that ld::Canonicalize with QuadOrder::kUtf16 reproduces the latter byte
// for byte.
//
// Run from a copy of ../shared/interop with node_modules installed:
//   T=$(mktemp -d); cp -r ../shared/interop/. "$T"; (cd "$T" && npm ci)
//   cp scripts/gen-rdfc-interop-vectors.mjs "$T"/ && \
//     node "$T"/gen-rdfc-interop-vectors.mjs "$T"/fixtures/fixtures.jsonl testdata/rdfc/rdf-canonize
import fs from 'node:fs';
import path from 'node:path';
import jsonld from 'jsonld';
import canonize from 'rdf-canonize';
import {buildLoader} from './loader.mjs';

const [input, outDir] = process.argv.slice(2);
fs.mkdirSync(outDir, {recursive: true});
const documentLoader = buildLoader();
let n = 0;
for(const line of fs.readFileSync(input, 'utf8').split('\n')) {
  if(!line.trim()) {
    continue;
  }
  const fixture = JSON.parse(line);
  const credential = {...fixture.credential};
  delete credential.proof;
  let dataset;
  try {
    dataset = await jsonld.toRDF(credential, {documentLoader, safe: true});
  } catch(e) {
    console.error(`${fixture.id}: skipped (${e.message})`);
    continue;
  }
  const inputNQuads = dataset.map(q => canonize.NQuads.serializeQuad(q)).join('');
  const canonical = await canonize.canonize(dataset, {algorithm: 'RDFC-1.0'});
  fs.writeFileSync(path.join(outDir, `${fixture.id}.in.nq`), inputNQuads);
  fs.writeFileSync(path.join(outDir, `${fixture.id}.rdf-canonize.nq`), canonical);
  ++n;
}
console.log(`wrote ${n} vectors to ${outDir}`);
