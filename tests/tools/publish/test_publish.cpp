// aisle publish: every page key in the file its hash names, each list what a Storefront
// gives a new visitor on that page, the manifest, deterministic bytes, other builds kept.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "file_io.h"
#include "new_visitor.h"
#include "publish.h"
#include "snapshot_writer.h"
#include "storefront.h"
#include "test_util.h"

using namespace aisle;
using nlohmann::json;

namespace {

constexpr int64_t kAsOf = 1793404800000;  // 2026-10-31

// Twelve items in five categories; "Knives" names two of them, so only their paths are
// keys. K1 is bought with K2 and K3; B0 is not recommendable; S0 is on sale.
std::vector<uint8_t> store_bytes(const std::string& extra_title = "") {
  struct Row {
    const char* id;
    std::vector<std::string> path;
  };
  const Row rows[] = {{"K1", {"Home", "Kitchen", "Knives"}},
                      {"K2", {"Home", "Kitchen", "Knives"}},
                      {"K3", {"Home", "Kitchen", "Knives"}},
                      {"P1", {"Home", "Kitchen"}},
                      {"P2", {"Home", "Kitchen"}},
                      {"O1", {"Outdoor", "Knives"}},
                      {"O2", {"Outdoor", "Knives"}},
                      {"O3", {"Outdoor"}},
                      {"H1", {"Home"}},
                      {"B0", {"Home"}},
                      {"S0", {"Outdoor"}},
                      {"SKU-\"1\"", {"Home"}}};
  Catalog catalog;
  for (const Row& row : rows) {
    CatalogItem it;
    it.id = row.id;
    it.title = std::string("Item ") + row.id + extra_title;
    it.url = std::string("https://shop.example/") + row.id;
    it.price = 1500;
    it.currency = "EUR";
    it.category_path = row.path;
    it.labels = {"color=Red"};
    catalog.items.push_back(it);
  }
  catalog.items[9].recommendable = false;
  catalog.items[10].sale_price = 900;
  SnapshotInput in;
  in.catalog = &catalog;
  for (uint32_t i = 0; i < catalog.items.size(); ++i)
    in.popularity.push_back({100 - i, 10 - i % 5, 5 - i % 5, float(20 - i)});
  in.model.co_purchases.assign(catalog.items.size(), {});
  in.model.co_purchases[0] = {{1, 1.0f}, {2, 0.5f}};
  in.built_at_ms = kAsOf + 3600000;
  in.as_of_ms = kAsOf;
  in.catalog_format = "test";
  auto w = write_snapshot(in);
  REQUIRE(w.is_ok());
  return w.value();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every file under dir, by relative path, with its bytes.
std::map<std::string, std::string> tree(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file())
      out[std::filesystem::relative(e.path(), dir).string()] = slurp(e.path().string());
  return out;
}

struct Published {
  std::string dir, snap_path;
  std::vector<uint8_t> bytes;
  json manifest;
  std::vector<json> files;
  PublishReport report;
  explicit Published(PublishOptions o = {}, std::vector<uint8_t> snapshot = store_bytes())
      : dir(testing::temp_dir("publish")), bytes(std::move(snapshot)) {
    snap_path = dir + "/in.snap";
    write_file_atomic(snap_path, bytes.data(), bytes.size());
    report = publish(snap_path, dir + "/out", o);
    manifest = json::parse(slurp(dir + "/out/manifest.json"));
    for (uint32_t n = 0; n < manifest["files"].get<uint32_t>(); ++n)
      files.push_back(json::parse(slurp(dir + "/out/" + manifest["lists"].get<std::string>() +
                                        std::to_string(n) + ".json")));
  }
  ~Published() { std::filesystem::remove_all(dir); }
};

// What a Storefront gives a new visitor: the page's event tracked, then the list.
json by_hand(const std::vector<uint8_t>& bytes, const std::string& placement,
             const std::string& item, const std::string& category, uint32_t k, int64_t now) {
  Storefront store;
  REQUIRE(store.load(bytes).is_ok());
  return testing::new_visitor_list(store, placement, item, category, k, now);
}

// The published list of `key`, its items rebuilt as the browser does:
// Object.assign({}, items[id], entry).
json rebuilt(const Published& p, const std::string& key) {
  for (const json& f : p.files) {
    if (!f["lists"].contains(key)) continue;
    json list = f["lists"][key];
    for (json& entry : list["items"]) {
      json item = f["items"][entry["id"].get<std::string>()];
      item.update(entry);
      entry = item;
    }
    return list;
  }
  FAIL("no list for " << key);
  return json();
}

void check_same_list(const json& published, const json& hand, const std::string& key) {
  INFO(key);
  CHECK(!published.contains("k"));
  for (const char* field : {"placement", "mode", "slots", "context"})
    CHECK(published[field] == hand[field]);
  REQUIRE(published["items"].size() == hand["items"].size());
  for (size_t i = 0; i < hand["items"].size(); ++i)
    CHECK(published["items"][i] == hand["items"][i]);
}

}  // namespace

TEST_CASE("publish: FNV-1a known answers, and the bucket of product:SKU-1 among 7 files") {
  CHECK(fnv1a_32("") == 0x811c9dc5u);
  CHECK(fnv1a_32("a") == 0xe40c292cu);
  CHECK(fnv1a_32("foobar") == 0xbf9cf968u);
  CHECK(fnv1a_64("") == 0xcbf29ce484222325ull);
  CHECK(fnv1a_64("a") == 0xaf63dc4c8601ec8cull);
  CHECK(fnv1a_64("foobar") == 0x85944171f73967e8ull);
  CHECK(build_id({'a'}) == "af63dc4c8601ec8c");
  // The worked example of docs/snapshot-format.md, "Published files".
  CHECK(fnv1a_32("product:SKU-1") == 0x478ea72du);
  CHECK(list_file_of("product:SKU-1", 7) == 4);
}

TEST_CASE("publish: the manifest names the build, the snapshot unchanged and the list files") {
  Published p;
  const json& m = p.manifest;
  const std::string build = build_id(p.bytes);
  CHECK(p.report.build == build);
  CHECK(m["v"] == 1);
  CHECK(m["build"] == build);
  CHECK(m["snapshot"] == "snap/" + build + ".snap");
  CHECK(slurp(p.dir + "/out/" + m["snapshot"].get<std::string>()) ==
        std::string(p.bytes.begin(), p.bytes.end()));
  CHECK(m["snapshot_bytes"] == p.bytes.size());
  const auto snap = Snapshot::open(p.bytes.data(), p.bytes.size());
  REQUIRE(snap.is_ok());
  CHECK(m["snapshot_checksum"] == snap.value().checksum());
  CHECK(m["items"] == 12);
  CHECK(m["as_of"] == kAsOf);
  CHECK(m["lists_at"] == kAsOf);  // the default: the snapshot's trend time
  CHECK(m["limits"] == json({{"home", 4}, {"product", 4}, {"category", 4}}));
  CHECK(m["lists"] == "lists/" + build + "/");
  // home, 12 products, 5 category paths, and "Kitchen" (the only leaf name no other has
  // and no root bears): 19 keys, 8 a file.
  CHECK(p.report.keys == 19);
  CHECK(m["files"] == 3);
  CHECK(p.report.files == 3);
  const std::vector<std::string> names = {
      "manifest.json", "snap/" + build + ".snap", "lists/" + build + "/0.json",
      "lists/" + build + "/1.json", "lists/" + build + "/2.json"};
  CHECK(tree(p.dir + "/out").size() == names.size());
  for (const auto& name : names) CHECK_MESSAGE(tree(p.dir + "/out").count(name), name);
}

TEST_CASE("publish: every page key once, in the file its hash names") {
  Published p;
  std::set<std::string> keys;
  for (uint32_t n = 0; n < p.files.size(); ++n) {
    const json& f = p.files[n];
    CHECK(f["v"] == 1);
    CHECK(f["build"] == p.manifest["build"]);
    CHECK(f["file"] == n);
    std::set<std::string> listed;
    for (const auto& list : f["lists"].items()) {
      const std::string& key = list.key();
      CHECK_MESSAGE(list_file_of(key, uint32_t(p.files.size())) == n, key);
      CHECK_MESSAGE(keys.insert(key).second, key << " twice");
      for (const json& entry : list.value()["items"]) listed.insert(entry["id"].get<std::string>());
    }
    std::set<std::string> items;  // exactly the items its lists show
    for (const auto& item : f["items"].items()) {
      CHECK(item.value()["id"] == item.key());
      items.insert(item.key());
    }
    CHECK(items == listed);
  }
  const std::set<std::string> want = {"home",
                                      "product:K1",
                                      "product:K2",
                                      "product:K3",
                                      "product:P1",
                                      "product:P2",
                                      "product:O1",
                                      "product:O2",
                                      "product:O3",
                                      "product:H1",
                                      "product:B0",
                                      "product:S0",
                                      "product:SKU-\"1\"",
                                      "category:Home",
                                      "category:Home > Kitchen",
                                      "category:Home > Kitchen > Knives",
                                      "category:Outdoor",
                                      "category:Outdoor > Knives",
                                      "category:Kitchen"};
  CHECK(keys == want);
}

TEST_CASE("publish: each list is what a Storefront gives a new visitor on that page") {
  PublishOptions o;
  o.limits = {6, 5, 3};
  o.now_ms = kAsOf + 86400000;
  Published p(o);
  CHECK(p.manifest["lists_at"] == kAsOf + 86400000);
  CHECK(p.manifest["limits"] == json({{"home", 6}, {"product", 5}, {"category", 3}}));
  const int64_t now = *o.now_ms;
  for (const char* id : {"K1", "K2", "P1", "O3", "B0", "S0", "SKU-\"1\""})
    check_same_list(rebuilt(p, std::string("product:") + id),
                    by_hand(p.bytes, "product", id, "", 5, now), id);
  check_same_list(rebuilt(p, "home"), by_hand(p.bytes, "home", "", "", 6, now), "home");
  for (const char* path : {"Home > Kitchen > Knives", "Outdoor > Knives", "Home > Kitchen"})
    check_same_list(rebuilt(p, std::string("category:") + path),
                    by_hand(p.bytes, "category", "", path, 3, now), path);
  check_same_list(rebuilt(p, "category:Kitchen"),
                  by_hand(p.bytes, "category", "", "Home > Kitchen", 3, now), "Kitchen");
  // The lists are not all alike: K1's page shows what is bought with it first.
  CHECK(rebuilt(p, "product:K1")["items"][0]["id"] == "K2");
  CHECK(rebuilt(p, "product:K1")["items"][0]["reasons"][0]["code"] == "bought_together");
  CHECK(rebuilt(p, "product:S0")["items"].size() <= 5);
  // Public files: only what a list shows of an item, no merchant-only field.
  for (const json& f : p.files)
    for (const auto& item : f["items"].items())
      for (const char* field : {"margin_tier", "labels", "cost", "inventory", "launch", "promo"})
        CHECK_MESSAGE(!item.value().contains(field), item.key() << " " << field);
}

TEST_CASE("publish: deterministic bytes; a new build leaves the previous build's files") {
  PublishOptions o;
  o.lists_per_file = 3;
  Published a(o), b(o);
  const auto first = tree(a.dir + "/out");
  CHECK(first == tree(b.dir + "/out"));
  CHECK(first.size() == 2 + 7);  // manifest, snapshot, ceil(19 / 3) list files
  // The same snapshot again into the same place: the same files.
  publish(a.snap_path, a.dir + "/out", o);
  CHECK(tree(a.dir + "/out") == first);
  // Another build: its own snapshot and lists beside the old ones, a new manifest.
  const std::vector<uint8_t> next = store_bytes(" v2");
  write_file_atomic(a.dir + "/next.snap", next.data(), next.size());
  const PublishReport r = publish(a.dir + "/next.snap", a.dir + "/out", o);
  CHECK(r.build != a.report.build);
  const auto after = tree(a.dir + "/out");
  for (const auto& file : first) {  // (no structured bindings: clang 14 cannot capture them)
    const std::string& name = file.first;
    if (name == "manifest.json") continue;
    REQUIRE_MESSAGE(after.count(name), name);
    CHECK_MESSAGE(after.at(name) == file.second, name);
  }
  CHECK(after.size() == first.size() * 2 - 1);
  CHECK(json::parse(after.at("manifest.json"))["build"] == r.build);
}

TEST_CASE("publish: a corrupt snapshot is refused naming the file, and nothing is written") {
  const std::string dir = testing::temp_dir("publish");
  std::vector<uint8_t> bytes = store_bytes();
  bytes[bytes.size() / 2] ^= 0xff;
  write_file_atomic(dir + "/bad.snap", bytes.data(), bytes.size());
  try {
    publish(dir + "/bad.snap", dir + "/out", PublishOptions{});
    FAIL("published a corrupt snapshot");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("bad.snap") != std::string::npos);
  }
  CHECK(!std::filesystem::exists(dir + "/out"));
  std::filesystem::remove_all(dir);
}
