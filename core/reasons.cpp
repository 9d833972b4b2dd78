#include "reasons.h"

namespace aisle {
namespace {

constexpr const char* kPlacementNames[] = {"product",  "cart",         "home",     "post_purchase",
                                           "category", "search_empty", "next_item"};
static_assert(sizeof(kPlacementNames) / sizeof(kPlacementNames[0]) == kPlacementCount, "names");

constexpr const char* kSourceCodes[] = {
#define AISLE_SOURCE_CODE(name, code, anchor) code,
    AISLE_SOURCES(AISLE_SOURCE_CODE)
#undef AISLE_SOURCE_CODE
};
static_assert(sizeof(kSourceCodes) / sizeof(kSourceCodes[0]) == kSourceCount, "codes");

constexpr AnchorKind kSourceAnchors[] = {
#define AISLE_SOURCE_ANCHOR(name, code, anchor) AnchorKind::anchor,
    AISLE_SOURCES(AISLE_SOURCE_ANCHOR)
#undef AISLE_SOURCE_ANCHOR
};

}  // namespace

const char* placement_name(Placement p) {
  return p < Placement::kCount ? kPlacementNames[size_t(p)] : "unknown";
}

bool parse_placement(std::string_view name, Placement* out) {
  for (size_t i = 0; i < kPlacementCount; ++i) {
    if (name == kPlacementNames[i]) {
      *out = Placement(i);
      return true;
    }
  }
  return false;
}

std::string placement_names() {
  std::string names;
  for (size_t i = 0; i < kPlacementCount; ++i)
    names += std::string(i ? ", " : "") + kPlacementNames[i];
  return names;
}

const char* source_code(Source s) {
  return s < Source::kCount ? kSourceCodes[size_t(s)] : "unknown";
}

AnchorKind source_anchor_kind(Source s) {
  return s < Source::kCount ? kSourceAnchors[size_t(s)] : AnchorKind::kNone;
}

const char* list_mode_name(ListMode m) {
  switch (m) {
    case ListMode::kStandard:
      return "standard";
    case ListMode::kFocused:
      return "focused";
    case ListMode::kCompare:
      return "compare";
    case ListMode::kBundle:
      return "bundle";
  }
  return "standard";
}

}  // namespace aisle
