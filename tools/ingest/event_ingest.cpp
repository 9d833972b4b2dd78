#include "event_ingest.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <vector>

#include "json_line.h"
#include "line_reader.h"
#include "orders_ingest.h"
#include "text.h"

namespace aisle {
namespace {

using Node = uint32_t;

// GA4 JSONL keys aisle reads, with their synonyms (GA4 exports, gtag, BigQuery).
enum class Field : uint8_t {
  kEvent,
  kTimestamp,
  kVisitor,
  kSession,
  kItems,
  kValue,
  kCurrency,
  kTransaction,
  kSearchTerm,
  kSource,
  kMedium,
  kCampaign,
  kSort,
  kFilter,
  kCoupon,
  kPageType,
  kReferrer,
  kItemId,
  kPrice,
  kQuantity,
  kListId,
  kIndex,
  kExperiment,
  kVariant,
  kPlacement,
  kContext,
  kAnchor,
  kReason,
  kOther
};
constexpr size_t kFieldCount = size_t(Field::kOther);

struct KeyName {
  std::string_view name;
  Field field;
};
constexpr KeyName kKeys[] = {
    {"event", Field::kEvent},
    {"event_name", Field::kEvent},
    {"name", Field::kEvent},
    {"timestamp", Field::kTimestamp},
    {"ts", Field::kTimestamp},
    {"event_timestamp", Field::kTimestamp},
    {"time", Field::kTimestamp},
    {"visitor_id", Field::kVisitor},
    {"user_pseudo_id", Field::kVisitor},
    {"client_id", Field::kVisitor},
    {"user_id", Field::kVisitor},
    {"session_id", Field::kSession},
    {"ga_session_id", Field::kSession},
    {"items", Field::kItems},
    {"value", Field::kValue},
    {"purchase_revenue", Field::kValue},  // BigQuery: ecommerce.purchase_revenue
    {"currency", Field::kCurrency},
    {"transaction_id", Field::kTransaction},
    {"search_term", Field::kSearchTerm},
    {"source", Field::kSource},
    {"utm_source", Field::kSource},
    {"medium", Field::kMedium},
    {"utm_medium", Field::kMedium},
    {"campaign", Field::kCampaign},
    {"utm_campaign", Field::kCampaign},
    {"manual_source", Field::kSource},  // BigQuery: collected_traffic_source.*
    {"manual_medium", Field::kMedium},
    {"manual_campaign_name", Field::kCampaign},
    {"sort", Field::kSort},
    {"filter", Field::kFilter},
    {"coupon", Field::kCoupon},
    {"page_type", Field::kPageType},
    {"page_referrer", Field::kReferrer},
    {"referrer", Field::kReferrer},
    {"item_id", Field::kItemId},
    {"id", Field::kItemId},
    {"price", Field::kPrice},
    {"quantity", Field::kQuantity},
    {"item_list_id", Field::kListId},
    {"index", Field::kIndex},
    {"item_list_index", Field::kIndex},
    {"aisle_experiment", Field::kExperiment},
    {"aisle_variant", Field::kVariant},
    {"aisle_placement", Field::kPlacement},
    {"aisle_context", Field::kContext},
    {"aisle_anchor", Field::kAnchor},
    {"aisle_reason", Field::kReason},
};

// Hot path: keys are bucketed by length, so a lookup makes one or two comparisons.
struct KeyIndex {
  static constexpr size_t kMaxLen = 24;
  std::vector<KeyName> by_len[kMaxLen + 1];
  KeyIndex() {
    for (const KeyName& k : kKeys) by_len[k.name.size()].push_back(k);
  }
};

Field classify(std::string_view key) {
  static const KeyIndex kIndex;
  if (key.size() > KeyIndex::kMaxLen) return Field::kOther;
  for (const KeyName& k : kIndex.by_len[key.size()]) {
    if (k.name == key) return k.field;
  }
  return Field::kOther;
}

RawItem make_item(std::string_view id) {
  RawItem item;
  item.id = id;
  return item;
}
constexpr Node kNo = JsonLine::kNoNode;

class Parser {
 public:
  Parser(const std::string& file, Diagnostics& diag, EventStats* stats, const EventCallback& cb,
         bool deliver_other)
      : file_(file), diag_(diag), stats_(stats), cb_(cb), deliver_other_(deliver_other) {}

  void malformed(uint64_t line, const std::string& why, const char* field = "") {
    ++stats_->malformed;
    if (diag_.count("malformed line skipped") < 3) {
      diag_.warn(Location{file_, line, field}, "malformed line skipped", why);
    } else {
      diag_.add_count("malformed line skipped", 1);
    }
  }

  // Text of a string or number member; empty for anything else or no member.
  std::string_view scalar(Node n) const {
    if (n == kNo) return {};
    const auto t = json_.type(n);
    return t == JsonLine::Type::kString || t == JsonLine::Type::kNumber ? json_.text(n)
                                                                        : std::string_view();
  }
  std::string_view text_of(Node obj, const char* key) const { return scalar(json_.find(obj, key)); }
  // A number, or a string holding one; `fallback` otherwise.
  double number(Node n, double fallback) const {
    if (n == kNo) return fallback;
    if (json_.type(n) == JsonLine::Type::kNumber) return json_.number(n);
    if (json_.type(n) == JsonLine::Type::kString) {
      const std::string_view s = json_.text(n);
      double v;
      const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
      if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return v;
    }
    return fallback;
  }

  void ga4_line(std::string_view line, uint64_t line_no) {
    if (!json_.parse(line)) return malformed(line_no, json_.error());
    const Node root = JsonLine::root();
    if (json_.type(root) != JsonLine::Type::kObject) return malformed(line_no, "not a JSON object");
    // One pass over the members; the first of several synonyms that is not null wins.
    Node field[kFieldCount];
    std::fill(std::begin(field), std::end(field), kNo);
    Node params = kNo, ecommerce = kNo, traffic = kNo, pseudo = kNo;
    for (Node c = json_.first_child(root); c != kNo; c = json_.next_sibling(c)) {
      const std::string_view key = json_.key(c);
      if (key == "event_params") params = c;
      if (key == "ecommerce") ecommerce = c;
      if (key == "collected_traffic_source") traffic = c;
      if (key == "user_pseudo_id") pseudo = c;
      note(classify(key), c, field);
    }
    // GA4's BigQuery export nests what a flat export has at the top (docs/ingestion.md):
    // the event's own traffic source, the order, then the event parameters.
    for (const Node nested : {traffic, ecommerce}) {
      if (nested == kNo || json_.type(nested) != JsonLine::Type::kObject) continue;
      for (Node c = json_.first_child(nested); c != kNo; c = json_.next_sibling(c))
        note(classify(json_.key(c)), c, field);
    }
    bool per_user_session = field[size_t(Field::kSession)] != kNo &&
                            json_.key(field[size_t(Field::kSession)]) == "ga_session_id";
    const bool had_session = field[size_t(Field::kSession)] != kNo;
    note_params(params, field);
    if (!had_session && field[size_t(Field::kSession)] != kNo) per_user_session = true;
    const std::string_view name = scalar(field[size_t(Field::kEvent)]);
    if (name.empty()) return malformed(line_no, "no event name", "event");
    RawEvent e;
    e.name = name;
    if (!parse_event_type(name, &e.type)) {
      ++stats_->ignored;
      if (!deliver_other_) return;
      e.other = true;
    }
    const std::string_view ts = scalar(field[size_t(Field::kTimestamp)]);
    if (ts.empty() || !parse_time_ms(ts, &e.ts_ms))
      return malformed(line_no, "missing or bad timestamp", "timestamp");
    e.visitor = scalar(field[size_t(Field::kVisitor)]);
    e.session = scalar(field[size_t(Field::kSession)]);
    // GA4's ga_session_id is the session's start in seconds: unique per user, not overall.
    // GA4 keys it by user_pseudo_id, which signing in mid-session does not change.
    const std::string_view device = scalar(pseudo).empty() ? e.visitor : scalar(pseudo);
    if (per_user_session && !e.session.empty() && !device.empty()) {
      session_key_.assign(device);
      session_key_ += '/';
      session_key_ += e.session;
      e.session = session_key_;
    }
    if (e.session.empty()) e.session = e.visitor;
    e.value = number(field[size_t(Field::kValue)], 0);
    e.currency = scalar(field[size_t(Field::kCurrency)]);
    e.transaction_id = scalar(field[size_t(Field::kTransaction)]);
    e.search_term = scalar(field[size_t(Field::kSearchTerm)]);
    e.source = scalar(field[size_t(Field::kSource)]);
    e.medium = scalar(field[size_t(Field::kMedium)]);
    e.campaign = scalar(field[size_t(Field::kCampaign)]);
    e.sort = scalar(field[size_t(Field::kSort)]);
    e.filter = scalar(field[size_t(Field::kFilter)]);
    e.coupon = scalar(field[size_t(Field::kCoupon)]);
    e.page_type = scalar(field[size_t(Field::kPageType)]);
    e.referrer = scalar(field[size_t(Field::kReferrer)]);
    e.list_id = scalar(field[size_t(Field::kListId)]);
    e.experiment = scalar(field[size_t(Field::kExperiment)]);
    e.variant = scalar(field[size_t(Field::kVariant)]);
    e.placement = scalar(field[size_t(Field::kPlacement)]);
    e.context = scalar(field[size_t(Field::kContext)]);
    e.anchor = scalar(field[size_t(Field::kAnchor)]);
    items_.clear();
    const Node items = field[size_t(Field::kItems)];
    if (items != kNo) {
      if (json_.type(items) != JsonLine::Type::kArray)
        return malformed(line_no, "items is not a list", "items");
      for (Node it = json_.first_child(items); it != kNo; it = json_.next_sibling(it)) {
        Node f[kFieldCount];
        std::fill(std::begin(f), std::end(f), kNo);
        if (json_.type(it) == JsonLine::Type::kObject) {
          Node item_params = kNo;
          for (Node c = json_.first_child(it); c != kNo; c = json_.next_sibling(c)) {
            if (json_.key(c) == "item_params") item_params = c;
            note(classify(json_.key(c)), c, f);
          }
          // BigQuery: an item's custom parameters (the loader's aisle_reason) are
          // item_params, shaped as event_params; a direct field wins.
          note_params(item_params, f);
        }
        RawItem item;
        item.id = scalar(f[size_t(Field::kItemId)]);
        if (item.id.empty()) {
          ++stats_->malformed;
          diag_.add_count("item without item_id skipped", 1);
          continue;
        }
        item.price = number(f[size_t(Field::kPrice)], 0);
        const double q = number(f[size_t(Field::kQuantity)], 1);
        item.quantity = std::isfinite(q) && q >= 1 && q <= 1e6 ? int64_t(q) : 1;
        item.list_id = scalar(f[size_t(Field::kListId)]);
        const double idx = number(f[size_t(Field::kIndex)], -1);
        item.index = std::isfinite(idx) && idx >= 0 && idx < 1e9 ? int64_t(idx) : -1;
        item.reason = scalar(f[size_t(Field::kReason)]);
        items_.push_back(item);
      }
    }
    deliver(e, line_no);
  }

  // A member for `f`, unless one came first or it is null.
  void note(Field f, Node n, Node* field) const {
    if (f != Field::kOther && n != kNo && field[size_t(f)] == kNo &&
        json_.type(n) != JsonLine::Type::kNull)
      field[size_t(f)] = n;
  }

  // BigQuery's parameter lists (event_params, items[].item_params): each {"key", "value"}
  // for a field not yet set.
  void note_params(Node params, Node* field) const {
    if (params == kNo || json_.type(params) != JsonLine::Type::kArray) return;
    for (Node p = json_.first_child(params); p != kNo; p = json_.next_sibling(p)) {
      if (json_.type(p) != JsonLine::Type::kObject) continue;
      note(classify(text_of(p, "key")), param_value(p), field);
    }
  }

  // An event parameter's value, {"key": .., "value": {"string_value": .., "int_value": ..,
  // "double_value": .., "float_value": ..}}: the first that is set.
  Node param_value(Node p) const {
    const Node v = json_.find(p, "value");
    if (v == kNo || json_.type(v) != JsonLine::Type::kObject) return kNo;
    for (const char* k : {"string_value", "int_value", "double_value", "float_value"}) {
      const Node x = json_.find(v, k);
      if (x != kNo && json_.type(x) != JsonLine::Type::kNull) return x;
    }
    return kNo;
  }

  void otto_line(std::string_view line, uint64_t line_no) {
    if (!json_.parse(line)) return malformed(line_no, json_.error());
    const Node root = JsonLine::root();
    const std::string_view session = text_of(root, "session");
    const Node events = json_.find(root, "events");
    if (session.empty() || events == kNo || json_.type(events) != JsonLine::Type::kArray) {
      return malformed(line_no, "expected {\"session\": N, \"events\": [...]}");
    }
    for (Node ev = json_.first_child(events); ev != kNo; ev = json_.next_sibling(ev)) {
      const std::string_view aid = text_of(ev, "aid");
      const std::string_view type = text_of(ev, "type");
      const std::string_view ts = text_of(ev, "ts");
      RawEvent e;
      bool known = true;
      if (type == "clicks")
        e.type = EventType::kViewItem;
      else if (type == "carts")
        e.type = EventType::kAddToCart;
      else if (type == "orders")
        e.type = EventType::kPurchase;
      else
        known = false;
      if (!known || aid.empty() || ts.empty() || !parse_time_ms(ts, &e.ts_ms)) {
        malformed(line_no, "bad OTTO event (aid, ts and type clicks/carts/orders are required)",
                  "events");
        continue;
      }
      e.visitor = e.session = session;
      items_.clear();
      items_.push_back(make_item(aid));
      deliver(e, line_no);
    }
  }

  // Session-rec: SessionId, ItemId, Time (epoch seconds), in the header's column order.
  void session_rec_header(std::string_view line) {
    const auto cols = split_fields(line);
    for (size_t i = 0; i < cols.size(); ++i) {
      const std::string c = to_lower(cols[i]);
      if (c == "sessionid" || c == "session_id") col_session_ = int(i);
      if (c == "itemid" || c == "item_id") col_item_ = int(i);
      if (c == "time" || c == "timestamp") col_time_ = int(i);
    }
  }
  void session_rec_line(std::string_view line, uint64_t line_no) {
    const auto cols = split_fields(line);
    const int need = std::max(col_session_, std::max(col_item_, col_time_));
    if (int(cols.size()) <= need) return malformed(line_no, "expected SessionId, ItemId and Time");
    RawEvent e;
    e.type = EventType::kViewItem;
    e.visitor = e.session = cols[size_t(col_session_)];
    if (e.session.empty() || cols[size_t(col_item_)].empty() ||
        !parse_time_ms(cols[size_t(col_time_)], &e.ts_ms)) {
      return malformed(line_no, "empty session or item, or bad time");
    }
    items_.clear();
    items_.push_back(make_item(cols[size_t(col_item_)]));
    deliver(e, line_no);
  }

 private:
  std::vector<std::string_view> split_fields(std::string_view line) {
    fields_.clear();
    size_t start = 0;
    for (;;) {
      const size_t tab = line.find('\t', start);
      fields_.push_back(trim(line.substr(
          start, tab == std::string_view::npos ? std::string_view::npos : tab - start)));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    return fields_;
  }
  void deliver(RawEvent& e, uint64_t line_no) {
    e.items = items_.data();
    e.item_count = items_.size();
    e.line = line_no;
    if (!e.other) ++stats_->events;
    cb_(e);
  }

  const std::string& file_;
  Diagnostics& diag_;
  EventStats* stats_;
  const EventCallback& cb_;
  bool deliver_other_;
  JsonLine json_;
  std::vector<RawItem> items_;
  std::string session_key_;  // user_pseudo_id/ga_session_id, for the event being delivered
  std::vector<std::string_view> fields_;
  int col_session_ = 0, col_item_ = 1, col_time_ = 2;
};

std::string detect(std::string_view first) {
  const std::string_view t = trim(first);
  if (!t.empty() && t.front() == '{') {
    return t.find("\"events\"") != std::string_view::npos &&
                   t.find("\"aid\"") != std::string_view::npos
               ? "otto"
               : "ga4";
  }
  return "session-rec";
}

}  // namespace

const char* event_formats_help() {
  return "ga4, session-rec, otto, shopify-orders, woocommerce-orders";
}

void read_events(std::istream& in, const std::string& file, const std::string& format,
                 Diagnostics& diag, EventStats* stats, const EventCallback& on_event,
                 const ProgressCallback& on_progress, bool deliver_other) {
  *stats = EventStats{};
  const bool orders = format == "shopify-orders" || format == "woocommerce-orders";
  if (format != "auto" && format != "ga4" && format != "session-rec" && format != "otto" &&
      !orders) {
    throw InputError("unknown event format '" + format + "' (expected auto, " +
                     event_formats_help() + ")");
  }
  if (orders) return read_orders(in, file, format, diag, stats, on_event);
  // An orders CSV is told by its header; a stream that cannot be read twice (standard
  // input) is taken for an event log.
  if (format == "auto" && in.tellg() >= 0) {
    const std::streampos start = in.tellg();
    char head[4096];
    in.read(head, sizeof head);  // a header is short; a line without end is not read whole
    const std::string_view first(head, size_t(in.gcount()));
    in.clear();
    in.seekg(start);
    const std::string found = detect_orders(first.substr(0, first.find('\n')));
    if (!found.empty()) return read_orders(in, file, found, diag, stats, on_event);
  }
  LineReader lines(in);
  Parser parser(file, diag, stats, on_event, deliver_other);
  std::string_view line;
  bool first = true;
  while (lines.next(&line)) {
    if (lines.overlong()) {
      ++stats->lines;
      parser.malformed(lines.line_number(),
                       "longer than " + std::to_string(lines.max_line() >> 20) + " MiB");
      continue;
    }
    if (trim(line).empty()) continue;
    ++stats->lines;
    if (first) {
      first = false;
      stats->format = format == "auto" ? detect(line) : format;
      if (stats->format == "session-rec" && !line.empty() && !(line[0] >= '0' && line[0] <= '9')) {
        parser.session_rec_header(line);
        continue;
      }
    }
    if (stats->format == "ga4")
      parser.ga4_line(line, lines.line_number());
    else if (stats->format == "otto")
      parser.otto_line(line, lines.line_number());
    else
      parser.session_rec_line(line, lines.line_number());
    if (on_progress && (stats->lines & 0xFFFF) == 0) {
      stats->bytes = lines.bytes_consumed();
      on_progress(*stats);
    }
  }
  stats->bytes = lines.bytes_consumed();
  if (stats->format.empty()) stats->format = format == "auto" ? "empty" : format;
}

}  // namespace aisle
