// `cqtcnn inspect [MODEL]`: a Keras-like summary of a model (layers with output shapes,
// parameters and multiply-adds, totals), its front-end parameters, labels and metadata, and
// the check of its embedded test vectors and of its front end (exit 2 if one fails); without
// MODEL, the built-in one. `cqtcnn inspect --list`: the models found by name, and where.
// `cqtcnn inspect --defaults`: every front-end parameter's default, as JSON.
#include "cli/command.hpp"
#include "classify/model_search.hpp"
#include "cqtcnn/classifier.hpp"
#include "cqtcnn/error.hpp"
#include "cqtcnn/frontend.hpp"
#include "cqtcnn/model.hpp"
#include "frontend/frontend_json.hpp"
#include "nn/model/model_json.hpp"

#include <cstdio>
#include <string>

namespace cqtcnn::cli {
namespace {

// Prints a JSON object as "prefix.key = value" lines, nested objects flattened with dots.
void print_flat(const nlohmann::json& j, const std::string& prefix) {
  for (const auto& [key, value] : j.items()) {
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    if (value.is_object() && !value.empty()) print_flat(value, name);
    else std::printf("  %s = %s\n", name.c_str(), value.is_string() ? value.get<std::string>().c_str() : value.dump().c_str());
  }
}

// The front end's parameters with their meanings (FrontendConfig::describe); one that does not
// parse is printed as written.
void print_frontend(const nlohmann::json& frontend, const std::string& path) {
  try {
    std::fputs(frontend_from_json(frontend, path).describe().c_str(), stdout);
  } catch (const InvalidInput&) {
    print_flat(frontend, "");
  }
}

std::string with_commas(std::int64_t v) {
  const std::string digits = std::to_string(v);
  std::string s;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && digits[i - 1] != '-' && (digits.size() - i) % 3 == 0) s += ',';
    s += digits[i];
  }
  return s;
}

void print_layers(const Model& model) {
  std::printf("%-3s %-16s %-28s %-14s %12s %14s\n", "#", "layer", "options", "output", "params", "mult-adds");
  std::printf("    %-16s %-28s %-14s\n", "input", "", model.input_shape().str().c_str());
  std::int64_t params = 0, macs = 0;
  const auto rows = model.summary();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    std::printf("%-3zu %-16s %-28s %-14s %12s %14s%s\n", i, r.type.c_str(), r.detail.c_str(), r.output.str().c_str(),
                with_commas(r.parameters).c_str(), with_commas(r.multiply_adds).c_str(),
                r.folded ? "  (merged into the layer before at load)" : "");
    params += r.parameters;
    macs += r.multiply_adds;
  }
  std::printf("total: %s parameters (%.1f KB as float32), %s multiply-adds per input\n", with_commas(params).c_str(),
              static_cast<double>(params) * 4 / 1024, with_commas(macs).c_str());
}

// The installed models (model_search.hpp), one line each: name, labels, file.
int run_list() {
  std::printf("model folders (searched in this order; CQTCNN_MODEL_PATH adds its own first):\n");
  for (const auto& folder : model_folders()) std::printf("  %s\n", folder.c_str());
  const auto models = installed_models();
  std::printf("\nmodels (--model NAME):%s\n", models.empty() ? " none" : "");
  for (const auto& file : models) {
    std::string labels;
    try {
      const Model model = Model::load(file);
      for (const std::string& l : model.labels()) labels += (labels.empty() ? "" : ",") + l;
    } catch (const Error& e) {
      labels = std::string("(does not load: ") + e.what() + ")";
    }
    std::printf("  %-16s %s\n  %-16s %s\n", file.stem().c_str(), file.c_str(), "", labels.c_str());
  }
  return kExitOk;
}

int run_inspect(const std::string& name) {
  const Model model = load_model_or_builtin(name);
  const std::string path = name.empty() ? model.name() : find_model(name).string();
  std::printf("model: %s\n\n", path.c_str());
  print_layers(model);
  std::printf("\nfrontend:\n");
  if (model_frontend_json(model).empty()) std::printf("  (none)\n");
  print_frontend(model_frontend_json(model), path);
  std::printf("\nlabels (%zu):", model.labels().size());
  for (const auto& l : model.labels()) std::printf(" %s", l.c_str());
  std::printf("\n\nmetadata:\n");
  if (model_metadata_json(model).empty()) std::printf("  (none)\n");
  print_flat(model_metadata_json(model), "");
  int status = kExitOk;
  std::printf("\ntest vectors: ");
  const auto results = model.verify();
  int failed = 0;
  for (const auto& r : results) failed += r.passed ? 0 : 1;
  if (results.empty()) std::printf("none embedded\n");
  else std::printf("%zu checked, %d failed\n", results.size(), failed);
  for (const auto& r : results)
    std::printf("  vector %zu: max abs error %.3g (tolerance %.3g) %s\n", r.index, static_cast<double>(r.max_abs_error),
                static_cast<double>(r.tolerance), r.passed ? "ok" : "FAILED");
  if (failed) {
    std::fprintf(stderr, "cqtcnn inspect: error: %s: %d of %zu test vectors differ from the model's output\n", path.c_str(),
                 failed, results.size());
    status = kExitBadInput;
  }
  // A front end must pass the check classify makes before it reads any audio (a model without
  // one is for predict alone).
  if (!model_frontend_json(model).empty()) {
    try {
      audio_frontend(model);
    } catch (const InvalidInput& e) {
      std::fprintf(stderr, "cqtcnn inspect: error: %s\n", e.what());
      status = kExitBadInput;
    }
  }
  return status;
}

const CommandRegistrar registrar{{
    "inspect",
    "Summarise a model file and check it: its embedded test vectors, its front end against the network",
    50,
    [](CLI::App& app) -> std::function<int()> {
      auto path = std::make_shared<std::string>();
      auto list = std::make_shared<bool>(false);
      auto defaults = std::make_shared<bool>(false);
      app.add_option("model", *path, "Model file, or the name of an installed model (default: the built-in one)");
      app.add_flag("--list", *list, "List the installed models (those --model NAME finds) and where they are");
      app.add_flag("--defaults", *defaults,
                   "Print the default of every front-end parameter as JSON (with both the db and the pcen object)");
      return [path, list, defaults] {
        try {
          if (*defaults) return std::puts(frontend_defaults_json().dump(2).c_str()) < 0 ? kExitFailure : kExitOk;
          return *list ? run_list() : run_inspect(*path);
        } catch (const InvalidInput& e) {
          std::fprintf(stderr, "cqtcnn inspect: error: %s\n", e.what());
          return kExitBadInput;
        }
      };
    },
}};

}  // namespace
}  // namespace cqtcnn::cli
