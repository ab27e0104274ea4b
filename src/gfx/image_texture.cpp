// GL side of ImageTexture (see image_texture.h).
#include "gfx/image_texture.h"

#include "gfx/gl.h"

namespace gradscope::gfx {

ImageTexture::~ImageTexture() {
  if (m_texture) glDeleteTextures(1, &m_texture);
}

void ImageTexture::upload(const std::uint8_t* rgba, int width, int height) {
  if (!rgba || width <= 0 || height <= 0) return;
  if (!m_texture) glGenTextures(1, &m_texture);
  glBindTexture(GL_TEXTURE_2D, m_texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  if (width != m_width || height != m_height)
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  else
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  glBindTexture(GL_TEXTURE_2D, 0);
  m_width = width;
  m_height = height;
}

}  // namespace gradscope::gfx
