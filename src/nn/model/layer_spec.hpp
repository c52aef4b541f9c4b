// One layer's JSON object as its factory reads it (io::JsonObject: errors name the file and the
// JSON pointer, "m.json: /layers/3/stride: expected an integer in [1, 64], got 0"), and the
// decoding of weight tensors. Unknown keys and extra weights are refused rather than ignored.
#pragma once

#include "cqtcnn/error.hpp"
#include "io/json_object.hpp"
#include "nn/model/layer_option.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace cqtcnn::nn {

// A layer's object: its options read through their declarations (layer_option.hpp), which give
// the name, the type, the range and the default; weight tensors; and check_all_used(), which
// refuses members and weights that no factory read. A factory may read only the options its
// kind declares (the registry passes them to declare()): reading another is a programming error,
// thrown as std::logic_error, so that the declarations, and the schema and docs made from them,
// cannot fall behind the factories.
class LayerSpec : private io::JsonObject {
 public:
  // `stored`: the tensor bytes of a model in its stored form (stored_model.hpp), which the
  // weights' "data_b64" offsets point into; empty for a model file.
  LayerSpec(const nlohmann::json& object, std::string pointer, std::string file,
            std::span<const std::uint8_t> stored = {});

  using JsonObject::fail;
  using JsonObject::file;
  using JsonObject::has;
  using JsonObject::pointer;

  void declare(std::span<const LayerOption> options) { declared_ = options; }
  bool declares(std::string_view name) const;

  // An absent option takes its default, or is an error if it is required. Errors name the file
  // and the member: "m.json: /layers/3/stride: expected an integer in [1, 65536], got 0".
  std::int64_t integer(const NumberParam<int>& option);
  double number(const NumberParam<double>& option);
  bool boolean(const FlagParam& option);
  std::size_t choice(const ChoiceParam& option);  // the index of the value in option.choices
  // An integer or an [h, w] pair; `from` is the value of option.default_from, if it has one.
  std::array<std::int64_t, 2> pair(const PairParam& option, std::array<std::int64_t, 2> from = {});
  // The padding as written (it has several forms: kernel_geometry.cpp reads it), nullptr if absent.
  const nlohmann::json* padding(const PaddingParam& option);

  // A weight tensor from the "weights" object with exactly `shape` (row-major); finite values only.
  std::vector<float> weight(const std::string& name, const std::vector<std::int64_t>& shape);
  std::vector<float> weight(const LayerWeight& w, const std::vector<std::int64_t>& shape) {
    return weight(std::string(w.name), shape);
  }
  std::string type() const {
    return object().contains("type") && object()["type"].is_string() ? object()["type"].get<std::string>() : "?";
  }

  // Refuses keys and weights that no factory read. Called by the registry after the factory.
  void check_all_used() const;

 private:
  // The member `name`, marked as read; std::logic_error unless the kind declares it.
  const nlohmann::json* declared(std::string_view name);

  std::span<const LayerOption> declared_;
  std::set<std::string> used_weights_;
  std::span<const std::uint8_t> stored_;
};

// Decodes a tensor in either storage form (docs/model-format.md, "Tensors"): {"dtype":
// "float32", "shape": [...], "data_b64": "..."} or {"shape": [...], "data": [...]} or a flat
// array of numbers; in a model's stored form (stored_model.hpp), "data_b64" may instead be a byte
// offset into `stored`, read from there in place. `what` (" for conv2d weight 16x3x3x3") is added to size errors. `expected` gives the required shape (empty: take the stored one);
// `shape_out` receives the stored shape. Errors name `file` and `pointer`.
std::vector<float> decode_tensor(const nlohmann::json& j, const std::vector<std::int64_t>& expected,
                                 const std::string& file, const std::string& pointer,
                                 std::vector<std::int64_t>* shape_out = nullptr, const std::string& what = "",
                                 std::span<const std::uint8_t> stored = {});

using io::fail_at;  // "file: /pointer: message" as an InvalidInput

// Product of sizes, refusing any beyond kMaxTensorValues (so nothing absurd is allocated).
std::int64_t checked_count(const std::vector<std::int64_t>& shape, const std::string& file,
                           const std::string& pointer);

std::string shape_text(const std::vector<std::int64_t>& shape);  // "16x3x3x3"

}  // namespace cqtcnn::nn
