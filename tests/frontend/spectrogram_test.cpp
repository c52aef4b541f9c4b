// file_spectrogram (what `cqtcnn spectrogram` writes) against the whole-signal CQT of the same
// samples followed by amplitude_to_db, and its fitting of the bins to an 8 kHz file's Nyquist
// frequency; write_spectrogram_npy against file_spectrogram. The audio is a float WAV written here.
#include "audio/audio_test_util.hpp"
#include "cqtcnn/error.hpp"
#include "io/npy.hpp"
#include "frontend/spectrogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

namespace cqtcnn {
namespace {

std::vector<float> two_tones(std::size_t n) {
  std::vector<float> x = testing::tone(440.0, 8000.0, n, 0.3);
  const std::vector<float> high = testing::tone(1760.0, 8000.0, n, 0.1);
  for (std::size_t i = 0; i < n; ++i) x[i] += high[i];
  return x;
}

std::filesystem::path write_float_wav(const std::string& name, const std::vector<float>& x, std::uint32_t sr) {
  std::string bytes(x.size() * sizeof(float), '\0');
  std::memcpy(bytes.data(), x.data(), bytes.size());
  const auto path = testing::temp_dir() / name;
  testing::write_bytes(path, testing::wav_header(3, 1, sr, 32, std::uint32_t(bytes.size())) + bytes);
  return path;
}

TEST(FileSpectrogram, IsTheCqtOfTheSamplesInDbBinsByFrames) {
  const std::vector<float> x = two_tones(10000);
  const auto path = write_float_wav("two_tones.wav", x, 8000);
  SpectrogramSettings settings;
  settings.cqt.hop_length = 64;
  settings.cqt.n_bins = 72;
  const FileSpectrogram s = file_spectrogram(path, settings);
  EXPECT_EQ(s.cqt.sr, 8000.0);

  CqtParams p = settings.cqt;
  p.sr = 8000;
  const Spectrogram whole = Cqt(p).transform(x);
  std::vector<float> db = magnitude(whole.data);
  amplitude_to_db(db);  // params::db's amin and top_db, as the settings' defaults
  ASSERT_EQ(s.n_frames, whole.n_frames());
  ASSERT_EQ(s.values.size(), db.size());
  for (std::size_t t = 0; t < s.n_frames; ++t)
    for (std::size_t k = 0; k < 72; ++k) ASSERT_EQ(s.values[k * s.n_frames + t], db[t * 72 + k]) << t << ", " << k;

  settings.complex = true;
  const FileSpectrogram c = file_spectrogram(path, settings);
  EXPECT_TRUE(c.values.empty());
  for (std::size_t t = 0; t < c.n_frames; ++t)
    for (int k = 0; k < 72; ++k) ASSERT_EQ(c.complex_values[std::size_t(k) * c.n_frames + t], whole.at(t, k));
}

TEST(FileSpectrogram, FitsTheBinsToTheNyquistFrequencyOnlyWhenAsked) {
  const auto path = write_float_wav("speech_rate.wav", two_tones(8000), 8000);
  SpectrogramSettings settings;  // librosa's 84 bins: the top one's band reaches 4122 Hz
  EXPECT_THROW(file_spectrogram(path, settings), InvalidInput);
  settings.fit_bins = true;
  const FileSpectrogram s = file_spectrogram(path, settings);
  EXPECT_EQ(s.cqt.n_bins, 83);
  EXPECT_EQ(s.values.size(), 83 * s.n_frames);
  settings.sample_rate = 16000;  // resampled first: all 84 fit
  EXPECT_EQ(file_spectrogram(path, settings).cqt.n_bins, 84);
}

// write_spectrogram_npy streams what file_spectrogram holds in memory: the same array, to the
// bit, for every value scale (dB with and without top_db, with a given ref), and complex values.
TEST(WriteSpectrogramNpy, WritesFileSpectrogramsArrayInFortranOrder) {
  std::vector<float> x = two_tones(30000);
  for (std::size_t i = 0; i < 3000; ++i) x[i] *= 1e-4f;  // a quiet start: the top_db floor clips it
  const auto path = write_float_wav("two_tones_long.wav", x, 8000);
  const auto out = testing::temp_dir() / "streamed.npy";
  struct Case {
    ValueScale values;
    DbOptions db;
    bool complex;
  };
  const Case cases[] = {{ValueScale::db, {}, false},
                        {ValueScale::db, {.ref = {}, .amin = 1e-5, .top_db = std::nullopt}, false},
                        {ValueScale::db, {.ref = 0.01, .amin = 1e-5, .top_db = 40.0}, false},
                        {ValueScale::magnitude, {}, false},
                        {ValueScale::power, {}, false},
                        {ValueScale::db, {}, true}};
  for (const Case& c : cases) {
    SpectrogramSettings settings;
    settings.cqt.hop_length = 64;
    settings.cqt.n_bins = 72;
    settings.values = c.values;
    settings.db = c.db;
    settings.complex = c.complex;
    const FileSpectrogram whole = file_spectrogram(path, settings);
    const SpectrogramLayout layout = write_spectrogram_npy(path, settings, out);
    EXPECT_EQ(layout.cqt.n_bins, 72);
    EXPECT_EQ(layout.n_frames, whole.n_frames);
    ASSERT_EQ(whole.n_frames, 30000u / 64 + 1);

    std::ifstream in(out, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(bytes.find("'fortran_order': True"), std::string::npos);
    EXPECT_NE(bytes.find("'shape': (72, " + std::to_string(whole.n_frames) + ")"), std::string::npos);
    if (c.complex) {
      const NpyComplexArray a = read_npy_complex(out);  // read_npy reorders to C order
      EXPECT_EQ(a.shape, (std::vector<std::int64_t>{72, std::int64_t(whole.n_frames)}));
      EXPECT_TRUE(a.data == whole.complex_values);
    } else {
      const NpyArray a = read_npy(out);
      EXPECT_EQ(a.shape, (std::vector<std::int64_t>{72, std::int64_t(whole.n_frames)}));
      EXPECT_TRUE(a.data == whole.values) << "values " << int(c.values);
    }
  }
  // top_db clips the quiet start, so the floor above was exercised
  SpectrogramSettings settings;
  settings.cqt.hop_length = 64;
  settings.cqt.n_bins = 72;
  const FileSpectrogram db = file_spectrogram(path, settings);
  EXPECT_EQ(*std::min_element(db.values.begin(), db.values.end()),
            *std::max_element(db.values.begin(), db.values.end()) - 80.0f);
}

TEST(WriteSpectrogramNpy, LeavesNoFileForUnreadableAudio) {
  const auto bad = testing::temp_dir() / "not_audio.wav";
  testing::write_bytes(bad, "RIFF not really");
  const auto out = testing::temp_dir() / "never.npy";
  std::filesystem::remove(out);
  EXPECT_THROW(write_spectrogram_npy(bad, SpectrogramSettings{}, out), Error);
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace cqtcnn
