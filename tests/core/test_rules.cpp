// The rules document as the parser reads it (docs/rules.md): what each key becomes, and the
// error, naming its JSON path, for each way to get it wrong. Runs natively and in wasm.
#include <doctest/doctest.h>

#include <string>

#include "reasons.h"
#include "rules.h"

using namespace aisle;

namespace {

std::string error(const char* json) {
  Rules r;
  return parse_rules_json(json, &r).message();
}

Rules parsed(const char* json) {
  Rules r;
  const Status st = parse_rules_json(json, &r);
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  return r;
}

}  // namespace

TEST_CASE(
    "rules: boosts, quotas, pins and exclusions are aimed by placement, segment, page, search") {
  const Rules r = parsed(R"({
    "boosts": [{"match": {"brand": "Zenith"}, "factor": 2, "segments": ["paid_search", "gift"],
                "pages": ["Yoga Mats"], "search_terms": ["Yoga", "MAT"]}],
    "quotas": [{"match": {"label": "series=core"}, "min_share": 0.25, "segments": ["returning_visitor"]}],
    "pins": [{"item": "SKU-1", "pages": ["Yoga Mats", "Mats"], "placements": ["product"]}],
    "exclusions": [{"brand": "Acme", "search_terms": ["gift"]}, {"item": "SKU-9"}]})");
  const RuleScope& b = r.boosts[0].scope;
  CHECK(b.segments == (1u << size_t(TrafficClass::kPaidSearch) | 1u << segment_index("gift")));
  CHECK(b.pages == std::vector<std::string>{"Yoga Mats"});
  CHECK(b.search_terms == std::vector<std::string>{"yoga", "mat"});  // matched in any case
  CHECK(r.quotas[0].scope.segments == 1u << kReturningVisitorSegment);
  CHECK(r.pins[0].scope.pages.size() == 2);
  CHECK(r.pins[0].scope.placements == 1u << uint32_t(Placement::kProduct));
  REQUIRE(r.exclusions.size() == 2);
  CHECK(r.exclusions[0].match.kind == ItemMatch::Kind::kBrand);
  CHECK(r.exclusions[0].match.value == "Acme");
  CHECK(r.exclusions[0].scope.search_terms == std::vector<std::string>{"gift"});
  CHECK(r.exclusions[1].scope.everywhere());
  // The segment names: the traffic classes, the visitor types, the detected context.
  CHECK(segment_index("price_sensitive") < kScopeSegmentCount);
  CHECK(segment_name(segment_index("after_premium")) == "after_premium");
  CHECK(segment_index("tiktok") == kScopeSegmentCount);
}

TEST_CASE("rules: a scope that cannot be read is refused, naming its JSON path") {
  CHECK(error(R"({"boosts": [{"match": {"item": "a"}, "factor": 2, "segments": ["tiktok"]}]})") ==
        "$.boosts[0].segments[0]: unknown segment (direct, paid_search, organic_search, "
        "paid_social, organic_social, email, referral, new_visitor, returning_visitor, "
        "comparing, decisive, exploring, price_sensitive, gift, bundle_building, after_premium)");
  CHECK(error(R"({"pins": [{"item": "a", "pages": []}]})") ==
        "$.pins[0].pages: expected a list of category names");
  CHECK(error(R"({"pins": [{"item": "a", "pages": "Mats"}]})") ==
        "$.pins[0].pages: expected a list of category names");
  CHECK(
      error(R"({"quotas": [{"match": {"item": "a"}, "min_share": 0.5, "search_terms": [""]}]})") ==
      "$.quotas[0].search_terms[0]: expected a non-empty string");
  CHECK(error(R"({"exclusions": [{"brand": "X", "pages": ["Mats"], "segments": 3}]})") ==
        "$.exclusions[0].segments: expected a list of segments");
  CHECK(error(R"({"exclusions": [{"pages": ["Mats"]}]})") ==
        "$.exclusions[0]: expected exactly one of item, label, brand, category, margin_tier, "
        "promo, new_arrival_days (and placements, segments, pages, search_terms)");
  CHECK(error(R"({"exclusions": [{"brand": "X", "item": "Y"}]})") ==
        "$.exclusions[0]: expected exactly one of item, label, brand, category, margin_tier, "
        "promo, new_arrival_days (and placements, segments, pages, search_terms)");
  CHECK(error(R"({"pins": [{"item": "a", "where": ["home"]}]})") ==
        "$.pins[0].where: unknown key (item, position, placements, segments, pages, search_terms)");
  // The strategies' segments stay the traffic classes and visitor types.
  CHECK(error(R"({"segments": {"gift": {"slots": 3}}})") ==
        "$.segments.gift: unknown segment (direct, paid_search, organic_search, paid_social, "
        "organic_social, email, referral, new_visitor, returning_visitor)");
  // Bounded: at most max_scope_values pages or words per rule.
  std::string many = R"({"pins": [{"item": "a", "search_terms": [)";
  for (int i = 0; i < 51; ++i) many += std::string(i ? "," : "") + "\"w" + std::to_string(i) + "\"";
  many += "]}]}";
  CHECK(error(many.c_str()) == "$.pins[0].search_terms: 51 entries exceed the limit of 50");
}
