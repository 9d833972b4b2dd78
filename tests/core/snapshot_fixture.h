// A small hand-built catalog and the snapshot bytes it makes, shared by core tests.
#pragma once

#include <vector>

#include "snapshot.h"
#include "snapshot_writer.h"

namespace aisle::testing {

inline Catalog small_catalog() {
  Catalog c;
  CatalogItem mat;
  mat.id = "MAT-RED";
  mat.title = "Cork Yoga Mat - Red";
  mat.url = "https://shop.example/products/cork-mat?variant=red";
  mat.image_url = "https://cdn.example/img/mat-red.jpg";
  mat.brand = "Zenith";
  mat.currency = "USD";
  mat.group_key = "MAT";
  mat.margin_tier = "high";
  mat.category_path = {"Home Fitness", "Yoga", "Mats"};
  mat.labels = {"color=Red", "series=core"};
  mat.price = 4500;
  mat.sale_price = 3600;
  mat.sale_start_s = 1790000000;
  mat.sale_end_s = 1791000000;
  mat.cost = 2000;
  mat.launch_s = 1789000000;
  mat.inventory = 14;
  mat.kind = ItemKind::kDurable;
  mat.promo = true;
  mat.cross_sell_ids = {"ROLLER"};
  mat.upsell_ids = {"MAT-BLUE"};
  c.items.push_back(mat);

  CatalogItem blue = mat;
  blue.id = "MAT-BLUE";
  blue.title = "Cork Yoga Mat - Blue";
  blue.url = "https://shop.example/products/cork-mat?variant=blue";
  blue.labels = {"color=Blue"};
  blue.sale_price = kNoPrice;
  blue.promo = false;
  blue.availability = Availability::kOutOfStock;
  blue.cross_sell_ids.clear();
  blue.upsell_ids.clear();
  c.items.push_back(blue);

  CatalogItem roller;
  roller.id = "ROLLER";
  roller.title = "Foam Roller";
  roller.url = "https://shop.example/products/roller";
  roller.currency = "USD";
  roller.category_path = {"Home Fitness", "Recovery"};
  roller.price = 2450;
  c.items.push_back(roller);

  CatalogItem beans;
  beans.id = "BEANS";
  beans.title = "Espresso Beans";
  beans.currency = "EUR";
  beans.price = 1890;
  beans.kind = ItemKind::kConsumable;
  beans.repurchase_days = 21;
  beans.recommendable = false;
  c.items.push_back(beans);
  return c;
}

inline std::vector<uint8_t> small_snapshot(const Catalog& c, std::vector<ExtraSection> extra = {}) {
  SnapshotInput in;
  in.catalog = &c;
  in.popularity = {{10, 3, 2, 7.5f}, {4, 0, 0, 1.0f}, {6, 1, 1, 2.0f}, {0, 0, 0, 0.0f}};
  in.built_at_ms = 1793491200000;
  in.as_of_ms = 1793404800000;
  in.events_read = 30;
  in.events_used = 27;
  in.trend_half_life_s = 7 * 86400;
  in.catalog_format = "test";
  in.extra_sections = std::move(extra);
  auto r = write_snapshot(in);
  return r.is_ok() ? r.value() : std::vector<uint8_t>{};
}

}  // namespace aisle::testing
