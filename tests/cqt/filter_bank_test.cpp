// The time-domain filter bank against its definition: for random frames, bin k must equal the
// sparse spectral product sum_{f <= N/2} K[k, f] X[f] (Brown & Puckette 1992) computed in double
// precision with an independent DFT; and each frame's result must not depend on how the frames
// are grouped into calls (full tiles, the padded last tile, single frames).
#include "cqt_test_util.hpp"

#include "cqt/design.hpp"
#include "cqt/filter_bank.hpp"
#include "cqt/kernel.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <numbers>

namespace {

using cqtcnn::CqtParams;
namespace cqt = cqtcnn::cqt;

// sum_f K[k, f] X[f] for the frame x, X its DFT by the definition (double precision; only the
// bins the kernel uses).
std::vector<std::complex<double>> spectral_product(const cqt::SparseKernel& k, const float* x, int n_fft) {
  std::vector<std::complex<double>> spectrum(static_cast<std::size_t>(n_fft));
  for (int f = k.min_col; f <= k.max_col; ++f)
    for (int n = 0; n < n_fft; ++n)
      spectrum[std::size_t(f)] += double(x[n]) * std::polar(1.0, -2.0 * std::numbers::pi * double(std::int64_t(f) * n % n_fft) / n_fft);
  std::vector<std::complex<double>> bins(std::size_t(k.n_rows));
  for (int r = 0; r < k.n_rows; ++r)
    for (int e = k.row_start[std::size_t(r)]; e < k.row_start[std::size_t(r) + 1]; ++e)
      bins[std::size_t(r)] += std::complex<double>(k.value[std::size_t(e)]) * spectrum[std::size_t(k.col[std::size_t(e)])];
  return bins;
}

TEST(FilterBank, EqualsSparseSpectralProduct) {
  for (const int bpo : {12, 24, 36}) {
    CqtParams p;
    p.bins_per_octave = bpo;
    p.n_bins = 5 * bpo + bpo / 3;  // a partial lowest octave too
    p.hop_length = 256;
    const cqt::Design d = cqt::make_design(p);
    for (const cqt::Octave& o : d.octaves) {
      SCOPED_TRACE("bpo " + std::to_string(bpo) + ", octave at bin " + std::to_string(o.first_bin));
      const cqt::SparseKernel k = cqt::octave_kernel(p, d, o);
      const cqt::FilterBank bank = cqt::time_domain_filters(k, o.n_fft);
      ASSERT_EQ(bank.n_bins, o.n_bins);
      const std::ptrdiff_t hop = o.n_fft / 3 + 1;
      const std::size_t n_frames = 29;
      const auto x = cqt_test::white_noise(std::size_t(hop) * (n_frames - 1) + std::size_t(o.n_fft), unsigned(bpo));
      std::vector<float> out(n_frames * std::size_t(bank.stride));
      cqt::apply_filter_bank(bank, x.data(), hop, n_frames, out.data());
      double err = 0.0, norm = 0.0;
      for (std::size_t t = 0; t < n_frames; ++t) {
        const auto ref = spectral_product(k, x.data() + std::ptrdiff_t(t) * hop, o.n_fft);
        for (int r = 0; r < o.n_bins; ++r) {
          const std::complex<double> ours(out[t * std::size_t(bank.stride) + 2 * std::size_t(r)],
                                          out[t * std::size_t(bank.stride) + 2 * std::size_t(r) + 1]);
          err += std::norm(ours - ref[std::size_t(r)]);
          norm += std::norm(ref[std::size_t(r)]);
        }
      }
      const double rel = std::sqrt(err / norm);
      std::cout << "[ measured ] bpo " << bpo << " octave at bin " << o.first_bin << ": rel. error " << rel << "\n";
      EXPECT_LT(rel, 1e-6);
      for (std::size_t t = 0; t < n_frames; ++t)  // padding columns stay zero
        for (int c = 2 * o.n_bins; c < bank.stride; ++c) EXPECT_EQ(out[t * std::size_t(bank.stride) + std::size_t(c)], 0.0f);
    }
  }
}

TEST(FilterBank, FramesDoNotDependOnGrouping) {
  CqtParams p;
  p.bins_per_octave = 24;
  p.n_bins = 48;
  const cqt::Design d = cqt::make_design(p);
  const cqt::Octave& o = d.octaves.front();
  const cqt::FilterBank bank = cqt::time_domain_filters(cqt::octave_kernel(p, d, o), o.n_fft);
  const std::ptrdiff_t hop = 37;
  const std::size_t n_frames = 3 * cqt::tile_frames() + 5;
  const auto x = cqt_test::white_noise(std::size_t(hop) * (n_frames - 1) + std::size_t(o.n_fft), 4);
  const std::size_t stride = std::size_t(bank.stride);
  std::vector<float> whole(n_frames * stride), grouped(n_frames * stride);
  cqt::apply_filter_bank(bank, x.data(), hop, n_frames, whole.data());
  std::mt19937 rng(2);
  for (std::size_t t = 0; t < n_frames;) {
    const std::size_t n = std::min(n_frames - t, std::uniform_int_distribution<std::size_t>(1, 2 * cqt::tile_frames())(rng));
    cqt::apply_filter_bank(bank, x.data() + std::ptrdiff_t(t) * hop, hop, n, grouped.data() + t * stride);
    t += n;
  }
  EXPECT_EQ(std::memcmp(whole.data(), grouped.data(), whole.size() * sizeof(float)), 0);
}

}  // namespace
