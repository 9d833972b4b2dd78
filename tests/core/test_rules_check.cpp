// A merchandiser's week-one mistakes, each found with its rule's JSON path and what it
// matched: check_rules on the four-item test catalog (snapshot_fixture.h). Runs natively
// and in wasm.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rules_check.h"
#include "snapshot_fixture.h"

using namespace aisle;
using Severity = RuleFinding::Severity;

namespace {

// MAT-RED (Zenith, margin high, labels color=Red and series=core, Home Fitness > Yoga >
// Mats), MAT-BLUE (its out-of-stock sibling), ROLLER (Home Fitness > Recovery), BEANS (not
// recommendable).
struct Checked {
  std::vector<uint8_t> bytes;
  Snapshot snap;
  std::vector<RuleFinding> findings;

  explicit Checked(const char* json, Catalog catalog = testing::small_catalog()) {
    bytes = testing::small_snapshot(catalog);
    REQUIRE(!bytes.empty());
    snap = Snapshot::open(bytes.data(), bytes.size()).value();
    Rules rules;
    const Status st = parse_rules_json(json, &rules);
    REQUIRE_MESSAGE(st.is_ok(), st.message());
    findings = check_rules(snap, rules);
  }
  // "error $.pins[0].item: pins 'X', ..." per finding.
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const RuleFinding& f : findings) {
      out.push_back(std::string(f.severity == Severity::kError ? "error " : "warning ") + f.path +
                    ": " + f.message);
    }
    return out;
  }
};

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("check_rules: a pin to a SKU the catalog lacks is an error") {
  CHECK(Checked(R"({"pins": [{"item": "MAT-RED", "position": 1},
                             {"item": "MAT-GREEN", "position": 2}]})")
            .lines() ==
        Lines{"error $.pins[1].item: pins 'MAT-GREEN', which is not in the catalog (matches 0 "
              "items)"});
}

TEST_CASE("check_rules: a pinned item out of stock is a warning, also excluded an error") {
  CHECK(Checked(R"({"pins": [{"item": "MAT-BLUE", "position": 1}]})").lines() ==
        Lines{"warning $.pins[0].item: pins 'MAT-BLUE', which is out of stock: no pin until it "
              "is back"});
  CHECK(Checked(R"({"pins": [{"item": "BEANS", "position": 1}]})").lines() ==
        Lines{"warning $.pins[0].item: pins 'BEANS', which the catalog marks not recommendable"});
  CHECK(Checked(R"({"pins": [{"item": "MAT-RED", "position": 1}],
                    "exclusions": [{"item": "ROLLER"}, {"brand": "Zenith"}]})")
            .lines() ==
        Lines{"error $.pins[0].item: pins 'MAT-RED', which $.exclusions[1] excludes: an excluded "
              "item never shows, pinned or not"});
}

TEST_CASE("check_rules: a misspelt brand, margin tier, label or category matches 0 items") {
  CHECK(Checked(R"({"boosts": [{"match": {"brand": "Zenit"}, "factor": 2}]})").lines() ==
        Lines{"error $.boosts[0].match: brand 'Zenit' matches 0 items (did you mean 'Zenith'?)"});
  CHECK(Checked(R"({"boosts": [{"match": {"brand": "Zenith"}, "factor": 2},
                               {"match": {"margin_tier": "High"}, "factor": 2},
                               {"match": {"margin_tier": "premium"}, "factor": 2}]})")
            .lines() ==
        Lines{"error $.boosts[1].match: margin_tier 'High' matches 0 items (did you mean 'high'?)",
              "error $.boosts[2].match: margin_tier 'premium' matches 0 items (the catalog has: "
              "high)"});
  CHECK(Checked(R"({"exclusions": [{"label": "series=cor"}, {"label": "colour=Red"}],
                    "campaigns": [{"name": "x", "start": "2026-06-01", "end": "2026-06-08",
                                   "boosts": [{"match": {"category": "Yoga Mat"}, "factor": 2}]}]})")
            .lines() ==
        Lines{"error $.exclusions[0]: label 'series=cor' matches 0 items (did you mean "
              "'series=core'?)",
              "error $.exclusions[1]: label 'colour=Red' matches 0 items (did you mean "
              "'color=Red'?)",
              "error $.campaigns[0].boosts[0].match: category 'Yoga Mat' matches 0 items (the "
              "catalog has: Home Fitness, Mats, Recovery, Yoga)"});
  // A catalog without margin tiers: the export's column was never mapped.
  Catalog plain = testing::small_catalog();
  for (CatalogItem& it : plain.items) it.margin_tier.clear();
  CHECK(
      Checked(R"({"boosts": [{"match": {"margin_tier": "high"}, "factor": 2}]})", plain).lines() ==
      Lines{"error $.boosts[0].match: margin_tier 'high' matches 0 items (no item in the "
            "catalog has a margin_tier)"});
}

TEST_CASE("check_rules: an item, promotion or launch match of 0 items is a warning") {
  CHECK(Checked(R"({"boosts": [{"match": {"item": "GONE"}, "factor": 2},
                               {"match": {"promo": true}, "factor": 2}],
                    "exclusions": [{"item": "ALSO-GONE"}]})")
            .lines() == Lines{"warning $.boosts[0].match: item 'GONE' matches 0 items",
                              "warning $.exclusions[0]: item 'ALSO-GONE' matches 0 items"});
  Catalog undated = testing::small_catalog();
  for (CatalogItem& it : undated.items) it.launch_s = 0;
  CHECK(Checked(R"({"boosts": [{"match": {"new_arrival_days": 30}, "factor": 2}]})", undated)
            .lines() == Lines{"warning $.boosts[0].match: new_arrival_days 30 matches 0 items"});
}

TEST_CASE("check_rules: a margin or stock range of 0 items is a warning, a quota's an error") {
  Catalog labelled = testing::small_catalog();  // what the build put on ROLLER
  labelled.items[2].labels.push_back("~margin=15..");
  CHECK(Checked(R"({"boosts": [{"match": {"margin": {"min": 15}}, "factor": 2},
                               {"match": {"margin": {"min": 40, "max": 60}}, "factor": 2}],
                    "exclusions": [{"stock": {"max": 0}}],
                    "quotas": [{"match": {"stock": {"min": 1}}, "min_share": 0.2,
                                "placements": ["home"]}]})",
                labelled)
            .lines() == Lines{"warning $.boosts[1].match: margin 40 to 60 matches 0 items",
                              "error $.quotas[0].match: stock from 1 matches 0 items: the share "
                              "is never met",
                              "warning $.exclusions[0]: stock up to 0 matches 0 items"});
}

TEST_CASE("check_rules: a quota that matches nothing, or nothing that can be shown, is an error") {
  CHECK(Checked(R"({"quotas": [{"match": {"label": "series=core"}, "min_share": 0.25},
                               {"match": {"brand": "Zenth"}, "min_share": 0.25}]})")
            .lines() ==
        Lines{"error $.quotas[1].match: brand 'Zenth' matches 0 items: the share is never met "
              "(did you mean 'Zenith'?)"});
  CHECK(Checked(R"({"quotas": [{"match": {"item": "MAT-BLUE"}, "min_share": 0.25}]})").lines() ==
        Lines{"error $.quotas[0].match: item 'MAT-BLUE' matches 1 item(s) (MAT-BLUE), none of "
              "which can be shown at the snapshot's time (out of stock, not recommendable, "
              "excluded, or not new): the share is never met"});
  CHECK(Checked(R"({"quotas": [{"match": {"brand": "Zenith"}, "min_share": 0.25}],
                    "exclusions": [{"item": "MAT-RED"}]})")
            .lines()
            .at(0)
            .rfind("error $.quotas[0].match: brand 'Zenith' matches 2 item(s) (MAT-RED, "
                   "MAT-BLUE), none of which can be shown",
                   0) == 0);
}

TEST_CASE("check_rules: half of every list on every placement is a warning") {
  const char* everywhere = R"({"quotas": [{"match": {"label": "series=core"}, "min_share": 0.5}]})";
  CHECK(Checked(everywhere).lines() ==
        Lines{"warning $.quotas[0].min_share: 50% of every list on every placement, cart and "
              "post-purchase included, goes to label 'series=core' (1 item(s)): name the "
              "placements it is for, or lower the share"});
  CHECK(Checked(R"({"quotas": [{"match": {"label": "series=core"}, "min_share": 0.5,
                                "placements": ["home", "category"]}]})")
            .findings.empty());
  CHECK(Checked(R"({"quotas": [{"match": {"label": "series=core"}, "min_share": 0.34}]})")
            .findings.empty());
}

TEST_CASE("check_rules: an experiment variant's rules, with their own paths") {
  CHECK(Checked(R"({"exclusions": [{"item": "ROLLER"}],
                    "experiments": [{"name": "pins", "variants": [
                      {"name": "a", "share": 0.5, "rules": {}},
                      {"name": "b", "share": 0.5, "rules": {
                        "pins": [{"item": "ROLLER", "position": 1}, {"item": "NOPE"}]}}]}]})")
            .lines() ==
        Lines{"error $.experiments[0].variants[1].rules.pins[0].item: pins 'ROLLER', which "
              "$.exclusions[0] excludes: an excluded item never shows, pinned or not",
              "error $.experiments[0].variants[1].rules.pins[1].item: pins 'NOPE', which is not "
              "in the catalog (matches 0 items)"});
}

TEST_CASE("check_rules: rules that match what they name find nothing") {
  CHECK(Checked(R"({"pins": [{"item": "ROLLER", "position": 1}],
                    "boosts": [{"match": {"brand": "Zenith"}, "factor": 2},
                               {"match": {"promo": true}, "factor": 2},
                               {"match": {"category": "Yoga"}, "factor": 2}],
                    "quotas": [{"match": {"label": "series=core"}, "min_share": 0.25}],
                    "exclusions": [{"item": "BEANS"}]})")
            .findings.empty());
}

TEST_CASE("check_rules: overlapping campaigns stack, and the later one says so") {
  const char* kBoost = R"("boosts": [{"match": {"brand": "Zenith"}, "factor": 1.5}])";
  const std::string both = std::string(R"({"campaigns": [
      {"name": "Black Friday", "start": "2026-11-27T00:00:00Z", "end": "2026-12-01T00:00:00Z", )") +
                           kBoost + R"(},
      {"name": "Cyber Monday", "start": "2026-11-30T00:00:00Z", "end": "2026-12-02T00:00:00Z", )" +
                           kBoost + R"(},
      {"name": "Christmas", "start": "2026-12-10T00:00:00Z", "end": "2026-12-25T00:00:00Z", )" +
                           kBoost + "}]}";
  CHECK(Checked(both.c_str()).lines() ==
        Lines{"warning $.campaigns[1]: 'Cyber Monday' overlaps 'Black Friday' ($.campaigns[0]): "
              "while both run, their boosts multiply and both campaigns' flags and exclusions "
              "apply; where their pins take one slot or their quotas the same slots, 'Cyber "
              "Monday' wins (the later in the list, at equal priority); shorten one, merge them "
              "or set priorities if that is not meant"});
  std::string ranked = both;
  ranked.replace(ranked.find("\"name\": \"Black Friday\","), 23,
                 "\"name\": \"Black Friday\", \"priority\": 2,");
  CHECK(Checked(ranked.c_str()).lines() ==
        Lines{"warning $.campaigns[1]: 'Cyber Monday' overlaps 'Black Friday' ($.campaigns[0]): "
              "while both run, their boosts multiply and both campaigns' flags and exclusions "
              "apply; where their pins take one slot or their quotas the same slots, 'Black "
              "Friday' wins (the higher priority); shorten one, merge them or set priorities if "
              "that is not meant"});
}

TEST_CASE("check_rules: a campaign's pins, quotas and exclusions are checked as the document's") {
  CHECK(Checked(R"({"pins": [{"item": "MAT-RED"}],
                    "campaigns": [{"name": "Spring", "start": "2026-03-01", "end": "2026-03-08",
                      "pins": [{"item": "MAT-GREEN"}],
                      "quotas": [{"match": {"brand": "Zenth"}, "min_share": 0.25}],
                      "exclusions": [{"label": "color=Red"}]}]})")
            .lines() ==
        Lines{"warning $.pins[0].item: pins 'MAT-RED', which $.campaigns[0].exclusions[0] "
              "excludes while its campaign runs: the pin does not show then",
              "error $.campaigns[0].pins[0].item: pins 'MAT-GREEN', which is not in the catalog "
              "(matches 0 items)",
              "error $.campaigns[0].quotas[0].match: brand 'Zenth' matches 0 items: the share is "
              "never met (did you mean 'Zenith'?)"});
}

TEST_CASE("check_rules: a rule aimed at pages no category has, or where no page is about one") {
  CHECK(Checked(R"({"pins": [{"item": "ROLLER", "pages": ["Mats", "Matts"]}],
                    "boosts": [{"match": {"item": "ROLLER"}, "factor": 2, "pages": ["Yoga"],
                                "placements": ["home", "search_empty"]}],
                    "exclusions": [{"brand": "Zenith", "pages": ["Recovery"]}]})")
            .lines() ==
        Lines{"error $.pins[0].pages[1]: category 'Matts' is no category of the catalog (did you "
              "mean 'Mats'?)",
              "error $.boosts[0].pages: never holds: its placements show no product's, cart's, "
              "order's or category's page"});
}

TEST_CASE("check_rules: a pin an exclusion hides only where it is aimed is a warning") {
  CHECK(Checked(R"({"pins": [{"item": "MAT-RED"}],
                    "exclusions": [{"brand": "Zenith", "segments": ["gift"]}]})")
            .lines() ==
        Lines{"warning $.pins[0].item: pins 'MAT-RED', which $.exclusions[0] "
              "excludes where that exclusion applies: the pin does not show there"});
}

TEST_CASE("check_rules: in a combination, each typed value is checked at its path") {
  CHECK(Checked(R"({"boosts": [{"factor": 2, "match": {"all": [{"brand": "Zenth"},
                                                          {"not": {"promo": true}}]}}]})")
            .lines() == Lines{"error $.boosts[0].match.all[0]: brand 'Zenth' matches 0 items (did "
                              "you mean 'Zenith'?)",
                              "warning $.boosts[0].match: all of (brand 'Zenth', not (promo: "
                              "true)) matches 0 items"});
  CHECK(Checked(R"({"quotas": [{"min_share": 0.2, "match": {"price": {"min": 1000}}}],
                    "exclusions": [{"any": [{"price": {"max": 0.5}}, {"item": "GONE"}]}]})")
            .lines() == Lines{"error $.quotas[0].match: price from 1000 matches 0 items: the share "
                              "is never met",
                              "warning $.exclusions[0]: any of (price up to 0.5, item 'GONE') "
                              "matches 0 items"});
}

TEST_CASE("check_rules: complements name items and categories the catalog has") {
  CHECK(Checked(R"({"complements": [{"item": "MAT-RED", "with": ["ROLLER", "STRAP-9"]},
                                    {"category": "Matts", "with": ["ROLLER"]},
                                    {"item": "GONE", "with": ["ROLLER"]}]})")
            .lines() ==
        Lines{"error $.complements[0].with[1]: 'STRAP-9' is not in the catalog",
              "error $.complements[1].category: category 'Matts' is no category of the catalog "
              "(did you mean 'Mats'?)",
              "error $.complements[2].item: 'GONE' is not in the catalog"});
}
