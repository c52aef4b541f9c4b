// file_spectrogram: audio file -> streamed CQT -> complex, magnitude, power or dB, bins x frames.
#include "cqtcnn/spectrogram.hpp"

#include "cqtcnn/audio.hpp"

namespace cqtcnn {
namespace {

// Frames x bins (the CQT's layout) to bins x frames (the outputs' layout).
template <typename T>
std::vector<T> transpose(const std::vector<T>& frames_by_bins, std::size_t n_frames, std::size_t n_bins) {
  std::vector<T> out(frames_by_bins.size());
  for (std::size_t t = 0; t < n_frames; ++t)
    for (std::size_t k = 0; k < n_bins; ++k) out[k * n_frames + t] = frames_by_bins[t * n_bins + k];
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
  std::vector<std::complex<float>> complex_frames;
  std::vector<float> frames;
  Spectrogram block;
  auto consume = [&] {
    if (settings.complex) {
      complex_frames.insert(complex_frames.end(), block.data.begin(), block.data.end());
    } else {
      const std::vector<float> v = scale_values(block.data, per_block);
      frames.insert(frames.end(), v.begin(), v.end());
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
