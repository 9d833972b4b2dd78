// Timestamps as merchants and analytics exports write them. Safe for untrusted input.
#pragma once

#include <cstdint>
#include <string_view>

namespace aisle {

// ISO-8601 ("2026-03-01", "2026-03-01T10:00:00Z", "2026-03-01 10:00:00+01:00", with
// optional fractional seconds) or a number of epoch seconds, milliseconds or
// microseconds told apart by magnitude. Result in epoch milliseconds.
bool parse_time_ms(std::string_view text, int64_t* ms);
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

}  // namespace aisle
