// GL side of ImageTexture (see image_texture.h).
#include "gfx/image_texture.h"

#include "gfx/gl.h"

namespace gradscope::gfx {

ImageTexture::~ImageTexture() {
  if (m_texture) glDeleteTextures(1, &m_texture);
}

void uploadTexture2D(unsigned& texture, int (&uploaded)[2], int width, int height,
                     int internalFormat, unsigned format, unsigned type, const void* pixels,
                     int filter) {
  if (!pixels || width <= 0 || height <= 0) return;
  if (!texture) glGenTextures(1, &texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  if (width != uploaded[0] || height != uploaded[1])
    glTexImage2D(GL_TEXTURE_2D, 0, internalFormat, width, height, 0, format, type, pixels);
  else
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, format, type, pixels);
  glBindTexture(GL_TEXTURE_2D, 0);
  uploaded[0] = width;
  uploaded[1] = height;
}

void ImageTexture::upload(const std::uint8_t* rgba, int width, int height) {
  uploadTexture2D(m_texture, m_size, width, height, GL_RGBA8, GL_RGBA, GL_UNSIGNED_BYTE, rgba,
                  GL_NEAREST);
}

}  // namespace gradscope::gfx
