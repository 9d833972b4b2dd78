#include "report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

#include "context.h"
#include "event_ingest.h"
#include "rules.h"
#include "stats.h"
#include "text.h"
#include "time_parse.h"

namespace aisle {
namespace {

using nlohmann::json;
constexpr uint32_t kNone = 0;  // interned "": no value
constexpr const char* kExposure = "aisle_exposure";
constexpr int64_t kDayMs = 86400000;
constexpr uint32_t kMaxPosition = 24;      // list positions tallied; deeper ones count as the last
constexpr uint64_t kMinImpressions = 100;  // a slice needs this many for a verdict
constexpr uint64_t kMinRestImpressions = 30;  // a position's reference needs this many
constexpr int64_t kRepeatWindowDays = 28;
constexpr double kIgnored = 0.5;      // clicked at under this share of the others' rate: ignored
constexpr double kMinCoverage = 0.5;  // of a slice's impressions at positions others held
constexpr double kAlpha = 0.05;  // level of the never-clicked test, over all products     // the
                                 // rolling window of the repeat purchase rate

class Strings {
 public:
  Strings() { get(""); }
  uint32_t get(std::string_view s) {
    auto it = index_.find(std::string(s));
    if (it != index_.end()) return it->second;
    names_.emplace_back(s);
    return index_[names_.back()] = uint32_t(names_.size() - 1);
  }
  const std::string& name(uint32_t i) const { return names_[i]; }

 private:
  std::unordered_map<std::string, uint32_t> index_;
  std::vector<std::string> names_;
};

struct Line {                     // one item of an event
  uint32_t id, reason, position;  // position: the item's index in its list
  double price;
  int64_t quantity;
};

struct Ev {
  uint32_t session;
  int64_t ts;
  uint64_t order;  // position in the input: ties keep file order
  EventType type;
  bool exposure;
  uint32_t list, context, anchor, experiment, variant, currency, transaction;
  double value;
  uint32_t first, count;  // into lines
};

struct SessionInfo {
  uint32_t visitor = kNone;
  int64_t start = INT64_MAX;
  uint32_t source = kNone, medium = kNone, referrer = kNone;
};

using Money = std::map<std::string, double>;  // by currency

// Impressions and clicks by list position.
struct Positions {
  std::vector<std::pair<uint64_t, uint64_t>> at;
  void count(uint32_t position, bool click) {
    if (at.size() <= position) at.resize(position + 1);
    (click ? at[position].second : at[position].first) += 1;
  }
  uint64_t impressions(size_t p) const { return p < at.size() ? at[p].first : 0; }
  uint64_t clicks(size_t p) const { return p < at.size() ? at[p].second : 0; }
};

// What the recommendations did in one slice (a placement, a context flag, a reason code).
struct ListTally {
  uint64_t lists = 0, impressions = 0, clicks = 0, adds = 0;
  Money revenue;  // click-through attributed
  Positions positions;
};

// What the recommendations did with one product.
struct ItemTally {
  uint64_t impressions = 0, clicks = 0, orders = 0;  // orders: click-through purchase lines
  Money revenue;                                     // click-through attributed
  Positions positions;
  std::map<uint32_t, uint64_t> reasons;  // impressions by reason
};

// A slice's clicks against those the other slices' CTR at the same positions predicts;
// `coverage` is the share of its impressions at positions the others held often enough.
struct AtSamePositions {
  Ratio r;
  double coverage = 0;
};
AtSamePositions at_same_positions(const Positions& slice, const Positions& all) {
  uint64_t observed = 0, covered = 0, total = 0;
  double expected = 0;
  for (size_t p = 0; p < slice.at.size(); ++p) {
    const uint64_t imp = slice.impressions(p);
    total += imp;
    const uint64_t rest = all.impressions(p) - imp;
    if (imp == 0 || rest < kMinRestImpressions) continue;
    covered += imp;
    observed += slice.clicks(p);
    expected += double(imp) * double(all.clicks(p) - slice.clicks(p)) / double(rest);
  }
  AtSamePositions out;
  out.r = observed_vs_expected(observed, expected);
  out.coverage = total ? double(covered) / double(total) : 0;
  return out;
}

// Sessions and their outcomes in one slice (everything, a traffic class, a week, an arm).
struct Group {
  uint64_t sessions = 0, converted = 0, orders = 0, lists = 0, impressions = 0, clicks = 0;
  uint64_t adds_click = 0, adds_view = 0;
  int64_t first = INT64_MAX, last = INT64_MIN;    // session starts
  std::unordered_map<uint32_t, uint32_t> buyers;  // visitor -> sessions with a purchase (0: none)
  Money revenue, attributed_click, attributed_view;
  std::map<std::string, uint64_t> orders_by_currency;
  bool keep_samples = false;  // experiment arms: per-session revenue and order values
  std::vector<std::map<uint32_t, double>> session_revenue;
  std::vector<double> session_orders;
  std::vector<std::pair<uint32_t, double>> order_values;
};

// One session's outcome, added to every group it belongs to.
struct SessionOutcome {
  uint32_t visitor = kNone;
  int64_t start = 0;
  bool converted = false;
  uint64_t orders = 0, lists = 0, impressions = 0, clicks = 0, adds_click = 0, adds_view = 0;
  std::map<uint32_t, double> revenue, attributed_click, attributed_view;
  std::vector<std::pair<uint32_t, double>> order_values;
};

// An experiment's sessions by arm: overall, by week, by segment (traffic class, visitor type).
struct ExperimentGroups {
  std::map<std::string, Group> arms;
  std::map<int64_t, std::map<std::string, Group>> weeks;
  std::map<std::string, std::map<std::string, Group>> segments;
};

struct Shown {
  uint32_t list = kNone, reason = kNone, context = kNone, anchor = kNone, position = 0;
  bool clicked = false;
};

double share(double a, double b) {
  return b > 0 ? a / b : 0;
}
json rate(double a, double b) {
  return b > 0 ? json(a / b) : json(nullptr);
}

std::vector<std::string_view> split_list(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const size_t comma = s.find(',');
    out.push_back(trim(s.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

std::string day_of(int64_t ms) {
  return format_time_iso(ms).substr(0, 10);
}

int64_t week_start_ms(int64_t ms) {  // the Monday 00:00 UTC of the week
  const int64_t day = ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
  const int64_t monday = day - ((day % 7 + 7 + 3) % 7);  // 1970-01-01 was a Thursday
  return monday * 86400000;
}

class Builder {
 public:
  Builder(const ReportOptions& o, Diagnostics& diag) : o_(o), diag_(diag) {}

  json run() {
    for (const std::string& file : o_.event_files) read(file);
    std::stable_sort(events_.begin(), events_.end(), [](const Ev& a, const Ev& b) {
      return a.session != b.session ? a.session < b.session : a.ts < b.ts;
    });
    // A session is a returning visitor's when the same visitor had an earlier one.
    std::unordered_map<uint32_t, uint32_t> first_session;
    for (uint32_t s = 0; s < sessions_.size(); ++s) {
      auto [it, fresh] = first_session.emplace(sessions_[s].visitor, s);
      if (!fresh && sessions_[s].start < sessions_[it->second].start) it->second = s;
    }
    for (size_t i = 0; i < events_.size();) {
      size_t j = i;
      while (j < events_.size() && events_[j].session == events_[i].session) ++j;
      const uint32_t s = events_[i].session;
      session(i, j, first_session[sessions_[s].visitor] == s);
      i = j;
    }
    return assemble();
  }

 private:
  void read(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(Location{file, 0, ""}, "cannot open the events file");
    EventStats stats;
    std::unordered_map<std::string, uint32_t> session_index;
    read_events(
        in, file, "ga4", diag_, &stats,
        [&](const RawEvent& e) {
          const bool exposure = e.other && e.name == kExposure;
          if (e.other && !exposure) return;
          if (e.ts_ms < o_.from_ms || e.ts_ms >= o_.to_ms) {
            ++(e.ts_ms < o_.from_ms ? before_ : after_);
            return;
          }
          const std::string key = std::string(e.visitor) + '\x1f' + std::string(e.session);
          auto [it, fresh] = session_index.emplace(key, uint32_t(sessions_.size()));
          if (fresh) sessions_.emplace_back();
          SessionInfo& si = sessions_[it->second];
          si.visitor = strings_.get(e.visitor.empty() ? e.session : e.visitor);
          si.start = std::min(si.start, e.ts_ms);
          if (si.source == kNone && si.medium == kNone && si.referrer == kNone) {
            si.source = strings_.get(e.source);
            si.medium = strings_.get(e.medium);
            si.referrer = strings_.get(e.referrer);
          }
          Ev ev{};
          ev.session = it->second;
          ev.ts = e.ts_ms;
          ev.order = events_.size();
          ev.type = e.type;
          ev.exposure = exposure;
          ev.list = strings_.get(e.list_id);
          ev.context = strings_.get(e.context);
          ev.anchor = strings_.get(e.anchor);
          ev.experiment = strings_.get(e.experiment);
          ev.variant = strings_.get(e.variant);
          ev.currency = strings_.get(e.currency);
          ev.transaction = strings_.get(e.transaction_id);
          ev.value = std::isfinite(e.value) ? e.value : 0;
          ev.first = uint32_t(lines_.size());
          for (size_t k = 0; k < e.item_count; ++k) {
            const RawItem& it2 = e.items[k];
            if (ev.list == kNone && !it2.list_id.empty()) ev.list = strings_.get(it2.list_id);
            const int64_t position = it2.index >= 0 ? it2.index : int64_t(k);
            lines_.push_back(Line{strings_.get(it2.id), strings_.get(it2.reason),
                                  uint32_t(std::min<int64_t>(position, kMaxPosition)),
                                  std::isfinite(it2.price) ? it2.price : 0, it2.quantity});
          }
          ev.count = uint32_t(lines_.size() - ev.first);
          events_.push_back(ev);
        },
        nullptr, /*deliver_other=*/true);
    input_["files"].push_back({{"file", file},
                               {"lines", stats.lines},
                               {"events", stats.events},
                               {"malformed", stats.malformed},
                               {"ignored", stats.ignored}});
    malformed_ += stats.malformed;
  }

  bool aisle_list(uint32_t list) const { return starts_with(strings_.name(list), "aisle_"); }

  // The context flags of a list ("none" when nothing was detected).
  std::vector<uint32_t> flags(uint32_t context) {
    std::vector<uint32_t> out;
    for (std::string_view f : split_list(strings_.name(context))) {
      if (!f.empty()) out.push_back(strings_.get(f));
    }
    if (out.empty()) out.push_back(strings_.get("none"));
    return out;
  }

  template <typename F>
  void each_slice(const Shown& s, F&& f) {
    f(placements_[strings_.name(s.list)]);
    f(reasons_[strings_.name(s.reason == kNone ? strings_.get("(none)") : s.reason)]);
    for (uint32_t c : flags(s.context)) f(contexts_[strings_.name(c)]);
  }

  // An impression or a click of `item`, in its slices, its product's tally and by position.
  void tally(const Shown& s, uint32_t item, bool click) {
    each_slice(s, [&](ListTally& t) {
      ++(click ? t.clicks : t.impressions);
      t.positions.count(s.position, click);
    });
    ItemTally& it = items_[item];
    ++(click ? it.clicks : it.impressions);
    it.positions.count(s.position, click);
    if (!click) ++it.reasons[s.reason];
    positions_.count(s.position, click);
  }

  void session(size_t begin, size_t end, bool new_visitor) {
    const SessionInfo& si = sessions_[events_[begin].session];
    SessionOutcome out;
    out.visitor = si.visitor;
    out.start = si.start;
    std::unordered_map<uint32_t, Shown> shown;
    std::vector<std::pair<uint32_t, uint32_t>> arms;  // experiment, variant
    for (size_t i = begin; i < end; ++i) {
      const Ev& e = events_[i];
      // The experiment arms the loader named.
      const auto exps = split_list(strings_.name(e.experiment));
      const auto vars = split_list(strings_.name(e.variant));
      for (size_t k = 0; k < exps.size() && k < vars.size(); ++k) {
        if (exps[k].empty() || vars[k].empty()) continue;
        const uint32_t x = strings_.get(exps[k]), v = strings_.get(vars[k]);
        auto it = std::find_if(arms.begin(), arms.end(), [&](auto& a) { return a.first == x; });
        if (it == arms.end())
          arms.emplace_back(x, v);
        else if (it->second != v)
          ++conflicting_arms_;
      }
      if (e.exposure) continue;
      const Line* lines = lines_.data() + e.first;
      switch (e.type) {
        case EventType::kViewItemList:
          if (!aisle_list(e.list)) break;
          ++out.lists;
          ++placements_[strings_.name(e.list)].lists;
          for (uint32_t k = 0; k < e.count; ++k) {
            Shown& s = shown[lines[k].id];
            const bool clicked = s.clicked;
            s = Shown{e.list, lines[k].reason, e.context, e.anchor, lines[k].position, clicked};
            ++out.impressions;
            tally(s, lines[k].id, false);
          }
          break;
        case EventType::kSelectItem:
          if (!aisle_list(e.list)) break;
          for (uint32_t k = 0; k < e.count; ++k) {
            Shown& s = shown[lines[k].id];
            if (s.list == kNone)
              s = Shown{e.list, lines[k].reason, e.context, e.anchor, lines[k].position, false};
            s.clicked = true;
            ++out.clicks;
            tally(s, lines[k].id, true);
          }
          break;
        case EventType::kAddToCart:
          for (uint32_t k = 0; k < e.count; ++k) {
            auto it = shown.find(lines[k].id);
            if (it == shown.end()) continue;
            if (it->second.clicked) {
              ++out.adds_click;
              each_slice(it->second, [](ListTally& t) { ++t.adds; });
            } else {
              ++out.adds_view;
            }
          }
          break;
        case EventType::kPurchase: {
          if (e.transaction != kNone && !transactions_.insert(e.transaction).second) {
            ++duplicate_orders_;
            break;
          }
          double lines_total = 0;
          for (uint32_t k = 0; k < e.count; ++k)
            lines_total += lines[k].price * double(lines[k].quantity);
          const double value = e.value > 0 ? e.value : lines_total;
          if (!(value > 0)) ++valueless_orders_;
          if (e.currency == kNone) ++orders_without_currency_;
          const uint32_t cur = e.currency != kNone ? e.currency : strings_.get("(none)");
          out.converted = true;
          ++out.orders;
          out.revenue[cur] += value;
          out.order_values.emplace_back(cur, value);
          for (uint32_t k = 0; k < e.count; ++k) {
            auto it = shown.find(lines[k].id);
            if (it == shown.end()) continue;
            const double line = lines[k].price * double(lines[k].quantity);
            const std::string& c = strings_.name(cur);
            if (it->second.clicked) {
              out.attributed_click[cur] += line;
              each_slice(it->second, [&](ListTally& t) { t.revenue[c] += line; });
              ItemTally& item = items_[lines[k].id];
              ++item.orders;
              item.revenue[c] += line;
            } else {
              out.attributed_view[cur] += line;
            }
            if (it->second.anchor != kNone) {  // viewed A -> recommended B -> bought B
              auto& p = paths_[{it->second.anchor, lines[k].id}];
              p.first += 1;
              p.second[c] += line;
            }
          }
          break;
        }
        default:
          break;
      }
    }
    if (out.converted) purchase_sessions_.emplace_back(si.visitor, si.start);
    const std::string traffic = traffic_class_name(classify_traffic(
        strings_.name(si.source), strings_.name(si.medium), strings_.name(si.referrer)));
    const std::string visitor_type = new_visitor ? "new" : "returning";
    const int64_t week = week_start_ms(si.start);
    add(out, &overall_);
    add(out, &traffic_[traffic]);
    add(out, &visitor_type_[visitor_type]);
    add(out, &weeks_[week]);
    for (auto [x, v] : arms) {
      const std::string& variant = strings_.name(v);
      ExperimentGroups& e = experiments_[strings_.name(x)];
      for (Group* g :
           {&e.arms[variant], &e.weeks[week][variant], &e.segments["traffic: " + traffic][variant],
            &e.segments["visitors: " + visitor_type][variant]}) {
        g->keep_samples = true;
        add(out, g);
      }
    }
  }

  void add(const SessionOutcome& s, Group* g) {
    ++g->sessions;
    g->converted += s.converted;
    g->orders += s.orders;
    g->lists += s.lists;
    g->impressions += s.impressions;
    g->clicks += s.clicks;
    g->adds_click += s.adds_click;
    g->adds_view += s.adds_view;
    g->first = std::min(g->first, s.start);
    g->last = std::max(g->last, s.start);
    g->buyers[s.visitor] += s.converted;
    for (auto [c, v] : s.revenue) g->revenue[strings_.name(c)] += v;
    for (auto [c, v] : s.attributed_click) g->attributed_click[strings_.name(c)] += v;
    for (auto [c, v] : s.attributed_view) g->attributed_view[strings_.name(c)] += v;
    for (auto [c, v] : s.order_values) ++g->orders_by_currency[strings_.name(c)];
    if (g->keep_samples) {
      g->session_revenue.push_back(s.revenue);
      g->session_orders.push_back(double(s.orders));
      g->order_values.insert(g->order_values.end(), s.order_values.begin(), s.order_values.end());
    }
  }

  json money(const Money& m, double divide_by = 1) const {
    json out = json::object();
    for (const auto& [c, v] : m) out[c] = divide_by > 0 ? v / divide_by : 0.0;
    return out;
  }

  json metrics(const Group& g) const {
    uint64_t buyers = 0, repeat = 0;
    for (auto [v, n] : g.buyers) {
      buyers += n > 0;
      repeat += n > 1;
    }
    json share_click = json::object(), aov = json::object();
    for (const auto& [c, v] : g.revenue) {
      const auto it = g.attributed_click.find(c);
      share_click[c] = share(it == g.attributed_click.end() ? 0 : it->second, v);
      const auto orders = g.orders_by_currency.find(c);
      aov[c] = orders == g.orders_by_currency.end() ? 0.0 : share(v, double(orders->second));
    }
    json out = {{"sessions", g.sessions},
                {"visitors", g.buyers.size()},
                {"orders", g.orders},
                {"converted_sessions", g.converted},
                {"conversion_rate", rate(double(g.converted), double(g.sessions))},
                {"revenue", money(g.revenue)},
                {"aov", aov},
                {"revenue_per_session", money(g.revenue, double(g.sessions))},
                {"repeat_purchase_rate", rate(double(repeat), double(buyers))},
                {"recommendations",
                 {{"lists", g.lists},
                  {"impressions", g.impressions},
                  {"clicks", g.clicks},
                  {"ctr", rate(double(g.clicks), double(g.impressions))},
                  {"adds_click_through", g.adds_click},
                  {"adds_view_through", g.adds_view},
                  {"revenue_click_through", money(g.attributed_click)},
                  {"revenue_view_through", money(g.attributed_view)},
                  {"share_of_revenue_click_through", share_click}}}};
    return out;
  }

  // A slice against the others at the same list positions (never the raw CTR, which
  // rewards slices that sit at the top of lists): ignored when clicked at under half their
  // rate with 95% confidence; "cannot tell" when most of its impressions were at positions
  // the others seldom held.
  json list_metrics(const std::map<std::string, ListTally>& slices) const {
    json out = json::array();
    for (const auto& [name, t] : slices) {
      const AtSamePositions same = at_same_positions(t.positions, positions_);
      const char* verdict = t.impressions == 0                ? "no impressions"
                            : t.impressions < kMinImpressions ? "too few impressions"
                            : slices.size() < 2               ? "nothing to compare with"
                            : same.coverage < kMinCoverage || !same.r.valid ? "cannot tell"
                            : same.r.hi < 1 && same.r.ratio < kIgnored      ? "ignored"
                                                                            : "working";
      json by_position = json::array();
      for (const auto& [imp, clk] : t.positions.at) by_position.push_back({imp, clk});
      out.push_back({{"name", name},
                     {"lists", t.lists},
                     {"impressions", t.impressions},
                     {"clicks", t.clicks},
                     {"ctr", rate(double(t.clicks), double(t.impressions))},
                     {"adds", t.adds},
                     {"revenue_click_through", money(t.revenue)},
                     {"by_position", by_position},
                     {"vs_same_positions",
                      {{"clicks", same.r.observed},
                       {"expected_clicks", same.r.expected},
                       {"ratio", same.r.valid ? json(same.r.ratio) : json(nullptr)},
                       {"ci95", {same.r.lo, same.r.hi}},
                       {"coverage", same.coverage}}},
                     {"verdict", verdict}});
    }
    std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
      return a["impressions"].get<uint64_t>() > b["impressions"].get<uint64_t>();
    });
    return out;
  }

  std::vector<double> samples_in(const Group& g, uint32_t cur, bool orders) const {
    std::vector<double> v;
    if (orders) {
      for (auto [c, x] : g.order_values)
        if (c == cur) v.push_back(x);
    } else {
      for (const auto& m : g.session_revenue) {
        auto it = m.find(cur);
        v.push_back(it == m.end() ? 0 : it->second);
      }
    }
    return v;
  }

  static json comparison(const Comparison& c, bool relative_interval) {
    json j = {{"control", c.control},
              {"variant", c.variant},
              {"difference", c.diff},
              {"ci95", {c.diff_lo, c.diff_hi}},
              {"relative", c.relative},
              {"p_value", c.p_value},
              {"significant", c.valid && c.p_value < 0.05}};
    if (relative_interval) j["relative_ci95"] = {c.relative_lo, c.relative_hi};
    if (!c.valid) j["note"] = "not enough data for the test";
    return j;
  }

  // The merchant's name of an experiment or variant id, when the rules gave it.
  const std::string& named(const std::string& id) const {
    const auto n = o_.names.find(id);
    return n == o_.names.end() || n->second.empty() ? id : n->second;
  }

  static json scaled(const Comparison& m, double n) {
    json j = comparison(m, false);
    j["total"] = m.diff * n;
    j["total_ci95"] = {m.diff_lo * n, m.diff_hi * n};
    return j;
  }

  // What the variant's sessions earned beyond what the control's sessions predict: the
  // difference of revenue per session (Welch, as the comparisons) times the variant's
  // sessions, per currency; orders the same way.
  json incremental(const Group& c, const Group& g) {
    std::set<std::string> currencies;
    for (const auto& [cur, v] : c.revenue) currencies.insert(cur);
    for (const auto& [cur, v] : g.revenue) currencies.insert(cur);
    const double n = double(g.sessions);
    json revenue = json::object();
    for (const std::string& cur : currencies) {
      const uint32_t id = strings_.get(cur);
      revenue[cur] = scaled(compare_means(samples_in(c, id, false), samples_in(g, id, false)), n);
    }
    return {{"sessions", g.sessions},
            {"revenue", revenue},
            {"orders", scaled(compare_means(c.session_orders, g.session_orders), n)},
            {"revenue_click_through", money(g.attributed_click)}};
  }

  // The variant against the control in each segment: where the holdout wins.
  json by_segment(ExperimentGroups& e, const std::string& control, const std::string& variant,
                  uint32_t cur) const {
    json out = json::array();
    for (auto& [segment, arms] : e.segments) {
      if (!arms.count(control) || !arms.count(variant)) continue;
      const Group &c = arms[control], &g = arms[variant];
      out.push_back(
          {{"name", segment},
           {"sessions", {{"control", c.sessions}, {"variant", g.sessions}}},
           {"conversion_rate",
            comparison(compare_rates(c.converted, c.sessions, g.converted, g.sessions), true)},
           {"revenue_per_session",
            comparison(compare_means(samples_in(c, cur, false), samples_in(g, cur, false)),
                       false)}});
    }
    return out;
  }

  json experiment(const std::string& name, ExperimentGroups& groups,
                  const std::string& main_currency, json* warnings) {
    std::map<std::string, Group>& arms = groups.arms;
    std::string control = arms.count(kHoldoutVariant) ? kHoldoutVariant : arms.begin()->first;
    json out = {{"name", named(name)},
                {"id", name},
                {"control", named(control)},
                {"arms", json::array()},
                {"comparisons", json::array()}};
    for (const auto& [v, g] : arms) {
      json m = metrics(g);
      m["name"] = named(v);
      out["arms"].push_back(m);
    }
    const Group& c = arms[control];
    const uint32_t cur = strings_.get(main_currency);
    const int64_t days =
        (std::max_element(arms.begin(), arms.end(),
                          [](auto& a, auto& b) { return a.second.last < b.second.last; })
             ->second.last -
         std::min_element(arms.begin(), arms.end(),
                          [](auto& a, auto& b) { return a.second.first < b.second.first; })
             ->second.first) /
            86400000 +
        1;
    out["days"] = days;
    for (const auto& [v, g] : arms) {
      if (v == control) continue;
      json cmp = {{"variant", named(v)}, {"against", named(control)}, {"currency", main_currency}};
      const Comparison cvr = compare_rates(c.converted, c.sessions, g.converted, g.sessions);
      cmp["conversion_rate"] = comparison(cvr, true);
      cmp["revenue_per_session"] =
          comparison(compare_means(samples_in(c, cur, false), samples_in(g, cur, false)), false);
      cmp["aov"] =
          comparison(compare_means(samples_in(c, cur, true), samples_in(g, cur, true)), false);
      cmp["incremental"] = incremental(c, g);
      cmp["weekly"] = json::array();
      for (auto& [week, by_arm] : groups.weeks) {
        if (!by_arm.count(control) || !by_arm.count(v)) continue;
        json w = incremental(by_arm[control], by_arm[v]);
        w["week_of"] = day_of(week);
        cmp["weekly"].push_back(w);
      }
      cmp["segments"] = by_segment(groups, control, v, cur);
      const auto configured = o_.experiment_min_effect.find(name);
      const double min_effect =
          configured != o_.experiment_min_effect.end() ? configured->second : o_.min_effect;
      const uint64_t needed = sample_needed(cvr.control, min_effect);
      const uint64_t smallest = std::min(c.sessions, g.sessions);
      cmp["sample"] = {{"minimum_effect", min_effect},
                       {"sessions_needed_per_arm", needed},
                       {"smallest_arm", smallest},
                       {"enough", needed > 0 && smallest >= needed}};
      json notes = json::array();
      if (needed == 0 || smallest < needed) {
        char effect[32];
        std::snprintf(effect, sizeof effect, "%g", min_effect * 100);  // 5, 2.5
        notes.push_back("too few sessions to detect a " + std::string(effect) +
                        "% change in conversion: " +
                        (needed ? std::to_string(needed) : std::string("an unknown number of")) +
                        " per arm are needed, the smallest arm has " + std::to_string(smallest) +
                        " -- one week of gains is not proof");
      }
      if (days < 14) {
        notes.push_back("ran " + std::to_string(days) +
                        " days: weekly cycles need at least two full weeks before a decision");
      }
      for (const auto& n : notes)
        warnings->push_back(name + " (" + v + "): " + n.get<std::string>());
      cmp["warnings"] = notes;
      out["comparisons"].push_back(cmp);
    }
    return out;
  }

  const std::string& title_of(const std::string& id) const {
    static const std::string kUnknown;
    const auto it = o_.titles.find(id);
    return it == o_.titles.end() ? kUnknown : it->second;
  }
  bool same_product(const std::string& a, const std::string& b) const {
    const auto x = o_.groups.find(a), y = o_.groups.find(b);
    return x != o_.groups.end() && y != o_.groups.end() && !x->second.empty() &&
           x->second == y->second;
  }

  json product(uint32_t id, const ItemTally& t) const {
    const std::string& name = strings_.name(id);
    return {{"id", name},
            {"title", title_of(name)},
            {"impressions", t.impressions},
            {"clicks", t.clicks},
            {"ctr", rate(double(t.clicks), double(t.impressions))},
            {"orders", t.orders},
            {"revenue_click_through", money(t.revenue)}};
  }

  // Top products by the click-through revenue they earned (main currency), and products
  // shown often but never clicked: those whose impressions, at the positions they had,
  // predicted so many clicks that none at all has a chance under 5% / (products shown)
  // -- a Poisson bound with Bonferroni's correction, so no product is listed by chance.
  json products(const std::string& main_currency) {
    std::vector<std::pair<uint32_t, const ItemTally*>> all;
    for (const auto& [id, t] : items_) all.emplace_back(id, &t);
    auto earned = [&](const ItemTally* t) {
      const auto it = t->revenue.find(main_currency);
      return it == t->revenue.end() ? 0.0 : it->second;
    };
    std::sort(all.begin(), all.end(), [&](const auto& a, const auto& b) {
      const double x = earned(a.second), y = earned(b.second);
      return x != y                                 ? x > y
             : a.second->orders != b.second->orders ? a.second->orders > b.second->orders
                                                    : a.first < b.first;
    });
    json top = json::array(), never = json::array();
    for (size_t i = 0; i < all.size() && top.size() < o_.top_products; ++i)
      if (all[i].second->orders > 0) top.push_back(product(all[i].first, *all[i].second));
    const double threshold = std::log(double(std::max<size_t>(1, all.size())) / kAlpha);
    std::vector<std::tuple<uint64_t, uint32_t, double>> flagged;  // impressions, id, expected
    for (const auto& [id, t] : all) {
      if (t->clicks > 0) continue;
      double expected = 0;
      for (size_t p = 0; p < t->positions.at.size(); ++p) {
        if (positions_.impressions(p) > 0)
          expected += double(t->positions.impressions(p)) * double(positions_.clicks(p)) /
                      double(positions_.impressions(p));
      }
      if (expected >= threshold) flagged.emplace_back(t->impressions, id, expected);
    }
    std::sort(flagged.begin(), flagged.end(), std::greater<>());
    for (size_t i = 0; i < flagged.size() && i < o_.top_products; ++i) {
      const auto [imp, id, expected] = flagged[i];
      const ItemTally& t = items_.at(id);
      const auto reason = std::max_element(t.reasons.begin(), t.reasons.end(),
                                           [](auto& a, auto& b) { return a.second < b.second; });
      json p = product(id, t);
      p["expected_clicks"] = expected;
      p["reason"] = reason == t.reasons.end() ? "" : strings_.name(reason->first);
      never.push_back(p);
    }
    return {{"top_by_revenue", top},
            {"never_clicked", never},
            {"never_clicked_count", flagged.size()},
            {"shown", all.size()},
            {"never_clicked_min_expected", threshold}};
  }

  json paths() const {
    std::vector<std::pair<std::pair<uint32_t, uint32_t>, std::pair<uint64_t, Money>>> sorted(
        paths_.begin(), paths_.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
      return a.second.first != b.second.first ? a.second.first > b.second.first : a.first < b.first;
    });
    json out = json::array();
    uint64_t swaps = 0;
    for (const auto& [ab, n] : sorted) {
      const std::string &viewed = strings_.name(ab.first), &bought = strings_.name(ab.second);
      if (same_product(viewed, bought)) {  // a colour swap of one product is no path
        swaps += n.first;
        continue;
      }
      if (out.size() >= o_.top_paths) continue;
      out.push_back({{"viewed", viewed},
                     {"viewed_title", title_of(viewed)},
                     {"bought", bought},
                     {"bought_title", title_of(bought)},
                     {"orders", n.first},
                     {"revenue", money(n.second)}});
    }
    return {{"top", out}, {"variant_swaps", swaps}, {"catalog", !o_.groups.empty()}};
  }

  // Visitors with orders in 2+ sessions among those with an order, over the window of
  // kRepeatWindowDays ending at `end`; null when the period does not cover the window.
  json rolling_repeat(int64_t end, int64_t first_day) const {
    const int64_t begin = end - kRepeatWindowDays * kDayMs;
    if (begin < first_day) return nullptr;
    std::unordered_map<uint32_t, uint32_t> sessions;
    for (auto [visitor, start] : purchase_sessions_)
      if (start >= begin && start < end) ++sessions[visitor];
    uint64_t repeat = 0;
    for (auto [v, n] : sessions) repeat += n > 1;
    return rate(double(repeat), double(sessions.size()));
  }

  // Every headline figure against the previous week: relative changes (incremental revenue,
  // a difference that can change sign: its absolute change).
  static json relative_change(const json& before, const json& now) {
    if (before.is_number() && now.is_number()) {
      const double b = before.get<double>();
      return b != 0 ? json(now.get<double>() / b - 1) : json(nullptr);
    }
    json out = json::object();
    if (!before.is_object() || !now.is_object()) return out;
    // Money by currency: a currency one week lacks had nothing in it that week.
    for (const json* keys : {&before, &now}) {
      for (const auto& [k, v] : keys->items()) {
        out[k] = relative_change(before.contains(k) ? before[k] : json(0.0),
                                 now.contains(k) ? now[k] : json(0.0));
      }
    }
    return out;
  }
  static json week_over_week(const json& before, const json& now) {
    json out;
    for (const char* k :
         {"sessions", "orders", "conversion_rate", "revenue", "revenue_per_session", "aov"})
      out[k] = relative_change(before[k], now[k]);
    for (const char* k : {"ctr", "revenue_click_through"})
      out[k] = relative_change(before["recommendations"][k], now["recommendations"][k]);
    if (before.contains("incremental_revenue") && now.contains("incremental_revenue")) {
      json d = json::object();
      for (const auto& [c, v] : now["incremental_revenue"].items())
        if (before["incremental_revenue"].contains(c))
          d[c] = v.get<double>() - before["incremental_revenue"][c].get<double>();
      out["incremental_revenue_difference"] = d;
    }
    return out;
  }

  // Weeks (Monday to Sunday, UTC) with the days of each in the period, the headline
  // experiment's incremental revenue, the rolling repeat rate and the change on the week before.
  json weekly(const json& headline) const {
    json out = json::array();
    if (overall_.sessions == 0) return out;
    const int64_t first_day = overall_.first - (overall_.first % kDayMs + kDayMs) % kDayMs;
    const int64_t end_day = overall_.last - (overall_.last % kDayMs + kDayMs) % kDayMs + kDayMs;
    for (const auto& [week, g] : weeks_) {
      json w = metrics(g);
      w["week_of"] = day_of(week);
      w["days"] = (std::min(week + 7 * kDayMs, end_day) - std::max(week, first_day)) / kDayMs;
      w.erase("repeat_purchase_rate");  // a week is too short for a second purchase
      w["repeat_purchase_rate_28d"] = rolling_repeat(week + 7 * kDayMs, first_day);
      if (headline.is_object()) {
        for (const auto& x : headline["weekly"]) {
          if (x["week_of"] != w["week_of"]) continue;
          json inc = json::object(), ci = json::object();
          for (const auto& [c, m] : x["revenue"].items()) {
            inc[c] = m["total"];
            ci[c] = m["total_ci95"];
          }
          w["incremental_revenue"] = inc;
          w["incremental_revenue_ci95"] = ci;
        }
      }
      // Only whole weeks are compared: a partial one is not like for like.
      if (!out.empty() && out.back()["days"] == 7 && w["days"] == 7)
        w["vs_previous_week"] = week_over_week(out.back(), w);
      out.push_back(w);
    }
    return out;
  }

  // The headline: each variant's incremental revenue and orders against its control, per
  // currency and per week, beside the click-through revenue (a different thing: revenue of
  // items bought after a click on them, some of which would have sold anyway).
  static json money_headline(const json& experiments, const json& overall) {
    json incremental = json::array();
    for (const auto& e : experiments) {
      for (const auto& c : e["comparisons"]) {
        json m = c["incremental"];
        m["experiment"] = e["name"];
        m["variant"] = c["variant"];
        m["against"] = c["against"];
        m["days"] = e["days"];
        json per_week = json::object();
        for (const auto& [cur, x] : m["revenue"].items())
          per_week[cur] = x["total"].get<double>() * 7 / e["days"].get<double>();
        m["revenue_per_week"] = per_week;
        incremental.push_back(m);
      }
    }
    return {{"incremental", incremental},
            {"revenue_click_through", overall["recommendations"]["revenue_click_through"]}};
  }

  // "1 order", "2 orders".
  static std::string counted(uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  }

  // Data problems, stated rather than hidden.
  void data_warnings(const json& report, json* warnings) const {
    auto say = [&](const std::string& s) { warnings->push_back(s); };
    if (malformed_ > 0) say(std::to_string(malformed_) + " malformed lines were skipped");
    if (conflicting_arms_ > 0)
      say(std::to_string(conflicting_arms_) +
          " events named another arm than earlier in their session: the first was kept");
    if (valueless_orders_ > 0)
      say(counted(valueless_orders_, "order", "orders") +
          " carried no value and no item prices: counted with revenue 0 -- "
          "check the purchase tag's value");
    if (orders_without_currency_ > 0)
      say(counted(orders_without_currency_, "order", "orders") +
          " carried no currency: their revenue is under (none), never added to another");
    if (overall_.revenue.size() > 1) {
      std::string list;
      for (const auto& [c, v] : overall_.revenue) list += (list.empty() ? "" : ", ") + c;
      say("revenue in " + std::to_string(overall_.revenue.size()) + " currencies (" + list +
          "): each figure is given per currency, never added; conversion, revenue per session "
          "and AOV tests use " +
          report["main_currency"].get<std::string>() + ", the one with the most revenue");
    }
    if (before_ + after_ > 0)
      say(counted(before_, "event", "events") + " before the first day (--from) and " +
          std::to_string(after_) + " after the last (--to) were left out");
    const json& weeks = report["weekly"];
    auto days = [](const json& w) { return counted(w["days"].get<uint64_t>(), "day", "days"); };
    if (!weeks.empty() && (weeks.front()["days"] < 7 || weeks.back()["days"] < 7))
      say("the first week has " + days(weeks.front()) + " in the period and the last " +
          days(weeks.back()) + ": a partial week gets no week-over-week change");
    if (overall_.sessions == 0) say("no sessions in the period");
  }

  json assemble() {
    json report;
    std::string main_currency;
    double most = -1;
    for (const auto& [c, v] : overall_.revenue) {
      if (v > most) most = v, main_currency = c;
    }
    json warnings = json::array();
    report["period"] =
        overall_.sessions
            ? json{{"first_session", format_time_iso(overall_.first)},
                   {"last_session", format_time_iso(overall_.last)},
                   {"days", (overall_.last - overall_.first) / kDayMs + 1}}
            : json{{"first_session", nullptr}, {"last_session", nullptr}, {"days", 0}};
    input_["malformed_lines"] = malformed_;
    input_["events_outside_period"] = before_ + after_;
    input_["events_before_period"] = before_;
    input_["events_after_period"] = after_;
    input_["duplicate_orders"] = duplicate_orders_;
    input_["conflicting_arms"] = conflicting_arms_;
    input_["orders_without_value"] = valueless_orders_;
    input_["orders_without_currency"] = orders_without_currency_;
    report["input"] = input_;
    report["main_currency"] = main_currency;
    report["overall"] = metrics(overall_);
    report["overall"]["repeat_window_days"] = report["period"]["days"];
    report["experiments"] = json::array();
    for (auto& [name, groups] : experiments_)
      report["experiments"].push_back(experiment(name, groups, main_currency, &warnings));
    report["money"] = money_headline(report["experiments"], report["overall"]);
    auto groups = [&](const std::map<std::string, Group>& m) {
      json out = json::array();
      for (const auto& [name, g] : m) {
        json x = metrics(g);
        x["name"] = name;
        out.push_back(x);
      }
      return out;
    };
    report["segments"] = {{"traffic", groups(traffic_)},
                          {"visitor_type", groups(visitor_type_)},
                          {"placement", list_metrics(placements_)},
                          {"context", list_metrics(contexts_)},
                          {"reason", list_metrics(reasons_)}};
    report["products"] = products(main_currency);
    const json p = paths();
    report["paths"] = p["top"];
    report["paths_variant_swaps"] = p["variant_swaps"];
    report["paths_catalog"] = p["catalog"];
    const json& first = report["experiments"];
    report["weekly"] =
        weekly(!first.empty() && !first[0]["comparisons"].empty() ? first[0]["comparisons"][0]
                                                                  : json(nullptr));
    data_warnings(report, &warnings);
    report["warnings"] = warnings;
    add_suggestions(&report);
    return report;
  }

  const ReportOptions& o_;
  Diagnostics& diag_;
  Strings strings_;
  std::vector<SessionInfo> sessions_;
  std::vector<Ev> events_;
  std::vector<Line> lines_;
  std::set<uint32_t> transactions_;
  uint64_t malformed_ = 0, before_ = 0, after_ = 0, duplicate_orders_ = 0, conflicting_arms_ = 0;
  uint64_t valueless_orders_ = 0, orders_without_currency_ = 0;
  json input_ = {{"files", json::array()}};
  Group overall_;
  std::map<std::string, Group> traffic_, visitor_type_;
  std::map<int64_t, Group> weeks_;
  std::map<std::string, ExperimentGroups> experiments_;
  std::map<std::string, ListTally> placements_, contexts_, reasons_;
  std::unordered_map<uint32_t, ItemTally> items_;
  Positions positions_;                                          // every recommendation
  std::vector<std::pair<uint32_t, int64_t>> purchase_sessions_;  // visitor, session start
  std::map<std::pair<uint32_t, uint32_t>, std::pair<uint64_t, Money>> paths_;
};

}  // namespace

void name_experiments(const Rules& rules, ReportOptions* o) {
  for (const Experiment& e : rules.experiments) {
    o->experiment_min_effect[e.id] = e.minimum_effect;
    o->names[e.id] = e.name;
    for (const ExperimentVariant& v : e.variants) o->names[v.id] = v.name;
  }
}

json build_report(const ReportOptions& options, Diagnostics& diag) {
  return Builder(options, diag).run();
}

}  // namespace aisle
