#version 330 core
// Round, anti-aliased points in their class colour: filled with a dark rim (training data)
// or as rings (test data).
flat in int pointClass;
uniform vec3 palette[8];
uniform int hollow;
out vec4 color;
void main() {
  float r = length(gl_PointCoord * 2.0 - 1.0);
  float aa = max(fwidth(r), 1e-3);
  float inside = 1.0 - smoothstep(1.0 - aa, 1.0, r);
  if (inside <= 0.0) discard;
  vec3 c = palette[pointClass % 8];
  if (hollow == 1) {
    float ring = smoothstep(0.5 - aa, 0.5, r);
    color = vec4(c, inside * ring);
  } else {
    color = vec4(mix(c, vec3(0.08), smoothstep(0.62 - aa, 0.62, r)), inside);
  }
}
