// Embind adapters only: JS values in, core calls, JS values out. No engine logic here.
// Every call returns a plain object; failures are {ok: false, code, message}, which the
// JS wrapper (web/engine.js) turns into an AisleError.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>

#include <memory>
#include <string>
#include <vector>

#include "context.h"
#include "engine.h"
#include "json_line.h"
#include "profile.h"
#include "rules.h"
#include "snapshot.h"
#include "time_parse.h"

namespace aisle {
namespace {

using emscripten::val;

val failure(StatusCode code, const std::string& message) {
  val e = val::object();
  e.set("ok", false);
  e.set("code", std::string(status_code_name(code)));
  e.set("message", message);
  return e;
}

val success() {
  val ok = val::object();
  ok.set("ok", true);
  return ok;
}

bool is_object(const val& v) {
  return !v.isNull() && v.typeOf().as<std::string>() == "object";
}

std::string text(const val& obj, const char* key) {
  const val v = obj[key];
  return v.isString() ? v.as<std::string>() : std::string();
}

class WasmEngine {
 public:
  // Copies a Uint8Array into wasm memory and verifies it. On failure the previously
  // loaded snapshot stays.
  val load(const val& bytes) {
    auto copy = std::make_unique<std::vector<uint8_t>>();
    if (!copy_bytes(bytes, copy.get()))
      return failure(StatusCode::kInvalidArgument, "expected a Uint8Array");
    auto opened = Snapshot::open(copy->data(), copy->size());
    if (!opened.is_ok()) return failure(opened.status().code(), opened.status().message());
    engine_.reset();
    bytes_ = std::move(copy);
    snapshot_ = opened.value();
    engine_ = std::make_unique<Engine>(snapshot_);
    session_.reset();
    profile_ = Profile();
    base_rules_ = engine_->rules();
    visitor_.clear();
    if (!engine_->rules_status().is_ok())
      return failure(StatusCode::kCorrupt, engine_->rules_status().message());
    val out = success();
    out.set("items", snapshot_.item_count());
    out.set("checksum", snapshot_.checksum());  // identifies the build: a new one has another
    return out;
  }

  uint32_t item_count() const { return snapshot_.item_count(); }

  int32_t find_item(const std::string& id) const {
    uint32_t index;
    return snapshot_.find_item(id, &index) ? int32_t(index) : -1;
  }

  // The item as the shop shows it at now_ms (the sale price only while the sale runs), as
  // JSON text with the catalog fields tools need; "" when out of range.
  std::string item(uint32_t index, double now_ms) {
    if (index >= snapshot_.item_count()) return std::string();
    json_.clear();
    shown_item(index, now_ms);
    json_.pop_back();  // reopen the object
    const ItemView it = snapshot_.item(index);
    json_ += ",\"category\":";
    append_json_string(&json_, it.category == fmt::kNone ? std::string_view()
                                                         : snapshot_.category(it.category).name);
    json_ += ",\"launch\":";
    json_ += it.launch == 0 ? std::string("null") : std::to_string(int64_t(it.launch) * 1000);
    json_ += it.promo ? ",\"promo\":true" : ",\"promo\":false";
    json_ += ",\"marginTier\":";
    append_json_string(&json_, it.margin_tier);
    json_ += ",\"labels\":[";
    for (uint32_t i = 0, n = snapshot_.label_count(index); i < n; ++i) {
      if (i) json_ += ',';
      append_json_string(&json_, snapshot_.label(index, i));
    }
    json_ += "]}";
    return json_;
  }

  // A GA4 e-commerce event: {event, timestamp, items: [{item_id, quantity}], source,
  // medium, referrer, sort, filter, coupon, search_term, page_type}. Unknown event names
  // are ignored and counted, never an error.
  val track(const val& event) {
    if (!engine_) return failure(StatusCode::kNotFound, "no snapshot loaded");
    if (!is_object(event)) return failure(StatusCode::kInvalidArgument, "expected an event object");
    EventType type;
    std::string name = text(event, "event");
    if (name.empty()) name = text(event, "name");
    val result = success();
    if (!parse_event_type(name, &type)) {
      result.set("ignored", true);
      return result;
    }
    ShopperEvent e;
    e.type = type;
    const val ts = event["timestamp"];
    if (ts.isNumber()) {
      e.ts_ms = int64_t(ts.as<double>());
    } else if (!(ts.isString() && parse_time_ms(ts.as<std::string>(), &e.ts_ms))) {
      e.ts_ms = int64_t(val::global("Date").call<double>("now"));
    }
    items_.clear();
    uint32_t unknown = 0;
    const val items = event["items"];
    if (items.isArray()) {
      const auto n = items["length"].as<uint32_t>();
      for (uint32_t i = 0; i < n && items_.size() < 64; ++i) {
        const val it = items[i];
        uint32_t index;
        const std::string id = is_object(it) ? text(it, "item_id") : std::string();
        if (!id.empty() && snapshot_.find_item(id, &index))
          items_.push_back(index);
        else
          ++unknown;
      }
    }
    e.items = items_.data();
    e.item_count = items_.size();
    const std::string source = text(event, "source"), medium = text(event, "medium"),
                      referrer = text(event, "referrer"), sort = text(event, "sort"),
                      filter = text(event, "filter"), coupon = text(event, "coupon"),
                      term = text(event, "search_term"), page = text(event, "page_type");
    apply_event_text(EventText{source, medium, referrer, sort, filter, coupon, term, page}, &e);
    session_.track(e);
    result.set("unknownItems", unknown);
    return result;
  }

  // {placement, item, category, k, now} -> JSON text of {ok, placement, mode, slots,
  // context, items}, or a failure object. One string crosses instead of an object per field.
  val recommend(const val& options) {
    Request req;
    val bad = request(options, &req);
    if (!bad.isUndefined()) return bad;
    ListInfo info;
    engine_->recommend(session_, req, &recs_, &info);
    json_.clear();
    list_info(req, info);
    json_ += ",\"items\":[";
    for (size_t i = 0; i < recs_.size(); ++i) {
      if (i) json_ += ',';
      recommendation(recs_[i], req.now_ms);
    }
    json_ += "]}";
    return val(json_);
  }

  // Why `id` is or is not recommended for the request in `options` (k ignored), as JSON
  // text of {ok, id, available, rank (-1: not in the placement's longest list), score,
  // reasons, placement, mode, slots, context}, or a failure object.
  val explain(const val& options, const std::string& id) {
    Request req;
    val bad = request(options, &req);
    if (!bad.isUndefined()) return bad;
    uint32_t index;
    if (!snapshot_.find_item(id, &index))
      return failure(StatusCode::kNotFound, "no item '" + id + "' in the snapshot");
    const Explanation e = engine_->explain(session_, req, index);
    json_.clear();
    list_info(req, e.info);
    json_ += ",\"id\":";
    append_json_string(&json_, id);
    json_ += e.available ? ",\"available\":true" : ",\"available\":false";
    json_ += ",\"rank\":" + std::to_string(e.rank);
    if (e.rank >= 0) {
      json_ += ",\"score\":";
      number(e.rec.score);
      reasons(e.rec);
    } else {
      json_ += ",\"reasons\":[]";
    }
    json_ += '}';
    return val(json_);
  }

  // The wasm heap in bytes: what "memory stays bounded" is measured by.
  double memory_bytes() const { return double(emscripten_get_heap_size()); }

  // Ends the visit: folds it into the profile and starts a new session.
  void end_visit() {
    profile_.end_visit(session_);
    session_.reset();
  }

  std::string export_profile() const { return profile_.to_json(snapshot_); }

  // The rules compiled into the snapshot (JSON text; empty if none).
  std::string snapshot_rules() const { return std::string(snapshot_.rules_text()); }

  val import_profile(const std::string& json) {
    const Status st = profile_.from_json(json, snapshot_);
    return st.is_ok() ? success() : failure(st.code(), st.message());
  }

  val set_rules(const std::string& json) {
    if (!engine_) return failure(StatusCode::kNotFound, "no snapshot loaded");
    Rules rules;
    const Status st = parse_rules_json(json, &rules);
    if (!st.is_ok()) return failure(st.code(), st.message());
    base_rules_ = std::move(rules);
    engine_->set_rules(visitor_.empty() ? base_rules_
                                        : rules_for_visitor(base_rules_, visitor_, nullptr));
    return success();
  }

  // Puts the visitor in their arm of every experiment of the rules and applies that arm's
  // rules: [{experiment, variant, holdout, show}].
  val assign(const std::string& visitor) {
    if (!engine_) return failure(StatusCode::kNotFound, "no snapshot loaded");
    if (visitor.empty() || visitor.size() > 200)
      return failure(StatusCode::kInvalidArgument,
                     "a visitor id of 1 to 200 characters is required");
    visitor_ = visitor;
    std::vector<Assignment> assignments;
    engine_->set_rules(rules_for_visitor(base_rules_, visitor_, &assignments));
    val list = val::array();
    for (const Assignment& a : assignments) {
      val o = val::object();
      o.set("experiment", a.experiment);
      o.set("variant", a.variant);
      o.set("holdout", a.holdout);
      o.set("show", std::string(a.show == HoldoutShow::kBestSellers ? "best_sellers" : "nothing"));
      list.call<void>("push", o);
    }
    val out = success();
    out.set("assignments", list);
    return out;
  }

 private:
  // JSON writers into json_ (reused: no allocation once it has grown).
  // Numbers by hand: snprintf is slow in wasm, and lists hold many. Scores and shares
  // to 6 decimals; money from its hundredths, exactly.
  void number(double v) {
    if (!std::isfinite(v)) v = 0;
    if (v < 0) {
      json_ += '-';
      v = -v;
    }
    const auto micros = static_cast<uint64_t>(std::llround(std::min(v, 1e12) * 1e6));
    json_ += std::to_string(micros / 1000000);
    char frac[8] = {'.'};
    uint64_t f = micros % 1000000;
    for (int i = 6; i >= 1; --i, f /= 10) frac[i] = char('0' + f % 10);
    json_.append(frac, 7);
  }
  void money(uint32_t hundredths) {
    json_ += std::to_string(hundredths / 100);
    const char cents[3] = {'.', char('0' + hundredths % 100 / 10), char('0' + hundredths % 10)};
    json_.append(cents, 3);
  }
  void field(const char* key, std::string_view text) {
    json_ += ",\"";
    json_ += key;
    json_ += "\":";
    append_json_string(&json_, text);
  }

  // What a list shows of an item, as a JSON object; item() adds the catalog fields.
  void shown_item(uint32_t index, double now_ms) {
    const ItemView it = snapshot_.item(index);
    json_ += "{\"id\":";
    append_json_string(&json_, it.id);
    field("title", it.title);
    field("url", it.url());
    field("image", it.image_url());
    field("brand", it.brand);
    field("currency", it.currency);
    json_ += ",\"price\":";
    money(it.price);
    const uint32_t pays = it.effective_price(int64_t(now_ms / 1000));
    json_ += ",\"salePrice\":";
    if (pays < it.price)
      money(pays);
    else
      json_ += "null";
    field("availability", availability_name(it.availability));
    json_ += it.recommendable ? ",\"recommendable\":true}" : ",\"recommendable\":false}";
  }

  static bool copy_bytes(const val& bytes, std::vector<uint8_t>* out) {
    if (!bytes.instanceof (val::global("Uint8Array"))) return false;
    out->resize(bytes["length"].as<size_t>());
    val(emscripten::typed_memory_view(out->size(), out->data())).call<void>("set", bytes);
    return true;
  }

  // Reads {placement, item, category, k, now}; returns a failure object, or undefined.
  val request(const val& options, Request* req) {
    if (!engine_) return failure(StatusCode::kNotFound, "no snapshot loaded");
    if (!is_object(options))
      return failure(StatusCode::kInvalidArgument, "expected an options object");
    if (!parse_placement(text(options, "placement"), &req->placement)) {
      return failure(StatusCode::kInvalidArgument,
                     "unknown placement '" + text(options, "placement") + "'");
    }
    const std::string item_id = text(options, "item");
    if (!item_id.empty() && !snapshot_.find_item(item_id, &req->item)) req->item = fmt::kNone;
    const val k = options["k"];
    req->k = k.isNumber() ? uint32_t(std::max(1.0, std::min(100.0, k.as<double>()))) : 10;
    const val now = options["now"];
    req->now_ms = now.isNumber() ? int64_t(now.as<double>())
                                 : int64_t(val::global("Date").call<double>("now"));
    const std::string category = text(options, "category");
    for (uint32_t c = 0; c < snapshot_.category_count() && !category.empty(); ++c) {
      if (snapshot_.category(c).name == category) req->category = c;
    }
    req->profile = profile_.returning() ? &profile_ : nullptr;
    return val::undefined();
  }

  // Opens the result object: ok, placement, mode, slots, context.
  void list_info(const Request& req, const ListInfo& info) {
    const ShopperContext& c = info.context;
    json_ += "{\"ok\":true";
    field("placement", placement_name(req.placement));
    field("mode", list_mode_name(info.mode));
    json_ += ",\"slots\":" + std::to_string(info.slots) + ",\"context\":{";
    const std::pair<const char*, bool> flags[] = {{"comparing", c.comparing},
                                                  {"decisive", c.decisive},
                                                  {"exploring", c.exploring},
                                                  {"priceSensitive", c.price_sensitive},
                                                  {"gift", c.gift},
                                                  {"bundleBuilding", c.bundle_building},
                                                  {"afterPremium", c.after_premium}};
    for (const auto& [name, on] : flags) {
      json_ += '"';
      json_ += name;
      json_ += on ? "\":true," : "\":false,";
    }
    json_ += "\"visitor\":";
    append_json_string(&json_, c.returning ? "returning" : "new");
    field("traffic", traffic_class_name(c.traffic));
    json_ += '}';
  }

  void reasons(const Recommendation& r) {
    json_ += ",\"reasons\":[";
    for (size_t i = 0; i < r.reason_count; ++i) {
      json_ += i ? ",{\"code\":" : "{\"code\":";
      append_json_string(&json_, source_code(r.reasons[i].source));
      field("text", engine_->reason_text(r.reasons[i]));
      json_ += ",\"contribution\":";
      number(r.reasons[i].contribution);
      json_ += '}';
    }
    json_ += ']';
  }

  void recommendation(const Recommendation& r, int64_t now_ms) {
    shown_item(r.item, double(now_ms));
    json_.pop_back();  // reopen the object
    json_ += ",\"score\":";
    number(r.score);
    reasons(r);
    json_ += '}';
  }

  std::unique_ptr<std::vector<uint8_t>> bytes_;  // the snapshot is used in place: keep it put
  Snapshot snapshot_;
  std::unique_ptr<Engine> engine_;
  Rules base_rules_;     // the snapshot's or the previewed rules, before any experiment
  std::string visitor_;  // set by assign()
  Session session_;
  Profile profile_;
  std::vector<uint32_t> items_;
  std::vector<Recommendation> recs_;
  std::string json_;
};

}  // namespace
}  // namespace aisle

EMSCRIPTEN_BINDINGS(aisle) {
  emscripten::class_<aisle::WasmEngine>("Engine")
      .constructor<>()
      .function("load", &aisle::WasmEngine::load)
      .function("itemCount", &aisle::WasmEngine::item_count)
      .function("findItem", &aisle::WasmEngine::find_item)
      .function("item", &aisle::WasmEngine::item)
      .function("track", &aisle::WasmEngine::track)
      .function("recommend", &aisle::WasmEngine::recommend)
      .function("explain", &aisle::WasmEngine::explain)
      .function("memoryBytes", &aisle::WasmEngine::memory_bytes)
      .function("endVisit", &aisle::WasmEngine::end_visit)
      .function("exportProfile", &aisle::WasmEngine::export_profile)
      .function("importProfile", &aisle::WasmEngine::import_profile)
      .function("setRules", &aisle::WasmEngine::set_rules)
      .function("assign", &aisle::WasmEngine::assign)
      .function("snapshotRules", &aisle::WasmEngine::snapshot_rules);
}
