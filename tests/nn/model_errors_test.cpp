// Bad model files: each is refused with InvalidInput whose one-line message names the file and
// the JSON path of the problem; none crashes, hangs or allocates absurd amounts.
#include "cqtcnn/error.hpp"
#include "cqtcnn/model.hpp"
#include "nn/model/stored_model.hpp"
#include "nn/model/model_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

namespace {

using nlohmann::json;

// A valid model: conv2d 1->2 3x3 on 1x4x4 -> flatten -> dense 8->3 (inline weights).
json valid_model() {
  std::vector<float> conv(2 * 1 * 3 * 3), dense(3 * 8);
  for (std::size_t i = 0; i < conv.size(); ++i) conv[i] = 0.1F * static_cast<float>(i) - 0.5F;
  for (std::size_t i = 0; i < dense.size(); ++i) dense[i] = 0.05F * static_cast<float>(i % 7) - 0.1F;
  return json{
      {"format", "cqtcnn-model"},
      {"version", 1},
      {"frontend", {{"sample_rate", 8000}}},
      {"labels", {"a", "b", "c"}},
      {"input_shape", {1, 4, 4}},
      {"layers",
       {{{"type", "conv2d"}, {"in_channels", 1}, {"out_channels", 2}, {"kernel_size", 3},
         {"weights", {{"weight", conv}, {"bias", {0.1, -0.2}}}}},
        {{"type", "relu"}},
        {{"type", "flatten"}},
        {{"type", "dense"}, {"in_features", 8}, {"out_features", 3}, {"weights", {{"weight", dense}, {"bias", {0, 0, 0}}}}}}},
      {"metadata", {{"name", "tiny"}}},
  };
}

// The message of the InvalidInput thrown when parsing `text` as "m.json" (fails if none).
std::string error_of(const std::string& text) {
  try {
    cqtcnn::Model::parse(text, "m.json");
  } catch (const cqtcnn::InvalidInput& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_EQ(message.rfind("m.json: ", 0), 0U) << message;
    return message;
  }
  ADD_FAILURE() << "no error for " << text.substr(0, 200);
  return "";
}
std::string error_of(const char* text) { return error_of(std::string(text)); }
std::string error_of(const json& j) { return error_of(j.dump()); }

#define EXPECT_CONTAINS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

TEST(ModelErrors, TheValidModelLoadsAndRuns) {
  const auto m = cqtcnn::Model::parse(valid_model().dump(), "m.json");
  EXPECT_EQ(m.output_shape(), (cqtcnn::Shape{3, 1, 1}));
  EXPECT_EQ(model_frontend_json(m)["sample_rate"], 8000);
  cqtcnn::Tensor x(1, m.input_shape());
  EXPECT_EQ(m.run(x, cqtcnn::Output::probabilities).data.size(), 3U);
}

TEST(ModelErrors, NotJson) {
  const std::string text = valid_model().dump();
  EXPECT_CONTAINS(error_of(text.substr(0, text.size() / 2)), "not valid JSON");
  EXPECT_CONTAINS(error_of("\x89PNG garbage"), "not valid JSON");
  EXPECT_CONTAINS(error_of(""), "not valid JSON");
  EXPECT_CONTAINS(error_of("[1,2]"), "expected a JSON object");
}

TEST(ModelErrors, DeepNestingIsRefusedBeforeParsing) {
  EXPECT_CONTAINS(error_of(std::string(100000, '[') + std::string(100000, ']')), "nested deeper");
  // Brackets inside strings do not count.
  json m = valid_model();
  m["metadata"]["note"] = std::string(1000, '[');
  EXPECT_NO_THROW(cqtcnn::Model::parse(m.dump(), "m.json"));
}

TEST(ModelErrors, TopLevelSchema) {
  json m = valid_model();
  m["format"] = "onnx";
  EXPECT_CONTAINS(error_of(m), "/format");
  m = valid_model();
  m["version"] = 2;
  EXPECT_CONTAINS(error_of(m), "/version");
  m = valid_model();
  m.erase("layers");
  EXPECT_CONTAINS(error_of(m), "/layers: missing");
  m = valid_model();
  m["frontend"] = "cqt";
  EXPECT_CONTAINS(error_of(m), "/frontend: expected an object");
  m = valid_model();
  m["extra"] = 1;
  EXPECT_CONTAINS(error_of(m), "/extra: unknown top-level field");
  m = valid_model();
  m["labels"] = {"a", "b"};
  EXPECT_CONTAINS(error_of(m), "/labels: 2 labels but the network has 3 outputs");
  m = valid_model();
  m["labels"][1] = 7;
  EXPECT_CONTAINS(error_of(m), "/labels/1: expected a string");
  m = valid_model();
  m["input_shape"] = {1, 4};
  EXPECT_CONTAINS(error_of(m), "/input_shape");
}

TEST(ModelErrors, UnknownLayerTypeAndFields) {
  json m = valid_model();
  m["layers"][1]["type"] = "swish";
  EXPECT_CONTAINS(error_of(m), "/layers/1/type: unknown layer type \"swish\"");
  m = valid_model();
  m["layers"][1].erase("type");
  EXPECT_CONTAINS(error_of(m), "/layers/1/type: missing");
  m = valid_model();
  m["layers"][0]["kernal_size"] = 3;
  EXPECT_CONTAINS(error_of(m), "/layers/0/kernal_size: unknown field");
  m = valid_model();
  m["layers"][0]["stride"] = 0;
  EXPECT_CONTAINS(error_of(m), "/layers/0/stride: expected an integer or [h, w]");
  m = valid_model();
  m["layers"][0]["padding"] = "half";
  EXPECT_CONTAINS(error_of(m), "/layers/0/padding");
}

TEST(ModelErrors, MissingExtraAndWrongSizedWeights) {
  json m = valid_model();
  m["layers"][0]["weights"].erase("bias");
  EXPECT_CONTAINS(error_of(m), "/layers/0/weights/bias: missing");
  m = valid_model();
  m["layers"][0]["weights"]["gamma"] = {1.0};
  EXPECT_CONTAINS(error_of(m), "/layers/0/weights/gamma: unexpected weight");
  m = valid_model();
  m["layers"][0]["weights"]["weight"].erase(m["layers"][0]["weights"]["weight"].begin());
  EXPECT_CONTAINS(error_of(m), "/layers/0/weights/weight: expected 18 values for conv2d weight 2x1x3x3, got 17");
  m = valid_model();
  m["layers"][0]["weights"]["weight"] = {{"dtype", "float32"}, {"shape", {2, 1, 3, 3}}, {"data_b64", "AAAA"}};
  EXPECT_CONTAINS(error_of(m), "/layers/0/weights/weight/data_b64: expected 18 values");
  m["layers"][0]["weights"]["weight"]["shape"] = {2, 1, 3, 2};
  EXPECT_CONTAINS(error_of(m), "/layers/0/weights/weight/shape: expected 2x1x3x3");
  m = valid_model();
  m["layers"][0]["weights"]["weight"] = {{"dtype", "float32"}, {"shape", {2, 1, 3, 3}},
                                         {"data_b64", std::string(96, '!')}};
  EXPECT_CONTAINS(error_of(m), "invalid base64");
  // One bad character in valid text, before the last group or in it, and padding too early
  const std::string zeros(96, 'A');  // 72 zero bytes = 18 float32 zeros
  for (const std::size_t at : {0u, 41u, 92u, 95u}) {
    std::string text = zeros;
    text[at] = at == 41 ? '=' : '*';
    m["layers"][0]["weights"]["weight"]["data_b64"] = text;
    EXPECT_CONTAINS(error_of(m), "invalid base64") << at;
  }
}

// The stored form (nn::store_model, written by cmake/embed_model.cpp for the built-in model): the
// CBOR skeleton with each tensor's data_b64 a byte offset into a block of little-endian float32
// values, read from the block in place. The same model back; offsets and sizes that do not fit
// the block, non-finite values, and offsets in a model file without a block refused.
TEST(ModelErrors, StoredFormGivesTheSameModel) {
  json m = valid_model();
  m["layers"][0]["weights"]["bias"] = {{"dtype", "float32"}, {"shape", {2}}, {"data_b64", "mpmZPjMzM78="}};
  m["layers"][3]["weights"]["bias"] = {{"shape", {3}}, {"data_b64", "AACAPwAAAEAAAEBA"}};  // 1, 2, 3
  const auto stored = cqtcnn::nn::store_model(m, "m.json");
  EXPECT_EQ(stored.tensors.size(), 64U + 12U);  // two tensors, each at a multiple of 64
  const json skeleton = cqtcnn::nn::load_stored_model(stored.skeleton, "s");
  EXPECT_EQ(skeleton["layers"][0]["weights"]["bias"]["data_b64"], 0);
  EXPECT_EQ(skeleton["layers"][3]["weights"]["bias"]["data_b64"], 64);
  const auto a = cqtcnn::Model::parse(m.dump(), "m.json");
  const auto b = cqtcnn::model_from_json(skeleton, "s", stored.tensors);
  cqtcnn::Tensor x(1, a.input_shape());
  for (std::size_t i = 0; i < x.data.size(); ++i) x.data[i] = std::sin(static_cast<float>(i));
  EXPECT_EQ(a.run(x).data, b.run(x).data);
  EXPECT_NE(a.run(x).data, cqtcnn::Model::parse(valid_model().dump(), "m.json").run(x).data);  // the bias counts

  auto error_of_stored = [&](std::span<const std::uint8_t> tensors) {
    try {
      cqtcnn::model_from_json(skeleton, "s", tensors);
    } catch (const cqtcnn::InvalidInput& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of_stored(std::span(stored.tensors).first(64 + 11)),
            "s: /layers/3/weights/bias/data_b64: tensor bytes out of range (3 values for dense bias 3 at byte 64 of 75)");
  EXPECT_CONTAINS(error_of_stored(std::span(stored.tensors).first(4)),
                  "s: /layers/0/weights/bias/data_b64: tensor bytes out of range (2 values");
  std::vector<std::uint8_t> with_nan = stored.tensors;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(with_nan.data() + 64 + 4, &nan, 4);
  EXPECT_EQ(error_of_stored(with_nan), "s: /layers/3/weights/bias: value 1 is not finite");
  // An offset is not a tensor in a model file (no block): it must be base64 text.
  EXPECT_CONTAINS(error_of(skeleton), "/layers/0/weights/bias/data_b64: expected a base64 string");

  std::vector<std::uint8_t> not_cbor{0xff, 0x00};
  try {
    cqtcnn::nn::load_stored_model(not_cbor, "s");
    ADD_FAILURE() << "not CBOR, accepted";
  } catch (const cqtcnn::InvalidInput& e) {
    EXPECT_EQ(std::string(e.what()).rfind("s: not valid CBOR", 0), 0U) << e.what();
  }
}

TEST(ModelErrors, NonFiniteWeights) {
  // JSON has no NaN literal; a float32 NaN can only arrive through base64 (0x7fc00000).
  json m = valid_model();
  m["layers"][0]["weights"]["bias"] = {{"shape", {2}}, {"data_b64", "AADAfwAAgD8="}};  // NaN, 1.0
  EXPECT_CONTAINS(error_of(m), "/layers/0/weights/bias: value 0 is not finite");
  m["layers"][0]["weights"]["bias"] = {{"shape", {2}}, {"data_b64", "AACAPwAAgH8="}};  // 1.0, +Inf
  EXPECT_CONTAINS(error_of(m), "/layers/0/weights/bias: value 1 is not finite");
  m["layers"][0]["weights"]["bias"] = {1.0, 1e39};  // overflows float32
  EXPECT_CONTAINS(error_of(m), "value 1 is not finite");
}

TEST(ModelErrors, ShapesThatDoNotFitNameTheLayer) {
  json m = valid_model();
  m["layers"][0]["kernel_size"] = 5;
  m["layers"][0]["weights"]["weight"] = std::vector<float>(50, 0.0F);
  EXPECT_CONTAINS(error_of(m), "/layers/0: layer 0 (conv2d): kernel 5x5 (dilated) does not fit input 4x4");
  m = valid_model();
  m["layers"][0]["in_channels"] = 3;
  m["layers"][0]["weights"]["weight"] = std::vector<float>(54, 0.0F);
  EXPECT_CONTAINS(error_of(m), "/layers/0: layer 0 (conv2d): expects 3 input channels, got 1");
  m = valid_model();
  m["layers"].erase(2);  // no flatten before dense
  EXPECT_CONTAINS(error_of(m), "/layers/2: layer 2 (dense): expects a flat input");
}

TEST(ModelErrors, AbsurdSizesAreRefusedBeforeAllocating) {
  json m = valid_model();
  m["input_shape"] = {65536, 65536, 65536};
  EXPECT_CONTAINS(error_of(m), "/input_shape");
  m = valid_model();
  m["layers"][0]["out_channels"] = 65536;
  m["layers"][0]["in_channels"] = 65536;
  m["layers"][0]["kernel_size"] = 65536;
  EXPECT_CONTAINS(error_of(m), "out of range");
  m = valid_model();
  m["layers"][3]["in_features"] = 1 << 26;
  m["layers"][3]["out_features"] = 1 << 26;
  EXPECT_CONTAINS(error_of(m), "/layers/3/weights/weight: size 67108864x67108864 is out of range");
  m = valid_model();
  m["layers"][0]["weights"]["weight"] = {{"shape", {1000000000, 1000000000, 1000000000}}, {"data", json::array()}};
  EXPECT_CONTAINS(error_of(m), "/layers/0/weights/weight/shape: expected 2x1x3x3");
}

TEST(ModelErrors, TestVectorsAreCheckedForShapeAndCompared) {
  json m = valid_model();
  const auto good = cqtcnn::Model::parse(m.dump(), "m.json");
  cqtcnn::Tensor x(1, good.input_shape());
  for (std::size_t i = 0; i < x.data.size(); ++i) x.data[i] = std::sin(static_cast<float>(i));
  const auto y = good.run(x);
  m["test_vectors"] = {{{"input", x.data}, {"output", y.data}, {"tolerance", 1e-6}}};
  const auto checked = cqtcnn::Model::parse(m.dump(), "m.json").verify();
  ASSERT_EQ(checked.size(), 1U);
  EXPECT_TRUE(checked[0].passed);
  m["test_vectors"][0]["output"][1] = y.data[1] + 0.01F;
  EXPECT_FALSE(cqtcnn::Model::parse(m.dump(), "m.json").verify()[0].passed);
  m["test_vectors"][0]["output"] = {1.0, 2.0};
  EXPECT_CONTAINS(error_of(m), "/test_vectors/0/output: expected 3 values");
}

// A valid CRNN: conv2d 1->2 3x3 on 1x4x5 -> map 2x2x3 -> 3 steps of 4 features -> gru(4 -> 3)
// -> dense 3->2. Layer 2 is the gru.
json crnn_model() {
  auto values = [](std::size_t n) {
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = 0.1F * std::sin(1.7F * static_cast<float>(i));
    return v;
  };
  return json{
      {"format", "cqtcnn-model"},
      {"version", 1},
      {"labels", {"a", "b"}},
      {"input_shape", {1, 4, 5}},
      {"layers",
       {{{"type", "conv2d"}, {"in_channels", 1}, {"out_channels", 2}, {"kernel_size", 3},
         {"weights", {{"weight", values(18)}, {"bias", values(2)}}}},
        {{"type", "map_to_sequence"}},
        {{"type", "gru"}, {"input_size", 4}, {"hidden_size", 3}, {"return", "last"},
         {"weights", {{"weight_ih_l0", values(36)}, {"weight_hh_l0", values(27)}, {"bias_ih_l0", values(9)},
                      {"bias_hh_l0", values(9)}}}},
        {{"type", "dense"}, {"in_features", 3}, {"out_features", 2},
         {"weights", {{"weight", values(6)}, {"bias", values(2)}}}}}},
  };
}

TEST(ModelErrors, RecurrentLayers) {
  const auto good = cqtcnn::Model::parse(crnn_model().dump(), "m.json");
  EXPECT_EQ(good.summary()[1].output, (cqtcnn::Shape{4, 1, 3}));
  EXPECT_EQ(good.summary()[2].output, (cqtcnn::Shape{3, 1, 1}));
  EXPECT_EQ(good.summary()[2].parameters, 3 * 3 * (4 + 3) + 2 * 9);
  EXPECT_EQ(good.summary()[2].multiply_adds, 3 * 9 * (4 + 3));
  json m = crnn_model();
  m["layers"][2]["input_size"] = 5;
  m["layers"][2]["weights"]["weight_ih_l0"] = std::vector<float>(45, 0.0F);
  EXPECT_CONTAINS(error_of(m), "/layers/2: layer 2 (gru): input size 5 does not match the sequence's 4 features");
  m = crnn_model();
  m["layers"].erase(1);  // the map 2x2x3 goes straight into the gru
  EXPECT_CONTAINS(error_of(m), "/layers/1: layer 1 (gru): expects a sequence (features x 1 x steps), got the map "
                               "2x2x3 (add a map_to_sequence layer before it)");
  m = crnn_model();
  m["layers"][2]["hidden_size"] = 0;
  EXPECT_CONTAINS(error_of(m), "/layers/2/hidden_size: expected an integer in [1, 65536], got 0");
  m = crnn_model();
  m["layers"][2]["weights"]["weight_hh_l0"] = std::vector<float>(26, 0.0F);
  EXPECT_CONTAINS(error_of(m), "/layers/2/weights/weight_hh_l0: expected 27 values for gru weight_hh_l0 9x3, got 26");
  m = crnn_model();
  const std::string nan_then_zeros = "AADAfwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";  // 9 float32
  m["layers"][2]["weights"]["bias_hh_l0"] = {{"shape", {9}}, {"data_b64", nan_then_zeros}};
  EXPECT_CONTAINS(error_of(m), "/layers/2/weights/bias_hh_l0: value 0 is not finite");
  m = crnn_model();
  m["layers"][2]["bidirectional"] = true;
  EXPECT_CONTAINS(error_of(m), "/layers/2/weights/weight_ih_l0_reverse: missing (9x4 tensor)");
  m = crnn_model();
  m["layers"][2]["num_layers"] = 2;
  EXPECT_CONTAINS(error_of(m), "/layers/2/weights/weight_ih_l1: missing (9x3 tensor)");
  m = crnn_model();
  m["layers"][2]["bias"] = false;
  EXPECT_CONTAINS(error_of(m), "/layers/2/weights/bias_hh_l0: unexpected weight");
  m = crnn_model();
  m["layers"][2]["return"] = "first";
  EXPECT_CONTAINS(error_of(m), "/layers/2/return: expected one of \"sequence\", \"last\", got \"first\"");
  m = crnn_model();
  m["layers"][2]["return"] = "sequence";  // dense after a sequence of 3 steps
  EXPECT_CONTAINS(error_of(m), "/layers/3: layer 3 (dense): expects a flat input (3x1x1), got a sequence of 3 steps");
  m = crnn_model();
  m["layers"][1] = {{"type", "time_pool"}, {"mode", "mean"}};
  EXPECT_CONTAINS(error_of(m), "/layers/1: layer 1 (time_pool): expects a sequence");
  m = crnn_model();
  m["layers"].insert(m["layers"].begin() + 2, json{{"type", "sequence_to_map"}, {"channels", 3}});
  EXPECT_CONTAINS(error_of(m),
                  "/layers/2: layer 2 (sequence_to_map): channels 3 do not divide the sequence's 4 features");
  m = crnn_model();
  m["layers"].insert(m["layers"].begin() + 3, json{{"type", "time_pool"}, {"mode", "median"}});
  EXPECT_CONTAINS(error_of(m), "/layers/3/mode: expected one of \"mean\", \"max\", \"last\", got \"median\"");
}

TEST(ModelErrors, FilesThatCannotBeRead) {
  EXPECT_THROW(cqtcnn::Model::load("/nonexistent/model.json"), cqtcnn::InvalidInput);
}

}  // namespace
