// Bad input never crashes: each case gives a one-line cqtcnn::Error naming the file and cause.
#include "audio/audio_test_util.hpp"
#include "cqtcnn/audio.hpp"
#include "cqtcnn/error.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <random>

using namespace cqtcnn::testing;
namespace fs = std::filesystem;

namespace {

// Opens and reads the whole of `path`, expecting an Error that names it and mentions `cause`.
void expect_error(const fs::path& path, const std::string& cause) {
  try {
    cqtcnn::load_audio(path);
    ADD_FAILURE() << "accepted " << path;
  } catch (const cqtcnn::Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind(path.string() + ": ", 0), 0u) << msg;
    EXPECT_NE(msg.find(cause), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

}  // namespace

TEST(AudioErrors, MissingFile) { expect_error(temp_dir() / "missing.wav", "cannot open: No such file or directory"); }

TEST(AudioErrors, Directory) { expect_error(temp_dir(), "directory"); }

TEST(AudioErrors, TextAndRandomBytes) {
  write_bytes(temp_dir() / "text.wav", "this is not audio\n");
  expect_error(temp_dir() / "text.wav", "not a supported audio file");
  std::mt19937 rng(7);
  std::string noise(4096, '\0');
  for (char& c : noise) c = char(rng() & 0xff);
  write_bytes(temp_dir() / "noise.bin", noise);
  expect_error(temp_dir() / "noise.bin", "not a supported audio file");
  write_bytes(temp_dir() / "empty.wav", "");
  expect_error(temp_dir() / "empty.wav", "empty (0 bytes)");
}

TEST(AudioErrors, UnsupportedEncoding) {
  // WAVE format tag 0x1234 is no codec libsndfile knows.
  write_bytes(temp_dir() / "codec.wav", wav_header(0x1234, 1, 8000, 16, 8) + std::string(8, '\1'));
  expect_error(temp_dir() / "codec.wav", "not a supported audio file");
}

TEST(AudioErrors, ZeroFrames) {
  ASSERT_TRUE(write_sndfile(temp_dir() / "zero.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, std::vector<short>{}));
  expect_error(temp_dir() / "zero.wav", "empty: contains no audio samples");
}

TEST(AudioErrors, AbsurdHeaders) {
  write_bytes(temp_dir() / "rate0.wav", wav_header(1, 1, 0, 16, 8) + std::string(8, '\1'));
  expect_error(temp_dir() / "rate0.wav", "");
  write_bytes(temp_dir() / "rate_huge.wav", wav_header(1, 1, 0xffffffffu, 16, 8) + std::string(8, '\1'));
  expect_error(temp_dir() / "rate_huge.wav", "");
  write_bytes(temp_dir() / "chan0.wav", wav_header(1, 0, 8000, 16, 8) + std::string(8, '\1'));
  expect_error(temp_dir() / "chan0.wav", "");
  write_bytes(temp_dir() / "chan_huge.wav", wav_header(1, 60000, 8000, 16, 8) + std::string(8, '\1'));
  expect_error(temp_dir() / "chan_huge.wav", "");
  // A data chunk claiming far more bytes than the file has: reads what is there, or refuses.
  write_bytes(temp_dir() / "short_data.wav", wav_header(1, 1, 8000, 16, 0x7ffffff0u) + std::string(64, '\0'));
  try {
    EXPECT_LE(cqtcnn::load_audio(temp_dir() / "short_data.wav").samples.size(), 32u);
  } catch (const cqtcnn::Error& e) {
    EXPECT_NE(std::string(e.what()).find("short_data.wav"), std::string::npos);
  }
}

TEST(AudioErrors, NonFiniteSamplesAreRefusedWithTheirPosition) {
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    std::vector<float> y(20000, 0.1f);
    y[16001] = bad;
    const fs::path path = temp_dir() / "nan.wav";
    ASSERT_TRUE(write_sndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 1, y));
    expect_error(path, "sample 16001 (at 1.00006 s) is NaN or infinite");
    // Also when it is hidden in one channel of several, and when resampling.
    std::vector<float> stereo(2 * y.size(), 0.2f);
    stereo[2 * 16001 + 1] = bad;
    ASSERT_TRUE(write_sndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 2, stereo));
    try {
      cqtcnn::load_audio(path, 22050.0);
      ADD_FAILURE();
    } catch (const cqtcnn::Error& e) {
      EXPECT_NE(std::string(e.what()).find("sample 16001"), std::string::npos) << e.what();
    }
  }
}

TEST(AudioErrors, MemoryDecodingErrorsUseTheGivenName) {
  const std::string text = "not audio at all";
  try {
    cqtcnn::AudioReader::from_memory({reinterpret_cast<const unsigned char*>(text.data()), text.size()}, "blob.wav");
    ADD_FAILURE();
  } catch (const cqtcnn::Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("blob.wav: not a supported audio file", 0), 0u) << e.what();
  }
}
