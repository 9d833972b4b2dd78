// aisle's own catalog JSONL: one object per line, field names in docs/ingestion.md.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "catalog_rows.h"
#include "line_reader.h"
#include "text.h"

namespace aisle {
namespace {

using nlohmann::json;

// Text of a string or number value; empty for anything else.
std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_float()) return v.dump();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return "";
}

// Text of a value read as a price: a JSON number's '.' is its decimal point, never a
// thousands separator, so a number is written with two decimals first (12.345 -> "12.35").
std::string price_text(const json& v) {
  int64_t hundredths = 0;
  if (v.is_number_float() && price_from_number(v.get<double>(), &hundredths))
    return format_hundredths(hundredths);
  return scalar_text(v);
}

std::vector<std::string> string_list(const json& v, const Location& where, Diagnostics& diag) {
  std::vector<std::string> out;
  if (v.is_array()) {
    for (const auto& e : v) {
      const std::string s = scalar_text(e);
      if (!s.empty()) out.push_back(s);
    }
  } else if (v.is_string()) {
    out = split_trimmed(v.get<std::string>(), ",");
  } else if (!v.is_null()) {
    diag.warn(where, "bad value ignored", "expected a list");
  }
  return out;
}

void read_field(const std::string& key, const json& v, const Location& where, PendingItem& p,
                Diagnostics& diag) {
  CatalogItem& it = p.item;
  const std::string text = scalar_text(v);
  auto price = [&](int64_t* out, std::string* currency) {
    read_price_text(price_text(v), where, out, currency, diag);
  };
  auto time_s = [&](int64_t* out) {
    int64_t ms;
    if (parse_time_ms(text, &ms))
      *out = ms / 1000;
    else
      diag.warn(where, "bad value ignored", "not a date");
  };
  auto boolean = [&](bool* out) {
    if (v.is_boolean())
      *out = v.get<bool>();
    else if (!parse_bool(text, out))
      diag.warn(where, "bad value ignored", "not a boolean");
  };
  if (key == "id")
    it.id = text;
  else if (key == "title")
    it.title = text;
  else if (key == "url")
    it.url = text;
  else if (key == "image")
    it.image_url = text;
  else if (key == "price")
    price(&it.price, &it.currency);
  else if (key == "sale_price")
    price(&it.sale_price, &p.sale_currency);
  else if (key == "sale_start")
    time_s(&it.sale_start_s);
  else if (key == "sale_end")
    time_s(&it.sale_end_s);
  else if (key == "currency") {
    it.currency = text;
    for (char& ch : it.currency) ch = char(std::toupper(static_cast<unsigned char>(ch)));
  } else if (key == "availability") {
    bool ok;
    it.availability = parse_availability(text, &ok);
    if (!ok) diag.warn(where, "bad value ignored", "'" + text + "'");
  } else if (key == "brand")
    it.brand = text;
  else if (key == "category") {
    it.category_path = v.is_array() ? string_list(v, where, diag) : split_category_path(text);
  } else if (key == "group")
    it.group_key = text;
  else if (key == "labels") {
    if (v.is_object()) {
      for (const auto& [k, lv] : v.items()) add_label(&it, k + "=" + scalar_text(lv));
    } else {
      for (auto& l : string_list(v, where, diag)) add_label(&it, std::move(l));
    }
  } else if (key == "margin_tier" || key == "cost" || key == "launch_date" || key == "kind" ||
             key == "repurchase_days") {
    apply_target(key, key == "cost" ? price_text(v) : text, where, &p, diag);
  } else if (key == "promo")
    boolean(&it.promo);
  else if (key == "recommendable")
    boolean(&it.recommendable);
  else if (key == "inventory") {
    if (v.is_number_integer())
      it.inventory = int32_t(std::clamp<int64_t>(v.get<int64_t>(), 0, INT32_MAX));  // < 0: oversold
    else
      diag.warn(where, "bad value ignored", "not an integer");
  } else if (key == "upsells")
    it.upsell_ids = string_list(v, where, diag);
  else if (key == "cross_sells")
    it.cross_sell_ids = string_list(v, where, diag);
  else if (key == "description") {
  } else
    diag.warn(where, "unknown field ignored");
}

}  // namespace

std::vector<PendingItem> read_catalog_jsonl(std::istream& in, const std::string& file,
                                            const CatalogOptions& options, Diagnostics& diag,
                                            CatalogStats* stats) {
  std::vector<PendingItem> out;
  LineReader lines(in);
  std::string_view line;
  while (lines.next(&line)) {
    if (lines.overlong()) {
      ++stats->records;
      ++stats->skipped;
      diag.warn(Location{file, lines.line_number(), ""}, "skipped line: longer than 64 MiB");
      continue;
    }
    if (trim(line).empty()) continue;
    ++stats->records;
    const Location where{file, lines.line_number(), ""};
    json obj = json::parse(line, nullptr, false);
    if (obj.is_discarded() || !obj.is_object()) {
      ++stats->skipped;
      diag.warn(where, "skipped line: not a JSON object");
      continue;
    }
    PendingItem p;
    p.line = lines.line_number();
    for (const auto& [key, value] : obj.items()) {
      read_field(key, value, Location{file, p.line, key}, p, diag);
    }
    for (const auto& [source, target] : options.mapping.entries) {
      auto f = obj.find(source);
      if (f != obj.end())
        apply_target(target, target == "cost" ? price_text(*f) : scalar_text(*f),
                     Location{file, p.line, source}, &p, diag);
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace aisle
