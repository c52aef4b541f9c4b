#include "cli/row_writer.hpp"

#include "cqtcnn/error.hpp"
#include "io/csv.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace cqtcnn::cli {
namespace {

using Json = nlohmann::ordered_json;

// The label of a row whose audio is all below the model's silence floor: no class at all.
constexpr const char* kSilent = "(silent)";

std::string fixed(double x, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string comma_list(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The lines of `text`, each passed to `line(text, number)` (from 1).
template <typename Line>
void for_each_line(const std::string& text, Line&& line) {
  std::istringstream in(text);
  std::string s;
  for (std::size_t number = 1; std::getline(in, s); ++number) line(s, number);
}

// The columns of a file or window row in CSV and TSV; an event row's in every format but Raven
// (JSON Lines leaves out "error" and "warning", members only a row that has one holds).
std::vector<std::string> row_columns(const ReportOptions& options, bool json) {
  if (options.events) {
    std::vector<std::string> names{"path", "label", "score", "max_score", "start_s", "end_s"};
    if (!json) names.insert(names.end(), {"error", "warning"});
    return names;
  }
  if (json) return {"path", "label", "score", "start_s", "end_s", "top[" + std::to_string(options.top_k) + "]"};
  std::vector<std::string> names{"path", "label", "score"};
  for (std::size_t k = 2; k <= options.top_k; ++k) {
    names.push_back("label_" + std::to_string(k));
    names.push_back("score_" + std::to_string(k));
  }
  names.insert(names.end(), {"start_s", "end_s", "error", "warning"});
  return names;
}

class TextWriter final : public RowWriter {
 public:
  using RowWriter::RowWriter;
  std::string result(const ResultRow& row) const override {
    std::string line = row.path;
    // Appends rather than "x" + string: GCC 12 warns falsely (-Wrestrict) on the latter.
    if (options_.segments) line.append("\t").append(fixed(row.start_s, 3)).append("-").append(fixed(row.end_s, 3));
    for (std::size_t i = 0; i < row.top.size(); ++i)
      line.append(i ? ", " : "\t").append(row.top[i].label).append(" ").append(fixed(row.top[i].score, 3));
    if (row.silent) line.append("\t").append(kSilent);
    else if (row.top.empty()) line.append("\t(no class scores ").append(fixed(options_.min_score, 3)).append(" or more)");
    return line + "\n";
  }
  std::string event(const std::string& path, const std::string& label, const Event& e) const override {
    return path + "\t" + fixed(e.start_s, 3) + "-" + fixed(e.end_s, 3) + "\t" + label + " mean " +
           fixed(e.mean_score, 3) + " max " + fixed(e.max_score, 3) + "\n";
  }
  std::string error(const std::string& path, const std::string& message) const override {
    return path + "\terror: " + message + "\n";
  }
  std::string noted(std::string row, const std::string& warning) const override {  // one line
    return row.insert(row.size() - 1, "\t(warning: " + warning + ")");
  }
};

// CSV and TSV: one line of fields a row, each escaped as the format needs; the last two fields
// are the error and the warning.
class DelimitedWriter : public RowWriter {
 public:
  DelimitedWriter(const ReportOptions& options, char separator) : RowWriter(options), separator_(separator) {}
  std::string header() const override { return line(columns()); }
  std::string result(const ResultRow& row) const override {
    std::vector<std::string> fields{row.path};
    for (std::size_t i = 0; i < options_.top_k; ++i) {
      fields.push_back(i < row.top.size() ? row.top[i].label : i == 0 && row.silent ? kSilent : "");
      fields.push_back(i < row.top.size() ? fixed(row.top[i].score, 6) : "");
    }
    fields.insert(fields.end(), {fixed(row.start_s, 3), fixed(row.end_s, 3), "", ""});
    return line(fields);
  }
  std::string event(const std::string& path, const std::string& label, const Event& e) const override {
    return line({path, label, fixed(e.mean_score, 6), fixed(e.max_score, 6), fixed(e.start_s, 3), fixed(e.end_s, 3),
                 "", ""});
  }
  std::string error(const std::string& path, const std::string& message) const override {
    std::vector<std::string> fields(columns().size());
    fields.front() = path;
    fields.end()[-2] = message;
    return line(fields);
  }
  std::string noted(std::string row, const std::string& warning) const override {
    return row.insert(row.size() - 1, field(warning));  // the last field (the warning) was empty
  }
  bool resumable() const override { return true; }
  std::set<std::string> paths_in(const std::string& text, const std::string& file) const override {
    std::set<std::string> paths;
    for_each_line(text, [&](const std::string& row, std::size_t number) {
      if (number == 1 && row + "\n" != header()) refuse(file, "the file's", names(row));
      if (number > 1 && !row.empty()) paths.insert(first_field(row));
    });
    return paths;
  }

 protected:
  std::vector<std::string> columns() const override { return row_columns(options_, false); }
  virtual std::string field(const std::string& s) const = 0;
  // The first field of a line, unescaped.
  virtual std::string first_field(const std::string& line) const = 0;

 private:
  std::string line(const std::vector<std::string>& fields) const {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) out += separator_;
      out += field(fields[i]);
    }
    return out + "\n";
  }
  // The names in a header line (they need no quoting: split at each separator).
  std::vector<std::string> names(const std::string& header_line) const {
    std::vector<std::string> out(1);
    for (char c : header_line) {
      if (c == separator_) out.emplace_back();
      else out.back() += c;
    }
    return out;
  }
  char separator_;
};

class CsvWriter final : public DelimitedWriter {
 public:
  explicit CsvWriter(const ReportOptions& options) : DelimitedWriter(options, ',') {}

 private:
  std::string field(const std::string& s) const override { return csv_field(s); }
  std::string first_field(const std::string& line) const override { return split_csv_line(line)[0]; }
};

// Tab, line breaks and backslash escaped as \t, \n, \r, \\ (the "linear TSV" convention), so
// that every row is one line of tab-separated fields.
class TsvWriter final : public DelimitedWriter {
 public:
  explicit TsvWriter(const ReportOptions& options) : DelimitedWriter(options, '\t') {}

 private:
  std::string field(const std::string& s) const override {
    std::string out;
    for (char c : s) {
      if (c == '\t') out += "\\t";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\\') out += "\\\\";
      else out += c;
    }
    return out;
  }
  std::string first_field(const std::string& line) const override {
    std::string out;
    for (std::size_t i = 0; i < line.size() && line[i] != '\t'; ++i) {
      if (line[i] != '\\' || i + 1 == line.size()) {
        out += line[i];
        continue;
      }
      const char c = line[++i];
      out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
    }
    return out;
  }
};

// A row as one JSON object; JSON Lines and JSON differ in what goes around it (object()).
class JsonRowWriter : public RowWriter {
 public:
  using RowWriter::RowWriter;
  std::string result(const ResultRow& row) const override {
    Json j;
    j["path"] = row.path;
    j["label"] = row.silent ? Json(kSilent) : row.top.empty() ? Json(nullptr) : Json(row.top[0].label);
    j["score"] = row.top.empty() ? Json(nullptr) : Json(row.top[0].score);
    j["start_s"] = row.start_s;
    j["end_s"] = row.end_s;
    auto& list = j["top"] = Json::array();  // for every -k: one shape
    for (const Scored& s : row.top) list.push_back({{"label", s.label}, {"score", s.score}});
    return object(j);
  }
  std::string event(const std::string& path, const std::string& label, const Event& e) const override {
    Json j;
    j["path"] = path;
    j["label"] = label;
    j["score"] = e.mean_score;
    j["max_score"] = e.max_score;
    j["start_s"] = e.start_s;
    j["end_s"] = e.end_s;
    return object(j);
  }
  // The same members as a result (or an event), null, then the error.
  std::string error(const std::string& path, const std::string& message) const override {
    Json j{{"path", path}, {"label", nullptr}, {"score", nullptr}};
    if (options_.events) j["max_score"] = nullptr;
    j["start_s"] = nullptr;
    j["end_s"] = nullptr;
    if (!options_.events) j["top"] = Json::array();
    j["error"] = message;
    return object(j);
  }
  std::string noted(std::string row, const std::string& warning) const override {  // its last member
    return row.insert(row.rfind('}'), ",\"warning\":" + dump(Json(warning)));
  }

 protected:
  static std::string dump(const Json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }
  virtual std::string object(const Json& j) const = 0;
};

class JsonLinesWriter final : public JsonRowWriter {
 public:
  using JsonRowWriter::JsonRowWriter;
  bool resumable() const override { return true; }
  std::set<std::string> paths_in(const std::string& text, const std::string& file) const override {
    std::set<std::string> paths;
    for_each_line(text, [&](const std::string& line, std::size_t number) {
      if (line.empty()) return;
      const auto row = Json::parse(line, nullptr, false);
      if (!row.is_object() || !row.contains("path") || !row["path"].is_string())
        throw InvalidInput(file + ": --resume: line " + std::to_string(number) +
                           " is not a JSON object with a \"path\" (was the file written in another format?)");
      paths.insert(row["path"].get<std::string>());
      if (row.contains("error") || row["label"] == kSilent) return;  // says nothing about -k
      std::vector<std::string> wanted = columns();
      std::vector<std::string> found = members(row);
      std::erase(found, "warning");  // a note on one file (a truncated one), not a column
      // With --min-score a row holds the classes that scored enough, up to k.
      const auto& top = row.contains("top") ? row["top"] : row;
      if (options_.min_score > 0 && top.is_array() && top.size() <= options_.top_k)
        wanted.back() = "top[" + std::to_string(top.size()) + "]";
      if (found != wanted) refuse(file, "line " + std::to_string(number) + "'s", found);
    });
    return paths;
  }

 private:
  std::vector<std::string> columns() const override { return row_columns(options_, true); }
  std::string object(const Json& j) const override { return dump(j) + "\n"; }
  // A row's members as columns, "top" with its length ("top[3]").
  static std::vector<std::string> members(const Json& row) {
    std::vector<std::string> names;
    for (const auto& [key, value] : row.items())
      names.push_back(key == "top" && value.is_array() ? "top[" + std::to_string(value.size()) + "]" : key);
    return names;
  }
};

// One JSON document, an array of the rows; streamed, each row ends its line as it is written.
class JsonWriter final : public JsonRowWriter {
 public:
  using JsonRowWriter::JsonRowWriter;
  std::string header() const override { return "[\n"; }
  std::string separator() const override { return options_.stream ? "," : ",\n"; }
  std::string footer() const override { return options_.stream ? "]\n" : "\n]\n"; }

 private:
  std::string object(const Json& j) const override {
    return options_.stream ? dump(j) + "\n" : std::string(2, ' ').append(dump(j));
  }
};

// Detections on a time line, one tab-separated line each, with no escapes (a tab or line break
// in a label becomes a space) and no place for errors, warnings or silence: those go to stderr.
class SelectionWriter : public RowWriter {
 public:
  using RowWriter::RowWriter;
  std::string result(const ResultRow& row) const override {
    if (row.silent) return selection(row.path, row.start_s, row.end_s, kSilent, {});
    std::string lines;
    for (const Scored& s : row.top) lines += selection(row.path, row.start_s, row.end_s, s.label, {s.score});
    return lines;
  }
  std::string event(const std::string& path, const std::string& label, const Event& e) const override {
    return selection(path, e.start_s, e.end_s, label, {e.mean_score, e.max_score});
  }
  std::string error(const std::string&, const std::string&) const override { return ""; }
  bool holds_notes() const override { return false; }

 protected:
  // One line (without Raven's selection number); `scores` empty for a silent one.
  virtual std::string selection(const std::string& path, double start_s, double end_s, const std::string& label,
                                const std::vector<float>& scores) const = 0;
  static std::string one_field(std::string s) {
    std::replace_if(s.begin(), s.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    return s;
  }
  static std::string join_tabs(const std::vector<std::string>& fields) {
    std::string line;
    for (const std::string& f : fields) line.append(line.empty() ? "" : "\t").append(f);
    return line + "\n";
  }
};

// An Audacity label track, "start<TAB>end<TAB>label" a line (File > Import > Labels).
class AudacityWriter final : public SelectionWriter {
 public:
  using SelectionWriter::SelectionWriter;

 private:
  std::string selection(const std::string&, double start_s, double end_s, const std::string& label,
                        const std::vector<float>&) const override {
    return join_tabs({fixed(start_s, 6), fixed(end_s, 6), one_field(label)});
  }
};

// A Raven selection table: tab-separated, its standard columns first, the CQT's range as each
// selection's frequencies.
class RavenWriter final : public SelectionWriter {
 public:
  using SelectionWriter::SelectionWriter;
  std::string header() const override { return join_tabs(columns()); }
  std::string numbered(const std::string& rows, std::size_t& next) const override {
    std::string out;
    for (std::size_t from = 0; from < rows.size();) {
      const std::size_t end = std::min(rows.find('\n', from), rows.size() - 1) + 1;
      out.append(std::to_string(next++)).append("\t").append(rows, from, end - from);
      from = end;
    }
    return out;
  }

 private:
  std::vector<std::string> columns() const override {
    std::vector<std::string> names{"Selection",    "View",          "Channel",        "Begin Time (s)", "End Time (s)",
                                   "Low Freq (Hz)", "High Freq (Hz)", "Label",         "Score"};
    if (options_.events) names.push_back("Max Score");
    names.push_back("Begin Path");
    return names;
  }
  std::string selection(const std::string& path, double start_s, double end_s, const std::string& label,
                        const std::vector<float>& scores) const override {
    std::vector<std::string> fields{"Spectrogram 1",  "1",
                                    fixed(start_s, 6), fixed(end_s, 6),
                                    fixed(options_.low_hz, 3), fixed(options_.high_hz, 3),
                                    one_field(label)};
    for (float score : scores) fields.push_back(fixed(score, 6));
    if (scores.empty()) fields.emplace_back();  // silent: the Score column stays empty
    fields.push_back(one_field(path));
    return join_tabs(fields);
  }
};

template <typename Writer>
std::unique_ptr<RowWriter> make(const ReportOptions& options) {
  return std::make_unique<Writer>(options);
}

}  // namespace

std::set<std::string> RowWriter::paths_in(const std::string&, const std::string&) const {
  throw InvalidInput("--resume: needs csv, tsv or jsonl output");
}

void RowWriter::refuse(const std::string& file, const std::string& whose, const std::vector<std::string>& found) const {
  throw InvalidInput(file + ": --resume: " + whose + " columns (" + comma_list(found) + ") differ from this run's (" +
                     comma_list(columns()) + ")");
}

const std::vector<RowFormat>& row_formats() {
  static const std::vector<RowFormat> formats{
      {"text", {"txt"}, make<TextWriter>},       {"csv", {"csv"}, make<CsvWriter>},
      {"tsv", {"tsv"}, make<TsvWriter>},         {"jsonl", {"jsonl"}, make<JsonLinesWriter>},
      {"json", {"json"}, make<JsonWriter>},      {"audacity", {}, make<AudacityWriter>},
      {"raven", {}, make<RavenWriter>},
  };
  return formats;
}

std::unique_ptr<RowWriter> make_row_writer(const ReportOptions& options) {
  for (const RowFormat& f : row_formats())
    if (f.name == options.format) return f.make(options);
  throw InvalidInput("--format: unknown format \"" + options.format + "\"");
}

}  // namespace cqtcnn::cli
