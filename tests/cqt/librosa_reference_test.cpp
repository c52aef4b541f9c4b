// Every case of the librosa 0.10.1 reference vectors (tests/data/cqt/cases.json, trimmed from
// the generator's manifest): |C| within 1e-3 relative Frobenius error overall and 1e-4 on the
// rows librosa computes without resampling; complex cases compared as complex too.
#include "cqt_test_util.hpp"

#include "cqtcnn/cqt.hpp"
#include "io/npy.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <limits>

namespace {

using cqtcnn::CqtParams;
using cqtcnn::Spectrogram;
using nlohmann::json;

json load_cases() {
  std::ifstream f(cqt_test::data_path("cases.json"));
  return json::parse(f)["cases"];
}

CqtParams params_of(const json& j) {
  CqtParams p;
  p.sr = j["sr"];
  p.hop_length = j["hop_length"];
  p.fmin = j["fmin"];
  p.n_bins = j["n_bins"];
  p.bins_per_octave = j["bins_per_octave"];
  p.tuning = j["tuning"];
  p.filter_scale = j["filter_scale"];
  p.norm = j["norm"];
  p.sparsity = j["sparsity"];
  p.window = j["window"];
  p.scale = j["scale"];
  p.pad_mode = j["pad_mode"] == "reflect" ? cqtcnn::PadMode::reflect : cqtcnn::PadMode::constant;
  if (j.contains("gamma")) p.gamma = j["gamma"].is_null() ? -1.0 : double(j["gamma"]);
  return p;
}

// The .npy holds (n_bins, n_frames) in C order.
Spectrogram from_npy(const cqtcnn::NpyComplexArray& a) {
  Spectrogram s;
  s.n_bins = int(a.shape.at(0));
  const std::size_t frames = std::size_t(a.shape.at(1));
  s.data.resize(a.data.size());
  for (int k = 0; k < s.n_bins; ++k)
    for (std::size_t t = 0; t < frames; ++t) s.at(t, k) = a.data[std::size_t(k) * frames + t];
  return s;
}

class LibrosaCase : public ::testing::TestWithParam<int> {};

TEST_P(LibrosaCase, MatchesLibrosa) {
  const json c = load_cases()[std::size_t(GetParam())];
  SCOPED_TRACE(std::string(c["id"]));
  const CqtParams p = params_of(c["params"]);
  const std::vector<float> y = cqt_test::read_wav16(cqt_test::data_path(c["input"]));
  const cqtcnn::Cqt cqt(p);
  const Spectrogram ours = cqt.transform(y);
  ASSERT_EQ(ours.n_frames(), std::size_t(c["n_frames"]));
  ASSERT_EQ(cqt.n_frames(y.size()), std::size_t(c["n_frames"]));
  for (const json& f : c["files"]) {
    const bool complex_file = f["kind"] == "complex";
    const Spectrogram ref = from_npy(cqtcnn::read_npy_complex(cqt_test::data_path(f["file"])));
    ASSERT_EQ(ref.n_bins, p.n_bins);
    ASSERT_EQ(ref.n_frames(), ours.n_frames());
    for (const bool as_complex : {false, true}) {
      if (as_complex && !complex_file) continue;
      const double all = cqt_test::rel_frob(ours, ref, 0, p.n_bins - 1, as_complex);
      std::cout << "[ measured ] " << std::string(c["id"]) << (as_complex ? " complex" : " |C|")
                << " rel_frob all rows " << all;
      EXPECT_LT(all, 1e-3);
      for (const json& range : c["resampling_free_bins"]) {
        const double exact = cqt_test::rel_frob(ours, ref, range[0], range[1], as_complex);
        std::cout << ", resampling-free rows " << exact;
        EXPECT_LT(exact, 1e-4);
      }
      std::cout << "\n";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllCases, LibrosaCase, ::testing::Range(0, int(load_cases().size())),
                         [](const ::testing::TestParamInfo<int>& param_info) {
                           return std::string(load_cases()[std::size_t(param_info.param)]["id"]);
                         });

// The preset reproduces case F (librosa with filter_scale = alpha / (2^(1/24) - 1), hamming).
TEST(Brown1991, PresetIsLibrosaCaseF) {
  for (const json& c : load_cases()) {
    if (c["id"] != "F_chirp_brown") continue;
    const CqtParams f = params_of(c["params"]);
    const CqtParams b = CqtParams::brown1991(22050.0, 24);
    EXPECT_NEAR(b.filter_scale, f.filter_scale, 1e-15);
    EXPECT_EQ(b.window, f.window);
    EXPECT_EQ(b.n_bins, f.n_bins);
    EXPECT_EQ(b.bins_per_octave, f.bins_per_octave);
    // Brown's N[k] = sr Q / f_k with Q = 1 / (2^(1/B) - 1)
    const double q = 1.0 / (std::pow(2.0, 1.0 / 24) - 1.0);
    const auto lengths = b.filter_lengths();
    const auto freqs = b.frequencies();
    for (std::size_t k = 0; k < lengths.size(); ++k) EXPECT_NEAR(lengths[k], 22050.0 * q / freqs[k], 1e-9 * lengths[k]);
    return;
  }
  FAIL() << "case F_chirp_brown missing";
}

}  // namespace
