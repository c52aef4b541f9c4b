// Block processing: any split of the input gives bitwise the frames of the whole signal, and
// frames come out with a bounded delay (so memory does not grow with the recording).
#include "cqt_test_util.hpp"

#include "cqtcnn/cqt.hpp"
#include "cqtcnn/error.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace {

using cqtcnn::CqtParams;
using cqtcnn::Spectrogram;

std::vector<float> test_signal(double sr, double seconds, unsigned seed) {
  auto x = cqt_test::white_noise(std::size_t(sr * seconds), seed);
  const auto t = cqt_test::tone(440.0, sr, x.size(), 0.3);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] += t[i];
  return x;
}

Spectrogram in_blocks(const cqtcnn::Cqt& cqt, const std::vector<float>& x, std::mt19937& rng, std::size_t max_block) {
  std::uniform_int_distribution<std::size_t> size(0, max_block);
  Spectrogram out;
  auto s = cqt.stream();
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
    }
  }
}

TEST(Stream, ShortSignalsAndEdges) {
  const cqtcnn::Cqt cqt(CqtParams{});
  std::mt19937 rng(3);
  for (const std::size_t n : {0u, 1u, 100u, 511u, 512u, 2049u}) {
    const auto x = test_signal(22050, double(n) / 22050.0, 9);
    expect_identical(in_blocks(cqt, x, rng, 300), cqt.transform(x));
  }
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

}  // namespace
