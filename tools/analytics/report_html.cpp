// The HTML page of `aisle report --html`: one self-contained file (inline CSS and SVG
// charts, no scripts, no external assets) that reads on a phone. Every text from the
// data is HTML-escaped.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
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

// A line chart of one weekly series; missing values (null) leave gaps.
std::string line_chart(const json& weekly, const char* title,
                       const std::function<json(const json&)>& value, bool percent) {
  const double w = 640, h = 200, left = 56, right = 28, top = 28, bottom = 30;
  std::vector<double> ys;
  for (const auto& wk : weekly) {
    const json v = value(wk);
    ys.push_back(v.is_number() ? v.get<double>() : NAN);
  }
  double hi = 0;
  for (double y : ys)
    if (std::isfinite(y)) hi = std::max(hi, y);
  hi = hi > 0 ? hi * 1.15 : 1;
  const size_t n = ys.size();
  auto x_at = [&](size_t i) {
    return left + (n > 1 ? (w - left - right) * double(i) / double(n - 1) : (w - left - right) / 2);
  };
  auto y_at = [&](double y) { return top + (h - top - bottom) * (1 - y / hi); };
  std::string svg = "<figure><svg viewBox=\"0 0 640 200\" role=\"img\" aria-label=\"" + esc(title) +
                    "\"><text x=\"" + num(left, 0) + "\" y=\"16\" class=\"t\">" + esc(title) +
                    "</text>";
  for (int g = 0; g <= 4; ++g) {
    const double y = hi * g / 4;
    svg += "<line x1=\"" + num(left, 0) + "\" x2=\"" + num(w - right, 0) + "\" y1=\"" +
           num(y_at(y), 1) + "\" y2=\"" + num(y_at(y), 1) + "\" class=\"g\"/><text x=\"" +
           num(left - 6, 0) + "\" y=\"" + num(y_at(y) + 4, 1) +
           "\" class=\"a\" text-anchor=\"end\">" +
           (percent ? num(y * 100, 0) + "%" : num(y, y < 10 ? 1 : 0)) + "</text>";
  }
  std::string path;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(ys[i])) continue;
    path += (path.empty() ? "M" : "L") + num(x_at(i), 1) + " " + num(y_at(ys[i]), 1);
    svg += "<circle cx=\"" + num(x_at(i), 1) + "\" cy=\"" + num(y_at(ys[i]), 1) + "\" r=\"3\"/>";
  }
  if (!path.empty()) svg += "<path d=\"" + path + "\" class=\"l\"/>";
  for (size_t i = 0; i < n; i += std::max<size_t>(1, n / 6)) {
    svg += "<text x=\"" + num(x_at(i), 1) + "\" y=\"" + num(h - 10, 0) +
           "\" class=\"a\" text-anchor=\"middle\">" +
           esc(weekly[i]["week_of"].get<std::string>().substr(5)) + "</text>";
  }
  return svg + "</svg></figure>";
}

// Relative lifts with their 95% intervals around a zero line.
std::string lift_chart(const json& comparisons) {
  double span = 0.05;
  for (const auto& c : comparisons) {
    for (const char* k : {"conversion_rate", "revenue_per_session"}) {
      const json& m = c[k];
      if (m.contains("relative_ci95")) {
        span = std::max({span, std::fabs(m["relative_ci95"][0].get<double>()),
                         std::fabs(m["relative_ci95"][1].get<double>())});
      }
      span = std::max(span, std::fabs(m["relative"].get<double>()));
    }
  }
  span *= 1.2;
  const double w = 640, left = 170, right = 20, row = 34;
  const double h = 40 + row * double(comparisons.size());
  auto x_at = [&](double v) { return left + (w - left - right) * (v + span) / (2 * span); };
  std::string svg =
      "<figure><svg viewBox=\"0 0 640 " + num(h, 0) +
      "\" role=\"img\" aria-label=\"Conversion lift with 95% intervals\">"
      "<text x=\"0\" y=\"16\" class=\"t\">Conversion lift vs control, 95% interval</text>"
      "<line x1=\"" +
      num(x_at(0), 1) + "\" x2=\"" + num(x_at(0), 1) + "\" y1=\"24\" y2=\"" + num(h - 4, 0) +
      "\" class=\"z\"/>";
  double y = 44;
  for (const auto& c : comparisons) {
    const json& m = c["conversion_rate"];
    svg += "<text x=\"0\" y=\"" + num(y + 4, 0) + "\" class=\"a\">" +
           esc(c["variant"].get<std::string>()) + "</text>";
    if (m.contains("relative_ci95")) {
      svg += "<line x1=\"" + num(x_at(m["relative_ci95"][0].get<double>()), 1) + "\" x2=\"" +
             num(x_at(m["relative_ci95"][1].get<double>()), 1) + "\" y1=\"" + num(y, 0) +
             "\" y2=\"" + num(y, 0) + "\" class=\"ci\"/>";
    }
    svg += "<circle cx=\"" + num(x_at(m["relative"].get<double>()), 1) + "\" cy=\"" + num(y, 0) +
           "\" r=\"5\"/><text x=\"" + num(x_at(m["relative"].get<double>()), 1) + "\" y=\"" +
           num(y - 9, 0) + "\" class=\"a\" text-anchor=\"middle\">" +
           signed_pct(m["relative"].get<double>()) + "</text>";
    y += row;
  }
  return svg + "</svg></figure>";
}

std::string kpi(const char* label, const std::string& value) {
  return "<div class=\"k\"><span>" + std::string(label) + "</span><strong>" + value +
         "</strong></div>";
}

std::string group_table(const json& rows, const char* first) {
  std::string t =
      "<div class=\"s\"><table><thead><tr><th>" + std::string(first) +
      "</th><th>Sessions</th><th>CVR</th><th>Revenue / session</th><th>AOV</th><th>CTR</th>"
      "<th>Rec. revenue share</th></tr></thead><tbody>";
  for (const auto& r : rows) {
    t += "<tr><td>" + esc(r["name"].get<std::string>()) + "</td><td>" + count(r["sessions"]) +
         "</td><td>" + pct(r["conversion_rate"]) + "</td><td>" + money(r["revenue_per_session"]) +
         "</td><td>" + money(r["aov"]) + "</td><td>" + pct(r["recommendations"]["ctr"], 2) +
         "</td><td>";
    std::string shares;
    for (const auto& [c, v] : r["recommendations"]["share_of_revenue_click_through"].items())
      shares += (shares.empty() ? "" : " · ") + pct(v) + " " + esc(c);
    t += (shares.empty() ? "—" : shares) + "</td></tr>";
  }
  return t + "</tbody></table></div>";
}

std::string list_table(const json& rows, const char* first) {
  std::string t = "<div class=\"s\"><table><thead><tr><th>" + std::string(first) +
                  "</th><th>Impressions</th><th>Clicks</th><th>CTR</th><th>Adds to cart</th>"
                  "<th>Revenue (click-through)</th><th></th></tr></thead><tbody>";
  for (const auto& r : rows) {
    const std::string verdict = r["verdict"].get<std::string>();
    t += "<tr><td>" + esc(r["name"].get<std::string>()) + "</td><td>" + count(r["impressions"]) +
         "</td><td>" + count(r["clicks"]) + "</td><td>" + pct(r["ctr"], 2) + "</td><td>" +
         count(r["adds"]) + "</td><td>" + money(r["revenue_click_through"]) + "</td><td class=\"" +
         (verdict == "ignored" ? "bad" : "") + "\">" + esc(verdict) + "</td></tr>";
  }
  if (rows.empty()) t += "<tr><td colspan=\"7\">No recommendation lists in these events.</td></tr>";
  return t + "</tbody></table></div>";
}

const char* kStyle = R"(<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#f7f6f3}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.15rem;margin:1.75rem 0 .5rem}
.m{color:#666}.kp{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.6rem}
.k{background:#fff;border-radius:10px;padding:.6rem .8rem;box-shadow:0 1px 2px #0001}
.k span{display:block;color:#666;font-size:.8rem}.k strong{font-size:1.1rem}
.s{overflow-x:auto;background:#fff;border-radius:10px;box-shadow:0 1px 2px #0001}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:.45rem .6rem;text-align:left;
border-bottom:1px solid #eee;white-space:nowrap}th{font-weight:600;color:#555}
.w{background:#fff4e0;border-left:4px solid #e0a030;padding:.5rem .8rem;margin:.4rem 0;border-radius:4px}
.bad{color:#b4462b;font-weight:600}.good{color:#2f6b45;font-weight:600}
figure{margin:.5rem 0;background:#fff;border-radius:10px;padding:.5rem;box-shadow:0 1px 2px #0001;overflow-x:auto}
svg{width:100%;min-width:30rem;height:auto}.t{font-size:13px;font-weight:600;fill:#333}.a{font-size:11px;fill:#666}
.g{stroke:#eee}.l{fill:none;stroke:#2b59c3;stroke-width:2}circle{fill:#2b59c3}.z{stroke:#999;stroke-dasharray:4 3}
.ci{stroke:#2b59c3;stroke-width:4;stroke-linecap:round;opacity:.45}
</style>)";

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
  const json& o = r["overall"];
  const json& rec = o["recommendations"];
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

  h += "<h2>Key figures</h2><div class=\"kp\">";
  h += kpi("Sessions", count(o["sessions"])) + kpi("Visitors", count(o["visitors"])) +
       kpi("Orders", count(o["orders"])) + kpi("Conversion rate", pct(o["conversion_rate"], 2)) +
       kpi("Average order value", money(o["aov"])) +
       kpi("Revenue per session", money(o["revenue_per_session"])) +
       kpi("Repeat purchase rate", pct(o["repeat_purchase_rate"])) +
       kpi("Recommendation CTR", pct(rec["ctr"], 2));
  std::string shares;
  for (const auto& [c, v] : rec["share_of_revenue_click_through"].items())
    shares += (shares.empty() ? "" : " · ") + pct(v) + " " + esc(c);
  h += kpi("Revenue from recommendations", shares.empty() ? "—" : shares);
  h += kpi("View-through revenue", money(rec["revenue_view_through"])) + "</div>";

  for (const auto& e : r["experiments"]) {
    h += "<h2>Experiment " + esc(e["name"].get<std::string>()) +
         "</h2><p class=\"m\">Control: " + esc(e["control"].get<std::string>()) + "; " +
         std::to_string(e["days"].get<int64_t>()) +
         " days. Differences with 95% confidence intervals; revenue in " +
         esc(r["main_currency"].get<std::string>()) + ".</p>";
    if (!e["comparisons"].empty()) h += lift_chart(e["comparisons"]);
    h += "<div class=\"s\"><table><thead><tr><th>Arm</th><th>Sessions</th><th>CVR</th><th>Revenue "
         "/ session</th>"
         "<th>AOV</th><th>CTR</th></tr></thead><tbody>";
    for (const auto& a : e["arms"]) {
      h += "<tr><td>" + esc(a["name"].get<std::string>()) + "</td><td>" + count(a["sessions"]) +
           "</td><td>" + pct(a["conversion_rate"], 2) + "</td><td>" +
           money(a["revenue_per_session"]) + "</td><td>" + money(a["aov"]) + "</td><td>" +
           pct(a["recommendations"]["ctr"], 2) + "</td></tr>";
    }
    h += "</tbody></table></div><div class=\"s\" "
         "style=\"margin-top:.6rem\"><table><thead><tr><th>Variant vs "
         "control</th><th>Metric</th><th>Change</th><th>95% "
         "interval</th><th>p-value</th></tr></thead><tbody>";
    for (const auto& c : e["comparisons"]) {
      for (const auto& [key, label] :
           {std::pair{"conversion_rate", "CVR"},
            std::pair{"revenue_per_session", "Revenue / session"}, std::pair{"aov", "AOV"}}) {
        const json& m = c[key];
        const bool rate = std::string(key) == "conversion_rate";
        const double d = m["difference"].get<double>();
        const std::string change =
            rate ? (d >= 0 ? "+" : "") + num(d * 100, 2) + " pts" : num(d, 2);
        const std::string ci =
            rate ? num(m["ci95"][0].get<double>() * 100, 2) + " to " +
                       num(m["ci95"][1].get<double>() * 100, 2) + " pts"
                 : num(m["ci95"][0].get<double>(), 2) + " to " + num(m["ci95"][1].get<double>(), 2);
        h += "<tr><td>" + esc(c["variant"].get<std::string>()) + "</td><td>" + label +
             "</td><td class=\"" +
             (m["significant"].get<bool>() ? (m["difference"].get<double>() > 0 ? "good" : "bad")
                                           : "") +
             "\">" + change + " (" + signed_pct(m["relative"].get<double>()) + ")</td><td>" + ci +
             "</td><td>" + num(m["p_value"].get<double>(), 4) + "</td></tr>";
      }
    }
    h += "</tbody></table></div>";
  }

  h += "<h2>Weekly trend</h2>";
  const json& weekly = r["weekly"];
  if (weekly.empty()) {
    h += "<p class=\"m\">No weeks to show.</p>";
  } else {
    h += line_chart(
        weekly, "Conversion rate by week", [](const json& w) { return w["conversion_rate"]; },
        true);
    const std::string cur = r["main_currency"].get<std::string>();
    if (!cur.empty()) {
      h += line_chart(
          weekly, ("Revenue per session by week (" + cur + ")").c_str(),
          [&](const json& w) {
            return w["revenue_per_session"].contains(cur) ? w["revenue_per_session"][cur]
                                                          : json(nullptr);
          },
          false);
    }
    json rows = json::array();
    for (const auto& w : weekly) {
      json x = w;
      x["name"] = "week of " + w["week_of"].get<std::string>();
      rows.push_back(x);
    }
    h += group_table(rows, "Week");
  }

  const json& seg = r["segments"];
  h += "<h2>By traffic source</h2>" + group_table(seg["traffic"], "Traffic");
  h += "<h2>New and returning visitors</h2>" + group_table(seg["visitor_type"], "Visitors");
  h += "<h2>By placement</h2>" + list_table(seg["placement"], "List");
  h += "<h2>By detected context</h2>" + list_table(seg["context"], "Context");
  h += "<h2>By reason: which recommendations work, which are ignored</h2>" +
       list_table(seg["reason"], "Reason");

  h += "<h2>Top paths: viewed A, recommended B, bought B</h2><div "
       "class=\"s\"><table><thead><tr><th>Viewed</th>"
       "<th>Bought</th><th>Orders</th><th>Revenue</th></tr></thead><tbody>";
  for (const auto& p : r["paths"]) {
    h += "<tr><td>" + esc(p["viewed"].get<std::string>()) + "</td><td>" +
         esc(p["bought"].get<std::string>()) + "</td><td>" + count(p["orders"]) + "</td><td>" +
         money(p["revenue"]) + "</td></tr>";
  }
  if (r["paths"].empty()) h += "<tr><td colspan=\"4\">No recommended product was bought.</td></tr>";
  h += "</tbody></table></div>";

  const json& in = r["input"];
  h += "<h2>Input</h2><div class=\"s\"><table><thead><tr><th>File</th><th>Lines</th><th>Events</th>"
       "<th>Malformed</th><th>Ignored types</th></tr></thead><tbody>";
  for (const auto& f : in["files"]) {
    h += "<tr><td>" + esc(f["file"].get<std::string>()) + "</td><td>" + count(f["lines"]) +
         "</td><td>" + count(f["events"]) + "</td><td>" + count(f["malformed"]) + "</td><td>" +
         count(f["ignored"]) + "</td></tr>";
  }
  h += "</tbody></table></div><p class=\"m\">Duplicate orders skipped: " +
       count(in["duplicate_orders"]) +
       "; events outside the period: " + count(in["events_outside_period"]) + ".</p>";
  return h + "</main></body></html>\n";
}

}  // namespace aisle
