// An RGBA8 image as a texture for ImGui::Image (nearest-neighbour, so each pixel of a weight
// or data image stays a crisp square). Data prep (the pixels) happens elsewhere; this is only
// the GL upload.
#pragma once

#include <cstdint>

namespace gradscope::gfx {

class ImageTexture {
 public:
  ImageTexture() = default;
  ~ImageTexture();
  ImageTexture(const ImageTexture&) = delete;
  ImageTexture& operator=(const ImageTexture&) = delete;

  // rgba: width × height pixels, 4 bytes each, row 0 at the top.
  void upload(const std::uint8_t* rgba, int width, int height);
  std::uintptr_t id() const { return m_texture; }
  int width() const { return m_width; }
  int height() const { return m_height; }

 private:
  unsigned m_texture = 0;
  int m_width = 0, m_height = 0;
};

}  // namespace gradscope::gfx
