// Model::builtin() and load_model_or_builtin() (model_search.hpp): models/digits.json in its stored form, made at build time by
// cmake/embed_model.cpp (which checked that it loads and passes its test vectors; the form is
// src/nn/model/stored_model.hpp's), and its front end's filter banks, designed at build time
// (src/cqt/precomputed.hpp). It lives here, where the model meets the CQT, and is compiled only
// into the library that carries the generated data (CMakeLists.txt), not into embed_model.
#include "cqtcnn/error.hpp"
#include "cqtcnn/model.hpp"
#include "classify/model_search.hpp"
#include "cqt/precomputed.hpp"
#include "nn/model/model_json.hpp"
#include "nn/model/stored_model.hpp"

#include <cstddef>
#include <string>

extern const unsigned char cqtcnn_default_model[], cqtcnn_default_model_tensors[], cqtcnn_default_model_filters[];
extern const std::size_t cqtcnn_default_model_size, cqtcnn_default_model_tensors_size,
    cqtcnn_default_model_filters_size;

namespace cqtcnn {

void provide_builtin_filter_banks() {
  // The built-in front end's banks serve any model with the same front end (models/digits.json too).
  if (cqtcnn_default_model_filters_size != 0)
    cqt::provide_filter_banks({cqtcnn_default_model_filters, cqtcnn_default_model_filters_size});
}

Model Model::builtin() {
  provide_builtin_filter_banks();
  if (cqtcnn_default_model_size == 0)
    throw InvalidInput("this build has no built-in model (models/digits.json was missing); pass --model");
  const std::string name = "built-in model";
  return model_from_json(nn::load_stored_model({cqtcnn_default_model, cqtcnn_default_model_size}, name), name,
                         {cqtcnn_default_model_tensors, cqtcnn_default_model_tensors_size});
}

Model load_model_or_builtin(const std::string& name) {
  if (name.empty()) return Model::builtin();  // which provides the banks itself
  provide_builtin_filter_banks();
  return Model::load(find_model(name));
}

}  // namespace cqtcnn
