// The window: GLFW with an OpenGL 3.3 core context, the GL loader, and Dear ImGui's context
// with its GLFW and OpenGL3 backends. Everything else draws into it through ImGui or gfx/.
#pragma once

#include <memory>

struct GLFWwindow;

namespace gradscope::ui {

class Window {
 public:
  // Opens a window of width × height screen coordinates and makes its context current, GL
  // loaded; `vsync` waits for the display on each swap. Returns null after one line on stderr
  // (no display, no OpenGL 3.3 core).
  static std::unique_ptr<Window> open(int width, int height, bool vsync);
  // Destroys the window and ends GLFW (ImGui must be shut down first).
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  GLFWwindow* handle() const { return m_window; }
  // The monitor's content scale (HiDPI), at least 1.
  float contentScale() const;
  bool shouldClose() const;
  void pollEvents();
  // Waits up to `seconds` for an event (minimised, or idle).
  void waitEvents(double seconds);
  void swapBuffers();
  void framebufferSize(int& width, int& height) const;
  void windowSize(int& width, int& height) const;

  // Dear ImGui's context (no ini file: the layout is ours, settings live in persist.h), then,
  // once the fonts are loaded, its platform and renderer backends; shutdownImGui ends both.
  void createImGui();
  void initImGuiBackends();
  void shutdownImGui();

 private:
  explicit Window(GLFWwindow* window) : m_window(window) {}
  GLFWwindow* m_window;
  bool m_backends = false;
};

}  // namespace gradscope::ui
