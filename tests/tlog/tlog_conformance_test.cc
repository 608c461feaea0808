// Runs the transparency-log conformance data in ../shared/conformance:
//   merkle/transparency-dev-merkle/testdata/{inclusion,consistency}: every
//     vector must verify exactly when wantErr is false (RFC 9162 §2.1.3.2,
//     §2.1.4.2);
//   merkle/rfc6962-reference-tree.json: roots of every prefix;
//   merkle/signed-notes.json: notes open and re-serialize byte-exactly;
//   specs/c2sp/*.md: the complete examples in the C2SP specs.
// Prints the counts; 100% is required.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "credstack/base/bytes.h"
#include "credstack/json/json.h"
#include "credstack/tlog/checkpoint.h"
#include "credstack/tlog/cosignature.h"
#include "credstack/tlog/integrator.h"
#include "credstack/tlog/proof.h"
#include "credstack/tlog/testing/reference.h"
#include "tests/testing/conformance.h"

namespace credstack::tlog {
namespace {

namespace fs = std::filesystem;

const fs::path kConformance = ::credstack::testing::ConformanceDir();

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json::Value ReadJson(const fs::path& p) {
  Result<json::Value> v = json::Parse(ReadFile(p));
  CREDSTACK_CHECK_MSG(v.ok(), p.string());
  return *v;
}

std::vector<fs::path> JsonFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".json")
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Bytes B64(const json::Value& v) {
  if (v.is_null()) return {};
  Result<Bytes> b = Base64Decode(v.as_string());
  CREDSTACK_CHECK(b.ok());
  return *b;
}

std::vector<Bytes> B64List(const json::Value& v) {
  std::vector<Bytes> out;
  if (v.is_null()) return out;
  for (const json::Value& e : v.as_array()) out.push_back(B64(e));
  return out;
}

std::vector<ByteView> Views(const std::vector<Bytes>& list) {
  return std::vector<ByteView>(list.begin(), list.end());
}

uint64_t U64(const json::Value& v) {
  return v.is_uint64() ? v.as_uint64() : static_cast<uint64_t>(v.as_int64());
}

TEST(TransparencyDevMerkle, InclusionVectors) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  const auto files = JsonFiles(
      kConformance / "merkle/transparency-dev-merkle/testdata/inclusion");
  size_t pass = 0;
  for (const fs::path& f : files) {
    const json::Object o = ReadJson(f).as_object();
    const std::vector<Bytes> proof = B64List(o.at("proof"));
    const std::vector<ByteView> views = Views(proof);
    const Status s =
        VerifyInclusion(U64(o.at("leafIdx")), U64(o.at("treeSize")),
                        B64(o.at("leafHash")), views, B64(o.at("root")));
    const bool want_err = o.at("wantErr").as_bool();
    if (s.ok() == !want_err) {
      ++pass;
    } else {
      ADD_FAILURE() << f << ": wantErr=" << want_err << " got " << s.ToString();
    }
  }
  std::printf("[conformance] merkle inclusion vectors: %zu/%zu pass\n", pass,
              files.size());
  EXPECT_EQ(files.size(), 98u);
  EXPECT_EQ(pass, files.size());
}

TEST(TransparencyDevMerkle, ConsistencyVectors) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  const auto files = JsonFiles(
      kConformance / "merkle/transparency-dev-merkle/testdata/consistency");
  size_t pass = 0;
  for (const fs::path& f : files) {
    const json::Object o = ReadJson(f).as_object();
    const std::vector<Bytes> proof = B64List(o.at("proof"));
    const std::vector<ByteView> views = Views(proof);
    const Status s =
        VerifyConsistency(U64(o.at("size1")), U64(o.at("size2")), views,
                          B64(o.at("root1")), B64(o.at("root2")));
    const bool want_err = o.at("wantErr").as_bool();
    if (s.ok() == !want_err) {
      ++pass;
    } else {
      ADD_FAILURE() << f << ": wantErr=" << want_err << " got " << s.ToString();
    }
  }
  std::printf("[conformance] merkle consistency vectors: %zu/%zu pass\n", pass,
              files.size());
  EXPECT_EQ(files.size(), 98u);
  EXPECT_EQ(pass, files.size());
}

TEST(Rfc6962ReferenceTree, RootsOfEveryPrefix) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  const json::Object o =
      ReadJson(kConformance / "merkle/rfc6962-reference-tree.json").as_object();
  std::vector<Hash> leaves;
  size_t leaf_pass = 0;
  const json::Array& inputs = o.at("leafInputsHex").as_array();
  const json::Array& hashes = o.at("leafHashesHex").as_array();
  for (size_t i = 0; i < inputs.size(); ++i) {
    Result<Bytes> input = HexDecode(inputs[i].as_string());
    ASSERT_TRUE(input.ok());
    leaves.push_back(HashLeaf(*input));
    if (HexEncode(leaves.back()) == hashes[i].as_string()) ++leaf_pass;
  }
  size_t root_pass = 0;
  const json::Array& roots = o.at("roots").as_array();
  for (const json::Value& r : roots) {
    const uint64_t n = U64(r.at("treeSize"));
    const std::string want(r.at("rootHex").as_string());
    TileIntegrator integrator;
    ASSERT_TRUE(integrator.Append(std::span(leaves).first(n)).ok());
    const bool ok =
        HexEncode(integrator.Root()) == want &&
        HexEncode(testing::ReferenceRoot(std::span(leaves).first(n))) == want;
    if (ok) {
      ++root_pass;
    } else {
      ADD_FAILURE() << "root of size " << n;
    }
  }
  std::printf(
      "[conformance] RFC 6962 reference tree: %zu/%zu leaf hashes, %zu/%zu "
      "roots\n",
      leaf_pass, inputs.size(), root_pass, roots.size());
  EXPECT_EQ(leaf_pass, inputs.size());
  EXPECT_EQ(root_pass, roots.size());
  EXPECT_EQ(roots.size(), 9u);
}

TEST(SignedNotes, OpenVerifyAndReserializeByteExactly) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  const json::Object o =
      ReadJson(kConformance / "merkle/signed-notes.json").as_object();
  size_t notes = 0, notes_pass = 0, sigs = 0, sigs_verified = 0;
  for (const json::Value& nv : o.at("notes").as_array()) {
    const json::Object& n = nv.as_object();
    ++notes;
    std::vector<std::unique_ptr<Ed25519NoteVerifier>> owned;
    std::vector<std::string> vkeys = {
        std::string(n.at("verifierKey").as_string())};
    if (const json::Array* extra =
            json::GetArray(n, "additionalVerifierKeys")) {
      for (const json::Value& k : *extra) vkeys.emplace_back(k.as_string());
    }
    std::vector<const NoteVerifier*> known;
    for (const std::string& vk : vkeys) {
      Result<std::unique_ptr<Ed25519NoteVerifier>> v =
          Ed25519NoteVerifier::FromVerifierKey(vk);
      ASSERT_TRUE(v.ok()) << vk << ": " << v.status().ToString();
      EXPECT_EQ((*v)->verifier_key(), vk);  // vkey re-encodes byte-exactly
      known.push_back(v->get());
      owned.push_back(std::move(*v));
    }
    const std::string msg(n.at("signedNote").as_string());
    const std::string body(n.at("body").as_string());
    const size_t listed = n.at("signatures").as_array().size();
    sigs += listed;
    Result<OpenedNote> opened = OpenNote(msg, known);
    ASSERT_TRUE(opened.ok())
        << n.at("name") << ": " << opened.status().ToString();
    sigs_verified += opened->verified.size();
    bool ok = opened->note.text == body && opened->verified.size() == listed &&
              FormatNote(opened->note) == msg;
    // Each listed signature line appears verbatim.
    for (const json::Value& line : n.at("signatures").as_array()) {
      ok = ok &&
           msg.find(std::string(line.as_string()) + "\n") != std::string::npos;
    }
    if (const auto skey = json::GetString(n, "signerKey")) {
      // Ed25519 is deterministic: signing the body reproduces the signature.
      Result<std::unique_ptr<Ed25519NoteSigner>> signer =
          Ed25519NoteSigner::FromSignerKey(*skey);
      ASSERT_TRUE(signer.ok());
      EXPECT_EQ((*signer)->verifier_key(), vkeys[0]);
      const NoteSigner* signers[] = {signer->get()};
      Result<std::string> resigned = SignNote(body, signers);
      ASSERT_TRUE(resigned.ok());
      const std::string first_line(
          n.at("signatures").as_array()[0].as_string());
      EXPECT_EQ(*resigned, body + "\n" + first_line + "\n");
      ok = ok && *resigned == body + "\n" + first_line + "\n";
    }
    if (const json::Object* cpj = json::GetObject(n, "checkpoint")) {
      const std::string origin(cpj->at("origin").as_string());
      Result<OpenedCheckpoint> cp = OpenCheckpoint(msg, origin, *known[0]);
      ASSERT_TRUE(cp.ok()) << cp.status().ToString();
      EXPECT_EQ(cp->checkpoint.size, U64(cpj->at("size")));
      EXPECT_EQ(Base64Encode(cp->checkpoint.root),
                cpj->at("rootHashBase64").as_string());
      EXPECT_TRUE(cp->checkpoint.extensions.empty());
      ok = ok && cp->checkpoint.size == U64(cpj->at("size")) &&
           *FormatCheckpoint(cp->checkpoint) == body;
    }
    // Any change to the text breaks the signatures.
    std::string tampered = msg;
    tampered[0] ^= 0x01;
    EXPECT_FALSE(OpenNote(tampered, known).ok());
    if (ok) {
      ++notes_pass;
    } else {
      ADD_FAILURE() << n.at("name");
    }
  }
  std::printf(
      "[conformance] signed notes: %zu/%zu notes, %zu/%zu signatures "
      "verified\n",
      notes_pass, notes, sigs_verified, sigs);
  EXPECT_EQ(notes_pass, notes);
  EXPECT_EQ(sigs_verified, sigs);
  EXPECT_EQ(notes, 2u);
}

// Fenced ``` blocks of a Markdown file, in order.
std::vector<std::string> CodeBlocks(const std::string& md) {
  std::vector<std::string> blocks;
  size_t pos = 0;
  for (;;) {
    size_t open = md.find("```", pos);
    if (open == std::string::npos) break;
    size_t start = md.find('\n', open) + 1;
    size_t close = md.find("\n```", start);
    if (close == std::string::npos) break;
    blocks.push_back(md.substr(start, close - start + 1));
    pos = close + 4;
  }
  return blocks;
}

TEST(C2spSpecExamples, SignedNoteExampleVerifies) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  const std::string md = ReadFile(kConformance / "specs/c2sp/signed-note.md");
  // "The following verifier key ... verifies the following signed note":
  // the indented line of the form <name>+<8 hex digits>+<base64>.
  std::string vkey;
  std::istringstream lines(md);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("    ", 0) != 0) continue;
    const std::string candidate = line.substr(4);
    const size_t p1 = candidate.find('+');
    if (p1 == std::string::npos || candidate.size() < p1 + 10 ||
        candidate[p1 + 9] != '+') {
      continue;
    }
    const std::string id = candidate.substr(p1 + 1, 8);
    if (id.find_first_not_of("0123456789abcdef") == std::string::npos) {
      vkey = candidate;
    }
  }
  ASSERT_FALSE(vkey.empty()) << "no verifier key example in signed-note.md";
  Result<std::unique_ptr<Ed25519NoteVerifier>> v =
      Ed25519NoteVerifier::FromVerifierKey(vkey);
  ASSERT_TRUE(v.ok()) << vkey << ": " << v.status().ToString();
  const std::vector<std::string> blocks = CodeBlocks(md);
  const std::string& example = blocks.back();
  const NoteVerifier* known[] = {v->get()};
  Result<OpenedNote> opened = OpenNote(example, known);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->note.text, "This is an example message.\n");
  EXPECT_EQ(FormatNote(opened->note), example);
  // The first example (no key published) is at least well-formed.
  Result<Note> first = ParseNote(blocks.front());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(FormatNote(*first), blocks.front());
  std::printf("[conformance] signed-note.md: example verifies with %s\n",
              vkey.c_str());
}

TEST(C2spSpecExamples, CheckpointAndCosignatureExamples) {
  CREDSTACK_REQUIRE_CONFORMANCE();
  const std::string cp_md =
      ReadFile(kConformance / "specs/c2sp/tlog-checkpoint.md");
  const std::string cp_note = CodeBlocks(cp_md).at(0);
  Result<Note> note = ParseNote(cp_note);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_EQ(FormatNote(*note), cp_note);
  Result<Checkpoint> cp = ParseCheckpoint(note->text);
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  EXPECT_EQ(cp->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(cp->size, 20852163u);
  EXPECT_EQ(*FormatCheckpoint(*cp), note->text);

  const std::string cs_md =
      ReadFile(kConformance / "specs/c2sp/tlog-cosignature.md");
  const std::string cs_note = CodeBlocks(cs_md).at(0);
  Result<Note> cosigned = ParseNote(cs_note);
  ASSERT_TRUE(cosigned.ok()) << cosigned.status().ToString();
  ASSERT_EQ(cosigned->signatures.size(), 2u);
  EXPECT_EQ(FormatNote(*cosigned), cs_note);
  Result<uint64_t> ts = CosignatureTimestamp(cosigned->signatures[1].signature);
  ASSERT_TRUE(ts.ok()) << ts.status().ToString();
  // The indented "Ed25519 signed message" example is the message our code
  // builds for that checkpoint and that timestamp.
  const size_t at = cs_md.find("    cosignature/v1\n");
  ASSERT_NE(at, std::string::npos);
  std::string message;
  for (size_t pos = at;
       pos < cs_md.size() && cs_md.compare(pos, 4, "    ") == 0;) {
    size_t nl = cs_md.find('\n', pos);
    message += cs_md.substr(pos + 4, nl - pos - 4) + "\n";
    pos = nl + 1;
  }
  EXPECT_EQ(CosignatureMessage(cosigned->text, *ts), message);
  std::printf(
      "[conformance] tlog-checkpoint.md / tlog-cosignature.md examples: "
      "parsed, "
      "re-serialized byte-exactly, cosignature time %llu matches the message "
      "example\n",
      static_cast<unsigned long long>(*ts));
}

}  // namespace
}  // namespace credstack::tlog
