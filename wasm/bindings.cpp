// Embind adapters over core/storefront.h only: JS values in, Storefront calls, JS values
// out. No engine logic and no JSON here. Every call returns a plain object, JSON text or
// JSON as UTF-8 bytes; failures are {ok: false, code, message}, which the JS wrapper
// (web/package/engine.js) turns into an AisleError. The per-event calls (track, recommend)
// take primitives that engine.js packs, so that each crosses once.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/html5.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "snapshot_subset.h"
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

double date_now() {
  return emscripten_date_now();  // Date.now(), without a property lookup through val
}

class WasmEngine {
 public:
  val load(const val& bytes) {
    std::vector<uint8_t> copy;
    if (!copy_in(bytes, &copy))
      return failure(Status(StatusCode::kInvalidArgument, "expected a Uint8Array"));
    const Status st = store_.load(std::move(copy));
    if (!st.is_ok()) return failure(st);
    val out = success();
    out.set("items", store_.snapshot().item_count());
    out.set("checksum", store_.snapshot().checksum());  // identifies the build
    return out;
  }

  // Checks a snapshot or shard without loading it: {ok, items, checksum, shard}.
  val verify(const val& bytes) const {
    std::vector<uint8_t> copy;
    if (!copy_in(bytes, &copy))
      return failure(Status(StatusCode::kInvalidArgument, "expected a Uint8Array"));
    const Result<Snapshot> s = Snapshot::open(copy.data(), copy.size());
    if (!s.is_ok()) return failure(s.status());
    val out = success();
    out.set("items", s.value().item_count());
    out.set("checksum", s.value().checksum());
    out.set("shard", s.value().is_shard());
    return out;
  }

  // Shards of one snapshot (an array of Uint8Array) merged into one (core/snapshot_subset.h):
  // a new Uint8Array, or a failure naming the part that is not a shard of it.
  val merge(const val& parts) const {
    if (!val::global("Array").call<bool>("isArray", parts))
      return failure(Status(StatusCode::kInvalidArgument, "expected an array"));
    const size_t n = parts["length"].as<size_t>();
    std::vector<std::vector<uint8_t>> bytes(n);
    std::vector<Result<Snapshot>> opened;
    std::vector<const Snapshot*> shards;
    opened.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (!copy_in(parts[i], &bytes[i]))
        return failure(Status(StatusCode::kInvalidArgument,
                              "part " + std::to_string(i) + ": expected a Uint8Array"));
      opened.push_back(Snapshot::open(bytes[i].data(), bytes[i].size()));
      if (!opened.back().is_ok())
        return failure(Status(opened.back().status().code(), "part " + std::to_string(i) + ": " +
                                                                 opened.back().status().message()));
      shards.push_back(&opened.back().value());
    }
    const Result<std::vector<uint8_t>> merged = merge_shards(shards);
    if (!merged.is_ok()) return failure(merged.status());
    return val(emscripten::typed_memory_view(merged.value().size(), merged.value().data()))
        .call<val>("slice");  // a copy the JS side owns
  }

  uint32_t item_count() const { return store_.snapshot().item_count(); }

  int32_t find_item(const std::string& id) const {
    uint32_t index;
    return store_.snapshot().find_item(id, &index) ? int32_t(index) : -1;
  }

  std::string item(uint32_t index, double now_ms) {
    return std::string(store_.item_json(index, int64_t(now_ms)));
  }

  // A GA4 e-commerce event as engine.js packs it, so that it crosses as one string rather
  // than a property read per field: ts_ms, its timestamp when that is a number (else NaN);
  // `packed`, '\0'-separated: the event's name, its timestamp text, the eight EventText fields,
  // then its item ids (engine.js packEvent). Returns the unknown ids' count, or -1 for an event
  // aisle does not use.
  val track(double ts_ms, const std::string& packed) {
    constexpr size_t kFields = 10;  // name, timestamp text, the eight EventText fields
    std::string_view fields[kFields];
    size_t n = 0, start = 0;
    ids_.clear();
    for (;;) {
      const size_t end = packed.find('\0', start);
      const std::string_view part = std::string_view(packed).substr(
          start, end == std::string::npos ? std::string::npos : end - start);
      if (n < kFields)
        fields[n++] = part;
      else if (ids_.size() < Storefront::kMaxEventItems)
        ids_.push_back(part);
      if (end == std::string::npos) break;
      start = end + 1;
    }
    if (n < kFields)
      return failure(Status(StatusCode::kInvalidArgument, "expected a packed event"));
    EventInput in;
    in.event = fields[0];
    // A number outside JavaScript's dates (or NaN) is no timestamp: the clock's then.
    in.has_ts = std::isfinite(ts_ms) && std::abs(ts_ms) <= 8.64e15;
    if (in.has_ts) in.ts_ms = int64_t(ts_ms);
    in.timestamp = fields[1];
    in.now_ms = int64_t(date_now());
    in.item_ids = ids_.data();
    in.item_count = ids_.size();
    in.text = EventText{fields[2], fields[3], fields[4], fields[5],
                        fields[6], fields[7], fields[8], fields[9]};
    TrackResult r;
    const Status st = store_.track(in, &r);
    if (!st.is_ok()) return failure(st);
    return val(r.ignored ? -1 : int32_t(r.unknown_items));  // engine.js makes the object
  }

  // The list's JSON text as UTF-8 bytes: a view of the engine's buffer, which engine.js
  // decodes before its next call (no copy into a std::string and a JS string on the way).
  // Arguments as requestArgs() in engine.js passes them.
  val recommend(const std::string& placement, const std::string& item, const std::string& category,
                double k, bool fill, double now) {
    Request req;
    const Status st = request(placement, item, category, k, fill, now, &req);
    if (!st.is_ok()) return failure(st);
    return bytes_of(store_.list_json(req));
  }

  // The list for these arguments as if the shopper had just viewed `item`: that item's
  // product page's list, computed ahead; the visit is left as it is.
  val recommend_after_view(const std::string& placement, const std::string& item,
                           const std::string& category, double k, bool fill, double now) {
    Request req;
    const Status st = request(placement, item, category, k, fill, now, &req);
    if (!st.is_ok()) return failure(st);
    return bytes_of(store_.list_json_after_view(req));
  }

  // Why `id` is or is not recommended for the request (k ignored).
  val explain(const std::string& placement, const std::string& item, const std::string& category,
              double k, bool fill, double now, const std::string& id) {
    Request req;
    Status st = request(placement, item, category, k, fill, now, &req);
    std::string_view json;
    if (st.is_ok()) st = store_.explain_json(req, id, &json);
    return st.is_ok() ? bytes_of(json) : failure(st);
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

  // A Uint8Array's bytes into *out; false for anything else.
  static bool copy_in(const val& bytes, std::vector<uint8_t>* out) {
    if (!bytes.instanceof (val::global("Uint8Array"))) return false;
    out->resize(bytes["length"].as<size_t>());
    val(emscripten::typed_memory_view(out->size(), out->data())).call<void>("set", bytes);
    return true;
  }

  static val bytes_of(std::string_view json) {
    return val(
        emscripten::typed_memory_view(json.size(), reinterpret_cast<const uint8_t*>(json.data())));
  }

  // `now`: the page's clock when not a finite number.
  Status request(const std::string& placement, const std::string& item, const std::string& category,
                 double k, bool fill, double now, Request* req) {
    RequestInput in;
    in.placement = placement;
    in.item = item;
    in.category = category;
    if (k == k) in.k = uint32_t(std::max(0.0, std::min(1e6, k)));  // NaN: the default
    in.fill = fill;
    in.now_ms = int64_t(std::isfinite(now) && std::abs(now) <= 8.64e15 ? now : date_now());
    return store_.request(in, req);
  }

  Storefront store_;
  std::vector<std::string_view> ids_;
};

}  // namespace
}  // namespace aisle

EMSCRIPTEN_BINDINGS(aisle) {
  emscripten::class_<aisle::WasmEngine>("Engine")
      .constructor<>()
      .function("load", &aisle::WasmEngine::load)
      .function("verify", &aisle::WasmEngine::verify)
      .function("merge", &aisle::WasmEngine::merge)
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
