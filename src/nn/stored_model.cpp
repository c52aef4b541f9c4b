#include "nn/stored_model.hpp"

#include "nn/layer_spec.hpp"

#include <bit>

namespace cqtcnn::nn {
namespace {

using nlohmann::json;

bool is_base64_tensor(const json& j) { return j.is_object() && j.contains("data_b64") && j["data_b64"].is_string(); }
bool is_stored_tensor(const json& j) {
  return j.is_object() && j.contains("data_b64") && j["data_b64"].is_number_unsigned();
}

void move_tensors(json& j, const std::string& name, const std::string& pointer, std::vector<std::uint8_t>& out) {
  if (is_base64_tensor(j)) {
    const std::vector<float> values = decode_tensor(j, {}, name, pointer);
    out.resize((out.size() + 63) / 64 * 64);
    j["data_b64"] = out.size();
    for (const float v : values) {  // little-endian, as the base64 text was
      const auto u = std::bit_cast<std::uint32_t>(v);
      for (int b = 0; b < 4; ++b) out.push_back(static_cast<std::uint8_t>(u >> (8 * b)));
    }
  } else if (j.is_object()) {
    for (auto& [key, child] : j.items()) move_tensors(child, name, pointer + "/" + key, out);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) move_tensors(j[i], name, pointer + "/" + std::to_string(i), out);
  }
}

void attach_tensors(json& j, std::span<const std::uint8_t> tensors, const std::string& name, const std::string& pointer) {
  if (is_stored_tensor(j)) {
    std::vector<std::int64_t> shape;
    if (j.contains("shape") && j["shape"].is_array())
      for (const auto& d : j["shape"]) shape.push_back(d.is_number_unsigned() ? d.get<std::int64_t>() : -1);
    const std::int64_t count = checked_count(shape, name, pointer + "/shape");  // refuses -1 and absurd sizes
    const auto offset = j["data_b64"].get<std::uint64_t>();
    const auto bytes = static_cast<std::uint64_t>(count) * 4;
    if (offset > tensors.size() || bytes > tensors.size() - offset)
      fail_at(name, pointer + "/data_b64", "tensor bytes out of range");
    const auto* begin = tensors.data() + offset;
    j["data_b64"] = json::binary(json::binary_t::container_type(begin, begin + bytes));
  } else if (j.is_object()) {
    for (auto& [key, child] : j.items()) attach_tensors(child, tensors, name, pointer + "/" + key);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) attach_tensors(j[i], tensors, name, pointer + "/" + std::to_string(i));
  }
}

}  // namespace

StoredModel store_model(json document, const std::string& name) {
  StoredModel stored;
  move_tensors(document, name, "", stored.tensors);
  stored.skeleton = json::to_cbor(document);
  return stored;
}

json load_stored_model(std::span<const std::uint8_t> skeleton, std::span<const std::uint8_t> tensors,
                       const std::string& name) {
  json document;
  try {
    document = json::from_cbor(skeleton.begin(), skeleton.end());
  } catch (const json::exception& e) {
    throw InvalidInput(name + ": not valid CBOR (" + e.what() + ")");
  }
  attach_tensors(document, tensors, name, "");
  return document;
}

}  // namespace cqtcnn::nn
