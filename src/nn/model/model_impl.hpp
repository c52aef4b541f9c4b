// What a Model holds (include/cqtcnn/model.hpp keeps it behind a pointer, so that the public
// header names no layer and no JSON type): the layers as in the file, their output shapes, the
// execution plan, and the file's front end and metadata as JSON. model_load.cpp fills it,
// model.cpp runs it.
#pragma once

#include "cqtcnn/model.hpp"
#include "nn/model/layer.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace cqtcnn {

struct Model::Impl {
  std::string name;
  nlohmann::json frontend;
  nlohmann::json metadata;
  std::vector<std::string> labels;
  Shape input_shape;
  std::vector<std::unique_ptr<Layer>> layers;  // as in the file
  std::vector<Shape> shapes;                   // shapes[i] = output of layer i; back() = model output
  std::vector<bool> folded;                    // layer i merged into an earlier one
  std::vector<std::size_t> plan;               // indices of the layers that run, in order
  std::vector<TestVector> test_vectors;

  void build_plan();
  Shape step_shape(std::size_t step) const;
  void run_steps(const Tensor& input, std::size_t step_count, Tensor& result) const;
  struct Buffers;
  const Tensor& run_range(const Tensor& input, std::size_t first, std::size_t last, Buffers& buf) const;
};

// The library's own access to a Model's insides (model_json.hpp's functions).
struct ModelAccess {
  using Impl = Model::Impl;
  static Model make(std::unique_ptr<Model::Impl> impl) { return Model(std::move(impl)); }
  static const Model::Impl& of(const Model& model) { return *model.impl_; }
};

}  // namespace cqtcnn
