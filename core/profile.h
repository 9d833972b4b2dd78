// The visitor's history across visits, kept on the device (the browser stores it in
// localStorage). Bounded: the latest items viewed and bought in earlier visits.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include <string>
#include <string_view>

#include "session.h"
#include "snapshot.h"
#include "status.h"

namespace aisle {

struct ProfileEntry {
  uint32_t item;
  int64_t ts_ms;
};

class Profile {
 public:
  static constexpr size_t kMaxViews = 32;
  static constexpr size_t kMaxPurchases = 32;

  // Folds a finished visit into the profile.
  void end_visit(const Session& session);

  // The profile as the browser keeps it (localStorage): versioned JSON naming items by id,
  // so it survives a new snapshot; items the snapshot no longer has are dropped on load.
  //   {"v":1,"visits":3,"views":[["SKU-1",1790000000000],...],"purchases":[...]}
  std::string to_json(const Snapshot& snap) const;
  // Safe for untrusted input: corrupt, foreign or newer data is refused with a Status and
  // leaves the profile empty.
  Status from_json(std::string_view json, const Snapshot& snap);
  uint32_t visits() const { return visits_; }
  bool returning() const { return visits_ > 0; }
  size_t view_count() const { return views_size_; }
  const ProfileEntry& view(size_t i) const { return views_[i]; }  // oldest first
  size_t purchase_count() const { return purchases_size_; }
  const ProfileEntry& purchase(size_t i) const { return purchases_[i]; }  // oldest first

 private:
  template <size_t N>
  static void push(std::array<ProfileEntry, N>& ring, size_t& size, ProfileEntry e);
  std::array<ProfileEntry, kMaxViews> views_{};
  size_t views_size_ = 0;
  std::array<ProfileEntry, kMaxPurchases> purchases_{};
  size_t purchases_size_ = 0;
  uint32_t visits_ = 0;
};

}  // namespace aisle
