#include "cli/report.hpp"

#include "cqtcnn/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <sstream>

namespace cqtcnn::cli {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

namespace {

// The first field of a CSV line (quoted or not).
std::string first_csv_field(const std::string& line) {
  if (line.empty() || line[0] != '"') return line.substr(0, line.find(','));
  std::string out;
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '"') {
      if (i + 1 < line.size() && line[i + 1] == '"') {
        out += '"';
        ++i;
      } else {
        break;
      }
    } else {
      out += line[i];
    }
  }
  return out;
}

std::string fixed(double x, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

}  // namespace

ReportFormat parse_report_format(const std::string& name) {
  if (name == "text" || name == "txt") return ReportFormat::text;
  if (name == "csv") return ReportFormat::csv;
  if (name == "jsonl") return ReportFormat::jsonl;
  if (name == "json") return ReportFormat::json;
  throw InvalidInput("--format: unknown format \"" + name + "\" (text, csv, jsonl, json)");
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
  for (std::size_t i = 0; i < options_.top_k && i < order.size(); ++i)
    if (probabilities[order[i]] >= options_.min_score) out.push_back({labels_[order[i]], probabilities[order[i]]});
  return out;
}

std::string Report::header() const {
  switch (options_.format) {
    case ReportFormat::csv: {
      std::string h = "path,label,score";
      for (std::size_t k = 2; k <= options_.top_k; ++k)
        h += ",label_" + std::to_string(k) + ",score_" + std::to_string(k);
      return h + ",start_s,end_s,error\n";
    }
    case ReportFormat::json:
      return "[\n";
    default:
      return "";
  }
}

std::string Report::footer() const { return options_.format == ReportFormat::json ? "\n]\n" : ""; }

std::string Report::row(const std::string& path, const std::vector<float>& probabilities, double start_s,
                        double end_s) const {
  const std::vector<Scored> top = ranked(probabilities);
  switch (options_.format) {
    case ReportFormat::text: {
      std::string line = path;
      // Appends rather than "x" + string: GCC 12 warns falsely (-Wrestrict) on the latter.
      if (options_.segments) line.append("\t").append(fixed(start_s, 3)).append("-").append(fixed(end_s, 3));
      for (std::size_t i = 0; i < top.size(); ++i)
        line.append(i ? ", " : "\t").append(top[i].label).append(" ").append(fixed(top[i].score, 3));
      if (top.empty()) line.append("\t(no class scores ").append(fixed(options_.min_score, 3)).append(" or more)");
      return line + "\n";
    }
    case ReportFormat::csv: {
      std::string line = csv_field(path);
      for (std::size_t i = 0; i < options_.top_k; ++i)
        if (i < top.size())
          line.append(",").append(csv_field(top[i].label)).append(",").append(fixed(top[i].score, 6));
        else
          line.append(",,");
      return line + "," + fixed(start_s, 3) + "," + fixed(end_s, 3) + ",\n";
    }
    case ReportFormat::jsonl:
    case ReportFormat::json: {
      nlohmann::ordered_json j;
      j["path"] = path;
      j["label"] = top.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(top[0].label);
      j["score"] = top.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(top[0].score);
      j["start_s"] = start_s;
      j["end_s"] = end_s;
      if (options_.top_k > 1) {
        auto& list = j["top"] = nlohmann::ordered_json::array();
        for (const Scored& s : top) list.push_back({{"label", s.label}, {"score", s.score}});
      }
      return json_row(j);
    }
  }
  return "";
}

std::string Report::json_row(const nlohmann::ordered_json& j) const {
  const std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (options_.format == ReportFormat::jsonl) return text + "\n";
  return std::string(2, ' ').append(text);
}

std::string Report::separator() const { return options_.format == ReportFormat::json ? ",\n" : ""; }

std::string Report::rows(const std::string& path, const FileResult& result) const {
  if (!options_.segments) return row(path, result.probabilities, 0.0, result.duration_s);
  std::string out;
  for (const WindowResult& w : result.windows) {
    const auto best = *std::max_element(w.probabilities.begin(), w.probabilities.end());
    if (best < options_.min_score) continue;
    if (!out.empty()) out += separator();
    out += row(path, w.probabilities, w.start_s, w.end_s);
  }
  return out;
}

std::string Report::error_row(const std::string& path, const std::string& message) const {
  switch (options_.format) {
    case ReportFormat::text:
      return path + "\terror: " + message + "\n";
    case ReportFormat::csv: {
      std::string line = csv_field(path);
      for (std::size_t i = 0; i < options_.top_k; ++i) line += ",,";
      return line + ",,," + csv_field(message) + "\n";
    }
    case ReportFormat::jsonl:
    case ReportFormat::json: {
      nlohmann::ordered_json j{{"path", path}, {"label", nullptr}, {"score", nullptr}, {"error", message}};
      return json_row(j);
    }
  }
  return "";
}

std::set<std::string> Report::paths_in(const std::string& text) const {
  std::set<std::string> paths;
  std::istringstream in(text);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (options_.format == ReportFormat::csv) {
      if (!first) paths.insert(first_csv_field(line));
    } else if (options_.format == ReportFormat::jsonl) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.contains("path") && j["path"].is_string()) paths.insert(j["path"].get<std::string>());
    } else {
      throw InvalidInput("--resume: needs --format csv or jsonl");
    }
    first = false;
  }
  return paths;
}

}  // namespace cqtcnn::cli
