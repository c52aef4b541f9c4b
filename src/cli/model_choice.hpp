// The model a command runs: the file given with --model, or the built-in one (models/digits.json,
// embedded at build time; named "built-in model" in messages).
#pragma once

#include "cqtcnn/model.hpp"

#include <string>

namespace cqtcnn::cli {

Model load_model_or_builtin(const std::string& path);

}  // namespace cqtcnn::cli
