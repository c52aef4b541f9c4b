// The arithmetic of conv2d and dense, one sample (conv) or one batch (dense) at a time: a naive
// reference written straight from the definition, and the fast versions the layers use
// (im2col + OpenBLAS sgemm, Chellapilla et al. 2006, "High performance convolutional neural
// networks for document processing"). Tests compare the two on random geometries.
#pragma once

#include "cqtcnn/layer.hpp"
#include "cqtcnn/tensor.hpp"

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

// The weights of a conv2d for conv2d_fast: as in the file, and (optional) re-ordered by
// pack_tiled_weights for the register-tiled kernel, which is only used when they are given.
struct ConvWeights {
  const float* weight = nullptr;
  const float* packed = nullptr;
  const float* bias = nullptr;
};

// What conv2d_fast does to the output before storing it: an activation (ReLU fused into the
// kernel's registers, others applied while the rows are in cache), then optionally a 2x2 stride-2
// max pool without padding (floor mode; `out` then has the pooled shape). The pool needs
// tiled_conv_applies(g) and packed weights.
struct ConvEpilogue {
  const ElementwiseLayer* activation = nullptr;
  bool max_pool_2x2 = false;
};

void conv2d_fast(const ConvGeometry& g, const float* in, const ConvWeights& w, float* out, Workspace& ws,
                 const ConvEpilogue& epilogue = {});

// The register-tiled direct kernel (conv_tiled.cpp): the weight order it reads ([group][block of
// T outputs][in/groups][kh*kw][T], zero-filled past the group's last output, T = 4 or 8 by the
// instruction set), whether it serves a geometry (stride 1, at least 2 outputs per group, and a
// build for a CPU with AVX2 and FMA), and the kernel itself.
std::vector<float> pack_tiled_weights(const float* weight, std::int64_t out_c, std::int64_t cin_g,
                                      std::int64_t groups, std::int64_t taps);
bool tiled_conv_applies(const ConvGeometry& g);
void conv2d_tiled(const ConvGeometry& g, const float* in, const float* packed, const float* bias, float* out,
                  Workspace& ws, const ConvEpilogue& epilogue);

// in: [n, in_features]; weight: [out_features, in_features]; out: [n, out_features].
void dense_reference(const float* in, std::int64_t n, std::int64_t in_features, const float* weight,
                     const float* bias, std::int64_t out_features, float* out);
void dense_fast(const float* in, std::int64_t n, std::int64_t in_features, const float* weight, const float* bias,
                std::int64_t out_features, float* out);

// Folds y*scale + shift (a batch normalisation) into a layer with `outputs` rows of weights and
// an optional bias (created if empty): each row and its bias are scaled, then shift is added.
void fold_affine(std::vector<float>& weight, std::vector<float>& bias, std::int64_t outputs,
                 std::span<const float> scale, std::span<const float> shift);

// Sets the number of threads OpenBLAS uses (no effect with another BLAS).
void set_blas_threads(int threads);

}  // namespace cqtcnn::nn
