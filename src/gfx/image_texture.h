// An RGBA8 image as a texture for ImGui::Image / ImDrawList::AddImage (nearest-neighbour, so
// each pixel of a weight image or a layer × step map stays a crisp square; re-uploaded in
// place while the size stays). Data prep (the pixels) happens elsewhere; this is only
// the GL upload.
#pragma once

#include <cstdint>

namespace gradscope::gfx {

// Creates `texture` on first use and uploads `pixels` (width × height texels of `format` and
// `type`) to it, clamped at the edges with `filter`: the whole image when the size differs from
// `*uploaded` (then updated), in place otherwise.
void uploadTexture2D(unsigned& texture, int (&uploaded)[2], int width, int height,
                     int internalFormat, unsigned format, unsigned type, const void* pixels,
                     int filter);

class ImageTexture {
 public:
  ImageTexture() = default;
  ~ImageTexture();
  ImageTexture(const ImageTexture&) = delete;
  ImageTexture& operator=(const ImageTexture&) = delete;

  // rgba: width × height pixels, 4 bytes each, row 0 at the top.
  void upload(const std::uint8_t* rgba, int width, int height);
  // Pixels in IM_COL32 layout (R in the low byte): the same bytes on a little-endian machine.
  void upload(const std::uint32_t* rgba, int width, int height) {
    upload(reinterpret_cast<const std::uint8_t*>(rgba), width, height);
  }
  std::uintptr_t id() const { return m_texture; }
  int width() const { return m_size[0]; }
  int height() const { return m_size[1]; }

 private:
  unsigned m_texture = 0;
  int m_size[2] = {0, 0};
};

}  // namespace gradscope::gfx
