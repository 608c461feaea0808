#!/usr/bin/env python3
"""Writes interop-inputs.jsonl: the public fixtures' credentials plus tricky
documents (numbers, language tags, strings, @json, lists, safe-mode cases).
gen_jsonldjs.mjs turns it into interop-expected.jsonl with the reference
jsonld.js; interop_test.cc checks credstack::ld::ToRdf against that."""
import copy, json, sys

fixtures = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/interop/fixtures/fixtures.jsonl'
out = [{"id": f["id"], "doc": f["credential"]} for f in map(json.loads, open(fixtures))]
V2 = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
EX = "https://example.org/vocab#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS = {t: EX + t for t in ["score", "scores", "motto", "note", "friend", "whatever", "k"]}
TERMS.update({
    "data": {"@id": EX + "data", "@type": "@json"},
    "steps": {"@id": EX + "steps", "@container": "@list"},
    "labels": {"@id": EX + "labels", "@container": "@language"},
    "d1": {"@id": EX + "d1", "@type": XSD + "double"},
    "d2": {"@id": EX + "d2", "@type": XSD + "double"},
    "d3": {"@id": EX + "d3", "@type": XSD + "double"},
    "d4": {"@id": EX + "d4", "@type": XSD + "double"},
    "d5": {"@id": EX + "d5", "@type": XSD + "double"},
    "i1": {"@id": EX + "i1", "@type": XSD + "integer"},
})

def cred(subject_extra=None, ctx=TERMS, **top):
    c = {"@context": [V2, OB] + ([ctx] if ctx else []),
         "id": "urn:uuid:2f1c8c52-1f3b-4a55-9a0e-0d3c1f2a9b77",
         "type": ["VerifiableCredential", "OpenBadgeCredential"],
         "issuer": {"id": "did:key:z6MkoFKXYVuFuKfKCkYqQ2LGrJvAuxWec6aHnvpa6WNJqny4",
                    "type": ["Profile"], "name": "Example"},
         "validFrom": "2024-01-01T00:00:00Z",
         "name": "Badge",
         "credentialSubject": {"type": ["AchievementSubject"],
                               "achievement": {"id": "https://example.edu/a/1", "type": ["Achievement"],
                                               "name": "A", "criteria": {"narrative": "n"},
                                               "description": "d"}}}
    if subject_extra:
        c["credentialSubject"].update(subject_extra)
    c.update(top)
    return c

nums = [2.5, 1.5e-7, 1e-7, -1e-7, 1e21, 1e20, 123456789012345678, 0.1, 5, -0.0, 0, 0.000001, 1e-6,
        9007199254740993, 333333333.33333329, 4.35, 100, 1.0, -2.5e-300, 1.7976931348623157e308,
        5e-324, 0.30000000000000004, 123.456, 3e-7, 2**53, 12345678901234567890, 0.5, 1.25e-5, 7e-7]
for i, n in enumerate(nums):
    out.append({"id": f"number-{i}", "doc": cred({"score": n})})
out.append({"id": "numbers-array", "doc": cred({"scores": nums})})
out.append({"id": "integer-typed", "doc": cred({"i1": 2.5})})
out.append({"id": "lang-upper", "doc": cred({"motto": {"@value": "Hallo Welt", "@language": "de-DE"}})})
out.append({"id": "lang-map", "doc": cred({"labels": {"EN-GB": "Colour", "fr": ["Couleur", None]}})})
out.append({"id": "lang-bad", "doc": cred({"motto": {"@value": "x", "@language": "not a tag"}})})
out.append({"id": "direction", "doc": cred({"motto": {"@value": "مرحبا", "@language": "ar", "@direction": "rtl"}})})
out.append({"id": "strings", "doc": cred({"note": "tab\there \"quoted\" back\\slash \u0001\u001f\u007f é 中文 😀 \ue000 \U0001F600\ufffd line\nbreak\r"})})
out.append({"id": "json-literal", "doc": cred({"data": {"b": [1, 2.5, "x", None, True, {"z": 1, "a": "\u20ac"}], "a": 1e-7}})})
out.append({"id": "list", "doc": cred({"steps": ["a", "b", {"id": "https://example.org/x"}, 3, []]})})
out.append({"id": "xsd-double-string", "doc": cred({"d1": "1.50", "d2": "abc", "d3": "  12e3xyz", "d4": "Infinity", "d5": 3})})
out.append({"id": "relative-id", "doc": cred(id="credentials/1")})
out.append({"id": "relative-type", "doc": cred(type=["VerifiableCredential", "OpenBadgeCredential", "./Rel"])})
out.append({"id": "undefined-term", "doc": cred({"undefinedTerm": "x"})})
out.append({"id": "defined-terms-nested", "doc": cred({"whatever": "x", "friend": {"type": "Profile", "k": 1}})})
out.append({"id": "empty-object-value", "doc": cred({"friend": [{}]})})
out.append({"id": "blank-ids", "doc": cred({"id": "_:subject1", "friend": {"id": "_:subject1"}})})
out.append({"id": "reserved-at-term", "doc": cred({"@foo": "bar"})})
out.append({"id": "null-values", "doc": cred({"note": None, "achievement": {"id": "https://example.edu/a/2", "type": ["Achievement"], "name": None, "criteria": {"narrative": "n"}}})})
v1 = {"@context": ["https://www.w3.org/2018/credentials/v1", {"alumniOf": EX + "alumniOf", "name": EX + "name"}],
      "id": "http://example.edu/credentials/1872", "type": ["VerifiableCredential"],
      "issuer": "https://example.edu/issuers/565049", "issuanceDate": "2010-01-01T19:23:24Z",
      "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
                            "alumniOf": {"id": "did:example:c276e12ec21ebfeb1f712ebc6f1", "name": "Example University"}}}
out.append({"id": "vc11-alumni", "doc": v1})
v1b = copy.deepcopy(v1)
v1b["credentialSubject"]["undefinedTerm"] = "x"
out.append({"id": "vc11-undefined-term", "doc": v1b})
out.append({"id": "unknown-context", "doc": {"@context": [V2, "https://example.org/unknown-context"], "type": ["VerifiableCredential"]}})
ob301 = cred(ctx=None)
ob301["@context"] = [V2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json"]
out.append({"id": "ob-3-0-1-context", "doc": ob301})
out.append({"id": "proof-graph", "doc": dict(cred(), proof={"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2024-01-01T00:00:00Z", "verificationMethod": "did:key:z6Mk#z6Mk", "proofPurpose": "assertionMethod", "proofValue": "z123"})})
out.append({"id": "protected-override", "doc": cred(ctx={"name": EX + "name"})})
out.append({"id": "alignment-many", "doc": cred({"achievement": {"id": "https://example.edu/a/3", "type": ["Achievement"], "name": "A", "criteria": {"narrative": "n"}, "alignment": [{"type": ["Alignment"], "targetName": f"t{i}", "targetUrl": f"https://example.org/{i}", "targetType": "ceasn:Competency"} for i in range(5)]}})})
out.append({"id": "results", "doc": cred({"result": [{"type": ["Result"], "value": "A", "status": "Completed", "achievedLevel": "https://example.org/l1"}]})})
with open('interop-inputs.jsonl', 'w') as f:
    for o in out:
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
