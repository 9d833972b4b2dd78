#include "rules_check.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>
#include <utility>

#include "engine.h"

namespace aisle {
namespace {

using Severity = RuleFinding::Severity;
using Kind = ItemMatch::Kind;

constexpr size_t kQuotedItems = 5;      // ids a finding quotes before "and N more"
constexpr size_t kListedValues = 8;     // a kind with at most this many values lists them all
constexpr size_t kMaxTypoDistance = 2;  // edits between a misspelt value and its suggestion
constexpr size_t kMaxTypoLength = 100;  // longer values get no suggestion (bounded work)

// The exclusions a pin meets, with their paths and when they hold: nullptr for always, else
// what to say ("where that exclusion applies: ...", "while its campaign runs: ...").
struct PathedExclusion {
  std::string path;
  const ExclusionRule* rule;
  const char* when;
};
using PathedMatches = std::vector<PathedExclusion>;

// Placements whose pages are about an item or a category: where `pages` can hold.
constexpr uint32_t kPagedPlacements =
    1u << uint32_t(Placement::kProduct) | 1u << uint32_t(Placement::kCart) |
    1u << uint32_t(Placement::kPostPurchase) | 1u << uint32_t(Placement::kCategory) |
    1u << uint32_t(Placement::kNextItem);

// The match as the merchant wrote it: "brand 'ZenMotion'", "promo: true", "price 20 to 50",
// "stock up to 5", "all of (brand 'Zenith', not (promo: true))".
std::string describe(const ItemMatch& m) {
  if (m.kind == Kind::kPromo) return "promo: true";
  if (m.kind == Kind::kNewArrival) return "new_arrival_days " + std::to_string(m.new_days);
  const std::string key = match_key(m.kind);
  if (m.kind == Kind::kPrice || build_time(m.kind)) {
    auto v = [&](int64_t x) { return m.kind == Kind::kStock ? std::to_string(x) : money_text(x); };
    if (m.max == ItemMatch::kOpen) return key + " from " + v(m.min);
    if (m.min == ItemMatch::kOpen) return key + " up to " + v(m.max);
    return key + " " + v(m.min) + " to " + v(m.max);
  }
  if (m.kind == Kind::kAll || m.kind == Kind::kAny || m.kind == Kind::kNot) {
    std::string s = m.kind == Kind::kNot ? "not (" : key + " of (";
    for (size_t i = 0; i < m.of.size(); ++i) s += (i ? ", " : "") + describe(m.of[i]);
    return s + ")";
  }
  return key + " '" + m.value + "'";
}

// A match by a value the merchant types: no item with it is most likely a typo.
bool typed_value(Kind k) {
  return k == Kind::kLabel || k == Kind::kBrand || k == Kind::kCategory || k == Kind::kMarginTier;
}

std::string quote_items(const Snapshot& snap, const std::vector<uint32_t>& items) {
  std::string s;
  for (size_t i = 0; i < items.size() && i < kQuotedItems; ++i)
    s += (i ? ", " : "") + std::string(snap.item(items[i]).id);
  if (items.size() > kQuotedItems)
    s += " and " + std::to_string(items.size() - kQuotedItems) + " more";
  return s;
}

// The values the catalog has for a typed match kind, sorted, each once.
std::vector<std::string_view> catalog_values(const Snapshot& snap, Kind kind) {
  std::vector<std::string_view> v;
  if (kind == Kind::kCategory) {
    for (uint32_t c = 0; c < snap.category_count(); ++c) v.push_back(snap.category(c).name);
  }
  for (uint32_t i = 0; i < snap.item_count() && kind != Kind::kCategory; ++i) {
    if (kind == Kind::kBrand) v.push_back(snap.item(i).brand);
    if (kind == Kind::kMarginTier) v.push_back(snap.item(i).margin_tier);
    for (uint32_t l = 0; kind == Kind::kLabel && l < snap.label_count(i); ++l)
      v.push_back(snap.label(i, l));
  }
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  v.erase(std::remove(v.begin(), v.end(), std::string_view()), v.end());
  return v;
}

// Levenshtein distance, case-insensitive, capped at kMaxTypoDistance + 1.
size_t edit_distance(std::string_view a, std::string_view b) {
  const size_t far = kMaxTypoDistance + 1;
  if (a.size() > kMaxTypoLength || b.size() > kMaxTypoLength) return far;
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) >= far) return far;
  std::vector<size_t> row(b.size() + 1), next(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    next[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(uint8_t(a[i - 1])) == std::tolower(uint8_t(b[j - 1]));
      next[j] = std::min({row[j] + 1, next[j - 1] + 1, row[j - 1] + (same ? 0 : 1)});
    }
    std::swap(row, next);
  }
  return std::min(row[b.size()], far);
}

// What to tell a merchant whose typed value matches nothing: the value they likely meant,
// else the few values there are, else that no item has one.
std::string typo_hint(const Snapshot& snap, const ItemMatch& m) {
  std::vector<std::string_view> values = catalog_values(snap, m.kind);
  const size_t eq = m.value.find('=');
  if (m.kind == Kind::kLabel && eq != std::string::npos) {  // the label's key, if it has values
    std::vector<std::string_view> same_key;
    for (std::string_view v : values) {
      if (v.substr(0, eq + 1) == std::string_view(m.value).substr(0, eq + 1)) same_key.push_back(v);
    }
    if (!same_key.empty()) values = std::move(same_key);
  }
  if (values.empty())
    return " (no item in the catalog has a " + std::string(match_key(m.kind)) + ")";
  std::string_view best;
  size_t best_distance = kMaxTypoDistance + 1;
  for (std::string_view v : values) {
    const size_t d = edit_distance(m.value, v);
    if (d < best_distance && d < m.value.size()) best = v, best_distance = d;
  }
  if (best_distance <= kMaxTypoDistance) return " (did you mean '" + std::string(best) + "'?)";
  if (values.size() > kListedValues) return "";
  std::string s = " (the catalog has: ";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + std::string(values[i]);
  return s + ")";
}

class Checker {
 public:
  explicit Checker(const Snapshot& snap)
      : snap_(snap), as_of_ms_(int64_t(snap.meta().as_of_ms)), engine_(snap) {}

  // The rules of one scope: the document at "$" or a variant's at "...rules". `excluding`:
  // every exclusion that can apply with them (a pin against each); `shown`: the rules whose
  // exclusions decide what their quotas can show.
  void scope(const std::string& at, const Rules& r, const PathedMatches& excluding,
             const Rules& shown) {
    engine_.set_rules(shown);
    size_t quotas = lists(at, r, excluding, 0);
    for (size_t i = 0; i < r.complements.size(); ++i)
      complement(at + ".complements[" + std::to_string(i) + "]", r.complements[i]);
    for (size_t c = 0; c < r.campaigns.size(); ++c) {
      quotas +=
          lists(at + ".campaigns[" + std::to_string(c) + "]", r.campaigns[c], excluding, quotas);
      // Campaigns stack: said once, at the later one of each overlapping pair.
      for (size_t d = 0; d < c; ++d) {
        const CampaignRule &a = r.campaigns[d], &b = r.campaigns[c];
        if (a.start_ms < b.end_ms && b.start_ms < a.end_ms) {
          const CampaignRule& winner = a.priority > b.priority ? a : b;
          add(Severity::kWarning, at + ".campaigns[" + std::to_string(c) + "]",
              "'" + b.name + "' overlaps '" + a.name + "' (" + at + ".campaigns[" +
                  std::to_string(d) +
                  "]): while both run, their boosts multiply and both campaigns' flags and "
                  "exclusions apply; where their pins take one slot or their quotas the same "
                  "slots, '" +
                  winner.name + "' wins (" +
                  (a.priority != b.priority ? "the higher priority"
                                            : "the later in the list, at equal priority") +
                  "); shorten one, merge them or set priorities if that is not meant");
        }
      }
    }
  }

  std::vector<RuleFinding> findings;

 private:
  void add(Severity s, const std::string& path, const std::string& message) {
    findings.push_back(RuleFinding{s, path, message});
  }

  // The rule lists of the document, a variant or a campaign at `at`; `quota_base`: the
  // engine's index of the first of its quotas. Returns how many quotas it has.
  template <typename R>
  size_t lists(const std::string& at, const R& r, const PathedMatches& excluding,
               size_t quota_base) {
    for (size_t i = 0; i < r.pins.size(); ++i) {
      const std::string p = at + ".pins[" + std::to_string(i) + "]";
      pin(p + ".item", r.pins[i], excluding);
      aim(p, r.pins[i].scope);
    }
    for (size_t i = 0; i < r.boosts.size(); ++i) {
      const std::string p = at + ".boosts[" + std::to_string(i) + "]";
      match(p + ".match", r.boosts[i].match);
      aim(p, r.boosts[i].scope);
    }
    for (size_t i = 0; i < r.quotas.size(); ++i) {
      const std::string p = at + ".quotas[" + std::to_string(i) + "]";
      quota(p, r.quotas[i], quota_base + i);
      aim(p, r.quotas[i].scope);
    }
    for (size_t i = 0; i < r.exclusions.size(); ++i) {
      const std::string p = at + ".exclusions[" + std::to_string(i) + "]";
      match(p, r.exclusions[i].match);
      aim(p, r.exclusions[i].scope);
    }
    return r.quotas.size();
  }

  // A pin shows one item in one slot: without the item, or with the item excluded, it is a
  // broken promise (an error); out of stock or not recommendable, it waits (a warning).
  void pin(const std::string& path, const PinRule& p, const PathedMatches& excluding) {
    uint32_t item;
    const std::string what = "pins '" + p.item + "'";
    if (!snap_.find_item(p.item, &item)) {
      add(Severity::kError, path, what + ", which is not in the catalog (matches 0 items)");
      return;
    }
    std::vector<std::string_view> scratch;
    for (const PathedExclusion& x : excluding) {
      if (!catalog_match(snap_, x.rule->match, item, &scratch)) continue;
      if (x.when == nullptr)
        add(Severity::kError, path,
            what + ", which " + x.path + " excludes: an excluded item never shows, pinned or not");
      else
        add(Severity::kWarning, path, what + ", which " + x.path + " excludes " + x.when);
    }
    const fmt::ItemRecord rec = snap_.record(item);
    if (rec.availability == uint8_t(Availability::kOutOfStock))
      add(Severity::kWarning, path, what + ", which is out of stock: no pin until it is back");
    if (!(rec.flags & fmt::kRecommendable))
      add(Severity::kWarning, path, what + ", which the catalog marks not recommendable");
  }

  // A boost's, an exclusion's or a campaign's match. Nothing matched by a typed value is a
  // typo (an error); an item id, promotions, launch dates and prices come and go (a
  // warning). In a combination, each typed value is checked too, at its own path.
  void match(const std::string& path, const ItemMatch& m) {
    if (m.kind == Kind::kAll || m.kind == Kind::kAny) {
      for (size_t i = 0; i < m.of.size(); ++i)
        typos(path + "." + match_key(m.kind) + "[" + std::to_string(i) + "]", m.of[i]);
    } else if (m.kind == Kind::kNot) {
      typos(path + ".not", m.of[0]);
    }
    if (!catalog_matches(snap_, m).empty()) return;
    if (typed_value(m.kind))
      add(Severity::kError, path, describe(m) + " matches 0 items" + typo_hint(snap_, m));
    else
      add(Severity::kWarning, path, describe(m) + " matches 0 items");
  }

  // The typos in a combination's part: a typed value nothing has (errors only).
  void typos(const std::string& path, const ItemMatch& m) {
    const bool combined = m.kind == Kind::kAll || m.kind == Kind::kAny || m.kind == Kind::kNot;
    if (!combined && !typed_value(m.kind)) return;
    const size_t before = findings.size();
    match(path, m);
    findings.erase(
        std::remove_if(findings.begin() + long(before), findings.end(),
                       [](const RuleFinding& f) { return f.severity != Severity::kError; }),
        findings.end());
  }

  // A guaranteed share that matches nothing, or nothing that can be shown, is never met (an
  // error); one that takes half of every list everywhere is a warning.
  void quota(const std::string& path, const QuotaRule& q, size_t index) {
    const std::vector<uint32_t> matched = catalog_matches(snap_, q.match);
    if (matched.empty()) {
      add(Severity::kError, path + ".match",
          describe(q.match) + " matches 0 items: the share is never met" +
              (typed_value(q.match.kind) ? typo_hint(snap_, q.match) : ""));
      return;
    }
    const bool any_shown = std::any_of(matched.begin(), matched.end(), [&](uint32_t i) {
      return engine_.available(i, as_of_ms_) && engine_.quota_member(index, i, as_of_ms_);
    });
    if (!any_shown) {
      add(Severity::kError, path + ".match",
          describe(q.match) + " matches " + std::to_string(matched.size()) + " item(s) (" +
              quote_items(snap_, matched) +
              "), none of which can be shown at the snapshot's time (out of stock, not "
              "recommendable, excluded, or not new): the share is never met");
    }
    const uint32_t every = (1u << kPlacementCount) - 1;
    RuleScope wide = q.scope;  // a quota on every placement and nothing else aimed
    if (wide.placements == every) wide.placements = 0;
    if (q.min_share >= kCrowdingQuotaShare && wide.everywhere()) {
      add(Severity::kWarning, path + ".min_share",
          std::to_string(int(std::lround(q.min_share * 100))) + "% of every list on every " +
              "placement, cart and post-purchase included, goes to " + describe(q.match) + " (" +
              std::to_string(matched.size()) +
              " item(s)): name the placements it is for, or lower the share");
    }
  }

  // Where a rule is aimed: a category in `pages` no item has is a typo (an error), and pages
  // on placements that show no item's or category's page never hold.
  void aim(const std::string& path, const RuleScope& s) {
    for (size_t i = 0; i < s.pages.size(); ++i) {
      ItemMatch m;
      m.kind = Kind::kCategory;
      m.value = s.pages[i];
      if (has_category(m.value)) continue;
      add(Severity::kError, path + ".pages[" + std::to_string(i) + "]",
          "category '" + m.value + "' is no category of the catalog" + typo_hint(snap_, m));
    }
    if (!s.pages.empty() && s.placements != 0 && (s.placements & kPagedPlacements) == 0) {
      add(Severity::kError, path + ".pages",
          "never holds: its placements show no product's, cart's, order's or category's page");
    }
  }

  // A complement names items and a category the catalog has: else it is a typo (an error),
  // as a pin's is.
  void complement(const std::string& path, const ComplementRule& x) {
    uint32_t item;
    if (!x.item.empty() && !snap_.find_item(x.item, &item))
      add(Severity::kError, path + ".item", "'" + x.item + "' is not in the catalog");
    if (!x.category.empty() && !has_category(x.category)) {
      ItemMatch m;
      m.kind = Kind::kCategory;
      m.value = x.category;
      add(Severity::kError, path + ".category",
          "category '" + x.category + "' is no category of the catalog" + typo_hint(snap_, m));
    }
    for (size_t i = 0; i < x.with.size(); ++i) {
      if (!snap_.find_item(x.with[i], &item))
        add(Severity::kError, path + ".with[" + std::to_string(i) + "]",
            "'" + x.with[i] + "' is not in the catalog");
    }
  }

  bool has_category(std::string_view name) const {
    for (uint32_t c = 0; c < snap_.category_count(); ++c) {
      if (snap_.category(c).name == name) return true;
    }
    return false;
  }

  const Snapshot& snap_;
  int64_t as_of_ms_;
  Engine engine_;  // asked what can be shown and what a quota counts: one definition of each
};

PathedMatches exclusions_of(const std::string& at, const Rules& r) {
  PathedMatches out;
  for (size_t i = 0; i < r.exclusions.size(); ++i) {
    const ExclusionRule& x = r.exclusions[i];
    out.push_back({at + ".exclusions[" + std::to_string(i) + "]", &x,
                   x.scope.everywhere()
                       ? nullptr
                       : "where that exclusion applies: the pin does not show there"});
  }
  for (size_t c = 0; c < r.campaigns.size(); ++c) {
    for (size_t i = 0; i < r.campaigns[c].exclusions.size(); ++i) {
      out.push_back(
          {at + ".campaigns[" + std::to_string(c) + "].exclusions[" + std::to_string(i) + "]",
           &r.campaigns[c].exclusions[i], "while its campaign runs: the pin does not show then"});
    }
  }
  return out;
}

std::string variant_path(size_t experiment, size_t variant) {
  return "$.experiments[" + std::to_string(experiment) + "].variants[" + std::to_string(variant) +
         "].rules";
}

}  // namespace

std::vector<RuleFinding> check_rules(const Snapshot& snap, const Rules& rules) {
  Checker check(snap);
  // A visitor sees the document's rules with one variant's per experiment: a pin of the
  // document meets every variant's exclusions, a variant's pin the document's.
  PathedMatches everywhere = exclusions_of("$", rules);
  for (size_t e = 0; e < rules.experiments.size(); ++e) {
    for (size_t v = 0; v < rules.experiments[e].variants.size(); ++v) {
      for (auto& x : exclusions_of(variant_path(e, v), *rules.experiments[e].variants[v].rules))
        everywhere.push_back(std::move(x));
    }
  }
  check.scope("$", rules, everywhere, rules);
  for (size_t e = 0; e < rules.experiments.size(); ++e) {
    for (size_t v = 0; v < rules.experiments[e].variants.size(); ++v) {
      const Rules& variant = *rules.experiments[e].variants[v].rules;
      PathedMatches excluding = exclusions_of("$", rules);
      for (auto& x : exclusions_of(variant_path(e, v), variant)) excluding.push_back(std::move(x));
      Rules shown = variant;  // its quotas, under the document's exclusions and its own
      shown.exclusions.insert(shown.exclusions.end(), rules.exclusions.begin(),
                              rules.exclusions.end());
      check.scope(variant_path(e, v), variant, excluding, shown);
    }
  }
  return std::move(check.findings);
}

}  // namespace aisle
