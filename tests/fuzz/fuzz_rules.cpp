// libFuzzer target: the rules file parser accepts or refuses with an InputError only; an
// accepted file's experiments assign visitors and merge their variants without fault, and
// the rules run in the engine (issue 12.7: work without limits) both ways a store gets
// them: set on an engine over a small snapshot, and compiled into a snapshot that must
// pass the verifier and load. Every placement then gives a list.
#include <sstream>
#include <string>
#include <vector>

#include "../core/snapshot_fixture.h"
#include "engine.h"
#include "rules.h"
#include "rules_file.h"
#include "session.h"

namespace {

using namespace aisle;

constexpr int64_t kNowMs = 1793404800000;  // small_snapshot's as_of; seeds' campaigns span it

void recommend_everywhere(Engine& engine, const Snapshot& snap) {
  Session session;
  ShopperEvent view;
  view.type = EventType::kViewItem;
  uint32_t item = 0;
  view.items = &item;
  view.item_count = 1;
  view.ts_ms = kNowMs;
  session.track(view);
  std::vector<Recommendation> out;
  for (size_t p = 0; p < kPlacementCount; ++p) {
    Request request;
    request.placement = Placement(p);
    request.item = p % 2 ? 0 : fmt::kNone;
    request.category = snap.category_count() > 0 ? 0 : fmt::kNone;
    request.k = 4;
    request.now_ms = kNowMs;
    engine.recommend(session, request, &out);
    if (out.size() > request.k) __builtin_trap();
    for (const Recommendation& r : out)
      if (r.item >= snap.item_count()) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Catalog catalog = testing::small_catalog();
  static const std::vector<uint8_t> plain = testing::small_snapshot(catalog);
  static const Snapshot base = Snapshot::open(plain.data(), plain.size()).value();
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    const RulesFile file = parse_rules(in, "fuzz.json");
    Rules rules;
    if (!parse_rules_json(file.json, &rules).is_ok()) __builtin_trap();  // parse_rules checked
    std::vector<Assignment> arms;
    for (const char* visitor : {"a", "visitor-2", ""}) {
      const Rules merged = rules_for_visitor(rules, visitor, &arms);
      if (arms.size() != rules.experiments.size() || !merged.experiments.empty()) __builtin_trap();
      Engine engine(base);
      engine.set_rules(merged);
      recommend_everywhere(engine, base);
    }
    // Compiled in: what `aisle build --rules` writes must verify and load with its rules.
    SnapshotInput input;
    input.catalog = &catalog;
    input.as_of_ms = input.built_at_ms = kNowMs;
    input.catalog_format = "fuzz";
    input.rules_json = file.json;
    auto bytes = write_snapshot(input);
    if (!bytes.is_ok()) __builtin_trap();
    auto snap = Snapshot::open(bytes.value().data(), bytes.value().size());
    if (!snap.is_ok()) __builtin_trap();
    Engine engine(snap.value());
    if (!engine.rules_status().is_ok()) __builtin_trap();
    recommend_everywhere(engine, snap.value());
  } catch (const InputError&) {
  }
  return 0;
}
