// Block processing. The input (after optional early decimation) is level 0; each level feeds a
// streaming libsoxr halver whose output is the next level, exactly as librosa's repeated
// resample(y, 2, 1, 'soxr_hq', scale=True) but without holding the signal. Each octave
// computes a frame as soon as its level holds every sample the frame covers; a frame is
// emitted once all octaves have it (the lower octaves lag by the resamplers' delays and their
// longer windows). Memory is bounded by those delays, not by the signal length.
#include "cqt/engine.hpp"

#include "cqtcnn/error.hpp"
#include "cqtcnn/resample.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace cqtcnn {
namespace {

using Index = std::int64_t;

// One signal rate: the samples still needed by its octaves, and the halver feeding the next.
struct Level {
  std::vector<float> buf;
  Index base = 0;      // absolute index of buf[0]
  Index received = 0;  // samples so far
  Index limit = std::numeric_limits<Index>::max();  // librosa's fix_length, known at finish
  bool final = false;
  std::unique_ptr<Resampler> halver;
  std::vector<float> halved;  // scratch for the halver's output
};

// Frames of one octave computed but not yet emitted.
struct OctaveQueue {
  Index next = 0;   // next frame to compute
  Index first = 0;  // frame held at frames[0]
  std::vector<std::complex<float>> frames;
};

// numpy.pad(mode="reflect") of a signal of n samples, any distance out: period 2 (n - 1).
Index reflect(Index j, Index n) {
  if (n == 1) return 0;
  const Index period = 2 * (n - 1);
  j %= period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}

}  // namespace

struct Cqt::Stream::State {
  const Cqt::Impl* impl;
  std::unique_ptr<Resampler> early;
  // librosa resample(scale=True) divides by np.sqrt(target / orig) as a float32 scalar;
  // with scale=False the early-decimated signal is also multiplied by sqrt(2^k).
  float early_divisor = 1.0f;
  float early_gain = 1.0f;
  float halve_divisor = float(std::sqrt(0.5));
  Index n_input = 0;
  bool finished = false;
  std::vector<Level> levels;
  std::vector<OctaveQueue> queues;
  Index emitted = 0;
  Index total_frames = -1;  // known at finish
  float* frame = nullptr;          // max_fft samples
  fftwf_complex* spectrum = nullptr;  // its rfft
  std::vector<float> bins_re, bins_im;  // (max_fft / 2 + 1) x batch, bin-major
  std::vector<float> acc_re, acc_im;  // batch

  explicit State(const Cqt::Impl* engine);
  ~State() {
    fftwf_free(frame);
    fftwf_free(spectrum);
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  void append(std::size_t level, std::span<const float> samples);
  std::vector<float>& decimate_scaled(std::vector<float>& v) const {
    for (float& x : v) x /= early_divisor;
    if (early_gain != 1.0f)
      for (float& x : v) x *= early_gain;
    return v;
  }
  void finish_levels();
  void compute_frames();
  bool frame_ready(const cqt::Octave& o, Index t) const;
  void compute_batch(std::size_t octave, Index first, int n_valid);
  void fill_frame(const cqt::Octave& o, Index t, float* dst) const;
  void emit(Spectrogram& out);
  void trim();
};

Cqt::Stream::State::State(const Cqt::Impl* engine) : impl(engine) {
  const cqt::Design& d = impl->design;
  if (d.early_count > 0) {
    const double factor = double(1 << d.early_count);
    early = std::make_unique<Resampler>(factor, 1.0);
    early_divisor = float(std::sqrt(1.0 / factor));
    if (!impl->params.scale) early_gain = float(std::sqrt(factor));
  }
  levels.resize(std::size_t(d.n_levels));
  for (std::size_t l = 0; l + 1 < levels.size(); ++l) levels[l].halver = std::make_unique<Resampler>(2.0, 1.0);
  queues.resize(d.octaves.size());
  const std::size_t b = Cqt::Impl::batch;
  frame = fftwf_alloc_real(std::size_t(impl->max_fft));
  spectrum = fftwf_alloc_complex(std::size_t(impl->max_fft / 2 + 1));
  bins_re.resize(b * std::size_t(impl->max_fft / 2 + 1));
  bins_im.resize(b * std::size_t(impl->max_fft / 2 + 1));
  acc_re.resize(b);
  acc_im.resize(b);
}

void Cqt::Stream::State::append(std::size_t level, std::span<const float> samples) {
  Level& lv = levels[level];
  const Index room = std::max<Index>(0, lv.limit - lv.received);
  samples = samples.first(std::size_t(std::min<Index>(room, Index(samples.size()))));
  if (samples.empty()) return;
  lv.buf.insert(lv.buf.end(), samples.begin(), samples.end());
  lv.received += Index(samples.size());
  if (!lv.halver) return;
  lv.halved.clear();
  lv.halver->push(samples, lv.halved);
  for (float& v : lv.halved) v /= halve_divisor;
  append(level + 1, lv.halved);
}

// librosa resamples whole signals and fixes each length to ceil(len * target / orig):
// flush each resampler in order, trimming or zero-padding to that length.
void Cqt::Stream::State::finish_levels() {
  const std::vector<std::size_t> lengths = cqt::level_lengths(impl->design, std::size_t(n_input));
  for (std::size_t l = 0; l < levels.size(); ++l) levels[l].limit = Index(lengths[l]);
  if (early) {
    std::vector<float> tail;
    early->flush(tail);
    append(0, decimate_scaled(tail));
  }
  for (std::size_t l = 0; l < levels.size(); ++l) {
    Level& lv = levels[l];
    if (lv.received < lv.limit) append(l, std::vector<float>(std::size_t(lv.limit - lv.received), 0.0f));
    lv.final = true;
    if (lv.halver) {
      std::vector<float> tail;
      lv.halver->flush(tail);
      for (float& v : tail) v /= halve_divisor;
      append(l + 1, tail);
    }
  }
}

bool Cqt::Stream::State::frame_ready(const cqt::Octave& o, Index t) const {
  const Level& lv = levels[std::size_t(o.level)];
  const Index start = t * o.hop - o.n_fft / 2;
  if (lv.final) return true;  // the caller bounds t by the frame count
  if (start + o.n_fft > lv.received) return false;
  // reflect padding at the start mirrors y[1 .. -start]
  return impl->params.pad_mode != PadMode::reflect || start >= 0 || -start < lv.received;
}

// The n_fft samples of frame t, centred on sample t * hop: a copy where the frame lies inside
// the signal, else padded with zeros or numpy's reflection.
void Cqt::Stream::State::fill_frame(const cqt::Octave& o, Index t, float* dst) const {
  const Level& lv = levels[std::size_t(o.level)];
  const Index start = t * o.hop - o.n_fft / 2;
  if (start >= 0 && start + o.n_fft <= lv.received) {
    std::copy_n(lv.buf.data() + (start - lv.base), o.n_fft, dst);
    return;
  }
  const Index n = lv.final ? lv.received : std::numeric_limits<Index>::max();
  const bool reflect_pad = impl->params.pad_mode == PadMode::reflect;
  for (Index m = 0; m < o.n_fft; ++m) {
    Index j = start + m;
    if (j < 0 || j >= n) {
      if (!reflect_pad) {
        dst[m] = 0.0f;
        continue;
      }
      j = lv.final ? reflect(j, n) : -j;
    }
    dst[m] = lv.buf[std::size_t(j - lv.base)];
  }
}

// Frames first .. first + n_valid - 1 (first a multiple of the batch): each frame's rfft, the
// kernel's columns transposed to bin-major, then bin r of every frame = sum_j K[r, j] X[j],
// vectorised across the frames (slots past n_valid hold zeros).
void Cqt::Stream::State::compute_batch(std::size_t octave, Index first, int n_valid) {
  const cqt::Octave& o = impl->design.octaves[octave];
  const cqt::SparseKernel& k = impl->kernels[octave];
  constexpr int batch = Cqt::Impl::batch;
  float* spectrum_re = bins_re.data();
  float* spectrum_im = bins_im.data();
  for (int f = 0; f < batch; ++f) {
    if (f < n_valid) {
      fill_frame(o, first + f, frame);
      fftwf_execute_dft_r2c(impl->plans[octave], frame, spectrum);
    }
    for (int j = k.min_col; j <= k.max_col; ++j) {
      spectrum_re[std::size_t(j) * batch + std::size_t(f)] = f < n_valid ? spectrum[j][0] : 0.0f;
      spectrum_im[std::size_t(j) * batch + std::size_t(f)] = f < n_valid ? spectrum[j][1] : 0.0f;
    }
  }

  OctaveQueue& q = queues[octave];
  const std::size_t base = q.frames.size();
  q.frames.resize(base + std::size_t(n_valid) * std::size_t(k.n_rows));
  float* __restrict re = acc_re.data();
  float* __restrict im = acc_im.data();
  for (int r = 0; r < k.n_rows; ++r) {
    std::fill_n(re, batch, 0.0f);
    std::fill_n(im, batch, 0.0f);
    for (int e = k.row_start[std::size_t(r)]; e < k.row_start[std::size_t(r) + 1]; ++e) {
      const float kr = k.value[std::size_t(e)].real(), ki = k.value[std::size_t(e)].imag();
      const float* __restrict xr = spectrum_re + std::size_t(k.col[std::size_t(e)]) * batch;
      const float* __restrict xi = spectrum_im + std::size_t(k.col[std::size_t(e)]) * batch;
      for (int f = 0; f < batch; ++f) {
        re[f] += kr * xr[f] - ki * xi[f];
        im[f] += kr * xi[f] + ki * xr[f];
      }
    }
    for (int f = 0; f < n_valid; ++f)
      q.frames[base + std::size_t(f) * std::size_t(k.n_rows) + std::size_t(r)] = {re[f], im[f]};
  }
}

void Cqt::Stream::State::compute_frames() {
  const cqt::Design& d = impl->design;
  constexpr Index batch = Cqt::Impl::batch;
  for (std::size_t i = 0; i < d.octaves.size(); ++i) {
    OctaveQueue& q = queues[i];
    for (;;) {
      Index n_valid = batch;
      if (total_frames >= 0) n_valid = std::min(batch, total_frames - q.next);
      else if (!frame_ready(d.octaves[i], q.next + batch - 1)) break;
      if (n_valid <= 0) break;
      compute_batch(i, q.next, int(n_valid));
      q.next += n_valid;
    }
  }
}

void Cqt::Stream::State::emit(Spectrogram& out) {
  const cqt::Design& d = impl->design;
  const int n_bins = impl->params.n_bins;
  out.n_bins = n_bins;
  Index available = std::numeric_limits<Index>::max();
  for (const OctaveQueue& q : queues) available = std::min(available, q.next);
  if (total_frames >= 0) available = std::min(available, total_frames);
  if (available <= emitted) return;
  const std::size_t first_new = out.data.size();
  out.data.resize(first_new + std::size_t(available - emitted) * std::size_t(n_bins));
  for (std::size_t i = 0; i < d.octaves.size(); ++i) {
    const cqt::Octave& o = d.octaves[i];
    OctaveQueue& q = queues[i];
    for (Index t = emitted; t < available; ++t) {
      const auto* src = q.frames.data() + std::size_t(t - q.first) * std::size_t(o.n_bins);
      auto* dst = out.data.data() + first_new + std::size_t(t - emitted) * std::size_t(n_bins) + std::size_t(o.first_bin);
      std::copy(src, src + o.n_bins, dst);
    }
    q.frames.erase(q.frames.begin(), q.frames.begin() + std::ptrdiff_t(available - q.first) * o.n_bins);
    q.first = available;
  }
  emitted = available;
}

// Drops samples no future frame reads (keeping one extra for end reflection).
void Cqt::Stream::State::trim() {
  const cqt::Design& d = impl->design;
  for (std::size_t l = 0; l < levels.size(); ++l) {
    Index keep_from = std::numeric_limits<Index>::max();
    for (std::size_t i = 0; i < d.octaves.size(); ++i)
      if (std::size_t(d.octaves[i].level) == l)
        keep_from = std::min(keep_from, queues[i].next * d.octaves[i].hop - d.octaves[i].n_fft / 2 - 1);
    Level& lv = levels[l];
    keep_from = std::clamp<Index>(keep_from, 0, lv.received);
    const Index dead = keep_from - lv.base;
    if (dead > 4096 && dead * 2 > Index(lv.buf.size())) {
      lv.buf.erase(lv.buf.begin(), lv.buf.begin() + std::ptrdiff_t(dead));
      lv.base = keep_from;
    }
  }
}

Cqt::Stream::Stream(std::unique_ptr<State> state) : state_(std::move(state)) {}
Cqt::Stream::~Stream() = default;
Cqt::Stream::Stream(Stream&&) noexcept = default;
Cqt::Stream& Cqt::Stream::operator=(Stream&&) noexcept = default;

Cqt::Stream Cqt::stream() const { return Stream(std::make_unique<Stream::State>(impl_.get())); }

void Cqt::Stream::push(std::span<const float> samples, Spectrogram& out) {
  State& s = *state_;
  if (s.finished) throw Error("cqt: push() after finish() on the same stream");
  out.n_bins = s.impl->params.n_bins;
  if (samples.empty()) return;
  s.n_input += Index(samples.size());
  if (s.early) {
    std::vector<float> decimated;
    s.early->push(samples, decimated);
    s.append(0, s.decimate_scaled(decimated));
  } else {
    s.append(0, samples);
  }
  s.compute_frames();
  s.emit(out);
  s.trim();
}

void Cqt::Stream::finish(Spectrogram& out) {
  State& s = *state_;
  if (s.finished) throw Error("cqt: finish() called twice on the same stream");
  out.n_bins = s.impl->params.n_bins;
  s.finished = true;
  if (s.impl->params.pad_mode == PadMode::reflect && s.n_input == 0)
    throw InvalidInput("cqt: pad_mode reflect needs at least one sample");
  s.finish_levels();
  s.total_frames = Index(cqt::frame_count(s.impl->design, std::size_t(s.n_input)));
  s.compute_frames();
  s.emit(out);
  s.levels.clear();
  s.queues.clear();
}

}  // namespace cqtcnn
