#include "profile.h"

#include <algorithm>

namespace aisle {

// Keeps each item once (its latest time), dropping the oldest entry when full.
template <size_t N>
void Profile::push(std::array<ProfileEntry, N>& ring, size_t& size, ProfileEntry e) {
  auto end = ring.begin() + long(size);
  auto same =
      std::find_if(ring.begin(), end, [&](const ProfileEntry& x) { return x.item == e.item; });
  if (same != end) {
    std::copy(same + 1, end, same);
    --size;
  } else if (size == N) {
    std::copy(ring.begin() + 1, ring.end(), ring.begin());
    --size;
  }
  ring[size++] = e;
}

void Profile::end_visit(const Session& session) {
  if (session.signals().events == 0) return;
  ++visits_;
  for (size_t i = 0; i < session.recent_count(); ++i) {
    push(views_, views_size_, ProfileEntry{session.recent(i).item, session.recent(i).ts_ms});
  }
  for (size_t i = 0; i < session.purchased_count(); ++i) {
    push(purchases_, purchases_size_, ProfileEntry{session.purchased_item(i), session.last_ms()});
  }
}

}  // namespace aisle
