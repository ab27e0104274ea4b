// Watched runs: the series a stream fills (train/watched_run.h), where streams come from — a
// Unix socket only this user can use, loopback TCP, a file followed as it grows
// (train/watch_server.h) — and the Session publishing them after its own runs, with a message
// and the run marked disconnected for a bad stream or a silent client.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "train/session.h"
#include "train/watch_server.h"
#include "train/watched_run.h"

namespace gradscope {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::string kHeader =
    R"({"gradscope_stream":1,"name":"Net","log_every":1,)"
    R"("modules":[{"name":"fc1","type":"Linear"},{"name":"act","type":"ReLU","relu":true},)"
    R"({"name":"fc2","type":"Linear"}],)"
    R"("params":[{"name":"fc1.weight","shape":[4,2],"module":0},{"name":"fc1.bias","shape":[4],"module":0},)"
    R"({"name":"fc2.weight","shape":[1,4],"module":2}]})"
    "\n";

std::string record(long step, const std::string& grad = "[0.5,0.25,1]") {
  return R"({"step":)" + std::to_string(step) + R"(,"grad":)" + grad +
         R"(,"ratio":[0.01,null,0.02],"dz":[0.001,null,0.1],"dead":[null,0.25,null],)"
         R"("scalars":{"loss":0.5,"accuracy":0.75}})"
         "\n";
}

TEST(WatchedRun, FillsTheSeriesARunFills) {
  WatchedRun run(7, "test", Clock::now());
  ASSERT_TRUE(run.feed(kHeader + record(1) + record(2)));
  RunSnapshot s;
  run.fillSnapshot(s);
  EXPECT_TRUE(s.watched);
  EXPECT_FALSE(s.controllable());
  EXPECT_TRUE(s.connected);
  EXPECT_EQ(english(s.label), "Net");
  EXPECT_EQ(s.state, RunState::Running);
  EXPECT_EQ(s.step, 2);
  EXPECT_FLOAT_EQ(s.loss, 0.5f);
  ASSERT_EQ(s.layerCount, 3);
  EXPECT_EQ(s.layerNames, (std::vector<std::string>{"fc1.weight", "fc1.bias", "fc2.weight"}));
  EXPECT_EQ(s.units, (std::vector<int>{4, 4, 1}));
  EXPECT_FLOAT_EQ(s.gradNorm[2], 1.0f);
  EXPECT_FLOAT_EQ(s.meanAbsDz[1], 0.001f);  // fc1.bias: its module fc1's output
  EXPECT_FLOAT_EQ(s.updateRatio[1], 0.0f);  // no value: 0, never NaN in a panel
  ASSERT_EQ(s.gradNormSeries.size(), 3u);
  EXPECT_EQ(s.gradNormSeries[0].size(), 2);
  EXPECT_EQ(s.updateRatioSeries[1].size(), 0);
  EXPECT_EQ(s.lossSeries.size(), 2);
  EXPECT_EQ(s.trainAccuracySeries.size(), 2);
  ASSERT_EQ(s.deadSeries.size(), 1u);
  EXPECT_EQ(s.deadNames, (std::vector<std::string>{"act (ReLU)"}));
  EXPECT_FLOAT_EQ(s.deadShare[0], 0.25f);
  EXPECT_EQ(s.signAgreement.size(), 3u);
  EXPECT_EQ(s.signAgreementSeries.size(), 3u);
}

TEST(WatchedRun, NonFiniteValuesDivergeAndStayOutOfTheCharts) {
  WatchedRun run(1, "test", Clock::now());
  run.feed(kHeader + record(1) + record(2, R"([0.5,"nan",1])"));
  RunSnapshot s;
  run.fillSnapshot(s);
  EXPECT_EQ(s.state, RunState::Diverged);
  EXPECT_EQ(english(s.reason), "step 2: grad of fc1.bias is nan");
  EXPECT_EQ(s.gradNormSeries[1].size(), 1);
  EXPECT_TRUE(std::isfinite(s.gradNorm[1]));
}

TEST(WatchedRun, BadStreamsDisconnectWithTheReason) {
  WatchedRun bad(1, "test", Clock::now());
  bad.feed(kHeader + "{oops}\n");
  EXPECT_FALSE(bad.connected());
  EXPECT_EQ(bad.error().substr(0, 22), "line 2: malformed JSON");
  RunSnapshot s;
  bad.fillSnapshot(s);
  EXPECT_EQ(s.state, RunState::Paused);
  EXPECT_FALSE(s.connected);
  EXPECT_EQ(english(s.reason), bad.error());

  WatchedRun truncated(2, "test", Clock::now());
  truncated.feed(kHeader + record(1).substr(0, 20));
  EXPECT_TRUE(truncated.connected());  // the rest may still come
  truncated.end();
  EXPECT_EQ(truncated.error(), "line 2 is truncated (the stream ended without its newline)");

  const auto opened = Clock::now();
  WatchedRun silent(3, "test", opened);
  EXPECT_FALSE(silent.checkHeaderTimeout(opened + std::chrono::seconds(9)));
  EXPECT_TRUE(silent.checkHeaderTimeout(opened + std::chrono::seconds(11)));
  EXPECT_EQ(silent.error(), "the client sent nothing within 10 seconds");
}

TEST(WatchAddress, Parses) {
  EXPECT_EQ(parseWatchAddress("").kind, WatchAddress::Kind::UnixSocket);
  EXPECT_EQ(parseWatchAddress("").path, defaultWatchSocket());
  EXPECT_EQ(parseWatchAddress("unix:/x/s").path, "/x/s");
  const WatchAddress tcp = parseWatchAddress("127.0.0.1:7007");
  EXPECT_EQ(tcp.kind, WatchAddress::Kind::Tcp);
  EXPECT_EQ(tcp.port, 7007);
  EXPECT_EQ(parseWatchAddress("localhost:9").port, 9);
  EXPECT_EQ(parseWatchAddress("run.jsonl").kind, WatchAddress::Kind::File);
  EXPECT_THROW(parseWatchAddress("127.0.0.1:0"), std::invalid_argument);
  EXPECT_THROW(parseWatchAddress("127.0.0.1:99999"), std::invalid_argument);
  setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
  unsetenv("GRADSCOPE_SOCKET");
  EXPECT_EQ(defaultWatchSocket(), "/run/user/1000/gradscope-watch.sock");
}

class WatchServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("gradscope-watch-" + std::to_string(getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
    socketPath = (dir / "watch.sock").string();
  }
  void TearDown() override { fs::remove_all(dir); }

  int connectUnix() const {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strcpy(a.sun_path, socketPath.c_str());
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }
  static void send(int fd, const std::string& text) {
    ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  // Polls until `kind` arrives (a few hundred tries; local sockets deliver at once).
  static std::vector<WatchEvent> until(WatchServer& server, WatchEvent::Kind kind) {
    std::vector<WatchEvent> all;
    for (int i = 0; i < 500; ++i) {
      std::vector<WatchEvent> events;
      server.poll(events);
      for (auto& e : events) all.push_back(e);
      for (const auto& e : all)
        if (e.kind == kind) return all;
      ::usleep(2000);
    }
    return all;
  }

  fs::path dir;
  std::string socketPath;
};

TEST_F(WatchServerTest, SocketIsUserOnly) {
  WatchServer server(parseWatchAddress("unix:" + socketPath));
  struct stat st {};
  ASSERT_EQ(::lstat(socketPath.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_uid, ::getuid());
}

TEST_F(WatchServerTest, DeliversAConnectionsBytesAndItsEnd) {
  auto server = std::make_unique<WatchServer>(parseWatchAddress("unix:" + socketPath));
  const int fd = connectUnix();
  ASSERT_GE(fd, 0);
  send(fd, kHeader + record(1));
  ::close(fd);
  std::string bytes;
  bool opened = false;
  for (const auto& e : until(*server, WatchEvent::Kind::Closed)) {
    opened = opened || e.kind == WatchEvent::Kind::Opened;
    if (e.kind == WatchEvent::Kind::Data) bytes += e.bytes;
  }
  EXPECT_TRUE(opened);
  EXPECT_EQ(bytes, kHeader + record(1));
  server.reset();
  EXPECT_FALSE(fs::exists(socketPath));  // removed with the server
}

TEST_F(WatchServerTest, LiveSocketRefusedStaleOneReplaced) {
  {
    WatchServer first(parseWatchAddress("unix:" + socketPath));
    try {
      WatchServer second(parseWatchAddress("unix:" + socketPath));
      FAIL() << "a second server on a live socket";
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()),
                "--watch " + socketPath + ": another gradscope is already watching there");
    }
  }
  // A crashed app's socket: bound, never listened on, left behind.
  const int stale = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strcpy(a.sun_path, socketPath.c_str());
  ASSERT_EQ(::bind(stale, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ::close(stale);
  EXPECT_NO_THROW(WatchServer again(parseWatchAddress("unix:" + socketPath)));
  std::ofstream(dir / "file") << "x";
  EXPECT_THROW(WatchServer notSocket(parseWatchAddress("unix:" + (dir / "file").string())),
               std::runtime_error);
}

TEST_F(WatchServerTest, AFifthConnectionIsRefused) {
  WatchServer server(parseWatchAddress("unix:" + socketPath));
  std::vector<int> fds;
  for (int i = 0; i < kMaxWatchedRuns + 1; ++i) fds.push_back(connectUnix());
  const auto events = until(server, WatchEvent::Kind::Refused);
  int opened = 0, refused = 0;
  for (const auto& e : events) {
    opened += e.kind == WatchEvent::Kind::Opened;
    refused += e.kind == WatchEvent::Kind::Refused;
  }
  EXPECT_EQ(opened, kMaxWatchedRuns);
  EXPECT_EQ(refused, 1);
  for (int fd : fds) ::close(fd);
}

TEST_F(WatchServerTest, TcpListensOnLoopbackOnly) {
  // A free port: bound to 0, read back, released.
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(probe, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t size = sizeof a;
  ::getsockname(probe, reinterpret_cast<sockaddr*>(&a), &size);
  const int port = ntohs(a.sin_port);
  ::close(probe);
  WatchServer server(parseWatchAddress("127.0.0.1:" + std::to_string(port)));
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  send(fd, kHeader);
  ::close(fd);
  std::string bytes;
  for (const auto& e : until(server, WatchEvent::Kind::Closed))
    if (e.kind == WatchEvent::Kind::Data) bytes += e.bytes;
  EXPECT_EQ(bytes, kHeader);
}

TEST_F(WatchServerTest, FollowsAFileAsItGrows) {
  const fs::path file = dir / "run.jsonl";
  WatchServer server(parseWatchAddress(file.string()));
  std::vector<WatchEvent> events;
  server.poll(events);
  EXPECT_TRUE(events.empty());  // not written yet
  std::ofstream out(file, std::ios::binary);
  out << kHeader << record(1).substr(0, 10) << std::flush;
  std::string bytes;
  for (const auto& e : until(server, WatchEvent::Kind::Data)) bytes += e.bytes;
  EXPECT_EQ(bytes, kHeader + record(1).substr(0, 10));
  out << record(1).substr(10) << std::flush;
  bytes.clear();
  for (const auto& e : until(server, WatchEvent::Kind::Data)) bytes += e.bytes;
  EXPECT_EQ(bytes, record(1).substr(10));
}

TEST_F(WatchServerTest, SessionPublishesWatchedRunsAfterItsOwn) {
  SessionConfig config;
  SessionOptions options;
  options.startPlaying = false;
  Session session(config, options);
  const int own = session.runCount();
  Command watch = cmd::Watch{"unix:" + socketPath};
  session.apply(watch);
  ASSERT_TRUE(session.watching()) << session.publish()->message;
  const int good = connectUnix(), bad = connectUnix();
  send(good, kHeader + record(1) + record(2));
  send(bad, kHeader + "{\"step\": oops}\n");
  std::shared_ptr<const Snapshot> snap;
  for (int i = 0; i < 500; ++i) {
    session.tick();
    snap = session.publish();
    if (snap->runs.size() == static_cast<size_t>(own + 2) && snap->runs[own].step == 2 &&
        !snap->runs[own + 1].connected)
      break;
    ::usleep(2000);
  }
  ASSERT_EQ(snap->runs.size(), static_cast<size_t>(own + 2));
  const RunSnapshot& w = snap->runs[static_cast<size_t>(own)];
  EXPECT_TRUE(w.watched);
  EXPECT_EQ(english(w.label), "Net");
  EXPECT_EQ(w.step, 2);
  EXPECT_EQ(w.gradNormSeries[0].size(), 2);
  const RunSnapshot& b = snap->runs[static_cast<size_t>(own + 1)];
  EXPECT_FALSE(b.connected);
  EXPECT_EQ(english(b.reason).substr(0, 22), "line 2: malformed JSON");
  EXPECT_TRUE(snap->messageIsError);
  EXPECT_NE(english(snap->message).find("line 2: malformed JSON"), std::string::npos)
      << snap->message;
  ::close(good);
  ::close(bad);
  // A source that cannot be opened is refused with a message, not an exception.
  Command nowhere = cmd::Watch{"unix:" + (dir / "no" / "such" / "dir.sock").string()};
  session.apply(nowhere);
  EXPECT_NE(english(session.publish()->message).find("cannot create the socket"),
            std::string::npos);
}

}  // namespace
}  // namespace gradscope
