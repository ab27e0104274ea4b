#include "ui/input_queue.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <iterator>

namespace gradscope::ui {

void InputQueue::deliver(ImGuiIO& io, double frameTime) {
  constexpr int kKeys = static_cast<int>(IM_ARRAYSIZE(io.KeysDown));
  bool keyChanged[kKeys] = {};
  bool buttonChanged[kButtons] = {};
  bool moved = false;
  float px = 0, py = 0;
  size_t taken = 0;
  for (; taken < m_events.size(); ++taken) {
    const InputEvent& e = m_events[taken];
    if (e.kind == InputEvent::Kind::Char) {
      io.AddInputCharacter(e.ch);
    } else if (e.kind == InputEvent::Kind::Key) {
      if (e.code < 0 || e.code >= kKeys || io.KeysDown[e.code] == e.down) continue;
      if (keyChanged[e.code]) break;  // its second transition: next frame
      io.KeysDown[e.code] = e.down;
      keyChanged[e.code] = true;
    } else {
      if (e.code < 0 || e.code >= kButtons || m_buttonDown[e.code] == e.down) continue;
      if (buttonChanged[e.code]) break;
      m_buttonDown[e.code] = e.down;
      buttonChanged[e.code] = true;
      moved = true;
      px = e.x;
      py = e.y;
      if (e.down) {
        // ImGui calls a press a double-click when frameTime − MouseClickedTime is under
        // MouseDoubleClickTime: give it the events' interval instead of the frames'. After a
        // double-click the next press starts over, as in ImGui.
        const double since = e.time - m_lastClick[e.code];
        const bool isDouble = since < io.MouseDoubleClickTime;
        io.MouseClickedTime[e.code] =
            isDouble ? frameTime - since : frameTime - 2.0 * io.MouseDoubleClickTime - 1.0;
        m_lastClick[e.code] = isDouble ? -1e9 : e.time;
      }
    }
  }
  m_events.erase(m_events.begin(), m_events.begin() + static_cast<std::ptrdiff_t>(taken));

  for (int b = 0; b < kButtons; ++b) io.MouseDown[b] = m_buttonDown[b];
  if (moved) io.MousePos = ImVec2(px, py);  // where the button changed, not where it is now
  io.KeyCtrl = io.KeysDown[GLFW_KEY_LEFT_CONTROL] || io.KeysDown[GLFW_KEY_RIGHT_CONTROL];
  io.KeyShift = io.KeysDown[GLFW_KEY_LEFT_SHIFT] || io.KeysDown[GLFW_KEY_RIGHT_SHIFT];
  io.KeyAlt = io.KeysDown[GLFW_KEY_LEFT_ALT] || io.KeysDown[GLFW_KEY_RIGHT_ALT];
  io.KeySuper = io.KeysDown[GLFW_KEY_LEFT_SUPER] || io.KeysDown[GLFW_KEY_RIGHT_SUPER];
}

std::vector<KeyPress> InputQueue::takeShortcuts() {
  std::vector<KeyPress> out;
  out.swap(m_shortcuts);
  return out;
}

namespace {

// GLFW calls back with the window only; the app has one window and one queue.
InputQueue* g_queue = nullptr;

void onKey(GLFWwindow*, int key, int, int action, int mods) {
  if (!g_queue) return;
  if (action == GLFW_PRESS || action == GLFW_REPEAT)
    g_queue->pushShortcut({key, mods, action == GLFW_REPEAT});
  if (action == GLFW_REPEAT) return;  // ImGui repeats held keys itself
  g_queue->push({InputEvent::Kind::Key, key, action == GLFW_PRESS, 0, glfwGetTime()});
}

void onChar(GLFWwindow*, unsigned int c) {
  if (g_queue) g_queue->push({InputEvent::Kind::Char, 0, false, c, glfwGetTime()});
}

void onMouseButton(GLFWwindow* window, int button, int action, int) {
  if (!g_queue) return;
  double x = 0, y = 0;
  glfwGetCursorPos(window, &x, &y);
  g_queue->push({InputEvent::Kind::Button, button, action == GLFW_PRESS, 0, glfwGetTime(),
                 static_cast<float>(x), static_cast<float>(y)});
}

}  // namespace

void installInputQueue(GLFWwindow* window, InputQueue* queue) {
  g_queue = queue;
  glfwSetKeyCallback(window, onKey);
  glfwSetCharCallback(window, onChar);
  glfwSetMouseButtonCallback(window, onMouseButton);
}

}  // namespace gradscope::ui
