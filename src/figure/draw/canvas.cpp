#include "figure/draw/canvas.hpp"

#include "io/atomic_file.hpp"
#include "cqtcnn/error.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

namespace cqtcnn::figure {
namespace {

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using ContextPtr = std::unique_ptr<cairo_t, ContextDeleter>;

constexpr int kMaxSide = 16384;  // pixels or points; cairo's image surfaces stop at 32767

void check_size(const std::string& what, int width, int height) {
  if (width < 1 || height < 1 || width > kMaxSide || height > kMaxSide)
    throw InvalidInput(what + ": figure size " + std::to_string(width) + "x" + std::to_string(height) +
                       " outside 1.." + std::to_string(kMaxSide));
}

// Unhinted metrics and outlines: text measures the same on every surface.
void use_unhinted_text(cairo_t* cr) {
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options(cr, options);
  cairo_font_options_destroy(options);
}

void draw_page(cairo_surface_t* surface, int width, int height, const Draw& draw, const std::string& name) {
  ContextPtr cr(cairo_create(surface));
  use_unhinted_text(cr.get());
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_rectangle(cr.get(), 0, 0, width, height);
  cairo_fill(cr.get());
  draw(cr.get());
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
    throw Error(name + ": cairo: " + cairo_status_to_string(cairo_status(cr.get())));
}

// cairo's output callback; the closure is the FILE*.
cairo_status_t write_to_file(void* closure, const unsigned char* data, unsigned int length) {
  return std::fwrite(data, 1, length, static_cast<std::FILE*>(closure)) == length ? CAIRO_STATUS_SUCCESS
                                                                                 : CAIRO_STATUS_WRITE_ERROR;
}

void check_surface(cairo_surface_t* surface, const std::string& name) {
  if (const cairo_status_t s = cairo_surface_status(surface); s != CAIRO_STATUS_SUCCESS)
    throw Error(name + ": cairo: " + cairo_status_to_string(s));
}

}  // namespace

void write(const std::filesystem::path& path, FigureFormat format, int width, int height, const Draw& draw) {
  const std::string name = path.string();
  check_size(name, width, height);
  write_file_atomically(path, [&](std::FILE* file) {
    SurfacePtr surface;
    if (format == FigureFormat::png)
      surface.reset(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
    else if (format == FigureFormat::svg)
      surface.reset(cairo_svg_surface_create_for_stream(write_to_file, file, width, height));
    else
      surface.reset(cairo_pdf_surface_create_for_stream(write_to_file, file, width, height));
    check_surface(surface.get(), name);
    if (format == FigureFormat::pdf)
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "cqtcnn " CQTCNN_VERSION);
    draw_page(surface.get(), width, height, draw, name);
    if (format == FigureFormat::png) {
      if (cairo_surface_write_to_png_stream(surface.get(), write_to_file, file) != CAIRO_STATUS_SUCCESS)
        throw Error(name + ": writing the PNG failed");
    } else {
      cairo_surface_finish(surface.get());  // writes the SVG or PDF through write_to_file
    }
    check_surface(surface.get(), name);
  });
}

Image render(int width, int height, const Draw& draw) {
  check_size("figure", width, height);
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
  check_surface(surface.get(), "figure");
  draw_page(surface.get(), width, height, draw, "figure");
  cairo_surface_flush(surface.get());
  Image image{width, height, 3, std::vector<std::uint8_t>(std::size_t(width) * std::size_t(height) * 3)};
  const unsigned char* data = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      std::uint32_t p;  // xRGB in native byte order
      std::memcpy(&p, data + std::ptrdiff_t(y) * stride + x * 4, 4);
      std::uint8_t* out = &image.pixels[(std::size_t(y) * std::size_t(width) + std::size_t(x)) * 3];
      out[0] = std::uint8_t(p >> 16), out[1] = std::uint8_t(p >> 8), out[2] = std::uint8_t(p);
    }
  return image;
}

Measure::Measure()
    : surface_(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1)), cr_(cairo_create(surface_)) {
  use_unhinted_text(cr_);
}
Measure::~Measure() {
  cairo_destroy(cr_);
  cairo_surface_destroy(surface_);
}

void set_font(cairo_t* cr, double size, bool bold) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

double text_width(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  return e.x_advance;
}

double max_text_width(cairo_t* cr, std::span<const Tick> ticks) {
  double w = 0;
  for (const Tick& t : ticks) w = std::max(w, text_width(cr, t.label));
  return w;
}

void draw_text(cairo_t* cr, const std::string& text, double x, double y, double ax, double ay, double angle) {
  cairo_text_extents_t caps;
  cairo_text_extents(cr, "H", &caps);
  const double cap_height = -caps.y_bearing;
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_rotate(cr, angle);
  cairo_move_to(cr, -ax * text_width(cr, text), (1.0 - ay) * cap_height);
  cairo_show_text(cr, text.c_str());
  cairo_new_path(cr);
  cairo_restore(cr);
}

void set_rgb(cairo_t* cr, const std::array<double, 3>& rgb) { cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]); }

void fill_rect(cairo_t* cr, const FigureRect& r) {
  cairo_rectangle(cr, r.x, r.y, r.width, r.height);
  cairo_fill(cr);
}

void stroke_rect(cairo_t* cr, const FigureRect& r, double line_width) {
  cairo_set_line_width(cr, line_width);
  cairo_rectangle(cr, r.x, r.y, r.width, r.height);
  cairo_stroke(cr);
}

void line(cairo_t* cr, double x0, double y0, double x1, double y1, double line_width) {
  cairo_set_line_width(cr, line_width);
  cairo_move_to(cr, x0, y0);
  cairo_line_to(cr, x1, y1);
  cairo_stroke(cr);
}

std::uint32_t argb(const std::array<double, 3>& rgb, double alpha) {
  const auto byte = [&](double v) { return std::uint32_t(std::lround(std::clamp(v * alpha, 0.0, 1.0) * 255.0)); };
  return byte(1.0) << 24 | byte(rgb[0]) << 16 | byte(rgb[1]) << 8 | byte(rgb[2]);
}

void paint_texels(cairo_t* cr, int cols, int rows, const std::function<std::uint32_t(int, int)>& argb_at,
                  const FigureRect& r, const FigureRect& clip) {
  SurfacePtr texels(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, cols, rows));
  check_surface(texels.get(), "figure");
  cairo_surface_flush(texels.get());
  unsigned char* data = cairo_image_surface_get_data(texels.get());
  const int stride = cairo_image_surface_get_stride(texels.get());
  for (int y = 0; y < rows; ++y) {
    auto* row = reinterpret_cast<std::uint32_t*>(data + std::ptrdiff_t(y) * stride);
    for (int x = 0; x < cols; ++x) row[x] = argb_at(x, y);
  }
  cairo_surface_mark_dirty(texels.get());
  cairo_save(cr);
  cairo_rectangle(cr, clip.x, clip.y, clip.width, clip.height);
  cairo_clip(cr);
  cairo_translate(cr, r.x, r.y);
  cairo_scale(cr, r.width / cols, r.height / rows);
  cairo_set_source_surface(cr, texels.get(), 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
  cairo_paint(cr);
  cairo_restore(cr);
}

}  // namespace cqtcnn::figure
