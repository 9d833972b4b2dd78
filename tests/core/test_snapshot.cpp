#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <string>

#include "crc32.h"
#include "snapshot_fixture.h"

using namespace aisle;

namespace {

// Touches everything a consumer could read, so sanitizers see any out-of-range access.
size_t read_everything(const Snapshot& s) {
  size_t sum = 0;
  std::vector<std::string_view> path;
  for (uint32_t i = 0; i < s.item_count(); ++i) {
    const ItemView it = s.item(i);
    sum +=
        it.id.size() + it.title.size() + it.url().size() + it.image_url().size() + it.brand.size();
    if (it.category != fmt::kNone) {
      s.category_path(it.category, &path);
      sum += path.size();
    }
    if (it.group != fmt::kNone) {
      const GroupView g = s.group(it.group);
      for (uint32_t m = 0; m < g.count; ++m) sum += g.member(m);
    }
    for (uint32_t l = 0; l < s.label_count(i); ++l) sum += s.label(i, l).size();
    for (uint32_t h = 0; h < s.hint_count(i); ++h) {
      uint32_t target;
      HintKind kind;
      s.hint(i, h, &target, &kind);
      sum += target;
    }
    sum += s.popularity(i).views;
    uint32_t found;
    if (s.find_item(it.id, &found)) sum += found;
  }
  return sum + s.meta().events_read;
}

// Calls `fn` with the section table entry of every section `id` in the snapshot bytes `b`.
void for_entry(std::vector<uint8_t>& b, uint32_t id, const std::function<void(uint8_t*)>& fn) {
  fmt::Header h;
  std::memcpy(&h, b.data(), sizeof h);
  for (uint32_t i = 0; i < h.section_count; ++i) {
    uint8_t* e = b.data() + h.section_table_offset + uint64_t(i) * sizeof(fmt::SectionEntry);
    uint32_t x;
    std::memcpy(&x, e, 4);
    if (x == id) fn(e);
  }
}

void reseal(std::vector<uint8_t>& b) {
  std::memset(b.data() + fmt::kChecksumOffset, 0, 4);
  const uint32_t crc = crc32_update(0, b.data(), b.size());
  std::memcpy(b.data() + fmt::kChecksumOffset, &crc, 4);
}

}  // namespace

TEST_CASE("a written snapshot reads back every field") {
  const Catalog c = testing::small_catalog();
  const auto bytes = testing::small_snapshot(c);
  REQUIRE(!bytes.empty());
  CHECK(bytes.size() % 8 == 0);
  auto r = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(r.is_ok(), r.status().message());
  const Snapshot& s = r.value();
  CHECK(s.item_count() == 4);
  CHECK(s.group_count() == 1);
  CHECK(s.category_count() == 4);  // Home Fitness, Yoga, Mats, Recovery; beans has none

  const ItemView mat = s.item(0);
  CHECK(mat.id == "MAT-RED");
  CHECK(mat.title == "Cork Yoga Mat - Red");
  CHECK(mat.url() == "https://shop.example/products/cork-mat?variant=red");
  CHECK(mat.url_prefix == "https://shop.example/products/");
  CHECK(mat.image_url() == "https://cdn.example/img/mat-red.jpg");
  CHECK(mat.brand == "Zenith");
  CHECK(mat.currency == "USD");
  CHECK(mat.margin_tier == "high");
  CHECK(mat.price == 4500);
  CHECK(mat.sale_price == 3600);
  CHECK(mat.cost == fmt::kNone);  // public bytes: no unit cost (given 2000) ...
  CHECK(mat.launch == 1789000000u);
  CHECK(mat.inventory == -1);  // ... and no stock count (given 14), availability only
  CHECK(mat.kind == ItemKind::kDurable);
  CHECK(mat.promo);
  CHECK(mat.recommendable);
  CHECK(mat.availability == Availability::kInStock);
  CHECK(mat.effective_price(1790000000) == 3600);
  CHECK(mat.effective_price(1789999999) == 4500);
  CHECK(mat.effective_price(1791000000) == 4500);

  std::vector<std::string_view> path;
  s.category_path(mat.category, &path);
  REQUIRE(path.size() == 3);
  CHECK(path[0] == "Home Fitness");
  CHECK(path[2] == "Mats");
  CHECK(s.item(2).category != mat.category);
  CHECK(s.category(s.category(s.item(2).category).parent).name == "Home Fitness");

  const GroupView g = s.group(mat.group);
  CHECK(g.key == "MAT");
  REQUIRE(g.count == 2);
  CHECK(g.member(0) == 0);
  CHECK(g.member(1) == 1);
  CHECK(s.item(2).group == fmt::kNone);

  REQUIRE(s.label_count(0) == 2);
  CHECK(s.label(0, 1) == "series=core");
  REQUIRE(s.hint_count(0) == 2);
  uint32_t target;
  HintKind kind;
  s.hint(0, 0, &target, &kind);
  CHECK(target == 1);
  CHECK(kind == HintKind::kUpsell);
  s.hint(0, 1, &target, &kind);
  CHECK(target == 2);
  CHECK(kind == HintKind::kCrossSell);

  const ItemView blue = s.item(1);
  CHECK(blue.sale_price == fmt::kNone);
  CHECK(blue.effective_price(1790000000) == 4500);
  CHECK(blue.availability == Availability::kOutOfStock);
  const ItemView beans = s.item(3);
  CHECK(beans.category == fmt::kNone);
  CHECK(beans.kind == ItemKind::kConsumable);
  CHECK(beans.repurchase_days == 21);
  CHECK(!beans.recommendable);
  CHECK(beans.cost == fmt::kNone);
  CHECK(beans.url().empty());

  CHECK(s.popularity(0).views == 10);
  CHECK(s.popularity(0).purchases == 2);
  CHECK(s.popularity(0).trend == doctest::Approx(7.5));
  CHECK(s.meta().events_used == 27);
  CHECK(s.string(s.meta().catalog_format) == "test");

  uint32_t index = 99;
  for (uint32_t i = 0; i < 4; ++i) {
    CHECK(s.find_item(s.item(i).id, &index));
    CHECK(index == i);
  }
  CHECK_FALSE(s.find_item("NOPE", &index));
  CHECK_FALSE(s.find_item("", &index));
  CHECK(read_everything(s) > 0);
}

TEST_CASE("the writer refuses what the format cannot represent") {
  Catalog c = testing::small_catalog();
  SnapshotInput in;
  in.catalog = &c;
  c.items[1].id = "MAT-RED";
  CHECK(write_snapshot(in).status().code() == StatusCode::kInvalidArgument);
  c = testing::small_catalog();
  c.items[2].id = "";
  CHECK(!write_snapshot(in).is_ok());
  c = testing::small_catalog();
  c.items[2].price = kNoPrice;
  CHECK(!write_snapshot(in).is_ok());
  c = testing::small_catalog();
  c.items[0].cross_sell_ids = {"GHOST"};
  CHECK(write_snapshot(in).status().message().find("GHOST") != std::string::npos);
  c = testing::small_catalog();
  c.items[0].price = int64_t(1) << 33;
  CHECK(!write_snapshot(in).is_ok());
  c = testing::small_catalog();
  in.popularity.resize(2);
  CHECK(!write_snapshot(in).is_ok());
}

TEST_CASE("an empty catalog still makes a valid snapshot") {
  Catalog c;
  SnapshotInput in;
  in.catalog = &c;
  auto bytes = write_snapshot(in);
  REQUIRE(bytes.is_ok());
  auto s = Snapshot::open(bytes.value().data(), bytes.value().size());
  REQUIRE(s.is_ok());
  CHECK(s.value().item_count() == 0);
  uint32_t i;
  CHECK_FALSE(s.value().find_item("x", &i));
}

TEST_CASE("every truncated prefix is rejected, and so are trailing bytes") {
  const Catalog c = testing::small_catalog();
  auto bytes = testing::small_snapshot(c);
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto r = Snapshot::open(bytes.data(), n);
    REQUIRE_MESSAGE(!r.is_ok(), "prefix of " << n << " bytes accepted");
    CHECK(r.status().code() == StatusCode::kCorrupt);
  }
  bytes.push_back(0);
  auto r = Snapshot::open(bytes.data(), bytes.size());
  CHECK(!r.is_ok());
  CHECK(r.status().message().find("trailing") != std::string::npos);
}

TEST_CASE("every single-byte corruption is rejected") {
  const Catalog c = testing::small_catalog();
  const auto good = testing::small_snapshot(c);
  for (size_t pos = 0; pos < good.size(); ++pos) {
    for (uint8_t mask : {0x01, 0x80, 0xFF}) {
      auto bad = good;
      bad[pos] ^= mask;
      REQUIRE_MESSAGE(!Snapshot::open(bad.data(), bad.size()).is_ok(),
                      "flip at byte " << pos << " accepted");
    }
  }
}

TEST_CASE(
    "structural checks hold without the checksum: corrupted and resealed files never misread") {
  const Catalog c = testing::small_catalog();
  const auto good = testing::small_snapshot(c);
  VerifyOptions no_crc;
  no_crc.verify_checksum = false;
  size_t rejected = 0, accepted = 0;
  uint64_t state = 12345;
  for (size_t pos = 0; pos < good.size(); ++pos) {
    for (int k = 0; k < 4; ++k) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      auto bad = good;
      bad[pos] = uint8_t(state >> 56);
      reseal(bad);
      auto r = Snapshot::open(bad.data(), bad.size(), no_crc);
      if (r.is_ok()) {
        ++accepted;  // a change the format allows (e.g. a title byte): reading must stay in bounds
        read_everything(r.value());
      } else {
        ++rejected;
      }
    }
  }
  CHECK(rejected > 0);
  CHECK(accepted > 0);
}

TEST_CASE("header checks name the problem") {
  const Catalog c = testing::small_catalog();
  auto good = testing::small_snapshot(c);
  SUBCASE("magic") {
    auto b = good;
    b[0] = 'X';
    reseal(b);
    CHECK(Snapshot::open(b.data(), b.size()).status().message().find("magic") != std::string::npos);
  }
  SUBCASE("newer major version") {
    auto b = good;
    b[8] = 3;
    reseal(b);
    auto r = Snapshot::open(b.data(), b.size());
    CHECK(r.status().code() == StatusCode::kUnsupported);
  }
  SUBCASE("checksum") {
    auto b = good;
    b[b.size() / 2] ^= 0x10;
    CHECK(Snapshot::open(b.data(), b.size()).status().message().find("checksum") !=
          std::string::npos);
  }
  SUBCASE("limits") {
    VerifyOptions o;
    o.max_items = 3;
    CHECK(Snapshot::open(good.data(), good.size(), o).status().code() ==
          StatusCode::kLimitExceeded);
    o = VerifyOptions{};
    o.max_file_size = 100;
    CHECK(Snapshot::open(good.data(), good.size(), o).status().code() ==
          StatusCode::kLimitExceeded);
  }
  SUBCASE("null data") {
    CHECK(!Snapshot::open(nullptr, 10).is_ok());
  }
}

TEST_CASE("unknown sections from a newer writer are skipped (append-only evolution)") {
  const Catalog c = testing::small_catalog();
  ExtraSection x;
  x.id = 77;
  x.elem_size = 4;
  x.bytes = {1, 2, 3, 4, 5, 6, 7, 8};
  const auto bytes = testing::small_snapshot(c, {x});
  auto r = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE(r.is_ok());
  CHECK(r.value().item_count() == 4);
  bool seen = false;
  for (const auto& s : r.value().sections()) seen = seen || (s.id == 77 && s.size == 8);
  CHECK(seen);
}

TEST_CASE("bytes need no particular alignment") {
  const Catalog c = testing::small_catalog();
  const auto bytes = testing::small_snapshot(c);
  std::vector<uint8_t> shifted(bytes.size() + 1);
  std::memcpy(shifted.data() + 1, bytes.data(), bytes.size());
  auto r = Snapshot::open(shifted.data() + 1, bytes.size());
  REQUIRE(r.is_ok());
  CHECK(r.value().item(2).title == "Foam Roller");
}

TEST_CASE("format 1.2: each item's postings are derived at load from the session index") {
  const Catalog c = testing::small_catalog();
  SnapshotInput in;
  in.catalog = &c;
  in.catalog_format = "test";
  // Oldest first; item 1 twice in session 4 (a hand-made index: one posting per occurrence).
  in.model.sessions = {{0, 2}, {0, 1, 2}, {2, 0}, {0}, {1, 1}};
  in.model.sessions_per_item = 2;
  const auto written = write_snapshot(in);
  REQUIRE(written.is_ok());
  std::vector<uint8_t> bytes = written.value();
  auto ids = [](IdList l) {
    std::vector<uint32_t> v;
    for (uint32_t k = 0; k < l.size(); ++k) v.push_back(l[k]);
    return v;
  };
  {
    Snapshot s;
    {
      auto r = Snapshot::open(bytes.data(), bytes.size());
      REQUIRE_MESSAGE(r.is_ok(), r.status().message());
      s = r.value();  // a copy keeps reading the derived postings after the original is gone
    }
    CHECK(s.meta().sessions_per_item == 2);
    CHECK(s.session_count() == 5);
    CHECK(ids(s.item_sessions(0)) == std::vector<uint32_t>{3, 2});  // the 2 most recent of 4
    CHECK(ids(s.item_sessions(1)) == std::vector<uint32_t>{4, 4});
    CHECK(ids(s.item_sessions(2)) == std::vector<uint32_t>{2, 1});
    CHECK(ids(s.item_sessions(3)).empty());
    for (const SectionInfo& x : s.sections()) {  // the postings are not in the file
      CHECK(x.id != fmt::kItemSessions);
      CHECK(x.id != fmt::kSessionItems);
    }
  }
  SUBCASE("a cap over the reader's limit is refused") {
    VerifyOptions o;
    o.max_sessions_per_item = 1;
    const auto r = Snapshot::open(bytes.data(), bytes.size(), o);
    REQUIRE(!r.is_ok());
    CHECK(r.status().code() == StatusCode::kLimitExceeded);
    CHECK(r.status().message().find("sessions_per_item") != std::string::npos);
  }
  SUBCASE("a session index without a cap is refused") {
    auto r = Snapshot::open(bytes.data(), bytes.size());
    REQUIRE(r.is_ok());
    for (const SectionInfo& x : r.value().sections()) {
      if (x.id != fmt::kMeta) continue;
      std::memset(bytes.data() + x.offset + offsetof(fmt::MetaRecord, sessions_per_item), 0, 4);
    }
    reseal(bytes);
    const auto bad = Snapshot::open(bytes.data(), bytes.size());
    REQUIRE(!bad.is_ok());
    CHECK(bad.status().message().find("sessions_per_item is 0") != std::string::npos);
  }
  SUBCASE("the writer refuses sessions without a cap") {
    in.model.sessions_per_item = 0;
    CHECK(!write_snapshot(in).is_ok());
  }
}

TEST_CASE("format 1.3: scored lists are written as items and score bytes on a log scale") {
  const Catalog c = testing::small_catalog();
  SnapshotInput in;
  in.catalog = &c;
  in.catalog_format = "test";
  in.model.transitions = {{{1, 10.0f}, {2, 9.9f}, {3, 0.1f}}, {}, {{0, 0.5f}}, {}};
  in.model.co_purchases = {{{3, 0.7f}}, {}, {}, {}};
  auto read_back = [](const Snapshot& s, ScoredList (Snapshot::*row)(uint32_t) const) {
    std::vector<std::vector<ScoredItem>> rows(s.item_count());
    for (uint32_t i = 0; i < s.item_count(); ++i) {
      const ScoredList l = (s.*row)(i);
      for (uint32_t k = 0; k < l.size(); ++k) rows[i].push_back(l[k]);
    }
    return rows;
  };
  auto section_ids = [](const Snapshot& s) {
    std::vector<uint32_t> v;
    for (const SectionInfo& x : s.sections()) v.push_back(x.id);
    return v;
  };
  const auto written = write_snapshot(in);
  REQUIRE(written.is_ok());
  std::vector<uint8_t> bytes = written.value();
  auto r = Snapshot::open(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(r.is_ok(), r.status().message());
  const Snapshot& s = r.value();
  CHECK((s.version_major() > 1 || s.version_minor() >= 3));
  const std::vector<uint32_t> ids = section_ids(s);
  for (uint32_t id : {fmt::kCompactTransitionOffsets, fmt::kCompactTransitionItems,
                      fmt::kCompactTransitionScores, fmt::kCompactCoPurchaseOffsets,
                      fmt::kCompactCoPurchaseItems, fmt::kCompactCoPurchaseScores})
    CHECK(std::count(ids.begin(), ids.end(), id) == 1);
  for (uint32_t id :
       {fmt::kTransitionOffsets, fmt::kTransitions, fmt::kCoPurchaseOffsets, fmt::kCoPurchases})
    CHECK(std::count(ids.begin(), ids.end(), id) == 0);
  // 10 / 0.1 is under 7 octaves: the finest steps, 1/32 octave, each score within 1.1%.
  CHECK(s.meta().transition_scale.step == 1.0f / 32);
  for (auto [row, want] : {std::pair{&Snapshot::transitions, &in.model.transitions},
                           std::pair{&Snapshot::co_purchases, &in.model.co_purchases}}) {
    const auto got = read_back(s, row);
    for (size_t i = 0; i < got.size(); ++i) {
      REQUIRE(got[i].size() == (*want)[i].size());
      for (size_t k = 0; k < got[i].size(); ++k) {
        CHECK(got[i][k].item == (*want)[i][k].item);
        CHECK(got[i][k].score == doctest::Approx((*want)[i][k].score).epsilon(0.011));
        if (k > 0) CHECK(got[i][k].score <= got[i][k - 1].score);  // still best first
      }
    }
  }

  SUBCASE("scores read back are written again as the same bytes") {
    SnapshotInput again = in;
    again.model.transitions = read_back(s, &Snapshot::transitions);
    again.model.co_purchases = read_back(s, &Snapshot::co_purchases);
    again.model.transitions[0].pop_back();  // a subset too (the public cut leaves items out)
    auto w2 = write_snapshot(again);
    REQUIRE(w2.is_ok());
    auto r2 = Snapshot::open(w2.value().data(), w2.value().size());
    REQUIRE(r2.is_ok());
    const auto got = read_back(r2.value(), &Snapshot::transitions);
    CHECK(got[0][0].score == s.transitions(0)[0].score);
    CHECK(got[0][1].score == s.transitions(0)[1].score);
    CHECK(got[2][0].score == s.transitions(2)[0].score);
  }
  SUBCASE("a wider range takes coarser steps") {
    in.model.transitions = {{{1, 1e6f}, {2, 1e-3f}}, {}, {}, {}};  // 30 octaves: 1/8
    auto w2 = write_snapshot(in);
    REQUIRE(w2.is_ok());
    auto r2 = Snapshot::open(w2.value().data(), w2.value().size());
    REQUIRE(r2.is_ok());
    CHECK(r2.value().meta().transition_scale.step == 0.125f);
    CHECK(r2.value().transitions(0)[0].score == doctest::Approx(1e6f).epsilon(0.045));
    CHECK(r2.value().transitions(0)[1].score == doctest::Approx(1e-3f).epsilon(0.045));
  }
  SUBCASE("a scale out of range is refused") {
    size_t meta_at = 0;
    for (const SectionInfo& x : s.sections())
      if (x.id == fmt::kMeta) meta_at = size_t(x.offset);
    const size_t base_at = meta_at + offsetof(fmt::MetaRecord, transition_scale);
    // {base, step}: no score, a negative or NaN base, 1e30 * 2^127.5 overflowing, a step that
    // is not a multiple of 1/32 octave, or too long.
    for (auto [base, step] : {std::pair{0.0f, 0.03125f},
                              {-1.0f, 0.03125f},
                              {float(NAN), 0.03125f},
                              {1e30f, 0.5f},
                              {1.0f, 0.3f},
                              {1.0f, 1.0f}}) {
      std::vector<uint8_t> b = bytes;
      std::memcpy(b.data() + base_at, &base, 4);
      std::memcpy(b.data() + base_at + 4, &step, 4);
      reseal(b);
      const auto bad = Snapshot::open(b.data(), b.size());
      REQUIRE(!bad.is_ok());
      CHECK(bad.status().message().find("compact transitions: its scale in meta is out of range") !=
            std::string::npos);
    }
  }
  SUBCASE("items without their score bytes are refused") {
    // The scores' table entry renamed to an unknown section.
    for_entry(bytes, fmt::kCompactTransitionScores, [](uint8_t* e) {
      const uint32_t id = 77;
      std::memcpy(e, &id, 4);
    });
    reseal(bytes);
    const auto bad = Snapshot::open(bytes.data(), bytes.size());
    REQUIRE(!bad.is_ok());
    CHECK(bad.status().message().find("compact transitions: not one score byte per item") !=
          std::string::npos);
  }
}

TEST_CASE("format 2.0: strings as their lengths, the offsets derived at load") {
  const Catalog c = testing::small_catalog();
  SnapshotInput in;
  in.catalog = &c;
  in.catalog_format = "test";
  in.model.co_purchases = {{{3, 0.7f}}, {}, {}, {}};
  const auto written = write_snapshot(in);
  REQUIRE(written.is_ok());
  const std::vector<uint8_t> bytes = written.value();
  SectionInfo lengths{};
  {
    Snapshot s;
    {
      auto r = Snapshot::open(bytes.data(), bytes.size());
      REQUIRE_MESSAGE(r.is_ok(), r.status().message());
      s = r.value();  // a copy keeps reading the derived offsets after the original is gone
    }
    CHECK(s.version_major() == 2);
    CHECK(s.version_minor() == 0);
    for (const SectionInfo& x : s.sections()) {
      CHECK(x.id != fmt::kStringOffsets);
      if (x.id == fmt::kStringLengths) lengths = x;
    }
    REQUIRE(lengths.size > 0);
    CHECK(s.string(0).empty());
    for (uint32_t i = 0; i < c.items.size(); ++i) {
      uint32_t found;
      REQUIRE(s.find_item(c.items[i].id, &found));
      CHECK(s.item(found).title == c.items[i].title);
      CHECK(s.item(found).brand == c.items[i].brand);
    }
    CHECK(read_everything(s) > 0);
  }
  // Hand-made damage, resealed so that the checksum passes: the verifier names it.
  auto refused = [&](const std::function<void(std::vector<uint8_t>&)>& damage) {
    std::vector<uint8_t> b = bytes;
    damage(b);
    reseal(b);
    const auto r = Snapshot::open(b.data(), b.size());
    REQUIRE(!r.is_ok());
    return r.status().message();
  };
  CHECK(refused([&](std::vector<uint8_t>& b) { b[lengths.offset + lengths.size - 1] |= 0x80; }) ==
        "snapshot: string_lengths: the last length is cut short");
  CHECK(refused([&](std::vector<uint8_t>& b) {  // string 1 of 2^28 - 1 bytes
          for (uint64_t k = 1; k <= 3; ++k) b[lengths.offset + k] = 0xff;
          b[lengths.offset + 4] = 0x7f;
        })
            .find("string_lengths: string 1 runs past the string data") != std::string::npos);
  CHECK(refused([&](std::vector<uint8_t>& b) {
          for (uint64_t k = 0; k < 6; ++k) b[lengths.offset + k] = 0x80;
        }).find("is not a LEB128 number of at most 5 bytes") != std::string::npos);
  CHECK(refused([&](std::vector<uint8_t>& b) {  // a length one short: the data not ended
          uint64_t k = lengths.offset + 1;
          while (b[k] == 0) ++k;  // the first string that is not empty, of one byte
          REQUIRE(b[k] < 0x80);
          --b[k];
        }) == "snapshot: string_offsets: last offset does not end the data");
  CHECK(refused([&](std::vector<uint8_t>& b) {  // a section renamed string_offsets: both forms
          for_entry(b, fmt::kCompactCoPurchaseOffsets, [](uint8_t* e) {
            const uint32_t id = fmt::kStringOffsets;
            std::memcpy(e, &id, 4);
          });
        }) == "snapshot: string_lengths: beside string_offsets");
  CHECK(refused([&](std::vector<uint8_t>& b) {  // the lengths as one element of their size
          for_entry(b, fmt::kStringLengths, [&](uint8_t* e) {
            const auto elem = uint32_t(lengths.size);
            std::memcpy(e + 4, &elem, 4);
          });
        }) == "snapshot: string_lengths: element size must be 1");
  SUBCASE("more strings than the reader allows") {
    VerifyOptions o;
    o.max_strings = 2;
    const auto r = Snapshot::open(bytes.data(), bytes.size(), o);
    REQUIRE(!r.is_ok());
    CHECK(r.status().code() == StatusCode::kLimitExceeded);
  }
}
