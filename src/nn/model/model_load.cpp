// Model file -> Model: validates the top level (docs/model.schema.json), builds the layers
// through the registry, runs shape inference before anything is allocated, and reads the test
// vectors. Every error names the file and the JSON pointer of the problem.
#include "nn/model/model_impl.hpp"
#include "nn/model/model_json.hpp"

#include "io/json_file.hpp"
#include "nn/model/layer_registry.hpp"

#include <set>

namespace cqtcnn {
namespace {

using nlohmann::json;
using nn::fail_at;

const json& require(const json& top, const std::string& key, const std::string& file) {
  if (!top.contains(key)) fail_at(file, "/" + key, "missing");
  return top[key];
}

void check_top_level(const json& top, const std::string& file) {
  if (!top.is_object()) fail_at(file, "", "expected a JSON object (a cqtcnn model)");
  static const std::set<std::string> known{"format", "version", "frontend", "labels", "input_shape",
                                           "layers", "metadata", "test_vectors"};
  for (const auto& [key, value] : top.items())
    if (!known.count(key)) fail_at(file, "/" + key, "unknown top-level field");
  if (require(top, "format", file) != "cqtcnn-model") fail_at(file, "/format", "expected \"cqtcnn-model\"");
  if (require(top, "version", file) != 1) fail_at(file, "/version", "unsupported version (this program reads 1)");
  for (const char* key : {"frontend", "metadata"})
    if (top.contains(key) && !top[key].is_object()) fail_at(file, std::string("/") + key, "expected an object");
}

Shape read_input_shape(const json& top, const std::string& file) {
  const json& j = require(top, "input_shape", file);
  constexpr std::int64_t kMaxSide = 1 << 16;
  if (!j.is_array() || j.size() != 3) fail_at(file, "/input_shape", "expected [C, H, W]");
  for (const auto& d : j)
    if (!d.is_number_integer() || d.get<std::int64_t>() < 1 || d.get<std::int64_t>() > kMaxSide)
      fail_at(file, "/input_shape", "expected three integers in [1, " + std::to_string(kMaxSide) + "]");
  const Shape s{j[0].get<std::int64_t>(), j[1].get<std::int64_t>(), j[2].get<std::int64_t>()};
  nn::checked_count({s.c, s.h, s.w}, file, "/input_shape");
  return s;
}

std::vector<std::string> read_labels(const json& top, const std::string& file) {
  const json& j = require(top, "labels", file);
  if (!j.is_array() || j.empty()) fail_at(file, "/labels", "expected a non-empty array of strings");
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string()) fail_at(file, "/labels/" + std::to_string(i), "expected a string");
    labels.push_back(j[i].get<std::string>());
  }
  return labels;
}

TestVector read_test_vector(const json& j, const std::string& file, const std::string& pointer, Shape in,
                            Shape out, std::span<const std::uint8_t> stored) {
  if (!j.is_object()) fail_at(file, pointer, "expected an object {input, output, tolerance}");
  for (const auto& [key, value] : j.items())
    if (key != "input" && key != "output" && key != "tolerance") fail_at(file, pointer + "/" + key, "unknown field");
  TestVector tv;
  tv.input = Tensor(1, in);
  tv.input.data = nn::decode_tensor(require(j, "input", file + ": " + pointer), {in.c, in.h, in.w}, file,
                                    pointer + "/input", nullptr, "", stored);
  const std::vector<std::int64_t> out_shape =
      out.h == 1 && out.w == 1 ? std::vector<std::int64_t>{out.c} : std::vector<std::int64_t>{out.c, out.h, out.w};
  tv.output = nn::decode_tensor(require(j, "output", file), out_shape, file, pointer + "/output", nullptr, "", stored);
  if (j.contains("tolerance")) {
    if (!j["tolerance"].is_number() || !(j["tolerance"].get<double>() > 0))
      fail_at(file, pointer + "/tolerance", "expected a positive number");
    tv.tolerance = j["tolerance"].get<float>();
  }
  return tv;
}

}  // namespace

Model Model::load(const std::filesystem::path& path) {
  return parse(io::read_json_text(path), path.string());
}

Model Model::parse(std::string_view text, const std::string& name) {
  return model_from_json(io::parse_json(text, name), name);
}

Model model_from_json(const json& top, const std::string& name, std::span<const std::uint8_t> stored) {
  check_top_level(top, name);
  auto impl = std::make_unique<ModelAccess::Impl>();
  ModelAccess::Impl& m = *impl;
  m.name = name;
  m.frontend = top.value("frontend", json::object());
  m.metadata = top.value("metadata", json::object());
  m.labels = read_labels(top, name);
  m.input_shape = read_input_shape(top, name);

  const json& layers = require(top, "layers", name);
  if (!layers.is_array() || layers.empty()) fail_at(name, "/layers", "expected a non-empty array of layers");
  Shape shape = m.input_shape;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::string pointer = "/layers/" + std::to_string(i);
    if (!layers[i].is_object()) fail_at(name, pointer, "expected a layer object");
    nn::LayerSpec spec(layers[i], pointer, name, stored);
    auto layer = nn::make_layer(spec);
    try {
      shape = layer->output_shape(shape);
    } catch (const InvalidInput& e) {
      fail_at(name, pointer, "layer " + std::to_string(i) + " (" + layer->type() + "): " + e.what());
    }
    nn::checked_count({shape.c, shape.h, shape.w}, name, pointer);
    m.shapes.push_back(shape);
    m.layers.push_back(std::move(layer));
  }
  if (static_cast<std::int64_t>(m.labels.size()) != shape.size())
    fail_at(name, "/labels", std::to_string(m.labels.size()) + " labels but the network has " +
                                 std::to_string(shape.size()) + " outputs (" + shape.str() + ")");
  if (top.contains("test_vectors")) {
    const json& tvs = top["test_vectors"];
    if (!tvs.is_array()) fail_at(name, "/test_vectors", "expected an array");
    for (std::size_t i = 0; i < tvs.size(); ++i)
      m.test_vectors.push_back(
          read_test_vector(tvs[i], name, "/test_vectors/" + std::to_string(i), m.input_shape, shape, stored));
  }
  m.build_plan();
  return ModelAccess::make(std::move(impl));
}

const json& model_frontend_json(const Model& model) { return ModelAccess::of(model).frontend; }
const json& model_metadata_json(const Model& model) { return ModelAccess::of(model).metadata; }

}  // namespace cqtcnn
