// Shared machinery of the CSV catalog readers: header lookup, the row being read,
// field mapping and the final clean-up every format goes through. Internal to tools/.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog_ingest.h"
#include "csv.h"

namespace aisle {

class Header {
 public:
  // Names are matched lower-cased and trimmed; `strip_prefix` (e.g. "g:") is ignored.
  Header(const std::vector<std::string>& names, std::string_view strip_prefix = "");
  int index(std::string_view name) const;  // -1 when absent
  bool has(std::string_view name) const { return index(name) >= 0; }
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, int> index_;
};

struct Row {
  const Header* header;
  const std::vector<std::string>* fields;
  std::string file;
  uint64_t line;
  Diagnostics* diag = nullptr;  // where over-long fields are reported
  // Trimmed; empty when absent; cut to kMaxFieldBytes (reported once per column).
  std::string_view get(std::string_view column) const;
  Location at(std::string_view column) const { return Location{file, line, std::string(column)}; }
  mutable uint64_t long_columns = 0;  // bit per column already reported as over-long
};

// Item plus where it came from, for warnings raised after the row is gone.
struct PendingItem {
  CatalogItem item;
  uint64_t line = 0;
  // The currency the sale price and the cost named, if any: one that is not the price's is
  // dropped with a warning when the item is finished (finalize_catalog), naming the column
  // or key each came from.
  std::string sale_currency, cost_currency;
  std::string sale_field = "sale_price", cost_field = "cost";
};

// Reads price text (rule in text.h): warns and returns false on text that is not a price,
// and reports a lone separator before three digits read as thousands ("12.500").
bool read_price_text(std::string_view text, const Location& where, int64_t* value,
                     std::string* currency, Diagnostics& diag);
// Reads a price column with read_price_text.
bool read_price(const Row& row, std::string_view column, int64_t* value, std::string* currency,
                Diagnostics& diag);
// Reads a date column into epoch seconds; warns on bad text.
bool read_date(const Row& row, std::string_view column, int64_t* seconds, Diagnostics& diag);
Availability parse_availability(std::string_view text, bool* ok);
// "A > B > C", root first. Keeps at most kMaxCategoryDepth + 1 levels: finalize_catalog
// reports and cuts a path past the limit.
std::vector<std::string> split_category_path(std::string_view text);
// Appends a label unless the item already holds more than kMaxLabels (reported and cut by
// finalize_catalog): a hostile row cannot grow an item without bound.
void add_label(CatalogItem* item, std::string label);

// Fills mapped fields of `item` from the row (CSV) -- see FieldMapping.
void apply_mapping(const FieldMapping& mapping, const Row& row, PendingItem* item,
                   Diagnostics& diag);
// Applies one mapping target to an item; used by CSV and JSONL readers alike.
void apply_target(const std::string& target, std::string_view value, const Location& where,
                  PendingItem* pending, Diagnostics& diag);
// The mapping plus columns named after a target themselves (a `margin_tier` or
// `launch_date` column a merchant added): columns are used when present.
FieldMapping with_named_columns(const FieldMapping& mapping, const Header& header);
// Warns once per mapping source that the export does not have.
void check_mapping_sources(const FieldMapping& mapping, const Header& header,
                           const std::string& file, Diagnostics& diag);

// Drops duplicates and price-less items, resolves hints, fills the default currency.
Catalog finalize_catalog(std::vector<PendingItem> pending, const std::string& file,
                         const CatalogOptions& options, Diagnostics& diag, CatalogStats* stats);

// Per-format readers; `csv` is positioned after the header record.
std::vector<PendingItem> read_gmc(CsvReader& csv, const Header& header, const std::string& file,
                                  const CatalogOptions& options, Diagnostics& diag,
                                  CatalogStats* stats);
std::vector<PendingItem> read_shopify(CsvReader& csv, const Header& header, const std::string& file,
                                      const CatalogOptions& options, Diagnostics& diag,
                                      CatalogStats* stats);
std::vector<PendingItem> read_woocommerce(CsvReader& csv, const Header& header,
                                          const std::string& file, const CatalogOptions& options,
                                          Diagnostics& diag, CatalogStats* stats);
std::vector<PendingItem> read_catalog_jsonl(std::istream& in, const std::string& file,
                                            const CatalogOptions& options, Diagnostics& diag,
                                            CatalogStats* stats);

}  // namespace aisle

namespace aisle {
// Next non-blank record as a Row; blank records are counted as skipped, unterminated
// quotes and surplus fields warned about. False at end of input.
bool next_data_row(CsvReader& csv, const Header& header, const std::string& file,
                   std::vector<std::string>* fields, Row* row, Diagnostics& diag,
                   CatalogStats* stats);
}  // namespace aisle
