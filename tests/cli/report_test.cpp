// Report, classify's output rows, on results made by hand: each format's header, rows, error
// rows and footer as written out, quoting, top-k and --min-score, --segments, and --resume's
// reading of an output back (paths_in).
#include "cli/report.hpp"
#include "cqtcnn/error.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

namespace cqtcnn::cli {
namespace {

const std::vector<std::string> kLabels = {"cat", "dog", "owl"};

FileResult two_windows() {
  FileResult r;
  r.windows = {{0.0, 1.0, {0.6f, 0.3f, 0.1f}}, {0.5, 1.25, {0.2f, 0.5f, 0.3f}}};
  r.probabilities = {0.4f, 0.4f, 0.2f};  // a tie: the first label comes first
  r.duration_s = 1.25;
  return r;
}

TEST(Report, Text) {
  const Report report({"text", 2}, kLabels);
  EXPECT_EQ(report.header(), "");
  EXPECT_EQ(report.rows("a.wav", two_windows()), "a.wav\tcat 0.400, dog 0.400\n");
  EXPECT_EQ(report.error_row("b.wav", "b.wav: not audio"), "b.wav\terror: b.wav: not audio\n");
  const Report segments({.format = "text", .top_k = 1, .segments = true}, kLabels);
  EXPECT_EQ(segments.rows("a.wav", two_windows()), "a.wav\t0.000-1.000\tcat 0.600\na.wav\t0.500-1.250\tdog 0.500\n");
}

TEST(Report, CsvQuotesAndTopK) {
  const Report report({"csv", 2}, kLabels);
  EXPECT_EQ(report.header(), "path,label,score,label_2,score_2,start_s,end_s,error,warning\n");
  EXPECT_EQ(report.rows("a, \"b\".wav", two_windows()), "\"a, \"\"b\"\".wav\",cat,0.400000,dog,0.400000,0.000,1.250,,\n");
  EXPECT_EQ(report.error_row("c.wav", "c.wav: bad, very"), "c.wav,,,,,,,\"c.wav: bad, very\",\n");
  // Classes under --min-score leave their columns empty; -k above the label count is the count.
  const Report strict({.format = "csv", .top_k = 5, .min_score = 0.35f}, kLabels);
  EXPECT_EQ(strict.header(), "path,label,score,label_2,score_2,label_3,score_3,start_s,end_s,error,warning\n");
  EXPECT_EQ(strict.rows("a.wav", two_windows()), "a.wav,cat,0.400000,dog,0.400000,,,0.000,1.250,,\n");
}

TEST(Report, TsvEscapes) {
  const Report report({"tsv", 1}, kLabels);
  EXPECT_EQ(report.header(), "path\tlabel\tscore\tstart_s\tend_s\terror\twarning\n");
  EXPECT_EQ(report.rows("a\tb.wav", two_windows()), "a\\tb.wav\tcat\t0.400000\t0.000\t1.250\t\t\n");
}

TEST(Report, JsonLinesAndJson) {
  const Report lines({"jsonl", 2}, kLabels);
  const auto row = nlohmann::json::parse(lines.rows("a.wav", two_windows()));
  EXPECT_EQ(row["path"], "a.wav");
  EXPECT_EQ(row["label"], "cat");
  EXPECT_FLOAT_EQ(row["score"].get<float>(), 0.4f);
  EXPECT_EQ(row["end_s"], 1.25);
  ASSERT_EQ(row["top"].size(), 2u);
  EXPECT_EQ(row["top"][1]["label"], "dog");
  const auto error = nlohmann::json::parse(lines.error_row("b.wav", "b.wav: not audio"));
  EXPECT_EQ(error["error"], "b.wav: not audio");
  EXPECT_TRUE(error["label"].is_null());

  // One JSON document: header, rows with separators, footer.
  const Report json({"json", 1}, kLabels);
  const std::string text = json.header() + json.rows("a.wav", two_windows()) + json.separator() +
                           json.error_row("b.wav", "bad") + json.footer();
  const auto doc = nlohmann::json::parse(text);
  ASSERT_EQ(doc.size(), 2u);
  EXPECT_EQ(doc[0]["label"], "cat");
  EXPECT_EQ(doc[1]["error"], "bad");
}

// A truncated file's warning is in each of its rows, where each format keeps notes: the last
// column of CSV and TSV, a "warning" member in JSON, after the text line; --resume reads it back.
TEST(Report, WarningInEveryRow) {
  const std::string warning = "a.wav: truncated: the audio ends at 1.250 s, but its header says 9.000 s";
  EXPECT_EQ(Report({"csv", 1}, kLabels).rows("a.wav", two_windows(), warning),
            "a.wav,cat,0.400000,0.000,1.250,,\"" + warning + "\"\n");
  EXPECT_EQ(Report({"tsv", 1}, kLabels).rows("a.wav", two_windows(), warning),
            "a.wav\tcat\t0.400000\t0.000\t1.250\t\t" + warning + "\n");
  EXPECT_EQ(Report({"text", 1}, kLabels).rows("a.wav", two_windows(), warning),
            "a.wav\tcat 0.400\t(warning: " + warning + ")\n");
  const Report segments({.format = "jsonl", .top_k = 1, .segments = true}, kLabels);
  std::istringstream lines(segments.rows("a.wav", two_windows(), warning));
  int rows = 0;
  for (std::string line; std::getline(lines, line); ++rows) {
    const auto row = nlohmann::ordered_json::parse(line);
    EXPECT_EQ(row["warning"], warning);
    EXPECT_EQ(std::prev(row.end()).key(), "warning");
  }
  EXPECT_EQ(rows, 2);
  const Report json({"json", 1}, kLabels);
  const auto doc = nlohmann::json::parse(json.header() + json.rows("a.wav", two_windows(), warning) + json.footer());
  EXPECT_EQ(doc[0]["warning"], warning);
  EXPECT_EQ(Report({"audacity", 1}, kLabels).rows("a.wav", two_windows(), warning),
            Report({"audacity", 1}, kLabels).rows("a.wav", two_windows()));
  for (const std::string format : {"csv", "tsv", "jsonl"}) {
    const Report report({format, 2}, kLabels);
    const std::string text = report.header() + report.rows("a.wav", two_windows(), warning);
    EXPECT_EQ(report.paths_in(text, "out"), (std::set<std::string>{"a.wav"})) << format;
  }
}

TEST(Report, PathsInReadsBackWhatItWrote) {
  for (const std::string format : {"csv", "tsv", "jsonl"}) {
    const Report report({format, 2}, kLabels);
    const std::string text = report.header() + report.rows("a, \"b\".wav", two_windows()) +
                             report.error_row("c.wav", "c.wav: not audio");
    EXPECT_EQ(report.paths_in(text, "out"), (std::set<std::string>{"a, \"b\".wav", "c.wav"})) << format;
    // Another -k writes other columns: refused, naming the file.
    const Report other({format, 3}, kLabels);
    try {
      other.paths_in(text, "out");
      ADD_FAILURE() << "accepted, format " << format;
    } catch (const InvalidInput& e) {
      EXPECT_EQ(std::string(e.what()).rfind("out: --resume: ", 0), 0u) << e.what();
    }
  }
}

TEST(Report, FormatFromOptionOrExtension) {
  EXPECT_EQ(report_format("", "x.csv"), "csv");
  EXPECT_EQ(report_format("", "x.JSONL"), "jsonl");
  EXPECT_EQ(report_format("tsv", "x.csv"), "tsv");
  EXPECT_EQ(report_format("", ""), "text");
}

}  // namespace
}  // namespace cqtcnn::cli
