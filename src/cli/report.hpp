// How classify writes its results: one row per file (per window with --segments, per event with
// --events) as text, CSV, TSV, JSON Lines, one JSON document, an Audacity label track or a Raven
// selection table (row_writer.hpp: one class each). Rows are formatted independently, so they
// can be written and flushed as each file (or, streaming, each window) finishes.
#pragma once

#include "cli/row_writer.hpp"
#include "cqtcnn/classifier.hpp"
#include "classify/events.hpp"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace cqtcnn::cli {

// --format when given, else the format -o's extension names (.txt, .csv, .tsv, .jsonl, .json),
// else text (stdout, or an extension that names none). audacity and raven only by name.
std::string report_format(const std::string& explicit_format, const std::string& output);

class Report {
 public:
  Report(ReportOptions options, std::vector<std::string> labels);

  // Text written once at the start of a new output (the CSV header; "[" for JSON).
  std::string header() const { return writer_->header(); }
  // The rows for one finished file (formatting is thread-safe: the object is not modified).
  // A `warning` (a truncated file: AudioReader::truncation) goes in each row: the "warning"
  // column of CSV and TSV, a "warning" member in JSON, "(warning: ...)" after a text line.
  std::string rows(const std::string& path, const FileResult& result, const std::string& warning = "") const;
  // The rows of one window (with --segments or --stream) or one event, as they are streamed.
  std::string window_rows(const std::string& path, const WindowResult& window) const;
  std::string event_rows(const std::string& path, const Event& event) const;
  // The row for a file that failed.
  std::string error_row(const std::string& path, const std::string& message) const {
    return writer_->error(path, message);
  }
  // Whether rows carry errors and warnings (Audacity's and Raven's have no place for them).
  bool holds_notes() const { return writer_->holds_notes(); }
  // What goes between two non-empty results written one after the other ("," for JSON).
  std::string separator() const { return writer_->separator(); }
  // Text that ends the output ("]" for JSON).
  std::string footer() const { return writer_->footer(); }
  // Raven numbers its selections through the whole table: the rows written next, numbered from
  // `next` on (which advances). Other formats' rows are returned as they are.
  std::string numbered(const std::string& rows, std::size_t& next) const { return writer_->numbered(rows, next); }

  // Whether --resume can append to this report's output (csv, tsv, jsonl).
  bool resumable() const { return writer_->resumable(); }
  // The paths an existing output already holds (for --resume); `text` is that file's content,
  // which must end with a complete row. Throws InvalidInput naming `file` when its columns are
  // not the ones this report writes (another -k, another format).
  std::set<std::string> paths_in(const std::string& text, const std::string& file) const {
    return writer_->paths_in(text, file);
  }

 private:
  std::vector<Scored> ranked(const std::vector<float>& probabilities) const;
  // silent: the audio is below the silence floor, and the row says so instead of giving classes.
  std::string row(const std::string& path, const std::vector<float>& probabilities, double start_s,
                  double end_s, bool silent = false) const;

  ReportOptions options_;
  std::vector<std::string> labels_;
  std::unique_ptr<RowWriter> writer_;
};

}  // namespace cqtcnn::cli
