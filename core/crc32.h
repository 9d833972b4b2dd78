// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320): detects every burst error of
// up to 32 bits, so every single-byte corruption of a snapshot.
#pragma once

#include <cstddef>
#include <cstdint>

namespace aisle {

// Continue a CRC over more bytes; start with crc = 0.
uint32_t crc32_update(uint32_t crc, const uint8_t* data, size_t size);

}  // namespace aisle
