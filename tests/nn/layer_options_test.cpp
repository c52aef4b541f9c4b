// The layer kinds' option declarations (nn/model/layer_kind.hpp) against the reader they drive:
// for every option of every kind, LayerSpec takes the declared default for an absent option,
// refuses a required one that is absent, and accepts and refuses exactly the values that the
// declaration's own range check (NumberParam::check, ChoiceParam::check) does, at and just
// beyond each end; a factory reading an option its kind does not declare is a programming error.
#include "cqtcnn/error.hpp"
#include "nn/model/layer_registry.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace cqtcnn::nn {
namespace {

using nlohmann::json;

std::int64_t read_value(LayerSpec& s, const NumberParam<int>& o) { return s.integer(o); }
double read_value(LayerSpec& s, const NumberParam<double>& o) { return s.number(o); }
bool read_value(LayerSpec& s, const FlagParam& o) { return s.boolean(o); }
std::size_t read_value(LayerSpec& s, const ChoiceParam& o) { return s.choice(o); }
std::array<std::int64_t, 2> read_value(LayerSpec& s, const PairParam& o) { return s.pair(o); }
bool read_value(LayerSpec& s, const PaddingParam& o) { return s.padding(o) != nullptr; }

// Reads `option` from a layer object of `kind` whose only member besides "type" is `value`
// (absent if null): the value read, or nullopt if the reader refused it, naming the member.
template <typename P>
auto read(const LayerKind& kind, const P& option, const json& value) {
  json object = {{"type", std::string(kind.type)}};
  if (!value.is_null()) object[std::string(option.name)] = value;
  LayerSpec spec(object, "/layers/0", "m.json");
  spec.declare(kind.options);
  std::optional<decltype(read_value(spec, option))> out;
  try {
    out = read_value(spec, option);
  } catch (const InvalidInput& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with("m.json: /layers/0/" + std::string(option.name) + ": ")) << e.what();
  }
  return out;
}

template <typename T>
void expect_range_as_declared(const LayerKind& kind, const NumberParam<T>& option) {
  const auto beyond = [](T x, double towards) {
    if constexpr (std::is_integral_v<T>) return static_cast<double>(x) + (towards > x ? 1 : -1);
    else return std::nextafter(static_cast<double>(x), towards);
  };
  const double low = std::numeric_limits<double>::lowest(), high = std::numeric_limits<double>::max();
  for (const double v : {double(option.min), double(option.max), beyond(option.min, low), beyond(option.max, high)}) {
    const json value = std::is_integral_v<T> ? json(static_cast<std::int64_t>(v)) : json(v);
    EXPECT_EQ(read(kind, option, value).has_value(), option.check(v).empty()) << kind.type << " " << option.name << " = " << v;
  }
  if (std::is_integral_v<T>) {
    EXPECT_FALSE(read(kind, option, 1.5).has_value()) << option.name;
  }
  EXPECT_FALSE(read(kind, option, "1").has_value()) << option.name;
}

void expect_read_as_declared(const LayerKind& kind, const auto& option) {
  using P = std::decay_t<decltype(option)>;
  const auto absent = read(kind, option, nullptr);
  bool required = false;
  if constexpr (requires { option.required; }) required = option.required;
  EXPECT_EQ(absent.has_value(), !required) << kind.type << " " << option.name << " absent";
  if constexpr (std::is_same_v<P, NumberParam<int>> || std::is_same_v<P, NumberParam<double>>) {
    if (absent) {
      EXPECT_EQ(*absent, option.default_value) << option.name;
    }
    expect_range_as_declared(kind, option);
  } else if constexpr (std::is_same_v<P, FlagParam>) {
    EXPECT_EQ(*absent, option.default_value) << option.name;
    EXPECT_EQ(read(kind, option, !option.default_value), !option.default_value) << option.name;
    EXPECT_FALSE(read(kind, option, 1).has_value()) << option.name;
  } else if constexpr (std::is_same_v<P, ChoiceParam>) {
    for (std::size_t i = 0; i < option.choices.size(); ++i)
      EXPECT_EQ(read(kind, option, std::string(option.choices[i])), i) << option.name;
    EXPECT_FALSE(read(kind, option, "none of them").has_value()) << option.name;
    EXPECT_FALSE(option.check("none of them").empty());
  } else if constexpr (std::is_same_v<P, PairParam>) {
    if (absent && option.default_from.empty()) {
      EXPECT_EQ(*absent, (std::array<std::int64_t, 2>{option.default_value, option.default_value})) << option.name;
    }
    EXPECT_EQ(read(kind, option, json::array({option.min, option.max})), (std::array<std::int64_t, 2>{option.min, option.max}));
    EXPECT_FALSE(read(kind, option, option.max + 1).has_value()) << option.name;
    EXPECT_FALSE(read(kind, option, option.min - 1).has_value()) << option.name;
    EXPECT_FALSE(read(kind, option, json::array({option.min})).has_value()) << option.name;
  }
}

TEST(LayerOptions, ReaderFollowsEveryDeclaration) {
  std::size_t options = 0;
  for (const LayerKind* kind : layer_kinds())
    for (const LayerOption& option : kind->options) {
      std::visit([&](const auto& o) { expect_read_as_declared(*kind, o); }, option);
      ++options;
    }
  EXPECT_GE(options, 30u);  // conv2d alone declares 8
}

TEST(LayerOptions, KindsAreUniqueAndDeclareEachOptionOnce) {
  std::set<std::string_view> types;
  for (const LayerKind* kind : layer_kinds()) {
    EXPECT_TRUE(types.insert(kind->type).second) << kind->type;
    EXPECT_FALSE(kind->help.empty()) << kind->type;
    std::set<std::string_view> names;
    for (const LayerOption& option : kind->options)
      std::visit([&](const auto& o) {
        EXPECT_TRUE(names.insert(o.name).second) << kind->type << " " << o.name;
        EXPECT_FALSE(o.help.empty()) << kind->type << " " << o.name;
      }, option);
  }
  EXPECT_EQ(types.size(), layer_types().size());
}

TEST(LayerOptions, ReadingAnUndeclaredOptionIsAProgrammingError) {
  const LayerKind& relu = **std::find_if(layer_kinds().begin(), layer_kinds().end(),
                                         [](const LayerKind* k) { return k->type == "relu"; });
  const json object = {{"type", "relu"}};
  LayerSpec spec(object, "/layers/0", "m.json");
  spec.declare(relu.options);
  EXPECT_THROW(spec.integer(NumberParam<int>{.name = "size", .help = "h", .min = 0, .max = 1}), std::logic_error);
}

}  // namespace
}  // namespace cqtcnn::nn
