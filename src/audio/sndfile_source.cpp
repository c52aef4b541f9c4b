#include "audio/sndfile_source.hpp"

#include "cqtcnn/error.hpp"
#include "io/shared_library.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>

#include <cerrno>
#include <optional>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cqtcnn::audio {
namespace {

struct SndfileApi {
  decltype(&sf_open) open;
  decltype(&sf_open_fd) open_fd;
  decltype(&sf_open_virtual) open_virtual;
  decltype(&sf_readf_float) readf_float;
  decltype(&sf_error) error;
  decltype(&sf_strerror) strerror;
  decltype(&sf_command) command;
  decltype(&sf_close) close;
};

const SndfileApi& sf() {
  static const SndfileApi api = [] {
    const SharedLibrary lib(CQTCNN_SNDFILE_SONAME, "decoding audio");
    return SndfileApi{CQTCNN_LIBRARY_FUNCTION(lib, sf_open),
                      CQTCNN_LIBRARY_FUNCTION(lib, sf_open_fd),
                      CQTCNN_LIBRARY_FUNCTION(lib, sf_open_virtual),
                      CQTCNN_LIBRARY_FUNCTION(lib, sf_readf_float),
                      CQTCNN_LIBRARY_FUNCTION(lib, sf_error),
                      CQTCNN_LIBRARY_FUNCTION(lib, sf_strerror),
                      CQTCNN_LIBRARY_FUNCTION(lib, sf_command),
                      CQTCNN_LIBRARY_FUNCTION(lib, sf_close)};
  }();
  return api;
}

}  // namespace

void SndfileSource::Close::operator()(SNDFILE* f) const { sf().close(f); }

struct SndfileSource::Memory {
  std::vector<unsigned char> bytes;
  sf_count_t pos = 0;

  static Memory& of(void* user) { return *static_cast<Memory*>(user); }
  static sf_count_t length(void* user) { return sf_count_t(of(user).bytes.size()); }
  static sf_count_t seek(sf_count_t offset, int whence, void* user) {
    Memory& m = of(user);
    const sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m.pos : sf_count_t(m.bytes.size());
    m.pos = std::clamp<sf_count_t>(base + offset, 0, sf_count_t(m.bytes.size()));
    return m.pos;
  }
  static sf_count_t read(void* ptr, sf_count_t count, void* user) {
    Memory& m = of(user);
    const sf_count_t n = std::clamp<sf_count_t>(sf_count_t(m.bytes.size()) - m.pos, 0, std::max<sf_count_t>(count, 0));
    if (n > 0) std::memcpy(ptr, m.bytes.data() + m.pos, std::size_t(n));
    m.pos += n;
    return n;
  }
  static sf_count_t write(const void*, sf_count_t, void*) { return 0; }
  static sf_count_t tell(void* user) { return of(user).pos; }
};

namespace {

// Beyond these a header is corrupt (or hostile) rather than unusual. Below 100 Hz nothing is
// audio, and resampling from there would multiply the data by thousands.
constexpr int kMinSampleRate = 100;
constexpr int kMaxSampleRate = 10'000'000;
// A decoded sample this far outside [-1, 1] (+60 dB) is garbage, not loud audio: it would
// overflow the transforms downstream.
constexpr float kMaxAbsSample = 1000.0f;
constexpr int kMaxChannels = 1024;
// Interleaved floats decoded per libsndfile call, whatever the channel count.
constexpr std::size_t kDecodeBlockSamples = 1 << 16;

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
  throw Error(name + ": " + problem);
}

// The first bytes waiting on the pipe `fd`, left there for libsndfile to read: tee(2) copies them
// into a pipe of our own. Waits until something arrives; "" at the end of an empty input;
// nothing when `fd` is not a pipe (or the wait was interrupted).
std::optional<std::string> peek_pipe(int fd, std::size_t n) {
  int copy[2];
  if (pipe2(copy, O_CLOEXEC) != 0) return std::nullopt;
  std::optional<std::string> out;
  const ssize_t got = tee(fd, copy[1], n, 0);
  if (got >= 0) {
    out.emplace(std::size_t(got), '\0');
    if (got > 0 && read(copy[0], out->data(), std::size_t(got)) != got) out.reset();
  }
  close(copy[0]);
  close(copy[1]);
  return out;
}

// Why libsndfile could not read a pipe, from its first bytes: the formats it reads only from a
// file, or headerless samples that need describing.
std::string pipe_hint(const std::optional<std::string>& start) {
  if (start && start->starts_with("fLaC"))
    return "FLAC needs decoding first, e.g. flac -dc in.flac | ..., sox in.flac -t wav -";
  if (start && start->starts_with("caff")) return "CAF needs decoding first, e.g. sox in.caf -t wav -";
  return "if it is headerless PCM, give its format: --raw RATE:ENCODING:CHANNELS, e.g. --raw 16000:s16le:1; "
         "FLAC and CAF need decoding first";
}

// For a file libsndfile did not open: the containers and codecs it never reads, by extension
// (AAC and ALAC in MP4, WMA, ...), get the way around; others, libsndfile's own reason.
std::string unreadable(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  for (const char* other : {".m4a", ".mp4", ".aac", ".alac", ".wma", ".asf", ".ape", ".amr", ".ac3", ".webm", ".mka", ".mkv"})
    if (ext == other)
      return "libsndfile does not read " + ext + " files: convert it first, e.g. ffmpeg -i '" + path.filename().string() +
             "' out.wav";
  return std::string("not a supported audio file (libsndfile: ") + sf().strerror(nullptr) + ")";
}

std::string format_name(int format, int command) {
  SF_FORMAT_INFO info{};
  info.format = format;
  if (sf().command(nullptr, command, &info, sizeof info) != 0 || !info.name) return "unknown";
  return info.name;
}

}  // namespace

SndfileSource SndfileSource::open_file(const std::filesystem::path& path) {
  SndfileSource s;
  s.name_ = path.string();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (std::filesystem::is_directory(status)) fail(s.name_, "is a directory, not an audio file");
  // libsndfile's own message hides why a file does not open (No such file or directory,
  // Permission denied). O_NONBLOCK: a named pipe opens at once, with or without a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) fail(s.name_, std::string("cannot open: ") + std::strerror(errno));
  ::close(fd);
  if (std::filesystem::is_regular_file(status) && std::filesystem::file_size(path, ec) == 0)
    fail(s.name_, "empty (0 bytes)");
  s.file_.reset(sf().open(path.c_str(), SFM_READ, &s.info_));
  if (!s.file_) fail(s.name_, unreadable(path));
  s.validate();
  return s;
}

SndfileSource SndfileSource::open_memory(std::vector<unsigned char> bytes, std::string name) {
  SndfileSource s;
  s.name_ = std::move(name);
  s.memory_ = std::make_unique<Memory>(Memory{std::move(bytes), 0});
  SF_VIRTUAL_IO io{&Memory::length, &Memory::seek, &Memory::read, &Memory::write, &Memory::tell};
  s.file_.reset(sf().open_virtual(&io, SFM_READ, &s.info_, s.memory_.get()));
  if (!s.file_) fail(s.name_, std::string("not a supported audio file (libsndfile: ") + sf().strerror(nullptr) + ")");
  s.validate();
  return s;
}

SndfileSource SndfileSource::open_fd(int fd, std::string name, int raw_format, int raw_rate, int raw_channels) {
  SndfileSource s;
  s.name_ = std::move(name);
  if (raw_format != 0) {
    s.info_.format = raw_format;
    s.info_.samplerate = raw_rate;
    s.info_.channels = raw_channels;
  }
  struct stat st {};  // before opening: libsndfile may close the descriptor when it fails
  const bool pipe = fstat(fd, &st) == 0 && !S_ISREG(st.st_mode);
  if (!pipe && st.st_size == lseek(fd, 0, SEEK_CUR)) fail(s.name_, "empty (0 bytes)");
  const std::optional<std::string> start = pipe ? peek_pipe(fd, 4) : std::nullopt;
  if (start && start->empty()) fail(s.name_, "empty: nothing arrived");
  s.file_.reset(sf().open_fd(fd, SFM_READ, &s.info_, SF_FALSE));
  if (!s.file_) {
    const std::string why = sf().strerror(nullptr);
    if (raw_format != 0) fail(s.name_, "cannot read it as raw PCM (libsndfile: " + why + ")");
    if (!pipe) fail(s.name_, "not a supported audio file (libsndfile: " + why + ")");
    fail(s.name_, "not audio that libsndfile reads from a pipe (libsndfile: " + why + "); " + pipe_hint(start));
  }
  s.validate();
  return s;
}

void SndfileSource::validate() {
  if (info_.samplerate <= 0 || info_.samplerate > kMaxSampleRate)
    fail(name_, "invalid sample rate " + std::to_string(info_.samplerate) + " Hz in the header");
  if (info_.samplerate < kMinSampleRate)
    fail(name_, "sample rate " + std::to_string(info_.samplerate) + " Hz is below the minimum of " +
                    std::to_string(kMinSampleRate) + " Hz");
  if (info_.channels <= 0 || info_.channels > kMaxChannels)
    fail(name_, "invalid channel count " + std::to_string(info_.channels) + " in the header");
  // A pipe's length is not known before its end (AudioReader reports an empty one).
  if (info_.frames <= 0 && info_.seekable) fail(name_, "empty: contains no audio samples");
  read_header_claim();
}

// libsndfile reads past a data size that the file does not hold: it takes what is there and
// says so only in its log, as "data : 160000 (should be 19956)" (bytes; AIFF's "SSND" counts
// 8 bytes of its own besides the samples). On a pipe it cannot know: "data : 160000" alone, and
// info_.frames is the header's claim, checked against what arrives (AudioReader::truncation).
void SndfileSource::read_header_claim() {
  std::string log(1 << 14, '\0');
  sf().command(file_.get(), SFC_GET_LOG_INFO, log.data(), int(log.size()));
  std::istringstream lines(log.c_str());
  constexpr long long kOpenLength = 0x7ff00000;  // at least: a placeholder for "until the end"
  for (std::string line; std::getline(lines, line);) {
    long long claimed = 0, present = 0;
    const bool wav = std::sscanf(line.c_str(), " data : %lld", &claimed) == 1;
    if (!wav && std::sscanf(line.c_str(), " SSND : %lld", &claimed) != 1) continue;
    if (claimed <= 0 || claimed >= kOpenLength) return;
    if (!info_.seekable) {
      header_frames_ = info_.frames;
      return;
    }
    const char* should = std::strstr(line.c_str(), "(should be ");
    if (!should || std::sscanf(should, "(should be %lld)", &present) != 1 || present >= claimed) return;
    const long long own = wav ? 0 : 8;  // AIFF's SSND offset and block size
    if (present <= own) return;
    header_frames_ = std::llround(double(claimed - own) / double(present - own) * double(info_.frames));
    return;
  }
}

SndfileSource::~SndfileSource() = default;
SndfileSource::SndfileSource(SndfileSource&&) noexcept = default;
SndfileSource& SndfileSource::operator=(SndfileSource&&) noexcept = default;

std::string SndfileSource::format() const {
  return format_name(info_.format & SF_FORMAT_TYPEMASK, SFC_GET_FORMAT_INFO) + ", " +
         format_name(info_.format & SF_FORMAT_SUBMASK, SFC_GET_FORMAT_INFO);
}

std::size_t SndfileSource::read_mono(std::vector<float>& out, std::size_t max_frames) {
  const std::size_t channels = std::size_t(info_.channels);
  std::size_t want = std::min(max_frames, std::max<std::size_t>(1, kDecodeBlockSamples / channels));
  // A short file needs no block the size of a long one's (zeroed, its pages touched, for
  // nothing): a seekable file's header says how many frames are left. Past them (a last read
  // finding the end, or a header that says too few) small blocks go on until the end.
  if (info_.seekable && info_.frames > 0) {
    const std::int64_t left = info_.frames - frames_read_;
    want = std::min(want, left > 0 ? std::size_t(left) : std::size_t(4096));
  }
  const std::size_t start = out.size();
  // Mono decodes straight into `out`; several channels go through `interleaved_` and are averaged.
  float* decoded = nullptr;
  if (channels == 1) {
    out.resize(start + want);
    decoded = out.data() + start;
  } else {
    interleaved_.resize(want * channels);
    decoded = interleaved_.data();
  }
  const sf_count_t got = sf().readf_float(file_.get(), decoded, sf_count_t(want));
  if (got < 0 || sf().error(file_.get()) != SF_ERR_NO_ERROR) {
    out.resize(start);
    fail(name_, std::string("decoding failed (libsndfile: ") + sf().strerror(file_.get()) + ")");
  }
  const std::size_t n = std::size_t(got);
  out.resize(start + n);
  float* mono = out.data() + start;
  if (channels > 1)
    for (std::size_t i = 0; i < n; ++i) {
      const float* frame = interleaved_.data() + i * channels;
      float sum = 0.0f;
      for (std::size_t c = 0; c < channels; ++c) sum += frame[c];
      // numpy.mean: float32 sum, then divide; an overflowing sum is caught below as infinite
      mono[i] = sum / float(channels);
    }
  // One branch-free pass (it vectorises); only a block with a bad sample is searched again.
  std::size_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) bad += !(std::abs(mono[i]) <= kMaxAbsSample);  // NaN counts
  if (bad > 0)
    for (std::size_t i = 0; i < n; ++i) {
      const float v = mono[i];
      if (std::abs(v) <= kMaxAbsSample) continue;
      std::ostringstream msg;
      msg << "sample " << (frames_read_ + std::int64_t(i)) << " (at "
          << double(frames_read_ + std::int64_t(i)) / info_.samplerate << " s) is "
          << (std::isfinite(v) ? std::to_string(v) + ", far outside [-1, 1]" : std::string("NaN or infinite"));
      out.resize(start);
      fail(name_, msg.str());
    }
  frames_read_ += std::int64_t(n);
  return n;
}

}  // namespace cqtcnn::audio
