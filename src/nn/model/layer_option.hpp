// A layer's options and weights, each declared once beside its factory (src/nn/layers/). An option
// is declared as Essentia's declareParameter(name, doc, range, default), with the types of
// cqtcnn/params.hpp, as the front end's parameters, plus the two forms only layers have: a size
// pair and a padding.
#pragma once

#include "cqtcnn/params.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace cqtcnn::nn {

// An integer or an [h, w] pair of integers, each in [min, max] (PyTorch's kernel_size, stride,
// dilation).
struct PairParam {
  std::string_view name;
  std::string_view help;
  int min;
  int max;
  int default_value = 0;
  bool required = false;
  std::string_view default_from = {};  // the default is this option's value instead (a pool's stride: its kernel)

  std::string range() const;  // "an integer or [h, w] in [1, 65536]"
  std::string default_text() const { return default_from.empty() ? std::to_string(default_value) : std::string(default_from); }
};

// A convolution's or pool's padding: "valid" (0), "same", an integer (every side), [h, w] or
// [top, bottom, left, right], each side in [0, max].
struct PaddingParam {
  std::string_view name;
  std::string_view help;
  int max;

  std::string range() const;
  std::string default_text() const { return "0"; }
};

using LayerOption = std::variant<NumberParam<int>, NumberParam<double>, FlagParam, ChoiceParam, PairParam, PaddingParam>;

// conv2d's and dense's: y = W x + b, or W x.
inline constexpr FlagParam kBias{.name = "bias", .help = "whether a bias is added", .default_value = true};

// A weight tensor of the layer's "weights" object: its name (with `pattern`, a regular expression
// matching a family of names) and its shape and condition, in words.
struct LayerWeight {
  std::string_view name;
  std::string_view shape;  // "[out_channels], if `bias`"
  bool pattern = false;
};

}  // namespace cqtcnn::nn
