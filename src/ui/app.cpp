// The app shell: GLFW window with an OpenGL 3.3 core context, glad, Dear ImGui with its GLFW
// and OpenGL3 backends, the Trainer, and the main loop: take the newest snapshot, lay out and
// draw the panels from it, forward what they ask to the trainer, export what is asked for.
//
// [SECTION] Session, layout and files
// [SECTION] Menus and keys
// [SECTION] The App
#include "ui/app.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <imgui_internal.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gfx/framebuffer.h"
#include "train/asset_paths.h"
#include "train/config_json.h"
#include "train/export.h"
#include "train/trainer.h"
#include "ui/boundary_renderer.h"
#include "ui/file_dialog.h"
#include "ui/i18n.h"
#include "ui/input_queue.h"
#include "ui/panels.h"
#include "ui/persist.h"
#include "ui/recording.h"
#include "ui/theme.h"
#include "ui/ui_state.h"

namespace gradscope::ui {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

//-----------------------------------------------------------------------------
// [SECTION] Session, layout and files
//-----------------------------------------------------------------------------

std::string g_glfwError;

void onGlfwError(int, const char* description) {
  g_glfwError = description ? description : "unknown error";
}

const char* panelTitle(Panel p) {
  switch (p) {
    case Panel::Controls:
      return "Controls";
    case Panel::Activation:
      return "Activation";
    case Panel::Gradients:
      return "Gradient flow";
    case Panel::Neurons:
      return "Neurons";
    case Panel::Loss:
      return "Loss and accuracy";
    case Panel::Boundary:
      return "Decision boundary";
    case Panel::Lessons:
      return "Lessons";
    case Panel::Count:
      break;
  }
  return "";
}

struct Rect {
  ImVec2 pos, size;
};
using Layout = std::array<Rect, static_cast<size_t>(Panel::Count)>;

// Fixed tiling of the work area: controls on the left; gradient flow and decision boundary
// on top; activation, neurons, loss below. Hidden panels give their room to their row.
Layout layout(const UiState& s, ImVec2 pos, ImVec2 size) {
  Layout out{};
  auto shown = [&](Panel p) { return s.visible[static_cast<size_t>(p)]; };
  const float scale = ImGui::GetFontSize() / 15.0f;
  float x = pos.x;
  if (shown(Panel::Controls) || shown(Panel::Lessons)) {
    // Lessons and controls share the left column as tabs.
    const float w = std::clamp(size.x * 0.22f, 330.0f * scale, 430.0f * scale);
    out[static_cast<size_t>(Panel::Controls)] =
        out[static_cast<size_t>(Panel::Lessons)] = {pos, ImVec2(w, size.y)};
    x += w;
  }
  const float w = pos.x + size.x - x;
  auto row = [&](std::initializer_list<std::pair<Panel, float>> panels, float y, float h) {
    float total = 0;
    for (auto [p, weight] : panels)
      if (shown(p)) total += weight;
    float cx = x;
    for (auto [p, weight] : panels)
      if (shown(p)) {
        const float pw = w * weight / total;
        out[static_cast<size_t>(p)] = {ImVec2(cx, y), ImVec2(pw, h)};
        cx += pw;
      }
  };
  const bool top = shown(Panel::Gradients) || shown(Panel::Boundary);
  const bool bottom = shown(Panel::Activation) || shown(Panel::Neurons) || shown(Panel::Loss);
  const float topH = top && bottom ? size.y * 0.55f : size.y;
  if (top) row({{Panel::Gradients, 0.6f}, {Panel::Boundary, 0.4f}}, pos.y, topH);
  if (bottom)
    row({{Panel::Activation, 0.36f}, {Panel::Neurons, 0.32f}, {Panel::Loss, 0.32f}},
        top ? pos.y + topH : pos.y, top ? size.y - topH : size.y);
  return out;
}

fs::path defaultPictureFolder() {
  if (const char* x = std::getenv("XDG_PICTURES_DIR"); x && *x) return fs::path(x) / "gradscope";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / "Pictures" / "gradscope";
  return fs::current_path();
}

// gradscope-YYYYMMDD-HHMMSS.png (or `extension`) in `folder`, never overwriting (-2, -3, ...).
// A new file in `folder`, never an existing one: "gradscope-<what>-<time>.png" ("what" names a
// panel export: "gradients-01-deep-sigmoid-step3000").
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

// "1:05" or "1:02:05".
std::string clockText(double seconds) {
  const long s = static_cast<long>(seconds);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

// A preset by file name, or by name in assets/presets ("01-deep-sigmoid" or
// "01-deep-sigmoid.json").
std::string resolvePreset(const std::string& name) {
  std::error_code ec;
  if (fs::exists(name, ec)) return name;
  const fs::path dir = fs::path(assetsDir()) / "presets";
  for (const fs::path& p : {dir / name, dir / (name + ".json")})
    if (fs::exists(p, ec)) return p.string();
  return name;  // loadPreset reports it missing
}

SessionConfig benchSession() {
  SessionConfig c = defaultSession();
  RunConfig base = c.runs[0];
  c.runs.clear();
  for (Activation a :
       {Activation::Sigmoid, Activation::ReLU, Activation::Tanh, Activation::LeakyReLU}) {
    base.activation = freshActivation(a);
    c.runs.push_back(base);
  }
  return c;
}

float totalStepsPerSecond(const Snapshot& s) {
  float sps = 0;
  for (const auto& r : s.runs) sps += r.stepsPerSecond;
  return sps;
}

// The process's peak resident memory (VmHWM), in MiB; 0 where /proc cannot be read.
double peakRssMiB() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("VmHWM:")) return std::atof(line.c_str() + 6) / 1024.0;
  return 0;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5))];
}

// CPU time of the calling thread: the UI thread's own work per frame, excluding the trainer
// and (with a software renderer) the rasterizer's threads.
double threadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// A rectangle of the framebuffer, in its pixels from the top-left corner.
struct PixelRect {
  int x = 0, y = 0, width = 0, height = 0;
};

struct Toast {
  std::string text;
  Clock::time_point until{};
  bool error = false;
};

//-----------------------------------------------------------------------------
// [SECTION] The App
//-----------------------------------------------------------------------------

class App {
 public:
  App(GLFWwindow* window, const AppOptions& options, const SessionConfig& session, Trainer& trainer)
      : m_window(window), m_options(options), m_trainer(trainer) {
    m_state.edit = session;
    for (size_t p = 0; p < m_state.visible.size(); ++p) {
      const auto it = session.panels.find(panelKey(static_cast<Panel>(p)));
      if (it != session.panels.end()) m_state.visible[p] = it->second;
    }
    installInputQueue(window, &m_input);
  }
  ~App() { installInputQueue(m_window, nullptr); }
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  UiState& state() { return m_state; }
  void setLessons(LessonBook book) { m_lessons = std::move(book); }
  void setMissingGlyphs(int n) { m_missingGlyphs = n; }
  void setPresetName(std::string name) { m_presetName = std::move(name); }
  Trainer& trainer() { return m_trainer; }

  // One frame; returns false when the app should close.
  bool frame(int number, bool last);

  void toast(std::string text, bool error) {
    m_toast = {std::move(text), Clock::now() + std::chrono::seconds(error ? 8 : 5), error};
  }

  std::vector<double> cpuMs, wallMs;
  long vertices = 0;

  // Starts recording the whole window (or `panel`) to the screenshot folder, or stops.
  void toggleRecording(std::optional<Panel> panel);
  // The recording's figures for --bench-frames, before it is closed; "" when none.
  std::string recordingSummary() const;
  void closeRecording() { stopRecording(true); }

 private:
  void followTrainer(const Snapshot& snap);
  void drawMenuBar(const Snapshot& snap);
  void handleKeys(const Snapshot& snap);
  void drawPanels(const Snapshot& snap);
  void drawToast();
  void runFileAction(FileAction action, const Snapshot& snap);
  void openPreset(const std::string& path);

 public:
  // Shows the lesson whose preset is `presetPath` (if one is).
  void selectLessonOf(const std::string& presetPath);
  // What a preset's view asks for, replacing what the last one left (run, layer, measure, zoom).
  void applyView(const ViewConfig& view);

 private:
  void saveScreenshots(int fbw, int fbh, bool last);
  PixelRect panelPixels(Panel panel, int fbw, int fbh) const;
  void startRecording(std::optional<Panel> panel, const std::string& path, bool commandLine);
  // Stops the recording; the file is finished in the background unless `wait`.
  void stopRecording(bool wait);
  void reportClosedRecording(bool wait);  // a toast once the stopped recording's file is done
  void captureRecording(int number, int fbw, int fbh, bool last);
  void drawRecordIndicator();
  void renderDrawData();
  void writeStateFile(const Snapshot& snap, int frame);

  GLFWwindow* m_window;
  AppOptions m_options;
  Trainer& m_trainer;
  UiState m_state;
  BoundaryRenderer m_boundary;
  FileDialog m_dialog;
  InputQueue m_input;
  LessonBook m_lessons;
  std::optional<Panel> m_selectTab;  // a left-column tab to bring forward next frame
  Toast m_toast;
  std::uint64_t m_seenMessage = 0;
  std::optional<SessionConfig> m_pending;  // sent, not yet seen in a snapshot
  std::uint64_t m_pendingMessage = 0;
  Layout m_rects{};
  std::optional<Panel> m_exportPanel;  // a panel to save as PNG once m_exportWait frames passed
  int m_exportWait = 0;
  std::string m_presetName;  // the preset (lesson) last opened, for the names of panel PNGs
  float m_frameMs = 0;
  bool m_stopped = false;   // --stop-at has paused training
  int m_missingGlyphs = 0;  // characters of the Korean texts the fonts cannot draw
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

void App::followTrainer(const Snapshot& snap) {
  if (m_options.stopAt > 0 && snap.playing && !m_stopped) {
    long least = snap.runs.empty() ? 0 : snap.runs.front().step;
    for (const auto& r : snap.runs) least = std::min(least, r.step);
    if (least >= m_options.stopAt) m_trainer.send(cmd::Pause{}), m_stopped = true;
  }
  // The controls show the trainer's config unless an edit is on its way.
  if (m_pending && (snap.config == *m_pending || snap.messageId != m_pendingMessage))
    m_pending.reset();
  if (!m_pending) m_state.edit = snap.config;
  if (snap.messageId != m_seenMessage) {
    m_seenMessage = snap.messageId;
    if (!snap.message.empty()) toast(snap.message, snap.messageIsError);
  }
  m_state.selectedRun =
      std::clamp(m_state.selectedRun, 0, std::max(0, static_cast<int>(snap.runs.size()) - 1));
}

void App::drawMenuBar(const Snapshot& snap) {
  if (!ImGui::BeginMainMenuBar()) return;
  const std::string runName =
      snap.runs.empty() ? "" : snap.runs[static_cast<size_t>(m_state.selectedRun)].label;
  const std::string cwd = fs::current_path().string() + "/";
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open preset…", "Ctrl+O"))
      m_dialog.open(FileAction::OpenPreset, assetsDir() + "/presets/");
    if (ImGui::BeginMenu("Open recent", !m_state.recentFiles.empty())) {
      for (const auto& f : m_state.recentFiles)
        if (ImGui::MenuItem(f.c_str())) {
          openPreset(f);
          break;
        }
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem("Save session as preset…", "Ctrl+S"))
      m_dialog.open(FileAction::SavePreset, cwd + "session.json");
    ImGui::Separator();
    if (ImGui::MenuItem("Train on a CSV file…")) m_dialog.open(FileAction::OpenCsv, cwd);
    if (ImGui::MenuItem("Export metrics as CSV…"))
      m_dialog.open(FileAction::ExportMetrics, cwd + "gradscope-metrics.csv");
    if (ImGui::MenuItem(("Save weights of " + runName + "…").c_str(), nullptr, false,
                        !snap.runs.empty()))
      m_dialog.open(FileAction::SaveWeights, cwd + "weights.json");
    if (ImGui::MenuItem(("Load weights into " + runName + "…").c_str(), nullptr, false,
                        !snap.runs.empty()))
      m_dialog.open(FileAction::LoadWeights, cwd);
    ImGui::Separator();
    if (ImGui::MenuItem("Save screenshot", "F12")) m_state.screenshotRequested = true;
    if (ImGui::MenuItem(m_recording ? tr("record.stop") : tr("record.start"), "Ctrl+R"))
      toggleRecording(std::nullopt);
    if (ImGui::BeginMenu(tr("record.format"), !m_recording)) {
      if (ImGui::MenuItem(tr("record.format_mp4"), nullptr, !m_recordGif)) m_recordGif = false;
      if (ImGui::MenuItem(tr("record.format_gif"), nullptr, m_recordGif)) m_recordGif = true;
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem("Screenshot folder…"))
      m_dialog.open(FileAction::PictureFolder,
                    (m_state.pictureFolder.empty() ? defaultPictureFolder().string()
                                                   : m_state.pictureFolder) +
                        "/");
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) m_state.quitRequested = true;
    ImGui::EndMenu();
  }
  const bool view = ImGui::BeginMenu("View");
  rememberItem(m_state, "view_menu");
  if (view) {
    for (size_t p = 0; p < m_state.visible.size(); ++p)
      ImGui::MenuItem(panelTitle(static_cast<Panel>(p)), nullptr, &m_state.visible[p]);
    ImGui::Separator();
    const bool language = ImGui::BeginMenu("Language / 언어");
    rememberItem(m_state, "language_menu");
    if (language) {
      if (ImGui::MenuItem("English", nullptr, m_state.language == Language::English))
        m_state.language = Language::English;
      rememberItem(m_state, "language_en");
      if (ImGui::MenuItem("한국어", nullptr, m_state.language == Language::Korean,
                          m_state.hangulFont))
        m_state.language = Language::Korean;
      rememberItem(m_state, "language_ko");
      if (!m_state.hangulFont)
        tooltip("No Hangul font found: install fonts-nanum (scripts/run does).");
      ImGui::EndMenu();
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Training")) {
    if (ImGui::MenuItem(snap.playing ? "Pause" : "Play", "Space")) m_state.send(cmd::TogglePlay{});
    if (ImGui::MenuItem("Step", "S", false, !snap.playing)) m_state.send(cmd::Step{1});
    if (ImGui::MenuItem("Reset", "R")) m_state.send(cmd::Reset{});
    if (ImGui::MenuItem("Reseed")) m_state.send(cmd::Reseed{snap.config.seed + 1});
    ImGui::EndMenu();
  }
  // Record and screenshot buttons at the right end of the menu bar. While recording, the
  // record button is covered by a red indicator drawn after the capture (drawRecordIndicator),
  // so the recording itself shows the bar as it is between recordings.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float w = ImGui::CalcTextSize("Screenshot (F12)").x + style.FramePadding.x * 2;
  const char* recordLabel = tr("record.button");
  const float rw = std::max(ImGui::CalcTextSize(recordLabel).x,
                            ImGui::CalcTextSize("0:00:00 ").x + ImGui::GetFontSize()) +
                   style.FramePadding.x * 2;
  ImGui::SameLine(ImGui::GetWindowWidth() - w - rw - style.ItemSpacing.x * 2);
  const ImVec2 textSize = ImGui::CalcTextSize(recordLabel);
  if (ImGui::Button((std::string(recordLabel) + "###record").c_str(),
                    ImVec2(rw, textSize.y + style.FramePadding.y * 2)))
    toggleRecording(std::nullopt);
  m_recordButtonMin = ImGui::GetItemRectMin();
  m_recordButtonMax = ImGui::GetItemRectMax();
  rememberItem(m_state, "record_button");
  if (m_recording)
    tooltip((std::string(tr("tip.recording")) + "\n" + m_recording->path()).c_str());
  else
    tooltip(tr("tip.record"));
  ImGui::SameLine(ImGui::GetWindowWidth() - w - style.ItemSpacing.x);
  if (ImGui::SmallButton("Screenshot (F12)")) m_state.screenshotRequested = true;
  tooltip(tr("tip.screenshot"));
  ImGui::EndMainMenuBar();
}

void App::handleKeys(const Snapshot& snap) {
  const ImGuiIO& io = ImGui::GetIO();
  const bool dialog = ImGui::IsPopupOpen("##file-dialog");
  for (const KeyPress& k : m_input.takeShortcuts()) {
    const bool ctrl = (k.mods & GLFW_MOD_CONTROL) != 0;
    if (ctrl && k.key == GLFW_KEY_Q) m_state.quitRequested = true;
    if (k.key == GLFW_KEY_F12 && !k.repeat) m_state.screenshotRequested = true;
    if (ctrl && k.key == GLFW_KEY_R && !k.repeat) toggleRecording(std::nullopt);
    if (dialog || io.WantTextInput) continue;
    if (ctrl && k.key == GLFW_KEY_O)
      m_dialog.open(FileAction::OpenPreset, assetsDir() + "/presets/");
    if (ctrl && k.key == GLFW_KEY_S)
      m_dialog.open(FileAction::SavePreset, fs::current_path().string() + "/session.json");
    if (k.mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT | GLFW_MOD_SUPER)) continue;
    if (k.key == GLFW_KEY_SPACE && !k.repeat) m_state.send(cmd::TogglePlay{});
    if (k.key == GLFW_KEY_S && !snap.playing) m_state.send(cmd::Step{1});
    if (k.key == GLFW_KEY_R && !k.repeat) m_state.send(cmd::Reset{});
    // 1–9 pick an activation for the selected run: Sigmoid, Tanh, ReLU, Leaky ReLU, PReLU,
    // ELU, SELU, GELU, SiLU (the table after Linear).
    RunConfig* run = m_state.selectedEditRun();
    if (k.key >= GLFW_KEY_1 && k.key <= GLFW_KEY_9 && !k.repeat && run) {
      const auto& info = activationTable()[static_cast<size_t>(k.key - GLFW_KEY_0)];
      run->activation = freshActivation(info.id);
      m_state.changed();
    }
  }
}

void App::drawPanels(const Snapshot& snap) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float statusH = ImGui::GetFrameHeightWithSpacing() + 4;
  m_rects = layout(m_state, vp->WorkPos, ImVec2(vp->WorkSize.x, vp->WorkSize.y - statusH));
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;
  const bool lessons = m_state.visible[static_cast<size_t>(Panel::Lessons)];
  const bool controls = m_state.visible[static_cast<size_t>(Panel::Controls)];
  if (lessons || controls) {
    const Rect& r = m_rects[static_cast<size_t>(Panel::Controls)];
    ImGui::SetNextWindowPos(r.pos);
    ImGui::SetNextWindowSize(r.size);
    if (ImGui::Begin("##left", nullptr, fixed | ImGuiWindowFlags_NoTitleBar) &&
        ImGui::BeginTabBar("##left-tabs")) {
      // One tab of the left column: its title, the state file's name for it, what it draws.
      const auto tab = [&](bool shown, Panel panel, const char* item, const auto& draw) {
        if (!shown) return;
        const bool open = ImGui::BeginTabItem(
            panelTitle(panel), nullptr, m_selectTab == panel ? ImGuiTabItemFlags_SetSelected : 0);
        rememberItem(m_state, item);
        if (!open) return;
        draw();
        ImGui::EndTabItem();
      };
      tab(lessons, Panel::Lessons, "lessons_tab",
          [&] { drawLessonsPanel(snap, m_state, m_lessons); });
      tab(controls, Panel::Controls, "controls_tab", [&] { drawControlsPanel(snap, m_state); });
      m_selectTab.reset();
      ImGui::EndTabBar();
    }
    ImGui::End();
  }
  for (size_t p = 0; p < m_rects.size(); ++p) {
    const Panel panel = static_cast<Panel>(p);
    if (!m_state.visible[p] || panel == Panel::Controls || panel == Panel::Lessons) continue;
    ImGui::SetNextWindowPos(m_rects[p].pos);
    ImGui::SetNextWindowSize(m_rects[p].size);
    const std::string title =
        panel == Panel::Boundary ? boundaryTitle(snap, panelTitle(panel)) : panelTitle(panel);
    if (ImGui::Begin(title.c_str(), &m_state.visible[p], fixed)) {
      switch (panel) {
        case Panel::Controls:
        case Panel::Lessons:
          break;
        case Panel::Activation:
          drawActivationPanel(snap, m_state);
          break;
        case Panel::Gradients:
          drawGradientPanel(snap, m_state);
          break;
        case Panel::Neurons:
          drawNeuronPanel(snap, m_state);
          break;
        case Panel::Loss:
          drawLossPanel(snap, m_state);
          break;
        case Panel::Boundary:
          drawBoundaryPanel(snap, m_state, m_boundary);
          break;
        case Panel::Count:
          break;
      }
      // Each panel's context menu exports that panel alone.
      if (ImGui::BeginPopupContextWindow(
              "##panel-menu",
              ImGuiPopupFlags_MouseButtonRight | ImGuiPopupFlags_NoOpenOverExistingPopup)) {
        // Saved two frames on, once the menu has closed: the PNG shows the panel, not the menu.
        if (ImGui::MenuItem("Export this panel as PNG")) m_exportPanel = panel, m_exportWait = 2;
        rememberItem(m_state, "panel_menu_export");
        if (m_recording && m_recordPanel == panel) {
          if (ImGui::MenuItem(tr("record.stop"))) toggleRecording(panel);
        } else if (ImGui::MenuItem(tr("record.panel"), nullptr, false, !m_recording)) {
          toggleRecording(panel);
        }
        if (ImGui::MenuItem("Hide this panel")) m_state.visible[p] = false;
        ImGui::EndPopup();
      }
    }
    ImGui::End();
  }
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, vp->WorkPos.y + vp->WorkSize.y - statusH));
  ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, statusH));
  if (ImGui::Begin("##status", nullptr,
                   fixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar))
    drawStatusBar(snap, m_state, m_frameMs);
  ImGui::End();
}

void App::drawToast() {
  if (m_toast.text.empty() || Clock::now() >= m_toast.until) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float statusH = ImGui::GetFrameHeightWithSpacing() + 4;
  ImGui::SetNextWindowPos(
      ImVec2(vp->WorkPos.x + vp->WorkSize.x - 16, vp->WorkPos.y + vp->WorkSize.y - statusH - 16),
      ImGuiCond_Always, ImVec2(1, 1));
  ImGui::SetNextWindowBgAlpha(0.94f);
  if (ImGui::Begin("##toast", nullptr,
                   ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                       ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                       ImGuiWindowFlags_NoNav)) {
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36);
    ImGui::TextColored(m_toast.error ? ImVec4(1, 0.55f, 0.5f, 1) : ImVec4(0.7f, 0.95f, 0.7f, 1),
                       "%s", m_toast.text.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
}

void App::openPreset(const std::string& path) {
  try {
    const Preset preset = loadPreset(path);
    m_state.edit = preset.session;
    m_pending = preset.session;
    m_pendingMessage = m_trainer.latest()->messageId;
    m_trainer.send(cmd::Configure{preset.session, false});
    for (size_t p = 0; p < m_state.visible.size(); ++p) {
      const auto it = preset.session.panels.find(panelKey(static_cast<Panel>(p)));
      if (it != preset.session.panels.end()) m_state.visible[p] = it->second;
    }
    applyView(preset.session.view);
    m_presetName = fs::path(path).stem().string();
    addRecentFile(m_state, fs::absolute(path).string());
    selectLessonOf(path);
    toast("Opened " + (preset.title.empty() ? path : preset.title), false);
  } catch (const std::exception& e) {
    toast(e.what(), true);
  }
}

void App::applyView(const ViewConfig& view) {
  m_state.selectedRun = view.run;
  m_state.activation.followRun = true;
  m_state.activation.histogramLayer = view.layer;
  m_state.gradientMeasure = static_cast<GradientMeasure>(view.measure);
  plot::resetViews();
}

void App::selectLessonOf(const std::string& presetPath) {
  const std::string stem = fs::path(presetPath).stem().string();
  const auto& lessons = m_lessons.lessons[0];
  for (size_t i = 0; i < lessons.size(); ++i)
    if (lessons[i].preset == stem) m_state.selectedLesson = static_cast<int>(i);
}

void App::runFileAction(FileAction action, const Snapshot& snap) {
  const std::string path = m_dialog.path;
  try {
    switch (action) {
      case FileAction::OpenPreset:
        openPreset(path);
        break;
      case FileAction::SavePreset: {
        Preset p;
        p.session = snap.config;
        for (size_t i = 0; i < m_state.visible.size(); ++i)
          p.session.panels[panelKey(static_cast<Panel>(i))] = m_state.visible[i];
        writeFileAtomically(path, presetToJson(p));
        addRecentFile(m_state, fs::absolute(path).string());
        toast("Saved the session to " + path, false);
        break;
      }
      case FileAction::ExportMetrics:
        writeFileAtomically(path, metricsCsv(snap));
        toast("Saved the metrics to " + path, false);
        break;
      case FileAction::SaveWeights:
        m_trainer.send(cmd::SaveWeights{m_state.selectedRun, path});
        break;
      case FileAction::LoadWeights: {
        const auto& run = snap.runs.at(static_cast<size_t>(m_state.selectedRun));
        auto net = std::make_shared<Mlp>(
            run.config.shape(snap.data->train.features(), snap.data->train.classes));
        loadWeights(path, *net);
        m_trainer.send(cmd::LoadWeights{m_state.selectedRun, net});
        toast("Loaded " + path + " into " + run.label, false);
        break;
      }
      case FileAction::OpenCsv:
        m_state.edit.data.csvPath = path;
        m_state.changed();
        break;
      case FileAction::PictureFolder:
        m_state.pictureFolder = path;
        while (m_state.pictureFolder.size() > 1 && m_state.pictureFolder.back() == '/')
          m_state.pictureFolder.pop_back();
        toast("Screenshots go to " + m_state.pictureFolder, false);
        break;
      case FileAction::None:
        break;
    }
  } catch (const std::exception& e) {
    toast(e.what(), true);
  }
}

void App::saveScreenshots(int fbw, int fbh, bool last) {
  const bool exit = last && !m_options.screenshot.empty();
  if (m_exportPanel && m_exportWait > 0) --m_exportWait;
  const bool exportNow = m_exportPanel && m_exportWait == 0;
  if (!m_state.screenshotRequested && !exportNow && !exit) return;
  fs::path path = exit ? fs::path(m_options.screenshot) : fs::path();
  std::error_code ec;
  if (path.empty()) {
    const fs::path folder =
        m_state.pictureFolder.empty() ? defaultPictureFolder() : fs::path(m_state.pictureFolder);
    fs::create_directories(folder, ec);
    std::string what;
    if (exportNow && !m_state.screenshotRequested) {
      long step = 0;
      for (const auto& r : m_trainer.latest()->runs) step = std::max(step, r.step);
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
    toast("Screenshot failed: " + err, true);
    if (exit) throw std::runtime_error(err);
    return;
  }
  ++m_screenshots;
  m_lastScreenshot = path.string();
  std::printf("gradscope: saved %s (%d×%d)\n", path.c_str(), image.width, image.height);
  std::fflush(stdout);
  toast("Saved " + path.string(), false);
}

PixelRect App::panelPixels(Panel panel, int fbw, int fbh) const {
  // The framebuffer may be larger than the window (HiDPI): scale panel rectangles to it.
  const ImVec2 s = ImGui::GetIO().DisplayFramebufferScale;
  const Rect& r = m_rects[static_cast<size_t>(panel)];
  PixelRect p;
  p.x = std::clamp(static_cast<int>(r.pos.x * s.x), 0, fbw);
  p.y = std::clamp(static_cast<int>(r.pos.y * s.y), 0, fbh);
  p.width = std::min(static_cast<int>(r.size.x * s.x), fbw - p.x);
  p.height = std::min(static_cast<int>(r.size.y * s.y), fbh - p.y);
  return p;
}

void App::toggleRecording(std::optional<Panel> panel) {
  if (m_recording) {
    stopRecording(false);
    return;
  }
  const fs::path folder =
      m_state.pictureFolder.empty() ? defaultPictureFolder() : fs::path(m_state.pictureFolder);
  std::error_code ec;
  fs::create_directories(folder, ec);
  startRecording(panel, screenshotName(folder, m_recordGif ? ".gif" : ".mp4").string(), false);
}

void App::startRecording(std::optional<Panel> panel, const std::string& path, bool commandLine) {
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
    toast(std::string(tr("record.failed")) + " " + e.what(), true);
  }
}

void App::stopRecording(bool wait) {
  if (m_recording) {
    if (m_closing) reportClosedRecording(true);  // one file closing at a time
    m_recording->beginFinish();
    m_closing = std::move(m_recording);
    m_recordPanel.reset();
  }
  reportClosedRecording(wait || m_commandLineRecording);
}

void App::reportClosedRecording(bool wait) {
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
    toast(std::string(tr("record.saved")) + " " + r.path() + " (" +
              clockText(r.frames() / static_cast<double>(m_options.recordFps)) + ")",
          false);
  } else {
    std::fprintf(stderr, "gradscope: recording %s stopped: %s (%s written)\n", r.path().c_str(),
                 err.c_str(), what);
    toast(std::string(tr("record.failed")) + " " + err + "\n" + r.path(), true);
  }
  m_lastRecording = r.path();
  m_closing.reset();
  if (m_commandLineRecording && !err.empty()) throw std::runtime_error("--record: " + err);
}

void App::captureRecording(int number, int fbw, int fbh, bool last) {
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

std::string App::recordingSummary() const {
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

void App::drawRecordIndicator() {
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

// Renders the frame; while recording, ImGui's foreground list (the record indicator) is drawn
// after the capture, so it shows in the window but not in the recording.
void App::renderDrawData() {
  ImDrawData* dd = ImGui::GetDrawData();
  ImDrawList* fg = ImGui::GetForegroundDrawList();
  const bool split =
      m_recording && dd->CmdListsCount > 0 && dd->CmdLists[dd->CmdListsCount - 1] == fg;
  if (split) --dd->CmdListsCount;
  ImGui_ImplOpenGL3_RenderDrawData(dd);
  if (split) ++dd->CmdListsCount;
}

void App::writeStateFile(const Snapshot& snap, int frame) {
  if (m_options.stateFile.empty()) return;
  nlohmann::json j;
  j["frame"] = frame;
  j["playing"] = snap.playing;
  j["screenshots"] = m_screenshots;
  j["recording"] = m_recording ? m_recording->path() : std::string();
  j["last_recording"] = m_lastRecording;
  j["toast"] = Clock::now() < m_toast.until ? m_toast.text : std::string();
  j["last_screenshot"] = m_lastScreenshot;
  j["selected_run"] = m_state.selectedRun;
  auto& runs = j["runs"];
  runs = nlohmann::json::array();
  for (const auto& r : snap.runs)
    runs.push_back({{"label", r.label},
                    {"activation", std::string(activationInfo(r.config.activation.activation).key)},
                    {"step", r.step},
                    {"state", r.state == RunState::Running  ? "running"
                              : r.state == RunState::Paused ? "paused"
                                                            : "diverged"}});
  int w = 0, h = 0;
  glfwGetWindowSize(m_window, &w, &h);
  j["window"] = {w, h};
  for (const auto& [name, rect] : m_state.itemRects) j[name] = rect;
  auto& panels = j["panels"];
  panels = nlohmann::json::object();
  for (size_t p = 0; p < m_rects.size(); ++p)
    if (m_state.visible[p])
      panels[panelKey(static_cast<Panel>(p))] = {m_rects[p].pos.x, m_rects[p].pos.y,
                                                 m_rects[p].size.x, m_rects[p].size.y};
  j["missing_glyphs"] = m_missingGlyphs;
  if (m_dialog.action != FileAction::None) {
    j["dialog"] = {{"path", m_dialog.path}, {"entries", m_dialog.entryRects}};
  }
  j["language"] = m_state.language == Language::Korean ? "ko" : "en";
  try {
    writeFileAtomically(m_options.stateFile, j.dump());
  } catch (const std::exception&) {
  }
}

bool App::frame(int number, bool last) {
  const auto t0 = Clock::now();
  const double cpu0 = threadCpuMs();
  int fbw = 0, fbh = 0;
  glfwGetFramebufferSize(m_window, &fbw, &fbh);
  const std::shared_ptr<const Snapshot> snap = m_trainer.latest();
  followTrainer(*snap);
  reportClosedRecording(false);

  setLanguage(m_state.language);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  m_input.deliver(ImGui::GetIO(), ImGui::GetTime() + ImGui::GetIO().DeltaTime);
  ImGui::NewFrame();
  handleKeys(*snap);
  drawMenuBar(*snap);
  drawPanels(*snap);
  if (const FileAction action = drawFileDialog(m_dialog); action != FileAction::None)
    runFileAction(action, *snap);
  drawToast();
  drawRecordIndicator();

  // Forward what the panels asked for.
  if (!m_state.openPreset.empty()) {
    openPreset(resolvePreset(m_state.openPreset));
    m_state.openPreset.clear();
  }
  if (!m_state.error.empty()) {
    toast(m_state.error, true);
    m_state.error.clear();
  }
  if (m_state.editDirty) {
    m_state.editDirty = false;
    dropStaleLabels(m_pending ? *m_pending : snap->config, m_state.edit);
    m_pending = m_state.edit;
    m_pendingMessage = snap->messageId;
    m_trainer.send(cmd::Configure{m_state.edit, m_state.hotSwap});
  }
  for (auto& c : m_state.outbox) m_trainer.send(std::move(c));
  m_state.outbox.clear();

  ImGui::Render();
  gfx::clearFramebuffer(fbw, fbh, 0.08f, 0.085f, 0.10f);
  renderDrawData();
  captureRecording(number, fbw, fbh, last);
  if (ImDrawData* dd = ImGui::GetDrawData();
      m_recording && dd->CmdListsCount > 0 &&
      dd->CmdLists[dd->CmdListsCount - 1] == ImGui::GetForegroundDrawList()) {
    // The indicator, over what was recorded.
    ImDrawData overlay = *dd;
    overlay.CmdLists = &dd->CmdLists[dd->CmdListsCount - 1];
    overlay.CmdListsCount = 1;
    ImGui_ImplOpenGL3_RenderDrawData(&overlay);
  }
  const double wall = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  m_frameMs = static_cast<float>(wall);
  if (m_options.benchFrames > 0 && number > 10) {
    cpuMs.push_back(threadCpuMs() - cpu0);
    wallMs.push_back(wall);
    vertices += ImGui::GetDrawData()->TotalVtxCount;
  }
  saveScreenshots(fbw, fbh, last);  // after rendering, before the swap
  if (number % 10 == 0 || last) writeStateFile(*snap, number);
  return !m_state.quitRequested;
}

}  // namespace

// How many distinct characters of `text` the loaded font would draw as its fallback box.
static int missingGlyphs(const std::string& text) {
  ImFont* font = ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
  if (!font) return 0;
  ImGui::GetIO().Fonts->Build();
  std::vector<unsigned> seen;
  const char* p = text.c_str();
  const char* end = p + text.size();
  while (p < end) {
    unsigned c = 0;
    const int n = ImTextCharFromUtf8(&c, p, end);
    if (n <= 0) break;
    p += n;
    if (c < 0x80 || std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
    seen.push_back(c);
  }
  int missing = 0;
  for (unsigned c : seen) missing += font->FindGlyphNoFallback(static_cast<ImWchar>(c)) == nullptr;
  return missing;
}

// Under AddressSanitizer the leak check runs before glfwTerminate, not at exit: glfwTerminate
// unloads Mesa's driver, and what the driver keeps until then would be reported as leaks from
// an unknown module that no suppression can name. Everything of ours is freed by then.
static void leakCheckBeforeGlfwTerminate() {
#if defined(__SANITIZE_ADDRESS__)
  __lsan_do_leak_check();
#endif
}

static LessonBook loadLessonBook() {
  LessonBook book;
  const char* files[] = {"en.json", "ko.json"};
  for (int i = 0; i < 2; ++i) {
    try {
      book.lessons[i] = loadLessons(assetsDir() + "/lessons/" + files[i]);
    } catch (const std::exception& e) {
      book.error += (book.error.empty() ? "" : "; ") + std::string(e.what());
    }
  }
  if (!book.error.empty() && assets().found())
    std::fprintf(stderr, "gradscope: %s\n", book.error.c_str());
  return book;
}

SessionConfig defaultSession() {
  // Lesson 1: sigmoid and ReLU from the very same weights — the point within seconds.
  try {
    return loadPreset(assetsDir() + "/presets/01-deep-sigmoid.json").session;
  } catch (const std::exception&) {
  }
  SessionConfig c;
  c.data.kind = DatasetKind::Xor;
  c.data.samples = 400;
  c.data.noise = 0.05;
  c.data.testFraction = 0.2;
  RunConfig sigmoid;
  sigmoid.hidden.assign(10, 10);
  sigmoid.activation = {Activation::Sigmoid, 0.0};
  sigmoid.init = Init::XavierNormal;
  sigmoid.optimizer = OptimizerConfig{OptimizerKind::SGD, {{"lr", 0.1}}};
  RunConfig relu = sigmoid;
  relu.activation = {Activation::ReLU, 0.0};
  c.runs = {sigmoid, relu};
  return c;
}

int runApp(const AppOptions& options) {
  if (!options.record.empty()) {
    if (auto err = media::checkVideoPath(options.record); !err.empty()) {
      std::fprintf(stderr, "gradscope: --record: %s\n", err.c_str());
      return 2;
    }
  }
  if (!options.recordPanel.empty()) {
    std::string keys;
    bool known = false;
    for (size_t p = 0; p < static_cast<size_t>(Panel::Count); ++p) {
      const char* key = panelKey(static_cast<Panel>(p));
      known = known || options.recordPanel == key;
      keys += (keys.empty() ? "" : ", ") + std::string(key);
    }
    if (!known) {
      std::fprintf(stderr, "gradscope: --record-panel: no panel '%s'; the panels are %s\n",
                   options.recordPanel.c_str(), keys.c_str());
      return 2;
    }
  }
  const bool persist = options.frames == 0 && options.benchFrames == 0;
  SessionConfig session = defaultSession();
  if (options.benchFrames > 0 && options.preset.empty()) {
    session = benchSession();
  } else if (!options.preset.empty()) {
    try {
      session = loadPreset(resolvePreset(options.preset)).session;
    } catch (const std::exception& e) {
      const std::string where = assets().found() ? "" : "; " + notFoundMessage(assets());
      std::fprintf(stderr, "gradscope: --preset: %s%s\n", e.what(), where.c_str());
      return 2;
    }
  } else if (!options.fresh) {
    if (auto last = loadLastSession()) session = *last;
  }

  SessionOptions trainerOptions;
  trainerOptions.startPlaying = !options.paused;
  trainerOptions.threads = TaskPool::defaultThreads(1);  // every core but the one the UI needs
  float headlessSps = 0, headlessSingleSps = 0;
  if (options.benchFrames > 0) {
    // The same session without a window, for the throughput ratio; and its first run alone,
    // for what each of several runs can expect at best (its steps/s ÷ the run count).
    const auto measure = [&](const SessionConfig& c) {
      Trainer headless(c, trainerOptions);
      std::this_thread::sleep_for(std::chrono::milliseconds(3200));
      return totalStepsPerSecond(*headless.latest());
    };
    headlessSps = measure(session);
    SessionConfig single = session;
    single.runs.resize(1);
    headlessSingleSps = session.runs.size() > 1 ? measure(single) : headlessSps;
  }

  // The trainer's worker thread starts before the window, at normal priority; then the UI
  // thread lowers its own, so the threads it creates from here on (a software renderer's
  // rasterizer among them) yield the CPU to training when the two compete. With a GPU the UI
  // needs little CPU and nothing changes.
  std::unique_ptr<Trainer> trainer;
  std::string startError;  // shown in a toast once the window is up
  try {
    try {
      trainer = std::make_unique<Trainer>(session, trainerOptions);
    } catch (const DataError& e) {
      // The data cannot be read (a data set's package removed, a CSV moved): open on the
      // default session and say why, rather than not at all.
      startError = e.what();
      session = defaultSession();
      trainer = std::make_unique<Trainer>(session, trainerOptions);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gradscope: %s\n", e.what());
    return 2;
  }
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5);
  // With Mesa's software renderer (llvmpipe: no GPU, e.g. under Xvfb) the rasterizer would take
  // one thread per core; one is enough for the frame rate and leaves training its core. GPU
  // drivers ignore the variable; a value the user set wins.
  setenv("LP_NUM_THREADS", "1", 0);
  glfwSetErrorCallback(onGlfwError);
  if (!glfwInit()) {
    const char* display = std::getenv("DISPLAY");
    std::fprintf(stderr, "gradscope: cannot open a window (%s)%s\n", g_glfwError.c_str(),
                 display && *display
                     ? ""
                     : "; DISPLAY is not set — `gradscope train` works without a display");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  GLFWwindow* window =
      glfwCreateWindow(options.width, options.height, "gradscope", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "gradscope: cannot create an OpenGL 3.3 core window (%s)\n",
                 g_glfwError.c_str());
    leakCheckBeforeGlfwTerminate();
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(options.frames > 0 ? 0 : 1);
  if (auto err = gfx::loadGl(glfwGetProcAddress); !err.empty()) {
    std::fprintf(stderr, "gradscope: %s\n", err.c_str());
    leakCheckBeforeGlfwTerminate();
    glfwDestroyWindow(window);
    glfwTerminate();
    return 1;
  }

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is ours; settings live in the XDG config directory
  float xscale = 1.0f, yscale = 1.0f;
  glfwGetWindowContentScale(window, &xscale, &yscale);
  const float scale = std::max(1.0f, std::max(xscale, yscale));
  applyTheme(scale);
  if (!assets().found())
    std::fprintf(stderr, "gradscope: %s\n", notFoundMessage(assets()).c_str());
  else if (auto err = loadTranslations(assetsDir()); !err.empty())
    std::fprintf(stderr, "gradscope: %s\n", err.c_str());
  LessonBook lessons = loadLessonBook();
  std::string korean = koreanText();
  for (const Lesson& l : lessons.lessons[1]) korean += l.title + l.body + l.watch + l.tryNextLabel;
  const FontReport fonts = loadFonts(scale, korean);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  int exitCode = 0;
  try {
    App app(window, options, session, *trainer);
    app.setLessons(std::move(lessons));
    if (persist) loadUiSettings(app.state());
    if (!options.preset.empty()) {
      app.selectLessonOf(resolvePreset(options.preset));
      app.applyView(session.view);
      app.setPresetName(fs::path(resolvePreset(options.preset)).stem().string());
    }
    if (!startError.empty()) app.state().error = startError;
    app.state().hangulFont = fonts.hangul;
    app.setMissingGlyphs(missingGlyphs(korean));
    // Without a Hangul font Korean would show as boxes: fall back to English.
    if (!fonts.hangul) app.state().language = Language::English;
    if (!options.language.empty())
      app.state().language =
          options.language == "ko" && fonts.hangul ? Language::Korean : Language::English;
    // --record --frames N: N frames recorded, from the second frame drawn (captureRecording).
    const int lastFrame = options.benchFrames > 0  ? options.benchFrames
                          : options.record.empty() ? options.frames
                                                   : options.frames + 1;
    Clock::time_point benchStart{};
    int framesDrawn = 0;
    for (int frame = 1; !glfwWindowShouldClose(window); ++frame) {
      glfwPollEvents();
      int fbw = 0, fbh = 0;
      glfwGetFramebufferSize(window, &fbw, &fbh);
      if (fbw <= 0 || fbh <= 0) {  // minimised: nothing to draw into; training goes on
        glfwWaitEventsTimeout(0.05);
        --frame;
        continue;
      }
      const auto start = Clock::now();
      if (frame == 11) benchStart = start;
      const bool last = lastFrame > 0 && frame >= lastFrame;
      const bool keepGoing = app.frame(frame, last);
      glfwSwapBuffers(window);
      framesDrawn = frame;
      if (!keepGoing || last) break;
      // Pace to 60 frames per second where the swap does not wait for a display (Xvfb, or
      // vsync off): the UI shares the machine with training.
      if (options.frames == 0)
        std::this_thread::sleep_until(start + std::chrono::microseconds(16667));
      if (options.frameDelayMs > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(options.frameDelayMs));
    }
    const double benchSeconds = std::chrono::duration<double>(Clock::now() - benchStart).count();
    const std::string recording = app.recordingSummary();
    app.closeRecording();  // the file is finished before the app says goodbye
    if (options.benchFrames > 0) {
      int fbw = 0, fbh = 0;
      glfwGetFramebufferSize(window, &fbw, &fbh);
      const float windowSps = totalStepsPerSecond(*app.trainer().latest());
      std::printf("gradscope --bench-frames %d: %d×%d framebuffer, %zu runs of %zu×%d, %s\n",
                  options.benchFrames, fbw, fbh, session.runs.size(), session.runs[0].hidden.size(),
                  session.runs[0].hidden[0], gfx::glVersionString().c_str());
      std::printf(
          "  frame CPU time (UI thread): median %.2f ms, p95 %.2f ms (target p95 <= 16 ms)\n",
          percentile(app.cpuMs, 0.5), percentile(app.cpuMs, 0.95));
      std::printf(
          "  frame wall time (build + render, no swap): median %.2f ms, p95 %.2f ms; %ld vertices "
          "per frame\n",
          percentile(app.wallMs, 0.5), percentile(app.wallMs, 0.95),
          app.vertices / std::max<long>(1, static_cast<long>(app.wallMs.size())));
      std::printf(
          "  trainer: %.0f steps/s with the window, %.0f headless: %.0f%% (target >= 70%%)\n",
          windowSps, headlessSps, headlessSps > 0 ? 100.0 * windowSps / headlessSps : 0.0);
      const auto last = app.trainer().latest();
      const double fair = headlessSingleSps / static_cast<double>(last->runs.size());
      std::printf("  per run with the window (one run alone headless: %.1f steps/s, ÷ %zu = %.1f):",
                  headlessSingleSps, last->runs.size(), fair);
      for (const auto& r : last->runs)
        std::printf(" %.1f (%.0f%%)", r.stepsPerSecond,
                    fair > 0 ? 100.0 * r.stepsPerSecond / fair : 0);
      std::printf("\n  peak RSS %.1f MiB, %d training thread%s\n", peakRssMiB(), last->threads,
                  last->threads == 1 ? "" : "s");
      if (framesDrawn > 11)
        std::printf("  app frame rate: %.1f frames/s over frames 11–%d (paced to at most 60)\n",
                    (framesDrawn - 10) / benchSeconds, framesDrawn);
      if (!recording.empty()) std::printf("  recording: %s\n", recording.c_str());
    }
    if (persist) {
      SessionConfig last = app.trainer().latest()->config;
      for (size_t p = 0; p < app.state().visible.size(); ++p)
        last.panels[panelKey(static_cast<Panel>(p))] = app.state().visible[p];
      if (auto err = saveLastSession(last); !err.empty())
        std::fprintf(stderr, "gradscope: %s\n", err.c_str());
      if (auto err = saveUiSettings(app.state()); !err.empty())
        std::fprintf(stderr, "gradscope: %s\n", err.c_str());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gradscope: %s\n", e.what());
    exitCode = 1;
  }

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  trainer.reset();
  leakCheckBeforeGlfwTerminate();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exitCode;
}

}  // namespace gradscope::ui
