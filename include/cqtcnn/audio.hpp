// Audio input: every format libsndfile reads (WAV PCM 8/16/24/32 and float 32/64, FLAC,
// OGG/Vorbis, Opus, MP3, AIFF, ...), averaged to mono and optionally resampled with libsoxr HQ,
// which is what librosa.load(path, sr=..., mono=True) does (soundfile + numpy mean + soxr_hq).
//
// Usage:
//   cqtcnn::AudioReader in("long.flac", 22050.0);   // streaming, constant memory
//   std::vector<float> block;
//   while (in.read(block) > 0) consume(block);
//   cqtcnn::Audio a = cqtcnn::load_audio("clip.wav");  // or the whole file at once
//   auto live = cqtcnn::AudioReader::from_fd(0, "stdin", cqtcnn::RawFormat::parse("16000:s16le:1"));
//
// Errors are cqtcnn::Error with a one-line message naming the file and the cause; samples that
// are NaN or infinite are refused, never passed on.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cqtcnn {

struct Audio {
  std::vector<float> samples;  // mono, float32, nominally in [-1, 1]
  double sample_rate = 0.0;
};

// Headerless PCM (`--raw RATE:ENCODING:CHANNELS`, e.g. "16000:s16le:1"): what a header would
// tell libsndfile. Encodings: u8, s8, s16le, s16be, s24le, s24be, s32le, s32be, f32le, f32be,
// f64le, f64be, ulaw, alaw (any case, '_' ignored, so arecord's S16_LE is s16le).
struct RawFormat {
  int sample_rate = 0;
  std::string encoding;
  int channels = 0;
  // Throws InvalidInput "--raw: ..." naming the problem.
  static RawFormat parse(const std::string& spec);
  // The libsndfile format (SF_FORMAT_RAW | subtype | endianness).
  int sndfile_format() const;
};

class AudioReader {
 public:
  // Opens `path`. With `target_rate`, read() returns samples resampled to that rate.
  explicit AudioReader(const std::filesystem::path& path, std::optional<double> target_rate = {});
  // Decodes from a copy of `bytes` (libsndfile virtual I/O); `name` is used in error messages.
  static AudioReader from_memory(std::span<const unsigned char> bytes, std::string name,
                                 std::optional<double> target_rate = {});
  // Decodes what arrives on the open file descriptor `fd` (standard input: 0), a pipe or a
  // file, without seeking on a pipe: WAV, AIFF, AU, W64, OGG/Vorbis, MP3 with their header, or
  // headerless PCM described by `raw`. libsndfile 1.2 cannot read FLAC or CAF from a pipe
  // (decode them first: flac -dc, sox -t wav -). `fd` stays open; `name` is used in messages.
  static AudioReader from_fd(int fd, std::string name, const std::optional<RawFormat>& raw = {},
                             std::optional<double> target_rate = {});
  ~AudioReader();
  AudioReader(AudioReader&&) noexcept;
  AudioReader& operator=(AudioReader&&) noexcept;

  const std::string& name() const;
  double file_rate() const;         // the file's own sample rate
  double sample_rate() const;       // the rate of what read() returns
  int channels() const;             // channels in the file (read() always returns mono)
  std::int64_t file_frames() const; // frames in the file, as its header reports them
  // Samples read() will return in total: ceil(file_frames * sample_rate / file_rate), as
  // librosa.resample; equal to file_frames without resampling.
  std::int64_t frames() const;
  std::string format() const;       // e.g. "WAV (Microsoft), Signed 16 bit PCM"
  // When the audio ends before its (WAV or AIFF) header says, a file cut short: "NAME: truncated:
  // the audio ends at 1.247 s, but its header says 10.000 s"; empty otherwise. A file's is known
  // on opening; a pipe's once read() has returned 0.
  std::string truncation() const;

  // Replaces the contents of `out` with the next at most `max_samples` mono samples at
  // sample_rate(); returns how many (0 once the file is exhausted).
  std::size_t read(std::vector<float>& out, std::size_t max_samples = 65536);

  // Frames of the input decoded per libsndfile call (default 16384). On a live pipe each call
  // waits until that many have arrived, so live input wants a few milliseconds' worth.
  void set_decode_frames(std::size_t frames);

 private:
  struct Impl;
  explicit AudioReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// load_audio refuses recordings longer than this (1 GiB of float32, e.g. 97 minutes at 48 kHz);
// AudioReader streams any length.
inline constexpr std::int64_t kMaxInMemorySamples = std::int64_t{1} << 28;

// The whole file as mono float32, resampled to `target_rate` if given (built on AudioReader).
Audio load_audio(const std::filesystem::path& path, std::optional<double> target_rate = {});
Audio load_audio(AudioReader& reader);

// The file-name extensions (lower case, no dot) of the formats libsndfile reads, with their
// usual aliases (aif, snd, ...): the one list that decides which files in a folder are audio.
// Left out: raw and vox (headerless: libsndfile cannot open them without being told the
// format), mat (mostly MATLAB data, not sound) and mpc (mostly Musepack, which libsndfile does
// not read; its mpc is the Akai MPC 2000's).
const std::vector<std::string>& audio_extensions();

// Whether `path` ends in one of audio_extensions() (any case).
bool has_audio_extension(const std::filesystem::path& path);

}  // namespace cqtcnn
