// Output sizes of the sliding-window layers, against the formula worked by hand and PyTorch's
// ceil_mode rule (the last window must start inside the input or its leading padding).
#include "nn/layers/kernel_geometry.hpp"

#include <gtest/gtest.h>

namespace {

using cqtcnn::nn::kernel_output_size;

TEST(KernelGeometry, FloorFormula) {
  EXPECT_EQ(kernel_output_size(84, 3, 1, 1, 1, 1, false), 84);  // "same" 3x3
  EXPECT_EQ(kernel_output_size(84, 2, 2, 1, 0, 0, false), 42);
  EXPECT_EQ(kernel_output_size(7, 3, 2, 1, 0, 0, false), 3);    // (7-3)/2+1
  EXPECT_EQ(kernel_output_size(7, 3, 1, 2, 0, 0, false), 3);    // k_eff 5
  EXPECT_EQ(kernel_output_size(10, 3, 3, 1, 2, 0, false), 4);   // (10+2-3)/3+1
  EXPECT_EQ(kernel_output_size(2, 5, 1, 1, 0, 0, false), 0);    // does not fit
}

TEST(KernelGeometry, CeilModeAndItsLastWindowRule) {
  EXPECT_EQ(kernel_output_size(7, 2, 2, 1, 0, 0, true), 4);  // ceil(5/2)+1
  EXPECT_EQ(kernel_output_size(7, 2, 2, 1, 0, 0, false), 3);
  // in 5, k 2, s 2, pad 1: ceil((5+2-2)/2)+1 = 4, but window 3 would start at 6 = in + pad -> 3.
  EXPECT_EQ(kernel_output_size(5, 2, 2, 1, 1, 1, true), 3);
  EXPECT_EQ(kernel_output_size(6, 2, 2, 1, 1, 1, true), 4);  // starts at 6 < 6+1: kept
}

TEST(KernelGeometry, SamePaddingPutsTheOddPixelAfter) {
  cqtcnn::nn::KernelGeometry w;
  w.kh = 4, w.kw = 3, w.same = true;
  const auto p = w.resolve({1, 10, 10});
  EXPECT_EQ(p.top, 1);
  EXPECT_EQ(p.bottom, 2);
  EXPECT_EQ(p.left, 1);
  EXPECT_EQ(p.right, 1);
  w.sh = w.sw = 2;  // stride 2: out = ceil(in/2)
  EXPECT_EQ(w.output_hw({1, 9, 10}), std::make_pair(std::int64_t{5}, std::int64_t{5}));
}

}  // namespace
