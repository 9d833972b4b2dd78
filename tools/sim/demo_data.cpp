#include "demo_data.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog.h"
#include "diagnostics.h"
#include "file_io.h"
#include "json_line.h"
#include "rules.h"
#include "text.h"

namespace aisle {
namespace {

// splitmix64: tiny, fast, identical everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
  uint32_t below(uint32_t n) { return uint32_t(uniform() * n); }
  bool chance(double p) { return uniform() < p; }
  double between(double a, double b) { return a + (b - a) * uniform(); }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[below(uint32_t(v.size()))];
  }

 private:
  uint64_t s_;
};

struct CategorySpec {
  const char* dept;
  const char* name;
  const char* noun;
  double base_price;
  ItemKind kind;
  uint16_t repurchase_days;
  const char* variants;  // "color", "size:S|M|L", or ""
  double weight;
  const char* complements;  // names of other categories, '|' separated
  bool gift;
};

const CategorySpec kCategories[] = {
    {"Home Fitness", "Yoga Mats", "Yoga Mat", 35, ItemKind::kDurable, 0, "color", 5,
     "Foam Rollers|Yoga Towels|Yoga Blocks", false},
    {"Home Fitness", "Foam Rollers", "Foam Roller", 25, ItemKind::kDurable, 0, "color", 3,
     "Yoga Mats|Yoga Towels", false},
    {"Home Fitness", "Yoga Towels", "Yoga Towel", 18, ItemKind::kDurable, 0, "color", 3,
     "Yoga Mats|Yoga Blocks", false},
    {"Home Fitness", "Yoga Blocks", "Yoga Block", 12, ItemKind::kDurable, 0, "color", 2,
     "Yoga Mats|Yoga Towels", false},
    {"Home Fitness", "Dumbbells", "Dumbbell Set", 45, ItemKind::kDurable, 0,
     "size:4 kg|8 kg|12 kg|16 kg", 4, "Resistance Bands|Workout Gloves|Protein Powder", false},
    {"Home Fitness", "Resistance Bands", "Resistance Band Set", 20, ItemKind::kDurable, 0, "", 3,
     "Dumbbells|Yoga Mats", false},
    {"Home Fitness", "Workout Gloves", "Workout Gloves", 15, ItemKind::kDurable, 0, "size:S|M|L|XL",
     2, "Dumbbells|Kettlebells", false},
    {"Home Fitness", "Kettlebells", "Kettlebell", 55, ItemKind::kDurable, 0,
     "size:8 kg|12 kg|16 kg|24 kg", 3, "Workout Gloves|Yoga Mats", false},
    {"Home Fitness", "Protein Powder", "Protein Powder", 38, ItemKind::kConsumable, 30,
     "size:Vanilla|Chocolate|Strawberry", 4, "Dumbbells|Fitness Trackers", false},
    {"Home Fitness", "Fitness Trackers", "Fitness Tracker", 120, ItemKind::kDurable, 0, "color", 3,
     "Protein Powder|Yoga Mats", true},
    {"Home Goods", "Cookware", "Frying Pan", 80, ItemKind::kDurable, 0, "", 4,
     "Kitchen Knives|Coffee Makers", false},
    {"Home Goods", "Kitchen Knives", "Chef Knife", 60, ItemKind::kDurable, 0, "", 3, "Cookware",
     true},
    {"Home Goods", "Coffee Makers", "Coffee Maker", 150, ItemKind::kDurable, 0, "color", 3,
     "Coffee Beans|Coffee Filters", false},
    {"Home Goods", "Coffee Beans", "Coffee Beans", 16, ItemKind::kConsumable, 21,
     "size:250 g|500 g|1 kg", 5, "Coffee Filters|Coffee Makers", false},
    {"Home Goods", "Coffee Filters", "Coffee Filters", 6, ItemKind::kConsumable, 45, "", 2,
     "Coffee Beans", false},
    {"Home Goods", "Bedding", "Duvet Cover", 90, ItemKind::kDurable, 0,
     "size:Single|Double|Queen|King", 4, "Pillows|Bath Towels", false},
    {"Home Goods", "Pillows", "Pillow", 35, ItemKind::kDurable, 0, "", 3, "Bedding", false},
    {"Home Goods", "Scented Candles", "Scented Candle", 22, ItemKind::kConsumable, 45,
     "size:Cedar|Lavender|Vanilla|Fig", 4, "Bath Towels|Gift Sets", true},
    {"Home Goods", "Bath Towels", "Bath Towel", 28, ItemKind::kDurable, 0, "color", 3,
     "Bedding|Scented Candles", false},
    {"Electronics", "Smartphones", "Smartphone", 700, ItemKind::kDurable, 0, "color", 4,
     "Phone Cases|Screen Protectors|Chargers|Headphones", false},
    {"Electronics", "Phone Cases", "Phone Case", 25, ItemKind::kDurable, 0, "color", 5,
     "Screen Protectors|Smartphones", false},
    {"Electronics", "Screen Protectors", "Screen Protector", 12, ItemKind::kDurable, 0, "", 3,
     "Phone Cases", false},
    {"Electronics", "Chargers", "Fast Charger", 30, ItemKind::kDurable, 0, "", 3,
     "Phone Cases|Smartphones", false},
    {"Electronics", "Headphones", "Wireless Headphones", 150, ItemKind::kDurable, 0, "color", 4,
     "Chargers|Smart Speakers", true},
    {"Electronics", "Laptops", "Laptop", 1100, ItemKind::kDurable, 0, "color", 3,
     "Laptop Sleeves|Mice|Chargers", false},
    {"Electronics", "Laptop Sleeves", "Laptop Sleeve", 35, ItemKind::kDurable, 0, "color", 3,
     "Laptops|Mice", false},
    {"Electronics", "Mice", "Wireless Mouse", 40, ItemKind::kDurable, 0, "color", 3,
     "Laptops|Laptop Sleeves", false},
    {"Electronics", "Smart Speakers", "Smart Speaker", 90, ItemKind::kDurable, 0, "color", 3,
     "Headphones", true},
    {"Gifts & Grooming", "Razors", "Razor", 70, ItemKind::kDurable, 0, "", 3,
     "Razor Blades|Shaving Cream", true},
    {"Gifts & Grooming", "Razor Blades", "Razor Blades", 20, ItemKind::kConsumable, 30, "", 3,
     "Razors|Shaving Cream", false},
    {"Gifts & Grooming", "Shaving Cream", "Shaving Cream", 9, ItemKind::kConsumable, 45, "", 2,
     "Razor Blades|Razors", false},
    {"Gifts & Grooming", "Watches", "Watch", 180, ItemKind::kDurable, 0, "color", 3,
     "Watch Straps|Wallets", true},
    {"Gifts & Grooming", "Watch Straps", "Watch Strap", 30, ItemKind::kDurable, 0, "color", 2,
     "Watches", false},
    {"Gifts & Grooming", "Wallets", "Wallet", 55, ItemKind::kDurable, 0, "color", 3, "Watches",
     true},
    {"Gifts & Grooming", "Gift Sets", "Gift Set", 45, ItemKind::kDurable, 0, "", 2,
     "Scented Candles|Wallets", true},
};
constexpr size_t kCategoryCount = sizeof(kCategories) / sizeof(kCategories[0]);

const char* kBrands[4][3][2] = {
    // [dept][tier][2]
    {{"FlexFit", "CoreBasics"}, {"ZenMotion", "IronPeak"}, {"Aurelia Pro", "Lumen Athletics"}},
    {{"HomeNest", "DailyDwell"}, {"Kitchara", "Linenly"}, {"Maison Verre", "Oak & Ember"}},
    {{"Voltix", "Ampli"}, {"Nordwave", "Pixelon"}, {"Aether", "Solace Audio"}},
    {{"Gentry", "TrimLine"}, {"Barber & Co", "Timberline"}, {"Sterling Row", "Halden"}},
};
const char* kAdjectives[3][4] = {{"Essential", "Basic", "Everyday", "Lite"},
                                 {"Classic", "Active", "Comfort", "Plus"},
                                 {"Signature", "Elite", "Luxe", "Studio"}};
const double kTierPrice[3] = {0.5, 1.0, 2.3};
const char* kColors[] = {"Black", "White", "Slate Blue", "Sage Green", "Coral", "Sand"};
const char* kDepts[] = {"Home Fitness", "Home Goods", "Electronics", "Gifts & Grooming"};

struct Product {  // one catalog item (variant)
  CatalogItem item;
  uint32_t category;
  int tier;
  double appeal;
  std::string variant;
};

struct Store {
  std::vector<Product> items;
  std::vector<std::vector<uint32_t>> by_category;  // item indices
  std::vector<std::vector<uint32_t>> complements;  // category -> categories
};

int dept_index(const char* dept) {
  for (int i = 0; i < 4; ++i) {
    if (std::string(dept) == kDepts[i]) return i;
  }
  return 0;
}

int64_t round_price(double p) {  // x.99 pricing, in hundredths
  const double whole = std::max(1.0, std::floor(p));
  return int64_t(whole) * 100 - 1;
}

Store make_store(const DemoOptions& o, Rng& rng) {
  Store store;
  store.by_category.resize(kCategoryCount);
  double total_weight = 0;
  for (const auto& c : kCategories) total_weight += c.weight;
  const int64_t end_s = o.end_ms / 1000;
  uint32_t group_no = 0;
  for (uint32_t c = 0; c < kCategoryCount; ++c) {
    const CategorySpec& spec = kCategories[c];
    const uint32_t target =
        std::max<uint32_t>(2, uint32_t(std::lround(o.products * spec.weight / total_weight)));
    std::vector<std::string> variants;
    const std::string vspec = spec.variants;
    if (vspec == "color") {
      for (const char* col : kColors) variants.push_back(col);
    } else if (starts_with(vspec, "size:")) {
      variants = split_trimmed(vspec.substr(5), "|");
    }
    const std::string dim = vspec == "color" ? "color" : "size";
    uint32_t made = 0;
    for (uint32_t model = 1; made < target; ++model) {
      const int tier = rng.chance(0.3) ? 0 : rng.chance(0.7) ? 1 : 2;
      const int dept = dept_index(spec.dept);
      const std::string brand = kBrands[dept][tier][rng.below(2)];
      const std::string name = brand + " " + kAdjectives[tier][rng.below(4)] + " " + spec.noun +
                               " " + std::to_string(model);
      const double price = spec.base_price * kTierPrice[tier] * rng.between(0.8, 1.25);
      const double appeal = std::pow(rng.uniform() + 0.02, 2.5) * (tier == 1 ? 1.3 : 1.0);
      const bool is_new = rng.chance(0.08);
      const int64_t launch = is_new ? end_s - int64_t(rng.below(30)) * 86400
                                    : end_s - int64_t(60 + rng.below(660)) * 86400;
      const bool core = tier >= 1 && rng.chance(0.12);
      const bool on_sale = rng.chance(0.1);
      const bool promo = on_sale && rng.chance(0.5);
      const std::string group = "G" + std::to_string(++group_no);
      uint32_t n_var =
          variants.empty() ? 1 : std::min<uint32_t>(uint32_t(variants.size()), 2 + rng.below(3));
      std::vector<std::string> chosen = variants;
      for (size_t i = 0; i + 1 < chosen.size(); ++i)
        std::swap(chosen[i], chosen[i + rng.below(uint32_t(chosen.size() - i))]);
      for (uint32_t v = 0; v < n_var; ++v) {
        Product p;
        p.category = c;
        p.tier = tier;
        p.appeal = appeal * rng.between(0.6, 1.4);
        CatalogItem& it = p.item;
        it.id = "SKU-" + std::to_string(group_no) +
                (variants.empty() ? "" : "-" + std::to_string(v + 1));
        p.variant = variants.empty() ? "" : chosen[v];
        it.title = name + (p.variant.empty() ? "" : " - " + p.variant);
        it.url = "/product.html?id=" + it.id;  // the demo storefront's product page
        it.image_url = "/images/" + slugify(spec.name) + "-" + std::to_string(tier) +
                       (p.variant.empty() ? "" : "-" + slugify(p.variant)) + ".svg";
        it.brand = brand;
        it.currency = "USD";
        it.group_key = variants.empty() ? "" : group;
        it.category_path = {spec.dept, spec.name};
        it.price = round_price(price * (dim == "size" ? 1.0 + 0.1 * v : 1.0));
        if (on_sale) {
          it.sale_price = round_price(double(it.price) / 100 * rng.between(0.7, 0.85));
          it.sale_start_s =
              o.end_ms / 1000 - int64_t(o.days) * 86400 + int64_t(rng.below(o.days / 2)) * 86400;
          it.sale_end_s = it.sale_start_s + int64_t(14 + rng.below(30)) * 86400;
        }
        it.cost = int64_t(double(it.price) * (tier == 2 ? 0.35 : tier == 1 ? 0.5 : 0.7));
        it.margin_tier = tier == 2 || core ? "high" : tier == 1 ? "mid" : "low";
        it.kind = spec.kind;
        it.repurchase_days = spec.repurchase_days;
        it.launch_s = launch;
        it.promo = promo;
        it.availability = rng.chance(0.04)            ? Availability::kOutOfStock
                          : is_new && rng.chance(0.1) ? Availability::kPreorder
                                                      : Availability::kInStock;
        if (!p.variant.empty()) it.labels.push_back(dim + "=" + p.variant);
        if (core) it.labels.push_back("series=core");
        if (spec.gift) it.labels.push_back("gift=yes");
        store.by_category[c].push_back(uint32_t(store.items.size()));
        store.items.push_back(std::move(p));
        ++made;
      }
    }
  }
  store.complements.resize(kCategoryCount);
  for (uint32_t c = 0; c < kCategoryCount; ++c) {
    for (const auto& name : split_trimmed(kCategories[c].complements, "|")) {
      for (uint32_t d = 0; d < kCategoryCount; ++d) {
        if (name == kCategories[d].name) store.complements[c].push_back(d);
      }
    }
  }
  return store;
}

std::string tsv_clean(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

std::string money(int64_t hundredths) {
  return format_hundredths(hundredths);
}

std::string date_only(int64_t s) {
  return format_time_iso(s * 1000).substr(0, 10);
}

std::string catalog_gmc(const Store& store) {
  std::string out =
      "id\ttitle\tdescription\tlink\timage_link\tprice\tsale_price\tsale_price_effective_"
      "date\tavailability\t"
      "brand\tproduct_type\tgoogle_product_category\titem_group_id\tcolor\tsize\tcost_of_goods_"
      "sold\tpromotion_id\t"
      "custom_label_0\tcustom_label_1\tcustom_label_2\tcustom_label_3\tcustom_label_4\n";
  for (const Product& p : store.items) {
    const CatalogItem& it = p.item;
    const bool color = starts_with(it.labels.empty() ? "" : it.labels[0], "color=");
    const std::string sale = it.sale_price >= 0 ? money(it.sale_price) + " USD" : "";
    const std::string window = it.sale_price >= 0 ? format_time_iso(it.sale_start_s * 1000) + "/" +
                                                        format_time_iso(it.sale_end_s * 1000)
                                                  : "";
    const bool core =
        std::find(it.labels.begin(), it.labels.end(), "series=core") != it.labels.end();
    const std::string fields[] = {
        it.id,
        it.title,
        "<p>The <b>" + tsv_clean(it.title) + "</b> by " + it.brand + ".</p>",
        it.url,
        it.image_url,
        money(it.price) + " USD",
        sale,
        window,
        availability_name(it.availability),
        it.brand,
        it.category_path[0] + " > " + it.category_path[1],
        "",
        it.group_key,
        color ? p.variant : "",
        !color ? p.variant : "",
        money(it.cost) + " USD",
        it.promo ? "PROMO-" + std::to_string(p.category) : "",
        it.margin_tier,
        item_kind_name(it.kind),
        it.repurchase_days ? std::to_string(it.repurchase_days) : "",
        date_only(it.launch_s),
        core ? "core" : "",
    };
    bool first = true;
    for (const auto& f : fields) {
      if (!first) out += '\t';
      out += tsv_clean(f);
      first = false;
    }
    out += '\n';
  }
  return out;
}

std::string catalog_jsonl(const Store& store) {
  std::string out;
  for (const Product& p : store.items) {
    const CatalogItem& it = p.item;
    nlohmann::json j = {{"id", it.id},
                        {"title", it.title},
                        {"url", it.url},
                        {"image", it.image_url},
                        {"price", money(it.price)},
                        {"currency", it.currency},
                        {"availability", availability_name(it.availability)},
                        {"brand", it.brand},
                        {"category", it.category_path.parts()},
                        {"labels", it.labels},
                        {"margin_tier", it.margin_tier},
                        {"cost", money(it.cost)},
                        {"launch_date", date_only(it.launch_s)},
                        {"kind", item_kind_name(it.kind)},
                        {"promo", it.promo}};
    if (!it.group_key.empty()) j["group"] = it.group_key;
    if (it.repurchase_days) j["repurchase_days"] = it.repurchase_days;
    if (it.sale_price >= 0) {
      j["sale_price"] = money(it.sale_price);
      j["sale_start"] = format_time_iso(it.sale_start_s * 1000);
      j["sale_end"] = format_time_iso(it.sale_end_s * 1000);
    }
    out += j.dump() + "\n";
  }
  return out;
}

// ---- shoppers -------------------------------------------------------------

struct Traffic {
  const char* source;
  const char* medium;
};
const Traffic kSearchAd{"google", "cpc"}, kOrganic{"google", "organic"},
    kPaidSocial{"facebook", "paid_social"}, kSocial{"instagram", "social"},
    kEmail{"newsletter", "email"}, kDirect{"(direct)", "(none)"},
    kReferral{"blog.example", "referral"};

// An event's own fields beyond those every event has, as key/value pairs in the order the
// flat shape writes them at the top level; the BigQuery shape puts them into event_params
// (and the order into ecommerce, the list into the items). Values view strings that
// outlive the event() call; a fixed array, as events are written by the hundred million.
struct Param {
  const char* key;
  std::string_view value;
  bool number;  // a decimal amount, written unquoted
};
class Params {
 public:
  Params& add(const char* key, std::string_view value, bool number = false) {
    assert(size_ < kCapacity);
    params_[size_++] = Param{key, value, number};
    return *this;
  }
  // The value of `key`, or nullptr when the event has none.
  const std::string_view* find(std::string_view key) const {
    for (const Param& p : *this) {
      if (key == p.key) return &p.value;
    }
    return nullptr;
  }
  const Param* begin() const { return params_; }
  const Param* end() const { return params_ + size_; }

 private:
  static constexpr size_t kCapacity = 8;
  Param params_[kCapacity];
  size_t size_ = 0;
};

struct Visitor {
  std::string id;
  std::vector<std::pair<uint32_t, int64_t>> consumables;  // item, bought at (ms)
};

class SessionWriter {
 public:
  SessionWriter(AtomicFileWriter& out, const Store& store, DemoReport& report, bool bigquery)
      : out_(out), store_(store), report_(report), bigquery_(bigquery) {}

  // Simulates an experiment: each visitor's arm as the loader assigns it, an exposure
  // event per session, the treated arm's recommendation lists and clicks, and a holdout
  // that loses a share lift/(1+lift) of its orders -- so conversion in the treated arm is
  // (1 + lift) times the holdout's, a known true lift.
  void set_experiment(const Experiment* e, double lift) {
    experiment_ = e;
    lift_ = lift;
  }
  void begin(const std::string& visitor, uint64_t session_no, int64_t start_ms, Traffic traffic) {
    visitor_ = visitor;
    session_ = "S" + std::to_string(session_no);
    session_no_ = session_no;
    session_number_ = std::to_string(session_no);
    t_ = start_ms;
    traffic_ = traffic;
    cart_.clear();
    shown_.clear();
    purchased_ = false;
    if (experiment_ != nullptr) {
      arm_ = assign(*experiment_, visitor_);
      Params extra;
      event("aisle_exposure", {}, arm_params(extra));
    }
  }
  bool treated() const { return experiment_ != nullptr && !arm_.holdout; }
  // The product page's recommendation list (treated arm), each item with the reason it
  // was picked for, in an order shuffled by a hash of the session and the anchor (an
  // engine ranks by score, so a reason holds no fixed position; the hash leaves the
  // shoppers' random stream as it was).
  void recommendations(uint32_t anchor, std::vector<uint32_t> items,
                       std::vector<const char*> reasons) {
    Rng order((session_no_ << 32) ^ anchor);
    for (size_t k = items.size(); k > 1; --k) {
      const size_t j = order.below(uint32_t(k));
      std::swap(items[k - 1], items[j]);
      std::swap(reasons[k - 1], reasons[j]);
    }
    Params extra;
    extra.add("item_list_id", "aisle_product")
        .add("aisle_placement", "product")
        .add("aisle_anchor", store_.items[anchor].item.id);
    event("view_item_list", items, arm_params(extra), reasons.data());
    shown_ = items;
  }
  // A click on a recommendation shown on the previous page, if `item` was in it.
  void click_if_shown(uint32_t item) {
    for (size_t k = 0; k < shown_.size(); ++k) {
      if (shown_[k] != item) continue;
      Params extra;
      extra.add("item_list_id", "aisle_product").add("aisle_placement", "product");
      event("select_item", {item}, arm_params(extra));
      return;
    }
  }
  void advance(Rng& rng, double lo_s, double hi_s) {
    t_ += int64_t(rng.between(lo_s, hi_s) * 1000);
  }

  void view(uint32_t item) { event("view_item", {item}, Params()); }
  void add_to_cart(uint32_t item) {
    event("add_to_cart", {item}, Params());
    cart_.push_back(item);
  }
  void search(const std::string& term) { event("search", {}, Params().add("search_term", term)); }
  void list(const std::string& list_id, const std::vector<uint32_t>& items, const char* sort,
            const char* filter) {
    Params extra;
    extra.add("item_list_id", list_id);
    if (sort) extra.add("sort", sort);
    if (filter) extra.add("filter", filter);
    event("view_item_list", items, extra);
  }
  // Checks out the whole cart; returns false for an empty cart.
  bool purchase(Rng& rng, const char* coupon) {
    if (cart_.empty()) return false;
    event("begin_checkout", cart_, Params());
    advance(rng, 30, 120);
    if (experiment_ != nullptr && arm_.holdout && rng.chance(lift_ / (1 + lift_))) return false;
    int64_t value = 0;
    for (uint32_t i : cart_) value += price_now(i);
    const std::string transaction = "T" + session_number_, amount = money(value);
    Params extra;
    extra.add("transaction_id", transaction).add("value", amount, true).add("currency", "USD");
    if (coupon) extra.add("coupon", coupon);
    event("purchase", cart_, extra);
    ++report_.purchases;
    purchased_ = true;
    return true;
  }
  const std::vector<uint32_t>& cart() const { return cart_; }
  bool purchased() const { return purchased_; }
  int64_t now() const { return t_; }
  void flush() {
    out_.append(buf_);
    buf_.clear();
  }

 private:
  int64_t price_now(uint32_t i) const {
    const CatalogItem& it = store_.items[i].item;
    const int64_t s = t_ / 1000;
    return it.sale_price >= 0 && s >= it.sale_start_s && s < it.sale_end_s ? it.sale_price
                                                                           : it.price;
  }
  const Params& arm_params(Params& extra) const {
    return extra.add("aisle_experiment", arm_.experiment).add("aisle_variant", arm_.variant);
  }
  void event(const char* name, const std::vector<uint32_t>& items, const Params& extra,
             const char* const* reasons = nullptr) {
    const bool listed = std::strcmp(name, "view_item_list") == 0;
    if (bigquery_)
      bigquery_event(name, items, extra, listed, reasons);
    else
      flat_event(name, items, extra, listed, reasons);
    ++report_.events;
    if (buf_.size() > (1u << 20)) flush();
  }
  void flat_event(const char* name, const std::vector<uint32_t>& items, const Params& extra,
                  bool listed, const char* const* reasons) {
    buf_ += "{\"event\":\"";
    buf_ += name;
    buf_ += "\",\"timestamp\":\"" + format_time_iso(t_) + "\",\"visitor_id\":\"" + visitor_ +
            "\",\"session_id\":\"" + session_ + "\",\"source\":\"" + traffic_.source +
            "\",\"medium\":\"" + traffic_.medium + "\"";
    for (const Param& p : extra) {
      buf_ += ",\"";
      buf_ += p.key;
      buf_ += "\":";
      if (p.number)
        buf_ += p.value;
      else
        append_json_string(&buf_, p.value);
    }
    if (!items.empty()) {
      buf_ += ",\"items\":[";
      for (size_t k = 0; k < items.size(); ++k) {
        if (k) buf_ += ',';
        buf_ += "{\"item_id\":\"" + store_.items[items[k]].item.id +
                "\",\"price\":" + money(price_now(items[k]));
        if (listed) buf_ += ",\"index\":" + std::to_string(k);
        if (reasons != nullptr) buf_ += std::string(",\"aisle_reason\":\"") + reasons[k] + "\"";
        buf_ += "}";
      }
      buf_ += "]";
    }
    buf_ += "}\n";
  }

  // A row of GA4's BigQuery export as `bq extract --destination_format
  // NEWLINE_DELIMITED_JSON` writes it (tests/data/ga4_bigquery.jsonl): 64-bit integers as
  // strings, nulls written, parameters as a key and a typed value, the order in ecommerce.
  // What the simulation does not model (device, geo, ...) is null. The time is the flat
  // shape's whole second, so that both shapes build the same snapshot.
  void bigquery_event(const char* name, const std::vector<uint32_t>& items, const Params& extra,
                      bool listed, const char* const* reasons) {
    const int64_t s = t_ / 1000;
    buf_ += "{\"event_date\":\"";
    buf_ += event_date(s);
    buf_ += "\",\"event_timestamp\":\"";
    buf_ += std::to_string(s);
    buf_ += "000000\",\"event_name\":\"";
    buf_ += name;
    buf_ += "\",\"event_params\":[";
    bigquery_param("ga_session_id", session_number_, ValueType::kInt);
    for (const Param& p : extra) {
      buf_ += ',';
      bigquery_param(p.key, p.value, p.number ? ValueType::kDouble : ValueType::kString);
    }
    const std::string_view* value = extra.find("value");
    buf_ += "],\"event_previous_timestamp\":null,\"event_value_in_usd\":";
    buf_ += value != nullptr ? *value : "null";  // the demo store sells in USD
    buf_ += ",\"event_bundle_sequence_id\":null,\"user_id\":null,\"user_pseudo_id\":";
    append_json_string(&buf_, visitor_);
    buf_ +=
        ",\"privacy_info\":null,\"user_properties\":[],\"user_first_touch_timestamp\":null,"
        "\"device\":null,\"geo\":null,\"traffic_source\":null,"
        "\"collected_traffic_source\":{\"manual_source\":";
    append_json_string(&buf_, traffic_.source);
    buf_ += ",\"manual_medium\":";
    append_json_string(&buf_, traffic_.medium);
    buf_ +=
        ",\"manual_campaign_name\":null,\"gclid\":null},\"stream_id\":null,\"platform\":\"WEB\","
        "\"ecommerce\":";
    bigquery_ecommerce(items, extra);
    bigquery_items(items, extra, listed, reasons);
    buf_ += "}\n";
  }
  // items[]: the list and position in each item, as the export has them (item_list_index
  // a string), and the loader's custom item parameter aisle_reason in item_params.
  void bigquery_items(const std::vector<uint32_t>& items, const Params& extra, bool listed,
                      const char* const* reasons) {
    buf_ += ",\"items\":[";
    const std::string_view* list = extra.find("item_list_id");
    for (size_t k = 0; k < items.size(); ++k) {
      if (k) buf_ += ',';
      buf_ += "{\"item_id\":";
      append_json_string(&buf_, store_.items[items[k]].item.id);
      buf_ += ",\"price\":" + money(price_now(items[k])) + ",\"quantity\":\"1\",\"item_list_id\":";
      if (list != nullptr)
        append_json_string(&buf_, *list);
      else
        buf_ += "null";
      buf_ += ",\"item_list_index\":";
      buf_ += listed ? "\"" + std::to_string(k) + "\"" : "null";
      buf_ += ",\"item_params\":[";
      if (reasons != nullptr) bigquery_param("aisle_reason", reasons[k], ValueType::kString);
      buf_ += "]}";
    }
    buf_ += ']';
  }
  enum class ValueType { kString, kInt, kDouble };
  // {"key": .., "value": {"string_value": .., "int_value": .., "float_value": ..,
  // "double_value": ..}}, the one of `type` set and the others null.
  void bigquery_param(const char* key, std::string_view value, ValueType type) {
    buf_ += "{\"key\":";
    append_json_string(&buf_, key);
    buf_ += ",\"value\":{\"string_value\":";
    if (type == ValueType::kString)
      append_json_string(&buf_, value);
    else
      buf_ += "null";
    buf_ += ",\"int_value\":";
    if (type == ValueType::kInt)
      append_json_string(&buf_, value);  // digits: int64 is written as a string
    else
      buf_ += "null";
    buf_ += ",\"float_value\":null,\"double_value\":";
    buf_ += type == ValueType::kDouble ? value : std::string_view("null");
    buf_ += "}}";
  }
  // A purchase's order; null for other events.
  void bigquery_ecommerce(const std::vector<uint32_t>& items, const Params& extra) {
    const std::string_view* transaction = extra.find("transaction_id");
    const std::string_view* value = extra.find("value");
    if (transaction == nullptr || value == nullptr) {
      buf_ += "null";
      return;
    }
    size_t unique = 0;
    for (size_t k = 0; k < items.size(); ++k)
      unique += std::find(items.begin(), items.begin() + k, items[k]) == items.begin() + k;
    buf_ += "{\"total_item_quantity\":\"" + std::to_string(items.size()) +
            "\",\"purchase_revenue_in_usd\":";
    buf_ += *value;
    buf_ += ",\"purchase_revenue\":";
    buf_ += *value;
    buf_ += ",\"shipping_value\":null,\"tax_value\":null,\"unique_items\":\"" +
            std::to_string(unique) + "\",\"transaction_id\":";
    append_json_string(&buf_, *transaction);
    buf_ += '}';
  }
  // YYYYMMDD of the day (UTC) holding second `s`; computed once a day.
  const std::string& event_date(int64_t s) {
    if (s / 86400 != date_day_) {
      const std::string iso = format_time_iso(s * 1000);
      date_ = iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
      date_day_ = s / 86400;
    }
    return date_;
  }

  AtomicFileWriter& out_;
  const Store& store_;
  DemoReport& report_;
  bool bigquery_;
  std::string buf_, visitor_, session_, session_number_, date_;
  int64_t date_day_ = -1;
  uint64_t session_no_ = 0;
  int64_t t_ = 0;
  Traffic traffic_{"", ""};
  std::vector<uint32_t> cart_, shown_;
  bool purchased_ = false;
  const Experiment* experiment_ = nullptr;
  double lift_ = 0;
  Assignment arm_;
};

class Shoppers {
 public:
  Shoppers(const Store& store, Rng& rng) : store_(store), rng_(rng) {
    for (uint32_t c = 0; c < kCategoryCount; ++c) {
      if (kCategories[c].gift) gift_categories_.push_back(c);
      if (!store.complements[c].empty() && kCategories[c].kind == ItemKind::kDurable)
        anchors_.push_back(c);
    }
  }

  // An item of category c, by appeal; tier_pref -1 for any tier.
  uint32_t pick(uint32_t c, int tier_pref = -1, bool cheap = false) {
    const auto& items = store_.by_category[c];
    double total = 0;
    for (uint32_t i : items) total += weight(i, tier_pref, cheap);
    double r = rng_.uniform() * total;
    for (uint32_t i : items) {
      r -= weight(i, tier_pref, cheap);
      if (r <= 0) return i;
    }
    return items.back();
  }
  uint32_t random_category() { return rng_.below(uint32_t(kCategoryCount)); }
  uint32_t gift_category() { return rng_.pick(gift_categories_); }
  uint32_t anchor_category() { return rng_.pick(anchors_); }
  uint32_t complement_of(uint32_t c) { return rng_.pick(store_.complements[c]); }
  // Another variant (same group) of item i, or i itself.
  uint32_t sibling(uint32_t i) {
    const auto& items = store_.by_category[store_.items[i].category];
    const std::string& g = store_.items[i].item.group_key;
    std::vector<uint32_t> sibs;
    for (uint32_t j : items) {
      if (j != i && !g.empty() && store_.items[j].item.group_key == g) sibs.push_back(j);
    }
    return sibs.empty() ? i : rng_.pick(sibs);
  }
  bool in_stock(uint32_t i) const {
    return store_.items[i].item.availability != Availability::kOutOfStock;
  }

 private:
  double weight(uint32_t i, int tier_pref, bool cheap) const {
    const Product& p = store_.items[i];
    double w = p.appeal;
    if (tier_pref >= 0) w *= p.tier == tier_pref ? 6.0 : 0.3;
    if (cheap)
      w *= (p.tier == 0 ? 4.0 : 0.5) * (p.item.sale_price >= 0 || p.item.promo ? 5.0 : 1.0);
    return w;
  }
  const Store& store_;
  Rng& rng_;
  std::vector<uint32_t> gift_categories_, anchors_;
};

Traffic traffic_for(Rng& rng, int mission) {
  const double r = rng.uniform();
  switch (mission) {
    case 0:
      return r < 0.5 ? kSearchAd : r < 0.8 ? kOrganic : kEmail;  // gift
    case 1:
      return r < 0.4 ? kOrganic : r < 0.7 ? kSocial : kReferral;  // comparer
    case 2:
      return r < 0.7 ? kSearchAd : kDirect;  // decisive
    case 3:
      return r < 0.4 ? kEmail : r < 0.7 ? kPaidSocial : kOrganic;  // bargain
    case 4:
      return r < 0.4 ? kPaidSocial : r < 0.7 ? kSocial : kOrganic;  // bundle
    case 5:
      return r < 0.5 ? kSearchAd : kDirect;  // premium
    default:
      return r < 0.35  ? kSocial
             : r < 0.6 ? kPaidSocial
             : r < 0.8 ? kDirect
                       : kReferral;  // explorer
  }
}

void run_session(SessionWriter& w, Shoppers& s, Rng& rng, const Store& store, int mission) {
  auto view = [&](uint32_t i) {
    if (w.treated()) w.click_if_shown(i);
    w.view(i);
    if (w.treated()) {  // the product page's list: same category and complements
      const uint32_t c = store.items[i].category;
      std::vector<uint32_t> recs;
      std::vector<const char*> reasons;
      for (int k = 0; k < 8 && recs.size() < 4; ++k) {
        const bool same = k % 2 == 0 || store.complements[c].empty();
        const uint32_t r = s.pick(same ? c : s.complement_of(c));
        if (r == i || std::find(recs.begin(), recs.end(), r) != recs.end()) continue;
        recs.push_back(r);
        reasons.push_back(same ? (k % 4 == 0 ? "similar_item" : "viewed_after")
                               : (k % 4 == 1 ? "bought_together" : "category_best_seller"));
      }
      w.recommendations(i, recs, reasons);
    }
    w.advance(rng, 15, 120);
  };
  auto buy_maybe = [&](uint32_t i, double p) {
    if (s.in_stock(i) && rng.chance(p)) {
      w.add_to_cart(i);
      w.advance(rng, 5, 40);
    }
  };
  switch (mission) {
    case 0: {  // gift buyer: searches, views a few gift items, buys one durable gift
      w.search(rng.chance(0.5) ? "gift for dad" : "birthday gift");
      w.advance(rng, 5, 20);
      const uint32_t c = s.gift_category();
      uint32_t last = 0;
      for (uint32_t k = 0, n = 2 + rng.below(3); k < n; ++k)
        view(last = s.pick(rng.chance(0.7) ? c : s.gift_category()));
      buy_maybe(last, 0.6);
      w.purchase(rng, nullptr);
      break;
    }
    case 1: {  // comparer: many views in one category, back and forth
      const uint32_t c = s.random_category();
      std::vector<uint32_t> seen;
      for (uint32_t k = 0, n = 4 + rng.below(5); k < n; ++k) {
        const uint32_t i = !seen.empty() && rng.chance(0.35) ? rng.pick(seen) : s.pick(c);
        seen.push_back(i);
        view(i);
      }
      if (rng.chance(0.35)) {
        buy_maybe(s.pick(c), 1.0);
        w.purchase(rng, nullptr);
      }
      break;
    }
    case 2: {  // decisive: search ad, one or two views, straight to checkout
      const uint32_t c = s.random_category();
      w.search(to_lower(kCategories[c].noun));
      w.advance(rng, 3, 10);
      uint32_t i = s.pick(c);
      view(i);
      if (rng.chance(0.3)) view(i = s.pick(c));
      buy_maybe(i, 0.95);
      if (rng.chance(0.3) && !store.complements[c].empty())
        buy_maybe(s.pick(s.complement_of(c)), 1.0);
      if (rng.chance(0.9)) w.purchase(rng, nullptr);
      break;
    }
    case 3: {  // bargain hunter: sorts by price, filters sales, buys cheap or promo items
      const uint32_t c = s.random_category();
      std::vector<uint32_t> shown;
      for (int k = 0; k < 4; ++k) shown.push_back(s.pick(c, 0, true));
      w.list("category:" + slugify(kCategories[c].name), shown, "price_asc",
             rng.chance(0.6) ? "on_sale" : nullptr);
      w.advance(rng, 10, 30);
      uint32_t last = shown[0];
      for (uint32_t k = 0, n = 2 + rng.below(3); k < n; ++k) view(last = s.pick(c, 0, true));
      buy_maybe(last, 0.5);
      w.purchase(rng, rng.chance(0.5) ? "SAVE10" : nullptr);
      break;
    }
    case 4: {  // bundle builder: variants of an anchor, then its complements, bought together
      const uint32_t c = s.anchor_category();
      const uint32_t anchor = s.pick(c);
      view(anchor);
      for (uint32_t k = 0, n = 1 + rng.below(3); k < n; ++k) view(s.sibling(anchor));
      buy_maybe(anchor, 0.8);
      for (uint32_t k = 0, n = 1 + rng.below(2); k < n; ++k) {
        const uint32_t comp = s.pick(s.complement_of(c));
        view(comp);
        buy_maybe(comp, 0.7);
      }
      if (rng.chance(0.7)) w.purchase(rng, nullptr);
      break;
    }
    case 5: {  // premium buyer: expensive anchor, then premium complements
      const char* premium[] = {"Smartphones", "Laptops", "Watches", "Coffee Makers"};
      const char* want = premium[rng.below(4)];
      uint32_t c = 0;
      for (uint32_t d = 0; d < kCategoryCount; ++d) {
        if (std::string(kCategories[d].name) == want) c = d;
      }
      uint32_t i = s.pick(c, 2);
      view(i);
      if (rng.chance(0.5)) view(i = s.pick(c, 2));
      buy_maybe(i, 0.7);
      for (uint32_t k = 0, n = 1 + rng.below(2); k < n; ++k) {
        const uint32_t comp = s.pick(s.complement_of(c), rng.chance(0.8) ? 2 : 1);
        view(comp);
        buy_maybe(comp, 0.5);
      }
      w.purchase(rng, nullptr);
      break;
    }
    default: {  // explorer: wanders along complements, rarely buys
      uint32_t c = s.random_category();
      uint32_t last = 0;
      for (uint32_t k = 0, n = 3 + rng.below(8); k < n; ++k) {
        view(last = s.pick(c));
        if (rng.chance(0.4))
          c = store.complements[c].empty() ? s.random_category() : s.complement_of(c);
      }
      buy_maybe(last, 0.08);
      w.purchase(rng, nullptr);
      break;
    }
  }
}

// A product placeholder picture: the variant's colour (or the category's) on a soft
// background, a shape for the department and the category's name.
std::string placeholder_svg(const CategorySpec& spec, int tier, const std::string& variant) {
  static const std::pair<const char*, const char*> kPaint[] = {
      {"Black", "#2d2f33"},      {"White", "#f4f4f2"}, {"Slate Blue", "#5b7094"},
      {"Sage Green", "#8daa8a"}, {"Coral", "#ee806c"}, {"Sand", "#d9c4a1"}};
  static const char* kCategoryPaint[] = {"#3f6e8c", "#b0654a", "#6b5b95", "#4c8c6a", "#a68a3c"};
  size_t h = 0;
  for (const char* c = spec.name; *c != 0; ++c) h = h * 31 + uint8_t(*c);
  std::string fill = kCategoryPaint[h % 5];
  for (const auto& [name, hex] : kPaint) {
    if (variant == name) fill = hex;
  }
  const int dept = dept_index(spec.dept);
  static const char* kShape[] = {
      R"(<rect x="110" y="90" width="180" height="190" rx="38"/>)",
      R"(<path d="M120 130h160l-14 150H134z"/><rect x="110" y="110" width="180" height="26" rx="10"/>)",
      R"(<rect x="130" y="70" width="140" height="230" rx="22"/>)",
      R"(<circle cx="200" cy="185" r="100"/>)"};
  std::string svg = R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" role="img">)"
                    R"(<rect width="400" height="400" fill="#f3efe9"/>)"
                    R"(<g fill=")" +
                    fill + R"(" stroke="#00000022" stroke-width="4">)" + kShape[dept] + "</g>";
  for (int t = 0; t <= tier; ++t)  // one dot per tier: essential, classic, signature
    svg += R"(<circle cx=")" + std::to_string(185 + 15 * t - 7 * tier) +
           R"(" cy="320" r="5" fill="#8a7f72"/>)";
  svg += R"(<text x="200" y="362" text-anchor="middle" font-family="sans-serif" font-size="26" )"
         R"(fill="#5f574e">)" +
         std::string(spec.name) + "</text></svg>\n";
  return svg;
}

}  // namespace

DemoReport generate_demo(const DemoOptions& o, const std::string& out_dir) {
  if (o.format != "gmc" && o.format != "jsonl") throw InputError("--format must be gmc or jsonl");
  if (o.events_shape != "flat" && o.events_shape != "bigquery")
    throw InputError("--events-shape must be flat or bigquery");
  if (o.products < 10 || o.products > 2'000'000)
    throw InputError("--products must be between 10 and 2000000");
  make_dir(out_dir);
  Rng rng(o.seed);
  const Store store = make_store(o, rng);
  DemoReport report;
  report.items = store.items.size();
  std::unordered_map<std::string, int> groups;
  for (const auto& p : store.items) {
    if (!p.item.group_key.empty()) groups[p.item.group_key] = 1;
  }
  report.groups = groups.size();

  report.catalog_path = out_dir + (o.format == "gmc" ? "/catalog.tsv" : "/catalog.jsonl");
  const std::string catalog = o.format == "gmc" ? catalog_gmc(store) : catalog_jsonl(store);
  write_file_atomic(report.catalog_path, catalog.data(), catalog.size());

  report.rules_path = out_dir + "/rules.json";
  // The merchant's rules: the custom labels' meaning (GMC only), a guaranteed share for the
  // core series, an exploration slot for new arrivals, and a Black Friday campaign.
  const std::string mapping = o.format == "gmc" ? R"(
  "field_mapping": {
    "custom_label_0": "margin_tier",
    "custom_label_1": "kind",
    "custom_label_2": "repurchase_days",
    "custom_label_3": "launch_date",
    "custom_label_4": "label:series"
  },)"
                                                : "";
  const std::string rules = R"({
  "description": "Demo store rules: see docs/rules.md.",)" +
                            mapping + R"(
  "quotas": [
    {"name": "Core series", "match": {"label": "series=core"}, "min_share": 0.25,
     "placements": ["home", "product", "category"]}
  ],
  "exploration": {"slots": 1, "max_age_days": 30, "max_views": 10, "placements": ["home", "category"]},
  "campaigns": [
    {"name": "Black Friday", "start": "2026-11-27T00:00:00Z", "end": "2026-12-01T00:00:00Z",
     "boosts": [{"name": "Black Friday deal", "reason": "Black Friday deal", "match": {"promo": true}, "factor": 1.5}],
     "demote_expensive_non_promo": true, "favour_bundles": true}
  ],
  "segments": {
    "paid_search": {"slots": 4},
    "organic_social": {"weights": {"trending": 0.8}}
  })" +
                            (o.experiment_lift >= 0 ? std::string(R"(,
  "experiments": [
    {"name": "recs-2026-11", "minimum_effect": 0.05,
     "holdout": {"share": 0.5, "show": "nothing"},
     "variants": [{"name": "engine", "share": 0.5}]}
  ])")
                                                    : std::string()) +
                            R"(
}
)";
  write_file_atomic(report.rules_path, rules.data(), rules.size());

  make_dir(out_dir + "/images");
  std::unordered_map<std::string, int> drawn;
  for (const auto& p : store.items) {
    if (!drawn.emplace(p.item.image_url, 0).second) continue;
    const std::string svg = placeholder_svg(kCategories[p.category], p.tier, p.variant);
    write_file_atomic(out_dir + p.item.image_url, svg.data(), svg.size());
  }
  report.images = drawn.size();

  report.events_path = out_dir + "/events.jsonl";
  AtomicFileWriter events(report.events_path);
  SessionWriter writer(events, store, report, o.events_shape == "bigquery");
  Rules rules_parsed;
  if (o.experiment_lift >= 0) {
    const Status st = parse_rules_json(rules, &rules_parsed);
    if (!st.is_ok()) throw InputError("demo rules: " + st.message());
    writer.set_experiment(&rules_parsed.experiments.at(0), o.experiment_lift);
  }
  Shoppers shoppers(store, rng);
  std::vector<Visitor> visitors;
  const double mission_share[] = {0.12, 0.20, 0.15, 0.13, 0.12, 0.08, 0.20};
  const int64_t start_ms = o.end_ms - int64_t(o.days) * 86400000;
  for (uint64_t n = 0; n < o.sessions; ++n) {
    // Sessions arrive in time order; a third come from returning visitors.
    const int64_t t =
        start_ms + int64_t(double(n) / double(o.sessions) * double(o.end_ms - start_ms - 3600000));
    const bool fresh = visitors.empty() || rng.chance(0.66);
    if (fresh) visitors.push_back(Visitor{"V" + std::to_string(visitors.size() + 1), {}});
    Visitor& v = fresh ? visitors.back() : visitors[rng.below(uint32_t(visitors.size()))];
    // A returning customer whose consumable ran out buys it again.
    auto due = std::find_if(v.consumables.begin(), v.consumables.end(), [&](const auto& c) {
      return t - c.second > int64_t(store.items[c.first].item.repurchase_days) * 86400000;
    });
    if (due != v.consumables.end()) {
      writer.begin(v.id, n + 1, t, kEmail);
      writer.view(due->first);
      writer.advance(rng, 10, 40);
      writer.add_to_cart(due->first);
      writer.purchase(rng, nullptr);
      due->second = writer.now();
    } else {
      double r = rng.uniform();
      int mission = 0;
      while (mission < 6 && r >= mission_share[mission]) r -= mission_share[mission++];
      writer.begin(v.id, n + 1, t, traffic_for(rng, mission));
      run_session(writer, shoppers, rng, store, mission);
    }
    for (uint32_t i : writer.purchased() ? writer.cart() : std::vector<uint32_t>{}) {
      if (store.items[i].item.kind == ItemKind::kConsumable && v.consumables.size() < 8 &&
          std::none_of(v.consumables.begin(), v.consumables.end(),
                       [&](const auto& c) { return c.first == i; })) {
        v.consumables.emplace_back(i, writer.now());
      }
    }
    if (o.progress && (n & 0x3FFF) == 0) {
      std::fprintf(stderr, "\r  sessions %llu/%llu, %.1fM events   ",
                   static_cast<unsigned long long>(n), static_cast<unsigned long long>(o.sessions),
                   double(report.events) / 1e6);
    }
  }
  if (o.progress) std::fprintf(stderr, "\r%70s\r", "");
  writer.flush();
  events.commit();
  report.sessions = o.sessions;
  report.visitors = visitors.size();
  return report;
}

}  // namespace aisle
