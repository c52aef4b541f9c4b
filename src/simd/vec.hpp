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
//   vpair_max(a, b)   of the 2 * kLanes floats a then b, the maxima of neighbouring pairs in order:
//                 lane i is std::max(x[2i], x[2i + 1]) (vmax(b, a) is std::max(a, b), NaN and
//                 signed zeros included), as a 1x2 or 2x2 max pool takes it
//   vdeinterleave(a, b, even, odd)  of the 2 * kLanes floats a then b, the even-indexed ones in
//                 order to `even` and the odd-indexed ones to `odd` (moves only: no arithmetic)
//   vinterleave(a, b, lo, hi)  its inverse: a0 b0 a1 b1 ... in order, the first kLanes to `lo`
//                 and the rest to `hi`
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
inline Vec vpair_max(Vec a, Vec b) {
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
  return vmax(_mm512_permutex2var_ps(a, odd, b), _mm512_permutex2var_ps(a, even, b));
}
inline void vdeinterleave(Vec a, Vec b, Vec& even, Vec& odd) {
  const __m512i e = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i o = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
  even = _mm512_permutex2var_ps(a, e, b);
  odd = _mm512_permutex2var_ps(a, o, b);
}
inline void vinterleave(Vec a, Vec b, Vec& lo, Vec& hi) {
  const __m512i l = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const __m512i h = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  lo = _mm512_permutex2var_ps(a, l, b);
  hi = _mm512_permutex2var_ps(a, h, b);
}
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
// The 64-bit pairs of v in the order 0, 2, 1, 3: after a shuffle_ps of a and b, a's four floats
// (two from each 128-bit half) before b's.
inline Vec halves_in_order(Vec v) {
  return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(v), _MM_SHUFFLE(3, 1, 2, 0)));
}
inline Vec vpair_max(Vec a, Vec b) {
  // Within each 128-bit half: a's pairs then b's; the 64-bit permute puts a's four before b's.
  return halves_in_order(
      vmax(_mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1)), _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0))));
}
inline void vdeinterleave(Vec a, Vec b, Vec& even, Vec& odd) {
  even = halves_in_order(_mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)));
  odd = halves_in_order(_mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1)));
}
inline void vinterleave(Vec a, Vec b, Vec& lo, Vec& hi) {
  const Vec first = _mm256_unpacklo_ps(a, b);  // a0 b0 a1 b1 | a4 b4 a5 b5
  const Vec second = _mm256_unpackhi_ps(a, b);  // a2 b2 a3 b3 | a6 b6 a7 b7
  lo = _mm256_permute2f128_ps(first, second, 0x20);
  hi = _mm256_permute2f128_ps(first, second, 0x31);
}
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
inline Vec vpair_max(Vec a, Vec b) { return vmax(b, a); }
inline void vdeinterleave(Vec a, Vec b, Vec& even, Vec& odd) {
  even = a;
  odd = b;
}
inline void vinterleave(Vec a, Vec b, Vec& lo, Vec& hi) {
  lo = a;
  hi = b;
}
#endif

CQTCNN_TARGET_END
}  // namespace cqtcnn::simd::CQTCNN_ISA
