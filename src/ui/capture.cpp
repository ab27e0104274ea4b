// Screenshots, panel PNGs and recordings (see capture.h).
#include "ui/capture.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui_impl_opengl3.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>

#include "gfx/framebuffer.h"
#include "ui/i18n.h"

namespace gradscope::ui {
namespace {

namespace fs = std::filesystem;

// A new file in `folder`, never an existing one: "gradscope-<what>-<time><extension>" ("what"
// names a panel export: "gradients-01-deep-sigmoid-step3000"; -2, -3, ... when taken).
fs::path screenshotName(const fs::path& folder, const std::string& extension = ".png",
                        const std::string& what = "") {
  const std::time_t t = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&t));
  const std::string base = "gradscope-" + (what.empty() ? "" : what + "-") + stamp;
  fs::path p = folder / (base + extension);
  std::error_code ec;
  for (int n = 2; fs::exists(p, ec); ++n) p = folder / (base + "-" + std::to_string(n) + extension);
  return p;
}

}  // namespace

fs::path defaultPictureFolder() {
  if (const char* x = std::getenv("XDG_PICTURES_DIR"); x && *x) return fs::path(x) / "gradscope";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / "Pictures" / "gradscope";
  return fs::current_path();
}

std::string clockText(double seconds) {
  const long s = static_cast<long>(seconds);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

fs::path Capture::pictureFolder() const {
  return m_state.pictureFolder.empty() ? defaultPictureFolder() : fs::path(m_state.pictureFolder);
}

const std::string& Capture::recordingPath() const {
  static const std::string none;
  return m_recording ? m_recording->path() : none;
}

double Capture::recordingSeconds() const {
  return m_recording ? m_recording->timelineSeconds() : 0.0;
}

void Capture::saveScreenshots(const Snapshot& snap, int fbw, int fbh, bool last) {
  const bool exit = last && !m_options.screenshot.empty();
  if (m_exportPanel && m_exportWait > 0) --m_exportWait;
  const bool exportNow = m_exportPanel && m_exportWait == 0;
  if (!m_state.screenshotRequested && !exportNow && !exit) return;
  fs::path path = exit ? fs::path(m_options.screenshot) : fs::path();
  std::error_code ec;
  if (path.empty()) {
    const fs::path folder = pictureFolder();
    fs::create_directories(folder, ec);
    std::string what;
    if (exportNow && !m_state.screenshotRequested) {
      long step = 0;
      for (const auto& r : snap.runs) step = std::max(step, r.step);
      what = std::string(panelKey(*m_exportPanel)) +
             (m_presetName.empty() ? "" : "-" + m_presetName) + "-step" + std::to_string(step);
    }
    path = screenshotName(folder, ".png", what);
  }
  gfx::Image image;
  if (exportNow && !exit && !m_state.screenshotRequested) {
    const PixelRect r = panelPixels(*m_exportPanel, fbw, fbh);
    image = gfx::readFramebuffer(r.x, r.y, r.width, r.height);
  } else {
    image = gfx::readFramebuffer(0, 0, fbw, fbh);
  }
  if (!m_state.screenshotRequested && !exit) m_exportPanel.reset();  // else: next frame
  m_state.screenshotRequested = false;
  if (auto err = gfx::writePng(path.string(), image); !err.empty()) {
    std::fprintf(stderr, "gradscope: screenshot failed: %s\n", err.c_str());
    m_toast.show(std::string(tr("toast.screenshot_failed")) + " " + err, true);
    if (exit) throw std::runtime_error(err);
    return;
  }
  ++m_screenshots;
  m_lastScreenshot = path.string();
  std::printf("gradscope: saved %s (%d×%d)\n", path.c_str(), image.width, image.height);
  std::fflush(stdout);
  m_toast.show(std::string(tr("toast.saved")) + " " + path.string(), false);
}

PixelRect Capture::panelPixels(Panel panel, int fbw, int fbh) const {
  // The framebuffer may be larger than the window (HiDPI): scale panel rectangles to it.
  return framebufferRect(m_rects[static_cast<size_t>(panel)],
                         ImGui::GetIO().DisplayFramebufferScale, fbw, fbh);
}

void Capture::toggleRecording(std::optional<Panel> panel) {
  if (m_recording) {
    stopRecording(false);
    return;
  }
  const fs::path folder = pictureFolder();
  std::error_code ec;
  fs::create_directories(folder, ec);
  startRecording(panel, screenshotName(folder, m_recordGif ? ".gif" : ".mp4").string(), false);
}

void Capture::startRecording(std::optional<Panel> panel, const std::string& path,
                             bool commandLine) {
  int fbw = 0, fbh = 0;
  glfwGetFramebufferSize(m_window, &fbw, &fbh);
  const PixelRect r = panel ? panelPixels(*panel, fbw, fbh) : PixelRect{0, 0, fbw, fbh};
  try {
    if (panel && (!m_state.visible[static_cast<size_t>(*panel)] || r.width <= 0 || r.height <= 0))
      throw std::runtime_error(std::string("the panel '") + panelKey(*panel) + "' is not shown");
    // A command-line recording has one output frame per app frame, so it is the same
    // whatever the machine's speed; --bench-frames records by wall time, as the app does.
    const bool deterministic = commandLine && m_options.benchFrames == 0;
    m_recording =
        std::make_unique<Recording>(path, r.width, r.height, m_options.recordFps, deterministic);
    m_recordPanel = panel;
    m_commandLineRecording = commandLine;
  } catch (const std::exception& e) {
    if (commandLine) throw std::runtime_error(std::string("--record: ") + e.what());
    std::fprintf(stderr, "gradscope: cannot record: %s\n", e.what());
    m_toast.show(std::string(tr("record.failed")) + " " + e.what(), true);
  }
}

void Capture::stopRecording(bool wait) {
  if (m_recording) {
    if (m_closing) reportClosed(true);  // one file closing at a time
    m_recording->beginFinish();
    m_closing = std::move(m_recording);
    m_recordPanel.reset();
  }
  reportClosed(wait || m_commandLineRecording);
}

void Capture::reportClosed(bool wait) {
  if (!m_closing || (!wait && !m_closing->closed())) return;
  const std::string err = m_closing->finish();
  const Recording& r = *m_closing;
  char what[160];
  std::snprintf(what, sizeof what, "%lld frames at %d fps, %d×%d, %s",
                static_cast<long long>(r.frames()), m_options.recordFps, r.width(), r.height(),
                r.encoder().codecName().c_str());
  if (err.empty()) {
    std::printf("gradscope: recorded %s (%s)\n", r.path().c_str(), what);
    std::fflush(stdout);
    m_toast.show(std::string(tr("record.saved")) + " " + r.path() + " (" +
                     clockText(r.frames() / static_cast<double>(m_options.recordFps)) + ")",
                 false);
  } else {
    std::fprintf(stderr, "gradscope: recording %s stopped: %s (%s written)\n", r.path().c_str(),
                 err.c_str(), what);
    m_toast.show(std::string(tr("record.failed")) + " " + err + "\n" + r.path(), true);
  }
  m_lastRecording = r.path();
  m_closing.reset();
  if (m_commandLineRecording && !err.empty()) throw std::runtime_error("--record: " + err);
}

void Capture::captureRecording(int number, int fbw, int fbh, bool last) {
  // A command-line recording starts at the second frame: the first lays the panels out before
  // the menu bar has taken its height from the work area.
  if (number == 2 && !m_options.record.empty()) {
    std::optional<Panel> panel;
    for (size_t p = 0; p < m_state.visible.size(); ++p)
      if (m_options.recordPanel == panelKey(static_cast<Panel>(p))) panel = static_cast<Panel>(p);
    startRecording(panel, m_options.record, true);
  }
  if (!m_recording) return;
  const PixelRect r =
      m_recordPanel ? panelPixels(*m_recordPanel, fbw, fbh) : PixelRect{0, 0, fbw, fbh};
  m_recording->capture(r.x, r.y, r.width, r.height, fbh);
  // An error stops the recording (a toast says why); training goes on.
  if (!m_recording->error().empty() ||
      (last && m_commandLineRecording && m_options.benchFrames == 0))
    stopRecording(false);
}

std::string Capture::recordingSummary() const {
  if (!m_recording) return {};
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "%lld output frames at %d fps in %.1f s: %lld pictures stored, %lld dropped "
                "(encoder busy)",
                static_cast<long long>(m_recording->frames()), m_options.recordFps,
                m_recording->seconds(),
                static_cast<long long>(m_recording->encoder().picturesEncoded()),
                static_cast<long long>(m_recording->dropped()));
  return buf;
}

void Capture::drawRecordIndicator() const {
  if (!m_recording) return;
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  const ImVec2 a = m_recordButtonMin, b = m_recordButtonMax;
  dl->AddRectFilled(a, b, IM_COL32(150, 24, 28, 255), ImGui::GetStyle().FrameRounding);
  const float h = b.y - a.y;
  const float blink = std::fmod(m_recording->seconds(), 1.0) < 0.5 ? 255.0f : 150.0f;
  dl->AddCircleFilled(ImVec2(a.x + h * 0.5f, a.y + h * 0.5f), h * 0.22f,
                      IM_COL32(255, 70, 70, static_cast<int>(blink)));
  const std::string t = clockText(m_recording->seconds());
  dl->AddText(ImVec2(a.x + h, a.y + (h - ImGui::GetFontSize()) * 0.5f),
              IM_COL32(255, 255, 255, 255), t.c_str());
}

void Capture::renderAndRecord(int number, int fbw, int fbh, bool last) {
  ImDrawData* dd = ImGui::GetDrawData();
  ImDrawList* fg = ImGui::GetForegroundDrawList();
  const bool split =
      m_recording && dd->CmdListsCount > 0 && dd->CmdLists[dd->CmdListsCount - 1] == fg;
  if (split) --dd->CmdListsCount;
  ImGui_ImplOpenGL3_RenderDrawData(dd);
  if (split) ++dd->CmdListsCount;
  captureRecording(number, fbw, fbh, last);
  if (m_recording && dd->CmdListsCount > 0 && dd->CmdLists[dd->CmdListsCount - 1] == fg) {
    // The indicator, over what was recorded.
    ImDrawData overlay = *dd;
    overlay.CmdLists = &dd->CmdLists[dd->CmdListsCount - 1];
    overlay.CmdListsCount = 1;
    ImGui_ImplOpenGL3_RenderDrawData(&overlay);
  }
}

}  // namespace gradscope::ui
