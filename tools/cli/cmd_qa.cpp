// `aisle qa`: the checkpoint before a snapshot or rule set goes live (exit 1 on a failure).
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "file_io.h"
#include "qa.h"
#include "rules_file.h"
#include "text.h"

namespace aisle {
namespace {

const CommandSpec kQaSpec{
    "qa",
    "the checkpoint before a snapshot or rules go live (exit 1 on a failure)",
    "",
    0,
    "",
    R"(Checks the rules against the catalog first, each mistake by its JSON path and what it
matched: an error (exit 1) for a pin to a missing or excluded item, a label, brand,
category or margin tier that no item has, a quota that matches nothing that can be
shown; a warning for a pinned item out of stock, an item, promo, new-arrival, price,
margin or stock match of nothing, a quota of 50% or more on every placement
(docs/rules.md). A margin or stock range in --rules must be one the snapshot's build
evaluated (the snapshot holds no cost or stock count). Then replays a
battery of generated visits for every placement and every segment (traffic classes, new
and returning visitors), at the snapshot's time and inside and around every campaign,
and fails (exit 1) with a readable report on: empty lists, quota misses, pins not
honoured, unavailable or excluded items shown, price-ceiling breaches in money-saving
mode, campaign rules active outside their window, one item taking more than --max-share
of all impressions, and two variants of one product in a list where a guaranteed share
or an exploration slot put one of them or two pins did (one pin beside a variant of its
product is a warning), and an item a guaranteed share or an exploration slot added off the
page's topic (a pin there is a warning).
)",
    {opt_required("--snapshot", "S", "the snapshot to check"),
     opt_value("--rules", "R", "check these rules instead of the snapshot's compiled-in ones"),
     opt_value("--visits", "N", "generated visits per placement and segment",
               default_text(QaOptions{}.visits_per_case)),
     opt_value("--max-share", "F", "the largest share of all impressions one item may take",
               default_text(QaOptions{}.max_item_share)),
     opt_flag("--json", "the report as JSON")}};

int cmd_qa(const Args& args) {
  const std::string path = args.required("--snapshot");
  const SnapshotFile file = read_snapshot(path);
  QaOptions o;
  o.visits_per_case = uint32_t(args.get_uint("--visits", 1, 10000));
  o.max_item_share = args.get_number("--max-share", 0, 1, /*above_min=*/true);
  Rules rules;
  if (args.has("--rules")) {  // margin and stock ranges: those the snapshot's build evaluated
    const std::string rules_path = args.get("--rules");
    const Status st =
        parse_rules_for_snapshot(load_rules(rules_path).json, file.snapshot.rules_text(), &rules);
    if (!st.is_ok()) throw InputError(Location{rules_path, 0, ""}, st.message());
  }
  const QaReport r = run_qa(file.snapshot, args.has("--rules") ? &rules : nullptr, o);
  if (args.has("--json")) {
    std::cout << r.to_json().dump(2) << "\n";
  } else {
    std::printf("qa: %llu lists, %llu impressions: %s\n", static_cast<unsigned long long>(r.lists),
                static_cast<unsigned long long>(r.impressions),
                r.failures.empty() ? "passed" : "FAILED");
    for (const auto& f : r.failures) std::printf("  %s\n", f.c_str());
    for (const auto& w : r.warnings) std::printf("  warning: %s\n", w.c_str());
  }
  return r.failures.empty() ? kOk : kCheckFailed;
}

}  // namespace

const Command kQaCommand{kQaSpec, cmd_qa};

}  // namespace aisle
