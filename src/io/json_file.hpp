// Reading a JSON file safely (model files, front-end files): a size limit before reading, a
// nesting-depth limit before parsing (a pre-scan, so that no parser recursion or memory grows with
// hostile nesting), and parse errors reported as one-line InvalidInput naming the file.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace cqtcnn::io {

// The file's text; refuses a file over kMaxModelFileBytes. `what` names the kind of file in
// messages ("m.json: cannot read model file (...)").
std::string read_json_text(const std::filesystem::path& path, const std::string& what = "model file");
// Parses `text`, refusing nesting deeper than kMaxJsonDepth; `name` (the file) starts each message.
nlohmann::json parse_json(std::string_view text, const std::string& name);
// Both.
nlohmann::json read_json_file(const std::filesystem::path& path, const std::string& what = "model file");

}  // namespace cqtcnn::io
