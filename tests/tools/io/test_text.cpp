#include <doctest/doctest.h>

#include "text.h"

using namespace aisle;

TEST_CASE("prices as exports write them") {
  int64_t v = 0;
  std::string cur;
  CHECK(parse_price("15.00 USD", &v, &cur));
  CHECK(v == 1500);
  CHECK(cur == "USD");
  CHECK(parse_price("USD 24.5", &v, &cur));
  CHECK(v == 2450);
  CHECK(parse_price("$1,299.99", &v, &cur));
  CHECK(v == 129999);
  CHECK(cur == "USD");
  CHECK(parse_price("18,90 EUR", &v, &cur));
  CHECK(v == 1890);
  CHECK(cur == "EUR");
  CHECK(parse_price("1.299,00 \xE2\x82\xAC", &v, &cur));
  CHECK(v == 129900);
  CHECK(cur == "EUR");
  CHECK(parse_price("1,299", &v, &cur));  // a thousands separator, not decimals
  CHECK(v == 129900);
  CHECK(cur.empty());
  CHECK(parse_price("0.99", &v, &cur));
  CHECK(v == 99);
  CHECK(parse_price("20", &v, &cur));
  CHECK(v == 2000);
  CHECK(parse_price(" 7 gbp ", &v, &cur));
  CHECK(cur == "GBP");
  CHECK_FALSE(parse_price("", &v, &cur));
  CHECK_FALSE(parse_price("free", &v, &cur));
  CHECK_FALSE(parse_price("-5.00 USD", &v, &cur));
  CHECK_FALSE(parse_price("5 USD 6", &v, &cur));
  CHECK_FALSE(parse_price("99999999999999999 USD", &v, &cur));
}

TEST_CASE("prices: one or two digits after the last mark are decimals, three are thousands") {
  // docs/ingestion.md: the last '.' or ',' followed by one or two digits is the decimal
  // mark; a separator followed by three digits groups thousands, whichever character.
  int64_t v = 0;
  std::string cur;
  bool ambiguous = false;
  CHECK(parse_price("12.500 EUR", &v, &cur, &ambiguous));
  CHECK(v == 1250000);
  CHECK(cur == "EUR");
  CHECK(ambiguous);  // a lone separator before three digits: the caller reports it
  CHECK(parse_price("12,500", &v, &cur, &ambiguous));
  CHECK(v == 1250000);
  CHECK(ambiguous);
  CHECK(parse_price("1.234.567", &v, &cur, &ambiguous));
  CHECK(v == 123456700);
  CHECK_FALSE(ambiguous);  // two separators cannot be a decimal mark
  CHECK(parse_price("1.234.567,5", &v, &cur, &ambiguous));
  CHECK(v == 123456750);
  CHECK_FALSE(ambiguous);
  CHECK(parse_price("12.5", &v, &cur, &ambiguous));
  CHECK(v == 1250);
  CHECK_FALSE(ambiguous);
  CHECK(parse_price("$1,299.99", &v, &cur, &ambiguous));
  CHECK(v == 129999);
  CHECK_FALSE(ambiguous);
  // Neither reading fits the rule: refused rather than guessed.
  CHECK_FALSE(parse_price("0.995", &v, &cur));      // no thousands group starts with 0
  CHECK_FALSE(parse_price("12.3456", &v, &cur));    // four digits after the mark
  CHECK_FALSE(parse_price("1,299.999", &v, &cur));  // mixed separators between groups
  CHECK_FALSE(parse_price("1299.999", &v, &cur));   // a first group of four digits
  CHECK_FALSE(parse_price("1,29,999", &v, &cur));   // groups of two
  CHECK_FALSE(parse_price("1.299.00", &v, &cur));   // the decimal mark also groups
  CHECK_FALSE(parse_price("12..50", &v, &cur));
  CHECK_FALSE(parse_price("12.", &v, &cur));
}

TEST_CASE("times: ISO-8601 and epoch numbers") {
  int64_t ms = 0;
  CHECK(parse_time_ms("1970-01-01T00:00:00Z", &ms));
  CHECK(ms == 0);
  CHECK(parse_time_ms("2026-11-01", &ms));
  CHECK(ms == 1793491200000);
  CHECK(parse_time_ms("2026-11-01T00:00:00.250Z", &ms));
  CHECK(ms == 1793491200250);
  CHECK(parse_time_ms("2026-11-01 01:00:00+01:00", &ms));
  CHECK(ms == 1793491200000);
  CHECK(parse_time_ms("2026-10-31T19:00-0500", &ms));
  CHECK(ms == 1793491200000);
  CHECK(parse_time_ms("1793491200", &ms));  // seconds
  CHECK(ms == 1793491200000);
  CHECK(parse_time_ms("1793491200000", &ms));  // milliseconds
  CHECK(ms == 1793491200000);
  CHECK(parse_time_ms("1793491200000000", &ms));  // microseconds (GA4 BigQuery)
  CHECK(ms == 1793491200000);
  CHECK(parse_time_ms("1593536687.5", &ms));
  CHECK(ms == 1593536687500);
  CHECK_FALSE(parse_time_ms("yesterday", &ms));
  CHECK_FALSE(parse_time_ms("2026-13-01", &ms));
  CHECK_FALSE(parse_time_ms("2026-11-01T25:00:00Z", &ms));
  CHECK_FALSE(parse_time_ms("2026-11-01Tx", &ms));
  CHECK_FALSE(parse_time_ms("-5", &ms));
  CHECK_FALSE(parse_time_ms("1e300", &ms));
  int64_t a, b;
  CHECK(parse_time_range_ms("2026-11-01T00:00:00Z/2026-11-02T00:00:00Z", &a, &b));
  CHECK(b - a == 86400000);
  CHECK(parse_time_range_ms("/2026-11-02", &a, &b));
  CHECK(a == 0);
  CHECK_FALSE(parse_time_range_ms("2026-11-01", &a, &b));
  CHECK(format_time_iso(1793491200250) == "2026-11-01T00:00:00Z");
  CHECK(format_time_iso(0) == "1970-01-01T00:00:00Z");
}

TEST_CASE("slugs") {
  CHECK(slugify("Cork Yoga Mat - Red") == "cork-yoga-mat-red");
  CHECK(slugify("  Barber & Co.  ") == "barber-co");
  CHECK(slugify("---") == "");
}

TEST_CASE("booleans, integers, splitting") {
  bool b = false;
  CHECK(parse_bool("TRUE", &b));
  CHECK(b);
  CHECK(parse_bool(" no ", &b));
  CHECK(!b);
  CHECK_FALSE(parse_bool("maybe", &b));
  int64_t i;
  CHECK(parse_int(" -12 ", &i));
  CHECK(i == -12);
  CHECK_FALSE(parse_int("12x", &i));
  const auto parts = split_trimmed(" A > B >> C ", ">");
  REQUIRE(parts.size() == 3);
  CHECK(parts[2] == "C");
}
