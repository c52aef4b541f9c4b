// How classify writes its results: one row per file (per window with --segments, per event with
// --events) as text, CSV, TSV, JSON Lines, one JSON document, an Audacity label track or a Raven
// selection table. Rows are formatted independently, so they can be written and flushed as each
// file (or, streaming, each window) finishes.
#pragma once

#include "cqtcnn/classifier.hpp"
#include "classify/events.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace cqtcnn::cli {

// audacity: a label track, "start<TAB>end<TAB>label" per line (Audacity: File > Import > Labels).
// raven: a Raven selection table (tab-separated, its standard columns first).
enum class ReportFormat { text, csv, tsv, jsonl, json, audacity, raven };

// --format when given, else the format -o's extension names (.txt, .csv, .tsv, .jsonl, .json),
// else text (stdout, or an extension that names none). audacity and raven only by name.
ReportFormat report_format(const std::string& explicit_format, const std::string& output);

struct ReportOptions {
  ReportFormat format = ReportFormat::text;
  std::size_t top_k = 1;
  bool segments = false;
  float min_score = 0.0f;
  bool events = false;       // rows are events (events.hpp) rather than files or windows
  std::vector<bool> kept{};  // classes reported (select_labels); empty: all
  bool stream = false;       // JSON: each row ends its line as it is written ("," starts the next)
  double low_hz = 0.0;       // Raven's Low Freq (Hz) and High Freq (Hz): the CQT's range
  double high_hz = 0.0;
};

class Report {
 public:
  Report(ReportOptions options, std::vector<std::string> labels);

  // Text written once at the start of a new output (the CSV header; "[" for JSON).
  std::string header() const;
  // The rows for one finished file (formatting is thread-safe: the object is not modified).
  // A `warning` (a truncated file: AudioReader::truncation) goes in each row: the "warning"
  // column of CSV and TSV, a "warning" member in JSON, "(warning: ...)" after a text line.
  std::string rows(const std::string& path, const FileResult& result, const std::string& warning = "") const;
  // The rows of one window (with --segments or --stream) or one event, as they are streamed.
  std::string window_rows(const std::string& path, const WindowResult& window) const;
  std::string event_rows(const std::string& path, const Event& event) const;
  // The row for a file that failed.
  std::string error_row(const std::string& path, const std::string& message) const;
  // Whether rows carry errors and warnings (Audacity's and Raven's have no place for them).
  bool holds_notes() const { return options_.format != ReportFormat::audacity && options_.format != ReportFormat::raven; }
  // What goes between two non-empty results written one after the other ("," for JSON).
  std::string separator() const;
  // Text that ends the output ("]" for JSON).
  std::string footer() const;
  // Raven numbers its selections through the whole table: the rows written next, numbered from
  // `next` on (which advances). Other formats' rows are returned as they are.
  std::string numbered(const std::string& rows, std::size_t& next) const;

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
  // One formatted row with `warning` added (see rows()).
  std::string noted(std::string row, const std::string& warning) const;
  // One CSV or TSV line of `fields`, each quoted or escaped as the format needs.
  std::string delimited(const std::vector<std::string>& fields) const;
  // silent: the audio is below the silence floor, and the row says so instead of giving classes.
  std::string row(const std::string& path, const std::vector<float>& probabilities, double start_s,
                  double end_s, bool silent = false) const;
  // A Raven or Audacity line without Raven's selection number.
  std::string selection(const std::string& path, double start_s, double end_s, const std::string& label,
                        const std::vector<float>& scores) const;

  ReportOptions options_;
  std::vector<std::string> labels_;
};

}  // namespace cqtcnn::cli
