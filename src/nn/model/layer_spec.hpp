// One layer's JSON object as its factory reads it (io::JsonObject: errors name the file and the
// JSON pointer, "m.json: /layers/3/stride: expected an integer in [1, 64], got 0"), and the
// decoding of weight tensors. Unknown keys and extra weights are refused rather than ignored.
#pragma once

#include "cqtcnn/error.hpp"
#include "io/json_object.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cqtcnn::nn {

// A layer's object: io::JsonObject's typed members, plus the forms only layers have (an
// integer-or-pair, weight tensors), and check_all_used(), which also refuses unread weights.
class LayerSpec : public io::JsonObject {
 public:
  LayerSpec(const nlohmann::json& object, std::string pointer, std::string file);

  // An integer or an [h, w] pair (PyTorch's kernel_size, stride, dilation).
  std::array<std::int64_t, 2> pair(const std::string& key, std::int64_t min, std::int64_t max,
                                   std::optional<std::int64_t> fallback = std::nullopt);
  // Raw access for fields with several forms (padding); marks the key used.
  const nlohmann::json* raw(const std::string& key) { return member(key); }

  // A weight tensor from the "weights" object with exactly `shape` (row-major); finite values only.
  std::vector<float> weight(const std::string& name, const std::vector<std::int64_t>& shape);
  std::string type() const {
    return object().contains("type") && object()["type"].is_string() ? object()["type"].get<std::string>() : "?";
  }

  // Refuses keys and weights that no factory read. Called by the registry after the factory.
  void check_all_used() const;

 private:
  std::set<std::string> used_weights_;
};

// Decodes a tensor in either storage form (docs/model-format.md, "Tensors"): {"dtype":
// "float32", "shape": [...], "data_b64": "..."} or {"shape": [...], "data": [...]} or a flat
// array of numbers. `what` (" for conv2d weight 16x3x3x3") is added to size errors. `expected` gives the required shape (empty: take the stored one);
// `shape_out` receives the stored shape. Errors name `file` and `pointer`.
std::vector<float> decode_tensor(const nlohmann::json& j, const std::vector<std::int64_t>& expected,
                                 const std::string& file, const std::string& pointer,
                                 std::vector<std::int64_t>* shape_out = nullptr, const std::string& what = "");

using io::fail_at;  // "file: /pointer: message" as an InvalidInput

// Product of sizes, refusing any beyond kMaxTensorValues (so nothing absurd is allocated).
std::int64_t checked_count(const std::vector<std::int64_t>& shape, const std::string& file,
                           const std::string& pointer);

std::string shape_text(const std::vector<std::int64_t>& shape);  // "16x3x3x3"

}  // namespace cqtcnn::nn
