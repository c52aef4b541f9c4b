// cqtcnn.Frontend and cqtcnn.Model: a model file's front end and network from Python, through the
// same library calls as `cqtcnn features`, `cqtcnn predict` and `cqtcnn classify`, with the GIL
// released while they run. An array of samples is handed to the library as an in-memory WAV, so
// that it is mixed to mono and resampled exactly as a file holding the same samples would be.
#include "classify/model_search.hpp"
#include "cqtcnn/classifier.hpp"
#include "cqtcnn/error.hpp"
#include "nn/model/model_json.hpp"
#include "python/bindings.hpp"
#include "python/model_docs.hpp"
#include "frontend/frontend_json.hpp"

#include <nlohmann/json.hpp>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>

namespace cqtcnn::python {
namespace {

nlohmann::json json_of(const py::handle& object) {
  return nlohmann::json::parse(py::module_::import("json").attr("dumps")(object).cast<std::string>());
}
py::object python_of(const nlohmann::json& j) { return py::module_::import("json").attr("loads")(j.dump()); }

bool is_path(const py::handle& source) {
  return py::isinstance<py::str>(source) || py::isinstance(source, py::module_::import("os").attr("PathLike"));
}

void put_u32(std::vector<unsigned char>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<unsigned char>(v >> (8 * i)));
}

// A WAV file (IEEE float, 32 bit) of `channels` interleaved channels.
std::vector<unsigned char> float_wav(const float* y, std::size_t channels, std::size_t n, std::uint32_t rate) {
  const std::uint32_t data_bytes = std::uint32_t(channels * n * 4);
  std::vector<unsigned char> wav;
  wav.reserve(44 + data_bytes);
  const auto tag = [&](const char* t) { wav.insert(wav.end(), t, t + 4); };
  tag("RIFF"), put_u32(wav, 36 + data_bytes), tag("WAVE"), tag("fmt "), put_u32(wav, 16);
  put_u32(wav, 3 | std::uint32_t(channels) << 16);  // format 3 (IEEE float), channels
  put_u32(wav, rate), put_u32(wav, rate * std::uint32_t(channels) * 4);
  put_u32(wav, std::uint32_t(channels) * 4 | 32u << 16);  // block align, bits per sample
  tag("data"), put_u32(wav, data_bytes);
  wav.resize(44 + std::size_t(data_bytes));
  unsigned char* out = wav.data() + 44;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < channels; ++c, out += 4) std::memcpy(out, &y[c * n + i], 4);
  return wav;
}

constexpr std::size_t kMaxChannels = 256;  // more is [n, channels] passed by mistake

// A recording: a file's path, or samples y [n] or [channels, n] (librosa's layout) at `sr`.
struct Recording {
  std::optional<std::filesystem::path> path;
  std::vector<unsigned char> wav;

  Recording(const py::object& source, std::optional<double> sr, const std::string& function) {
    if (is_path(source)) {
      if (sr) throw InvalidInput(function + ": sr is for an array of samples; a file gives its own rate");
      path = py::str(source).cast<std::string>();
      return;
    }
    const Float32Array y = audio_array(source, function);
    require_finite({y.data(), std::size_t(y.size())}, function);
    if (y.ndim() > 2) throw InvalidInput(function + ": y must be [n] or [channels, n], got " + std::to_string(y.ndim()) + " dimensions");
    if (!sr) throw InvalidInput(function + ": sr (the samples' rate, Hz) is required with an array of samples");
    if (!(*sr >= 1 && *sr <= 1e6 && *sr == std::floor(*sr)))
      throw InvalidInput(function + ": sr must be a whole number of Hz in [1, 1000000], got " + format_number(*sr));
    const std::size_t channels = y.ndim() == 2 ? std::size_t(y.shape(0)) : 1, n = std::size_t(y.shape(y.ndim() - 1));
    if (channels == 0 || channels > kMaxChannels)
      throw InvalidInput(function + ": y has " + std::to_string(channels) + " channels; the layout is librosa's, " +
                         "[channels, n] (soundfile.read gives [n, channels]: pass y.T)");
    if (channels * n * 4 > 0xFFFFFFF0u)
      throw InvalidInput(function + ": y holds more than " + std::to_string(0xFFFFFFF0u / 4) + " samples (4 GiB)");
    wav = float_wav(y.data(), channels, n, std::uint32_t(*sr));
  }
  AudioReader open(double rate) const {
    return path ? AudioReader(*path, rate) : AudioReader::from_memory(wav, "array", rate);
  }
};

// All the windows of a recording, [windows, 1, height, width] as `cqtcnn features` writes them.
py::array_t<float> features_of(const Frontend& frontend, const py::object& source, std::optional<double> sr,
                               std::optional<double> window_hop) {
  const Recording recording(source, sr, "features");
  if (window_hop && !(*window_hop > 0)) throw InvalidInput("features: window_hop must be > 0 seconds");
  StreamOptions options;
  options.hop_frames = window_hop ? frontend.config().frames_in(*window_hop) : 0;
  std::vector<float> values;
  std::size_t windows = 0;
  {
    py::gil_scoped_release unlocked;
    AudioReader reader = recording.open(frontend.config().sample_rate);
    frontend.process(reader, [&](const FeatureWindow& w) {
      values.insert(values.end(), w.values.begin(), w.values.end());
      ++windows;
    }, options);
  }
  py::array_t<float> out({py::ssize_t(windows), py::ssize_t(1), py::ssize_t(frontend.height()), py::ssize_t(frontend.width())});
  std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

FrontendConfig config_of(const py::object& source) {
  if (is_path(source)) return FrontendConfig::from_file(py::str(source).cast<std::string>());
  if (!py::isinstance<py::dict>(source))
    throw InvalidInput("Frontend: expected a dict (a model file's \"frontend\" object) or the path of a JSON file");
  return frontend_from_json(json_of(source), "frontend");
}

// A model and, when it has a front end, the classifier built on it.
class PyModel {
 public:
  explicit PyModel(const std::optional<std::string>& path) {
    // The library calls any unloadable model a bad request; a missing file is Python's OSError.
    if (path && std::filesystem::path(*path).has_parent_path() && !std::filesystem::exists(*path))
      throw Error(*path + ": cannot read model file (no such file)");
    Model model = load_model_or_builtin(path.value_or(""));
    if (model_frontend_json(model).is_null() || model_frontend_json(model).empty()) model_ = std::make_unique<Model>(std::move(model));
    else classifier_ = std::make_unique<Classifier>(std::move(model));
  }
  const Model& model() const { return classifier_ ? classifier_->model() : *model_; }
  const Classifier& classifier(const std::string& function) const {
    if (!classifier_) throw InvalidInput(function + ": " + model().name() + " has no front end (it takes network inputs only)");
    return *classifier_;
  }

  py::array_t<float> predict(const py::object& x_in, bool logits, int threads) const;
  py::dict classify(const py::object& source, std::optional<double> sr, int top_k, bool segments) const;

 private:
  std::unique_ptr<Model> model_;
  std::unique_ptr<Classifier> classifier_;
};

// Inputs [N,C,H,W], [C,H,W] or [H,W], as `cqtcnn predict` takes them.
std::int64_t batch_size(const Float32Array& x, const Shape& expected) {
  const auto d = [&](int i) { return std::int64_t(x.shape(i)); };
  Shape shape;
  std::int64_t n = 1;
  if (x.ndim() == 4) n = d(0), shape = {d(1), d(2), d(3)};
  else if (x.ndim() == 3) shape = {d(0), d(1), d(2)};
  else if (x.ndim() == 2) shape = {1, d(0), d(1)};
  else throw InvalidInput("predict: x: expected an array of shape [N,C,H,W], [C,H,W] or [H,W], got " +
                          std::to_string(x.ndim()) + " dimensions");
  if (n == 0) throw InvalidInput("predict: x: no inputs: the array holds 0 samples");
  if (!(shape == expected))
    throw InvalidInput("predict: x: input " + shape.str() + " does not match the model's input " + expected.str());
  return n;
}

py::array_t<float> PyModel::predict(const py::object& x_in, bool logits, int threads) const {
  if (threads < 1 || threads > 256) throw InvalidInput("predict: threads must be in [1, 256], got " + std::to_string(threads));
  const py::array x_array = py::module_::import("numpy").attr("asarray")(x_in);
  if (x_array.dtype().kind() != 'f') throw InvalidInput("predict: x must be a floating-point array");
  const Float32Array x = Float32Array::ensure(x_array);
  const Model& m = model();
  const std::int64_t n = batch_size(x, m.input_shape()), per_sample = m.output_shape().size();
  py::array_t<float> out({py::ssize_t(n), py::ssize_t(per_sample)});
  const float* in = x.data();
  float* dst = out.mutable_data();
  py::gil_scoped_release unlocked;
  // In chunks, as `cqtcnn predict`: memory beyond the input is one chunk's activations.
  constexpr std::int64_t kChunk = 16;
  Tensor chunk;
  for (std::int64_t first = 0; first < n; first += kChunk) {
    const std::int64_t count = std::min(kChunk, n - first);
    chunk.reshape(count, m.input_shape());
    std::copy_n(in + first * m.input_shape().size(), count * m.input_shape().size(), chunk.data.begin());
    const Tensor y = m.run(chunk, logits ? Output::logits : Output::probabilities, RunOptions{threads});
    std::copy_n(y.data.begin(), count * per_sample, dst + first * per_sample);
  }
  return out;
}

// A result's best classes, as `cqtcnn classify` lists them: "top" (the k most probable, most
// probable first: [{"label", "score"}, ...]), "label" and "score" (the first of them), and
// "silent". A silent result (audio below the front end's silence floor) has no class: label and
// score None, top empty.
void put_ranking(py::dict& out, const std::vector<float>& probabilities, bool silent,
                 const std::vector<std::string>& labels, int top_k) {
  FileResult ordering;
  ordering.probabilities = probabilities;
  py::list top;
  for (std::size_t i : silent ? std::vector<std::size_t>{} : ordering.top(std::size_t(top_k))) {
    py::dict entry;
    entry["label"] = labels[i];
    entry["score"] = probabilities[i];
    top.append(entry);
  }
  out["label"] = silent ? py::object(py::none()) : top[0]["label"];
  out["score"] = silent ? py::object(py::none()) : top[0]["score"];
  out["top"] = top;
  out["silent"] = silent;
}

py::dict PyModel::classify(const py::object& source, std::optional<double> sr, int top_k, bool segments) const {
  const Classifier& c = classifier("classify");
  if (top_k < 1) throw InvalidInput("classify: top_k must be >= 1, got " + std::to_string(top_k));
  const Recording recording(source, sr, "classify");
  FileResult result;
  {
    py::gil_scoped_release unlocked;
    AudioReader reader = recording.open(c.frontend().config().sample_rate);
    result = c.classify(reader);
  }
  const auto& labels = c.labels();
  py::dict out;
  put_ranking(out, result.probabilities, result.silent(), labels, top_k);
  py::dict probabilities;
  for (std::size_t i = 0; i < labels.size(); ++i) probabilities[py::str(labels[i])] = result.probabilities[i];
  out["probabilities"] = probabilities;
  out["duration_s"] = result.duration_s;
  if (segments) {
    py::list windows;
    for (const WindowResult& w : result.windows) {
      py::dict row;
      row["start_s"] = w.start_s;
      row["end_s"] = w.end_s;
      put_ranking(row, w.probabilities, w.silent, labels, top_k);
      windows.append(row);
    }
    out["segments"] = windows;
  }
  return out;
}

}  // namespace

void bind_models(py::module_& m) {
  using py::arg;
  py::class_<Frontend, std::shared_ptr<Frontend>>(m, "Frontend", docs::kFrontend)
      .def(py::init([](const py::object& config) { return std::make_shared<Frontend>(config_of(config)); }),
           arg("config"))
      .def_property_readonly("config", [](const Frontend& f) { return python_of(frontend_to_json(f.config())); },
                             "The front end's parameters (a dict, as a model file's \"frontend\" object).")
      .def_property_readonly("sample_rate", [](const Frontend& f) { return f.config().sample_rate; },
                             "The rate audio is resampled to, Hz.")
      .def_property_readonly("input_shape", [](const Frontend& f) { return py::make_tuple(1, f.height(), f.width()); },
                             "The shape of one window: (1, n_bins, window_frames).")
      .def("features", &features_of, docs::kFeatures, arg("y"), arg("sr") = py::none(), py::kw_only(),
           arg("window_hop") = py::none());

  py::class_<PyModel>(m, "Model", docs::kModel)
      .def(py::init<const std::optional<std::string>&>(), arg("path") = py::none(),
           py::call_guard<py::gil_scoped_release>())  // loading calls no Python
      .def_property_readonly("name", [](const PyModel& p) { return p.model().name(); },
                             "The model file's path, or \"built-in model\".")
      .def_property_readonly("labels", [](const PyModel& p) { return p.model().labels(); },
                             "The class labels, in the order of the network's outputs.")
      .def_property_readonly("frontend", [](const PyModel& p) { return python_of(model_frontend_json(p.model())); },
                             "The front end's parameters (a dict; None for a model without one).")
      .def_property_readonly("metadata", [](const PyModel& p) { return python_of(model_metadata_json(p.model())); },
                             "The model file's free-form metadata (a dict).")
      .def_property_readonly("input_shape", [](const PyModel& p) {
            const Shape s = p.model().input_shape();
            return py::make_tuple(s.c, s.h, s.w);
          }, "The shape of one network input: (channels, height, width).")
      .def("features", [](const PyModel& p, const py::object& y, std::optional<double> sr, std::optional<double> hop) {
            return features_of(p.classifier("features").frontend(), y, sr, hop);
          }, docs::kFeatures, arg("y"), arg("sr") = py::none(), py::kw_only(), arg("window_hop") = py::none())
      .def("predict", &PyModel::predict, docs::kPredict, arg("x"), arg("logits") = false, py::kw_only(),
           arg("threads") = 1)
      .def("classify", &PyModel::classify, docs::kClassify, arg("path_or_array"), arg("sr") = py::none(),
           arg("top_k") = 1, arg("segments") = false)
      .def("__repr__", [](const PyModel& p) {
        return "<cqtcnn.Model " + p.model().name() + ": " + std::to_string(p.model().labels().size()) + " classes>";
      });
}

}  // namespace cqtcnn::python
