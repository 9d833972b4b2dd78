// libFuzzer target: the visitor profile parser (localStorage is untrusted). A profile is
// refused with a Status or accepted; an accepted one makes a stable round trip and drives
// the engine's lists (replenishment, durables, returning visitor) to valid JSON.
// Seeds in tests/fuzz/corpus/profile/, among them a 1e308 timestamp.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_store.h"
#include "json_line.h"
#include "storefront.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace aisle;
  Storefront store;
  if (!store.load(fuzzing::store_bytes()).is_ok()) __builtin_trap();
  if (!store.import_profile(std::string_view(reinterpret_cast<const char*>(data), size)).is_ok())
    return 0;
  const std::string first = store.export_profile();
  if (!store.import_profile(first).is_ok() || store.export_profile() != first) __builtin_trap();
  JsonLine json;
  for (const char* placement : {"home", "cart", "product", "post_purchase"}) {
    RequestInput in;
    in.placement = placement;
    in.item = "I3";
    in.now_ms = fuzzing::kNowMs;
    Request req;
    if (!store.request(in, &req).is_ok() || !json.parse(store.list_json(req))) __builtin_trap();
  }
  return 0;
}
