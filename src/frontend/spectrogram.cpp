// file_spectrogram: audio file -> streamed CQT -> complex, magnitude, power, dB or PCEN, bins x frames.
#include "frontend/spectrogram.hpp"

#include "base/handoff.hpp"
#include "base/parallel.hpp"
#include "cqtcnn/audio.hpp"
#include "cqtcnn/error.hpp"
#include "dsp/magnitude.hpp"
#include "io/atomic_file.hpp"
#include "io/npy_header.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <utility>

#include <unistd.h>

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

// The CQT parameters for the reader's audio: its rate, and the bins that fit it if asked.
CqtParams params_for(const AudioReader& reader, const SpectrogramSettings& settings) {
  CqtParams p = settings.cqt;
  p.sr = reader.sample_rate();
  if (settings.fit_bins)
    if (const int fit = p.bins_below_nyquist(); fit > 0) p.n_bins = fit;
  return p;
}

// Streams the reader through the CQT, calling consume(frames) with each block of finished frames
// (frames x bins, complex), in order. With threads, in three stages: reading and the top octave's
// halving here, the rest of the CQT on the stream's worker, and consume() on a third thread.
template <typename Consume>
void stream_frames(AudioReader& reader, const Cqt& cqt, int threads, Consume consume) {
  Cqt::Stream stream = cqt.stream(threads);
  std::vector<float> samples;
  Spectrogram block;
  if (threads < 2) {
    while (reader.read(samples) > 0) {
      stream.push(samples, block);
      consume(block.data);
      block.data.clear();
    }
    stream.finish(block);
    consume(block.data);
    return;
  }
  Handoff<std::vector<std::complex<float>>> frames(4);
  std::jthread consumer([&] {
    try {
      while (std::optional<std::vector<std::complex<float>>> b = frames.take()) {
        consume(*b);
        frames.give_back(std::move(*b));
      }
    } catch (...) {
      frames.fail(std::current_exception());
    }
  });
  try {
    while (reader.read(samples) > 0) {
      stream.push(samples, block);
      if (block.data.empty()) continue;
      std::vector<std::complex<float>> next = frames.reused();
      next.clear();
      frames.put(std::exchange(block.data, std::move(next)));
    }
    stream.finish(block);
    frames.put(std::move(block.data));
    frames.close();
  } catch (...) {
    frames.fail(std::current_exception());
  }
  consumer.join();
  frames.rethrow();
}

// |c| or |c|^2 (as float32(|c|)^2, like librosa's power) of each value, appended to `out`.
void append_scaled(const std::vector<std::complex<float>>& c, bool squared, std::vector<float>& out) {
  const std::size_t start = out.size();
  out.resize(start + c.size());
  const std::span<float> m = std::span(out).subspan(start);
  dsp::magnitude_into(c, m);
  if (squared)
    for (float& v : m) v *= v;
}

// Applies f to the floats [offset, offset + count * 4) of `file` in place, a block at a time,
// the blocks shared out among `threads` (f must allow that) with pread and pwrite.
template <typename F>
void rewrite_floats(std::FILE* file, const std::filesystem::path& path, long offset, std::size_t count, int threads,
                    F f) {
  const auto failed = [&](const char* what) {
    return Error(path.string() + ": " + what + " (" + std::strerror(errno) + ")");
  };
  if (std::fflush(file) != 0) throw failed("write failed");
  const int fd = fileno(file);
  constexpr std::size_t kBlock = std::size_t(1) << 18;  // floats: 1 MB
  std::mutex mutex;
  std::exception_ptr error;
  parallel_for((count + kBlock - 1) / kBlock, threads, [&](std::size_t b) {
    try {
      thread_local std::vector<float> block;  // one buffer per thread, not one per block
      block.resize(std::min(kBlock, count - b * kBlock));
      const auto at = off_t(offset) + off_t(b * kBlock * sizeof(float));
      const std::size_t bytes = block.size() * sizeof(float);
      if (::pread(fd, block.data(), bytes, at) != ssize_t(bytes)) throw failed("cannot read back the values written");
      f(std::span<float>(block));
      if (::pwrite(fd, block.data(), bytes, at) != ssize_t(bytes)) throw failed("write failed");
    } catch (...) {
      std::lock_guard lock(mutex);
      if (!error) error = std::current_exception();
    }
  });
  if (error) std::rethrow_exception(error);
}

// PCEN of each frame of a frames x bins block, in place, frames in order (values == pcen).
void apply_pcen(std::optional<Pcen>& pcen, std::span<float> frames, std::size_t n_bins) {
  if (!pcen) return;
  for (std::size_t at = 0; at + n_bins <= frames.size(); at += n_bins) pcen->apply(frames.subspan(at, n_bins));
}

std::optional<Pcen> pcen_for(const SpectrogramSettings& settings, const CqtParams& p) {
  if (settings.complex || settings.values != ValueScale::pcen) return std::nullopt;
  return Pcen(p.n_bins, settings.pcen, p.sr / p.hop_length);
}

}  // namespace

FileSpectrogram file_spectrogram(const std::filesystem::path& path, const SpectrogramSettings& settings) {
  AudioReader reader(path, settings.sample_rate);
  return file_spectrogram(reader, settings);
}

FileSpectrogram file_spectrogram(AudioReader& reader, const SpectrogramSettings& settings) {
  FileSpectrogram result;
  result.cqt = params_for(reader, settings);
  const Cqt cqt(result.cqt);
  const auto n_bins = std::size_t(cqt.n_bins());

  // The header's length gives the frame count, so the result does not regrow. It is only a claim:
  // the vectors still grow if the file holds more, and a claim past kMaxInMemorySamples reserves
  // no more than that much.
  const auto claimed = std::size_t(std::clamp<std::int64_t>(reader.frames(), 0, kMaxInMemorySamples));
  const std::size_t expected = std::min(cqt.n_frames(claimed), std::size_t(kMaxInMemorySamples) / n_bins) * n_bins;
  // Keep complex frames only when they are the result; otherwise reduce each block to magnitude
  // or power at once (half the memory).
  std::vector<std::complex<float>> complex_frames;
  std::vector<float> frames;
  const bool squared = settings.values == ValueScale::power;
  if (settings.complex) {
    complex_frames.reserve(expected);
    stream_frames(reader, cqt, settings.threads,
                  [&](const auto& c) { complex_frames.insert(complex_frames.end(), c.begin(), c.end()); });
    result.n_frames = complex_frames.size() / n_bins;
    result.complex_values = transpose(complex_frames, result.n_frames, n_bins);
    return result;
  }
  frames.reserve(expected);
  std::optional<Pcen> pcen = pcen_for(settings, result.cqt);
  stream_frames(reader, cqt, settings.threads, [&](const auto& c) {
    const std::size_t start = frames.size();
    append_scaled(c, squared, frames);
    apply_pcen(pcen, std::span(frames).subspan(start), n_bins);
  });
  result.n_frames = frames.size() / n_bins;
  if (settings.values == ValueScale::db) amplitude_to_db(frames, settings.db);
  result.values = transpose(frames, result.n_frames, n_bins);
  return result;
}

SpectrogramLayout write_spectrogram_npy(const std::filesystem::path& input, const SpectrogramSettings& settings,
                                        const std::filesystem::path& output) {
  AudioReader reader(input, settings.sample_rate);
  return write_spectrogram_npy(reader, settings, output);
}

SpectrogramLayout write_spectrogram_npy(AudioReader& reader, const SpectrogramSettings& settings,
                                        const std::filesystem::path& output) {
  SpectrogramLayout layout{params_for(reader, settings), 0};
  const Cqt cqt(layout.cqt);
  const auto n_bins = std::int64_t(cqt.n_bins());
  const char* descr = settings.complex ? "<c8" : "<f4";
  write_file_atomically(output, [&](std::FILE* f) {
    // A header for the largest frame count, written over once the count is known.
    const std::size_t header_length = npy::format_header(descr, {n_bins, std::int64_t(1) << 62}, 0, true).size();
    const std::string placeholder = npy::format_header(descr, {n_bins, 0}, header_length, true);
    write_bytes(f, placeholder.data(), placeholder.size(), output);
    // Column t of a bins x frames array in Fortran order is frame t: the CQT's own order.
    std::size_t values = 0;
    float max_magnitude = 0.0f;  // amplitude_to_db's reference: the maximum (max_of: 0 when empty)
    std::vector<float> scaled;
    std::optional<Pcen> pcen = pcen_for(settings, layout.cqt);
    // amplitude_to_db needs the file's maximum: the dB values before the reference is
    // subtracted go to the file as the frames come (on the values' thread, with threads), the
    // reference and the clipping follow in one more pass.
    const bool db = !settings.complex && settings.values == ValueScale::db;
    const DbOptions& o = settings.db;
    if (db && !(o.amin > 0)) throw InvalidInput("amin: must be strictly positive");
    float max_level = -INFINITY;
    stream_frames(reader, cqt, settings.threads, [&](const std::vector<std::complex<float>>& c) {
      values += c.size();
      if (settings.complex) return write_bytes(f, c.data(), c.size() * sizeof c[0], output);
      scaled.clear();
      append_scaled(c, settings.values == ValueScale::power, scaled);
      for (const float m : scaled) max_magnitude = std::max(max_magnitude, m);
      apply_pcen(pcen, scaled, std::size_t(n_bins));
      if (db) {
        for (float& v : scaled) v *= v;
        PowerToDb::levels(scaled, o.amin * o.amin, max_level);
      }
      write_bytes(f, scaled.data(), scaled.size() * sizeof(float), output);
    });
    layout.n_frames = values / std::size_t(n_bins);
    if (db) {
      const double ref = o.ref ? std::abs(*o.ref) : double(max_magnitude);
      PowerToDb to_db(ref * ref, o.amin * o.amin, o.top_db);
      const auto offset = long(header_length);
      if (to_db.expect_peak(max_level)) {
        rewrite_floats(f, output, offset, values, settings.threads, [&](std::span<float> v) { to_db.from_levels(v); });
      } else {  // an infinite reference: the peak is known only once every value is in dB
        rewrite_floats(f, output, offset, values, 1, [&](std::span<float> v) { to_db.subtract_reference(v); });
        rewrite_floats(f, output, offset, values, 1, [&](std::span<float> v) { to_db.clip(v); });
      }
    }
    const std::string header = npy::format_header(descr, {n_bins, std::int64_t(layout.n_frames)}, header_length, true);
    if (std::fseek(f, 0, SEEK_SET) != 0) throw Error(output.string() + ": cannot seek to rewrite the header");
    write_bytes(f, header.data(), header.size(), output);
  });
  return layout;
}

}  // namespace cqtcnn
