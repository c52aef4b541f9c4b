// Axis ticks: note names or round frequencies at the CQT's real bin positions, round values for
// time and colour bars, and the figure format from a file's extension.
#include "cqtcnn/error.hpp"
#include "figure/figure.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <vector>

namespace cqtcnn {
namespace {

constexpr std::array<const char*, 12> kNoteNames{"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};

double midi_frequency(int midi) { return 440.0 * std::exp2((midi - 69) / 12.0); }

std::string midi_name(int midi) {
  const int octave = (midi >= 0 ? midi / 12 : (midi - 11) / 12) - 1;
  return kNoteNames[std::size_t(((midi % 12) + 12) % 12)] + std::to_string(octave);
}

// Fractional bin index of `hz` for bins spaced geometrically from frequencies.front() to
// .back() (a CQT's, any tuning or fmin), bin k's centre at k.
double bin_position(std::span<const double> frequencies, double hz) {
  const std::size_t n = frequencies.size();
  if (n == 1) return std::log2(hz / frequencies[0]) * 12.0;  // one bin: a semitone per bin
  return std::log2(hz / frequencies[0]) / std::log2(frequencies[n - 1] / frequencies[0]) * double(n - 1);
}

bool in_range(double position, std::size_t n) { return position >= -0.5 && position <= double(n) - 0.5; }

std::vector<Tick> note_ticks(std::span<const double> frequencies) {
  const int lo = int(std::floor(12 * std::log2(frequencies.front() / 440.0) + 69)) - 1;
  const int hi = int(std::ceil(12 * std::log2(frequencies.back() / 440.0) + 69)) + 1;
  std::vector<Tick> all, cs;
  for (int midi = lo; midi <= hi; ++midi) {
    const double pos = bin_position(frequencies, midi_frequency(midi));
    if (!in_range(pos, frequencies.size())) continue;
    all.push_back({pos, midi_name(midi)});
    if (((midi % 12) + 12) % 12 == 0) cs.push_back(all.back());
  }
  if (cs.size() >= 2) return cs;
  // A narrow range: every note, thinned to at most 12 labels.
  const std::size_t step = std::max<std::size_t>(1, (all.size() + 11) / 12);
  std::vector<Tick> out;
  for (std::size_t i = 0; i < all.size(); i += step) out.push_back(all[i]);
  return out;
}

std::string format_number(double v, double step) {
  const int decimals = std::max(0, int(-std::floor(std::log10(step) + 1e-9)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find_first_not_of("-0.") == std::string::npos) s = decimals ? "0." + std::string(std::size_t(decimals), '0') : "0";
  return s;
}

std::vector<Tick> hz_ticks(std::span<const double> frequencies) {
  std::vector<Tick> ticks;
  // 1, 2, 5 times powers of ten; where fewer than three fit, every digit.
  for (const std::vector<int>& mantissas : {std::vector<int>{1, 2, 5}, std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
    ticks.clear();
    for (int e = -1; e <= 6; ++e)
      for (int m : mantissas) {
        const double hz = m * std::pow(10.0, e);
        const double pos = bin_position(frequencies, hz);
        if (in_range(pos, frequencies.size())) ticks.push_back({pos, format_number(hz, std::min(1.0, hz))});
      }
    if (ticks.size() >= 3) break;
  }
  return ticks;
}

}  // namespace

FigureFormat figure_format(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (ext == ".png") return FigureFormat::png;
  if (ext == ".svg") return FigureFormat::svg;
  if (ext == ".pdf") return FigureFormat::pdf;
  throw InvalidInput(path.string() + ": cannot tell the figure format from the extension \"" + ext +
                     "\" (.png, .svg or .pdf)");
}

std::string note_name(double hz) { return midi_name(int(std::lround(12 * std::log2(hz / 440.0) + 69))); }

std::vector<Tick> frequency_ticks(std::span<const double> frequencies, FrequencyAxis axis) {
  if (frequencies.empty()) return {};
  return axis == FrequencyAxis::notes ? note_ticks(frequencies) : hz_ticks(frequencies);
}

std::vector<Tick> value_ticks(double lo, double hi, int max_ticks) {
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return {{lo, format_number(lo, 1)}};
  max_ticks = std::max(max_ticks, 2);
  const double raw = (hi - lo) / max_ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  // Ends within a thousandth of a step count as on a tick: the range often comes from float32
  // values (a dB maximum of 3e-6 instead of 0 must still give the -80 tick of an 80 dB range).
  constexpr double kSlack = 1e-3;
  std::vector<Tick> ticks;
  for (double k = std::ceil(lo / step - kSlack); k * step <= hi + step * kSlack; k += 1)
    ticks.push_back({k * step, format_number(k * step, step)});
  return ticks;
}

}  // namespace cqtcnn
