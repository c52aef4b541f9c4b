// Helpers shared by the CQT tests: fixtures, synthetic signals and error measures.
#pragma once

#include "cqtcnn/cqt.hpp"

#include <cmath>
#include <complex>
#include <cstdint>
#include <fstream>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace cqt_test {

inline std::string data_path(const std::string& name) { return std::string(CQTCNN_TEST_DATA) + "/cqt/" + name; }

// The fixtures are canonical 44-byte-header 16-bit mono WAVs; soundfile reads them as
// int16 / 32768 in float32, which is what librosa was given.
inline std::vector<float> read_wav16(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error(path + ": cannot open");
  std::vector<char> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (bytes.size() < 44 || std::string(bytes.data(), 4) != "RIFF" || std::string(bytes.data() + 8, 4) != "WAVE")
    throw std::runtime_error(path + ": not a canonical WAV");
  std::vector<float> x((bytes.size() - 44) / 2);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const auto lo = static_cast<std::uint8_t>(bytes[44 + 2 * i]), hi = static_cast<std::uint8_t>(bytes[45 + 2 * i]);
    x[i] = float(static_cast<std::int16_t>(std::uint16_t(lo | (hi << 8)))) / 32768.0f;
  }
  return x;
}

inline std::vector<float> tone(double freq, double sr, std::size_t n, double amplitude = 0.5) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = float(amplitude * std::sin(2.0 * std::numbers::pi * freq * double(i) / sr));
  return x;
}

inline std::vector<float> white_noise(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 0.1f);
  std::vector<float> x(n);
  for (float& v : x) v = g(rng);
  return x;
}

// ||a - b||_F / ||b||_F over the bins [k0, k1] of every frame, on magnitudes or complex values
// (the absolute ||a - b||_F where b is all zero, e.g. an impulse between frames).
inline double rel_frob(const cqtcnn::Spectrogram& a, const cqtcnn::Spectrogram& b, int k0, int k1, bool complex_values) {
  double num = 0.0, den = 0.0;
  for (std::size_t t = 0; t < b.n_frames(); ++t)
    for (int k = k0; k <= k1; ++k) {
      const std::complex<double> x(a.at(t, k)), y(b.at(t, k));
      const std::complex<double> d = complex_values ? x - y : std::complex<double>(std::abs(x) - std::abs(y));
      num += std::norm(d);
      den += std::norm(y);
    }
  return den > 0 ? std::sqrt(num / den) : std::sqrt(num);
}

// Mean over frames of |C| per bin.
inline std::vector<double> mean_magnitude(const cqtcnn::Spectrogram& s) {
  std::vector<double> m(std::size_t(s.n_bins), 0.0);
  for (std::size_t t = 0; t < s.n_frames(); ++t)
    for (int k = 0; k < s.n_bins; ++k) m[std::size_t(k)] += std::abs(s.at(t, k)) / double(s.n_frames());
  return m;
}

}  // namespace cqt_test
