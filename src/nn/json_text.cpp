#include "nn/json_text.hpp"

#include "cqtcnn/error.hpp"
#include "cqtcnn/model.hpp"

#include <fstream>

namespace cqtcnn::nn {
namespace {

// Deepest bracket nesting outside strings; stops counting once past the limit.
int nesting_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size() && deepest <= kMaxJsonDepth; ++i) {
    const char ch = text[i];
    if (in_string) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

std::string read_model_text(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw InvalidInput(path.string() + ": cannot read model file (" + ec.message() + ")");
  if (size > kMaxModelFileBytes)
    throw InvalidInput(path.string() + ": model file is " + std::to_string(size) + " bytes, more than the limit of " +
                       std::to_string(kMaxModelFileBytes));
  std::ifstream in(path, std::ios::binary);
  std::string text(size, '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(size)))
    throw InvalidInput(path.string() + ": cannot read model file");
  return text;
}

nlohmann::json parse_model_json(std::string_view text, const std::string& name) {
  if (nesting_depth(text) > kMaxJsonDepth)
    throw InvalidInput(name + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e999
    throw InvalidInput(name + ": not valid JSON (" + e.what() + ")");
  }
}

}  // namespace cqtcnn::nn
