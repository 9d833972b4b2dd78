// `aisle catalog`: a catalog export read as `aisle build` reads it, without events; its
// item ids for the counting SQL's aisle_items table.
#include <cstdio>
#include <iostream>
#include <string>

#include "build_args.h"
#include "commands.h"
#include "file_io.h"
#include "kind_inference.h"

namespace aisle {
namespace {

const CommandSpec kCatalogSpec{
    "catalog",
    "read a catalog export as build does; its item ids for the counting SQL",
    "",
    0,
    "",
    R"(Reads a catalog export exactly as `aisle build` does (the same options, field mapping and
checks) and reports what it read, skipped and merged, naming file, line and field. With
--ids it writes the catalog's items as the counting SQL's aisle_items table (tools/sql,
docs/ingestion.md): item_id, and kind_group, the leaf category whose repeat buying decides
the item's kind when the export gives it none (empty otherwise). The SQL counts only items
the catalog has, as the build does.
)",
    with_catalog_options(
        {opt_value("--ids", "FILE.csv",
                   "write the items for the SQL here (CSV: item_id, kind_group), atomically"),
         opt_flag("--json",
                  "the report as JSON (file, format, records, items, skipped, merged, "
                  "warnings)")})};

// One CSV field: quoted when it holds a delimiter, quote or line break.
void append_csv_field(const std::string& s, std::string* out) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    *out += s;
    return;
  }
  *out += '"';
  for (char c : s) {
    if (c == '"') *out += '"';
    *out += c;
  }
  *out += '"';
}

int cmd_catalog(const Args& args) {
  BuildOptions o;
  read_catalog_args(args, &o);
  BuildReport r;
  RulesFile rules;
  const Catalog catalog = read_catalog(o, &r, &rules);
  if (args.has("--ids")) {
    std::string csv = "item_id,kind_group\n";
    for (const CatalogItem& item : catalog.items) {
      append_csv_field(item.id, &csv);
      csv += ',';
      append_csv_field(kind_group(item), &csv);
      csv += '\n';
    }
    write_file_atomic(args.get("--ids"), csv.data(), csv.size());
  }
  if (args.has("--json")) {
    std::cout << catalog_json(o, r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    print_catalog(o, r);
    if (args.has("--ids"))
      std::printf("%zu item ids written to %s\n", catalog.items.size(), args.get("--ids").c_str());
  }
  return kOk;
}

}  // namespace

const Command kCatalogCommand{kCatalogSpec, cmd_catalog};

}  // namespace aisle
