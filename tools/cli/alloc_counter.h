// Counts heap allocations made through operator new (for `aisle bench`, which checks
// that the query path allocates nothing after warm-up). Linked into the aisle binary
// only, and off in sanitizer builds, whose own operator new must not be mixed with ours.
#pragma once

#include <cstdint>

namespace aisle {
bool heap_allocations_counted();
uint64_t heap_allocations();
}  // namespace aisle
