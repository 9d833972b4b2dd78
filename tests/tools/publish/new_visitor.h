// What a Storefront gives a new visitor on a page: the page's product viewed (if any), then
// the list, as JSON; with a visitor id, in that visitor's experiment arms. Shared by the
// publish tests.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "storefront.h"

namespace aisle::testing {

inline nlohmann::json new_visitor_list(Storefront& store, const std::string& placement,
                                       const std::string& item, const std::string& category,
                                       uint32_t k, int64_t now, std::string_view visitor = {}) {
  store.reset_visit();
  if (!visitor.empty()) REQUIRE(store.assign(visitor, nullptr).is_ok());
  if (!item.empty()) {
    const std::string_view id = item;
    EventInput view;
    view.event = "view_item";
    view.now_ms = now;
    view.item_ids = &id;
    view.item_count = 1;
    REQUIRE(store.track(view, nullptr).is_ok());
  }
  RequestInput in;
  in.placement = placement;
  in.item = item;
  in.category = category;
  in.k = k;
  in.now_ms = now;
  Request req;
  REQUIRE(store.request(in, &req).is_ok());
  return nlohmann::json::parse(store.list_json(req));
}

}  // namespace aisle::testing
