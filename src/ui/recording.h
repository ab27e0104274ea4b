// A recording in progress: each frame, after rendering and before the swap, the window (or one
// panel's rectangle) is read back through pixel-buffer objects and handed to the encoding
// thread. Frames are placed on the output timeline by wall time, or one per app frame in a
// deterministic recording (`gradscope --record ... --frames N`).
#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <string>

#include "gfx/framebuffer.h"
#include "media/video_encoder.h"

namespace gradscope::ui {

class Recording {
 public:
  // Opens `path` for a picture of width × height framebuffer pixels; throws
  // std::runtime_error with the reason when the file cannot be recorded to.
  Recording(const std::string& path, int width, int height, int fps, bool deterministic);
  ~Recording();  // finish()es

  // Reads (x, y, width, height) of the back buffer if an output frame is due, and passes on
  // the reads that have finished. Needs the GL context current.
  void capture(int x, int y, int width, int height, int framebufferHeight);
  // Passes on every pending read (GL) and lets the encoder finish the file on a thread of its
  // own, so that stopping never holds up a frame.
  void beginFinish();
  bool closed() const;  // after beginFinish(): the file is complete
  // Finishes (waiting for it) and returns the first error, "" when none.
  std::string finish();

  // The first error so far ("" when none): the recording should stop.
  std::string error() const;
  const std::string& path() const { return m_path; }
  double seconds() const;  // since the start
  // The output timeline the pictures taken so far cover: the finished file is at least this
  // long (its frames are placed when taken, encoded later).
  double timelineSeconds() const { return static_cast<double>(m_placed) / m_fps; }
  std::int64_t frames() const { return m_encoder->framesEncoded(); }
  // Pictures the encoder had no room for (their frames show the picture before them).
  std::int64_t dropped() const { return m_encoder->imagesDropped(); }
  int width() const { return m_encoder->outputWidth(); }
  int height() const { return m_encoder->outputHeight(); }
  const media::VideoEncoder& encoder() const { return *m_encoder; }

 private:
  using Clock = std::chrono::steady_clock;
  void deliver(const std::uint8_t* rgba, int width, int height, std::int64_t repeat);

  std::string m_path;
  bool m_deterministic;
  int m_fps;
  std::int64_t m_placed = 0;  // output frames covered by the pictures requested so far
  Clock::time_point m_start;
  media::FramePacer m_pacer;
  std::unique_ptr<media::VideoEncoder> m_encoder;
  gfx::AsyncReadback m_readback;
  gfx::AsyncReadback::Consumer m_consumer;
  std::string m_readError;
  bool m_finished = false;
  std::future<std::string> m_closing;
  std::string m_finalError;
};

}  // namespace gradscope::ui
