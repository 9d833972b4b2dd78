// Interaction logs -> a stream of events: GA4 e-commerce JSONL, session-rec TSV
// (SessionId ItemId Time) and OTTO JSONL. Streaming through one buffer, so memory
// stays bounded whatever the file size. Safe for untrusted input: malformed lines
// are counted and reported, never fatal.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"
#include "event.h"

namespace aisle {

struct RawItem {
  std::string_view id;
  double price = 0;
  int64_t quantity = 1;
  std::string_view list_id;
  int64_t index = -1;
  std::string_view reason;  // aisle_reason: the first reason code of a recommended item
};

// Views are valid only during the callback.
struct RawEvent {
  EventType type = EventType::kViewItem;
  int64_t ts_ms = 0;
  std::string_view visitor, session;
  const RawItem* items = nullptr;
  size_t item_count = 0;
  double value = 0;
  std::string_view currency, transaction_id, search_term, source, medium, campaign;
  std::string_view sort, filter, coupon, page_type;  // list sorting and filters, coupon code, page
  std::string_view referrer;
  // What the aisle loader adds to its own GA4 pushes (docs/storefront.md): the list, the
  // experiment arms (comma-separated, pairwise), the placement, the detected context
  // flags and the product the list was shown beside.
  std::string_view list_id, experiment, variant, placement, context, anchor;
  std::string_view name;  // the event name as written
  bool other = false;     // an event type the engine does not use (delivered on request)
  uint64_t line = 0;
};

struct EventStats {
  std::string format;
  uint64_t lines = 0;      // non-empty lines read (OTTO: sessions)
  uint64_t events = 0;     // events delivered
  uint64_t malformed = 0;  // lines or entries skipped as malformed
  uint64_t ignored = 0;    // well-formed events of types aisle does not use (page_view, ...)
  uint64_t bytes = 0;
};

using EventCallback = std::function<void(const RawEvent&)>;
using ProgressCallback = std::function<void(const EventStats&)>;

// format: auto, ga4, session-rec, otto. deliver_other: GA4 events of types the engine
// does not use (page_view, aisle_exposure, ...) are delivered too, with `other` set (they
// still count as ignored).
void read_events(std::istream& in, const std::string& file, const std::string& format,
                 Diagnostics& diag, EventStats* stats, const EventCallback& on_event,
                 const ProgressCallback& on_progress = nullptr, bool deliver_other = false);

const char* event_formats_help();

}  // namespace aisle
