#version 330 core
// A triangle covering the viewport; uv runs 0..1 across it (row 0 of the grid at the bottom).
out vec2 uv;
void main() {
  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  uv = p;
  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
