// PNG and CSV output, checked by decoding the files independently (libpng's simplified read
// API; strtof for CSV).
#include "cqtcnn/error.hpp"
#include "figure/image.hpp"
#include "io/csv.hpp"

#include <png.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

fs::path temp_path(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("cqtcnn_image_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

struct Decoded {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  // always decoded to RGB
  std::array<int, 3> at(int x, int y) const {
    const std::size_t i = (std::size_t(y) * std::size_t(width) + std::size_t(x)) * 3;
    return {rgb[i], rgb[i + 1], rgb[i + 2]};
  }
};

Decoded decode_png(const fs::path& path) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path.c_str())) throw std::runtime_error(image.message);
  image.format = PNG_FORMAT_RGB;
  Decoded d{int(image.width), int(image.height), std::vector<std::uint8_t>(PNG_IMAGE_SIZE(image))};
  if (!png_image_finish_read(&image, nullptr, d.rgb.data(), 0, nullptr)) throw std::runtime_error(image.message);
  return d;
}

// magma at 0 and 1 as bytes (matplotlib's _magma_data first and last entries, x 255 truncated).
constexpr std::array<int, 3> kMagmaLow{0, 0, 3};
constexpr std::array<int, 3> kMagmaHigh{251, 252, 191};

// A dB spectrogram at -120 dB except bin `hot`, at 0 dB, in every frame.
std::vector<float> tone_values(int n_bins, int n_frames, int hot) {
  std::vector<float> v(std::size_t(n_bins) * std::size_t(n_frames), -120.0f);
  for (int t = 0; t < n_frames; ++t) v[std::size_t(hot) * std::size_t(n_frames) + std::size_t(t)] = 0.0f;
  return v;
}

}  // namespace

TEST(Png, GreyAndRgbRoundTrip) {
  cqtcnn::Image grey{5, 3, 1, {}};
  for (int i = 0; i < 15; ++i) grey.pixels.push_back(std::uint8_t(i * 17));
  cqtcnn::write_png(temp_path("grey.png"), grey);
  const Decoded g = decode_png(temp_path("grey.png"));
  ASSERT_EQ(g.width, 5);
  ASSERT_EQ(g.height, 3);
  for (int i = 0; i < 15; ++i) EXPECT_EQ(g.at(i % 5, i / 5), (std::array<int, 3>{i * 17, i * 17, i * 17}));

  cqtcnn::Image rgb{2, 2, 3, {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30}};
  cqtcnn::write_png(temp_path("rgb.png"), rgb);
  const Decoded c = decode_png(temp_path("rgb.png"));
  EXPECT_EQ(c.at(1, 0), (std::array<int, 3>{0, 255, 0}));
  EXPECT_EQ(c.at(1, 1), (std::array<int, 3>{10, 20, 30}));
}

TEST(Png, RejectsInconsistentImagesAndUnwritablePaths) {
  EXPECT_THROW(cqtcnn::write_png(temp_path("bad.png"), cqtcnn::Image{2, 2, 3, {1, 2, 3}}), cqtcnn::InvalidInput);
  EXPECT_THROW(cqtcnn::write_png(temp_path("bad.png"), cqtcnn::Image{1, 1, 2, {1, 2}}), cqtcnn::InvalidInput);
  EXPECT_FALSE(fs::exists(temp_path("bad.png")));
  try {
    cqtcnn::write_png(temp_path("missing_dir") / "x.png", cqtcnn::Image{1, 1, 1, {0}});
    FAIL();
  } catch (const cqtcnn::Error& e) {
    EXPECT_NE(std::string(e.what()).find("x.png"), std::string::npos) << e.what();
  }
}

TEST(SpectrogramImage, HighBinAppearsNearTheTopWithExtremeColours) {
  const int n_bins = 20, n_frames = 30, hot = 17;
  const cqtcnn::Image img = cqtcnn::spectrogram_image(tone_values(n_bins, n_frames, hot), n_bins, n_frames);
  cqtcnn::write_png(temp_path("tone.png"), img);
  const Decoded d = decode_png(temp_path("tone.png"));
  ASSERT_EQ(d.width, n_frames);
  ASSERT_EQ(d.height, n_bins);
  for (int x = 0; x < n_frames; x += 7) {
    EXPECT_EQ(d.at(x, n_bins - 1 - hot), kMagmaHigh) << x;  // row 2 from the top
    EXPECT_EQ(d.at(x, n_bins - 1), kMagmaLow) << x;         // bin 0, bottom row: below max - 80 dB
    EXPECT_EQ(d.at(x, 0), kMagmaLow) << x;
  }
}

TEST(SpectrogramImage, ResizedKeepsOrientation) {
  const int n_bins = 20, n_frames = 30, hot = 17;
  for (cqtcnn::Resize mode : {cqtcnn::Resize::nearest, cqtcnn::Resize::bilinear}) {
    const cqtcnn::Image img = cqtcnn::spectrogram_image(tone_values(n_bins, n_frames, hot), n_bins, n_frames,
                                                        {.top_db = 80.0, .width = 90, .height = 40, .resize = mode});
    ASSERT_EQ(img.width, 90);
    ASSERT_EQ(img.height, 40);
    // Bin 17 of 20 covers output rows 40 - 2 * 18 .. 40 - 2 * 17 - 1 = 4..5 from the top.
    int brightest_row = -1, best = -1;
    for (int y = 0; y < 40; ++y) {
      const int sum = img.pixels[std::size_t(y) * 90 * 3 + 45 * 3] + img.pixels[std::size_t(y) * 90 * 3 + 45 * 3 + 1];
      if (sum > best) best = sum, brightest_row = y;
    }
    EXPECT_GE(brightest_row, 4);
    EXPECT_LE(brightest_row, 5);
    EXPECT_EQ(img.pixels[std::size_t(39) * 90 * 3 + 2], kMagmaLow[2]);
  }
}

TEST(SpectrogramImage, MinMaxRangeUsesTheWholeColormap) {
  // A linear ramp over frames in magnitude units: left edge darkest, right edge brightest,
  // middle column the colormap's midpoint (entry 128).
  const int n_bins = 2, n_frames = 257;
  std::vector<float> v(std::size_t(n_bins * n_frames));
  for (int k = 0; k < n_bins; ++k)
    for (int t = 0; t < n_frames; ++t) v[std::size_t(k * n_frames + t)] = 3.0f + float(t) / 256.0f;
  const cqtcnn::Image img = cqtcnn::spectrogram_image(v, n_bins, n_frames, {.top_db = std::nullopt});
  auto px = [&](int x) { return std::array<int, 3>{img.pixels[std::size_t(x) * 3], img.pixels[std::size_t(x) * 3 + 1], img.pixels[std::size_t(x) * 3 + 2]}; };
  EXPECT_EQ(px(0), kMagmaLow);
  EXPECT_EQ(px(256), kMagmaHigh);
  // _magma_data[128] = (0.716387, 0.214982, 0.475290).
  EXPECT_EQ(px(128), (std::array<int, 3>{182, 54, 121}));
}

TEST(SpectrogramImage, RejectsBadShapes) {
  std::vector<float> v(6);
  EXPECT_THROW(cqtcnn::spectrogram_image(v, 4, 2), cqtcnn::InvalidInput);
  EXPECT_THROW(cqtcnn::spectrogram_image(v, 0, 0), cqtcnn::InvalidInput);
  EXPECT_THROW(cqtcnn::spectrogram_image(v, 2, 3, {.top_db = 80.0, .width = -1}), cqtcnn::InvalidInput);
}

TEST(Csv, RoundTripsFloat32Exactly) {
  std::vector<float> v{1.0f / 3.0f, -2.5e-38f, 123456.789f, 0.0f, 1e30f, -7.0f};
  const fs::path p = temp_path("values.csv");
  cqtcnn::write_csv(p, v, 2, 3);
  std::ifstream in(p);
  std::string line;
  std::vector<float> back;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    std::stringstream row(line);
    std::string cell;
    int cells = 0;
    while (std::getline(row, cell, ',')) back.push_back(std::strtof(cell.c_str(), nullptr)), ++cells;
    EXPECT_EQ(cells, 3);
  }
  EXPECT_EQ(lines, 2);
  EXPECT_EQ(back, v);
  EXPECT_THROW(cqtcnn::write_csv(p, v, 4, 2), cqtcnn::InvalidInput);
}

TEST(Csv, HeaderNamesTheColumnsQuotedWhereNeeded) {
  std::vector<float> v{0.25f, 0.75f};
  const fs::path p = temp_path("header.csv");
  cqtcnn::write_csv(p, v, 1, 2, {"dog", "cat, \"big\""});
  std::ifstream in(p);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "dog,\"cat, \"\"big\"\"\"\n0.25,0.75\n");
  EXPECT_THROW(cqtcnn::write_csv(p, v, 1, 2, {"only one"}), cqtcnn::InvalidInput);
}
