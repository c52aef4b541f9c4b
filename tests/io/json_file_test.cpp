// parse_json cuts long base64 strings out of the text before nlohmann parses it and puts
// them back after (a load-time optimisation): the document must equal a plain nlohmann parse,
// whatever the strings, keys and escapes around them.
#include "io/json_file.hpp"

#include "cqtcnn/error.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace {

std::string random_base64(std::size_t n, std::mt19937& rng) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += k[rng() % 64];
  return s + "==";
}

TEST(ModelJson, LongBase64StringsGiveTheSameDocumentAsAPlainParse) {
  std::mt19937 rng(2);
  const std::string a = random_base64(3000, rng), b = random_base64(255, rng), c = random_base64(70000, rng);
  const std::vector<std::string> texts = {
      R"({"w": {"data_b64": ")" + a + R"(", "shape": [2]}, "x" :   ")" + c + R"("})",
      R"({"short": ")" + b + R"(", "key_)" + a + R"(": ")" + a + R"("})",  // a long key stays a key
      R"({"list": [")" + a + R"(", ")" + c + R"("], "v": ")" + a + R"("})",  // array items
      R"({"esc": "q\"\\\")" + a + R"(", "after": ")" + c + R"(", "u": "\u0041)" + a + R"("})",
      R"({"nul": "\u0000", "v": ")" + a + R"("})",  // the placeholder character itself
      R"({"notb64": ")" + a + R"(-", "v": ")" + c + R"("})",
  };
  for (const auto& text : texts) EXPECT_EQ(cqtcnn::io::parse_json(text, "m.json"), nlohmann::json::parse(text));
}

TEST(ModelJson, ErrorsAfterALongStringAreStillReported) {
  std::mt19937 rng(3);
  const std::string a = random_base64(1000, rng);
  EXPECT_THROW(cqtcnn::io::parse_json(R"({"v": ")" + a + R"(", })", "m.json"), cqtcnn::InvalidInput);
  EXPECT_THROW(cqtcnn::io::parse_json(R"({"v": ")" + a, "m.json"), cqtcnn::InvalidInput);
  EXPECT_THROW(cqtcnn::io::parse_json("{\"v\": \"" + a + "\x01\"}", "m.json"), cqtcnn::InvalidInput);
}

}  // namespace
