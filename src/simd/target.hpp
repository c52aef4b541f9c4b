// Included by the kernel sources (src/*/*_kernels.cpp, compiled once per instruction set with
// CQTCNN_ISA defined to scalar, avx2 or avx512; see simd/isa.hpp), after their other includes.
// CQTCNN_TARGET_BEGIN ... CQTCNN_TARGET_END compile the code between them for that instruction
// set; CQTCNN_SIMD_WIDTH is its vector width in floats (1 for scalar), and CQTCNN_ISA_AVX2 /
// CQTCNN_ISA_AVX512 say which set it is.
#pragma once

#if !defined(CQTCNN_ISA)
#error "kernel sources are compiled with CQTCNN_ISA set to scalar, avx2 or avx512 (CMakeLists.txt)"
#endif

#define CQTCNN_ISA_ID_scalar 0
#define CQTCNN_ISA_ID_avx2 1
#define CQTCNN_ISA_ID_avx512 2
#define CQTCNN_ISA_ID_(isa) CQTCNN_ISA_ID_##isa
#define CQTCNN_ISA_ID(isa) CQTCNN_ISA_ID_(isa)

#if CQTCNN_ISA_ID(CQTCNN_ISA) == 2
#define CQTCNN_ISA_AVX512 1
#define CQTCNN_SIMD_WIDTH 16
#define CQTCNN_TARGET_STRING "avx512f,avx512vl,avx512dq,avx512bw,avx2,fma,bmi,bmi2"
#elif CQTCNN_ISA_ID(CQTCNN_ISA) == 1
#define CQTCNN_ISA_AVX2 1
#define CQTCNN_SIMD_WIDTH 8
#define CQTCNN_TARGET_STRING "avx2,fma,bmi,bmi2"
#else
#define CQTCNN_SIMD_WIDTH 1
#endif

#if defined(CQTCNN_TARGET_STRING)
#include <immintrin.h>
#if defined(__clang__)
#define CQTCNN_TARGET_PRAGMA_(x) _Pragma(#x)
#define CQTCNN_TARGET_BEGIN_(s) CQTCNN_TARGET_PRAGMA_(clang attribute push(__attribute__((target(s))), apply_to = function))
#define CQTCNN_TARGET_BEGIN CQTCNN_TARGET_BEGIN_(CQTCNN_TARGET_STRING)
#define CQTCNN_TARGET_END _Pragma("clang attribute pop")
#else
#define CQTCNN_TARGET_PRAGMA_(x) _Pragma(#x)
#define CQTCNN_TARGET_BEGIN_(s) _Pragma("GCC push_options") CQTCNN_TARGET_PRAGMA_(GCC target(s))
#define CQTCNN_TARGET_BEGIN CQTCNN_TARGET_BEGIN_(CQTCNN_TARGET_STRING)
#define CQTCNN_TARGET_END _Pragma("GCC pop_options")
#endif
#else
#define CQTCNN_TARGET_BEGIN
#define CQTCNN_TARGET_END
#endif
