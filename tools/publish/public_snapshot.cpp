#include "public_snapshot.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine.h"
#include "rules.h"
#include "snapshot_subset.h"

namespace aisle {
namespace {

using json = nlohmann::ordered_json;
using Kind = ItemMatch::Kind;

// A match's key for its opaque label: two matches with the same key match the same items.
std::string set_key(const ItemMatch& m) {
  std::string key = std::to_string(int(m.kind)) + '\n' + m.value + '\n' + std::to_string(m.min) +
                    '\n' + std::to_string(m.max) + '(';
  for (const ItemMatch& x : m.of) key += set_key(x) + ',';
  return key + ')';
}

class Cutter {
 public:
  Cutter(const Snapshot& snap, const PublicOptions& o)
      : snap_(snap), o_(o), dropped_(snap.item_count(), false), opaque_(snap.item_count()) {
    for (uint32_t i = 0; i < snap.item_count(); ++i) {
      for (uint32_t l = 0; l < snap.label_count(i); ++l) {
        if (snap.label(i, l).rfind('~', 0) == 0) catalog_labels_.emplace(snap.label(i, l));
      }
    }
  }

  PublicSnapshot run() {
    PublicSnapshot out;
    std::string rules_json;
    const std::string_view text = snap_.rules_text();
    if (!text.empty()) {
      Rules parsed;  // the opened snapshot's rules parse (Snapshot::open checks)
      const Status st = parse_rules_json(text, &parsed);
      if (!st.is_ok()) throw std::runtime_error("the snapshot's rules: " + st.message());
      const json doc = json::parse(text);
      // A column the mapping turned into a field (a margin tier, a launch date) is that
      // field, not also a label; and a label a rule matches on becomes the rule's opaque set.
      for (std::string& key : private_label_keys(parsed)) private_keys_.insert(std::move(key));
      for (const ExclusionRule& x : parsed.exclusions) {  // everywhere: left out of the file
        if (dropped_everywhere(x)) {
          for (uint32_t i : items_of(x.match)) dropped_[i] = true;
        }
      }
      rules_json = rules(doc, parsed, true).dump();
    }
    out.items_left_out = uint32_t(std::count(dropped_.begin(), dropped_.end(), true));
    out.opaque_sets = sets_;
    out.campaigns_left_out = campaigns_left_out_;
    out.label_keys_left_out.assign(private_keys_.begin(), private_keys_.end());

    Subset subset = Subset::whole(snap_);
    subset.items.erase(std::remove_if(subset.items.begin(), subset.items.end(),
                                      [&](const Subset::Item& it) { return dropped_[it.index]; }),
                       subset.items.end());
    subset.labels = [&](uint32_t i) {
      std::vector<std::string> labels;
      for (uint32_t l = 0; l < snap_.label_count(i); ++l) {
        const std::string_view label = snap_.label(i, l);  // a margin or stock label: private
        if (!private_keys_.count(std::string(label_key(label))) && !is_build_time_label(label))
          labels.emplace_back(label);
      }
      labels.insert(labels.end(), opaque_[i].begin(), opaque_[i].end());
      return labels;
    };
    Result<std::vector<uint8_t>> bytes = write_subset(snap_, subset, std::move(rules_json));
    if (!bytes.is_ok()) throw std::runtime_error(bytes.status().message());
    out.bytes = std::move(bytes.value());
    return out;
  }

 private:
  // Items (not left out) that `m` matches.
  std::vector<uint32_t> items_of(const ItemMatch& m) const {
    std::vector<uint32_t> out = catalog_matches(snap_, m);
    out.erase(std::remove_if(out.begin(), out.end(), [&](uint32_t i) { return dropped_[i]; }),
              out.end());
    return out;
  }

  // An exclusion the catalog decides whatever the time and wherever the list: its items
  // are left out of the file, and the exclusion with them.
  static bool dropped_everywhere(const ExclusionRule& x) {
    return x.scope.everywhere() && !timed_match(x.match);
  }

  // A match as it is published. What the catalog decides whatever the time -- by label,
  // brand, category, margin tier, or a combination of those -- becomes an
  // opaque label its items carry. Promo, launch and price stay as they are, combined with
  // the opaque parts, and so does an item's id, which the lists show anyway (and a match by
  // id is a lookup the rules' limits do not count).
  json opaque(const ItemMatch& m) {
    const std::string key = match_key(m.kind);
    switch (m.kind) {
      case Kind::kItem:
        return {{key, m.value}};
      case Kind::kPromo:
        return {{key, true}};
      case Kind::kNewArrival:
        return {{key, m.new_days}};
      default:
        break;
    }
    if (m.kind == Kind::kPrice) {
      json range = json::object();
      if (m.min != ItemMatch::kOpen) range["min"] = double(m.min) / 100;  // as written
      if (m.max != ItemMatch::kOpen) range["max"] = double(m.max) / 100;
      return {{key, range}};
    }
    if (timed_match(m)) {  // a combination with a timed part
      json parts = json::array();
      for (const ItemMatch& x : m.of) parts.push_back(opaque(x));
      return {{key, m.kind == Kind::kNot ? parts[0] : parts}};
    }
    std::string& label = set_of_[set_key(m)];
    if (label.empty()) {
      do {
        label = "~" + std::to_string(++sets_);
      } while (catalog_labels_.count(label));  // never one the catalog has
      for (uint32_t i : items_of(m)) opaque_[i].push_back(label);
    }
    return {{"label", label}};
  }

  // Boosts or quotas: numbered by kind, matches made opaque, reasons kept.
  template <typename Rule>
  json named(const json& list, const std::vector<Rule>& parsed, const char* kind) {
    json out = json::array();
    for (size_t i = 0; i < list.size(); ++i) {
      json r = list[i];
      r["name"] = std::string(kind) + " " + std::to_string(++numbered_[kind]);
      r["match"] = opaque(parsed[i].match);
      out.push_back(std::move(r));
    }
    return out;
  }

  // The rule lists the document and a campaign hold alike, as published into `out`: `key`
  // of `parsed`'s object, if it is boosts, quotas, pins or exclusions. `top`: the document's,
  // whose exclusions everywhere leave their items out of the file, and themselves.
  template <typename R>
  bool rule_list(const std::string& key, const json& v, const R& parsed, bool top, json* out) {
    if (key == "boosts") {
      (*out)[key] = named(v, parsed.boosts, "boost");
    } else if (key == "quotas") {
      (*out)[key] = named(v, parsed.quotas, "quota");
    } else if (key == "exclusions") {
      json kept = json::array();
      for (size_t x = 0; x < v.size(); ++x) {
        if (top && dropped_everywhere(parsed.exclusions[x])) continue;  // left out of the file
        json e = opaque(parsed.exclusions[x].match);
        for (const char* scope : kScopeKeys) {
          if (v[x].contains(scope)) e[scope] = v[x][scope];
        }
        kept.push_back(std::move(e));
      }
      if (kept.empty())
        out->erase(key);
      else
        (*out)[key] = std::move(kept);
    } else if (key == "pins") {
      json kept = json::array();
      for (const json& p : v) {
        uint32_t i;
        if (!snap_.find_item(p["item"].get<std::string>(), &i) || !dropped_[i]) kept.push_back(p);
      }
      (*out)[key] = std::move(kept);
    } else {
      return false;
    }
    return true;
  }

  // Complements without the items left out of the file: no reference to them remains.
  json complements(const json& list) const {
    auto left_out = [&](const json& id) {
      uint32_t i;
      return id.is_string() && snap_.find_item(id.get<std::string>(), &i) && dropped_[i];
    };
    json kept = json::array();
    for (json x : list) {
      if (x.contains("item") && left_out(x["item"])) continue;
      json with = json::array();
      for (const json& id : x["with"]) {
        if (!left_out(id)) with.push_back(id);
      }
      if (with.empty()) continue;  // the parser wants one at least
      x["with"] = std::move(with);
      kept.push_back(std::move(x));
    }
    return kept;
  }

  // A rules object (the document, or a variant's `rules`) as it is published.
  json rules(const json& doc, const Rules& parsed, bool top) {
    json out = json::object();
    for (const auto& [key, v] : doc.items()) {
      if (key == "description" || key == "field_mapping" || key == "$schema" || key == "about")
        continue;  // the merchant's notes: who edited the rules is private
      if (rule_list(key, v, parsed, top, &out)) continue;  // boosts, quotas, pins, exclusions
      if (key == "campaigns") {
        json kept = json::array();
        for (size_t c = 0; c < v.size(); ++c) {
          const CampaignRule& cr = parsed.campaigns[c];
          if (cr.end_ms <= o_.now_ms || cr.start_ms > o_.now_ms + o_.campaign_horizon_ms) {
            ++campaigns_left_out_;
            continue;
          }
          json k = v[c];
          k["name"] = "campaign " + std::to_string(++numbered_["campaign"]);
          for (const char* list : {"boosts", "quotas", "pins", "exclusions"}) {
            if (v[c].contains(list)) rule_list(list, v[c][list], cr, false, &k);
          }
          kept.push_back(std::move(k));
        }
        out[key] = std::move(kept);
      } else if (key == "complements") {
        out[key] = complements(v);
      } else if (key == "experiments") {
        json list = json::array();
        for (size_t e = 0; e < v.size(); ++e) {
          const Experiment& pe = parsed.experiments[e];
          json x = {{"id", pe.id}};
          if (v[e].contains("holdout")) x["holdout"] = v[e]["holdout"];
          x["variants"] = json::array();
          for (size_t n = 0; n < pe.variants.size(); ++n) {
            const json& vj = v[e]["variants"][n];
            json y = {{"id", pe.variants[n].id}, {"share", pe.variants[n].share}};
            if (vj.contains("rules")) y["rules"] = rules(vj["rules"], *pe.variants[n].rules, false);
            x["variants"].push_back(std::move(y));
          }
          list.push_back(std::move(x));
        }
        out[key] = std::move(list);
      } else {
        out[key] = v;  // exploration, placements, segments, context: how the engine ranks
      }
    }
    return out;
  }

  const Snapshot& snap_;
  const PublicOptions& o_;
  std::vector<bool> dropped_;
  std::vector<std::vector<std::string>> opaque_;       // per item: the opaque labels it carries
  std::map<std::string, std::string> set_of_;          // kind and value -> opaque label
  std::set<std::string> private_keys_;                 // label keys a rule matches on
  std::set<std::string, std::less<>> catalog_labels_;  // the catalog's own labels like "~1"
  std::map<std::string, uint32_t> numbered_;           // rules named so far, per kind
  uint32_t sets_ = 0, campaigns_left_out_ = 0;
};

}  // namespace

PublicSnapshot public_snapshot(const Snapshot& snap, const PublicOptions& o) {
  return Cutter(snap, o).run();
}

}  // namespace aisle
