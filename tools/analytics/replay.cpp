#include "replay.h"

#include "context.h"
#include "text.h"

namespace aisle {

ShopperEvent to_shopper_event(const RawEvent& e, const Snapshot& snap, std::vector<uint32_t>* items,
                              std::vector<uint32_t>* quantities, uint64_t* unknown) {
  items->clear();
  quantities->clear();
  for (size_t i = 0; i < e.item_count; ++i) {
    uint32_t index;
    if (snap.find_item(e.items[i].id, &index)) {
      items->push_back(index);
      quantities->push_back(uint32_t(std::min<int64_t>(e.items[i].quantity, UINT32_MAX)));
    } else {
      ++*unknown;
    }
  }
  ShopperEvent s;
  s.type = e.type;
  s.ts_ms = e.ts_ms;
  s.items = items->data();
  s.quantities = quantities->data();
  s.item_count = items->size();
  apply_event_text(EventText{e.source, e.medium, e.referrer, e.sort, e.filter, e.coupon,
                             e.search_term, e.page_type},
                   &s);
  return s;
}

void replay_session(std::istream& in, const std::string& file, const Snapshot& snap,
                    Session* session, ReplayStats* stats) {
  Diagnostics diag;
  std::vector<uint32_t> items, quantities;
  read_events(in, file, "ga4", diag, &stats->read, [&](const RawEvent& e) {
    session->track(to_shopper_event(e, snap, &items, &quantities, &stats->unknown_items));
    ++stats->events;
  });
}

void replay_profile(std::istream& in, const std::string& file, const Snapshot& snap,
                    Profile* profile, ReplayStats* stats) {
  Diagnostics diag;
  std::vector<uint32_t> items, quantities;
  Session visit;
  std::string current;
  read_events(in, file, "ga4", diag, &stats->read, [&](const RawEvent& e) {
    if (e.session != current) {
      profile->end_visit(visit);
      visit.reset();
      current = std::string(e.session);
    }
    visit.track(to_shopper_event(e, snap, &items, &quantities, &stats->unknown_items));
    ++stats->events;
  });
  profile->end_visit(visit);
}

}  // namespace aisle
