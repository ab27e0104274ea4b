// GL side of the decision-boundary view (see heatmap.h).
#include "gfx/heatmap.h"

#include "gfx/gl.h"
#include "gfx/image_texture.h"
#include "gfx/shaders.h"

#include <vector>

namespace gradscope::gfx {
namespace {

GLuint compile(GLenum type, const char* source, std::string& error) {
  const GLuint s = glCreateShader(type);
  glShaderSource(s, 1, &source, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[1024] = {0};
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    error = std::string(type == GL_VERTEX_SHADER ? "vertex" : "fragment") + " shader: " + log;
    glDeleteShader(s);
    return 0;
  }
  return s;
}

GLuint link(const char* vertex, const char* fragment, std::string& error) {
  const GLuint vs = compile(GL_VERTEX_SHADER, vertex, error);
  if (!vs) return 0;
  const GLuint fs = compile(GL_FRAGMENT_SHADER, fragment, error);
  if (!fs) {
    glDeleteShader(vs);
    return 0;
  }
  const GLuint program = glCreateProgram();
  glAttachShader(program, vs);
  glAttachShader(program, fs);
  glLinkProgram(program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[1024] = {0};
    glGetProgramInfoLog(program, sizeof log, nullptr, log);
    error = std::string("shader link: ") + log;
    glDeleteProgram(program);
    return 0;
  }
  return program;
}

const float kPalette[8][3] = {{0.94f, 0.53f, 0.24f}, {0.33f, 0.58f, 0.93f}, {0.38f, 0.77f, 0.47f},
                              {0.89f, 0.36f, 0.36f}, {0.67f, 0.52f, 0.87f}, {0.75f, 0.59f, 0.43f},
                              {0.91f, 0.54f, 0.78f}, {0.31f, 0.78f, 0.82f}};

}  // namespace

Heatmap::~Heatmap() {
  for (int i = 0; i < 2; ++i) {
    if (m_pointVbo[i]) glDeleteBuffers(1, &m_pointVbo[i]);
    if (m_pointVao[i]) glDeleteVertexArrays(1, &m_pointVao[i]);
  }
  if (m_pointProgram) glDeleteProgram(m_pointProgram);
  if (m_target) glDeleteTextures(1, &m_target);
  if (m_values) glDeleteTextures(1, &m_values);
  if (m_fbo) glDeleteFramebuffers(1, &m_fbo);
  if (m_vao) glDeleteVertexArrays(1, &m_vao);
  if (m_program) glDeleteProgram(m_program);
}

bool Heatmap::ensureProgram() {
  if (m_program && m_pointProgram) return true;
  if (!m_error.empty()) return false;
  m_program = link(shaders::fullscreen_vert, shaders::heatmap_frag, m_error);
  if (m_program) m_pointProgram = link(shaders::points_vert, shaders::points_frag, m_error);
  if (!m_program || !m_pointProgram) return false;
  glGenVertexArrays(1, &m_vao);
  return true;
}

void Heatmap::uploadPoints(int set, const float* xy, const int* labels, int count) {
  if (set < 0 || set > 1) return;
  std::vector<float> data(static_cast<size_t>(count) * 3);
  for (int i = 0; i < count; ++i) {
    data[3 * i] = xy[2 * i];
    data[3 * i + 1] = xy[2 * i + 1];
    data[3 * i + 2] = static_cast<float>(labels[i]);
  }
  if (!m_pointVao[set]) {
    glGenVertexArrays(1, &m_pointVao[set]);
    glGenBuffers(1, &m_pointVbo[set]);
    glBindVertexArray(m_pointVao[set]);
    glBindBuffer(GL_ARRAY_BUFFER, m_pointVbo[set]);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 3 * sizeof(float), nullptr);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 1, GL_FLOAT, GL_FALSE, 3 * sizeof(float),
                          reinterpret_cast<void*>(2 * sizeof(float)));
    glBindVertexArray(0);
  }
  glBindBuffer(GL_ARRAY_BUFFER, m_pointVbo[set]);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(data.size() * sizeof(float)), data.data(),
               GL_STATIC_DRAW);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  m_pointCount[set] = count;
}

void Heatmap::upload(const float* values, int resolution, int classes) {
  // Probabilities interpolate smoothly; class indices must not blend.
  int uploaded[2] = {m_resolution, m_resolution};
  uploadTexture2D(m_values, uploaded, resolution, resolution, GL_R32F, GL_RED, GL_FLOAT, values,
                  classes <= 2 ? GL_LINEAR : GL_NEAREST);
  if (resolution <= 0 || !values) return;
  m_resolution = resolution;
  m_classes = classes;
}

std::uintptr_t Heatmap::render(int width, int height, const HeatmapColors& c, const float bounds[4],
                               bool trainPoints, bool testPoints, float pointSize) {
  if (width <= 0 || height <= 0 || !m_values || !ensureProgram()) return 0;
  if (!m_fbo) glGenFramebuffers(1, &m_fbo);
  if (!m_target) glGenTextures(1, &m_target);
  if (width != m_width || height != m_height) {
    glBindTexture(GL_TEXTURE_2D, m_target);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_target, 0);
    glBindTexture(GL_TEXTURE_2D, 0);
    m_width = width, m_height = height;
  }
  GLint viewport[4];
  glGetIntegerv(GL_VIEWPORT, viewport);
  glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
  glViewport(0, 0, width, height);
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  glUseProgram(m_program);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, m_values);
  glUniform1i(glGetUniformLocation(m_program, "values"), 0);
  glUniform1i(glGetUniformLocation(m_program, "classes"), m_classes);
  glUniform3fv(glGetUniformLocation(m_program, "class0"), 1, c.class0);
  glUniform3fv(glGetUniformLocation(m_program, "class1"), 1, c.class1);
  glUniform3fv(glGetUniformLocation(m_program, "background"), 1, c.background);
  glUniform3fv(glGetUniformLocation(m_program, "palette"), 8, &kPalette[0][0]);
  glBindVertexArray(m_vao);
  glDrawArrays(GL_TRIANGLES, 0, 3);

  // Points on top, blended for their anti-aliased edges.
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  glEnable(GL_PROGRAM_POINT_SIZE);
  glUseProgram(m_pointProgram);
  glUniform4fv(glGetUniformLocation(m_pointProgram, "bounds"), 1, bounds);
  glUniform1f(glGetUniformLocation(m_pointProgram, "pointSize"), pointSize);
  glUniform3fv(glGetUniformLocation(m_pointProgram, "palette"), 8, &kPalette[0][0]);
  const bool show[2] = {trainPoints, testPoints};
  for (int set = 0; set < 2; ++set) {
    if (!show[set] || !m_pointCount[set]) continue;
    glUniform1i(glGetUniformLocation(m_pointProgram, "hollow"), set);
    glBindVertexArray(m_pointVao[set]);
    glDrawArrays(GL_POINTS, 0, m_pointCount[set]);
  }
  glDisable(GL_PROGRAM_POINT_SIZE);
  glDisable(GL_BLEND);
  glBindVertexArray(0);
  glUseProgram(0);
  glBindTexture(GL_TEXTURE_2D, 0);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
  return m_target;
}

}  // namespace gradscope::gfx
