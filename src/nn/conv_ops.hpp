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

// weight: [out.c, in.c/groups, kh, kw]; bias: out.c values or nullptr. conv2d_fast applies
// `activation` (if any) to each output channel right after its bias, while it is in cache.
void conv2d_reference(const ConvGeometry& g, const float* in, const float* weight, const float* bias, float* out);
void conv2d_fast(const ConvGeometry& g, const float* in, const float* weight, const float* bias, float* out,
                 Workspace& ws, const ElementwiseLayer* activation = nullptr);

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
