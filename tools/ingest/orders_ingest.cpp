#include "orders_ingest.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <vector>

#include "catalog_rows.h"
#include "csv.h"
#include "hash.h"
#include "text.h"

namespace aisle {
namespace {

// Each format's columns, by role (first present wins; names as lower-cased headers).
struct Columns {
  std::vector<const char*> order, time, customer, status, sku, product_id, quantity, price, total,
      currency, cancelled;
};
const Columns kShopify{{"name"},
                       {"paid at", "created at"},
                       {"email", "customer id"},
                       {"financial status"},
                       {"lineitem sku"},
                       {},
                       {"lineitem quantity"},
                       {"lineitem price"},
                       {"total"},
                       {"currency"},
                       {"cancelled at"}};
const Columns kWoo{{"order id", "order number", "order_id", "order_number"},
                   {"order date", "date paid", "order_date", "paid_date"},
                   {"billing email", "customer email", "customer user id", "customer id",
                    "billing_email", "customer_email", "customer_id"},
                   {"order status", "status"},
                   {"sku"},
                   {"variation id", "product id", "product_id", "variation_id"},
                   {"quantity", "qty"},
                   {"item cost", "item price", "price", "item_price"},
                   {"order total", "order_total"},
                   {"currency", "order currency", "order_currency"},
                   {}};

bool left_out(std::string_view status) {
  std::string s = to_lower(status);
  return s.find("cancel") != std::string::npos || s.find("refunded") != std::string::npos ||
         s.find("voided") != std::string::npos || s.find("failed") != std::string::npos ||
         s.find("trash") != std::string::npos;
}

class OrdersReader {
 public:
  OrdersReader(const std::string& file, const Columns& cols, Diagnostics& diag, EventStats* stats,
               const EventCallback& cb)
      : file_(file), cols_(cols), diag_(diag), stats_(stats), cb_(cb) {}

  void row(const Row& r) {
    const std::string_view order = first(r, cols_.order);
    if (order.empty()) return bad(r.line, "a line item without an order id", "order");
    if (order != order_) flush();
    if (order_.empty()) start(r, order);
    if (skip_) return;
    std::string_view id = first(r, cols_.sku);
    if (id.empty()) id = first(r, cols_.product_id);
    if (id.empty()) {
      ++stats_->malformed;
      diag_.add_count("order line without a SKU or product id skipped", 1);
      return;
    }
    ids_.emplace_back(id);  // a deque: the items' views of earlier ids stay valid
    RawItem item;
    item.id = ids_.back();
    double q = 1;
    if (!parse_number(first(r, cols_.quantity), &q) || !std::isfinite(q) || q < 1 || q > 1e6) q = 1;
    item.quantity = int64_t(q);
    double price = 0;
    if (parse_number(first(r, cols_.price), &price) && std::isfinite(price)) item.price = price;
    items_.push_back(item);
  }

  void flush() {
    if (!order_.empty() && !skip_ && !items_.empty()) {
      RawEvent e;
      e.type = EventType::kPurchase;
      e.name = "purchase";
      e.ts_ms = ts_ms_;
      e.visitor = visitor_;
      e.session = session_;
      e.transaction_id = order_;
      e.value = value_;
      e.currency = currency_;
      e.items = items_.data();
      e.item_count = items_.size();
      e.line = line_;
      ++stats_->events;
      cb_(e);
    }
    order_.clear();
    ids_.clear();
    items_.clear();
  }

 private:
  static std::string_view first(const Row& r, const std::vector<const char*>& names) {
    for (const char* n : names) {
      const std::string_view v = r.get(n);
      if (!v.empty()) return v;
    }
    return {};
  }

  void bad(uint64_t line, const std::string& why, const char* field) {
    ++stats_->malformed;
    diag_.warn(Location{file_, line, field}, "malformed order line skipped", why);
  }

  // The order's first row carries its date, customer, status and total.
  void start(const Row& r, std::string_view order) {
    order_ = std::string(order);
    line_ = r.line;
    skip_ = false;
    if (left_out(first(r, cols_.status)) || !first(r, cols_.cancelled).empty()) {
      skip_ = true;
      ++stats_->ignored;
      return;
    }
    const std::string_view when = first(r, cols_.time);
    if (when.empty() || !parse_time_ms(when, &ts_ms_)) {
      skip_ = true;
      bad(r.line, "missing or bad order date '" + std::string(when) + "'", "date");
      return;
    }
    // The customer, hashed: an e-mail lower-cased and trimmed, else the customer id.
    const std::string customer = to_lower(first(r, cols_.customer));
    char hex[24];
    std::snprintf(hex, sizeof hex, "c%016llx",
                  static_cast<unsigned long long>(fnv1a_64(customer.empty() ? order_ : customer)));
    visitor_ = hex;
    session_ = "order:" + order_;
    value_ = 0;
    if (!parse_number(first(r, cols_.total), &value_) || !std::isfinite(value_)) value_ = 0;
    currency_ = std::string(first(r, cols_.currency));
  }

  const std::string& file_;
  const Columns& cols_;
  Diagnostics& diag_;
  EventStats* stats_;
  const EventCallback& cb_;
  std::string order_, visitor_, session_, currency_;
  int64_t ts_ms_ = 0;
  double value_ = 0;
  uint64_t line_ = 0;
  bool skip_ = false;
  std::deque<std::string> ids_;  // the order's line items' ids, which items_ view
  std::vector<RawItem> items_;
};

}  // namespace

std::string detect_orders(std::string_view header_line) {
  const std::string h = to_lower(header_line);
  if (h.find("lineitem sku") != std::string::npos && h.find("name") != std::string::npos)
    return "shopify-orders";
  const bool order =
      h.find("order id") != std::string::npos || h.find("order number") != std::string::npos ||
      h.find("order_id") != std::string::npos || h.find("order_number") != std::string::npos;
  if (order && (h.find("sku") != std::string::npos || h.find("product id") != std::string::npos ||
                h.find("product_id") != std::string::npos))
    return "woocommerce-orders";
  return "";
}

void read_orders(std::istream& in, const std::string& file, const std::string& format,
                 Diagnostics& diag, EventStats* stats, const EventCallback& on_event) {
  stats->format = format;
  CsvReader csv(in);
  std::vector<std::string> fields;
  if (!csv.next(&fields)) return;
  ++stats->lines;
  const Header header(fields);
  const Columns& cols = format == "shopify-orders" ? kShopify : kWoo;
  OrdersReader reader(file, cols, diag, stats, on_event);
  while (csv.next(&fields)) {
    ++stats->lines;
    if (is_blank_record(fields)) continue;
    const Row row{&header, &fields, file, csv.record_line(), &diag};
    reader.row(row);
  }
  reader.flush();
}

}  // namespace aisle
