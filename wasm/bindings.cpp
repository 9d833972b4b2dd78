// Embind adapters only: JS values in, core calls, JS values out. No engine logic here.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <vector>

#include "snapshot.h"

namespace aisle {
namespace {

using emscripten::val;

val error_value(const Status& s) {
  val e = val::object();
  e.set("ok", false);
  e.set("code", std::string(status_code_name(s.code())));
  e.set("message", s.message());
  return e;
}

// Owns a copy of the snapshot bytes and the verified view over them. JS owners call
// delete() (the loader's dispose()).
class Engine {
 public:
  // Copies a Uint8Array into wasm memory and verifies it. Returns {ok: true} or
  // {ok: false, code, message}; on failure the previously loaded snapshot stays.
  val load(const val& bytes) {
    const auto n = bytes["length"].as<size_t>();
    std::vector<uint8_t> copy(n);
    val(emscripten::typed_memory_view(n, copy.data())).call<void>("set", bytes);
    auto opened = Snapshot::open(copy.data(), copy.size());
    if (!opened.is_ok()) return error_value(opened.status());
    bytes_.swap(copy);  // the view points into the vector's heap buffer, which moves intact
    snapshot_ = opened.value();
    val ok = val::object();
    ok.set("ok", true);
    return ok;
  }

  uint32_t item_count() const { return snapshot_.item_count(); }

  int32_t find_item(const std::string& id) const {
    uint32_t index;
    return snapshot_.find_item(id, &index) ? int32_t(index) : -1;
  }

  // Display fields of one item; undefined for an index out of range.
  val item(uint32_t index) const {
    if (index >= snapshot_.item_count()) return val::undefined();
    const ItemView it = snapshot_.item(index);
    val o = val::object();
    o.set("id", std::string(it.id));
    o.set("title", std::string(it.title));
    o.set("url", it.url());
    o.set("image", it.image_url());
    o.set("brand", std::string(it.brand));
    o.set("currency", std::string(it.currency));
    o.set("price", it.price / 100.0);
    o.set("salePrice", it.sale_price == fmt::kNone ? val::null() : val(it.sale_price / 100.0));
    o.set("availability", std::string(availability_name(it.availability)));
    o.set("recommendable", it.recommendable);
    return o;
  }

 private:
  std::vector<uint8_t> bytes_;
  Snapshot snapshot_;
};

}  // namespace
}  // namespace aisle

EMSCRIPTEN_BINDINGS(aisle) {
  emscripten::class_<aisle::Engine>("Engine")
      .constructor<>()
      .function("load", &aisle::Engine::load)
      .function("itemCount", &aisle::Engine::item_count)
      .function("findItem", &aisle::Engine::find_item)
      .function("item", &aisle::Engine::item);
}
