// file_spectrogram: audio file -> streamed CQT -> complex, magnitude, power or dB, bins x frames.
#include "cqtcnn/spectrogram.hpp"

#include "cqtcnn/audio.hpp"

#include <algorithm>
#include <cstdint>

namespace cqtcnn {
namespace {

// Frames x bins (the CQT's layout) to bins x frames (the outputs' layout), in square tiles so
// that both sides are read and written a cache line at a time.
template <typename T>
std::vector<T> transpose(const std::vector<T>& frames_by_bins, std::size_t n_frames, std::size_t n_bins) {
  constexpr std::size_t kTile = 16;
  std::vector<T> out(frames_by_bins.size());
  for (std::size_t t0 = 0; t0 < n_frames; t0 += kTile)
    for (std::size_t k0 = 0; k0 < n_bins; k0 += kTile) {
      const std::size_t t1 = std::min(n_frames, t0 + kTile), k1 = std::min(n_bins, k0 + kTile);
      for (std::size_t k = k0; k < k1; ++k)
        for (std::size_t t = t0; t < t1; ++t) out[k * n_frames + t] = frames_by_bins[t * n_bins + k];
    }
  return out;
}

}  // namespace

FileSpectrogram file_spectrogram(const std::filesystem::path& path, const SpectrogramSettings& settings) {
  AudioReader reader(path, settings.sample_rate);
  FileSpectrogram result;
  result.cqt = settings.cqt;
  result.cqt.sr = reader.sample_rate();
  if (settings.fit_bins)
    if (const int fit = result.cqt.bins_below_nyquist(); fit > 0) result.cqt.n_bins = fit;
  const Cqt cqt(result.cqt);
  const auto n_bins = std::size_t(cqt.n_bins());

  // Keep complex frames only when they are the result; otherwise reduce each block to magnitude
  // or power at once (half the memory).
  const ValueScale per_block = settings.values == ValueScale::power ? ValueScale::power : ValueScale::magnitude;
  // The header's length gives the frame count, so the result does not regrow. It is only a claim:
  // the vectors still grow if the file holds more, and a claim past kMaxInMemorySamples reserves
  // no more than that much.
  const auto claimed = std::size_t(std::clamp<std::int64_t>(reader.frames(), 0, kMaxInMemorySamples));
  const std::size_t expected = std::min(cqt.n_frames(claimed), std::size_t(kMaxInMemorySamples) / n_bins) * n_bins;
  std::vector<std::complex<float>> complex_frames;
  std::vector<float> frames;
  if (settings.complex)
    complex_frames.reserve(expected);
  else
    frames.reserve(expected);
  Spectrogram block;
  auto consume = [&] {
    if (settings.complex) {
      complex_frames.insert(complex_frames.end(), block.data.begin(), block.data.end());
    } else {
      const std::size_t start = frames.size();
      frames.resize(start + block.data.size());
      const bool squared = per_block == ValueScale::power;
      for (std::size_t i = 0; i < block.data.size(); ++i) {
        const float m = std::abs(block.data[i]);
        frames[start + i] = squared ? m * m : m;
      }
    }
    block.data.clear();
  };
  Cqt::Stream stream = cqt.stream();
  std::vector<float> samples;
  while (reader.read(samples) > 0) {
    stream.push(samples, block);
    consume();
  }
  stream.finish(block);
  consume();

  if (settings.complex) {
    result.n_frames = complex_frames.size() / n_bins;
    result.complex_values = transpose(complex_frames, result.n_frames, n_bins);
  } else {
    result.n_frames = frames.size() / n_bins;
    if (settings.values == ValueScale::db) amplitude_to_db(frames, settings.db);
    result.values = transpose(frames, result.n_frames, n_bins);
  }
  return result;
}

}  // namespace cqtcnn
