#include "cli/model_choice.hpp"

#include "cqtcnn/error.hpp"
#include "nn/stored_model.hpp"

#include <cstddef>
#include <cstdint>

// models/digits.json in its stored form, made at build time by tools/embed_model.cpp (which
// checked that it loads and passes its test vectors): src/nn/stored_model.hpp.
extern const unsigned char cqtcnn_default_model[], cqtcnn_default_model_tensors[];
extern const std::size_t cqtcnn_default_model_size, cqtcnn_default_model_tensors_size;

namespace cqtcnn::cli {

Model load_model_or_builtin(const std::string& path) {
  if (!path.empty()) return Model::load(path);
  if (cqtcnn_default_model_size == 0)
    throw InvalidInput("this build has no built-in model (models/digits.json was missing); pass --model");
  const std::string name = "built-in model";
  return Model::from_json(nn::load_stored_model({cqtcnn_default_model, cqtcnn_default_model_size},
                                                {cqtcnn_default_model_tensors, cqtcnn_default_model_tensors_size}, name),
                          name);
}

}  // namespace cqtcnn::cli
