// Decoding with libsndfile, from a file or from memory (virtual I/O), to mono float32 at the
// file's own rate. Channels are averaged as librosa.to_mono does (mean over channels, float32).
// libsndfile (and its codecs' eight libraries) is opened when the first source is, not at start-up
// (io/shared_library.hpp).
#pragma once

#include <sndfile.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cqtcnn::audio {

class SndfileSource {
 public:
  static SndfileSource open_file(const std::filesystem::path& path);
  static SndfileSource open_memory(std::vector<unsigned char> bytes, std::string name);
  // Reads the open descriptor `fd` (not closed here) with libsndfile's own pipe handling;
  // `raw_format` (SF_FORMAT_RAW | ...) with its rate and channels for headerless PCM, else 0.
  static SndfileSource open_fd(int fd, std::string name, int raw_format = 0, int raw_rate = 0,
                               int raw_channels = 0);
  ~SndfileSource();
  SndfileSource(SndfileSource&&) noexcept;
  SndfileSource& operator=(SndfileSource&&) noexcept;

  const std::string& name() const { return name_; }
  const SF_INFO& info() const { return info_; }
  std::string format() const;

  // Appends up to `max_frames` mono samples to `out`; returns how many (0 at the end).
  // Throws Error naming the file on a decoding error or a NaN/infinite sample.
  std::size_t read_mono(std::vector<float>& out, std::size_t max_frames);
  std::int64_t frames_read() const { return frames_read_; }
  // The frames a WAV or AIFF header says its data holds, when the file holds fewer (it was cut
  // short) or, on a pipe, when that is not yet known; empty when the header claims no more than
  // is there, leaves the length open (0xFFFFFFFF, or arecord's 0x7ffff000, on a pipe) or is of a
  // format whose sizes are not looked at.
  std::optional<std::int64_t> header_frames() const { return header_frames_; }

 private:
  struct Memory;  // the bytes and position behind virtual I/O
  SndfileSource() = default;
  void validate();
  // Reads header_frames_ from libsndfile's log of the header it parsed.
  void read_header_claim();

  std::string name_;
  SF_INFO info_{};
  struct Close {
    void operator()(SNDFILE* f) const;
  };
  std::unique_ptr<Memory> memory_;  // declared first: must outlive file_
  std::unique_ptr<SNDFILE, Close> file_;
  std::vector<float> interleaved_;
  std::int64_t frames_read_ = 0;
  std::optional<std::int64_t> header_frames_;
};

}  // namespace cqtcnn::audio
