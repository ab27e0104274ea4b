// The one short message at the bottom right of the window ("Saved …", an error): the newest
// replaces the last, and it goes away after a few seconds (errors stay longer).
#pragma once

#include <chrono>
#include <string>

namespace gradscope::ui {

class Toast {
 public:
  void show(std::string text, bool error);
  // Draws it above a status bar `statusHeight` tall, while it lasts.
  void draw(float statusHeight) const;
  // The text while it is shown, else "".
  std::string current() const;
  // Shown, or gone since the last draw (one more frame clears it).
  bool onScreen() const { return m_drawn || !current().empty(); }

 private:
  using Clock = std::chrono::steady_clock;
  std::string m_text;
  Clock::time_point m_until{};
  bool m_error = false;
  mutable bool m_drawn = false;  // the last draw showed it
};

}  // namespace gradscope::ui
