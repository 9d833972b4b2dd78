// The merchant's rules file (JSON): the field mapping for exports (read here) and the
// engine's rules (core/rules.h, compiled into the snapshot). Validated strictly: unknown
// keys and bad values are InputErrors naming the JSON path ("$.quotas[0].min_share").
#pragma once

#include <istream>
#include <string>

#include "catalog_ingest.h"

namespace aisle {

struct RulesFile {
  std::string file;  // where it was read, for messages
  FieldMapping field_mapping;
  std::string json;  // the whole document, validated by the engine's parser (core/rules.h)
};

RulesFile parse_rules(std::istream& in, const std::string& file);
RulesFile load_rules(const std::string& path);

// Puts on each item the label of every margin and stock range of the rules that takes it
// (rules.h build_time_label()), replacing any it had: all the snapshot will hold of its unit
// cost and stock count (docs/privacy.md). Margin is the price paid at `now_s` (a sale price
// in its window, else the price) less the unit cost; an item without a cost, or without a
// stock count, is in no range of it. A range the catalog cannot answer -- no item has a unit
// cost, or a stock count -- is an InputError at its JSON path naming the column it needs.
void label_build_time_matches(const RulesFile& rules, int64_t now_s, Catalog* catalog);

}  // namespace aisle
