// What `aisle build` and `aisle catalog` share: the catalog's options and their report.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "build.h"
#include "cli_args.h"

namespace aisle {

// --catalog, --rules, --catalog-format, --store-url and --currency, then `options`.
std::vector<Option> with_catalog_options(std::vector<Option> options);
void read_catalog_args(const Args& args, BuildOptions* options);
nlohmann::json catalog_json(const BuildOptions& options, const BuildReport& report);
void print_catalog(const BuildOptions& options, const BuildReport& report);  // and its warnings

}  // namespace aisle
