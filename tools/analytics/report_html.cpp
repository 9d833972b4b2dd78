// The HTML page of `aisle report --html`: one self-contained file (inline CSS and SVG
// charts, no scripts, no external assets) that reads on a phone. Every text from the
// data is HTML-escaped.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "report.h"

namespace aisle {
namespace {

using nlohmann::json;

std::string esc(const std::string& s) {
  return html_escape(s);
}

std::string num(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}
std::string pct(const json& v, int digits = 1) {
  return v.is_number() ? num(v.get<double>() * 100, digits) + "%" : "—";
}
std::string count(const json& v) {
  std::string s = std::to_string(v.get<uint64_t>()), out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}
std::string money(const json& m) {  // {"USD": 12.5, "EUR": 3} -> "12.50 USD · 3.00 EUR"
  std::string out;
  for (const auto& [c, v] : m.items()) {
    if (!out.empty()) out += " · ";
    out += esc(format_money(v.get<double>(), c));
  }
  return out.empty() ? "—" : out;
}
std::string signed_pct(double v) {
  return (v >= 0 ? "+" : "") + num(v * 100, 1) + "%";
}

// A weekly series as dots joined by a line, each with its 95% interval when `interval`
// gives one; the scale holds every value, interval and zero. Drawn in a 360-wide box, so
// that on a 375 px phone it is shown at about its own size, never cut.
std::string line_chart(const json& weekly, const std::string& title,
                       const std::function<json(const json&)>& value, bool percent,
                       const std::function<json(const json&)>& interval = nullptr) {
  const double w = 360, h = 170, left = 40, right = 22, top = 8, bottom = 24;
  const size_t n = weekly.size();
  std::vector<double> ys(n, NAN), los(n, NAN), his(n, NAN);
  double lo = 0, hi = 0;
  for (size_t i = 0; i < n; ++i) {
    const json v = value(weekly[i]);
    if (v.is_number()) ys[i] = v.get<double>();
    const json ci = interval ? interval(weekly[i]) : json(nullptr);
    if (ci.is_array()) los[i] = ci[0].get<double>(), his[i] = ci[1].get<double>();
    for (double x : {ys[i], los[i], his[i]})
      if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
  }
  if (hi - lo <= 0) hi = lo + 1;
  const double pad = (hi - lo) * 0.08;
  hi += pad;
  if (lo < 0) lo -= pad;
  auto x_at = [&](size_t i) {
    return left + (n > 1 ? (w - left - right) * double(i) / double(n - 1) : (w - left - right) / 2);
  };
  auto y_at = [&](double y) { return top + (h - top - bottom) * (hi - y) / (hi - lo); };
  auto label = [&](double y) {
    if (percent) return num(y * 100, 0) + "%";
    const double a = std::fabs(y);
    return a >= 1e6   ? num(y / 1e6, 1) + "M"
           : a >= 1e4 ? num(y / 1e3, 0) + "k"
                      : num(y, a < 10 ? 1 : 0);
  };
  std::string svg = "<figure><figcaption>" + esc(title) +
                    "</figcaption><svg viewBox=\"0 0 360 170\" role=\"img\" aria-label=\"" +
                    esc(title) + "\">";
  for (int g = 0; g <= 4; ++g) {
    const double y = lo + (hi - lo) * g / 4;
    svg += "<line x1=\"" + num(left, 0) + "\" x2=\"" + num(w - right, 0) + "\" y1=\"" +
           num(y_at(y), 1) + "\" y2=\"" + num(y_at(y), 1) + "\" class=\"g\"/><text x=\"" +
           num(left - 5, 0) + "\" y=\"" + num(y_at(y) + 4, 1) +
           "\" class=\"a\" text-anchor=\"end\">" + label(y) + "</text>";
  }
  if (lo < 0)
    svg += "<line x1=\"" + num(left, 0) + "\" x2=\"" + num(w - right, 0) + "\" y1=\"" +
           num(y_at(0), 1) + "\" y2=\"" + num(y_at(0), 1) + "\" class=\"z\"/>";
  std::string path;
  for (size_t i = 0; i < n; ++i) {
    if (std::isfinite(los[i]))
      svg += "<line x1=\"" + num(x_at(i), 1) + "\" x2=\"" + num(x_at(i), 1) + "\" y1=\"" +
             num(y_at(los[i]), 1) + "\" y2=\"" + num(y_at(his[i]), 1) + "\" class=\"ci\"/>";
    if (!std::isfinite(ys[i])) continue;
    path += (path.empty() ? "M" : "L") + num(x_at(i), 1) + " " + num(y_at(ys[i]), 1);
    svg += "<circle cx=\"" + num(x_at(i), 1) + "\" cy=\"" + num(y_at(ys[i]), 1) + "\" r=\"3\"/>";
  }
  if (!path.empty()) svg += "<path d=\"" + path + "\" class=\"l\"/>";
  for (size_t i = 0; i < n; i += std::max<size_t>(1, (n + 4) / 5)) {
    svg += "<text x=\"" + num(x_at(i), 1) + "\" y=\"" + num(h - 6, 0) +
           "\" class=\"a\" text-anchor=\"middle\">" +
           esc(weekly[i]["week_of"].get<std::string>().substr(5)) + "</text>";
  }
  return svg + "</svg></figure>";
}

// Relative lifts of conversion and revenue per session with their 95% intervals around a
// zero line, one row each, the figures written above the bar (never beside the dot,
// where a narrow screen cut them off).
std::string lift_chart(const json& comparisons) {
  struct Row {
    std::string label;
    double v, lo, hi;
  };
  std::vector<Row> rows;
  double span = 0.05;
  for (const auto& c : comparisons) {
    for (const auto& [key, name] : {std::pair{"conversion_rate", "conversion"},
                                    std::pair{"revenue_per_session", "revenue / session"}}) {
      const json& m = c[key];
      const double v = m["relative"].get<double>();
      // Rates carry their relative interval; a mean's is its difference's over the control.
      const double base = m["control"].get<double>();
      const bool ratio = m.contains("relative_ci95"), valid = !m.contains("note") && base != 0;
      const double lo = ratio   ? m["relative_ci95"][0].get<double>()
                        : valid ? m["ci95"][0].get<double>() / base
                                : v;
      const double hi = ratio   ? m["relative_ci95"][1].get<double>()
                        : valid ? m["ci95"][1].get<double>() / base
                                : v;
      rows.push_back({c["variant"].get<std::string>() + ": " + name + " " + signed_pct(v) + " (" +
                          signed_pct(lo) + " to " + signed_pct(hi) + ")",
                      v, lo, hi});
      span = std::max({span, std::fabs(v), std::fabs(lo), std::fabs(hi)});
    }
  }
  span *= 1.15;
  const double w = 360, left = 12, right = 12, row = 46;
  const double h = 12 + row * double(rows.size());
  auto x_at = [&](double v) { return left + (w - left - right) * (v + span) / (2 * span); };
  std::string svg =
      "<figure><figcaption>Lift vs control, 95% interval (dashed: no change)"
      "</figcaption><svg viewBox=\"0 0 360 " +
      num(h, 0) +
      "\" role=\"img\" aria-label=\"Lift against the control with 95% intervals\">"
      "<line x1=\"" +
      num(x_at(0), 1) + "\" x2=\"" + num(x_at(0), 1) + "\" y1=\"22\" y2=\"" + num(h - 4, 0) +
      "\" class=\"z\"/>";
  double y = 16;
  for (const Row& r : rows) {
    svg += "<text x=\"0\" y=\"" + num(y, 0) + "\" class=\"a\">" + esc(r.label) + "</text>";
    svg += "<line x1=\"" + num(x_at(r.lo), 1) + "\" x2=\"" + num(x_at(r.hi), 1) + "\" y1=\"" +
           num(y + 16, 0) + "\" y2=\"" + num(y + 16, 0) + "\" class=\"ci\"/><circle cx=\"" +
           num(x_at(r.v), 1) + "\" cy=\"" + num(y + 16, 0) + "\" r=\"5\"/>";
    y += row;
  }
  return svg + "</svg></figure>";
}

std::string kpi(const std::string& label, const std::string& value, const std::string& note = "") {
  return "<div class=\"k\"><span>" + label + "</span><strong>" + value + "</strong>" +
         (note.empty() ? "" : "<small>" + note + "</small>") + "</div>";
}

// " (+3.2%)" after a figure: its change on the week before.
std::string change_note(const json& change) {
  if (!change.is_number()) return "";
  const double v = change.get<double>();
  return " <small class=\"" + std::string(v >= 0 ? "up" : "down") + "\">" + signed_pct(v) +
         "</small>";
}
std::string money_change(const json& m, const json& change) {
  std::string out;
  for (const auto& [c, v] : m.items()) {
    if (!out.empty()) out += " · ";
    out += esc(format_money(v.get<double>(), c)) +
           change_note(change.is_object() && change.contains(c) ? change[c] : json(nullptr));
  }
  return out.empty() ? "—" : out;
}

std::string group_table(const json& rows, const char* first) {
  std::string t =
      "<div class=\"s\"><table><thead><tr><th>" + std::string(first) +
      "</th><th>Sessions</th><th>CVR</th><th>Revenue / session</th><th>AOV</th><th>CTR</th>"
      "<th>Share of revenue from clicks</th></tr></thead><tbody>";
  for (const auto& r : rows) {
    t += "<tr><td>" + esc(r["name"].get<std::string>()) + "</td><td>" + count(r["sessions"]) +
         "</td><td>" + pct(r["conversion_rate"]) + "</td><td>" + money(r["revenue_per_session"]) +
         "</td><td>" + money(r["aov"]) + "</td><td>" + pct(r["recommendations"]["ctr"], 2) +
         "</td><td>";
    std::string shares;
    for (const auto& [c, v] : r["recommendations"]["share_of_revenue_click_through"].items())
      shares += (shares.empty() ? "" : " · ") + pct(v) + " of " + esc(c);
    t += (shares.empty() ? "—" : shares) + "</td></tr>";
  }
  return t + "</tbody></table></div>";
}

std::string list_table(const json& rows, const char* first) {
  std::string t = "<div class=\"s\"><table><thead><tr><th>" + std::string(first) +
                  "</th><th>Impressions</th><th>Clicks</th><th>CTR</th><th>Clicks vs others at "
                  "the same positions</th><th>Adds to cart</th><th>Revenue (click-through)</th>"
                  "<th></th></tr></thead><tbody>";
  for (const auto& r : rows) {
    const std::string verdict = r["verdict"].get<std::string>();
    const json& same = r["vs_same_positions"];
    const std::string vs = same["ratio"].is_number()
                               ? pct(same["ratio"], 0) + " (" + pct(same["ci95"][0], 0) + "–" +
                                     pct(same["ci95"][1], 0) + ")"
                               : "—";
    t += "<tr><td>" + esc(r["name"].get<std::string>()) + "</td><td>" + count(r["impressions"]) +
         "</td><td>" + count(r["clicks"]) + "</td><td>" + pct(r["ctr"], 2) + "</td><td>" + vs +
         "</td><td>" + count(r["adds"]) + "</td><td>" + money(r["revenue_click_through"]) +
         "</td><td class=\"" + (verdict == "ignored" ? "bad" : "") + "\">" + esc(verdict) +
         "</td></tr>";
  }
  if (rows.empty()) t += "<tr><td colspan=\"8\">No recommendation lists in these events.</td></tr>";
  return t + "</tbody></table></div>";
}

// A scrolling table's opening, to its body.
// (Product tables wrap their first column, so that a phone shows the figures beside it.)
std::string table_head(std::initializer_list<const char*> columns) {
  std::string h = "<div class=\"s\"><table class=\"pr\"><thead><tr>";
  for (const char* c : columns) h += std::string("<th>") + c + "</th>";
  return h + "</tr></thead><tbody>";
}

// "Title (SKU-1)", or the bare id without a catalog.
std::string product_name(const json& title, const json& id) {
  const std::string t = title.is_string() ? title.get<std::string>() : "";
  return t.empty() ? esc(id.get<std::string>())
                   : esc(t) + " <small>" + esc(id.get<std::string>()) + "</small>";
}

const char* kStyle = R"(<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#f7f6f3}
main{max-width:62rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.15rem;margin:1.75rem 0 .5rem}
.m{color:#666}.kp{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,10rem),1fr));gap:.6rem}
.k{background:#fff;border-radius:10px;padding:.6rem .8rem;box-shadow:0 1px 2px #0001;min-width:0}
.k span{display:block;color:#666;font-size:.8rem}.k strong{display:block;font-size:1.1rem;overflow-wrap:anywhere}
.k small{display:block;color:#666;font-size:.78rem;margin-top:.2rem}
.money{grid-template-columns:repeat(auto-fill,minmax(min(100%,15rem),1fr))}.money strong{font-size:1.6rem;color:#2f6b45}
.s{overflow-x:auto;background:#fff;border-radius:10px;box-shadow:0 1px 2px #0001}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:.45rem .6rem;text-align:left;
border-bottom:1px solid #eee;white-space:nowrap}th{font-weight:600;color:#555}td small{color:#777}
td[colspan]{white-space:normal}.pr td:first-child{white-space:normal;min-width:9rem}
.w{background:#fff4e0;border-left:4px solid #e0a030;padding:.5rem .8rem;margin:.4rem 0;border-radius:4px}
.bad{color:#b4462b;font-weight:600}.good{color:#2f6b45;font-weight:600}.up{color:#2f6b45}.down{color:#b4462b}
ol.sg{padding:0;margin:0;list-style:none;display:grid;gap:.6rem;counter-reset:sg}
ol.sg li{background:#fff;border-radius:10px;padding:.7rem .9rem;box-shadow:0 1px 2px #0001;counter-increment:sg}
ol.sg li>strong::before{content:counter(sg) ". "}ol.sg p{margin:.3rem 0}ol.sg b{color:#555;font-weight:600}
code{overflow-wrap:anywhere;font-size:.85rem;background:#f1efe9;padding:0 .2rem;border-radius:3px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,24rem),1fr));gap:.6rem}
figcaption{font-size:.85rem;font-weight:600;color:#333;margin:0 0 .3rem}
figure{margin:.5rem 0;background:#fff;border-radius:10px;padding:.5rem;box-shadow:0 1px 2px #0001;min-width:0}
svg{display:block;width:100%;max-width:36rem;height:auto}.t{font-size:13px;font-weight:600;fill:#333}.a{font-size:11px;fill:#555}
.g{stroke:#eee}.l{fill:none;stroke:#2b59c3;stroke-width:2}circle{fill:#2b59c3}.z{stroke:#999;stroke-dasharray:4 3}
.ci{stroke:#2b59c3;stroke-width:4;stroke-linecap:round;opacity:.4}
</style>)";

constexpr const char* kNotYetTold =
    " · the interval holds 0: not yet told apart from no effect, keep the holdout running";

// The headline: incremental revenue and orders against the holdout, per currency, with the
// click-through revenue beside it as a different measure.
std::string money_section(const json& r) {
  std::string h = "<h2>Money from recommendations</h2>";
  const json& inc = r["money"]["incremental"];
  if (inc.empty())
    h += "<p class=\"m\">No experiment with a holdout in these events: the money recommendations "
         "add cannot be measured, only the click-through revenue below. Add a holdout "
         "(docs/measurement.md).</p>";
  h += "<div class=\"kp money\">";
  for (const auto& m : inc) {
    const std::string arms =
        esc(m["variant"].get<std::string>()) + " vs " + esc(m["against"].get<std::string>());
    for (const auto& [cur, x] : m["revenue"].items()) {
      const double total = x["total"].get<double>();
      h += kpi("Incremental revenue, " + arms,
               (total >= 0 ? "+" : "") + esc(format_money(total, cur, 0)),
               "95% interval " + esc(format_money(x["total_ci95"][0].get<double>(), cur, 0)) +
                   " to " + esc(format_money(x["total_ci95"][1].get<double>(), cur, 0)) + " · " +
                   std::to_string(m["days"].get<int64_t>()) + " days · about " +
                   esc(format_money(m["revenue_per_week"][cur].get<double>(), cur, 0)) + " a week" +
                   (!x["significant"].get<bool>() ? kNotYetTold : ""));
    }
    const json& o = m["orders"];
    auto orders = [](const json& v) {
      return (v.get<double>() >= 0 ? "+" : "") + num(v.get<double>(), 0);
    };
    h += kpi("Incremental orders, " + arms, orders(o["total"]),
             "95% interval " + orders(o["total_ci95"][0]) + " to " + orders(o["total_ci95"][1]) +
                 (!o["significant"].get<bool>() ? kNotYetTold : ""));
  }
  h +=
      kpi("Click-through revenue — a different measure", money(r["money"]["revenue_click_through"]),
          "items bought after a click on a recommendation; some would have sold anyway, so it "
          "is not what recommendations add");
  h += "</div><p class=\"m\">Incremental revenue: (revenue per session with recommendations − in "
       "the holdout) × sessions with recommendations, per currency, never added across "
       "currencies; the interval is Welch's, as for the experiment's tests.</p>";
  return h;
}

std::string suggestions_section(const json& r) {
  std::string h = "<h2>What to change</h2>";
  if (r["suggestions"].empty())
    h += "<p class=\"m\">Nothing the data shows with confidence this time.</p>";
  else
    h += "<ol class=\"sg\">";
  const std::string cur = r["main_currency"].get<std::string>();
  for (const auto& s : r["suggestions"]) {
    const double impact =
        s["impact_per_week"].contains(cur) ? s["impact_per_week"][cur].get<double>() : 0;
    h += "<li><strong>" + esc(s["title"].get<std::string>()) + "</strong>" +
         (impact > 0 ? " <small class=\"m\">worth about " + esc(format_money(impact, cur, 0)) +
                           " a week</small>"
                     : "") +
         "<p><b>Evidence</b> " + esc(s["evidence"].get<std::string>()) +
         "</p><p><b>Uncertainty</b> " + esc(s["uncertainty"].get<std::string>()) +
         "</p><p><b>Change</b> <code>" + esc(s["change"].get<std::string>()) + "</code></p></li>";
  }
  if (!r["suggestions"].empty()) h += "</ol>";
  for (const auto& n : r["cannot_tell"])
    h += "<p class=\"m\">Cannot tell " + esc(n.get<std::string>()) + ".</p>";
  return h;
}

std::string key_figures(const json& r) {
  const json& o = r["overall"];
  const json& rec = o["recommendations"];
  std::string h = "<h2>Key figures</h2><div class=\"kp\">";
  h += kpi("Sessions", count(o["sessions"])) + kpi("Visitors", count(o["visitors"])) +
       kpi("Orders", count(o["orders"])) + kpi("Revenue", money(o["revenue"])) +
       kpi("Conversion rate", pct(o["conversion_rate"], 2)) +
       kpi("Average order value", money(o["aov"])) +
       kpi("Revenue per session", money(o["revenue_per_session"]), "the one KPI") +
       kpi("Repeat purchase rate", pct(o["repeat_purchase_rate"]),
           "over the whole " + std::to_string(o["repeat_window_days"].get<int64_t>()) + " days") +
       kpi("Recommendation CTR", pct(rec["ctr"], 2));
  std::string shares;
  for (const auto& [c, v] : rec["share_of_revenue_click_through"].items())
    shares += (shares.empty() ? "" : " · ") + pct(v) + " of " + esc(c);
  h += kpi("Share of revenue from clicked recommendations", shares.empty() ? "—" : shares,
           "click-through revenue / all revenue, per currency");
  h += kpi("View-through revenue", money(rec["revenue_view_through"]),
           "shown, not clicked, bought: never added to click-through") +
       "</div>";
  return h;
}

std::string experiment_section(const json& r, const json& e) {
  std::string h = "<h2>Experiment " + esc(e["name"].get<std::string>()) +
                  "</h2><p class=\"m\">Control: " + esc(e["control"].get<std::string>()) + "; " +
                  std::to_string(e["days"].get<int64_t>()) +
                  " days. Differences with 95% confidence intervals; revenue in " +
                  esc(r["main_currency"].get<std::string>()) + ".</p>";
  if (!e["comparisons"].empty()) h += lift_chart(e["comparisons"]);
  h += "<div class=\"s\"><table><thead><tr><th>Arm</th><th>Sessions</th><th>CVR</th><th>Revenue "
       "/ session</th><th>AOV</th><th>CTR</th></tr></thead><tbody>";
  for (const auto& a : e["arms"]) {
    h += "<tr><td>" + esc(a["name"].get<std::string>()) + "</td><td>" + count(a["sessions"]) +
         "</td><td>" + pct(a["conversion_rate"], 2) + "</td><td>" +
         money(a["revenue_per_session"]) + "</td><td>" + money(a["aov"]) + "</td><td>" +
         pct(a["recommendations"]["ctr"], 2) + "</td></tr>";
  }
  h += "</tbody></table></div><div class=\"s\" style=\"margin-top:.6rem\"><table><thead><tr><th>"
       "Variant vs control</th><th>Metric</th><th>Change</th><th>95% interval</th><th>p-value</th>"
       "</tr></thead><tbody>";
  for (const auto& c : e["comparisons"]) {
    for (const auto& [key, label] :
         {std::pair{"conversion_rate", "CVR"},
          std::pair{"revenue_per_session", "Revenue / session"}, std::pair{"aov", "AOV"}}) {
      const json& m = c[key];
      const bool rate = std::string(key) == "conversion_rate";
      const double d = m["difference"].get<double>();
      const std::string change = rate ? (d >= 0 ? "+" : "") + num(d * 100, 2) + " pts" : num(d, 2);
      const std::string ci =
          rate ? num(m["ci95"][0].get<double>() * 100, 2) + " to " +
                     num(m["ci95"][1].get<double>() * 100, 2) + " pts"
               : num(m["ci95"][0].get<double>(), 2) + " to " + num(m["ci95"][1].get<double>(), 2);
      h += "<tr><td>" + esc(c["variant"].get<std::string>()) + "</td><td>" + label +
           "</td><td class=\"" + (m["significant"].get<bool>() ? (d > 0 ? "good" : "bad") : "") +
           "\">" + change + " (" + signed_pct(m["relative"].get<double>()) + ")</td><td>" + ci +
           "</td><td>" + num(m["p_value"].get<double>(), 4) + "</td></tr>";
    }
  }
  return h + "</tbody></table></div>";
}

std::string weekly_section(const json& r) {
  std::string h = "<h2>Week by week</h2>";
  const json& weekly = r["weekly"];
  if (weekly.empty()) return h + "<p class=\"m\">No weeks to show.</p>";
  const std::string cur = r["main_currency"].get<std::string>();
  auto in_cur = [cur](const char* key) {
    return [cur, key](const json& w) {
      return w.contains(key) && w[key].contains(cur) ? w[key][cur] : json(nullptr);
    };
  };
  h += "<div class=\"charts\">";
  if (weekly[0].contains("incremental_revenue"))
    h += line_chart(weekly, "Incremental revenue by week (" + cur + "), 95% interval",
                    in_cur("incremental_revenue"), false, in_cur("incremental_revenue_ci95"));
  h += line_chart(
      weekly, "Conversion rate by week", [](const json& w) { return w["conversion_rate"]; }, true);
  if (!cur.empty())
    h += line_chart(weekly, "Revenue per session by week (" + cur + ")",
                    in_cur("revenue_per_session"), false);
  h += "</div><div class=\"s\"><table><thead><tr><th>Week of</th><th>Days</th><th>Sessions</th>"
       "<th>Orders</th><th>Revenue</th><th>Incremental revenue</th><th>Click-through revenue</th>"
       "<th>CVR</th><th>Revenue / session</th><th>CTR</th><th>Repeat purchase (28 days)</th></tr>"
       "</thead><tbody>";
  for (const auto& w : weekly) {
    const json none = json::object();
    const json& ch = w.contains("vs_previous_week") ? w["vs_previous_week"] : none;
    auto c = [&](const char* k) { return ch.contains(k) ? ch[k] : json(nullptr); };
    h += "<tr><td>" + esc(w["week_of"].get<std::string>()) + "</td><td>" +
         std::to_string(w["days"].get<int>()) + "</td><td>" + count(w["sessions"]) +
         change_note(c("sessions")) + "</td><td>" + count(w["orders"]) + change_note(c("orders")) +
         "</td><td>" + money_change(w["revenue"], c("revenue")) + "</td><td>" +
         (w.contains("incremental_revenue") ? money(w["incremental_revenue"]) : "—") + "</td><td>" +
         money_change(w["recommendations"]["revenue_click_through"], c("revenue_click_through")) +
         "</td><td>" + pct(w["conversion_rate"]) + change_note(c("conversion_rate")) + "</td><td>" +
         money_change(w["revenue_per_session"], c("revenue_per_session")) + "</td><td>" +
         pct(w["recommendations"]["ctr"], 2) + change_note(c("ctr")) + "</td><td>" +
         pct(w["repeat_purchase_rate_28d"]) + "</td></tr>";
  }
  return h +
         "</tbody></table></div><p class=\"m\">Changes on the week before in small type. "
         "Repeat purchase: visitors with orders in two or more sessions among those with an "
         "order, over the 28 days ending with the week (— while the data covers less).</p>";
}

std::string products_section(const json& r) {
  const json& p = r["products"];
  std::string h =
      "<h2>Products: what recommendations sold</h2>" +
      table_head({"Product", "Revenue (click-through)", "Orders", "Clicks", "Impressions", "CTR"});
  for (const auto& x : p["top_by_revenue"])
    h += "<tr><td>" + product_name(x["title"], x["id"]) + "</td><td>" +
         money(x["revenue_click_through"]) + "</td><td>" + count(x["orders"]) + "</td><td>" +
         count(x["clicks"]) + "</td><td>" + count(x["impressions"]) + "</td><td>" +
         pct(x["ctr"], 2) + "</td></tr>";
  if (p["top_by_revenue"].empty())
    h += "<tr><td colspan=\"6\">No recommended product was bought after a click.</td></tr>";
  h += "</tbody></table></div><h2>Products shown often, never clicked</h2>" +
       table_head({"Product", "Impressions", "Clicks expected", "Shown for"});
  for (const auto& x : p["never_clicked"])
    h += "<tr><td>" + product_name(x["title"], x["id"]) + "</td><td>" + count(x["impressions"]) +
         "</td><td>" + num(x["expected_clicks"].get<double>(), 1) + "</td><td>" +
         esc(x["reason"].get<std::string>()) + "</td></tr>";
  if (p["never_clicked"].empty())
    h += "<tr><td colspan=\"4\">None: no product was shown so often that no click at all is "
         "more than chance.</td></tr>";
  return h + "</tbody></table></div>";
}

std::string paths_section(const json& r) {
  std::string h = "<h2>Top paths: viewed A, recommended B, bought B</h2>" +
                  table_head({"Viewed", "Bought", "Orders", "Revenue"});
  for (const auto& p : r["paths"])
    h += "<tr><td>" + product_name(p["viewed_title"], p["viewed"]) + "</td><td>" +
         product_name(p["bought_title"], p["bought"]) + "</td><td>" + count(p["orders"]) +
         "</td><td>" + money(p["revenue"]) + "</td></tr>";
  if (r["paths"].empty()) h += "<tr><td colspan=\"4\">No recommended product was bought.</td></tr>";
  h += "</tbody></table></div><p class=\"m\">";
  h += r["paths_catalog"].get<bool>()
           ? "Another colour or size of the product viewed is no path: " +
                 count(r["paths_variant_swaps"]) + " such orders left out."
           : std::string(
                 "Without --catalog: ids only, and another colour of the product viewed "
                 "cannot be told from a path.");
  return h + "</p>";
}

std::string input_section(const json& r) {
  const json& in = r["input"];
  std::string h =
      "<h2>Input</h2>" + table_head({"File", "Lines", "Events", "Malformed", "Ignored types"});
  for (const auto& f : in["files"]) {
    h += "<tr><td>" + esc(f["file"].get<std::string>()) + "</td><td>" + count(f["lines"]) +
         "</td><td>" + count(f["events"]) + "</td><td>" + count(f["malformed"]) + "</td><td>" +
         count(f["ignored"]) + "</td></tr>";
  }
  return h + "</tbody></table></div><p class=\"m\">Duplicate orders skipped: " +
         count(in["duplicate_orders"]) +
         "; orders without a value: " + count(in["orders_without_value"]) +
         "; events outside the period: " + count(in["events_outside_period"]) + ".</p>";
}

}  // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string format_money(double amount, const std::string& currency, int digits) {
  const std::string s = num(std::fabs(amount), digits);
  const size_t point = std::min(s.find('.'), s.size());
  std::string out = amount < 0 && s.find_first_not_of("0.") != std::string::npos ? "-" : "";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && i < point && (point - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out + " " + currency;
}

std::string report_html(const json& r) {
  std::string h =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
      "<title>aisle report</title>" +
      std::string(kStyle) + "</head><body><main>";
  h += "<h1>Recommendations report</h1><p class=\"m\">";
  h += r["period"]["first_session"].is_string()
           ? "Sessions from " + esc(r["period"]["first_session"].get<std::string>().substr(0, 10)) +
                 " to " + esc(r["period"]["last_session"].get<std::string>().substr(0, 10)) + " (" +
                 std::to_string(r["period"]["days"].get<int64_t>()) + " days)"
           : std::string("No sessions in the period");
  h += ". Made by <code>aisle report</code>.</p>";
  for (const auto& w : r["warnings"]) h += "<p class=\"w\">" + esc(w.get<std::string>()) + "</p>";
  h += money_section(r) + suggestions_section(r) + key_figures(r);
  for (const auto& e : r["experiments"]) h += experiment_section(r, e);
  h += weekly_section(r);
  const json& seg = r["segments"];
  h += "<h2>By traffic source</h2>" + group_table(seg["traffic"], "Traffic");
  h += "<h2>New and returning visitors</h2>" + group_table(seg["visitor_type"], "Visitors");
  h += "<h2>By placement</h2>" + list_table(seg["placement"], "List");
  h += "<h2>By detected context</h2>" + list_table(seg["context"], "Context");
  h += "<h2>By reason: which recommendations work, which are ignored</h2>" +
       list_table(seg["reason"], "Reason") +
       "<p class=\"m\">Clicks vs others at the same positions: a slice's clicks against those the "
       "other slices' click-through at the same list positions predicts, with its 95% interval "
       "(a top position is clicked more whatever sits there).</p>";
  h += products_section(r) + paths_section(r) + input_section(r);
  return h + "</main></body></html>\n";
}

}  // namespace aisle
