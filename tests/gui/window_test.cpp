// The real window under Xvfb (Mesa's software OpenGL): the app opens, draws, saves a PNG of
// its framebuffer and exits 0. Skipped, with the reason, where no X server can start.
#include <gtest/gtest.h>
#include <stb_image.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "sanitizer_report.h"

namespace {

namespace fs = std::filesystem;

bool haveXvfb() { return std::system("command -v xvfb-run >/dev/null 2>&1") == 0; }

std::string readAll(const fs::path& p) {
  std::string s;
  if (FILE* f = std::fopen(p.c_str(), "rb")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
    std::fclose(f);
  }
  return s;
}

// Runs gradscope under a fresh Xvfb server (settings in a temporary XDG config directory);
// returns its exit code.
int runApp(const std::string& args, const fs::path& log, const std::string& env = "") {
  // The app's own exit code is written to a file: xvfb-run's may also report trouble tearing
  // its server down when the app exits at once.
  const fs::path rcFile = log.parent_path() / "rc";
  std::error_code ec;
  fs::remove(rcFile, ec);
  const std::string cmd = "XDG_CONFIG_HOME=" + log.parent_path().string() + " " + env +
                          " xvfb-run -a -s '-screen 0 1920x1200x24' sh -c '" GRADSCOPE_BIN " " +
                          args + "; echo $? > " + rcFile.string() + "' >" + log.string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  EXPECT_EQ(sanitizerReport(readAll(log)), "");
  if (FILE* f = std::fopen(rcFile.c_str(), "r")) {
    int rc = -1;
    const int n = std::fscanf(f, "%d", &rc);
    std::fclose(f);
    if (n == 1) return rc;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class Window : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!haveXvfb()) GTEST_SKIP() << "xvfb-run is not installed: no X server for the window test";
    dir = fs::temp_directory_path() / ("gradscope-gui-" + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  fs::path dir;
};

TEST_F(Window, OpensDrawsAndSavesItsFramebuffer) {
  const fs::path png = dir / "shot.png";
  const fs::path log = dir / "log.txt";
  // Lesson 1's two deep networks from N(0, 1) weights: their outputs are near 0 or 1 across the
  // plane from the first step, so the decision boundary shows both class colours at once (from
  // lesson 1's own He weights they start near P = 0.5, a pale tint, and take a while to learn).
  const fs::path preset = dir / "saturated.json";
  std::ofstream(preset) << R"({"version": 1, "title": "Saturated outputs",
    "data": {"dataset": "xor", "samples": 400, "noise": 0.05, "test_fraction": 0.2}, "seed": 1,
    "panels": {"gradients": true, "boundary": true, "activation": false, "neurons": false, "loss": true},
    "runs": [
      {"hidden": [10, 10, 10, 10, 10, 10, 10, 10, 10, 10], "activation": "sigmoid", "init": "normal",
       "loss": "bce", "optimizer": {"name": "sgd", "lr": 0.001}, "batch": 32},
      {"hidden": [10, 10, 10, 10, 10, 10, 10, 10, 10, 10], "activation": "relu", "init": "normal",
       "loss": "bce", "optimizer": {"name": "sgd", "lr": 0.001}, "batch": 32}]})";
  const int rc = runApp("--fresh --language en --preset " + preset.string() +
                            " --frames 60 --size 1280x800 --screenshot " + png.string(),
                        log);
  const std::string out = readAll(log);
  if (rc != 0 && out.find("cannot open a window") != std::string::npos)
    GTEST_SKIP() << "no X server could start here: " << out;
  ASSERT_EQ(rc, 0) << out;
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(png.c_str(), &w, &h, &n, 4);
  ASSERT_NE(px, nullptr) << "no readable PNG at " << png;
  EXPECT_EQ(w, 1280);
  EXPECT_EQ(h, 800);
  // A drawn UI has text, lines and fills: many distinct colours, not a blank or cleared frame.
  std::set<unsigned> colours;
  for (int i = 0; i < w * h; i += 7) {
    const unsigned char* p = px + 4 * i;
    colours.insert(p[0] << 16 | p[1] << 8 | p[2]);
  }
  EXPECT_GT(colours.size(), 200u);
  // The activation panel's sigmoid curve (palette blue, 94,156,236) is on screen.
  int blue = 0;
  for (int i = 0; i < w * h; ++i) {
    const unsigned char* p = px + 4 * i;
    blue += std::abs(p[0] - 94) < 12 && std::abs(p[1] - 156) < 12 && std::abs(p[2] - 236) < 12;
  }
  EXPECT_GT(blue, 300);
  // The decision-boundary panel (top right) holds the heatmap's class colours: orange (class 0)
  // and blue (class 1) areas from the shader, not just the panel's grey.
  int orange = 0, sky = 0, area = 0;
  for (int y = 80; y < h * 45 / 100; ++y)
    for (int x = w * 72 / 100; x < w - 10; ++x) {
      const unsigned char* p = px + 4 * (y * w + x);
      orange += p[0] > p[2] + 50 && p[0] > 120;
      sky += p[2] > p[0] + 50 && p[2] > 120;
      ++area;
    }
  EXPECT_GT(orange, area / 50) << "no class-0 colour in the decision boundary";
  EXPECT_GT(sky, area / 50) << "no class-1 colour in the decision boundary";
  stbi_image_free(px);
}

// ffprobe's view of a video's first stream, frames counted by decoding; an empty object when
// ffprobe is missing or cannot read the file.
nlohmann::json probeVideo(const fs::path& file) {
  const std::string cmd =
      "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
      "stream=codec_name,width,height,pix_fmt,nb_read_frames,r_frame_rate "
      "-of json '" +
      file.string() + "' 2>/dev/null";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  const auto j = nlohmann::json::parse(out, nullptr, false);
  if (!j.is_object() || !j.contains("streams") || j["streams"].empty())
    return nlohmann::json::object();
  return j["streams"][0];
}

bool haveFfprobe() { return std::system("command -v ffprobe >/dev/null 2>&1") == 0; }

TEST_F(Window, RecordsTwoSecondsAsMp4) {
  if (!haveFfprobe()) GTEST_SKIP() << "ffprobe (Debian package ffmpeg) is not installed";
  const fs::path video = dir / "lesson.mp4";
  const fs::path log = dir / "log.txt";
  const int rc =
      runApp("--fresh --language en --frames 60 --size 1280x800 --record " + video.string(), log);
  const std::string out = readAll(log);
  if (rc != 0 && out.find("cannot open a window") != std::string::npos)
    GTEST_SKIP() << "no X server could start here: " << out;
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("recorded " + video.string()), std::string::npos) << out;
  const auto s = probeVideo(video);
  EXPECT_EQ(s.value("codec_name", ""), "h264") << s.dump();
  EXPECT_EQ(s.value("pix_fmt", ""), "yuv420p");
  EXPECT_EQ(s.value("width", 0), 1280);
  EXPECT_EQ(s.value("height", 0), 800);
  EXPECT_EQ(s.value("r_frame_rate", ""), "30/1");
  EXPECT_EQ(s.value("nb_read_frames", ""), "60");  // one video frame per frame drawn
  // The last frame looks like the app: a drawn UI, not a blank or black picture.
  const fs::path png = dir / "last.png";
  ASSERT_EQ(std::system(("ffmpeg -v error -y -sseof -0.1 -i '" + video.string() +
                         "' -update 1 -frames:v 1 '" + png.string() + "'")
                            .c_str()),
            0);
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(png.c_str(), &w, &h, &n, 3);
  ASSERT_NE(px, nullptr);
  std::set<unsigned> colours;
  for (int i = 0; i < w * h; i += 7)
    colours.insert(px[3 * i] << 16 | px[3 * i + 1] << 8 | px[3 * i + 2]);
  EXPECT_GT(colours.size(), 200u);
  stbi_image_free(px);
}

TEST_F(Window, RecordsOnePanelAsGif) {
  if (!haveFfprobe()) GTEST_SKIP() << "ffprobe (Debian package ffmpeg) is not installed";
  const fs::path video = dir / "boundary.gif";
  const fs::path log = dir / "log.txt";
  const fs::path state = dir / "state.json";
  const int rc = runApp(
      "--fresh --language en --frames 30 --size 1280x800 --record-fps 15 "
      "--record-panel boundary --state-file " +
          state.string() + " --record " + video.string(),
      log);
  const std::string out = readAll(log);
  if (rc != 0 && out.find("cannot open a window") != std::string::npos)
    GTEST_SKIP() << "no X server could start here: " << out;
  ASSERT_EQ(rc, 0) << out;
  const auto j = nlohmann::json::parse(readAll(state), nullptr, false);
  ASSERT_TRUE(j.is_object() && j.contains("panels") && j["panels"].contains("boundary"));
  const auto& rect = j["panels"]["boundary"];  // x, y, width, height (1 pixel per unit here)
  const auto s = probeVideo(video);
  EXPECT_EQ(s.value("codec_name", ""), "gif") << s.dump();
  EXPECT_EQ(s.value("width", 0), static_cast<int>(rect[2].get<double>()));
  EXPECT_EQ(s.value("height", 0), static_cast<int>(rect[3].get<double>()));
  EXPECT_EQ(s.value("r_frame_rate", ""), "15/1");
  EXPECT_EQ(s.value("nb_read_frames", ""), "30");
}

TEST_F(Window, BadRecordingArgumentsAreClearErrors) {
  const fs::path log = dir / "log.txt";
  EXPECT_EQ(runApp("--fresh --frames 2 --record " + (dir / "a.avi").string(), log), 2);
  EXPECT_NE(readAll(log).find("must end in .mp4"), std::string::npos) << readAll(log);
  EXPECT_EQ(runApp("--fresh --frames 2 --record " + (dir / "no" / "a.mp4").string(), log), 2);
  EXPECT_NE(readAll(log).find("does not exist"), std::string::npos) << readAll(log);
  EXPECT_EQ(runApp("--fresh --record " + (dir / "a.mp4").string(), log), 2);
  EXPECT_NE(readAll(log).find("--record needs --frames"), std::string::npos) << readAll(log);
  EXPECT_EQ(
      runApp("--fresh --frames 2 --record-panel nope --record " + (dir / "a.gif").string(), log),
      2);
  EXPECT_NE(readAll(log).find("the panels are controls"), std::string::npos) << readAll(log);
  // A place no file can be created in: the app opens, says why, and exits 1.
  const int rc = runApp("--fresh --frames 2 --record /proc/gradscope.mp4", log);
  const std::string out = readAll(log);
  if (rc != 0 && out.find("cannot open a window") != std::string::npos)
    GTEST_SKIP() << "no X server could start here: " << out;
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("--record: cannot write /proc/gradscope.mp4"), std::string::npos) << out;
}

TEST_F(Window, RejectsABadSizeWithExitCode2) {
  const fs::path log = dir / "log.txt";
  EXPECT_EQ(runApp("--size 10x10 --frames 1", log), 2);
  EXPECT_NE(readAll(log).find("--size"), std::string::npos);
}

TEST_F(Window, NoDisplayIsOneClearLineAndExit1) {
  const fs::path log = dir / "log.txt";
  const std::string cmd =
      "env -u DISPLAY " GRADSCOPE_BIN " --fresh --frames 1 >" + log.string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 1);
  const std::string out = readAll(log);
  EXPECT_NE(out.find("cannot open a window"), std::string::npos) << out;
  EXPECT_NE(out.find("gradscope train"), std::string::npos) << out;  // what works instead
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
}

TEST_F(Window, NoOpenGl33IsOneClearLineAndExit1) {
  const fs::path log = dir / "log.txt";
  // Mesa offers at most OpenGL 3.0 with this override: no 3.3 core context can be made.
  const int rc = runApp("--fresh --frames 1", log,
                        "MESA_GL_VERSION_OVERRIDE=3.0 MESA_GLSL_VERSION_OVERRIDE=130");
  const std::string out = readAll(log);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("OpenGL 3.3"), std::string::npos) << out;
}

// The app's own check that every text fits (--state-file "clipped": each text drawn into a
// draw list against its clip rectangle and its chart's frame, each window's items against the
// window) at the sizes people use, from a classroom projector's 1024×768 to 1920×1200, in
// English and Korean, with two runs and with four deep ones; and the panels tile the window.
nlohmann::json layoutState(const fs::path& dir, const std::string& args, std::string& out) {
  const fs::path state = dir / "state.json";
  const fs::path log = dir / "log.txt";
  std::error_code ec;
  fs::remove(state, ec);
  const int rc = runApp("--fresh --frames 40 --state-file " + state.string() + " " + args, log);
  out = readAll(log);
  if (rc != 0) return nlohmann::json();
  return nlohmann::json::parse(readAll(state), nullptr, false);
}

// Four runs of a 20-layer network: long legends, many layers, four boundary images.
void writeFourDeepRuns(const fs::path& file) {
  std::string runs;
  for (const char* a : {"sigmoid", "tanh", "relu", "leaky_relu"})
    runs +=
        std::string(runs.empty() ? "" : ",") + R"({"hidden": [)" +
        "32,32,32,32,32,32,32,32,32,32,32,32,32,32,32,32,32,32,32,32" + R"(], "activation": ")" +
        a +
        R"(", "init": "xavier_normal", "loss": "bce", "optimizer": {"name": "adam", "lr": 0.001}, "batch": 32})";
  std::FILE* f = std::fopen(file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fprintf(
      f,
      R"({"version": 1, "title": "four deep runs", "data": {"dataset": "xor", "samples": 400,
               "noise": 0.05, "test_fraction": 0.2}, "seed": 1, "runs": [%s]})",
      runs.c_str());
  std::fclose(f);
}

// One size in one language per test: each opens the window twice (two runs, four deep runs).
class WindowLayout : public Window,
                     public ::testing::WithParamInterface<std::tuple<const char*, const char*>> {};

TEST_P(WindowLayout, EveryTextFits) {
  const auto [size, language] = GetParam();
  const fs::path deep = dir / "four-deep.json";
  writeFourDeepRuns(deep);
  for (const std::string& preset : {std::string(), " --preset " + deep.string()}) {
    SCOPED_TRACE(std::string(size) + " " + language + preset);
    std::string out;
    const auto j =
        layoutState(dir, std::string("--size ") + size + " --language " + language + preset, out);
    if (j.is_null() && out.find("cannot open a window") != std::string::npos)
      GTEST_SKIP() << "no X server could start here: " << out;
    ASSERT_TRUE(j.is_object() && j.contains("clipped") && j["clipped"].is_array()) << out;
    EXPECT_EQ(j.value("language", ""), language);
    EXPECT_EQ(j["runs"].size(), preset.empty() ? 2u : 4u);
    EXPECT_TRUE(j["clipped"].empty()) << j["clipped"].dump(1);
    // Every panel inside the window, and two panels either apart or one tabbed window.
    const int w = j["window"][0], h = j["window"][1];
    std::vector<std::array<float, 4>> rects;
    for (const auto& [key, r] : j["panels"].items()) {
      const std::array<float, 4> a = {r[0], r[1], r[2], r[3]};
      EXPECT_GE(a[0], 0) << key;
      EXPECT_GE(a[1], 0) << key;
      EXPECT_LE(a[0] + a[2], w + 0.5f) << key;
      EXPECT_LE(a[1] + a[3], h + 0.5f) << key;
      for (const auto& b : rects) {
        const bool same = a == b;
        const bool apart = a[0] + a[2] <= b[0] + 0.5f || b[0] + b[2] <= a[0] + 0.5f ||
                           a[1] + a[3] <= b[1] + 0.5f || b[1] + b[3] <= a[1] + 0.5f;
        EXPECT_TRUE(same || apart) << key << " overlaps another panel";
      }
      rects.push_back(a);
    }
    // Lesson 1 shows the panels its preset names; a preset that names none shows all seven.
    if (preset.empty())
      EXPECT_GE(rects.size(), 3u);
    else
      EXPECT_EQ(rects.size(), 7u);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Window, WindowLayout,
    ::testing::Combine(::testing::Values("1024x768", "1280x720", "1366x768", "1600x1000",
                                         "1920x1200",
                                         // HiDPI, and a projector's larger text
                                         "2560x1440 --ui-scale 2", "1920x1080 --ui-scale 1.5"),
                       ::testing::Values("en", "ko")),
    [](const auto& info) {
      std::string name = std::string(std::get<0>(info.param)) + "_" + std::get<1>(info.param);
      std::string id;  // "2560x1440 --ui-scale 2" → 2560_1440_ui_scale_2
      for (char c : name)
        if (std::isalnum(static_cast<unsigned char>(c)) && c != 'x')
          id += c;
        else if (!id.empty() && id.back() != '_')
          id += '_';
      return id;
    });

// --bench-frames reports each measure it promises, and trains its four runs flat out: lesson
// 1's pace (70 steps/s a run, 280 for four) is for watching, not for a benchmark.
TEST_F(Window, BenchFramesReportsFrameTimesAndTrainsUncapped) {
  const fs::path log = dir / "log.txt";
  ASSERT_EQ(runApp("--fresh --size 1024x768 --bench-frames 20", log), 0) << readAll(log);
  const std::string out = readAll(log);
  for (const char* line :
       {"frame CPU time (UI thread): median", "frame wall time (build, render, swap): median",
        "the swap median", "vertices per frame", "headless", "peak RSS"})
    EXPECT_NE(out.find(line), std::string::npos) << line << "\n" << out;
  // Its four runs trained, at no cap: the trainer's own config says so (a rate compared with
  // the cap would depend on this machine's speed).
  EXPECT_NE(out.find("4 runs of 10×10, training uncapped"), std::string::npos) << out;
  float window = 0, headless = 0;
  const size_t at = out.find("trainer: ");
  ASSERT_NE(at, std::string::npos) << out;
  ASSERT_EQ(std::sscanf(out.c_str() + at, "trainer: %f steps/s with the window, %f headless",
                        &window, &headless),
            2)
      << out;
  EXPECT_GT(headless, 0.0f) << out;
  EXPECT_GT(window, 0.0f) << out;
}

// The Lessons tab says when the session is not the lesson it shows: lesson 1's preset as it is,
// then with its first run's activation changed (the file keeps the preset's name, so lesson 1
// is the one shown), in Korean, the note fitting a 1280×720 window.
TEST_F(Window, TheLessonsTabSaysWhenTheSessionIsNotTheLesson) {
  std::string out;
  auto j = layoutState(dir, "--size 1280x720 --language ko --preset 01-deep-sigmoid", out);
  if (j.is_null() && out.find("cannot open a window") != std::string::npos)
    GTEST_SKIP() << "no X server could start here: " << out;
  ASSERT_TRUE(j.is_object()) << out;
  EXPECT_FALSE(j.contains("lesson_session_note")) << j.dump();

  auto preset = nlohmann::json::parse(
      readAll(fs::path(GRADSCOPE_ASSETS_DIR) / "presets" / "01-deep-sigmoid.json"));
  ASSERT_EQ(preset["runs"][0].value("activation", ""), "sigmoid");
  preset["runs"][0]["activation"] = "tanh";
  const fs::path changed = dir / "01-deep-sigmoid.json";
  std::FILE* f = std::fopen(changed.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(preset.dump().c_str(), f);
  std::fclose(f);
  j = layoutState(dir, "--size 1280x720 --language ko --preset " + changed.string(), out);
  ASSERT_TRUE(j.is_object()) << out;
  EXPECT_TRUE(j.contains("lesson_session_note")) << j.dump();
  EXPECT_EQ(j["runs"][0].value("activation", ""), "tanh");
  EXPECT_TRUE(j["clipped"].empty()) << j["clipped"].dump(1);
  EXPECT_EQ(j["untranslated"], nlohmann::json::array()) << j["untranslated"];
}

// The check is real: below the sizes the layout is made for, it reports what does not fit.
TEST_F(Window, TooSmallAWindowReportsClippedTexts) {
  std::string out;
  const auto j = layoutState(dir, "--size 760x560 --language en", out);
  if (j.is_null() && out.find("cannot open a window") != std::string::npos)
    GTEST_SKIP() << "no X server could start here: " << out;
  ASSERT_TRUE(j.is_object() && j.contains("clipped")) << out;
  ASSERT_FALSE(j["clipped"].empty());
  for (const auto& c : j["clipped"]) {
    EXPECT_FALSE(c.value("window", "").empty());
    EXPECT_FALSE(c.value("text", "").empty());
    EXPECT_GT(c.value("pixels", 0.0), 1.0);
  }
}

// A watched PyTorch run (docs/STREAM.md) from a stream file with 200 parameter tensors: its
// steps arrive beside the app's own runs, and a bad stream is a toast with the run marked
// disconnected, never a crash.
void writeWatchStream(const fs::path& file, int tensors, int steps, const std::string& tail) {
  std::string text = R"({"gradscope_stream":1,"name":"torch-net","log_every":1,"modules":[)";
  for (int m = 0; m < tensors / 2; ++m)
    text += (m ? "," : "") + std::string(R"({"name":"layers.)") + std::to_string(m) +
            R"(","type":"Linear"})";
  text += R"(,{"name":"act","type":"ReLU","relu":true}],"params":[)";
  for (int p = 0; p < tensors; ++p)
    text += (p ? "," : "") + std::string(R"({"name":"layers.)") + std::to_string(p / 2) +
            (p % 2 ? ".bias" : ".weight") + R"(","shape":[64,64],"module":)" +
            std::to_string(p / 2) + "}";
  text += "]}\n";
  for (int step = 1; step <= steps; ++step) {
    std::string grad, dz;
    for (int p = 0; p < tensors; ++p)
      grad += (p ? "," : "") + std::to_string(std::pow(10.0, -(p % 20) * 0.3) / step);
    for (int m = 0; m < tensors / 2; ++m) dz += std::to_string(0.01) + ",";
    text += R"({"step":)" + std::to_string(step) + R"(,"grad":[)" + grad + R"(],"ratio":[)" + grad +
            R"(],"dz":[)" + dz + R"(null],"dead":[)";
    for (int m = 0; m < tensors / 2; ++m) text += "null,";
    text += R"(0.25],"scalars":{"loss":)" + std::to_string(2.0 / step) + "}}\n";
  }
  std::ofstream(file, std::ios::binary) << text << tail;
}

TEST_F(Window, WatchedRunFromAStreamFileArrives) {
  const fs::path stream = dir / "run.jsonl", state = dir / "state.json", log = dir / "log.txt",
                 png = dir / "watch.png";
  writeWatchStream(stream, 200, 50, "");
  ASSERT_EQ(runApp("--fresh --language en --paused --frames 60 --size 1280x720 --watch " +
                       stream.string() + " --state-file " + state.string() + " --screenshot " +
                       png.string(),
                   log),
            0)
      << readAll(log);
  const auto j = nlohmann::json::parse(readAll(state), nullptr, false);
  ASSERT_TRUE(j.is_object()) << readAll(log);
  const auto& runs = j["runs"];
  ASSERT_GE(runs.size(), 3u);
  const auto& w = runs.back();
  EXPECT_EQ(w["label"], "torch-net");
  EXPECT_EQ(w["watched"], true);
  EXPECT_EQ(w["step"], 50);
  EXPECT_EQ(w["layers"], 200);
  EXPECT_EQ(runs.front()["watched"], false);
  EXPECT_TRUE(fs::exists(png));
}

TEST_F(Window, BadWatchStreamIsAToastAndADisconnectedRun) {
  const fs::path stream = dir / "bad.jsonl", state = dir / "state.json", log = dir / "log.txt";
  writeWatchStream(stream, 4, 3, "{\"step\":4,\"grad\":[NaN\n");
  ASSERT_EQ(runApp("--fresh --language en --paused --frames 40 --watch " + stream.string() +
                       " --state-file " + state.string(),
                   log),
            0)
      << readAll(log);
  const auto j = nlohmann::json::parse(readAll(state), nullptr, false);
  ASSERT_TRUE(j.is_object());
  const auto& w = j["runs"].back();
  EXPECT_EQ(w["watched"], true);
  EXPECT_EQ(w["connected"], false);
  EXPECT_EQ(w["step"], 3);
  const std::string toast = j["toast"].get<std::string>();
  EXPECT_NE(toast.find("line 5: malformed JSON"), std::string::npos) << toast;
  // --watch with a port out of range: one line, exit 2.
  EXPECT_EQ(runApp("--fresh --frames 1 --watch 127.0.0.1:0", log), 2);
  EXPECT_NE(readAll(log).find("expected a port 1 to 65535"), std::string::npos) << readAll(log);
}

}  // namespace
