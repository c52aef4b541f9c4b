// The model file's `frontend` object <-> FrontendConfig, for the library's own use (the public
// frontend.hpp names no JSON type).
#pragma once

#include "cqtcnn/frontend.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace cqtcnn {

// Parses the model file's `frontend` object; `where` names the file in error messages
// ("model.json: /frontend/cqt/hop_length: must be in [1, 1048576], got 0"). Throws InvalidInput.
FrontendConfig frontend_from_json(const nlohmann::json& j, const std::string& where);
nlohmann::json frontend_to_json(const FrontendConfig& config);
// Every parameter's default (params.hpp), as a front end with both the `db` and the `pcen` object:
// `cqtcnn inspect --defaults`, where the training tools read them.
nlohmann::json frontend_defaults_json();

}  // namespace cqtcnn
