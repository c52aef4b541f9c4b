// Typed access to one layer's JSON object with error messages that name the file and the JSON
// pointer of the offending field ("m.json: /layers/3/stride: expected an integer >= 1"). The
// spec remembers which keys a factory read, so that unknown keys and extra weights are refused
// rather than silently ignored.
#pragma once

#include "cqtcnn/error.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cqtcnn::nn {

class LayerSpec {
 public:
  LayerSpec(const nlohmann::json& object, std::string pointer, std::string file);

  const std::string& pointer() const { return pointer_; }
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;

  bool has(const std::string& key) const { return json_.contains(key); }
  std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max,
                       std::optional<std::int64_t> fallback = std::nullopt);
  double number(const std::string& key, double min, double max, std::optional<double> fallback = std::nullopt);
  bool boolean(const std::string& key, std::optional<bool> fallback = std::nullopt);
  std::string text(const std::string& key, const std::vector<std::string>& allowed,
                   std::optional<std::string> fallback = std::nullopt);
  // An integer or an [h, w] pair (PyTorch's kernel_size, stride, dilation).
  std::array<std::int64_t, 2> pair(const std::string& key, std::int64_t min, std::int64_t max,
                                   std::optional<std::int64_t> fallback = std::nullopt);
  // Raw access for fields with several forms (padding); marks the key used.
  const nlohmann::json* raw(const std::string& key);

  // A weight tensor from the "weights" object with exactly `shape` (row-major); finite values only.
  std::vector<float> weight(const std::string& name, const std::vector<std::int64_t>& shape);
  std::string type() const {
    return json_.contains("type") && json_["type"].is_string() ? json_["type"].get<std::string>() : "?";
  }

  // Refuses keys and weights that no factory read. Called by the registry after the factory.
  void check_all_used() const;

 private:
  const nlohmann::json& field(const std::string& key);
  const nlohmann::json& json_;
  std::string pointer_;
  std::string file_;
  std::set<std::string> used_{"type"};
  std::set<std::string> used_weights_;
};

// Decodes a tensor in either storage form (docs/model-format.md, "Tensors"): {"dtype":
// "float32", "shape": [...], "data_b64": "..."} or {"shape": [...], "data": [...]} or a flat
// array of numbers. `what` (" for conv2d weight 16x3x3x3") is added to size errors. `expected` gives the required shape (empty: take the stored one);
// `shape_out` receives the stored shape. Errors name `file` and `pointer`.
std::vector<float> decode_tensor(const nlohmann::json& j, const std::vector<std::int64_t>& expected,
                                 const std::string& file, const std::string& pointer,
                                 std::vector<std::int64_t>* shape_out = nullptr, const std::string& what = "");

// "file: /pointer: message" as an InvalidInput.
[[noreturn]] void fail_at(const std::string& file, const std::string& pointer, const std::string& message);

// Product of sizes, refusing any beyond kMaxTensorValues (so nothing absurd is allocated).
std::int64_t checked_count(const std::vector<std::int64_t>& shape, const std::string& file,
                           const std::string& pointer);

std::string shape_text(const std::vector<std::int64_t>& shape);  // "16x3x3x3"

}  // namespace cqtcnn::nn
