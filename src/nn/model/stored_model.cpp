#include "nn/model/stored_model.hpp"

#include "nn/model/layer_spec.hpp"

#include <bit>

namespace cqtcnn::nn {
namespace {

using nlohmann::json;

// Calls visit(tensor, pointer) on every object below `j` whose "data_b64" passes `is_kind` (a
// string in a model file, an unsigned offset in the stored skeleton); it does not look inside them.
template <class Visit>
void for_each_tensor(json& j, bool (json::*is_kind)() const noexcept, const std::string& pointer, Visit&& visit) {
  if (j.is_object() && j.contains("data_b64") && (j["data_b64"].*is_kind)()) {
    visit(j, pointer);
  } else if (j.is_object()) {
    for (auto& [key, child] : j.items()) for_each_tensor(child, is_kind, pointer + "/" + key, visit);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) for_each_tensor(j[i], is_kind, pointer + "/" + std::to_string(i), visit);
  }
}

}  // namespace

StoredModel store_model(json document, const std::string& name) {
  StoredModel stored;
  auto& out = stored.tensors;
  for_each_tensor(document, &json::is_string, "", [&](json& tensor, const std::string& pointer) {
    const std::vector<float> values = decode_tensor(tensor, {}, name, pointer);
    out.resize((out.size() + 63) / 64 * 64);
    tensor["data_b64"] = out.size();
    for (const float v : values) {  // little-endian, as the base64 text was
      const auto u = std::bit_cast<std::uint32_t>(v);
      for (int b = 0; b < 4; ++b) out.push_back(static_cast<std::uint8_t>(u >> (8 * b)));
    }
  });
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
  for_each_tensor(document, &json::is_number_unsigned, "", [&](json& tensor, const std::string& pointer) {
    std::vector<std::int64_t> shape;
    if (tensor.contains("shape") && tensor["shape"].is_array())
      for (const auto& d : tensor["shape"]) shape.push_back(d.is_number_unsigned() ? d.get<std::int64_t>() : -1);
    const std::int64_t count = checked_count(shape, name, pointer + "/shape");  // refuses -1 and absurd sizes
    const auto offset = tensor["data_b64"].get<std::uint64_t>();
    const auto bytes = static_cast<std::uint64_t>(count) * 4;
    if (offset > tensors.size() || bytes > tensors.size() - offset)
      fail_at(name, pointer + "/data_b64", "tensor bytes out of range");
    const auto* begin = tensors.data() + offset;
    tensor["data_b64"] = json::binary(json::binary_t::container_type(begin, begin + bytes));
  });
  return document;
}

}  // namespace cqtcnn::nn
