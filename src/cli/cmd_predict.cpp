// `cqtcnn predict --model M.json --input X.npy --output Y.npy`: runs a model on a float32 NPY
// batch [N,C,H,W] (or one [C,H,W] or [H,W] input) and writes [N, classes] probabilities (the
// softmax of the logits), or with --logits the output before the final softmax, as NPY or as
// CSV (a header of the model's labels, then one row per input).
#include "base/copy.hpp"
#include "cli/command.hpp"
#include "classify/model_search.hpp"
#include "cli/output_format.hpp"
#include "cqtcnn/error.hpp"
#include "cqtcnn/model.hpp"
#include "io/npy.hpp"
#include "io/csv.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace cqtcnn::cli {
namespace {

struct PredictOptions {
  std::string model, input, output;
  std::string format;  // npy or csv; empty: from the output's extension
  bool logits = false;
  int threads = 1;
};

Tensor to_batch(NpyArray array, Shape expected, const std::string& path) {
  const auto& s = array.shape;
  std::int64_t n = 1;
  Shape shape;
  if (s.size() == 4) n = s[0], shape = {s[1], s[2], s[3]};
  else if (s.size() == 3) shape = {s[0], s[1], s[2]};
  else if (s.size() == 2) shape = {1, s[0], s[1]};
  else throw InvalidInput(path + ": expected an array of shape [N,C,H,W], [C,H,W] or [H,W], got " +
                          std::to_string(s.size()) + " dimensions");
  if (n == 0) throw InvalidInput(path + ": no inputs: the array holds 0 samples");
  if (shape != expected)
    throw InvalidInput(path + ": input " + shape.str() + " does not match the model's input " + expected.str());
  Tensor t;
  t.n = n;
  t.shape = shape;
  t.data = std::move(array.data);
  return t;
}

// The batch runs in chunks, so that memory beyond the input is the activations of one chunk,
// not of the whole batch (a whole-batch run of 2,049 84x64 images held 270 MB of activations).
constexpr std::int64_t kChunk = 16;

int run_predict(const PredictOptions& o) {
  const std::string format = choose_output_format(o.format, o.output, {{"npy", {"npy"}}, {"csv", {"csv"}}});
  const Model model = Model::load(find_model(o.model));
  const Tensor x = to_batch(read_npy(o.input), model.input_shape(), o.input);
  const Output output = o.logits ? Output::logits : Output::probabilities;
  std::vector<float> y;
  std::int64_t per_sample = 0;
  Tensor chunk;
  for (std::int64_t first = 0; first < x.n; first += kChunk) {
    const std::int64_t n = std::min(kChunk, x.n - first);
    chunk.reshape(n, x.shape);
    copy_floats(x.sample(first), std::size_t(n * x.shape.size()), chunk.data.data());
    const Tensor part = model.run(chunk, output, RunOptions{o.threads});
    per_sample = part.shape.size();
    if (y.empty()) y.reserve(static_cast<std::size_t>(x.n * per_sample));
    y.insert(y.end(), part.data.begin(), part.data.begin() + n * per_sample);
  }
  if (format == "csv") {
    write_csv(o.output, y, std::size_t(x.n), std::size_t(per_sample), model.labels());
  } else {
    const std::vector<std::int64_t> shape{x.n, per_sample};
    write_npy(o.output, shape, y);
  }
  return kExitOk;
}

const CommandRegistrar registrar{{
    "predict",
    "Run a model on an NPY batch of CQT images; write class probabilities as NPY or CSV",
    40,
    [](CLI::App& app) -> std::function<int()> {
      auto o = std::make_shared<PredictOptions>();
      app.add_option("--model,-m", o->model, "model file (JSON), or the name of an installed model")->required();
      app.add_option("--input,-i", o->input, "float32 NPY input: [N,C,H,W], [C,H,W] or [H,W]")->required();
      app.add_option("--output,-o", o->output, "Output [N, classes]: .npy (float32) or .csv (a header of labels, a row per input)")->required();
      app.add_option("--format", o->format, "npy or csv (default: from the output's extension)");
      app.add_flag("--logits", o->logits, "write the network output before the final softmax");
      app.add_option("-j,--threads", o->threads, "threads for inference")->default_val(1)->check(CLI::Range(1, 256));
      app.add_option("-t", o->threads)->check(CLI::Range(1, 256))->group("");  // the old name of -j, hidden
      return [o] {
        try {
          return run_predict(*o);
        } catch (const InvalidInput& e) {
          std::fprintf(stderr, "cqtcnn predict: error: %s\n", e.what());
          return kExitBadInput;
        }
      };
    },
}};

}  // namespace
}  // namespace cqtcnn::cli
