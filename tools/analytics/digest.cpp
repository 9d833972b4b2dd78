// `aisle report --weekly`: the digest of a report for email -- the last full week's money,
// the one KPI (revenue per session) and the top three actions -- as plain text and as a
// short HTML page (inline styles only, no images or scripts: mail clients strip them).
#include <cstdio>
#include <string>
#include <vector>

#include "report.h"

namespace aisle {
namespace {

using nlohmann::json;

constexpr size_t kActions = 3;

std::string percent_change(const json& v) {
  if (!v.is_number()) return "no week before to compare";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.1f%% on the week before", v.get<double>() * 100);
  return buf;
}

std::string signed_money(const json& v, const std::string& cur) {
  const double x = v.get<double>();
  return (x >= 0 ? "+" : "") + format_money(x, cur);
}

// The digest's lines, each a (label, text) pair; both renderings are made from these.
struct Digest {
  std::string title;
  std::vector<std::pair<std::string, std::string>> figures;
  std::vector<json> actions;
  std::vector<std::string> notes;
};

// The last full week (seven days in the period), else the last week.
const json* digest_week(const json& weekly) {
  for (auto it = weekly.rbegin(); it != weekly.rend(); ++it)
    if ((*it)["days"] == 7) return &*it;
  return weekly.empty() ? nullptr : &weekly.back();
}

Digest make_digest(const json& r) {
  Digest d;
  const std::string cur = r["main_currency"].get<std::string>();
  const json* w = digest_week(r["weekly"]);
  if (w == nullptr) {
    d.title = "aisle weekly digest: no sessions in the period";
    return d;
  }
  const json none = json::object();
  const json& change = w->contains("vs_previous_week") ? (*w)["vs_previous_week"] : none;
  auto changed = [&](const char* key) -> json {
    return change.contains(key) ? change[key] : json(nullptr);
  };
  d.title = "aisle weekly digest, week of " + (*w)["week_of"].get<std::string>() +
            ((*w)["days"] == 7 ? "" : " (" + std::to_string((*w)["days"].get<int>()) + " days)");
  if (w->contains("incremental_revenue") && (*w)["incremental_revenue"].contains(cur)) {
    const json& ci = (*w)["incremental_revenue_ci95"][cur];
    const json& m = r["money"]["incremental"][0];
    d.figures.emplace_back(
        "Money from recommendations",
        signed_money((*w)["incremental_revenue"][cur], cur) +
            " against the holdout (95% interval " + signed_money(ci[0], cur) + " to " +
            signed_money(ci[1], cur) + "; " + m["experiment"].get<std::string>() + ": " +
            m["variant"].get<std::string>() + " vs " + m["against"].get<std::string>() + ")" +
            (ci[0].get<double>() <= 0 && ci[1].get<double>() >= 0
                 ? ": one week alone cannot tell, the interval holds 0"
                 : ""));
    // The whole experiment, which a single week's noise should not hide.
    if (m["revenue"].contains(cur)) {
      const json& all = m["revenue"][cur];
      d.figures.emplace_back("Money from recommendations over the experiment's " +
                                 std::to_string(m["days"].get<int64_t>()) + " days",
                             signed_money(all["total"], cur) + " (95% interval " +
                                 signed_money(all["total_ci95"][0], cur) + " to " +
                                 signed_money(all["total_ci95"][1], cur) + "), about " +
                                 signed_money(m["revenue_per_week"][cur], cur) + " a week");
    }
  } else {
    d.figures.emplace_back("Money from recommendations",
                           "not measurable: no experiment with a holdout in these events");
  }
  const json& click = (*w)["recommendations"]["revenue_click_through"];
  const json click_change = changed("revenue_click_through");
  d.figures.emplace_back(
      "Click-through revenue (bought after a click; some would have sold anyway)",
      click.contains(cur)
          ? format_money(click[cur].get<double>(), cur) + ", " +
                percent_change(click_change.is_object() && click_change.contains(cur)
                                   ? click_change[cur]
                                   : json(nullptr))
          : "none");
  const json& rps = (*w)["revenue_per_session"];
  const json rps_change = changed("revenue_per_session");
  d.figures.emplace_back(
      "The one KPI, revenue per session",
      rps.contains(cur)
          ? format_money(rps[cur].get<double>(), cur) + ", " +
                percent_change(rps_change.is_object() && rps_change.contains(cur) ? rps_change[cur]
                                                                                  : json(nullptr))
          : "no revenue");
  for (size_t i = 0; i < r["suggestions"].size() && i < kActions; ++i)
    d.actions.push_back(r["suggestions"][i]);
  d.notes.push_back("Actions from the whole period (" +
                    std::to_string(r["period"]["days"].get<int64_t>()) + " days); " +
                    std::to_string(r["warnings"].size()) +
                    (r["warnings"].size() == 1 ? " warning" : " warnings") +
                    " and the full figures in the report (aisle report --html).");
  return d;
}

}  // namespace

std::string digest_text(const json& r) {
  const Digest d = make_digest(r);
  std::string out = d.title + "\n\n";
  for (const auto& [label, text] : d.figures) out += label + ": " + text + "\n";
  if (!d.actions.empty()) out += "\nThis week's actions:\n";
  for (const json& a : d.actions) {
    out += std::to_string(a["rank"].get<int>()) + ". " + a["title"].get<std::string>() + "\n";
    out += "   why: " + a["evidence"].get<std::string>() + " (" +
           a["uncertainty"].get<std::string>() + ")\n";
    out += "   change: " + a["change"].get<std::string>() + "\n";
  }
  for (const auto& n : d.notes) out += "\n" + n + "\n";
  return out;
}

std::string digest_html(const json& r) {
  const Digest d = make_digest(r);
  std::string h =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" +
      html_escape(d.title) +
      "</title></head><body style=\"font:15px/1.45 system-ui,sans-serif;color:#222;margin:0;"
      "padding:16px;max-width:40rem\"><h1 style=\"font-size:1.3rem\">" +
      html_escape(d.title) + "</h1>";
  for (const auto& [label, text] : d.figures)
    h += "<p style=\"margin:.5rem 0\"><span style=\"color:#666\">" + html_escape(label) +
         "</span><br><strong>" + html_escape(text) + "</strong></p>";
  if (!d.actions.empty())
    h += "<h2 style=\"font-size:1.1rem;margin-top:1.25rem\">This week's actions</h2><ol "
         "style=\"padding-left:1.25rem\">";
  for (const json& a : d.actions) {
    h += "<li style=\"margin-bottom:.75rem\"><strong>" +
         html_escape(a["title"].get<std::string>()) + "</strong><br>" +
         html_escape(a["evidence"].get<std::string>()) + "<br><span style=\"color:#666\">" +
         html_escape(a["uncertainty"].get<std::string>()) +
         "</span><br>Change: <code style=\"overflow-wrap:anywhere\">" +
         html_escape(a["change"].get<std::string>()) + "</code></li>";
  }
  if (!d.actions.empty()) h += "</ol>";
  for (const auto& n : d.notes) h += "<p style=\"color:#666\">" + html_escape(n) + "</p>";
  return h + "</body></html>\n";
}

}  // namespace aisle
