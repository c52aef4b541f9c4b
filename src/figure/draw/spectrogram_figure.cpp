// The spectrogram figure: the values as an image (magma or grey), a note or Hz axis at the bins'
// real frequencies, a time axis in seconds, a colour bar; optionally a saliency overlay with its
// own colour bar and a list of class scores.
#include "cqtcnn/error.hpp"
#include "figure/figure.hpp"
#include "figure/draw/canvas.hpp"
#include "figure/colormap.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace cqtcnn {
namespace {

using figure::draw_text;
using figure::set_font;
using figure::text_width;

constexpr int kMaxColumns = 4096;  // longer spectrograms are drawn with the maximum of each run of frames
constexpr std::array<double, 3> kBlack{0, 0, 0};
constexpr std::array<double, 3> kPositive{0.90, 0.10, 0.05};
constexpr std::array<double, 3> kNegative{0.10, 0.35, 0.95};
constexpr double kOverlayOpacity = 0.85;

// Everything the drawing needs, computed once (with unhinted text metrics) for all formats.
struct Plan {
  FigureLayout layout;
  double font = 12;      // tick labels and axis titles
  double lo = 0, hi = 1;  // the colour range
  double overlay_max = 1;
  int group = 1;          // frames per texel column
  std::vector<Tick> bins, times, values, overlay;
  FigureRect scores;
};

void check(const SpectrogramFigure& f) {
  if (f.n_bins <= 0 || f.n_frames == 0 || f.values.size() != std::size_t(f.n_bins) * f.n_frames)
    throw InvalidInput("figure: " + std::to_string(f.values.size()) + " values do not form " +
                       std::to_string(f.n_bins) + " bins x " + std::to_string(f.n_frames) + " frames");
  if (f.frequencies.size() != std::size_t(f.n_bins) || !(f.frequencies.front() > 0))
    throw InvalidInput("figure: the frequencies of " + std::to_string(f.n_bins) + " bins are needed");
  if (!(f.frame_seconds > 0)) throw InvalidInput("figure: frame_seconds must be positive");
  if (f.range && !(*f.range > 0)) throw InvalidInput("figure: the colour range must be positive");
  if (!f.overlay.empty() && f.overlay.size() != f.values.size())
    throw InvalidInput("figure: the overlay does not have the values' size");
}

double font_size(const SpectrogramFigure& f) { return std::clamp(std::min(f.width, f.height) / 40.0, 8.0, 16.0); }

std::string score_text(float score) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", double(score));
  return buf;
}

Plan plan(const SpectrogramFigure& f) {
  check(f);
  Plan p;
  figure::Measure m;
  cairo_t* cr = m.cr();
  const double fs = p.font = font_size(f);
  const double pad = fs, tick = 0.4 * fs, gap = 0.4 * fs, bar = 1.2 * fs;

  double hi = -INFINITY, lo = INFINITY;
  for (float v : f.values)
    if (std::isfinite(v)) hi = std::max(hi, double(v)), lo = std::min(lo, double(v));
  if (!std::isfinite(hi)) hi = 0, lo = -1;
  if (f.range) lo = hi - *f.range;
  if (!(hi > lo)) lo = hi - 1;
  p.lo = lo, p.hi = hi;
  double overlay_max = 0;
  for (float v : f.overlay) overlay_max = std::max(overlay_max, double(std::fabs(v)));
  p.overlay_max = overlay_max > 0 ? overlay_max : 1;

  set_font(cr, fs);
  p.bins = frequency_ticks(f.frequencies, f.frequency_axis);
  const double y_labels = figure::max_text_width(cr, p.bins);
  const double top = pad + 1.25 * fs * 1.3 + (f.subtitle.empty() ? 0 : fs * 1.4) + pad;
  const double left = pad + fs + 2 * gap + y_labels + tick;
  const double bottom = tick + gap + fs + 2 * gap + fs + pad;

  // Right of the plot: each colour bar with its ticks and rotated label, then the scores.
  const auto colorbar_width = [&](std::span<const Tick> ticks) {
    return 1.5 * fs + bar + tick + gap + figure::max_text_width(cr, ticks) + gap + fs;
  };
  const double plot_height = f.height - top - bottom;
  const int max_ticks = std::max(2, int(plot_height / (2.5 * fs)));
  std::vector<double> offsets;  // of each colour bar's block from the plot's right edge
  double right = 0;
  p.values = value_ticks(lo, hi, max_ticks);
  offsets.push_back(right);
  right += colorbar_width(p.values);
  if (!f.overlay.empty()) {
    p.overlay = value_ticks(-p.overlay_max, p.overlay_max, max_ticks);
    offsets.push_back(right);
    right += colorbar_width(p.overlay);
  }
  double scores_width = 0;
  if (!f.scores.empty()) {
    set_font(cr, fs, true);
    scores_width = text_width(cr, f.scores_title);
    set_font(cr, fs);
    for (const auto& [label, score] : f.scores)
      scores_width = std::max(scores_width, text_width(cr, label) + gap + 5 * fs + gap + text_width(cr, score_text(score)));
    right += 1.5 * fs + scores_width;
  }
  right += pad;

  const double plot_width = f.width - left - right;
  if (plot_width < 4 * fs || plot_height < 4 * fs)
    throw InvalidInput("figure: " + std::to_string(f.width) + "x" + std::to_string(f.height) +
                       " is too small for the axes and labels (--width/--height)");
  p.layout.width = f.width, p.layout.height = f.height;
  p.layout.plot = {left, top, plot_width, plot_height};
  for (double offset : offsets) p.layout.colorbars.push_back({left + plot_width + offset + 1.5 * fs, top, bar, plot_height});
  p.scores = {f.width - pad - scores_width, top, scores_width, plot_height};

  const double duration = double(f.n_frames) * f.frame_seconds;
  p.times = value_ticks(f.start_s, f.start_s + duration, std::max(2, int(plot_width / (6 * fs))));
  p.group = int((f.n_frames + kMaxColumns - 1) / kMaxColumns);
  return p;
}

std::array<double, 3> colour(Colormap map, double t) {
  if (map == Colormap::grey) return {t, t, t};
  const auto rgb = io::magma(float(t));
  return {rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0};
}

// One texel per bin and run of `group` frames (the maximum, or the value largest in size).
void paint_values(cairo_t* cr, const SpectrogramFigure& f, const Plan& p, const std::vector<float>& v,
                  const std::function<std::uint32_t(float)>& texel, bool by_size) {
  const int cols = int((f.n_frames + std::size_t(p.group) - 1) / std::size_t(p.group));
  const FigureRect& plot = p.layout.plot;
  FigureRect dest = plot;
  dest.width = plot.width * double(std::size_t(cols) * std::size_t(p.group)) / double(f.n_frames);
  figure::paint_texels(
      cr, cols, f.n_bins,
      [&](int col, int row) {
        const std::size_t bin = std::size_t(f.n_bins - 1 - row);
        const std::size_t first = std::size_t(col) * std::size_t(p.group);
        const std::size_t last = std::min(f.n_frames, first + std::size_t(p.group));
        float best = v[bin * f.n_frames + first];
        for (std::size_t t = first + 1; t < last; ++t) {
          const float x = v[bin * f.n_frames + t];
          if (by_size ? std::fabs(x) > std::fabs(best) : x > best) best = x;
        }
        return texel(best);
      },
      dest, plot);
}

void draw_colorbar(cairo_t* cr, const FigureRect& r, double lo, double hi, const std::vector<Tick>& ticks,
                   const std::string& label, double fs, const std::function<std::uint32_t(double)>& texel) {
  constexpr int kSteps = 256;
  figure::paint_texels(
      cr, 1, kSteps, [&](int, int row) { return texel(1.0 - (row + 0.5) / kSteps); }, r, r);
  figure::set_rgb(cr, kBlack);
  figure::stroke_rect(cr, r, 0.8);
  set_font(cr, fs);
  double widest = 0;
  for (const Tick& t : ticks) {
    const double y = r.y + r.height * (1.0 - (t.position - lo) / (hi - lo));
    figure::line(cr, r.x + r.width, y, r.x + r.width + 0.4 * fs, y, 0.8);
    draw_text(cr, t.label, r.x + r.width + 0.8 * fs, y, 0, 0.5);
    widest = std::max(widest, text_width(cr, t.label));
  }
  draw_text(cr, label, r.x + r.width + 1.2 * fs + widest + 0.4 * fs, r.y + r.height / 2, 0.5, 1, std::numbers::pi / 2);
}

void draw(cairo_t* cr, const SpectrogramFigure& f, const Plan& p) {
  const double fs = p.font;
  const FigureRect& plot = p.layout.plot;
  const double span = p.hi - p.lo;
  const auto value_texel = [&](double t) { return figure::argb(colour(f.colormap, std::clamp(t, 0.0, 1.0))); };
  paint_values(cr, f, p, f.values, [&](float v) { return value_texel((double(v) - p.lo) / span); }, false);
  const auto overlay_texel = [&](double s) {  // s in [-1, 1]
    return figure::argb(s >= 0 ? kPositive : kNegative, std::min(1.0, std::fabs(s)) * kOverlayOpacity);
  };
  if (!f.overlay.empty())
    paint_values(cr, f, p, f.overlay, [&](float v) { return overlay_texel(double(v) / p.overlay_max); }, true);

  figure::set_rgb(cr, kBlack);
  figure::stroke_rect(cr, plot, 1.0);
  set_font(cr, fs);
  const double tick = 0.4 * fs, gap = 0.4 * fs;
  for (const Tick& t : p.bins) {
    const double y = plot.y + plot.height * (1.0 - (t.position + 0.5) / f.n_bins);
    figure::line(cr, plot.x - tick, y, plot.x, y, 0.8);
    draw_text(cr, t.label, plot.x - tick - gap, y, 1, 0.5);
  }
  const double duration = double(f.n_frames) * f.frame_seconds;
  for (const Tick& t : p.times) {
    const double x = plot.x + plot.width * (t.position - f.start_s) / duration;
    figure::line(cr, x, plot.y + plot.height, x, plot.y + plot.height + tick, 0.8);
    draw_text(cr, t.label, x, plot.y + plot.height + tick + gap, 0.5, 0);
  }
  draw_text(cr, "Time (s)", plot.x + plot.width / 2, plot.y + plot.height + tick + 3 * gap + 2 * fs, 0.5, 1);
  draw_text(cr, f.frequency_axis == FrequencyAxis::notes ? "Note" : "Frequency (Hz)", 1.6 * fs, plot.y + plot.height / 2,
            0.5, 1, -std::numbers::pi / 2);

  set_font(cr, 1.25 * fs, true);
  draw_text(cr, f.title, fs, fs, 0, 0);
  if (!f.subtitle.empty()) {
    set_font(cr, 0.95 * fs);
    draw_text(cr, f.subtitle, fs, fs + 1.25 * fs * 1.3, 0, 0);
  }

  draw_colorbar(cr, p.layout.colorbars[0], p.lo, p.hi, p.values, f.value_label, fs, value_texel);
  if (!f.overlay.empty())
    draw_colorbar(cr, p.layout.colorbars[1], -p.overlay_max, p.overlay_max, p.overlay, f.overlay_label, fs,
                  [&](double t) { return overlay_texel(2 * t - 1); });

  if (!f.scores.empty()) {
    const FigureRect& r = p.scores;
    set_font(cr, fs, true);
    draw_text(cr, f.scores_title, r.x, r.y, 0, 0);
    set_font(cr, fs);
    double label_width = 0;
    for (const auto& s : f.scores) label_width = std::max(label_width, text_width(cr, s.first));
    double y = r.y + 2.2 * fs;
    for (const auto& [label, score] : f.scores) {
      draw_text(cr, label, r.x, y, 0, 0.5);
      const double bar_x = r.x + label_width + gap, bar_width = 5 * fs * std::clamp(double(score), 0.0, 1.0);
      cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
      figure::fill_rect(cr, {bar_x, y - 0.5 * fs, 5 * fs, fs});
      figure::set_rgb(cr, kPositive);
      figure::fill_rect(cr, {bar_x, y - 0.5 * fs, bar_width, fs});
      figure::set_rgb(cr, kBlack);
      draw_text(cr, score_text(score), bar_x + 5 * fs + gap, y, 0, 0.5);
      y += 1.7 * fs;
    }
  }
}

}  // namespace

FigureLayout figure_layout(const SpectrogramFigure& figure) { return plan(figure).layout; }

void write_figure(const std::filesystem::path& path, const SpectrogramFigure& figure) {
  const FigureFormat format = figure_format(path);
  const Plan p = plan(figure);
  figure::write(path, format, figure.width, figure.height, [&](cairo_t* cr) { draw(cr, figure, p); });
}

Image render_figure(const SpectrogramFigure& figure) {
  const Plan p = plan(figure);
  return figure::render(figure.width, figure.height, [&](cairo_t* cr) { draw(cr, figure, p); });
}

}  // namespace cqtcnn
