// The in-memory catalog model: what the tools fill from merchant exports and the
// snapshot writer turns into bytes. Prices are integer hundredths of the currency unit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aisle {

enum class Availability : uint8_t { kInStock = 0, kOutOfStock = 1, kPreorder = 2, kBackorder = 3 };
enum class ItemKind : uint8_t { kUnknown = 0, kDurable = 1, kConsumable = 2 };
enum class HintKind : uint8_t { kUpsell = 0, kCrossSell = 1 };

const char* availability_name(Availability a);
const char* item_kind_name(ItemKind k);
const char* hint_kind_name(HintKind k);

constexpr int64_t kNoPrice = -1;

struct CatalogItem {
  std::string id;
  std::string title;
  std::string url;
  std::string image_url;
  std::string brand;
  std::string currency;
  std::string group_key;                   // item group (variants of one product); empty: none
  std::string margin_tier;                 // merchant's margin label, e.g. "high"; empty: unknown
  std::vector<std::string> category_path;  // root first
  std::vector<std::string> labels;         // "key=value" (tags, custom labels, attributes)
  int64_t price = kNoPrice;                // regular price, hundredths
  int64_t sale_price = kNoPrice;           // kNoPrice: not on sale
  int64_t sale_start_s = 0;                // epoch seconds; 0: open
  int64_t sale_end_s = 0;                  // epoch seconds; 0: open
  int64_t cost = kNoPrice;                 // cost of goods, hundredths
  int64_t launch_s = 0;          // launch / first-published date, epoch seconds; 0: unknown
  int32_t inventory = -1;        // -1: unknown
  uint16_t repurchase_days = 0;  // consumables: typical cycle; 0: unknown
  Availability availability = Availability::kInStock;
  ItemKind kind = ItemKind::kUnknown;
  bool promo = false;
  bool recommendable = true;                // false for drafts, archived, hidden products
  std::vector<std::string> upsell_ids;      // merchant-curated, by item id
  std::vector<std::string> cross_sell_ids;  // merchant-curated, by item id
};

struct Catalog {
  std::vector<CatalogItem> items;
};

}  // namespace aisle
