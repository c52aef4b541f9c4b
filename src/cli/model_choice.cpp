#include "cli/model_choice.hpp"

#include "cqtcnn/error.hpp"
#include "cqt/precomputed.hpp"
#include "nn/stored_model.hpp"

#include <cstddef>
#include <cstdint>

// models/digits.json in its stored form, made at build time by tools/embed_model.cpp (which
// checked that it loads and passes its test vectors): src/nn/stored_model.hpp; and its front
// end's filter banks, designed at build time: src/cqt/precomputed.hpp.
extern const unsigned char cqtcnn_default_model[], cqtcnn_default_model_tensors[], cqtcnn_default_model_filters[];
extern const std::size_t cqtcnn_default_model_size, cqtcnn_default_model_tensors_size,
    cqtcnn_default_model_filters_size;

namespace cqtcnn::cli {

Model load_model_or_builtin(const std::string& path) {
  // The built-in front end's banks serve any model with the same front end (models/digits.json too).
  if (cqtcnn_default_model_filters_size != 0)
    cqt::provide_filter_banks({cqtcnn_default_model_filters, cqtcnn_default_model_filters_size});
  if (!path.empty()) return Model::load(path);
  if (cqtcnn_default_model_size == 0)
    throw InvalidInput("this build has no built-in model (models/digits.json was missing); pass --model");
  const std::string name = "built-in model";
  return Model::from_json(nn::load_stored_model({cqtcnn_default_model, cqtcnn_default_model_size},
                                                {cqtcnn_default_model_tensors, cqtcnn_default_model_tensors_size}, name),
                          name);
}

}  // namespace cqtcnn::cli
