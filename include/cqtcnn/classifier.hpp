// A model file made usable on audio: its front end (frontend.hpp) feeding its network
// (model.hpp). A recording is cut into windows of the network's input width; each window gets
// class probabilities, and the file's result is the mean of its windows' probabilities (as
// BirdNET and Essentia's TensorflowPredict report clip-level scores). A window below the front
// end's silence floor is silent: it gets no class and does not count in the file's mean.
//
//   cqtcnn::Classifier c(cqtcnn::Model::load("digits.json"));
//   cqtcnn::FileResult r = c.classify("three.wav");
//   std::string label = c.labels()[r.top(1)[0]];
#pragma once

#include "cqtcnn/frontend.hpp"
#include "cqtcnn/model.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cqtcnn {

// The label of a model's "nothing to report" class (no digit: silence, noise, other sounds). A
// window whose best class it is belongs to no event; the file rows show it as any class.
inline constexpr std::string_view kNoneLabel = "_none_";

// The index of kNoneLabel among `labels`, if the model has that class.
std::optional<std::size_t> none_class(const std::vector<std::string>& labels);

struct WindowResult {
  double start_s = 0.0;
  double end_s = 0.0;
  std::vector<float> probabilities;  // one per label; all 0 for a silent window
  bool silent = false;               // below the front end's silence floor: not run through the network
};

struct FileResult {
  std::vector<WindowResult> windows;
  std::vector<float> probabilities;  // mean over the windows that are not silent (all 0 if none)
  double duration_s = 0.0;
  // Indices of the k most probable classes, most probable first.
  std::vector<std::size_t> top(std::size_t k) const;
  // Every window is silent: the recording has no class.
  bool silent() const;
};

// The front end of `model`, checked as classifying audio needs it: present, valid
// (frontend_from_json), making windows of the network's input shape
// (1 x cqt.n_bins x window_frames); one label per output is Model::parse's check. Throws
// InvalidInput naming the model file. The Classifier runs this check, and so does `cqtcnn inspect`.
FrontendConfig audio_frontend(const Model& model);

class Classifier {
 public:
  // Checks the model with audio_frontend(); throws InvalidInput naming the model file.
  explicit Classifier(Model model);

  const Model& model() const { return model_; }
  const Frontend& frontend() const { return frontend_; }
  const std::vector<std::string>& labels() const { return model_.labels(); }

  // Classifies one recording; `hop_frames` = 0 uses the model's window hop. Windows are run
  // through the network in batches. Thread-safe: one Classifier serves many threads.
  FileResult classify(const std::filesystem::path& path, int hop_frames = 0) const;
  // The same for any reader at the model's rate (standard input: AudioReader::from_fd).
  FileResult classify(AudioReader& reader, const StreamOptions& options = {}) const;

  // Streams `reader` (at the model's rate): calls `on_window` with each window's probabilities in
  // order, keeping none of them, so memory stays flat on endless input. With options.live each
  // window goes through the network as soon as the front end has it (Frontend::process);
  // otherwise windows go in batches. Returns the seconds of audio read.
  double classify_stream(AudioReader& reader, const std::function<void(const WindowResult&)>& on_window,
                         const StreamOptions& options = {}) const;

 private:
  Model model_;
  Frontend frontend_;
};

}  // namespace cqtcnn
