// Shopify products CSV export. The first row of a handle carries the product fields;
// rows below it with the same (or a blank) handle are further variants or extra images.
#include <algorithm>

#include "catalog_rows.h"
#include "text.h"

namespace aisle {
namespace {

struct Product {
  std::string handle, title, vendor, status, tags, image;
  CategoryPath category_path;  // shared by the product's variants
  bool published = true;
  std::vector<std::string> option_names;   // lower case
  std::vector<std::string> custom_labels;  // "custom_label_N=value"
  size_t variants = 0;
  std::vector<std::string> first_fields;  // product-level mapped columns live on this row
  uint64_t first_line = 0;
};

bool has_variant_data(const Row& row) {
  for (const char* c : {"option1 value", "variant sku", "variant price"}) {
    if (!row.get(c).empty()) return true;
  }
  return false;
}

void start_product(const Row& row, Product* p) {
  *p = Product{};
  p->first_fields = *row.fields;
  p->first_line = row.line;
  p->handle = std::string(row.get("handle"));
  p->title = std::string(row.get("title"));
  p->vendor = std::string(row.get("vendor"));
  std::string_view category = row.get("product category");
  if (category.empty()) category = row.get("type");
  p->category_path = split_category_path(category);
  p->status = to_lower(row.get("status"));
  p->tags = std::string(row.get("tags"));
  p->image = std::string(row.get("image src"));
  bool published = true;
  if (parse_bool(row.get("published"), &published)) p->published = published;
  for (const char* c : {"option1 name", "option2 name", "option3 name"})
    p->option_names.push_back(to_lower(row.get(c)));
  for (int n = 0; n < 5; ++n) {
    const std::string col = "google shopping / custom label " + std::to_string(n);
    const std::string_view v = row.get(col);
    if (!v.empty())
      p->custom_labels.push_back("custom_label_" + std::to_string(n) + "=" + std::string(v));
  }
}

PendingItem make_variant(const Row& row, Product* p, const CatalogOptions& options,
                         Diagnostics& diag) {
  PendingItem out;
  out.line = row.line;
  CatalogItem& it = out.item;
  std::vector<std::string> option_values;
  for (int n = 0; n < 3; ++n) {
    const std::string_view v = row.get("option" + std::to_string(n + 1) + " value");
    if (v.empty() || v == "Default Title") continue;
    option_values.emplace_back(v);
    const std::string& name = p->option_names[size_t(n)];
    add_label(&it, (name.empty() ? "option" + std::to_string(n + 1) : name) + "=" + std::string(v));
  }
  it.id = std::string(row.get("variant sku"));
  if (it.id.empty()) {
    it.id = p->handle;
    for (const auto& v : option_values) it.id += "-" + slugify(v);
  }
  it.title = p->title;
  if (!option_values.empty()) {
    it.title += " -";
    for (size_t i = 0; i < option_values.size(); ++i)
      it.title += (i ? " / " : " ") + option_values[i];
  }
  it.group_key = p->handle;
  it.brand = p->vendor;
  it.category_path = p->category_path;
  it.url = options.store_url + "/products/" + p->handle;
  const std::string_view variant_image = row.get("variant image");
  it.image_url = variant_image.empty() ? p->image : std::string(variant_image);
  it.recommendable = p->published && (p->status.empty() || p->status == "active");
  for (const auto& tag : split_trimmed(p->tags, ",")) add_label(&it, "tag=" + tag);
  for (const auto& l : p->custom_labels) add_label(&it, l);

  int64_t price = kNoPrice, compare_at = kNoPrice;
  read_price(row, "variant price", &price, &it.currency, diag);
  read_price(row, "variant compare at price", &compare_at, nullptr, diag);
  if (compare_at > price && price >= 0) {
    it.price = compare_at;
    it.sale_price = price;
  } else {
    it.price = price;
  }
  read_price(row, "cost per item", &it.cost, &out.cost_currency, diag);
  out.cost_field = "cost per item";
  int64_t qty;
  const std::string_view qty_text = row.get("variant inventory qty");
  if (!qty_text.empty()) {
    if (parse_int(qty_text, &qty)) {
      // Oversold (a negative count, when the policy lets orders continue) is none in stock, in
      // every reader: a stock range sees 0, not an unknown count.
      it.inventory = int32_t(std::clamp<int64_t>(qty, 0, INT32_MAX));
      const bool tracked = !row.get("variant inventory tracker").empty();
      if (tracked && qty <= 0) {
        it.availability = to_lower(row.get("variant inventory policy")) == "continue"
                              ? Availability::kBackorder
                              : Availability::kOutOfStock;
      }
    } else {
      diag.warn(row.at("variant inventory qty"), "bad value ignored",
                "not a number: '" + std::string(qty_text) + "'");
    }
  }
  ++p->variants;
  return out;
}

}  // namespace

std::vector<PendingItem> read_shopify(CsvReader& csv, const Header& header, const std::string& file,
                                      const CatalogOptions& options, Diagnostics& diag,
                                      CatalogStats* stats) {
  std::vector<PendingItem> out;
  std::vector<std::string> fields;
  Row row{};
  Product product;
  bool have_product = false;
  while (next_data_row(csv, header, file, &fields, &row, diag, stats)) {
    const std::string_view handle = row.get("handle");
    const bool continuation =
        have_product && (handle.empty() || handle == product.handle) && row.get("title").empty();
    if (!continuation) {
      if (handle.empty()) {
        ++stats->skipped;
        diag.warn(row.at("handle"), "skipped row: no handle and no product above it");
        continue;
      }
      start_product(row, &product);
      have_product = true;
      if (product.title.empty()) diag.warn(row.at("title"), "product without a title");
    } else if (!has_variant_data(row)) {
      // An extra image (or a blank-ish) row of the product above.
      ++stats->merged;
      if (product.image.empty()) {
        product.image = std::string(row.get("image src"));
        for (size_t i = out.size() - product.variants; i < out.size(); ++i) {
          if (out[i].item.image_url.empty()) out[i].item.image_url = product.image;
        }
      }
      continue;
    }
    PendingItem variant = make_variant(row, &product, options, diag);
    if (continuation) {
      const Row first{&header, &product.first_fields, file, product.first_line};
      apply_mapping(options.mapping, first, &variant, diag);
    }
    apply_mapping(options.mapping, row, &variant, diag);
    out.push_back(std::move(variant));
  }
  return out;
}

}  // namespace aisle
