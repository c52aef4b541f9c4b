#include "io/json_file.hpp"

#include "cqtcnn/error.hpp"
#include "cqtcnn/model.hpp"

#include <array>
#include <cstring>
#include <fstream>
#include <string_view>
#include <vector>

namespace cqtcnn::io {
namespace {

// The index of the quote closing the string opened at `open` (text.size() if none). memchr
// does the scanning: a character loop over the weights' long strings was a visible load cost.
std::size_t string_end(std::string_view text, std::size_t open) {
  std::size_t pos = open + 1;
  while (pos < text.size()) {
    const auto* start = text.data() + pos;
    const auto* quote = static_cast<const char*>(std::memchr(start, '"', text.size() - pos));
    if (!quote) return text.size();
    const auto* escape = static_cast<const char*>(std::memchr(start, '\\', static_cast<std::size_t>(quote - start)));
    if (!escape) return static_cast<std::size_t>(quote - text.data());
    pos = static_cast<std::size_t>(escape - text.data()) + 2;  // skip the escaped character
  }
  return text.size();
}

// Deepest bracket nesting outside strings; stops counting once past the limit.
int nesting_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  for (std::size_t i = 0; i < text.size() && deepest <= kMaxJsonDepth; ++i) {
    const char ch = text[i];
    if (ch == '"') {
      i = string_end(text, i);
    } else if (ch == '[' || ch == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

std::string read_json_text(const std::filesystem::path& path, const std::string& what) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw InvalidInput(path.string() + ": cannot read " + what + " (" + ec.message() + ")");
  if (size > kMaxModelFileBytes)
    throw InvalidInput(path.string() + ": " + what + " is " + std::to_string(size) +
                       " bytes, more than the limit of " + std::to_string(kMaxModelFileBytes));
  std::ifstream in(path, std::ios::binary);
  std::string text(size, '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(size)))
    throw InvalidInput(path.string() + ": cannot read " + what);
  return text;
}

namespace {

// nlohmann's lexer copies a string one character at a time, which made the weights' long base64
// strings most of a model's load time (35 ms for 1.9 MB). So strings of at least kLongString
// base64 characters (object member values) are cut out of the text before parsing, left as short placeholders, and
// moved into the parsed document afterwards. Base64 characters need no unescaping or UTF-8
// checks, so the document is the same as a direct parse. A placeholder is "\u0000" plus its
// index; a text that itself contains "\u0000" is parsed directly, so no string can pose as one.
constexpr std::size_t kLongString = 256;

constexpr std::array<bool, 256> make_base64_set() {
  std::array<bool, 256> set{};
  for (const char* c = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="; *c; ++c)
    set[static_cast<unsigned char>(*c)] = true;
  return set;
}
constexpr auto kBase64Set = make_base64_set();

bool all_base64(std::string_view s) {
  bool ok = true;
  for (const char ch : s) ok &= kBase64Set[static_cast<unsigned char>(ch)];  // no early exit: vectorisable
  return ok;
}

// True when the string starting at `quote` is an object member's value (never a key).
bool follows_colon(std::string_view text, std::size_t quote) {
  const std::size_t before = text.find_last_not_of(" \t\r\n", quote == 0 ? std::string_view::npos : quote - 1);
  return quote > 0 && before != std::string_view::npos && text[before] == ':';
}

struct CutText {
  std::string text;                    // with placeholders
  std::vector<std::string_view> cut;  // the long strings, by placeholder index
};

CutText cut_long_strings(std::string_view text) {
  CutText r;
  if (text.find("\\u0000") != std::string_view::npos) return {std::string(text), {}};
  r.text.reserve(text.size() / 8);
  std::size_t copied = 0;  // text[0, copied) is in r.text
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '"') continue;
    const std::size_t end = string_end(text, i);
    if (end < text.size() && end - i - 1 >= kLongString && follows_colon(text, i) &&
        all_base64(text.substr(i + 1, end - i - 1))) {
      r.text.append(text.substr(copied, i + 1 - copied));
      r.text += "\\u0000" + std::to_string(r.cut.size());
      r.cut.push_back(text.substr(i + 1, end - i - 1));
      copied = end;
    }
    i = end;
  }
  r.text.append(text.substr(copied));
  return r;
}

void restore_long_strings(nlohmann::json& j, const std::vector<std::string_view>& cut) {
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (!s.empty() && s[0] == '\0') j = std::string(cut[std::stoul(s.substr(1))]);
  } else if (j.is_structured()) {
    for (auto& child : j) restore_long_strings(child, cut);
  }
}

}  // namespace

nlohmann::json parse_json(std::string_view text, const std::string& name) {
  if (nesting_depth(text) > kMaxJsonDepth)
    throw InvalidInput(name + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  const CutText cut = cut_long_strings(text);
  try {
    nlohmann::json j = nlohmann::json::parse(cut.text);
    if (!cut.cut.empty()) restore_long_strings(j, cut.cut);
    return j;
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e999
    throw InvalidInput(name + ": not valid JSON (" + e.what() + ")");
  }
}

nlohmann::json read_json_file(const std::filesystem::path& path, const std::string& what) {
  return parse_json(read_json_text(path, what), path.string());
}

}  // namespace cqtcnn::io
