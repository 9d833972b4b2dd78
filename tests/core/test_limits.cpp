// Hostile input on the verifier's and the parsers' side (issue 12): every value they
// accept is bounded, and a refusal names what and where.
#include <doctest/doctest.h>

#include <climits>
#include <string>

#include "json_line.h"
#include "profile.h"
#include "rules.h"
#include "snapshot.h"
#include "snapshot_fixture.h"

using namespace aisle;

namespace {

Result<Snapshot> open_bytes(const std::vector<uint8_t>& b, const VerifyOptions& o = {}) {
  return Snapshot::open(b.data(), b.size(), o);
}

std::vector<uint8_t> with_input(const Catalog& c, void (*edit)(SnapshotInput*)) {
  SnapshotInput in;
  in.catalog = &c;
  in.built_at_ms = 1793491200000;
  in.as_of_ms = 1793404800000;
  in.catalog_format = "test";
  edit(&in);
  auto r = write_snapshot(in);
  REQUIRE(r.is_ok());
  return r.value();
}

std::string repeat_list(const char* key, const std::string& entry, size_t n) {
  std::string s = std::string("{\"") + key + "\": [";
  for (size_t i = 0; i < n; ++i) s += (i ? "," : "") + entry;
  return s + "]}";
}

std::string rules_error(const std::string& json) {
  Rules r;
  return parse_rules_json(json, &r).message();
}

}  // namespace

TEST_CASE("verifier: string length is bounded, so output built from strings is bounded") {
  Catalog c = testing::small_catalog();
  c.items[0].title = std::string(9000, 'x');
  const auto bytes = testing::small_snapshot(c);
  auto r = open_bytes(bytes);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == StatusCode::kLimitExceeded);
  CHECK(r.status().message().find("9000 bytes, over the limit of 8192") != std::string::npos);
  VerifyOptions wide;
  wide.max_string_length = 10000;
  CHECK(open_bytes(bytes, wide).is_ok());
}

TEST_CASE("verifier: strings are UTF-8 text without terminal control characters") {
  for (const char* title : {"bad \xFF byte", "\x1B[2J\x1B[31mred",
                            "C1 \xC2\x9B"
                            "31m",
                            "overlong \xC0\xAF", "surrogate \xED\xA0\x80"}) {
    Catalog c = testing::small_catalog();
    c.items[1].title = title;
    auto r = open_bytes(testing::small_snapshot(c));
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().message().find("not UTF-8 text without control characters") !=
          std::string::npos);
  }
  Catalog ok = testing::small_catalog();
  ok.items[1].title = "Caf\xC3\xA9 \xF0\x9F\x98\x80 two\nlines\tand tab";
  CHECK(open_bytes(testing::small_snapshot(ok)).is_ok());
}

TEST_CASE("verifier: category depth is bounded") {
  Catalog c = testing::small_catalog();
  std::vector<std::string> levels;
  for (int i = 0; i < 40; ++i) levels.push_back("level" + std::to_string(i));
  c.items[0].category_path = levels;
  auto r = open_bytes(testing::small_snapshot(c));
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().message().find("deeper than the limit of 32 levels") != std::string::npos);
  levels.resize(32);
  c.items[0].category_path = levels;
  CHECK(open_bytes(testing::small_snapshot(c)).is_ok());
}

TEST_CASE("verifier: timestamps in meta are bounded (INT64_MIN made inspect overflow)") {
  const Catalog c = testing::small_catalog();
  for (auto edit : {+[](SnapshotInput* in) { in->as_of_ms = INT64_MIN; },
                    +[](SnapshotInput* in) { in->built_at_ms = INT64_MAX; },
                    +[](SnapshotInput* in) { in->as_of_ms = fmt::kMaxTimeMs + 1; }}) {
    auto r = open_bytes(with_input(c, edit));
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().message().find("meta: timestamp") != std::string::npos);
  }
  CHECK(
      open_bytes(with_input(c, [](SnapshotInput* in) { in->as_of_ms = fmt::kMaxTimeMs; })).is_ok());
}

TEST_CASE("verifier: the rules section must parse within the rules limits") {
  const Catalog c = testing::small_catalog();
  auto r = open_bytes(with_input(c, [](SnapshotInput* in) {
    in->rules_json =
        repeat_list("quotas", R"({"match": {"label": "series=core"}, "min_share": 0.1})", 2000);
  }));
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == StatusCode::kCorrupt);
  CHECK(r.status().message() == "snapshot: rules: $.quotas: 2000 entries exceed the limit of 50");
  auto big = open_bytes(with_input(c, [](SnapshotInput* in) {
    in->rules_json = "{\"description\": \"" + std::string(2 << 20, 'x') + "\"}";
  }));
  REQUIRE_FALSE(big.is_ok());
  CHECK(big.status().message().find("exceeds the limit of 1048576") != std::string::npos);
  CHECK(open_bytes(with_input(c, [](SnapshotInput* in) {
          in->rules_json = R"({"boosts": [{"match": {"brand": "Zenith"}, "factor": 2}]})";
        })).is_ok());
}

TEST_CASE("rules: counts and sizes are bounded, errors name the JSON path") {
  CHECK(rules_error(repeat_list("quotas", R"({"match": {"brand": "B"}, "min_share": 0.1})",
                                20000)) == "$.quotas: 20000 entries exceed the limit of 50");
  const std::string experiment = R"({"name": "e", "variants": [{"name": "a", "share": 1}]})";
  CHECK(rules_error(repeat_list("experiments", experiment, 10000)) ==
        "$.experiments: 10000 entries exceed the limit of 10");
  CHECK(rules_error(repeat_list("boosts", R"({"match": {"brand": "B"}, "factor": 2})", 501)) ==
        "$.boosts: 501 entries exceed the limit of 500");
  CHECK(rules_error(repeat_list("pins", R"({"item": "X"})", 101)) ==
        "$.pins: 101 entries exceed the limit of 100");
  // Within every list's limit, the item matches of the whole document are bounded too.
  std::string campaigns = "{\"campaigns\": [";
  for (int k = 0; k < 30; ++k) {
    campaigns += std::string(k ? "," : "") +
                 R"({"name": "c", "start": "2026-01-01", "end": "2026-02-01", "boosts": [)";
    for (int b = 0; b < 100; ++b)
      campaigns += std::string(b ? "," : "") + R"({"match": {"item": "I"}, "factor": 2})";
    campaigns += "]}";
  }
  campaigns += "]}";
  CHECK(rules_error(campaigns) ==
        "$.campaigns[20].boosts[0].match: more than 2000 item matches in the rules (the limit)");
  // Matches that compile to a pass over the catalog are bounded tighter: 500 boosts by
  // label took 8 s to compile over 100,000 items.
  CHECK(rules_error(
            repeat_list("boosts", R"({"match": {"label": "color=Red"}, "factor": 2})", 101)) ==
        "$.boosts[100].match: more than 100 matches by label, brand, category, margin_tier, promo, "
        "new_arrival_days, price, margin or stock in the rules (the limit; matches by item are "
        "not counted)");
  CHECK(rules_error(repeat_list("exclusions", R"({"item": "X"})", 1000)).empty());
  CHECK(rules_error(R"({"boosts": [{"name": ")" + std::string(2000, 'n') +
                    R"(", "match": {"brand": "B"}, "factor": 2}]})") ==
        "$.boosts[0].name: longer than the limit of 1024 bytes");
  const std::string huge = "{\"description\": \"" + std::string(2 << 20, 'x') + "\"}";
  CHECK(rules_error(huge) ==
        "$: " + std::to_string(huge.size()) + " bytes exceed the limit of 1048576");
}

TEST_CASE("json line: what JavaScript reads differently is refused") {
  JsonLine j;
  // 64 characters: was truncated to 63 and read as 0.5.
  const std::string long_number = "0." + std::string(61, '0') + "5";
  REQUIRE(long_number.size() == 64);
  CHECK_FALSE(j.parse("{\"min_share\": 5" + std::string(63, '0') + "}"));
  CHECK(j.error().find("number longer than 63 characters") != std::string::npos);
  CHECK_FALSE(j.parse("[" + long_number + "]"));
  CHECK(j.parse("[5" + std::string(62, '0') + "]"));  // 63 characters: read whole
  CHECK(j.number(j.first_child(JsonLine::root())) == doctest::Approx(5e62));
  CHECK_FALSE(j.parse(R"({"event": "view_item", "event": "purchase"})"));
  CHECK(j.error().find("duplicate key") != std::string::npos);
  CHECK_FALSE(j.parse(R"({"a": {"x": 1, "x": 2}})"));
  CHECK_FALSE(j.parse(R"({"e\u0076ent": 1, "event": 2})"));  // equal once unescaped
  std::string many = "{";
  for (int i = 0; i < 5000; ++i) many += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  CHECK(j.parse(many + "}"));
  CHECK_FALSE(j.parse(many + ",\"k4321\":2}"));
  CHECK(j.parse(R"({"a": 1, "b": {"a": 2}})"));  // the same key in different objects
}

TEST_CASE("profile: a time outside 1970 to 9999 is refused (1e308 overflowed)") {
  const Catalog c = testing::small_catalog();
  const auto bytes = testing::small_snapshot(c);
  auto snap = open_bytes(bytes);
  REQUIRE(snap.is_ok());
  Profile p;
  for (const char* t : {"1e308", "-1", "253402300800001", "9.3e18"}) {
    const std::string json =
        std::string(R"({"v":1,"visits":1,"views":[["MAT-RED",)") + t + "]],\"purchases\":[]}";
    CHECK_FALSE(p.from_json(json, snap.value()).is_ok());
  }
  CHECK(p.from_json(R"({"v":1,"visits":1,"views":[["MAT-RED",253402300800000]],"purchases":[]})",
                    snap.value())
            .is_ok());
}
