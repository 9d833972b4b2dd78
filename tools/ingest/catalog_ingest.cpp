#include "catalog_ingest.h"

#include <sstream>

#include "catalog_rows.h"
#include "csv.h"
#include "line_reader.h"
#include "text.h"

namespace aisle {
namespace {

std::string detect_format(std::istream& in, const std::string& file) {
  LineReader lines(in);
  std::string_view first;
  while (lines.next(&first) && trim(first).empty() && !lines.overlong()) {
  }
  if (lines.overlong()) {
    throw InputError(Location{file, lines.line_number(), ""},
                     "line longer than 64 MiB: not a catalog export?");
  }
  std::string found;
  const std::string_view t = trim(first);
  if (t.empty()) {
    throw InputError(Location{file, 0, ""}, "the catalog is empty");
  } else if (t.front() == '{') {
    found = "jsonl";
  } else {
    std::istringstream header_stream{std::string(first)};
    CsvReader csv(header_stream);
    std::vector<std::string> fields;
    csv.next(&fields);
    const Header h(fields, "g:");
    if (h.has("handle") && h.has("variant price"))
      found = "shopify";
    else if (h.has("regular price") && h.has("type"))
      found = "woocommerce";
    else if (h.has("id") && (h.has("title") || h.has("price")))
      found = "gmc";
    else {
      throw InputError(Location{file, lines.line_number(), ""},
                       "cannot tell the catalog format from this header; use --catalog-format (" +
                           std::string(catalog_formats_help()) + ")");
    }
  }
  in.clear();
  in.seekg(0);
  return found;
}

}  // namespace

const char* catalog_formats_help() {
  return "gmc, shopify, woocommerce, jsonl";
}

Catalog load_catalog(std::istream& in, const std::string& file, const CatalogOptions& options,
                     Diagnostics& diag, CatalogStats* stats) {
  *stats = CatalogStats{};
  std::string format = options.format;
  if (format == "auto") format = detect_format(in, file);
  if (format == "woo") format = "woocommerce";
  stats->format = format;
  std::vector<PendingItem> pending;
  if (format == "jsonl") {
    pending = read_catalog_jsonl(in, file, options, diag, stats);
  } else if (format == "gmc" || format == "shopify" || format == "woocommerce") {
    CsvReader csv(in);
    std::vector<std::string> names;
    if (!csv.next(&names)) throw InputError(Location{file, 0, ""}, "the catalog is empty");
    const Header header(names, format == "gmc" ? "g:" : "");
    const char* required = format == "gmc" ? "id" : format == "shopify" ? "handle" : "id";
    if (!header.has(required)) {
      throw InputError(Location{file, csv.record_line(), required},
                       "required column missing from the header");
    }
    check_mapping_sources(options.mapping, header, file, diag);
    CatalogOptions effective = options;
    effective.mapping = with_named_columns(options.mapping, header);
    if (format == "gmc")
      pending = read_gmc(csv, header, file, effective, diag, stats);
    else if (format == "shopify")
      pending = read_shopify(csv, header, file, effective, diag, stats);
    else
      pending = read_woocommerce(csv, header, file, effective, diag, stats);
  } else {
    throw InputError("unknown catalog format '" + format + "' (expected auto, " +
                     catalog_formats_help() + ")");
  }
  return finalize_catalog(std::move(pending), file, options, diag, stats);
}

}  // namespace aisle
