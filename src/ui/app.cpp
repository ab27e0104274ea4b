// The app shell: the App and its frame (App::frame reads as the dozen steps of one frame), and
// runApp, which starts everything in order and ends it in reverse. Each job the shell calls on
// has a unit of its own:
//   window.h           the GLFW window, its OpenGL context, Dear ImGui's backends
//   fonts.h, theme.h   the UI font (Latin, Greek, Hangul) and the theme
//   thread_priority.h  the UI thread gives way to training
//   input_queue.h      key and button events that survive slow frames
//   layout.h           where each panel goes
//   capture.h          screenshots, panel PNGs, recordings
//   toast.h            the short message at the bottom right
//   state_file.h       --state-file, the JSON the window tests read
//   persist.h          the last session and the UI settings between launches
//   frame_bench.h      --bench-frames
//
// [SECTION] Starting: options and the first session
// [SECTION] The App: menus, keys, panels, files
// [SECTION] The frame
// [SECTION] runApp
#include "ui/app.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "gfx/framebuffer.h"
#include "train/asset_paths.h"
#include "train/config_json.h"
#include "train/export.h"
#include "train/trainer.h"
#include "ui/boundary_renderer.h"
#include "ui/capture.h"
#include "ui/file_dialog.h"
#include "ui/fonts.h"
#include "ui/frame_bench.h"
#include "ui/i18n.h"
#include "ui/input_queue.h"
#include "ui/layout.h"
#include "ui/panels.h"
#include "ui/persist.h"
#include "ui/state_file.h"
#include "ui/text_fit.h"
#include "ui/theme.h"
#include "ui/thread_priority.h"
#include "ui/toast.h"
#include "ui/ui_state.h"
#include "ui/window.h"

namespace gradscope::ui {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

//-----------------------------------------------------------------------------
// [SECTION] Starting: options and the first session
//-----------------------------------------------------------------------------

// A panel's title in the current language ("panel.<key>"), its key as the ImGui ID: the window,
// tab or menu item stays the same one when the language changes.
std::string panelTitle(Panel p) {
  return std::string(tr(std::string("panel.") + panelKey(p))) + "###" + panelKey(p);
}

// The status bar's height at the bottom of the work area, at least (one line).
float statusBarHeight() { return ImGui::GetFrameHeightWithSpacing() + 4; }

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

// --record and --record-panel: 0, or 2 after one line on stderr.
int checkRecordOptions(const AppOptions& options) {
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
  return 0;
}

// The session the app opens on: --preset, the benchmark's, the last one, or the default.
// Null after one line on stderr when --preset cannot be read.
std::optional<SessionConfig> firstSession(const AppOptions& options) {
  if (options.benchFrames > 0 && options.preset.empty()) return benchSession();
  if (!options.preset.empty()) {
    try {
      return loadPreset(resolvePreset(options.preset)).session;
    } catch (const std::exception& e) {
      const std::string where = assets().found() ? "" : "; " + notFoundMessage(assets());
      std::fprintf(stderr, "gradscope: --preset: %s%s\n", e.what(), where.c_str());
      return std::nullopt;
    }
  }
  if (!options.fresh)
    if (auto last = loadLastSession()) return *last;
  return defaultSession();
}

// The trainer on `session`; when its data cannot be read (a data set's package removed, a CSV
// moved), on the default session, with why in `error`: the app opens and says so rather than
// not at all. Null after one line on stderr when no trainer can start.
std::unique_ptr<Trainer> startTrainer(SessionConfig& session, const SessionOptions& options,
                                      std::string& error) {
  try {
    try {
      return std::make_unique<Trainer>(session, options);
    } catch (const DataError& e) {
      error = e.what();
      session = defaultSession();
      return std::make_unique<Trainer>(session, options);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gradscope: %s\n", e.what());
    return nullptr;
  }
}

LessonBook loadLessonBook() {
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
  for (const Lesson& lesson : book.lessons[0]) {
    book.sessions.emplace_back();
    try {
      book.sessions.back() =
          lessonSessions(loadPreset(resolvePreset(lesson.preset)).session, lesson);
    } catch (const std::exception&) {
      // Opening it says why; until then the panel makes no claim about the session.
    }
  }
  return book;
}

//-----------------------------------------------------------------------------
// [SECTION] The App: menus, keys, panels, files
//-----------------------------------------------------------------------------

class App {
 public:
  App(Window& window, const AppOptions& options, const SessionConfig& session, Trainer& trainer,
      FrameBench& bench)
      : m_window(window), m_options(options), m_trainer(trainer), m_bench(bench) {
    m_state.edit = session;
    applyPanels(session, m_state);
    installInputQueue(window.handle(), &m_input);
    setTextAudit(!options.stateFile.empty());
  }
  ~App() { installInputQueue(m_window.handle(), nullptr); }
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  UiState& state() { return m_state; }
  Capture& capture() { return m_capture; }
  void setLessons(LessonBook book) { m_lessons = std::move(book); }
  void setMissingGlyphs(int n) { m_missingGlyphs = n; }

  // One frame; returns false when the app should close.
  bool frame(int number, bool last);
  // Nothing on screen can change until an event arrives: training is paused, the newest
  // snapshot is drawn, no input waits for its frame, and no recording, picture, toast or
  // request to the trainer is under way.
  bool idle() const;
  // Before the loop waits for events: the state file shows the screen that stays (frame `number`).
  void settle(int number) {
    writeState(*m_trainer.latest(), number, true);
    m_settled = true;
  }

  // Shows the lesson whose preset is `presetPath` (if one is).
  void selectLessonOf(const std::string& presetPath);
  // What a preset's view asks for, replacing what the last one left (run, layer, measure, zoom).
  void applyView(const ViewConfig& view);

 private:
  // The steps of a frame, in order.
  void followTrainer(const Snapshot& snap);
  void beginFrame();
  void handleKeys(const Snapshot& snap);
  void drawMenuBar(const Snapshot& snap);
  void drawPanels(const Snapshot& snap);
  void drawPanel(Panel panel, const Snapshot& snap);
  void panelMenu(Panel panel);  // right-click: export, record, hide
  void runFileDialog(const Snapshot& snap);
  void forwardRequests(const Snapshot& snap);
  void render(int number, int fbw, int fbh, bool last);
  void writeState(const Snapshot& snap, int number, bool idle = false);

  void runFileAction(FileAction action, const Snapshot& snap);
  void openPreset(const std::string& path);

  Window& m_window;
  AppOptions m_options;
  Trainer& m_trainer;
  FrameBench& m_bench;
  UiState m_state;
  BoundaryRenderer m_boundary;
  FileDialog m_dialog;
  InputQueue m_input;
  LessonBook m_lessons;
  Toast m_toast;
  Layout m_rects{};
  Capture m_capture{m_window.handle(), m_options, m_state, m_rects, m_toast};
  bool m_frontFirstTabs = false;  // a preset opened: each chart group shows its first tab
  std::uint64_t m_seenMessage = 0;
  std::optional<SessionConfig> m_pending;  // sent, not yet seen in a snapshot
  std::uint64_t m_pendingMessage = 0;
  float m_frameMs = 0;
  std::uint64_t m_drawnVersion = 0;    // the snapshot the last frame drew
  float m_statusHeight = 0;            // the status bar as last drawn
  bool m_stopped = false;              // --stop-at has paused training
  bool m_settled = false;              // the state file says idle; no frame drawn since
  int m_missingGlyphs = 0;             // characters of the Korean texts the fonts cannot draw
  std::vector<ClippedText> m_clipped;  // this frame's texts that did not fit
};

void App::followTrainer(const Snapshot& snap) {
  if (m_options.stopAt > 0 && snap.playing && !m_stopped) {
    long least = snap.runs.empty() ? 0 : snap.runs.front().step;
    for (const auto& r : snap.runs)
      if (r.controllable()) least = std::min(least, r.step);  // a watched run's steps are not ours
    if (least >= m_options.stopAt) m_trainer.send(cmd::Pause{}), m_stopped = true;
  }
  // The controls show the trainer's config unless an edit is on its way.
  if (m_pending && (snap.config == *m_pending || snap.messageId != m_pendingMessage))
    m_pending.reset();
  if (!m_pending) m_state.edit = snap.config;
  if (snap.messageId != m_seenMessage) {
    m_seenMessage = snap.messageId;
    if (!snap.message.empty()) m_toast.show(trMessage(snap.message), snap.messageIsError);
  }
  // The controls edit one of the session's own runs; watched runs follow them in snap.runs.
  m_state.selectedRun = std::clamp(m_state.selectedRun, 0,
                                   std::max(0, static_cast<int>(snap.config.runs.size()) - 1));
}

void App::drawMenuBar(const Snapshot& snap) {
  if (!ImGui::BeginMainMenuBar()) return;
  const std::string runName =
      snap.runs.empty() ? "" : trMessage(snap.runs[static_cast<size_t>(m_state.selectedRun)].label);
  const std::string cwd = fs::current_path().string() + "/";
  const bool file = ImGui::BeginMenu(trId("menu.file").c_str());
  rememberItem(m_state, "file_menu");
  if (file) {
    if (ImGui::MenuItem(trId("menu.open_preset").c_str(), "Ctrl+O"))
      m_dialog.open(FileAction::OpenPreset, assetsDir() + "/presets/");
    if (ImGui::BeginMenu(trId("menu.open_recent").c_str(), !m_state.recentFiles.empty())) {
      for (const auto& f : m_state.recentFiles)
        if (ImGui::MenuItem(f.c_str())) {
          openPreset(f);
          break;
        }
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem(trId("menu.save_preset").c_str(), "Ctrl+S"))
      m_dialog.open(FileAction::SavePreset, cwd + "session.json");
    ImGui::Separator();
    if (ImGui::MenuItem(trId("menu.open_csv").c_str())) m_dialog.open(FileAction::OpenCsv, cwd);
    // A PyTorch run streamed by gradscope.watch(model): over the socket, or from its file.
    if (ImGui::BeginMenu(trId("menu.watch").c_str())) {
      if (ImGui::MenuItem(trId("menu.watch_socket").c_str())) m_state.send(cmd::Watch{""});
      tooltip(tr("tip.watch_socket"));
      if (ImGui::MenuItem(trId("menu.watch_file").c_str()))
        m_dialog.open(FileAction::WatchFile, cwd);
      tooltip(tr("tip.watch_file"));
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem(trId("menu.export_metrics").c_str()))
      m_dialog.open(FileAction::ExportMetrics, cwd + "gradscope-metrics.csv");
    char item[512];
    std::snprintf(item, sizeof item, tr("menu.save_weights"), runName.c_str());
    if (ImGui::MenuItem((std::string(item) + "###save_weights").c_str(), nullptr, false,
                        !snap.runs.empty()))
      m_dialog.open(FileAction::SaveWeights, cwd + "weights.json");
    std::snprintf(item, sizeof item, tr("menu.load_weights"), runName.c_str());
    if (ImGui::MenuItem((std::string(item) + "###load_weights").c_str(), nullptr, false,
                        !snap.runs.empty()))
      m_dialog.open(FileAction::LoadWeights, cwd);
    ImGui::Separator();
    if (ImGui::MenuItem(trId("menu.screenshot").c_str(), "F12")) m_state.screenshotRequested = true;
    if (ImGui::MenuItem(m_capture.recording() ? tr("record.stop") : tr("record.start"), "Ctrl+R"))
      m_capture.toggleRecording(std::nullopt);
    if (ImGui::BeginMenu(tr("record.format"), !m_capture.recording())) {
      if (ImGui::MenuItem(tr("record.format_mp4"), nullptr, !m_capture.gif()))
        m_capture.setGif(false);
      if (ImGui::MenuItem(tr("record.format_gif"), nullptr, m_capture.gif()))
        m_capture.setGif(true);
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem(trId("menu.picture_folder").c_str()))
      m_dialog.open(FileAction::PictureFolder,
                    (m_state.pictureFolder.empty() ? defaultPictureFolder().string()
                                                   : m_state.pictureFolder) +
                        "/");
    ImGui::Separator();
    if (ImGui::MenuItem(trId("menu.quit").c_str(), "Ctrl+Q")) m_state.quitRequested = true;
    ImGui::EndMenu();
  }
  const bool view = ImGui::BeginMenu(trId("menu.view").c_str());
  rememberItem(m_state, "view_menu");
  if (view) {
    for (size_t p = 0; p < m_state.visible.size(); ++p)
      ImGui::MenuItem(panelTitle(static_cast<Panel>(p)).c_str(), nullptr, &m_state.visible[p]);
    ImGui::Separator();
    const bool language = ImGui::BeginMenu(trId("menu.language").c_str());
    rememberItem(m_state, "language_menu");
    if (language) {
      if (ImGui::MenuItem(trId("menu.english").c_str(), nullptr,
                          m_state.language == Language::English))
        m_state.language = Language::English;
      rememberItem(m_state, "language_en");
      if (ImGui::MenuItem("한국어", nullptr, m_state.language == Language::Korean,
                          m_state.hangulFont))
        m_state.language = Language::Korean;
      rememberItem(m_state, "language_ko");
      if (!m_state.hangulFont) tooltip(tr("tip.no_hangul"));
      ImGui::EndMenu();
    }
    ImGui::EndMenu();
  }
  const bool training = ImGui::BeginMenu(trId("menu.training").c_str());
  rememberItem(m_state, "training_menu");
  if (training) {
    const std::string play =
        std::string(tr(snap.playing ? "controls.pause" : "controls.play")) + "###controls.play";
    if (ImGui::MenuItem(play.c_str(), "Space")) m_state.send(cmd::TogglePlay{});
    if (ImGui::MenuItem(trId("controls.step").c_str(), "S", false, !snap.playing))
      m_state.send(cmd::Step{1});
    if (ImGui::MenuItem(trId("controls.reset").c_str(), "R")) m_state.send(cmd::Reset{});
    if (ImGui::MenuItem(trId("controls.reseed").c_str()))
      m_state.send(cmd::Reseed{snap.config.seed + 1});
    ImGui::EndMenu();
  }
  // Record and screenshot buttons at the right end of the menu bar. While recording, the
  // record button is covered by a red indicator drawn after the capture
  // (Capture::drawRecordIndicator), so the recording itself shows the bar as it is between
  // recordings.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float w = ImGui::CalcTextSize(tr("menu.screenshot_button")).x + style.FramePadding.x * 2;
  const char* recordLabel = tr("record.button");
  const float rw = std::max(ImGui::CalcTextSize(recordLabel).x,
                            ImGui::CalcTextSize("0:00:00 ").x + ImGui::GetFontSize()) +
                   style.FramePadding.x * 2;
  // Placed in screen coordinates from the bar's clip edge (a menu bar offsets SameLine's x).
  const float right = ImGui::GetWindowDrawList()->GetClipRectMax().x - style.ItemSpacing.x;
  const auto placeAt = [](float x) {
    ImGui::SameLine();
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
  };
  placeAt(right - w - rw - style.ItemSpacing.x);
  const ImVec2 textSize = ImGui::CalcTextSize(recordLabel);
  if (ImGui::Button((std::string(recordLabel) + "###record").c_str(),
                    ImVec2(rw, textSize.y + style.FramePadding.y * 2)))
    m_capture.toggleRecording(std::nullopt);
  m_capture.setRecordButton(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  noteLastItem(recordLabel);
  rememberItem(m_state, "record_button");
  if (m_capture.recording())
    tooltip((std::string(tr("tip.recording")) + "\n" + m_capture.recordingPath()).c_str());
  else
    tooltip(tr("tip.record"));
  placeAt(right - w);
  const std::string shot = trId("menu.screenshot_button");
  if (ImGui::SmallButton(shot.c_str())) m_state.screenshotRequested = true;
  noteLastItem(shot.c_str());
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
    if (ctrl && k.key == GLFW_KEY_R && !k.repeat) m_capture.toggleRecording(std::nullopt);
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

void App::drawPanel(Panel panel, const Snapshot& snap) {
  switch (panel) {
    case Panel::Controls:
      drawControlsPanel(snap, m_state);
      break;
    case Panel::Lessons:
      drawLessonsPanel(snap, m_state, m_lessons);
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
}

void App::panelMenu(Panel panel) {
  if (panel == Panel::Controls || panel == Panel::Lessons) return;
  // Each panel's context menu exports that panel alone.
  if (ImGui::BeginPopupContextWindow("##panel-menu", ImGuiPopupFlags_MouseButtonRight |
                                                         ImGuiPopupFlags_NoOpenOverExistingPopup)) {
    // Saved two frames on, once the menu has closed: the PNG shows the panel, not the menu.
    if (ImGui::MenuItem(trId("menu.export_panel").c_str())) m_capture.exportPanel(panel);
    rememberItem(m_state, "panel_menu_export");
    if (m_capture.recording() && m_capture.recordedPanel() == panel) {
      if (ImGui::MenuItem(tr("record.stop"))) m_capture.toggleRecording(panel);
    } else if (ImGui::MenuItem(tr("record.panel"), nullptr, false, !m_capture.recording())) {
      m_capture.toggleRecording(panel);
    }
    if (ImGui::MenuItem(trId("menu.hide_panel").c_str()))
      m_state.visible[static_cast<size_t>(panel)] = false;
    ImGui::EndPopup();
  }
}

void App::drawPanels(const Snapshot& snap) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float statusH = std::max(m_statusHeight, statusBarHeight());
  m_rects = layoutPanels(m_state.visible, ImGui::GetFontSize() / 15.0f, vp->WorkPos,
                         ImVec2(vp->WorkSize.x, vp->WorkSize.y - statusH));
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;
  const auto shown = [&](Panel p) { return m_state.visible[static_cast<size_t>(p)]; };
  const auto rect = [&](Panel p) { return m_rects[static_cast<size_t>(p)]; };
  // Left column first, then the charts; panels sharing a rectangle are tabs of one window.
  static constexpr Panel order[] = {Panel::Lessons,  Panel::Controls,   Panel::Gradients,
                                    Panel::Boundary, Panel::Activation, Panel::Neurons,
                                    Panel::Loss};
  std::array<bool, static_cast<size_t>(Panel::Count)> drawn{};
  for (Panel first : order) {
    if (!shown(first) || drawn[static_cast<size_t>(first)]) continue;
    std::vector<Panel> group;
    for (Panel p : order)
      if (shown(p) && sameRect(rect(p), rect(first)))
        group.push_back(p), drawn[static_cast<size_t>(p)] = true;
    ImGui::SetNextWindowPos(rect(first).pos);
    ImGui::SetNextWindowSize(rect(first).size);
    const bool left = first == Panel::Lessons || first == Panel::Controls;
    if (group.size() == 1 && !left) {
      const std::string title =
          first == Panel::Boundary ? boundaryTitle(snap, panelKey(first)) : panelTitle(first);
      if (ImGui::Begin(title.c_str(), &m_state.visible[static_cast<size_t>(first)], fixed)) {
        drawPanel(first, snap);
        panelMenu(first);
      }
      ImGui::End();
      continue;
    }
    // Tabs: the left column's lessons and controls, and charts where the window is narrow.
    const std::string id = left ? "##left" : std::string("##tabs-") + panelKey(first);
    if (ImGui::Begin(id.c_str(), nullptr, fixed | ImGuiWindowFlags_NoTitleBar) &&
        ImGui::BeginTabBar((id + "-tabs").c_str())) {
      for (Panel panel : group) {
        const std::string title =
            panel == Panel::Boundary ? boundaryTitle(snap, panelKey(panel)) : panelTitle(panel);
        const bool open = ImGui::BeginTabItem(
            title.c_str(), left ? nullptr : &m_state.visible[static_cast<size_t>(panel)],
            m_frontFirstTabs && !left && panel == group.front() ? ImGuiTabItemFlags_SetSelected
                                                                : 0);
        rememberItem(m_state, (std::string(panelKey(panel)) + "_tab").c_str());
        if (!open) continue;
        drawPanel(panel, snap);
        panelMenu(panel);
        ImGui::EndTabItem();
      }
      ImGui::EndTabBar();
    }
    ImGui::End();
  }
  m_frontFirstTabs = false;
  // The status bar, as tall as its lines (they wrap where the window is narrow), measured
  // as drawn: the next frame lays the panels out above it.
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, vp->WorkPos.y + vp->WorkSize.y - statusH));
  ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, statusH));
  if (ImGui::Begin("##status", nullptr,
                   fixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar))
    drawStatusBar(snap, m_state, m_frameMs);
  const ImGuiStyle& style = ImGui::GetStyle();
  const float needed = ImGui::GetCursorPosY() - style.ItemSpacing.y + style.WindowPadding.y;
  m_statusHeight = std::max(needed, statusBarHeight());
  ImGui::End();
}

void App::openPreset(const std::string& path) {
  try {
    const Preset preset = loadPreset(path);
    m_state.edit = preset.session;
    m_pending = preset.session;
    m_pendingMessage = m_trainer.latest()->messageId;
    m_trainer.send(cmd::Configure{preset.session, false});
    applyPanels(preset.session, m_state);
    applyView(preset.session.view);
    m_capture.setPresetName(fs::path(path).stem().string());
    addRecentFile(m_state, fs::absolute(path).string());
    selectLessonOf(path);
    m_toast.show(
        std::string(tr("toast.opened")) + " " + (preset.title.empty() ? path : preset.title),
        false);
  } catch (const std::exception& e) {
    m_toast.show(e.what(), true);
  }
}

void App::applyView(const ViewConfig& view) {
  m_state.selectedRun = view.run;
  m_state.activation.followRun = true;
  m_state.activation.histogramLayer = view.layer;
  m_state.gradientMeasure = static_cast<GradientMeasure>(view.measure);
  plot::resetViews();
  // Where the window is narrow and charts share tabs, the lesson's charts come forward (a
  // group's first tab is the one its lessons speak of), whatever tab the user left open.
  m_frontFirstTabs = true;
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
        storePanels(m_state, p.session);
        writeFileAtomically(path, presetToJson(p));
        addRecentFile(m_state, fs::absolute(path).string());
        m_toast.show(std::string(tr("toast.saved_session")) + " " + path, false);
        break;
      }
      case FileAction::ExportMetrics:
        writeFileAtomically(path, metricsCsv(snap));
        m_toast.show(std::string(tr("toast.saved_metrics")) + " " + path, false);
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
        {
          char text[512];
          std::snprintf(text, sizeof text, tr("toast.loaded_weights"),
                        trMessage(run.label).c_str());
          m_toast.show(std::string(text) + " " + path, false);
        }
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
        m_toast.show(std::string(tr("toast.picture_folder")) + " " + m_state.pictureFolder, false);
        break;
      case FileAction::WatchFile:
        m_trainer.send(cmd::Watch{path});
        break;
      case FileAction::None:
        break;
    }
  } catch (const std::exception& e) {
    m_toast.show(e.what(), true);
  }
}

//-----------------------------------------------------------------------------
// [SECTION] The frame
//-----------------------------------------------------------------------------

// The language, the backends' new frame, the queued input, ImGui's new frame.
void App::beginFrame() {
  setLanguage(m_state.language);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  m_input.deliver(ImGui::GetIO(), ImGui::GetTime() + ImGui::GetIO().DeltaTime);
  ImGui::NewFrame();
}

void App::runFileDialog(const Snapshot& snap) {
  if (const FileAction action = drawFileDialog(m_dialog); action != FileAction::None)
    runFileAction(action, snap);
}

// What the panels asked for this frame: a preset to open, an error to show, an edited
// session, commands.
void App::forwardRequests(const Snapshot& snap) {
  if (!m_state.openPreset.empty()) {
    openPreset(resolvePreset(m_state.openPreset));
    m_state.openPreset.clear();
  }
  if (!m_state.error.empty()) {
    m_toast.show(m_state.error, true);
    m_state.error.clear();
  }
  if (m_state.editDirty) {
    m_state.editDirty = false;
    dropStaleLabels(m_pending ? *m_pending : snap.config, m_state.edit);
    m_pending = m_state.edit;
    m_pendingMessage = snap.messageId;
    m_trainer.send(cmd::Configure{m_state.edit, m_state.hotSwap});
  }
  for (auto& c : m_state.outbox) m_trainer.send(std::move(c));
  m_state.outbox.clear();
}

void App::render(int number, int fbw, int fbh, bool last) {
  ImGui::Render();
  gfx::clearFramebuffer(fbw, fbh, kBackground.r, kBackground.g, kBackground.b);
  m_capture.renderAndRecord(number, fbw, fbh, last);
}

void App::writeState(const Snapshot& snap, int number, bool idle) {
  if (m_options.stateFile.empty()) return;
  ShellState shell;
  shell.frame = number;
  shell.idle = idle;
  m_window.windowSize(shell.windowWidth, shell.windowHeight);
  shell.missingGlyphs = m_missingGlyphs;
  shell.toast = m_toast.current();
  shell.screenshots = m_capture.screenshots();
  shell.lastScreenshot = m_capture.lastScreenshot();
  shell.recording = m_capture.recordingPath();
  shell.recordingSeconds = m_capture.recordingSeconds();
  shell.lastRecording = m_capture.lastRecording();
  shell.clipped = m_clipped;
  writeStateFile(m_options.stateFile, snap, m_state, m_rects, m_dialog, shell);
}

bool App::frame(int number, bool last) {
  const FrameClock clock;
  int fbw = 0, fbh = 0;
  m_window.framebufferSize(fbw, fbh);
  const std::shared_ptr<const Snapshot> snap = m_trainer.latest();
  m_drawnVersion = snap->version;
  followTrainer(*snap);               // --stop-at; the trainer's config and messages
  m_capture.reportClosedRecording();  // a stopped recording's file is complete
  beginFrame();                       // language, backends, queued input
  handleKeys(*snap);                  // shortcuts
  drawMenuBar(*snap);                 // menus, record and screenshot buttons
  drawPanels(*snap);                  // the layout, every panel, the status bar
  runFileDialog(*snap);               // open, save, export
  m_toast.draw(m_statusHeight);       // the last message
  m_capture.drawRecordIndicator();    // over the record button
  forwardRequests(*snap);             // what the panels asked of the trainer
  m_clipped = takeClippedTexts();     // texts that did not fit (--state-file)
  render(number, fbw, fbh, last);     // and record it
  m_frameMs = static_cast<float>(clock.wallMs());
  m_bench.frameRendered(number, m_frameMs, clock.cpuMs(), ImGui::GetDrawData()->TotalVtxCount);
  m_capture.saveScreenshots(*snap, fbw, fbh, last);  // after rendering, before the swap
  // The first frame after a settle is reported at once: a test counting frames sees that an
  // idle app drew one, not only every tenth.
  if (number % 10 == 0 || last || m_settled) writeState(*snap, number);
  m_settled = false;
  return !m_state.quitRequested;
}

bool App::idle() const {
  const std::shared_ptr<const Snapshot> snap = m_trainer.latest();
  return !snap->playing && snap->version == m_drawnVersion && !m_input.pending() && !m_pending &&
         !m_frontFirstTabs && !m_state.editDirty && !m_capture.busy() && !m_toast.onScreen();
}

// Draws frames until the window closes, the app quits or its last frame (`lastFrame` > 0) is
// drawn; returns how many were drawn.
int runFrames(Window& window, App& app, const AppOptions& options, int lastFrame,
              FrameBench& bench) {
  int framesDrawn = 0;
  // Frames drawn since something last changed. While the app is idle (paused, nothing
  // pending) it draws a few frames more, for Dear ImGui to settle hover and focus, then sleeps
  // until an event or a new snapshot; a scripted run (lastFrame) draws every frame.
  constexpr int kSettleFrames = 3;
  int quiet = 0;
  for (int frame = 1; !window.shouldClose(); ++frame) {
    if (lastFrame == 0 && quiet >= kSettleFrames && app.idle()) {
      if (quiet == kSettleFrames) app.settle(framesDrawn), ++quiet;
      const auto waitStart = Clock::now();
      window.waitEvents(0.1);
      // Woken by input (it is queued: no longer idle) or by another event (the wait ended
      // early): draw, then settle again. The queue is the sure sign; a loaded machine may
      // return from an event's wait later than the timeout.
      if (!app.idle() || Clock::now() - waitStart < std::chrono::milliseconds(90)) quiet = 0;
      --frame;
      continue;
    }
    window.pollEvents();
    int fbw = 0, fbh = 0;
    window.framebufferSize(fbw, fbh);
    if (fbw <= 0 || fbh <= 0) {  // minimised: nothing to draw into; training goes on
      window.waitEvents(0.05);
      --frame;
      continue;
    }
    const auto start = Clock::now();
    bench.frameStarts(frame);
    const bool last = lastFrame > 0 && frame >= lastFrame;
    const bool keepGoing = app.frame(frame, last);
    const FrameClock swap;
    window.swapBuffers();
    bench.frameSwapped(frame, swap.wallMs());
    framesDrawn = frame;
    quiet = app.idle() ? quiet + 1 : 0;
    if (!keepGoing || last) break;
    // Pace to 60 frames per second where the swap does not wait for a display (Xvfb, or
    // vsync off): the UI shares the machine with training. The pause reads events as they
    // come, so each is time-stamped when it happened (a double-click's two presses), not
    // when the next frame begins.
    auto until = Clock::now();
    if (options.frames == 0) until = start + std::chrono::microseconds(16667);
    if (options.frameDelayMs > 0)
      until = std::max(until, Clock::now()) + std::chrono::milliseconds(options.frameDelayMs);
    for (auto now = Clock::now(); now < until; now = Clock::now())
      window.waitEvents(std::chrono::duration<double>(until - now).count());
  }
  bench.loopEnded(framesDrawn);
  return framesDrawn;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] runApp
//-----------------------------------------------------------------------------

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
  if (const int code = checkRecordOptions(options)) return code;
  std::optional<SessionConfig> first = firstSession(options);
  if (!first) return 2;
  SessionConfig session = *first;
  const bool persist = options.frames == 0 && options.benchFrames == 0;

  SessionOptions trainerOptions;
  trainerOptions.startPlaying = !options.paused;
  trainerOptions.threads = TaskPool::defaultThreads(1);  // every core but the one the UI needs
  const HeadlessRates headless =
      options.benchFrames > 0 ? measureHeadless(session, trainerOptions) : HeadlessRates{};

  // The trainer's threads start before the window, at normal priority; then the UI thread
  // gives way, and so do the threads it creates from here on.
  std::string startError;  // shown in a toast once the window is up
  std::unique_ptr<Trainer> trainer = startTrainer(session, trainerOptions, startError);
  if (!trainer) return 2;
  // Watched PyTorch runs from the start; a source that cannot be opened shows in a toast.
  if (options.watch) trainer->send(cmd::Watch{options.watchAddress});
  yieldCpuToTraining();
  std::unique_ptr<Window> window = Window::open(options.width, options.height, options.frames == 0);
  if (!window) return 1;

  window->createImGui();
  const float scale = options.uiScale > 0 ? options.uiScale : window->contentScale();
  applyTheme(scale);
  if (!assets().found())
    std::fprintf(stderr, "gradscope: %s\n", notFoundMessage(assets()).c_str());
  else if (auto err = loadTranslations(assetsDir()); !err.empty())
    std::fprintf(stderr, "gradscope: %s\n", err.c_str());
  LessonBook lessons = loadLessonBook();
  const std::string korean = koreanGlyphText(lessons.lessons[1]);
  const FontReport fonts = loadFonts(scale, korean);
  window->initImGuiBackends();

  int exitCode = 0;
  try {
    FrameBench bench(options.benchFrames);
    App app(*window, options, session, *trainer, bench);
    app.setLessons(std::move(lessons));
    if (persist) loadUiSettings(app.state());
    if (!options.preset.empty()) {
      app.selectLessonOf(resolvePreset(options.preset));
      app.applyView(session.view);
      app.capture().setPresetName(fs::path(resolvePreset(options.preset)).stem().string());
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
    runFrames(*window, app, options, lastFrame, bench);
    const std::string recording = app.capture().recordingSummary();
    app.capture().closeRecording();  // the file is finished before the app says goodbye
    if (bench.enabled()) {
      int fbw = 0, fbh = 0;
      window->framebufferSize(fbw, fbh);
      bench.print(fbw, fbh, session, *trainer->latest(), headless, recording);
    }
    if (persist) saveAtExit(trainer->latest()->config, app.state());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gradscope: %s\n", e.what());
    exitCode = 1;
  }

  // In reverse: ImGui, the trainer, then the window and GLFW.
  window->shutdownImGui();
  trainer.reset();
  window.reset();
  return exitCode;
}

}  // namespace gradscope::ui
