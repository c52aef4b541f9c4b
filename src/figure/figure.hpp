// Figures people can read, drawn with cairo (text in DejaVu Sans): the spectrogram with a note or
// Hz axis at the CQT's real bin frequencies, a time axis in seconds and a colour bar; the
// same with a saliency map over it and the top classes beside it (`cqtcnn explain`); and the
// labelled confusion matrix. The format follows the output's extension: .png (pixels), .svg or
// .pdf (vector, sizes in points; the spectrogram itself is embedded as an image, one texel per
// bin and frame). Every file is written atomically (atomic_file.hpp).
//
//   cqtcnn::SpectrogramFigure f;
//   f.values = s.values; f.n_bins = s.cqt.n_bins; f.n_frames = s.n_frames;   // spectrogram.hpp
//   f.frequencies = s.cqt.frequencies(); f.frame_seconds = s.cqt.hop_length / s.cqt.sr;
//   f.title = "speech.wav";
//   cqtcnn::write_figure("speech.pdf", f);
#pragma once

#include "classify/explain.hpp"
#include "figure/image.hpp"
#include "frontend/spectrogram.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace cqtcnn {

enum class FigureFormat { png, svg, pdf };

// The format of `path` from its extension (any case); throws InvalidInput naming the file.
FigureFormat figure_format(const std::filesystem::path& path);

enum class FrequencyAxis { notes, hz };  // C1, C2, ... or 50, 100, 200, ... Hz
enum class Colormap { magma, grey };

struct SpectrogramFigure {
  std::string title;     // first line, e.g. the file name
  std::string subtitle;  // second line, e.g. the parameters (may be empty)
  // n_bins x n_frames values, row-major by bin, row 0 = lowest frequency.
  std::vector<float> values;
  int n_bins = 0;
  std::size_t n_frames = 0;
  std::vector<double> frequencies;  // centre of each bin, Hz (CqtParams::frequencies())
  // Frame t covers [start_s + t * frame_seconds, start_s + (t + 1) * frame_seconds] (as
  // librosa.display.specshow draws frames).
  double start_s = 0.0;
  double frame_seconds = 0.0;
  FrequencyAxis frequency_axis = FrequencyAxis::notes;
  Colormap colormap = Colormap::magma;
  std::string value_label = "dB";
  // Colours span [max - range, max] (dB); empty: [min, max] of the values.
  std::optional<double> range;
  int width = 1000;  // pixels (PNG) or points (SVG, PDF)
  int height = 500;

  // Optional saliency over the image (`explain`): n_bins x n_frames like `values`; positive
  // values are drawn red, negative blue, opacity growing with |value| / max |value|.
  std::vector<float> overlay;
  std::string overlay_label;  // the overlay's colour bar
  // Optional list beside the plot: class names and scores in [0, 1], drawn as bars.
  std::string scores_title;
  std::vector<std::pair<std::string, float>> scores;
};

struct ConfusionFigure {
  std::string title;  // e.g. the model's name; the accuracy and file count are appended
  std::vector<std::string> labels;
  std::vector<std::vector<int>> counts;  // counts[true][predicted], labels.size() square
};

// The figure of a file's spectrogram: titled with the file's name and the CQT's parameters,
// coloured over `range` dB below the maximum (dB values) or the values' span.
SpectrogramFigure spectrogram_figure(const FileSpectrogram& spectrogram, const std::string& file_name,
                                     ValueScale values, std::optional<double> range);
// The figure of an explanation: the window's CQT in grey (dB as the front end made it) with the
// target's saliency over it, on the recording's time axis, and the window's `top_k` classes.
SpectrogramFigure explanation_figure(const Explanation& explanation, const Classifier& classifier,
                                     const std::string& file_name, std::size_t top_k);
// "84 bins from 32.7 Hz (C1), 12 per octave, hop 512 (23.2 ms) at 22050 Hz"
std::string describe_cqt(const CqtParams& cqt);

// Where a figure put its parts, in pixels (PNG) or points: for tests and callers that annotate.
struct FigureRect {
  double x = 0, y = 0, width = 0, height = 0;  // top-left corner and size
};
struct FigureLayout {
  int width = 0;
  int height = 0;
  FigureRect plot;                    // the data: spectrogram or matrix cells
  std::vector<FigureRect> colorbars;  // values, then the overlay's (if any)
};

// The layout a figure will have (no drawing).
FigureLayout figure_layout(const SpectrogramFigure& figure);
FigureLayout figure_layout(const ConfusionFigure& figure);

// Draws the figure into `path` in the format of its extension. Throws InvalidInput for an
// inconsistent figure or an unknown extension, Error naming the file when writing fails.
void write_figure(const std::filesystem::path& path, const SpectrogramFigure& figure);
void write_figure(const std::filesystem::path& path, const ConfusionFigure& figure);

// The figure as the PNG would hold it (RGB, white background).
Image render_figure(const SpectrogramFigure& figure);
Image render_figure(const ConfusionFigure& figure);

// Axis ticks. `position` is in the axis' own units: a fractional bin index (bin k's centre at
// k) for frequencies, seconds for time, values for a colour bar.
struct Tick {
  double position = 0;
  std::string label;
};
// Note names (C1, C2, ...: every C, or more notes when fewer than two Cs fall in the range) or
// round frequencies in Hz (1, 2, 5 times a power of ten), placed where `frequencies` (the bins'
// centres, increasing geometrically) put them; only ticks within half a bin of the ends.
std::vector<Tick> frequency_ticks(std::span<const double> frequencies, FrequencyAxis axis);
// Round values (1, 2 or 5 times a power of ten apart) in [lo, hi], at most about max_ticks.
std::vector<Tick> value_ticks(double lo, double hi, int max_ticks);
// A frequency's note name with octave number, A4 = 440 Hz ("C#4" for 277.2 Hz): the nearest note.
std::string note_name(double hz);

}  // namespace cqtcnn
