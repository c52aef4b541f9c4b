// The fast GRU (the gru layer as the engine runs it) against the naive reference on random
// shapes: hidden 8..128, 1..500 steps, batch 1 and 16, 1 or 2 layers, one or two directions,
// either output; and the vectorised exp/sigmoid/tanh of its gates against libm.
#include "nn/kernels/fast_math.hpp"
#include "nn/kernels/gru_ops.hpp"
#include "nn/model/layer_registry.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <random>

namespace {

using cqtcnn::nn::GruCell;
using cqtcnn::nn::GruShape;

TEST(FastMath, ExpSigmoidTanhMatchLibm) {
  double worst_exp = 0, worst_sigmoid = 0, worst_tanh = 0;
  for (float x = -100.0F; x <= 100.0F; x += 1.0F / 1024) {
    const double e = std::exp(static_cast<double>(x));
    if (x > -87.0F && x < 88.0F) worst_exp = std::max(worst_exp, std::abs(cqtcnn::nn::exp_fast(x) - e) / e);
    worst_sigmoid = std::max(worst_sigmoid, std::abs(cqtcnn::nn::sigmoid_fast(x) - 1.0 / (1.0 + 1.0 / e)));
    worst_tanh = std::max(worst_tanh, std::abs(cqtcnn::nn::tanh_fast(x) - std::tanh(static_cast<double>(x))));
  }
  EXPECT_LT(worst_exp, 3e-7);
  EXPECT_LT(worst_sigmoid, 1.5e-7);
  EXPECT_LT(worst_tanh, 2.5e-7);
  EXPECT_EQ(cqtcnn::nn::tanh_fast(0.0F), 0.0F);
  EXPECT_EQ(cqtcnn::nn::tanh_fast(1e4F), 1.0F);
  EXPECT_EQ(cqtcnn::nn::tanh_fast(-1e4F), -1.0F);
  EXPECT_LT(cqtcnn::nn::sigmoid_fast(-1e4F), 1e-37F);  // e^-87 at most: below any float that matters
  EXPECT_EQ(cqtcnn::nn::sigmoid_fast(1e4F), 1.0F);
}

struct Case {
  GruShape shape;
  std::int64_t steps = 1, batch = 1;
  bool bias = true;
};

std::vector<float> uniform(std::int64_t n, float scale, std::mt19937& rng) {
  std::uniform_real_distribution<float> d(-scale, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

// Random cells with PyTorch's initialisation U(-1/sqrt(H), 1/sqrt(H)), and the gru layer's
// JSON object holding them.
std::vector<GruCell> random_cells(const Case& c, std::mt19937& rng, nlohmann::json& layer) {
  const GruShape& s = c.shape;
  const float scale = 1.0F / std::sqrt(static_cast<float>(s.hidden));
  layer = {{"type", "gru"}, {"input_size", s.input_size}, {"hidden_size", s.hidden}, {"num_layers", s.layers},
           {"bidirectional", s.directions == 2}, {"bias", c.bias}, {"return", s.last ? "last" : "sequence"}};
  std::vector<GruCell> cells;
  for (std::int64_t l = 0; l < s.layers; ++l)
    for (std::int64_t d = 0; d < s.directions; ++d) {
      const std::string suffix = "_l" + std::to_string(l) + (d ? "_reverse" : "");
      GruCell cell{uniform(3 * s.hidden * s.layer_input(l), scale, rng), uniform(3 * s.hidden * s.hidden, scale, rng),
                   uniform(3 * s.hidden, scale, rng), uniform(3 * s.hidden, scale, rng)};
      if (!c.bias) cell.bias_ih.assign(cell.bias_ih.size(), 0.0F), cell.bias_hh.assign(cell.bias_hh.size(), 0.0F);
      layer["weights"]["weight_ih" + suffix] = cell.weight_ih;
      layer["weights"]["weight_hh" + suffix] = cell.weight_hh;
      if (c.bias) {
        layer["weights"]["bias_ih" + suffix] = cell.bias_ih;
        layer["weights"]["bias_hh" + suffix] = cell.bias_hh;
      }
      cells.push_back(std::move(cell));
    }
  return cells;
}

// Runs the case through the gru layer built from JSON (the fast kernel) and through
// gru_reference sample by sample; returns the largest absolute difference.
double max_difference(const Case& c, std::mt19937& rng) {
  nlohmann::json j;
  const auto cells = random_cells(c, rng, j);
  cqtcnn::nn::LayerSpec spec(j, "/layers/0", "test.json");
  const auto layer = cqtcnn::nn::make_layer(spec);
  const cqtcnn::Shape in_shape{c.shape.input_size, 1, c.steps};
  const cqtcnn::Shape out_shape = layer->output_shape(in_shape);
  EXPECT_EQ(out_shape, (cqtcnn::Shape{c.shape.features(), 1, c.shape.last ? 1 : c.steps}));
  cqtcnn::Tensor x(c.batch, in_shape), y(c.batch, out_shape);
  x.data = uniform(static_cast<std::int64_t>(x.data.size()), 2.0F, rng);
  cqtcnn::Workspace ws;
  layer->forward(x, y, ws);
  std::vector<float> ref(static_cast<std::size_t>(out_shape.size()));
  double worst = 0;
  for (std::int64_t b = 0; b < c.batch; ++b) {
    cqtcnn::nn::gru_reference(c.shape, cells, x.sample(b), c.steps, ref.data());
    for (std::int64_t i = 0; i < out_shape.size(); ++i)
      worst = std::max(worst, static_cast<double>(std::abs(y.sample(b)[i] - ref[i])));
  }
  return worst;
}

std::string describe(const Case& c) {
  const GruShape& s = c.shape;
  return "input " + std::to_string(s.input_size) + " hidden " + std::to_string(s.hidden) + " layers " +
         std::to_string(s.layers) + (s.directions == 2 ? " bi" : " uni") + (s.last ? " last" : " sequence") +
         " steps " + std::to_string(c.steps) + " batch " + std::to_string(c.batch) + (c.bias ? "" : " no bias");
}

TEST(GruFast, MatchesReferenceOnRandomShapes) {
  std::mt19937 rng(15);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  std::vector<Case> cases;
  // The corners first: the largest shapes once, the shortest sequence, then random ones.
  cases.push_back({{64, 128, 2, 2, false}, 500, 1, true});
  cases.push_back({{128, 128, 1, 1, true}, 500, 1, true});
  cases.push_back({{7, 8, 2, 2, false}, 1, 16, true});
  cases.push_back({{5, 8, 1, 1, true}, 1, 1, false});
  for (int trial = 0; trial < 40; ++trial) {
    Case c;
    c.shape.input_size = pick(1, 64);
    c.shape.hidden = pick(8, 128);
    c.shape.layers = pick(1, 2);
    c.shape.directions = pick(1, 2);
    c.shape.last = pick(0, 1) == 1;
    c.batch = trial % 2 == 0 ? 1 : 16;
    // Sequence lengths spread over 1..500 (log-uniform); long and wide cases with batch 1 keep
    // the naive reference's time reasonable.
    c.steps = static_cast<std::int64_t>(std::exp(std::uniform_real_distribution<double>(0, std::log(500.0))(rng)));
    if (c.batch == 16) c.steps = std::min<std::int64_t>(c.steps, 120);
    c.bias = trial % 5 != 0;
    cases.push_back(c);
  }
  double overall = 0;
  for (const Case& c : cases) {
    const double worst = max_difference(c, rng);
    overall = std::max(overall, worst);
    EXPECT_LT(worst, 1e-5) << describe(c);
  }
  std::printf("max |fast - reference| over %zu cases: %.3g\n", cases.size(), overall);
}

}  // namespace
