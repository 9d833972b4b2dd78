// Embind adapters over core/storefront.h only: JS values in, Storefront calls, JS values
// out. No engine logic and no JSON here. Every call returns a plain object or JSON text;
// failures are {ok: false, code, message}, which the JS wrapper (web/package/engine.js)
// turns into an AisleError.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "storefront.h"

namespace aisle {
namespace {

using emscripten::val;

val failure(const Status& st) {
  val e = val::object();
  e.set("ok", false);
  e.set("code", std::string(status_code_name(st.code())));
  e.set("message", st.message());
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

double date_now() {
  return val::global("Date").call<double>("now");
}

class WasmEngine {
 public:
  val load(const val& bytes) {
    if (!bytes.instanceof (val::global("Uint8Array")))
      return failure(Status(StatusCode::kInvalidArgument, "expected a Uint8Array"));
    std::vector<uint8_t> copy(bytes["length"].as<size_t>());
    val(emscripten::typed_memory_view(copy.size(), copy.data())).call<void>("set", bytes);
    const Status st = store_.load(std::move(copy));
    if (!st.is_ok()) return failure(st);
    val out = success();
    out.set("items", store_.snapshot().item_count());
    out.set("checksum", store_.snapshot().checksum());  // identifies the build
    return out;
  }

  uint32_t item_count() const { return store_.snapshot().item_count(); }

  int32_t find_item(const std::string& id) const {
    uint32_t index;
    return store_.snapshot().find_item(id, &index) ? int32_t(index) : -1;
  }

  std::string item(uint32_t index, double now_ms) {
    return std::string(store_.item_json(index, int64_t(now_ms)));
  }

  // A GA4 e-commerce event: {event, timestamp, items: [{item_id}], source, medium,
  // referrer, sort, filter, coupon, search_term, page_type}.
  val track(const val& event) {
    if (!is_object(event))
      return failure(Status(StatusCode::kInvalidArgument, "expected an event object"));
    EventInput in;
    const std::string name =
        text(event, "event").empty() ? text(event, "name") : text(event, "event");
    in.event = name;
    const val ts = event["timestamp"];
    in.has_ts = ts.isNumber();
    if (in.has_ts) in.ts_ms = int64_t(ts.as<double>());
    const std::string ts_text = ts.isString() ? ts.as<std::string>() : std::string();
    in.timestamp = ts_text;
    in.now_ms = int64_t(date_now());
    ids_.clear();
    const val items = event["items"];
    if (items.isArray()) {
      const auto n = items["length"].as<uint32_t>();
      for (uint32_t i = 0; i < n && i < Storefront::kMaxEventItems; ++i) {
        const val it = items[i];
        ids_.push_back(is_object(it) ? text(it, "item_id") : std::string());
      }
    }
    views_.assign(ids_.begin(), ids_.end());
    in.item_ids = views_.data();
    in.item_count = views_.size();
    const std::string source = text(event, "source"), medium = text(event, "medium"),
                      referrer = text(event, "referrer"), sort = text(event, "sort"),
                      filter = text(event, "filter"), coupon = text(event, "coupon"),
                      term = text(event, "search_term"), page = text(event, "page_type");
    in.text = EventText{source, medium, referrer, sort, filter, coupon, term, page};
    TrackResult r;
    const Status st = store_.track(in, &r);
    if (!st.is_ok()) return failure(st);
    val out = success();
    if (r.ignored) out.set("ignored", true);
    out.set("unknown_items", r.unknown_items);
    return out;
  }

  // {placement, item, category, k, fill, now} -> the list's JSON text, or a failure object.
  val recommend(const val& options) {
    Request req;
    const Status st = request(options, &req);
    if (!st.is_ok()) return failure(st);
    return val(std::string(store_.list_json(req)));
  }

  // The list for `options` as if the shopper had just viewed options.item: that item's
  // product page's list, computed ahead; the visit is left as it is.
  val recommend_after_view(const val& options) {
    Request req;
    const Status st = request(options, &req);
    if (!st.is_ok()) return failure(st);
    return val(std::string(store_.list_json_after_view(req)));
  }

  // Why `id` is or is not recommended for the request in `options` (k ignored).
  val explain(const val& options, const std::string& id) {
    Request req;
    Status st = request(options, &req);
    std::string_view json;
    if (st.is_ok()) st = store_.explain_json(req, id, &json);
    return st.is_ok() ? val(std::string(json)) : failure(st);
  }

  // The wasm heap in bytes: what "memory stays bounded" is measured by.
  double memory_bytes() const { return double(emscripten_get_heap_size()); }

  void end_visit() { store_.end_visit(); }
  std::string export_profile() const { return store_.export_profile(); }
  std::string snapshot_rules() const { return std::string(store_.snapshot_rules()); }

  val import_profile(const std::string& json) { return result(store_.import_profile(json)); }
  val set_rules(const std::string& json) { return result(store_.set_rules_json(json)); }

  // [{experiment, variant, holdout, show}] for the visitor.
  val assign(const std::string& visitor) {
    std::vector<Assignment> assignments;
    const Status st = store_.assign(visitor, &assignments);
    if (!st.is_ok()) return failure(st);
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
  static val result(const Status& st) { return st.is_ok() ? success() : failure(st); }

  // {placement, item, category, k, fill, now}; `now` defaults to the page's clock.
  Status request(const val& options, Request* req) {
    if (!is_object(options))
      return Status(StatusCode::kInvalidArgument, "expected an options object");
    const std::string placement = text(options, "placement"), item = text(options, "item"),
                      category = text(options, "category");
    RequestInput in;
    in.placement = placement;
    in.item = item;
    in.category = category;
    const val k = options["k"];
    if (k.isNumber()) in.k = uint32_t(std::max(0.0, std::min(1e6, k.as<double>())));
    in.fill = options["fill"].isTrue();
    const val now = options["now"];
    in.now_ms = int64_t(now.isNumber() ? now.as<double>() : date_now());
    return store_.request(in, req);
  }

  Storefront store_;
  std::vector<std::string> ids_;
  std::vector<std::string_view> views_;
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
      .function("recommendAfterView", &aisle::WasmEngine::recommend_after_view)
      .function("explain", &aisle::WasmEngine::explain)
      .function("memoryBytes", &aisle::WasmEngine::memory_bytes)
      .function("endVisit", &aisle::WasmEngine::end_visit)
      .function("exportProfile", &aisle::WasmEngine::export_profile)
      .function("importProfile", &aisle::WasmEngine::import_profile)
      .function("setRules", &aisle::WasmEngine::set_rules)
      .function("assign", &aisle::WasmEngine::assign)
      .function("snapshotRules", &aisle::WasmEngine::snapshot_rules);
}
