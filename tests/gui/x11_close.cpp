// Closing a window as a window manager does: a WM_DELETE_WINDOW client message. Xlib's macros
// (None, Bool, Status...) clash with GoogleTest, so Xlib stays in this file.
#include "x11_close.h"

#include <X11/Xlib.h>

bool sendDeleteWindow(const char* displayName, unsigned long window) {
  Display* x = XOpenDisplay(displayName);
  if (!x) return false;
  XEvent e{};
  e.xclient.type = ClientMessage;
  e.xclient.window = window;
  e.xclient.message_type = XInternAtom(x, "WM_PROTOCOLS", False);
  e.xclient.format = 32;
  e.xclient.data.l[0] = static_cast<long>(XInternAtom(x, "WM_DELETE_WINDOW", False));
  e.xclient.data.l[1] = CurrentTime;
  const bool sent = XSendEvent(x, window, False, NoEventMask, &e) != 0;
  XFlush(x);
  XCloseDisplay(x);
  return sent;
}

bool displayAnswers(const char* displayName) {
  Display* x = XOpenDisplay(displayName);
  if (!x) return false;
  XCloseDisplay(x);
  return true;
}
