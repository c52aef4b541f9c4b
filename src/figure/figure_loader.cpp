// src/figure/figure.hpp's drawing functions and image.hpp's write_png, forwarded to the
// figures module, which is loaded on first use (draw_api.hpp says why). The module is looked for
// beside the program (the build tree) and in ../lib/cqtcnn/ from it (an installed tree).
#include "cqtcnn/error.hpp"
#include "figure/image.hpp"
#include "figure/draw_api.hpp"

#include <dlfcn.h>

#include <mutex>
#include <string>
#include <system_error>
#include <vector>

namespace cqtcnn {
namespace {

const figure::DrawApi& api() {
  static const figure::DrawApi* table = nullptr;
  static std::string failure;
  static std::once_flag once;
  std::call_once(once, [] {
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::filesystem::path dir = ec ? std::filesystem::path(".") : exe.parent_path();
    std::string tried;
    for (const auto& path : {dir / figure::kFigureModule, (dir / ".." / "lib" / "cqtcnn" / figure::kFigureModule).lexically_normal()}) {
      void* module = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!module) {
        tried += std::string(tried.empty() ? "" : "; ") + dlerror();
        continue;
      }
      using Entry = const figure::DrawApi* (*)();
      const auto entry = reinterpret_cast<Entry>(dlsym(module, figure::kFigureApiEntry));
      const figure::DrawApi* t = entry ? entry() : nullptr;
      if (t && t->version == figure::kDrawApiVersion) {
        table = t;  // the module stays loaded for the life of the process
        return;
      }
      tried += "; " + path.string() + ": not a figures module of this version";
      dlclose(module);
    }
    failure = "drawing figures and writing PNG images needs " + std::string(figure::kFigureModule) + ", which did not load (" + tried + ")";
  });
  if (!table) throw Error(failure);
  return *table;
}

}  // namespace

FigureLayout figure_layout(const SpectrogramFigure& f) { return api().spectrogram_layout(f); }
void write_figure(const std::filesystem::path& path, const SpectrogramFigure& f) { api().write_spectrogram(path, f); }
Image render_figure(const SpectrogramFigure& f) { return api().render_spectrogram(f); }
FigureLayout figure_layout(const ConfusionFigure& f) { return api().confusion_layout(f); }
void write_figure(const std::filesystem::path& path, const ConfusionFigure& f) { api().write_confusion(path, f); }
Image render_figure(const ConfusionFigure& f) { return api().render_confusion(f); }
void write_png(const std::filesystem::path& path, const Image& image) { api().write_png(path, image); }

}  // namespace cqtcnn
