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

struct Line {  // one item of an event
  uint32_t id, reason;
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

// What the recommendations did in one slice (a placement, a context flag, a reason code).
struct ListTally {
  uint64_t lists = 0, impressions = 0, clicks = 0, adds = 0;
  Money revenue;  // click-through attributed
};

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

struct Shown {
  uint32_t list = kNone, reason = kNone, context = kNone, anchor = kNone;
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
            ++outside_;
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
            lines_.push_back(Line{strings_.get(it2.id), strings_.get(it2.reason),
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
  void each_slice(const Shown& s, F f) {
    f(placements_[strings_.name(s.list)]);
    f(reasons_[strings_.name(s.reason == kNone ? strings_.get("(none)") : s.reason)]);
    for (uint32_t c : flags(s.context)) f(contexts_[strings_.name(c)]);
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
            s = Shown{e.list, lines[k].reason, e.context, e.anchor, clicked};
            ++out.impressions;
            each_slice(s, [](ListTally& t) { ++t.impressions; });
          }
          break;
        case EventType::kSelectItem:
          if (!aisle_list(e.list)) break;
          for (uint32_t k = 0; k < e.count; ++k) {
            Shown& s = shown[lines[k].id];
            if (s.list == kNone) s = Shown{e.list, lines[k].reason, e.context, e.anchor, false};
            s.clicked = true;
            ++out.clicks;
            each_slice(s, [](ListTally& t) { ++t.clicks; });
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
    add(out, &overall_);
    add(out, &traffic_[traffic_class_name(classify_traffic(
                 strings_.name(si.source), strings_.name(si.medium), strings_.name(si.referrer)))]);
    add(out, &visitor_type_[new_visitor ? "new" : "returning"]);
    add(out, &weeks_[week_start_ms(si.start)]);
    for (auto [x, v] : arms) {
      Group& g = experiments_[strings_.name(x)][strings_.name(v)];
      g.keep_samples = true;
      add(out, &g);
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

  json list_metrics(const std::map<std::string, ListTally>& slices, double overall_ctr) const {
    json out = json::array();
    for (const auto& [name, t] : slices) {
      const double ctr = share(double(t.clicks), double(t.impressions));
      // Ignored: shown often, clicked at under half the overall rate.
      const bool ignored = t.impressions >= 100 && ctr < 0.5 * overall_ctr;
      out.push_back({{"name", name},
                     {"lists", t.lists},
                     {"impressions", t.impressions},
                     {"clicks", t.clicks},
                     {"ctr", rate(double(t.clicks), double(t.impressions))},
                     {"adds", t.adds},
                     {"revenue_click_through", money(t.revenue)},
                     {"verdict", t.impressions == 0 ? "no impressions"
                                 : ignored          ? "ignored"
                                                    : "working"}});
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

  json experiment(const std::string& name, std::map<std::string, Group>& arms,
                  const std::string& main_currency, json* warnings) {
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
                   {"days", (overall_.last - overall_.first) / 86400000 + 1}}
            : json{{"first_session", nullptr}, {"last_session", nullptr}, {"days", 0}};
    input_["malformed_lines"] = malformed_;
    input_["events_outside_period"] = outside_;
    input_["duplicate_orders"] = duplicate_orders_;
    input_["conflicting_arms"] = conflicting_arms_;
    report["input"] = input_;
    report["main_currency"] = main_currency;
    report["overall"] = metrics(overall_);
    report["experiments"] = json::array();
    for (auto& [name, arms] : experiments_)
      report["experiments"].push_back(experiment(name, arms, main_currency, &warnings));
    const double ctr = share(double(overall_.clicks), double(overall_.impressions));
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
                          {"placement", list_metrics(placements_, ctr)},
                          {"context", list_metrics(contexts_, ctr)},
                          {"reason", list_metrics(reasons_, ctr)}};
    std::vector<std::pair<std::pair<uint32_t, uint32_t>, std::pair<uint64_t, Money>>> paths(
        paths_.begin(), paths_.end());
    std::sort(paths.begin(), paths.end(), [](const auto& a, const auto& b) {
      return a.second.first != b.second.first ? a.second.first > b.second.first : a.first < b.first;
    });
    report["paths"] = json::array();
    for (size_t i = 0; i < paths.size() && i < o_.top_paths; ++i) {
      report["paths"].push_back({{"viewed", strings_.name(paths[i].first.first)},
                                 {"bought", strings_.name(paths[i].first.second)},
                                 {"orders", paths[i].second.first},
                                 {"revenue", money(paths[i].second.second)}});
    }
    report["weekly"] = json::array();
    for (const auto& [week, g] : weeks_) {
      json w = metrics(g);
      w["week_of"] = day_of(week);
      report["weekly"].push_back(w);
    }
    if (malformed_ > 0)
      warnings.push_back(std::to_string(malformed_) + " malformed lines were skipped");
    if (conflicting_arms_ > 0) {
      warnings.push_back(
          std::to_string(conflicting_arms_) +
          " events named another arm than earlier in their session: the first was kept");
    }
    if (overall_.sessions == 0) warnings.push_back("no sessions in the period");
    report["warnings"] = warnings;
    return report;
  }

  const ReportOptions& o_;
  Diagnostics& diag_;
  Strings strings_;
  std::vector<SessionInfo> sessions_;
  std::vector<Ev> events_;
  std::vector<Line> lines_;
  std::set<uint32_t> transactions_;
  uint64_t malformed_ = 0, outside_ = 0, duplicate_orders_ = 0, conflicting_arms_ = 0;
  json input_ = {{"files", json::array()}};
  Group overall_;
  std::map<std::string, Group> traffic_, visitor_type_;
  std::map<int64_t, Group> weeks_;
  std::map<std::string, std::map<std::string, Group>> experiments_;
  std::map<std::string, ListTally> placements_, contexts_, reasons_;
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
