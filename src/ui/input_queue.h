// Keyboard and mouse-button input that survives slow frames.
//
// Dear ImGui 1.86 reads key and button state once per frame: a tap that begins and ends between
// two frames never reaches it, and a double-click is timed with frame times, so at 3 fps it
// never registers. (1.87 added an input queue for exactly this.) Here GLFW's callbacks queue
// every press, release and character with its own timestamp and position, and each frame
// `deliver` hands ImGui the queue in order, at most one transition per key or button per frame
// (a tap takes two frames), with double-clicks timed from the events' timestamps.
#pragma once

#include <deque>
#include <vector>

struct GLFWwindow;
struct ImGuiIO;

namespace gradscope::ui {

struct InputEvent {
  enum class Kind { Key, Button, Char };
  Kind kind = Kind::Key;
  int code = 0;       // GLFW key or mouse button
  bool down = false;  // press or release (keys and buttons)
  unsigned ch = 0;    // the character (Char)
  double time = 0;    // seconds, the GLFW clock
  float x = 0, y = 0;  // the pointer when a button changed
};

// A key press as a shortcut sees it: every press and repeat, as it happened.
struct KeyPress {
  int key = 0, mods = 0;
  bool repeat = false;
};

class InputQueue {
 public:
  void push(const InputEvent& e) { m_events.push_back(e); }
  void pushShortcut(const KeyPress& k) { m_shortcuts.push_back(k); }
  bool pending() const { return !m_events.empty(); }

  // Between the platform backend's NewFrame and ImGui::NewFrame: applies the queued events that
  // fit in this frame to `io`, and the buttons' state (which the backend overwrites each frame).
  // `frameTime` is the time the coming ImGui::NewFrame gives this frame (ImGui::GetTime() +
  // io.DeltaTime).
  void deliver(ImGuiIO& io, double frameTime);

  // Every shortcut key press since the last call, in order.
  std::vector<KeyPress> takeShortcuts();

 private:
  static constexpr int kButtons = 5;
  std::deque<InputEvent> m_events;
  std::vector<KeyPress> m_shortcuts;
  bool m_buttonDown[kButtons] = {};
  double m_lastClick[kButtons] = {-1e9, -1e9, -1e9, -1e9, -1e9};  // event time of a single click
};

// Routes `window`'s key, character and mouse-button callbacks into `queue` (replacing Dear
// ImGui's own, which must be installed first: its scroll, focus and cursor-enter callbacks stay).
void installInputQueue(GLFWwindow* window, InputQueue* queue);

}  // namespace gradscope::ui
