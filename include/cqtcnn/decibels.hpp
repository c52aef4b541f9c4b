// Value scaling of a complex spectrogram for output: magnitude |C|, power |C|^2, or decibels
// with librosa's semantics (librosa 0.10 core/spectrum.py):
//   amplitude_to_db(S, ref, amin, top_db) = power_to_db(|S|^2, ref^2, amin^2, top_db)
//   power_to_db(P, ref, amin, top_db) = max(10 log10(max(amin, P)) - 10 log10(max(amin, ref)),
//                                           max(that) - top_db)
// computed with librosa's float32/float64 mix so that results match it to the last bit or so.
#pragma once

#include "cqtcnn/params.hpp"

#include <complex>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cqtcnn {

// pcen: librosa.pcen of the magnitude (pcen.hpp), which needs the frames in time order.
enum class ValueScale { magnitude, power, db, pcen };

// "magnitude", "power", "db" or "pcen"; throws InvalidInput naming `option` otherwise.
ValueScale parse_value_scale(const std::string& text, const std::string& option = "--values");

// amin and top_db default to librosa's, as declared in params::db (params.hpp).
struct DbOptions {
  std::optional<double> ref;    // reference amplitude (power for power_to_db); empty: the maximum
  double amin = params::db::amin.default_value;  // floor, amplitude (power_to_db: 1e-10, a power)
  std::optional<double> top_db = params::db::top_db.default_value;  // range below the maximum; empty: no clipping
};

std::vector<float> magnitude(std::span<const std::complex<float>> c);
std::vector<float> power(std::span<const std::complex<float>> c);  // |C|^2 as float32(|C|)^2

// librosa.amplitude_to_db / power_to_db, in place. Throw InvalidInput for amin <= 0 or top_db < 0.
void amplitude_to_db(std::span<float> magnitude, const DbOptions& options = {});
void power_to_db(std::span<float> power,
                 DbOptions options = {.ref = {}, .amin = 1e-10, .top_db = params::db::top_db.default_value});

// power_to_db over data that comes in blocks (a spectrogram streamed to a file): convert() every
// block in order, then clip() every block once all are converted. With the reference resolved
// beforehand (the maximum: a first pass), the numbers are power_to_db's exactly; amplitude_to_db
// is PowerToDb(ref^2, amin^2, top_db) over the squared magnitudes (float32 |C| * |C|).
class PowerToDb {
 public:
  // Throws InvalidInput for amin_power <= 0 or top_db < 0.
  PowerToDb(double ref_power, double amin_power, std::optional<double> top_db);
  void convert(std::span<float> power);  // to dB in place, tracking the peak
  void clip(std::span<float> db) const;  // max(v, peak - top_db); nothing without top_db

  // convert() in two steps, for powers that come before their reference (the maximum) is known.
  // levels() turns powers into 10 log10(max(amin, p)) in place as they come, keeping the
  // largest in max_level. Then expect_peak(max_level) finds the peak (subtracting the reference
  // is monotonic) and from_levels() gives convert()'s and clip()'s values in one pass, in any
  // order of the blocks and from any thread. When the peak cannot be found that way (an infinite
  // reference), expect_peak() returns false: subtract_reference() (convert()'s second half,
  // tracking the peak) every block, then clip() every block.
  static void levels(std::span<float> power, double amin_power, float& max_level);
  bool expect_peak(float max_level);
  void from_levels(std::span<float> levels) const;
  void subtract_reference(std::span<float> levels);

 private:
  float amin_ = 0.0f;
  float ref_term_ = 0.0f;
  float peak_ = -std::numeric_limits<float>::infinity();
  std::optional<double> top_db_;
};

// magnitude, power or amplitude_to_db(magnitude, options), element for element; InvalidInput
// for pcen, which needs the frames (the Pcen class).
std::vector<float> scale_values(std::span<const std::complex<float>> c, ValueScale scale,
                                const DbOptions& options = {});

}  // namespace cqtcnn
