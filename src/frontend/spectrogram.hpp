// The constant-Q spectrogram of an audio file, as `cqtcnn spectrogram` writes it: the file
// streamed (with constant memory for the CQT itself) through the CQT of cqt.hpp (Brown 1991;
// Schoerkhuber & Klapuri 2010, as librosa.cqt), then kept complex or reduced to magnitude, power,
// decibels (librosa's amplitude_to_db(|C|, ref=np.max, amin, top_db) over the whole file;
// decibels.hpp) or PCEN (librosa's pcen(|C| * scale, sr, hop_length), frame by frame; pcen.hpp).
//
// Usage:
//   cqtcnn::SpectrogramSettings s;             // librosa.cqt defaults, dB values
//   s.fit_bins = true;                         // drop the top bins that do not fit the rate
//   cqtcnn::FileSpectrogram r = cqtcnn::file_spectrogram("speech_8k.wav", s);
//   // r.cqt.n_bins x r.n_frames values, row 0 = fmin
#pragma once

#include "cqtcnn/audio.hpp"
#include "cqtcnn/cqt.hpp"
#include "cqtcnn/decibels.hpp"
#include "cqtcnn/pcen.hpp"

#include <complex>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <vector>

namespace cqtcnn {

struct SpectrogramSettings {
  CqtParams cqt;                       // cqt.sr is ignored: the audio's rate is used
  std::optional<double> sample_rate;   // resample to this rate first; empty: the file's own rate
  // Lower cqt.n_bins to the bins whose band stays below the Nyquist frequency of the audio's rate
  // (CqtParams::bins_below_nyquist); otherwise too many bins are an error.
  bool fit_bins = false;
  ValueScale values = ValueScale::db;
  DbOptions db;                        // the dB conversion (ref: the file's maximum)
  PcenOptions pcen;                    // values == pcen (its frame rate: the audio's rate / hop)
  bool complex = false;                // keep the complex CQT instead of `values`
  // 2 or more: the CQT's lower octaves, and the values of the NPY output, on a second thread
  // (Cqt::stream); the numbers are the same.
  int threads = 1;
};

struct FileSpectrogram {
  CqtParams cqt;                       // as used: sr is the audio's rate, n_bins perhaps fitted
  std::size_t n_frames = 0;
  // cqt.n_bins x n_frames, row-major by bin (row 0 = fmin): `values` unless settings.complex,
  // then `complex_values`.
  std::vector<float> values;
  std::vector<std::complex<float>> complex_values;
};

// Throws Error naming the file for unreadable audio, InvalidInput for bad settings.
FileSpectrogram file_spectrogram(const std::filesystem::path& path, const SpectrogramSettings& settings);
// The same for a reader opened at settings.sample_rate (standard input: AudioReader::from_fd).
FileSpectrogram file_spectrogram(AudioReader& reader, const SpectrogramSettings& settings);

struct SpectrogramLayout {
  CqtParams cqt;  // as used (see FileSpectrogram)
  std::size_t n_frames = 0;
};

// file_spectrogram written to an NPY file as it is computed, so that memory stays a few blocks
// whatever the audio's length: the same cqt.n_bins x n_frames array (float32, or complex64 with
// settings.complex), stored in Fortran order (column t, frame t, is contiguous: the order the CQT
// yields frames). numpy.load and read_npy return the same array as from file_spectrogram. dB
// values need the file's maximum, so they are written without their reference first and
// completed in place in a second pass over the file. Written atomically (atomic_file.hpp).
SpectrogramLayout write_spectrogram_npy(const std::filesystem::path& input, const SpectrogramSettings& settings,
                                        const std::filesystem::path& output);
SpectrogramLayout write_spectrogram_npy(AudioReader& reader, const SpectrogramSettings& settings,
                                        const std::filesystem::path& output);

}  // namespace cqtcnn
