// Why a classifier decided: one window of a recording, the class it explains, and that class's
// occlusion saliency over the window's CQT image (saliency.hpp), for `cqtcnn explain`.
//
//   cqtcnn::Classifier c(cqtcnn::Model::load("instruments.json"));
//   cqtcnn::Explanation e = cqtcnn::explain_file(c, "note.flac", {});
//   // e.saliency[bin * e.frames + frame] > 0: hiding that region lowers p(e.target)
#pragma once

#include "cqtcnn/classifier.hpp"
#include "classify/saliency.hpp"

#include <filesystem>
#include <optional>
#include <vector>

namespace cqtcnn {

struct ExplainOptions {
  std::optional<std::size_t> target{};  // the class to explain; empty: see explain_file
  std::optional<double> at_s{};         // explain the window around this time (seconds)
  OcclusionOptions occlusion{};
};

struct Explanation {
  FileResult file;                  // every window's probabilities and the file's mean
  std::size_t window = 0;           // index into file.windows of the window explained
  std::size_t target = 0;           // the class explained
  int bins = 0, frames = 0;         // the window's size (the network input's H x W)
  int audio_frames = 0;             // its first frames that hold audio (fewer than `frames` in a clip
                                    // shorter than a window, or the last window): the rest is padding
  std::vector<float> input;         // the network input, bins x frames, row 0 = lowest bin
  std::vector<float> db;            // the same in dB as the front end made it: input * std + mean
  std::vector<float> saliency;      // bins x frames (saliency.hpp), for `target`
  std::vector<float> baseline;      // the value an occluded cell took, per bin
};

// Classifies `path`, picks a window and explains it. Without at_s: the class is `target` or else
// the file's most probable one, and the window is the one where that class is most probable.
// With at_s: the window whose centre is nearest to it, and the class `target` or else that
// window's most probable one. Occluded cells become silence: the network input of a frame at the
// front end's floor (FrontendConfig::pad_value()); with subtract_bin_mean, whose per-bin means
// the input no longer shows, each bin's minimum over the window. Throws InvalidInput for an
// at_s outside the recording or a target out of range, Error for unreadable audio.
Explanation explain_file(const Classifier& classifier, const std::filesystem::path& path, const ExplainOptions& options);

}  // namespace cqtcnn
