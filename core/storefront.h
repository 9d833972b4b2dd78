// One shopper's storefront: the verified snapshot (its bytes owned here), the engine with
// the merchant's rules and the visitor's experiment arms, the visit and the profile -- and
// the one JSON writer for a list, an explanation and an item (snake_case keys; README,
// "aisle recommend", and docs/storefront.md). The wasm bindings are adapters over this
// class, and `aisle recommend --json` writes through it too.
//
//   Storefront store;
//   if (!store.load(std::move(bytes)).is_ok()) return;  // safe for untrusted bytes
//   std::string_view ids[] = {"SKU-1"};
//   EventInput view;
//   view.event = "view_item";
//   view.now_ms = now_ms;
//   view.item_ids = ids;
//   view.item_count = 1;
//   store.track(view, nullptr);
//   RequestInput in;
//   in.placement = "product";
//   in.item = "SKU-1";
//   in.now_ms = now_ms;
//   Request req;
//   if (store.request(in, &req).is_ok()) puts(store.list_json(req).data());
//
// The JSON views returned point into one buffer reused by every call (no allocation once
// it has grown): copy them out before the next call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "context.h"
#include "engine.h"
#include "profile.h"
#include "rules.h"
#include "session.h"
#include "snapshot.h"
#include "status.h"

namespace aisle {

// A GA4 e-commerce event as a page or a log gives it.
struct EventInput {
  std::string_view event;      // "view_item", ...; names aisle does not use are ignored
  bool has_ts = false;         // ts_ms given as a number
  int64_t ts_ms = 0;           //
  std::string_view timestamp;  // else ISO-8601 or epoch text, if any
  int64_t now_ms = 0;          // else this
  const std::string_view* item_ids = nullptr;  // at most kMaxEventItems are read
  size_t item_count = 0;
  EventText text;  // source, medium, referrer, sort, filter, coupon, search_term, page_type
};

struct TrackResult {
  bool ignored = false;        // an event name aisle does not use
  uint32_t unknown_items = 0;  // ids not in the snapshot (a page may show newer items)
};

// A list request as a page or a command line names it.
struct RequestInput {
  std::string_view placement;  // placement_name(): "product", ...
  std::string_view item;       // the product on the page; unknown ids mean none
  std::string_view category;   // leaf name or "A > B" path; unknown means none
  uint32_t k = 10;             // clamped to 1..kMaxK
  int64_t now_ms = 0;
  bool fill = false;  // all k slots, never fewer for the shopper (Request::fill)
};

class Storefront {
 public:
  static constexpr size_t kMaxEventItems = 64;
  static constexpr uint32_t kMaxK = 1000;

  Storefront();
  ~Storefront();

  // Verifies and takes the snapshot, compiles its rules, and starts a new visit and an
  // empty profile. Safe for untrusted input. On failure -- bytes refused, or compiled-in
  // rules the engine refuses -- the previously loaded snapshot stays, with its visit.
  Status load(std::vector<uint8_t> bytes);
  bool loaded() const { return loaded_ != nullptr; }
  const Snapshot& snapshot() const;  // an empty snapshot before the first load
  Engine* engine();                  // nullptr before the first load
  Session& session() { return session_; }
  Profile& profile() { return profile_; }

  // The category named by a leaf name or a "A > B > C" path (its tail); fmt::kNone if none.
  uint32_t find_category(std::string_view text) const;
  // kInvalidArgument for an unknown placement; kNotFound before a load.
  Status request(const RequestInput& in, Request* out) const;
  Status track(const EventInput& in, TrackResult* out);
  void end_visit();  // folds the visit into the profile and starts a new one
  // A new visitor, as just after load(): no visit, an empty profile, no experiment arms
  // (the snapshot's or the previewed rules stay). Cheap: `aisle publish` calls it per page.
  void reset_visit();

  std::string export_profile() const;
  Status import_profile(std::string_view json);  // refused data leaves the profile empty
  std::string_view snapshot_rules() const;       // the compiled-in rules JSON; empty if none
  // The merchant's rules replacing the snapshot's (a preview); experiments re-applied. A match by
  // margin or stock must be one of the snapshot's own (parse_rules_for_snapshot).
  Status set_rules_json(std::string_view json);
  // Puts the visitor in their arm of every experiment and applies that arm's rules.
  Status assign(std::string_view visitor, std::vector<Assignment>* out);

  // {"placement","k","mode","slots","context":{...},"items":[{item, "score", "reasons"}]}
  std::string_view list_json(const Request& req);
  // list_json() as if the shopper had just viewed req.item at req.now_ms, the visit left as
  // it is: the list that item's product page will show (the loader computes it ahead, for
  // the next page). list_json() itself when req.item is none.
  std::string_view list_json_after_view(const Request& req);
  // The list as `aisle publish` stores it (docs/snapshot-format.md): list_json() without
  // "k", each item reduced to its "id" and the fields shown_item_json() lacks ("score",
  // "reasons", "attributes"), so that shown_item_json()'s object updated with the entry is
  // list_json()'s item. The items listed, in order, go to *items.
  std::string_view published_list_json(const Request& req, std::vector<uint32_t>* items);
  // {"placement","mode","slots","context","id","available","rank","score","reasons"};
  // kNotFound for an id the snapshot lacks.
  Status explain_json(const Request& req, std::string_view id, std::string_view* out);
  // The item as the shop shows it at now_ms with its catalog fields; empty when out of range.
  std::string_view item_json(uint32_t index, int64_t now_ms);
  // Only what a list shows of the item at now_ms (id, title, url, image, brand, currency,
  // prices, availability, recommendable): no merchant-only field such as a margin tier or
  // labels, for files every shopper downloads (aisle publish). Empty when out of range.
  std::string_view shown_item_json(uint32_t index, int64_t now_ms);

 private:
  struct Loaded;
  void apply_rules();
  // JSON writers into json_.
  void number(double v);
  void money(uint32_t hundredths);
  void field(const char* key, std::string_view text);
  void shown_item(uint32_t index, int64_t now_ms);
  void list_info(const Request& req, const ListInfo& info, bool with_k);
  void context(const ShopperContext& c);
  // `rules`: each rule reason also names its rule ("rule"), for the merchant (explain).
  void reasons(const Recommendation& r, bool rules = false);
  void attributes_of(uint32_t item);
  void recommendation(const Recommendation& r, int64_t now_ms, bool attributes, bool id_only);
  void write_list(const Request& req, bool published);

  std::unique_ptr<Loaded> loaded_;
  Rules base_rules_;     // the snapshot's or the previewed rules, before any experiment
  std::string visitor_;  // set by assign()
  Session session_;
  Profile profile_;
  std::vector<uint32_t> items_;
  std::vector<Recommendation> recs_;
  std::string json_, text_;
};

}  // namespace aisle
