// One-time purchases and repurchase cycles read from the logs, for exports that say
// neither (no kind or repurchase column, or no mapping to one): does a visitor who bought
// in a category, and came back to buy again, buy in that category again — and after how
// long? docs/algorithms.md, "What is inferred when the export lacks a field".
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog.h"

namespace aisle {

struct KindEvidence {
  uint32_t min_returning_buyers = 5;  // buyers seen buying again later (anything) before a verdict
  double consumable_share = 0.3;      // at least this share of them bought in the category again
  double durable_share = 0.1;         // at most this share did
  uint32_t max_purchases = 20'000'000;  // purchased lines kept (16 bytes each); later ones ignored
};

// A leaf category's verdict.
struct InferredKind {
  std::string category;                // "Grooming > Razors"
  ItemKind kind = ItemKind::kUnknown;  // kUnknown: the evidence says neither
  uint32_t repurchase_days = 0;        // consumables: median days to the next purchase in it
  uint32_t buyers = 0;                 // visitors who bought in it
  uint32_t returning_buyers = 0;       // of those, who bought anything on a later day
  uint32_t bought_again = 0;           // of those, who bought in it again on a later day
  uint32_t items = 0;                  // items of unknown kind given the verdict
  std::string summary() const;         // one line, for `aisle build` and `aisle inspect`
  nlohmann::json to_json() const;
};

// The verdicts as JSON (InferredKind::to_json each): the build notes, `aisle build --json`.
nlohmann::json to_json(const std::vector<InferredKind>& kinds);

// The leaf category ("A > B") whose verdict an item takes: its own, when the export gives
// it neither a kind nor a repurchase cycle; empty otherwise (nothing to infer).
std::string kind_group(const CatalogItem& item);
// Those categories, each with its count of items (`category_of`: per item, the index of
// its category in the result, or UINT32_MAX).
std::vector<InferredKind> undecided_categories(const Catalog& catalog,
                                               std::vector<uint32_t>* category_of);
// Days to buying in a category again -> the visitors who took that long.
using GapCounts = std::map<uint32_t, uint64_t>;
// Verdicts from counted buyers (`counted`, from undecided_categories with buyers,
// returning_buyers and bought_again filled in; `gaps`: per category), given to its items.
// Returns the categories with buyers, most buyers first.
std::vector<InferredKind> decide_kinds(std::vector<InferredKind> counted,
                                       const std::vector<GapCounts>& gaps,
                                       const std::vector<uint32_t>& category_of,
                                       const KindEvidence& evidence, Catalog* catalog);

class PurchaseLog {
 public:
  explicit PurchaseLog(KindEvidence evidence = {}) : evidence_(evidence) {}
  // A purchased line; visitors are kept as 64-bit hashes, never as ids.
  void add(std::string_view visitor, uint32_t item, int64_t ts_ms);
  uint64_t ignored() const { return ignored_; }  // lines past max_purchases
  // Gives the items whose kind the export left unknown the kind (and a consumable's cycle)
  // the logs show for their leaf category. Returns every category with items of unknown
  // kind and at least one buyer, decided or not, most buyers first.
  std::vector<InferredKind> infer(Catalog* catalog) const;

 private:
  struct Entry {
    uint64_t visitor;
    uint32_t item;
    uint32_t day;  // days since the epoch
  };
  KindEvidence evidence_;
  std::vector<Entry> entries_;
  uint64_t ignored_ = 0;
};

}  // namespace aisle
