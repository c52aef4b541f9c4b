#include "cqtcnn/classifier.hpp"

#include "base/copy.hpp"
#include "base/handoff.hpp"
#include "cqtcnn/error.hpp"
#include "frontend/frontend_json.hpp"
#include "nn/model/model_json.hpp"

#include <algorithm>
#include <numeric>
#include <optional>
#include <thread>
#include <utility>

namespace cqtcnn {
namespace {

constexpr std::size_t kBatch = 32;  // windows per network call

}  // namespace

FrontendConfig audio_frontend(const Model& model) {
  if (model_frontend_json(model).is_null() || model_frontend_json(model).empty())
    throw InvalidInput(model.name() + ": /frontend: missing (a model for audio needs its front end)");
  FrontendConfig config = frontend_from_json(model_frontend_json(model), model.name());
  const Shape expected{1, config.cqt.n_bins, config.window_frames};
  if (!(model.input_shape() == expected))
    throw InvalidInput(model.name() + ": /input_shape: the front end makes " + expected.str() +
                       " windows (1 x cqt.n_bins x window_frames) but the network takes " +
                       model.input_shape().str());
  return config;
}

std::optional<std::size_t> none_class(const std::vector<std::string>& labels) {
  const auto found = std::find(labels.begin(), labels.end(), kNoneLabel);
  if (found == labels.end()) return std::nullopt;
  return std::size_t(found - labels.begin());
}

bool FileResult::silent() const {
  return !windows.empty() && std::all_of(windows.begin(), windows.end(), [](const WindowResult& w) { return w.silent; });
}

std::vector<std::size_t> FileResult::top(std::size_t k) const {
  std::vector<std::size_t> order(probabilities.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  k = std::min(k, order.size());
  std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(k), order.end(),
                    [&](std::size_t a, std::size_t b) { return probabilities[a] > probabilities[b]; });
  order.resize(k);
  return order;
}

Classifier::Classifier(Model model) : model_(std::move(model)), frontend_(audio_frontend(model_)) {}

FileResult Classifier::classify(const std::filesystem::path& path, int hop_frames) const {
  AudioReader reader(path, frontend_.config().sample_rate);
  StreamOptions options;
  options.hop_frames = hop_frames;
  return classify(reader, options);
}

FileResult Classifier::classify(AudioReader& reader, const StreamOptions& options) const {
  FileResult result;
  classify_stream(
      reader,
      [&](const WindowResult& w) {
        result.duration_s = std::max(result.duration_s, w.end_s);
        result.windows.push_back(w);
      },
      options);
  result.probabilities.assign(model_.labels().size(), 0.0f);
  std::size_t sounding = 0;
  for (const WindowResult& w : result.windows) {
    if (w.silent) continue;
    ++sounding;
    for (std::size_t c = 0; c < result.probabilities.size(); ++c) result.probabilities[c] += w.probabilities[c];
  }
  for (float& p : result.probabilities) p /= float(std::max<std::size_t>(1, sounding));
  return result;
}

double Classifier::classify_stream(AudioReader& reader, const std::function<void(const WindowResult&)>& on_window,
                                   const StreamOptions& options) const {
  const Shape shape = model_.input_shape();
  const std::size_t n_classes = model_.labels().size();
  const std::size_t batch_size = options.live ? 1 : kBatch;
  // A batch of windows: the network's inputs (silent windows take no row: they are never run
  // through the network) and every window in order.
  struct Batch {
    Tensor inputs;
    std::vector<WindowResult> windows;
  };
  const auto classify_batch = [&](Batch& b) {
    const Tensor p =
        b.inputs.n > 0 ? model_.run(b.inputs, Output::probabilities, RunOptions{options.threads}) : Tensor();
    std::int64_t row_index = 0;
    for (WindowResult& w : b.windows) {
      if (w.silent) {
        w.probabilities.assign(n_classes, 0.0f);
      } else {
        const float* row = p.sample(row_index++);
        w.probabilities.assign(row, row + n_classes);
      }
      on_window(w);
    }
  };
  // With threads (not live), full batches go to a thread of their own while the front end goes
  // on with the next windows; on_window is called there, in order.
  const bool pipelined = options.threads >= 2 && !options.live;
  Handoff<Batch> full(2);
  std::jthread network;
  if (pipelined)
    network = std::jthread([&] {
      try {
        while (std::optional<Batch> b = full.take()) classify_batch(*b);
      } catch (...) {
        full.fail(std::current_exception());
      }
    });
  Batch batch{Tensor(0, shape), {}};
  const auto hand_over = [&] {
    if (batch.windows.empty()) return;
    if (pipelined) {
      full.put(std::exchange(batch, Batch{Tensor(0, shape), {}}));
    } else {
      classify_batch(batch);
      batch.windows.clear();
      batch.inputs.reshape(0, shape);
    }
  };
  double duration = 0;
  try {
    duration = frontend_.process(
        reader,
        [&](const FeatureWindow& w) {
          if (!w.silent) {
            const std::int64_t n = batch.inputs.n;
            batch.inputs.reshape(n + 1, shape);
            copy_floats(w.values.data(), w.values.size(), batch.inputs.sample(n));
          }
          batch.windows.push_back({w.start_s, w.end_s, {}, w.silent});
          if (batch.windows.size() == batch_size) hand_over();
        },
        options);
    hand_over();
    full.close();
  } catch (...) {
    full.fail(std::current_exception());
  }
  if (network.joinable()) network.join();
  full.rethrow();
  return duration;
}

}  // namespace cqtcnn
