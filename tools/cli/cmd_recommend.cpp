// `aisle recommend`: what the engine shows for a placement, with reasons (README contract).
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "file_io.h"
#include "replay.h"
#include "rules.h"
#include "rules_file.h"
#include "storefront.h"
#include "text.h"

namespace aisle {
namespace {

const CommandSpec kRecommendSpec{
    "recommend",
    "what the engine shows for a placement, with reasons",
    "",
    0,
    "",
    R"(What the engine shows for a placement, given the events of the current visit (GA4
JSONL, as for build) and optionally earlier visits (--profile, GA4 JSONL; each session
id is one visit). Every item comes with its reasons.
)",
    {opt_required("--snapshot", "S", "the snapshot"),
     opt_required("--placement", "P", placement_names()),
     opt_value("--item", "ID", "the product on the page (product placement)"),
     opt_value("--category", "C", "the category browsed: a leaf name or an \"A > B\" path"),
     opt_value("--session", "FILE",
               "the current visit's events, GA4 JSONL as for build; - for standard input"),
     opt_value("--profile", "FILE",
               "a returning visitor's earlier visits, GA4 JSONL, one visit per session id"),
     opt_value("-k", "N", "list length", default_text(Request{}.k)),
     opt_value("--now", "TIME",
               "current time, ISO-8601 or epoch; default: the latest session event, else the "
               "snapshot's trend time"),
     opt_value("--rules", "FILE",
               "preview a rules file instead of the snapshot's compiled-in rules"),
     opt_flag("--json", "the JSON contract documented in the README")}};

int cmd_recommend(const Args& args) {
  const std::string path = args.required("--snapshot");
  Storefront store;
  const Status loaded = store.load(read_file(path));
  if (!loaded.is_ok()) throw InputError(Location{path, 0, ""}, loaded.message());
  const Snapshot& snap = store.snapshot();
  RequestInput in;
  const std::string placement = args.required("--placement");
  Placement unused;
  if (!parse_placement(placement, &unused)) {
    throw UsageError("--placement: unknown '" + placement + "' (" + placement_names() + ")");
  }
  in.placement = placement;
  in.k = uint32_t(args.get_uint("-k", 1, Storefront::kMaxK));
  const std::string item = args.has("--item") ? args.get("--item") : std::string();
  uint32_t index;
  if (!item.empty() && !snap.find_item(item, &index))
    throw UsageError("--item: no item '" + item + "' in the snapshot");
  in.item = item;
  const std::string category = args.has("--category") ? args.get("--category") : std::string();
  if (args.has("--category") && store.find_category(category) == fmt::kNone)
    throw UsageError("--category: no category '" + category + "' in the snapshot");
  in.category = category;
  ReplayStats stats;
  if (args.has("--session")) {
    const std::string file = args.get("--session");
    if (file == "-") {
      replay_session(std::cin, "<stdin>", snap, &store.session(), &stats);
    } else {
      std::ifstream is(file, std::ios::binary);
      if (!is) throw InputError(Location{file, 0, ""}, "cannot open the session file");
      replay_session(is, file, snap, &store.session(), &stats);
    }
  }
  if (args.has("--profile")) {
    const std::string file = args.get("--profile");
    std::ifstream is(file, std::ios::binary);
    if (!is) throw InputError(Location{file, 0, ""}, "cannot open the profile file");
    replay_profile(is, file, snap, &store.profile(), &stats);
  }
  const Session& session = store.session();
  in.now_ms = session.last_ms() ? session.last_ms() : snap.meta().as_of_ms;
  args.get_time_ms("--now", &in.now_ms);
  if (args.has("--rules")) {  // preview rules without a rebuild
    const std::string path = args.get("--rules");
    const Status st = store.set_rules_json(load_rules(path).json);  // margin, stock: the build's
    if (!st.is_ok()) throw InputError(Location{path, 0, ""}, st.message());
  }
  Request req;
  store.request(in, &req);  // the placement is known: nothing to refuse
  // The list as the browser gets it (one writer, core/storefront.h), plus what only a
  // replay from files has to report.
  auto j = nlohmann::ordered_json::parse(store.list_json(req));
  nlohmann::ordered_json cart = nlohmann::ordered_json::array();
  for (size_t i = 0; i < session.cart_count(); ++i)
    cart.push_back(snap.item(session.cart_item(i)).id);
  const SessionSignals& sig = session.signals();
  j["session"] = {
      {"events", sig.events}, {"views", sig.views}, {"cart", cart}, {"purchases", sig.purchases}};
  j["unknown_items"] = stats.unknown_items;
  j["malformed_events"] = stats.read.malformed;
  if (args.has("--json")) {
    std::cout << j.dump(2) << "\n";
    return kOk;
  }
  std::printf("%s: %zu items (%s, %u slots)\n", placement_name(req.placement), j["items"].size(),
              j["mode"].get<std::string>().c_str(), j["slots"].get<unsigned>());
  for (const auto& shown : j["items"]) {
    std::printf("  %-14s %6.3f  %s\n", shown["id"].get<std::string>().c_str(),
                shown["score"].get<double>(), shown["title"].get<std::string>().c_str());
    for (const auto& reason : shown["reasons"]) {
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

const Command kRecommendCommand{kRecommendSpec, cmd_recommend};

}  // namespace aisle
