// CQT speed: 30 s of 22050 Hz audio (noise plus an exponential sweep), single thread,
// filter banks built outside the timed loop (their construction is timed separately).
// The counter x_realtime is seconds of audio transformed per second.
//   cmake -B build -DCQTCNN_BUILD_BENCHMARKS=ON && cmake --build build --target bench_cqt
//   build/bench_cqt
#include "cqtcnn/cqt.hpp"

#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

namespace {

constexpr double kSr = 22050.0;
constexpr double kSeconds = 30.0;

const std::vector<float>& signal() {
  static const std::vector<float> x = [] {
    std::vector<float> v(std::size_t(kSr * kSeconds));
    std::mt19937 rng(1);
    std::normal_distribution<float> noise(0.0f, 0.05f);
    const double k = std::log(8000.0 / 40.0) / kSeconds;  // 40 Hz -> 8 kHz sweep
    for (std::size_t i = 0; i < v.size(); ++i) {
      const double t = double(i) / kSr;
      v[i] = float(0.5 * std::sin(2.0 * std::numbers::pi * 40.0 * (std::exp(k * t) - 1.0) / k)) + noise(rng);
    }
    return v;
  }();
  return x;
}

cqtcnn::CqtParams params(int bins_per_octave) {
  cqtcnn::CqtParams p = cqtcnn::CqtParams::librosa(kSr);
  p.bins_per_octave = bins_per_octave;
  p.n_bins = 7 * bins_per_octave;
  p.hop_length = 512;
  return p;
}

void BM_CqtTransform(benchmark::State& state) {
  const cqtcnn::Cqt cqt(params(int(state.range(0))));
  const auto& x = signal();
  for (auto _ : state) {
    auto c = cqt.transform(x);
    benchmark::DoNotOptimize(c.data.data());
  }
  state.counters["x_realtime"] = benchmark::Counter(kSeconds, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_CqtTransform)->Arg(12)->Arg(24)->ArgName("bpo")->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_CqtConstruct(benchmark::State& state) {
  const cqtcnn::CqtParams p = params(int(state.range(0)));
  for (auto _ : state) {
    cqtcnn::Cqt cqt(p);
    benchmark::DoNotOptimize(&cqt);
  }
}
BENCHMARK(BM_CqtConstruct)->Arg(12)->Arg(24)->ArgName("bpo")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
