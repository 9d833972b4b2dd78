// Content-similar items computed from a snapshot (core/similar.h), as every reader of a format
// 1.2 file does, and the same answers as a file that carries the lists.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine.h"
#include "session.h"
#include "similar.h"
#include "snapshot_writer.h"

using namespace aisle;

namespace {

struct Store {
  Catalog catalog;
  SnapshotInput in;
  std::vector<uint8_t> bytes;
  Snapshot snap;

  Store() {
    in.catalog = &catalog;
    in.catalog_format = "test";
    in.model.similar_length = 10;
  }
  uint32_t add(const std::string& id, const std::string& category, int64_t price,
               std::vector<std::string> labels = {}, const char* brand = "",
               const char* group = "") {
    CatalogItem it;
    it.id = id;
    it.title = id;
    it.price = price;
    it.brand = brand;
    it.group_key = group;
    it.category_path = {"Shop", category};
    it.labels = std::move(labels);
    catalog.items.push_back(it);
    return uint32_t(catalog.items.size() - 1);
  }
  const Snapshot& build() {
    in.popularity.resize(catalog.items.size());
    auto r = write_snapshot(in);
    REQUIRE_MESSAGE(r.is_ok(), r.status().message());
    bytes = r.value();
    auto opened = Snapshot::open(bytes.data(), bytes.size());
    REQUIRE_MESSAGE(opened.is_ok(), opened.status().message());
    snap = opened.value();
    return snap;
  }
};

std::vector<uint32_t> items(ScoredList l) {
  std::vector<uint32_t> v;
  for (uint32_t k = 0; k < l.size(); ++k) v.push_back(l[k].item);
  return v;
}

}  // namespace

TEST_CASE("similar items: same category, then brand and price, never the same group") {
  Store st;
  st.add("a", "Mats", 1000, {}, "Zen", "G1");
  st.add("b", "Mats", 1000, {}, "Zen", "G1");  // a variant of a
  st.add("c", "Mats", 1100, {}, "Zen");        // same brand, close price
  st.add("d", "Mats", 1000, {}, "Other");      // other brand
  st.add("e", "Towels", 1000, {}, "Zen");      // other category
  const Snapshot& snap = st.build();
  CHECK(!snap.has_similar());  // not in the file: computed
  const SimilarItems sim(snap);
  CHECK(sim.computed());
  CHECK(sim.length() == 10);
  CHECK(items(sim.of(0)) == std::vector<uint32_t>{2, 3});
  // 1 (category) + 0.5 (brand) + 0.5 * 1000/1100 (price); then 1 + 0.5 (the same price).
  CHECK(sim.of(0)[0].score == doctest::Approx(1.0 + 0.5 + 0.5 * 1000.0 / 1100.0));
  CHECK(sim.of(0)[1].score == doctest::Approx(1.5));
  CHECK(sim.of(4).size() == 0);
}

TEST_CASE("similar items: an item alone in its category finds neighbours by labels and tags") {
  Store st;
  st.add("strap", "Straps", 2000, {"tag=yoga", "tag=stretching", "color=red"});  // alone
  st.add("mat", "Mats", 2000, {"tag=yoga", "tag=stretching"});
  st.add("block", "Blocks", 2000, {"tag=yoga"});
  st.add("kettle", "Kettles", 2000, {"color=red"});  // a colour says nothing of what it is
  st.add("pan", "Pans", 2000, {"tag=kitchen"});
  st.add("mat-2", "Mats", 2000, {"tag=yoga", "tag=stretching"});
  st.add("rule-mate", "Rules", 2000, {"~margin=10.00..", "tag=kitchen"});
  st.add("rule-mate-2", "Rules 2", 2000, {"~margin=10.00.."});
  const Snapshot& snap = st.build();
  const SimilarItems sim(snap);
  const ScoredList strap = sim.of(0);
  REQUIRE(strap.size() == 3);
  CHECK(items(strap) == std::vector<uint32_t>{1, 5, 2});  // two labels shared (ties by item), one
  // A category's own neighbours come first and score above any label neighbour.
  const ScoredList mat = sim.of(1);
  REQUIRE(mat.size() >= 2);
  CHECK(mat[0].item == 5);
  CHECK(mat[0].score >= 1.0f);
  for (uint32_t i = 1; i < mat.size(); ++i) CHECK(mat[i].score < 1.0f);
  CHECK(sim.of(3).size() == 0);  // the kettle shares only a colour
  // A rule's label ('~': a margin band, a public file's opaque rule set) says nothing of the
  // product: the pan's one neighbour is the item that shares its tag, not the other rule mate.
  CHECK(items(sim.of(4)) == std::vector<uint32_t>{6});
  CHECK(sim.of(7).size() == 0);
}

TEST_CASE("similar items: the most popular 300 of a category are its candidates") {
  Store st;
  for (uint32_t i = 0; i < 320; ++i) st.add("i" + std::to_string(i), "Big", 1000);
  st.in.popularity.resize(320);
  for (uint32_t i = 0; i < 320; ++i) st.in.popularity[i].trend = float(i);  // later, more popular
  const Snapshot& snap = st.build();
  const SimilarItems sim(snap);
  // The least popular item still gets a list, of the most popular (popularity decides among
  // equals); the 20 least popular are nobody's candidates.
  CHECK(items(sim.of(0)) ==
        std::vector<uint32_t>{319, 318, 317, 316, 315, 314, 313, 312, 311, 310});
  for (uint32_t i = 20; i < 320; i += 50) {
    for (uint32_t b : items(sim.of(i))) CHECK(b >= 20);
  }
}

TEST_CASE("similar items: the cache gives what computing gives, and the file's own lists win") {
  Store st;
  for (uint32_t i = 0; i < 200; ++i) {
    st.add("i" + std::to_string(i), "C" + std::to_string(i % 7), 900 + 13 * (i % 11),
           {"tag=t" + std::to_string(i % 5), "material=m" + std::to_string(i % 3)},
           i % 4 == 0 ? "Zen" : "", i % 9 == 0 ? "G" : "");
  }
  st.in.popularity.resize(200);
  for (uint32_t i = 0; i < 200; ++i) st.in.popularity[i] = {i, 0, i % 3, float((i * 37) % 101)};
  const Snapshot& snap = st.build();
  const SimilarItems sim(snap);
  std::vector<std::vector<fmt::ScoredItemRecord>> direct(200);
  for (uint32_t i = 0; i < 200; ++i) {
    direct[i].resize(sim.length());
    direct[i].resize(sim.compute(i, direct[i].data()));
    CHECK(!direct[i].empty());
  }
  for (int round = 0; round < 2; ++round) {  // in an order that evicts cached lists
    for (uint32_t i = 0; i < 200; i += 1 + round) {
      const ScoredList l = sim.of(i);
      REQUIRE(l.size() == direct[i].size());
      for (uint32_t k = 0; k < l.size(); ++k) {
        CHECK(l[k].item == direct[i][k].item);
        CHECK(l[k].score == direct[i][k].score);
      }
    }
  }

  // The same lists written into the file (format 1.1's section): read, not computed, and the
  // engine's answers are the same either way.
  Store stored = st;
  stored.in.catalog = &stored.catalog;
  for (uint32_t i = 0; i < 200; ++i) {
    stored.in.model.similar.emplace_back();
    for (const auto& r : direct[i]) stored.in.model.similar.back().push_back({r.item, r.score});
  }
  const Snapshot& with_lists = stored.build();
  REQUIRE(with_lists.has_similar());
  CHECK(!SimilarItems(with_lists).computed());
  Engine computed(snap), read(with_lists);
  for (uint32_t i = 0; i < 200; i += 3) {
    Session s;
    Request req;
    req.placement = Placement::kProduct;
    req.item = i;
    req.k = 8;
    std::vector<Recommendation> a, b;
    computed.recommend(s, req, &a);
    read.recommend(s, req, &b);
    REQUIRE(a.size() == b.size());
    for (size_t k = 0; k < a.size(); ++k) {
      CHECK(a[k].item == b[k].item);
      CHECK(a[k].score == b[k].score);
    }
  }
}

TEST_CASE("similar items: none without a length, and none for what cannot be recommended") {
  Store st;
  st.in.model.similar_length = 0;  // e.g. the self-tuning's held-out model
  st.add("a", "Mats", 1000);
  st.add("b", "Mats", 1000);
  CHECK(SimilarItems(st.build()).of(0).size() == 0);
  Store hidden;
  hidden.add("a", "Mats", 1000);
  hidden.add("b", "Mats", 1000);
  hidden.catalog.items[0].recommendable = false;
  const Snapshot& snap = hidden.build();
  const SimilarItems sim(snap);
  CHECK(sim.of(0).size() == 0);   // no list of its own
  CHECK(sim.of(1).size() == 0);   // and no one's candidate
  CHECK(sim.of(99).size() == 0);  // past the catalog
}
