# Writes OUTPUT: a C++ source defining one string constant per shader file in INPUTS
# (shaders/heatmap.frag → gradscope::gfx::shaders::heatmap_frag). Run with cmake -P.
set(content "// Generated from shaders/ at build time. Do not edit.\n#include \"gfx/shaders.h\"\n\nnamespace gradscope::gfx::shaders {\n")
foreach(path ${INPUTS})
  get_filename_component(name ${path} NAME)
  string(REPLACE "." "_" symbol ${name})
  file(READ ${path} source)
  string(APPEND content "const char* const ${symbol} = R\"glsl(${source})glsl\";\n")
endforeach()
string(APPEND content "}  // namespace gradscope::gfx::shaders\n")
file(WRITE ${OUTPUT}.tmp "${content}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUTPUT}.tmp ${OUTPUT})
