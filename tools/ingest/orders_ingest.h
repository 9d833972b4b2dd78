// Orders exports as purchase logs, for stores without GA4's export (docs/ingestion.md,
// "Orders exports"): Shopify's orders CSV and a WooCommerce orders CSV, one row per line
// item. The rows of an order become one purchase event whose items are its lines; the
// customer (e-mail, else customer id) is hashed in memory into the event's visitor, never
// kept in clear; the order is its session. Cancelled, refunded and voided orders are left
// out and counted.
#pragma once

#include <istream>
#include <string>
#include <string_view>

#include "diagnostics.h"
#include "event_ingest.h"

namespace aisle {

// The orders format a CSV header names ("shopify-orders", "woocommerce-orders"), or "".
std::string detect_orders(std::string_view header_line);

void read_orders(std::istream& in, const std::string& file, const std::string& format,
                 Diagnostics& diag, EventStats* stats, const EventCallback& on_event);

}  // namespace aisle
