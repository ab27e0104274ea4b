// gradscope's entry point: parses the command line and opens the app, or runs a headless
// subcommand (`gradscope train`, `bench`, `soak`, `replay`) that never touches the window system.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <string>

#include "cli/bench_command.h"
#include "cli/replay_command.h"
#include "cli/soak_command.h"
#include "cli/train_command.h"
#include "gradscope_version.h"
#include "train/asset_paths.h"
#include "train/watch_server.h"
#include "ui/app.h"

namespace {

// "1600x1000" → width, height; false when malformed or out of range.
bool parseSize(const std::string& text, int& w, int& h) {
  int a = 0, b = 0;
  char x = 0, extra = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c", &a, &x, &b, &extra) != 3 || (x != 'x' && x != 'X'))
    return false;
  if (a < 200 || b < 150 || a > 8192 || b > 8192) return false;
  w = a, h = b;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "gradscope — watch gradients vanish through sigmoid layers, persist through ReLU layers, "
      "and ReLU units die."};
  std::string version = "gradscope " GRADSCOPE_VERSION;
  if (*GRADSCOPE_GIT_REVISION) version += " (git " GRADSCOPE_GIT_REVISION ")";
  app.set_version_flag("--version", version);
  bool printDataDir = false;
  app.add_flag("--print-data-dir", printDataDir,
               "Print the directory presets, lessons and translations are read from, then exit");
  bool printPythonPath = false;
  app.add_flag("--print-python-path", printPythonPath,
               "Print the directory that holds the Python package gradscope (for PYTHONPATH: "
               "import gradscope; gradscope.watch(model)), then exit");
  gradscope::ui::AppOptions options;
  std::string size;
  app.add_option("--size", size, "Window size WxH in screen coordinates (default 1600x1000)");
  app.add_option("--frames", options.frames, "Draw N frames, then exit")
      ->check(CLI::Range(1, 100000000));
  app.add_option("--screenshot", options.screenshot,
                 "Save the window as PNG after the last frame (needs --frames)");
  app.add_option(
         "--bench-frames", options.benchFrames,
         "Benchmark: draw N frames with 4 compare runs training, print frame times and steps/s")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--record", options.record,
                 "Record the window from the first frame to OUT.mp4 (H.264) or OUT.gif, then exit "
                 "(needs --frames N: one video frame per frame drawn)");
  app.add_option("--record-panel", options.recordPanel,
                 "With --record: only this panel (gradients, boundary, activation, neurons, loss, "
                 "controls, lessons)");
  app.add_option("--record-fps", options.recordFps, "Frames per second of recordings (default 30)")
      ->check(CLI::Range(1, 120));
  app.add_flag("--paused", options.paused, "Open with training paused");
  app.add_option("--preset", options.preset,
                 "Open a preset: a JSON file or a name from the presets of --print-data-dir");
  app.add_flag("--fresh", options.fresh,
               "Start from the default session, not the one saved at the last exit");
  app.add_option("--state-file", options.stateFile,
                 "Write the app's state as JSON to this file every 10 frames");
  app.add_option("--stop-at", options.stopAt, "Pause training once every run has reached step N")
      ->check(CLI::Range(1L, 1000000000000L));
  // For the tests of input at low frame rates; not in --help.
  app.add_option("--frame-delay-ms", options.frameDelayMs, "Sleep N ms after each frame")
      ->check(CLI::Range(0, 5000))
      ->group("");
  app.add_option("--ui-scale", options.uiScale,
                 "Text and controls this many times their size, e.g. 1.5 for a projector "
                 "(default: the display's scale)")
      ->check(CLI::Range(gradscope::ui::kMinUiScale, gradscope::ui::kMaxUiScale));
  CLI::Option* watch =
      app.add_option("--watch", options.watchAddress,
                     "Show PyTorch runs streamed by gradscope.watch(model): with no value on the "
                     "Unix socket $XDG_RUNTIME_DIR/gradscope-watch.sock (this user only), "
                     "127.0.0.1:PORT on loopback TCP, or a stream file to follow as it grows")
          ->expected(0, 1)
          ->type_name("[ADDRESS]");
  app.add_option("--language", options.language, "Language of lesson texts and tooltips: en or ko")
      ->check(CLI::IsMember({"en", "ko"}));
  // The subcommands take everything after their name and parse it themselves (their own
  // --help included), so tests drive them through the same functions.
  CLI::App* train = app.add_subcommand("train", "Train without a window (gradscope train --help)");
  CLI::App* bench = app.add_subcommand("bench", "Measure training speed (gradscope bench --help)");
  CLI::App* soak = app.add_subcommand(
      "soak", "Memory soak: 10M steps of 4 runs, peak RSS growth (gradscope soak --help)");
  CLI::App* replay = app.add_subcommand(
      "replay", "A watched PyTorch run's stream to a metrics CSV (gradscope replay --help)");
  for (CLI::App* sub : {train, bench, soak, replay}) sub->prefix_command()->set_help_flag();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  // --print-data-dir and --print-python-path: the directory found, or why there is none.
  const auto printLocation = [](const gradscope::AssetLocation& loc, const std::string& notFound) {
    if (!loc.found()) {
      std::fprintf(stderr, "gradscope: %s\n", notFound.c_str());
      return 1;
    }
    std::printf("%s\n", loc.dir.c_str());
    return 0;
  };
  if (printDataDir)
    return printLocation(gradscope::assets(), gradscope::notFoundMessage(gradscope::assets()));
  if (printPythonPath) {
    const gradscope::AssetLocation& python = gradscope::pythonPackageDir();
    return printLocation(python, gradscope::pythonNotFoundMessage(python));
  }
  if (*train) return gradscope::cli::runTrainCommand(train->remaining(), std::cout, std::cerr);
  if (*bench) return gradscope::cli::runBenchCommand(bench->remaining(), std::cout, std::cerr);
  if (*soak) return gradscope::cli::runSoakCommand(soak->remaining(), std::cout, std::cerr);
  if (*replay) return gradscope::cli::runReplayCommand(replay->remaining(), std::cout, std::cerr);
  options.watch = watch->count() > 0;
  if (options.watch) {
    try {
      gradscope::parseWatchAddress(options.watchAddress);
    } catch (const std::invalid_argument& e) {
      std::fprintf(stderr, "gradscope: %s\n", e.what());
      return 2;
    }
  }
  if (!size.empty() && !parseSize(size, options.width, options.height)) {
    std::fprintf(stderr,
                 "gradscope: --size: expected WxH with W 200 to 8192 and H 150 to 8192, got '%s'\n",
                 size.c_str());
    return 2;
  }
  if (!options.screenshot.empty() && options.frames == 0) options.frames = 3;
  if (!options.record.empty() && options.frames == 0 && options.benchFrames == 0) {
    std::fprintf(stderr, "gradscope: --record needs --frames N (how many frames to record)\n");
    return 2;
  }
  if (!options.recordPanel.empty() && options.record.empty()) {
    std::fprintf(stderr, "gradscope: --record-panel needs --record OUT.mp4 or OUT.gif\n");
    return 2;
  }
  return gradscope::ui::runApp(options);
}
