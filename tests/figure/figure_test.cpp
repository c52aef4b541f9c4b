// The figures: ticks at the right places, files in all three formats, the text pdftotext reads
// back from the PDF, and pixel checks on the rendered PNG (the colour bar, a known tone's row).
#include "figure/figure.hpp"
#include "cqtcnn/cqt.hpp"
#include "cqtcnn/error.hpp"
#include "cqtcnn/decibels.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using cqtcnn::FrequencyAxis;

fs::path temp_path(const std::string& name) {
  static const fs::path dir = [] {
    auto d = fs::temp_directory_path() / ("cqtcnn_figure_test_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir / name;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The text poppler's pdftotext finds in a PDF (poppler-utils, tools/install-deps.sh).
std::string pdf_text(const fs::path& pdf) {
  const std::string command = "pdftotext -q '" + pdf.string() + "' - 2>/dev/null";
  std::FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return "";
  std::string text;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) text.append(buf, n);
  EXPECT_EQ(pclose(pipe), 0) << "pdftotext failed on " << pdf << " (is poppler-utils installed?)";
  return text;
}

#define EXPECT_CONTAINS(text, part) EXPECT_NE((text).find(part), std::string::npos) << "missing \"" << (part) << "\""

// 1 s of a 440 Hz tone, CQT with librosa's defaults at 22050 Hz, in dB: bins x frames.
cqtcnn::FileSpectrogram tone_spectrogram(double hz) {
  const double sr = 22050;
  std::vector<float> y(22050);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = float(0.5 * std::sin(2 * std::numbers::pi * hz * double(i) / sr));
  cqtcnn::FileSpectrogram s;
  s.cqt = cqtcnn::CqtParams::librosa(sr);
  const cqtcnn::Spectrogram c = cqtcnn::Cqt(s.cqt).transform(y);
  std::vector<float> frames = cqtcnn::magnitude(c.data);
  cqtcnn::amplitude_to_db(frames);
  s.n_frames = c.n_frames();
  s.values.resize(frames.size());
  for (std::size_t t = 0; t < s.n_frames; ++t)
    for (std::size_t k = 0; k < std::size_t(c.n_bins); ++k)
      s.values[k * s.n_frames + t] = frames[t * std::size_t(c.n_bins) + k];
  return s;
}

std::array<int, 3> pixel(const cqtcnn::Image& img, double x, double y) {
  const std::size_t i = (std::size_t(y) * std::size_t(img.width) + std::size_t(x)) * 3;
  return {img.pixels[i], img.pixels[i + 1], img.pixels[i + 2]};
}
int brightness(const std::array<int, 3>& p) { return p[0] + p[1] + p[2]; }

TEST(FigureTicks, NotesSitAtTheirBins) {
  // librosa's defaults: bin k is C1 * 2^(k/12), so Cn is bin 12 (n - 1).
  const auto ticks = cqtcnn::frequency_ticks(cqtcnn::CqtParams::librosa(22050).frequencies(), FrequencyAxis::notes);
  ASSERT_EQ(ticks.size(), 7U);
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    EXPECT_EQ(ticks[i].label, std::string("C").append(std::to_string(i + 1)));
    EXPECT_NEAR(ticks[i].position, 12.0 * double(i), 1e-9);
  }
  // From A1 = 55 Hz at 24 bins per octave, tuned a quarter bin up: C2 (65.41 Hz) lies at
  // 24 log2(65.41 / 55) - 0.25 = 5.75.
  cqtcnn::CqtParams p = cqtcnn::CqtParams::librosa(22050);
  p.fmin = 55, p.bins_per_octave = 24, p.n_bins = 100, p.tuning = 0.25;
  const auto shifted = cqtcnn::frequency_ticks(p.frequencies(), FrequencyAxis::notes);
  ASSERT_FALSE(shifted.empty());
  EXPECT_EQ(shifted[0].label, "C2");
  EXPECT_NEAR(shifted[0].position, 24 * std::log2(440 * std::exp2(-33 / 12.0) / 55) - 0.25, 1e-9);
}

TEST(FigureTicks, NarrowRangesGetMoreNotes) {
  cqtcnn::CqtParams p = cqtcnn::CqtParams::librosa(22050);
  p.fmin = 440, p.n_bins = 10;  // A4 .. F#5: one C
  const auto ticks = cqtcnn::frequency_ticks(p.frequencies(), FrequencyAxis::notes);
  ASSERT_GE(ticks.size(), 5U);
  EXPECT_EQ(ticks[0].label, "A4");
  EXPECT_NEAR(ticks[0].position, 0, 1e-9);
}

TEST(FigureTicks, HertzAtRoundFrequencies) {
  const auto ticks = cqtcnn::frequency_ticks(cqtcnn::CqtParams::librosa(22050).frequencies(), FrequencyAxis::hz);
  const std::vector<std::string> want{"50", "100", "200", "500", "1000", "2000"};  // 32.7 Hz .. 3951 Hz
  ASSERT_EQ(ticks.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(ticks[i].label, want[i]);
    EXPECT_NEAR(ticks[i].position, 12 * std::log2(std::stod(want[i]) / 32.703195662574829), 1e-6);
  }
}

TEST(FigureTicks, RoundValues) {
  const auto db = cqtcnn::value_ticks(-80, 0, 8);
  ASSERT_EQ(db.size(), 9U);
  EXPECT_EQ(db.front().label, "-80");
  EXPECT_EQ(db.back().label, "0");
  EXPECT_NEAR(db[1].position, -70, 1e-9);
  const auto time = cqtcnn::value_ticks(1.49, 2.98, 6);  // at most 6: steps of 0.5
  ASSERT_EQ(time.size(), 3U);
  EXPECT_EQ(time.front().label, "1.5");
  EXPECT_EQ(time.back().label, "2.5");
  EXPECT_EQ(cqtcnn::value_ticks(0, 1, 5)[1].label, "0.2");
  // A float32 maximum a few millionths of a dB off zero still gives the range's end ticks.
  const auto off = cqtcnn::value_ticks(-80 + 3.2e-6, 3.2e-6, 8);
  ASSERT_EQ(off.size(), 9U);
  EXPECT_EQ(off.front().label, "-80");
  EXPECT_EQ(cqtcnn::value_ticks(-80 + 0.2, 0, 8).front().label, "-70");  // but not a fifth of a step
}

TEST(FigureTicks, NoteNames) {
  EXPECT_EQ(cqtcnn::note_name(440), "A4");
  EXPECT_EQ(cqtcnn::note_name(261.63), "C4");
  EXPECT_EQ(cqtcnn::note_name(277.18), "C#4");
  EXPECT_EQ(cqtcnn::note_name(32.703), "C1");
  EXPECT_EQ(cqtcnn::note_name(30.87), "B0");
}

TEST(FigureFormat, FromTheExtension) {
  EXPECT_EQ(cqtcnn::figure_format("a.png"), cqtcnn::FigureFormat::png);
  EXPECT_EQ(cqtcnn::figure_format("a.SVG"), cqtcnn::FigureFormat::svg);
  EXPECT_EQ(cqtcnn::figure_format("dir.x/a.pdf"), cqtcnn::FigureFormat::pdf);
  try {
    cqtcnn::figure_format("out.jpg");
    ADD_FAILURE() << "no error";
  } catch (const cqtcnn::InvalidInput& e) {
    EXPECT_CONTAINS(std::string(e.what()), "out.jpg");
  }
}

TEST(SpectrogramFigure, WritesAllThreeFormats) {
  cqtcnn::SpectrogramFigure f =
      cqtcnn::spectrogram_figure(tone_spectrogram(440), "tone.wav", cqtcnn::ValueScale::db, 80.0);
  f.width = 640, f.height = 360;
  for (const char* name : {"s.png", "s.svg", "s.pdf"}) cqtcnn::write_figure(temp_path(name), f);
  const std::string png = read_file(temp_path("s.png")), svg = read_file(temp_path("s.svg")),
                    pdf = read_file(temp_path("s.pdf"));
  ASSERT_GT(png.size(), 24U);
  EXPECT_EQ(png.substr(0, 8), "\x89PNG\r\n\x1a\n");
  const auto be32 = [&](std::size_t at) {
    return std::uint32_t(std::uint8_t(png[at])) << 24 | std::uint32_t(std::uint8_t(png[at + 1])) << 16 |
           std::uint32_t(std::uint8_t(png[at + 2])) << 8 | std::uint32_t(std::uint8_t(png[at + 3]));
  };
  EXPECT_EQ(be32(16), 640U);
  EXPECT_EQ(be32(20), 360U);
  EXPECT_CONTAINS(svg, "<svg");
  EXPECT_CONTAINS(svg, "width=\"640pt\"");
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_CONTAINS(pdf, "%%EOF");
}

TEST(SpectrogramFigure, PdfTextHasTheAxesTitleAndColourBar) {
  cqtcnn::SpectrogramFigure f =
      cqtcnn::spectrogram_figure(tone_spectrogram(440), "tone.wav", cqtcnn::ValueScale::db, 80.0);
  cqtcnn::write_figure(temp_path("notes.pdf"), f);
  const std::string notes = pdf_text(temp_path("notes.pdf"));
  for (const char* want : {"tone.wav", "84 bins from 32.7 Hz (C1), 12 per octave, hop 512", "Time (s)", "Note", "C1",
                           "C4", "C7", "dB (re maximum)", "-80", "0.8"})
    EXPECT_CONTAINS(notes, want);
  f.frequency_axis = FrequencyAxis::hz;
  cqtcnn::write_figure(temp_path("hz.pdf"), f);
  const std::string hz = pdf_text(temp_path("hz.pdf"));
  for (const char* want : {"Frequency (Hz)", "100", "1000", "2000"}) EXPECT_CONTAINS(hz, want);
  EXPECT_EQ(hz.find("C4"), std::string::npos);
}

TEST(SpectrogramFigure, PixelsShowTheColourBarAndTheToneAtItsRow) {
  cqtcnn::SpectrogramFigure f =
      cqtcnn::spectrogram_figure(tone_spectrogram(440), "tone.wav", cqtcnn::ValueScale::db, 80.0);
  const cqtcnn::Image img = cqtcnn::render_figure(f);
  const cqtcnn::FigureLayout layout = cqtcnn::figure_layout(f);
  ASSERT_EQ(img.width, 1000);
  ASSERT_EQ(img.height, 500);
  const cqtcnn::FigureRect plot = layout.plot;
  ASSERT_GT(plot.height, 200);

  // The brightest row of the plot's middle column is 440 Hz: bin 12 log2(440 / C1) = 45 from
  // the bottom, each bin plot.height / 84 high.
  const double x = plot.x + plot.width / 2;
  int best_y = -1, best = -1;
  for (int y = int(plot.y) + 2; y < int(plot.y + plot.height) - 2; ++y)
    if (brightness(pixel(img, x, y)) > best) best = brightness(pixel(img, x, y)), best_y = y;
  const double bin_height = plot.height / 84;
  const double expected_y = plot.y + plot.height - (12 * std::log2(440 / 32.703195662574829) + 0.5) * bin_height;
  EXPECT_NEAR(best_y, expected_y, 0.5 * bin_height + 1);
  EXPECT_GE(pixel(img, x, best_y)[0], 240);  // magma's top: pale yellow
  // Outside the tone (two octaves below) the plot is magma's dark end.
  EXPECT_LT(brightness(pixel(img, x, expected_y + 24 * bin_height)), 3 * 80);

  // The colour bar: right of the plot, a column whose colours run down from magma's top
  // (252, 253, 191) to its bottom (0, 0, 4), darker all the way. Find it by scanning.
  int found = 0;
  for (int cx = int(plot.x + plot.width) + 2; cx < img.width; ++cx) {
    const auto top = pixel(img, cx, plot.y + 2), bottom = pixel(img, cx, plot.y + plot.height - 2);
    if (top[0] < 240 || top[2] < 150 || brightness(bottom) > 40) continue;
    bool darkening = true;
    for (int y = int(plot.y) + 3; y < int(plot.y + plot.height) - 2; ++y)
      darkening = darkening && brightness(pixel(img, cx, y)) <= brightness(pixel(img, cx, y - 1)) + 3;
    if (darkening) {
      ++found;
      EXPECT_GE(cx, layout.colorbars[0].x);
      EXPECT_LE(cx, layout.colorbars[0].x + layout.colorbars[0].width);
    }
  }
  EXPECT_GE(found, int(layout.colorbars[0].width) - 2);
}

TEST(SpectrogramFigure, BadFiguresAreRefused) {
  cqtcnn::SpectrogramFigure f =
      cqtcnn::spectrogram_figure(tone_spectrogram(440), "tone.wav", cqtcnn::ValueScale::db, 80.0);
  f.width = 120, f.height = 80;
  EXPECT_THROW(cqtcnn::render_figure(f), cqtcnn::InvalidInput);
  f.width = 1000, f.height = 500;
  f.frequencies.pop_back();
  EXPECT_THROW(cqtcnn::render_figure(f), cqtcnn::InvalidInput);
  f = cqtcnn::spectrogram_figure(tone_spectrogram(440), "tone.wav", cqtcnn::ValueScale::db, 80.0);
  EXPECT_THROW(cqtcnn::write_figure(temp_path("x.gif"), f), cqtcnn::InvalidInput);
  EXPECT_FALSE(fs::exists(temp_path("x.gif")));
  try {
    cqtcnn::write_figure(temp_path("missing") / "x.pdf", f);
    ADD_FAILURE() << "no error";
  } catch (const cqtcnn::Error& e) {
    EXPECT_CONTAINS(std::string(e.what()), "x.pdf");
  }
}

// 20 classes: labels, counts with a known accuracy.
cqtcnn::ConfusionFigure twenty_classes() {
  cqtcnn::ConfusionFigure f;
  f.title = "test-model.json";
  const std::size_t n = 20;
  for (std::size_t i = 0; i < n; ++i) f.labels.push_back("instrument-" + std::to_string(i));
  f.counts.assign(n, std::vector<int>(n, 0));
  for (std::size_t i = 0; i < n; ++i) {
    f.counts[i][i] = 9;
    f.counts[i][(i + 1) % n] = 1;  // 180 of 200 right
  }
  f.counts[3][3] = 120;  // 3-digit counts fit their cells; 291 of 311 right
  return f;
}

TEST(ConfusionFigure, PdfHasEveryClassAndTheAccuracy) {
  const cqtcnn::ConfusionFigure f = twenty_classes();
  for (const char* name : {"c.png", "c.svg", "c.pdf"}) cqtcnn::write_figure(temp_path(name), f);
  EXPECT_EQ(read_file(temp_path("c.png")).substr(0, 4), "\x89PNG");
  EXPECT_CONTAINS(read_file(temp_path("c.svg")), "<svg");
  const std::string text = pdf_text(temp_path("c.pdf"));
  EXPECT_CONTAINS(text, "test-model.json");
  EXPECT_CONTAINS(text, "accuracy 93.57% (291 of 311 files)");
  EXPECT_CONTAINS(text, "True class");
  EXPECT_CONTAINS(text, "Predicted class");
  EXPECT_CONTAINS(text, "120");
  for (const std::string& label : f.labels) EXPECT_CONTAINS(text, label);
}

TEST(ConfusionFigure, CellsAreReadableAndColouredByRow) {
  const cqtcnn::ConfusionFigure f = twenty_classes();
  const cqtcnn::FigureLayout layout = cqtcnn::figure_layout(f);
  const cqtcnn::Image img = cqtcnn::render_figure(f);
  const double cell = layout.plot.width / 20;
  EXPECT_GE(cell, 24);  // room for 12-point counts
  EXPECT_EQ(img.width, layout.width);
  // Sample each cell near its corner (away from the count): row 3 (120 of 121 on the diagonal)
  // is darker on its diagonal than row 0 (9 of 10); an empty cell is near white.
  const auto corner = [&](int r, int c) {
    return pixel(img, layout.plot.x + c * cell + 3, layout.plot.y + r * cell + 3);
  };
  EXPECT_LT(brightness(corner(3, 3)), brightness(corner(0, 0)));
  EXPECT_LT(brightness(corner(0, 0)), brightness(corner(0, 1)));
  EXPECT_GT(brightness(corner(0, 5)), 3 * 240);
  EXPECT_LT(corner(3, 3)[0], 40);  // dark blue
  EXPECT_GT(corner(3, 3)[2], 80);
}

TEST(ConfusionFigure, InconsistentCountsAreRefused) {
  cqtcnn::ConfusionFigure f = twenty_classes();
  f.counts.pop_back();
  EXPECT_THROW(cqtcnn::render_figure(f), cqtcnn::InvalidInput);
  f = twenty_classes();
  f.counts[2][2] = -1;
  EXPECT_THROW(cqtcnn::render_figure(f), cqtcnn::InvalidInput);
}

}  // namespace
