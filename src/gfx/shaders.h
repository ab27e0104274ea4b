// GLSL sources from shaders/, embedded at build time (cmake/embed_shaders.cmake).
#pragma once

namespace gradscope::gfx::shaders {
extern const char* const fullscreen_vert;
extern const char* const heatmap_frag;
extern const char* const points_vert;
extern const char* const points_frag;
}  // namespace gradscope::gfx::shaders
