// Resampling on input: the tone keeps its frequency, the length is ceil(n * out / in) as in
// librosa.resample, and streaming through AudioReader equals the whole-signal resample().
#include "audio/audio_test_util.hpp"
#include "cqtcnn/audio.hpp"
#include "audio/resample.hpp"

#include <gtest/gtest.h>

using namespace cqtcnn::testing;

namespace {

void check_resampling(int in_rate, int out_rate, std::size_t n, double freq) {
  const std::vector<float> y = tone(freq, in_rate, n, 0.5);
  const auto path = temp_dir() / ("rs_" + std::to_string(in_rate) + "_" + std::to_string(out_rate) + ".wav");
  ASSERT_TRUE(write_sndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, in_rate, 1, y));
  cqtcnn::AudioReader reader(path, double(out_rate));
  EXPECT_EQ(reader.file_rate(), in_rate);
  EXPECT_EQ(reader.sample_rate(), out_rate);
  const auto expected_len = std::size_t((n * std::size_t(out_rate) + std::size_t(in_rate) - 1) / std::size_t(in_rate));
  EXPECT_EQ(reader.frames(), std::int64_t(expected_len));
  const cqtcnn::Audio a = cqtcnn::load_audio(reader);
  EXPECT_EQ(a.sample_rate, out_rate);
  ASSERT_EQ(a.samples.size(), expected_len);
  // Measured away from the edges (the filter's transients).
  const std::vector<float> middle(a.samples.begin() + out_rate / 10, a.samples.end() - out_rate / 10);
  EXPECT_NEAR(dominant_frequency(middle, out_rate, freq), freq, 0.05);
  double peak = 0;
  for (float v : middle) peak = std::max(peak, double(std::abs(v)));
  EXPECT_NEAR(peak, 0.5, 0.01);
  EXPECT_EQ(a.samples, cqtcnn::resample(y, in_rate, out_rate));
}

}  // namespace

TEST(AudioResample, Downsample44100To22050) { check_resampling(44100, 22050, 44100 + 1, 1000.0); }

TEST(AudioResample, Upsample8000To16000) { check_resampling(8000, 16000, 8000 + 333, 440.0); }

TEST(AudioResample, SameRateIsUntouched) {
  const std::vector<float> y = tone(100.0, 16000, 1000);
  const auto path = temp_dir() / "same_rate.wav";
  ASSERT_TRUE(write_sndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 1, y));
  EXPECT_EQ(cqtcnn::load_audio(path, 16000.0).samples, y);
}
