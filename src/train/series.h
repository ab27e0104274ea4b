// A bounded series of (step, value) points: memory stays flat for any run length. Points are
// kept at full resolution until `capacity` is reached; then every four points collapse to
// their minimum and maximum (in step order) and later points arrive in buckets of matching
// width, so the series stays uniformly dense and never loses an extreme.
#pragma once

#include <cstddef>
#include <vector>

namespace gradscope {

class BoundedSeries {
 public:
  explicit BoundedSeries(size_t capacity = 4096);

  void push(float step, float value);
  void clear();

  // Points kept so far (the open bucket's min/max not included).
  size_t size() const { return m_x.size(); }
  const std::vector<float>& steps() const { return m_x; }
  const std::vector<float>& values() const { return m_y; }
  size_t capacity() const { return m_capacity; }
  // Pushes per completed bucket (1 until the first decimation, then 4, 8, 16, ...).
  size_t bucket() const { return m_bucket; }
  bool empty() const { return m_x.empty() && m_pending == 0; }

  // Appends the kept points and the open bucket's min/max to xs/ys (for a snapshot).
  void copyTo(std::vector<float>& xs, std::vector<float>& ys) const;

 private:
  void append(float x, float y);
  void decimate();

  size_t m_capacity;
  size_t m_bucket = 1;
  std::vector<float> m_x, m_y;
  // The open bucket.
  size_t m_pending = 0;
  float m_minX = 0, m_minY = 0, m_maxX = 0, m_maxY = 0;
  float m_firstX = 0, m_firstY = 0, m_lastX = 0, m_lastY = 0;
};

}  // namespace gradscope
