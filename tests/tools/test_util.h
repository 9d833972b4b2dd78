#pragma once

#include <doctest/doctest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>
#include <string>

#include "catalog_ingest.h"
#include "diagnostics.h"
#include "session.h"

namespace aisle::testing {

// A new, empty directory under /tmp for a test's files.
inline std::string temp_dir(const std::string& name = "test") {
  std::string t = "/tmp/aisle-" + name + "-XXXXXX";
  REQUIRE(mkdtemp(t.data()) != nullptr);
  return t;
}

// A visit of one event (`type` of `item` at `ts_ms`).
inline Session one_event(EventType type, uint32_t item, int64_t ts_ms) {
  Session s;
  ShopperEvent e;
  e.type = type;
  e.ts_ms = ts_ms;
  e.items = &item;
  e.item_count = 1;
  s.track(e);
  return s;
}

inline std::string data_path(const std::string& name) {
  return std::string(AISLE_TEST_DATA) + "/data/" + name;
}

inline Catalog load_fixture(const std::string& name, Diagnostics& diag, CatalogStats* stats,
                            CatalogOptions options = {}) {
  std::ifstream in(data_path(name), std::ios::binary);
  return load_catalog(in, name, options, diag, stats);
}

inline const CatalogItem* find(const Catalog& c, const std::string& id) {
  for (const auto& it : c.items) {
    if (it.id == id) return &it;
  }
  return nullptr;
}

inline bool has_label(const CatalogItem& it, const std::string& label) {
  for (const auto& l : it.labels) {
    if (l == label) return true;
  }
  return false;
}

}  // namespace aisle::testing
