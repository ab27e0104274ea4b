// VideoEncoder: what lands in the file, read back with libavformat and libavcodec — codec,
// picture size, pixel format, frame count and timing, colours — and its error paths.
#include "media/video_encoder.h"

#include <gtest/gtest.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace gradscope::media {
namespace {

namespace fs = std::filesystem;

struct Probe {
  std::string error;
  AVCodecID codec = AV_CODEC_ID_NONE;
  int width = 0, height = 0;
  int pixelFormat = -1;
  double fps = 0;
  int frames = 0;                   // decoded
  double seconds = 0;               // the last frame's end, from its timestamps
  std::vector<std::uint8_t> first;  // the first decoded frame as RGBA
};

Probe failedProbe(const char* why) {
  Probe p;
  p.error = why;
  return p;
}

VideoOptions opts(const std::string& path, int w, int h, int fps) {
  VideoOptions o;
  o.path = path;
  o.width = w;
  o.height = h;
  o.fps = fps;
  o.blockWhenFull = true;  // every picture kept, whatever the machine's speed
  return o;
}

// Decodes the whole file; the first frame is converted to RGBA (BT.709 for YUV, as tagged).
Probe probe(const fs::path& path) {
  Probe p;
  AVFormatContext* fmt = nullptr;
  if (avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0)
    return failedProbe("cannot open");
  avformat_find_stream_info(fmt, nullptr);
  const int s = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (s < 0) {
    avformat_close_input(&fmt);
    return failedProbe("no video stream");
  }
  AVStream* st = fmt->streams[s];
  p.codec = st->codecpar->codec_id;
  p.width = st->codecpar->width;
  p.height = st->codecpar->height;
  p.pixelFormat = st->codecpar->format;
  p.fps = av_q2d(st->avg_frame_rate);
  const AVCodec* dec = avcodec_find_decoder(p.codec);
  AVCodecContext* c = avcodec_alloc_context3(dec);
  avcodec_parameters_to_context(c, st->codecpar);
  avcodec_open2(c, dec, nullptr);
  AVPacket* pkt = av_packet_alloc();
  AVFrame* frame = av_frame_alloc();
  std::int64_t endPts = 0;
  const auto receive = [&] {
    while (avcodec_receive_frame(c, frame) >= 0) {
      ++p.frames;
      const std::int64_t pts = frame->best_effort_timestamp;
      endPts = std::max<std::int64_t>(endPts, pts + frame->pkt_duration);
      if (p.first.empty()) {
        // swscale's SIMD writes may run past the last row: give it room.
        p.first.resize(static_cast<size_t>(frame->width) * (frame->height + 4) * 4);
        SwsContext* sws = sws_getContext(
            frame->width, frame->height, static_cast<AVPixelFormat>(frame->format), frame->width,
            frame->height, AV_PIX_FMT_RGBA, SWS_POINT, nullptr, nullptr, nullptr);
        const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
        sws_setColorspaceDetails(sws, bt709, 0, bt709, 1, 0, 1 << 16, 1 << 16);
        std::uint8_t* dst[1] = {p.first.data()};
        const int stride[1] = {frame->width * 4};
        sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, stride);
        sws_freeContext(sws);
      }
    }
  };
  while (av_read_frame(fmt, pkt) >= 0) {
    if (pkt->stream_index == s) avcodec_send_packet(c, pkt);
    av_packet_unref(pkt);
    receive();
  }
  avcodec_send_packet(c, nullptr);
  receive();
  p.seconds = static_cast<double>(endPts) * av_q2d(st->time_base);
  av_frame_free(&frame);
  av_packet_free(&pkt);
  avcodec_free_context(&c);
  avformat_close_input(&fmt);
  return p;
}

// A frame: dark background, a 40×30 block of `colour` moving right by 4 px per frame.
std::vector<std::uint8_t> picture(int w, int h, int index, const std::uint8_t colour[3]) {
  std::vector<std::uint8_t> px(static_cast<size_t>(w) * h * 4);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      std::uint8_t* q = &px[(static_cast<size_t>(y) * w + x) * 4];
      const bool block = x >= 4 * index && x < 4 * index + 40 && y >= 10 && y < 40;
      q[0] = block ? colour[0] : 30;
      q[1] = block ? colour[1] : 34;
      q[2] = block ? colour[2] : 40;
      q[3] = 255;
    }
  return px;
}

constexpr std::uint8_t kOrange[3] = {230, 120, 20};

class Encoder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("gradscope-video-" + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  fs::path dir;
};

void expectColour(const Probe& p, int x, int y, const std::uint8_t rgb[3], int tolerance) {
  ASSERT_FALSE(p.first.empty());
  const std::uint8_t* q = &p.first[(static_cast<size_t>(y) * p.width + x) * 4];
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(q[i], rgb[i], tolerance) << "channel " << i;
}

TEST(VideoFormat, ChosenByExtension) {
  EXPECT_EQ(videoFormatFor("a.mp4"), VideoFormat::Mp4);
  EXPECT_EQ(videoFormatFor("/x/y/A.MP4"), VideoFormat::Mp4);
  EXPECT_EQ(videoFormatFor("a.gif"), VideoFormat::Gif);
  EXPECT_EQ(videoFormatFor("a.webm"), std::nullopt);
  EXPECT_EQ(videoFormatFor("mp4"), std::nullopt);
  EXPECT_NE(checkVideoPath("a.avi").find(".mp4"), std::string::npos);
  EXPECT_NE(checkVideoPath("/no/such/folder/a.mp4").find("does not exist"), std::string::npos);
  EXPECT_EQ(checkVideoPath("a.gif"), "");
}

TEST(FramePacer, PlacesPicturesByWallTime) {
  FramePacer fast(30, 90);
  int total = 0, captured = 0;
  for (int i = 0; i < 120; ++i) {  // 2 s at 60 frames per second: every other picture
    const int n = fast.due(i / 60.0);
    EXPECT_LE(n, 1);
    total += n;
    captured += n > 0;
  }
  EXPECT_EQ(total, 60);
  EXPECT_EQ(captured, 60);

  FramePacer slow(30, 90);
  total = 0;
  for (int i = 0; i < 20; ++i) {  // 2 s at 10 frames per second: each picture three times
    const int n = slow.due(i / 10.0);
    EXPECT_EQ(n, i == 0 ? 1 : 3);
    total += n;
  }
  EXPECT_EQ(total, 58);  // frames 0..57 cover 0 to 1.9 s

  FramePacer gap(30, 90);
  EXPECT_EQ(gap.due(0.0), 1);
  EXPECT_EQ(gap.due(60.0), 90);  // a minute away: three seconds of it
  EXPECT_EQ(gap.due(60.5), 15);  // and on at the normal pace
  EXPECT_EQ(gap.frames(), 106);
}

TEST_F(Encoder, Mp4HasEveryFrameAtTheFrameRate) {
  const fs::path out = dir / "a.mp4";
  VideoEncoder enc(opts(out.string(), 320, 240, 30));
  EXPECT_EQ(enc.codecName(), "libx264");
  for (int i = 0; i < 45; ++i) {
    const auto px = picture(320, 240, i, kOrange);
    enc.push(px.data(), 320, 240, 320 * 4, false);
  }
  ASSERT_EQ(enc.finish(), "");
  EXPECT_EQ(enc.framesEncoded(), 45);
  const Probe p = probe(out);
  ASSERT_EQ(p.error, "");
  EXPECT_EQ(p.codec, AV_CODEC_ID_H264);
  EXPECT_EQ(p.width, 320);
  EXPECT_EQ(p.height, 240);
  EXPECT_EQ(p.pixelFormat, AV_PIX_FMT_YUV420P);
  EXPECT_NEAR(p.fps, 30.0, 1e-6);
  EXPECT_EQ(p.frames, 45);
  EXPECT_NEAR(p.seconds, 1.5, 1e-3);
  const std::uint8_t background[3] = {30, 34, 40};
  expectColour(p, 20, 25, kOrange, 8);  // inside the block of frame 0
  expectColour(p, 200, 150, background, 4);
}

TEST_F(Encoder, RepeatedImagesFillTheTimeline) {
  const fs::path out = dir / "r.mp4";
  VideoEncoder enc(opts(out.string(), 64, 48, 10));
  int expected = 0;
  for (int i = 0; i < 6; ++i) {
    const auto px = picture(64, 48, i, kOrange);
    enc.push(px.data(), 64, 48, 64 * 4, false, i + 1);
    expected += i + 1;
  }
  ASSERT_EQ(enc.finish(), "");
  EXPECT_EQ(enc.framesEncoded(), expected);
  EXPECT_EQ(enc.picturesEncoded(), 6);
  const Probe p = probe(out);
  // Each picture stored once, lasting its frames; the last once more at the last frame, so
  // that players show it to the end.
  EXPECT_EQ(p.frames, 7);
  EXPECT_NEAR(p.seconds, expected / 10.0, 1e-3);
}

TEST_F(Encoder, OddSizesLoseTheLastColumnAndRowInMp4) {
  const fs::path out = dir / "odd.mp4";
  VideoEncoder enc(opts(out.string(), 121, 67, 30));
  EXPECT_EQ(enc.outputWidth(), 120);
  EXPECT_EQ(enc.outputHeight(), 66);
  for (int i = 0; i < 5; ++i) {
    const auto px = picture(121, 67, i, kOrange);
    enc.push(px.data(), 121, 67, 121 * 4, false);
  }
  ASSERT_EQ(enc.finish(), "");
  const Probe p = probe(out);
  EXPECT_EQ(p.width, 120);
  EXPECT_EQ(p.height, 66);
  EXPECT_EQ(p.frames, 5);
}

TEST_F(Encoder, GifKeepsColoursAndFrames) {
  const fs::path out = dir / "a.gif";
  VideoEncoder enc(opts(out.string(), 161, 91, 25));  // odd sizes are fine in a GIF
  // Bottom row first, as OpenGL reads: the block must still end up at the top.
  for (int i = 0; i < 12; ++i) {
    auto px = picture(161, 91, i, kOrange);
    std::vector<std::uint8_t> flipped(px.size());
    for (int y = 0; y < 91; ++y)
      std::copy_n(&px[static_cast<size_t>(90 - y) * 161 * 4], 161 * 4,
                  &flipped[static_cast<size_t>(y) * 161 * 4]);
    enc.push(flipped.data(), 161, 91, 161 * 4, true, i == 3 ? 3 : 1);
  }
  ASSERT_EQ(enc.finish(), "");
  EXPECT_EQ(enc.framesEncoded(), 14);
  const Probe p = probe(out);
  ASSERT_EQ(p.error, "");
  EXPECT_EQ(p.codec, AV_CODEC_ID_GIF);
  EXPECT_EQ(p.width, 161);
  EXPECT_EQ(p.height, 91);
  EXPECT_EQ(p.frames, 12);
  EXPECT_NEAR(p.seconds, 14 / 25.0, 0.011);  // GIF delays are in hundredths of a second
  const std::uint8_t background[3] = {30, 34, 40};
  expectColour(p, 20, 25, kOrange, 3);
  expectColour(p, 100, 70, background, 3);
}

TEST_F(Encoder, SmallerImagesAreCroppedOrPadded) {
  const fs::path out = dir / "pad.mp4";
  VideoEncoder enc(opts(out.string(), 64, 64, 30));
  std::vector<std::uint8_t> red(32 * 32 * 4);
  for (size_t i = 0; i < red.size(); i += 4) red[i] = 220, red[i + 1] = 30, red[i + 2] = 30;
  enc.push(red.data(), 32, 32, 32 * 4, false);
  ASSERT_EQ(enc.finish(), "");
  const Probe p = probe(out);
  const std::uint8_t redRgb[3] = {220, 30, 30}, clear[3] = {20, 22, 26};
  expectColour(p, 8, 8, redRgb, 10);
  expectColour(p, 56, 56, clear, 6);
}

TEST_F(Encoder, AFullQueueDropsImagesButKeepsTheTimeline) {
  const fs::path out = dir / "drop.gif";
  VideoOptions o = opts(out.string(), 640, 400, 30);
  o.queueFrames = 1;
  o.blockWhenFull = false;
  VideoEncoder enc(o);
  for (int i = 0; i < 60; ++i) {
    const auto px = picture(640, 400, i, kOrange);
    enc.push(px.data(), 640, 400, 640 * 4, false);
  }
  ASSERT_EQ(enc.finish(), "");
  EXPECT_GT(enc.imagesDropped(), 0);
  EXPECT_EQ(enc.framesEncoded(), 60);
  EXPECT_EQ(enc.picturesEncoded() + enc.imagesDropped(), 60);
  const Probe p = probe(out);
  EXPECT_EQ(p.frames, enc.picturesEncoded());
  EXPECT_NEAR(p.seconds, 2.0, 0.011);  // the timeline is whole
}

TEST_F(Encoder, BlockingQueueKeepsEveryImage) {
  const fs::path out = dir / "block.gif";
  VideoOptions o = opts(out.string(), 320, 200, 30);
  o.queueFrames = 1;
  o.blockWhenFull = true;
  VideoEncoder enc(o);
  for (int i = 0; i < 20; ++i) {
    const auto px = picture(320, 200, i, kOrange);
    EXPECT_TRUE(enc.push(px.data(), 320, 200, 320 * 4, false));
  }
  ASSERT_EQ(enc.finish(), "");
  EXPECT_EQ(enc.imagesDropped(), 0);
  EXPECT_EQ(probe(out).frames, 20);
  EXPECT_FALSE(enc.push(picture(320, 200, 0, kOrange).data(), 320, 200, 320 * 4, false));
}

std::string constructionError(const VideoOptions& o) {
  try {
    VideoEncoder enc(o);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return {};
}

TEST_F(Encoder, BadPathsAndSizesAreClearErrors) {
  EXPECT_NE(constructionError(opts((dir / "a.mov").string(), 64, 64, 30)).find(".mp4"),
            std::string::npos);
  EXPECT_NE(
      constructionError(opts((dir / "no" / "a.mp4").string(), 64, 64, 30)).find("does not exist"),
      std::string::npos);
  EXPECT_NE(constructionError(opts(dir.string() + "/x.gif/", 64, 64, 30)), "");
  EXPECT_NE(constructionError(opts((dir / "a.mp4").string(), 1, 64, 30)).find("1×64"),
            std::string::npos);
  EXPECT_NE(constructionError(opts((dir / "a.mp4").string(), 64, 64, 0)).find("frame rate"),
            std::string::npos);
  // A folder nobody can create files in (root included).
  const std::string proc = constructionError(opts("/proc/gradscope-test.mp4", 64, 64, 30));
  EXPECT_NE(proc.find("cannot write /proc/gradscope-test.mp4"), std::string::npos) << proc;
}

TEST_F(Encoder, AFullDiskIsReportedAndStopsTheRecording) {
  for (const char* name : {"full.mp4", "full.gif"}) {
    const fs::path link = dir / name;
    fs::create_symlink("/dev/full", link);
    std::string err;
    try {
      VideoEncoder enc(opts(link.string(), 256, 256, 30));
      for (int i = 0; i < 90; ++i) {
        const auto px = picture(256, 256, i % 40, kOrange);
        enc.push(px.data(), 256, 256, 256 * 4, false);
      }
      err = enc.finish();
      EXPECT_TRUE(enc.failed());
    } catch (const std::runtime_error& e) {
      err = e.what();
    }
    EXPECT_NE(err.find("No space left on device"), std::string::npos) << name << ": " << err;
  }
}

}  // namespace
}  // namespace gradscope::media
