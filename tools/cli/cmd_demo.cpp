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

const CommandSpec kDemoSpec{
    "demo-data",
    "generate a realistic synthetic store (catalog, GA4 events, rules)",
    "",
    0,
    "",
    R"(Writes a synthetic store into DIR: catalog.tsv (Google Merchant Center; or catalog.jsonl),
events.jsonl (GA4 e-commerce events from shoppers with latent missions: gift buyers,
comparers, decisive buyers, bargain hunters, bundle builders, premium buyers, explorers,
returning customers; search-ad, social, email, direct and referral traffic) and
rules.json (the field mapping for the custom labels, a quota, exploration and a
campaign) and images/*.svg (placeholder product pictures the catalog links to, for the
demo storefront). Deterministic for a seed.
)",
    {opt_required("--out", "DIR", "where to write the store"),
     opt_value("--seed", "N", "the random seed", default_text(double(DemoOptions{}.seed))),
     opt_value("--products", "N", "catalog items, approximately",
               default_text(DemoOptions{}.products)),
     opt_value("--sessions", "N", "shopper sessions, about 6 events each",
               default_text(double(DemoOptions{}.sessions))),
     opt_value("--days", "N", "days of logs, ending 2026-11-01", default_text(DemoOptions{}.days)),
     opt_value("--format", "F", "the catalog as gmc (catalog.tsv) or jsonl (catalog.jsonl)",
               DemoOptions{}.format),
     opt_value("--events-shape", "S",
               "events.jsonl as flat (GA4 JSON lines) or bigquery (rows of GA4's BigQuery "
               "export as bq extract --destination_format NEWLINE_DELIMITED_JSON writes them: "
               "event_params, ecommerce, sessions by user_pseudo_id and ga_session_id); the "
               "same events, which build the same snapshot",
               DemoOptions{}.events_shape),
     opt_value("--experiment", "L",
               "simulate an A/B test with a known true lift L (0.1: +10% conversion): "
               "rules.json gets the experiment recs-2026-11 (half the visitors in a holdout "
               "without recommendations), events.jsonl each session's arm and the treated "
               "arm's lists and clicks; `aisle report` should find the lift within its "
               "confidence interval"),
     opt_flag("--quiet", "no summary, no progress")}};

int cmd_demo(const Args& args) {
  DemoOptions o;
  const std::string out = args.required("--out");
  o.seed = args.get_uint("--seed", 0, UINT64_MAX);
  o.products = uint32_t(args.get_uint("--products", 10, 2'000'000));
  o.sessions = args.get_uint("--sessions", 0, 100'000'000);
  o.days = uint32_t(args.get_uint("--days", 2, 3650));
  o.format = args.get("--format");
  o.events_shape = args.get("--events-shape");
  if (args.has("--experiment")) o.experiment_lift = args.get_number("--experiment", 0, 5);
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

const Command kDemoDataCommand{kDemoSpec, cmd_demo};

}  // namespace aisle
