// Regenerates interop-expected.jsonl: what the reference JavaScript stack
// (jsonld 9.0.0, as pinned in ../shared/interop) produces for each document
// of interop-inputs.jsonl, with safe mode on and off.
//
//   T=$(mktemp -d); cp -r /work/shared/interop/. "$T"/; (cd "$T" && npm ci)
//   cp tests/jsonld/testdata/gen_jsonldjs.mjs "$T"/ && node "$T"/gen_jsonldjs.mjs \
//     tests/jsonld/testdata/interop-inputs.jsonl > tests/jsonld/testdata/interop-expected.jsonl
import fs from 'node:fs';
import jsonld from 'jsonld';
import {buildLoader} from './loader.mjs';

const documentLoader = buildLoader();
const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
for(const line of lines) {
  const {id, doc} = JSON.parse(line);
  const out = {id};
  for(const safe of [true, false]) {
    try {
      out[safe ? 'safe' : 'unsafe'] = await jsonld.toRDF(doc, {
        format: 'application/n-quads', documentLoader, safe});
    } catch(e) {
      const code = e.details?.code || e.details?.event?.code || e.name;
      out[safe ? 'safe' : 'unsafe'] = {error: String(code)};
    }
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}
