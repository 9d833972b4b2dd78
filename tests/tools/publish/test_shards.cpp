// Shards (shards.h): the engine gives the same lists from a cut owning a visit's items as
// from the whole public snapshot, on a generated store with its rules.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "build.h"
#include "crc32.h"
#include "demo_data.h"
#include "public_snapshot.h"
#include "shards.h"
#include "storefront.h"
#include "test_util.h"

using namespace aisle;

namespace {

struct Store {
  std::vector<uint8_t> bytes;  // the public snapshot
  Result<Snapshot> snap = Snapshot::open(nullptr, 0);
};

// A generated store of 300 products, built with its rules and cut for the public.
Store public_store(uint64_t seed = 11) {
  const std::string dir = testing::temp_dir("shards");
  DemoOptions demo;
  demo.products = 300;
  demo.sessions = 4000;
  demo.seed = seed;
  const DemoReport d = generate_demo(demo, dir);
  BuildOptions o;
  o.catalog_path = d.catalog_path;
  o.event_paths = {d.events_path};
  o.rules_path = d.rules_path;
  o.tune = false;
  BuildReport r;
  const std::vector<uint8_t> merchant = build_snapshot(o, &r);
  std::filesystem::remove_all(dir);
  const Result<Snapshot> opened = Snapshot::open(merchant.data(), merchant.size());
  REQUIRE(opened.is_ok());
  Store s;
  s.bytes = public_snapshot(opened.value(), {opened.value().meta().as_of_ms}).bytes;
  s.snap = Snapshot::open(s.bytes.data(), s.bytes.size());
  REQUIRE(s.snap.is_ok());
  return s;
}

void track(Storefront& store, std::string_view event, std::string_view id, int64_t now) {
  EventInput e;
  e.event = event;
  e.now_ms = now;
  e.item_ids = &id;
  e.item_count = 1;
  REQUIRE(store.track(e, nullptr).is_ok());
}

std::string list(Storefront& store, std::string_view placement, std::string_view item,
                 std::string_view category, int64_t now) {
  RequestInput in;
  in.placement = placement;
  in.item = item;
  in.category = category;
  in.k = 8;
  in.now_ms = now;
  Request req;
  REQUIRE(store.request(in, &req).is_ok());
  return std::string(store.list_json(req));
}

std::vector<uint8_t> written(const Snapshot& snap, const Subset& cut) {
  Result<std::vector<uint8_t>> bytes = write_subset(snap, cut, std::string(snap.rules_text()));
  REQUIRE(bytes.is_ok());
  return std::move(bytes.value());
}

struct Step {
  const char* event;
  std::string_view id;
  int64_t now;
};

// A storefront on `bytes` that has seen `steps`.
void replay(Storefront* store, const std::vector<uint8_t>& bytes, const std::vector<Step>& steps) {
  REQUIRE(store->load(bytes).is_ok());
  for (const Step& s : steps) track(*store, s.event, s.id, s.now);
}

}  // namespace

TEST_CASE("shards: the head merged with a visit's item shards gives the whole snapshot's lists") {
  const Store s = public_store();
  const Snapshot& snap = s.snap.value();
  REQUIRE(snap.session_count() > 100);
  const SimilarItems similar(snap);
  ShardCutter cutter(snap, similar);
  cutter.add_head(Engine(snap));
  const std::vector<uint8_t> head = written(snap, cutter.take());
  Storefront whole;
  REQUIRE(whole.load(s.bytes).is_ok());
  const int64_t start = snap.meta().as_of_ms;
  uint32_t visits = 0, lists = 0, differ = 0;
  size_t shard_bytes = 0, shards = 0, merged_bytes = 0;
  std::vector<std::string_view> path;
  // Visits as the log's indexed sessions went, every seventh, the most recent first.
  for (uint32_t x = snap.session_count(); x-- > 0 && visits < 60;) {
    if (x % 7 != 0) continue;
    const IdList items = snap.session_items(x);
    if (items.size() < 2) continue;
    ++visits;
    std::vector<uint8_t> merged = head;
    std::vector<Step> steps;
    whole.reset_visit();
    // Each item viewed in turn, its shard merged in first; the last one then added to the
    // cart and bought.
    for (uint32_t k = 0; k < items.size() + 2; ++k) {
      const uint32_t item = items[std::min<size_t>(k, items.size() - 1)];
      if (k < items.size()) {
        cutter.add_item(item);
        const std::vector<uint8_t> shard = written(snap, cutter.take());
        shard_bytes += shard.size();
        ++shards;
        const Result<Snapshot> a = Snapshot::open(merged.data(), merged.size());
        const Result<Snapshot> b = Snapshot::open(shard.data(), shard.size());
        REQUIRE(a.is_ok());
        REQUIRE(b.is_ok());
        Result<std::vector<uint8_t>> next = merge_shards({&a.value(), &b.value()});
        REQUIRE(next.is_ok());
        merged = std::move(next.value());
      }
      const int64_t now = start + int64_t(k) * 60000;
      const char* event = k < items.size()    ? "view_item"
                          : k == items.size() ? "add_to_cart"
                                              : "purchase";
      steps.push_back({event, snap.item(item).id, now});
      track(whole, event, snap.item(item).id, now);
      Storefront part;
      replay(&part, merged, steps);
      snap.category_path(snap.record(item).category, &path);
      std::string category;
      for (std::string_view p : path) category += (category.empty() ? "" : " > ") + std::string(p);
      for (const char* placement :
           {"product", "cart", "home", "post_purchase", "category", "search_empty", "next_item"}) {
        const std::string a = list(whole, placement, snap.item(item).id, category, now);
        const std::string b = list(part, placement, snap.item(item).id, category, now);
        ++lists;
        if (a != b && differ++ == 0) {
          INFO("session " << x << ", step " << k << ", " << placement);
          CHECK(a == b);
        }
      }
    }
    merged_bytes += merged.size();
  }
  MESSAGE(visits << " visits, " << lists << " lists, " << differ << " differ; head " << head.size()
                 << " bytes, item shards " << shard_bytes / std::max<size_t>(1, shards)
                 << " on average, a visit's merged " << merged_bytes / std::max(1u, visits)
                 << ", the whole " << s.bytes.size());
  CHECK(visits == 60);
  CHECK(differ == 0);
}

TEST_CASE(
    "shards: merging refuses what is not a shard of the same snapshot; shard items verified") {
  const Store s = public_store(11), other = public_store(12);
  const Snapshot& snap = s.snap.value();
  const SimilarItems similar(snap);
  ShardCutter cutter(snap, similar);
  cutter.add_head(Engine(snap));
  const std::vector<uint8_t> head = written(snap, cutter.take());
  const Result<Snapshot> h = Snapshot::open(head.data(), head.size());
  REQUIRE(h.is_ok());
  CHECK(h.value().is_shard());
  CHECK(h.value().version_minor() == 1);
  CHECK_FALSE(snap.is_shard());
  CHECK(snap.version_minor() == 0);  // a file without shard items stays 2.0
  CHECK(merge_shards({}).status().message() == "merge: no shards");
  // A shard owning no item (an empty hash bucket) is a shard all the same.
  const std::vector<uint8_t> empty = written(snap, cutter.take());
  const Result<Snapshot> e = Snapshot::open(empty.data(), empty.size());
  REQUIRE(e.is_ok());
  CHECK(e.value().is_shard());
  CHECK(e.value().item_count() == 0);
  CHECK(merge_shards({&h.value(), &e.value()}).is_ok());
  Result<std::vector<uint8_t>> r = merge_shards({&h.value(), &snap});
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().message() == "merge: part 1 is not a shard");
  const Snapshot& theirs = other.snap.value();
  const SimilarItems their_similar(theirs);
  ShardCutter their_cutter(theirs, their_similar);
  their_cutter.add_head(Engine(theirs));
  const std::vector<uint8_t> their_head = written(theirs, their_cutter.take());
  const Result<Snapshot> t = Snapshot::open(their_head.data(), their_head.size());
  REQUIRE(t.is_ok());
  r = merge_shards({&h.value(), &t.value()});
  CHECK(r.status().message() == "merge: part 1 is a shard of another snapshot");

  // Two items' records swapped, the checksum made right again: refused by the verifier.
  std::vector<uint8_t> bad = head;
  for (const SectionInfo& x : h.value().sections()) {
    if (x.id != fmt::kShardItems) continue;
    REQUIRE(x.size >= 16);
    std::swap_ranges(bad.begin() + long(x.offset), bad.begin() + long(x.offset) + 8,
                     bad.begin() + long(x.offset) + 8);
  }
  std::memset(bad.data() + fmt::kChecksumOffset, 0, 4);
  const uint32_t crc = crc32_update(0, bad.data(), bad.size());
  std::memcpy(bad.data() + fmt::kChecksumOffset, &crc, 4);
  const Result<Snapshot> refused = Snapshot::open(bad.data(), bad.size());
  CHECK(refused.status().code() == StatusCode::kCorrupt);
  CHECK(refused.status().message().find("shard_items: item 1 is out of order") !=
        std::string::npos);
}
