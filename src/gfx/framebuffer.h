// OpenGL set-up and framebuffer read-back: the only place (with the other gfx/ files) that
// calls OpenGL. Pixels are read after rendering and before the swap, at framebuffer resolution.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gradscope::gfx {

// Loads the GL entry points for the current context through `getProc` (glfwGetProcAddress).
// Returns an empty string, or why the context is unusable (e.g. no OpenGL 3.3).
using GlLoader = void (*(*)(const char*))();
std::string loadGl(GlLoader getProc);
std::string glVersionString();

// Sets the viewport to the whole framebuffer and clears it to an opaque colour.
void clearFramebuffer(int width, int height, float r, float g, float b);

struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;  // top row first, 4 bytes per pixel
};

// Reads a rectangle of the back buffer (x, y from the top-left corner, in framebuffer pixels).
Image readFramebuffer(int x, int y, int width, int height);

// Writes `image` as PNG; returns an empty string or the reason it failed.
std::string writePng(const std::string& path, const Image& image);

}  // namespace gradscope::gfx
