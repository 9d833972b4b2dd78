#include <doctest/doctest.h>

#include <cstring>

#include <vector>

#include "crc32.h"

TEST_CASE("crc32 matches the IEEE check value and chains") {
  const char* s = "123456789";
  const auto* p = reinterpret_cast<const uint8_t*>(s);
  CHECK(aisle::crc32_update(0, p, 9) == 0xCBF43926u);
  CHECK(aisle::crc32_update(aisle::crc32_update(0, p, 4), p + 4, 5) == 0xCBF43926u);
  CHECK(aisle::crc32_update(0, p, 0) == 0u);
}

TEST_CASE("crc32 over long buffers equals the bitwise definition, however it is split") {
  std::vector<uint8_t> bytes(1003);
  uint32_t x = 12345;
  for (uint8_t& b : bytes) b = uint8_t((x = x * 1103515245u + 12345u) >> 16);
  uint32_t bitwise = ~0u;
  for (uint8_t b : bytes) {
    bitwise ^= b;
    for (int k = 0; k < 8; ++k)
      bitwise = (bitwise & 1) ? 0xEDB88320u ^ (bitwise >> 1) : bitwise >> 1;
  }
  bitwise = ~bitwise;
  CHECK(aisle::crc32_update(0, bytes.data(), bytes.size()) == bitwise);
  for (size_t split : {1u, 7u, 8u, 9u, 500u, 1002u})
    CHECK(aisle::crc32_update(aisle::crc32_update(0, bytes.data(), split), bytes.data() + split,
                              bytes.size() - split) == bitwise);
}
