// A small store for the fuzz targets, built in-process: variants in groups, categories two
// deep, labels, a sale, a durable and a consumable, a premium item, and every candidate
// source filled, so that the engine's context behaviours and the merchant's rules have
// something to act on.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "snapshot_writer.h"

namespace aisle::fuzzing {

constexpr int kItems = 24;
constexpr int64_t kNowMs = 1793404800000;  // the snapshot's time; campaigns in seeds span it

inline const std::vector<uint8_t>& store_bytes() {
  static const std::vector<uint8_t> bytes = [] {
    Catalog c;
    for (int i = 0; i < kItems; ++i) {
      CatalogItem it;
      it.id = "I" + std::to_string(i);
      it.title = "Item \"" + std::to_string(i) + "\"\n\t\\";  // strings that need escaping
      it.url = "https://shop.example/p/" + std::to_string(i);
      it.image_url = "https://cdn.example/" + std::to_string(i) + ".jpg";
      it.brand = i % 3 ? "Brand" : "Other";
      it.currency = "USD";
      it.group_key = i < 6 ? "G" + std::to_string(i / 3) : "";
      it.margin_tier = i % 2 ? "high" : "low";
      it.category_path = {"Shop", "C" + std::to_string(i % 4), "L" + std::to_string(i % 8)};
      it.labels = {"series=" + std::string(i % 5 ? "core" : "edge"), "color=Red", "color=Blue"};
      it.price = 1000 + 700 * i;
      if (i % 4 == 1) it.sale_price = it.price / 2;
      it.launch_s = i % 6 == 0 ? kNowMs / 1000 - 86400 * i : 0;
      it.kind = i % 7 == 0   ? ItemKind::kDurable
                : i % 7 == 1 ? ItemKind::kConsumable
                             : ItemKind::kUnknown;
      it.repurchase_days = it.kind == ItemKind::kConsumable ? 1 : 0;
      it.promo = i % 9 == 0;
      it.recommendable = i != 23;
      if (i == 22) it.availability = Availability::kOutOfStock;
      if (i + 1 < kItems) it.cross_sell_ids = {"I" + std::to_string(i + 1)};
      c.items.push_back(it);
    }
    SnapshotInput in;
    in.catalog = &c;
    in.popularity.resize(kItems);
    for (uint32_t i = 0; i < kItems; ++i)
      in.popularity[i] = {100 - i, 10, 30 - i, float(kItems - i)};
    in.as_of_ms = kNowMs;
    in.built_at_ms = kNowMs;
    auto lists = [](std::vector<std::vector<ScoredItem>>* field, uint32_t step) {
      field->assign(kItems, {});
      for (uint32_t i = 0; i < kItems; ++i) {
        for (uint32_t k = 1; k <= 4; ++k)
          (*field)[i].push_back({(i + k * step) % kItems, 1.0f / k});
      }
    };
    lists(&in.model.transitions, 1);
    lists(&in.model.co_purchases, 3);
    lists(&in.model.similar, 5);
    in.model.item_session_counts.assign(kItems, 0);
    for (uint32_t s = 0; s < 40; ++s) {
      std::vector<uint32_t> items;
      for (uint32_t item : {s % kItems, (s * 7 + 1) % kItems, (s * 11 + 2) % kItems}) {
        if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
      }
      for (uint32_t item : items) ++in.model.item_session_counts[item];
      in.model.sessions.push_back(items);
    }
    auto w = write_snapshot(in);
    if (!w.is_ok()) __builtin_trap();
    return w.value();
  }();
  return bytes;
}

}  // namespace aisle::fuzzing
