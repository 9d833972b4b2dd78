// The in-memory catalog model: what the tools fill from merchant exports and the
// snapshot writer turns into bytes. Prices are integer hundredths of the currency unit.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace aisle {

enum class Availability : uint8_t { kInStock = 0, kOutOfStock = 1, kPreorder = 2, kBackorder = 3 };
enum class ItemKind : uint8_t { kUnknown = 0, kDurable = 1, kConsumable = 2 };
enum class HintKind : uint8_t { kUpsell = 0, kCrossSell = 1 };

const char* availability_name(Availability a);
const char* item_kind_name(ItemKind k);
const char* hint_kind_name(HintKind k);

constexpr int64_t kNoPrice = -1;

// A category path, root first. Immutable and shared: copying one copies a pointer, so the
// variations of a product hold their parent's path once, however many there are (issue
// 12.3: each variation copied its parent's strings). To change a path, build a new one.
class CategoryPath {
 public:
  using Parts = std::vector<std::string>;

  CategoryPath() = default;
  CategoryPath(Parts parts)  // NOLINT: implicit, a path is its parts
      : parts_(parts.empty() ? nullptr : std::make_shared<const Parts>(std::move(parts))) {}
  CategoryPath(std::initializer_list<std::string> parts) : CategoryPath(Parts(parts)) {}

  const Parts& parts() const { return parts_ ? *parts_ : no_parts(); }
  bool empty() const { return parts().empty(); }
  size_t size() const { return parts().size(); }
  auto begin() const { return parts().begin(); }
  auto end() const { return parts().end(); }
  const std::string& operator[](size_t i) const { return parts()[i]; }
  const std::string& front() const { return parts().front(); }
  const std::string& back() const { return parts().back(); }
  // The same stored path, not merely equal parts.
  bool shares(const CategoryPath& other) const { return parts_ == other.parts_; }

  friend bool operator==(const CategoryPath& a, const CategoryPath& b) {
    return a.parts() == b.parts();
  }
  friend bool operator!=(const CategoryPath& a, const CategoryPath& b) { return !(a == b); }

 private:
  static const Parts& no_parts() {
    static const Parts empty;
    return empty;
  }
  std::shared_ptr<const Parts> parts_;  // null: the empty path
};

struct CatalogItem {
  std::string id;
  std::string title;
  std::string url;
  std::string image_url;
  std::string brand;
  std::string currency;
  std::string group_key;            // item group (variants of one product); empty: none
  std::string margin_tier;          // merchant's margin label, e.g. "high"; empty: unknown
  CategoryPath category_path;       // root first, shared by a product's variants
  std::vector<std::string> labels;  // "key=value" (tags, custom labels, attributes)
  int64_t price = kNoPrice;         // regular price, hundredths
  int64_t sale_price = kNoPrice;    // kNoPrice: not on sale
  int64_t sale_start_s = 0;         // epoch seconds; 0: open
  int64_t sale_end_s = 0;           // epoch seconds; 0: open
  int64_t cost = kNoPrice;          // cost of goods, hundredths
  int64_t launch_s = 0;             // launch / first-published date, epoch seconds; 0: unknown
  int32_t inventory = -1;           // -1: unknown
  uint16_t repurchase_days = 0;     // consumables: typical cycle; 0: unknown
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
