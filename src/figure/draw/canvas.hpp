// The drawing surface behind every figure: a cairo context on a PNG (image), SVG or PDF surface,
// text in DejaVu Sans with unhinted metrics (so a layout measured once holds for all three
// formats), and the few primitives the figures share.
#pragma once

#include "figure/figure.hpp"

#include <cairo.h>

#include <array>
#include <functional>
#include <span>
#include <string>

namespace cqtcnn::figure {

using Draw = std::function<void(cairo_t*)>;

// Runs `draw` on a white width x height page and writes it to `path` in `format`.
void write(const std::filesystem::path& path, FigureFormat format, int width, int height, const Draw& draw);
// Runs `draw` on a white width x height image and returns its pixels.
Image render(int width, int height, const Draw& draw);

// A context for measuring text before anything is drawn (the layouts are computed with it).
class Measure {
 public:
  Measure();
  ~Measure();
  Measure(const Measure&) = delete;
  Measure& operator=(const Measure&) = delete;
  cairo_t* cr() const { return cr_; }

 private:
  cairo_surface_t* surface_;
  cairo_t* cr_;
};

void set_font(cairo_t* cr, double size, bool bold = false);
double text_width(cairo_t* cr, const std::string& text);
double max_text_width(cairo_t* cr, std::span<const Tick> ticks);
// Draws `text` anchored at (x, y): ax 0 / 0.5 / 1 puts its left edge / centre / right edge
// there, ay 0 / 0.5 / 1 the top / middle / baseline of its capitals; `angle` (radians,
// clockwise) turns it about the anchor.
void draw_text(cairo_t* cr, const std::string& text, double x, double y, double ax, double ay, double angle = 0);

void set_rgb(cairo_t* cr, const std::array<double, 3>& rgb);
void fill_rect(cairo_t* cr, const FigureRect& r);
void stroke_rect(cairo_t* cr, const FigureRect& r, double line_width);
void line(cairo_t* cr, double x0, double y0, double x1, double y1, double line_width);

// An image surface of cols x rows premultiplied ARGB pixels from `argb(col, row)` (row 0 at the
// top), painted stretched over `r` with nearest-neighbour sampling, within `clip`. One texel per
// value: the PNG resamples it to pixels, SVG and PDF embed it as it is.
void paint_texels(cairo_t* cr, int cols, int rows, const std::function<std::uint32_t(int, int)>& argb,
                  const FigureRect& r, const FigureRect& clip);
std::uint32_t argb(const std::array<double, 3>& rgb, double alpha = 1.0);

}  // namespace cqtcnn::figure
