// The layout of a CQT/VQT as librosa 0.10.1 builds it (constantq.vqt, filters.wavelet_lengths,
// filters.wavelet): bin frequencies, relative bandwidths, filter lengths, the early
// downsampling count and the octave-by-octave plan of rates, hops and FFT sizes. The fast
// transform and the direct reference both follow this one description.
#pragma once

#include "cqtcnn/cqt.hpp"

#include <complex>
#include <string>
#include <vector>

namespace cqtcnn::cqt {

// scipy.signal.get_window(name, n, fftbins=True): the periodic window of n taps. Windows are
// those of params::cqt::kWindows (check_params refuses others).
std::vector<double> periodic_window(const std::string& name, int n);
// librosa's window_bandwidth (equivalent noise bandwidth in FFT bins); used for f_cutoff.
double window_bandwidth(const std::string& name);

// One octave of filters, processed at sr_eff / 2^level with hop >> level.
struct Octave {
  int first_bin = 0;   // lowest bin of the octave
  int n_bins = 0;      // bins in the octave (the lowest octave may be partial)
  int level = 0;       // halvings of the (early-downsampled) signal before this octave
  double sr = 0.0;     // its sample rate
  int hop = 0;         // its hop
  int n_fft = 0;       // power of two >= its longest filter
  double gain = 1.0;   // sqrt(sr_eff / sr): librosa's compensation for the halvings
};

struct Design {
  std::vector<double> freqs;    // centre frequencies, lowest first
  std::vector<double> alpha;    // relative bandwidth per bin
  std::vector<double> gamma;    // VQT offset per bin (ERB when params.gamma < 0)
  std::vector<double> lengths;  // L_k at the input rate
  double cutoff = 0.0;          // highest frequency any filter reaches
  int early_count = 0;          // early downsampling by 2^early_count
  double sr_eff = 0.0;          // rate after early downsampling
  int hop_eff = 0;              // hop after early downsampling
  std::vector<double> scale_lengths;  // L_k at sr_eff: scale=True divides by sqrt of these
  std::vector<Octave> octaves;  // top octave first, as librosa iterates
  int n_levels = 1;             // signals needed: level 0 .. n_levels-1
};

// Checks each parameter on its own (throws InvalidInput naming it); make_design adds the
// checks that need the layout (the Nyquist limit).
void check_params(const CqtParams& p);

// Validates the parameters (throws InvalidInput) and lays out the transform.
Design make_design(const CqtParams& p);

// CqtParams::bins_below_nyquist: the most bins, at most p.n_bins, that make_design accepts as
// far as the Nyquist limit goes.
int bins_below_nyquist(const CqtParams& p);

// librosa filters.wavelet(..., pad_fft=True) for one octave at its rate: each row is the
// windowed, normalised complex exponential of bin first_bin + r, centred in n_fft taps.
// `lengths` receives the octave's fractional filter lengths at its rate.
std::vector<std::vector<std::complex<double>>> octave_wavelets(const CqtParams& p, const Design& d,
                                                               const Octave& o,
                                                               std::vector<double>& lengths);

// Frames librosa returns for a signal of n samples at the input rate (min over octaves of
// 1 + len_i // hop_i); equals 1 + n / hop_length except in rare early-downsampling cases.
std::size_t frame_count(const Design& d, std::size_t n_samples);
// Samples of each level's signal for an input of n samples (librosa's resample lengths).
std::vector<std::size_t> level_lengths(const Design& d, std::size_t n_samples);

}  // namespace cqtcnn::cqt
