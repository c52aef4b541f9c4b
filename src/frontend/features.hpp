// Training features: the network inputs a front end makes from audio files, written to one NPY
// [windows, 1, n_bins, window_frames] (float32) and, optionally, a CSV index saying which file and
// time span each row is ("row,path,window,start_s,end_s"). tools/train.py trains on these, so a
// model sees in training exactly what Classifier feeds it.
//
//   cqtcnn::Frontend frontend(cqtcnn::FrontendConfig::from_file("models/digits.frontend.json"));
//   cqtcnn::FeaturesOptions options;
//   options.index = "x.csv";
//   cqtcnn::write_features(frontend, {"a.wav", "b.wav"}, "x.npy", options);
#pragma once

#include "cqtcnn/frontend.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace cqtcnn {

struct FeaturesOptions {
  std::filesystem::path index;  // the CSV index; empty: none
  int hop_frames = 0;           // frames between windows; 0: the front end's window_hop_frames
  int threads = 1;              // files processed in parallel
  // Called (from one thread at a time) with "<file>: <problem>" for each file that fails.
  std::function<void(const std::string&)> on_error;
  // Called (from one thread at a time) after each file, with the number of files done so far.
  std::function<void(std::size_t)> on_progress;
};

// Streams the windows of `files` to `npy` in input order: memory holds the windows of the files
// being processed, not of all of them. Returns the number of windows written. If any file fails,
// each is reported to options.on_error and Error "N of M files failed; no output written" is
// thrown, and neither output is written (nor an existing one changed).
std::int64_t write_features(const Frontend& frontend, const std::vector<std::filesystem::path>& files,
                            const std::filesystem::path& npy, const FeaturesOptions& options = {});

}  // namespace cqtcnn
