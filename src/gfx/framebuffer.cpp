// GL loading, framebuffer read-back and PNG writing (stb_image_write from Debian's libstb).
#include "gfx/framebuffer.h"

#include <stb_image_write.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "gfx/gl.h"

namespace gradscope::gfx {

std::string loadGl(GlLoader getProc) {
  const int version = gladLoadGL(reinterpret_cast<GLADloadfunc>(getProc));
  if (version == 0) return "could not load the OpenGL functions";
  if (GLAD_VERSION_MAJOR(version) < 3 ||
      (GLAD_VERSION_MAJOR(version) == 3 && GLAD_VERSION_MINOR(version) < 3))
    return "OpenGL 3.3 is needed, this context offers " +
           std::to_string(GLAD_VERSION_MAJOR(version)) + "." +
           std::to_string(GLAD_VERSION_MINOR(version));
  return {};
}

std::string glVersionString() {
  const auto* v = reinterpret_cast<const char*>(glGetString(GL_VERSION));
  const auto* r = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  return std::string(v ? v : "?") + " (" + (r ? r : "?") + ")";
}

void clearFramebuffer(int width, int height, float r, float g, float b) {
  glViewport(0, 0, width, height);
  glClearColor(r, g, b, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
}

Image readFramebuffer(int x, int y, int width, int height) {
  GLint viewport[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_VIEWPORT, viewport);
  Image img;
  if (width <= 0 || height <= 0) return img;
  img.width = width;
  img.height = height;
  img.rgba.resize(static_cast<size_t>(width) * height * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  // GL's origin is bottom-left; convert the top-left rectangle, then flip rows.
  const int glY = viewport[3] - (y + height);
  glReadPixels(x, glY, width, height, GL_RGBA, GL_UNSIGNED_BYTE, img.rgba.data());
  const size_t row = static_cast<size_t>(width) * 4;
  std::vector<std::uint8_t> tmp(row);
  for (int r = 0; r < height / 2; ++r) {
    auto* a = img.rgba.data() + r * row;
    auto* b = img.rgba.data() + (height - 1 - r) * row;
    std::memcpy(tmp.data(), a, row);
    std::memcpy(a, b, row);
    std::memcpy(b, tmp.data(), row);
  }
  for (size_t i = 3; i < img.rgba.size(); i += 4) img.rgba[i] = 255;  // opaque PNG
  return img;
}

AsyncReadback::~AsyncReadback() {
  for (Buffer& b : m_ring) {
    if (b.fence) glDeleteSync(static_cast<GLsync>(b.fence));
    if (b.pbo) glDeleteBuffers(1, &b.pbo);
  }
}

void AsyncReadback::request(int x, int y, int width, int height, int framebufferHeight,
                            std::int64_t tag, const Consumer& use) {
  if (width <= 0 || height <= 0) return;
  if (full()) take(use, true);
  Buffer& b = m_ring[static_cast<size_t>((m_first + m_count) % kRing)];
  if (!b.pbo) glGenBuffers(1, &b.pbo);
  glBindBuffer(GL_PIXEL_PACK_BUFFER, b.pbo);
  const size_t bytes = static_cast<size_t>(width) * height * 4;
  if (bytes > b.capacity) {
    glBufferData(GL_PIXEL_PACK_BUFFER, static_cast<GLsizeiptr>(bytes), nullptr, GL_STREAM_READ);
    b.capacity = bytes;
  }
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(x, framebufferHeight - (y + height), width, height, GL_RGBA, GL_UNSIGNED_BYTE,
               nullptr);
  glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
  if (b.fence) glDeleteSync(static_cast<GLsync>(b.fence));
  b.fence = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
  b.width = width;
  b.height = height;
  b.tag = tag;
  ++m_count;
}

bool AsyncReadback::take(const Consumer& use, bool wait) {
  if (m_count == 0) return false;
  Buffer& b = m_ring[static_cast<size_t>(m_first)];
  if (b.fence) {
    const GLenum state = glClientWaitSync(static_cast<GLsync>(b.fence), GL_SYNC_FLUSH_COMMANDS_BIT,
                                          wait ? GLuint64{1000000000} : GLuint64{0});
    if (state == GL_TIMEOUT_EXPIRED && !wait) return false;
    glDeleteSync(static_cast<GLsync>(b.fence));
    b.fence = nullptr;
  }
  glBindBuffer(GL_PIXEL_PACK_BUFFER, b.pbo);
  const size_t bytes = static_cast<size_t>(b.width) * b.height * 4;
  if (const void* p = glMapBufferRange(GL_PIXEL_PACK_BUFFER, 0, static_cast<GLsizeiptr>(bytes),
                                       GL_MAP_READ_BIT)) {
    use(static_cast<const std::uint8_t*>(p), b.width, b.height, b.tag);
    glUnmapBuffer(GL_PIXEL_PACK_BUFFER);
  } else {
    use(nullptr, b.width, b.height, b.tag);
  }
  glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
  m_first = (m_first + 1) % kRing;
  --m_count;
  return true;
}

std::string writePng(const std::string& path, const Image& image) {
  if (image.width <= 0 || image.height <= 0) return "the image is empty (window minimised?)";
  const std::filesystem::path p(path);
  std::error_code ec;
  if (p.has_parent_path() && !std::filesystem::is_directory(p.parent_path(), ec))
    return "folder " + p.parent_path().string() + " does not exist";
  errno = 0;
  if (!stbi_write_png(path.c_str(), image.width, image.height, 4, image.rgba.data(),
                      image.width * 4))
    return "cannot write " + path +
           (errno ? std::string(": ") + std::strerror(errno) : std::string());
  return {};
}

}  // namespace gradscope::gfx
