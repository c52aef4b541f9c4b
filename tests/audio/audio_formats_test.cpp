// Every format libsndfile reads: signals written in the test with libsndfile, read back
// through AudioReader/load_audio and compared sample by sample (exactly for PCM and float,
// within codec tolerance after aligning the codec delay for lossy formats).
#include "audio/audio_test_util.hpp"
#include "cqtcnn/audio.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>

using namespace cqtcnn::testing;
namespace fs = std::filesystem;

namespace {

constexpr int kRate = 48000;  // Opus only takes 8/12/16/24/48 kHz

// Deterministic pseudo-random integers in [lo, hi].
std::vector<int> random_ints(std::size_t n, int lo, int hi) {
  std::mt19937 rng(1234);
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<int> v(n);
  for (int& x : v) x = d(rng);
  return v;
}

struct ExactCase {
  const char* name;
  int format;
  int bits;  // significant bits written through sf_writef_int (left-aligned in int32)
};

}  // namespace

// PCM of every width: integers written through sf_writef_int (int32, left-aligned, so the
// low bits beyond the format's width are zero) must read back as exactly v / 2^31.
TEST(AudioFormats, IntegerPcmReadsBackExactly) {
  const ExactCase cases[] = {
      {"wav_u8", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 8},   {"wav_s16", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16},
      {"wav_s24", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 24}, {"wav_s32", SF_FORMAT_WAV | SF_FORMAT_PCM_32, 32},
      {"flac_s16", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16}, {"flac_s24", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 24},
      {"aiff_s16", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 16},
  };
  for (const ExactCase& c : cases) {
    const int shift = 32 - c.bits;
    const std::int64_t half = std::int64_t(1) << (c.bits - 1);
    std::vector<int> samples = random_ints(5000, int(-half), int(half - 1));
    for (int& s : samples) s = int(std::uint32_t(s) << shift);
    const fs::path path = temp_dir() / (std::string(c.name) + ".snd");
    ASSERT_TRUE(write_sndfile(path, c.format, kRate, 1, samples)) << c.name;
    const cqtcnn::Audio a = cqtcnn::load_audio(path);
    EXPECT_EQ(a.sample_rate, kRate);
    ASSERT_EQ(a.samples.size(), samples.size()) << c.name;
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < samples.size(); ++i)
      mismatches += a.samples[i] != float(double(samples[i]) / 2147483648.0);
    EXPECT_EQ(mismatches, 0u) << c.name;
  }
}

TEST(AudioFormats, FloatAndDoubleWavReadBackExactly) {
  const std::vector<float> y = tone(997.0, kRate, 4000, 0.9);
  const fs::path f32 = temp_dir() / "float.wav";
  ASSERT_TRUE(write_sndfile(f32, SF_FORMAT_WAV | SF_FORMAT_FLOAT, kRate, 1, y));
  EXPECT_EQ(cqtcnn::load_audio(f32).samples, y);

  const std::vector<double> yd(y.begin(), y.end());
  const fs::path f64 = temp_dir() / "double.wav";
  ASSERT_TRUE(write_sndfile(f64, SF_FORMAT_WAV | SF_FORMAT_DOUBLE, kRate, 1, yd));
  EXPECT_EQ(cqtcnn::load_audio(f64).samples, y);
}

// Lossy codecs delay and alter the signal: align by the lag of best correlation, then require
// the residual to be small relative to the tone.
TEST(AudioFormats, LossyCodecsPreserveATone) {
  struct LossyCase {
    const char* name;
    int format;
  };
  const LossyCase cases[] = {{"vorbis.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS},
                             {"opus.opus", SF_FORMAT_OGG | SF_FORMAT_OPUS},
                             {"mpeg.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III}};
  const std::vector<float> y = tone(440.0, kRate, kRate, 0.5);
  for (const LossyCase& c : cases) {
    const fs::path path = temp_dir() / c.name;
    if (!write_sndfile(path, c.format, kRate, 1, y)) {
      ADD_FAILURE() << "this libsndfile cannot write " << c.name << " (expected on Debian 12)";
      continue;
    }
    const cqtcnn::Audio a = cqtcnn::load_audio(path);
    EXPECT_EQ(a.sample_rate, kRate) << c.name;
    // Length within 10 % (encoders pad to whole frames; decoders may trim the delay).
    EXPECT_NEAR(double(a.samples.size()), double(y.size()), 0.1 * double(y.size())) << c.name;
    EXPECT_NEAR(dominant_frequency({a.samples.begin() + 8000, a.samples.begin() + 40000}, kRate, 440.0), 440.0, 0.5)
        << c.name;
    // Best alignment over +-3000 samples of lag, compared on the steady middle part.
    double best = 1e30;
    for (int lag = -3000; lag <= 3000; ++lag) {
      double err = 0, ref = 0;
      for (std::size_t i = 8000; i < 40000; ++i) {
        const double d = double(a.samples[std::size_t(std::ptrdiff_t(i) + lag)]) - y[i];
        err += d * d;
        ref += double(y[i]) * y[i];
      }
      best = std::min(best, std::sqrt(err / ref));
    }
    EXPECT_LT(best, 0.1) << c.name << ": relative residual after alignment";
  }
}

// Channels are averaged (sum in float32, then divided by the count, as numpy.mean).
TEST(AudioFormats, MultichannelIsAveragedToMono) {
  for (int channels : {2, 6}) {
    const std::size_t n = 3000;
    std::vector<float> interleaved(n * std::size_t(channels));
    std::vector<float> expected(n);
    for (std::size_t i = 0; i < n; ++i) {
      float sum = 0;
      for (int c = 0; c < channels; ++c) {
        const float v = float(std::sin(0.001 * double(i) * (c + 1)) * (c % 2 ? -0.3 : 0.7));
        interleaved[i * std::size_t(channels) + std::size_t(c)] = v;
        sum += v;
      }
      expected[i] = sum / float(channels);
    }
    const fs::path path = temp_dir() / ("multi" + std::to_string(channels) + ".wav");
    ASSERT_TRUE(write_sndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, channels, interleaved));
    cqtcnn::AudioReader reader(path);
    EXPECT_EQ(reader.channels(), channels);
    EXPECT_EQ(reader.file_frames(), std::int64_t(n));
    EXPECT_NE(reader.format().find("WAV"), std::string::npos) << reader.format();
    EXPECT_EQ(cqtcnn::load_audio(reader).samples, expected);
  }
}

// Reading in small blocks gives the same samples as one read; so does decoding from memory.
TEST(AudioFormats, BlocksAndMemoryDecodingMatchWholeFile) {
  const std::vector<float> y = tone(300.0, 8000, 10007, 0.25);
  const fs::path path = temp_dir() / "blocks.flac";
  std::vector<short> pcm(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) pcm[i] = short(std::lround(y[i] * 32767));
  ASSERT_TRUE(write_sndfile(path, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 8000, 1, pcm));
  const cqtcnn::Audio whole = cqtcnn::load_audio(path);
  for (std::size_t i = 0; i < y.size(); ++i) ASSERT_EQ(whole.samples[i], float(pcm[i]) / 32768.0f);

  for (std::optional<double> rate : {std::optional<double>{}, std::optional<double>{11025.0}}) {
    cqtcnn::AudioReader reader(path, rate);
    std::vector<float> joined, block;
    while (reader.read(block, 777) > 0) {
      EXPECT_LE(block.size(), 777u);
      joined.insert(joined.end(), block.begin(), block.end());
    }
    EXPECT_EQ(std::int64_t(joined.size()), reader.frames());
    EXPECT_EQ(joined, cqtcnn::load_audio(path, rate).samples);
  }

  const std::vector<unsigned char> bytes = read_bytes(path);
  cqtcnn::AudioReader mem = cqtcnn::AudioReader::from_memory(bytes, "memory.flac");
  EXPECT_EQ(mem.name(), "memory.flac");
  EXPECT_EQ(cqtcnn::load_audio(mem).samples, whole.samples);
}
