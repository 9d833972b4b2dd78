#include "publish.h"

#include <chrono>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "diagnostics.h"
#include "file_io.h"
#include "json_line.h"
#include "public_snapshot.h"
#include "shards.h"
#include "storefront.h"

namespace aisle {

uint32_t list_file_of(std::string_view key, uint32_t files) {
  return fnv1a_32(key) % files;
}

std::string build_id(const std::vector<uint8_t>& snapshot_bytes) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(fnv1a_64(std::string_view(
                    reinterpret_cast<const char*>(snapshot_bytes.data()), snapshot_bytes.size()))));
  return hex;
}

namespace {

// A page with a list: home, a product (an item index), or a category (its index) named by
// its root-first path or, where no other category bears it, by its own name.
enum class PageKind : uint8_t { kHome, kProduct, kCategoryPath, kCategoryName };
struct Page {
  PageKind kind;
  uint32_t index;
};

// Each page's list as the engine gives a new visitor there, through one Storefront whose
// visit is reset between pages, and the list files' JSON.
class Publisher {
 public:
  Publisher(Storefront& store, const PublishOptions::Limits& limits, int64_t now_ms)
      : store_(store), snap_(store.snapshot()), limits_(limits), now_ms_(now_ms) {
    std::vector<std::string_view> names;
    for (uint32_t c = 0; c < snap_.category_count(); ++c) {
      snap_.category_path(c, &names);
      std::string path;
      for (const std::string_view name : names) {
        if (!path.empty()) path += " > ";
        path += name;
      }
      paths_.push_back(std::move(path));
    }
    seen_.assign(snap_.item_count(), UINT32_MAX);
  }

  // Every page once, in a stable order: home, the products, the categories by path, then
  // by name.
  std::vector<Page> pages() const {
    std::vector<Page> out{{PageKind::kHome, 0}};
    for (uint32_t i = 0; i < snap_.item_count(); ++i) out.push_back({PageKind::kProduct, i});
    std::unordered_set<std::string_view> paths;
    std::unordered_map<std::string_view, uint32_t> named;
    for (uint32_t c = 0; c < snap_.category_count(); ++c) {
      if (paths.insert(paths_[c]).second) out.push_back({PageKind::kCategoryPath, c});
      ++named[snap_.category(c).name];
    }
    for (uint32_t c = 0; c < snap_.category_count(); ++c) {
      const std::string_view name = snap_.category(c).name;
      if (named[name] == 1 && !paths.count(name)) out.push_back({PageKind::kCategoryName, c});
    }
    return out;
  }

  // "home", "product:<id>", "category:<path>" or "category:<name>".
  void key(const Page& p, std::string* out) const {
    switch (p.kind) {
      case PageKind::kHome:
        *out = "home";
        return;
      case PageKind::kProduct:
        *out = "product:";
        *out += snap_.item(p.index).id;
        return;
      case PageKind::kCategoryPath:
        *out = "category:" + paths_[p.index];
        return;
      case PageKind::kCategoryName:
        *out = "category:";
        *out += snap_.category(p.index).name;
        return;
    }
  }

  // {"v":1,"build","file","items":{id: item},"lists":{key: list}} for the pages given.
  std::string file_json(const std::string& build, uint32_t file, const Page* begin,
                        const Page* end) {
    lists_.clear();
    items_json_.clear();
    for (const Page* p = begin; p != end; ++p) {
      key(*p, &key_);
      if (p != begin) lists_ += ',';
      append_json_string(&lists_, key_);
      lists_ += ':';
      lists_ += list(*p);
      for (const uint32_t item : items_) {
        if (seen_[item] == file) continue;
        seen_[item] = file;
        if (!items_json_.empty()) items_json_ += ',';
        append_json_string(&items_json_, snap_.item(item).id);
        items_json_ += ':';
        items_json_ += store_.shown_item_json(item, now_ms_);
      }
    }
    return "{\"v\":1,\"build\":\"" + build + "\",\"file\":" + std::to_string(file) +
           ",\"items\":{" + items_json_ + "},\"lists\":{" + lists_ + "}}\n";
  }

 private:
  // The page's list for a new visitor (the page's own view_item tracked on a product
  // page); its items in items_.
  std::string_view list(const Page& p) {
    store_.reset_visit();
    RequestInput in;
    in.now_ms = now_ms_;
    in.k = p.kind == PageKind::kHome      ? limits_.home
           : p.kind == PageKind::kProduct ? limits_.product
                                          : limits_.category;
    switch (p.kind) {
      case PageKind::kHome:
        in.placement = "home";
        break;
      case PageKind::kProduct: {
        const std::string_view id = snap_.item(p.index).id;
        EventInput view;
        view.event = "view_item";
        view.now_ms = now_ms_;
        view.item_ids = &id;
        view.item_count = 1;
        store_.track(view, nullptr);
        in.placement = "product";
        in.item = id;
        break;
      }
      case PageKind::kCategoryPath:
        in.placement = "category";
        in.category = paths_[p.index];
        break;
      case PageKind::kCategoryName:
        in.placement = "category";
        in.category = snap_.category(p.index).name;
        break;
    }
    Request req;
    store_.request(in, &req);  // a known placement: nothing to refuse
    return store_.published_list_json(req, &items_);
  }

  Storefront& store_;
  const Snapshot& snap_;
  const PublishOptions::Limits limits_;
  const int64_t now_ms_;
  std::vector<std::string> paths_;  // per category, " > "-joined
  std::vector<uint32_t> seen_;      // per item: the last file that holds it
  std::vector<uint32_t> items_;
  std::string key_, lists_, items_json_;
};

// The pages grouped by list file, in their order within each file; (*first)[n] is the
// first page of file n, (*first)[files] the end.
std::vector<Page> by_file(const Publisher& pub, const std::vector<Page>& pages, uint32_t files,
                          std::vector<size_t>* first) {
  std::vector<uint32_t> file_of(pages.size());
  first->assign(files + 1, 0);
  std::string key;
  for (size_t i = 0; i < pages.size(); ++i) {
    pub.key(pages[i], &key);
    file_of[i] = list_file_of(key, files);
    ++(*first)[file_of[i] + 1];
  }
  for (uint32_t n = 0; n < files; ++n) (*first)[n + 1] += (*first)[n];
  std::vector<Page> out(pages.size());
  std::vector<size_t> next(first->begin(), first->end() - 1);
  for (size_t i = 0; i < pages.size(); ++i) out[next[file_of[i]]++] = pages[i];
  return out;
}

}  // namespace

PublishReport publish(const std::string& snapshot_path, const std::string& out_dir,
                      const PublishOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  const SnapshotFile file = read_snapshot(snapshot_path);
  const fmt::MetaRecord meta = file.snapshot.meta();
  PublishReport r;
  r.lists_at = o.now_ms ? *o.now_ms : meta.as_of_ms ? meta.as_of_ms : meta.built_at_ms;
  // What every shopper downloads: the merchant's snapshot without what is theirs alone.
  PublicSnapshot pub_snap;
  try {
    pub_snap = public_snapshot(file.snapshot, {r.lists_at});
  } catch (const std::runtime_error& e) {
    throw InputError(Location{snapshot_path, 0, ""}, e.what());
  }
  const std::vector<uint8_t>& bytes = pub_snap.bytes;
  Storefront store;
  const Status loaded = store.load(bytes);  // a copy: the bytes are written unchanged
  if (!loaded.is_ok()) throw InputError(Location{snapshot_path, 0, ""}, loaded.message());
  r.build = build_id(bytes);
  r.items = store.snapshot().item_count();
  r.items_left_out = pub_snap.items_left_out;
  r.opaque_sets = pub_snap.opaque_sets;
  r.campaigns_left_out = pub_snap.campaigns_left_out;
  r.label_keys_left_out = pub_snap.label_keys_left_out;

  const std::string snap = "snap/" + r.build + ".snap", lists = "lists/" + r.build + "/";
  make_dir(out_dir + "/snap");
  make_dir(out_dir + "/" + lists);
  write_file_atomic(out_dir + "/" + snap, bytes.data(), bytes.size());
  r.bytes += bytes.size();

  Publisher pub(store, o.limits, r.lists_at);
  const std::vector<Page> pages = pub.pages();
  r.keys = pages.size();
  const uint64_t per_file = std::max<uint32_t>(1, o.lists_per_file);
  const auto files = uint32_t(std::max<uint64_t>(1, (r.keys + per_file - 1) / per_file));
  std::vector<size_t> first;
  const std::vector<Page> ordered = by_file(pub, pages, files, &first);
  AtomicBatchWriter batch;
  for (uint32_t n = 0; n < files; ++n) {
    const std::string text =
        pub.file_json(r.build, n, ordered.data() + first[n], ordered.data() + first[n + 1]);
    batch.add(out_dir + "/" + lists + std::to_string(n) + ".json", text.data(), text.size());
    r.bytes += text.size();
    if (o.progress) o.progress(first[n + 1], r.keys + (o.shards ? r.items : 0));
  }
  r.files = files;
  const std::string shards = "shards/" + r.build + "/";
  uint32_t head_checksum = 0;
  if (o.shards) {
    const Snapshot& whole = store.snapshot();
    const std::string rules(whole.rules_text());
    auto write = [&](const Subset& cut, const std::string& name) {
      Result<std::vector<uint8_t>> shard = write_subset(whole, cut, rules);
      if (!shard.is_ok())
        throw InputError(Location{snapshot_path, 0, ""}, shard.status().message());
      batch.add(out_dir + "/" + shards + name, shard.value().data(), shard.value().size());
      r.bytes += shard.value().size();
      return shard.value();
    };
    make_dir(out_dir + "/" + shards);
    const SimilarItems similar(whole);
    ShardCutter cut(whole, similar);
    cut.add_head(*store.engine());
    const std::vector<uint8_t> head = write(cut.take(), "head.snap");
    r.head_bytes = head.size();
    head_checksum = Snapshot::open(head.data(), head.size()).value().checksum();
    const uint64_t per_shard = std::max<uint32_t>(1, o.items_per_shard);
    r.shard_files = std::max<uint64_t>(1, (r.items + per_shard - 1) / per_shard);
    std::vector<std::vector<uint32_t>> owned(r.shard_files);
    uint64_t progress_items = 0;
    std::string key;
    for (uint32_t i = 0; i < whole.item_count(); ++i) {
      pub.key({PageKind::kProduct, i}, &key);
      owned[list_file_of(key, uint32_t(r.shard_files))].push_back(i);
    }
    for (uint32_t n = 0; n < r.shard_files; ++n) {
      for (const uint32_t item : owned[n]) cut.add_item(item);
      r.shard_bytes += write(cut.take(), std::to_string(n) + ".snap").size();
      progress_items += owned[n].size();
      if (o.progress && n % 1000 == 999) o.progress(r.keys + progress_items, r.keys + r.items);
    }
  }
  batch.commit();

  nlohmann::ordered_json m;
  m["v"] = 1;
  m["build"] = r.build;
  m["snapshot"] = snap;
  m["snapshot_bytes"] = bytes.size();
  m["snapshot_checksum"] = store.snapshot().checksum();
  m["items"] = r.items;
  m["as_of"] = meta.as_of_ms;
  m["lists_at"] = r.lists_at;
  m["limits"] = {
      {"home", o.limits.home}, {"product", o.limits.product}, {"category", o.limits.category}};
  m["lists"] = lists;
  m["files"] = files;
  if (o.shards) {
    m["head"] = shards + "head.snap";
    m["head_checksum"] = head_checksum;
    m["shards"] = shards;
    m["shard_files"] = r.shard_files;
  }
  const std::string manifest = m.dump() + "\n";
  write_file_atomic(out_dir + "/manifest.json", manifest.data(), manifest.size());
  r.bytes += manifest.size();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace aisle
