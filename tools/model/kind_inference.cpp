#include "kind_inference.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "hash.h"

namespace aisle {

namespace {

std::string path_text(const CategoryPath& path) {
  std::string out;
  for (const std::string& part : path) out += (out.empty() ? "" : " > ") + part;
  return out;
}

}  // namespace

std::string InferredKind::summary() const {
  char evidence[160];
  std::snprintf(evidence, sizeof evidence, "%u of %u returning buyers bought in it again",
                bought_again, returning_buyers);
  std::string verdict;
  if (kind == ItemKind::kDurable) {
    verdict = "one-time purchase (durable)";
  } else if (kind == ItemKind::kConsumable) {
    verdict = "bought again (consumable), every " + std::to_string(repurchase_days) + " days";
  } else {
    verdict = returning_buyers == 0 ? "not decided: no buyer came back to buy" : "not decided";
  }
  return category + ": " + verdict + " (" + evidence + "; " + std::to_string(buyers) + " buyers; " +
         std::to_string(items) + " items)";
}

nlohmann::json InferredKind::to_json() const {
  return {{"category", category},
          {"kind", item_kind_name(kind)},
          {"repurchase_days", repurchase_days},
          {"buyers", buyers},
          {"returning_buyers", returning_buyers},
          {"bought_again", bought_again},
          {"items", items},
          {"summary", summary()}};
}

nlohmann::json to_json(const std::vector<InferredKind>& kinds) {
  nlohmann::json out = nlohmann::json::array();
  for (const InferredKind& k : kinds) out.push_back(k.to_json());
  return out;
}

void PurchaseLog::add(std::string_view visitor, uint32_t item, int64_t ts_ms) {
  if (visitor.empty() || ts_ms < 0) return;
  if (entries_.size() >= evidence_.max_purchases) {
    ++ignored_;
    return;
  }
  entries_.push_back(Entry{fnv1a_64(visitor), item, uint32_t(ts_ms / 86'400'000)});
}

std::string kind_group(const CatalogItem& it) {
  if (it.kind != ItemKind::kUnknown || it.repurchase_days > 0 || it.category_path.empty())
    return {};
  return path_text(it.category_path);
}

std::vector<InferredKind> undecided_categories(const Catalog& catalog,
                                               std::vector<uint32_t>* category_of) {
  std::unordered_map<std::string, uint32_t> index;
  category_of->assign(catalog.items.size(), UINT32_MAX);
  std::vector<InferredKind> out;
  for (uint32_t i = 0; i < catalog.items.size(); ++i) {
    std::string group = kind_group(catalog.items[i]);
    if (group.empty()) continue;
    const auto [at, added] = index.emplace(std::move(group), uint32_t(out.size()));
    if (added) out.push_back(InferredKind{at->first});
    (*category_of)[i] = at->second;
    ++out[at->second].items;
  }
  return out;
}

std::vector<InferredKind> decide_kinds(std::vector<InferredKind> out,
                                       const std::vector<GapCounts>& gaps,
                                       const std::vector<uint32_t>& category_of,
                                       const KindEvidence& evidence, Catalog* catalog) {
  for (size_t c = 0; c < out.size(); ++c) {
    InferredKind& k = out[c];
    if (k.returning_buyers < evidence.min_returning_buyers) continue;
    const double share = double(k.bought_again) / double(k.returning_buyers);
    if (share >= evidence.consumable_share && !gaps[c].empty()) {
      // The median gap: the (n/2)-th smallest, 0-based.
      uint64_t n = 0;
      for (const auto& g : gaps[c]) n += g.second;
      uint64_t seen = 0;
      uint32_t median = 0;
      for (const auto& g : gaps[c]) {
        seen += g.second;
        median = g.first;
        if (seen > n / 2) break;
      }
      k.kind = ItemKind::kConsumable;
      k.repurchase_days = std::clamp<uint32_t>(median, 1, 365);
    } else if (share <= evidence.durable_share) {
      k.kind = ItemKind::kDurable;
    }
  }
  for (uint32_t i = 0; i < catalog->items.size(); ++i) {
    if (category_of[i] == UINT32_MAX) continue;
    const InferredKind& k = out[category_of[i]];
    CatalogItem& it = catalog->items[i];
    it.kind = k.kind;
    if (k.kind == ItemKind::kConsumable && it.repurchase_days == 0)
      it.repurchase_days = uint16_t(k.repurchase_days);
  }
  out.erase(
      std::remove_if(out.begin(), out.end(), [](const InferredKind& k) { return k.buyers == 0; }),
      out.end());
  std::stable_sort(out.begin(), out.end(), [](const InferredKind& a, const InferredKind& b) {
    return a.buyers > b.buyers;
  });
  return out;
}

std::vector<InferredKind> PurchaseLog::infer(Catalog* catalog) const {
  // Leaf categories that hold items of unknown kind: only theirs is worth counting.
  std::vector<uint32_t> category_of;
  std::vector<InferredKind> out = undecided_categories(*catalog, &category_of);
  if (out.empty()) return out;
  std::vector<Entry> e = entries_;
  std::sort(e.begin(), e.end(), [](const Entry& a, const Entry& b) {
    return a.visitor != b.visitor ? a.visitor < b.visitor : a.day < b.day;
  });
  std::vector<GapCounts> gaps(out.size());
  std::vector<std::pair<uint32_t, uint32_t>> first;  // (category, first day) of one visitor
  for (size_t begin = 0, end; begin < e.size(); begin = end) {
    end = begin;
    while (end < e.size() && e[end].visitor == e[begin].visitor) ++end;
    const uint32_t last_day = e[end - 1].day;
    first.clear();
    for (size_t k = begin; k < end; ++k) {
      const uint32_t c = e[k].item < category_of.size() ? category_of[e[k].item] : UINT32_MAX;
      if (c == UINT32_MAX) continue;
      auto f = std::find_if(first.begin(), first.end(), [&](auto& p) { return p.first == c; });
      if (f == first.end()) {
        first.emplace_back(c, e[k].day);
        ++out[c].buyers;
        if (last_day > e[k].day) ++out[c].returning_buyers;
      } else if (f->second != UINT32_MAX && e[k].day > f->second) {
        ++out[c].bought_again;
        ++gaps[c][e[k].day - f->second];
        f->second = UINT32_MAX;  // counted: once per visitor
      }
    }
  }
  return decide_kinds(std::move(out), gaps, category_of, evidence_, catalog);
}

}  // namespace aisle
