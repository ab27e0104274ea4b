// The app shell: the window, the main loop, the panels' layout, keyboard, benchmark mode.
#pragma once

#include <string>

namespace gradscope::ui {

struct AppOptions {
  int width = 1600;  // window size in screen coordinates
  int height = 1000;
  int frames = 0;          // > 0: exit after this many frames
  std::string screenshot;  // with frames: save the window as PNG after the last frame
  int benchFrames = 0;     // > 0: benchmark N frames with 4 compare runs training, print timings
  bool paused = false;     // start with training paused
};

// Runs the app until the window closes (or `frames` have been drawn); returns the exit code:
// 0, or 1 with one line on stderr when no window can be opened.
int runApp(const AppOptions& options);

}  // namespace gradscope::ui
