// cqtcnn features: the network inputs a model's front end makes from audio files, as one NPY
// [windows, 1, n_bins, window_frames] plus a CSV index (which file and time each row is).
// Training (tools/train.py) uses this, so a model is trained on exactly what classify feeds it.
#include "cli/batch.hpp"
#include "cli/command.hpp"
#include "cli/inputs.hpp"
#include "classify/model_search.hpp"
#include "cqtcnn/error.hpp"
#include "frontend/features.hpp"
#include "cqtcnn/model.hpp"
#include "base/parallel.hpp"
#include "frontend/frontend_json.hpp"
#include "nn/model/model_json.hpp"

#include <cstdio>

namespace cqtcnn::cli {
namespace {

struct Options {
  InputOptions inputs;
  std::string model;
  std::string frontend;
  std::string output;
  std::string index;
  double window_hop_s = 0.0;
  int threads = default_threads();
};

int run(const Options& o) {
  const Frontend frontend(o.model.empty() ? FrontendConfig::from_file(o.frontend)
                                          : frontend_from_json(model_frontend_json(Model::load(find_model(o.model))), o.model));
  const auto files = collect_inputs(o.inputs, "features");
  FeaturesOptions options;
  options.index = o.index;
  options.hop_frames = o.window_hop_s > 0 ? frontend.config().frames_in(o.window_hop_s) : 0;
  options.threads = o.threads;
  Batch batch("features", files.size(), false);
  options.on_error = batch.messages();
  options.on_progress = batch.progress();
  const std::int64_t rows = write_features(frontend, files, o.output, options);
  batch.finish();
  std::fprintf(stderr, "cqtcnn features: %lld windows from %zu files -> %s\n", static_cast<long long>(rows),
               files.size(), o.output.c_str());
  return kExitOk;
}

const CommandRegistrar registrar{{
    "features",
    "Write a model front end's network inputs for audio files to NPY (for training)",
    50,
    [](CLI::App& app) -> std::function<int()> {
      auto o = std::make_shared<Options>();
      app.add_option("files", o->inputs.paths, "Audio files or folders");
      app.add_option("--files-from", o->inputs.files_from, "Read input paths from FILE, one per line ('-': stdin)");
      app.add_flag("-0,--null", o->inputs.null_separated, "The --files-from list is NUL-separated");
      app.add_flag("-r,--recursive", o->inputs.recursive, "Walk sub-folders");
      auto* model = app.add_option("-m,--model", o->model, "Model file (or installed model's name) whose front end to use");
      auto* frontend = app.add_option("--frontend", o->frontend, "JSON file with a front-end object instead of a model");
      model->excludes(frontend);
      app.add_option("-o,--output", o->output, "Output NPY, float32 [windows, 1, n_bins, window_frames]")->required();
      app.add_option("--index", o->index, "Write a CSV saying which file and time span each row is");
      app.add_option("--window-hop", o->window_hop_s, "Seconds between windows of long recordings (0: the front end's)")
          ->capture_default_str()
          ->check(CLI::NonNegativeNumber);
      app.add_option("-j,--threads", o->threads, "Files processed in parallel")->capture_default_str()->check(CLI::Range(1, 256));
      return [o, model, frontend] {
        if (model->count() + frontend->count() != 1) throw InvalidInput("features: give --model or --frontend");
        return run(*o);
      };
    },
}};

}  // namespace
}  // namespace cqtcnn::cli
