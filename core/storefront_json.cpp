// The one JSON writer for lists, explanations and items (snake_case keys), into a string
// reused across calls. Numbers by hand: snprintf is slow in wasm, and lists hold many.
// Scores and shares to 6 decimals; money from its hundredths, exactly.
#include <algorithm>
#include <cmath>
#include <string>

#include "json_line.h"
#include "storefront.h"

namespace aisle {
namespace {

// Decimal digits of v, appended in one call without a temporary string.
void append_uint(std::string* out, uint64_t v) {
  char digits[20];
  char* first = digits + sizeof digits;
  do {
    *--first = char('0' + v % 10);
    v /= 10;
  } while (v != 0);
  out->append(first, size_t(digits + sizeof digits - first));
}

}  // namespace

void Storefront::number(double v) {
  if (!std::isfinite(v)) v = 0;
  if (v < 0) {
    json_ += '-';
    v = -v;
  }
  const auto micros = static_cast<uint64_t>(std::llround(std::min(v, 1e12) * 1e6));
  append_uint(&json_, micros / 1000000);
  char frac[8] = {'.'};
  uint64_t f = micros % 1000000;
  for (int i = 6; i >= 1; --i, f /= 10) frac[i] = char('0' + f % 10);
  json_.append(frac, 7);
}

void Storefront::money(uint32_t hundredths) {
  append_uint(&json_, hundredths / 100);
  const char cents[3] = {'.', char('0' + hundredths % 100 / 10), char('0' + hundredths % 10)};
  json_.append(cents, 3);
}

void Storefront::field(const char* key, std::string_view text) {
  json_ += ",\"";
  json_ += key;
  json_ += "\":";
  append_json_string(&json_, text);
}

namespace {

// "key": the concatenation of two strings (a URL's shared prefix and its own part).
void joined_field(std::string* out, const char* key, std::string_view a, std::string_view b) {
  *out += ",\"";
  *out += key;
  *out += "\":";
  append_json_string(out, a);
  out->pop_back();  // the closing quote
  const size_t open = out->size();
  append_json_string(out, b);
  out->erase(open, 1);  // the opening quote
}

}  // namespace

// What a list shows of an item, as a JSON object; item_json() adds the catalog fields.
void Storefront::shown_item(uint32_t index, int64_t now_ms) {
  const ItemView it = snapshot().item(index);
  json_ += "{\"id\":";
  append_json_string(&json_, it.id);
  field("title", it.title);
  joined_field(&json_, "url", it.url_prefix, it.url_suffix);
  joined_field(&json_, "image", it.image_prefix, it.image_suffix);
  field("brand", it.brand);
  field("currency", it.currency);
  json_ += ",\"price\":";
  money(it.price);
  const uint32_t pays = it.effective_price(now_ms / 1000);
  json_ += ",\"sale_price\":";
  if (pays < it.price)
    money(pays);
  else
    json_ += "null";
  field("availability", availability_name(it.availability));
  json_ += it.recommendable ? ",\"recommendable\":true}" : ",\"recommendable\":false}";
}

void Storefront::context(const ShopperContext& c) {
  const Snapshot& snap = snapshot();
  json_ += '{';
  for (size_t f = 0; f < kContextFlagCount; ++f) {
    json_ += '"';
    json_ += context_flag_name(f);
    json_ += context_flag(c, f) ? "\":true," : "\":false,";
  }
  json_ += "\"visitor\":";
  append_json_string(&json_, c.returning ? "returning" : "new");
  field("traffic", traffic_class_name(c.traffic));
  if (c.compare_category < snap.category_count())
    field("compare_category", snap.category(c.compare_category).name);
  if (c.bundle_group < snap.group_count()) field("bundle_group", snap.group(c.bundle_group).key);
  if (c.premium_item < snap.item_count()) field("premium_item", snap.item(c.premium_item).id);
  json_ += '}';
}

// Opens the result object: placement, k (lists), mode, slots, context.
void Storefront::list_info(const Request& req, const ListInfo& info, bool with_k) {
  json_ += "{\"placement\":";
  append_json_string(&json_, placement_name(req.placement));
  if (with_k) {
    json_ += ",\"k\":";
    append_uint(&json_, req.k);
  }
  field("mode", list_mode_name(info.mode));
  json_ += ",\"slots\":";
  append_uint(&json_, info.slots);
  json_ += ",\"context\":";
  context(info.context);
}

// Each reason: code, text, contribution, and what it is anchored to where that is an item
// ("anchor": its id) or a category ("category": its name); rules are named by no anchor.
void Storefront::reasons(const Recommendation& r, bool rules) {
  const Snapshot& snap = snapshot();
  json_ += ",\"reasons\":[";
  for (size_t i = 0; i < r.reason_count; ++i) {
    const Reason& reason = r.reasons[i];
    json_ += i ? ",{\"code\":" : "{\"code\":";
    append_json_string(&json_, source_code(reason.source));
    json_ += ",\"text\":";
    text_.clear();
    engine()->append_reason_text(reason, &text_);
    append_json_string(&json_, text_);
    json_ += ",\"contribution\":";
    number(reason.contribution);
    const Anchor& a = reason.anchor;
    if (a.kind == AnchorKind::kItem && a.index < snap.item_count()) {
      field("anchor", snap.item(a.index).id);
    } else if (a.kind == AnchorKind::kCategory && a.index < snap.category_count()) {
      field("category", snap.category(a.index).name);
    }
    const std::string* rule = rules ? engine()->rule_of(reason) : nullptr;
    if (rule != nullptr && !rule->empty()) field("rule", *rule);
    json_ += '}';
  }
  json_ += ']';
}

// The comparison module's key attributes: the brand, then each "key=value" label (the
// last of a key wins, a "brand=" label over the brand field: each key once).
void Storefront::attributes_of(uint32_t item) {
  const Snapshot& snap = snapshot();
  const uint32_t n = snap.label_count(item);
  auto key_of = [&](uint32_t l) {
    const std::string_view label = snap.label(item, l);
    const size_t eq = label.find('=');
    return eq == std::string_view::npos ? std::string_view() : label.substr(0, eq);
  };
  auto later = [&](uint32_t l, std::string_view key) {
    for (uint32_t m = l; m < n; ++m) {
      if (key_of(m) == key) return true;
    }
    return false;
  };
  json_ += ",\"attributes\":{";
  bool first = true;
  if (!later(0, "brand")) {
    json_ += "\"brand\":";
    append_json_string(&json_, snap.item(item).brand);
    first = false;
  }
  for (uint32_t l = 0; l < n; ++l) {
    const std::string_view key = key_of(l);
    if (key.empty() || later(l + 1, key)) continue;
    if (!first) json_ += ',';
    first = false;
    append_json_string(&json_, key);
    json_ += ':';
    append_json_string(&json_, snap.label(item, l).substr(key.size() + 1));
  }
  json_ += '}';
}

// The item as a list shows it; `id_only`: its id and what item_json() does not write.
void Storefront::recommendation(const Recommendation& r, int64_t now_ms, bool attributes,
                                bool id_only) {
  if (id_only) {
    json_ += "{\"id\":";
    append_json_string(&json_, snapshot().item(r.item).id);
  } else {
    shown_item(r.item, now_ms);
    json_.pop_back();  // reopen the object
  }
  json_ += ",\"score\":";
  number(r.score);
  reasons(r);
  if (attributes) attributes_of(r.item);
  json_ += '}';
}

void Storefront::write_list(const Request& req, bool published) {
  json_.clear();
  recs_.clear();
  Engine* eng = engine();
  if (eng == nullptr) return;
  ListInfo info;
  eng->recommend(session_, req, &recs_, &info);
  list_info(req, info, /*with_k=*/!published);
  json_ += ",\"items\":[";
  for (size_t i = 0; i < recs_.size(); ++i) {
    if (i) json_ += ',';
    recommendation(recs_[i], req.now_ms, info.mode == ListMode::kCompare, published);
  }
  json_ += "]}";
}

std::string_view Storefront::list_json(const Request& req) {
  write_list(req, /*published=*/false);
  return json_;
}

std::string_view Storefront::list_json_after_view(const Request& req) {
  if (req.item >= snapshot().item_count()) return list_json(req);
  const Session visit = session_;  // fixed-size: a copy, no allocation
  ShopperEvent view;
  view.type = EventType::kViewItem;
  view.ts_ms = req.now_ms != 0 ? req.now_ms : session_.last_ms();
  view.items = &req.item;
  view.item_count = 1;
  session_.track(view);
  write_list(req, /*published=*/false);
  session_ = visit;
  return json_;
}

std::string_view Storefront::published_list_json(const Request& req, std::vector<uint32_t>* items) {
  write_list(req, /*published=*/true);
  items->clear();
  for (const Recommendation& r : recs_) items->push_back(r.item);
  return json_;
}

Status Storefront::explain_json(const Request& req, std::string_view id, std::string_view* out) {
  Engine* eng = engine();
  if (eng == nullptr) return Status(StatusCode::kNotFound, "no snapshot loaded");
  uint32_t index;
  if (!snapshot().find_item(id, &index))
    return Status(StatusCode::kNotFound, "no item '" + std::string(id) + "' in the snapshot");
  const Explanation e = eng->explain(session_, req, index);
  json_.clear();
  list_info(req, e.info, /*with_k=*/false);
  field("id", id);
  json_ += e.available ? ",\"available\":true" : ",\"available\":false";
  json_ += ",\"rank\":" + std::to_string(e.rank);
  if (e.rank >= 0) {
    json_ += ",\"score\":";
    number(e.rec.score);
    reasons(e.rec, /*rules=*/true);
  } else {
    json_ += ",\"reasons\":[]";
  }
  json_ += '}';
  *out = json_;
  return Status::ok();
}

std::string_view Storefront::shown_item_json(uint32_t index, int64_t now_ms) {
  json_.clear();
  if (index < snapshot().item_count()) shown_item(index, now_ms);
  return json_;
}

std::string_view Storefront::item_json(uint32_t index, int64_t now_ms) {
  json_.clear();
  const Snapshot& snap = snapshot();
  if (index >= snap.item_count()) return json_;
  shown_item(index, now_ms);
  json_.pop_back();  // reopen the object
  const ItemView it = snap.item(index);
  field("category",
        it.category == fmt::kNone ? std::string_view() : snap.category(it.category).name);
  json_ += ",\"launch\":";
  json_ += it.launch == 0 ? std::string("null") : std::to_string(int64_t(it.launch) * 1000);
  json_ += it.promo ? ",\"promo\":true" : ",\"promo\":false";
  field("margin_tier", it.margin_tier);
  json_ += ",\"labels\":[";
  for (uint32_t i = 0, n = snap.label_count(index); i < n; ++i) {
    if (i) json_ += ',';
    append_json_string(&json_, snap.label(index, i));
  }
  json_ += "]}";
  return json_;
}

}  // namespace aisle
