#include "profile.h"

#include <algorithm>
#include <cmath>

#include "json_line.h"

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

std::string Profile::to_json(const Snapshot& snap) const {
  std::string out = "{\"v\":1,\"visits\":" + std::to_string(visits_);
  auto list = [&](const char* name, const ProfileEntry* entries, size_t n) {
    out += std::string(",\"") + name + "\":[";
    for (size_t i = 0; i < n; ++i) {
      if (i) out += ',';
      const std::string_view id =
          entries[i].item < snap.item_count() ? snap.item(entries[i].item).id : "";
      out += '[';
      append_json_string(&out, id);
      out += "," + std::to_string(entries[i].ts_ms) + "]";
    }
    out += "]";
  };
  list("views", views_.data(), views_size_);
  list("purchases", purchases_.data(), purchases_size_);
  return out + "}";
}

Status Profile::from_json(std::string_view json, const Snapshot& snap) {
  *this = Profile();
  JsonLine j;
  auto bad = [&](const std::string& why) {
    *this = Profile();
    return Status(StatusCode::kInvalidArgument, "profile: " + why);
  };
  if (json.size() > (1u << 20) || !j.parse(json)) return bad("not valid JSON");
  const uint32_t root = JsonLine::root();
  const uint32_t v = j.find(root, "v"), visits = j.find(root, "visits");
  if (v == JsonLine::kNoNode || j.type(v) != JsonLine::Type::kNumber || j.number(v) != 1) {
    return bad("unknown version");
  }
  if (visits == JsonLine::kNoNode || j.type(visits) != JsonLine::Type::kNumber ||
      !(j.number(visits) >= 0) || j.number(visits) > 1e6) {
    return bad("bad visit count");
  }
  Profile p;
  p.visits_ = uint32_t(j.number(visits));
  for (int pass = 0; pass < 2; ++pass) {
    const uint32_t list = j.find(root, pass == 0 ? "views" : "purchases");
    if (list == JsonLine::kNoNode || j.type(list) != JsonLine::Type::kArray)
      return bad("missing lists");
    for (uint32_t e = j.first_child(list); e != JsonLine::kNoNode; e = j.next_sibling(e)) {
      const uint32_t id = j.first_child(e);
      if (j.type(e) != JsonLine::Type::kArray || j.size(e) != 2 ||
          j.type(id) != JsonLine::Type::kString ||
          j.type(j.next_sibling(id)) != JsonLine::Type::kNumber ||
          !(j.number(j.next_sibling(id)) >= 0 &&
            j.number(j.next_sibling(id)) <= double(fmt::kMaxTimeMs))) {
        return bad("bad entry (a time in epoch milliseconds up to year 9999 expected)");
      }
      uint32_t item;
      if (!snap.find_item(j.text(id), &item)) continue;  // gone from the catalog
      const ProfileEntry entry{item, int64_t(j.number(j.next_sibling(id)))};
      if (pass == 0)
        push(p.views_, p.views_size_, entry);
      else
        push(p.purchases_, p.purchases_size_, entry);
    }
  }
  *this = p;
  return Status::ok();
}

}  // namespace aisle
