// Parsing and printing of the model file's `frontend` object (docs/model-format.md).
#include "cqtcnn/error.hpp"
#include "frontend/frontend_json.hpp"
#include "io/json_file.hpp"
#include "io/json_object.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

namespace cqtcnn {
namespace {

using nlohmann::json;

// The front end's objects: io::JsonObject's checked members, where null means the default (as
// absent does), read by the parameter declarations of params.hpp.
class ObjectReader : public io::JsonObject {
 public:
  ObjectReader(const json& object, std::string where, std::string path)
      : JsonObject(object, std::move(where), std::move(path)) {
    if (!object.is_object()) fail("", "expected an object");
  }

  // The member, or nullptr when it is absent or null (meaning: use the default).
  const json* find(const std::string& key) {
    const json* v = member(key);
    return v && v->is_null() ? nullptr : v;
  }

  // A parameter's value, or `fallback` when it is absent or null (an error if it is required).
  template <typename T>
  T number(const NumberParam<T>& param, T fallback) {
    const json* v = find_param(param.name, param.required);
    if (!v) return fallback;
    if (std::is_integral_v<T> && !v->is_number_integer()) fail(param.name, "expected an integer");
    if (!v->is_number()) fail(param.name, "expected a number");
    const double x = v->get<double>();
    if (const std::string problem = param.check(x); !problem.empty()) fail(param.name, problem);
    return static_cast<T>(x);
  }

  std::string choice(const ChoiceParam& param, std::string_view fallback) {
    const json* v = find_param(param.name, param.required);
    if (!v) return std::string(fallback);
    if (!v->is_string()) fail(param.name, "expected a string");
    const auto s = v->get<std::string>();
    if (const std::string problem = param.check(s); !problem.empty()) fail(param.name, problem);
    return s;
  }

  // A word that selects how the rest is read (`values`, `db.ref`): an unknown one is named as such.
  std::string selector(const ChoiceParam& param) {
    const json* v = find(std::string(param.name));
    if (!v) return std::string(param.default_value);
    if (!v->is_string()) fail(param.name, "expected a string");
    auto s = v->get<std::string>();
    if (param.index(s) == param.choices.size())
      fail(param.name, "unknown value \"" + s + "\" (expected one of: " + param.range() + ")");
    return s;
  }

  // JsonObject::boolean, with null meaning the default as absence does.
  bool flag(const std::string& key, bool fallback) { return find(key) ? boolean(key) : fallback; }

  ObjectReader child(const std::string& key) {
    const json* v = find(key);
    static const json empty = json::object();
    return ObjectReader(v ? *v : empty, file(), member_pointer(key));
  }

  // Call after reading every member: refuses the ones nobody asked for.
  void finish() const { check_all_read("unknown member"); }

 private:
  const json* find_param(std::string_view name, bool required) {
    const json* v = find(std::string(name));
    if (required && !v) fail(name, "missing");
    return v;
  }
};

// Reading each kind of parameter into its member (params.hpp).
template <typename T>
void read(ObjectReader& r, const NumberParam<T>& param, T& value) {
  value = r.number(param, value);
}
void read(ObjectReader& r, const ChoiceParam& param, std::string& value) { value = r.choice(param, value); }
void read(ObjectReader& r, const ChoiceParam& param, PadMode& value) {
  value = PadMode(param.index(r.choice(param, param.choices[std::size_t(value)])));
}
void read(ObjectReader& r, const FlagParam& param, bool& value) { value = r.flag(std::string(param.name), value); }
void read(ObjectReader& r, const NormParam& param, double& value) {
  // As librosa: absent means the default (1), null means no normalisation (0 here), "inf" the max norm.
  const json* norm = r.member(std::string(param.name));
  if (!norm) return;
  if (norm->is_null())
    value = 0.0;
  else if (norm->is_string() && norm->get<std::string>() == "inf")
    value = std::numeric_limits<double>::infinity();
  else if (norm->is_number() && param.check(norm->get<double>()).empty())
    value = norm->get<double>();
  else
    r.fail(param.name, "expected a number >= 0, \"inf\" or null");
}

// ... and writing it.
template <typename T>
json json_value(const NumberParam<T>&, T v) {
  return v;
}
json json_value(const ChoiceParam&, const std::string& v) { return v; }
json json_value(const ChoiceParam& param, PadMode v) { return param.choices[std::size_t(v)]; }
json json_value(const FlagParam&, bool v) { return v; }
json json_value(const NormParam&, double v) { return std::isinf(v) ? json("inf") : json(v); }

// Calls f(object, declaration, value as JSON) for every parameter of `c`; object is "cqt", "db"
// or "pcen" (whichever `values` uses), "normalize" or "" for the front end's own members.
template <typename F>
void for_each_value(const FrontendConfig& c, F&& f) {
  for_each_frontend_param([&](const auto& param, auto member) { f("", param, json_value(param, c.*member)); });
  for_each_cqt_param([&](const auto& param, auto member) { f("cqt", param, json_value(param, c.cqt.*member)); });
  if (c.values == FrontendValues::db)
    for_each_db_param([&](const auto& param, auto member) { f("db", param, json_value(param, c.*member)); });
  else
    for_each_pcen_param([&](const auto& param, auto member) { f("pcen", param, json_value(param, c.pcen.*member)); });
  for_each_normalize_param(
      [&](const auto& param, auto member) { f("normalize", param, json_value(param, c.*member)); });
}

json values_json(FrontendValues values) {
  json out = {{std::string(params::frontend::values.name), params::frontend::values.choices[std::size_t(values)]}};
  if (values == FrontendValues::db) out["db"][std::string(params::db::ref.name)] = params::db::ref.default_value;
  return out;
}

}  // namespace

FrontendConfig frontend_from_json(const nlohmann::json& j, const std::string& where) {
  FrontendConfig c;
  ObjectReader r(j, where, "/frontend");
  for_each_frontend_param([&](const auto& param, auto member) {
    // window_hop_frames defaults to window_frames, which is read before it.
    if (param.name == params::frontend::window_hop_frames.name) c.window_hop_frames = c.window_frames;
    read(r, param, c.*member);
  });
  c.cqt.sr = c.sample_rate;
  ObjectReader cqt = r.child("cqt");
  for_each_cqt_param([&](const auto& param, auto member) { read(cqt, param, c.cqt.*member); });
  cqt.finish();
  c.values = FrontendValues(params::frontend::values.index(r.selector(params::frontend::values)));
  const std::string used = c.values == FrontendValues::db ? "db" : "pcen", other = c.values == FrontendValues::db ? "pcen" : "db";
  if (r.find(other)) r.fail(other, "only with \"values\": \"" + other + "\" (values is \"" + used + "\")");
  ObjectReader settings = r.child(used);
  if (c.values == FrontendValues::db) {
    settings.selector(params::db::ref);
    for_each_db_param([&](const auto& param, auto member) { read(settings, param, c.*member); });
  } else {
    for_each_pcen_param([&](const auto& param, auto member) { read(settings, param, c.pcen.*member); });
  }
  settings.finish();
  ObjectReader normalize = r.child("normalize");
  for_each_normalize_param([&](const auto& param, auto member) { read(normalize, param, c.*member); });
  normalize.finish();
  r.finish();
  try {
    c.cqt.validate();
  } catch (const InvalidInput& e) {
    throw InvalidInput(where + ": /frontend/cqt: " + e.what());
  }
  return c;
}

FrontendConfig FrontendConfig::from_file(const std::filesystem::path& path) {
  const json j = io::read_json_file(path, "front-end file");
  return frontend_from_json(j.contains("frontend") ? j["frontend"] : j, path.string());
}

nlohmann::json frontend_to_json(const FrontendConfig& config) {
  json out = values_json(config.values);
  for_each_value(config, [&](const std::string& object, const auto& param, json v) {
    (object.empty() ? out : out[object])[std::string(param.name)] = std::move(v);
  });
  return out;
}

nlohmann::json frontend_defaults_json() {
  FrontendConfig pcen;
  pcen.values = FrontendValues::pcen;
  json out = frontend_to_json(FrontendConfig{});
  out["pcen"] = frontend_to_json(pcen)["pcen"];
  return out;
}

std::string FrontendConfig::to_json_text() const { return frontend_to_json(*this).dump(); }

std::string FrontendConfig::describe() const {
  std::string out = std::string("  values = ") + (values == FrontendValues::db ? "db" : "pcen");
  out.resize(40, ' ');
  out += values == FrontendValues::db ? "dB of |C| relative to each window's maximum\n"
                                      : "PCEN of |C| over the whole recording (librosa.pcen)\n";
  for_each_value(*this, [&](const std::string& object, const auto& param, const json& v) {
    const std::string text = v.is_string() ? v.get<std::string>() : v.is_number_float() ? format_number(v.get<double>()) : v.dump();
    std::string line = "  " + (object.empty() ? "" : object + ".") + std::string(param.name) + " = " + text;
    line.resize(std::max<std::size_t>(line.size() + 2, 40), ' ');
    out += line + std::string(param.help) + "\n";
  });
  return out;
}

int FrontendConfig::frames_in(double seconds) const {
  return int(std::clamp(std::round(seconds / frame_seconds()), 1.0, double(std::numeric_limits<int>::max())));
}

float FrontendConfig::pad_value() const {
  const double silence = values == FrontendValues::db ? -top_db : double(Pcen::silence());
  return static_cast<float>((silence - norm_mean) / norm_std);
}

}  // namespace cqtcnn
