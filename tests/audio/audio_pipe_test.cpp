// Standard input: audio arriving on a pipe (AudioReader::from_fd), with a header or as raw PCM,
// decodes to the same samples as the same audio read from a file; --raw specs are checked.
#include "audio_test_util.hpp"

#include "cqtcnn/audio.hpp"
#include "cqtcnn/error.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <thread>

namespace cqtcnn {
namespace {

using testing::read_bytes;
using testing::temp_dir;
using testing::tone;
using testing::write_sndfile;

// Reads everything `reader` gives, in blocks.
std::vector<float> read_all(AudioReader& reader) {
  std::vector<float> all, block;
  while (reader.read(block, 777) > 0) all.insert(all.end(), block.begin(), block.end());
  return all;
}

// `bytes` written into a pipe by another thread in small pieces, read by AudioReader::from_fd.
std::vector<float> through_pipe(const std::vector<unsigned char>& bytes, const std::optional<RawFormat>& raw,
                                std::optional<double> rate = {}) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  std::thread writer([&] {
    for (std::size_t at = 0; at < bytes.size();) {
      const std::size_t n = std::min<std::size_t>(1000, bytes.size() - at);
      const ssize_t w = ::write(fds[1], bytes.data() + at, n);
      if (w <= 0) break;
      at += std::size_t(w);
    }
    close(fds[1]);
  });
  std::vector<float> samples;
  try {
    AudioReader reader = AudioReader::from_fd(fds[0], "pipe", raw, rate);
    samples = read_all(reader);
  } catch (...) {
    close(fds[0]);
    writer.join();
    throw;
  }
  close(fds[0]);
  writer.join();
  return samples;
}

TEST(AudioPipe, HeaderFormatsDecodeAsFromAFile) {
  const auto x = tone(440.0, 8000, 12345);
  for (const auto& [name, format] : {std::pair{"wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16},
                                     std::pair{"aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_24},
                                     std::pair{"au", SF_FORMAT_AU | SF_FORMAT_FLOAT},
                                     std::pair{"ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS}}) {
    SCOPED_TRACE(name);
    const auto path = temp_dir() / (std::string("pipe.") + name);
    if (!write_sndfile(path, format, 8000, 1, x)) GTEST_SKIP() << "this libsndfile cannot write " << name;
    AudioReader file(path, 16000.0);
    const std::vector<float> expected = read_all(file);
    const std::vector<float> got = through_pipe(read_bytes(path), std::nullopt, 16000.0);
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], expected[i]) << "sample " << i;
  }
}

TEST(AudioPipe, RawPcmIsDecodedAsDescribed) {
  // Two channels of s16le: left = i, right = -i / 2 (in units of 1/32768).
  std::vector<unsigned char> bytes;
  const auto s16 = [&](int v) {
    bytes.push_back(static_cast<unsigned char>(v & 0xff));
    bytes.push_back(static_cast<unsigned char>((v >> 8) & 0xff));
  };
  for (int i = 0; i < 5000; ++i) s16(i), s16(-i / 2);
  const std::vector<float> got = through_pipe(bytes, RawFormat::parse("8000:S16_LE:2"));
  ASSERT_EQ(got.size(), 5000u);
  for (int i = 0; i < 5000; ++i) ASSERT_EQ(got[std::size_t(i)], (float(i) / 32768.0f + float(-i / 2) / 32768.0f) / 2.0f) << i;

  // Big-endian 32-bit float, mono.
  bytes.clear();
  for (int i = 0; i < 300; ++i) {
    const float v = float(i) / 512.0f;
    std::uint32_t u;
    std::memcpy(&u, &v, 4);
    for (int b = 3; b >= 0; --b) bytes.push_back(static_cast<unsigned char>((u >> (8 * b)) & 0xff));
  }
  const std::vector<float> f = through_pipe(bytes, RawFormat::parse("16000:f32be:1"));
  ASSERT_EQ(f.size(), 300u);
  for (int i = 0; i < 300; ++i) ASSERT_EQ(f[std::size_t(i)], float(i) / 512.0f);
}

TEST(AudioPipe, EmptyAndBadInputNameTheStream) {
  try {
    through_pipe({}, RawFormat::parse("8000:s16le:1"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "pipe: empty: nothing arrived");
  }
  const std::string junk = "this is not audio at all, just some text that goes on for a while....";
  try {
    through_pipe({junk.begin(), junk.end()}, std::nullopt);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("pipe: not audio that libsndfile reads from a pipe", 0), 0u) << e.what();
    // Text or samples without a header: the likely cause is headerless PCM, which --raw describes.
    EXPECT_NE(std::string(e.what()).find("--raw RATE:ENCODING:CHANNELS"), std::string::npos) << e.what();
  }
  try {
    through_pipe({}, std::nullopt);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "pipe: empty: nothing arrived");
  }
  const std::string flac = "fLaC" + std::string(60, '\0');
  try {
    through_pipe({flac.begin(), flac.end()}, std::nullopt);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("FLAC needs decoding first"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("--raw"), std::string::npos) << e.what();
  }
}

TEST(RawFormat, ParsesAndRefuses) {
  const RawFormat f = RawFormat::parse("44100:F32LE:2");
  EXPECT_EQ(f.sample_rate, 44100);
  EXPECT_EQ(f.encoding, "f32le");
  EXPECT_EQ(f.channels, 2);
  EXPECT_EQ(f.sndfile_format(), SF_FORMAT_RAW | SF_FORMAT_FLOAT | SF_ENDIAN_LITTLE);
  for (const char* bad : {"16000:s16le", "16000:s16le:1:2", "x:s16le:1", "16000:s17le:1", "16000:s16le:0", "50:s16le:1"}) {
    try {
      RawFormat::parse(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const InvalidInput& e) {
      EXPECT_EQ(std::string(e.what()).rfind("--raw: ", 0), 0u) << e.what();
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace cqtcnn
