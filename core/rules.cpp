#include "rules.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "engine.h"
#include "hash.h"
#include "json_line.h"
#include "time_parse.h"

namespace aisle {
namespace {

static_assert(kRuleSourceCount >= kSourceCount, "rules carry a weight per source");
static_assert(kPlacementRuleCount == kPlacementCount, "rules carry a strategy per placement");
static_assert(kScopeSegmentCount <= 32, "a scope's segments are bits of a uint32_t");

using Type = JsonLine::Type;
constexpr uint32_t kNo = JsonLine::kNoNode;
constexpr double kMaxRange = 1e9;      // a price range's bounds
constexpr double kMaxPriority = 1000;  // a campaign's, either way

// Every match kind by its key in the document.
constexpr std::pair<const char*, ItemMatch::Kind> kMatchKeys[] = {
    {"item", ItemMatch::Kind::kItem},
    {"label", ItemMatch::Kind::kLabel},
    {"brand", ItemMatch::Kind::kBrand},
    {"category", ItemMatch::Kind::kCategory},
    {"margin_tier", ItemMatch::Kind::kMarginTier},
    {"promo", ItemMatch::Kind::kPromo},
    {"new_arrival_days", ItemMatch::Kind::kNewArrival},
    {"all", ItemMatch::Kind::kAll},
    {"any", ItemMatch::Kind::kAny},
    {"not", ItemMatch::Kind::kNot},
    {"price", ItemMatch::Kind::kPrice},
    {"margin", ItemMatch::Kind::kMargin},
    {"stock", ItemMatch::Kind::kStock}};
constexpr size_t kStringMatchKinds = 5;  // the first ones: a value to compare
std::string scope_keys() {
  std::string out;
  for (const char* key : kScopeKeys) out += std::string(out.empty() ? "" : ", ") + key;
  return out;
}
constexpr const char* kMatchList =
    "item, label, brand, category, margin_tier, promo, new_arrival_days, price, margin, stock, "
    "all, any, not";

class Parser {
 public:
  Parser(const JsonLine& j, const RulesLimits& limits, std::vector<BuildTimeMatch>* build_time)
      : j_(j), limits_(limits), build_time_(build_time) {}

  Status error(const std::string& path, const std::string& msg) const {
    return Status(StatusCode::kInvalidArgument, path + ": " + msg);
  }

  Status object(uint32_t n, const std::string& path) const {
    return j_.type(n) == Type::kObject ? Status::ok() : error(path, "expected an object");
  }

  Status string(uint32_t n, const std::string& path, std::string* out) const {
    if (j_.type(n) != Type::kString || j_.text(n).empty())
      return error(path, "expected a non-empty string");
    if (j_.text(n).size() > limits_.max_text_bytes)
      return error(path,
                   "longer than the limit of " + std::to_string(limits_.max_text_bytes) + " bytes");
    *out = std::string(j_.text(n));
    return Status::ok();
  }

  Status number(uint32_t n, const std::string& path, double lo, double hi, double* out) const {
    if (j_.type(n) != Type::kNumber || !std::isfinite(j_.number(n)) || j_.number(n) < lo ||
        j_.number(n) > hi) {
      return error(path, "expected a number from " + fmt(lo) + " to " + fmt(hi));
    }
    *out = j_.number(n);
    return Status::ok();
  }

  Status whole(uint32_t n, const std::string& path, uint32_t lo, uint32_t hi, uint32_t* out) const {
    double v;
    Status st = number(n, path, lo, hi, &v);
    if (!st.is_ok()) return st;
    if (v != std::floor(v)) return error(path, "expected a whole number");
    *out = uint32_t(v);
    return Status::ok();
  }

  Status boolean(uint32_t n, const std::string& path, bool* out) const {
    if (j_.type(n) != Type::kTrue && j_.type(n) != Type::kFalse)
      return error(path, "expected true or false");
    *out = j_.type(n) == Type::kTrue;
    return Status::ok();
  }

  Status time(uint32_t n, const std::string& path, int64_t* out) const {
    if ((j_.type(n) != Type::kString && j_.type(n) != Type::kNumber) ||
        !parse_time_ms(j_.text(n), out)) {
      return error(path, "expected an ISO-8601 time or epoch milliseconds");
    }
    return Status::ok();
  }

  Status placements(uint32_t n, const std::string& path, uint32_t* mask) const {
    if (j_.type(n) != Type::kArray) return error(path, "expected a list of placements");
    *mask = 0;
    uint32_t i = 0;
    for (uint32_t c = j_.first_child(n); c != kNo; c = j_.next_sibling(c), ++i) {
      Placement p;
      if (j_.type(c) != Type::kString || !parse_placement(j_.text(c), &p)) {
        return error(path + "[" + std::to_string(i) + "]",
                     "unknown placement (" + placement_names() + ")");
      }
      *mask |= 1u << uint32_t(p);
    }
    return Status::ok();
  }

  // A match object; `depth`: how deep in all, any and not it is.
  Status match(uint32_t n, const std::string& path, ItemMatch* m, uint32_t depth = 0) const {
    Status st = object(n, path);
    if (!st.is_ok()) return st;
    if (j_.size(n) != 1) return error(path, std::string("expected exactly one of ") + kMatchList);
    return match_entry(j_.first_child(n), path, m, depth);
  }

  // One `key: value` of a match object at `path`.
  Status match_entry(uint32_t c, const std::string& path, ItemMatch* m, uint32_t depth = 0) const {
    if (++matches_ > limits_.max_matches) {
      return error(path, "more than " + std::to_string(limits_.max_matches) +
                             " item matches in the rules (the limit)");
    }
    if (depth > limits_.max_match_depth) {
      return error(path, "nested deeper than the limit of " +
                             std::to_string(limits_.max_match_depth) + " (all, any, not)");
    }
    const std::string key(j_.key(c)), p = path + "." + key;
    // A match by anything but an item id (or a combination) is a pass over the whole
    // catalog when compiled.
    const bool combined = key == "all" || key == "any" || key == "not";
    if (key != "item" && !combined && ++catalog_matches_ > limits_.max_catalog_matches) {
      return error(path, "more than " + std::to_string(limits_.max_catalog_matches) +
                             " matches by label, brand, category, margin_tier, promo, "
                             "new_arrival_days, price, margin or stock in the rules (the limit; "
                             "matches by item are not counted)");
    }
    using K = ItemMatch::Kind;
    if (key == "promo") {
      bool b = false;
      Status st = boolean(c, p, &b);
      if (st.is_ok() && !b) st = error(p, "only promo: true can be matched");
      m->kind = K::kPromo;
      return st;
    }
    if (key == "new_arrival_days") {
      m->kind = K::kNewArrival;
      return whole(c, p, 1, 3650, &m->new_days);
    }
    if (key == "all" || key == "any") {
      m->kind = key == "all" ? K::kAll : K::kAny;
      if (j_.type(c) != Type::kArray || j_.size(c) == 0)
        return error(p, "expected a non-empty list of matches");
      uint32_t i = 0;
      for (uint32_t x = j_.first_child(c); x != kNo; x = j_.next_sibling(x), ++i) {
        m->of.emplace_back();
        Status st = match(x, p + "[" + std::to_string(i) + "]", &m->of.back(), depth + 1);
        if (!st.is_ok()) return st;
      }
      return Status::ok();
    }
    if (key == "not") {
      m->kind = K::kNot;
      m->of.emplace_back();
      return match(c, p, &m->of.back(), depth + 1);
    }
    if (key == "price" || key == "margin" || key == "stock") {
      m->kind = key == "price" ? K::kPrice : key == "margin" ? K::kMargin : K::kStock;
      Status st = range(c, p, m);
      if (st.is_ok() && build_time_ != nullptr && build_time(m->kind))
        build_time_->push_back({p, *m});
      return st;
    }
    for (size_t k = 0; k < kStringMatchKinds; ++k) {  // the rest take a string
      if (key == kMatchKeys[k].first) {
        m->kind = kMatchKeys[k].second;
        return string(c, p, &m->value);
      }
    }
    return error(p, std::string("unknown match (") + kMatchList + ")");
  }

  // {"min": a, "max": b}, either or both: money in the store's currency, kept in hundredths;
  // for stock, whole units.
  Status range(uint32_t n, const std::string& path, ItemMatch* m) const {
    const bool units = m->kind == ItemMatch::Kind::kStock;
    Status st = object(n, path);
    for (uint32_t c = j_.first_child(n); st.is_ok() && c != kNo; c = j_.next_sibling(c)) {
      const std::string key(j_.key(c)), p = path + "." + key;
      int64_t* bound = key == "min" ? &m->min : key == "max" ? &m->max : nullptr;
      if (bound == nullptr) {
        st = error(p, "unknown key (min, max)");
        break;
      }
      double v = 0;
      // A margin may be a loss: its bounds may be negative.
      st = number(c, p, m->kind == ItemMatch::Kind::kMargin ? -kMaxRange : 0, kMaxRange, &v);
      if (st.is_ok() && units && v != std::floor(v)) st = error(p, "expected a whole number");
      *bound = std::llround(units ? v : v * 100);
    }
    if (st.is_ok() && m->min == ItemMatch::kOpen && m->max == ItemMatch::kOpen)
      st = error(path, "expected min, max or both");
    if (st.is_ok() && m->max != ItemMatch::kOpen && m->min > m->max)
      st = error(path + ".max", "must not be below min");
    return st;
  }

  // Where a rule applies: `key` of the rule's object, if it is one of the scope's keys.
  bool scope(const std::string& key, uint32_t c, const std::string& p, RuleScope* s,
             Status* st) const {
    if (key == "placements") {
      *st = placements(c, p, &s->placements);
    } else if (key == "segments") {
      *st = segments(c, p, &s->segments);
    } else if (key == "pages") {
      *st = texts(c, p, "a list of category names", false, &s->pages);
    } else if (key == "search_terms") {
      *st = texts(c, p, "a list of words", true, &s->search_terms);
    } else {
      return false;
    }
    return true;
  }

  Status segments(uint32_t n, const std::string& path, uint32_t* mask) const {
    if (j_.type(n) != Type::kArray) return error(path, "expected a list of segments");
    *mask = 0;
    uint32_t i = 0;
    for (uint32_t c = j_.first_child(n); c != kNo; c = j_.next_sibling(c), ++i) {
      const size_t seg =
          j_.type(c) == Type::kString ? segment_index(j_.text(c)) : kScopeSegmentCount;
      if (seg == kScopeSegmentCount)
        return error(path + "[" + std::to_string(i) + "]",
                     "unknown segment (" + segment_names() + ")");
      *mask |= 1u << seg;
    }
    return Status::ok();
  }

  // A non-empty list of strings; `lower`: ASCII-lowercased (matched in any case).
  Status texts(uint32_t n, const std::string& path, const char* what, bool lower,
               std::vector<std::string>* out) const {
    if (j_.type(n) != Type::kArray || j_.size(n) == 0)
      return error(path, std::string("expected ") + what);
    if (j_.size(n) > limits_.max_scope_values) {
      return error(path, std::to_string(j_.size(n)) + " entries exceed the limit of " +
                             std::to_string(limits_.max_scope_values));
    }
    out->clear();
    uint32_t i = 0;
    for (uint32_t c = j_.first_child(n); c != kNo; c = j_.next_sibling(c), ++i) {
      std::string text;
      Status st = string(c, path + "[" + std::to_string(i) + "]", &text);
      if (!st.is_ok()) return st;
      for (char& ch : text) {
        if (lower && ch >= 'A' && ch <= 'Z') ch = char(ch - 'A' + 'a');
      }
      out->push_back(std::move(text));
    }
    return Status::ok();
  }

  Status exclusion(uint32_t n, const std::string& path, ExclusionRule* x) const {
    Status st = object(n, path);
    uint32_t match_key = kNo, keys = 0;
    for (uint32_t c = j_.first_child(n); st.is_ok() && c != kNo; c = j_.next_sibling(c)) {
      const std::string key(j_.key(c));
      if (!scope(key, c, path + "." + key, &x->scope, &st)) match_key = c, ++keys;
    }
    if (st.is_ok() && keys != 1)
      st = error(path, std::string("expected exactly one of ") + kMatchList + " (and " +
                           scope_keys() + ")");
    return st.is_ok() ? match_entry(match_key, path, &x->match) : st;
  }

  Status boost(uint32_t n, const std::string& path, BoostRule* b) const {
    Status st = object(n, path);
    bool has_match = false, has_factor = false;
    for (uint32_t c = j_.first_child(n); st.is_ok() && c != kNo; c = j_.next_sibling(c)) {
      const std::string key(j_.key(c)), p = path + "." + key;
      double v;
      if (key == "name")
        st = string(c, p, &b->name);
      else if (key == "reason")
        st = string(c, p, &b->reason);
      else if (key == "match")
        st = match(c, p, &b->match), has_match = true;
      else if (key == "factor")
        st = number(c, p, 0.01, 100, &v), b->factor = float(v), has_factor = true;
      else if (!scope(key, c, p, &b->scope, &st))
        st = error(p, "unknown key (name, reason, match, factor, " + scope_keys() + ")");
    }
    if (st.is_ok() && (!has_match || !has_factor))
      st = error(path, "match and factor are required");
    return st;
  }

  Status quota(uint32_t n, const std::string& path, QuotaRule* q) const {
    Status st = object(n, path);
    bool has_match = false, has_share = false;
    for (uint32_t c = j_.first_child(n); st.is_ok() && c != kNo; c = j_.next_sibling(c)) {
      const std::string key(j_.key(c)), p = path + "." + key;
      double v;
      if (key == "name")
        st = string(c, p, &q->name);
      else if (key == "reason")
        st = string(c, p, &q->reason);
      else if (key == "match")
        st = match(c, p, &q->match), has_match = true;
      else if (key == "min_share")
        st = number(c, p, 0, 1, &v), q->min_share = float(v), has_share = true;
      else if (!scope(key, c, p, &q->scope, &st))
        st = error(p, "unknown key (name, reason, match, min_share, " + scope_keys() + ")");
    }
    if (st.is_ok() && (!has_match || !has_share))
      st = error(path, "match and min_share are required");
    return st;
  }

  Status strategy(uint32_t n, const std::string& path, StrategyOverride* o) const {
    Status st = object(n, path);
    for (uint32_t c = j_.first_child(n); st.is_ok() && c != kNo; c = j_.next_sibling(c)) {
      const std::string key(j_.key(c)), p = path + "." + key;
      if (key == "slots") {
        st = whole(c, p, 1, 100, &o->slots);
      } else if (key == "weights") {
        st = object(c, p);
        for (uint32_t w = j_.first_child(c); st.is_ok() && w != kNo; w = j_.next_sibling(w)) {
          const std::string source(j_.key(w));
          size_t s = 0;
          while (s < kSourceCount && source != source_code(Source(s))) ++s;
          if (s == kSourceCount) {
            st = error(p + "." + source, "unknown source (a reason code, e.g. bought_together)");
            break;
          }
          double v;
          st = number(w, p + "." + source, 0, 100, &v);
          o->weight[s] = float(v);
          o->has_weight[s] = true;
        }
      } else {
        st = error(p, "unknown key (slots, weights)");
      }
    }
    return st;
  }

  template <typename T, typename F>
  Status list(uint32_t n, const std::string& path, uint32_t max, std::vector<T>* out,
              F parse_one) const {
    if (j_.type(n) != Type::kArray) return error(path, "expected a list");
    if (j_.size(n) > max) {
      return error(
          path, std::to_string(j_.size(n)) + " entries exceed the limit of " + std::to_string(max));
    }
    uint32_t i = 0;
    for (uint32_t c = j_.first_child(n); c != kNo; c = j_.next_sibling(c), ++i) {
      T x;
      Status st = parse_one(c, path + "[" + std::to_string(i) + "]", &x);
      if (!st.is_ok()) return st;
      out->push_back(std::move(x));
    }
    return Status::ok();
  }

  Status pin(uint32_t n, const std::string& path, PinRule* pin) const {
    Status st = object(n, path);
    bool has_item = false;
    for (uint32_t c = j_.first_child(n); st.is_ok() && c != kNo; c = j_.next_sibling(c)) {
      const std::string key(j_.key(c)), p = path + "." + key;
      if (key == "item")
        st = string(c, p, &pin->item), has_item = true;
      else if (key == "position")
        st = whole(c, p, 1, 100, &pin->position);
      else if (key == "reason")
        st = string(c, p, &pin->reason);
      else if (!scope(key, c, p, &pin->scope, &st))
        st = error(p, "unknown key (item, position, reason, " + scope_keys() + ")");
    }
    if (st.is_ok() && !has_item) st = error(path, "item is required");
    return st;
  }

  // The rule lists the document and a campaign hold alike: `key` of `r`'s object, if it is
  // boosts, quotas, pins or exclusions.
  template <typename R>
  bool rule_list(const std::string& key, uint32_t c, const std::string& p, R* r, Status* st) const {
    if (key == "boosts") {
      *st = list(c, p, limits_.max_boosts, &r->boosts,
                 [&](uint32_t x, const std::string& q, BoostRule* b) { return boost(x, q, b); });
    } else if (key == "quotas") {
      *st = list(c, p, limits_.max_quotas, &r->quotas,
                 [&](uint32_t x, const std::string& q, QuotaRule* o) { return quota(x, q, o); });
    } else if (key == "pins") {
      *st = list(c, p, limits_.max_pins, &r->pins,
                 [&](uint32_t x, const std::string& q, PinRule* o) { return pin(x, q, o); });
    } else if (key == "exclusions") {
      *st = list(
          c, p, limits_.max_exclusions, &r->exclusions,
          [&](uint32_t x, const std::string& q, ExclusionRule* e) { return exclusion(x, q, e); });
    } else {
      return false;
    }
    return true;
  }

  Status complement(uint32_t n, const std::string& path, ComplementRule* x) const {
    Status st = object(n, path);
    bool has_with = false;
    for (uint32_t c = j_.first_child(n); st.is_ok() && c != kNo; c = j_.next_sibling(c)) {
      const std::string key(j_.key(c)), p = path + "." + key;
      if (key == "item")
        st = string(c, p, &x->item);
      else if (key == "category")
        st = string(c, p, &x->category);
      else if (key == "with")
        st = texts(c, p, "a list of item ids", false, &x->with), has_with = true;
      else
        st = error(p, "unknown key (item, category, with)");
    }
    if (st.is_ok() && x->item.empty() == x->category.empty())
      st = error(path, "expected one of item, category");
    if (st.is_ok() && !has_with) st = error(path, "with is required");
    return st;
  }

  Status campaign(uint32_t n, const std::string& path, CampaignRule* k) const {
    Status st = object(n, path);
    bool has_start = false, has_end = false;
    for (uint32_t c = j_.first_child(n); st.is_ok() && c != kNo; c = j_.next_sibling(c)) {
      const std::string key(j_.key(c)), p = path + "." + key;
      double v = 0;
      if (key == "name")
        st = string(c, p, &k->name);
      else if (key == "start")
        st = time(c, p, &k->start_ms), has_start = true;
      else if (key == "end")
        st = time(c, p, &k->end_ms), has_end = true;
      else if (key == "priority")
        st = number(c, p, -kMaxPriority, kMaxPriority, &v), k->priority = int32_t(v);
      else if (rule_list(key, c, p, k, &st))
        continue;
      else if (key == "demote_expensive_non_promo")
        st = boolean(c, p, &k->demote_expensive_non_promo);
      else if (key == "favour_bundles")
        st = boolean(c, p, &k->favour_bundles);
      else
        st = error(p,
                   "unknown key (name, start, end, priority, boosts, quotas, pins, exclusions, "
                   "demote_expensive_non_promo, favour_bundles)");
      if (st.is_ok() && key == "priority" && v != std::floor(v))
        st = error(p, "expected a whole number");
    }
    if (st.is_ok() && (!has_start || !has_end)) st = error(path, "start and end are required");
    if (st.is_ok() && k->end_ms <= k->start_ms) st = error(path + ".end", "must come after start");
    return st;
  }

  // The document's `about`: {"author", "saved_at", "why"}, each text the engine ignores.
  Status about(uint32_t n, const std::string& path) const {
    Status st = object(n, path);
    for (uint32_t c = j_.first_child(n); st.is_ok() && c != kNo; c = j_.next_sibling(c)) {
      const std::string key(j_.key(c)), p = path + "." + key;
      std::string text;
      if (key == "author" || key == "saved_at" || key == "why")
        st = string(c, p, &text);
      else
        st = error(p, "unknown key (author, saved_at, why)");
    }
    return st;
  }

  // A rules object at `node`; `top`: the document itself (experiments allowed).
  Status document(uint32_t node, const std::string& path, bool top, Rules* r) const;
  Status experiment(uint32_t n, const std::string& path, Experiment* e) const;

 private:
  static std::string fmt(double v) {
    std::string s = std::to_string(v);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  const JsonLine& j_;
  const RulesLimits& limits_;
  std::vector<BuildTimeMatch>* build_time_;
  mutable uint32_t matches_ = 0, catalog_matches_ = 0;  // across the document
};

Status Parser::experiment(uint32_t n, const std::string& path, Experiment* e) const {
  Status st = object(n, path);
  bool has_variants = false;
  for (uint32_t c = j_.first_child(n); st.is_ok() && c != kNo; c = j_.next_sibling(c)) {
    const std::string key(j_.key(c)), p = path + "." + key;
    if (key == "name") {
      st = string(c, p, &e->name);
    } else if (key == "id") {
      st = string(c, p, &e->id);
    } else if (key == "minimum_effect") {
      st = number(c, p, 0.001, 10, &e->minimum_effect);
    } else if (key == "holdout") {
      st = object(c, p);
      for (uint32_t f = j_.first_child(c); st.is_ok() && f != kNo; f = j_.next_sibling(f)) {
        const std::string k2(j_.key(f)), p2 = p + "." + k2;
        std::string show;
        if (k2 == "share") {
          st = number(f, p2, 0, 1, &e->holdout_share);
        } else if (k2 == "show") {
          st = string(f, p2, &show);
          if (st.is_ok() && show == "nothing")
            e->holdout_show = HoldoutShow::kNothing;
          else if (st.is_ok() && show == "best_sellers")
            e->holdout_show = HoldoutShow::kBestSellers;
          else if (st.is_ok())
            st = error(p2, "expected \"nothing\" or \"best_sellers\"");
        } else {
          st = error(p2, "unknown key (share, show)");
        }
      }
    } else if (key == "variants") {
      has_variants = true;
      st = list(c, p, limits_.max_variants, &e->variants,
                [&](uint32_t x, const std::string& q, ExperimentVariant* v) {
                  Status s2 = object(x, q);
                  auto rules = std::make_shared<Rules>();
                  for (uint32_t f = j_.first_child(x); s2.is_ok() && f != kNo;
                       f = j_.next_sibling(f)) {
                    const std::string k2(j_.key(f)), p2 = q + "." + k2;
                    if (k2 == "name")
                      s2 = string(f, p2, &v->name);
                    else if (k2 == "id")
                      s2 = string(f, p2, &v->id);
                    else if (k2 == "share")
                      s2 = number(f, p2, 0, 1, &v->share);
                    else if (k2 == "rules")
                      s2 = document(f, p2, false, rules.get());
                    else
                      s2 = error(p2, "unknown key (name, id, share, rules)");
                  }
                  if (s2.is_ok() && v->name.empty() && v->id.empty())
                    s2 = error(q, "name is required");
                  if (v->id.empty()) v->id = public_id(v->name);
                  if (s2.is_ok() && (v->name == kHoldoutVariant || v->id == kHoldoutVariant))
                    s2 = error(q + ".name", "\"holdout\" is reserved");
                  v->rules = std::move(rules);
                  return s2;
                });
    } else {
      st = error(p, "unknown key (name, id, holdout, variants, minimum_effect)");
    }
  }
  if (!st.is_ok()) return st;
  if (e->name.empty() && e->id.empty()) return error(path, "name is required");
  if (e->id.empty()) e->id = public_id(e->name);
  if (!has_variants || e->variants.empty()) return error(path, "at least one variant is required");
  double total = e->holdout_share;
  for (size_t i = 0; i < e->variants.size(); ++i) {
    total += e->variants[i].share;
    for (size_t k = 0; k < i; ++k) {
      if (e->variants[k].id == e->variants[i].id)
        return error(path + ".variants[" + std::to_string(i) + "]", "duplicate variant name or id");
    }
  }
  if (std::fabs(total - 1.0) > 1e-6)
    return error(path,
                 "holdout and variant shares must add up to 1 (they add up to " + fmt(total) + ")");
  return Status::ok();
}

Status Parser::document(uint32_t node, const std::string& path, bool top, Rules* r) const {
  Status st = object(node, path);
  for (uint32_t c = j_.first_child(node); st.is_ok() && c != kNo; c = j_.next_sibling(c)) {
    const std::string key(j_.key(c)), p = path + "." + key;
    if (top && key == "experiments") {
      st = list(
          c, p, limits_.max_experiments, &r->experiments,
          [&](uint32_t x, const std::string& q, Experiment* e) { return experiment(x, q, e); });
      for (size_t i = 0; st.is_ok() && i < r->experiments.size(); ++i) {
        for (size_t k = 0; k < i; ++k) {
          if (r->experiments[k].id == r->experiments[i].id)
            st = error(p + "[" + std::to_string(i) + "]", "duplicate experiment name or id");
        }
      }
    } else if (key == "experiments") {
      st = error(p, "experiments cannot be nested in a variant");
    } else if (key == "field_mapping" && top && j_.type(c) == JsonLine::Type::kObject) {
      for (uint32_t m = j_.first_child(c); m != kNo; m = j_.next_sibling(m))
        r->mapped_columns.emplace_back(j_.key(m));  // otherwise ingestion's
    } else if (key == "field_mapping" || key == "description" || key == "$schema") {
      continue;  // ingestion's, and documentation
    } else if (key == "about" && top) {
      st = about(c, p);  // who saved the file, when and why: the merchant's, never published
    } else if (rule_list(key, c, p, r, &st)) {
      continue;  // boosts, quotas, pins, exclusions
    } else if (key == "complements") {
      st = list(
          c, p, limits_.max_complements, &r->complements,
          [&](uint32_t x, const std::string& q, ComplementRule* k) { return complement(x, q, k); });
    } else if (key == "campaigns") {
      st = list(
          c, p, limits_.max_campaigns, &r->campaigns,
          [&](uint32_t x, const std::string& q, CampaignRule* k) { return campaign(x, q, k); });
    } else if (key == "exploration") {
      r->has_exploration = true;
      st = object(c, p);
      for (uint32_t f = j_.first_child(c); st.is_ok() && f != kNo; f = j_.next_sibling(f)) {
        const std::string k2(j_.key(f)), p2 = p + "." + k2;
        if (k2 == "slots")
          st = whole(f, p2, 0, 20, &r->exploration.slots);
        else if (k2 == "max_age_days")
          st = whole(f, p2, 1, 3650, &r->exploration.max_age_days);
        else if (k2 == "max_views")
          st = whole(f, p2, 0, 1000000, &r->exploration.max_views);
        else if (k2 == "placements")
          st = placements(f, p2, &r->exploration.placements);
        else
          st = error(p2, "unknown key (slots, max_age_days, max_views, placements)");
      }
    } else if (key == "placements") {
      st = object(c, p);
      for (uint32_t f = j_.first_child(c); st.is_ok() && f != kNo; f = j_.next_sibling(f)) {
        Placement pl;
        if (!parse_placement(j_.key(f), &pl)) {
          st = error(p + "." + std::string(j_.key(f)), "unknown placement");
          break;
        }
        st = strategy(f, p + "." + std::string(j_.key(f)), &r->placements[size_t(pl)]);
      }
    } else if (key == "segments") {
      st = object(c, p);
      for (uint32_t f = j_.first_child(c); st.is_ok() && f != kNo; f = j_.next_sibling(f)) {
        const std::string name(j_.key(f));
        const size_t seg = segment_index(name);
        if (seg >= kScopeSegmentCount) {
          st = error(p + "." + name, "unknown segment (" + segment_names() + ")");
          break;
        }
        st = strategy(f, p + "." + name, &r->segments[seg]);
      }
    } else if (key == "context") {
      r->has_context = true;
      st = object(c, p);
      ContextThresholds& t = r->context;
      for (uint32_t f = j_.first_child(c); st.is_ok() && f != kNo; f = j_.next_sibling(f)) {
        const std::string k2(j_.key(f)), p2 = p + "." + k2;
        double q;
        if (k2 == "compare_min_items")
          st = whole(f, p2, 2, 64, &t.compare_min_items);
        else if (k2 == "compare_min_revisits")
          st = whole(f, p2, 0, 64, &t.compare_min_revisits);
        else if (k2 == "decisive_max_views")
          st = whole(f, p2, 0, 64, &t.decisive_max_views);
        else if (k2 == "explore_min_categories")
          st = whole(f, p2, 1, 64, &t.explore_min_categories);
        else if (k2 == "explore_min_views")
          st = whole(f, p2, 1, 64, &t.explore_min_views);
        else if (k2 == "bundle_min_variants")
          st = whole(f, p2, 2, 64, &t.bundle_min_variants);
        else if (k2 == "premium_quantile")
          st = number(f, p2, 0.5, 1, &q), t.premium_quantile = float(q);
        else
          st = error(p2, "unknown threshold");
      }
    } else {
      st = error(p,
                 "unknown key (boosts, quotas, exploration, pins, exclusions, campaigns, "
                 "complements, placements, segments, context, experiments, field_mapping)");
    }
  }
  return st;
}

void merge_strategy(const StrategyOverride& patch, StrategyOverride* out) {
  if (patch.slots > 0) out->slots = patch.slots;
  for (size_t s = 0; s < kRuleSourceCount; ++s) {
    if (!patch.has_weight[s]) continue;
    out->has_weight[s] = true;
    out->weight[s] = patch.weight[s];
  }
}

template <typename T>
void append(const std::vector<T>& more, std::vector<T>* out) {
  out->insert(out->end(), more.begin(), more.end());
}

}  // namespace

size_t segment_index(std::string_view name) {
  for (size_t s = 0; s < kScopeSegmentCount; ++s) {
    if (name == segment_name(s)) return s;
  }
  return kScopeSegmentCount;
}

std::string segment_name(size_t s) {
  if (s < size_t(TrafficClass::kCount)) return traffic_class_name(TrafficClass(s));
  if (s == kNewVisitorSegment) return "new_visitor";
  if (s == kReturningVisitorSegment) return "returning_visitor";
  return context_flag_name(s - kSegmentCount);
}

std::string segment_names(size_t count) {
  std::string out;
  for (size_t s = 0; s < count && s < kScopeSegmentCount; ++s)
    out += (s ? ", " : "") + segment_name(s);
  return out;
}

uint32_t segments_of(const ShopperContext& ctx) {
  uint32_t bits = ctx.traffic < TrafficClass::kCount ? 1u << size_t(ctx.traffic) : 0u;
  bits |= 1u << (ctx.returning ? kReturningVisitorSegment : kNewVisitorSegment);
  for (size_t f = 0; f < kContextFlagCount; ++f)
    bits |= uint32_t(context_flag(ctx, f)) << (kSegmentCount + f);
  return bits;
}

std::string money_text(int64_t hundredths) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", double(hundredths) / 100);
  std::string s = text;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

namespace {
// Distinct, in the order first met (a handful: a linear look beats a sort in the wasm's size).
void add_key(std::string_view key, std::vector<std::string>* keys) {
  if (std::find(keys->begin(), keys->end(), key) == keys->end()) keys->emplace_back(key);
}

void match_label_keys(const ItemMatch& m, std::vector<std::string>* keys) {
  if (m.kind == ItemMatch::Kind::kLabel) add_key(label_key(m.value), keys);
  for (const ItemMatch& x : m.of) match_label_keys(x, keys);
}

template <typename List>
void rule_label_keys(const List& rules, std::vector<std::string>* keys) {
  for (const auto& r : rules) match_label_keys(r.match, keys);
}

void all_label_keys(const Rules& r, std::vector<std::string>* keys) {
  for (const std::string& column : r.mapped_columns) add_key(column, keys);
  rule_label_keys(r.boosts, keys);
  rule_label_keys(r.quotas, keys);
  rule_label_keys(r.exclusions, keys);
  for (const CampaignRule& c : r.campaigns) {
    rule_label_keys(c.boosts, keys);
    rule_label_keys(c.quotas, keys);
    rule_label_keys(c.exclusions, keys);
  }
  for (const Experiment& e : r.experiments) {
    for (const ExperimentVariant& v : e.variants) all_label_keys(*v.rules, keys);
  }
}
}  // namespace

std::vector<std::string> private_label_keys(const Rules& rules) {
  std::vector<std::string> keys;
  all_label_keys(rules, &keys);
  return keys;
}

std::string build_time_label(const ItemMatch& m) {
  auto bound = [&](int64_t v) {
    return v == ItemMatch::kOpen               ? std::string()
           : m.kind == ItemMatch::Kind::kStock ? std::to_string(v)
                                               : money_text(v);
  };
  return std::string("~") + match_key(m.kind) + "=" + bound(m.min) + ".." + bound(m.max);
}

bool is_build_time_label(std::string_view label) {
  return label.rfind("~margin=", 0) == 0 || label.rfind("~stock=", 0) == 0;
}

const char* match_key(ItemMatch::Kind kind) {
  for (const auto& [key, k] : kMatchKeys) {
    if (k == kind) return key;
  }
  return "";
}

std::string public_id(std::string_view name) {
  const uint64_t h = fnv1a_64(name);
  char out[10];
  std::snprintf(out, sizeof out, "x%08x", unsigned(h >> 32));
  return out;
}

double assignment_point(std::string_view experiment, std::string_view visitor) {
  uint64_t h = kFnv64Basis;  // FNV-1a 64
  auto mix = [&h](uint8_t b) { h = (h ^ b) * kFnv64Prime; };
  for (char c : experiment) mix(uint8_t(c));
  mix(0);
  for (char c : visitor) mix(uint8_t(c));
  h ^= h >> 33;  // MurmurHash3's finalizer: FNV alone spreads the last bytes poorly
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return double(h >> 11) / double(uint64_t(1) << 53);
}

Assignment assign(const Experiment& e, std::string_view visitor) {
  Assignment a;
  a.experiment = e.id;
  const double u = assignment_point(e.id, visitor);
  double edge = e.holdout_share;
  if (u < edge) {
    a.variant = kHoldoutVariant;
    a.holdout = true;
    a.show = e.holdout_show;
    return a;
  }
  a.variant = e.variants.back().id;  // rounding: the last variant takes what is left
  for (const ExperimentVariant& v : e.variants) {
    edge += v.share;
    if (u < edge) {
      a.variant = v.id;
      break;
    }
  }
  return a;
}

Rules rules_for_visitor(const Rules& base, std::string_view visitor,
                        std::vector<Assignment>* assignments) {
  Rules r = base;
  r.experiments.clear();
  if (assignments != nullptr) assignments->clear();
  for (const Experiment& e : base.experiments) {
    Assignment a = assign(e, visitor);
    if (a.holdout) {
      r.plain = r.plain || a.show == HoldoutShow::kBestSellers;
    } else {
      for (const ExperimentVariant& v : e.variants) {
        if (v.id != a.variant) continue;
        const Rules& patch = *v.rules;
        append(patch.boosts, &r.boosts);
        append(patch.quotas, &r.quotas);
        append(patch.pins, &r.pins);
        append(patch.exclusions, &r.exclusions);
        append(patch.campaigns, &r.campaigns);
        append(patch.complements, &r.complements);
        if (patch.has_exploration) r.exploration = patch.exploration;
        if (patch.has_context) r.context = patch.context;
        for (size_t p = 0; p < r.placements.size(); ++p)
          merge_strategy(patch.placements[p], &r.placements[p]);
        for (size_t s = 0; s < r.segments.size(); ++s)
          merge_strategy(patch.segments[s], &r.segments[s]);
      }
    }
    if (assignments != nullptr) assignments->push_back(std::move(a));
  }
  return r;
}

Status parse_rules_json(std::string_view json, Rules* out, const RulesLimits& limits,
                        std::vector<BuildTimeMatch>* build_time) {
  if (json.size() > limits.max_bytes) {
    return Status(StatusCode::kInvalidArgument, "$: " + std::to_string(json.size()) +
                                                    " bytes exceed the limit of " +
                                                    std::to_string(limits.max_bytes));
  }
  JsonLine j;
  if (!j.parse(json))
    return Status(StatusCode::kInvalidArgument, "$: not valid JSON (" + j.error() + ")");
  Rules r;
  std::vector<BuildTimeMatch> found;
  Status st = Parser(j, limits, build_time != nullptr ? &found : nullptr)
                  .document(JsonLine::root(), "$", true, &r);
  if (st.is_ok()) *out = std::move(r);
  if (st.is_ok() && build_time != nullptr) *build_time = std::move(found);
  return st;
}

Status parse_rules_for_snapshot(std::string_view json, std::string_view snapshot_rules, Rules* out,
                                const RulesLimits& limits) {
  std::vector<BuildTimeMatch> asked, built;
  Rules rules, own;
  Status st = parse_rules_json(json, &rules, limits, &asked);
  if (!st.is_ok()) return st;
  if (!asked.empty() && !snapshot_rules.empty()) parse_rules_json(snapshot_rules, &own, {}, &built);
  for (const BuildTimeMatch& a : asked) {
    const std::string label = build_time_label(a.match);
    const bool evaluated = std::any_of(built.begin(), built.end(), [&](const BuildTimeMatch& b) {
      return build_time_label(b.match) == label;
    });
    if (!evaluated) {
      const char* what = a.match.kind == ItemMatch::Kind::kMargin ? "unit costs" : "stock counts";
      return Status(StatusCode::kInvalidArgument,
                    a.path + ": matches by " + match_key(a.match.kind) +
                        " are evaluated at build time, against the catalog's " + what +
                        ", which no snapshot holds, and this snapshot's build did not evaluate "
                        "this range: run aisle build --rules with these rules");
    }
  }
  *out = std::move(rules);
  return Status::ok();
}

}  // namespace aisle
