// The model's front end: audio file -> mono at the model's rate -> CQT -> dB or PCEN ->
// normalised windows of the CNN's input width. Training features (`cqtcnn features`) and
// classification both go through this one path, so the network always sees exactly what it was
// trained on.
//
// With `values` "db" (the default) each window's image is dB relative to the window's own maximum
// (librosa's amplitude_to_db(|C|, ref=np.max, amin, top_db) applied to the window), so a
// recording's level does not matter. With "pcen" it is librosa's pcen(scale * |C|) of the whole
// recording, frame by frame (pcen.hpp): each bin divided by its own recent loudness, so a fixed
// colouring and a slowly changing level cancel. Either way a 10-hour file is processed in one pass
// with constant memory.
#pragma once

#include "cqtcnn/audio.hpp"
#include "cqtcnn/cqt.hpp"
#include "cqtcnn/pcen.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cqtcnn {

// What the network sees of |C|: the model file's `values` member.
enum class FrontendValues { db, pcen };

// Defaults, meanings and valid ranges: params::frontend, params::db, params::pcen and
// params::normalize (params.hpp), which also mark the members a model file must give.
struct FrontendConfig {
  double sample_rate = params::frontend::sample_rate.default_value;  // audio is resampled to it
  CqtParams cqt;                                                     // cqt.sr == sample_rate
  FrontendValues values = FrontendValues::db;
  double amin = params::db::amin.default_value;         // amplitude floor of the dB conversion
  double top_db = params::db::top_db.default_value;     // dB range kept below each window's maximum
  PcenOptions pcen;                                     // values == pcen
  double norm_mean = params::normalize::mean.default_value;  // network input = (value - norm_mean) / norm_std
  double norm_std = params::normalize::std_dev.default_value;
  // Subtract from each bin its mean dB over the window's audio frames before normalising
  // (cepstral mean normalisation done per CQT bin: removes a fixed microphone/channel colouring).
  bool subtract_bin_mean = params::normalize::subtract_bin_mean.default_value;
  int window_frames = params::frontend::window_frames.default_value;  // CNN input width W (height: cqt.n_bins)
  // Hop between windows of a longer recording; a model file that leaves it out gets window_frames.
  int window_hop_frames = params::frontend::window_hop_frames.default_value;
  // A window whose loudest hop (cqt.hop_length samples, its mean removed) has an RMS below this,
  // in dB relative to full scale, is silent: dB relative to the window's own maximum would turn
  // it into a full-range image of nothing, so it gets no class (FeatureWindow::silent).
  double silence_floor_dbfs = params::frontend::silence_floor_dbfs.default_value;

  // The front end in a JSON file: a model file's `frontend` member or a bare front-end object,
  // read with the model reader's size and nesting limits. Throws InvalidInput naming the file.
  static FrontendConfig from_file(const std::filesystem::path& path);
  // The front end as a JSON object, the model file's `frontend` member.
  std::string to_json_text() const;
  // One line per parameter with its value and meaning ("  cqt.hop_length = 128   samples between
  // frames"), as `cqtcnn inspect` prints the front end.
  std::string describe() const;
  // The network input value of a padded (silent) frame: -top_db dB or PCEN 0, normalised; with
  // subtract_bin_mean, that value minus the bin's mean / norm_std.
  float pad_value() const;
  double frame_seconds() const { return cqt.hop_length / sample_rate; }
  // The whole number of frames nearest to `seconds`, at least 1 (a --window-hop in frames).
  int frames_in(double seconds) const;
};

// Calls f(declaration, member) for each parameter of the front end's own JSON members and the
// FrontendConfig member that holds it; the cqt object's are for_each_cqt_param's (cqt.hpp).
template <typename F>
void for_each_frontend_param(F&& f) {
  f(params::frontend::sample_rate, &FrontendConfig::sample_rate);
  f(params::frontend::window_frames, &FrontendConfig::window_frames);
  f(params::frontend::window_hop_frames, &FrontendConfig::window_hop_frames);
  f(params::frontend::silence_floor_dbfs, &FrontendConfig::silence_floor_dbfs);
}

// The same for the `db` object (values "db"); the `pcen` object's are for_each_pcen_param's
// (pcen.hpp).
template <typename F>
void for_each_db_param(F&& f) {
  f(params::db::amin, &FrontendConfig::amin);
  f(params::db::top_db, &FrontendConfig::top_db);
}

// The same for the `normalize` object.
template <typename F>
void for_each_normalize_param(F&& f) {
  f(params::normalize::mean, &FrontendConfig::norm_mean);
  f(params::normalize::std_dev, &FrontendConfig::norm_std);
  f(params::normalize::subtract_bin_mean, &FrontendConfig::subtract_bin_mean);
}

// One network input: a window of `height x width` values, row 0 = lowest bin, and where in the
// recording it lies.
struct FeatureWindow {
  std::size_t index = 0;        // 0, 1, ... within the file
  std::size_t start_frame = 0;
  double start_s = 0.0;
  double end_s = 0.0;           // end of the audio it covers (short files: their duration)
  std::size_t audio_frames = 0; // its frames that hold audio; the rest, to the window's width, are padding
  std::vector<float> values;    // n_bins * window_frames, C order [bin][frame]
  // The RMS of the window's loudest hop of samples (each hop's mean removed), dB re full scale
  // (a full-scale square wave is 0, a full-scale sine -3; -inf for digital silence), and whether
  // it is below the config's silence_floor_dbfs.
  double level_dbfs = 0.0;
  bool silent = false;
};

// How Frontend::process (and Classifier::classify_stream) read an AudioReader.
struct StreamOptions {
  int hop_frames = 0;  // frames between windows; 0: the config's window_hop_frames
  // Live input (a microphone, a pipe): read in blocks of 10 ms and hand each window over as soon
  // as the samples its last CQT frame covers have arrived (Cqt::Stream::complete), instead of in
  // the large blocks and whole tiles that are fastest. The windows are the same either way.
  bool live = false;
  // Polled after each block; true ends the stream there, without the last, incomplete window.
  std::function<bool()> stop;
  // Threads for this one recording: 2 or more runs the CQT's lower octaves on a second thread
  // (Cqt::stream) and splits the classifier's batches across them. The results are the same.
  int threads = 1;
};

class Frontend {
 public:
  explicit Frontend(FrontendConfig config);  // builds the CQT filter banks once
  ~Frontend();
  Frontend(Frontend&&) noexcept;
  Frontend& operator=(Frontend&&) noexcept;

  const FrontendConfig& config() const;
  int height() const { return config().cqt.n_bins; }
  int width() const { return config().window_frames; }

  // Streams `path` through the front end and calls `on_window` for each window in order, with
  // windows every `hop_frames` frames (0: the config's). A recording shorter than one window
  // gives one window, padded at the end with pad_value(). Memory does not grow with the file's
  // length. Safe to call from several threads at once.
  void process_file(const std::filesystem::path& path,
                    const std::function<void(const FeatureWindow&)>& on_window,
                    int hop_frames = 0) const;

  // The same for any reader (a file, standard input: AudioReader::from_fd) resampled to
  // config().sample_rate. Returns the seconds of audio read.
  double process(AudioReader& reader, const std::function<void(const FeatureWindow&)>& on_window,
                 const StreamOptions& options = {}) const;

  // The same for samples already in memory at config().sample_rate.
  void process_samples(const std::vector<float>& samples,
                       const std::function<void(const FeatureWindow&)>& on_window,
                       int hop_frames = 0) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cqtcnn
