// Generates Open Badges 3.0 credentials in varied shapes, signed by
// credstack with eddsa-rdfc-2022, plus the signed status list they point
// to, as labelled JSON Lines for a verifier:
//   gen_credentials OUT_DIR [COUNT]
// writes OUT_DIR/credentials.jsonl ({"id","expect","reason","credential"})
// and OUT_DIR/status/revocation-1.json. Deterministic (fixed seed), so a
// failure reproduces.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "credstack/base/rng.h"
#include "credstack/crypto/multikey.h"
#include "credstack/status/allocator.h"
#include "credstack/status/bitstring.h"
#include "credstack/status/encoded_list.h"
#include "credstack/status/status_list.h"
#include "credstack/vc/data_integrity.h"
#include "credstack/vc/open_badges.h"

namespace cs = credstack;

namespace {

const char* kListUrl = "https://issuer.credstack.test/status/revocation/1";

// Names and texts from many scripts, with the characters that trip
// canonicalizers: astral letters, U+E000-U+FFFF (full-width), ZWJ emoji,
// NFD combining marks, quotes, backslashes, controls, zero-width space.
const std::vector<std::string> kNames = {
    "Data Analysis 101",
    "数据分析入门",
    "تحليل البيانات",
    "Анализ данных",
    "👩‍💻 Coding for Everyone",
    "𝔇𝔞𝔱𝔞 𝔖𝔠𝔦𝔢𝔫𝔠𝔢",
    "Cafe\u0301 Management",
    "Quotes \"and\" back\\slashes",
    "Tabs\tand\nnewlines",
    "Control \u0001\u001f chars",
    "Zero\u200bwidth",
    "ＦＵＬＬＷＩＤＴＨ 😀 mixed",
    "日本語とEmoji🎓と全角Ｘ",
    "한국어 데이터 과학",
    "ελληνικά δεδομένα",
    "עברית נתונים",
    "हिन्दी डेटा",
    "ไทย ข้อมูล",
    "Private use \ue000 and 🙂",
    "\ufffd replacement and 𐍈 gothic",
};

std::string LongText(cs::Rng& rng) {
  std::string out;
  size_t n = 500 + rng.Uniform(5500);
  const char* words[] = {"learner ", "skill ", "évaluation ", "能力 ", "👍 ", "criteria ", "\"q\" ", "x\\y "};
  while (out.size() < n) out += words[rng.Uniform(8)];
  return out;
}

cs::json::Value Number(cs::Rng& rng) {
  switch (rng.Uniform(8)) {
    case 0: return cs::json::Value(int64_t{3});
    case 1: return cs::json::Value(2.5);
    case 2: return cs::json::Value(0.1);
    case 3: return cs::json::Value(1.5e-7);
    case 4: return cs::json::Value(1234.5678);
    case 5: return cs::json::Value(1e21);
    case 6: return cs::json::Value(0.333333333333);
    default: return cs::json::Value(int64_t{120});
  }
}

cs::json::Object Alignment(cs::Rng& rng, int i) {
  static const char* frameworks[] = {"ESCO", "O*NET", "CASE", "Credential Engine"};
  static const char* types[] = {"ceasn:Competency", "CFItem", "ext:skill", "ceterms:Credential"};
  cs::json::Object a;
  a["type"] = cs::json::Array{"Alignment"};
  a["targetName"] = kNames[rng.Uniform(kNames.size())] + " " + std::to_string(i);
  a["targetUrl"] = "http://data.europa.eu/esco/skill/" + std::to_string(rng.NextU64() % 100000);
  if (rng.Uniform(2)) a["targetFramework"] = frameworks[rng.Uniform(4)];
  if (rng.Uniform(2)) a["targetCode"] = "S" + std::to_string(rng.Uniform(1000));
  if (rng.Uniform(2)) a["targetType"] = types[rng.Uniform(4)];
  if (rng.Uniform(3) == 0) a["targetDescription"] = kNames[rng.Uniform(kNames.size())];
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gen_credentials OUT_DIR [COUNT]\n");
    return 2;
  }
  std::filesystem::path out = argv[1];
  size_t count = argc > 2 ? std::stoul(argv[2]) : 250;
  std::filesystem::create_directories(out / "status");
  cs::DeterministicRng rng(20261129);
  cs::crypto::Ed25519Seed seed{};
  rng.Fill(seed);
  auto key = cs::crypto::Ed25519KeyPair::FromSeed(seed);
  cs::vc::Signer signer = cs::vc::Signer::ForDidKey(key);
  cs::vc::SuiteOptions suite = cs::vc::MakeSuiteOptions(cs::ld::ContextStore::Bundled());
  auto allocated = *cs::status::AllocationBitmap::Create(cs::status::kMinimumEntries);
  auto bits = *cs::status::Bitstring::Create(cs::status::kMinimumEntries, 1);

  std::ofstream lines(out / "credentials.jsonl", std::ios::binary);
  for (size_t i = 0; i < count; ++i) {
    cs::json::Object issuer;
    issuer["id"] = signer.controller;
    issuer["type"] = cs::json::Array{"Profile"};
    issuer["name"] = kNames[rng.Uniform(kNames.size())];
    if (rng.Uniform(2)) issuer["url"] = "https://issuer.credstack.test/";
    if (rng.Uniform(3) == 0) issuer["email"] = "registrar@issuer.credstack.test";

    cs::json::Object achievement;
    achievement["id"] = "https://issuer.credstack.test/achievements/" + std::to_string(i);
    achievement["type"] = cs::json::Array{"Achievement"};
    achievement["name"] = kNames[i % kNames.size()];
    achievement["description"] = rng.Uniform(4) == 0 ? LongText(rng) : kNames[rng.Uniform(kNames.size())];
    cs::json::Object criteria;
    criteria["narrative"] = rng.Uniform(3) == 0 ? LongText(rng) : "Passed the assessment.";
    achievement["criteria"] = criteria;
    size_t n_align = rng.Uniform(4);
    if (n_align) {
      cs::json::Array al;
      for (size_t k = 0; k < n_align; ++k) al.push_back(Alignment(rng, static_cast<int>(k)));
      achievement["alignment"] = al;
    }
    if (rng.Uniform(2)) achievement["creditsAvailable"] = Number(rng);
    if (rng.Uniform(2)) achievement["achievementType"] = rng.Uniform(2) ? "Certificate" : "Badge";
    // Sibling literals starting with an astral character and with one in
    // U+E000..U+FFFF: canonical N-Quads order differs between RDFC-1.0
    // (code points) and the reference stack (UTF-16 code units).
    if (i % 5 == 0) {
      achievement["tag"] = cs::json::Array{"😀 emoji first", "ＦＵＬＬＷＩＤＴＨ first", "data"};
    } else if (rng.Uniform(3) == 0) {
      achievement["tag"] = cs::json::Array{"data", "数据", "😀"};
    }
    if (rng.Uniform(3) == 0) {
      cs::json::Object image;
      image["id"] = rng.Uniform(2) ? "https://issuer.credstack.test/badge.png"
                                   : "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
      image["type"] = "Image";
      achievement["image"] = image;
    }
    if (rng.Uniform(4) == 0) {
      cs::json::Object rd;
      rd["id"] = "https://issuer.credstack.test/results/" + std::to_string(i);
      rd["type"] = cs::json::Array{"ResultDescription"};
      rd["name"] = "Final grade";
      rd["resultType"] = "LetterGrade";
      rd["allowedValue"] = cs::json::Array{"A", "B", "C"};
      achievement["resultDescription"] = cs::json::Array{rd};
    }

    cs::vc::CredentialInput in;
    in.issuer = issuer;
    in.achievement = achievement;
    if (rng.Uniform(2)) {
      in.recipient = {cs::vc::Recipient::Kind::kEmail, "learner" + std::to_string(i) + "@example.org"};
    } else {
      in.recipient = {cs::vc::Recipient::Kind::kDid, "did:example:learner" + std::to_string(i)};
    }
    in.valid_from = cs::Timestamp::FromUnixSeconds(1700000000 + static_cast<int64_t>(i) * 3600);
    if (rng.Uniform(4) == 0) in.valid_from.unix_micros += 123000;  // fractional seconds
    if (rng.Uniform(2)) in.valid_until = cs::Timestamp::FromUnixSeconds(4102444800);  // 2100
    if (rng.Uniform(2)) in.awarded_date = in.valid_from;
    in.credential_id = "urn:uuid:00000000-0000-4000-8000-" + std::to_string(100000000000 + i);
    if (rng.Uniform(3) == 0) {
      cs::json::Object ev;
      ev["id"] = "https://issuer.credstack.test/evidence/" + std::to_string(i);
      ev["type"] = cs::json::Array{"Evidence"};
      ev["narrative"] = kNames[rng.Uniform(kNames.size())];
      if (rng.Uniform(2)) ev["name"] = "Portfolio";
      in.evidence = cs::json::Array{ev};
    }
    if (achievement.contains("resultDescription")) {
      cs::json::Object result;
      result["type"] = cs::json::Array{"Result"};
      result["resultDescription"] = "https://issuer.credstack.test/results/" + std::to_string(i);
      result["value"] = "A";
      in.results = cs::json::Array{result};
    }
    bool with_status = rng.Uniform(5) != 0;
    bool revoked = false;
    if (with_status) {
      uint64_t index = *cs::status::AllocateIndex(allocated, rng);
      revoked = rng.Uniform(10) == 0;
      if (revoked) (void)bits.Set(index, 1);
      in.credential_status = *cs::status::BuildStatusListEntry(
          {.purpose = "revocation", .index = index, .list_credential = kListUrl});
    }
    auto vc = cs::vc::BuildOpenBadgeCredential(in, rng);
    if (!vc.ok()) {
      std::fprintf(stderr, "credential %zu: %s\n", i, vc.error().ToString().c_str());
      return 1;
    }
    cs::vc::ProofOptions po;
    po.created = in.valid_from;
    auto signed_vc = cs::vc::AddProof(*vc, signer, po, suite);
    if (!signed_vc.ok()) {
      std::fprintf(stderr, "credential %zu: %s\n", i, signed_vc.error().ToString().c_str());
      return 1;
    }
    cs::json::Object line;
    line["id"] = "credstack-" + std::to_string(i);
    line["expect"] = revoked ? "invalid" : "valid";
    line["reason"] = revoked ? "revoked in credstack" : "issued by credstack";
    line["credential"] = *signed_vc;
    lines << cs::json::Serialize(line) << "\n";
  }

  // VC 1.1 credentials (the W3C interoperability suites still send them):
  // Data Integrity context added, issuanceDate instead of validFrom.
  for (size_t i = 0; i < 10; ++i) {
    cs::json::Object vc;
    vc["@context"] = cs::json::Array{"https://www.w3.org/2018/credentials/v1",
                                     "https://w3id.org/security/data-integrity/v2"};
    vc["id"] = "urn:uuid:11111111-0000-4000-8000-" + std::to_string(100000000000 + i);
    vc["type"] = cs::json::Array{"VerifiableCredential"};
    vc["issuer"] = signer.controller;
    vc["issuanceDate"] = "2024-01-0" + std::to_string(1 + i % 9) + "T00:00:00Z";
    cs::json::Object subject;
    subject["id"] = "did:example:v1-learner" + std::to_string(i);
    vc["credentialSubject"] = subject;
    auto signed_vc = cs::vc::AddProof(vc, signer, {.created = cs::Timestamp::FromUnixSeconds(1704067200)}, suite);
    if (!signed_vc.ok()) {
      std::fprintf(stderr, "VC 1.1 credential %zu: %s\n", i, signed_vc.error().ToString().c_str());
      return 1;
    }
    cs::json::Object line;
    line["id"] = "credstack-vc11-" + std::to_string(i);
    line["expect"] = "valid";
    line["reason"] = "VC 1.1 issued by credstack";
    line["credential"] = *signed_vc;
    lines << cs::json::Serialize(line) << "\n";
  }

  cs::status::StatusListCredentialOptions lo;
  lo.id = kListUrl;
  lo.issuer = cs::json::Value(signer.controller);
  lo.purposes = {"revocation"};
  lo.encoded_list = *cs::status::EncodeList(bits);
  lo.valid_from = cs::Timestamp::FromUnixSeconds(1700000000);
  auto list = cs::status::BuildStatusListCredential(lo);
  auto signed_list = cs::vc::AddProof(list->as_object(), signer,
                                      {.created = cs::Timestamp::FromUnixSeconds(1700000000)}, suite);
  if (!signed_list.ok()) {
    std::fprintf(stderr, "status list: %s\n", signed_list.error().ToString().c_str());
    return 1;
  }
  std::ofstream(out / "status" / "revocation-1.json") << cs::json::Serialize(*signed_list) << "\n";
  std::printf("wrote %zu credentials (+10 VC 1.1) to %s\n", count, (out / "credentials.jsonl").c_str());
  return 0;
}
