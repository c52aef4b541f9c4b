#include "io/json_object.hpp"

#include "cqtcnn/error.hpp"

namespace cqtcnn::io {

void fail_at(const std::string& file, const std::string& pointer, const std::string& message) {
  throw InvalidInput(file + ": " + (pointer.empty() ? std::string("/") : pointer) + ": " + message);
}

JsonObject::JsonObject(const nlohmann::json& object, std::string file, std::string pointer)
    : json_(object), file_(std::move(file)), pointer_(std::move(pointer)) {}

std::string JsonObject::member_pointer(std::string_view key) const {
  return key.empty() ? pointer_ : pointer_ + "/" + std::string(key);
}

void JsonObject::fail(std::string_view key, const std::string& message) const {
  fail_at(file_, member_pointer(key), message);
}

const nlohmann::json* JsonObject::member(const std::string& key) {
  read_.insert(key);
  const auto it = json_.find(key);
  return it == json_.end() ? nullptr : &*it;
}

std::int64_t JsonObject::integer(const std::string& key, std::int64_t min, std::int64_t max,
                                 std::optional<std::int64_t> fallback) {
  const nlohmann::json* j = member(key);
  if (!j) {
    if (fallback) return *fallback;
    fail(key, "missing (an integer)");
  }
  if (!j->is_number_integer() || j->get<std::int64_t>() < min || j->get<std::int64_t>() > max)
    fail(key, "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " +
                  j->dump().substr(0, 40));
  return j->get<std::int64_t>();
}

double JsonObject::number(const std::string& key, double min, double max, std::optional<double> fallback) {
  const nlohmann::json* j = member(key);
  if (!j) {
    if (fallback) return *fallback;
    fail(key, "missing (a number)");
  }
  if (!j->is_number() || !(j->get<double>() >= min && j->get<double>() <= max))
    fail(key, "expected a number in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " +
                  j->dump().substr(0, 40));
  return j->get<double>();
}

bool JsonObject::boolean(const std::string& key, std::optional<bool> fallback) {
  const nlohmann::json* j = member(key);
  if (!j) {
    if (fallback) return *fallback;
    fail(key, "missing (true or false)");
  }
  if (!j->is_boolean()) fail(key, "expected true or false, got " + j->dump().substr(0, 40));
  return j->get<bool>();
}

std::string JsonObject::text(const std::string& key, const std::vector<std::string>& allowed,
                             std::optional<std::string> fallback) {
  const nlohmann::json* j = member(key);
  if (!j) {
    if (fallback) return *fallback;
    fail(key, "missing (a string)");
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "\"" : ", \"") + a + "\"";
  if (!j->is_string()) fail(key, "expected one of " + list);
  for (const auto& a : allowed)
    if (a == j->get<std::string>()) return a;
  fail(key, "expected one of " + list + ", got \"" + j->get<std::string>().substr(0, 40) + "\"");
}

void JsonObject::check_all_read(const std::string& problem) const {
  for (const auto& [key, value] : json_.items())
    if (!read_.count(key)) fail(key, problem);
}

}  // namespace cqtcnn::io
