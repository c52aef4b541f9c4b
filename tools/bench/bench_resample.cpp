// What libsoxr's HQ halving (librosa's octave downsampling, res_type='soxr_hq') costs: the floor
// under the CQT's speed and under the per-file cost of batch classification.
//   BM_HalvingChain: 30 s at 22050 Hz halved six times (the 84- and 168-bin benchmark layouts
//     of bench_cqt), one resampler per level, pushed in 8192-sample blocks as Cqt::transform does;
//     BM_HalvingChainOneCall: the same with one call per level.
//   BM_ShortFileHalvers: one FSDD-like file (0.44 s at 8 kHz) through the five halvers of the
//     digits model's front end: resampler set-up dominates.
//   BM_ResamplerSetup: constructing one HQ 2:1 resampler and pushing one sample.
//   cmake -B build -DCQTCNN_BUILD_BENCHMARKS=ON && cmake --build build --target bench_resample
//   build/bench_resample
#include "audio/resample.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <vector>

namespace {

std::vector<float> noise(std::size_t n) {
  std::vector<float> v(n);
  std::mt19937 rng(1);
  std::normal_distribution<float> d(0.0f, 0.1f);
  for (float& x : v) x = d(rng);
  return v;
}

// Halves `x` `levels` times, each level feeding the next block by block (a block of the whole
// signal: one call per level).
std::size_t halve_chain(const std::vector<float>& x, int levels, std::vector<std::vector<float>>& bufs,
                        std::size_t block = 8192 /* as Cqt::transform */) {
  std::vector<cqtcnn::Resampler> halvers;
  for (int l = 0; l < levels; ++l) halvers.emplace_back(2.0, 1.0);
  for (auto& b : bufs) b.clear();
  for (std::size_t at = 0; at < x.size(); at += block) {
    std::span<const float> in(x.data() + at, std::min(block, x.size() - at));
    for (int l = 0; l < levels; ++l) {
      const std::size_t from = bufs[std::size_t(l)].size();
      halvers[std::size_t(l)].push(in, bufs[std::size_t(l)]);
      in = std::span<const float>(bufs[std::size_t(l)]).subspan(from);
    }
  }
  for (int l = 0; l < levels; ++l) halvers[std::size_t(l)].flush(bufs[std::size_t(l)]);
  return bufs.back().size();
}

void BM_HalvingChain(benchmark::State& state) {
  const auto x = noise(std::size_t(22050 * 30));
  std::vector<std::vector<float>> bufs(6);
  for (auto _ : state) benchmark::DoNotOptimize(halve_chain(x, 6, bufs));
}
BENCHMARK(BM_HalvingChain)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The same chain with one call per level: the whole signal, then the whole halved signal, ...
void BM_HalvingChainOneCall(benchmark::State& state) {
  const auto x = noise(std::size_t(22050 * 30));
  std::vector<std::vector<float>> bufs(6);
  for (auto _ : state) benchmark::DoNotOptimize(halve_chain(x, 6, bufs, x.size()));
}
BENCHMARK(BM_HalvingChainOneCall)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_ShortFileHalvers(benchmark::State& state) {
  const auto x = noise(3500);
  std::vector<std::vector<float>> bufs(5);
  for (auto _ : state) benchmark::DoNotOptimize(halve_chain(x, 5, bufs));
}
BENCHMARK(BM_ShortFileHalvers)->Unit(benchmark::kMicrosecond);

void BM_ResamplerSetup(benchmark::State& state) {
  const float one = 0.5f;
  std::vector<float> out;
  for (auto _ : state) {
    cqtcnn::Resampler r(2.0, 1.0);
    out.clear();
    r.push(std::span<const float>(&one, 1), out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_ResamplerSetup)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
