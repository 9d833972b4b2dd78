// Counts heap allocations made through operator new (for `aisle bench`, which checks
// that the query path allocates nothing after warm-up). Linked into the aisle binary only.
#pragma once

#include <cstdint>

namespace aisle {
uint64_t heap_allocations();
}
