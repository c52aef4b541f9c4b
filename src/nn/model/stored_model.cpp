#include "nn/model/stored_model.hpp"

#include "nn/model/layer_spec.hpp"

#include <bit>

namespace cqtcnn::nn {
namespace {

using nlohmann::json;

// Calls visit(tensor, pointer) on every object below `j` whose "data_b64" is base64 text; it does
// not look inside them.
template <class Visit>
void for_each_tensor(json& j, const std::string& pointer, Visit&& visit) {
  if (j.is_object() && j.contains("data_b64") && j["data_b64"].is_string()) {
    visit(j, pointer);
  } else if (j.is_object()) {
    for (auto& [key, child] : j.items()) for_each_tensor(child, pointer + "/" + key, visit);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) for_each_tensor(j[i], pointer + "/" + std::to_string(i), visit);
  }
}

}  // namespace

StoredModel store_model(json document, const std::string& name) {
  StoredModel stored;
  auto& out = stored.tensors;
  for_each_tensor(document, "", [&](json& tensor, const std::string& pointer) {
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

json load_stored_model(std::span<const std::uint8_t> skeleton, const std::string& name) {
  try {
    return json::from_cbor(skeleton.begin(), skeleton.end());
  } catch (const json::exception& e) {
    throw InvalidInput(name + ": not valid CBOR (" + e.what() + ")");
  }
}

}  // namespace cqtcnn::nn
