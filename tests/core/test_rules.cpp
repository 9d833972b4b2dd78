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
        "promo, new_arrival_days, price, margin, stock, all, any, not (and placements, segments, "
        "pages, search_terms)");
  CHECK(error(R"({"exclusions": [{"brand": "X", "item": "Y"}]})") ==
        "$.exclusions[0]: expected exactly one of item, label, brand, category, margin_tier, "
        "promo, new_arrival_days, price, margin, stock, all, any, not (and placements, segments, "
        "pages, search_terms)");
  CHECK(error(R"({"pins": [{"item": "a", "where": ["home"]}]})") ==
        "$.pins[0].where: unknown key (item, position, reason, placements, segments, pages, "
        "search_terms)");
  // The strategies' segments: every segment a scope names, the detected context's too.
  CHECK(error(R"({"segments": {"tiktok": {"slots": 3}}})") ==
        "$.segments.tiktok: unknown segment (direct, paid_search, organic_search, paid_social, "
        "organic_social, email, referral, new_visitor, returning_visitor, comparing, decisive, "
        "exploring, price_sensitive, gift, bundle_building, after_premium)");
  const Rules by_context =
      parsed(R"({"segments": {"gift": {"slots": 3}, "comparing": {"weights": {"trending": 0}}}})");
  CHECK(by_context.segments[segment_index("gift")].slots == 3);
  CHECK(by_context.segments[segment_index("comparing")].has_weight[size_t(Source::kGlobalTop)]);
  // A pin's shopper-facing reason, checked as a boost's is.
  CHECK(parsed(R"({"pins": [{"item": "a", "reason": "Staff pick"}]})").pins[0].reason ==
        "Staff pick");
  CHECK(parsed(R"({"pins": [{"item": "a"}]})").pins[0].reason.empty());
  CHECK(error(R"({"pins": [{"item": "a", "reason": ""}]})") ==
        "$.pins[0].reason: expected a non-empty string");
  CHECK(error(R"({"pins": [{"item": "a", "reason": 3}]})") ==
        "$.pins[0].reason: expected a non-empty string");
  CHECK(error(("{\"pins\": [{\"item\": \"a\", \"reason\": \"" + std::string(1025, 'x') + "\"}]}")
                  .c_str()) == "$.pins[0].reason: longer than the limit of 1024 bytes");
  // Bounded: at most max_scope_values pages or words per rule.
  std::string many = R"({"pins": [{"item": "a", "search_terms": [)";
  for (int i = 0; i < 51; ++i) many += std::string(i ? "," : "") + "\"w" + std::to_string(i) + "\"";
  many += "]}]}";
  CHECK(error(many.c_str()) == "$.pins[0].search_terms: 51 entries exceed the limit of 50");
}

TEST_CASE("rules: matches combine with all, any and not, and read price ranges") {
  const Rules r = parsed(R"({"boosts": [{"factor": 2, "match": {"all": [
      {"any": [{"brand": "Zenith"}, {"category": "Mats"}]},
      {"not": {"promo": true}},
      {"price": {"min": 20, "max": 49.99}},
      {"price": {"max": 3}}]}}]})");
  const ItemMatch& m = r.boosts[0].match;
  REQUIRE(m.kind == ItemMatch::Kind::kAll);
  REQUIRE(m.of.size() == 4);
  CHECK(m.of[0].kind == ItemMatch::Kind::kAny);
  CHECK(m.of[0].of[1].value == "Mats");
  CHECK(m.of[1].kind == ItemMatch::Kind::kNot);
  CHECK(m.of[1].of[0].kind == ItemMatch::Kind::kPromo);
  CHECK(m.of[2].min == 2000);  // hundredths
  CHECK(m.of[2].max == 4999);
  CHECK(m.of[3].min == ItemMatch::kOpen);
  CHECK(m.of[3].max == 300);
  CHECK(m.of[3].in_range(0));
  CHECK_FALSE(m.of[3].in_range(301));
  CHECK(error(R"({"exclusions": [{"inventory": {"max": 3}}]})")
            .rfind("$.exclusions[0].inventory: unknown match (", 0) == 0);
}

TEST_CASE("rules: margin (money) and stock (units) ranges, each reported with its JSON path") {
  Rules r;
  std::vector<BuildTimeMatch> found;
  REQUIRE(parse_rules_json(R"({"boosts": [{"factor": 2, "match": {"all": [
      {"margin": {"min": 15}}, {"not": {"stock": {"min": 1, "max": 5}}}]}}],
      "campaigns": [{"name": "c", "start": 0, "end": 1000, "exclusions": [{"stock": {"max": 0}}]}]})",
                           &r, {}, &found)
              .is_ok());
  const ItemMatch& m = r.boosts[0].match;
  CHECK(m.of[0].kind == ItemMatch::Kind::kMargin);
  CHECK(m.of[0].min == 1500);  // hundredths of the currency
  CHECK(m.of[1].of[0].kind == ItemMatch::Kind::kStock);
  CHECK(m.of[1].of[0].min == 1);  // units
  CHECK(m.of[1].of[0].max == 5);
  REQUIRE(found.size() == 3);
  CHECK(found[0].path == "$.boosts[0].match.all[0].margin");
  CHECK(found[1].path == "$.boosts[0].match.all[1].not.stock");
  CHECK(found[2].path == "$.campaigns[0].exclusions[0].stock");
  CHECK(build_time_label(found[0].match) == "~margin=15..");
  CHECK(build_time_label(found[1].match) == "~stock=1..5");
  CHECK(build_time_label(found[2].match) == "~stock=..0");
  CHECK(is_build_time_label("~stock=1..5"));
  CHECK_FALSE(is_build_time_label("stock=1"));
  // Wrong types, bounds and keys, each at its path.
  CHECK(error(R"({"exclusions": [{"margin": 15}]})") ==
        "$.exclusions[0].margin: expected an object");
  CHECK(error(R"({"exclusions": [{"margin": {"min": "15"}}]})") ==
        "$.exclusions[0].margin.min: expected a number from -1000000000 to 1000000000");
  CHECK(error(R"({"exclusions": [{"margin": {"min": -5e9}}]})") ==
        "$.exclusions[0].margin.min: expected a number from -1000000000 to 1000000000");
  CHECK(error(R"({"exclusions": [{"stock": {"min": -1}}]})") ==
        "$.exclusions[0].stock.min: expected a number from 0 to 1000000000");
  {  // a loss: a margin's bounds may be negative
    Rules r;
    std::vector<BuildTimeMatch> ranges;
    REQUIRE(
        parse_rules_json(R"({"exclusions": [{"margin": {"max": -5}}]})", &r, {}, &ranges).is_ok());
    REQUIRE(ranges.size() == 1);
    CHECK(ranges[0].match.max == -500);
    CHECK(build_time_label(ranges[0].match) == "~margin=..-5");
    CHECK(ranges[0].match.in_range(-600));
    CHECK_FALSE(ranges[0].match.in_range(-400));
  }
  CHECK(error(R"({"exclusions": [{"stock": {"min": 5, "max": 1}}]})") ==
        "$.exclusions[0].stock.max: must not be below min");
  CHECK(error(R"({"exclusions": [{"stock": {"max": 2.5}}]})") ==
        "$.exclusions[0].stock.max: expected a whole number");
  CHECK(error(R"({"exclusions": [{"stock": {}}]})") ==
        "$.exclusions[0].stock: expected min, max or both");
  CHECK(error(R"({"exclusions": [{"margin": {"percent": 30}}]})") ==
        "$.exclusions[0].margin.percent: unknown key (min, max)");
}

TEST_CASE(
    "rules: a margin or stock range only a build evaluated is refused by a snapshot without it") {
  const char* own = R"({"boosts": [{"factor": 2, "match": {"margin": {"min": 15}}}]})";
  Rules r;
  // The snapshot's own range, written again (another rule, nested): its build evaluated it.
  CHECK(parse_rules_for_snapshot(
            R"({"exclusions": [{"all": [{"brand": "A"}, {"margin": {"min": 15.0}}]}]})", own, &r)
            .is_ok());
  CHECK(r.exclusions.size() == 1);
  const std::string refused =
      parse_rules_for_snapshot(
          R"({"quotas": [{"min_share": 0.5, "match": {"margin": {"min": 20}}}]})", own, &r)
          .message();
  CHECK(refused.rfind("$.quotas[0].match.margin: matches by margin are evaluated at build time",
                      0) == 0);
  CHECK(refused.find("aisle build --rules") != std::string::npos);
  CHECK(parse_rules_for_snapshot(R"({"exclusions": [{"stock": {"max": 0}}]})", "", &r)
            .message()
            .rfind("$.exclusions[0].stock: matches by stock are evaluated at build time", 0) == 0);
  CHECK(parse_rules_for_snapshot(R"({"boosts": [{"factor": 2, "match": {"brand": "A"}}]})", "", &r)
            .is_ok());
}

TEST_CASE("rules: a combination or a range that cannot be read is refused, naming its JSON path") {
  CHECK(error(R"({"boosts": [{"factor": 2, "match": {"all": []}}]})") ==
        "$.boosts[0].match.all: expected a non-empty list of matches");
  CHECK(
      error(R"({"boosts": [{"factor": 2, "match": {"any": [{"brand": "A"}, {"colour": "red"}]}}]})")
          .rfind("$.boosts[0].match.any[1].colour: unknown match (", 0) == 0);
  CHECK(error(R"({"exclusions": [{"not": {"brand": "A", "item": "B"}}]})")
            .rfind("$.exclusions[0].not: expected exactly one of", 0) == 0);
  CHECK(error(R"({"quotas": [{"min_share": 0.5, "match": {"price": {"min": 50, "max": 20}}}]})") ==
        "$.quotas[0].match.price.max: must not be below min");
  CHECK(error(R"({"quotas": [{"min_share": 0.5, "match": {"price": {}}}]})") ==
        "$.quotas[0].match.price: expected min, max or both");
  CHECK(error(R"({"quotas": [{"min_share": 0.5, "match": {"price": {"avg": 3}}}]})") ==
        "$.quotas[0].match.price.avg: unknown key (min, max)");
  CHECK(error(R"({"quotas": [{"min_share": 0.5, "match": {"price": {"min": -1}}}]})") ==
        "$.quotas[0].match.price.min: expected a number from 0 to 1000000000");
  CHECK(error(R"({"exclusions": [{"price": 10}]})") == "$.exclusions[0].price: expected an object");
  // Nesting is bounded, and every nested match counts against the document's limits.
  CHECK(error(R"({"exclusions": [{"not": {"not": {"not": {"not": {"not": {"item": "A"}}}}}}]})") ==
        "$.exclusions[0].not.not.not.not.not: nested deeper than the limit of 4 (all, any, not)");
  RulesLimits limits;
  limits.max_matches = 3;
  Rules r;
  CHECK(
      parse_rules_json(
          R"({"exclusions": [{"any": [{"item": "A"}, {"item": "B"}, {"item": "C"}]}]})", &r, limits)
          .message() ==
      "$.exclusions[0].any[2]: more than 3 item matches in the rules (the limit)");
  limits = RulesLimits();
  limits.max_catalog_matches = 1;
  CHECK(parse_rules_json(R"({"exclusions": [{"any": [{"brand": "A"}, {"price": {"max": 5}}]}]})",
                         &r, limits)
            .message()
            .rfind("$.exclusions[0].any[1]: more than 1 matches by label", 0) == 0);
}

TEST_CASE("rules: campaigns hold pins, quotas and exclusions, and a priority") {
  const Rules r = parsed(R"({"campaigns": [{"name": "Spring", "start": "2026-03-01",
      "end": "2026-03-08", "priority": -3,
      "pins": [{"item": "A", "position": 2, "pages": ["Mats"]}],
      "quotas": [{"match": {"brand": "Zenith"}, "min_share": 0.25}],
      "exclusions": [{"item": "B"}, {"brand": "Acme", "segments": ["gift"]}]}]})");
  const CampaignRule& c = r.campaigns[0];
  CHECK(c.priority == -3);
  CHECK(c.pins.size() == 1);
  CHECK(c.pins[0].scope.pages.size() == 1);
  CHECK(c.quotas.size() == 1);
  CHECK(c.exclusions.size() == 2);
  CHECK(error(R"({"campaigns": [{"name": "x", "start": "2026-03-01", "end": "2026-03-08",
                                 "priority": 1.5}]})") ==
        "$.campaigns[0].priority: expected a whole number");
  CHECK(error(R"({"campaigns": [{"name": "x", "start": "2026-03-01", "end": "2026-03-08",
                                 "priority": 5000}]})") ==
        "$.campaigns[0].priority: expected a number from -1000 to 1000");
  CHECK(error(R"({"campaigns": [{"name": "x", "start": "2026-03-01", "end": "2026-03-08",
                                 "pins": [{"position": 1}]}]})") ==
        "$.campaigns[0].pins[0]: item is required");
  CHECK(error(R"({"campaigns": [{"name": "x", "start": "2026-03-01", "end": "2026-03-08",
                                 "slots": 3}]})") ==
        "$.campaigns[0].slots: unknown key (name, start, end, priority, boosts, quotas, pins, "
        "exclusions, demote_expensive_non_promo, favour_bundles)");
}

TEST_CASE("rules: complements by item or by category, each with the items sold with it") {
  const Rules r = parsed(R"({"complements": [{"item": "A", "with": ["B", "C"]},
                                             {"category": "Yoga Mats", "with": ["STRAP"]}]})");
  REQUIRE(r.complements.size() == 2);
  CHECK(r.complements[0].item == "A");
  CHECK(r.complements[0].with == std::vector<std::string>{"B", "C"});
  CHECK(r.complements[1].category == "Yoga Mats");
  CHECK(error(R"({"complements": [{"with": ["B"]}]})") ==
        "$.complements[0]: expected one of item, category");
  CHECK(error(R"({"complements": [{"item": "A", "category": "Mats", "with": ["B"]}]})") ==
        "$.complements[0]: expected one of item, category");
  CHECK(error(R"({"complements": [{"item": "A"}]})") == "$.complements[0]: with is required");
  CHECK(error(R"({"complements": [{"item": "A", "with": []}]})") ==
        "$.complements[0].with: expected a list of item ids");
  CHECK(error(R"({"complements": [{"item": "A", "with": ["B"], "kind": "upsell"}]})") ==
        "$.complements[0].kind: unknown key (item, category, with)");
  RulesLimits limits;
  limits.max_complements = 1;
  Rules two;
  CHECK(parse_rules_json(R"({"complements": [{"item": "A", "with": ["B"]},
                                             {"item": "B", "with": ["A"]}]})",
                         &two, limits)
            .message() == "$.complements: 2 entries exceed the limit of 1");
}

TEST_CASE("rules: `about` records who saved the file, when and why, and changes nothing") {
  const Rules plain = parsed(R"({"boosts": [{"match": {"promo": true}, "factor": 2}]})");
  const Rules r = parsed(R"({"about": {"author": "Ann", "saved_at": "2026-11-30T20:00:00Z",
    "why": "Winter sale"}, "boosts": [{"match": {"promo": true}, "factor": 2}]})");
  CHECK(r.boosts.size() == plain.boosts.size());
  CHECK(parsed(R"({"about": {}})").boosts.empty());
  CHECK(error(R"({"about": "Ann"})") == "$.about: expected an object");
  CHECK(error(R"({"about": {"author": 7}})") == "$.about.author: expected a non-empty string");
  CHECK(error(R"({"about": {"email": "a@b.c"}})") ==
        "$.about.email: unknown key (author, saved_at, why)");
  CHECK(error(R"({"experiments": [{"name": "x", "variants": [{"name": "a", "share": 1,
    "rules": {"about": {}}}]}]})")
            .rfind("$.experiments[0].variants[0].rules.about: unknown key", 0) == 0);
}
