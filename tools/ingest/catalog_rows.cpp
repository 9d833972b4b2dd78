#include "catalog_rows.h"

#include <algorithm>
#include <cstddef>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "json_line.h"  // repair_text, utf8_prefix
#include "text.h"

namespace aisle {

Header::Header(const std::vector<std::string>& names, std::string_view strip_prefix) {
  for (size_t i = 0; i < names.size(); ++i) {
    std::string n = to_lower(trim(names[i]));
    if (!strip_prefix.empty() && starts_with(n, strip_prefix)) n.erase(0, strip_prefix.size());
    names_.push_back(n);
    index_.emplace(n, int(i));  // first occurrence wins
  }
}

int Header::index(std::string_view name) const {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? -1 : it->second;
}

std::string_view Row::get(std::string_view column) const {
  const int i = header->index(column);
  if (i < 0 || size_t(i) >= fields->size()) return {};
  const std::string_view v = trim((*fields)[size_t(i)]);
  if (v.size() <= kMaxFieldBytes) return v;
  const uint64_t bit = uint64_t(1) << (i & 63);
  if (diag != nullptr && (long_columns & bit) == 0) {
    long_columns |= bit;
    diag->warn(at(column), "value longer than " + std::to_string(kMaxFieldBytes) + " bytes cut",
               std::to_string(v.size()) + " bytes");
  }
  return trim(v.substr(0, utf8_prefix(v, kMaxFieldBytes)));
}

namespace {
// The column of the last field read: where a runaway quote sits.
std::string quoted_column(const Header& header, const std::vector<std::string>& fields) {
  const size_t i = fields.empty() ? 0 : fields.size() - 1;
  return i < header.names().size() ? header.names()[i] : "";
}
}  // namespace

bool next_data_row(CsvReader& csv, const Header& header, const std::string& file,
                   std::vector<std::string>* fields, Row* row, Diagnostics& diag,
                   CatalogStats* stats) {
  while (csv.next(fields)) {
    ++stats->records;
    const Location where{file, csv.record_line(), quoted_column(header, *fields)};
    if (csv.overlong()) {
      throw InputError(Location{file, csv.record_line() + csv.record_lines() - 1, ""},
                       "line longer than " + std::to_string(LineReader::kMaxLine >> 20) +
                           " MiB: not a catalog export?");
    }
    if (csv.runaway()) {
      throw InputError(where, "a quoted field opened in this record runs over " +
                                  std::to_string(CsvReader::kMaxQuotedLines) + " lines or " +
                                  std::to_string(CsvReader::kMaxQuotedBytes >> 20) +
                                  " MiB: an unbalanced quote?");
    }
    if (csv.unterminated() && csv.record_lines() > 1) {
      throw InputError(where, "a quoted field opened in this record never closes: the " +
                                  std::to_string(csv.record_lines()) +
                                  " lines to the end of the file would be one field "
                                  "(an unbalanced quote?)");
    }
    if (csv.unterminated()) diag.warn(where, "unterminated quote at end of file");
    if (is_blank_record(*fields)) {  // harmless, so counted but never an error
      ++stats->skipped;
      diag.add_count("skipped row: blank", 1);
      continue;
    }
    if (fields->size() > header.names().size()) {
      diag.warn(where, "row has more fields than the header",
                std::to_string(fields->size()) + " > " + std::to_string(header.names().size()));
    }
    *row = Row{&header, fields, file, csv.record_line(), &diag};
    return true;
  }
  return false;
}

bool read_price_text(std::string_view text, const Location& where, int64_t* value,
                     std::string* currency, Diagnostics& diag) {
  std::string code;
  bool ambiguous = false;
  int64_t amount = 0;
  if (!parse_price(text, &amount, &code, &ambiguous)) {
    diag.warn(where, "bad value ignored", "not a price: '" + std::string(text) + "'");
    return false;
  }
  if (ambiguous) {
    diag.warn(where, "price read with a thousands separator",
              "'" + std::string(text) + "' read as " + format_hundredths(amount) +
                  "; write two decimals to mean less");
  }
  *value = amount;
  if (currency != nullptr && !code.empty()) *currency = code;
  return true;
}

bool read_price(const Row& row, std::string_view column, int64_t* value, std::string* currency,
                Diagnostics& diag) {
  const std::string_view text = row.get(column);
  if (text.empty()) return false;
  return read_price_text(text, row.at(column), value, currency, diag);
}

bool read_date(const Row& row, std::string_view column, int64_t* seconds, Diagnostics& diag) {
  const std::string_view text = row.get(column);
  if (text.empty()) return false;
  int64_t ms;
  if (!parse_time_ms(text, &ms)) {
    diag.warn(row.at(column), "bad value ignored", "not a date: '" + std::string(text) + "'");
    return false;
  }
  *seconds = ms / 1000;
  return true;
}

Availability parse_availability(std::string_view text, bool* ok) {
  std::string v = to_lower(trim(text));
  for (char& c : v) {
    if (c == ' ' || c == '-') c = '_';
  }
  *ok = true;
  if (v == "in_stock" || v == "instock" || v == "1" || v == "true" || v == "available")
    return Availability::kInStock;
  if (v == "out_of_stock" || v == "outofstock" || v == "0" || v == "false" || v == "sold_out") {
    return Availability::kOutOfStock;
  }
  if (v == "preorder" || v == "pre_order") return Availability::kPreorder;
  if (v == "backorder" || v == "onbackorder" || v == "on_backorder")
    return Availability::kBackorder;
  *ok = false;
  return Availability::kInStock;
}

std::vector<std::string> split_category_path(std::string_view text) {
  std::vector<std::string> out;
  for (size_t start = 0; start <= text.size() && out.size() <= kMaxCategoryDepth;) {
    size_t end = text.find('>', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view part = trim(text.substr(start, end - start));
    if (!part.empty()) out.emplace_back(part);
    start = end + 1;
  }
  return out;
}

void add_label(CatalogItem* item, std::string label) {
  if (item->labels.size() <= kMaxLabels) item->labels.push_back(std::move(label));
}

namespace {
constexpr const char* kTargets[] = {
    "margin_tier", "cost",  "launch_date", "kind", "repurchase_days",
    "promo",       "brand", "category",    "group"};
}

bool is_mapping_target(const std::string& target) {
  if (starts_with(target, "label:") && target.size() > 6) return true;
  for (const char* t : kTargets) {
    if (target == t) return true;
  }
  return false;
}

const char* mapping_targets_help() {
  return "margin_tier, cost, launch_date, kind, repurchase_days, promo, brand, category, group, "
         "label:NAME";
}

void apply_target(const std::string& target, std::string_view value, const Location& where,
                  PendingItem* pending, Diagnostics& diag) {
  CatalogItem* item = &pending->item;
  value = trim(value);
  if (value.empty()) return;
  auto bad = [&](const char* what) {
    diag.warn(where, "bad value ignored", std::string(what) + ": '" + std::string(value) + "'");
  };
  if (target == "margin_tier") {
    item->margin_tier = to_lower(value);
  } else if (target == "cost") {
    read_price_text(value, where, &item->cost, &pending->cost_currency, diag);
    pending->cost_field = where.field;
  } else if (target == "launch_date") {
    int64_t ms;
    if (parse_time_ms(value, &ms))
      item->launch_s = ms / 1000;
    else
      bad("not a date");
  } else if (target == "kind") {
    const std::string v = to_lower(value);
    if (v == "durable")
      item->kind = ItemKind::kDurable;
    else if (v == "consumable")
      item->kind = ItemKind::kConsumable;
    else
      bad("expected durable or consumable");
  } else if (target == "repurchase_days") {
    int64_t days;
    if (parse_int(value, &days) && days > 0 && days <= 3650)
      item->repurchase_days = uint16_t(days);
    else
      bad("expected days between 1 and 3650");
  } else if (target == "promo") {
    bool b;
    const std::string v = to_lower(value);
    item->promo = parse_bool(value, &b) ? b : (v != "none" && v != "-");
  } else if (target == "brand") {
    item->brand = std::string(value);
  } else if (target == "category") {
    item->category_path = split_category_path(value);
  } else if (target == "group") {
    item->group_key = std::string(value);
  } else if (starts_with(target, "label:")) {
    add_label(item, target.substr(6) + "=" + std::string(value));
  }
}

void apply_mapping(const FieldMapping& mapping, const Row& row, PendingItem* item,
                   Diagnostics& diag) {
  for (const auto& [source, target] : mapping.entries) {
    const std::string_view v = row.get(source);
    if (!v.empty()) apply_target(target, v, row.at(source), item, diag);
  }
}

FieldMapping with_named_columns(const FieldMapping& mapping, const Header& header) {
  FieldMapping out = mapping;
  for (const char* t : {"margin_tier", "cost", "launch_date", "kind", "repurchase_days", "promo"}) {
    bool mapped = false;
    for (const auto& e : mapping.entries) mapped = mapped || e.first == t;
    if (!mapped && header.has(t))
      out.entries.insert(out.entries.begin(), {t, t});  // explicit ones win
  }
  return out;
}

void check_mapping_sources(const FieldMapping& mapping, const Header& header,
                           const std::string& file, Diagnostics& diag) {
  for (const auto& entry : mapping.entries) {
    if (!header.has(entry.first)) {
      diag.warn(Location{file, 1, entry.first}, "field_mapping source column not in the export");
    }
  }
}

// Snapshot prices are 32-bit hundredths.
constexpr int64_t kMaxPrice = 0xFFFFFFFFll - 1;

namespace {

// One value made clean text of at most kMaxFieldBytes, each repair reported.
void bound_text(std::string* s, const Location& where, Diagnostics& diag) {
  if (!is_clean_text(*s)) {
    TextRepair what;
    *s = repair_text(*s, &what);
    if (what.invalid_utf8) diag.warn(where, "invalid UTF-8 replaced by U+FFFD");
    if (what.control) diag.warn(where, "control characters replaced by spaces");
  }
  if (s->size() > kMaxFieldBytes) {
    diag.warn(where, "value longer than " + std::to_string(kMaxFieldBytes) + " bytes cut",
              std::to_string(s->size()) + " bytes");
    s->resize(utf8_prefix(*s, kMaxFieldBytes));
  }
}

// A category path bounded like the other values: the path itself when it is within
// bounds, else a repaired copy (each repair reported).
CategoryPath bound_path(const CategoryPath& path, const Location& where, Diagnostics& diag) {
  bool clean = path.size() <= kMaxCategoryDepth;
  for (const std::string& s : path) clean = clean && s.size() <= kMaxFieldBytes && is_clean_text(s);
  if (clean) return path;
  if (path.size() > kMaxCategoryDepth) {
    diag.warn(where,
              "category path deeper than " + std::to_string(kMaxCategoryDepth) + " levels cut");
  }
  std::vector<std::string> parts(
      path.begin(), path.begin() + std::ptrdiff_t(std::min(path.size(), kMaxCategoryDepth)));
  for (std::string& s : parts) bound_text(&s, where, diag);
  return parts;
}

// Paths shared by several items (a product's variations) -> the path and its repaired
// copy, so the repaired path is shared in turn rather than copied per item.
using RepairedPaths =
    std::unordered_map<const std::vector<std::string>*, std::pair<CategoryPath, CategoryPath>>;

// The bounds of catalog_ingest.h, applied to one item whatever format it came from.
void bound_item(CatalogItem* it, const std::string& file, uint64_t line, RepairedPaths* repaired,
                Diagnostics& diag) {
  const std::pair<std::string*, const char*> fields[] = {
      {&it->id, "id"},           {&it->title, "title"},
      {&it->url, "url"},         {&it->image_url, "image"},
      {&it->brand, "brand"},     {&it->currency, "currency"},
      {&it->group_key, "group"}, {&it->margin_tier, "margin_tier"}};
  for (const auto& [s, name] : fields) bound_text(s, Location{file, line, name}, diag);
  const CategoryPath path = bound_path(it->category_path, Location{file, line, "category"}, diag);
  if (!path.shares(it->category_path)) {
    const auto entry =
        repaired->try_emplace(&it->category_path.parts(), it->category_path, path).first;
    it->category_path = entry->second.second;
  }
  if (it->labels.size() > kMaxLabels) {
    diag.warn(Location{file, line, "labels"},
              "more than " + std::to_string(kMaxLabels) + " labels, the rest dropped");
    it->labels.resize(kMaxLabels);
  }
  for (auto* list : {&it->labels, &it->upsell_ids, &it->cross_sell_ids}) {
    const char* name = list == &it->labels       ? "labels"
                       : list == &it->upsell_ids ? "upsells"
                                                 : "cross_sells";
    for (std::string& s : *list) bound_text(&s, Location{file, line, name}, diag);
  }
}

}  // namespace

Catalog finalize_catalog(std::vector<PendingItem> pending, const std::string& file,
                         const CatalogOptions& options, Diagnostics& diag, CatalogStats* stats) {
  Catalog catalog;
  std::unordered_map<std::string, uint64_t> first_line;
  RepairedPaths repaired;
  for (PendingItem& p : pending) {
    CatalogItem& it = p.item;
    bound_item(&it, file, p.line, &repaired, diag);
    if (it.id.empty()) {
      ++stats->skipped;
      diag.warn(Location{file, p.line, "id"}, "skipped row: missing id");
      continue;
    }
    if (it.price < 0) {
      ++stats->skipped;
      diag.warn(Location{file, p.line, "price"}, "skipped row: missing or bad price");
      continue;
    }
    if (it.price >= kMaxPrice || it.sale_price >= kMaxPrice || it.cost >= kMaxPrice) {
      ++stats->skipped;
      diag.warn(Location{file, p.line, "price"}, "skipped row: price beyond 42,949,672.94");
      continue;
    }
    auto seen = first_line.emplace(it.id, p.line);
    if (!seen.second) {
      ++stats->merged;
      diag.warn(Location{file, p.line, "id"}, "duplicate id merged into the first row",
                "'" + it.id + "' first at line " + std::to_string(seen.first->second));
      continue;
    }
    if (it.title.empty()) {
      diag.warn(Location{file, p.line, "title"}, "missing title, id used instead");
      it.title = it.id;
    }
    if (it.currency.empty()) it.currency = options.currency;
    for (auto [amount, code, what, field] :
         {std::make_tuple(&it.sale_price, &p.sale_currency, "sale price", &p.sale_field),
          std::make_tuple(&it.cost, &p.cost_currency, "cost", &p.cost_field)}) {
      if (*amount != kNoPrice && !code->empty() && *code != it.currency) {
        diag.warn(Location{file, p.line, *field}, "bad value ignored",
                  std::string("the ") + what + " is in " + *code + ", the price in " + it.currency);
        *amount = kNoPrice;
      }
    }
    if (it.sale_price >= it.price) it.sale_price = kNoPrice;  // not a discount
    catalog.items.push_back(std::move(it));
  }
  // Hints may name items that were skipped or never exported.
  for (size_t i = 0; i < catalog.items.size(); ++i) {
    for (auto* ids : {&catalog.items[i].upsell_ids, &catalog.items[i].cross_sell_ids}) {
      std::vector<std::string> kept;
      std::unordered_set<std::string> dedupe;
      for (auto& id : *ids) {
        if (id == catalog.items[i].id || !dedupe.insert(id).second) continue;
        if (first_line.count(id) == 0) {
          diag.warn(Location{file, first_line[catalog.items[i].id],
                             ids == &catalog.items[i].upsell_ids ? "upsells" : "cross_sells"},
                    "hint to unknown item dropped", "'" + id + "'");
          continue;
        }
        kept.push_back(std::move(id));
        if (kept.size() == 512) break;  // the format allows 1024 hints per item
      }
      *ids = std::move(kept);
    }
  }
  stats->items = catalog.items.size();
  return catalog;
}

}  // namespace aisle
