// Recording (see recording.h): the pacing, the read-back and the encoder, tied together.
#include "ui/recording.h"

#include "ui/i18n.h"

namespace gradscope::ui {

Recording::Recording(const std::string& path, int width, int height, int fps, bool deterministic)
    : m_path(path),
      m_deterministic(deterministic),
      m_fps(fps),
      m_start(Clock::now()),
      m_pacer(fps, 5 * fps) {
  media::VideoOptions o;
  o.path = path;
  o.width = width;
  o.height = height;
  o.fps = fps;
  o.blockWhenFull = deterministic;
  // Behind the UI and training: when the encoder cannot keep up, pictures are dropped (the
  // timeline is kept), the frame rate and training speed are not.
  o.niceIncrement = deterministic ? 0 : 5;
  m_encoder = std::make_unique<media::VideoEncoder>(o);
  m_consumer = [this](const std::uint8_t* rgba, int w, int h, std::int64_t repeat) {
    deliver(rgba, w, h, repeat);
  };
}

Recording::~Recording() { finish(); }

double Recording::seconds() const {
  return std::chrono::duration<double>(Clock::now() - m_start).count();
}

void Recording::deliver(const std::uint8_t* rgba, int width, int height, std::int64_t repeat) {
  if (!rgba) {
    if (m_readError.empty()) m_readError = tr("record.readback_failed");
    return;
  }
  m_encoder->push(rgba, width, height, width * 4, true, static_cast<int>(repeat));
}

void Recording::capture(int x, int y, int width, int height, int framebufferHeight) {
  if (m_finished) return;
  while (m_readback.take(m_consumer, false)) {
  }
  const int due = m_deterministic ? 1 : m_pacer.due(seconds());
  if (due > 0) {
    m_readback.request(x, y, width, height, framebufferHeight, due, m_consumer);
    m_placed += due;
  }
}

void Recording::beginFinish() {
  if (m_finished) return;
  m_finished = true;
  while (m_readback.take(m_consumer, true)) {
  }
  media::VideoEncoder* encoder = m_encoder.get();
  m_closing = std::async(std::launch::async, [encoder] { return encoder->finish(); });
}

bool Recording::closed() const {
  return m_closing.valid() &&
         m_closing.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

std::string Recording::finish() {
  beginFinish();
  if (m_closing.valid()) {
    m_finalError = m_closing.get();
    if (m_finalError.empty()) m_finalError = m_readError;
  }
  return m_finalError;
}

std::string Recording::error() const {
  if (!m_readError.empty()) return m_readError;
  return m_encoder->error();
}

}  // namespace gradscope::ui
