#include "nn/layer_spec.hpp"

#include "cqtcnn/model.hpp"

#include <cmath>

namespace cqtcnn::nn {

void fail_at(const std::string& file, const std::string& pointer, const std::string& message) {
  throw InvalidInput(file + ": " + (pointer.empty() ? std::string("/") : pointer) + ": " + message);
}

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
    : json_(object), pointer_(std::move(pointer)), file_(std::move(file)) {}

void LayerSpec::fail(const std::string& key, const std::string& message) const {
  fail_at(file_, pointer_ + (key.empty() ? "" : "/" + key), message);
}

const nlohmann::json& LayerSpec::field(const std::string& key) {
  used_.insert(key);
  return json_.at(key);
}

const nlohmann::json* LayerSpec::raw(const std::string& key) {
  if (!has(key)) return nullptr;
  return &field(key);
}

std::int64_t LayerSpec::integer(const std::string& key, std::int64_t min, std::int64_t max,
                                std::optional<std::int64_t> fallback) {
  if (!has(key)) {
    if (fallback) return *fallback;
    fail(key, "missing (an integer)");
  }
  const auto& j = field(key);
  if (!j.is_number_integer() || j.get<std::int64_t>() < min || j.get<std::int64_t>() > max)
    fail(key, "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " +
                  j.dump().substr(0, 40));
  return j.get<std::int64_t>();
}

double LayerSpec::number(const std::string& key, double min, double max, std::optional<double> fallback) {
  if (!has(key)) {
    if (fallback) return *fallback;
    fail(key, "missing (a number)");
  }
  const auto& j = field(key);
  if (!j.is_number() || !(j.get<double>() >= min && j.get<double>() <= max))
    fail(key, "expected a number in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " +
                  j.dump().substr(0, 40));
  return j.get<double>();
}

bool LayerSpec::boolean(const std::string& key, std::optional<bool> fallback) {
  if (!has(key)) {
    if (fallback) return *fallback;
    fail(key, "missing (true or false)");
  }
  const auto& j = field(key);
  if (!j.is_boolean()) fail(key, "expected true or false, got " + j.dump().substr(0, 40));
  return j.get<bool>();
}

std::string LayerSpec::text(const std::string& key, const std::vector<std::string>& allowed,
                            std::optional<std::string> fallback) {
  if (!has(key)) {
    if (fallback) return *fallback;
    fail(key, "missing (a string)");
  }
  const auto& j = field(key);
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "\"" : ", \"") + a + "\"";
  if (!j.is_string()) fail(key, "expected one of " + list);
  for (const auto& a : allowed)
    if (a == j.get<std::string>()) return a;
  fail(key, "expected one of " + list + ", got \"" + j.get<std::string>().substr(0, 40) + "\"");
}

std::array<std::int64_t, 2> LayerSpec::pair(const std::string& key, std::int64_t min, std::int64_t max,
                                            std::optional<std::int64_t> fallback) {
  if (!has(key)) {
    if (fallback) return {*fallback, *fallback};
    fail(key, "missing (an integer or [h, w])");
  }
  const auto& j = field(key);
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
  used_.insert("weights");
  if (!json_.contains("weights") || !json_["weights"].is_object()) fail("weights", "missing (an object of tensors)");
  if (!json_["weights"].contains(name)) fail("weights/" + name, "missing (" + shape_text(shape) + " tensor)");
  used_weights_.insert(name);
  return decode_tensor(json_["weights"][name], shape, file_, pointer_ + "/weights/" + name, nullptr,
                       " for " + type() + " " + name + " " + shape_text(shape));
}

void LayerSpec::check_all_used() const {
  for (const auto& [key, value] : json_.items())
    if (!used_.count(key)) fail(key, "unknown field for layer type " + type());
  if (json_.contains("weights")) {
    if (!json_["weights"].is_object()) fail("weights", "expected an object of tensors");
    for (const auto& [key, value] : json_["weights"].items())
      if (!used_weights_.count(key)) fail("weights/" + key, "unexpected weight for this layer");
  }
}

}  // namespace cqtcnn::nn
