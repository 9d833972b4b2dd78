// The merchant's rules file (JSON): the field mapping for exports (read here) and the
// engine's rules (core/rules.h, compiled into the snapshot). Validated strictly: unknown
// keys and bad values are InputErrors naming the JSON path ("$.quotas[0].min_share").
#pragma once

#include <istream>
#include <string>

#include "catalog_ingest.h"

namespace aisle {

struct RulesFile {
  FieldMapping field_mapping;
  std::string json;  // the whole document, validated by the engine's parser (core/rules.h)
};

RulesFile parse_rules(std::istream& in, const std::string& file);
RulesFile load_rules(const std::string& path);

}  // namespace aisle
