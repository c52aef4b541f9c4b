#include "cqtcnn/frontend.hpp"

#include "cqtcnn/audio.hpp"
#include "cqtcnn/error.hpp"
#include "cqtcnn/decibels.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <optional>
#include <span>

namespace cqtcnn {
namespace {

// The level of the samples in hops of cqt.hop_length: hop b covers samples [b h, (b + 1) h), as
// frame b's share of a window [s h, (s + W) h). Each hop's mean is removed (a DC offset is not
// sound the CQT sees), and its mean square kept until no window needs it.
class HopLevels {
 public:
  explicit HopLevels(int hop) : hop_(std::size_t(hop)) {}

  void add(std::span<const float> samples) {
    for (float x : samples) {
      sum_ += x;
      sum_squares_ += double(x) * x;
      if (++count_ == hop_) close_hop();
    }
  }

  // The RMS of the loudest of hops [first, first + n), in dB re full scale; the hop still being
  // filled counts with the samples it has (the end of a recording, or a window handed over
  // before its last hop is complete).
  double loudest_dbfs(std::size_t first, std::size_t n) const {
    double loudest = 0.0;
    for (std::size_t b = std::max(first, first_hop_); b < first + n && b < first_hop_ + closed_.size(); ++b)
      loudest = std::max(loudest, closed_[b - first_hop_]);
    const std::size_t open = first_hop_ + closed_.size();
    if (count_ > 0 && open >= first && open < first + n) loudest = std::max(loudest, mean_square());
    return 10.0 * std::log10(loudest);  // -inf for digital silence
  }

  // Forgets the hops before `first`.
  void drop_before(std::size_t first) {
    while (first_hop_ < first && !closed_.empty()) {
      closed_.pop_front();
      ++first_hop_;
    }
  }

 private:
  double mean_square() const {
    const double mean = sum_ / double(count_);
    return std::max(0.0, sum_squares_ / double(count_) - mean * mean);
  }
  void close_hop() {
    closed_.push_back(mean_square());
    sum_ = sum_squares_ = 0.0;
    count_ = 0;
  }

  std::size_t hop_;
  std::deque<double> closed_;  // mean squares of hops first_hop_, first_hop_ + 1, ...
  std::size_t first_hop_ = 0;
  double sum_ = 0.0, sum_squares_ = 0.0;
  std::size_t count_ = 0;
};

// Cuts a stream of CQT frames into the network's windows. With values "db", frames are kept as
// magnitudes and each window becomes dB relative to its own maximum, clipped at top_db below it
// (librosa's amplitude_to_db(|C|, ref=np.max, amin, top_db), decibels.hpp); with "pcen", each
// frame becomes PCEN as it arrives (its smoothers run over the whole recording, pcen.hpp). The
// window then optionally has each bin's mean over its audio frames subtracted, and is normalised.
// Only the frames the next window needs are kept.
class WindowAssembler {
 public:
  WindowAssembler(const FrontendConfig& config, int hop_frames,
                  const std::function<void(const FeatureWindow&)>& on_window)
      : config_(config),
        hop_(hop_frames > 0 ? std::size_t(hop_frames) : std::size_t(config.window_hop_frames)),
        width_(std::size_t(config.window_frames)),
        on_window_(on_window) {
    if (config.values == FrontendValues::pcen)
      pcen_.emplace(config.cqt.n_bins, config.pcen, config.sample_rate / config.cqt.hop_length);
  }

  // The samples the frames come from, before the frames: they give each window's level.
  void add_samples(std::span<const float> samples) { levels_.add(samples); }

  void add(const Spectrogram& frames) {
    const auto n_bins = std::size_t(config_.cqt.n_bins);
    for (std::size_t t = 0; t < frames.n_frames(); ++t) {
      std::vector<float> values = magnitude(std::span(&frames.at(t, 0), n_bins));
      if (pcen_) pcen_->apply(values);
      kept_.push_back(std::move(values));
      ++frames_seen_;
      while (next_start_ + width_ <= frames_seen_) emit();
    }
  }

  // Frames the next window ends at: once they exist, it is emitted.
  std::size_t next_end() const { return next_start_ + width_; }
  std::size_t frames_seen() const { return frames_seen_; }

  // Ends the recording: emits the last, padded window (or the only one of a short file).
  void finish(double duration_s) {
    duration_s_ = duration_s;
    const bool uncovered = next_start_ < frames_seen_ && next_start_ + width_ - hop_ < frames_seen_;
    if (emitted_ == 0 || uncovered) emit();
  }

 private:
  void emit() {
    const std::size_t first_kept = frames_seen_ - kept_.size();
    const std::size_t offset = next_start_ - first_kept;
    const std::size_t available = std::min(width_, kept_.size() - std::min(offset, kept_.size()));
    const auto n_bins = std::size_t(config_.cqt.n_bins);
    std::vector<float> values(n_bins * available);  // [bin][frame], the window's audio frames
    for (std::size_t k = 0; k < n_bins; ++k)
      for (std::size_t t = 0; t < available; ++t) values[k * available + t] = kept_[offset + t][k];
    if (!pcen_) amplitude_to_db(values, {.ref = {}, .amin = config_.amin, .top_db = config_.top_db});

    FeatureWindow w;
    w.index = emitted_;
    w.start_frame = next_start_;
    w.audio_frames = available;
    const double seconds_per_frame = config_.frame_seconds();
    w.start_s = double(next_start_) * seconds_per_frame;
    w.end_s = double(next_start_ + width_) * seconds_per_frame;
    if (duration_s_ >= 0) w.end_s = std::min(w.end_s, duration_s_);
    w.level_dbfs = levels_.loudest_dbfs(next_start_, width_);
    w.silent = w.level_dbfs < config_.silence_floor_dbfs;
    w.values.resize(n_bins * width_);
    const float mean = static_cast<float>(config_.norm_mean);
    const float inv_std = static_cast<float>(1.0 / config_.norm_std);
    // Padding frames are silence (-top_db dB, PCEN 0) and have the bin's mean subtracted like audio frames,
    // but do not count in it: a short recording's mean is that of its own frames.
    const float pad = config_.pad_value();
    for (std::size_t k = 0; k < n_bins; ++k) {
      const float* value_row = values.data() + k * available;
      float* row = &w.values[k * width_];
      float bin_mean = 0.0f;
      if (config_.subtract_bin_mean && available > 0) {
        double sum = 0.0;
        for (std::size_t t = 0; t < available; ++t) sum += value_row[t];
        bin_mean = static_cast<float>(sum / double(available));
      }
      for (std::size_t t = 0; t < available; ++t) row[t] = (value_row[t] - bin_mean - mean) * inv_std;
      for (std::size_t t = available; t < width_; ++t) row[t] = pad - bin_mean * inv_std;
    }
    on_window_(w);
    ++emitted_;
    next_start_ += hop_;
    while (!kept_.empty() && frames_seen_ - kept_.size() < next_start_) kept_.pop_front();
    levels_.drop_before(next_start_);
  }

  const FrontendConfig& config_;
  std::size_t hop_;
  std::size_t width_;
  const std::function<void(const FeatureWindow&)>& on_window_;
  std::optional<Pcen> pcen_;  // values "pcen": its smoothers, carried across windows
  HopLevels levels_{config_.cqt.hop_length};
  std::deque<std::vector<float>> kept_;
  std::size_t frames_seen_ = 0;
  std::size_t next_start_ = 0;
  std::size_t emitted_ = 0;
  double duration_s_ = -1.0;
};

}  // namespace

struct Frontend::Impl {
  FrontendConfig config;
  Cqt cqt;
  explicit Impl(FrontendConfig c) : config(std::move(c)), cqt(config.cqt) {}
};

Frontend::Frontend(FrontendConfig config) {
  config.cqt.sr = config.sample_rate;
  impl_ = std::make_unique<Impl>(std::move(config));
}
Frontend::~Frontend() = default;
Frontend::Frontend(Frontend&&) noexcept = default;
Frontend& Frontend::operator=(Frontend&&) noexcept = default;

const FrontendConfig& Frontend::config() const { return impl_->config; }

void Frontend::process_file(const std::filesystem::path& path,
                            const std::function<void(const FeatureWindow&)>& on_window,
                            int hop_frames) const {
  AudioReader reader(path, impl_->config.sample_rate);
  StreamOptions options;
  options.hop_frames = hop_frames;
  process(reader, on_window, options);
}

double Frontend::process(AudioReader& reader, const std::function<void(const FeatureWindow&)>& on_window,
                         const StreamOptions& options) const {
  const FrontendConfig& config = impl_->config;
  if (reader.sample_rate() != config.sample_rate)
    throw InvalidInput(reader.name() + ": read at " + std::to_string(reader.sample_rate()) +
                       " Hz, the front end needs " + std::to_string(config.sample_rate) + " Hz");
  std::size_t block_samples = 65536;
  if (options.live) {  // 10 ms blocks: a live pipe's read waits for no more than that
    reader.set_decode_frames(std::size_t(std::max(1.0, reader.file_rate() / 100)));
    block_samples = std::size_t(std::max(1.0, config.sample_rate / 100));
  }
  WindowAssembler windows(config, options.hop_frames, on_window);
  Cqt::Stream stream = impl_->cqt.stream(options.threads);
  Spectrogram frames;
  std::vector<float> block;
  std::size_t total = 0;
  while (std::size_t n = reader.read(block, block_samples)) {
    total += n;
    windows.add_samples(std::span(block.data(), n));
    frames.data.clear();
    stream.push(block, frames);
    if (options.live && windows.frames_seen() + frames.n_frames() < windows.next_end())
      stream.complete(windows.next_end(), frames);
    windows.add(frames);
    if (options.stop && options.stop()) return double(total) / config.sample_rate;
  }
  if (total == 0) throw Error(reader.name() + ": no audio samples");
  frames.data.clear();
  stream.finish(frames);
  windows.add(frames);
  const double duration = double(total) / config.sample_rate;
  windows.finish(duration);
  return duration;
}

void Frontend::process_samples(const std::vector<float>& samples,
                               const std::function<void(const FeatureWindow&)>& on_window,
                               int hop_frames) const {
  if (samples.empty()) throw Error("no audio samples");
  WindowAssembler windows(impl_->config, hop_frames, on_window);
  Cqt::Stream stream = impl_->cqt.stream();
  Spectrogram frames;
  windows.add_samples(samples);
  stream.push(samples, frames);
  stream.finish(frames);
  windows.add(frames);
  windows.finish(double(samples.size()) / impl_->config.sample_rate);
}

}  // namespace cqtcnn
