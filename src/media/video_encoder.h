// Video recording without any UI: RGBA frames of one fixed size in, an MP4 (H.264, yuv420p) or
// an animated GIF (a palette per frame, so memory stays flat) out, chosen by the file's
// extension. Encoding runs on its own thread behind a bounded queue (FFmpeg's libraries from
// Debian: libavcodec, libavformat, libavfilter, libswscale).
//
// Timing: the output frame rate is fixed. Each pushed frame says how many output frames it
// covers (`repeat`), so the caller places frames on the output timeline by wall time (or one
// per call in a deterministic recording) and the file plays at a steady pace whatever rate the
// frames arrived at. A picture that covers several frames is stored once with that duration
// (MP4 timestamps, GIF frame delay), not encoded again for each.
//
// When the queue is full, push() never waits (unless `blockWhenFull`): the new image is dropped
// and its output frames are added to the newest queued frame, which is then shown that much
// longer. The timeline keeps its length; only the picture's updates get coarser.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace gradscope::media {

enum class VideoFormat : std::uint8_t { Mp4, Gif };

// The format for a file name by its extension (.mp4, .gif, any case); nullopt for others.
std::optional<VideoFormat> videoFormatFor(const std::string& path);

// What is wrong with `path` as a place to record to ("" when it looks fine): an extension
// that is neither .mp4 nor .gif, or a folder that does not exist.
std::string checkVideoPath(const std::string& path);

struct VideoOptions {
  std::string path;
  int width = 0;  // of the frames pushed; an MP4 drops an odd last column/row (H.264 4:2:0)
  int height = 0;
  int fps = 30;                // output frames per second
  int queueFrames = 4;         // frames waiting for the encoder, at most
  bool blockWhenFull = false;  // wait for room instead of dropping (deterministic recordings)
  int encoderThreads = 1;      // H.264 threads: the machine's cores belong to training first
  int niceIncrement = 0;       // raises the encoding thread's nice value (Linux)
};

// Places pictures on the output timeline by wall time: the picture taken `seconds` after the
// start covers every output frame from the last one covered up to the one due at that time.
// A frame rate above the output's gives 0 for some pictures (not captured); a slower one gives
// 2 or more (the picture repeats). A gap longer than `maxRepeat` frames (a minimised window,
// a stall) is shortened to that many frames.
class FramePacer {
 public:
  explicit FramePacer(int fps, int maxRepeat) : m_fps(fps), m_maxRepeat(maxRepeat) {}
  int due(double seconds);
  std::int64_t frames() const { return m_frames; }  // output frames placed so far

 private:
  int m_fps;
  int m_maxRepeat;
  std::int64_t m_frames = 0;
  double m_skipped = 0;  // seconds cut out of long gaps
};

class VideoEncoder {
 public:
  // Opens the file and starts the encoding thread; throws std::runtime_error with a message
  // for a user (bad extension, unwritable folder, no encoder, invalid size).
  explicit VideoEncoder(const VideoOptions& options);
  ~VideoEncoder();  // finish()es
  VideoEncoder(const VideoEncoder&) = delete;
  VideoEncoder& operator=(const VideoEncoder&) = delete;

  // Queues one image that covers `repeat` (>= 1) output frames. `rgba` has `rows` rows of
  // `cols` pixels, `strideBytes` apart, top row first (or bottom row first with `bottomUp`,
  // as OpenGL reads them). A smaller image is placed top-left on a dark background, a larger
  // one is cropped. Returns false when the image was dropped (queue full, or after an error).
  bool push(const std::uint8_t* rgba, int cols, int rows, int strideBytes, bool bottomUp,
            int repeat = 1);

  // Encodes what is queued, flushes the encoder and writes the trailer; joins the thread.
  // Returns the first error ("" when none). Later calls return the same.
  std::string finish();

  // The first error met by the encoding thread so far, "" when none (thread-safe).
  std::string error() const;
  bool failed() const { return m_failed.load(); }

  // Output frame periods covered so far, and the pictures stored for them.
  std::int64_t framesEncoded() const { return m_encoded.load(); }
  std::int64_t picturesEncoded() const { return m_pictures.load(); }
  std::int64_t imagesDropped() const { return m_dropped.load(); }
  VideoFormat format() const { return m_format; }
  int width() const { return m_options.width; }
  int height() const { return m_options.height; }
  // The encoded picture's size (an MP4's is even).
  int outputWidth() const;
  int outputHeight() const;
  // Which codec writes the frames ("libx264", "gif", or the H.264 fallback found).
  const std::string& codecName() const { return m_codecName; }

 private:
  struct Slot {
    std::vector<std::uint8_t> rgba;  // width × height × 4, top row first
    int repeat = 0;
  };
  struct Backend;

  void run();
  void fail(std::string message);

  VideoOptions m_options;
  VideoFormat m_format = VideoFormat::Mp4;
  std::string m_codecName;
  std::unique_ptr<Backend> m_backend;

  mutable std::mutex m_mutex;
  std::condition_variable m_wake;  // the encoder: work arrived or finishing
  std::condition_variable m_room;  // a blocked push: a slot came free
  std::deque<Slot> m_queue;        // waiting for the encoder
  std::vector<Slot> m_free;        // buffers to reuse
  bool m_finishing = false;
  std::string m_error;
  std::string m_finalError;
  bool m_finished = false;
  std::atomic<bool> m_failed{false};
  std::atomic<std::int64_t> m_encoded{0};
  std::atomic<std::int64_t> m_pictures{0};
  std::atomic<std::int64_t> m_dropped{0};
  std::thread m_thread;
};

}  // namespace gradscope::media
