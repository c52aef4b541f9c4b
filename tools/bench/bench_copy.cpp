// What a large float copy costs by where its destination lies against its source, modulo 4096
// bytes: glibc's memcpy (rep movsb above a few KB, which AMD's Zen 3 and 4 run slowly at some
// offsets: glibc bug 30994) against copy_floats (base/copy.hpp: 2 KB pieces), 72 KB (the CRNN
// first layer's output) at offsets 0, 16, 48 and 64 bytes.
//   cmake -B build -DCQTCNN_BUILD_BENCHMARKS=ON && cmake --build build --target bench_copy
//   build/bench_copy
#include "base/copy.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <memory>

namespace {

constexpr std::size_t kFloats = 72 * 1024 / sizeof(float);

template <bool kPieces>
void BM_Copy(benchmark::State& state) {
  const std::size_t offset = std::size_t(state.range(0));  // bytes, a multiple of 4
  constexpr std::size_t kBytes = 1 << 20;
  const auto free_pages = [](float* p) { std::free(p); };
  std::unique_ptr<float, decltype(free_pages)> a(static_cast<float*>(std::aligned_alloc(4096, kBytes)), free_pages);
  std::unique_ptr<float, decltype(free_pages)> b(static_cast<float*>(std::aligned_alloc(4096, kBytes)), free_pages);
  std::memset(a.get(), 0, kBytes);
  std::memset(b.get(), 0, kBytes);
  const float* src = a.get() + 2048;
  float* dst = b.get() + 2048 + offset / sizeof(float);
  for (auto _ : state) {
    if constexpr (kPieces) cqtcnn::copy_floats(src, kFloats, dst);
    else std::memcpy(dst, src, kFloats * sizeof(float));
    benchmark::DoNotOptimize(dst);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(kFloats * sizeof(float)));
}

BENCHMARK(BM_Copy<false>)->Name("BM_Memcpy")->Arg(0)->Arg(16)->Arg(48)->Arg(64);
BENCHMARK(BM_Copy<true>)->Name("BM_CopyFloats")->Arg(0)->Arg(16)->Arg(48)->Arg(64);

}  // namespace

BENCHMARK_MAIN();
