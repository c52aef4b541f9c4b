// The output formats of classify's rows, one small class each behind one interface (RowWriter),
// created by name from one table (row_formats), as the layers are: a new format is a class in
// row_writers.cpp and a row of that table. Report (report.hpp) ranks the classes and decides
// which rows there are; a RowWriter says how each is written.
#pragma once

#include "classify/events.hpp"

#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace cqtcnn::cli {

struct ReportOptions {
  std::string format = "text";  // a name in row_formats()
  std::size_t top_k = 1;
  bool segments = false;
  float min_score = 0.0f;
  bool events = false;       // rows are events (events.hpp) rather than files or windows
  std::vector<bool> kept{};  // classes reported (select_labels); empty: all
  bool stream = false;       // JSON: each row ends its line as it is written ("," starts the next)
  double low_hz = 0.0;       // Raven's Low Freq (Hz) and High Freq (Hz): the CQT's range
  double high_hz = 0.0;
};

struct Scored {
  std::string label;
  float score;
};

// A file's or a window's result as a row: its classes best first (at most -k, each scoring at
// least --min-score; none when no class did), or `silent`: the audio is below the silence floor.
struct ResultRow {
  const std::string& path;
  const std::vector<Scored>& top;
  double start_s, end_s;
  bool silent;
};

class RowWriter {
 public:
  explicit RowWriter(const ReportOptions& options) : options_(options) {}
  virtual ~RowWriter() = default;

  // Text at the start of a new output, between two results written one after the other, and at
  // its end ("[", ",", "]" for JSON).
  virtual std::string header() const { return ""; }
  virtual std::string separator() const { return ""; }
  virtual std::string footer() const { return ""; }
  // The lines of one result, one event (labelled `label`) and one failed file.
  virtual std::string result(const ResultRow& row) const = 0;
  virtual std::string event(const std::string& path, const std::string& label, const Event& event) const = 0;
  virtual std::string error(const std::string& path, const std::string& message) const = 0;
  // A row with a warning (a truncated file) where the format keeps notes.
  virtual std::string noted(std::string row, const std::string& /*warning*/) const { return row; }
  // Whether rows carry errors and warnings, and silent windows (a label track or selection table
  // holds detections: it has no place for either).
  virtual bool holds_notes() const { return true; }
  // Raven numbers its selections through the whole table: `rows` numbered from `next` on (which
  // advances). Other formats' rows are returned as they are.
  virtual std::string numbered(const std::string& rows, std::size_t& /*next*/) const { return rows; }
  // --resume: whether the format can be appended to, and the paths an existing output (`text`,
  // ending with a complete row) holds. Throws InvalidInput naming `file` when its columns are
  // not the ones this writer writes.
  virtual bool resumable() const { return false; }
  virtual std::set<std::string> paths_in(const std::string& text, const std::string& file) const;

 protected:
  // The columns of a row: a CSV/TSV or Raven header's names; for JSON Lines the members, "top"
  // shown with its length ("top[3]").
  virtual std::vector<std::string> columns() const { return {}; }
  // Throws the InvalidInput of paths_in: `whose` columns (`found`) are not columns().
  [[noreturn]] void refuse(const std::string& file, const std::string& whose, const std::vector<std::string>& found) const;

  ReportOptions options_;
};

struct RowFormat {
  std::string name;                     // as --format takes it
  std::vector<std::string> extensions;  // that -o's name picks it by (output_format.hpp)
  std::unique_ptr<RowWriter> (*make)(const ReportOptions& options);
};

// Every format, in the order --format lists them.
const std::vector<RowFormat>& row_formats();

// The writer of options.format. Throws InvalidInput for a name that is not in row_formats().
std::unique_ptr<RowWriter> make_row_writer(const ReportOptions& options);

}  // namespace cqtcnn::cli
