// libFuzzer target: every catalog reader on arbitrary bytes either reports an InputError
// or yields a catalog that the writer accepts and the verifier passes.
#include <cstdlib>
#include <sstream>
#include <string>

#include "catalog_ingest.h"
#include "snapshot.h"
#include "snapshot_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* kFormats[] = {"auto", "gmc", "shopify", "woocommerce", "jsonl"};
  aisle::CatalogOptions options;
  options.format = kFormats[data[0] % 5];
  if (data[0] & 0x80)
    options.mapping.entries = {{"custom_label_0", "margin_tier"},
                               {"id", "label:x"},
                               {"title", "launch_date"},
                               {"price", "kind"}};
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  aisle::Diagnostics diag;
  aisle::CatalogStats stats;
  aisle::Catalog catalog;
  try {
    catalog = aisle::load_catalog(in, "fuzz", options, diag, &stats);
  } catch (const aisle::InputError&) {
    return 0;
  }
  aisle::SnapshotInput input;
  input.catalog = &catalog;
  auto bytes = aisle::write_snapshot(input);
  if (!bytes.is_ok()) std::abort();  // ingestion must only hand over representable catalogs
  if (!aisle::Snapshot::open(bytes.value().data(), bytes.value().size()).is_ok()) std::abort();
  return 0;
}
