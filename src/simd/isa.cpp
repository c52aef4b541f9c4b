// Detection and selection of the kernels' instruction set (see isa.hpp).
#include "simd/isa.hpp"

#include "cqtcnn/error.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace cqtcnn::simd {
namespace {

constexpr int kUnset = -1;
std::atomic<int> g_active{kUnset};  // constant-initialised: no work before main

Isa widest_supported() {
  if (supported(Isa::avx512)) return Isa::avx512;
  if (supported(Isa::avx2)) return Isa::avx2;
  return Isa::scalar;
}

Isa from_environment() {
  const char* value = std::getenv("CQTCNN_ISA");
  if (!value || !*value) return widest_supported();
  for (const Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512}) {
    if (std::string_view(value) != name(isa)) continue;
    if (supported(isa)) return isa;
    std::fprintf(stderr, "cqtcnn: CQTCNN_ISA=%s: this CPU does not support it; using %s\n", value,
                 name(widest_supported()));
    return widest_supported();
  }
  std::fprintf(stderr, "cqtcnn: CQTCNN_ISA=%s: expected scalar, avx2 or avx512; using %s\n", value,
               name(widest_supported()));
  return widest_supported();
}

}  // namespace

const char* name(Isa isa) {
  switch (isa) {
    case Isa::avx512: return "avx512";
    case Isa::avx2: return "avx2";
    default: return "scalar";
  }
}

bool supported(Isa isa) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  // __builtin_cpu_supports also checks that the operating system saves the wider registers.
  __builtin_cpu_init();  // idempotent; needed if called before libgcc's own constructor ran
  switch (isa) {
    case Isa::avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") && supported(Isa::avx2);
    case Isa::avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi") &&
             __builtin_cpu_supports("bmi2");
    default: return true;
  }
#else
  return isa == Isa::scalar;
#endif
}

Isa active() {
  int isa = g_active.load(std::memory_order_relaxed);
  if (isa == kUnset) {
    int expected = kUnset;
    g_active.compare_exchange_strong(expected, static_cast<int>(from_environment()));
    isa = g_active.load(std::memory_order_relaxed);
  }
  return static_cast<Isa>(isa);
}

void select(Isa isa) {
  if (!supported(isa)) throw Error(std::string("instruction set ") + name(isa) + ": not supported by this CPU");
  g_active.store(static_cast<int>(isa), std::memory_order_relaxed);
}

}  // namespace cqtcnn::simd
