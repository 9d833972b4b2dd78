// Shards (shards.h): the engine gives the same lists from a cut owning a visit's items as
// from the whole public snapshot, on a generated store with its rules.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "build.h"
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
Store public_store() {
  const std::string dir = testing::temp_dir("shards");
  DemoOptions demo;
  demo.products = 300;
  demo.sessions = 4000;
  demo.seed = 11;
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

}  // namespace

TEST_CASE("shards: a cut owning a visit's items gives the whole snapshot's lists") {
  const Store s = public_store();
  const Snapshot& snap = s.snap.value();
  REQUIRE(snap.session_count() > 100);
  const SimilarItems similar(snap);
  Storefront whole;
  REQUIRE(whole.load(s.bytes).is_ok());
  const Engine engine(snap);
  const int64_t start = snap.meta().as_of_ms;
  uint32_t visits = 0, lists = 0, differ = 0;
  size_t cut_bytes = 0;
  std::vector<std::string_view> path;
  // Visits as the log's indexed sessions went, every seventh, the most recent first.
  for (uint32_t x = snap.session_count(); x-- > 0 && visits < 60;) {
    if (x % 7 != 0) continue;
    const IdList items = snap.session_items(x);
    if (items.size() < 2) continue;
    ++visits;
    Subset cut = shard_head(snap, engine);
    for (uint32_t k = 0; k < items.size(); ++k) add_owned(snap, similar, items[k], &cut);
    cut.similar = &similar;
    const std::vector<uint8_t> bytes = write_subset(snap, cut, std::string(snap.rules_text()));
    cut_bytes += bytes.size();
    Storefront part;
    REQUIRE(part.load(bytes).is_ok());
    whole.reset_visit();
    // Each item viewed in turn, the last one then added to the cart and bought.
    for (uint32_t k = 0; k < items.size() + 2; ++k) {
      const uint32_t item = items[std::min<size_t>(k, items.size() - 1)];
      const std::string_view id = snap.item(item).id;
      const int64_t now = start + int64_t(k) * 60000;
      const char* event = k < items.size()    ? "view_item"
                          : k == items.size() ? "add_to_cart"
                                              : "purchase";
      track(whole, event, id, now);
      track(part, event, id, now);
      snap.category_path(snap.record(item).category, &path);
      std::string category;
      for (std::string_view p : path) category += (category.empty() ? "" : " > ") + std::string(p);
      for (const char* placement :
           {"product", "cart", "home", "post_purchase", "category", "search_empty", "next_item"}) {
        const std::string a = list(whole, placement, id, category, now);
        const std::string b = list(part, placement, id, category, now);
        ++lists;
        if (a != b && differ++ == 0) {
          INFO("session " << x << ", step " << k << ", " << placement);
          CHECK(a == b);
        }
      }
    }
  }
  MESSAGE(visits << " visits, " << lists << " lists, " << differ << " differ; cuts "
                 << cut_bytes / std::max(1u, visits) << " bytes on average against "
                 << s.bytes.size());
  CHECK(visits == 60);
  CHECK(differ == 0);
}
