// How classify writes its results: one row per file (or per window with --segments) as text,
// CSV, TSV, JSON Lines or one JSON document. Rows are formatted independently, so they can be written
// and flushed as each file finishes.
#pragma once

#include "cqtcnn/classifier.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace cqtcnn::cli {

enum class ReportFormat { text, csv, tsv, jsonl, json };

// --format when given, else the format -o's extension names (.txt, .csv, .tsv, .jsonl, .json),
// else text (stdout, or an extension that names none).
ReportFormat report_format(const std::string& explicit_format, const std::string& output);

struct ReportOptions {
  ReportFormat format = ReportFormat::text;
  std::size_t top_k = 1;
  bool segments = false;
  float min_score = 0.0f;
};

class Report {
 public:
  Report(ReportOptions options, std::vector<std::string> labels);

  // Text written once at the start of a new output (the CSV header; "[" for JSON).
  std::string header() const;
  // The rows for one finished file (formatting is thread-safe: the object is not modified).
  std::string rows(const std::string& path, const FileResult& result) const;
  // The row for a file that failed.
  std::string error_row(const std::string& path, const std::string& message) const;
  // What goes between two non-empty results written one after the other ("," for JSON).
  std::string separator() const;
  // Text that ends the output ("]" for JSON).
  std::string footer() const;

  // The paths an existing output already holds (for --resume); `text` is that file's content,
  // which must end with a complete row. Throws InvalidInput naming `file` when its columns are
  // not the ones this report writes (another -k, another format).
  std::set<std::string> paths_in(const std::string& text, const std::string& file) const;

 private:
  struct Scored {
    std::string label;
    float score;
  };
  std::vector<Scored> ranked(const std::vector<float>& probabilities) const;
  // The columns of a row: the CSV/TSV header's names; for JSON Lines the members, "top" shown
  // with its length ("top[3]").
  std::vector<std::string> columns() const;
  std::string json_row(const nlohmann::ordered_json& j) const;
  // One CSV or TSV line of `fields`, each quoted or escaped as the format needs.
  std::string delimited(const std::vector<std::string>& fields) const;
  std::string row(const std::string& path, const std::vector<float>& probabilities, double start_s,
                  double end_s) const;

  ReportOptions options_;
  std::vector<std::string> labels_;
};

}  // namespace cqtcnn::cli
