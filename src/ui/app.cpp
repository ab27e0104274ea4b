// The app shell: GLFW window with an OpenGL 3.3 core context, glad, Dear ImGui with its GLFW
// and OpenGL3 backends, the Trainer, and the main loop: take the newest snapshot, lay out and
// draw the panels from it, forward what they ask to the trainer.
#include "ui/app.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include "gfx/framebuffer.h"
#include "train/trainer.h"
#include "ui/boundary_renderer.h"
#include "ui/panels.h"
#include "ui/theme.h"
#include "ui/ui_state.h"

namespace gradscope::ui {
namespace {

using Clock = std::chrono::steady_clock;

std::string g_glfwError;

void onGlfwError(int, const char* description) { g_glfwError = description ? description : "unknown error"; }

// The session the app opens on: the central experiment, sigmoid and ReLU from the same weights.
SessionConfig defaultSession() {
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

struct Toast {
  std::string text;
  Clock::time_point until{};
  bool error = false;
};

const char* panelTitle(Panel p) {
  switch (p) {
    case Panel::Controls: return "Controls";
    case Panel::Activation: return "Activation";
    case Panel::Gradients: return "Gradient flow";
    case Panel::Neurons: return "Neurons";
    case Panel::Loss: return "Loss and accuracy";
    case Panel::Boundary: return "Decision boundary";
    case Panel::Count: break;
  }
  return "";
}

struct Rect {
  ImVec2 pos, size;
};

// Fixed tiling of the work area: controls on the left; gradient flow and decision boundary
// on top; activation, neurons, loss below; the status bar at the bottom. Hidden panels give
// their room to their row.
std::array<Rect, static_cast<size_t>(Panel::Count)> layout(const UiState& s, ImVec2 pos, ImVec2 size) {
  std::array<Rect, static_cast<size_t>(Panel::Count)> out{};
  auto shown = [&](Panel p) { return s.visible[static_cast<size_t>(p)]; };
  const float scale = ImGui::GetFontSize() / 15.0f;
  float x = pos.x;
  if (shown(Panel::Controls)) {
    const float w = std::clamp(size.x * 0.22f, 330.0f * scale, 430.0f * scale);
    out[static_cast<size_t>(Panel::Controls)] = {pos, ImVec2(w, size.y)};
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
  if (bottom) row({{Panel::Activation, 0.36f}, {Panel::Neurons, 0.32f}, {Panel::Loss, 0.32f}}, top ? pos.y + topH : pos.y,
                  top ? size.y - topH : size.y);
  return out;
}

std::filesystem::path pictureFolder() {
  namespace fs = std::filesystem;
  if (const char* x = std::getenv("XDG_PICTURES_DIR"); x && *x) return fs::path(x) / "gradscope";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / "Pictures" / "gradscope";
  return fs::current_path();
}

// gradscope-YYYYMMDD-HHMMSS.png in `folder`, never overwriting (-2, -3, ...).
std::filesystem::path screenshotName(const std::filesystem::path& folder) {
  const std::time_t t = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&t));
  std::filesystem::path p = folder / ("gradscope-" + std::string(stamp) + ".png");
  for (int n = 2; std::filesystem::exists(p); ++n) p = folder / ("gradscope-" + std::string(stamp) + "-" + std::to_string(n) + ".png");
  return p;
}

void handleKeys(const Snapshot& snap, UiState& state) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) state.quitRequested = true;
  if (ImGui::IsKeyPressed(GLFW_KEY_F12, false)) state.screenshotRequested = true;
  if (io.WantTextInput || io.KeyCtrl || io.KeyAlt) return;
  if (ImGui::IsKeyPressed(GLFW_KEY_SPACE, false)) state.send(cmd::TogglePlay{});
  if (ImGui::IsKeyPressed(GLFW_KEY_S, true) && !snap.playing) state.send(cmd::Step{1});
  if (ImGui::IsKeyPressed(GLFW_KEY_R, false)) state.send(cmd::Reset{});
  // 1–9 pick an activation for the selected run: Sigmoid, Tanh, ReLU, Leaky ReLU, PReLU, ELU,
  // SELU, GELU, SiLU (the table after Linear).
  for (int k = 1; k <= 9; ++k)
    if (ImGui::IsKeyPressed(GLFW_KEY_0 + k, false) && !state.edit.runs.empty()) {
      auto& run = state.edit.runs[static_cast<size_t>(std::clamp(state.selectedRun, 0, static_cast<int>(state.edit.runs.size()) - 1))];
      const auto& info = activationTable()[static_cast<size_t>(k)];
      run.activation = {info.id, info.paramDefault};
      state.changed();
    }
}

void drawMenuBar(UiState& state) {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Save screenshot", "F12")) state.screenshotRequested = true;
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) state.quitRequested = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    for (size_t p = 0; p < state.visible.size(); ++p)
      ImGui::MenuItem(panelTitle(static_cast<Panel>(p)), nullptr, &state.visible[p]);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Training")) {
    if (ImGui::MenuItem("Play / pause", "Space")) state.send(cmd::TogglePlay{});
    if (ImGui::MenuItem("Step", "S")) state.send(cmd::Step{1});
    if (ImGui::MenuItem("Reset", "R")) state.send(cmd::Reset{});
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

// CPU time of the calling thread: the UI thread's own work per frame, excluding the trainer
// and (with a software renderer) the rasterizer's threads.
double threadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct FrameStats {
  std::vector<double> cpuMs, wallMs;
  long vertices = 0;
};

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5))];
}

SessionConfig benchSession() {
  SessionConfig c = defaultSession();
  RunConfig base = c.runs[0];
  c.runs.clear();
  for (Activation a : {Activation::Sigmoid, Activation::ReLU, Activation::Tanh, Activation::LeakyReLU}) {
    base.activation = {a, activationInfo(a).paramDefault};
    c.runs.push_back(base);
  }
  return c;
}

float totalStepsPerSecond(const Snapshot& s) {
  float sps = 0;
  for (const auto& r : s.runs) sps += r.stepsPerSecond;
  return sps;
}

}  // namespace

int runApp(const AppOptions& options) {
  const SessionConfig session = options.benchFrames > 0 ? benchSession() : defaultSession();
  float headlessSps = 0;
  if (options.benchFrames > 0) {
    // The same session without a window, for the throughput ratio.
    Trainer headless(session);
    std::this_thread::sleep_for(std::chrono::milliseconds(3200));
    headlessSps = totalStepsPerSecond(*headless.latest());
  }

  glfwSetErrorCallback(onGlfwError);
  if (!glfwInit()) {
    const char* display = std::getenv("DISPLAY");
    std::fprintf(stderr, "gradscope: cannot open a window (%s)%s\n", g_glfwError.c_str(),
                 display && *display ? "" : "; DISPLAY is not set — `gradscope train` works without a display");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(options.width, options.height, "gradscope", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "gradscope: cannot create an OpenGL 3.3 core window (%s)\n", g_glfwError.c_str());
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(options.frames > 0 ? 0 : 1);
  if (auto err = gfx::loadGl(glfwGetProcAddress); !err.empty()) {
    std::fprintf(stderr, "gradscope: %s\n", err.c_str());
    glfwDestroyWindow(window);
    glfwTerminate();
    return 1;
  }

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  float xscale = 1.0f, yscale = 1.0f;
  glfwGetWindowContentScale(window, &xscale, &yscale);
  const float scale = std::max(1.0f, std::max(xscale, yscale));
  applyTheme(scale);
  loadFonts(scale);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  int exitCode = 0;
  {
    TrainerOptions topts;
    topts.startPlaying = !options.paused;
    Trainer trainer(session, topts);
    UiState state;
    state.edit = session;
    BoundaryRenderer boundary;
    Toast toast;
    std::uint64_t seenMessage = 0;
    std::optional<SessionConfig> pending;  // sent, not yet seen in a snapshot
    std::uint64_t pendingMessage = 0;
    FrameStats stats;
    float frameMs = 0;
    const int lastFrame = options.benchFrames > 0 ? options.benchFrames : options.frames;

    for (int frame = 1; !glfwWindowShouldClose(window) && !state.quitRequested; ++frame) {
      glfwPollEvents();
      int fbw = 0, fbh = 0;
      glfwGetFramebufferSize(window, &fbw, &fbh);
      if (fbw <= 0 || fbh <= 0) {  // minimised: nothing to draw into; training goes on
        glfwWaitEventsTimeout(0.05);
        --frame;
        continue;
      }
      const auto t0 = Clock::now();
      const double cpu0 = threadCpuMs();
      const std::shared_ptr<const Snapshot> snap = trainer.latest();

      // Follow the trainer's config unless an edit is on its way.
      if (pending && (snap->config == *pending || snap->messageId != pendingMessage)) pending.reset();
      if (!pending) state.edit = snap->config;
      if (snap->messageId != seenMessage) {
        seenMessage = snap->messageId;
        if (!snap->message.empty()) toast = {snap->message, Clock::now() + std::chrono::seconds(8), true};
      }

      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      handleKeys(*snap, state);
      drawMenuBar(state);

      const ImGuiViewport* vp = ImGui::GetMainViewport();
      const float statusH = ImGui::GetFrameHeightWithSpacing() + 4;
      const auto rects = layout(state, vp->WorkPos, ImVec2(vp->WorkSize.x, vp->WorkSize.y - statusH));
      const ImGuiWindowFlags fixed =
          ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;
      for (size_t p = 0; p < rects.size(); ++p) {
        if (!state.visible[p]) continue;
        ImGui::SetNextWindowPos(rects[p].pos);
        ImGui::SetNextWindowSize(rects[p].size);
        const Panel panel = static_cast<Panel>(p);
        if (ImGui::Begin(panelTitle(panel), &state.visible[p], fixed)) {
          switch (panel) {
            case Panel::Controls: drawControlsPanel(*snap, state); break;
            case Panel::Activation: drawActivationPanel(*snap, state); break;
            case Panel::Gradients: drawGradientPanel(*snap, state); break;
            case Panel::Neurons: drawNeuronPanel(*snap, state); break;
            case Panel::Loss: drawLossPanel(*snap, state); break;
            case Panel::Boundary: drawBoundaryPanel(*snap, state, boundary); break;
            case Panel::Count: break;
          }
        }
        ImGui::End();
      }
      ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, vp->WorkPos.y + vp->WorkSize.y - statusH));
      ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, statusH));
      if (ImGui::Begin("##status", nullptr, fixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar))
        drawStatusBar(*snap, state, frameMs);
      ImGui::End();

      if (!toast.text.empty() && Clock::now() < toast.until) {
        ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x - 16, vp->WorkPos.y + vp->WorkSize.y - statusH - 16),
                                ImGuiCond_Always, ImVec2(1, 1));
        ImGui::SetNextWindowBgAlpha(0.92f);
        if (ImGui::Begin("##toast", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                                 ImGuiWindowFlags_NoNav)) {
          ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36);
          ImGui::TextColored(toast.error ? ImVec4(1, 0.55f, 0.5f, 1) : ImVec4(0.7f, 0.95f, 0.7f, 1), "%s", toast.text.c_str());
          ImGui::PopTextWrapPos();
        }
        ImGui::End();
      }

      // Forward what the panels asked for.
      if (state.editDirty) {
        state.editDirty = false;
        pending = state.edit;
        pendingMessage = snap->messageId;
        trainer.send(cmd::Configure{state.edit, state.hotSwap});
      }
      for (auto& c : state.outbox) trainer.send(std::move(c));
      state.outbox.clear();

      ImGui::Render();
      gfx::clearFramebuffer(fbw, fbh, 0.08f, 0.085f, 0.10f);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      if (options.benchFrames > 0 && frame > 10) stats.vertices += ImGui::GetDrawData()->TotalVtxCount;
      const double wallMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      const double cpuMs = threadCpuMs() - cpu0;
      frameMs = static_cast<float>(wallMs);
      if (options.benchFrames > 0 && frame > 10) stats.cpuMs.push_back(cpuMs), stats.wallMs.push_back(wallMs);

      const bool last = lastFrame > 0 && frame >= lastFrame;
      if (state.screenshotRequested || (last && !options.screenshot.empty())) {
        namespace fs = std::filesystem;
        fs::path path = options.screenshot;
        std::error_code ec;
        if (path.empty()) {
          const fs::path folder = pictureFolder();
          fs::create_directories(folder, ec);
          path = screenshotName(folder);
        }
        const auto image = gfx::readFramebuffer(0, 0, fbw, fbh);
        if (auto err = gfx::writePng(path.string(), image); !err.empty()) {
          std::fprintf(stderr, "gradscope: screenshot failed: %s\n", err.c_str());
          toast = {"Screenshot failed: " + err, Clock::now() + std::chrono::seconds(8), true};
          if (last) exitCode = 1;
        } else {
          std::printf("gradscope: saved %s (%d×%d)\n", path.c_str(), image.width, image.height);
          toast = {"Saved " + path.string(), Clock::now() + std::chrono::seconds(5), false};
        }
        state.screenshotRequested = false;
      }
      glfwSwapBuffers(window);
      // Pace to 60 frames per second where the swap does not wait for a display (Xvfb, or
      // vsync off): the UI shares the machine with training.
      if (options.frames == 0) std::this_thread::sleep_until(t0 + std::chrono::microseconds(16667));
      if (last) {
        if (options.benchFrames > 0) {
          const float windowSps = totalStepsPerSecond(*trainer.latest());
          std::printf("gradscope --bench-frames %d: %d×%d framebuffer, %zu runs of %zu×%d, %s\n", options.benchFrames, fbw,
                      fbh, session.runs.size(), session.runs[0].hidden.size(), session.runs[0].hidden[0],
                      gfx::glVersionString().c_str());
          std::printf("  frame CPU time (UI thread): median %.2f ms, p95 %.2f ms (target p95 <= 16 ms)\n",
                      percentile(stats.cpuMs, 0.5), percentile(stats.cpuMs, 0.95));
          std::printf("  frame wall time (build + render, no swap): median %.2f ms, p95 %.2f ms; %ld vertices per frame\n",
                      percentile(stats.wallMs, 0.5), percentile(stats.wallMs, 0.95),
                      stats.vertices / std::max<long>(1, static_cast<long>(stats.wallMs.size())));
          std::printf("  trainer: %.0f steps/s with the window, %.0f headless: %.0f%% (target >= 70%%)\n", windowSps,
                      headlessSps, headlessSps > 0 ? 100.0 * windowSps / headlessSps : 0.0);
        }
        break;
      }
    }
  }

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exitCode;
}

}  // namespace gradscope::ui
