// The GLFW window, its GL context and Dear ImGui's backends.
#include "ui/window.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "gfx/framebuffer.h"

namespace gradscope::ui {
namespace {

std::string g_glfwError;

void onGlfwError(int, const char* description) {
  g_glfwError = description ? description : "unknown error";
}

// Under AddressSanitizer the leak check runs before glfwTerminate, not at exit: glfwTerminate
// unloads Mesa's driver, and what the driver keeps until then would be reported as leaks from
// an unknown module that no suppression can name. Everything of ours is freed by then.
void leakCheckBeforeGlfwTerminate() {
#if defined(__SANITIZE_ADDRESS__)
  __lsan_do_leak_check();
#endif
}

}  // namespace

std::unique_ptr<Window> Window::open(int width, int height, bool vsync) {
  glfwSetErrorCallback(onGlfwError);
  if (!glfwInit()) {
    const char* display = std::getenv("DISPLAY");
    std::fprintf(stderr, "gradscope: cannot open a window (%s)%s\n", g_glfwError.c_str(),
                 display && *display
                     ? ""
                     : "; DISPLAY is not set — `gradscope train` works without a display");
    return nullptr;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(width, height, "gradscope", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "gradscope: cannot create an OpenGL 3.3 core window (%s)\n",
                 g_glfwError.c_str());
    leakCheckBeforeGlfwTerminate();
    glfwTerminate();
    return nullptr;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(vsync ? 1 : 0);
  if (auto err = gfx::loadGl(glfwGetProcAddress); !err.empty()) {
    std::fprintf(stderr, "gradscope: %s\n", err.c_str());
    leakCheckBeforeGlfwTerminate();
    glfwDestroyWindow(window);
    glfwTerminate();
    return nullptr;
  }
  return std::unique_ptr<Window>(new Window(window));
}

Window::~Window() {
  shutdownImGui();
  leakCheckBeforeGlfwTerminate();
  glfwDestroyWindow(m_window);
  glfwTerminate();
}

float Window::contentScale() const {
  float xscale = 1.0f, yscale = 1.0f;
  glfwGetWindowContentScale(m_window, &xscale, &yscale);
  return std::max(1.0f, std::max(xscale, yscale));
}

bool Window::shouldClose() const { return glfwWindowShouldClose(m_window); }
void Window::pollEvents() { glfwPollEvents(); }
void Window::waitEvents(double seconds) { glfwWaitEventsTimeout(seconds); }
void Window::swapBuffers() { glfwSwapBuffers(m_window); }
void Window::framebufferSize(int& width, int& height) const {
  glfwGetFramebufferSize(m_window, &width, &height);
}
void Window::windowSize(int& width, int& height) const {
  glfwGetWindowSize(m_window, &width, &height);
}

void Window::createImGui() {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the layout is ours; settings live in persist.h
}

void Window::initImGuiBackends() {
  ImGui_ImplGlfw_InitForOpenGL(m_window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  m_backends = true;
}

void Window::shutdownImGui() {
  if (!m_backends) return;
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  m_backends = false;
}

}  // namespace gradscope::ui
