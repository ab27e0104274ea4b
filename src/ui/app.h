// The app shell: the window, the main loop, the panels' layout, keyboard, benchmark mode.
#pragma once

#include <string>

#include "train/run_config.h"

namespace gradscope::ui {

struct AppOptions {
  int width = 1600;  // window size in screen coordinates
  int height = 1000;
  int frames = 0;          // > 0: exit after this many frames
  std::string screenshot;  // with frames: save the window as PNG after the last frame
  int benchFrames = 0;     // > 0: benchmark N frames with 4 compare runs training, print timings
  bool paused = false;     // start with training paused
  std::string preset;      // open this preset (a file, or a name in assets/presets)
  bool fresh = false;      // ignore the session saved at the last exit
  std::string stateFile;   // write the app's state as JSON here every few frames (for tests)
  std::string language;    // "en" or "ko": overrides the remembered language
  int frameDelayMs = 0;    // > 0: sleep this long after each frame (tests of input at low frame rates)
  long stopAt = 0;         // > 0: pause training once every run has reached this step (checked each frame)
  std::string record;       // record from the first frame to this .mp4 or .gif (with frames: one
                            // output frame per app frame; with benchFrames: by wall time)
  std::string recordPanel;  // with record: only this panel (a panelKey, e.g. "gradients")
  int recordFps = 30;       // output frames per second of every recording
  float uiScale = 0;        // > 0: text and controls this many times their size (a projector);
                            // 0: the display's content scale (HiDPI)
  bool watch = false;       // watch PyTorch runs (gradscope.watch) from the start
  std::string watchAddress;  // with watch: "" (the Unix socket), "127.0.0.1:PORT" or a file
};

// --ui-scale's range.
inline constexpr float kMinUiScale = 0.75f, kMaxUiScale = 4.0f;

// The app's default session: the central experiment, sigmoid and ReLU from the same weights.
SessionConfig defaultSession();

// Runs the app until the window closes (or `frames` have been drawn); returns the exit code:
// 0, or 1 with one line on stderr when no window can be opened.
int runApp(const AppOptions& options);

}  // namespace gradscope::ui
