// The snapshots committed in tests/golden/ (formats 1.0 to 1.3, 2.0 and 2.1) must keep loading,
// with the same contents, in every later version (append-only evolution). Runs natively and in
// wasm.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <iterator>

#include "engine.h"
#include "session.h"
#include "similar.h"
#include "snapshot.h"
#include "snapshot_subset.h"

using namespace aisle;

namespace {
std::vector<uint8_t> golden(const char* name = "v1.0.snap") {
  std::ifstream in(std::string(AISLE_TEST_DATA) + "/golden/" + name, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
}  // namespace

TEST_CASE("golden v1.0 snapshot loads with its known contents") {
  const auto bytes = golden();
  REQUIRE(!bytes.empty());
  auto r = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(r.is_ok(), r.status().message());
  const Snapshot& s = r.value();
  CHECK(s.version_major() == 1);
  CHECK(s.item_count() == 5);
  CHECK(s.group_count() == 1);
  uint32_t mat, roller, beans, draft;
  REQUIRE(s.find_item("G-MAT-RED", &mat));
  REQUIRE(s.find_item("G-ROLLER", &roller));
  REQUIRE(s.find_item("G-BEANS", &beans));
  REQUIRE(s.find_item("G-DRAFT", &draft));
  const ItemView m = s.item(mat);
  CHECK(m.title == "Cork Yoga Mat - Red");
  CHECK(m.url() == "https://shop.example/products/cork-mat?variant=red");
  CHECK(m.price == 4500);
  CHECK(m.sale_price == 3600);
  CHECK(m.promo);
  CHECK(m.margin_tier == "high");
  REQUIRE(s.hint_count(mat) == 1);
  uint32_t target;
  HintKind kind;
  s.hint(mat, 0, &target, &kind);
  CHECK(target == roller);
  CHECK(kind == HintKind::kCrossSell);
  CHECK(s.item(beans).title == "Espresso Beans <1kg>");
  CHECK(s.item(beans).currency == "EUR");
  CHECK(s.item(beans).repurchase_days == 21);
  CHECK(!s.item(draft).recommendable);

  // One view and one cart a week before the reference time, one purchase at it.
  const auto p = s.popularity(mat);
  CHECK(p.views == 1);
  CHECK(p.carts == 1);
  CHECK(p.purchases == 1);
  // Trend weights view 1, cart 3, purchase 5, halving every 7 days before the reference.
  const double week = 7 * 86400.0;
  CHECK(p.trend == doctest::Approx(1.0 * 0.5 + 3.0 * std::exp2(-(week - 120) / week) + 5.0));
  CHECK(s.popularity(beans).purchases == 2);
  CHECK(s.popularity(beans).trend == doctest::Approx(10.0));
  CHECK(s.meta().events_read == 4);
}

TEST_CASE("golden snapshot: truncations and flips are rejected") {
  const auto good = golden();
  REQUIRE(!good.empty());
  for (size_t n = 0; n < good.size(); n += 7) CHECK(!Snapshot::open(good.data(), n).is_ok());
  for (size_t pos = 0; pos < good.size(); ++pos) {
    auto bad = good;
    bad[pos] ^= 0x20;
    CHECK(!Snapshot::open(bad.data(), bad.size()).is_ok());
  }
}

TEST_CASE("golden v1.1 snapshot: candidate sources load and drive the engine") {
  const std::vector<uint8_t> bytes = golden("v1.1.snap");
  REQUIRE(!bytes.empty());
  auto r = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(r.is_ok(), r.status().message());
  const Snapshot& s = r.value();
  CHECK(s.version_minor() == 1);
  uint32_t mat, roller, beans;
  REQUIRE(s.find_item("G-MAT-RED", &mat));
  REQUIRE(s.find_item("G-ROLLER", &roller));
  REQUIRE(s.find_item("G-BEANS", &beans));
  // The one session viewed the mat, then the roller, carted the mat, then bought mat and beans.
  REQUIRE(s.transitions(mat).size() == 1);
  CHECK(s.transitions(mat)[0].item == roller);
  REQUIRE(s.co_purchases(mat).size() == 1);
  CHECK(s.co_purchases(mat)[0].item == beans);
  CHECK(s.session_count() == 1);
  CHECK(s.item_sessions(mat).size() == 1);
  CHECK(s.global_top().size() == 3);  // recommendable and in stock: mat, roller, beans
  CHECK(s.global_top()[0] == beans);  // two units bought: trend 10, the mat about 7
  REQUIRE(s.new_arrivals().size() == 1);
  CHECK(s.new_arrivals()[0] == beans);
}

TEST_CASE("golden v1.2 snapshot: postings derived at load, similar items computed") {
  const std::vector<uint8_t> bytes = golden("v1.2.snap");
  REQUIRE(!bytes.empty());
  auto r = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(r.is_ok(), r.status().message());
  const Snapshot& s = r.value();
  CHECK(s.version_minor() == 2);
  CHECK(s.meta().sessions_per_item == 500);  // aisle build's default
  uint32_t mat, roller, draft;
  REQUIRE(s.find_item("G-MAT-RED", &mat));
  REQUIRE(s.find_item("G-ROLLER", &roller));
  REQUIRE(s.find_item("G-DRAFT", &draft));
  // The same one session as v1.1's, and the same postings, now built by the reader.
  REQUIRE(s.session_count() == 1);
  REQUIRE(s.item_sessions(mat).size() == 1);
  CHECK(s.item_sessions(mat)[0] == 0);
  REQUIRE(s.item_sessions(roller).size() == 1);
  CHECK(s.item_sessions(roller)[0] == 0);
  CHECK(s.item_sessions(draft).size() == 0);
  REQUIRE(s.transitions(mat).size() == 1);
  CHECK(s.transitions(mat)[0].item == roller);
  // No similar lists in the file: its readers compute lists of 12 (the mat's only category
  // mate is its own variant, so it has none).
  CHECK(!s.has_similar());
  CHECK(s.meta().similar_length == 12);
  const SimilarItems similar(s);
  CHECK(similar.computed());
  CHECK(similar.of(mat).size() == 0);
}

TEST_CASE("golden v1.3 snapshot: scored lists as items and score bytes") {
  const std::vector<uint8_t> bytes = golden("v1.3.snap");
  REQUIRE(!bytes.empty());
  auto r = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(r.is_ok(), r.status().message());
  const Snapshot& s = r.value();
  CHECK(s.version_minor() == 3);
  const auto v12 = golden("v1.2.snap");
  auto r12 = Snapshot::open(v12.data(), v12.size());
  REQUIRE(r12.is_ok());
  const Snapshot& old = r12.value();
  // The same lists as v1.2's from the same files, the scores within a step of 1/32 octave.
  REQUIRE(s.item_count() == old.item_count());
  for (uint32_t i = 0; i < s.item_count(); ++i) {
    for (auto row : {&Snapshot::transitions, &Snapshot::co_purchases}) {
      const ScoredList a = (s.*row)(i), b = (old.*row)(i);
      REQUIRE(a.size() == b.size());
      for (uint32_t k = 0; k < a.size(); ++k) {
        CHECK(a[k].item == b[k].item);
        CHECK(a[k].score == doctest::Approx(b[k].score).epsilon(0.011));
      }
    }
  }
  uint32_t mat, roller, beans;
  REQUIRE(s.find_item("G-MAT-RED", &mat));
  REQUIRE(s.find_item("G-ROLLER", &roller));
  REQUIRE(s.find_item("G-BEANS", &beans));
  REQUIRE(s.transitions(mat).size() == 1);
  CHECK(s.transitions(mat)[0].item == roller);
  REQUIRE(s.co_purchases(mat).size() == 1);
  CHECK(s.co_purchases(mat)[0].item == beans);
  CHECK(s.meta().transition_scale.step == 1.0f / 32);
  CHECK(s.session_count() == 1);
}

TEST_CASE("golden v2.0 snapshot: string lengths instead of offsets") {
  const std::vector<uint8_t> bytes = golden("v2.0.snap"), v13 = golden("v1.3.snap");
  REQUIRE(!bytes.empty());
  auto r = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(r.is_ok(), r.status().message());
  auto r13 = Snapshot::open(v13.data(), v13.size());
  REQUIRE(r13.is_ok());
  const Snapshot &s = r.value(), &old = r13.value();
  CHECK(s.version_major() == 2);
  CHECK(s.version_minor() == 0);
  for (const SectionInfo& x : s.sections()) CHECK(x.id != fmt::kStringOffsets);
  // The same strings as v1.3's from the same files, and the same lists.
  REQUIRE(s.string_count() == old.string_count());
  for (uint32_t i = 0; i < s.string_count(); ++i) CHECK(s.string(i) == old.string(i));
  REQUIRE(s.item_count() == old.item_count());
  for (uint32_t i = 0; i < s.item_count(); ++i) {
    CHECK(s.item(i).id == old.item(i).id);
    CHECK(s.item(i).url() == old.item(i).url());
    for (auto row : {&Snapshot::transitions, &Snapshot::co_purchases}) {
      const ScoredList a = (s.*row)(i), b = (old.*row)(i);
      REQUIRE(a.size() == b.size());
      for (uint32_t k = 0; k < a.size(); ++k) {
        CHECK(a[k].item == b[k].item);
        CHECK(a[k].score == b[k].score);
      }
    }
  }
  uint32_t mat;
  REQUIRE(s.find_item("G-MAT-RED", &mat));
  CHECK(s.item(mat).title == "Cork Yoga Mat - Red");
}

TEST_CASE("golden v2.1 shard: items and sessions numbered as in the whole snapshot") {
  const std::vector<uint8_t> bytes = golden("v2.1-shard.snap"), v20 = golden("v2.0.snap");
  auto r = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(r.is_ok(), r.status().message());
  auto w = Snapshot::open(v20.data(), v20.size());
  REQUIRE(w.is_ok());
  const Snapshot &s = r.value(), &whole = w.value();
  CHECK(s.version_major() == 2);
  CHECK(s.version_minor() == 1);
  REQUIRE(s.is_shard());
  CHECK(s.shard_whole().items == whole.item_count());
  CHECK(s.shard_whole().sessions == whole.session_count());
  uint32_t owned = 0;
  for (uint32_t i = 0; i < s.item_count(); ++i) {
    uint32_t at;
    REQUIRE(whole.find_item(s.item(i).id, &at));
    CHECK(s.shard_global(i) == at);
    if (s.shard_lists(i) != fmt::kShardLists) continue;
    ++owned;  // its lists are the whole's
    for (auto row : {&Snapshot::transitions, &Snapshot::co_purchases}) {
      const ScoredList a = (s.*row)(i), b = (whole.*row)(at);
      REQUIRE(a.size() == b.size());
      for (uint32_t k = 0; k < a.size(); ++k) {
        CHECK(s.item(a[k].item).id == whole.item(b[k].item).id);
        CHECK(a[k].score == b[k].score);
      }
    }
  }
  CHECK(owned == 3);  // the items whose product key hashes to shard 2 of 5: G-MAT-RED and two more
  uint32_t mat;
  REQUIRE(s.find_item("G-MAT-RED", &mat));
  CHECK(s.shard_lists(mat) == fmt::kShardLists);
  REQUIRE(s.session_count() >= 1);  // only the sessions of its item, numbered as the whole's
  for (uint32_t x = 0; x < s.session_count(); ++x) {
    const IdList a = s.session_items(x), b = whole.session_items(s.shard_session_global(x));
    REQUIRE(a.size() == b.size());
    for (uint32_t k = 0; k < a.size(); ++k) CHECK(s.item(a[k]).id == whole.item(b[k]).id);
  }
  // Merged (alone), every session of the whole has its number.
  Result<std::vector<uint8_t>> merged = merge_shards({&s});
  REQUIRE(merged.is_ok());
  auto m = Snapshot::open(merged.value().data(), merged.value().size());
  REQUIRE(m.is_ok());
  CHECK(m.value().session_count() == whole.session_count());
  CHECK(m.value().item_count() == s.item_count());
}

TEST_CASE("golden v1.1 snapshot with rules: the compiled-in rules keep loading and applying") {
  // Written from rules.json beside it (tests/golden/README.md): a home pin, a brand boost,
  // an exclusion and three home slots.
  const std::vector<uint8_t> bytes = golden("v1.1-rules.snap");
  REQUIRE(!bytes.empty());
  auto r = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(r.is_ok(), r.status().message());
  const Snapshot& s = r.value();
  CHECK(!s.rules_text().empty());
  Engine engine(s);
  REQUIRE_MESSAGE(engine.rules_status().is_ok(), engine.rules_status().message());
  uint32_t roller, blue, mat;
  REQUIRE(s.find_item("G-ROLLER", &roller));
  REQUIRE(s.find_item("G-MAT-BLUE", &blue));
  REQUIRE(s.find_item("G-MAT-RED", &mat));
  Session session;
  Request req;
  req.placement = Placement::kHome;
  req.k = 5;
  req.now_ms = s.meta().as_of_ms;
  std::vector<Recommendation> recs;
  ListInfo info;
  engine.recommend(session, req, &recs, &info);
  CHECK(info.slots == 3);
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].item == roller);  // pinned first
  bool boosted = false;
  for (const Recommendation& rec : recs) {
    CHECK(rec.item != blue);  // excluded (and out of stock)
    for (size_t i = 0; i < rec.reason_count; ++i)
      boosted |= rec.item == mat && rec.reasons[i].source == Source::kBoost;
  }
  CHECK(boosted);
}
