#include "nn/model/layer_spec.hpp"

#include "cqtcnn/model.hpp"

#include <cmath>

namespace cqtcnn::nn {

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string s;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += 'x';
    s += std::to_string(shape[i]);
  }
  return s.empty() ? "scalar" : s;
}

std::int64_t checked_count(const std::vector<std::int64_t>& shape, const std::string& file,
                           const std::string& pointer) {
  std::int64_t count = 1;
  for (std::int64_t d : shape) {
    if (d < 0 || (d > 0 && count > kMaxTensorValues / d))
      fail_at(file, pointer, "size " + shape_text(shape) + " is out of range (limit " +
                                 std::to_string(kMaxTensorValues) + " values)");
    count *= d;
  }
  return count;
}

LayerSpec::LayerSpec(const nlohmann::json& object, std::string pointer, std::string file)
    : JsonObject(object, std::move(file), std::move(pointer)) {
  member("type");  // read by the registry
}

std::array<std::int64_t, 2> LayerSpec::pair(const std::string& key, std::int64_t min, std::int64_t max,
                                            std::optional<std::int64_t> fallback) {
  const nlohmann::json* found = member(key);
  if (!found) {
    if (fallback) return {*fallback, *fallback};
    fail(key, "missing (an integer or [h, w])");
  }
  const nlohmann::json& j = *found;
  auto valid = [&](const nlohmann::json& v) {
    return v.is_number_integer() && v.get<std::int64_t>() >= min && v.get<std::int64_t>() <= max;
  };
  if (valid(j)) return {j.get<std::int64_t>(), j.get<std::int64_t>()};
  if (j.is_array() && j.size() == 2 && valid(j[0]) && valid(j[1]))
    return {j[0].get<std::int64_t>(), j[1].get<std::int64_t>()};
  fail(key, "expected an integer or [h, w] with values in [" + std::to_string(min) + ", " +
                std::to_string(max) + "], got " + j.dump().substr(0, 40));
}

std::vector<float> LayerSpec::weight(const std::string& name, const std::vector<std::int64_t>& shape) {
  const nlohmann::json* weights = member("weights");
  if (!weights || !weights->is_object()) fail("weights", "missing (an object of tensors)");
  if (!weights->contains(name)) fail("weights/" + name, "missing (" + shape_text(shape) + " tensor)");
  used_weights_.insert(name);
  return decode_tensor((*weights)[name], shape, file(), member_pointer("weights/" + name), nullptr,
                       " for " + type() + " " + name + " " + shape_text(shape));
}

void LayerSpec::check_all_used() const {
  check_all_read("unknown field for layer type " + type());
  if (object().contains("weights")) {
    if (!object()["weights"].is_object()) fail("weights", "expected an object of tensors");
    for (const auto& [key, value] : object()["weights"].items())
      if (!used_weights_.count(key)) fail("weights/" + key, "unexpected weight for this layer");
  }
}

}  // namespace cqtcnn::nn
