// libFuzzer target: a model file from a stranger. Model::parse must either return a model that
// runs (its shape inference promised so) or throw InvalidInput; nothing else is acceptable.
// A model that loads is run once on a zero input when that input is small, so the layers'
// forward passes see every geometry the loader lets through.
#include "cqtcnn/error.hpp"
#include "cqtcnn/model.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {
constexpr std::int64_t kMaxRunValues = std::int64_t{1} << 16;  // keeps each execution fast

std::int64_t values(const cqtcnn::Shape& s) {
  std::int64_t n = 1;
  for (std::int64_t d : {s.c, s.h, s.w}) n *= d;
  return n;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const cqtcnn::Model model = cqtcnn::Model::parse(text, "fuzz.json");
    if (values(model.input_shape()) > kMaxRunValues) return 0;
    for (const cqtcnn::LayerSummary& layer : model.summary())
      if (values(layer.output) > kMaxRunValues) return 0;
    const cqtcnn::Tensor x(1, model.input_shape());
    const cqtcnn::Tensor y = model.run(x, cqtcnn::Output::probabilities);
    // The output must have the shape the loader promised.
    if (y.n != 1 || y.count() != std::size_t(values(model.output_shape()))) __builtin_trap();
  } catch (const cqtcnn::InvalidInput&) {
  }
  return 0;
}
