// librosa 0.10.1's CQT/VQT layout (constantq.vqt, __early_downsample_count, filters.wavelet,
// filters.wavelet_lengths, filters._relative_bandwidth), re-derived step by step so that every
// length, rate and FFT size equals librosa's.
#include "cqt/design.hpp"

#include "cqtcnn/error.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <numbers>
#include <sstream>
#include <string>

namespace cqtcnn::cqt {
namespace {

// Equal-temperament relative bandwidth (librosa __et_relative_bw), used for a single bin.
double et_alpha(int bins_per_octave) {
  const double r = std::pow(2.0, 2.0 / bins_per_octave);
  return (r - 1.0) / (r + 1.0);
}

// filters._relative_bandwidth: local bins-per-octave from neighbouring log-frequencies.
std::vector<double> relative_bandwidth(const std::vector<double>& f) {
  const std::size_t n = f.size();
  if (n == 1) return {};
  std::vector<double> logf(n), bpo(n), alpha(n);
  for (std::size_t i = 0; i < n; ++i) logf[i] = std::log2(f[i]);
  bpo[0] = 1.0 / (logf[1] - logf[0]);
  bpo[n - 1] = 1.0 / (logf[n - 1] - logf[n - 2]);
  for (std::size_t i = 1; i + 1 < n; ++i) bpo[i] = 2.0 / (logf[i + 1] - logf[i - 1]);
  for (std::size_t i = 0; i < n; ++i) {
    const double r = std::pow(2.0, 2.0 / bpo[i]);
    alpha[i] = (r - 1.0) / (r + 1.0);
  }
  return alpha;
}

int two_factors(int x) {
  int n = 0;
  while (x > 0 && x % 2 == 0) {
    ++n;
    x /= 2;
  }
  return n;
}

// L = Q sr / (f + gamma / alpha), Q = filter_scale / alpha (wavelet_lengths).
double filter_length(const CqtParams& p, const Design& d, int k, double sr) {
  const double q = p.filter_scale / d.alpha[std::size_t(k)];
  return q * sr / (d.freqs[std::size_t(k)] + d.gamma[std::size_t(k)] / d.alpha[std::size_t(k)]);
}

std::string show(double x) {
  std::ostringstream s;
  s << std::setprecision(4) << x;
  return s.str();
}

long long floor_div(long long a, long long b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }


// The bands: centre frequencies, relative bandwidths, VQT offsets and the highest frequency a
// filter reaches (wavelet_lengths' f_cutoff).
Design bands(const CqtParams& p) {
  Design d;
  const int n = p.n_bins, bpo = p.bins_per_octave;
  d.freqs = p.frequencies();
  d.alpha = n == 1 ? std::vector<double>{et_alpha(bpo)} : relative_bandwidth(d.freqs);
  d.gamma.resize(std::size_t(n));
  for (std::size_t k = 0; k < std::size_t(n); ++k)
    d.gamma[k] = p.gamma < 0 ? d.alpha[k] * 24.7 / 0.108 : p.gamma;  // ERB (Glasberg & Moore 1990)

  const double bandwidth = window_bandwidth(p.window);
  d.cutoff = 0.0;
  for (int k = 0; k < n; ++k) {
    const double q = p.filter_scale / d.alpha[std::size_t(k)];
    d.cutoff = std::max(d.cutoff, d.freqs[std::size_t(k)] * (1.0 + 0.5 * bandwidth / q) + 0.5 * d.gamma[std::size_t(k)]);
  }
  return d;
}

}  // namespace

int bins_below_nyquist(const CqtParams& p) {
  check_params(p);
  // The top band rises with the number of bins: bisect for the most that stay below Nyquist.
  CqtParams q = p;
  int fits = 0, too_many = p.n_bins + 1;
  while (too_many - fits > 1) {
    q.n_bins = fits + (too_many - fits) / 2;
    if (bands(q).cutoff <= p.sr / 2.0)
      fits = q.n_bins;
    else
      too_many = q.n_bins;
  }
  return fits;
}

Design make_design(const CqtParams& p) {
  check_params(p);
  Design d = bands(p);
  const int n = p.n_bins, bpo = p.bins_per_octave;
  for (int k = 0; k < n; ++k) d.lengths.push_back(filter_length(p, d, k, p.sr));
  const double nyquist = p.sr / 2.0;
  if (d.cutoff > nyquist)
    throw InvalidInput("cqt: n_bins=" + std::to_string(n) + ": the top bin (" + std::to_string(d.freqs.back()) +
                       " Hz) has a band reaching " + std::to_string(d.cutoff) + " Hz, above the Nyquist frequency " +
                       std::to_string(nyquist) + " Hz; reduce n_bins or fmin");

  // __early_downsample_count: decimate first while the filters stay far below Nyquist and the
  // hop keeps enough factors of two for every octave.
  const int n_octaves = (n + bpo - 1) / bpo;
  const int count1 = std::max(0, int(std::ceil(std::log2(nyquist / d.cutoff)) - 1) - 1);
  const int count2 = std::max(0, two_factors(p.hop_length) - n_octaves + 1);
  d.early_count = std::min(count1, count2);
  d.sr_eff = p.sr / double(1 << d.early_count);
  d.hop_eff = p.hop_length / (1 << d.early_count);
  for (int k = 0; k < n; ++k) d.scale_lengths.push_back(filter_length(p, d, k, d.sr_eff));

  const int n_filters = std::min(bpo, n);
  double sr = d.sr_eff;
  int hop = d.hop_eff, level = 0;
  for (int i = 0; i < n_octaves; ++i) {
    Octave o;
    const int hi = n - n_filters * i;
    o.first_bin = std::max(0, n - n_filters * (i + 1));
    o.n_bins = hi - o.first_bin;
    o.level = level;
    o.sr = sr;
    o.hop = hop;
    double longest = 0.0;
    for (int k = o.first_bin; k < hi; ++k) longest = std::max(longest, filter_length(p, d, k, sr));
    if (!(longest <= kMaxCqtFilterLength))
      throw InvalidInput("cqt: the filter of bin " + std::to_string(o.first_bin) + " (" +
                         show(d.freqs[std::size_t(o.first_bin)]) + " Hz) would be " + show(longest) +
                         " samples long at " + show(sr) + " Hz, more than the limit of " +
                         show(kMaxCqtFilterLength) + "; raise fmin or lower filter_scale");
    o.n_fft = int(std::pow(2.0, std::ceil(std::log2(longest))));
    o.gain = std::sqrt(d.sr_eff / sr);
    d.octaves.push_back(o);
    d.n_levels = level + 1;
    if (hop % 2 == 0) {  // halve the signal for the next octave while the hop allows it
      hop /= 2;
      sr /= 2.0;
      ++level;
    }
  }
  // Each octave's filter bank holds n_fft x 2 n_bins floats, and costs as many multiply-adds per
  // frame; every octave has sr / hop frames per second of audio.
  double values = 0.0, work = 0.0;
  for (const Octave& o : d.octaves) {
    values += double(o.n_fft) * 2.0 * o.n_bins;
    work += double(o.n_fft) * 2.0 * o.n_bins * p.sr / p.hop_length;
  }
  if (values > kMaxCqtFilterValues)
    throw InvalidInput("cqt: the filters would hold " + show(values) + " values, more than the limit of " +
                       show(kMaxCqtFilterValues) + "; use fewer bins per octave, a higher fmin or a lower filter_scale");
  if (work > kMaxCqtWorkPerSecond)
    throw InvalidInput("cqt: hop_length " + std::to_string(p.hop_length) + " with these filters needs " + show(work) +
                       " multiply-adds per second of audio, more than the limit of " + show(kMaxCqtWorkPerSecond) +
                       "; use a longer hop_length");
  return d;
}

std::vector<std::vector<std::complex<double>>> octave_wavelets(const CqtParams& p, const Design& d,
                                                               const Octave& o,
                                                               std::vector<double>& lengths) {
  std::vector<std::vector<std::complex<double>>> rows;
  lengths.clear();
  for (int k = o.first_bin; k < o.first_bin + o.n_bins; ++k) {
    const double len = filter_length(p, d, k, o.sr);
    lengths.push_back(len);
    // numpy.arange(-L // 2, L // 2): floor(-L/2) .. floor(L/2) - 1
    const double start = std::floor(-len / 2.0), stop = std::floor(len / 2.0);
    const int taps = int(stop - start);
    const std::vector<double> win = periodic_window(p.window, taps);
    std::vector<std::complex<double>> sig(static_cast<std::size_t>(taps));
    for (int m = 0; m < taps; ++m) {
      const double angle = (start + m) * 2.0 * std::numbers::pi * d.freqs[std::size_t(k)] / o.sr;
      sig[std::size_t(m)] = std::polar(1.0, angle) * win[std::size_t(m)];
    }
    // util.normalize: divide by the p-norm of the magnitudes (none when norm == 0)
    double norm = 0.0;
    for (const auto& v : sig) {
      const double a = std::abs(v);
      if (std::isinf(p.norm)) norm = std::max(norm, a);
      else norm += std::pow(a, p.norm);
    }
    if (!std::isinf(p.norm) && p.norm != 1.0) norm = std::pow(norm, 1.0 / p.norm);
    if (p.norm != 0.0 && norm >= std::numeric_limits<double>::min())
      for (auto& v : sig) v /= norm;
    // util.pad_center into n_fft taps
    std::vector<std::complex<double>> row(std::size_t(o.n_fft));
    const int lpad = (o.n_fft - taps) / 2;
    std::copy(sig.begin(), sig.end(), row.begin() + lpad);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::size_t> level_lengths(const Design& d, std::size_t n_samples) {
  std::vector<std::size_t> len(std::size_t(d.n_levels));
  const std::size_t f = std::size_t(1) << d.early_count;
  len[0] = (n_samples + f - 1) / f;
  for (std::size_t l = 1; l < len.size(); ++l) len[l] = (len[l - 1] + 1) / 2;
  return len;
}

std::size_t frame_count(const Design& d, std::size_t n_samples) {
  const std::vector<std::size_t> len = level_lengths(d, n_samples);
  long long frames = -1;
  for (const Octave& o : d.octaves) {
    // librosa.stft with center=True: 1 + (len + 2 (n_fft // 2) - n_fft) // hop
    const long long padded = (long long)len[std::size_t(o.level)] + 2 * (o.n_fft / 2) - o.n_fft;
    const long long t = std::max(0LL, 1 + floor_div(padded, o.hop));
    frames = frames < 0 ? t : std::min(frames, t);
  }
  return std::size_t(frames);
}

}  // namespace cqtcnn::cqt
