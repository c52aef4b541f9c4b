// base/copy.hpp's copy_floats, which the model uses for its large copies: every count around its
// 2 KB pieces, at destination offsets that include glibc's slow one on AMD (16 bytes modulo 4096).
#include "base/copy.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

TEST(CopyFloats, CopiesExactlyWhatItIsGivenAndNothingElse) {
  std::vector<float> src(20000);
  for (std::size_t i = 0; i < src.size(); ++i) src[i] = float(i) * 0.5F - 3.0F;
  for (const std::size_t count : {0, 1, 7, 511, 512, 513, 1024, 1537, 18432}) {
    for (const std::size_t offset : {0, 1, 4, 1020, 1024}) {  // floats: 4 bytes each
      std::vector<float> dst(count + offset + 8, -1.0F);
      cqtcnn::copy_floats(src.data() + 3, count, dst.data() + offset);
      for (std::size_t i = 0; i < dst.size(); ++i) {
        const float expected = i >= offset && i < offset + count ? src[3 + i - offset] : -1.0F;
        ASSERT_EQ(dst[i], expected) << "count " << count << " offset " << offset << " index " << i;
      }
    }
  }
}
