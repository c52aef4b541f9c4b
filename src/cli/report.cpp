#include "cli/report.hpp"

#include "cli/output_format.hpp"
#include "cqtcnn/error.hpp"
#include "io/csv.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <sstream>

namespace cqtcnn::cli {
namespace {

// A TSV field: tab, line breaks and backslash escaped as \t, \n, \r, \\ (the "linear TSV"
// convention), so that every row is one line of tab-separated fields.
std::string tsv_field(const std::string& s) {
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

// The first field of a TSV line, unescaped.
std::string first_tsv_field(const std::string& line) {
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

std::string comma_list(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The names in a CSV or TSV header line (they need no quoting: split at each separator).
std::vector<std::string> split_header(const std::string& line, char separator) {
  std::vector<std::string> names(1);
  for (char c : line) {
    if (c == separator) names.emplace_back();
    else names.back() += c;
  }
  return names;
}

// A JSON Lines row's members as columns, "top" with its length ("top[3]").
std::vector<std::string> json_columns(const nlohmann::ordered_json& row) {
  std::vector<std::string> names;
  for (const auto& [key, value] : row.items())
    names.push_back(key == "top" && value.is_array() ? "top[" + std::to_string(value.size()) + "]" : key);
  return names;
}

// The label of a row whose audio is all below the model's silence floor: no class at all.
constexpr const char* kSilent = "(silent)";

std::string fixed(double x, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

// A label as one field of a tab-separated line (Audacity and Raven have no escapes).
std::string one_field(std::string s) {
  std::replace_if(s.begin(), s.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
  return s;
}

std::string join_tabs(const std::vector<std::string>& fields) {
  std::string line;
  for (const std::string& f : fields) line.append(line.empty() ? "" : "\t").append(f);
  return line + "\n";
}

}  // namespace

ReportFormat report_format(const std::string& explicit_format, const std::string& output) {
  const std::string name = choose_output_format(
      explicit_format, output,
      {{"text", {"txt"}}, {"csv", {"csv"}}, {"tsv", {"tsv"}}, {"jsonl", {"jsonl"}}, {"json", {"json"}},
       {"audacity", {}}, {"raven", {}}},
      "text");
  if (name == "csv") return ReportFormat::csv;
  if (name == "tsv") return ReportFormat::tsv;
  if (name == "jsonl") return ReportFormat::jsonl;
  if (name == "json") return ReportFormat::json;
  if (name == "audacity") return ReportFormat::audacity;
  if (name == "raven") return ReportFormat::raven;
  return ReportFormat::text;
}

Report::Report(ReportOptions options, std::vector<std::string> labels)
    : options_(options), labels_(std::move(labels)) {
  options_.top_k = std::clamp<std::size_t>(options_.top_k, 1, labels_.size());
}

std::vector<Report::Scored> Report::ranked(const std::vector<float>& probabilities) const {
  std::vector<std::size_t> order(probabilities.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return probabilities[a] > probabilities[b]; });
  std::vector<Scored> out;
  if (!options_.kept.empty()) std::erase_if(order, [&](std::size_t c) { return !options_.kept[c]; });
  for (std::size_t i = 0; i < options_.top_k && i < order.size(); ++i)
    if (probabilities[order[i]] >= options_.min_score) out.push_back({labels_[order[i]], probabilities[order[i]]});
  return out;
}

std::vector<std::string> Report::columns() const {
  if (options_.format == ReportFormat::raven) {
    std::vector<std::string> names{"Selection",     "View",           "Channel",         "Begin Time (s)",
                                   "End Time (s)",  "Low Freq (Hz)",  "High Freq (Hz)", "Label",
                                   "Score"};
    if (options_.events) names.push_back("Max Score");
    names.push_back("Begin Path");
    return names;
  }
  if (options_.events) {
    std::vector<std::string> names{"path", "label", "score", "max_score", "start_s", "end_s"};
    if (options_.format != ReportFormat::jsonl) names.insert(names.end(), {"error", "warning"});
    return names;
  }
  if (options_.format == ReportFormat::jsonl)
    return {"path", "label", "score", "start_s", "end_s", "top[" + std::to_string(options_.top_k) + "]"};
  std::vector<std::string> names{"path", "label", "score"};
  for (std::size_t k = 2; k <= options_.top_k; ++k) {
    names.push_back("label_" + std::to_string(k));
    names.push_back("score_" + std::to_string(k));
  }
  names.insert(names.end(), {"start_s", "end_s", "error", "warning"});
  return names;
}

std::string Report::header() const {
  switch (options_.format) {
    case ReportFormat::csv:
    case ReportFormat::tsv:
      return delimited(columns());
    case ReportFormat::json:
      return "[\n";
    case ReportFormat::raven:
      return join_tabs(columns());
    default:
      return "";
  }
}

std::string Report::footer() const {
  if (options_.format != ReportFormat::json) return "";
  return options_.stream ? "]\n" : "\n]\n";
}

std::string Report::numbered(const std::string& rows, std::size_t& next) const {
  if (options_.format != ReportFormat::raven) return rows;
  std::string out;
  for (std::size_t from = 0; from < rows.size();) {
    const std::size_t end = std::min(rows.find('\n', from), rows.size() - 1) + 1;
    out.append(std::to_string(next++)).append("\t").append(rows, from, end - from);
    from = end;
  }
  return out;
}

std::string Report::selection(const std::string& path, double start_s, double end_s, const std::string& label,
                              const std::vector<float>& scores) const {
  if (options_.format == ReportFormat::audacity)
    return join_tabs({fixed(start_s, 6), fixed(end_s, 6), one_field(label)});
  std::vector<std::string> fields{"Spectrogram 1",  "1",
                                  fixed(start_s, 6), fixed(end_s, 6),
                                  fixed(options_.low_hz, 3), fixed(options_.high_hz, 3),
                                  one_field(label)};
  for (float score : scores) fields.push_back(fixed(score, 6));
  if (scores.empty()) fields.emplace_back();  // silent: the Score column stays empty
  fields.push_back(one_field(path));
  return join_tabs(fields);
}

std::string Report::row(const std::string& path, const std::vector<float>& probabilities, double start_s,
                        double end_s, bool silent) const {
  const std::vector<Scored> top = silent ? std::vector<Scored>{} : ranked(probabilities);
  switch (options_.format) {
    case ReportFormat::text: {
      std::string line = path;
      // Appends rather than "x" + string: GCC 12 warns falsely (-Wrestrict) on the latter.
      if (options_.segments) line.append("\t").append(fixed(start_s, 3)).append("-").append(fixed(end_s, 3));
      for (std::size_t i = 0; i < top.size(); ++i)
        line.append(i ? ", " : "\t").append(top[i].label).append(" ").append(fixed(top[i].score, 3));
      if (silent) line.append("\t").append(kSilent);
      else if (top.empty()) line.append("\t(no class scores ").append(fixed(options_.min_score, 3)).append(" or more)");
      return line + "\n";
    }
    case ReportFormat::csv:
    case ReportFormat::tsv: {
      std::vector<std::string> fields{path};
      for (std::size_t i = 0; i < options_.top_k; ++i) {
        fields.push_back(i < top.size() ? top[i].label : i == 0 && silent ? kSilent : "");
        fields.push_back(i < top.size() ? fixed(top[i].score, 6) : "");
      }
      fields.insert(fields.end(), {fixed(start_s, 3), fixed(end_s, 3), "", ""});
      return delimited(fields);
    }
    case ReportFormat::jsonl:
    case ReportFormat::json: {
      nlohmann::ordered_json j;
      j["path"] = path;
      j["label"] = silent ? nlohmann::ordered_json(kSilent)
                   : top.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(top[0].label);
      j["score"] = top.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(top[0].score);
      j["start_s"] = start_s;
      j["end_s"] = end_s;
      auto& list = j["top"] = nlohmann::ordered_json::array();  // for every -k: one shape
      for (const Scored& s : top) list.push_back({{"label", s.label}, {"score", s.score}});
      return json_row(j);
    }
    case ReportFormat::audacity:
    case ReportFormat::raven: {
      if (silent) return selection(path, start_s, end_s, kSilent, {});
      std::string lines;
      for (const Scored& s : top) lines += selection(path, start_s, end_s, s.label, {s.score});
      return lines;
    }
  }
  return "";
}

std::string Report::event_rows(const std::string& path, const Event& e) const {
  const std::string& label = labels_[e.label];
  switch (options_.format) {
    case ReportFormat::text:
      return path + "\t" + fixed(e.start_s, 3) + "-" + fixed(e.end_s, 3) + "\t" + label + " mean " +
             fixed(e.mean_score, 3) + " max " + fixed(e.max_score, 3) + "\n";
    case ReportFormat::csv:
    case ReportFormat::tsv:
      return delimited({path, label, fixed(e.mean_score, 6), fixed(e.max_score, 6), fixed(e.start_s, 3),
                        fixed(e.end_s, 3), "", ""});
    case ReportFormat::jsonl:
    case ReportFormat::json: {
      nlohmann::ordered_json j;
      j["path"] = path;
      j["label"] = label;
      j["score"] = e.mean_score;
      j["max_score"] = e.max_score;
      j["start_s"] = e.start_s;
      j["end_s"] = e.end_s;
      return json_row(j);
    }
    case ReportFormat::audacity:
    case ReportFormat::raven:
      return selection(path, e.start_s, e.end_s, label, {e.mean_score, e.max_score});
  }
  return "";
}

std::string Report::window_rows(const std::string& path, const WindowResult& w) const {
  if (w.silent)  // a label track or selection table holds detections: silence is not one
    return options_.format == ReportFormat::audacity || options_.format == ReportFormat::raven
               ? ""
               : row(path, {}, w.start_s, w.end_s, true);
  const std::optional<std::size_t> best = best_class(w.probabilities, options_.kept);
  if (!best || w.probabilities[*best] < options_.min_score) return "";
  return row(path, w.probabilities, w.start_s, w.end_s);
}

std::string Report::json_row(const nlohmann::ordered_json& j) const {
  const std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (options_.format == ReportFormat::jsonl || options_.stream) return text + "\n";
  return std::string(2, ' ').append(text);
}

std::string Report::delimited(const std::vector<std::string>& fields) const {
  const bool csv = options_.format == ReportFormat::csv;
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i)
    line.append(i ? (csv ? "," : "\t") : "").append(csv ? csv_field(fields[i]) : tsv_field(fields[i]));
  return line + "\n";
}

std::string Report::separator() const {
  if (options_.format != ReportFormat::json) return "";
  return options_.stream ? "," : ",\n";
}

std::string Report::rows(const std::string& path, const FileResult& result, const std::string& warning) const {
  std::string out;
  const auto append = [&](const std::string& rows) {
    if (!rows.empty()) out.append(out.empty() ? "" : separator()).append(noted(rows, warning));
  };
  if (options_.events) {
    for (const Event& e : detect_events(result.windows, options_.min_score, options_.kept, none_class(labels_)))
      append(event_rows(path, e));
  } else if (options_.segments) {
    for (const WindowResult& w : result.windows) append(window_rows(path, w));
  } else {
    append(row(path, result.probabilities, 0.0, result.duration_s, result.silent()));
  }
  return out;
}

std::string Report::noted(std::string row, const std::string& warning) const {
  if (warning.empty()) return row;
  switch (options_.format) {
    case ReportFormat::text:  // one line
      return row.insert(row.size() - 1, "\t(warning: " + warning + ")");
    case ReportFormat::csv:  // one line, its last field (the warning) empty
      return row.insert(row.size() - 1, csv_field(warning));
    case ReportFormat::tsv:
      return row.insert(row.size() - 1, tsv_field(warning));
    case ReportFormat::jsonl:  // one object: the warning is its last member
    case ReportFormat::json: {
      const nlohmann::json text = warning;
      return row.insert(row.rfind('}'), ",\"warning\":" + text.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    case ReportFormat::audacity:  // no place for it: stderr only
    case ReportFormat::raven:
      return row;
  }
  return row;
}

std::string Report::error_row(const std::string& path, const std::string& message) const {
  if (options_.events) {  // the columns of an event row, then the error
    if (options_.format == ReportFormat::csv || options_.format == ReportFormat::tsv)
      return delimited({path, "", "", "", "", "", message, ""});
    if (options_.format == ReportFormat::jsonl || options_.format == ReportFormat::json) {
      const nlohmann::ordered_json j{{"path", path},         {"label", nullptr},   {"score", nullptr},
                                     {"max_score", nullptr}, {"start_s", nullptr}, {"end_s", nullptr},
                                     {"error", message}};
      return json_row(j);
    }
  }
  switch (options_.format) {
    case ReportFormat::text:
      return path + "\terror: " + message + "\n";
    case ReportFormat::csv:
    case ReportFormat::tsv: {
      std::vector<std::string> fields(2 * options_.top_k + 5);  // ..., error, warning
      fields.front() = path;
      fields.end()[-2] = message;
      return delimited(fields);
    }
    case ReportFormat::jsonl:
    case ReportFormat::json: {
      // The same members as a result, then the error.
      nlohmann::ordered_json j{{"path", path},     {"label", nullptr},
                               {"score", nullptr}, {"start_s", nullptr},
                               {"end_s", nullptr}, {"top", nlohmann::ordered_json::array()},
                               {"error", message}};
      return json_row(j);
    }
    case ReportFormat::audacity:  // no place for errors: they go to stderr only
    case ReportFormat::raven:
      return "";
  }
  return "";
}

std::set<std::string> Report::paths_in(const std::string& text, const std::string& file) const {
  if (options_.format != ReportFormat::csv && options_.format != ReportFormat::tsv &&
      options_.format != ReportFormat::jsonl)
    throw InvalidInput("--resume: needs csv, tsv or jsonl output");
  const auto refuse = [&](const std::string& whose, const std::vector<std::string>& found) {
    throw InvalidInput(file + ": --resume: " + whose + " columns (" + comma_list(found) + ") differ from this run's (" +
                       comma_list(columns()) + ")");
  };
  std::set<std::string> paths;
  std::istringstream in(text);
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (options_.format == ReportFormat::csv || options_.format == ReportFormat::tsv) {
      const bool csv = options_.format == ReportFormat::csv;
      if (number == 1 && line + "\n" != header()) refuse("the file's", split_header(line, csv ? ',' : '\t'));
      if (number > 1 && !line.empty()) paths.insert(csv ? split_csv_line(line)[0] : first_tsv_field(line));
      continue;
    }
    if (line.empty()) continue;
    const auto row = nlohmann::ordered_json::parse(line, nullptr, false);
    if (!row.is_object() || !row.contains("path") || !row["path"].is_string())
      throw InvalidInput(file + ": --resume: line " + std::to_string(number) +
                         " is not a JSON object with a \"path\" (was the file written in another format?)");
    paths.insert(row["path"].get<std::string>());
    if (row.contains("error") || row["label"] == kSilent) continue;  // says nothing about -k
    std::vector<std::string> wanted = columns();
    std::vector<std::string> found = json_columns(row);
    std::erase(found, "warning");  // a note on one file (a truncated one), not a column
    // With --min-score a row holds the classes that scored enough, up to k.
    const auto& top = row.contains("top") ? row["top"] : row;
    if (options_.min_score > 0 && top.is_array() && top.size() <= options_.top_k)
      wanted.back() = "top[" + std::to_string(top.size()) + "]";
    if (found != wanted) refuse("line " + std::to_string(number) + "'s", found);
  }
  return paths;
}

}  // namespace cqtcnn::cli
