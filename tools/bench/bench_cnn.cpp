// CNN engine benchmarks: the reference network (docs in tools/bench/bench_cnn_peers.py, which runs
// PyTorch and ONNX Runtime on the same networks side by side) at 1x84x64 and 1x168x128, batch 1
// and 64, one thread; a CRNN the size of the digits model at 1x70x64 and its GRU alone, batch 1;
// and loading a ~1.4 MB model file. Weights are random: speed does not depend on their values.
// BM_Layer_* time each layer of those networks alone, as the network runs it (a convolution with
// its ReLU and pooling fused), and report GFLOP/s of the layer's direct work (2 x its multiply-
// adds, whatever algorithm runs it); BM_FmaPeak measures the core's peak of fused multiply-adds
// at the widest vectors this binary may use on this CPU, so that each kernel's share of the peak
// can be read off (docs/performance.md).
//   build-x/bench_cnn --benchmark_filter=Forward
//   build-x/bench_cnn --benchmark_filter='Layer|FmaPeak'
//   CQTCNN_ISA=avx2 build-x/bench_cnn ...   (the kernels of another instruction set, as the CLI takes it)
//   CQTCNN_BENCH_MODEL=m.json build-x/bench_cnn   (also times the given model file)
#include "cqtcnn/model.hpp"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <immintrin.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace {

using nlohmann::json;

json random_tensor(std::vector<std::int64_t> shape, std::mt19937& rng, float scale) {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  std::normal_distribution<float> dist(0.0F, scale);
  std::vector<float> data(static_cast<std::size_t>(n));
  for (auto& v : data) v = dist(rng);
  return {{"shape", shape}, {"data", data}};
}

json conv(std::int64_t in, std::int64_t out, std::mt19937& rng) {
  return {{"type", "conv2d"}, {"in_channels", in}, {"out_channels", out}, {"kernel_size", 3}, {"padding", 1},
          {"weights", {{"weight", random_tensor({out, in, 3, 3}, rng, 0.2F)}, {"bias", random_tensor({out}, rng, 0.1F)}}}};
}

json dense(std::int64_t in, std::int64_t out, std::mt19937& rng) {
  return {{"type", "dense"}, {"in_features", in}, {"out_features", out},
          {"weights", {{"weight", random_tensor({out, in}, rng, 0.05F)}, {"bias", random_tensor({out}, rng, 0.1F)}}}};
}

// One-layer GRU returning its final state, weights of PyTorch's scale 1/sqrt(hidden).
json gru(std::int64_t in, std::int64_t hidden, std::mt19937& rng) {
  const float scale = 1.0F / std::sqrt(static_cast<float>(hidden));
  return {{"type", "gru"}, {"input_size", in}, {"hidden_size", hidden}, {"return", "last"},
          {"weights", {{"weight_ih_l0", random_tensor({3 * hidden, in}, rng, scale)},
                       {"weight_hh_l0", random_tensor({3 * hidden, hidden}, rng, scale)},
                       {"bias_ih_l0", random_tensor({3 * hidden}, rng, scale)},
                       {"bias_hh_l0", random_tensor({3 * hidden}, rng, scale)}}}};
}

// A model of `outputs` classes (10 for the networks; a single layer's output count) around `layers`.
std::string model_text(const json& layers, std::int64_t c, std::int64_t h, std::int64_t w, std::int64_t outputs = 10) {
  json labels = json::array();
  for (std::int64_t i = 0; i < outputs; ++i) {
    std::string label = "c";  // not "c" + ...: GCC 12 gives a false -Wrestrict for that
    label += std::to_string(i);
    labels.push_back(label);
  }
  return json{{"format", "cqtcnn-model"}, {"version", 1}, {"labels", labels}, {"input_shape", {c, h, w}},
              {"layers", layers}}
      .dump();
}

// Conv(1->16)-ReLU-MaxPool(2) -> Conv(16->32)-ReLU-MaxPool(2) -> Conv(32->64)-ReLU-MaxPool(2)
// -> Flatten -> Dense(64)-ReLU -> Dense(10) -> Softmax (all convs 3x3, padding 1).
std::string reference_model(std::int64_t h, std::int64_t w) {
  std::mt19937 rng(5);
  json layers = json::array();
  std::int64_t c = 1;
  for (std::int64_t out : {16, 32, 64}) {
    layers.push_back(conv(c, out, rng));
    layers.push_back({{"type", "relu"}});
    layers.push_back({{"type", "max_pool2d"}, {"kernel_size", 2}});
    c = out;
  }
  layers.push_back({{"type", "flatten"}});
  layers.push_back(dense(64 * (h / 8) * (w / 8), 64, rng));
  layers.push_back({{"type", "relu"}});
  layers.push_back(dense(64, 10, rng));
  layers.push_back({{"type", "softmax"}});
  return model_text(layers, 1, h, w);
}

// The CRNN of tools/bench/bench_cnn_peers.py on a 1x70x64 CQT image (the digits model's input):
// four blocks Conv(3x3, padding 1)-ReLU-MaxPool(2x1) of 8, 16, 32, 32 channels, pooling only
// along frequency (70 -> 35 -> 17 -> 8 -> 4 bins) so that time keeps its 64 frames, then the map
// as a sequence of 64 steps of 32*4 features -> GRU(128 -> 64), final state -> Dense(10).
std::string crnn_model() {
  std::mt19937 rng(7);
  json layers = json::array();
  std::int64_t c = 1;
  for (std::int64_t out : {8, 16, 32, 32}) {
    layers.push_back(conv(c, out, rng));
    layers.push_back({{"type", "relu"}});
    layers.push_back({{"type", "max_pool2d"}, {"kernel_size", {2, 1}}});
    c = out;
  }
  layers.push_back({{"type", "map_to_sequence"}});
  layers.push_back(gru(32 * 4, 64, rng));
  layers.push_back(dense(64, 10, rng));
  return model_text(layers, 1, 70, 64);
}

// The CRNN's recurrent part alone: 64 steps of 128 features -> GRU(64), final state -> Dense(10).
std::string gru_model() {
  std::mt19937 rng(8);
  const json layers = json::array({gru(128, 64, rng), dense(64, 10, rng)});
  return model_text(layers, 128, 1, 64);
}

cqtcnn::Tensor random_batch(std::int64_t n, cqtcnn::Shape shape) {
  std::mt19937 rng(1);
  std::normal_distribution<float> dist;
  cqtcnn::Tensor x(n, shape);
  for (auto& v : x.data) v = dist(rng);
  return x;
}

void forward(benchmark::State& state, const cqtcnn::Model& model) {
  const std::int64_t batch = state.range(0);
  const cqtcnn::Tensor x = random_batch(batch, model.input_shape());
  for (auto _ : state) benchmark::DoNotOptimize(model.run(x, cqtcnn::Output::network, {1}));
  state.SetItemsProcessed(state.iterations() * batch);  // items/s = inferences per second
}

void BM_Forward_84x64(benchmark::State& state) {
  static const auto model = cqtcnn::Model::parse(reference_model(84, 64), "reference 84x64");
  forward(state, model);
}
void BM_Forward_168x128(benchmark::State& state) {
  static const auto model = cqtcnn::Model::parse(reference_model(168, 128), "reference 168x128");
  forward(state, model);
}
void BM_Forward_CRNN_70x64(benchmark::State& state) {
  static const auto model = cqtcnn::Model::parse(crnn_model(), "crnn 70x64");
  forward(state, model);
}
void BM_Forward_GRU_128x64(benchmark::State& state) {
  static const auto model = cqtcnn::Model::parse(gru_model(), "gru 128x64");
  forward(state, model);
}
BENCHMARK(BM_Forward_84x64)->Arg(1)->Arg(64)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Forward_168x128)->Arg(1)->Arg(64)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Forward_CRNN_70x64)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Forward_GRU_128x64)->Arg(1)->Unit(benchmark::kMicrosecond);

// One layer of the networks above, alone (a one-layer model), at batch 1: GFLOP/s of `flops` per run.
void layer(benchmark::State& state, const cqtcnn::Model& model, double flops) {
  const cqtcnn::Tensor x = random_batch(1, model.input_shape());
  for (auto _ : state) benchmark::DoNotOptimize(model.run(x, cqtcnn::Output::network, {1}));
  state.counters["GFLOP/s"] = benchmark::Counter(flops * static_cast<double>(state.iterations()) / 1e9,
                                                 benchmark::Counter::kIsRate);
}

// Conv(cin -> cout, 3x3, pad 1)-ReLU-MaxPool(pool) on cin x h x w, as the networks run it.
void BM_Layer_Conv(benchmark::State& state, std::int64_t cin, std::int64_t cout, std::int64_t h, std::int64_t w,
                   std::array<std::int64_t, 2> pool) {
  std::mt19937 rng(static_cast<unsigned>(cin * 1000 + cout));
  const json layers = json::array({conv(cin, cout, rng), {{"type", "relu"}},
                                   {{"type", "max_pool2d"}, {"kernel_size", {pool[0], pool[1]}}}, {{"type", "flatten"}}});
  const std::int64_t outputs = cout * (h / pool[0]) * (w / pool[1]);
  const auto model = cqtcnn::Model::parse(model_text(layers, cin, h, w, outputs), "conv");
  layer(state, model, 2.0 * static_cast<double>(cin * cout * 9 * h * w));
}
void BM_Layer_Dense(benchmark::State& state, std::int64_t in, std::int64_t out) {
  std::mt19937 rng(static_cast<unsigned>(in + out));
  const auto model = cqtcnn::Model::parse(model_text(json::array({dense(in, out, rng)}), in, 1, 1, out), "dense");
  layer(state, model, 2.0 * static_cast<double>(in * out));
}
void BM_Layer_GRU(benchmark::State& state) {
  const auto model = cqtcnn::Model::parse(gru_model(), "gru");
  // 64 steps of the input and the recurrent products (3 gates each), then Dense(64 -> 10).
  layer(state, model, 2.0 * (64.0 * 3 * 64 * (128 + 64) + 64 * 10));
}
// The reference network at 84x64 and at 168x128, layer by layer; the CRNN's first convolution.
BENCHMARK_CAPTURE(BM_Layer_Conv, ref84_1to16_84x64, 1, 16, 84, 64, {2, 2})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Layer_Conv, ref84_16to32_42x32, 16, 32, 42, 32, {2, 2})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Layer_Conv, ref84_32to64_21x16, 32, 64, 21, 16, {2, 2})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Layer_Dense, ref84_5120to64, 64 * 10 * 8, 64)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Layer_Conv, ref168_1to16_168x128, 1, 16, 168, 128, {2, 2})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Layer_Conv, ref168_16to32_84x64, 16, 32, 84, 64, {2, 2})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Layer_Conv, ref168_32to64_42x32, 32, 64, 42, 32, {2, 2})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Layer_Dense, ref168_21504to64, 64 * 21 * 16, 64)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Layer_Conv, crnn_1to8_70x64, 1, 8, 70, 64, {2, 1})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Layer_Conv, crnn_8to16_35x64, 8, 16, 35, 64, {2, 1})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Layer_Conv, crnn_16to32_17x64, 16, 32, 17, 64, {2, 1})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Layer_Conv, crnn_32to32_8x64, 32, 32, 8, 64, {2, 1})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Layer_GRU)->Unit(benchmark::kMicrosecond);

// The core's peak of fused multiply-adds: 12 independent chains of vector FMAs (enough to cover
// the latency of two FMA ports on current x86 cores), 2 flops per lane each. Each instruction set
// has its own function, compiled for it, so that the chains stay in registers.
#define CQTCNN_FMA_CHAINS(Vec, set1, fma, add, lanes)                                           \
  Vec acc[12];                                                                                  \
  for (int i = 0; i < 12; ++i) acc[i] = set1(static_cast<float>(i));                           \
  const Vec a = set1(0.999999F), b = set1(1e-7F);                                               \
  for (std::int64_t r = 0; r < rounds; ++r)                                                     \
    for (auto& v : acc) v = fma(v, a, b);                                                       \
  Vec sum = acc[0];                                                                             \
  for (int i = 1; i < 12; ++i) sum = add(sum, acc[i]);                                          \
  float out[lanes];                                                                             \
  std::memcpy(out, &sum, sizeof(out));                                                          \
  return out[0];
__attribute__((target("avx2,fma"))) float fma_avx2(std::int64_t rounds) {
  CQTCNN_FMA_CHAINS(__m256, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps, 8)
}
__attribute__((target("avx512f"))) float fma_avx512(std::int64_t rounds) {
  CQTCNN_FMA_CHAINS(__m512, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps, 16)
}
#undef CQTCNN_FMA_CHAINS

void BM_FmaPeak(benchmark::State& state) {
  const bool wide = state.range(0) == 512;
  if (wide ? !__builtin_cpu_supports("avx512f") : !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) {
    state.SkipWithError("this CPU lacks the instruction set");
    return;
  }
  constexpr std::int64_t kRounds = 1 << 16;
  for (auto _ : state) {
    std::int64_t rounds = kRounds;
    benchmark::DoNotOptimize(rounds);  // opaque, so that the call is not hoisted out of the loop
    benchmark::DoNotOptimize(wide ? fma_avx512(rounds) : fma_avx2(rounds));
  }
  const double lanes = wide ? 16 : 8;
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * 12 * lanes * kRounds * static_cast<double>(state.iterations()) / 1e9,
                                                 benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FmaPeak)->Arg(256)->Arg(512)->Unit(benchmark::kMicrosecond);

// Loading a model whose weights are base64 (the exporter's form): ~351k parameters, 1.9 MB.
void BM_LoadModel(benchmark::State& state) {
  const auto model = cqtcnn::Model::parse(reference_model(84, 64), "reference");
  // Re-encode the weights as base64 by round-tripping through the exporter's tensor form.
  static const std::string text = [] {
    json m = json::parse(reference_model(84, 64));
    for (auto& layer : m["layers"])
      if (layer.contains("weights"))
        for (auto& [name, t] : layer["weights"].items()) {
          const auto data = t["data"].get<std::vector<float>>();
          static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
          const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
          const std::size_t len = data.size() * 4;
          std::string b64;
          for (std::size_t i = 0; i < len; i += 3) {
            const std::uint32_t g = (std::uint32_t{bytes[i]} << 16) | (i + 1 < len ? std::uint32_t{bytes[i + 1]} << 8 : 0U) |
                                    (i + 2 < len ? bytes[i + 2] : 0U);
            b64 += k[(g >> 18) & 63];
            b64 += k[(g >> 12) & 63];
            b64 += i + 1 < len ? k[(g >> 6) & 63] : '=';
            b64 += i + 2 < len ? k[g & 63] : '=';
          }
          t = {{"dtype", "float32"}, {"shape", t["shape"]}, {"data_b64", b64}};
        }
    return m.dump();
  }();
  for (auto _ : state) benchmark::DoNotOptimize(cqtcnn::Model::parse(text, "bench"));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.counters["file_MB"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(BM_LoadModel)->Unit(benchmark::kMillisecond);

// A model file from the environment (tools/bench/bench_cnn_peers.py passes the exported ones).
void BM_ForwardFile(benchmark::State& state) {
  const char* path = std::getenv("CQTCNN_BENCH_MODEL");
  if (!path) {
    state.SkipWithError("set CQTCNN_BENCH_MODEL");
    return;
  }
  static const auto model = cqtcnn::Model::load(path);
  forward(state, model);
}
BENCHMARK(BM_ForwardFile)->Arg(1)->Arg(64)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
