#include "rules.h"

#include <cmath>

#include "engine.h"
#include "json_line.h"
#include "time_parse.h"

namespace aisle {
namespace {

static_assert(kRuleSourceCount >= kSourceCount, "rules carry a weight per source");
static_assert(kPlacementRuleCount == kPlacementCount, "rules carry a strategy per placement");

using Type = JsonLine::Type;
constexpr uint32_t kNo = JsonLine::kNoNode;

class Parser {
 public:
  explicit Parser(const JsonLine& j) : j_(j) {}

  Status error(const std::string& path, const std::string& msg) const {
    return Status(StatusCode::kInvalidArgument, path + ": " + msg);
  }

  Status object(uint32_t n, const std::string& path) const {
    return j_.type(n) == Type::kObject ? Status::ok() : error(path, "expected an object");
  }

  Status string(uint32_t n, const std::string& path, std::string* out) const {
    if (j_.type(n) != Type::kString || j_.text(n).empty())
      return error(path, "expected a non-empty string");
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
                     "unknown placement (product, cart, home, post_purchase, category, "
                     "search_empty, next_item)");
      }
      *mask |= 1u << uint32_t(p);
    }
    return Status::ok();
  }

  Status match(uint32_t n, const std::string& path, ItemMatch* m) const {
    Status st = object(n, path);
    if (!st.is_ok()) return st;
    if (j_.size(n) != 1) {
      return error(path,
                   "expected exactly one of item, label, brand, category, margin_tier, promo, "
                   "new_arrival_days");
    }
    const uint32_t c = j_.first_child(n);
    const std::string key(j_.key(c)), p = path + "." + key;
    using K = ItemMatch::Kind;
    if (key == "promo") {
      bool b = false;
      st = boolean(c, p, &b);
      if (st.is_ok() && !b) st = error(p, "only promo: true can be matched");
      m->kind = K::kPromo;
      return st;
    }
    if (key == "new_arrival_days") {
      m->kind = K::kNewArrival;
      return whole(c, p, 1, 3650, &m->new_days);
    }
    static const std::pair<const char*, K> kinds[] = {{"item", K::kItem},
                                                      {"label", K::kLabel},
                                                      {"brand", K::kBrand},
                                                      {"category", K::kCategory},
                                                      {"margin_tier", K::kMarginTier}};
    for (const auto& [name, kind] : kinds) {
      if (key == name) {
        m->kind = kind;
        return string(c, p, &m->value);
      }
    }
    return error(
        p, "unknown match (item, label, brand, category, margin_tier, promo, new_arrival_days)");
  }

  Status boost(uint32_t n, const std::string& path, BoostRule* b) const {
    Status st = object(n, path);
    bool has_match = false, has_factor = false;
    for (uint32_t c = j_.first_child(n); st.is_ok() && c != kNo; c = j_.next_sibling(c)) {
      const std::string key(j_.key(c)), p = path + "." + key;
      double v;
      if (key == "name")
        st = string(c, p, &b->name);
      else if (key == "match")
        st = match(c, p, &b->match), has_match = true;
      else if (key == "factor")
        st = number(c, p, 0.01, 100, &v), b->factor = float(v), has_factor = true;
      else if (key == "placements")
        st = placements(c, p, &b->placements);
      else
        st = error(p, "unknown key (name, match, factor, placements)");
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
      else if (key == "match")
        st = match(c, p, &q->match), has_match = true;
      else if (key == "min_share")
        st = number(c, p, 0, 1, &v), q->min_share = float(v), has_share = true;
      else if (key == "placements")
        st = placements(c, p, &q->placements);
      else
        st = error(p, "unknown key (name, match, min_share, placements)");
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
  Status list(uint32_t n, const std::string& path, std::vector<T>* out, F parse_one) const {
    if (j_.type(n) != Type::kArray) return error(path, "expected a list");
    uint32_t i = 0;
    for (uint32_t c = j_.first_child(n); c != kNo; c = j_.next_sibling(c), ++i) {
      T x;
      Status st = parse_one(c, path + "[" + std::to_string(i) + "]", &x);
      if (!st.is_ok()) return st;
      out->push_back(std::move(x));
    }
    return Status::ok();
  }

  Status campaign(uint32_t n, const std::string& path, CampaignRule* k) const {
    Status st = object(n, path);
    bool has_start = false, has_end = false;
    for (uint32_t c = j_.first_child(n); st.is_ok() && c != kNo; c = j_.next_sibling(c)) {
      const std::string key(j_.key(c)), p = path + "." + key;
      if (key == "name")
        st = string(c, p, &k->name);
      else if (key == "start")
        st = time(c, p, &k->start_ms), has_start = true;
      else if (key == "end")
        st = time(c, p, &k->end_ms), has_end = true;
      else if (key == "boosts")
        st = list(c, p, &k->boosts,
                  [&](uint32_t x, const std::string& q, BoostRule* b) { return boost(x, q, b); });
      else if (key == "demote_expensive_non_promo")
        st = boolean(c, p, &k->demote_expensive_non_promo);
      else if (key == "favour_bundles")
        st = boolean(c, p, &k->favour_bundles);
      else
        st = error(
            p,
            "unknown key (name, start, end, boosts, demote_expensive_non_promo, favour_bundles)");
    }
    if (st.is_ok() && (!has_start || !has_end)) st = error(path, "start and end are required");
    if (st.is_ok() && k->end_ms <= k->start_ms) st = error(path + ".end", "must come after start");
    return st;
  }

  Status document(Rules* r) const;

 private:
  static std::string fmt(double v) {
    std::string s = std::to_string(v);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  const JsonLine& j_;
};

Status Parser::document(Rules* r) const {
  const uint32_t root = JsonLine::root();
  Status st = object(root, "$");
  for (uint32_t c = j_.first_child(root); st.is_ok() && c != kNo; c = j_.next_sibling(c)) {
    const std::string key(j_.key(c)), p = "$." + key;
    if (key == "field_mapping" || key == "description" || key == "$schema") {
      continue;  // ingestion's, and documentation
    } else if (key == "boosts") {
      st = list(c, p, &r->boosts,
                [&](uint32_t x, const std::string& q, BoostRule* b) { return boost(x, q, b); });
    } else if (key == "quotas") {
      st = list(c, p, &r->quotas,
                [&](uint32_t x, const std::string& q, QuotaRule* o) { return quota(x, q, o); });
    } else if (key == "exclusions") {
      st = list(c, p, &r->exclusions,
                [&](uint32_t x, const std::string& q, ItemMatch* m) { return match(x, q, m); });
    } else if (key == "campaigns") {
      st = list(c, p, &r->campaigns, [&](uint32_t x, const std::string& q, CampaignRule* k) {
        return campaign(x, q, k);
      });
    } else if (key == "pins") {
      st = list(c, p, &r->pins, [&](uint32_t x, const std::string& q, PinRule* pin) {
        Status s2 = object(x, q);
        bool has_item = false;
        for (uint32_t f = j_.first_child(x); s2.is_ok() && f != kNo; f = j_.next_sibling(f)) {
          const std::string k2(j_.key(f)), p2 = q + "." + k2;
          if (k2 == "item")
            s2 = string(f, p2, &pin->item), has_item = true;
          else if (k2 == "position")
            s2 = whole(f, p2, 1, 100, &pin->position);
          else if (k2 == "placements")
            s2 = placements(f, p2, &pin->placements);
          else
            s2 = error(p2, "unknown key (item, position, placements)");
        }
        if (s2.is_ok() && !has_item) s2 = error(q, "item is required");
        return s2;
      });
    } else if (key == "exploration") {
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
        size_t seg = 0;
        while (seg < size_t(TrafficClass::kCount) && name != traffic_class_name(TrafficClass(seg)))
          ++seg;
        if (name == "new_visitor") seg = kNewVisitorSegment;
        if (name == "returning_visitor") seg = kReturningVisitorSegment;
        if (seg == size_t(TrafficClass::kCount) && name != "new_visitor") {
          st = error(p + "." + name,
                     "unknown segment (direct, paid_search, organic_search, paid_social, "
                     "organic_social, email, "
                     "referral, new_visitor, returning_visitor)");
          break;
        }
        st = strategy(f, p + "." + name, &r->segments[seg]);
      }
    } else if (key == "context") {
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
                 "placements, segments, "
                 "context, field_mapping)");
    }
  }
  return st;
}

}  // namespace

Status parse_rules_json(std::string_view json, Rules* out) {
  JsonLine j;
  if (!j.parse(json))
    return Status(StatusCode::kInvalidArgument, "$: not valid JSON (" + j.error() + ")");
  Rules r;
  Status st = Parser(j).document(&r);
  if (st.is_ok()) *out = std::move(r);
  return st;
}

}  // namespace aisle
