// Block processing: any split of the input gives bitwise the frames of the whole signal, and
// frames come out with a bounded delay (so memory does not grow with the recording).
#include "cqt_test_util.hpp"

#include "cqtcnn/cqt.hpp"
#include "cqtcnn/error.hpp"
#include "cqt/design.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <limits>

namespace {

using cqtcnn::CqtParams;
using cqtcnn::Spectrogram;

std::vector<float> test_signal(double sr, double seconds, unsigned seed) {
  auto x = cqt_test::white_noise(std::size_t(sr * seconds), seed);
  const auto t = cqt_test::tone(440.0, sr, x.size(), 0.3);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] += t[i];
  return x;
}

Spectrogram in_blocks(const cqtcnn::Cqt& cqt, const std::vector<float>& x, std::mt19937& rng, std::size_t max_block,
                      int threads = 1) {
  std::uniform_int_distribution<std::size_t> size(0, max_block);
  Spectrogram out;
  auto s = cqt.stream(threads);
  for (std::size_t at = 0; at < x.size();) {
    const std::size_t n = std::min(size(rng), x.size() - at);
    s.push(std::span<const float>(x).subspan(at, n), out);
    at += n;
  }
  s.finish(out);
  return out;
}

void expect_identical(const Spectrogram& a, const Spectrogram& b) {
  ASSERT_EQ(a.n_bins, b.n_bins);
  ASSERT_EQ(a.data.size(), b.data.size());
  for (std::size_t i = 0; i < a.data.size(); ++i) {
    EXPECT_EQ(a.data[i].real(), b.data[i].real()) << "frame " << i / std::size_t(a.n_bins);
    EXPECT_EQ(a.data[i].imag(), b.data[i].imag()) << "frame " << i / std::size_t(a.n_bins);
    if (a.data[i] != b.data[i]) return;  // one report is enough
  }
}

struct Setting {
  const char* name;
  std::function<void(CqtParams&)> change;
};

TEST(Stream, RandomBlocksEqualWholeSignal) {
  const std::vector<Setting> settings = {
      {"default", [](CqtParams&) {}},
      {"44.1 kHz (early downsampling)", [](CqtParams& p) { p.sr = 44100; }},
      {"44.1 kHz, scale=False", [](CqtParams& p) { p.sr = 44100; p.scale = false; }},
      {"odd hop", [](CqtParams& p) { p.hop_length = 1001; }},
      {"reflect padding", [](CqtParams& p) { p.pad_mode = cqtcnn::PadMode::reflect; }},
      {"VQT (ERB), 24 bpo", [](CqtParams& p) { p.gamma = -1; p.bins_per_octave = 24; p.n_bins = 160; }},
  };
  std::mt19937 rng(11);
  for (const auto& s : settings) {
    SCOPED_TRACE(s.name);
    CqtParams p;
    s.change(p);
    const cqtcnn::Cqt cqt(p);
    const auto x = test_signal(p.sr, 2.3, 5);
    const Spectrogram whole = cqt.transform(x);
    ASSERT_EQ(whole.n_frames(), cqt.n_frames(x.size()));
    for (const std::size_t max_block : {std::size_t(1), std::size_t(700), std::size_t(20000)}) {
      if (max_block == 1 && p.sr > 22050) continue;  // sample-by-sample once is enough
      expect_identical(in_blocks(cqt, x, rng, max_block), whole);
      if (max_block == 1) continue;  // a hand-over per sample: slow, and no different
      SCOPED_TRACE("two threads");
      expect_identical(in_blocks(cqt, x, rng, max_block, 2), whole);
    }
  }
}

TEST(Stream, ShortSignalsAndEdges) {
  const cqtcnn::Cqt cqt(CqtParams{});
  std::mt19937 rng(3);
  for (const std::size_t n : {0u, 1u, 100u, 511u, 512u, 2049u}) {
    const auto x = test_signal(22050, double(n) / 22050.0, 9);
    expect_identical(in_blocks(cqt, x, rng, 300), cqt.transform(x));
    expect_identical(in_blocks(cqt, x, rng, 300, 2), cqt.transform(x));
  }
}

// Two threads with a single octave (nothing to halve: the worker computes every frame) and with
// more threads than it uses.
TEST(Stream, ThreadsOneOctaveAndMany) {
  CqtParams one;
  one.n_bins = 12;
  one.fmin = 1000;
  std::mt19937 rng(5);
  for (const CqtParams& p : {one, CqtParams{}}) {
    const cqtcnn::Cqt cqt(p);
    const auto x = test_signal(p.sr, 1.7, 2);
    expect_identical(in_blocks(cqt, x, rng, 5000, 2), cqt.transform(x));
    expect_identical(in_blocks(cqt, x, rng, 5000, 8), cqt.transform(x));
  }
}

// Reflect padding needs a sample, with a worker too; a stream dropped unfinished ends its worker.
TEST(Stream, ThreadsErrorsAndUnfinished) {
  CqtParams p;
  p.pad_mode = cqtcnn::PadMode::reflect;
  const cqtcnn::Cqt cqt(p);
  Spectrogram out;
  auto empty = cqt.stream(2);
  EXPECT_THROW(empty.finish(out), cqtcnn::InvalidInput);
  {
    auto dropped = cqt.stream(2);
    const auto x = test_signal(p.sr, 3.0, 1);
    dropped.push(x, out);
  }
  auto twice = cqt.stream(2);
  twice.push(test_signal(p.sr, 0.5, 1), out);
  twice.finish(out);
  EXPECT_THROW(twice.finish(out), cqtcnn::Error);
  EXPECT_THROW(twice.push(test_signal(p.sr, 0.1, 1), out), cqtcnn::Error);
}

// 3 minutes in 4096-sample blocks: after every push, all but a bounded number of the frames
// the input so far determines have been delivered, and that lag does not grow with the input,
// so the pending state stays bounded. The lag comes from the lowest octaves: libsoxr releases
// output in blocks of a few hundred samples, which at 344 Hz (six halvings) is seconds.
TEST(Stream, BoundedDelay) {
  CqtParams p;
  const cqtcnn::Cqt cqt(p);
  auto s = cqt.stream();
  Spectrogram out;
  const auto block = test_signal(p.sr, 4096.0 / p.sr, 1);
  std::size_t pushed = 0, delivered = 0, max_lag = 0, max_lag_first_minute = 0;
  while (pushed < std::size_t(180 * p.sr)) {
    s.push(block, out);
    pushed += block.size();
    const std::size_t determined = 1 + pushed / std::size_t(p.hop_length);
    delivered += out.n_frames();
    max_lag = std::max(max_lag, determined - delivered);
    if (pushed < std::size_t(60 * p.sr)) max_lag_first_minute = max_lag;
    out.data.clear();  // a consumer would hand the frames on
    out.data.shrink_to_fit();
  }
  EXPECT_LT(max_lag, 400u);  // 9 s
  EXPECT_EQ(max_lag, max_lag_first_minute);
  std::cout << "[ measured ] largest lag " << max_lag << " frames\n";
  s.finish(out);
  EXPECT_EQ(delivered + out.n_frames(), cqt.n_frames(pushed));
  EXPECT_THROW(s.push(block, out), cqtcnn::Error);
}

// complete() for live input: asking after every 10 ms push for the next frame gives every frame
// no later than push() alone would, and some earlier (those for which push() waits for a whole
// tile; the halvers' delays decide the rest), bitwise the same. The lag of a frame is the input pushed beyond its centre when it is delivered: it cannot
// be less than half the lowest octave's filter length; libsoxr's halvings add the rest.
void check_live_lag(const CqtParams& p, const char* name) {
  SCOPED_TRACE(name);
  const cqtcnn::Cqt cqt(p);
  const auto x = test_signal(p.sr, 8.0, 4);
  const std::size_t block = std::size_t(p.sr / 100), hop = std::size_t(p.hop_length);
  const auto lags = [&](bool live, Spectrogram& all) {
    std::vector<std::size_t> lag;  // per frame
    auto s = cqt.stream();
    Spectrogram out;
    for (std::size_t at = 0; at < x.size(); at += block) {
      const std::size_t pushed = std::min(at + block, x.size());
      s.push(std::span<const float>(x).subspan(at, pushed - at), out);
      if (live)
        while (s.complete(lag.size() + out.n_frames() + 1, out)) {
        }
      for (std::size_t t = 0; t < out.n_frames(); ++t) lag.push_back(pushed - std::min(pushed, lag.size() * hop));
      all.data.insert(all.data.end(), out.data.begin(), out.data.end());
      out.data.clear();
    }
    s.finish(out);
    all.n_bins = out.n_bins;
    all.data.insert(all.data.end(), out.data.begin(), out.data.end());
    return lag;
  };
  Spectrogram tiled, live;
  const std::vector<std::size_t> tiled_lag = lags(false, tiled), live_lag = lags(true, live);
  expect_identical(live, cqt.transform(x));
  expect_identical(tiled, live);
  ASSERT_GT(live_lag.size(), 40u);
  const cqtcnn::cqt::Design d = cqtcnn::cqt::make_design(p);
  const auto& lowest = d.octaves.back();
  const std::size_t half_filter = std::size_t(lowest.n_fft / 2) << (lowest.level + d.early_count);
  std::size_t earlier = 0, min_live = std::numeric_limits<std::size_t>::max(), max_live = 0, max_tiled = 0;
  for (std::size_t t = 0; t < std::min(live_lag.size(), tiled_lag.size()); ++t) {
    EXPECT_LE(live_lag[t], tiled_lag[t]) << "frame " << t;
    EXPECT_GE(live_lag[t], half_filter) << "frame " << t;
    earlier += live_lag[t] < tiled_lag[t];
    if (t * hop < half_filter + std::size_t(p.sr)) continue;  // steady state: from 1 s after the first
    min_live = std::min(min_live, live_lag[t]);
    max_live = std::max(max_live, live_lag[t]);
    max_tiled = std::max(max_tiled, tiled_lag[t]);
  }
  EXPECT_GT(earlier, live_lag.size() / 20);
  std::cout << "[ measured ] " << name << ": input needed past a frame's centre, live " << double(min_live) / p.sr
            << "-" << double(max_live) / p.sr << " s, push() alone up to " << double(max_tiled) / p.sr
            << " s; half the lowest octave's filter " << double(half_filter) / p.sr << " s\n";
}

TEST(Stream, CompleteDeliversFramesAsSoonAsTheirSamplesExist) {
  CqtParams digits;  // models/digits.json's front end
  digits.sr = 8000;
  digits.hop_length = 128;
  digits.n_bins = 70;
  digits.filter_scale = 0.4;
  check_live_lag(digits, "digits");
  CqtParams instruments;  // models/instruments.json's
  instruments.sr = 22050;
  instruments.fmin = 32.70319566257483;
  check_live_lag(instruments, "instruments");
}

}  // namespace

// complete() with a worker thread waits for it, so live frames come exactly when one thread
// gives them, bitwise the same.
TEST(Stream, ThreadsCompleteAsOneThread) {
  const CqtParams p;
  const cqtcnn::Cqt cqt(p);
  const auto x = test_signal(p.sr, 3.0, 8);
  const std::size_t block = std::size_t(p.sr / 100);
  const auto live = [&](int threads, std::vector<std::size_t>& when) {
    auto s = cqt.stream(threads);
    Spectrogram out;
    for (std::size_t at = 0; at < x.size(); at += block) {
      s.push(std::span<const float>(x).subspan(at, std::min(block, x.size() - at)), out);
      while (s.complete(out.n_frames() + 1, out)) {
      }
      when.push_back(out.n_frames());
    }
    s.finish(out);
    return out;
  };
  std::vector<std::size_t> one, two;
  const Spectrogram a = live(1, one), b = live(2, two);
  expect_identical(b, cqt.transform(x));
  expect_identical(a, b);
  EXPECT_EQ(one, two);
}
