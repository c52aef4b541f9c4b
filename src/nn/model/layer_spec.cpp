#include "nn/model/layer_spec.hpp"

#include "cqtcnn/model.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

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

std::string PairParam::range() const {
  return "an integer or [h, w] in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
}

std::string PaddingParam::range() const {
  return "\"valid\", \"same\", an integer, [h, w] or [top, bottom, left, right], in [0, " + std::to_string(max) + "]";
}

LayerSpec::LayerSpec(const nlohmann::json& object, std::string pointer, std::string file,
                     std::span<const std::uint8_t> stored)
    : JsonObject(object, std::move(file), std::move(pointer)), stored_(stored) {
  member("type");  // read by the registry
}

bool LayerSpec::declares(std::string_view name) const {
  const auto is_named = [&](const LayerOption& o) { return std::visit([&](const auto& p) { return p.name == name; }, o); };
  return std::any_of(declared_.begin(), declared_.end(), is_named);
}

const nlohmann::json* LayerSpec::declared(std::string_view name) {
  if (!declares(name))
    throw std::logic_error("layer " + type() + " reads the option " + std::string(name) + ", which it does not declare");
  return member(std::string(name));
}

namespace {
// The value an absent option takes: none if it is required.
template <typename T>
std::optional<T> fallback(const T& default_value, bool required) {
  return required ? std::nullopt : std::optional<T>(default_value);
}
}  // namespace

// An open end of the range (min_open, max_open) is checked after the closed range's check.
std::int64_t LayerSpec::integer(const NumberParam<int>& option) {
  declared(option.name);
  const std::int64_t v = JsonObject::integer(std::string(option.name), option.min, option.max,
                                             fallback<std::int64_t>(option.default_value, option.required));
  if (const std::string problem = option.check(double(v)); !problem.empty()) fail(option.name, problem);
  return v;
}

double LayerSpec::number(const NumberParam<double>& option) {
  declared(option.name);
  const double v = JsonObject::number(std::string(option.name), option.min, option.max,
                                      fallback(option.default_value, option.required));
  if (const std::string problem = option.check(v); !problem.empty()) fail(option.name, problem);
  return v;
}

bool LayerSpec::boolean(const FlagParam& option) {
  declared(option.name);
  return JsonObject::boolean(std::string(option.name), option.default_value);
}

std::size_t LayerSpec::choice(const ChoiceParam& option) {
  declared(option.name);
  const std::vector<std::string> allowed(option.choices.begin(), option.choices.end());
  return option.index(JsonObject::text(std::string(option.name), allowed,
                                       fallback(std::string(option.default_value), option.required)));
}

std::array<std::int64_t, 2> LayerSpec::pair(const PairParam& option, std::array<std::int64_t, 2> from) {
  const nlohmann::json* found = declared(option.name);
  const std::string key(option.name);
  if (!found) {
    if (!option.default_from.empty()) return from;
    if (!option.required) return {option.default_value, option.default_value};
    fail(key, "missing (an integer or [h, w])");
  }
  const nlohmann::json& j = *found;
  auto valid = [&](const nlohmann::json& v) {
    return v.is_number_integer() && v.get<std::int64_t>() >= option.min && v.get<std::int64_t>() <= option.max;
  };
  if (valid(j)) return {j.get<std::int64_t>(), j.get<std::int64_t>()};
  if (j.is_array() && j.size() == 2 && valid(j[0]) && valid(j[1]))
    return {j[0].get<std::int64_t>(), j[1].get<std::int64_t>()};
  fail(key, "expected an integer or [h, w] with values in [" + std::to_string(option.min) + ", " +
                std::to_string(option.max) + "], got " + j.dump().substr(0, 40));
}

const nlohmann::json* LayerSpec::padding(const PaddingParam& option) { return declared(option.name); }

std::vector<float> LayerSpec::weight(const std::string& name, const std::vector<std::int64_t>& shape) {
  const nlohmann::json* weights = member("weights");
  if (!weights || !weights->is_object()) fail("weights", "missing (an object of tensors)");
  if (!weights->contains(name)) fail("weights/" + name, "missing (" + shape_text(shape) + " tensor)");
  used_weights_.insert(name);
  return decode_tensor((*weights)[name], shape, file(), member_pointer("weights/" + name), nullptr,
                       " for " + type() + " " + name + " " + shape_text(shape), stored_);
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
