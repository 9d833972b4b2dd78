// Small text helpers for messy export fields: trimming, case, prices, dates, booleans.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "time_parse.h"  // parse_time_ms, days_from_civil

namespace aisle {

std::string_view trim(std::string_view s);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
// "Cork Yoga Mat - Red" -> "cork-yoga-mat-red": lower-case ASCII letters and digits, runs
// of anything else as one '-', none at either end.
std::string slugify(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);
// Splits on `sep`, trims each part and drops empty ones.
std::vector<std::string> split_trimmed(std::string_view s, std::string_view sep);

// "15.00 USD", "USD 15", "$1,299.99", "12,50 €", "1.299,00" -> hundredths and ISO code
// (empty when the text names none). False when no valid non-negative amount is found.
// The rule (docs/ingestion.md): the last '.' or ',' followed by one or two digits is the
// decimal mark; every other separator groups thousands and is followed by exactly three
// digits. `*ambiguous` (when given) is set when a lone separator before three digits was
// read as thousands ("12.500" is 12500, though a three-decimal export meant 12.5): the
// caller reports it. Anything else (`0.995`, `12.3456`, `1,299.999`) is refused.
bool parse_price(std::string_view text, int64_t* hundredths, std::string* currency,
                 bool* ambiguous = nullptr);
// 1250000 -> "12500.00": hundredths as exports and reports write them (non-negative).
std::string format_hundredths(int64_t hundredths);

// A price given as a number in major units (a JSON number: its '.' is always the decimal
// point), rounded to hundredths. False when negative, not finite or too large.
bool price_from_number(double major, int64_t* hundredths);

// "start/end" (Merchant Center's sale_price_effective_date); either side may be empty.
bool parse_time_range_ms(std::string_view text, int64_t* start_ms, int64_t* end_ms);

// true/false, yes/no, 1/0, y/n (any case). False when the text is none of these.
bool parse_bool(std::string_view text, bool* value);
bool parse_int(std::string_view text, int64_t* value);
bool parse_number(std::string_view text, double* value);

std::string format_time_iso(int64_t ms);  // "2026-03-01T10:00:00Z"

}  // namespace aisle
