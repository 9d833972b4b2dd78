// Experiments: rules parsing and validation, the stable assignment (the same value in
// the native and the wasm build: this suite runs in both), variant overrides and the
// plain best-seller holdout.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "engine.h"
#include "rules.h"
#include "snapshot_writer.h"

using namespace aisle;

namespace {
Rules parse(const std::string& json) {
  Rules r;
  const Status st = parse_rules_json(json, &r);
  REQUIRE_MESSAGE(st.is_ok(), st.message());
  return r;
}
std::string error_of(const std::string& json) {
  Rules r;
  const Status st = parse_rules_json(json, &r);
  return st.is_ok() ? "" : st.message();
}
const char* kExperiment = R"({
  "experiments": [{
    "name": "recs-2026-11", "minimum_effect": 0.08,
    "holdout": {"share": 0.2, "show": "best_sellers"},
    "variants": [
      {"name": "engine", "share": 0.5},
      {"name": "more-slots", "share": 0.3, "rules": {
        "placements": {"product": {"slots": 8, "weights": {"trending": 0.9}}},
        "pins": [{"item": "I3", "position": 1}]}}
    ]}]
})";
}  // namespace

TEST_CASE("assignment: a known value, identical on every platform") {
  // FNV-1a 64 of "recs-2026-11\0V1", Murmur-finalized: 3359232604050286972; / 2^64.
  CHECK(assignment_point("recs-2026-11", "V1") ==
        doctest::Approx(0.18210436435977295).epsilon(1e-15));
  CHECK(assignment_point("recs-2026-11", "V1") == assignment_point("recs-2026-11", "V1"));
  CHECK(assignment_point("recs-2026-11", "V1") != assignment_point("other", "V1"));
}

TEST_CASE("assignment: shares hold over many visitors, and a visitor keeps a variant") {
  const Rules r = parse(kExperiment);
  REQUIRE(r.experiments.size() == 1);
  const Experiment& e = r.experiments[0];
  CHECK(e.minimum_effect == doctest::Approx(0.08));
  int holdout = 0, engine = 0, more = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const Assignment a = assign(e, "visitor-" + std::to_string(i));
    holdout += a.holdout;
    engine += a.variant == public_id("engine");
    more += a.variant == public_id("more-slots");
    CHECK(a.holdout == (a.variant == kHoldoutVariant));
  }
  CHECK(std::abs(holdout / double(n) - 0.2) < 0.005);
  CHECK(std::abs(engine / double(n) - 0.5) < 0.005);
  CHECK(std::abs(more / double(n) - 0.3) < 0.005);
  // Arms are named by id in analytics, and the id is what assignment hashes.
  CHECK(e.id == public_id("recs-2026-11"));
  CHECK(assign(e, "V1").experiment == e.id);
  std::string held = "v0";  // the first visitor whose point falls in the 0.2 holdout
  for (int i = 1; assignment_point(e.id, held) >= 0.2; ++i) held = "v" + std::to_string(i);
  CHECK(assign(e, held).variant == kHoldoutVariant);
  CHECK(assign(e, held).show == HoldoutShow::kBestSellers);
}

TEST_CASE("experiment ids: a hash of the name, or given (a published snapshot's)") {
  CHECK(public_id("recs-2026-11") == "x45100917");  // the high 32 bits of its FNV-1a 64
  CHECK(public_id("recs-2026-11") != public_id("recs-2026-12"));
  const Rules given =
      parse(R"({"experiments": [{"id": "x0000abcd", "variants": [{"id": "x1", "share": 1}]}]})");
  CHECK(given.experiments[0].id == "x0000abcd");
  CHECK(given.experiments[0].name.empty());
  CHECK(assign(given.experiments[0], "V1").variant == "x1");
}

TEST_CASE("experiments: errors name the JSON path") {
  CHECK(
      error_of(R"({"experiments": [{"name": "x", "variants": [{"name": "a", "share": 0.5}]}]})") ==
      "$.experiments[0]: holdout and variant shares must add up to 1 (they add up to 0.5)");
  CHECK(error_of(
            R"({"experiments": [{"name": "x", "variants": [{"name": "holdout", "share": 1}]}]})") ==
        "$.experiments[0].variants[0].name: \"holdout\" is reserved");
  CHECK(error_of(R"({"experiments": [{"name": "x", "variants": []}]})") ==
        "$.experiments[0]: at least one variant is required");
  CHECK(
      error_of(
          R"({"experiments": [{"name": "x", "holdout": {"share": 0.5, "show": "ads"}, "variants": [{"name": "a", "share": 0.5}]}]})") ==
      "$.experiments[0].holdout.show: expected \"nothing\" or \"best_sellers\"");
  CHECK(
      error_of(
          R"({"experiments": [{"name": "x", "variants": [{"name": "a", "share": 1, "rules": {"boost": 1}}]}]})") ==
      "$.experiments[0].variants[0].rules.boost: unknown key (boosts, quotas, exploration, pins, "
      "exclusions, campaigns, complements, placements, segments, context, experiments, "
      "field_mapping)");
  CHECK(
      error_of(
          R"({"experiments": [{"name": "x", "variants": [{"name": "a", "share": 1, "rules": {"experiments": []}}]}]})") ==
      "$.experiments[0].variants[0].rules.experiments: experiments cannot be nested in a variant");
  CHECK(
      error_of(
          R"({"experiments": [{"name": "x", "variants": [{"name": "a", "share": 0.5}, {"name": "a", "share": 0.5}]}]})") ==
      "$.experiments[0].variants[1]: duplicate variant name or id");
}

TEST_CASE("rules for a visitor: the variant's overrides over the base") {
  Rules base =
      parse(std::string(kExperiment).insert(1, R"("pins": [{"item": "I1", "position": 2}],)"));
  std::vector<Assignment> a;
  // Find one visitor per arm.
  std::string in_more, in_engine, in_holdout;
  for (int i = 0; in_more.empty() || in_engine.empty() || in_holdout.empty(); ++i) {
    const std::string v = "v" + std::to_string(i);
    const std::string arm = assign(base.experiments[0], v).variant;
    (arm == public_id("more-slots") ? in_more
     : arm == public_id("engine")   ? in_engine
                                    : in_holdout) = v;
  }
  const Rules more = rules_for_visitor(base, in_more, &a);
  REQUIRE(a.size() == 1);
  CHECK(a[0].variant == public_id("more-slots"));
  CHECK(more.pins.size() == 2);  // appended to the base's
  CHECK(more.placements[size_t(Placement::kProduct)].slots == 8);
  CHECK(more.experiments.empty());
  CHECK_FALSE(more.plain);
  const Rules engine = rules_for_visitor(base, in_engine, &a);
  CHECK(engine.pins.size() == 1);
  CHECK(engine.placements[size_t(Placement::kProduct)].slots == 0);
  const Rules holdout = rules_for_visitor(base, in_holdout, &a);
  CHECK(a[0].holdout);
  CHECK(a[0].show == HoldoutShow::kBestSellers);
  CHECK(holdout.plain);
}

TEST_CASE("a holdout shown best sellers gets the best sellers, without rules or context") {
  Catalog catalog;
  SnapshotInput input;
  for (int i = 0; i < 6; ++i) {
    CatalogItem it;
    it.id = "I" + std::to_string(i);
    it.title = it.id;
    it.price = 1000;
    it.currency = "USD";
    it.category_path = {"Shop", "C"};
    catalog.items.push_back(it);
  }
  input.catalog = &catalog;
  input.popularity.resize(6);
  for (int i = 0; i < 6; ++i) input.popularity[size_t(i)].trend = float(i + 1);  // I5 sells best
  input.model.co_purchases.assign(6, {});
  input.model.co_purchases[0] = {{1, 9.0f}};
  auto bytes = write_snapshot(input).value();
  const Snapshot snap = Snapshot::open(bytes.data(), bytes.size()).value();
  Engine engine(snap);
  Rules plain = parse(R"({"pins": [{"item": "I2", "position": 1}]})");
  plain.plain = true;
  engine.set_rules(plain);
  Session s;
  Request req;
  req.placement = Placement::kProduct;
  req.item = 0;
  req.k = 3;
  std::vector<Recommendation> out;
  engine.recommend(s, req, &out);
  REQUIRE(out.size() == 3);
  CHECK(out[0].item == 5);  // best sellers, not the bought-together I1 nor the pinned I2
  CHECK(out[1].item == 4);
  CHECK(out[2].item == 3);
}
