#include "cli/model_choice.hpp"

#include "cqtcnn/error.hpp"

#include <cstddef>
#include <string_view>

extern const char cqtcnn_default_model[];
extern const std::size_t cqtcnn_default_model_size;

namespace cqtcnn::cli {

Model load_model_or_builtin(const std::string& path) {
  if (!path.empty()) return Model::load(path);
  if (cqtcnn_default_model_size == 0)
    throw InvalidInput("this build has no built-in model (models/digits.json was missing); pass --model");
  return Model::parse(std::string_view(cqtcnn_default_model, cqtcnn_default_model_size), "built-in model");
}

}  // namespace cqtcnn::cli
