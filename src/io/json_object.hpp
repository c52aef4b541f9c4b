// One JSON object's members, read with their types and ranges checked. Every error names the file
// and the JSON pointer of the member ("m.json: /layers/3/stride: expected an integer in [1, 64],
// got 0"). The reader remembers which members were asked for, so that check_all_read() refuses
// the others: a misspelt key must not be silently ignored. A model's layers (nn::LayerSpec) and
// its front end (frontend/frontend_config.cpp) are read through it.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cqtcnn::io {

// "file: /pointer: message" as an InvalidInput ("/" for the document itself).
[[noreturn]] void fail_at(const std::string& file, const std::string& pointer, const std::string& message);

class JsonObject {
 public:
  // `object` must outlive the reader; `pointer` is its JSON pointer in `file` ("" for the root).
  JsonObject(const nlohmann::json& object, std::string file, std::string pointer);

  const std::string& file() const { return file_; }
  const std::string& pointer() const { return pointer_; }
  std::string member_pointer(std::string_view key) const;
  // The error of member `key` ("" for the object itself).
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;

  bool has(const std::string& key) const { return json_.contains(key); }
  // The member (null included), marked as read; nullptr when absent.
  const nlohmann::json* member(const std::string& key);

  // Typed members: absent gives `fallback`, or an error when there is none.
  std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max,
                       std::optional<std::int64_t> fallback = std::nullopt);
  double number(const std::string& key, double min, double max, std::optional<double> fallback = std::nullopt);
  bool boolean(const std::string& key, std::optional<bool> fallback = std::nullopt);
  std::string text(const std::string& key, const std::vector<std::string>& allowed,
                   std::optional<std::string> fallback = std::nullopt);

  // Refuses the first member never asked for, with `problem` ("unknown member").
  void check_all_read(const std::string& problem) const;

 protected:
  const nlohmann::json& object() const { return json_; }

 private:
  const nlohmann::json& json_;
  std::string file_;
  std::string pointer_;
  std::set<std::string, std::less<>> read_;
};

}  // namespace cqtcnn::io
