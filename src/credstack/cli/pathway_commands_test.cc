#include "credstack/cli/pathway_commands.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "credstack/cli/commands.h"
#include "credstack/json/json.h"

namespace credstack::cli {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exit = -1;
  std::string out, err;
};

// Runs `credstack ARGS...` through a fresh CLI::App, as main() would.
CliRun Credstack(std::vector<std::string> args) {
  CLI::App app("credstack");
  app.require_subcommand(1);
  AddPathwayCommands(app);
  args.insert(args.begin(), "credstack");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  CliRun r;
  ExitCode() = 0;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
    r.exit = ExitCode();
  } catch (const CLI::ParseError& e) {
    r.exit = app.exit(e, out, err) == 0 ? 0 : 2;  // as RunCli does
  }
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

class PathwayCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("credstack_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    Write("catalog.json", R"({
      "issuers": [{"id": "did:web:uni.example", "name": "Uni", "trusted": true}],
      "achievements": [
        {"id": "read", "name": "Reading at work", "issuer": "did:web:uni.example", "hours": 6,
         "alignment": [{"targetCode": "2.A.1.a", "targetFramework": "O*NET"}]},
        {"id": "talk", "name": "Listening and speaking", "issuer": "did:web:uni.example", "hours": 8,
         "alignment": [{"targetCode": "2.A.1.b"}, {"targetCode": "2.A.1.d"}]},
        {"id": "math", "name": "Applied maths", "issuer": "did:web:mooc.example", "hours": 12, "price": 49,
         "alignment": [{"targetCode": "2.A.1.e"}]},
        {"id": "prog", "name": "Programming I", "issuer": "did:web:mooc.example", "hours": 40, "credits": 5,
         "prerequisites": ["math"],
         "alignment": [{"targetCode": "2.B.3.e"}, {"targetCode": "2.A.2.a"}, {"targetCode": "2.C.3.a"}]},
        {"id": "write", "name": "Business writing", "issuer": "did:web:uni.example", "hours": 5,
         "alignment": [{"targetCode": "2.A.1.c"}, {"targetCode": "2.C.1.e"}]}
      ]})");
    Write("pathway.json", R"({"id": "urn:pw:dev", "name": "Junior developer",
      "rule": {"type": "allOf", "rules": [
        {"type": "achievement", "id": "prog"},
        {"type": "nOf", "n": 1, "rules": [{"type": "achievement", "id": "read"},
                                          {"type": "achievement", "id": "write"}]}]}})");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  std::string P(const std::string& name) const {
    return (dir_ / name).string();
  }
  std::string Onet() const {
    return std::string(CREDSTACK_SOURCE_DIR) + "/tests/testdata/onet";
  }
  fs::path dir_;
};

TEST_F(PathwayCli, ImportsAndWritesSnapshot) {
  CliRun r = Credstack({"skills", "import", "--format", "onet", Onet(), "--out",
                        P("onet.json")});
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.out.find("skills:          11"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("occupations:     4"), std::string::npos) << r.out;
  ASSERT_TRUE(fs::exists(P("onet.json")));
  // The snapshot loads as a framework for planning.
  r = Credstack({"path", "recommend", "--catalog", P("catalog.json"),
                 "--framework", P("onet.json"), "--target",
                 "Software Developers", "--json"});
  ASSERT_EQ(r.exit, 0) << r.err;
  auto v = json::Parse(r.out);
  ASSERT_TRUE(v.ok()) << r.out;
  EXPECT_EQ(v->at("status").as_string(), "optimal");
  EXPECT_EQ(std::string(v->at("source").as_string()).substr(0, 14),
            "O*NET Database");
}

TEST_F(PathwayCli, ImportErrorsExitTwo) {
  CliRun r = Credstack({"skills", "import", "--format", "esco", Onet()});
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("credstack: cannot open"), std::string::npos) << r.err;
  fs::create_directories(dir_ / "bad");
  Write("bad/Occupation Data.txt", "O*NET-SOC Code\tTitle\n1\tX\n");
  Write("bad/Skills.txt",
        "O*NET-SOC Code\tElement ID\tElement Name\tScale ID\tData "
        "Value\n1\t2.A\tR\tXX\t1\n");
  r = Credstack({"skills", "import", P("bad")});
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("Skills.txt:2:"), std::string::npos) << r.err;
}

TEST_F(PathwayCli, RecommendsOrderedPlan) {
  CliRun r = Credstack({"path", "recommend", "--catalog", P("catalog.json"),
                        "--framework", Onet(), "--target", "15-1252.00",
                        "--have", "Reading Comprehension"});
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.out.find("Software Developers"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Status: optimal"), std::string::npos) << r.out;
  // math is a prerequisite of prog and comes first.
  EXPECT_LT(r.out.find("Applied maths"), r.out.find("Programming I"));
  EXPECT_NE(r.out.find("prerequisite of: prog"), std::string::npos);
  EXPECT_EQ(r.out.find("Reading at work"), std::string::npos) << "already held";
  r = Credstack({"path", "recommend", "--catalog", P("catalog.json"), "--need",
                 "2.A.1.c,2.A.1.b", "--greedy"});
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.out.find("Status: greedy"), std::string::npos) << r.out;
}

TEST_F(PathwayCli, InfeasibleAndBadInput) {
  CliRun r = Credstack({"path", "recommend", "--catalog", P("catalog.json"),
                        "--need", "2.A.1.c,9.Z"});
  EXPECT_EQ(r.exit, 1);
  EXPECT_NE(r.out.find("No achievement in the catalog teaches:\n  - 9.Z"),
            std::string::npos)
      << r.out;
  r = Credstack({"path", "recommend", "--catalog", P("catalog.json"),
                 "--learner", "l1", "--need", "x"});
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("--learner needs --server URL"),
            std::string::npos)
      << r.err;
  Write(
      "cyclic.json",
      R"({"achievements":[{"id":"a","prerequisites":["b"]},{"id":"b","prerequisites":["a"]}]})");
  r = Credstack(
      {"path", "recommend", "--catalog", P("cyclic.json"), "--need", "x"});
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("cyclic prerequisites: a -> b -> a"), std::string::npos)
      << r.err;
  r = Credstack({"path", "recommend", "--catalog", P("catalog.json"),
                 "--framework", Onet(), "--need", "nope"});
  EXPECT_EQ(r.exit, 2);
  r = Credstack({"path", "recommend", "--catalog", P("catalog.json"),
                 "--target", "x", "--need", "y"});
  EXPECT_NE(r.exit, 0);
}

TEST_F(PathwayCli, PathwayProgressAndFinish) {
  CliRun r = Credstack({"pathway", "progress", "--pathway", P("pathway.json"),
                        "--have", "read", "--catalog", P("catalog.json")});
  EXPECT_EQ(r.exit, 1) << r.err;
  EXPECT_NE(r.out.find("not satisfied yet"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[ ] achievement prog"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Cheapest way to finish"), std::string::npos) << r.out;
  EXPECT_LT(r.out.find("Applied maths"), r.out.find("Programming I"));
  r = Credstack({"pathway", "progress", "--pathway", P("pathway.json"),
                 "--have", "math,prog,write", "--json"});
  EXPECT_EQ(r.exit, 0) << r.err;
  auto v = json::Parse(r.out);
  ASSERT_TRUE(v.ok()) << r.out;
  EXPECT_TRUE(v->at("satisfied").as_bool());
  Write("badpw.json",
        R"({"id":"p","rule":{"type":"nOf","n":1,"rules":[{"type":"x"}]}})");
  r = Credstack(
      {"pathway", "progress", "--pathway", P("badpw.json"), "--have", "a"});
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("$.rule.rules[0].type: unknown rule type"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace credstack::cli
