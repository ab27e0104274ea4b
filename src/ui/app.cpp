// The app shell: GLFW window with an OpenGL 3.3 core context, glad, Dear ImGui with its GLFW
// and OpenGL3 backends, and the main loop that lays out and draws the panels.
#include "ui/app.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <cstdio>
#include <algorithm>
#include <cstdlib>

#include "gfx/framebuffer.h"
#include "ui/activation_panel.h"
#include "ui/theme.h"
#include "ui/ui_state.h"

namespace gradscope::ui {
namespace {

std::string g_glfwError;

void onGlfwError(int code, const char* description) {
  g_glfwError = description ? description : "unknown error";
  (void)code;
}

void drawMenuBar(GLFWwindow* window) {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) glfwSetWindowShouldClose(window, GLFW_TRUE);
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

void drawPanels(UiState& state) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_NoSavedSettings;
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  if (ImGui::Begin("Activation", nullptr, fixed)) drawActivationPanel(state);
  ImGui::End();
}

}  // namespace

int runApp(const AppOptions& options) {
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

  UiState state;
  int exitCode = 0;
  for (int frame = 1; !glfwWindowShouldClose(window); ++frame) {
    glfwPollEvents();
    int fbw = 0, fbh = 0;
    glfwGetFramebufferSize(window, &fbw, &fbh);
    if (fbw == 0 || fbh == 0) {  // minimised: nothing to draw into
      glfwWaitEventsTimeout(0.05);
      continue;
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) glfwSetWindowShouldClose(window, GLFW_TRUE);
    drawMenuBar(window);
    drawPanels(state);
    ImGui::Render();
    gfx::clearFramebuffer(fbw, fbh, 0.08f, 0.085f, 0.10f);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    const bool last = options.frames > 0 && frame >= options.frames;
    if (last && !options.screenshot.empty()) {
      const auto image = gfx::readFramebuffer(0, 0, fbw, fbh);
      if (auto err = gfx::writePng(options.screenshot, image); !err.empty()) {
        std::fprintf(stderr, "gradscope: screenshot failed: %s\n", err.c_str());
        exitCode = 1;
      } else {
        std::printf("gradscope: saved %s (%d×%d)\n", options.screenshot.c_str(), image.width, image.height);
      }
    }
    glfwSwapBuffers(window);
    if (last) break;
  }

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exitCode;
}

}  // namespace gradscope::ui
