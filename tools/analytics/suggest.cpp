// The suggestions of `aisle report`: what to change this week, ranked by the money a week
// it is worth (main currency), each with its evidence, its uncertainty and the rule change
// it implies. A function of the report alone, so every suggestion can be traced to figures
// the report shows. docs/measurement.md, "Suggestions", defines each.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "report.h"
#include "text.h"

namespace aisle {
namespace {

using nlohmann::json;

constexpr double kAlpha = 0.05;        // every test's two-sided level
constexpr double kHoldoutAfter = 0.1;  // the holdout a proven engine keeps, to keep measuring
constexpr double kWeightCut = 0.5;     // the weight proposed for an ignored reason
constexpr double kDemoteFactor = 0.5;  // the boost factor proposed for never-clicked products
constexpr size_t kNamedProducts = 5;   // products a suggestion names

struct Suggestion {
  std::string kind, title, evidence, uncertainty, change;
  double impact = 0;  // a week, main currency; 0 when not in money
};

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}
std::string pct(double v) {
  return fixed(v * 100, 1) + "%";
}
std::string signed_amount(double v, const std::string& cur) {
  return (v >= 0 ? "+" : "") + format_money(v, cur);
}

// The week's share of a figure over the period.
double weekly(double total, double days) {
  return days > 0 ? total * 7 / days : 0;
}

// "aisle_product" -> "product", "visitors: new" -> "new_visitor", "traffic: email" -> "email".
std::string placement_of(const std::string& list) {
  return starts_with(list, "aisle_") ? list.substr(6) : list;
}
std::string segment_key(const std::string& segment) {
  if (segment == "visitors: new") return "new_visitor";
  if (segment == "visitors: returning") return "returning_visitor";
  return starts_with(segment, "traffic: ") ? segment.substr(9) : segment;
}

class Suggester {
 public:
  explicit Suggester(const json& r) : r_(r) {
    cur_ = r["main_currency"].get<std::string>();
    days_ = r["period"]["days"].get<double>();
    const json& rec = r["overall"]["recommendations"];
    const double revenue = value_in(rec["revenue_click_through"]);
    const double clicks = rec["clicks"].get<double>(),
                 impressions = rec["impressions"].get<double>();
    per_click_ = clicks > 0 ? revenue / clicks : 0;
    per_impression_ = impressions > 0 ? revenue / impressions : 0;
  }

  json run() {
    for (const auto& e : r_["experiments"]) {
      for (const auto& c : e["comparisons"]) {
        experiment(e, c);
        segments(e, c);
      }
    }
    slices(r_["segments"]["placement"], "placement");
    slices(r_["segments"]["reason"], "reason");
    never_clicked();
    std::stable_sort(out_.begin(), out_.end(),
                     [](const Suggestion& a, const Suggestion& b) { return a.impact > b.impact; });
    json list = json::array();
    for (const Suggestion& s : out_) {
      list.push_back({{"rank", list.size() + 1},
                      {"kind", s.kind},
                      {"title", s.title},
                      {"evidence", s.evidence},
                      {"uncertainty", s.uncertainty},
                      {"change", s.change},
                      {"impact_per_week", {{cur_, s.impact}}}});
    }
    return list;
  }
  const json& cannot_tell() const { return cannot_tell_; }

 private:
  double value_in(const json& m) const {
    return m.is_object() && m.contains(cur_) ? m[cur_].get<double>() : 0;
  }

  // The experiment's verdict on the engine: keep it and shrink the holdout, end a variant
  // that loses money, or keep running until the sample can tell.
  void experiment(const json& e, const json& c) {
    if (!c["incremental"]["revenue"].contains(cur_)) return;
    const json& inc = c["incremental"]["revenue"][cur_];
    const double days = e["days"].get<double>();
    const std::string name = e["name"].get<std::string>(),
                      variant = c["variant"].get<std::string>();
    const std::string interval = "95% interval " +
                                 signed_amount(inc["total_ci95"][0].get<double>(), cur_) + " to " +
                                 signed_amount(inc["total_ci95"][1].get<double>(), cur_);
    const std::string evidence =
        "incremental revenue of " + variant + " against " + c["against"].get<std::string>() + ": " +
        signed_amount(inc["total"], cur_) + " over " + fixed(days, 0) +
        " days (revenue per session " + signed_amount(inc["difference"], cur_) +
        ", p = " + fixed(inc["p_value"], 4) + ")";
    const double control_sessions = control_sessions_of(e, c);
    const double forgone = weekly(control_sessions * inc["difference"].get<double>(), days);
    if (inc["significant"].get<bool>() && inc["total"].get<double>() > 0) {
      out_.push_back(
          {"experiment", "Recommendations earn money: shrink the holdout of " + name, evidence,
           interval,
           "in the rules' experiment " + name + ", \"holdout\": {\"share\": " +
               fixed(kHoldoutAfter, 2) + "} and the variants' shares raised to add up to " +
               fixed(1 - kHoldoutAfter, 2) + " -- a small holdout keeps the measurement going",
           forgone * (1 - kHoldoutAfter / std::max(kHoldoutAfter, holdout_share(e, c)))});
    } else if (inc["significant"].get<bool>()) {
      out_.push_back({"experiment", "The holdout earns more than " + variant + " in " + name,
                      evidence, interval,
                      "remove the variant " + variant + " from the rules' experiment " + name +
                          " and review its rules",
                      -forgone});
    } else if (!c["sample"]["enough"].get<bool>()) {
      out_.push_back({"experiment", "Keep " + name + " running: it cannot tell yet", evidence,
                      interval + "; " +
                          std::to_string(c["sample"]["sessions_needed_per_arm"].get<uint64_t>()) +
                          " sessions per arm are needed, the smallest arm has " +
                          std::to_string(c["sample"]["smallest_arm"].get<uint64_t>()),
                      "none yet: no decision before the sample is reached", 0});
    }
  }
  static double control_sessions_of(const json& e, const json& c) {
    for (const auto& a : e["arms"])
      if (a["name"] == c["against"]) return a["sessions"].get<double>();
    return 0;
  }
  static double holdout_share(const json& e, const json& c) {
    double all = 0;
    for (const auto& a : e["arms"]) all += a["sessions"].get<double>();
    return all > 0 ? control_sessions_of(e, c) / all : 0;
  }

  // A segment whose shoppers do better in the holdout: revenue per session significantly
  // lower with the engine, at a level corrected for the number of segments (Bonferroni).
  void segments(const json& e, const json& c) {
    const json& segs = c["segments"];
    const double level = kAlpha / double(std::max<size_t>(1, segs.size()));
    for (const auto& s : segs) {
      const json& rps = s["revenue_per_session"];
      if (!rps["significant"].is_boolean() || rps.contains("note")) continue;
      if (!(rps["p_value"].get<double>() < level) || rps["difference"].get<double>() >= 0) continue;
      const std::string seg = s["name"].get<std::string>(), key = segment_key(seg);
      const double lost = -rps["difference"].get<double>() * s["sessions"]["variant"].get<double>();
      out_.push_back(
          {"segment", "The holdout wins for " + seg,
           "revenue per session " + format_money(rps["variant"], cur_) + " with " +
               c["variant"].get<std::string>() + " against " + format_money(rps["control"], cur_) +
               " in the holdout (p = " + fixed(rps["p_value"], 4) + ", below " + fixed(level, 4) +
               ", the 5% level shared by " + std::to_string(segs.size()) + " segments)",
           "95% interval of the difference per session " + signed_amount(rps["ci95"][0], cur_) +
               " to " + signed_amount(rps["ci95"][1], cur_),
           "\"segments\": {\"" + key +
               "\": {\"weights\": {\"category_best_seller\": 2, \"trending\": 2}}} -- what the "
               "holdout's best sellers offer -- tried as a variant of " +
               e["name"].get<std::string>(),
           weekly(lost, e["days"].get<double>())});
    }
  }

  // Placements and reasons clicked at under half the rate of the others at the same list
  // positions (the report's verdict), and those the data cannot judge.
  void slices(const json& rows, const std::string& what) {
    std::vector<std::string> unknown;
    for (const auto& row : rows) {
      const std::string name = row["name"].get<std::string>(),
                        verdict = row["verdict"].get<std::string>();
      if (verdict == "cannot tell") unknown.push_back(name);
      if (verdict != "ignored") continue;
      const json& v = row["vs_same_positions"];
      const double missing = v["expected_clicks"].get<double>() - v["clicks"].get<double>();
      out_.push_back(
          {what,
           (what == "reason" ? "Shoppers pass over \"" : "The ") + name +
               (what == "reason" ? "\" recommendations" : " list is passed over"),
           fixed(v["clicks"], 0) + " clicks on " +
               std::to_string(row["impressions"].get<uint64_t>()) +
               " impressions where the other " + what +
               "s' click-through at the same positions predicts " + fixed(v["expected_clicks"], 1) +
               ": " + pct(v["ratio"]) + " of it",
           "95% interval of that ratio " + pct(v["ci95"][0]) + " to " + pct(v["ci95"][1]),
           what == "reason" ? reason_change(name) : placement_change(row),
           weekly(missing, days_) * per_click_});
    }
    if (!unknown.empty()) {
      std::string names;
      for (const auto& n : unknown) names += (names.empty() ? "" : ", ") + n;
      cannot_tell_.push_back(
          "which " + what + "s work: the data cannot tell for " + names +
          " -- most of their impressions were at list positions the other " + what +
          "s seldom held, so a lower click-through there may be the position's, not theirs");
    }
  }
  std::string placement_change(const json& row) const {
    const size_t slots = std::max<size_t>(2, row["by_position"].size() / 2);
    return "\"placements\": {\"" + placement_of(row["name"].get<std::string>()) +
           "\": {\"slots\": " + std::to_string(slots) +
           "}} -- fewer, better items; or move the widget where shoppers look";
  }
  std::string reason_change(const std::string& reason) const {
    if (reason == "merchant_boost")
      return "lower the factor of the boosts (and campaign boosts) behind it towards 1, or remove "
             "them";
    if (reason == "guaranteed_share") return "lower the quota's min_share, or remove the quota";
    if (reason == "pinned") return "remove the pins";
    if (reason == "exploration")
      return "\"exploration\": {\"slots\": 1} -- fewer exploration slots";
    std::string places;
    for (const auto& p : r_["segments"]["placement"])
      places += std::string(places.empty() ? "" : ", ") + "\"" +
                placement_of(p["name"].get<std::string>()) + "\": {\"weights\": {\"" + reason +
                "\": " + fixed(kWeightCut, 1) + "}}";
    return "\"placements\": {" + places + "} -- halve its weight";
  }

  // Products shown often and never clicked (the report's Poisson test, corrected for the
  // number of products): demote them, or lift the rule that puts them there.
  void never_clicked() {
    const json& p = r_["products"];
    const json& rows = p["never_clicked"];
    if (rows.empty()) return;
    std::string names, items;
    double impressions = 0;
    bool by_rule = false;
    for (size_t i = 0; i < rows.size(); ++i) {
      const json& row = rows[i];
      impressions += row["impressions"].get<double>();
      const std::string reason = row["reason"].get<std::string>();
      by_rule = by_rule || reason == "merchant_boost" || reason == "guaranteed_share" ||
                reason == "pinned";
      if (i >= kNamedProducts) continue;
      const std::string title = row["title"].get<std::string>();
      names += (names.empty() ? "" : "; ") + (title.empty() ? "" : title + " ") + "(" +
               row["id"].get<std::string>() +
               "): " + std::to_string(row["impressions"].get<uint64_t>()) +
               " impressions, 0 clicks, " + fixed(row["expected_clicks"], 1) + " expected";
      items += std::string(items.empty() ? "" : ", ") + "{\"match\": {\"item\": \"" +
               row["id"].get<std::string>() + "\"}, \"factor\": " + fixed(kDemoteFactor, 1) + "}";
    }
    const uint64_t count = p["never_clicked_count"].get<uint64_t>();
    out_.push_back(
        {"products", std::to_string(count) + " products shown often are never clicked", names,
         "each listed only when no click in its impressions had a chance under 5% / " +
             std::to_string(p["shown"].get<uint64_t>()) +
             " products shown, had it been clicked like the others at its positions",
         (by_rule ? "a boost, quota or pin places some of them: lift it; and " : "") +
             std::string("\"boosts\": [") + items + (count > kNamedProducts ? ", ..." : "") +
             "] -- demote them so that items shoppers click take the slots",
         weekly(impressions, days_) * per_impression_});
  }

  const json& r_;
  std::string cur_;
  double days_ = 0, per_click_ = 0, per_impression_ = 0;
  std::vector<Suggestion> out_;
  json cannot_tell_ = json::array();
};

}  // namespace

void add_suggestions(json* report) {
  Suggester s(*report);
  (*report)["suggestions"] = s.run();
  (*report)["cannot_tell"] = s.cannot_tell();
}

}  // namespace aisle
