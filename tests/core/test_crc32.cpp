#include <doctest/doctest.h>

#include <cstring>

#include "crc32.h"

TEST_CASE("crc32 matches the IEEE check value and chains") {
  const char* s = "123456789";
  const auto* p = reinterpret_cast<const uint8_t*>(s);
  CHECK(aisle::crc32_update(0, p, 9) == 0xCBF43926u);
  CHECK(aisle::crc32_update(aisle::crc32_update(0, p, 4), p + 4, 5) == 0xCBF43926u);
  CHECK(aisle::crc32_update(0, p, 0) == 0u);
}
