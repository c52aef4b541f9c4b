// PNG encoding with libpng, in the figures module (draw_api.hpp): libpng and zlib are loaded with
// it, when a command first writes a PNG, not at every start. libpng reports errors by longjmp, so
// the encoding runs in a function whose frame holds no C++ objects with destructors.
#include "io/atomic_file.hpp"
#include "cqtcnn/error.hpp"
#include "figure/image.hpp"

#include <png.h>

#include <csetjmp>
#include <string>

namespace cqtcnn {
namespace {

// Returns nullptr on success, libpng's message otherwise (static storage).
const char* encode(std::FILE* file, const Image& image, png_bytep* rows) {
  static thread_local char message[256];
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!png) return "libpng: out of memory";
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    std::snprintf(message, sizeof message, "libpng: encoding failed");
    png_destroy_write_struct(&png, &info);
    return message;
  }
  png_init_io(png, file);
  png_set_IHDR(png, info, png_uint_32(image.width), png_uint_32(image.height), 8,
               image.channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return nullptr;
}

}  // namespace

void write_png(const std::filesystem::path& path, const Image& image) {
  const std::string name = path.string();
  if (image.channels != 1 && image.channels != 3)
    throw InvalidInput(name + ": PNG images must have 1 or 3 channels, got " + std::to_string(image.channels));
  if (image.width <= 0 || image.height <= 0 || image.width > 1 << 20 || image.height > 1 << 20)
    throw InvalidInput(name + ": invalid image size " + std::to_string(image.width) + "x" + std::to_string(image.height));
  const std::size_t stride = std::size_t(image.width) * std::size_t(image.channels);
  if (image.pixels.size() != stride * std::size_t(image.height))
    throw InvalidInput(name + ": pixel buffer does not match the image size");
  std::vector<png_bytep> rows(std::size_t(image.height));
  for (std::size_t y = 0; y < rows.size(); ++y) rows[y] = const_cast<png_bytep>(image.pixels.data() + y * stride);
  write_file_atomically(path, [&](std::FILE* f) {
    if (const char* err = encode(f, image, rows.data())) throw Error(name + ": " + err);
  });
}

}  // namespace cqtcnn
