// The parameter declarations (params.hpp) against everything they drive: the structs' defaults,
// the model-file reader and CqtParams::validate refusing exactly the same values, the JSON round
// trip and `inspect`'s summary. (The tables of docs/model-format.md and the schema are generated
// from them: the test docs.generated, tests/docs/generated.sh.)
#include "cqt/design.hpp"
#include "cqtcnn/error.hpp"
#include "cqtcnn/frontend.hpp"
#include "cqtcnn/params.hpp"
#include "cqtcnn/decibels.hpp"
#include "frontend/frontend_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

namespace cqtcnn {
namespace {

// ---- defaults ----

template <typename Struct>
void expect_defaults(const Struct& s, const auto& param, auto member) {
  const auto& value = s.*member;
  if constexpr (std::is_same_v<std::decay_t<decltype(value)>, PadMode>)
    EXPECT_EQ(param.choices[std::size_t(value)], param.default_value) << param.name;
  else
    EXPECT_EQ(value, param.default_value) << param.name;
}

TEST(Params, StructDefaultsAreTheDeclaredOnes) {
  const CqtParams p;
  for_each_cqt_param([&](const auto& param, auto member) { expect_defaults(p, param, member); });
  const FrontendConfig c;
  for_each_frontend_param([&](const auto& param, auto member) { expect_defaults(c, param, member); });
  for_each_db_param([&](const auto& param, auto member) { expect_defaults(c, param, member); });
  for_each_pcen_param([&](const auto& param, auto member) { expect_defaults(c.pcen, param, member); });
  for_each_normalize_param([&](const auto& param, auto member) { expect_defaults(c, param, member); });
  EXPECT_EQ(c.values, FrontendValues::db);
  EXPECT_EQ(c.window_hop_frames, c.window_frames);  // its declared default
  EXPECT_EQ(p.sr, c.sample_rate);
  const DbOptions db;
  EXPECT_EQ(db.amin, params::db::amin.default_value);
  EXPECT_EQ(db.top_db, params::db::top_db.default_value);
}

// The smallest front end the reader accepts, with one CQT member set to `value`.
nlohmann::json frontend_with(std::string_view name, const nlohmann::json& value) {
  nlohmann::json j = {{"sample_rate", 22050}, {"window_frames", 8},
                      {"cqt", {{"hop_length", 512}, {"fmin", 32.70319566257483}, {"n_bins", 84}, {"bins_per_octave", 12}}}};
  j["cqt"][std::string(name)] = value;
  return j;
}

TEST(Params, AbsentMembersTakeTheDeclaredDefaults) {
  const FrontendConfig c = frontend_from_json(frontend_with("n_bins", 84), "test");
  const FrontendConfig defaults;
  EXPECT_EQ(c.window_hop_frames, 8);  // window_frames
  EXPECT_EQ(c.amin, defaults.amin);
  EXPECT_EQ(c.top_db, defaults.top_db);
  EXPECT_EQ(c.norm_mean, defaults.norm_mean);
  EXPECT_EQ(c.norm_std, defaults.norm_std);
  const CqtParams librosa = CqtParams::librosa(22050);
  for_each_cqt_param([&](const auto& param, auto member) { EXPECT_EQ(c.cqt.*member, librosa.*member) << param.name; });
}

// ---- one range for the reader and for CqtParams::validate ----

// Whether the reader refuses `value` for the member (as out of its range, not for the layout)...
bool reader_refuses(std::string_view name, const nlohmann::json& value) {
  try {
    frontend_from_json(frontend_with(name, value), "m.json");
    return false;
  } catch (const InvalidInput& e) {
    return std::string(e.what()).starts_with("m.json: /frontend/cqt/" + std::string(name) + ": ");
  }
}

// ... and whether check_params does, naming the parameter.
template <typename T>
bool check_params_refuses(T CqtParams::*member, std::string_view name, T value) {
  CqtParams p;
  p.*member = value;
  try {
    cqt::check_params(p);
    return false;
  } catch (const InvalidInput& e) {
    return std::string(e.what()).starts_with("cqt: " + std::string(name) + " ");
  }
}

template <typename T>
void expect_same_verdict(const NumberParam<T>& param, T CqtParams::*member) {
  const auto step = [](T x, T towards) {
    if constexpr (std::is_integral_v<T>) return x + (towards > x ? 1 : -1);
    else return std::nextafter(x, towards);
  };
  const T low = std::numeric_limits<T>::lowest(), high = std::numeric_limits<T>::max();
  for (const T v : {param.min, param.max, step(param.min, low), step(param.max, high), param.default_value}) {
    const bool refused = check_params_refuses(member, param.name, v);
    EXPECT_EQ(reader_refuses(param.name, v), refused) << param.name << " = " << v;
    EXPECT_EQ(refused, !param.check(v).empty()) << param.name << " = " << v;
  }
}

TEST(Params, ReaderAndValidateRefuseTheSameValues) {
  for_each_cqt_param([&](const auto& param, auto member) {
    if constexpr (requires { param.min; }) expect_same_verdict(param, member);
  });
  EXPECT_TRUE(reader_refuses("window", "kaiser"));
  EXPECT_TRUE(check_params_refuses(&CqtParams::window, "window", std::string("kaiser")));
  EXPECT_TRUE(reader_refuses("norm", -1));
  EXPECT_TRUE(check_params_refuses(&CqtParams::norm, "norm", -1.0));
  // the examples: tuning and n_bins beyond the file's limits are refused by both
  EXPECT_TRUE(check_params_refuses(&CqtParams::tuning, "tuning", 0.75));
  EXPECT_TRUE(reader_refuses("tuning", 0.75));
  EXPECT_TRUE(check_params_refuses(&CqtParams::n_bins, "n_bins", (1 << 16) + 1));
  EXPECT_TRUE(reader_refuses("n_bins", (1 << 16) + 1));
}

// The pcen object: the reader and Pcen's constructor refuse the same values, naming the member;
// the flag (settled) takes true or false and nothing else.
TEST(Params, PcenReaderAndConstructorRefuseTheSameValues) {
  for_each_pcen_param([&](const auto& param, auto member) {
    if constexpr (std::is_same_v<std::decay_t<decltype(param)>, FlagParam>) {
      auto j = frontend_with("n_bins", 84);
      j["values"] = "pcen";
      j["pcen"] = {{std::string(param.name), 1}};
      EXPECT_THROW(frontend_from_json(j, "m.json"), InvalidInput) << param.name;
      j["pcen"] = {{std::string(param.name), true}};
      EXPECT_TRUE(frontend_from_json(j, "m.json").pcen.*member);
      return;
    } else {
    const double low = std::numeric_limits<double>::lowest(), high = std::numeric_limits<double>::max();
    for (const double v : {param.min, param.max, std::nextafter(param.min, low), std::nextafter(param.max, high)}) {
      auto j = frontend_with("n_bins", 84);
      j["values"] = "pcen";
      j["pcen"] = {{std::string(param.name), v}};
      bool reader = false, constructor = false;
      try {
        frontend_from_json(j, "m.json");
      } catch (const InvalidInput& e) {
        reader = std::string(e.what()).starts_with("m.json: /frontend/pcen/" + std::string(param.name) + ": ");
      }
      PcenOptions o;
      o.*member = v;
      try {
        Pcen(1, o, 10.0);
      } catch (const InvalidInput& e) {
        constructor = std::string(e.what()).starts_with("pcen: " + std::string(param.name) + " ");
      }
      EXPECT_EQ(reader, constructor) << param.name << " = " << v;
      EXPECT_EQ(reader, !param.check(v).empty()) << param.name << " = " << v;
    }
    }
  });
}

TEST(Params, EveryDeclaredWindowIsImplemented) {
  for (const auto window : params::cqt::kWindows) {
    CqtParams p;
    p.window = window;
    EXPECT_NO_THROW(Cqt{p}) << window;
  }
}

// ---- writing and inspect ----

TEST(Params, JsonRoundTripOfEveryValueKind) {
  auto j = frontend_with("norm", "inf");
  j["cqt"]["pad_mode"] = "reflect";
  j["cqt"]["window"] = "hamming";
  j["cqt"]["scale"] = false;
  j["db"] = {{"top_db", 40}};
  j["normalize"] = {{"subtract_bin_mean", true}};
  const FrontendConfig a = frontend_from_json(j, "test");
  EXPECT_TRUE(std::isinf(a.cqt.norm));
  EXPECT_EQ(a.cqt.pad_mode, PadMode::reflect);
  const nlohmann::json written = frontend_to_json(a);
  EXPECT_EQ(written["cqt"]["norm"], "inf");
  EXPECT_EQ(written["cqt"]["pad_mode"], "reflect");
  EXPECT_EQ(frontend_to_json(frontend_from_json(written, "test")), written);
}

TEST(Params, DescribeListsEveryParameterWithItsMeaning) {
  const FrontendConfig c = frontend_from_json(frontend_with("hop_length", 256), "test");
  const std::string text = c.describe();
  EXPECT_NE(text.find("  cqt.hop_length = 256"), std::string::npos) << text;
  EXPECT_NE(text.find("  cqt.window = hann"), std::string::npos) << text;
  EXPECT_NE(text.find("  window_hop_frames = 8"), std::string::npos) << text;
  EXPECT_NE(text.find("  normalize.std = 40"), std::string::npos) << text;
  std::size_t lines = 0;
  for (const char ch : text) lines += ch == '\n';
  EXPECT_EQ(lines, 1u + 4u + 12u + 2u + 3u);  // values, the front end's own, cqt, db, normalize
  EXPECT_NE(text.find("  silence_floor_dbfs = -60"), std::string::npos) << text;
  EXPECT_NE(text.find("  values = db"), std::string::npos) << text;
  EXPECT_NE(text.find(std::string(params::cqt::hop_length.help)), std::string::npos);
}

}  // namespace
}  // namespace cqtcnn
