// Parsing and printing of the model file's `frontend` object (docs/model-format.md).
#include "cqtcnn/error.hpp"
#include "cqtcnn/frontend.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <set>
#include <string>

namespace cqtcnn {
namespace {

using nlohmann::json;

// Reads the members of one JSON object, naming the member's JSON path in every error and
// refusing members it was never asked about (a misspelt key must not be silently ignored).
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string where, std::string path)
      : object_(object), where_(std::move(where)), path_(std::move(path)) {
    if (!object_.is_object()) fail(path_, "expected an object");
  }

  [[noreturn]] void fail(const std::string& path, const std::string& problem) const {
    throw InvalidInput(where_ + ": " + path + ": " + problem);
  }

  // The member, or nullptr when it is absent or null (meaning: use the default).
  const json* find(const std::string& key) {
    const json* v = find_raw(key);
    return v && v->is_null() ? nullptr : v;
  }

  const json* find_raw(const std::string& key) {
    known_.insert(key);
    const auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }

  double number(const std::string& key, double fallback, double min, double max) {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_number()) fail(path_ + "/" + key, "expected a number");
    const double x = v->get<double>();
    if (!std::isfinite(x) || x < min || x > max)
      fail(path_ + "/" + key, "must be in [" + fmt(min) + ", " + fmt(max) + "], got " + fmt(x));
    return x;
  }

  double required_number(const std::string& key, double min, double max) {
    if (!object_.contains(key)) fail(path_ + "/" + key, "missing");
    return number(key, 0.0, min, max);
  }

  int integer(const std::string& key, int fallback, int min, int max) {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_number_integer()) fail(path_ + "/" + key, "expected an integer");
    const auto x = v->get<long long>();
    if (x < min || x > max)
      fail(path_ + "/" + key, "must be in [" + std::to_string(min) + ", " + std::to_string(max) +
                                  "], got " + std::to_string(x));
    return static_cast<int>(x);
  }

  int required_integer(const std::string& key, int min, int max) {
    if (!object_.contains(key)) fail(path_ + "/" + key, "missing");
    return integer(key, 0, min, max);
  }

  std::string string(const std::string& key, const std::string& fallback, const std::set<std::string>& allowed) {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_string()) fail(path_ + "/" + key, "expected a string");
    auto s = v->get<std::string>();
    if (!allowed.empty() && !allowed.count(s)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail(path_ + "/" + key, "unknown value \"" + s + "\" (expected one of: " + list + ")");
    }
    return s;
  }

  bool boolean(const std::string& key, bool fallback) {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_boolean()) fail(path_ + "/" + key, "expected true or false");
    return v->get<bool>();
  }

  ObjectReader child(const std::string& key) {
    const json* v = find(key);
    static const json empty = json::object();
    return ObjectReader(v ? *v : empty, where_, path_ + "/" + key);
  }

  // Call after reading every member: refuses the ones nobody asked for.
  void finish() const {
    for (const auto& [key, value] : object_.items())
      if (!known_.count(key)) fail(path_ + "/" + key, "unknown member");
  }

  const std::string& path() const { return path_; }

 private:
  static std::string fmt(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", x);
    return buf;
  }
  const json& object_;
  std::string where_;
  std::string path_;
  std::set<std::string> known_;
};

constexpr double kHuge = 1e9;

CqtParams read_cqt(ObjectReader& r, double sample_rate) {
  CqtParams p = CqtParams::librosa(sample_rate);
  p.hop_length = r.required_integer("hop_length", 1, 1 << 20);
  p.fmin = r.required_number("fmin", 1e-3, kHuge);
  p.n_bins = r.required_integer("n_bins", 1, 4096);
  p.bins_per_octave = r.required_integer("bins_per_octave", 1, 1024);
  p.filter_scale = r.number("filter_scale", p.filter_scale, 1e-3, 1e3);
  p.gamma = r.number("gamma", p.gamma, -1.0, kHuge);
  p.window = r.string("window", p.window, {});
  // As librosa: absent means 1, null means no normalisation (0 here), "inf" the max norm.
  if (const json* norm = r.find_raw("norm")) {
    if (norm->is_null())
      p.norm = 0.0;
    else if (norm->is_string() && norm->get<std::string>() == "inf")
      p.norm = std::numeric_limits<double>::infinity();
    else if (norm->is_number() && norm->get<double>() >= 0)
      p.norm = norm->get<double>();
    else
      r.fail(r.path() + "/norm", "expected a number >= 0, \"inf\" or null");
  }
  p.sparsity = r.number("sparsity", p.sparsity, 0.0, 0.999);
  p.scale = r.boolean("scale", p.scale);
  p.pad_mode = r.string("pad_mode", "constant", {"constant", "reflect"}) == "reflect" ? PadMode::reflect
                                                                                     : PadMode::constant;
  p.tuning = r.number("tuning", p.tuning, -0.5, 0.5);
  r.finish();
  return p;
}

}  // namespace

FrontendConfig FrontendConfig::from_json(const nlohmann::json& j, const std::string& where) {
  ObjectReader r(j, where, "/frontend");
  FrontendConfig c;
  c.sample_rate = r.required_number("sample_rate", 1.0, 1e6);
  ObjectReader cqt = r.child("cqt");
  c.cqt = read_cqt(cqt, c.sample_rate);
  r.string("values", "db", {"db"});
  ObjectReader db = r.child("db");
  db.string("ref", "window_max", {"window_max"});
  c.amin = db.number("amin", c.amin, 1e-20, 1.0);
  c.top_db = db.number("top_db", c.top_db, 1.0, 400.0);
  db.finish();
  ObjectReader norm = r.child("normalize");
  c.norm_mean = norm.number("mean", c.norm_mean, -1e6, 1e6);
  c.norm_std = norm.number("std", c.norm_std, 1e-9, 1e6);
  c.subtract_bin_mean = norm.boolean("subtract_bin_mean", c.subtract_bin_mean);
  norm.finish();
  c.window_frames = r.required_integer("window_frames", 1, 1 << 20);
  c.window_hop_frames = r.integer("window_hop_frames", c.window_frames, 1, 1 << 20);
  r.finish();
  try {
    c.cqt.validate();
  } catch (const InvalidInput& e) {
    throw InvalidInput(where + ": /frontend/cqt: " + e.what());
  }
  return c;
}

nlohmann::json FrontendConfig::to_json() const {
  json cqt_json = {
      {"hop_length", cqt.hop_length},     {"fmin", cqt.fmin},
      {"n_bins", cqt.n_bins},             {"bins_per_octave", cqt.bins_per_octave},
      {"filter_scale", cqt.filter_scale}, {"gamma", cqt.gamma},
      {"window", cqt.window},             {"sparsity", cqt.sparsity},
      {"scale", cqt.scale},               {"pad_mode", cqt.pad_mode == PadMode::reflect ? "reflect" : "constant"},
      {"tuning", cqt.tuning}};
  if (std::isinf(cqt.norm))
    cqt_json["norm"] = "inf";
  else
    cqt_json["norm"] = cqt.norm;
  return {{"sample_rate", sample_rate},
          {"cqt", cqt_json},
          {"values", "db"},
          {"db", {{"ref", "window_max"}, {"amin", amin}, {"top_db", top_db}}},
          {"normalize", {{"mean", norm_mean}, {"std", norm_std}, {"subtract_bin_mean", subtract_bin_mean}}},
          {"window_frames", window_frames},
          {"window_hop_frames", window_hop_frames}};
}

float FrontendConfig::pad_value() const { return static_cast<float>((-top_db - norm_mean) / norm_std); }

}  // namespace cqtcnn
