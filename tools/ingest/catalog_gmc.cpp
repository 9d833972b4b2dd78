// Google Merchant Center product data (TSV or CSV, optional "g:" column prefixes).
#include "catalog_rows.h"
#include "text.h"

namespace aisle {

std::vector<PendingItem> read_gmc(CsvReader& csv, const Header& header, const std::string& file,
                                  const CatalogOptions& options, Diagnostics& diag,
                                  CatalogStats* stats) {
  static const char* kLabelColumns[] = {"custom_label_0", "custom_label_1", "custom_label_2",
                                        "custom_label_3", "custom_label_4", "color",
                                        "size",           "material",       "pattern",
                                        "gender",         "age_group",      "condition"};
  std::vector<PendingItem> out;
  std::vector<std::string> fields;
  Row row{};
  while (next_data_row(csv, header, file, &fields, &row, diag, stats)) {
    PendingItem p;
    p.line = row.line;
    CatalogItem& it = p.item;
    it.id = std::string(row.get("id"));
    it.title = std::string(row.get("title"));
    it.url = std::string(row.get("link"));
    it.image_url = std::string(row.get("image_link"));
    it.brand = std::string(row.get("brand"));
    it.group_key = std::string(row.get("item_group_id"));
    read_price(row, "price", &it.price, &it.currency, diag);
    read_price(row, "sale_price", &it.sale_price, &p.sale_currency, diag);
    read_price(row, "cost_of_goods_sold", &it.cost, &p.cost_currency, diag);
    p.cost_field = "cost_of_goods_sold";
    const std::string_view window = row.get("sale_price_effective_date");
    if (!window.empty()) {
      int64_t a, b;
      if (parse_time_range_ms(window, &a, &b)) {
        it.sale_start_s = a / 1000;
        it.sale_end_s = b / 1000;
      } else {
        diag.warn(row.at("sale_price_effective_date"), "bad value ignored",
                  "expected start/end: '" + std::string(window) + "'");
      }
    }
    const std::string_view avail = row.get("availability");
    if (!avail.empty()) {
      bool ok;
      it.availability = parse_availability(avail, &ok);
      if (!ok)
        diag.warn(row.at("availability"), "bad value ignored", "'" + std::string(avail) + "'");
    }
    std::string_view category = row.get("product_type");
    const std::string_view google_category = row.get("google_product_category");
    if (category.empty() && google_category.find('>') != std::string_view::npos)
      category = google_category;
    it.category_path = split_category_path(category);
    if (!google_category.empty())
      add_label(&it, "google_product_category=" + std::string(google_category));
    for (const char* col : kLabelColumns) {
      const std::string_view v = row.get(col);
      if (!v.empty()) add_label(&it, std::string(col) + "=" + std::string(v));
    }
    const std::string_view promo = row.get("promotion_id");
    if (!promo.empty()) {
      it.promo = true;
      add_label(&it, "promotion_id=" + std::string(promo));
    }
    const std::string_view excluded = row.get("excluded_destination");
    if (!excluded.empty() && to_lower(excluded).find("shopping") != std::string::npos)
      it.recommendable = false;
    apply_mapping(options.mapping, row, &p, diag);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace aisle
