#include "event.h"

namespace aisle {
namespace {
constexpr const char* kNames[] = {
    "view_item",      "view_item_list", "select_item", "add_to_cart",    "remove_from_cart",
    "begin_checkout", "purchase",       "search",      "view_promotion", "select_promotion"};
static_assert(sizeof(kNames) / sizeof(kNames[0]) == size_t(EventType::kCount), "names");
}  // namespace

bool parse_event_type(std::string_view name, EventType* out) {
  for (size_t i = 0; i < size_t(EventType::kCount); ++i) {
    if (name == kNames[i]) {
      *out = EventType(i);
      return true;
    }
  }
  return false;
}

}  // namespace aisle
