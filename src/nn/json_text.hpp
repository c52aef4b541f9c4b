// Reading a model file safely: a size limit before reading, a nesting-depth limit before
// parsing (a pre-scan, so that no parser recursion or memory grows with hostile nesting), and
// parse errors reported as one-line InvalidInput naming the file.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace cqtcnn::nn {

std::string read_model_text(const std::filesystem::path& path);
nlohmann::json parse_model_json(std::string_view text, const std::string& name);

}  // namespace cqtcnn::nn
