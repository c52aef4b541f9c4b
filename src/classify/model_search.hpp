// The model a command runs: the file given with --model, a model installed by name
// (`--model instruments`: instruments.json in the model folders), or the built-in one
// (models/digits.json, embedded at build time; named "built-in model" in messages).
#pragma once

#include "cqtcnn/model.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cqtcnn {

// Where models are found by name, in order: each folder of $CQTCNN_MODEL_PATH (colon-separated),
// then share/cqtcnn/models of the installed tree the program runs from (../share beside bin/),
// then PREFIX/share/cqtcnn/models of the prefix it was built for. Folders that do not exist are
// left out; none is listed twice.
std::vector<std::filesystem::path> model_folders();

// The models in model_folders(): each *.json file that is not a front end (*.frontend.json),
// the first of a name only.
std::vector<std::filesystem::path> installed_models();

// `name` as a file when it is one (or names a folder); else, when it is a bare name ("instruments",
// "instruments.json"), the model of that name in model_folders(). Throws InvalidInput naming
// the folders searched and the models found there.
std::filesystem::path find_model(const std::string& name);

// What names the built-in model where a model must be named (spectrogram --model built-in).
inline constexpr const char* kBuiltinModel = "built-in";

// Hands the built-in model's filter banks, designed at build time, to the CQT (builtin.cpp): a
// model with the same front end (models/digits.json too) then skips designing them.
void provide_builtin_filter_banks();

// The model `name` (find_model), or the built-in one (Model::builtin) when `name` is empty.
Model load_model_or_builtin(const std::string& name);

}  // namespace cqtcnn
