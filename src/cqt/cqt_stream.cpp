// Block processing. The input (after optional early decimation) is level 0; each level feeds a
// streaming libsoxr halver whose output is the next level, exactly as librosa's repeated
// resample(y, 2, 1, 'soxr_hq', scale=True) but without holding the signal. Each octave
// computes a frame as soon as its level holds every sample the frame covers; a frame is
// emitted once all octaves have it (the lower octaves lag by the resamplers' delays and their
// longer windows). Memory is bounded by those delays, not by the signal length.
#include "cqt/cqt_impl.hpp"

#include "cqtcnn/error.hpp"
#include "audio/resample.hpp"
#include "base/handoff.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

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
  std::unique_ptr<Resampler> halver;  // writes straight into the next level's buf
};

// Frames of one octave computed but not yet emitted: rows of the filter bank's stride, bin k
// as the float pair at 2k.
struct OctaveQueue {
  Index next = 0;   // next frame to compute
  Index first = 0;  // frame held at frames[0]
  std::vector<float> frames;
};

Index ceil_div(Index a, Index b) { return a >= 0 ? (a + b - 1) / b : -(-a / b); }
Index floor_div(Index a, Index b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// numpy.pad(mode="reflect") of a signal of n samples, any distance out: period 2 (n - 1).
Index reflect(Index j, Index n) {
  if (n == 1) return 0;
  const Index period = 2 * (n - 1);
  j %= period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}

// Which part of the work an Engine does. One thread: all of it. Two: the calling thread's
// feeder runs the early decimation and the halvers of levels 0 .. split - 1 and hands every new
// sample of levels 0 .. split on; the worker's rest appends them, runs the lower halvers and
// computes the frames. Each halver sees the same blocks either way, so the values are bitwise
// the same.
enum class Part { whole, feeder, rest };

}  // namespace

// One Engine, or a feeder on the calling thread and the rest on a worker, with the blocks
// between them in `inbox` (a few at most, so memory stays bounded; spent ones come back for
// their buffers) and the finished frames in `outbox`, which push() hands out: a block or two
// later than one thread would.
struct Cqt::Stream::State {
  struct Engine;
  struct Blocks {
    std::vector<std::vector<float>> levels;  // new samples of levels 0 .. split
    Index n_input = 0;
    bool last = false;
  };

  std::unique_ptr<Engine> engine;  // one thread: everything; two: the worker's part
  std::unique_ptr<Engine> feeder;  // two threads only
  bool finished = false;
  int n_bins = 0;
  std::size_t handed = 0;  // blocks handed to the worker

  Handoff<Blocks> inbox{2};
  std::mutex mutex;  // guards done, error and outbox
  std::condition_variable worked;
  std::size_t done = 0;  // blocks the worker has finished
  std::exception_ptr error;
  Spectrogram outbox;
  std::thread worker;

  State(const Cqt::Impl* impl, int threads);
  ~State();
  void work();
  void hand_over(Blocks h);
  void wait_idle(std::unique_lock<std::mutex>& lock);
  void collect(Spectrogram& out);  // outbox into out, under the lock
};

struct Cqt::Stream::State::Engine {
  const Cqt::Impl* impl;
  std::unique_ptr<Resampler> early;
  // librosa resample(scale=True) divides by np.sqrt(target / orig) as a float32 scalar;
  // with scale=False the early-decimated signal is also multiplied by sqrt(2^k).
  float early_divisor = 1.0f;
  float early_gain = 1.0f;
  float halve_divisor = float(std::sqrt(0.5));
  Index n_input = 0;
  std::vector<Level> levels;
  std::vector<OctaveQueue> queues;  // none in a feeder
  Index emitted = 0;
  Index total_frames = -1;  // known at finish
  std::vector<float> segment;  // padded samples of the frames that reach past the signal

  Engine(const Cqt::Impl* engine, Part part, std::size_t split);

  void push(std::span<const float> samples);              // whole, feeder
  void take_new(std::vector<std::vector<float>>& blocks);  // feeder: each level's new samples
  void push_fed(const std::vector<std::vector<float>>& blocks);  // rest
  void finish(Spectrogram* out);  // out: null for a feeder, which computes no frames

  void append(std::size_t level, std::span<const float> samples);
  void arrived(std::size_t level, std::size_t from);
  void decimated(std::size_t from) {
    std::vector<float>& v = levels[0].buf;
    for (std::size_t i = from; i < v.size(); ++i) v[i] /= early_divisor;
    if (early_gain != 1.0f)
      for (std::size_t i = from; i < v.size(); ++i) v[i] *= early_gain;
    arrived(0, from);
  }
  void halved(std::size_t level, std::size_t from) {
    std::vector<float>& v = levels[level].buf;
    for (std::size_t i = from; i < v.size(); ++i) v[i] /= halve_divisor;
    arrived(level, from);
  }
  void finish_levels();
  void compute_frames();
  bool frame_ready(const cqt::Octave& o, Index t) const;
  Index ready_limit(const cqt::Octave& o, Index next) const;
  Index ready_end(const cqt::Octave& o, Index next) const;
  void compute_range(std::size_t octave, Index first, Index end);
  void compute_padded(std::size_t octave, Index first, Index end);
  void fill_segment(const cqt::Octave& o, Index start, Index n_samples, float* dst) const;
  void emit(Spectrogram& out);
  void trim();
};

Cqt::Stream::State::Engine::Engine(const Cqt::Impl* engine, Part part, std::size_t split) : impl(engine) {
  const cqt::Design& d = impl->design;
  if (d.early_count > 0 && part != Part::rest) {
    const double factor = double(1 << d.early_count);
    early = std::make_unique<Resampler>(factor, 1.0);
    early_divisor = float(std::sqrt(1.0 / factor));
    if (!impl->params.scale) early_gain = float(std::sqrt(factor));
  }
  levels.resize(part == Part::feeder ? split + 1 : std::size_t(d.n_levels));
  const std::size_t first_halver = part == Part::rest ? split : 0;
  for (std::size_t l = first_halver; l + 1 < levels.size(); ++l)
    levels[l].halver = std::make_unique<Resampler>(2.0, 1.0);
  if (part != Part::feeder) queues.resize(d.octaves.size());
}

void Cqt::Stream::State::Engine::push(std::span<const float> samples) {
  n_input += Index(samples.size());
  if (early) {
    const std::size_t at = levels[0].buf.size();
    early->push(samples, levels[0].buf);
    decimated(at);
  } else {
    append(0, samples);
  }
}

// A feeder keeps no samples: its halvers hold their own history.
void Cqt::Stream::State::Engine::take_new(std::vector<std::vector<float>>& blocks) {
  blocks.resize(levels.size());
  for (std::size_t l = 0; l < levels.size(); ++l) {
    blocks[l].swap(levels[l].buf);
    levels[l].buf.clear();
    levels[l].base = levels[l].received;
  }
}

void Cqt::Stream::State::Engine::push_fed(const std::vector<std::vector<float>>& blocks) {
  for (std::size_t l = 0; l < blocks.size(); ++l)
    if (!blocks[l].empty()) append(l, blocks[l]);
}

void Cqt::Stream::State::Engine::finish(Spectrogram* out) {
  finish_levels();
  if (!out) return;
  total_frames = Index(cqt::frame_count(impl->design, std::size_t(n_input)));
  compute_frames();
  emit(*out);
  levels.clear();
  queues.clear();
}

void Cqt::Stream::State::Engine::append(std::size_t level, std::span<const float> samples) {
  std::vector<float>& buf = levels[level].buf;
  const std::size_t from = buf.size();
  buf.insert(buf.end(), samples.begin(), samples.end());
  arrived(level, from);
}

// buf[from ..] of a level just arrived: cut to librosa's length and handed to the halver, whose
// output lands at the end of the next level's buf.
void Cqt::Stream::State::Engine::arrived(std::size_t level, std::size_t from) {
  Level& lv = levels[level];
  const Index room = std::max<Index>(0, lv.limit - lv.received);
  const std::size_t n = std::size_t(std::min<Index>(room, Index(lv.buf.size() - from)));
  lv.buf.resize(from + n);
  if (n == 0) return;
  lv.received += Index(n);
  if (!lv.halver) return;
  std::vector<float>& next = levels[level + 1].buf;
  const std::size_t at = next.size();
  lv.halver->push(std::span<const float>(lv.buf).subspan(from, n), next);
  halved(level + 1, at);
}

// librosa resamples whole signals and fixes each length to ceil(len * target / orig):
// flush each resampler in order, trimming or zero-padding to that length.
void Cqt::Stream::State::Engine::finish_levels() {
  const std::vector<std::size_t> lengths = cqt::level_lengths(impl->design, std::size_t(n_input));
  for (std::size_t l = 0; l < levels.size(); ++l) levels[l].limit = Index(lengths[l]);
  if (early) {
    const std::size_t at = levels[0].buf.size();
    early->flush(levels[0].buf);
    decimated(at);
  }
  for (std::size_t l = 0; l < levels.size(); ++l) {
    Level& lv = levels[l];
    if (lv.received < lv.limit) append(l, std::vector<float>(std::size_t(lv.limit - lv.received), 0.0f));
    lv.final = true;
    if (lv.halver) {
      const std::size_t at = levels[l + 1].buf.size();
      lv.halver->flush(levels[l + 1].buf);
      halved(l + 1, at);
    }
  }
}

bool Cqt::Stream::State::Engine::frame_ready(const cqt::Octave& o, Index t) const {
  const Level& lv = levels[std::size_t(o.level)];
  const Index start = t * o.hop - o.n_fft / 2;
  if (lv.final) return true;  // the caller bounds t by the frame count
  if (start + o.n_fft > lv.received) return false;
  // reflect padding at the start mirrors y[1 .. -start]
  return impl->params.pad_mode != PadMode::reflect || start >= 0 || -start < lv.received;
}

// One past the last frame whose samples have all arrived (at least `next`).
Index Cqt::Stream::State::Engine::ready_limit(const cqt::Octave& o, Index next) const {
  const Index received = levels[std::size_t(o.level)].received;
  Index last = floor_div(received - o.n_fft + o.n_fft / 2, o.hop);
  while (last >= next && !frame_ready(o, last)) --last;
  return std::max(last + 1, next);
}

// Frames next .. end - 1 are to be computed: every sample they cover has arrived (until finish).
Index Cqt::Stream::State::Engine::ready_end(const cqt::Octave& o, Index next) const {
  if (total_frames >= 0) return total_frames;
  // whole tiles only until the end is known (see cqt::tile_frames)
  const Index tile = Index(cqt::tile_frames());
  return next + (ready_limit(o, next) - next) / tile * tile;
}

// Samples start .. start + n_samples - 1 of the octave's level: outside the signal padded with
// zeros or numpy's reflection.
void Cqt::Stream::State::Engine::fill_segment(const cqt::Octave& o, Index start, Index n_samples, float* dst) const {
  const Level& lv = levels[std::size_t(o.level)];
  const Index n = lv.final ? lv.received : std::numeric_limits<Index>::max();
  const bool reflect_pad = impl->params.pad_mode == PadMode::reflect;
  for (Index m = 0; m < n_samples; ++m) {
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

// Frames first .. end - 1, centred on samples t * hop: those inside the signal straight from
// the level's buffer (frame t + 1 starts hop samples after frame t), those reaching past either
// end from a padded copy. Both give bitwise the same values (see apply_filter_bank).
void Cqt::Stream::State::Engine::compute_range(std::size_t octave, Index first, Index end) {
  const cqt::Octave& o = impl->design.octaves[octave];
  const Level& lv = levels[std::size_t(o.level)];
  const Index inner_first = std::clamp(ceil_div(o.n_fft / 2, o.hop), first, end);
  const Index inner_end = std::clamp(floor_div(lv.received - o.n_fft + o.n_fft / 2, o.hop) + 1, inner_first, end);
  compute_padded(octave, first, inner_first);
  if (inner_first < inner_end) {
    const cqt::FilterBank& bank = impl->filters[octave];
    OctaveQueue& q = queues[octave];
    const std::size_t at = q.frames.size();
    q.frames.resize(at + std::size_t(inner_end - inner_first) * std::size_t(bank.stride));
    const float* x = lv.buf.data() + (inner_first * o.hop - o.n_fft / 2 - lv.base);
    cqt::apply_filter_bank(bank, x, o.hop, std::size_t(inner_end - inner_first), q.frames.data() + at);
  }
  compute_padded(octave, inner_end, end);
}

void Cqt::Stream::State::Engine::compute_padded(std::size_t octave, Index first, Index end) {
  if (first >= end) return;
  const cqt::Octave& o = impl->design.octaves[octave];
  const cqt::FilterBank& bank = impl->filters[octave];
  const Index n_samples = (end - 1 - first) * o.hop + o.n_fft;
  segment.resize(std::size_t(n_samples));
  fill_segment(o, first * o.hop - o.n_fft / 2, n_samples, segment.data());
  OctaveQueue& q = queues[octave];
  const std::size_t at = q.frames.size();
  q.frames.resize(at + std::size_t(end - first) * std::size_t(bank.stride));
  cqt::apply_filter_bank(bank, segment.data(), o.hop, std::size_t(end - first), q.frames.data() + at);
}

void Cqt::Stream::State::Engine::compute_frames() {
  const cqt::Design& d = impl->design;
  for (std::size_t i = 0; i < d.octaves.size(); ++i) {
    OctaveQueue& q = queues[i];
    const Index end = ready_end(d.octaves[i], q.next);
    if (end <= q.next) continue;
    compute_range(i, q.next, end);
    q.next = end;
  }
}

void Cqt::Stream::State::Engine::emit(Spectrogram& out) {
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
    const std::size_t stride = std::size_t(impl->filters[i].stride);
    OctaveQueue& q = queues[i];
    for (Index t = emitted; t < available; ++t) {
      const float* src = q.frames.data() + std::size_t(t - q.first) * stride;
      auto* dst = out.data.data() + first_new + std::size_t(t - emitted) * std::size_t(n_bins) + std::size_t(o.first_bin);
      std::memcpy(static_cast<void*>(dst), src, std::size_t(o.n_bins) * sizeof(std::complex<float>));
    }
    // drop the emitted frames only once they are half the queue: one move per doubling, not per push
    const std::size_t consumed = std::size_t(available - q.first) * stride;
    if (2 * consumed >= q.frames.size()) {
      q.frames.erase(q.frames.begin(), q.frames.begin() + std::ptrdiff_t(consumed));
      q.first = available;
    }
  }
  emitted = available;
}

// Drops samples no future frame reads (keeping one extra for end reflection).
void Cqt::Stream::State::Engine::trim() {
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

Cqt::Stream::State::State(const Cqt::Impl* impl, int threads) : n_bins(impl->params.n_bins) {
  const std::size_t n_levels = std::size_t(impl->design.n_levels);
  if (threads <= 1) {
    engine = std::make_unique<Engine>(impl, Part::whole, 0);
    return;
  }
  // Level 0's halver costs as much as all the others together: it goes with the reading.
  const std::size_t split = std::min<std::size_t>(1, n_levels - 1);
  feeder = std::make_unique<Engine>(impl, Part::feeder, split);
  engine = std::make_unique<Engine>(impl, Part::rest, split);
  worker = std::thread([this] { work(); });
}

// A stream dropped unfinished: the worker finishes the blocks it has (two at most) and ends.
Cqt::Stream::State::~State() {
  if (!worker.joinable()) return;
  inbox.close();
  worker.join();
}

void Cqt::Stream::State::work() {
  Spectrogram frames;
  frames.n_bins = n_bins;
  while (std::optional<Blocks> h = inbox.take()) {
    try {
      engine->push_fed(h->levels);
      if (h->last) {
        engine->n_input = h->n_input;
        engine->finish(&frames);
      } else {
        engine->compute_frames();
        engine->emit(frames);
        engine->trim();
      }
    } catch (...) {
      const std::exception_ptr e = std::current_exception();
      {
        std::lock_guard lock(mutex);
        error = e;
      }
      worked.notify_all();
      inbox.fail(e);  // the next hand-over throws it
      return;
    }
    {
      std::lock_guard lock(mutex);
      outbox.data.insert(outbox.data.end(), frames.data.begin(), frames.data.end());
      ++done;
    }
    worked.notify_all();
    frames.data.clear();
    if (h->last) return;
    inbox.give_back(std::move(*h));
  }
}

void Cqt::Stream::State::hand_over(Blocks h) {
  ++handed;
  inbox.put(std::move(h));
}

void Cqt::Stream::State::wait_idle(std::unique_lock<std::mutex>& lock) {
  worked.wait(lock, [&] { return error || done == handed; });
  if (error) std::rethrow_exception(error);
}

void Cqt::Stream::State::collect(Spectrogram& out) {
  out.data.insert(out.data.end(), outbox.data.begin(), outbox.data.end());
  outbox.data.clear();
}

Cqt::Stream::Stream(std::unique_ptr<State> state) : state_(std::move(state)) {}
Cqt::Stream::~Stream() = default;
Cqt::Stream::Stream(Stream&&) noexcept = default;
Cqt::Stream& Cqt::Stream::operator=(Stream&&) noexcept = default;

Cqt::Stream Cqt::stream(int threads) const { return Stream(std::make_unique<Stream::State>(impl_.get(), threads)); }

void Cqt::Stream::push(std::span<const float> samples, Spectrogram& out) {
  State& s = *state_;
  if (s.finished) throw Error("cqt: push() after finish() on the same stream");
  out.n_bins = s.n_bins;
  if (!s.feeder) {
    if (samples.empty()) return;
    s.engine->push(samples);
    s.engine->compute_frames();
    s.engine->emit(out);
    s.engine->trim();
    return;
  }
  if (!samples.empty()) {
    s.feeder->push(samples);
    State::Blocks h = s.inbox.reused();
    s.feeder->take_new(h.levels);
    s.hand_over(std::move(h));
  }
  std::lock_guard lock(s.mutex);
  if (s.error) std::rethrow_exception(s.error);
  s.collect(out);
}

bool Cqt::Stream::complete(std::size_t n_frames, Spectrogram& out) {
  State& s = *state_;
  out.n_bins = s.n_bins;
  if (s.feeder) {  // the worker's frames first, then the worker's part here while it waits
    std::unique_lock lock(s.mutex);
    s.wait_idle(lock);
    s.collect(out);
  }
  State::Engine& e = *s.engine;
  const Index want = Index(n_frames);
  if (e.emitted >= want) return true;
  if (s.finished) return false;  // finish() emitted every frame there is
  const std::vector<cqt::Octave>& octaves = e.impl->design.octaves;
  for (std::size_t i = 0; i < octaves.size(); ++i)
    if (e.ready_limit(octaves[i], e.queues[i].next) < want) return false;
  for (std::size_t i = 0; i < octaves.size(); ++i) {
    OctaveQueue& q = e.queues[i];
    if (q.next >= want) continue;
    e.compute_range(i, q.next, want);
    q.next = want;
  }
  e.emit(out);
  e.trim();
  return true;
}

void Cqt::Stream::finish(Spectrogram& out) {
  State& s = *state_;
  if (s.finished) throw Error("cqt: finish() called twice on the same stream");
  out.n_bins = s.n_bins;
  s.finished = true;
  State::Engine& first = s.feeder ? *s.feeder : *s.engine;
  if (first.impl->params.pad_mode == PadMode::reflect && first.n_input == 0)
    throw InvalidInput("cqt: pad_mode reflect needs at least one sample");
  if (!s.feeder) return s.engine->finish(&out);
  s.feeder->finish(nullptr);
  State::Blocks h = s.inbox.reused();
  s.feeder->take_new(h.levels);
  h.n_input = s.feeder->n_input;
  h.last = true;
  s.hand_over(std::move(h));
  s.worker.join();
  std::lock_guard lock(s.mutex);
  if (s.error) std::rethrow_exception(s.error);
  s.collect(out);
}

}  // namespace cqtcnn
