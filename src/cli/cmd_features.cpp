// cqtcnn features: the network inputs a model's front end makes from audio files, as one NPY
// [windows, 1, n_bins, window_frames] plus a CSV index (which file and time each row is).
// Training (tools/train.py) uses this, so a model is trained on exactly what classify feeds it.
#include "cli/command.hpp"
#include "cli/inputs.hpp"
#include "cli/parallel.hpp"
#include "cqtcnn/atomic_file.hpp"
#include "cqtcnn/error.hpp"
#include "cqtcnn/frontend.hpp"
#include "cqtcnn/image.hpp"
#include "cqtcnn/model.hpp"
#include "cqtcnn/npy.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>

namespace cqtcnn::cli {
namespace {

struct FeaturesOptions {
  InputOptions inputs;
  std::string model;
  std::string frontend;
  std::string output;
  std::string index;
  int window_hop = 0;
  int threads = default_threads();
};

FrontendConfig load_frontend(const FeaturesOptions& o) {
  if (!o.model.empty()) return FrontendConfig::from_json(Model::load(o.model).frontend(), o.model);
  std::ifstream in(o.frontend);
  if (!in) throw Error(o.frontend + ": cannot open");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InvalidInput(o.frontend + ": not valid JSON: " + e.what());
  }
  return FrontendConfig::from_json(j.contains("frontend") ? j["frontend"] : j, o.frontend);
}

int run(const FeaturesOptions& o) {
  const Frontend frontend(load_frontend(o));
  const auto files = collect_inputs(o.inputs, "features");

  std::vector<std::vector<FeatureWindow>> windows(files.size());
  std::vector<std::string> errors(files.size());
  parallel_for(files.size(), o.threads, [&](std::size_t i) {
    try {
      frontend.process_file(files[i], [&](const FeatureWindow& w) { windows[i].push_back(w); }, o.window_hop);
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
  });

  int failed = 0;
  for (std::size_t i = 0; i < files.size(); ++i)
    if (!errors[i].empty()) {
      std::fprintf(stderr, "cqtcnn features: %s\n", errors[i].c_str());
      ++failed;
    }
  if (failed) throw Error(std::to_string(failed) + " of " + std::to_string(files.size()) + " files failed; no output written");

  std::vector<float> data;
  std::string index = "row,path,window,start_s,end_s\n";
  std::int64_t rows = 0;
  for (std::size_t i = 0; i < files.size(); ++i)
    for (const FeatureWindow& w : windows[i]) {
      data.insert(data.end(), w.values.begin(), w.values.end());
      char times[64];
      std::snprintf(times, sizeof times, "%.6f,%.6f", w.start_s, w.end_s);
      index += std::to_string(rows++) + "," + csv_field(files[i].string()) + "," + std::to_string(w.index) + "," + times + "\n";
    }
  const std::int64_t shape[] = {rows, 1, frontend.height(), frontend.width()};
  write_npy(o.output, shape, data);
  if (!o.index.empty())
    write_file_atomically(o.index, [&](std::FILE* f) { write_bytes(f, index.data(), index.size(), o.index); });
  std::fprintf(stderr, "cqtcnn features: %lld windows from %zu files -> %s\n", static_cast<long long>(rows),
               files.size(), o.output.c_str());
  return kExitOk;
}

const CommandRegistrar registrar{{
    "features",
    "Write a model front end's network inputs for audio files to NPY (for training)",
    50,
    [](CLI::App& app) -> std::function<int()> {
      auto o = std::make_shared<FeaturesOptions>();
      app.add_option("files", o->inputs.paths, "Audio files or folders");
      app.add_option("--files-from", o->inputs.files_from, "Read input paths from FILE, one per line ('-': stdin)");
      app.add_flag("-0,--null", o->inputs.null_separated, "The --files-from list is NUL-separated");
      app.add_flag("-r,--recursive", o->inputs.recursive, "Walk sub-folders");
      auto* model = app.add_option("-m,--model", o->model, "Model file whose front end to use");
      auto* frontend = app.add_option("--frontend", o->frontend, "JSON file with a front-end object instead of a model");
      model->excludes(frontend);
      app.add_option("-o,--output", o->output, "Output NPY, float32 [windows, 1, n_bins, window_frames]")->required();
      app.add_option("--index", o->index, "Write a CSV saying which file and time span each row is");
      app.add_option("--window-hop", o->window_hop, "Frames between windows (0: the front end's)")->capture_default_str();
      app.add_option("-j,--threads", o->threads, "Files processed in parallel")->capture_default_str()->check(CLI::Range(1, 256));
      return [o, model, frontend] {
        if (model->count() + frontend->count() != 1) throw InvalidInput("features: give --model or --frontend");
        return run(*o);
      };
    },
}};

}  // namespace
}  // namespace cqtcnn::cli
