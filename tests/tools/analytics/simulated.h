// The report of a simulated experiment (`aisle demo-data --experiment`), shared by the
// report's tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <doctest/doctest.h>

#include "demo_data.h"
#include "report.h"
#include "rules.h"

namespace aisle {

// The report of `sessions` simulated sessions whose recommendations lift conversion by
// `lift`; with `rules`, filled from the simulation's rules.json, which name the arms.
inline nlohmann::json simulated_report(double lift, uint64_t sessions, Rules* rules = nullptr) {
  DemoOptions d;
  d.sessions = sessions;
  d.experiment_lift = lift;
  char dir[] = "/tmp/aisle-report-demo-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  generate_demo(d, dir);
  ReportOptions o;
  o.event_files = {std::string(dir) + "/events.jsonl"};
  if (rules != nullptr) {
    std::ifstream in(std::string(dir) + "/rules.json");
    REQUIRE(parse_rules_json(std::string(std::istreambuf_iterator<char>(in), {}), rules).is_ok());
    name_experiments(*rules, &o);
  }
  Diagnostics diag;
  nlohmann::json r = build_report(o, diag);
  std::filesystem::remove_all(dir);
  return r;
}

}  // namespace aisle
