// The decision-boundary image: a grid of floats uploaded as a texture, colormapped with the
// 0.5 contour in a fragment shader (shaders/heatmap.frag), rendered into a texture of its own
// that ImGui::Image shows. Data prep (the grid), GL upload and UI are three separate steps.
#pragma once

#include <cstdint>
#include <string>

namespace gradscope::gfx {

struct HeatmapColors {
  float class0[3], class1[3], background[3];
};

class Heatmap {
 public:
  Heatmap() = default;
  ~Heatmap();
  Heatmap(const Heatmap&) = delete;
  Heatmap& operator=(const Heatmap&) = delete;

  // Uploads a resolution × resolution grid (row 0 at the bottom).
  void upload(const float* values, int resolution, int classes);
  // Uploads data points (xy: 2 floats per point, plane coordinates; labels: class indices);
  // set 0 is drawn filled (training data), set 1 as rings (test data).
  void uploadPoints(int set, const float* xy, const int* labels, int count);
  // Renders the grid over the plane [x0, x1] × [y0, y1] at width × height pixels, points of
  // the sets asked for on top; returns the texture to show (0 if nothing uploaded yet or the
  // size is empty). Restores the default framebuffer.
  std::uintptr_t render(int width, int height, const HeatmapColors& colors, const float bounds[4],
                        bool trainPoints, bool testPoints, float pointSize);
  // Empty, or why the shader failed to build (shown in the panel instead of an image).
  const std::string& error() const { return m_error; }

 private:
  bool ensureProgram();

  unsigned m_program = 0, m_vao = 0, m_values = 0, m_fbo = 0, m_target = 0;
  unsigned m_pointProgram = 0, m_pointVao[2] = {0, 0}, m_pointVbo[2] = {0, 0};
  int m_pointCount[2] = {0, 0};
  int m_resolution = 0, m_classes = 2, m_width = 0, m_height = 0;
  std::string m_error;
};

// A small RGBA image (e.g. a layer × step or unit map computed on the CPU) as a texture for
// ImGui::Image / ImDrawList::AddImage: one quad instead of a rectangle per cell. Nearest
// filtering keeps cells crisp when stretched. Re-uploads in place while the size stays.
class ImageTexture {
 public:
  ImageTexture() = default;
  ~ImageTexture();
  ImageTexture(const ImageTexture&) = delete;
  ImageTexture& operator=(const ImageTexture&) = delete;

  // rgba: width × height pixels of IM_COL32 layout (R in the low byte), row 0 at the top.
  void upload(const std::uint32_t* rgba, int width, int height);
  // The texture to draw (0 before the first upload).
  std::uintptr_t id() const { return m_texture; }

 private:
  unsigned m_texture = 0;
  int m_width = 0, m_height = 0;
};

}  // namespace gradscope::gfx
