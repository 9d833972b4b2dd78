// FNV-1a: a fast hash of ids and names for tables, content addresses and stable
// assignments (not an integrity check: that is crc32.h).
#pragma once

#include <cstdint>
#include <string_view>

namespace aisle {

constexpr uint64_t kFnv64Basis = 14695981039346656037ull, kFnv64Prime = 1099511628211ull;

inline uint64_t fnv1a_64(std::string_view bytes, uint64_t h = kFnv64Basis) {
  for (const char c : bytes) h = (h ^ uint8_t(c)) * kFnv64Prime;
  return h;
}

inline uint32_t fnv1a_32(std::string_view bytes) {
  uint32_t h = 2166136261u;
  for (const char c : bytes) h = (h ^ uint8_t(c)) * 16777619u;
  return h;
}

}  // namespace aisle
