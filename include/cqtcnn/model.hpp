// A CNN classifier loaded from a cqtcnn model file (JSON, docs/model-format.md): the layers,
// the class labels, the audio front end's parameters (classifier.hpp's audio_frontend reads them)
// and free-form metadata. Loading validates everything and runs shape inference first, so a model
// that loads can always run; any problem throws InvalidInput naming the file and the JSON path.
//
//   auto model = cqtcnn::Model::load("digits.json");
//   cqtcnn::Tensor x(1, model.input_shape());          // fill x.data (NCHW)
//   cqtcnn::Tensor p = model.run(x, cqtcnn::Output::probabilities);
#pragma once

#include "cqtcnn/tensor.hpp"

#include <cstdint>
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
  // The model built into the library (models/digits.json at build time; named "built-in model"
  // in messages). Throws InvalidInput if the library was built without one.
  static Model builtin();

  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  const std::string& name() const;
  const std::vector<std::string>& labels() const;
  Shape input_shape() const;
  Shape output_shape() const;
  bool ends_in_softmax() const;
  const std::vector<TestVector>& test_vectors() const;
  // The file's `metadata` object as JSON text ("{}" if it has none).
  std::string metadata_json() const;

  std::vector<LayerSummary> summary() const;

  // Runs a batch (input.shape must equal input_shape()). Returns [N, classes, 1, 1] or, for a
  // network whose output is not flat, the last layer's shape.
  Tensor run(const Tensor& input, Output output = Output::network, const RunOptions& options = {}) const;

  // Checks the embedded test vectors against run(..., Output::network).
  std::vector<TestVectorResult> verify() const;

 private:
  struct Impl;  // src/nn/model/model_impl.hpp
  friend struct ModelAccess;
  explicit Model(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cqtcnn
