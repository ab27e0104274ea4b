// `--state-file PATH`: the app's state as JSON, rewritten every 10 frames and after the last,
// for the window tests and scripts/stress-gui: the runs, the panels' rectangles, named
// widgets' rectangles (to click), the file dialog's entries, screenshots and recordings, and
// in Korean what was shown untranslated (text_audit.h).
#pragma once

#include <string>
#include <vector>

#include "train/snapshot.h"
#include "ui/file_dialog.h"
#include "ui/layout.h"
#include "ui/text_fit.h"
#include "ui/ui_state.h"

namespace gradscope::ui {

// What only the shell knows.
struct ShellState {
  int frame = 0;
  bool idle = false;  // the app drew its last frame and waits for an event (nothing changes)
  int windowWidth = 0, windowHeight = 0;  // screen coordinates
  int missingGlyphs = 0;                  // characters of the Korean texts the fonts lack
  std::string toast;                      // the toast shown now, "" when none
  int screenshots = 0;
  std::string lastScreenshot;
  std::string recording;        // the file being recorded, "" when none
  double recordingSeconds = 0;  // its output timeline so far: the file will be this long at least
  std::string lastRecording;
  std::vector<ClippedText> clipped;  // texts that reached past their clip rectangle this frame
};

// Writes the JSON atomically; a file that cannot be written is skipped (tests see it stale).
void writeStateFile(const std::string& path, const Snapshot& snap, const UiState& state,
                    const Layout& panels, const FileDialog& dialog, const ShellState& shell);

}  // namespace gradscope::ui
