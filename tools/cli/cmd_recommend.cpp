// `aisle recommend`: what the engine shows for a placement, with reasons (README contract).
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "engine.h"
#include "file_io.h"
#include "replay.h"
#include "rules.h"
#include "rules_file.h"
#include "text.h"

namespace aisle {
namespace {

const char* kRecommendHelp =
    R"(usage: aisle recommend --snapshot S --placement P [--item ID] [--category NAME]
                       [--session FILE|-] [--profile FILE] [-k N] [--now TIME] [--json]

What the engine shows for a placement, given the events of the current visit (GA4
JSONL, as for build) and optionally earlier visits (--profile, GA4 JSONL; each session
id is one visit). Every item comes with its reasons.

  --placement P   product, cart, home, post_purchase, category, search_empty, next_item
  --item ID       the product on the page (product placement)
  --category C    the category browsed (leaf name or "A > B" path)
  -k N            list length (default 10)
  --now TIME      current time (default: the latest session event, else the snapshot's trend time)
  --rules FILE    preview a rules file instead of the snapshot's compiled-in rules
  --json          the JSON contract documented in the README
)";

uint32_t find_category(const Snapshot& snap, const std::string& text) {
  const auto want = split_trimmed(text, ">");
  std::vector<std::string_view> path;
  for (uint32_t c = 0; c < snap.category_count(); ++c) {
    snap.category_path(c, &path);
    if (path.size() < want.size()) continue;
    if (std::equal(want.begin(), want.end(), path.end() - long(want.size()))) return c;
  }
  throw UsageError("--category: no category '" + text + "' in the snapshot");
}

int cmd_recommend(const std::vector<std::string>& argv) {
  const Args args(argv,
                  {"--snapshot", "--placement", "--item", "--category", "--session", "--profile",
                   "-k", "--now", "--rules"},
                  {"--json"});
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  const std::string path = args.required("--snapshot");
  const std::vector<uint8_t> bytes = read_file(path);
  const auto opened = Snapshot::open(bytes.data(), bytes.size());
  if (!opened.is_ok()) throw InputError(Location{path, 0, ""}, opened.status().message());
  const Snapshot& snap = opened.value();
  Request req;
  if (!parse_placement(args.required("--placement"), &req.placement)) {
    throw UsageError("--placement: unknown '" + args.get("--placement") +
                     "' (product, cart, home, post_purchase, category, search_empty, next_item)");
  }
  req.k = uint32_t(args.get_uint("-k", 10, 1, 1000));
  if (args.has("--item") && !snap.find_item(args.get("--item"), &req.item)) {
    throw UsageError("--item: no item '" + args.get("--item") + "' in the snapshot");
  }
  if (args.has("--category")) req.category = find_category(snap, args.get("--category"));
  Session session;
  ReplayStats stats;
  if (args.has("--session")) {
    const std::string file = args.get("--session");
    if (file == "-") {
      replay_session(std::cin, "<stdin>", snap, &session, &stats);
    } else {
      std::ifstream in(file, std::ios::binary);
      if (!in) throw InputError(Location{file, 0, ""}, "cannot open the session file");
      replay_session(in, file, snap, &session, &stats);
    }
  }
  Profile profile;
  if (args.has("--profile")) {
    const std::string file = args.get("--profile");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(Location{file, 0, ""}, "cannot open the profile file");
    replay_profile(in, file, snap, &profile, &stats);
    req.profile = &profile;
  }
  req.now_ms = session.last_ms() ? session.last_ms() : snap.meta().as_of_ms;
  if (args.has("--now") && !parse_time_ms(args.get("--now"), &req.now_ms)) {
    throw UsageError("--now: expected ISO-8601 or epoch time, got '" + args.get("--now") + "'");
  }
  Engine engine(snap);
  if (!engine.rules_status().is_ok()) {
    throw InputError(Location{path, 0, "rules"},
                     "the snapshot's rules: " + engine.rules_status().message());
  }
  if (args.has("--rules")) {  // preview rules without a rebuild
    Rules preview;
    const RulesFile file = load_rules(args.get("--rules"));
    parse_rules_json(file.json, &preview);  // already validated by load_rules
    engine.set_rules(preview);
  }
  std::vector<Recommendation> recs;
  ListInfo info;
  engine.recommend(session, req, &recs, &info);
  nlohmann::json j = recommendations_json(snap, engine, req, recs, info, session);
  j["unknown_items"] = stats.unknown_items;
  j["malformed_events"] = stats.read.malformed;
  if (args.has("--json")) {
    std::cout << j.dump(2) << "\n";
    return kOk;
  }
  std::printf("%s: %zu items (%s, %u slots)\n", placement_name(req.placement), recs.size(),
              list_mode_name(info.mode), info.slots);
  for (const auto& item : j["items"]) {
    std::printf("  %-14s %6.3f  %s\n", item["id"].get<std::string>().c_str(),
                item["score"].get<double>(), item["title"].get<std::string>().c_str());
    for (const auto& reason : item["reasons"]) {
      std::printf("  %22s %3.0f%%  %s\n", reason["code"].get<std::string>().c_str(),
                  100 * reason["contribution"].get<double>(),
                  reason["text"].get<std::string>().c_str());
    }
  }
  if (stats.unknown_items)
    std::printf("  (%llu unknown item ids in the events were ignored)\n",
                static_cast<unsigned long long>(stats.unknown_items));
  return kOk;
}

}  // namespace

const Command kRecommendCommand{"recommend", kRecommendHelp, cmd_recommend};

}  // namespace aisle
