// A CNN classifier loaded from a cqtcnn model file (JSON, docs/model-format.md): the layers,
// the class labels, the audio front end's parameters (kept as JSON for the audio pipeline) and
// free-form metadata. Loading validates everything and runs shape inference first, so a model
// that loads can always run; any problem throws InvalidInput naming the file and the JSON path.
//
//   auto model = cqtcnn::Model::load("digits.json");
//   cqtcnn::Tensor x(1, model.input_shape());          // fill x.data (NCHW)
//   cqtcnn::Tensor p = model.run(x, cqtcnn::Output::probabilities);
#pragma once

#include "cqtcnn/layer.hpp"
#include "cqtcnn/tensor.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cqtcnn {

enum class Output {
  network,        // whatever the last layer computes
  logits,         // the output before a final softmax (= network if there is none)
  probabilities,  // softmax of the logits
};

struct RunOptions {
  int threads = 1;  // threads: the batch is split across them
};

struct LayerSummary {
  std::string type;
  std::string detail;
  Shape output;
  std::int64_t parameters = 0;
  std::int64_t multiply_adds = 0;
  bool folded = false;  // merged into the layer before it at load (batch norm, activation)
};

struct TestVector {
  Tensor input;  // one sample
  std::vector<float> output;
  float tolerance = 1e-4F;
};

struct TestVectorResult {
  std::size_t index = 0;
  float max_abs_error = 0;
  float tolerance = 0;
  bool passed = false;
};

// Limits applied before anything is allocated (docs/model-format.md, "Limits").
inline constexpr std::uintmax_t kMaxModelFileBytes = 512ULL << 20;
inline constexpr int kMaxJsonDepth = 64;
inline constexpr std::int64_t kMaxTensorValues = std::int64_t{1} << 28;  // per weight or activation

class Model {
 public:
  static Model load(const std::filesystem::path& path);
  // Parses model text; `name` stands for the file in error messages.
  static Model parse(std::string_view text, const std::string& name);
  // Builds a model from a document already parsed (the same checks as parse). A tensor's
  // "data_b64" may also hold the little-endian float32 bytes themselves, as a JSON binary value:
  // that is how the built-in model arrives from its stored form (src/nn/stored_model.hpp).
  static Model from_json(const nlohmann::json& document, const std::string& name);

  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  const std::string& name() const { return name_; }
  const nlohmann::json& frontend() const { return frontend_; }
  const nlohmann::json& metadata() const { return metadata_; }
  const std::vector<std::string>& labels() const { return labels_; }
  Shape input_shape() const { return input_shape_; }
  Shape output_shape() const { return shapes_.back(); }
  bool ends_in_softmax() const;
  const std::vector<TestVector>& test_vectors() const { return test_vectors_; }

  std::vector<LayerSummary> summary() const;

  // Runs a batch (input.shape must equal input_shape()). Returns [N, classes, 1, 1] or, for a
  // network whose output is not flat, the last layer's shape.
  Tensor run(const Tensor& input, Output output = Output::network, const RunOptions& options = {}) const;

  // Checks the embedded test vectors against run(..., Output::network).
  std::vector<TestVectorResult> verify() const;

 private:
  Model() = default;
  void build_plan();
  Shape step_shape(std::size_t step) const;
  void run_steps(const Tensor& input, std::size_t step_count, Tensor& result) const;

  std::string name_;
  nlohmann::json frontend_;
  nlohmann::json metadata_;
  std::vector<std::string> labels_;
  Shape input_shape_;
  std::vector<std::unique_ptr<Layer>> layers_;  // as in the file
  std::vector<Shape> shapes_;                   // shapes_[i] = output of layer i; back() = model output
  std::vector<bool> folded_;                    // layer i merged into an earlier one
  std::vector<std::size_t> plan_;               // indices of the layers that run, in order
  std::vector<TestVector> test_vectors_;
};

}  // namespace cqtcnn
