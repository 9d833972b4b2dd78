// The snapshot every shopper downloads, cut from the merchant's: only what the engine
// needs, in a form that shows no more than the storefront does (docs/privacy.md).
//
// From the merchant's snapshot (`aisle build`), with the same lists:
//   - items excluded by the rules (by id, label, brand, category or margin tier) are left
//     out altogether, with every reference to them;
//   - each boost, quota and variant exclusion matching by label, brand, category or margin
//     tier becomes an opaque label ("~3") on the items it matches; the labels of
//     every key a rule matches on ("series=…") or the field mapping maps into a field
//     ("custom_label_0=high" as the margin tier), and all margin tiers, are left out;
//   - rules keep their shopper-facing `reason` but are named by kind and number ("boost 2");
//     experiments and variants by their id (rules.h public_id), without `minimum_effect`;
//   - campaigns that ended, or start more than `campaign_horizon_ms` after `now_ms`, are
//     left out; `description` and `field_mapping` too.
// Cost and stock counts are never in a snapshot (snapshot_writer.cpp).
//
//   PublicSnapshot p = public_snapshot(file.snapshot, {now_ms});  // InputError: see below
//   write(p.bytes);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "snapshot.h"

namespace aisle {

struct PublicOptions {
  int64_t now_ms = 0;                              // when it is published
  int64_t campaign_horizon_ms = 48 * 3600 * 1000;  // campaigns starting within this ship
};

struct PublicSnapshot {
  std::vector<uint8_t> bytes;
  uint32_t items_left_out = 0;                   // excluded by the rules
  uint32_t opaque_sets = 0;                      // rule matches turned into opaque labels
  uint32_t campaigns_left_out = 0;               // ended, or not starting within the horizon
  std::vector<std::string> label_keys_left_out;  // label keys the rules match on
};

// Throws std::runtime_error with the reason when the result could not be written (a
// snapshot that passed Snapshot::open always can).
PublicSnapshot public_snapshot(const Snapshot& snap, const PublicOptions& o);

}  // namespace aisle
