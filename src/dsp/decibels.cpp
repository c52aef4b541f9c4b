// librosa's dB conversion, reproducing its dtype mix: with a float32 spectrogram numpy computes
// 10*log10(max(amin, S)) in float32, the reference term 10*log10(max(amin, ref)) in float64
// (numpy scalars promote to float64) and subtracts it after rounding to float32.
#include "cqtcnn/decibels.hpp"

#include "cqtcnn/error.hpp"
#include "dsp/magnitude.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cqtcnn {

ValueScale parse_value_scale(const std::string& text, const std::string& option) {
  if (text == "magnitude") return ValueScale::magnitude;
  if (text == "power") return ValueScale::power;
  if (text == "db") return ValueScale::db;
  if (text == "pcen") return ValueScale::pcen;
  throw InvalidInput(option + ": unknown value scale '" + text + "' (expected magnitude, power, db or pcen)");
}

void dsp::magnitude_into(std::span<const std::complex<float>> c, std::span<float> out) {
  const float* xy = reinterpret_cast<const float*>(c.data());  // [re, im] pairs (std::complex layout)
  bool special = false;
  for (std::size_t i = 0; i < c.size(); ++i) {
    const double x = xy[2 * i], y = xy[2 * i + 1];
    const float m = float(std::sqrt(x * x + y * y));
    special |= !(m <= std::numeric_limits<float>::max());  // NaN or infinite: hypotf's rules below
    out[i] = m;
  }
  if (special)
    for (std::size_t i = 0; i < c.size(); ++i)
      if (!(out[i] <= std::numeric_limits<float>::max())) out[i] = std::abs(c[i]);
}

std::vector<float> magnitude(std::span<const std::complex<float>> c) {
  std::vector<float> m(c.size());
  dsp::magnitude_into(c, m);
  return m;
}

std::vector<float> power(std::span<const std::complex<float>> c) {
  std::vector<float> p = magnitude(c);
  for (float& v : p) v *= v;
  return p;
}

PowerToDb::PowerToDb(double ref_power, double amin_power, std::optional<double> top_db) : top_db_(top_db) {
  if (!(amin_power > 0)) throw InvalidInput("amin: must be strictly positive");
  if (top_db && !(*top_db >= 0)) throw InvalidInput("top_db: must be non-negative");
  amin_ = float(amin_power);
  ref_term_ = float(10.0 * std::log10(std::max(amin_power, std::abs(ref_power))));
}

void PowerToDb::convert(std::span<float> p) {
  for (float& v : p) {
    v = 10.0f * std::log10(std::max(amin_, v)) - ref_term_;
    peak_ = std::max(peak_, v);
  }
}

void PowerToDb::levels(std::span<float> p, double amin_power, float& max_level) {
  const float amin = float(amin_power);
  for (float& v : p) {
    v = 10.0f * std::log10(std::max(amin, v));
    max_level = std::max(max_level, v);
  }
}

void PowerToDb::subtract_reference(std::span<float> levels) {
  for (float& v : levels) {
    v -= ref_term_;
    peak_ = std::max(peak_, v);
  }
}

bool PowerToDb::expect_peak(float max_level) {
  if (!std::isfinite(ref_term_)) return false;
  peak_ = max_level - ref_term_;
  return true;
}

void PowerToDb::from_levels(std::span<float> levels) const {
  for (float& v : levels) v -= ref_term_;
  clip(levels);
}

void PowerToDb::clip(std::span<float> db) const {
  if (!top_db_ || peak_ == -INFINITY) return;
  const float floor = float(double(peak_) - *top_db_);
  for (float& v : db) v = std::max(v, floor);
}

namespace {

// power_to_db with the reference and floor already resolved to powers.
void power_to_db_resolved(std::span<float> p, double ref_power, double amin_power, std::optional<double> top_db) {
  PowerToDb to_db(ref_power, amin_power, top_db);
  to_db.convert(p);
  to_db.clip(p);
}

float max_of(std::span<const float> v) { return v.empty() ? 0.0f : *std::max_element(v.begin(), v.end()); }

}  // namespace

void amplitude_to_db(std::span<float> m, const DbOptions& options) {
  if (!(options.amin > 0)) throw InvalidInput("amin: must be strictly positive");
  const double ref = options.ref ? std::abs(*options.ref) : double(max_of(m));
  for (float& v : m) v = std::abs(v) * std::abs(v);
  power_to_db_resolved(m, ref * ref, options.amin * options.amin, options.top_db);
}

void power_to_db(std::span<float> p, DbOptions options) {
  const double ref = options.ref ? *options.ref : double(max_of(p));
  power_to_db_resolved(p, ref, options.amin, options.top_db);
}

std::vector<float> scale_values(std::span<const std::complex<float>> c, ValueScale scale, const DbOptions& options) {
  if (scale == ValueScale::pcen) throw InvalidInput("scale_values: pcen needs the frames in time order (pcen.hpp)");
  if (scale == ValueScale::power) return power(c);
  std::vector<float> m = magnitude(c);
  if (scale == ValueScale::db) amplitude_to_db(m, options);
  return m;
}

}  // namespace cqtcnn
