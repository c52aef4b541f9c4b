// AudioReader: libsndfile decoding + streaming libsoxr resampling, with the output length
// fixed at the end to ceil(n * out / in) samples exactly as librosa.resample does.
#include "cqtcnn/audio.hpp"

#include "audio/sndfile_source.hpp"
#include "cqtcnn/error.hpp"
#include "audio/resample.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cqtcnn {

namespace {
constexpr std::size_t kDecodeFrames = 16384;

std::int64_t resampled_length(std::int64_t n, double in_rate, double out_rate) {
  return static_cast<std::int64_t>(std::ceil(double(n) * out_rate / in_rate));
}
}  // namespace

struct AudioReader::Impl {
  audio::SndfileSource source;
  double out_rate;
  std::size_t decode_frames = kDecodeFrames;
  std::optional<Resampler> resampler;  // empty when no conversion is needed
  std::vector<float> pending;          // decoded (and resampled) samples not yet returned
  std::size_t pending_pos = 0;
  std::int64_t produced = 0;           // samples appended to `pending` so far
  bool finished = false;
  std::vector<float> block;

  Impl(audio::SndfileSource s, std::optional<double> target)
      : source(std::move(s)), out_rate(target.value_or(source.info().samplerate)) {
    if (!(out_rate > 0) || !std::isfinite(out_rate))
      throw InvalidInput("--sr: target sample rate must be positive, got " + std::to_string(out_rate));
    if (out_rate != double(source.info().samplerate)) resampler.emplace(source.info().samplerate, out_rate);
    // Upsampling multiplies each decoded block: decode less at a time so that what one block
    // becomes stays about kDecodeFrames samples.
    const double expansion = std::max(1.0, out_rate / source.info().samplerate);
    decode_frames = std::max<std::size_t>(64, std::size_t(double(kDecodeFrames) / expansion));
  }

  std::size_t available() const { return pending.size() - pending_pos; }

  // Decodes one block into `pending`; at the end of the file flushes the resampler and trims
  // or pads to the exact resampled length.
  void fill() {
    if (!resampler) {  // decode straight into `pending`
      if (pending_pos > 0 && pending_pos == pending.size()) pending.clear(), pending_pos = 0;
      const std::size_t got = source.read_mono(pending, decode_frames);
      produced += std::int64_t(got);
      if (got > 0) return;
    } else {
      block.clear();
      if (source.read_mono(block, decode_frames) > 0) {
        append(block);
        return;
      }
    }
    finished = true;
    if (source.frames_read() == 0) throw Error(source.name() + ": empty: contains no audio samples");
    if (!resampler) return;
    block.clear();
    resampler->flush(block);
    pending.insert(pending.end(), block.begin(), block.end());
    produced += std::int64_t(block.size());
    const std::int64_t want = resampled_length(source.frames_read(), source.info().samplerate, out_rate);
    if (produced < want) {
      pending.resize(pending.size() + std::size_t(want - produced), 0.0f);
    } else {
      const std::size_t excess = std::min<std::size_t>(std::size_t(produced - want), available());
      pending.resize(pending.size() - excess);
    }
    produced = want;
  }

  void append(const std::vector<float>& samples) {
    if (pending_pos > 0 && pending_pos == pending.size()) pending.clear(), pending_pos = 0;
    const std::size_t before = pending.size();
    resampler->push(samples, pending);
    produced += std::int64_t(pending.size() - before);
  }
};

AudioReader::AudioReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AudioReader::AudioReader(const std::filesystem::path& path, std::optional<double> target_rate)
    : impl_(std::make_unique<Impl>(audio::SndfileSource::open_file(path), target_rate)) {}

AudioReader AudioReader::from_memory(std::span<const unsigned char> bytes, std::string name,
                                     std::optional<double> target_rate) {
  auto source = audio::SndfileSource::open_memory({bytes.begin(), bytes.end()}, std::move(name));
  return AudioReader(std::make_unique<Impl>(std::move(source), target_rate));
}

AudioReader AudioReader::from_fd(int fd, std::string name, const std::optional<RawFormat>& raw,
                                 std::optional<double> target_rate) {
  auto source = raw ? audio::SndfileSource::open_fd(fd, std::move(name), raw->sndfile_format(), raw->sample_rate,
                                                    raw->channels)
                    : audio::SndfileSource::open_fd(fd, std::move(name));
  return AudioReader(std::make_unique<Impl>(std::move(source), target_rate));
}

AudioReader::~AudioReader() = default;
AudioReader::AudioReader(AudioReader&&) noexcept = default;
AudioReader& AudioReader::operator=(AudioReader&&) noexcept = default;

const std::string& AudioReader::name() const { return impl_->source.name(); }
double AudioReader::file_rate() const { return impl_->source.info().samplerate; }
double AudioReader::sample_rate() const { return impl_->out_rate; }
int AudioReader::channels() const { return impl_->source.info().channels; }
std::int64_t AudioReader::file_frames() const { return impl_->source.info().frames; }
std::int64_t AudioReader::frames() const {
  return impl_->resampler ? resampled_length(file_frames(), file_rate(), sample_rate()) : file_frames();
}
std::string AudioReader::format() const { return impl_->source.format(); }

std::string AudioReader::truncation() const {
  const audio::SndfileSource& source = impl_->source;
  const std::optional<std::int64_t> claimed = source.header_frames();
  // A pipe holds what has arrived, and says nothing before its end.
  const bool known = source.info().seekable || impl_->finished;
  const std::int64_t present = source.info().seekable ? source.info().frames : source.frames_read();
  if (!claimed || !known || present >= *claimed) return "";
  const auto seconds = [&](std::int64_t frames) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f s", double(frames) / file_rate());
    return std::string(text);
  };
  return name() + ": truncated: the audio ends at " + seconds(present) + ", but its header says " + seconds(*claimed);
}

std::size_t AudioReader::read(std::vector<float>& out, std::size_t max_samples) {
  Impl& m = *impl_;
  out.clear();
  while (m.available() < max_samples && !m.finished) m.fill();
  const std::size_t n = std::min(max_samples, m.available());
  const auto first = m.pending.begin() + std::ptrdiff_t(m.pending_pos);
  out.assign(first, first + std::ptrdiff_t(n));
  m.pending_pos += n;
  // Keep memory constant: drop what has been returned once it dominates the buffer.
  if (m.pending_pos > m.pending.size() / 2) {
    m.pending.erase(m.pending.begin(), m.pending.begin() + std::ptrdiff_t(m.pending_pos));
    m.pending_pos = 0;
  }
  return n;
}

void AudioReader::set_decode_frames(std::size_t frames) { impl_->decode_frames = std::max<std::size_t>(1, frames); }

Audio load_audio(AudioReader& reader) {
  Audio a;
  a.sample_rate = reader.sample_rate();
  // The header's frame count is only a claim: reserve at most the in-memory limit, and stop
  // there however much the file really holds.
  a.samples.reserve(std::size_t(std::clamp<std::int64_t>(reader.frames(), 0, kMaxInMemorySamples)));
  std::vector<float> block;
  while (reader.read(block, 1 << 18) > 0) {
    if (std::int64_t(a.samples.size() + block.size()) > kMaxInMemorySamples)
      throw Error(reader.name() + ": longer than " + std::to_string(kMaxInMemorySamples) +
                  " samples, too long to hold in memory (stream it with AudioReader)");
    a.samples.insert(a.samples.end(), block.begin(), block.end());
  }
  return a;
}

Audio load_audio(const std::filesystem::path& path, std::optional<double> target_rate) {
  AudioReader reader(path, target_rate);
  return load_audio(reader);
}

}  // namespace cqtcnn
