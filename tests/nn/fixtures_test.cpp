// The C++ engine against PyTorch: every fixture in tests/data/nn/ (made by
// tests/nn/make_fixtures.py) carries inputs and PyTorch's eval-mode outputs.
#include "cqtcnn/model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace {

class Fixture : public ::testing::TestWithParam<std::string> {};

TEST_P(Fixture, MatchesPyTorchTo1e5) {
  const auto model = cqtcnn::Model::load(std::string(CQTCNN_TEST_DATA) + "/nn/" + GetParam() + ".json");
  ASSERT_FALSE(model.test_vectors().empty());
  for (const auto& tv : model.test_vectors()) {
    const cqtcnn::Tensor y = model.run(tv.input, cqtcnn::Output::network);
    ASSERT_EQ(y.data.size(), tv.output.size());
    for (std::size_t i = 0; i < y.data.size(); ++i) EXPECT_NEAR(y.data[i], tv.output[i], 1e-5) << "output " << i;
  }
  for (const auto& r : model.verify()) EXPECT_TRUE(r.passed) << "vector " << r.index << " error " << r.max_abs_error;
}

TEST_P(Fixture, BatchAndThreadsGiveTheSameResultsAsSingleInputs) {
  const auto model = cqtcnn::Model::load(std::string(CQTCNN_TEST_DATA) + "/nn/" + GetParam() + ".json");
  const auto& tvs = model.test_vectors();
  cqtcnn::Tensor batch(static_cast<std::int64_t>(tvs.size()) * 2, model.input_shape());
  for (std::size_t k = 0; k < tvs.size() * 2; ++k)
    std::copy(tvs[k % tvs.size()].input.data.begin(), tvs[k % tvs.size()].input.data.end(),
              batch.sample(static_cast<std::int64_t>(k)));
  // Each sample alone, as a batch of one: a batch runs its layers before the first dense layer
  // one sample at a time, then the dense layers on the whole batch, and must give the same bits.
  std::vector<cqtcnn::Tensor> single;
  for (const auto& tv : tvs) single.push_back(model.run(tv.input, cqtcnn::Output::network));
  for (int threads : {1, 2, 3}) {
    const auto y = model.run(batch, cqtcnn::Output::network, {threads});
    ASSERT_EQ(y.n, batch.n);
    for (std::int64_t k = 0; k < y.n; ++k) {
      const auto t = static_cast<std::size_t>(k) % tvs.size();
      for (std::int64_t i = 0; i < y.shape.size(); ++i) {
        EXPECT_NEAR(y.sample(k)[i], tvs[t].output[static_cast<std::size_t>(i)], 1e-5);
        EXPECT_EQ(y.sample(k)[i], single[t].data[static_cast<std::size_t>(i)]) << "sample " << k << " output " << i;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Nn, Fixture,
                         ::testing::Values("basic", "conv_options", "pools", "batch_norm", "global_pool", "crnn_last",
                                           "crnn_bidirectional", "crnn_time_pools", "crnn_options", "gru_last_step",
                                           "gru_sequence_out", "pools_inside"));

TEST(Outputs, LogitsAndProbabilities) {
  // "basic" ends in softmax: logits drop it, probabilities are the softmax of the logits.
  const auto model = cqtcnn::Model::load(std::string(CQTCNN_TEST_DATA) + "/nn/basic.json");
  ASSERT_TRUE(model.ends_in_softmax());
  const auto& x = model.test_vectors()[0].input;
  const auto net = model.run(x, cqtcnn::Output::network);
  const auto logits = model.run(x, cqtcnn::Output::logits);
  const auto probs = model.run(x, cqtcnn::Output::probabilities);
  double sum = 0;
  for (float v : logits.data) sum += std::exp(v);
  for (std::size_t i = 0; i < logits.data.size(); ++i) {
    EXPECT_NEAR(probs.data[i], std::exp(logits.data[i]) / sum, 1e-6);
    EXPECT_NEAR(net.data[i], probs.data[i], 1e-7);
  }
  // "global_pool" has no softmax: logits are the network output.
  const auto plain = cqtcnn::Model::load(std::string(CQTCNN_TEST_DATA) + "/nn/global_pool.json");
  EXPECT_FALSE(plain.ends_in_softmax());
  const auto& x2 = plain.test_vectors()[0].input;
  EXPECT_EQ(plain.run(x2, cqtcnn::Output::logits).data, plain.run(x2, cqtcnn::Output::network).data);
}

}  // namespace

TEST(Plan, MaxPoolAfterConvAndReluIsFusedIntoTheConv) {
  // basic: conv2d -> relu -> max_pool2d 2x2 (the fixture test above checks the numbers).
  const auto model = cqtcnn::Model::load(std::string(CQTCNN_TEST_DATA) + "/nn/basic.json");
  const auto rows = model.summary();
  const auto pool = std::find_if(rows.begin(), rows.end(), [](const auto& r) { return r.type == "max_pool2d"; });
  ASSERT_NE(pool, rows.end());
  EXPECT_TRUE(pool->folded);  // the tiled kernel exists on every CPU (scalar variant included)
}

TEST(Plan, TwoByOneMaxPoolAfterConvIsFusedIntoTheConv) {
  // crnn_last: conv2d -> relu -> max_pool2d 2x1 (pooling along frequency only), which the
  // fixture tests above check against PyTorch.
  const auto model = cqtcnn::Model::load(std::string(CQTCNN_TEST_DATA) + "/nn/crnn_last.json");
  const auto rows = model.summary();
  const auto pool = std::find_if(rows.begin(), rows.end(), [](const auto& r) { return r.type == "max_pool2d"; });
  ASSERT_NE(pool, rows.end());
  EXPECT_TRUE(pool->folded);
}
