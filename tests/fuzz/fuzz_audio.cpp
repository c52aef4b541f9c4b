// libFuzzer target: an audio file from a stranger, decoded from memory and streamed through a
// small CQT, as `cqtcnn spectrogram` and `classify` do. The first input byte picks the path:
//   bit 0: resample to 8 kHz (libsoxr) instead of keeping the file's rate;
//   bit 1: load_audio (the whole file at once) instead of AudioReader::read blocks (only at
//          the file's rate: a whole upsampled file may legitimately exceed the memory limit).
// The rest is the file. Decoding must throw cqtcnn::Error or give finite samples, and the CQT
// of finite samples must be finite with exactly Cqt::n_frames frames.
#include "cqtcnn/audio.hpp"
#include "cqtcnn/cqt.hpp"
#include "cqtcnn/error.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace {

// The decoder refuses samples beyond +-1000 (found by this target:
// regressions/audio-huge-float-samples-cqt-inf, samples near 3e38 overflowed the CQT), so every
// decoded sample is within this and the CQT's output must be finite.
constexpr float kMaxDecodedPeak = 1000.0F;

// Stops long (e.g. heavily upsampled) inputs early: the target checks decoding, not patience.
constexpr std::size_t kMaxSamples = std::size_t{1} << 18;

// Two octaves placed relative to the rate, so every valid file rate gives valid parameters.
const cqtcnn::Cqt& cqt_for(double sr) {
  static std::unique_ptr<cqtcnn::Cqt> cached;
  if (!cached || cached->params().sr != sr) {
    cqtcnn::CqtParams p = cqtcnn::CqtParams::librosa(sr);
    p.hop_length = 64;
    p.fmin = sr / 256.0;
    p.n_bins = 24;
    p.bins_per_octave = 12;
    cached = std::make_unique<cqtcnn::Cqt>(p);
  }
  return *cached;
}

void check_finite(const cqtcnn::Spectrogram& s) {
  for (std::size_t i = 0; i < s.data.size(); ++i)
    if (!std::isfinite(s.data[i].real()) || !std::isfinite(s.data[i].imag())) __builtin_trap();
}

// Returns the largest magnitude in `block`.
float check_samples(std::span<const float> block) {
  float peak = 0;
  for (float v : block) {
    if (!std::isfinite(v)) __builtin_trap();  // the reader promises to refuse NaN and inf
    peak = std::max(peak, std::abs(v));
  }
  return peak;
}

void run(std::span<const std::uint8_t> file, bool resample, bool whole) {
  auto reader = cqtcnn::AudioReader::from_memory(file, "fuzz.wav",
                                                 resample ? std::optional<double>(8000.0) : std::nullopt);
  const cqtcnn::Cqt& cqt = cqt_for(reader.sample_rate());
  auto stream = cqt.stream();
  cqtcnn::Spectrogram out;
  std::size_t total = 0;
  float peak = 0;
  // load_audio must not trust the header's frame count (regressions/
  // audio-load_audio-flac-claims-2e36-frames claims 2^36 frames in 8 KB).
  if (whole) {
    const cqtcnn::Audio audio = cqtcnn::load_audio(reader);
    const std::size_t n = std::min(audio.samples.size(), kMaxSamples);
    peak = check_samples({audio.samples.data(), n});
    stream.push({audio.samples.data(), n}, out);
    total = n;
  } else {
    std::vector<float> block;
    while (total < kMaxSamples && reader.read(block, 4096) > 0) {
      peak = std::max(peak, check_samples(block));
      stream.push(block, out);
      total += block.size();
    }
  }
  stream.finish(out);
  if (peak > kMaxDecodedPeak) __builtin_trap();
  check_finite(out);
  if (out.n_frames() != cqt.n_frames(total)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  try {
    const bool resample = (data[0] & 1) != 0;
    run({data + 1, size - 1}, resample, !resample && (data[0] & 2) != 0);
  } catch (const cqtcnn::Error&) {
  }
  return 0;
}
