// The confusion matrix figure: true classes top to bottom, predicted classes left to right (in
// the model's label order), each cell's count written in it and coloured by its share of the
// row (the class's recall on the diagonal), the accuracy and file count in the title. Cells grow
// to fit the largest count, so the figure stays readable with many classes.
#include "cqtcnn/error.hpp"
#include "figure/figure.hpp"
#include "figure/draw/canvas.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace cqtcnn {
namespace {

using figure::draw_text;
using figure::set_font;
using figure::text_width;

constexpr double kFont = 12;
constexpr std::array<double, 3> kBlack{0, 0, 0};

struct Plan {
  FigureLayout layout;
  double cell = 0;
  double count_font = kFont;
  double label_width = 0;
  std::vector<Tick> ticks;
  std::string summary;
};

void check(const ConfusionFigure& f) {
  const std::size_t n = f.labels.size();
  if (n == 0) throw InvalidInput("confusion figure: no classes");
  if (f.counts.size() != n)
    throw InvalidInput("confusion figure: " + std::to_string(f.counts.size()) + " rows for " + std::to_string(n) + " classes");
  for (const auto& row : f.counts) {
    if (row.size() != n)
      throw InvalidInput("confusion figure: a row of " + std::to_string(row.size()) + " counts for " + std::to_string(n) + " classes");
    for (int c : row)
      if (c < 0) throw InvalidInput("confusion figure: negative count");
  }
}

// "accuracy 96.10% (123 of 128 files)"
std::string summary(const ConfusionFigure& f) {
  long correct = 0, total = 0;
  for (std::size_t r = 0; r < f.counts.size(); ++r)
    for (std::size_t c = 0; c < f.counts[r].size(); ++c) {
      total += f.counts[r][c];
      if (r == c) correct += f.counts[r][c];
    }
  char buf[96];
  std::snprintf(buf, sizeof buf, "accuracy %.2f%% (%ld of %ld files)", total ? 100.0 * double(correct) / double(total) : 0.0,
                correct, total);
  return buf;
}

Plan plan(const ConfusionFigure& f) {
  check(f);
  Plan p;
  figure::Measure m;
  cairo_t* cr = m.cr();
  const std::size_t n = f.labels.size();
  const double fs = kFont, pad = fs, gap = 0.5 * fs, bar = 1.2 * fs;
  p.summary = summary(f);

  int largest = 0;
  for (const auto& row : f.counts) largest = std::max(largest, *std::max_element(row.begin(), row.end()));
  p.count_font = n > 20 ? 0.85 * fs : fs;
  set_font(cr, p.count_font);
  p.cell = std::max(2.4 * fs, text_width(cr, std::to_string(largest)) + 0.8 * fs);
  set_font(cr, fs);
  for (const std::string& l : f.labels) p.label_width = std::max(p.label_width, text_width(cr, l));
  p.ticks = value_ticks(0, 1, 5);
  const double tick_width = figure::max_text_width(cr, p.ticks);

  set_font(cr, 1.25 * fs, true);
  const double title_width = std::max(text_width(cr, f.title), text_width(cr, p.summary));
  const double side = p.cell * double(n);
  const double top = pad + 2 * 1.25 * fs * 1.3 + pad;
  const double left = pad + fs + gap + p.label_width + gap;
  const double bottom = gap + p.label_width + gap + fs + pad;
  const double right = 1.5 * fs + bar + 0.4 * fs + gap + tick_width + gap + fs + pad;
  p.layout.width = int(std::ceil(std::max(left + side + right, pad + title_width + pad)));
  p.layout.height = int(std::ceil(top + side + bottom));
  p.layout.plot = {left, top, side, side};
  p.layout.colorbars.push_back({left + side + 1.5 * fs, top, bar, std::min(side, 12 * fs)});
  return p;
}

// White to dark blue (the ends of matplotlib's "Blues").
std::array<double, 3> cell_colour(double share) {
  constexpr std::array<double, 3> lo{0.97, 0.98, 1.0}, hi{0.03, 0.19, 0.42};
  return {lo[0] + share * (hi[0] - lo[0]), lo[1] + share * (hi[1] - lo[1]), lo[2] + share * (hi[2] - lo[2])};
}

void draw(cairo_t* cr, const ConfusionFigure& f, const Plan& p) {
  const std::size_t n = f.labels.size();
  const double fs = kFont, gap = 0.5 * fs;
  const FigureRect& plot = p.layout.plot;
  for (std::size_t r = 0; r < n; ++r) {
    long row_total = 0;
    for (int c : f.counts[r]) row_total += c;
    for (std::size_t c = 0; c < n; ++c) {
      const int count = f.counts[r][c];
      const double share = row_total ? double(count) / double(row_total) : 0.0;
      const FigureRect cell{plot.x + double(c) * p.cell, plot.y + double(r) * p.cell, p.cell, p.cell};
      figure::set_rgb(cr, cell_colour(share));
      figure::fill_rect(cr, cell);
      if (count == 0) cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
      else figure::set_rgb(cr, share > 0.5 ? std::array<double, 3>{1, 1, 1} : kBlack);
      set_font(cr, p.count_font, r == c);
      draw_text(cr, std::to_string(count), cell.x + cell.width / 2, cell.y + cell.height / 2, 0.5, 0.5);
    }
  }
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
  for (std::size_t i = 1; i < n; ++i) {
    figure::line(cr, plot.x + double(i) * p.cell, plot.y, plot.x + double(i) * p.cell, plot.y + plot.height, 0.3);
    figure::line(cr, plot.x, plot.y + double(i) * p.cell, plot.x + plot.width, plot.y + double(i) * p.cell, 0.3);
  }
  figure::set_rgb(cr, kBlack);
  figure::stroke_rect(cr, plot, 1.0);

  set_font(cr, fs);
  for (std::size_t i = 0; i < n; ++i) {
    const double centre = double(i) * p.cell + p.cell / 2;
    draw_text(cr, f.labels[i], plot.x - gap, plot.y + centre, 1, 0.5);
    draw_text(cr, f.labels[i], plot.x + centre, plot.y + plot.height + gap, 1, 0.5, -std::numbers::pi / 2);
  }
  draw_text(cr, "True class", fs, plot.y + plot.height / 2, 0.5, 0, -std::numbers::pi / 2);
  draw_text(cr, "Predicted class", plot.x + plot.width / 2, plot.y + plot.height + gap + p.label_width + gap + fs, 0.5, 1);

  set_font(cr, 1.25 * fs, true);
  draw_text(cr, f.title, fs, fs, 0, 0);
  set_font(cr, 1.25 * fs);
  draw_text(cr, p.summary, fs, fs + 1.25 * fs * 1.3, 0, 0);

  const FigureRect& bar = p.layout.colorbars[0];
  constexpr int kSteps = 128;
  figure::paint_texels(cr, 1, kSteps, [](int, int row) { return figure::argb(cell_colour(1.0 - (row + 0.5) / kSteps)); },
                       bar, bar);
  figure::set_rgb(cr, kBlack);
  figure::stroke_rect(cr, bar, 0.8);
  set_font(cr, fs);
  double widest = 0;
  for (const Tick& t : p.ticks) {
    const double y = bar.y + bar.height * (1.0 - t.position);
    figure::line(cr, bar.x + bar.width, y, bar.x + bar.width + 0.4 * fs, y, 0.8);
    draw_text(cr, t.label, bar.x + bar.width + 0.4 * fs + gap, y, 0, 0.5);
    widest = std::max(widest, text_width(cr, t.label));
  }
  draw_text(cr, "share of the true class", bar.x + bar.width + 0.4 * fs + 2 * gap + widest, bar.y + bar.height / 2, 0.5, 1,
            std::numbers::pi / 2);
}

}  // namespace

FigureLayout figure_layout(const ConfusionFigure& figure) { return plan(figure).layout; }

void write_figure(const std::filesystem::path& path, const ConfusionFigure& figure) {
  const FigureFormat format = figure_format(path);
  const Plan p = plan(figure);
  figure::write(path, format, p.layout.width, p.layout.height, [&](cairo_t* cr) { draw(cr, figure, p); });
}

Image render_figure(const ConfusionFigure& figure) {
  const Plan p = plan(figure);
  return figure::render(p.layout.width, p.layout.height, [&](cairo_t* cr) { draw(cr, figure, p); });
}

}  // namespace cqtcnn
