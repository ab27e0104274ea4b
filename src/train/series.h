// A bounded series of (step, value) points: memory stays flat for any run length. Points are
// kept at full resolution until `capacity` is reached; then every four points collapse to
// their minimum and maximum (in step order) and later points arrive in buckets of matching
// width, so the series stays uniformly dense and never loses an extreme.
//
// Snapshots share history: `exportTo` hands out the series' full chunks of kSeriesChunk
// points as immutable shared chunks, made once and reused by every later snapshot until a
// decimation rewrites the points; only the open tail is copied. Publishing costs O(new points).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace gradscope {

inline constexpr int kSeriesChunk = 256;

// kSeriesChunk points (or fewer, for a snapshot's open tail). Never changed once shared.
struct SeriesChunk {
  std::vector<float> x;  // step
  std::vector<float> y;
};

// What a snapshot holds of a series: chunks in step order, read with x(i) / y(i) (ImPlot-style
// getters) or copied out with copyTo. Every chunk but the last holds exactly kSeriesChunk points.
struct SeriesData {
  std::vector<std::shared_ptr<const SeriesChunk>> chunks;
  int count = 0;

  int size() const { return count; }
  bool empty() const { return count == 0; }
  float x(int i) const {
    return chunks[static_cast<size_t>(i / kSeriesChunk)]->x[i % kSeriesChunk];
  }
  float y(int i) const {
    return chunks[static_cast<size_t>(i / kSeriesChunk)]->y[i % kSeriesChunk];
  }
  // Replaces xs/ys with the points, for code that wants contiguous arrays.
  void copyTo(std::vector<float>& xs, std::vector<float>& ys) const;
};

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

  // Appends the kept points and the open bucket's min/max to xs/ys.
  void copyTo(std::vector<float>& xs, std::vector<float>& ys) const;
  // The same points as chunks for a snapshot: full chunks shared with earlier exports.
  // Not thread-safe against push (the owner calls both from one thread at a time).
  void exportTo(SeriesData& out) const;

 private:
  void append(float x, float y);
  void decimate();
  // The open bucket's min and max (in step order), if it holds any push.
  void appendOpenBucket(std::vector<float>& xs, std::vector<float>& ys) const;

  size_t m_capacity;
  size_t m_bucket = 1;
  std::vector<float> m_x, m_y;
  // The open bucket.
  size_t m_pending = 0;
  float m_minX = 0, m_minY = 0, m_maxX = 0, m_maxY = 0;
  float m_firstX = 0, m_firstY = 0, m_lastX = 0, m_lastY = 0;
  // Chunk k holds points [k·kSeriesChunk, (k+1)·kSeriesChunk) of m_x/m_y; dropped when a
  // decimation moves the points.
  mutable std::vector<std::shared_ptr<const SeriesChunk>> m_sealed;
};

}  // namespace gradscope
