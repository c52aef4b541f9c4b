// io::JsonObject, the checked reader under model layers and front ends: typed members with ranges
// and fallbacks, errors that name the file and the member's JSON pointer, and members nobody asked
// for refused.
#include "io/json_object.hpp"

#include "cqtcnn/error.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace {

using cqtcnn::io::JsonObject;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const cqtcnn::InvalidInput& e) {
    return e.what();
  }
  return "(no error)";
}

const nlohmann::json kLayer = nlohmann::json::parse(R"({"n": 3, "x": 0.5, "on": true, "mode": "same", "odd": null})");

TEST(JsonObject, TypedMembersWithRangesAndFallbacks) {
  JsonObject o(kLayer, "m.json", "/layers/2");
  EXPECT_EQ(o.integer("n", 1, 8), 3);
  EXPECT_DOUBLE_EQ(o.number("x", 0, 1), 0.5);
  EXPECT_TRUE(o.boolean("on"));
  EXPECT_EQ(o.text("mode", {"valid", "same"}), "same");
  EXPECT_EQ(o.integer("absent", 1, 8, 5), 5);
  EXPECT_EQ(o.text("absent_text", {"a"}, "a"), "a");
  EXPECT_NE(o.member("odd"), nullptr);  // null is a value here; absent is not
  EXPECT_EQ(o.member("missing"), nullptr);
  o.check_all_read("unknown member");  // every member was asked for
}

TEST(JsonObject, ErrorsNameTheFileAndTheMembersPointer) {
  JsonObject o(kLayer, "m.json", "/layers/2");
  EXPECT_EQ(error_of([&] { o.integer("n", 4, 8); }), "m.json: /layers/2/n: expected an integer in [4, 8], got 3");
  EXPECT_EQ(error_of([&] { o.integer("x", 0, 8); }), "m.json: /layers/2/x: expected an integer in [0, 8], got 0.5");
  EXPECT_EQ(error_of([&] { o.number("gone", 0, 1); }), "m.json: /layers/2/gone: missing (a number)");
  EXPECT_EQ(error_of([&] { o.boolean("mode"); }), "m.json: /layers/2/mode: expected true or false, got \"same\"");
  EXPECT_EQ(error_of([&] { o.text("mode", {"valid"}); }),
            "m.json: /layers/2/mode: expected one of \"valid\", got \"same\"");
  EXPECT_EQ(error_of([&] { o.fail("", "the object itself"); }), "m.json: /layers/2: the object itself");
  const JsonObject root(kLayer, "m.json", "");
  EXPECT_EQ(error_of([&] { root.fail("", "whole document"); }), "m.json: /: whole document");
}

TEST(JsonObject, MembersNobodyAskedForAreRefused) {
  JsonObject o(kLayer, "f.json", "/frontend");
  o.integer("n", 1, 8);
  o.number("x", 0, 1);
  o.boolean("on");
  o.text("mode", {"same"});
  EXPECT_EQ(error_of([&] { o.check_all_read("unknown member"); }), "f.json: /frontend/odd: unknown member");
  o.member("odd");
  EXPECT_EQ(error_of([&] { o.check_all_read("unknown member"); }), "(no error)");
}

}  // namespace
