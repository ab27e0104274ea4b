// OpenGL set-up and framebuffer read-back: the only place (with the other gfx/ files) that
// calls OpenGL. Pixels are read after rendering and before the swap, at framebuffer resolution.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
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

// Reads rectangles of the back buffer without waiting for them: request() starts a read into
// one of a ring of pixel-buffer objects and returns at once; take() maps the oldest one when
// the GPU has finished it (a frame or two later), so recording never stalls a frame on the
// read-back. Needs the GL context current for every call, the destructor included.
class AsyncReadback {
 public:
  // Rows bottom-up (OpenGL's order), `width * 4` bytes apart (nullptr when the buffer could
  // not be mapped); `tag` as given to request().
  using Consumer =
      std::function<void(const std::uint8_t* rgba, int width, int height, std::int64_t tag)>;

  AsyncReadback() = default;
  ~AsyncReadback();
  AsyncReadback(const AsyncReadback&) = delete;
  AsyncReadback& operator=(const AsyncReadback&) = delete;

  static constexpr int kRing = 3;
  bool full() const { return m_count == kRing; }
  int pending() const { return m_count; }

  // Starts reading (x, y, width, height) of the back buffer (from the top-left corner, in
  // framebuffer pixels; `framebufferHeight` converts to GL's bottom-left origin). When the
  // ring is full the oldest read is taken first, waiting for it.
  void request(int x, int y, int width, int height, int framebufferHeight, std::int64_t tag,
               const Consumer& use);
  // Hands the oldest read to `use` if it is finished (or always, with `wait`); returns whether
  // one was handed over.
  bool take(const Consumer& use, bool wait);

 private:
  struct Buffer {
    unsigned pbo = 0;
    void* fence = nullptr;  // GLsync
    size_t capacity = 0;
    int width = 0, height = 0;
    std::int64_t tag = 0;
  };
  std::array<Buffer, kRing> m_ring{};
  int m_first = 0;  // the oldest pending read
  int m_count = 0;
};

// Writes `image` as PNG; returns an empty string or the reason it failed.
std::string writePng(const std::string& path, const Image& image);

}  // namespace gradscope::gfx
