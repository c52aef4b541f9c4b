// The figures module's one exported symbol: the table of its drawing functions (draw_api.hpp).
// Everything else in the module is compiled with hidden visibility, so its copies of the
// library's functions (cqtcnn::write_figure and the rest) never meet the program's.
#include "figure/image.hpp"
#include "figure/draw_api.hpp"

namespace {

const cqtcnn::figure::DrawApi kApi = {
    cqtcnn::figure::kDrawApiVersion,
    [](const cqtcnn::SpectrogramFigure& f) { return cqtcnn::figure_layout(f); },
    [](const std::filesystem::path& p, const cqtcnn::SpectrogramFigure& f) { cqtcnn::write_figure(p, f); },
    [](const cqtcnn::SpectrogramFigure& f) { return cqtcnn::render_figure(f); },
    [](const cqtcnn::ConfusionFigure& f) { return cqtcnn::figure_layout(f); },
    [](const std::filesystem::path& p, const cqtcnn::ConfusionFigure& f) { cqtcnn::write_figure(p, f); },
    [](const cqtcnn::ConfusionFigure& f) { return cqtcnn::render_figure(f); },
    [](const std::filesystem::path& p, const cqtcnn::Image& image) { cqtcnn::write_png(p, image); },
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const cqtcnn::figure::DrawApi* cqtcnn_figure_draw_api() {
  return &kApi;
}
