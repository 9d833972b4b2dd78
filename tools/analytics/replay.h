// GA4 events -> the engine's Session and Profile, resolving item ids against a snapshot.
// Unknown ids are dropped and counted (a page may show items newer than the snapshot).
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "context.h"
#include "event_ingest.h"
#include "profile.h"
#include "session.h"
#include "snapshot.h"

namespace aisle {

struct ReplayStats {
  uint64_t events = 0;
  uint64_t unknown_items = 0;
  EventStats read;
};

// Converts one raw event; `items` and `quantities` are the storage the result points into.
ShopperEvent to_shopper_event(const RawEvent& e, const Snapshot& snap, std::vector<uint32_t>* items,
                              std::vector<uint32_t>* quantities, uint64_t* unknown);

// All events of the stream into one session, in file order.
void replay_session(std::istream& in, const std::string& file, const Snapshot& snap,
                    Session* session, ReplayStats* stats);
// Earlier visits: each run of one session id is a visit folded into the profile.
void replay_profile(std::istream& in, const std::string& file, const Snapshot& snap,
                    Profile* profile, ReplayStats* stats);

}  // namespace aisle
