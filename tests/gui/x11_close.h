// Xlib helpers for the interaction test, behind a header free of Xlib's macros.
#pragma once

// Sends WM_DELETE_WINDOW to `window` on `displayName` (":42"); false if it could not.
bool sendDeleteWindow(const char* displayName, unsigned long window);
// Whether an X server answers on `displayName`.
bool displayAnswers(const char* displayName);
