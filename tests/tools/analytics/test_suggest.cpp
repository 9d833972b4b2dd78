// aisle report's money and suggestions: incremental revenue against the holdout on logs
// whose answer is known, each suggestion on a log built to need it (and none where the
// data does not: a position artefact, chance), data problems stated as warnings, and the
// demo's simulated experiment read as a manager would.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "report.h"
#include "rules.h"
#include "simulated.h"
#include "stats.h"

using namespace aisle;
using nlohmann::json;

namespace {

// Writes GA4 JSONL the way the loader pushes it, one session at a time.
class Log {
 public:
  struct Shown {
    std::string item, reason;
    int position;
    bool clicked;
  };
  // A session of `visitor` on `day` (0: 2026-11-02, a Monday) in `arm` ("" for none).
  void session(const std::string& visitor, int day, const std::string& arm,
               const std::string& medium = "organic") {
    ++n_;
    visitor_ = visitor;
    t_ = 1793577600000LL + int64_t(day) * 86400000 + int64_t(n_ % 1000) * 1000;  // 2026-11-02
    line("{\"event\":\"aisle_exposure\"" + std::string(arm.empty() ? "" : arm_(arm)) +
         ",\"source\":\"google\",\"medium\":\"" + medium + "\"}");
    arm_name_ = arm;
  }
  void list(const std::string& list_id, const std::vector<Shown>& items) {
    std::string view = "{\"event\":\"view_item_list\",\"item_list_id\":\"" + list_id + "\"" +
                       (arm_name_.empty() ? "" : arm_(arm_name_)) + ",\"items\":[";
    for (size_t k = 0; k < items.size(); ++k) {
      view += (k ? "," : "") + item(items[k]);
    }
    line(view + "]}");
    for (const Shown& s : items) {
      if (s.clicked)
        line("{\"event\":\"select_item\",\"item_list_id\":\"" + list_id + "\",\"items\":[" +
             item(s) + "]}");
    }
  }
  void purchase(double value, const std::string& currency = "USD", const std::string& item = "P") {
    line("{\"event\":\"purchase\",\"transaction_id\":\"T" + std::to_string(++orders_) +
         "\",\"value\":" + std::to_string(value) + ",\"currency\":\"" + currency +
         "\",\"items\":[{\"item_id\":\"" + item + "\",\"price\":" + std::to_string(value) + "}]}");
  }
  void raw(const std::string& json_line) { text_ += json_line + "\n"; }
  const std::string& text() const { return text_; }

 private:
  static std::string arm_(const std::string& arm) {
    return ",\"aisle_experiment\":\"recs\",\"aisle_variant\":\"" + arm + "\"";
  }
  static std::string item(const Shown& s) {
    return "{\"item_id\":\"" + s.item + "\",\"price\":10,\"aisle_reason\":\"" + s.reason +
           "\",\"index\":" + std::to_string(s.position) + "}";
  }
  void line(std::string event) {  // adds the session fields and a timestamp
    char ts[64];
    const int64_t s = (t_ += 1000) / 1000;
    std::snprintf(ts, sizeof ts, "%lld", static_cast<long long>(s));
    event.insert(event.size() - 1, ",\"timestamp\":" + std::string(ts) + ",\"visitor_id\":\"" +
                                       visitor_ + "\",\"session_id\":\"" + std::to_string(n_) +
                                       "\"");
    text_ += event + "\n";
  }
  std::string text_, visitor_, arm_name_;
  int n_ = 0, orders_ = 0;
  int64_t t_ = 0;
};

json report_of(const std::string& text, ReportOptions o = {}) {
  char path[] = "/tmp/aisle-suggest-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  std::ofstream(path, std::ios::binary) << text;
  o.event_files = {path};
  Diagnostics diag;
  json r = build_report(o, diag);
  std::remove(path);
  CHECK_FALSE(report_html(r).empty());
  CHECK_FALSE(digest_text(r).empty());
  CHECK_FALSE(digest_html(r).empty());
  return r;
}

std::vector<std::string> kinds(const json& r) {
  std::vector<std::string> out;
  for (const auto& s : r["suggestions"]) out.push_back(s["kind"].get<std::string>());
  return out;
}

bool has_warning(const json& r, const std::string& part) {
  for (const auto& w : r["warnings"])
    if (w.get<std::string>().find(part) != std::string::npos) return true;
  return false;
}

// Lists of two items, `a` and `b` reasons, for `sessions` sessions; `clicks(k, reason,
// position)` says whether session k clicks the item.
template <typename Clicks>
Log two_reasons(int sessions, bool alternate, Clicks clicks) {
  Log log;
  for (int k = 0; k < sessions; ++k) {
    log.session("V" + std::to_string(k), k % 14, "");
    const bool swap = alternate && k % 2 == 1;  // each reason at each position half the time
    const std::string first = swap ? "similar_item" : "bought_together";
    const std::string second = swap ? "bought_together" : "similar_item";
    log.list("aisle_product", {{"A" + std::to_string(k % 200), first, 0, clicks(k, first, 0)},
                               {"B" + std::to_string(k % 200), second, 1, clicks(k, second, 1)}});
  }
  return log;
}

}  // namespace

TEST_CASE("money: incremental revenue and orders by hand, per currency and per week") {
  // Holdout: 4 sessions with 0, 10, 0, 30 USD; engine: 4 with 20, 0, 40, 20 USD, and one
  // engine order in EUR. Revenue per session 10 against 20 USD: +10 x 4 sessions = +40 USD.
  Log log;
  const double holdout[] = {0, 10, 0, 30}, engine[] = {20, 0, 40, 20};
  for (int k = 0; k < 4; ++k) {
    log.session("H" + std::to_string(k), k < 2 ? 0 : 7, "holdout");
    if (holdout[k] > 0) log.purchase(holdout[k]);
    log.session("E" + std::to_string(k), k < 2 ? 0 : 7, "engine");
    if (engine[k] > 0) log.purchase(engine[k]);
  }
  log.session("E9", 8, "engine");
  log.purchase(50, "EUR");
  const json r = report_of(log.text());
  REQUIRE(r["money"]["incremental"].size() == 1);
  const json& m = r["money"]["incremental"][0];
  CHECK(m["variant"] == "engine");
  CHECK(m["against"] == "holdout");
  CHECK(m["sessions"] == 5);
  // USD: holdout 40/4 = 10 per session, engine 80/5 = 16: +6 x 5 sessions = +30 USD.
  const json& usd = m["revenue"]["USD"];
  CHECK(usd["difference"].get<double>() == doctest::Approx(6));
  CHECK(usd["total"].get<double>() == doctest::Approx(30));
  const Comparison welch = compare_means({0, 10, 0, 30}, {20, 0, 40, 20, 0});
  CHECK(usd["total_ci95"][0].get<double>() == doctest::Approx(welch.diff_lo * 5));
  CHECK(usd["total_ci95"][1].get<double>() == doctest::Approx(welch.diff_hi * 5));
  // EUR is its own figure, never added to USD: 50/5 per engine session, none in the holdout.
  CHECK(m["revenue"]["EUR"]["total"].get<double>() == doctest::Approx(50));
  CHECK(m["revenue"].size() == 2);
  // Orders: 2 of 4 against 4 of 5 sessions: (0.8 - 0.5) x 5 = +1.5.
  CHECK(m["orders"]["total"].get<double>() == doctest::Approx(1.5));
  // Per week: week 1 holds H0, H1 (0, 10) and E0, E1 (20, 0): +5 x 2 = +10 USD.
  const json& weeks = r["experiments"][0]["comparisons"][0]["weekly"];
  REQUIRE(weeks.size() == 2);
  CHECK(weeks[0]["week_of"] == "2026-11-02");
  CHECK(weeks[0]["revenue"]["USD"]["total"].get<double>() == doctest::Approx(10));
  CHECK(r["weekly"][0]["incremental_revenue"]["USD"].get<double>() == doctest::Approx(10));
  CHECK(has_warning(r, "2 currencies (EUR, USD)"));
  // Click-through revenue stays beside it, a different figure (no clicks here).
  CHECK(r["money"]["revenue_click_through"].empty());
}

TEST_CASE("money: a generated log with a known lift gives it back within the interval") {
  const json r = simulated_report(0.25, 20000);
  const json& m = r["money"]["incremental"][0];
  const json* engine = nullptr;
  for (const auto& a : r["experiments"][0]["arms"])
    if (a["name"] != "holdout") engine = &a;
  REQUIRE(engine != nullptr);
  // The holdout lost L/(1+L) of its orders at random: without recommendations, the treated
  // arm would have earned its revenue / (1 + L), so the true increment is revenue x L/(1+L).
  const double revenue = (*engine)["revenue"]["USD"].get<double>();
  const double truth = revenue * 0.25 / 1.25;
  const json& usd = m["revenue"]["USD"];
  CHECK(usd["total_ci95"][0].get<double>() <= truth);
  CHECK(usd["total_ci95"][1].get<double>() >= truth);
  CHECK(usd["significant"] == true);
  CHECK(usd["total"].get<double>() ==
        doctest::Approx(usd["difference"].get<double>() * m["sessions"].get<double>()));
  // Orders: the holdout's conversion is the treated arm's / (1 + L).
  const double orders = (*engine)["orders"].get<double>();
  CHECK(m["orders"]["total_ci95"][0].get<double>() <= orders * 0.25 / 1.25);
  CHECK(m["orders"]["total_ci95"][1].get<double>() >= orders * 0.25 / 1.25);
}

TEST_CASE("suggestions: a reason passed over at the same positions, and not a position artefact") {
  // bought_together is clicked 1 time in 40 at either position, similar_item 1 in 5.
  const Log ignored = two_reasons(2000, true, [](int k, const std::string& reason, int) {
    return reason == "bought_together" ? k % 40 == 0 : k % 5 == 0;
  });
  const json r = report_of(ignored.text());
  REQUIRE(kinds(r) == std::vector<std::string>{"reason"});
  CHECK(r["suggestions"][0]["title"].get<std::string>().find("bought_together") !=
        std::string::npos);
  CHECK(r["suggestions"][0]["change"].get<std::string>().find("\"bought_together\": 0.5") !=
        std::string::npos);
  CHECK(r["suggestions"][0]["uncertainty"].get<std::string>().find("95% interval") !=
        std::string::npos);
  // Clicks by position only, each reason always at its own: the top position is clicked
  // more whatever sits there, so the data cannot tell.
  const Log fixed = two_reasons(2000, false, [](int k, const std::string&, int position) {
    return position == 1 ? k % 40 == 0 : k % 5 == 0;
  });
  const json f = report_of(fixed.text());
  CHECK(kinds(f).empty());
  REQUIRE(f["cannot_tell"].size() == 1);
  CHECK(f["cannot_tell"][0].get<std::string>().find("bought_together, similar_item") !=
        std::string::npos);
  // Clicked alike, at a position effect: nothing to suggest.
  const Log alike = two_reasons(2000, true, [](int k, const std::string&, int position) {
    return position == 0 ? k % 5 == 0 : k % 9 == 0;
  });
  const json a = report_of(alike.text());
  CHECK(kinds(a).empty());
  CHECK(a["cannot_tell"].empty());
}

TEST_CASE("suggestions: a placement clicked far less than the others at the same positions") {
  Log log;
  for (int k = 0; k < 3000; ++k) {
    log.session("V" + std::to_string(k), k % 14, "");
    const bool cart = k % 2 == 0;
    const int every = cart ? 60 : 6, j = k / 2;  // j: the session's number in its placement
    log.list(cart ? "aisle_cart" : "aisle_product",
             {{"A" + std::to_string(k % 200), "similar_item", 0, j % every == 0},
              {"B" + std::to_string(k % 200), "trending", 1, j % every == 1}});
  }
  const json r = report_of(log.text());
  REQUIRE(kinds(r) == std::vector<std::string>{"placement"});
  CHECK(r["suggestions"][0]["title"] == "The aisle_cart list is passed over");
  CHECK(r["suggestions"][0]["change"].get<std::string>().find("\"cart\": {\"slots\"") !=
        std::string::npos);
}

TEST_CASE("suggestions: a segment where the holdout wins, at a level corrected for segments") {
  Log log;
  for (int k = 0; k < 4000; ++k) {
    const bool email = (k / 2) % 2 == 0, engine = k % 2 == 0;
    log.session("V" + std::to_string(k), k % 14, engine ? "engine" : "holdout",
                email ? "email" : "organic");
    // Everyone buys for about 50 USD one session in 3; email shoppers with recommendations
    // (k % 4 == 0) one in 6.
    if (k % 3 == 0 && (!(email && engine) || k % 24 == 0)) log.purchase(50 + k % 7);
  }
  const json r = report_of(log.text());
  std::vector<std::string> segments;
  for (const auto& s : r["suggestions"]) {
    if (s["kind"] == "segment") segments.push_back(s["title"].get<std::string>());
    if (s["title"] == "The holdout wins for traffic: email")
      CHECK(s["change"].get<std::string>().find("\"segments\": {\"email\"") != std::string::npos);
  }
  CHECK(std::count(segments.begin(), segments.end(), "The holdout wins for traffic: email") == 1);
  CHECK(std::count(segments.begin(), segments.end(),
                   "The holdout wins for traffic: organic_search") == 0);
  // The same shoppers without the email difference: no segment is singled out by chance.
  Log even;
  for (int k = 0; k < 4000; ++k) {
    even.session("V" + std::to_string(k), k % 14, k % 2 == 0 ? "engine" : "holdout",
                 k % 4 == 0 ? "email" : "organic");
    if (k % 3 == 0) even.purchase(50 + k % 7);
  }
  const auto e = kinds(report_of(even.text()));
  CHECK(std::count(e.begin(), e.end(), "segment") == 0);
}

TEST_CASE("suggestions: a boost whose items are shown but never clicked") {
  Log log;
  for (int k = 0; k < 3000; ++k) {
    log.session("V" + std::to_string(k), k % 14, "");
    const bool swap = k % 2 == 1;
    // Two boosted products take a slot at either position and are never clicked.
    const Log::Shown boosted{k % 3 == 0 ? "BOOST-1" : "BOOST-2", "merchant_boost", swap ? 1 : 0,
                             false};
    const Log::Shown other{"A" + std::to_string(k % 30), "similar_item", swap ? 0 : 1,
                           (k / 30) % 4 == 0};
    log.list("aisle_product", {boosted, other});
  }
  const json r = report_of(log.text());
  const auto k = kinds(r);
  CHECK(std::count(k.begin(), k.end(), "reason") == 1);
  CHECK(std::count(k.begin(), k.end(), "products") == 1);
  for (const auto& s : r["suggestions"]) {
    if (s["kind"] == "reason")
      CHECK(s["change"].get<std::string>().find("boosts") != std::string::npos);
    if (s["kind"] == "products") {
      CHECK(s["title"] == "2 products shown often are never clicked");
      CHECK(s["change"].get<std::string>().find("a boost, quota or pin places") !=
            std::string::npos);
      CHECK(s["evidence"].get<std::string>().find("BOOST-2") != std::string::npos);
    }
  }
  // The clicked products are not listed: every one of them was clicked.
  CHECK(r["products"]["never_clicked"].size() == 2);
}

TEST_CASE("products: top by revenue, paths with titles, colour swaps are no paths") {
  Log log;
  log.session("V1", 0, "");
  log.raw(
      R"({"event":"view_item_list","timestamp":"2026-11-02T10:00:00Z","visitor_id":"V1","session_id":"x","item_list_id":"aisle_product","aisle_anchor":"MUG-RED","items":[{"item_id":"MUG-BLUE","price":12,"aisle_reason":"similar_item","index":0},{"item_id":"SPOON","price":4,"aisle_reason":"bought_together","index":1}]})");
  log.raw(
      R"({"event":"select_item","timestamp":"2026-11-02T10:00:05Z","visitor_id":"V1","session_id":"x","item_list_id":"aisle_product","items":[{"item_id":"MUG-BLUE","index":0}]})");
  log.raw(
      R"({"event":"select_item","timestamp":"2026-11-02T10:00:06Z","visitor_id":"V1","session_id":"x","item_list_id":"aisle_product","items":[{"item_id":"SPOON","index":1}]})");
  log.raw(
      R"({"event":"purchase","timestamp":"2026-11-02T10:01:00Z","visitor_id":"V1","session_id":"x","transaction_id":"T1","value":16,"currency":"USD","items":[{"item_id":"MUG-BLUE","price":12},{"item_id":"SPOON","price":4}]})");
  ReportOptions o;
  o.titles = {{"MUG-RED", "Stoneware mug, red"},
              {"MUG-BLUE", "Stoneware mug, blue"},
              {"SPOON", "Tea spoon"}};
  o.groups = {{"MUG-RED", "mug"}, {"MUG-BLUE", "mug"}, {"SPOON", "spoon"}};
  const json r = report_of(log.text(), o);
  REQUIRE(r["paths"].size() == 1);  // red mug -> blue mug is another colour of one product
  CHECK(r["paths"][0]["viewed_title"] == "Stoneware mug, red");
  CHECK(r["paths"][0]["bought_title"] == "Tea spoon");
  CHECK(r["paths_variant_swaps"] == 1);
  const json& top = r["products"]["top_by_revenue"];
  REQUIRE(top.size() == 2);
  CHECK(top[0]["id"] == "MUG-BLUE");
  CHECK(top[0]["title"] == "Stoneware mug, blue");
  CHECK(top[0]["revenue_click_through"]["USD"].get<double>() == doctest::Approx(12));
  CHECK(top[1]["id"] == "SPOON");
}

TEST_CASE("data problems are warnings: orders without values, events outside the period") {
  Log log;
  log.raw(
      R"({"event":"purchase","timestamp":"2026-11-02T10:00:00Z","visitor_id":"A","session_id":"1","transaction_id":"T1","items":[{"item_id":"X"}]})");
  log.raw(
      R"({"event":"purchase","timestamp":"2026-11-03T10:00:00Z","visitor_id":"B","session_id":"2","transaction_id":"T2","value":20,"items":[{"item_id":"X"}]})");
  log.raw(
      R"({"event":"view_item","timestamp":"2026-10-20T10:00:00Z","visitor_id":"C","session_id":"3","items":[{"item_id":"X"}]})");
  ReportOptions o;
  o.from_ms = 1793577600000LL;  // 2026-11-02
  const json r = report_of(log.text(), o);
  CHECK(r["input"]["orders_without_value"] == 1);
  CHECK(r["input"]["orders_without_currency"] == 2);
  CHECK(r["input"]["events_before_period"] == 1);
  CHECK(has_warning(r, "1 order carried no value"));
  CHECK(has_warning(r, "2 orders carried no currency"));
  CHECK(has_warning(r, "1 event before the first day"));
  CHECK(has_warning(r, "no week-over-week change"));
  CHECK(r["money"]["incremental"].empty());
}

TEST_CASE("weeks: week over week between whole weeks, the repeat rate over a rolling 28 days") {
  Log log;
  // 5 whole weeks from Monday 2026-11-02; visitor R buys in weeks 1 and 4, S in week 4 only.
  for (int day = 0; day < 35; ++day) {
    log.session("D" + std::to_string(day), day, "");
    if (day == 3) log.purchase(10);
  }
  log.session("R", 2, "");
  log.purchase(30);
  log.session("R", 24, "");
  log.purchase(30);
  log.session("S", 25, "");
  log.purchase(30);
  const json r = report_of(log.text());
  const json& w = r["weekly"];
  REQUIRE(w.size() == 5);
  CHECK_FALSE(w[0].contains("vs_previous_week"));
  // Week 1: D0-D6 and R (40 USD); week 2: D7-D13, nothing bought.
  CHECK(w[1]["vs_previous_week"]["sessions"].get<double>() == doctest::Approx(7.0 / 8 - 1));
  CHECK(w[1]["vs_previous_week"]["revenue"]["USD"].get<double>() == doctest::Approx(-1));
  CHECK_FALSE(w[0].contains("repeat_purchase_rate"));  // a week is too short for it
  CHECK(w[2]["repeat_purchase_rate_28d"].is_null());   // the data covers 21 days by then
  // Weeks 1-4: buyers D3, R (2 sessions), S: 1 of 3.
  CHECK(w[3]["repeat_purchase_rate_28d"].get<double>() == doctest::Approx(1.0 / 3));
}

TEST_CASE("the demo's simulated experiment: the money and three sensible suggestions") {
  Rules rules;
  const json r = simulated_report(0.10, 40000, &rules);
  const json& usd = r["money"]["incremental"][0]["revenue"]["USD"];
  CHECK(usd["significant"] == true);
  CHECK(usd["total_ci95"][0].get<double>() > 0);
  // Click-through revenue is far from the increment: it is not the same figure.
  CHECK(r["money"]["revenue_click_through"]["USD"].get<double>() < usd["total"].get<double>());
  REQUIRE(r["suggestions"].size() == 3);
  const json& s = r["suggestions"];
  CHECK(s[0]["kind"] == "experiment");
  CHECK(s[0]["change"].get<std::string>().find("\"holdout\": {\"share\": 0.10}") !=
        std::string::npos);
  // The simulated shoppers look within the category they browse: the complements
  // (bought_together, category_best_seller) are passed over; similar items are not.
  std::vector<std::string> reasons;
  for (size_t i = 1; i < 3; ++i) {
    CHECK(s[i]["kind"] == "reason");
    reasons.push_back(s[i]["title"].get<std::string>());
  }
  std::sort(reasons.begin(), reasons.end());
  CHECK(reasons[0] == "Shoppers pass over \"bought_together\" recommendations");
  CHECK(reasons[1] == "Shoppers pass over \"category_best_seller\" recommendations");
  const std::string digest = digest_text(r);
  CHECK(digest.find("Money from recommendations:") != std::string::npos);
  CHECK(digest.find("The one KPI, revenue per session:") != std::string::npos);
  CHECK(digest.find("3. Shoppers pass over") != std::string::npos);
}
