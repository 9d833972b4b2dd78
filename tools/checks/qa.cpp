#include "qa.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "engine.h"
#include "rules_check.h"

namespace aisle {
namespace {

class Rng {
 public:
  explicit Rng(uint64_t s) : s_(s) {}
  uint32_t below(uint32_t n) {
    s_ = s_ * 6364136223846793005ull + 1442695040888963407ull;
    return n ? uint32_t((s_ >> 33) % n) : 0;
  }

 private:
  uint64_t s_;
};

constexpr size_t kExamplesPerKind = 3;

// Counts failures (or warnings) per kind, keeping the first different examples: a problem met on
// every visit is one example, counted every time.
class Failures {
 public:
  void add(const std::string& kind, const std::string& example) {
    auto& e = by_kind_[kind];
    ++e.first;
    if (e.second.size() < kExamplesPerKind &&
        std::find(e.second.begin(), e.second.end(), example) == e.second.end())
      e.second.push_back(example);
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const auto& [kind, e] : by_kind_) {
      std::string line = kind + ": " + std::to_string(e.first) + " time(s)";
      for (const auto& ex : e.second) line += "\n      e.g. " + ex;
      out.push_back(line);
    }
    return out;
  }

 private:
  std::map<std::string, std::pair<uint64_t, std::vector<std::string>>> by_kind_;
};

// More eligible choices than a list needs, past which a miss is the engine's, not the
// catalog's: this many products beyond the slots.
constexpr uint32_t kSpareProducts = 4;

// How many products (variants of one counted once when `by_product`) satisfy `pred`,
// counting up to `enough`.
template <typename Pred>
uint32_t count_products(const Snapshot& snap, bool by_product, uint32_t enough, Pred pred) {
  std::vector<uint32_t> groups;
  uint32_t n = 0;
  for (uint32_t i = 0; i < snap.item_count() && n < enough; ++i) {
    if (!pred(i)) continue;
    const uint32_t g = snap.record(i).group;
    if (by_product && g != fmt::kNone) {
      if (std::find(groups.begin(), groups.end(), g) != groups.end()) continue;
      groups.push_back(g);
    }
    ++n;
  }
  return n;
}

// Who put more variants (colours, sizes) of one product in a list than the placement's
// cap allows. The ranking's own second pass, which relaxes the cap when its candidates are
// fewer products than slots, is by design (docs/algorithms.md, "Filtering and caps"), and
// so is a pin beside a ranked variant of its product (a pin is the merchant's call), which
// qa only points out.
enum class Twins { kNone, kPinBeside, kByRules };

// The first product past the cap (cap 0: none, as on next_item), its items in `ids`
// ("P1-red (pinned), P1-blue (group P1)"): kByRules when a guaranteed share or an exploration
// slot placed one of them, or the merchant pinned two.
Twins twins(const Snapshot& snap, const std::vector<Recommendation>& list, uint32_t cap,
            std::string* ids) {
  for (size_t a = 0; a < list.size() && cap > 0; ++a) {
    const uint32_t g = snap.record(list[a].item).group;
    if (g == fmt::kNone) continue;
    ids->clear();
    uint32_t n = 0, pinned = 0, filled = 0;
    for (const Recommendation& r : list) {
      if (snap.record(r.item).group != g) continue;
      *ids += (n++ ? ", " : "") + std::string(snap.item(r.item).id);
      const Source s = r.reason_count > 0 ? r.reasons[0].source : Source::kCount;
      pinned += s == Source::kPin;
      filled += s == Source::kQuota || s == Source::kExplore;
      if (s == Source::kPin || s == Source::kQuota || s == Source::kExplore)
        *ids += std::string(" (") + source_code(s) + ")";
    }
    *ids += " (group " + std::string(snap.group(g).key) + ")";
    if (n > cap && (filled > 0 || pinned > 1)) return Twins::kByRules;
    if (n > cap && pinned == 1) return Twins::kPinBeside;
  }
  return Twins::kNone;
}

}  // namespace

nlohmann::json QaReport::to_json() const {
  return {{"lists", lists},
          {"impressions", impressions},
          {"passed", failures.empty()},
          {"failures", failures},
          {"warnings", warnings}};
}

namespace {

// A generated visit of a segment: a few views, sometimes a cart, sometimes money-saving
// signals; a returning visitor's profile remembers it.
struct Visit {
  Session session;
  Profile profile;
};
void generate_visit(const Snapshot& snap, size_t seg, int64_t as_of, Rng& rng, Visit* visit) {
  uint32_t items[8];
  const uint32_t n = 1 + rng.below(4);
  const bool money = rng.below(3) == 0;
  for (uint32_t e = 0; e < n; ++e) {
    items[e] = rng.below(snap.item_count());
    ShopperEvent ev;
    ev.type = e + 1 == n && rng.below(2) ? EventType::kAddToCart : EventType::kViewItem;
    ev.ts_ms = as_of - int64_t(n - e) * 60'000;
    ev.items = &items[e];
    ev.item_count = 1;
    ev.traffic = seg < size_t(TrafficClass::kCount) ? TrafficClass(seg) : TrafficClass::kDirect;
    ev.sort_price_asc = money && e == 0;
    visit->session.track(ev);
  }
  if (seg == kReturningVisitorSegment) visit->profile.end_visit(visit->session);
}

// What every replayed list must keep, one method per promise; problems counted in
// `fail` (and `warn`), each with where it happened ("home / direct").
class ListChecks {
 public:
  ListChecks(const Snapshot& snap, const Engine& engine, Failures* fail, Failures* warn)
      : snap_(snap), engine_(engine), rules_(engine.rules()), fail_(*fail), warn_(*warn) {}

  void check(const Session& session, const Request& req, const ListInfo& info,
             const std::vector<Recommendation>& out, const std::string& where) {
    shown(out, req.now_ms, where);
    price_ceiling(session, req, info, out, where);
    const uint32_t group_cap = config_.strategy[size_t(req.placement)].max_per_group;
    variants(out, group_cap, where);
    if (info.mode == ListMode::kCompare) return;  // the comparison module is not a ranked list
    quotas(req, info, out, group_cap, where);
    pins(session, req, info, out, where);
    topic(session, req, out, where);
  }

 private:
  std::string id(uint32_t item) const { return std::string(snap_.item(item).id); }

  // Only available items; campaign boosts only inside their window.
  void shown(const std::vector<Recommendation>& out, int64_t now, const std::string& where) {
    for (const Recommendation& rec : out) {
      if (!engine_.available(rec.item, now) || engine_.excluded_where_shown(rec.item))
        fail_.add("unavailable or excluded item shown", where + ": " + id(rec.item));
      for (size_t i = 0; i < rec.reason_count; ++i) {
        if (rec.reasons[i].source != Source::kBoost) continue;
        const std::string text = engine_.reason_text(rec.reasons[i]);
        for (const CampaignRule& c : rules_.campaigns) {
          const bool active = now >= c.start_ms && now < c.end_ms;
          for (const BoostRule& b : c.boosts) {
            if (!active && !b.name.empty() && text == b.name &&
                std::none_of(rules_.boosts.begin(), rules_.boosts.end(),
                             [&](const BoostRule& g) { return g.name == b.name; })) {
              fail_.add("campaign active outside its window",
                        c.name + " at " + std::to_string(now) + ", " + where);
            }
          }
        }
      }
    }
  }

  // Money-saving on the cart: nothing dearer than the cart's latest item unless a deal.
  void price_ceiling(const Session& session, const Request& req, const ListInfo& info,
                     const std::vector<Recommendation>& out, const std::string& where) {
    if (req.placement != Placement::kCart || !info.context.price_sensitive ||
        session.cart_count() == 0)
      return;
    const int64_t now_s = req.now_ms / 1000;
    const uint32_t ceiling =
        snap_.item(session.cart_item(session.cart_count() - 1)).effective_price(now_s);
    for (const Recommendation& rec : out) {
      const ItemView it = snap_.item(rec.item);
      if (it.effective_price(now_s) > ceiling && !it.is_deal(now_s))
        fail_.add("price ceiling breached", where + ": " + id(rec.item));
    }
  }

  void variants(const std::vector<Recommendation>& out, uint32_t group_cap,
                const std::string& where) {
    std::string ids;
    const Twins twin = twins(snap_, out, group_cap, &ids);
    if (twin == Twins::kByRules)
      fail_.add("variants of one product in one list", where + ": " + ids);
    if (twin == Twins::kPinBeside)
      warn_.add("a pinned item beside another variant of its product", where + ": " + ids);
  }

  // Every guaranteed share met where enough members on the page's topic could be shown.
  void quotas(const Request& req, const ListInfo& info, const std::vector<Recommendation>& out,
              uint32_t group_cap, const std::string& where) {
    for (size_t q = 0; q < engine_.quota_rules().size(); ++q) {  // campaigns' too
      const QuotaRule& rule = *engine_.quota_rules()[q];
      if (!engine_.quota_applies(q)) continue;  // not aimed at this page or visitor
      const uint32_t needed = Engine::quota_slots(rule, info.slots);
      uint32_t have = 0;
      for (const Recommendation& rec : out) have += engine_.quota_member(q, rec.item, req.now_ms);
      // Members by product where the variant cap holds: a share is no twin's.
      const uint32_t members =
          count_products(snap_, group_cap > 0, needed + kSpareProducts, [&](uint32_t i) {
            return engine_.available(i, req.now_ms) && engine_.may_fill(i) &&
                   engine_.quota_member(q, i, req.now_ms);
          });
      if (have < needed && members >= needed + kSpareProducts) {
        fail_.add("quota missed", (rule.name.empty() ? "quota " + std::to_string(q) : rule.name) +
                                      ", " + where + ": " + std::to_string(have) + " of " +
                                      std::to_string(needed));
      }
    }
  }

  // Every pin in its slot wherever its item may be shown.
  void pins(const Session& session, const Request& req, const ListInfo& info,
            const std::vector<Recommendation>& out, const std::string& where) {
    // A dear pin may rightly give way to the money-saving ceiling.
    if (req.placement == Placement::kCart && info.context.price_sensitive) return;
    // Of two pins on one slot, one of a higher rank takes it (a campaign's over the
    // document's, the higher priority over the lower): the other is not missed. Two of one
    // rank are a conflict the merchant did not resolve.
    claimed_.clear();
    for (size_t i = engine_.pin_order().size(); i-- > 0;) {
      const uint32_t p = engine_.pin_order()[i];
      const PinRule& pin = *engine_.pin_rules()[p];
      uint32_t item;
      if (!engine_.pin_applies(p) || !snap_.find_item(pin.item, &item)) continue;
      if (!engine_.available(item, req.now_ms) || engine_.excluded_where_shown(item) ||
          item == req.item || session.in_cart(item))
        continue;
      if (req.placement == Placement::kNextItem && item == session.last_item())
        continue;  // next_item never offers the item just viewed
      const int64_t rank = engine_.pin_rank(p);
      if (std::any_of(claimed_.begin(), claimed_.end(),
                      [&](const auto& c) { return c.first == pin.position && c.second > rank; }))
        continue;
      claimed_.emplace_back(pin.position, rank);
      if (out.size() >= pin.position && out[pin.position - 1].item != item) {
        fail_.add("pin not honoured",
                  pin.item + " at " + std::to_string(pin.position) + ", " + where);
      }
    }
  }

  // What a list rule added must belong on the page: a share or an exploration slot off the
  // topic of the page's items fails; a pin there is the merchant's call, pointed out. Related
  // (checked apart from the engine's own topic): the same top-level category as an item of
  // the page, or the category of something bought with, viewed after, similar to or sold
  // with one.
  void topic(const Session& session, const Request& req, const std::vector<Recommendation>& out,
             const std::string& where) {
    anchors_.clear();
    if (req.placement == Placement::kProduct && req.item != fmt::kNone)
      anchors_.push_back(req.item);
    for (size_t i = 0; req.placement == Placement::kCart && i < session.cart_count(); ++i)
      anchors_.push_back(session.cart_item(i));
    for (size_t i = 0; req.placement == Placement::kPostPurchase && i < session.purchased_count();
         ++i)
      anchors_.push_back(session.purchased_item(i));
    if (anchors_.empty()) return;
    for (const Recommendation& rec : out) {
      const Source s = rec.reason_count > 0 ? rec.reasons[0].source : Source::kCount;
      if (s != Source::kQuota && s != Source::kExplore && s != Source::kPin) continue;
      if (std::any_of(anchors_.begin(), anchors_.end(),
                      [&](uint32_t a) { return related(a, rec.item); }))
        continue;
      const std::string example =
          where + ": " + id(rec.item) + " (" + source_code(s) + ") beside " + id(anchors_[0]);
      if (s == Source::kPin)
        warn_.add("a pinned item off the page's topic", example);
      else
        fail_.add("an item off the page's topic added by a rule", example);
    }
  }

  bool related(uint32_t anchor, uint32_t item) const {
    const uint32_t a = snap_.record(anchor).category, c = snap_.record(item).category;
    if (a == fmt::kNone || c == fmt::kNone) return true;  // nothing to tell by
    if (root(a) == root(c)) return true;
    bool found = false;
    auto in = [&](ScoredList l) {
      for (uint32_t i = 0; i < l.size() && !found; ++i)
        found = l[i].item == item || snap_.record(l[i].item).category == c;
    };
    in(snap_.co_purchases(anchor));
    in(snap_.transitions(anchor));
    in(engine_.similar(anchor));
    engine_.for_each_hint(anchor, [&](uint32_t target) {  // the rules' complements too
      found = found || target == item || snap_.record(target).category == c;
    });
    return found;
  }

  uint32_t root(uint32_t category) const {  // a parent's index is below its child's
    while (snap_.category(category).parent != fmt::kNone)
      category = snap_.category(category).parent;
    return category;
  }

  const Snapshot& snap_;
  const Engine& engine_;
  const Rules& rules_;
  const EngineConfig config_;  // the engine's: the variant cap of each placement
  Failures& fail_;
  Failures& warn_;
  std::vector<uint32_t> anchors_;  // the page's items: the product, the cart, the purchase
  std::vector<std::pair<uint32_t, int64_t>> claimed_;  // the slots pins took, by rank
};

// The times checked: now, and inside and just outside every campaign.
std::vector<int64_t> times_checked(int64_t as_of, const Rules& r) {
  std::vector<int64_t> times{as_of};
  for (const CampaignRule& c : r.campaigns) {
    times.push_back(c.start_ms - 3'600'000);
    times.push_back(c.start_ms);
    times.push_back(c.end_ms);
  }
  return times;
}

}  // namespace

QaReport run_qa(const Snapshot& snap, const Rules* rules, const QaOptions& o) {
  QaReport report;
  Failures fail, warn;  // warn: what qa points out without failing
  Engine engine(snap);
  if (!engine.rules_status().is_ok())
    fail.add("the snapshot's rules do not parse", engine.rules_status().message());
  if (rules != nullptr) engine.set_rules(*rules);
  // The rules against the catalog first: what they match, before any list is replayed.
  for (const RuleFinding& f : check_rules(snap, engine.rules())) {
    auto& to = f.severity == RuleFinding::Severity::kError ? report.failures : report.warnings;
    to.push_back(f.path + ": " + f.message);
  }
  Rng rng(o.seed);
  const int64_t as_of = snap.meta().as_of_ms ? snap.meta().as_of_ms : 1'790'000'000'000;
  const std::vector<int64_t> times = times_checked(as_of, engine.rules());
  std::map<uint32_t, uint64_t> shown_count;
  uint32_t eligible_total = 0;
  for (uint32_t i = 0; i < snap.item_count(); ++i) eligible_total += engine.available(i, as_of);
  ListChecks checks(snap, engine, &fail, &warn);
  std::vector<Recommendation> out;
  for (size_t p = 0; p < kPlacementCount; ++p) {
    for (size_t seg = 0; seg < kSegmentCount; ++seg) {
      const std::string where =
          std::string(placement_name(Placement(p))) + " / " + segment_name(seg);
      for (uint32_t v = 0; v < o.visits_per_case && snap.item_count() > 0; ++v) {
        Visit visit;
        generate_visit(snap, seg, as_of, rng, &visit);
        for (int64_t now : times) {
          Request req;
          req.placement = Placement(p);
          req.k = o.k;
          req.now_ms = now;
          req.item = req.placement == Placement::kProduct ? visit.session.last_item() : fmt::kNone;
          req.profile = seg == kReturningVisitorSegment ? &visit.profile : nullptr;
          ListInfo info;
          engine.recommend(visit.session, req, &out, &info);
          ++report.lists;
          report.impressions += out.size();
          for (const Recommendation& rec : out) ++shown_count[rec.item];
          if (out.empty() && eligible_total > 1) fail.add("empty list", where);
          checks.check(visit.session, req, info, out, where);
        }
      }
    }
  }
  for (const auto& [item, count] : shown_count) {
    if (report.impressions >= 100 &&
        double(count) > o.max_item_share * double(report.impressions)) {
      fail.add("one item takes too many impressions",
               std::string(snap.item(item).id) + ": " +
                   std::to_string(int(100.0 * double(count) / double(report.impressions))) + "%");
    }
  }
  for (std::string& line : fail.lines()) report.failures.push_back(std::move(line));
  for (std::string& line : warn.lines()) report.warnings.push_back(std::move(line));
  return report;
}

}  // namespace aisle
