// Helpers for the audio tests: a per-process temporary directory, signal synthesis, a
// libsndfile writer, and a frequency estimate (independent of the code under test).
#pragma once

#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace cqtcnn::testing {

inline std::filesystem::path temp_dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("cqtcnn_audio_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

inline std::vector<float> tone(double freq, double sr, std::size_t n, double amp = 0.5) {
  std::vector<float> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = float(amp * std::sin(2 * std::numbers::pi * freq * double(i) / sr));
  return y;
}

// Writes interleaved frames with sf_writef_<T>; returns false if this libsndfile cannot
// write `format` (so that the caller can skip).
template <typename T>
bool write_sndfile(const std::filesystem::path& path, int format, int sr, int channels, const std::vector<T>& interleaved) {
  SF_INFO info{};
  info.samplerate = sr;
  info.channels = channels;
  info.format = format;
  if (!sf_format_check(&info)) return false;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!f) return false;
  const sf_count_t frames = sf_count_t(interleaved.size() / std::size_t(channels));
  sf_count_t written = 0;
  if constexpr (std::is_same_v<T, float>) written = sf_writef_float(f, interleaved.data(), frames);
  else if constexpr (std::is_same_v<T, double>) written = sf_writef_double(f, interleaved.data(), frames);
  else if constexpr (std::is_same_v<T, short>) written = sf_writef_short(f, interleaved.data(), frames);
  else written = sf_writef_int(f, interleaved.data(), frames);
  sf_close(f);
  if (written != frames) throw std::runtime_error("short write to " + path.string());
  return true;
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

inline std::vector<unsigned char> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Frequency of the strongest sinusoid: the peak of a zero-padded, Hann-windowed naive DFT
// searched on a fine grid around `guess` (+-20 %), to a resolution of 0.01 Hz.
inline double dominant_frequency(const std::vector<float>& y, double sr, double guess) {
  const std::size_t n = y.size();
  auto power = [&](double f) {
    std::complex<double> acc = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double w = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * double(i) / double(n - 1));
      acc += w * y[i] * std::polar(1.0, -2 * std::numbers::pi * f * double(i) / sr);
    }
    return std::norm(acc);
  };
  double best = guess, step = guess * 0.01;
  for (double lo = guess * 0.8, hi = guess * 1.2; step > 0.005; step /= 10) {
    double best_p = -1;
    for (double f = lo; f <= hi; f += step) {
      const double p = power(f);
      if (p > best_p) best_p = p, best = f;
    }
    lo = best - step, hi = best + step;
  }
  return best;
}

// A canonical 44-byte WAV header (RIFF/WAVE, "fmt " of 16 bytes, "data") with arbitrary fields.
inline std::string wav_header(int format_tag, int channels, std::uint32_t sr, int bits, std::uint32_t data_bytes) {
  std::string h;
  auto u32 = [&](std::uint32_t v) { for (int i = 0; i < 4; ++i) h += char((v >> (8 * i)) & 0xff); };
  auto u16 = [&](std::uint32_t v) { for (int i = 0; i < 2; ++i) h += char((v >> (8 * i)) & 0xff); };
  const std::uint32_t block = std::uint32_t(channels * bits / 8);
  h += "RIFF"; u32(36 + data_bytes); h += "WAVEfmt "; u32(16);
  u16(std::uint32_t(format_tag)); u16(std::uint32_t(channels)); u32(sr); u32(sr * block); u16(block); u16(std::uint32_t(bits));
  h += "data"; u32(data_bytes);
  return h;
}

}  // namespace cqtcnn::testing
