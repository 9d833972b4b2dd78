// `aisle demo-data`: a synthetic store to build, test and demo with.
#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "demo_data.h"
#include "text.h"

namespace aisle {
namespace {

const char* kDemoHelp =
    R"(usage: aisle demo-data --out DIR [--seed N] [--products N] [--sessions N] [--format gmc|jsonl]

Writes a synthetic store into DIR: catalog.tsv (Google Merchant Center; or catalog.jsonl),
events.jsonl (GA4 e-commerce events from shoppers with latent missions: gift buyers,
comparers, decisive buyers, bargain hunters, bundle builders, premium buyers, explorers,
returning customers; search-ad, social, email, direct and referral traffic) and
rules.json (the field mapping for the custom labels, a quota, exploration and a
campaign) and images/*.svg (placeholder product pictures the catalog links to, for the
demo storefront). Deterministic for a seed.

  --seed N        default 42
  --products N    catalog items, approximately (default 2000)
  --sessions N    shopper sessions (default 20000; about 6 events each)
  --days N        days of logs, ending 2026-11-01 (default 56)
  --experiment L  simulate an A/B test with a known true lift L (0.1: +10% conversion):
                  rules.json gets the experiment "recs-2026-11" (half the visitors in a
                  holdout without recommendations), events.jsonl each session's arm, the
                  treated arm's recommendation lists and clicks; `aisle report` should
                  find the lift within its confidence interval
)";

int cmd_demo(const std::vector<std::string>& argv) {
  const Args args(
      argv, {"--out", "--seed", "--products", "--sessions", "--format", "--days", "--experiment"},
      {"--quiet"});
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  DemoOptions o;
  const std::string out = args.required("--out");
  o.seed = args.get_uint("--seed", 42, 0, UINT64_MAX);
  o.products = uint32_t(args.get_uint("--products", 2000, 10, 2'000'000));
  o.sessions = args.get_uint("--sessions", 20000, 0, 100'000'000);
  o.days = uint32_t(args.get_uint("--days", 56, 2, 3650));
  o.format = args.get("--format", "gmc");
  if (args.has("--experiment")) {
    double lift = -1;
    if (!parse_number(args.get("--experiment"), &lift) || lift < 0 || lift > 5)
      throw UsageError("--experiment: expected a relative lift from 0 to 5, such as 0.1");
    o.experiment_lift = lift;
  }
  o.progress = !args.has("--quiet") && ::isatty(2);
  const DemoReport r = generate_demo(o, out);
  if (!args.has("--quiet")) {
    std::printf(
        "demo store in %s: %llu items in %llu variant groups; %llu sessions of %llu visitors, %llu "
        "events, "
        "%llu orders\n  %s\n  %s\n  %s\n  %s/images (%llu pictures)\n",
        out.c_str(), static_cast<unsigned long long>(r.items),
        static_cast<unsigned long long>(r.groups), static_cast<unsigned long long>(r.sessions),
        static_cast<unsigned long long>(r.visitors), static_cast<unsigned long long>(r.events),
        static_cast<unsigned long long>(r.purchases), r.catalog_path.c_str(), r.events_path.c_str(),
        r.rules_path.c_str(), out.c_str(), static_cast<unsigned long long>(r.images));
  }
  return kOk;
}

}  // namespace

const Command kDemoDataCommand{"demo-data", kDemoHelp, cmd_demo};

}  // namespace aisle
