#include "credstack/server/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

namespace credstack::server {
namespace {

using std::chrono::milliseconds;

GetEnvFn Env(std::map<std::string, std::string> vars) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(vars);
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

TEST(ServerConfig, DefaultsMatchTheDocumentation) {
  Result<ServerConfig> c = LoadServerConfig({}, Env({}));
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->listen_host, "127.0.0.1");
  EXPECT_EQ(c->listen_port, 8080);
  EXPECT_EQ(c->data_dir, "./data");
  EXPECT_EQ(c->database_url, "./data/credstack.db");
  EXPECT_EQ(c->log_level, "info");
  EXPECT_EQ(c->max_body, 1024u * 1024);
  EXPECT_GE(c->workers, 2);
  EXPECT_TRUE(c->tls_cert.empty());
  // Every option's documented default parses.
  for (const ConfigOption& o : ConfigOptions()) {
    if (o.default_text.empty() || o.name == "database") continue;
    ServerConfig d;
    EXPECT_TRUE(ApplyConfigValue(d, o.name, o.default_text).ok()) << o.name;
  }
}

TEST(ServerConfig, PrecedenceFileThenEnvThenFlags) {
  std::string path = ::testing::TempDir() + "/credstack_test.conf";
  {
    std::ofstream f(path);
    f << "# comment\n\nlisten = 0.0.0.0:9000\ndata = \"/srv/cred\"\n"
         "log-level=debug\nmax-body = 2MiB\n";
  }
  Result<ServerConfig> c =
      LoadServerConfig({{"config", path}, {"log-level", "error"}},
                       Env({{"CREDSTACK_LISTEN", "127.0.0.1:9100"},
                            {"CREDSTACK_LOG_LEVEL", "warn"}}));
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->listen_port, 9100);      // env beats file
  EXPECT_EQ(c->data_dir, "/srv/cred");  // file beats default
  EXPECT_EQ(c->log_level, "error");     // flag beats env
  EXPECT_EQ(c->max_body, 2u * 1024 * 1024);
  EXPECT_EQ(c->database_url, "/srv/cred/credstack.db");
  EXPECT_EQ(c->config_file, path);
  std::remove(path.c_str());
}

TEST(ServerConfig, ConfigFileFromEnvironment) {
  std::string path = ::testing::TempDir() + "/credstack_env.conf";
  {
    std::ofstream f(path);
    f << "workers = 3\n";
  }
  Result<ServerConfig> c =
      LoadServerConfig({}, Env({{"CREDSTACK_CONFIG", path}}));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->workers, 3);
  std::remove(path.c_str());
}

TEST(ServerConfig, ErrorsNameTheOptionAndLine) {
  ServerConfig c;
  Status s = ApplyConfigText(c, "listen = 1.2.3.4:80\nbogus = 1\n", "f.conf");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("f.conf:2"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("bogus"), std::string::npos);
  s = ApplyConfigText(c, "max-body = lots\n", "f.conf");
  EXPECT_NE(s.message().find("max-body"), std::string::npos) << s.message();
  s = ApplyConfigText(c, "no equals sign\n", "f.conf");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  Result<ServerConfig> r =
      LoadServerConfig({}, Env({{"CREDSTACK_WORKERS", "-1"}}));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("CREDSTACK_WORKERS"), std::string::npos);
  EXPECT_EQ(LoadServerConfig({{"config", "/nonexistent/x.conf"}}, Env({}))
                .error()
                .code(),
            Code::kNotFound);
  EXPECT_EQ(LoadServerConfig({{"tls-cert", "a.pem"}}, Env({})).error().code(),
            Code::kInvalidArgument);
}

TEST(ParseListenAddress, Forms) {
  auto a = ParseListenAddress("127.0.0.1:8080");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  a = ParseListenAddress("[::1]:443");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->host, "::1");
  a = ParseListenAddress(":0");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->host, "0.0.0.0");
  EXPECT_FALSE(ParseListenAddress("localhost").has_value());
  EXPECT_FALSE(ParseListenAddress("h:70000").has_value());
  EXPECT_FALSE(ParseListenAddress("::1:80").has_value());
  EXPECT_FALSE(ParseListenAddress("[::1]80").has_value());
}

TEST(ParseDuration, Units) {
  EXPECT_EQ(*ParseDuration("250ms"), milliseconds(250));
  EXPECT_EQ(*ParseDuration("10s"), milliseconds(10'000));
  EXPECT_EQ(*ParseDuration("1.5"), milliseconds(1'500));
  EXPECT_EQ(*ParseDuration("2m"), milliseconds(120'000));
  EXPECT_EQ(*ParseDuration("1h"), milliseconds(3'600'000));
  EXPECT_FALSE(ParseDuration("10 parsecs").has_value());
  EXPECT_FALSE(ParseDuration("").has_value());
  EXPECT_FALSE(ParseDuration("1000h").has_value());
}

TEST(ParseByteSize, Units) {
  EXPECT_EQ(*ParseByteSize("512"), 512u);
  EXPECT_EQ(*ParseByteSize("64KiB"), 64u * 1024);
  EXPECT_EQ(*ParseByteSize("1mib"), 1024u * 1024);
  EXPECT_EQ(*ParseByteSize("10MB"), 10'000'000u);
  EXPECT_EQ(*ParseByteSize("1k"), 1024u);
  EXPECT_FALSE(ParseByteSize("1.5MiB").has_value());
  EXPECT_FALSE(ParseByteSize("99999999999GiB").has_value());
  EXPECT_FALSE(ParseByteSize("MiB").has_value());
}

TEST(ServerConfig, RateLimits) {
  ServerConfig c;
  ASSERT_TRUE(ApplyConfigValue(c, "rate-limit-ip", "10:30").ok());
  EXPECT_EQ(c.ip_rate.rate, 10);
  EXPECT_EQ(c.ip_rate.burst, 30);
  ASSERT_TRUE(ApplyConfigValue(c, "rate-limit-key", "0").ok());
  EXPECT_EQ(c.key_rate.rate, 0);
  EXPECT_FALSE(ApplyConfigValue(c, "rate-limit-ip", "-1").ok());
}

}  // namespace
}  // namespace credstack::server
