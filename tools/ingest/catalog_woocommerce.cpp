// WooCommerce products CSV export. Variations belong to their parent (Parent column:
// "id:123" or the parent's SKU); a variable parent with variations becomes their item
// group instead of an item. Upsells and Cross-sells are kept as merchant hints.
#include <algorithm>
#include <unordered_map>

#include "catalog_rows.h"
#include "text.h"

namespace aisle {
namespace {

struct WooRow {
  PendingItem p;
  std::string woo_id, sku, type, parent_ref;
  std::vector<std::string> upsell_refs, cross_sell_refs;
  bool has_variations = false;
};

std::string woo_type(std::string_view type) {
  // "variation, virtual" -> "variation"
  for (const auto& t : split_trimmed(to_lower(type), ",")) {
    if (t == "simple" || t == "variable" || t == "variation" || t == "grouped" || t == "external")
      return t;
  }
  return "simple";
}

void read_attributes(const Row& row, CatalogItem* item) {
  for (int n = 1; n <= 20; ++n) {
    const std::string base = "attribute " + std::to_string(n);
    if (!row.header->has(base + " name")) break;
    const std::string name = to_lower(row.get(base + " name"));
    std::string_view values = row.get(base + " value(s)");
    if (name.empty() || values.empty()) continue;
    for (const auto& v : split_trimmed(values, ",")) {
      add_label(item, name + "=" + v);
      if (name == "brand" && item->brand.empty()) item->brand = v;
    }
  }
}

WooRow read_row(const Row& row, const CatalogOptions& options, Diagnostics& diag) {
  WooRow w;
  w.p.line = row.line;
  CatalogItem& it = w.p.item;
  w.woo_id = std::string(row.get("id"));
  w.sku = std::string(row.get("sku"));
  w.type = woo_type(row.get("type"));
  w.parent_ref = std::string(row.get("parent"));
  it.id = w.sku.empty() ? w.woo_id : w.sku;
  it.title = std::string(row.get("name"));
  it.url = options.store_url + "/?p=" + w.woo_id;
  const auto images = split_trimmed(row.get("images"), ",");
  if (!images.empty()) it.image_url = images.front();
  // Categories: "A > B, C" -- the deepest path wins, the others become labels.
  std::vector<std::string> deepest;
  for (const auto& path_text : split_trimmed(row.get("categories"), ",")) {
    auto path = split_category_path(path_text);
    if (path.size() > deepest.size()) deepest.swap(path);
    add_label(&it, "category=" + path_text);
  }
  it.category_path = std::move(deepest);
  for (const auto& tag : split_trimmed(row.get("tags"), ",")) add_label(&it, "tag=" + tag);
  it.brand = std::string(row.get("brands"));
  read_attributes(row, &it);
  read_price(row, "regular price", &it.price, &it.currency, diag);
  read_price(row, "sale price", &it.sale_price, nullptr, diag);
  if (it.price < 0 && it.sale_price >= 0) std::swap(it.price, it.sale_price);
  read_date(row, "date sale price starts", &it.sale_start_s, diag);
  read_date(row, "date sale price ends", &it.sale_end_s, diag);
  const std::string_view stock_flag = row.get("in stock?");
  if (!stock_flag.empty()) {
    bool ok;
    it.availability = parse_availability(stock_flag, &ok);
    if (!ok)
      diag.warn(row.at("in stock?"), "bad value ignored", "'" + std::string(stock_flag) + "'");
  }
  int64_t qty;
  if (parse_int(row.get("stock"), &qty))
    it.inventory = int32_t(std::clamp<int64_t>(qty, 0, INT32_MAX));  // < 0: oversold, none left
  int64_t published = 1;
  parse_int(row.get("published"), &published);
  const std::string visibility = to_lower(row.get("visibility in catalog"));
  it.recommendable = published == 1 && visibility != "hidden";
  w.upsell_refs = split_trimmed(row.get("upsells"), ",");
  w.cross_sell_refs = split_trimmed(row.get("cross-sells"), ",");
  return w;
}

}  // namespace

std::vector<PendingItem> read_woocommerce(CsvReader& csv, const Header& header,
                                          const std::string& file, const CatalogOptions& options,
                                          Diagnostics& diag, CatalogStats* stats) {
  std::vector<WooRow> rows;
  std::vector<std::string> fields;
  Row row{};
  while (next_data_row(csv, header, file, &fields, &row, diag, stats)) {
    WooRow w = read_row(row, options, diag);
    if (w.type == "grouped") {
      ++stats->skipped;
      diag.warn(row.at("type"), "skipped row: grouped product (a container without its own price)");
      continue;
    }
    apply_mapping(options.mapping, row, &w.p, diag);
    rows.push_back(std::move(w));
  }
  // References are "id:123" or a SKU.
  std::unordered_map<std::string, size_t> by_ref;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].woo_id.empty()) by_ref.emplace("id:" + rows[i].woo_id, i);
    if (!rows[i].sku.empty()) by_ref.emplace(rows[i].sku, i);
  }
  auto lookup = [&](const std::string& ref) -> long {
    auto it = by_ref.find(ref);
    return it == by_ref.end() ? -1 : long(it->second);
  };
  std::vector<long> first_variation(rows.size(), -1);
  for (size_t i = 0; i < rows.size(); ++i) {
    WooRow& w = rows[i];
    if (w.type != "variation") continue;
    const long parent = lookup(w.parent_ref);
    if (parent < 0) {
      diag.warn(Location{file, w.p.line, "parent"},
                "variation without a known parent kept on its own", "'" + w.parent_ref + "'");
      continue;
    }
    WooRow& par = rows[size_t(parent)];
    par.has_variations = true;
    if (first_variation[size_t(parent)] < 0) first_variation[size_t(parent)] = long(i);
    CatalogItem& it = w.p.item;
    const CatalogItem& pit = par.p.item;
    it.group_key = pit.id;
    if (it.title.empty()) it.title = pit.title;
    if (it.category_path.empty()) it.category_path = pit.category_path;  // shared, not copied
    if (it.brand.empty()) it.brand = pit.brand;
    if (it.image_url.empty()) it.image_url = pit.image_url;
    if (it.margin_tier.empty()) it.margin_tier = pit.margin_tier;
    if (it.kind == ItemKind::kUnknown) it.kind = pit.kind;
    if (it.repurchase_days == 0) it.repurchase_days = pit.repurchase_days;
    if (it.launch_s == 0) it.launch_s = pit.launch_s;
    it.promo = it.promo || pit.promo;
    it.recommendable = it.recommendable && pit.recommendable;
    it.url = options.store_url + "/?p=" + par.woo_id;
    for (const auto& l : pit.labels) {
      if (!starts_with(l, "tag=") && !starts_with(l, "category=")) continue;
      add_label(&it, l);
    }
    if (w.upsell_refs.empty()) w.upsell_refs = par.upsell_refs;
    if (w.cross_sell_refs.empty()) w.cross_sell_refs = par.cross_sell_refs;
  }
  // A hint to a variable parent points at its first variation.
  auto resolve = [&](const std::string& ref) -> std::string {
    long i = lookup(ref);
    if (i < 0) return ref;  // left for finalize_catalog to report
    if (rows[size_t(i)].has_variations) i = first_variation[size_t(i)];
    return rows[size_t(i)].p.item.id;
  };
  for (WooRow& w : rows) {
    for (const auto& r : w.upsell_refs) w.p.item.upsell_ids.push_back(resolve(r));
    for (const auto& r : w.cross_sell_refs) w.p.item.cross_sell_ids.push_back(resolve(r));
  }
  std::vector<PendingItem> out;
  for (WooRow& w : rows) {
    if (w.has_variations) {
      ++stats->merged;  // the parent lives on as the group of its variations
      continue;
    }
    out.push_back(std::move(w.p));
  }
  return out;
}

}  // namespace aisle
