// aisle report: the statistics, every metric on a hand-computed log, awkward inputs, and
// the recovery of a known lift from a simulated experiment.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "demo_data.h"
#include "report.h"
#include "rules.h"
#include "simulated.h"
#include "stats.h"

using namespace aisle;
using nlohmann::json;

namespace {
std::string temp_file(const std::string& text) {
  char path[] = "/tmp/aisle-report-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}
json report_of(const std::string& text, ReportOptions o = {}) {
  const std::string file = temp_file(text);
  o.event_files = {file};
  Diagnostics diag;
  json r = build_report(o, diag);
  std::remove(file.c_str());
  CHECK_FALSE(report_html(r).empty());  // every report renders
  return r;
}
const json* find(const json& rows, const std::string& name) {
  for (const auto& r : rows)
    if (r["name"] == name) return &r;
  return nullptr;
}

// Visitor A: a paid-search visit that clicks a recommendation and buys it, and a direct
// visit a week later that buys an item shown but not clicked; B (email, holdout) buys in
// EUR; C (organic, holdout) only looks. Plus a duplicate order, a malformed line and a
// page_view.
const char* kLog =
    R"({"event":"aisle_exposure","timestamp":"2026-11-02T10:00:00Z","visitor_id":"A","session_id":"1","source":"google","medium":"cpc","aisle_experiment":"recs","aisle_variant":"engine"}
{"event":"view_item","timestamp":"2026-11-02T10:00:01Z","visitor_id":"A","session_id":"1","items":[{"item_id":"P1","price":20}]}
{"event":"view_item_list","timestamp":"2026-11-02T10:00:02Z","visitor_id":"A","session_id":"1","item_list_id":"aisle_product","aisle_anchor":"P1","aisle_context":"gift","aisle_experiment":"recs","aisle_variant":"engine","items":[{"item_id":"R1","price":30,"aisle_reason":"bought_together","index":0},{"item_id":"R2","price":15,"aisle_reason":"similar_item","index":1}]}
{"event":"select_item","timestamp":"2026-11-02T10:01:00Z","visitor_id":"A","session_id":"1","item_list_id":"aisle_product","items":[{"item_id":"R1","aisle_reason":"bought_together","index":0}]}
{"event":"add_to_cart","timestamp":"2026-11-02T10:02:00Z","visitor_id":"A","session_id":"1","items":[{"item_id":"R1","price":30}]}
{"event":"purchase","timestamp":"2026-11-02T10:05:00Z","visitor_id":"A","session_id":"1","transaction_id":"T1","value":50,"currency":"USD","items":[{"item_id":"R1","price":30,"quantity":1},{"item_id":"P1","price":20,"quantity":1}]}
{"event":"purchase","timestamp":"2026-11-02T10:05:01Z","visitor_id":"A","session_id":"1","transaction_id":"T1","value":50,"currency":"USD","items":[{"item_id":"R1","price":30}]}
{not json
{"event":"page_view","timestamp":"2026-11-02T11:00:00Z","visitor_id":"B","session_id":"3"}
{"event":"aisle_exposure","timestamp":"2026-11-09T09:00:00Z","visitor_id":"A","session_id":"2","aisle_experiment":"recs","aisle_variant":"engine"}
{"event":"view_item_list","timestamp":"2026-11-09T09:00:01Z","visitor_id":"A","session_id":"2","item_list_id":"aisle_home","items":[{"item_id":"R2","price":15,"aisle_reason":"trending"}]}
{"event":"purchase","timestamp":"2026-11-09T09:03:00Z","visitor_id":"A","session_id":"2","transaction_id":"T2","value":15,"currency":"USD","items":[{"item_id":"R2","price":15}]}
{"event":"aisle_exposure","timestamp":"2026-11-03T08:00:00Z","visitor_id":"B","session_id":"3","source":"newsletter","medium":"email","aisle_experiment":"recs","aisle_variant":"holdout"}
{"event":"view_item","timestamp":"2026-11-03T08:00:05Z","visitor_id":"B","session_id":"3","items":[{"item_id":"P1"}]}
{"event":"purchase","timestamp":"2026-11-03T08:04:00Z","visitor_id":"B","session_id":"3","transaction_id":"T3","value":100,"currency":"EUR","items":[{"item_id":"P1","price":100}]}
{"event":"aisle_exposure","timestamp":"2026-11-04T08:00:00Z","visitor_id":"C","session_id":"4","source":"google","medium":"organic","aisle_experiment":"recs","aisle_variant":"holdout"}
{"event":"view_item","timestamp":"2026-11-04T08:00:05Z","visitor_id":"C","session_id":"4","items":[{"item_id":"P2"}]}
)";
}  // namespace

TEST_CASE("statistics: known values") {
  CHECK(normal_cdf(1.959963984540054) == doctest::Approx(0.975).epsilon(1e-9));
  CHECK(student_t_cdf(2.228138851986, 10) == doctest::Approx(0.975).epsilon(1e-7));  // t table
  CHECK(student_t_cdf(-2.228138851986, 10) == doctest::Approx(0.025).epsilon(1e-6));
  CHECK(student_t_cdf(0, 3) == doctest::Approx(0.5));
  CHECK(student_t_cdf(1, 1) == doctest::Approx(0.75).epsilon(1e-12));  // Cauchy: 1/2 + atan(1)/pi
  CHECK(student_t_cdf(2.570581835636, 5) == doctest::Approx(0.975).epsilon(1e-7));  // t table
  CHECK(student_t_cdf(2.749995652, 30) == doctest::Approx(0.995).epsilon(1e-7));    // t table
  CHECK(student_t_cdf(1.644853627, 1e9) == doctest::Approx(0.95).epsilon(1e-7));    // -> normal
  // 50/100 vs 60/100: pooled z = 0.1 / sqrt(.55 * .45 * .02) = 1.42134, p = 0.15523.
  const Comparison r = compare_rates(50, 100, 60, 100);
  CHECK(r.diff == doctest::Approx(0.1));
  CHECK(r.p_value == doctest::Approx(0.15523).epsilon(1e-4));
  CHECK(r.diff_lo == doctest::Approx(0.1 - 1.959964 * std::sqrt(0.25 / 100 + 0.24 / 100)));
  CHECK(r.relative == doctest::Approx(0.2));
  CHECK(r.relative_lo < 0.2);
  CHECK(r.relative_hi > 0.2);
  // Welch: means 3 and 6, variances 2.5 and 10 (n = 5): t = 1.89737, df = 5.88235.
  const Comparison m = compare_means({1, 2, 3, 4, 5}, {2, 4, 6, 8, 10});
  CHECK(m.diff == doctest::Approx(3));
  CHECK(m.p_value == doctest::Approx(2 * (1 - student_t_cdf(1.8973666, 5.8823529))).epsilon(1e-9));
  CHECK(m.p_value == doctest::Approx(0.1075).epsilon(1e-3));  // R: t.test(x, y), p-value = 0.1075
  // The 95% interval uses the t quantile at df = 5.88235 (2.4588: the table gives 2.5706 at
  // 5 and 2.4469 at 6, 2.4592 interpolated in 1/df).
  CHECK((m.diff_hi - m.diff) / std::sqrt(2.5 / 5 + 10.0 / 5) ==
        doctest::Approx(2.4588).epsilon(1e-3));
  CHECK(sample_needed(0.5, 0.1) == 1562);  // 7.8489 * (0.25 + 0.2475) / 0.05^2
  CHECK(sample_needed(0, 0.1) == 0);
  CHECK_FALSE(compare_rates(0, 0, 1, 2).valid);
  CHECK_FALSE(compare_means({1}, {2}).valid);
}

TEST_CASE("report: every metric on a hand-computed log") {
  const json r = report_of(kLog);
  const json& o = r["overall"];
  CHECK(o["sessions"] == 4);
  CHECK(o["visitors"] == 3);
  CHECK(o["orders"] == 3);
  CHECK(o["converted_sessions"] == 3);
  CHECK(o["conversion_rate"].get<double>() == doctest::Approx(0.75));
  CHECK(o["revenue"]["USD"].get<double>() == doctest::Approx(65));
  CHECK(o["revenue"]["EUR"].get<double>() == doctest::Approx(100));
  CHECK(o["aov"]["USD"].get<double>() == doctest::Approx(32.5));
  CHECK(o["aov"]["EUR"].get<double>() == doctest::Approx(100));
  CHECK(o["revenue_per_session"]["USD"].get<double>() == doctest::Approx(16.25));
  CHECK(o["repeat_purchase_rate"].get<double>() == doctest::Approx(0.5));  // A of A and B
  const json& rec = o["recommendations"];
  CHECK(rec["lists"] == 2);
  CHECK(rec["impressions"] == 3);
  CHECK(rec["clicks"] == 1);
  CHECK(rec["ctr"].get<double>() == doctest::Approx(1.0 / 3));
  CHECK(rec["adds_click_through"] == 1);
  CHECK(rec["adds_view_through"] == 0);
  CHECK(rec["revenue_click_through"]["USD"].get<double>() == doctest::Approx(30));
  CHECK(rec["revenue_view_through"]["USD"].get<double>() == doctest::Approx(15));
  CHECK(rec["share_of_revenue_click_through"]["USD"].get<double>() == doctest::Approx(30.0 / 65));
  CHECK(r["main_currency"] == "EUR");

  const json& seg = r["segments"];
  CHECK((*find(seg["traffic"], "paid_search"))["sessions"] == 1);
  CHECK((*find(seg["traffic"], "email"))["revenue"]["EUR"].get<double>() == doctest::Approx(100));
  CHECK((*find(seg["traffic"], "organic_search"))["conversion_rate"].get<double>() == 0);
  CHECK((*find(seg["visitor_type"], "new"))["sessions"] == 3);
  CHECK((*find(seg["visitor_type"], "returning"))["sessions"] == 1);
  const json& product = *find(seg["placement"], "aisle_product");
  CHECK(product["impressions"] == 2);
  CHECK(product["clicks"] == 1);
  CHECK(product["adds"] == 1);
  CHECK(product["revenue_click_through"]["USD"].get<double>() == doctest::Approx(30));
  CHECK((*find(seg["placement"], "aisle_home"))["impressions"] == 1);
  CHECK((*find(seg["context"], "gift"))["clicks"] == 1);
  CHECK((*find(seg["context"], "none"))["impressions"] == 1);
  CHECK((*find(seg["reason"], "bought_together"))["ctr"].get<double>() == doctest::Approx(1));
  CHECK((*find(seg["reason"], "similar_item"))["clicks"] == 0);
  CHECK((*find(seg["reason"], "trending"))["impressions"] == 1);

  REQUIRE(r["paths"].size() == 1);
  CHECK(r["paths"][0]["viewed"] == "P1");
  CHECK(r["paths"][0]["bought"] == "R1");
  CHECK(r["paths"][0]["revenue"]["USD"].get<double>() == doctest::Approx(30));

  REQUIRE(r["experiments"].size() == 1);
  const json& e = r["experiments"][0];
  CHECK(e["control"] == "holdout");
  REQUIRE(e["comparisons"].size() == 1);
  const json& cvr = e["comparisons"][0]["conversion_rate"];
  CHECK(cvr["control"].get<double>() == doctest::Approx(0.5));
  CHECK(cvr["variant"].get<double>() == doctest::Approx(1.0));
  CHECK(e["comparisons"][0]["sample"]["enough"] == false);
  CHECK(e["comparisons"][0]["warnings"].size() == 2);  // too small, too short

  CHECK(r["weekly"].size() == 2);
  CHECK(r["weekly"][0]["week_of"] == "2026-11-02");  // a Monday
  CHECK(r["weekly"][1]["sessions"] == 1);
  CHECK(r["input"]["malformed_lines"] == 1);
  CHECK(r["input"]["duplicate_orders"] == 1);
  CHECK(r["input"]["files"][0]["ignored"] == 5);  // page_view and 4 exposure events
}

TEST_CASE("report: the sample-size warning quotes the experiment's own minimum effect") {
  ReportOptions o;
  o.min_effect = 0.05;                    // --min-effect, for experiments the rules do not name
  o.experiment_min_effect["recs"] = 0.2;  // the rules' minimum_effect of "recs"
  const json r = report_of(kLog, o);
  const json& cmp = r["experiments"][0]["comparisons"][0];
  CHECK(cmp["sample"]["minimum_effect"].get<double>() == doctest::Approx(0.2));
  const std::string note = cmp["warnings"][0].get<std::string>();
  CHECK(note.find("too few sessions to detect a 20% change") != std::string::npos);
  CHECK(note.find(std::to_string(cmp["sample"]["sessions_needed_per_arm"].get<uint64_t>()) +
                  " per arm") != std::string::npos);
  CHECK(r["warnings"][0].get<std::string>().find("recs (engine): " + note) == 0);

  o.experiment_min_effect["recs"] = 0.025;
  CHECK(report_of(kLog, o)["warnings"][0].get<std::string>().find("detect a 2.5% change") !=
        std::string::npos);
  o.experiment_min_effect.clear();  // not named by the rules: the global one, 5%
  const json g = report_of(kLog, o);
  CHECK(g["experiments"][0]["comparisons"][0]["warnings"][0].get<std::string>().find(
            "detect a 5% change") != std::string::npos);
}

TEST_CASE("report: the period filter") {
  ReportOptions o;
  o.from_ms = 1793923200000;  // 2026-11-06
  const json r = report_of(kLog, o);
  CHECK(r["overall"]["sessions"] == 1);
  CHECK(r["input"]["events_outside_period"] == 12);
}

TEST_CASE("report: empty input, a single session, no experiment") {
  const json empty = report_of("");
  CHECK(empty["overall"]["sessions"] == 0);
  CHECK(empty["overall"]["conversion_rate"].is_null());
  CHECK(empty["warnings"].size() == 1);
  const json garbage = report_of("nonsense\n{\"event\": 5}\n");
  CHECK(garbage["input"]["malformed_lines"] == 2);
  const json one = report_of(
      R"({"event":"view_item","timestamp":"2026-11-02T10:00:00Z","visitor_id":"A","session_id":"1","items":[{"item_id":"X"}]})"
      "\n");
  CHECK(one["overall"]["sessions"] == 1);
  CHECK(one["overall"]["conversion_rate"].get<double>() == 0);
  CHECK(one["experiments"].empty());
  CHECK(one["segments"]["placement"].empty());
}

TEST_CASE("report: recovers the known lift of a simulated experiment within its interval") {
  // Analytics carries the arms' ids; the rules give their names back.
  CHECK(simulated_report(0.10, 4000)["experiments"][0]["comparisons"][0]["variant"] ==
        public_id("engine"));
  Rules rules;
  const json r = simulated_report(0.10, 40000, &rules);
  REQUIRE(r["experiments"].size() == 1);
  CHECK(r["experiments"][0]["id"] == rules.experiments[0].id);
  CHECK(r["experiments"][0]["name"] == rules.experiments[0].name);
  const json& c = r["experiments"][0]["comparisons"][0];
  CHECK(c["variant"] == "engine");
  CHECK(c["against"] == "holdout");
  const json& cvr = c["conversion_rate"];
  CHECK(cvr["relative_ci95"][0].get<double>() <= 0.10);
  CHECK(cvr["relative_ci95"][1].get<double>() >= 0.10);
  CHECK(cvr["significant"] == true);
  // Orders were dropped at random in the holdout: their value is unchanged.
  const json& aov = c["aov"];
  CHECK(aov["ci95"][0].get<double>() <= 0);
  CHECK(aov["ci95"][1].get<double>() >= 0);
  CHECK(c["sample"]["enough"] == true);
  CHECK(r["overall"]["recommendations"]["clicks"].get<uint64_t>() > 0);
}
