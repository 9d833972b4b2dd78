// Merchant catalog exports -> Catalog. Formats: Google Merchant Center (TSV/CSV),
// Shopify products CSV, WooCommerce products CSV, aisle JSONL (docs/ingestion.md).
// Safe for untrusted input: bad rows are skipped or merged with a warning naming file,
// line and field; in strict mode the first such warning is an InputError.
#pragma once

#include <istream>
#include <string>
#include <utility>
#include <vector>

#include "catalog.h"
#include "diagnostics.h"
#include "snapshot.h"  // VerifyOptions: the bounds below

namespace aisle {

// Columns (or JSONL keys) that fill aisle fields exports lack, from the rules file.
// Targets: margin_tier, cost, launch_date, kind, repurchase_days, promo, brand,
// category, group, label:NAME.
struct FieldMapping {
  std::vector<std::pair<std::string, std::string>> entries;  // source (lower case) -> target
};
bool is_mapping_target(const std::string& target);
const char* mapping_targets_help();

// Bounds on what one item may carry (docs/ingestion.md, "Limits"): those the snapshot
// verifier enforces. Fields the readers use are truncated to kMaxFieldBytes as they are
// read (so a parent's values copied into its variations stay small), category paths to
// kMaxCategoryDepth levels and labels to kMaxLabels, each with a warning naming file,
// line and field; ill-formed UTF-8 and control characters are repaired the same way.
constexpr size_t kMaxFieldBytes = VerifyOptions{}.max_string_length;
constexpr size_t kMaxCategoryDepth = VerifyOptions{}.max_category_depth;
constexpr size_t kMaxLabels = VerifyOptions{}.max_labels_per_item;

struct CatalogOptions {
  std::string format = "auto";   // auto, gmc, shopify, woocommerce, jsonl
  std::string store_url;         // link base for Shopify / WooCommerce (their exports hold no URL)
  std::string currency = "USD";  // for exports that carry no currency
  FieldMapping mapping;
};

struct CatalogStats {
  std::string format;
  uint64_t records = 0;  // data rows or lines read
  uint64_t items = 0;
  uint64_t skipped = 0;  // rows that gave no item
  uint64_t merged = 0;   // rows folded into another row's item
};

// The stream must be seekable (format detection reads the first line, then rewinds).
Catalog load_catalog(std::istream& in, const std::string& file, const CatalogOptions& options,
                     Diagnostics& diag, CatalogStats* stats);

const char* catalog_formats_help();

}  // namespace aisle
