// |c| of complex float32 values, bitwise std::abs (glibc's hypotf since 2.35 rounds
// sqrt(x^2 + y^2) computed in double: each square is exact there) but a vector at a time, not a
// libm call per value. Infinite parts give infinity, as hypotf does, whatever the other part.
#pragma once

#include <complex>
#include <span>

namespace cqtcnn::dsp {

// out.size() >= c.size(); out[i] = |c[i]|.
void magnitude_into(std::span<const std::complex<float>> c, std::span<float> out);

}  // namespace cqtcnn::dsp
