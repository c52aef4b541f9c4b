// CNN engine benchmarks: the reference network (docs in tools/bench/bench_cnn_peers.py, which runs
// PyTorch and ONNX Runtime on the same networks side by side) at 1x84x64 and 1x168x128, batch 1
// and 64, one thread; a CRNN the size of the digits model at 1x70x64 and its GRU alone, batch 1;
// and loading a ~1.4 MB model file. Weights are random: speed does not depend on their values.
//   build-x/bench_cnn --benchmark_filter=Forward
//   CQTCNN_BENCH_MODEL=m.json build-x/bench_cnn   (also times the given model file)
#include "cqtcnn/model.hpp"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
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

// A model of 10 classes around `layers`.
std::string model_text(const json& layers, std::int64_t c, std::int64_t h, std::int64_t w) {
  json labels = json::array();
  for (int i = 0; i < 10; ++i) {
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
