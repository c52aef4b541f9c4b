// Kernel geometry shared by conv2d and the 2-D pools (PyTorch's kernel_size, stride, dilation and
// padding) and the output size along each axis, o = floor((i + p_before + p_after - k_eff) / s) + 1
// with k_eff = d*(k-1) + 1. With ceil_mode (pools) the division rounds up, but as in PyTorch the
// last window must start inside the input or the leading padding (aten/src/ATen/native/Pool.h,
// pooling_output_shape).
#pragma once

#include "cqtcnn/tensor.hpp"
#include "nn/model/layer_spec.hpp"

#include <cstdint>
#include <string>

namespace cqtcnn::nn {

struct Padding {
  std::int64_t top = 0, bottom = 0, left = 0, right = 0;
};

struct KernelGeometry {
  std::int64_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
  Padding pad;
  bool same = false;  // TensorFlow/PyTorch "same": out = ceil(in/stride), extra padding after
  bool ceil_mode = false;

  // The padding used for an input of this size.
  Padding resolve(Shape in) const;
  // Output height and width; throws InvalidInput (without file) when the window does not fit.
  std::pair<std::int64_t, std::int64_t> output_hw(Shape in) const;
  std::string describe() const;  // "3x3 s1 pad 1,1,1,1"
};

// The options of the kernel geometry, declared once for conv2d and the pools.
namespace geometry {
inline constexpr int kMaxSize = 1 << 16;  // any kernel, stride, dilation or padding
inline constexpr PairParam kernel_size{
    .name = "kernel_size", .help = "the window's height and width", .min = 1, .max = kMaxSize, .required = true};
inline constexpr PairParam stride{
    .name = "stride", .help = "steps between windows, down and across", .min = 1, .max = kMaxSize, .default_value = 1};
inline constexpr PairParam pool_stride{.name = "stride", .help = "steps between windows, down and across (PyTorch's default: the kernel)",
                                       .min = 1, .max = kMaxSize, .default_from = "kernel_size"};
inline constexpr PairParam dilation{.name = "dilation", .help = "steps between a window's taps", .min = 1, .max = kMaxSize,
                                    .default_value = 1};
inline constexpr PaddingParam padding{
    .name = "padding", .help = "zeros around the input (\"same\": output = ceil(input / stride), conv2d only)", .max = kMaxSize};
inline constexpr FlagParam ceil_mode{
    .name = "ceil_mode", .help = "round the output size up (a last, partial window)", .default_value = false};
}  // namespace geometry

// Reads kernel_size, stride (geometry::stride, or for pools geometry::pool_stride), dilation (if
// the kind declares it), padding and, for pools, ceil_mode.
KernelGeometry read_kernel_geometry(LayerSpec& spec, bool pool);

// Output size along one axis, 0 if the window does not fit.
std::int64_t kernel_output_size(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, std::int64_t before,
                           std::int64_t after, bool ceil_mode);

}  // namespace cqtcnn::nn
