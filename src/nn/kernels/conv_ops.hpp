// The arithmetic of conv2d and dense, one sample (conv) or one batch (dense) at a time: a naive
// reference written straight from the definition, and the fast versions the layers use (own
// kernels, chosen for the CPU at run time: simd/isa.hpp). Tests compare the two on random
// geometries, on every instruction set the CPU has.
#pragma once

#include "nn/model/layer.hpp"
#include "cqtcnn/tensor.hpp"
#include "simd/isa.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace cqtcnn::nn {

struct ConvGeometry {
  Shape in, out;
  std::int64_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
  std::int64_t pad_top = 0, pad_left = 0;  // bottom/right padding is implied by out
  std::int64_t groups = 1;
};

// weight: [out.c, in.c/groups, kh, kw]; bias: out.c values or nullptr.
void conv2d_reference(const ConvGeometry& g, const float* in, const float* weight, const float* bias, float* out);

// The weights of a conv2d for conv2d_fast: as in the file, and re-ordered by pack_tiled_weights
// for the register-tiled kernel (needed when a group has 2 or more outputs) or transformed by
// pack_winograd_weights (where winograd_applies); packed on the fly if not given.
struct ConvWeights {
  const float* weight = nullptr;
  const float* packed = nullptr;
  const float* bias = nullptr;
  const float* winograd = nullptr;
};

// The max pools conv2d_fast can run as it stores its output: windows of 2x2 or of 2 rows by 1
// column (a CRNN's pooling along frequency only), their stride equal to the window, without
// padding, in floor mode. Each takes its window's maximum in the order of std::max, row by row.
enum class FusedPool { none, pool_2x2, pool_2x1 };

// What conv2d_fast does to the output before storing it: an activation (ReLU fused into the
// kernel's registers, others applied while the rows are in cache), then optionally a fused max
// pool (`out` then has the pooled shape). The pool needs tiled_conv_applies(g).
struct ConvEpilogue {
  const ElementwiseLayer* activation = nullptr;
  FusedPool pool = FusedPool::none;
};
// The shape of conv2d_fast's output for a convolution's output shape and a fused pool.
Shape pooled_shape(Shape conv_out, FusedPool pool);

// Every output is bias + the chain of fused multiply-adds over (input channel, tap), whatever the
// instruction set: stride-1 layers with 2 or more outputs per group run the tiled kernel, other
// strides im2col (Chellapilla et al. 2006, "High performance convolutional neural networks for
// document processing") and the tiled kernel as a 1x1 convolution, and depthwise layers a direct
// per-channel loop. The exception: 3x3 layers that winograd_applies to run Winograd's F(2x2, 3x3),
// whose outputs are the same sums computed in another order (within a few float steps of the
// others), again the same numbers on every instruction set.
void conv2d_fast(const ConvGeometry& g, const float* in, const ConvWeights& w, float* out, Workspace& ws,
                 const ConvEpilogue& epilogue = {});

// The register-tiled direct kernel (conv_kernels.cpp): the weight order it reads ([group][block of
// kTiledBlock outputs][in/groups][kh*kw][kTiledBlock], zero-filled past the group's last output),
// whether it serves a geometry on its own (stride 1 and at least 2 outputs per group; other
// strides go through im2col), and the kernels of one instruction set.
constexpr std::int64_t kTiledBlock = 8;
std::vector<float> pack_tiled_weights(const float* weight, std::int64_t out_c, std::int64_t cin_g,
                                      std::int64_t groups, std::int64_t taps);
bool packs_weights(std::int64_t out_c, std::int64_t groups);
bool tiled_conv_applies(const ConvGeometry& g);

// Winograd's minimal filtering F(2x2, 3x3) (Lavin & Gray 2016, "Fast algorithms for convolutional
// neural networks"): each 2x2 block of outputs from a 4x4 block of input, U = G g G^T per (output,
// input) channel pair, V = B^T d B per input channel and block, 16 products M = sum_c U V in place
// of 36 multiply-adds, then Y = A^T M A. It serves 3x3 layers of stride 1 and dilation 1 with at
// least kWinogradMinChannels input and output channels per group (fewer leave the transforms
// dearer than the products they save); any padding, ReLU or other activation, and the fused 2x2
// pool (a block is one pooling window). Groups run one after another, each as a layer of its own.
// The weights are transformed once, in double precision: per group, winograd_group_weights floats,
// [16 positions] x the tiled packing of a 1x1 layer with in_c/groups inputs and out_c/groups outputs.
constexpr std::int64_t kWinogradMinChannels = 8;
bool winograd_layer(std::int64_t kh, std::int64_t kw, std::int64_t sh, std::int64_t sw, std::int64_t dh,
                    std::int64_t dw, std::int64_t groups, std::int64_t in_c, std::int64_t out_c);
bool winograd_applies(const ConvGeometry& g);
std::vector<float> pack_winograd_weights(const float* weight, std::int64_t out_c, std::int64_t in_c,
                                         std::int64_t groups = 1);
std::int64_t winograd_group_weights(std::int64_t out_g, std::int64_t in_g);

struct ConvKernels {
  void (*tiled)(const ConvGeometry& g, const float* in, const float* packed, const float* bias, float* out,
                Workspace& ws, const ConvEpilogue& epilogue);
  void (*direct)(const ConvGeometry& g, const float* in, const float* weight, const float* bias, float* out,
                 Workspace& ws);
  void (*winograd)(const ConvGeometry& g, const float* in, const float* transformed, const float* bias, float* out,
                   Workspace& ws, const ConvEpilogue& epilogue);
};
CQTCNN_DECLARE_KERNEL_TABLE(ConvKernels, conv_kernels)

// in: [n, in_features]; weight: [out_features, in_features]; out: [n, out_features].
void dense_reference(const float* in, std::int64_t n, std::int64_t in_features, const float* weight,
                     const float* bias, std::int64_t out_features, float* out);
// The dense layer's weights transposed for the frame product (simd/frame_product.hpp):
// [in_features][stride], stride = out_features rounded up to 16, zero-filled.
struct DenseWeights {
  std::vector<float> transposed;
  std::int64_t stride = 0;
};
DenseWeights pack_dense_weights(const float* weight, std::int64_t in_features, std::int64_t out_features);
// Each output is the chain of fused multiply-adds over the inputs from zero, then + bias.
void dense_fast(const float* in, std::int64_t n, std::int64_t in_features, const DenseWeights& weight,
                const float* bias, std::int64_t out_features, float* out, Workspace& ws);

// Folds y*scale + shift (a batch normalisation) into a layer with `outputs` rows of weights and
// an optional bias (created if empty): each row and its bias are scaled, then shift is added.
void fold_affine(std::vector<float>& weight, std::vector<float>& bias, std::int64_t outputs,
                 std::span<const float> scale, std::span<const float> shift);

}  // namespace cqtcnn::nn
