#include <doctest/doctest.h>

#include <string>

#include "json_line.h"

using namespace aisle;

TEST_CASE("json line: objects, arrays, numbers and escapes") {
  JsonLine j;
  REQUIRE(j.parse(
      R"( {"a": [1, -2.5e2, {"b": null}], "s": "x\"y\u00e9\ud83d\ude00", "t": true, "n": 12345} )"));
  const auto root = JsonLine::root();
  CHECK(j.type(root) == JsonLine::Type::kObject);
  const auto a = j.find(root, "a");
  REQUIRE(a != JsonLine::kNoNode);
  CHECK(j.size(a) == 3);
  const auto first = j.first_child(a);
  CHECK(j.number(first) == 1);
  const auto second = j.next_sibling(first);
  CHECK(j.number(second) == -250);
  CHECK(j.text(second) == "-2.5e2");
  const auto third = j.next_sibling(second);
  CHECK(j.type(j.find(third, "b")) == JsonLine::Type::kNull);
  CHECK(j.next_sibling(third) == JsonLine::kNoNode);
  CHECK(j.text(j.find(root, "s")) == "x\"y\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(j.type(j.find(root, "t")) == JsonLine::Type::kTrue);
  CHECK(j.text(j.find(root, "n")) == "12345");
  CHECK(j.find(root, "missing") == JsonLine::kNoNode);
  CHECK(j.find(a, "a") == JsonLine::kNoNode);  // not an object
  REQUIRE(j.parse("[]"));
  CHECK(j.first_child(JsonLine::root()) == JsonLine::kNoNode);
}

TEST_CASE("json strings: quotes, backslashes and control characters escaped, the rest as is") {
  std::string out = "x";
  append_json_string(&out, "");
  CHECK(out == "x\"\"");
  out.clear();
  append_json_string(&out, std::string_view("a\"b\\c\n\x01\x1f\0d\xC3\xA9", 12));
  CHECK(out == "\"a\\\"b\\\\c\\u000a\\u0001\\u001f\\u0000d\xC3\xA9\"");
  out.clear();
  append_json_string(&out, "\"\"");  // escapes next to each other and at both ends
  CHECK(out == "\"\\\"\\\"\"");
  // What it writes reads back as the same text.
  const std::string text("tab\there \"quoted\" back\\slash \x7f\xF0\x9F\x98\x80 end");
  out.clear();
  append_json_string(&out, text);
  JsonLine j;
  REQUIRE(j.parse("[" + out + "]"));
  CHECK(j.text(j.first_child(JsonLine::root())) == text);
}

TEST_CASE("json line: errors say where") {
  JsonLine j;
  CHECK_FALSE(j.parse(R"({"a": 1,})"));
  CHECK(j.error().find("column") != std::string::npos);
  CHECK_FALSE(j.parse(R"({"a" 1})"));
  CHECK(j.error() == "column 6: expected ':'");
  CHECK_FALSE(j.parse("\"unterminated"));
  CHECK_FALSE(j.parse("01"));
  CHECK_FALSE(j.parse("{} x"));
  CHECK_FALSE(j.parse("\"tab\there\""));
  CHECK_FALSE(j.parse("\"\\x\""));
  CHECK_FALSE(j.parse(""));
  CHECK_FALSE(j.parse("nul"));
  CHECK_FALSE(j.parse(std::string(100, '[') + std::string(100, ']')));  // too deep
  CHECK(j.parse(std::string(60, '[') + std::string(60, ']')));
}
