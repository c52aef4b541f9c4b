// exp, the logistic sigmoid and tanh as inline branch-free float code that the compiler
// vectorises in a loop (the libm calls do not vectorise, and in a recurrent layer's gates they
// cost more than the matrix products). The formulas are Cephes' expf and tanhf (S. L. Moshier,
// "Methods and Programs for Mathematical Functions", 1989): exp by Cody-Waite reduction
// x = n ln2 + r, |r| <= ln2/2, a degree-5 polynomial for e^r and 2^n in the exponent bits
// (relative error ~1e-7); tanh(x) = x + x^3 P(x^2) for |x| < 0.625, else 1 - 2 / (e^2|x| + 1)
// with x's sign (absolute error ~1e-7, tests/nn/gru_test.cpp).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace cqtcnn::nn {

inline float exp_fast(float x) {
  x = std::min(std::max(x, -87.0F), 88.0F);  // e^x stays a normal float (not fmin: a libm call)
  const float n = std::floor(x * 1.44269504088896341F + 0.5F);
  const float r = x - n * 0.693359375F + n * 2.12194440e-4F;
  float p = 1.9875691500e-4F;
  p = p * r + 1.3981999507e-3F;
  p = p * r + 8.3334519073e-3F;
  p = p * r + 4.1665795894e-2F;
  p = p * r + 1.6666665459e-1F;
  p = p * r + 5.0000001201e-1F;
  const float er = p * (r * r) + r + 1.0F;
  return er * std::bit_cast<float>((static_cast<std::int32_t>(n) + 127) << 23);
}

inline float sigmoid_fast(float x) { return 1.0F / (1.0F + exp_fast(-x)); }

inline float tanh_fast(float x) {
  const float a = std::fabs(x);
  const float s = x * x;
  float p = -5.70498872745e-3F;
  p = p * s + 2.06390887954e-2F;
  p = p * s - 5.37397155531e-2F;
  p = p * s + 1.33314422036e-1F;
  p = p * s - 3.33332819422e-1F;
  const float small = p * s * x + x;
  const float large = std::copysign(1.0F - 2.0F / (exp_fast(2.0F * a) + 1.0F), x);
  return a < 0.625F ? small : large;
}

}  // namespace cqtcnn::nn
