// The figure drawing functions behind src/figure/figure.hpp, and the PNG writer behind
// figure/image.hpp's write_png, as the figures module (libcqtcnn_figures.so, built from
// src/figure/draw/) hands them to the library.
//
// Drawing needs cairo, and cairo brings about fifteen shared libraries (pixman, fontconfig,
// freetype, X11, xcb, ...): loading them took about 2 ms at every start of every command, a third
// of `cqtcnn --version`. So cairo is linked into a module that is loaded with dlopen the first
// time a figure is drawn or a PNG written (figure_loader.cpp), and the commands that draw
// nothing never load it (nor libpng and zlib, which the PNG writer needs).
// The module is self-contained (the few library sources it needs are compiled into it, with
// hidden visibility) and exports one C function, kFigureApiEntry, returning this table.
#pragma once

#include "figure/figure.hpp"

#include <filesystem>

namespace cqtcnn::figure {

struct DrawApi {
  int version;  // kDrawApiVersion of the module: a stale module is refused
  FigureLayout (*spectrogram_layout)(const SpectrogramFigure&);
  void (*write_spectrogram)(const std::filesystem::path&, const SpectrogramFigure&);
  Image (*render_spectrogram)(const SpectrogramFigure&);
  FigureLayout (*confusion_layout)(const ConfusionFigure&);
  void (*write_confusion)(const std::filesystem::path&, const ConfusionFigure&);
  Image (*render_confusion)(const ConfusionFigure&);
  void (*write_png)(const std::filesystem::path&, const Image&);
};

inline constexpr int kDrawApiVersion = 2;
inline constexpr const char* kFigureApiEntry = "cqtcnn_figure_draw_api";
inline constexpr const char* kFigureModule = "libcqtcnn_figures.so";

}  // namespace cqtcnn::figure
