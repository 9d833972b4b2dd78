#include "alloc_counter.h"

#include <atomic>
#include <cstdlib>
#include <new>

#if AISLE_COUNT_ALLOCATIONS
namespace {
std::atomic<uint64_t> g_allocations{0};

void* counted(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
}  // namespace

bool aisle::heap_allocations_counted() {
  return true;
}
uint64_t aisle::heap_allocations() {
  return g_allocations.load(std::memory_order_relaxed);
}

void* operator new(std::size_t n) {
  return counted(n);
}
void* operator new[](std::size_t n) {
  return counted(n);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
#else
bool aisle::heap_allocations_counted() {
  return false;
}
uint64_t aisle::heap_allocations() {
  return 0;
}
#endif
