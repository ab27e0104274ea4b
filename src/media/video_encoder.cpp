// The encoding thread and FFmpeg's side of VideoEncoder (see video_encoder.h).
//
// MP4: RGBA → yuv420p (BT.709, limited range, tagged as such) with libswscale, H.264 with
// libx264 (preset veryfast, CRF 20: sharp text and lines at a few Mbit/s) or, where FFmpeg was
// built without it, the first other H.264 encoder at a bitrate for the size.
// GIF: libavfilter's palettegen in stats_mode=single and paletteuse with new=1 give every frame
// its own 256-colour palette from that frame alone, so nothing is held across frames (a global
// two-pass palette would keep the whole recording); Bayer dithering keeps flat UI areas flat
// and compresses well.
#include "media/video_encoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <deque>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace gradscope::media {
namespace {

std::string avError(int code) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, buf, sizeof buf);
  return buf;
}

std::string lowerExtension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

// The window's clear colour, for the part of a frame the image does not cover.
constexpr std::uint8_t kBackground[4] = {20, 22, 26, 255};

}  // namespace

std::optional<VideoFormat> videoFormatFor(const std::string& path) {
  const std::string ext = lowerExtension(path);
  if (ext == ".mp4") return VideoFormat::Mp4;
  if (ext == ".gif") return VideoFormat::Gif;
  return std::nullopt;
}

std::string checkVideoPath(const std::string& path) {
  if (path.empty()) return "no file name given";
  if (!videoFormatFor(path))
    return "'" + path + "' must end in .mp4 (H.264 video) or .gif (animated GIF)";
  const std::filesystem::path p(path);
  std::error_code ec;
  if (std::filesystem::is_directory(p, ec)) return "'" + path + "' is a folder";
  if (p.has_parent_path() && !std::filesystem::is_directory(p.parent_path(), ec))
    return "folder " + p.parent_path().string() + " does not exist";
  return {};
}

int FramePacer::due(double seconds) {
  const double t = seconds - m_skipped;
  const auto target = static_cast<std::int64_t>(std::floor(t * m_fps)) + 1;  // frames 0..target-1
  auto n = target - m_frames;
  if (n <= 0) return 0;
  if (n > m_maxRepeat) {
    m_skipped += static_cast<double>(n - m_maxRepeat) / m_fps;
    n = m_maxRepeat;
  }
  m_frames += n;
  return static_cast<int>(n);
}

// Everything FFmpeg, owned by the encoding thread after the constructor.
struct VideoEncoder::Backend {
  AVFormatContext* format = nullptr;
  AVCodecContext* codec = nullptr;
  AVStream* stream = nullptr;
  AVFrame* rgba = nullptr;      // the slot's pixels, wrapped (no copy)
  AVFrame* picture = nullptr;   // what the encoder gets (the last one): yuv420p, or pal8
  AVFrame* filtered = nullptr;  // out of the GIF filters
  AVPacket* packet = nullptr;
  SwsContext* sws = nullptr;       // MP4
  AVFilterGraph* graph = nullptr;  // GIF
  AVFilterContext* source = nullptr;
  AVFilterContext* sink = nullptr;
  bool headerWritten = false;
  bool ioOpen = false;
  std::int64_t pts = 0;  // the next output frame's
  std::int64_t inputPts = 0;
  int lastRepeat =
      0;  // frames of the last picture encoded  // the next image's, into the GIF filters
  std::deque<int> repeats;  // output frames of each image inside the GIF filters
  std::deque<std::pair<std::int64_t, int>> durations;  // pts and frames of pictures in the encoder

  ~Backend() {
    avfilter_graph_free(&graph);
    sws_freeContext(sws);
    av_packet_free(&packet);
    av_frame_free(&picture);
    av_frame_free(&filtered);
    av_frame_free(&rgba);
    avcodec_free_context(&codec);
    if (format && ioOpen) avio_closep(&format->pb);
    avformat_free_context(format);
  }
};

VideoEncoder::VideoEncoder(const VideoOptions& options) : m_options(options) {
  if (auto err = checkVideoPath(options.path); !err.empty()) throw std::runtime_error(err);
  m_format = *videoFormatFor(options.path);
  const bool mp4 = m_format == VideoFormat::Mp4;
  const int minSide = mp4 ? 2 : 1;
  if (options.width < minSide || options.height < minSide || options.width > 16384 ||
      options.height > 16384)
    throw std::runtime_error("cannot record a " + std::to_string(options.width) + "×" +
                             std::to_string(options.height) + " picture");
  if (options.fps < 1 || options.fps > 120)
    throw std::runtime_error("the frame rate must be 1 to 120 frames per second, not " +
                             std::to_string(options.fps));
  m_options.queueFrames = std::max(1, options.queueFrames);
  av_log_set_level(AV_LOG_ERROR);

  auto b = std::make_unique<Backend>();
  const auto check = [&](int rc, const char* what) {
    if (rc < 0) throw std::runtime_error(std::string(what) + ": " + avError(rc));
  };
  check(avformat_alloc_output_context2(&b->format, nullptr, mp4 ? "mp4" : "gif",
                                       options.path.c_str()),
        "cannot set up the container");
  const AVCodec* codec = nullptr;
  if (mp4) {
    codec = avcodec_find_encoder_by_name("libx264");
    if (!codec) codec = avcodec_find_encoder(AV_CODEC_ID_H264);
    if (!codec) throw std::runtime_error("this FFmpeg has no H.264 encoder; record a .gif instead");
  } else {
    codec = avcodec_find_encoder(AV_CODEC_ID_GIF);
    if (!codec) throw std::runtime_error("this FFmpeg has no GIF encoder; record an .mp4 instead");
  }
  m_codecName = codec->name;
  b->stream = avformat_new_stream(b->format, nullptr);
  b->codec = avcodec_alloc_context3(codec);
  if (!b->stream || !b->codec) throw std::runtime_error("out of memory");
  AVCodecContext* c = b->codec;
  c->width = mp4 ? options.width & ~1 : options.width;
  c->height = mp4 ? options.height & ~1 : options.height;
  c->time_base = AVRational{1, options.fps};
  c->framerate = AVRational{options.fps, 1};
  c->sample_aspect_ratio = AVRational{1, 1};
  if (mp4) {
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->gop_size = 2 * options.fps;  // a keyframe every 2 s: seeking in a player stays quick
    c->color_range = AVCOL_RANGE_MPEG;
    c->colorspace = AVCOL_SPC_BT709;
    c->color_primaries = AVCOL_PRI_BT709;
    c->color_trc = AVCOL_TRC_BT709;
    c->thread_count = std::max(1, options.encoderThreads);
    if (m_codecName == "libx264") {
      av_opt_set(c->priv_data, "preset", "veryfast", 0);
      av_opt_set(c->priv_data, "crf", "20", 0);
    } else {
      // About 0.1 bit per pixel per frame: 4.8 Mbit/s for 1600×1000 at 30 fps.
      c->bit_rate = static_cast<std::int64_t>(c->width) * c->height * options.fps / 10;
    }
  } else {
    c->pix_fmt = AV_PIX_FMT_PAL8;
  }
  if (b->format->oformat->flags & AVFMT_GLOBALHEADER) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  check(avcodec_open2(c, codec, nullptr), ("cannot start the " + m_codecName + " encoder").c_str());
  check(avcodec_parameters_from_context(b->stream->codecpar, c), "cannot set up the stream");
  b->stream->time_base = c->time_base;
  b->stream->avg_frame_rate = c->framerate;

  b->rgba = av_frame_alloc();
  b->picture = av_frame_alloc();
  b->filtered = av_frame_alloc();
  b->packet = av_packet_alloc();
  if (!b->rgba || !b->picture || !b->filtered || !b->packet)
    throw std::runtime_error("out of memory");
  if (mp4) {
    b->picture->format = c->pix_fmt;
    b->picture->width = c->width;
    b->picture->height = c->height;
    check(av_frame_get_buffer(b->picture, 0), "out of memory");
    b->sws = sws_getContext(c->width, c->height, AV_PIX_FMT_RGBA, c->width, c->height,
                            AV_PIX_FMT_YUV420P, SWS_BILINEAR | SWS_ACCURATE_RND, nullptr, nullptr,
                            nullptr);
    if (!b->sws) throw std::runtime_error("cannot set up the RGB to YUV conversion");
    const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
    sws_setColorspaceDetails(b->sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
  } else {
    b->graph = avfilter_graph_alloc();
    if (!b->graph) throw std::runtime_error("out of memory");
    b->graph->nb_threads = 1;
    const std::string args = "video_size=" + std::to_string(c->width) + "x" +
                             std::to_string(c->height) +
                             ":pix_fmt=" + std::to_string(AV_PIX_FMT_RGBA) + ":time_base=1/" +
                             std::to_string(options.fps) + ":pixel_aspect=1/1";
    check(avfilter_graph_create_filter(&b->source, avfilter_get_by_name("buffer"), "in",
                                       args.c_str(), nullptr, b->graph),
          "cannot set up the GIF palette filters");
    check(avfilter_graph_create_filter(&b->sink, avfilter_get_by_name("buffersink"), "out", nullptr,
                                       nullptr, b->graph),
          "cannot set up the GIF palette filters");
    AVFilterInOut* outputs = avfilter_inout_alloc();
    AVFilterInOut* inputs = avfilter_inout_alloc();
    outputs->name = av_strdup("in");
    outputs->filter_ctx = b->source;
    inputs->name = av_strdup("out");
    inputs->filter_ctx = b->sink;
    const int rc = avfilter_graph_parse_ptr(
        b->graph,
        "split[a][b];[a]palettegen=stats_mode=single:reserve_transparent=0[p];"
        "[b][p]paletteuse=new=1:dither=bayer:bayer_scale=4",
        &inputs, &outputs, nullptr);
    avfilter_inout_free(&inputs);
    avfilter_inout_free(&outputs);
    check(rc, "cannot set up the GIF palette filters");
    check(avfilter_graph_config(b->graph, nullptr), "cannot set up the GIF palette filters");
  }

  const int rc = avio_open(&b->format->pb, options.path.c_str(), AVIO_FLAG_WRITE);
  if (rc < 0) throw std::runtime_error("cannot write " + options.path + ": " + avError(rc));
  b->ioOpen = true;
  const int hr = avformat_write_header(b->format, nullptr);
  if (hr < 0) throw std::runtime_error("cannot write " + options.path + ": " + avError(hr));
  b->headerWritten = true;
  m_backend = std::move(b);
  m_thread = std::thread([this] { run(); });
}

VideoEncoder::~VideoEncoder() { finish(); }

int VideoEncoder::outputWidth() const { return m_backend ? m_backend->codec->width : 0; }
int VideoEncoder::outputHeight() const { return m_backend ? m_backend->codec->height : 0; }

bool VideoEncoder::push(const std::uint8_t* rgba, int cols, int rows, int strideBytes,
                        bool bottomUp, int repeat) {
  if (repeat < 1) return true;
  std::unique_lock lock(m_mutex);
  if (m_finishing || !m_error.empty()) return false;
  if (static_cast<int>(m_queue.size()) >= m_options.queueFrames) {
    if (!m_options.blockWhenFull) {
      // Keep the timeline: the newest waiting picture stays on screen for these frames too.
      m_queue.back().repeat += repeat;
      ++m_dropped;
      return false;
    }
    m_room.wait(lock, [&] {
      return static_cast<int>(m_queue.size()) < m_options.queueFrames || !m_error.empty();
    });
    if (!m_error.empty()) return false;
  }
  Slot slot;
  if (!m_free.empty()) {
    slot = std::move(m_free.back());
    m_free.pop_back();
  }
  lock.unlock();

  const int w = m_options.width, h = m_options.height;
  // Room past the last row for swscale's vector reads.
  slot.rgba.resize(static_cast<size_t>(w) * h * 4 + 256);
  slot.repeat = repeat;
  const int copyCols = std::clamp(cols, 0, w), copyRows = std::clamp(rows, 0, h);
  for (int y = 0; y < h; ++y) {
    std::uint8_t* dst = slot.rgba.data() + static_cast<size_t>(y) * w * 4;
    int x0 = 0;
    if (y < copyRows) {
      const int src = bottomUp ? rows - 1 - y : y;
      std::memcpy(dst, rgba + static_cast<std::ptrdiff_t>(src) * strideBytes,
                  static_cast<size_t>(copyCols) * 4);
      for (int x = 0; x < copyCols; ++x) dst[x * 4 + 3] = 255;
      x0 = copyCols;
    }
    for (int x = x0; x < w; ++x) std::memcpy(dst + x * 4, kBackground, 4);
  }

  lock.lock();
  if (!m_error.empty() || m_finishing) {
    m_free.push_back(std::move(slot));
    return false;
  }
  m_queue.push_back(std::move(slot));
  m_wake.notify_one();
  return true;
}

void VideoEncoder::fail(std::string message) {
  std::lock_guard lock(m_mutex);
  if (m_error.empty()) m_error = std::move(message);
  m_failed = true;
  for (Slot& s : m_queue) m_free.push_back(std::move(s));
  m_queue.clear();
  m_room.notify_all();
}

std::string VideoEncoder::error() const {
  std::lock_guard lock(m_mutex);
  return m_error;
}

void VideoEncoder::run() {
  Backend& b = *m_backend;
  if (m_options.niceIncrement > 0) {
    const auto tid = static_cast<id_t>(syscall(SYS_gettid));
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, tid);
    if (errno == 0) setpriority(PRIO_PROCESS, tid, std::min(19, nice + m_options.niceIncrement));
  }
  // Sends `frame` (nullptr: flush) to cover the next `repeat` output frames, and writes every
  // packet that comes out; false on error. A repeated picture is encoded once and lasts
  // `repeat` frame periods in the file: its timestamps place it, so a slow app costs the
  // encoder no more than a fast one.
  const auto encode = [&](AVFrame* frame, int repeat) {
    if (frame) {
      frame->pts = b.pts;
      b.durations.emplace_back(b.pts, repeat);
      b.lastRepeat = repeat;
      b.pts += repeat;
    }
    int rc = avcodec_send_frame(b.codec, frame);
    if (rc < 0) {
      fail("the " + m_codecName + " encoder failed: " + avError(rc));
      return false;
    }
    if (frame) {
      m_encoded += repeat;
      ++m_pictures;
    }
    while ((rc = avcodec_receive_packet(b.codec, b.packet)) >= 0) {
      // Packets may come out reordered (B-frames): find this one's picture by its timestamp.
      const auto it = std::find_if(b.durations.begin(), b.durations.end(),
                                   [&](const auto& d) { return d.first == b.packet->pts; });
      if (it != b.durations.end()) {
        b.packet->duration = it->second;
        b.durations.erase(it);
      }
      av_packet_rescale_ts(b.packet, b.codec->time_base, b.stream->time_base);
      b.packet->stream_index = b.stream->index;
      rc = av_interleaved_write_frame(b.format, b.packet);
      if (rc < 0 || b.format->pb->error < 0) {
        fail("cannot write " + m_options.path + ": " + avError(rc < 0 ? rc : b.format->pb->error));
        return false;
      }
    }
    if (rc != AVERROR(EAGAIN) && rc != AVERROR_EOF) {
      fail("the " + m_codecName + " encoder failed: " + avError(rc));
      return false;
    }
    return true;
  };

  // Takes every palettized picture the GIF filters have ready and encodes it as often as its
  // image repeats.
  const auto drainFilters = [&](const auto& encodeFrame) {
    for (;;) {
      const int rc = av_buffersink_get_frame(b.sink, b.filtered);
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return true;
      if (rc < 0 || b.repeats.empty()) {
        fail("the GIF palette filters failed: " + avError(rc < 0 ? rc : AVERROR_BUG));
        return false;
      }
      av_frame_unref(b.picture);
      av_frame_move_ref(b.picture, b.filtered);
      const int repeat = b.repeats.front();
      b.repeats.pop_front();
      if (!encodeFrame(b.picture, repeat)) return false;
    }
  };

  for (;;) {
    Slot slot;
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [&] { return !m_queue.empty() || m_finishing; });
      if (m_queue.empty()) break;  // finishing, all encoded
      slot = std::move(m_queue.front());
      m_queue.pop_front();
      m_room.notify_all();
    }
    bool ok = !m_failed;
    if (ok) {
      const int w = m_options.width;
      if (b.sws) {
        ok = av_frame_make_writable(b.picture) >= 0;
        if (ok) {
          const std::uint8_t* src[1] = {slot.rgba.data()};
          const int stride[1] = {w * 4};
          sws_scale(b.sws, src, stride, 0, b.codec->height, b.picture->data, b.picture->linesize);
        } else {
          fail("out of memory");
        }
        if (ok) ok = encode(b.picture, slot.repeat);
      } else {
        // Wrap the slot's pixels as an RGBA frame; the filters copy what they keep.
        av_frame_unref(b.rgba);
        b.rgba->format = AV_PIX_FMT_RGBA;
        b.rgba->width = w;
        b.rgba->height = m_options.height;
        b.rgba->data[0] = slot.rgba.data();
        b.rgba->linesize[0] = w * 4;
        b.rgba->pts = b.inputPts++;
        const int rc = av_buffersrc_write_frame(b.source, b.rgba);
        b.rgba->data[0] = nullptr;
        if (rc < 0) {
          fail("the GIF palette filters failed: " + avError(rc));
          ok = false;
        } else {
          b.repeats.push_back(slot.repeat);
          ok = drainFilters(encode);
        }
      }
    }
    std::lock_guard lock(m_mutex);
    m_free.push_back(std::move(slot));
  }

  // Finalize what was written, even after an error, so the frames so far stay playable where
  // the container allows (a GIF always; an MP4 when the trailer can still be written).
  if (!m_failed && b.graph) {
    const int rc = av_buffersrc_add_frame(b.source, nullptr);  // end of stream
    if (rc < 0)
      fail("the GIF palette filters failed: " + avError(rc));
    else
      drainFilters(encode);
  }
  // Containers take a picture's duration from the next one's timestamp. The GIF muxer gives the
  // last picture the delay before it unless told; the MP4's last picture may be cut to one
  // frame period, so it is stored once more at the timeline's last frame.
  if (!m_failed && b.graph && b.lastRepeat > 0) {
    const auto cs = [&](std::int64_t pts) {
      return av_rescale_q(pts, b.codec->time_base, AVRational{1, 100});
    };
    av_opt_set_int(b.format->priv_data, "final_delay", cs(b.pts) - cs(b.pts - b.lastRepeat), 0);
  }
  if (!m_failed && !b.graph && b.lastRepeat > 1) {
    b.pts -= 1;
    m_encoded -= 1;
    --m_pictures;  // the same picture
    encode(b.picture, 1);
  }
  if (!m_failed) encode(nullptr, 0);
  const int tr = av_write_trailer(b.format);
  if (tr < 0 || b.format->pb->error < 0)
    fail("cannot write " + m_options.path + ": " + avError(tr < 0 ? tr : b.format->pb->error));
  b.ioOpen = false;
  const int cr = avio_closep(&b.format->pb);
  if (cr < 0) fail("cannot write " + m_options.path + ": " + avError(cr));
}

std::string VideoEncoder::finish() {
  {
    std::lock_guard lock(m_mutex);
    if (m_finished) return m_finalError;
    m_finished = true;
    m_finishing = true;
    m_wake.notify_all();
  }
  if (m_thread.joinable()) m_thread.join();
  std::lock_guard lock(m_mutex);
  m_finalError = m_error;
  return m_finalError;
}

}  // namespace gradscope::media
