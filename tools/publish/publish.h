// `aisle publish`: what a store uploads. The snapshot under a content address, the list
// the engine gives a new visitor on each page (home, every product, every category) --
// computed by the engine itself through Storefront, bucketed into small JSON files by a
// hash of the page key -- and a manifest naming them, written last. A storefront paints
// the manifest's list at once and lets the engine refine it. The layout, the schema and
// the hash: docs/snapshot-format.md, "Published files".
//
//   PublishOptions o;
//   o.k = 12;
//   const PublishReport r = publish("store.snap", "site/aisle", o);  // InputError naming a file
//   // site/aisle/manifest.json, site/aisle/snap/<build>.snap, site/aisle/lists/<build>/<n>.json
//   // and with o.shards site/aisle/shards/<build>/head.snap and <n>.snap
// The published snapshot is public: cut from the merchant's by public_snapshot.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hash.h"

namespace aisle {

// FNV-1a: the 64-bit one names a build (its snapshot bytes), the 32-bit one places a page
// key in a list file; the browser computes the 32-bit one too.
// The list file holding a page key: fnv1a_32(key) % files.
uint32_t list_file_of(std::string_view key, uint32_t files);
// 16 lowercase hex digits of fnv1a_64 over the snapshot bytes.
std::string build_id(const std::vector<uint8_t>& snapshot_bytes);

struct PublishOptions {
  // The length of each placement's published lists: what the store's <aisle-recs limit>
  // is on that page (a list's rules, e.g. a guaranteed share, depend on its length; the
  // browser shows a page list only for the length it was published for).
  struct Limits {
    uint32_t home = 4, product = 4, category = 4;  // the element's default limit
  } limits;
  uint32_t lists_per_file = 8;  // files = max(1, ceil(keys / lists_per_file))
  // Also the snapshot in shards (shards.h; docs/snapshot-format.md, "Shards"): a head and
  // max(1, ceil(items / items_per_shard)) shards, shard n owning the items whose product
  // page key hashes to n (as list files do).
  bool shards = false;
  uint32_t items_per_shard = 1;
  std::optional<int64_t> now_ms;  // when the lists are computed; default: the snapshot's
                                  // as_of_ms, or its built_at_ms when that is 0
  // Called every few hundred lists with the lists done and their total.
  // (Lists, then with `shards` the items whose shards are written.)
  std::function<void(uint64_t done, uint64_t total)> progress;
};

struct PublishReport {
  std::string build;   // the build id
  uint64_t items = 0;  // in the published snapshot
  // What the published snapshot leaves out of the merchant's (public_snapshot.h).
  uint32_t items_left_out = 0, opaque_sets = 0, campaigns_left_out = 0;
  std::vector<std::string> label_keys_left_out;
  uint64_t keys = 0;                                          // page keys, one list each
  uint64_t files = 0;                                         // list files
  uint64_t shard_files = 0, head_bytes = 0, shard_bytes = 0;  // the shards, the head's bytes
  uint64_t bytes = 0;    // written: snapshot, list files and manifest
  int64_t lists_at = 0;  // the time the lists were computed at
  double seconds = 0;
};

// Reads and verifies the merchant's snapshot (read_snapshot), cuts the public one from it
// (public_snapshot.h; its campaign window starts at the lists' time), writes everything under
// out_dir (created if missing), each file atomically, the manifest last. Files of other builds are
// left alone. InputError naming the file on bad input or a failed write.
PublishReport publish(const std::string& snapshot_path, const std::string& out_dir,
                      const PublishOptions& o);

}  // namespace aisle
