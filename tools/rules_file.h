// The merchant's rules file (JSON). Validated strictly: unknown keys and bad values are
// InputErrors naming the JSON path ("$.field_mapping.custom_label_0"). So far it holds
// the field mapping for exports; the engine's rules extend it.
#pragma once

#include <istream>
#include <string>

#include "catalog_ingest.h"

namespace aisle {

struct RulesFile {
  FieldMapping field_mapping;
};

RulesFile parse_rules(std::istream& in, const std::string& file);
RulesFile load_rules(const std::string& path);

}  // namespace aisle
