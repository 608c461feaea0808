#!/usr/bin/env node
// Generates testdata/eddsa-rdfc-2022/js-duplicate-quads.json: an Open
// Badges 3.0 credential signed by the JavaScript reference stack
// (@digitalbazaar/vc + eddsa-rdfc-2022, jsonld 9.0.0, rdf-canonize 5.0.0,
// as pinned in ../shared/interop) whose RDF dataset, as jsonld.js produces
// it, holds duplicate quads: `true` and {"@value": true, "@type":
// xsd:boolean} are two values for jsonld.js but one RDF literal, and
// rdf-canonize signs both quads. RDFC-1.0 (a set) has only one, so the
// signature verifies only when duplicates are kept.
//
// Run from a copy of ../shared/interop with node_modules installed:
//   T=$(scripts/interop-setup.sh); cp scripts/gen-duplicate-quads-vector.mjs "$T"/ && \
//     node "$T"/gen-duplicate-quads-vector.mjs > testdata/eddsa-rdfc-2022/js-duplicate-quads.json
import jsonld from 'jsonld';
import canonize from 'rdf-canonize';
import {buildLoader, VC_V2_CONTEXT, OB_CONTEXT} from './loader.mjs';
import {keyFromSeed, signingSuite, issueCredential} from './common.mjs';

const documentLoader = buildLoader();
const {keyPair, did} = await keyFromSeed('credstack-test/duplicate-quads');
const credential = {
  '@context': [VC_V2_CONTEXT, OB_CONTEXT],
  id: 'urn:uuid:9d3c56a4-7d0c-4bbf-9a0e-2b7f2cdb6d01',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name: 'Duplicate quads',
  issuer: {id: did, type: ['Profile'], name: 'Example Issuer'},
  validFrom: '2024-01-01T00:00:00Z',
  credentialSubject: {
    type: ['AchievementSubject'],
    achievement: {
      id: 'https://example.edu/achievements/dup',
      type: ['Achievement'],
      name: 'Duplicates',
      description: 'A credential whose jsonld.js dataset has duplicate quads.',
      criteria: {narrative: 'n'}
    }
  },
  // Absolute IRIs as properties (the OB context defines no @vocab).
  'https://example.org/extraFlag': [true, {'@value': true, '@type': 'http://www.w3.org/2001/XMLSchema#boolean'}],
  'https://example.org/extraCount': [2, {'@value': '2', '@type': 'http://www.w3.org/2001/XMLSchema#integer'}]
};
const suite = signingSuite({keyPair, date: '2024-01-01T00:00:00Z'});
const signed = await issueCredential({credential, suite, documentLoader});
// Check that the reference dataset really has duplicates.
const unsecured = {...signed};
delete unsecured.proof;
const quads = await jsonld.toRDF(unsecured, {documentLoader, safe: true});
const lines = quads.map(q => canonize.NQuads.serializeQuad(q));
if(new Set(lines).size === lines.length) {
  throw new Error('no duplicate quads: the vector would test nothing');
}
process.stdout.write(JSON.stringify(signed, null, 2) + '\n');
