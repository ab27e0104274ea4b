#version 330 core
// Data points in plane coordinates, placed over the heatmap.
layout(location = 0) in vec2 position;
layout(location = 1) in float label;
uniform vec4 bounds;  // x0, x1, y0, y1 of the plane
uniform float pointSize;
flat out int pointClass;
void main() {
  vec2 t = (position - bounds.xz) / (bounds.yw - bounds.xz);
  gl_Position = vec4(t * 2.0 - 1.0, 0.0, 1.0);
  gl_PointSize = pointSize;
  pointClass = int(label + 0.5);
}
