// Run-time choice of the instruction set the kernels use, so that one x86-64 binary runs on any
// x86-64 CPU and uses AVX2+FMA or AVX-512 where the CPU has them.
//
// Each kernel source (src/*/*_kernels.cpp) is compiled once per instruction set, into the
// namespace named after it (scalar, avx2, avx512), with its code under CQTCNN_TARGET_BEGIN /
// CQTCNN_TARGET_END (the compiler's target attribute for that set; headers are included before
// it, so shared inline and template code stays baseline x86-64 and never leaks wider
// instructions into the rest of the program). Every variant computes each output as the same
// sequence of fused multiply-adds, so all give bitwise the same numbers; only their speed
// differs. A kernel source exports a table of function pointers, and callers take the active
// one with simd::pick.
#pragma once

namespace cqtcnn::simd {

enum class Isa { scalar = 0, avx2 = 1, avx512 = 2 };

const char* name(Isa isa);

// Whether this CPU and its operating system run the instruction set.
bool supported(Isa isa);

// The instruction set in use, chosen on the first call: the environment variable CQTCNN_ISA
// (scalar, avx2 or avx512: for tests and measurements; a value the CPU cannot run is reported on
// stderr and ignored), else the widest the CPU supports.
Isa active();

// Makes `isa` the active one (tests and benchmarks; objects built before, such as a Cqt or a
// model, keep working and give the same numbers). Throws cqtcnn::Error if the CPU lacks it.
void select(Isa isa);

template <class Table>
const Table& pick(const Table& scalar, const Table& avx2, const Table& avx512) {
  switch (active()) {
    case Isa::avx512: return avx512;
    case Isa::avx2: return avx2;
    default: return scalar;
  }
}

}  // namespace cqtcnn::simd

// Declares a kernel table `object` of type `Type` in each instruction set's namespace.
#define CQTCNN_DECLARE_KERNEL_TABLE(Type, object) \
  namespace scalar {                              \
  extern const Type object;                       \
  }                                               \
  namespace avx2 {                                \
  extern const Type object;                       \
  }                                               \
  namespace avx512 {                              \
  extern const Type object;                       \
  }
