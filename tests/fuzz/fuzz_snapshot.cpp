// libFuzzer target: the snapshot verifier must refuse or safely expose any bytes, and the
// subset writer and the shard merge take whatever it lets through.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine.h"
#include "snapshot.h"
#include "snapshot_subset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (bool checksum : {false, true}) {
    aisle::VerifyOptions o;
    o.verify_checksum = checksum;
    auto r = aisle::Snapshot::open(data, size, o);
    if (!r.is_ok()) continue;
    const aisle::Snapshot& s = r.value();
    std::vector<std::string_view> path;
    size_t sum = 0;
    for (uint32_t i = 0; i < s.item_count(); ++i) {
      const aisle::ItemView it = s.item(i);
      sum += it.url().size() + it.image_url().size() + it.title.size();
      if (it.category != aisle::fmt::kNone) s.category_path(it.category, &path);
      if (it.group != aisle::fmt::kNone) sum += s.group(it.group).count;
      for (uint32_t l = 0; l < s.label_count(i); ++l) sum += s.label(i, l).size();
      for (uint32_t h = 0; h < s.hint_count(i); ++h) {
        uint32_t t;
        aisle::HintKind k;
        s.hint(i, h, &t, &k);
      }
      uint32_t found;
      sum += s.find_item(it.id, &found);
      sum += s.popularity(i).views;
    }
    (void)sum;
    // Written again whole, and a shard merged with itself: whatever verified, the writer
    // writes (or refuses with a Status), and what it writes verifies.
    auto rewritten = aisle::write_subset(s, aisle::Subset::whole(s), std::string(s.rules_text()));
    if (rewritten.is_ok() &&
        !aisle::Snapshot::open(rewritten.value().data(), rewritten.value().size()).is_ok())
      __builtin_trap();
    if (s.is_shard()) {
      auto merged = aisle::merge_shards({&s, &s});
      if (merged.is_ok() &&
          !aisle::Snapshot::open(merged.value().data(), merged.value().size()).is_ok())
        __builtin_trap();
    }
    // The engine over whatever the verifier let through: every placement, a short visit.
    aisle::Engine engine(s);
    aisle::Session session;
    std::vector<aisle::Recommendation> out;
    for (uint32_t i = 0; i < 4 && i < s.item_count(); ++i) {
      aisle::ShopperEvent e;
      e.type = i == 3 ? aisle::EventType::kAddToCart : aisle::EventType::kViewItem;
      e.items = &i;
      e.item_count = 1;
      session.track(e);
    }
    for (size_t p = 0; p < aisle::kPlacementCount; ++p) {
      aisle::Request req;
      req.placement = aisle::Placement(p);
      req.item = s.item_count() ? 0 : aisle::fmt::kNone;
      req.k = 8;
      engine.recommend(session, req, &out);
      for (const auto& r : out) {
        for (size_t k = 0; k < r.reason_count; ++k) sum += engine.reason_text(r.reasons[k]).size();
      }
    }
  }
  return 0;
}
