#version 330 core
// The network's output over the input plane: P(class 1) through a diverging colormap (or a
// class index through a palette), dimmed so data points stand out, and the decision boundary
// (P = 0.5, or a change of class) drawn as an anti-aliased line.
in vec2 uv;
out vec4 color;
uniform sampler2D values;   // R32F, resolution × resolution
uniform int classes;        // 2: values are probabilities; more: class indices
uniform vec3 class0;
uniform vec3 class1;
uniform vec3 background;
uniform vec3 palette[8];

void main() {
  float v = texture(values, uv).r;
  vec3 c;
  float edge;
  if (classes <= 2) {
    float t = clamp(v, 0.0, 1.0);
    // Confidence drives saturation: 0.5 is the background, 0 and 1 the full class colours.
    float k = abs(t - 0.5) * 2.0;
    c = mix(background, t < 0.5 ? class0 : class1, 0.25 + 0.6 * k);
    float d = abs(v - 0.5) / max(fwidth(v), 1e-6);
    edge = 1.0 - smoothstep(0.5, 1.8, d);
  } else {
    int k = int(v + 0.5);
    c = mix(background, palette[k % 8], 0.55);
    edge = fwidth(v) > 0.01 ? 1.0 : 0.0;
  }
  color = vec4(mix(c, vec3(0.97), edge * 0.9), 1.0);
}
