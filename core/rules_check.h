// A merchant's rules checked against the catalog they will run on: the mistakes the parser
// cannot see because the JSON is well formed -- a pin to a SKU the catalog lacks, a
// misspelt brand or margin tier that matches no item, a guaranteed share that matches
// nothing or nothing that can be shown, a pin that is out of stock or also excluded, half
// of every list on every placement given to one rule. Nothing is replayed (`aisle qa` replays
// lists on top of this). Each finding names the rule's JSON path, as the parser's errors do,
// and says what the rule matched. docs/rules.md, "The QA checkpoint and the review", lists
// them with their severity.
//
//   for (const RuleFinding& f : check_rules(snapshot, rules))
//     std::printf("%s: %s\n", f.path.c_str(), f.message.c_str());
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rules.h"
#include "snapshot.h"

namespace aisle {

struct RuleFinding {
  enum class Severity : uint8_t {
    kError,    // the rule cannot do what it says: `aisle qa` fails
    kWarning,  // it works today, but likely not as meant, or not while the catalog is so
  } severity = Severity::kError;
  std::string path;     // "$.pins[0].item", "$.boosts[2].match", "$.quotas[0].min_share"
  std::string message;  // the problem and what the rule matched: "brand 'Zenmotion' matches 0
                        // items (did you mean 'ZenMotion'?)"
};

// A guaranteed share at least this large, on every placement, is a warning: that much of
// every list, the cart's and the post-purchase page's included, is the rule's and not the
// shopper's.
constexpr float kCrowdingQuotaShare = 0.5f;

// The findings for `rules`, then for each experiment variant's rules; in each, pins, boosts,
// quotas, exclusions, complements, then campaigns (each its pins, boosts, quotas and
// exclusions), in the order of the document's lists. A quota's
// members count at the snapshot's time (`meta().as_of_ms`): new arrivals are new then.
std::vector<RuleFinding> check_rules(const Snapshot& snap, const Rules& rules);

}  // namespace aisle
