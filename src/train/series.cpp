// Bounded series with min/max decimation (see series.h).
#include "train/series.h"

#include <algorithm>
#include <cstddef>

namespace gradscope {

BoundedSeries::BoundedSeries(size_t capacity)
    : m_capacity(std::max<size_t>(8, capacity & ~size_t{3})) {
  m_x.reserve(m_capacity);
  m_y.reserve(m_capacity);
  m_sealed.reserve(m_capacity / kSeriesChunk + 1);
}

void BoundedSeries::clear() {
  m_x.clear();
  m_y.clear();
  m_bucket = 1;
  m_pending = 0;
  m_sealed.clear();
}

void BoundedSeries::append(float x, float y) {
  if (m_x.size() + 1 > m_capacity) decimate();
  m_x.push_back(x);
  m_y.push_back(y);
}

void BoundedSeries::push(float step, float value) {
  if (m_bucket == 1) {
    append(step, value);
    return;
  }
  if (m_pending == 0) m_firstX = step, m_firstY = value;
  m_lastX = step, m_lastY = value;
  if (m_pending == 0 || value < m_minY) m_minX = step, m_minY = value;
  if (m_pending == 0 || value > m_maxY) m_maxX = step, m_maxY = value;
  if (++m_pending < m_bucket) return;
  m_pending = 0;
  if (m_minX == m_maxX) {  // a flat bucket: its ends, so density stays uniform
    append(m_firstX, m_firstY);
    append(m_lastX, m_lastY);
  } else if (m_minX < m_maxX) {
    append(m_minX, m_minY);
    append(m_maxX, m_maxY);
  } else {
    append(m_maxX, m_maxY);
    append(m_minX, m_minY);
  }
}

void BoundedSeries::decimate() {
  // Every 4 points → their min and max, in step order: half the points, every extreme kept.
  size_t out = 0;
  const size_t n = m_x.size() & ~size_t{3};
  for (size_t i = 0; i < n; i += 4) {
    size_t lo = i, hi = i;
    for (size_t k = i + 1; k < i + 4; ++k) {
      if (m_y[k] < m_y[lo]) lo = k;
      if (m_y[k] > m_y[hi]) hi = k;
    }
    if (lo == hi) hi = i + 3;
    const size_t a = std::min(lo, hi), b = std::max(lo, hi);
    const float ax = m_x[a], ay = m_y[a], bx = m_x[b], by = m_y[b];
    m_x[out] = ax, m_y[out] = ay, ++out;
    m_x[out] = bx, m_y[out] = by, ++out;
  }
  for (size_t i = n; i < m_x.size(); ++i) m_x[out] = m_x[i], m_y[out] = m_y[i], ++out;
  m_x.resize(out);
  m_y.resize(out);
  m_sealed.clear();  // the points moved: chunks are made anew at the next export
  // Kept points now stand for twice as many pushes: new pushes are bucketed to match
  // (2 points per bucket, so a bucket spans 4 pushes after the first halving, 8 after the next).
  m_bucket = m_bucket == 1 ? 4 : m_bucket * 2;
}

void BoundedSeries::appendOpenBucket(std::vector<float>& xs, std::vector<float>& ys) const {
  if (m_pending > 0) {
    if (m_minX <= m_maxX) {
      xs.push_back(m_minX), ys.push_back(m_minY);
      if (m_maxX != m_minX) xs.push_back(m_maxX), ys.push_back(m_maxY);
    } else {
      xs.push_back(m_maxX), ys.push_back(m_maxY);
      xs.push_back(m_minX), ys.push_back(m_minY);
    }
  }
}

void BoundedSeries::copyTo(std::vector<float>& xs, std::vector<float>& ys) const {
  xs.insert(xs.end(), m_x.begin(), m_x.end());
  ys.insert(ys.end(), m_y.begin(), m_y.end());
  appendOpenBucket(xs, ys);
}

void BoundedSeries::exportTo(SeriesData& out) const {
  const size_t K = kSeriesChunk;
  const size_t full = m_x.size() / K;
  while (m_sealed.size() < full) {
    const size_t k = m_sealed.size();
    auto chunk = std::make_shared<SeriesChunk>();
    chunk->x.assign(m_x.begin() + static_cast<std::ptrdiff_t>(k * K),
                    m_x.begin() + static_cast<std::ptrdiff_t>((k + 1) * K));
    chunk->y.assign(m_y.begin() + static_cast<std::ptrdiff_t>(k * K),
                    m_y.begin() + static_cast<std::ptrdiff_t>((k + 1) * K));
    m_sealed.push_back(std::move(chunk));
  }
  out.chunks.assign(m_sealed.begin(), m_sealed.end());
  out.count = static_cast<int>(full * K);
  // The open tail: the kept points past the last full chunk and the open bucket's min/max —
  // at most kSeriesChunk + 1 points, since the bucket adds at most two and a full chunk would
  // have been sealed. Split at kSeriesChunk so every chunk but the last is full.
  std::vector<float> xs(m_x.begin() + static_cast<std::ptrdiff_t>(full * K), m_x.end());
  std::vector<float> ys(m_y.begin() + static_cast<std::ptrdiff_t>(full * K), m_y.end());
  appendOpenBucket(xs, ys);
  for (size_t at = 0; at < xs.size(); at += K) {
    const size_t end = std::min(xs.size(), at + K);
    auto chunk = std::make_shared<SeriesChunk>();
    chunk->x.assign(xs.begin() + static_cast<std::ptrdiff_t>(at),
                    xs.begin() + static_cast<std::ptrdiff_t>(end));
    chunk->y.assign(ys.begin() + static_cast<std::ptrdiff_t>(at),
                    ys.begin() + static_cast<std::ptrdiff_t>(end));
    out.count += static_cast<int>(end - at);
    out.chunks.push_back(std::move(chunk));
  }
}

void SeriesData::copyTo(std::vector<float>& xs, std::vector<float>& ys) const {
  xs.clear(), ys.clear();
  xs.reserve(static_cast<size_t>(count)), ys.reserve(static_cast<size_t>(count));
  for (const auto& c : chunks) {
    xs.insert(xs.end(), c->x.begin(), c->x.end());
    ys.insert(ys.end(), c->y.begin(), c->y.end());
  }
}

}  // namespace gradscope
