// Writes what the option declarations say into the model format's documents: the `frontend`
// member and the layers (`$defs/layer`) of docs/model.schema.json, and the generated sections of
// docs/model-format.md (between `<!-- generated: NAME -->` and `<!-- end generated -->`). The
// front end's parameters are declared in include/cqtcnn/params.hpp, each layer kind's options
// in its file in src/nn/layers/ (nn/model/layer_kind.hpp); the rest of both files is written by
// hand and kept as it is.
//   model_docs SOURCE_DIR [OUTPUT_DIR]
// reads SOURCE_DIR/docs/{model.schema.json,model-format.md} and writes both to OUTPUT_DIR
// (default: SOURCE_DIR/docs). `cmake --build BUILD --target update_model_docs` runs it on the
// source tree; the test docs.generated (tests/docs/generated.sh) fails when they differ.
#include "cqtcnn/frontend.hpp"
#include "cqtcnn/params.hpp"
#include "nn/model/layer_registry.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace {

using cqtcnn::ChoiceParam;
using cqtcnn::FlagParam;
using cqtcnn::NormParam;
using cqtcnn::NumberParam;
using cqtcnn::nn::LayerKind;
using cqtcnn::nn::PaddingParam;
using cqtcnn::nn::PairParam;
using json = nlohmann::ordered_json;  // the schema's members keep their order

template <typename P>
bool is_required(const P& param) {
  if constexpr (requires { param.required; }) return param.required;
  return false;
}

template <typename P>
bool defaults_to_another(const P& param) {
  if constexpr (requires { param.default_from; }) return !param.default_from.empty();
  return false;
}

// ---- docs/model-format.md ----

std::string code(std::string_view s) {
  std::string out = "`";  // appended: GCC 12 warns wrongly (-Wrestrict) on "`" + string
  out += s;
  return out += '`';
}

// A table cell: a `|` in the text would end it.
std::string cell(std::string_view text) {
  std::string out;
  for (const char c : text) (c == '|' ? out += "\\|" : out += c);
  return out;
}

// A front end's required member shows the library's default too; a layer's has none.
std::string default_cell(const auto& param, bool required_has_default) {
  std::string text = param.default_text();
  if constexpr (std::is_same_v<std::decay_t<decltype(param)>, ChoiceParam>) text = "\"" + text + "\"";
  if (defaults_to_another(param)) return "the value of " + code(text);
  if (is_required(param)) return required_has_default ? "required (" + code(text) + ")" : "required";
  return code(text);
}

// The front end's tables: one per JSON object.
template <typename Visit>
std::string frontend_table(const std::string& heading, Visit&& visit) {
  std::string out = "#### " + heading + "\n\n| member | `spectrogram` option | meaning | valid values | default |\n"
                    "|---|---|---|---|---|\n";
  visit([&](const auto& param, auto) {
    out += "| " + code(param.name) + " | " + (param.option.empty() ? "" : code(param.option)) + " | " +
           cell(param.help) + " | " + cell(param.range()) + " | " + default_cell(param, true) + " |\n";
  });
  return out;
}

std::string frontend_tables() {
  using namespace cqtcnn;
  const auto own = [](auto f) {
    f(params::frontend::values, nullptr);
    for_each_frontend_param(f);
  };
  const auto db = [](auto f) {
    f(params::db::ref, nullptr);
    for_each_db_param(f);
  };
  return frontend_table("`frontend`", own) + "\n" +
         frontend_table("`frontend.cqt`", [](auto f) { for_each_cqt_param(f); }) + "\n" +
         frontend_table("`frontend.db`", db) + "\n" +
         frontend_table("`frontend.pcen`", [](auto f) { for_each_pcen_param(f); }) + "\n" +
         frontend_table("`frontend.normalize`", [](auto f) { for_each_normalize_param(f); });
}

std::string option_names(const LayerKind& kind) {
  std::string out;
  for (const auto& option : kind.options)
    out += (out.empty() ? "" : ", ") + std::visit([](const auto& p) { return code(p.name); }, option);
  return out.empty() ? "—" : out;
}

std::string weight_list(const LayerKind& kind) {
  std::string out;
  for (const auto& w : kind.weights)
    out += (out.empty() ? "" : "; ") + (w.pattern ? std::string(w.shape) : code(w.name) + " " + std::string(w.shape));
  return out.empty() ? "—" : out;
}

// The layers: one line each, then a table of each one's options.
std::string layer_tables() {
  std::string out = "| type | what it computes | options | weights |\n|---|---|---|---|\n";
  for (const LayerKind* kind : cqtcnn::nn::layer_kinds())
    out += "| " + code(kind->type) + " | " + cell(kind->help) + " | " + option_names(*kind) + " | " +
           cell(weight_list(*kind)) + " |\n";
  for (const LayerKind* kind : cqtcnn::nn::layer_kinds()) {
    if (kind->options.empty()) continue;
    out += "\n#### " + code(kind->type) + "\n\n| option | meaning | valid values | default |\n|---|---|---|---|\n";
    for (const auto& option : kind->options)
      out += std::visit(
          [](const auto& p) {
            return "| " + code(p.name) + " | " + cell(p.help) + " | " + cell(p.range()) + " | " + default_cell(p, false) +
                   " |\n";
          },
          option);
  }
  return out;
}

// `doc` with each generated section replaced by what `section(name)` gives.
template <typename Section>
std::string replace_sections(const std::string& doc, Section&& section) {
  const std::string open = "<!-- generated: ", close = "<!-- end generated -->";
  std::string out;
  std::size_t at = 0;
  for (std::size_t begin; (begin = doc.find(open, at)) != std::string::npos;) {
    const std::size_t name_end = doc.find(" -->\n", begin);
    const std::size_t end = doc.find(close, begin);
    if (name_end == std::string::npos || end == std::string::npos || end < name_end)
      throw std::runtime_error("a generated section without its end marker " + close);
    const std::size_t body = name_end + 5;
    out += doc.substr(at, body - at) + "\n" + section(doc.substr(begin + open.size(), name_end - begin - open.size())) +
           "\n";
    at = end;
  }
  return out + doc.substr(at);
}

std::string model_format(const std::string& doc) {
  return replace_sections(doc, [](const std::string& name) {
    if (name == "front-end parameters") return frontend_tables();
    if (name == "layer options") return layer_tables();
    throw std::runtime_error("unknown generated section \"" + name + "\"");
  });
}

// ---- docs/model.schema.json ----

json integers(int min, int max) { return {{"type", "integer"}, {"minimum", min}, {"maximum", max}}; }

template <typename T>
json schema_of(const NumberParam<T>& p) {
  json s = {{"type", std::is_integral_v<T> ? "integer" : "number"}};
  s[p.min_open ? "exclusiveMinimum" : "minimum"] = p.min;
  s[p.max_open ? "exclusiveMaximum" : "maximum"] = p.max;
  return s;
}
json schema_of(const FlagParam&) { return {{"type", "boolean"}}; }
json schema_of(const ChoiceParam& p) { return {{"enum", json(std::vector<std::string>(p.choices.begin(), p.choices.end()))}}; }
json schema_of(const NormParam&) {
  return {{"oneOf", json::array({{{"type", "number"}, {"minimum", 0}}, {{"const", "inf"}}, {{"type", "null"}}})}};
}
json schema_of(const PairParam& p) {
  const json one = integers(p.min, p.max);
  return {{"oneOf", json::array({one, {{"type", "array"}, {"minItems", 2}, {"maxItems", 2}, {"items", one}}})}};
}
json schema_of(const PaddingParam& p) {
  const json side = integers(0, p.max);
  const auto sides = [&](int n) { return json{{"type", "array"}, {"minItems", n}, {"maxItems", n}, {"items", side}}; };
  return {{"oneOf", json::array({{{"enum", {"valid", "same"}}}, side, sides(2), sides(4)})}};
}

template <typename T>
json default_of(const NumberParam<T>& p) {
  return p.default_value;
}
json default_of(const FlagParam& p) { return p.default_value; }
json default_of(const ChoiceParam& p) { return p.default_value; }
json default_of(const NormParam& p) { return p.default_value; }
json default_of(const PairParam& p) { return p.default_value; }
json default_of(const PaddingParam&) { return 0; }

// The member's schema with its meaning and default. `nullable`: null means the default, as in the
// front end (whose norm has a null of its own: no normalisation).
json member_schema(const auto& param, bool nullable) {
  json s = schema_of(param);
  if (nullable && s.contains("type")) s["type"] = {s["type"], "null"};
  if (nullable && s.contains("enum")) s["enum"].push_back(nullptr);
  s["description"] = std::string(param.help);
  if (!is_required(param) && !defaults_to_another(param)) s["default"] = default_of(param);
  return s;
}

// An object of the front end: the parameters `visit` gives (besides `properties`), the required
// ones required, no others; null means the default, for a member as for an object that may be null.
template <typename Visit>
json object_schema(Visit&& visit, bool nullable, json properties = json::object()) {
  json required = json::array();
  visit([&](const auto& param, auto) {
    properties[std::string(param.name)] = member_schema(param, !is_required(param));
    if (is_required(param)) required.push_back(std::string(param.name));
  });
  json s = {{"type", nullable ? json{"object", "null"} : json("object")}, {"properties", properties}};
  if (!required.empty()) s["required"] = required;
  s["additionalProperties"] = false;
  return s;
}

json frontend_schema() {
  using namespace cqtcnn;
  json own = object_schema(
      [](auto f) {
        f(params::frontend::values, nullptr);
        for_each_frontend_param(f);
      },
      false);
  auto& members = own["properties"];
  members["cqt"] = object_schema([](auto f) { for_each_cqt_param(f); }, false);
  members["db"] = object_schema([](auto f) { for_each_db_param(f); }, true,
                                {{std::string(params::db::ref.name), member_schema(params::db::ref, true)}});
  members["pcen"] = object_schema([](auto f) { for_each_pcen_param(f); }, true);
  members["normalize"] = object_schema([](auto f) { for_each_normalize_param(f); }, true);
  for (const auto& [name, member] : members.items())  // an object with required members is required
    if (member.contains("properties") && member.contains("required")) own["required"].push_back(name);
  // The object `values` does not select must be absent (or null).
  const std::string values(params::frontend::values.name);
  own["if"] = {{"properties", {{values, {{"const", "pcen"}}}}}, {"required", {values}}};
  own["then"] = {{"properties", {{"db", {{"type", "null"}}}}}};
  own["else"] = {{"properties", {{"pcen", {{"type", "null"}}}}}};
  own["description"] = "a member that is absent or null takes its default";
  // {}: no front end, a network for `predict` alone.
  const json none = {{"type", "object"}, {"maxProperties", 0}};
  return {{"description", "The audio front end, read by the audio pipeline (docs/model-format.md); {} for none"},
          {"oneOf", {none, own}}};
}

json weights_schema(const LayerKind& kind) {
  json s = {{"type", "object"}};
  for (const auto& w : kind.weights) {
    json tensor = {{"$ref", "#/$defs/tensor"}, {"description", std::string(w.shape)}};
    s[w.pattern ? "patternProperties" : "properties"][std::string(w.name)] = tensor;
  }
  s["additionalProperties"] = false;
  return s;
}

json layer_schema(const LayerKind& kind) {
  json properties = {{"type", {{"const", std::string(kind.type)}}}};
  json required = {"type"};
  for (const auto& option : kind.options)
    std::visit(
        [&](const auto& p) {
          properties[std::string(p.name)] = member_schema(p, false);
          if (is_required(p)) required.push_back(std::string(p.name));
        },
        option);
  if (!kind.weights.empty()) {
    properties["weights"] = weights_schema(kind);
    required.push_back("weights");
  }
  return {{"type", "object"}, {"description", std::string(kind.help)}, {"properties", properties},
          {"required", required}, {"additionalProperties", false}};
}

std::string model_schema(const std::string& text) {
  json schema = json::parse(text);
  schema.at("properties")["frontend"] = frontend_schema();
  json layers = json::array();
  for (const LayerKind* kind : cqtcnn::nn::layer_kinds()) layers.push_back(layer_schema(*kind));
  schema.at("$defs")["layer"] = {{"oneOf", layers}};
  return schema.dump(2) + "\n";
}

// ---- files ----

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (!(out << text) || !out.flush()) throw std::runtime_error(path.string() + ": cannot write");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: model_docs SOURCE_DIR [OUTPUT_DIR]\n";
    return 2;
  }
  const std::filesystem::path docs = std::filesystem::path(argv[1]) / "docs";
  const std::filesystem::path out = argc == 3 ? std::filesystem::path(argv[2]) : docs;
  const std::filesystem::path schema = docs / "model.schema.json", format = docs / "model-format.md";
  try {
    write_file(out / schema.filename(), model_schema(read_file(schema)));
    try {
      write_file(out / format.filename(), model_format(read_file(format)));
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(format.string() + ": " + e.what());
    }
  } catch (const std::exception& e) {
    std::cerr << "model_docs: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
