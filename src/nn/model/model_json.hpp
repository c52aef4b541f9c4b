// The JSON side of a Model, for the library's own use (the public model.hpp names no JSON type):
// building one from a parsed document, and the file's `frontend` and `metadata` objects.
#pragma once

#include "cqtcnn/model.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <span>
#include <string>

namespace cqtcnn {

// Builds a model from a document already parsed (the same checks as Model::parse). With
// `stored` (the tensor bytes of a model in its stored form, stored_model.hpp: how the built-in
// model arrives), a tensor's "data_b64" may also be a byte offset into them; the values are
// read from there in place.
Model model_from_json(const nlohmann::json& document, const std::string& name,
                      std::span<const std::uint8_t> stored = {});

// The model file's `frontend` object ({} if it has none): classifier.hpp's audio_frontend reads it.
const nlohmann::json& model_frontend_json(const Model& model);
// The model file's `metadata` object ({} if it has none).
const nlohmann::json& model_metadata_json(const Model& model);

}  // namespace cqtcnn
