#include "inspect.h"

#include <algorithm>
#include <iomanip>
#include <map>

#include "similar.h"
#include "text.h"

namespace aisle {
namespace {

using nlohmann::json;

json top_by(const Snapshot& snap, size_t n, float (*key)(const fmt::PopularityRecord&)) {
  std::vector<uint32_t> order(snap.item_count());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  n = std::min(n, order.size());
  std::partial_sort(order.begin(), order.begin() + long(n), order.end(),
                    [&](uint32_t a, uint32_t b) {
                      const float ka = key(snap.popularity(a)), kb = key(snap.popularity(b));
                      return ka != kb ? ka > kb : a < b;
                    });
  json out = json::array();
  for (size_t i = 0; i < n; ++i) {
    const ItemView it = snap.item(order[i]);
    const auto p = snap.popularity(order[i]);
    out.push_back({{"id", it.id},
                   {"title", it.title},
                   {"views", p.views},
                   {"carts", p.carts},
                   {"purchases", p.purchases},
                   {"trend", p.trend}});
  }
  return out;
}

// The build notes (kind_inference.h, tuning.h) are the file's bytes, parsed as untrusted:
// only entries with a summary line are shown.
bool summarised(const json& j) {
  return j.is_object() && j.contains("summary") && j["summary"].is_string();
}

// What the build inferred from the logs, as the build wrote it.
json inferred_kinds(const json& notes) {
  json out = json::array();
  if (!notes.is_object() || !notes.contains("inferred_kinds") ||
      !notes["inferred_kinds"].is_array())
    return out;
  for (const json& k : notes["inferred_kinds"]) {
    if (summarised(k)) out.push_back(k);
  }
  return out;
}

}  // namespace

json inspect_snapshot(const Snapshot& snap, size_t top_n) {
  json j;
  j["version"] = std::to_string(snap.version_major()) + "." + std::to_string(snap.version_minor());
  j["bytes"] = snap.byte_size();
  j["items"] = snap.item_count();
  j["categories"] = snap.category_count();
  j["groups"] = snap.group_count();
  j["strings"] = snap.string_count();
  j["bytes_per_item"] = snap.item_count() ? double(snap.byte_size()) / snap.item_count() : 0.0;
  json sections = json::array();
  for (const auto& s : snap.sections()) {
    sections.push_back({{"id", s.id},
                        {"name", section_name(s.id)},
                        {"offset", s.offset},
                        {"bytes", s.size},
                        {"elem_size", s.elem_size},
                        {"count", s.size / s.elem_size}});
  }
  j["sections"] = sections;
  uint64_t recommendable = 0, promo = 0, on_sale = 0, hints = 0, labels = 0;
  std::map<std::string, uint64_t> availability, kinds, currencies;
  for (uint32_t i = 0; i < snap.item_count(); ++i) {
    const ItemView it = snap.item(i);
    recommendable += it.recommendable;
    promo += it.promo;
    on_sale += it.sale_price != fmt::kNone;
    ++availability[availability_name(it.availability)];
    ++kinds[item_kind_name(it.kind)];
    ++currencies[std::string(it.currency)];
    hints += snap.hint_count(i);
    labels += snap.label_count(i);
  }
  j["recommendable"] = recommendable;
  j["promo"] = promo;
  j["on_sale"] = on_sale;
  j["hints"] = hints;
  j["labels"] = labels;
  j["availability"] = availability;
  j["kinds"] = kinds;
  j["currencies"] = currencies;
  const auto meta = snap.meta();
  j["meta"] = {{"built_at", format_time_iso(meta.built_at_ms)},
               {"as_of", meta.as_of_ms ? format_time_iso(meta.as_of_ms) : ""},
               {"events_read", meta.events_read},
               {"interactions_used", meta.events_used},
               {"trend_half_life_days", meta.trend_half_life_s / 86400.0},
               {"catalog_format", snap.string(meta.catalog_format)}};
  j["top_items"] = {
      {"by_purchases",
       top_by(snap, top_n, [](const fmt::PopularityRecord& p) { return float(p.purchases); })},
      {"by_views",
       top_by(snap, top_n, [](const fmt::PopularityRecord& p) { return float(p.views); })},
      {"by_trend", top_by(snap, top_n, [](const fmt::PopularityRecord& p) { return p.trend; })}};
  const json notes = json::parse(snap.build_notes(), nullptr, /*allow_exceptions=*/false);
  j["inferred"] = inferred_kinds(notes);
  j["tuning"] = notes.is_object() && notes.contains("tuning") && summarised(notes["tuning"])
                    ? notes["tuning"]
                    : json();
  return j;
}

void print_inferred(const json& inferred, std::ostream& out) {
  constexpr size_t kShown = 20;
  if (!inferred.is_array() || inferred.empty()) return;
  out << "  inferred from the logs (the export gives these items no kind):\n";
  for (size_t i = 0; i < inferred.size() && i < kShown; ++i)
    out << "    " << inferred[i]["summary"].get<std::string>() << "\n";
  if (inferred.size() > kShown)
    out << "    ... and " << inferred.size() - kShown << " more categories (--json)\n";
}

void print_inspection(const json& j, std::ostream& out) {
  out << "snapshot format " << j["version"].get<std::string>() << ", " << j["bytes"] << " bytes, "
      << std::fixed << std::setprecision(1) << j["bytes_per_item"].get<double>() << " bytes/item\n";
  out << "  items " << j["items"] << " (recommendable " << j["recommendable"] << ", on sale "
      << j["on_sale"] << ", promo " << j["promo"] << "), categories " << j["categories"]
      << ", groups " << j["groups"] << ", labels " << j["labels"] << ", hints " << j["hints"]
      << ", strings " << j["strings"] << "\n";
  out << "  availability " << j["availability"].dump() << "\n  kinds " << j["kinds"].dump()
      << "\n  currencies " << j["currencies"].dump() << "\n";
  const json& m = j["meta"];
  out << "  built " << m["built_at"].get<std::string>() << " from "
      << m["catalog_format"].get<std::string>() << " catalog; " << m["events_read"]
      << " events read, " << m["interactions_used"] << " interactions used; trend as of "
      << m["as_of"].get<std::string>() << ", half-life " << m["trend_half_life_days"].get<double>()
      << " days\n";
  if (j["tuning"].is_object()) out << "  " << j["tuning"]["summary"].get<std::string>() << "\n";
  print_inferred(j["inferred"], out);
  out << "  sections:\n";
  for (const auto& s : j["sections"]) {
    out << "    " << std::left << std::setw(28) << s["name"].get<std::string>() << std::right
        << std::setw(12) << s["bytes"] << " bytes  " << std::setw(9) << s["count"] << " x "
        << s["elem_size"] << "\n";
  }
  for (const char* key : {"by_purchases", "by_trend"}) {
    out << "  top items " << key << ":\n";
    for (const auto& t : j["top_items"][key]) {
      out << "    " << std::left << std::setw(18) << t["id"].get<std::string>() << std::right
          << " views " << std::setw(7) << t["views"] << "  carts " << std::setw(6) << t["carts"]
          << "  bought " << std::setw(6) << t["purchases"] << "  trend " << std::setw(9)
          << std::setprecision(1) << t["trend"].get<double>() << "  "
          << t["title"].get<std::string>() << "\n";
    }
  }
}

nlohmann::ordered_json public_view(const Snapshot& snap) {
  using json = nlohmann::ordered_json;
  json items = json::array();
  std::vector<std::string_view> path;
  for (uint32_t i = 0; i < snap.item_count(); ++i) {
    const ItemView it = snap.item(i);
    const auto pop = snap.popularity(i);
    json item{{"id", it.id},
              {"title", it.title},
              {"url", it.url()},
              {"image", it.image_url()},
              {"brand", it.brand},
              {"currency", it.currency},
              {"price", it.price},
              {"sale_price", it.sale_price == fmt::kNone ? json() : json(it.sale_price)},
              {"sale_start", it.sale_start},
              {"sale_end", it.sale_end},
              {"cost", it.cost == fmt::kNone ? json() : json(it.cost)},
              {"inventory", it.inventory < 0 ? json() : json(it.inventory)},
              {"availability", availability_name(it.availability)},
              {"launch", it.launch},
              {"margin_tier", it.margin_tier},
              {"kind", item_kind_name(it.kind)},
              {"repurchase_days", it.repurchase_days},
              {"recommendable", it.recommendable},
              {"promo", it.promo}};
    snap.category_path(it.category, &path);
    item["category"] = it.category == fmt::kNone ? json() : json(path);
    item["group"] = it.group == fmt::kNone ? json() : json(snap.group(it.group).key);
    json labels = json::array(), hints = json::array();
    for (uint32_t l = 0; l < snap.label_count(i); ++l) labels.push_back(snap.label(i, l));
    for (uint32_t h = 0; h < snap.hint_count(i); ++h) {
      uint32_t target;
      HintKind kind;
      snap.hint(i, h, &target, &kind);
      hints.push_back({{"item", snap.item(target).id}, {"kind", hint_kind_name(kind)}});
    }
    item["labels"] = labels;
    item["hints"] = hints;
    item["popularity"] = {{"views", pop.views},
                          {"carts", pop.carts},
                          {"purchases", pop.purchases},
                          {"trend", pop.trend}};
    item["sessions"] = snap.item_session_count(i);
    items.push_back(std::move(item));
  }
  json strings = json::array();
  for (uint32_t s = 0; s < snap.string_count(); ++s) strings.push_back(snap.string(s));
  uint64_t transitions = 0, co_purchases = 0, similar = 0;
  const SimilarItems similar_items(snap);  // what a reader computes, if the file has none
  for (uint32_t i = 0; i < snap.item_count(); ++i) {
    transitions += snap.transitions(i).size();
    co_purchases += snap.co_purchases(i).size();
    similar += similar_items.of(i).size();
  }
  const std::string_view rules = snap.rules_text();
  return {{"items", items},
          {"strings", strings},
          {"rules", rules.empty() ? json() : json::parse(rules, nullptr, false)},
          {"model",
           {{"transitions", transitions},
            {"co_purchases", co_purchases},
            {"similar", similar},
            {"sessions", snap.session_count()}}}};
}

void print_public_view(const nlohmann::ordered_json& j, std::ostream& out) {
  using json = nlohmann::ordered_json;
  out << "What every shopper can read from this file:\n";
  out << "items (" << j["items"].size() << "), every field:\n";
  for (const json& it : j["items"]) {
    out << " ";
    for (const auto& f : it.items()) {
      if (f.value().is_null() || f.value() == "" || (f.value().is_array() && f.value().empty()))
        continue;
      out << " " << f.key() << "="
          << (f.value().is_string() ? f.value().get<std::string>() : f.value().dump());
    }
    out << "\n";
  }
  out << "strings (" << j["strings"].size() << "):\n";
  for (const json& s : j["strings"])
    if (!s.get<std::string>().empty()) out << "  " << s.get<std::string>() << "\n";
  out << "rules, as compiled in: " << (j["rules"].is_null() ? "none" : j["rules"].dump()) << "\n";
  const json& m = j["model"];
  out << "model (anonymous behaviour of past visits): " << m["transitions"]
      << " viewed-after pairs, " << m["co_purchases"] << " bought-together pairs, " << m["similar"]
      << " similar-item pairs, " << m["sessions"] << " past sessions as lists of items viewed\n";
}

}  // namespace aisle
