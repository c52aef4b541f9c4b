// One SIMD register of floats and the few operations the kernels need, for the instruction set
// a kernel source is compiled for (simd/target.hpp, which this includes). Included by the kernel
// sources (src/*/*_kernels.cpp) only: each instruction set's definitions live in its own
// namespace (cqtcnn::simd::scalar, ::avx2, ::avx512), so the copies in different objects never
// meet.
//
//   Vec           the register (a float in the scalar variant)
//   kLanes        floats per register
//   vset1(x)      every lane x
//   vload(p)      kLanes floats from p (unaligned)
//   vstore(p, v)  kLanes floats to p
//   vfmadd(a,b,c) a * b + c, rounded once (std::fma in the scalar variant, so every variant gives
//                 the same numbers)
//   vmax(a, b)    the lanes' maxima
//   vadd, vsub, vmul  a + b, a - b, a * b, lane by lane
#pragma once

#include <cmath>

#include "simd/target.hpp"

namespace cqtcnn::simd::CQTCNN_ISA {
CQTCNN_TARGET_BEGIN

#if defined(CQTCNN_ISA_AVX512)
using Vec = __m512;
inline constexpr int kLanes = 16;
inline Vec vset1(float x) { return _mm512_set1_ps(x); }
inline Vec vload(const float* p) { return _mm512_loadu_ps(p); }
inline void vstore(float* p, Vec v) { _mm512_storeu_ps(p, v); }
inline Vec vfmadd(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
// The zero-masked form: GCC 12 warns about the undefined source operand of _mm512_max_ps.
inline Vec vmax(Vec a, Vec b) { return _mm512_maskz_max_ps(0xFFFF, a, b); }
inline Vec vadd(Vec a, Vec b) { return _mm512_add_ps(a, b); }
inline Vec vsub(Vec a, Vec b) { return _mm512_sub_ps(a, b); }
inline Vec vmul(Vec a, Vec b) { return _mm512_mul_ps(a, b); }
#elif defined(CQTCNN_ISA_AVX2)
using Vec = __m256;
inline constexpr int kLanes = 8;
inline Vec vset1(float x) { return _mm256_set1_ps(x); }
inline Vec vload(const float* p) { return _mm256_loadu_ps(p); }
inline void vstore(float* p, Vec v) { _mm256_storeu_ps(p, v); }
inline Vec vfmadd(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
inline Vec vmax(Vec a, Vec b) { return _mm256_max_ps(a, b); }
inline Vec vadd(Vec a, Vec b) { return _mm256_add_ps(a, b); }
inline Vec vsub(Vec a, Vec b) { return _mm256_sub_ps(a, b); }
inline Vec vmul(Vec a, Vec b) { return _mm256_mul_ps(a, b); }
#else
using Vec = float;
inline constexpr int kLanes = 1;
inline Vec vset1(float x) { return x; }
inline Vec vload(const float* p) { return *p; }
inline void vstore(float* p, Vec v) { *p = v; }
inline Vec vfmadd(Vec a, Vec b, Vec c) { return std::fma(a, b, c); }
inline Vec vmax(Vec a, Vec b) { return a > b ? a : b; }
inline Vec vadd(Vec a, Vec b) { return a + b; }
inline Vec vsub(Vec a, Vec b) { return a - b; }
inline Vec vmul(Vec a, Vec b) { return a * b; }
#endif

CQTCNN_TARGET_END
}  // namespace cqtcnn::simd::CQTCNN_ISA
