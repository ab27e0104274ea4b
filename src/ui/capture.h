// Pictures of the app: screenshots of the window (F12, --screenshot), PNGs of one panel
// (its context menu), and recordings of the window or a panel (Ctrl+R, --record). Everything
// here reads the framebuffer after rendering and before the swap.
#pragma once

#include <imgui.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "train/snapshot.h"
#include "ui/app.h"
#include "ui/layout.h"
#include "ui/recording.h"
#include "ui/toast.h"
#include "ui/ui_state.h"

struct GLFWwindow;

namespace gradscope::ui {

// $XDG_PICTURES_DIR/gradscope, else ~/Pictures/gradscope.
std::filesystem::path defaultPictureFolder();

// "1:05" or "1:02:05".
std::string clockText(double seconds);

class Capture {
 public:
  // `rects` is the layout the panels were drawn in this frame (for a panel's pixels).
  Capture(GLFWwindow* window, const AppOptions& options, UiState& state, const Layout& rects,
          Toast& toast)
      : m_window(window), m_options(options), m_state(state), m_rects(rects), m_toast(toast) {}

  // Saves a PNG of `panel` two frames from now, once its context menu has closed.
  void exportPanel(Panel panel) { m_exportPanel = panel, m_exportWait = 2; }
  // Names panel PNGs after the preset (lesson) last opened.
  void setPresetName(std::string name) { m_presetName = std::move(name); }

  // Starts recording the whole window (or `panel`) to the screenshot folder, or stops.
  void toggleRecording(std::optional<Panel> panel);
  bool recording() const { return m_recording != nullptr; }
  // Frames must go on: a recording runs or is being finished, or a picture is due.
  bool busy() const {
    return m_recording || m_closing || m_exportPanel || m_state.screenshotRequested;
  }
  const std::string& recordingPath() const;
  // The running recording's timeline so far (Recording::timelineSeconds), 0 when none.
  double recordingSeconds() const;
  std::optional<Panel> recordedPanel() const { return m_recordPanel; }
  bool gif() const { return m_recordGif; }
  void setGif(bool gif) { m_recordGif = gif; }
  // Where the menu bar's record button is: the indicator covers it while recording.
  void setRecordButton(ImVec2 min, ImVec2 max) { m_recordButtonMin = min, m_recordButtonMax = max; }
  // A toast once a stopped recording's file is complete (checked each frame).
  void reportClosedRecording() { reportClosed(false); }
  // The red indicator with the recording's time (foreground, not recorded).
  void drawRecordIndicator() const;

  // After ImGui::Render: draws the frame; while recording, the foreground (the indicator) is
  // drawn after the capture, so it shows in the window but not in the recording. Frame
  // `number` of the app; `last`: the app's last frame.
  void renderAndRecord(int number, int fbw, int fbh, bool last);
  // After rendering: the screenshot or panel PNG asked for, or --screenshot after the last
  // frame (throws when that cannot be written). `snap` names a panel PNG's step.
  void saveScreenshots(const Snapshot& snap, int fbw, int fbh, bool last);

  // The recording's figures for --bench-frames, before it is closed; "" when none.
  std::string recordingSummary() const;
  // Stops a recording and waits for its file.
  void closeRecording() { stopRecording(true); }

  int screenshots() const { return m_screenshots; }
  const std::string& lastScreenshot() const { return m_lastScreenshot; }
  const std::string& lastRecording() const { return m_lastRecording; }

 private:
  PixelRect panelPixels(Panel panel, int fbw, int fbh) const;
  void startRecording(std::optional<Panel> panel, const std::string& path, bool commandLine);
  // Stops the recording; the file is finished in the background unless `wait`.
  void stopRecording(bool wait);
  void reportClosed(bool wait);
  void captureRecording(int number, int fbw, int fbh, bool last);
  std::filesystem::path pictureFolder() const;

  GLFWwindow* m_window;
  const AppOptions& m_options;
  UiState& m_state;
  const Layout& m_rects;
  Toast& m_toast;
  std::optional<Panel> m_exportPanel;  // a panel to save as PNG once m_exportWait frames passed
  int m_exportWait = 0;
  std::string m_presetName;
  int m_screenshots = 0;
  std::string m_lastScreenshot;
  std::unique_ptr<Recording> m_recording;
  std::unique_ptr<Recording> m_closing;  // stopped, its file being finished
  std::optional<Panel> m_recordPanel;    // recording one panel, not the window
  bool m_recordGif = false;              // the app's recordings: GIF, else MP4
  bool m_commandLineRecording = false;   // --record: errors end the app
  ImVec2 m_recordButtonMin{}, m_recordButtonMax{};
  std::string m_lastRecording;
};

}  // namespace gradscope::ui
