// libFuzzer target: `aisle build --aggregates` refuses malformed aggregates with an
// InputError (file, line, field) or skips what it cannot use, never crashes and never
// allocates by a count it reads. The input's first byte picks which of the six files it
// replaces in an otherwise valid set; the rest is that file's bytes.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "aggregates.h"

namespace {

const char* const kNames[] = {"meta", "items", "transitions", "co_purchases", "sessions", "kinds"};
const char* const kValid[] = {
    ("as_of_ms,events_read,interactions,half_life_s,transition_window,max_sessions,"
     "max_session_length,max_basket\n1793404800000,10,8,604800,10,200000,100,50\n"),
    "item_id,views,carts,purchases,buyers,sessions,trend\nA,3,1,1,1,2,4.5\nB,2,0,1,1,2,1.25\n",
    "item_id,next_item_id,weight\nA,B,1.5\nB,A,0.5\n",
    "item_id,other_item_id,sessions\nA,B,1\nB,A,1\n",
    "session,position,item_id\n0,0,A\n0,1,B\n1,0,B\n",
    "category,gap_days,buyers,returning_buyers\nShop > Pots,,3,2\nShop > Pots,30,2,2\n"};

std::string dir() {
  static const std::string d = [] {
    char tmpl[] = "/tmp/fuzz_aggregates.XXXXXX";
    const char* made = ::mkdtemp(tmpl);
    if (made == nullptr) std::abort();
    return std::string(made);
  }();
  return d;
}

void write(size_t i, std::string_view text) {
  std::ofstream out(dir() + "/" + kNames[i] + ".csv", std::ios::binary | std::ios::trunc);
  out.write(text.data(), std::streamsize(text.size()));
}

aisle::Catalog catalog() {
  aisle::Catalog c;
  for (const char* id : {"A", "B", "C"}) {
    aisle::CatalogItem item;
    item.id = id;
    item.title = id;
    item.category_path = {"Shop", "Pots"};
    c.items.push_back(item);
  }
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const bool written = [] {
    for (size_t i = 0; i < 6; ++i) write(i, kValid[i]);
    return true;
  }();
  const size_t replaced = data[0] % 6;
  write(replaced, std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  struct Restore {  // the valid file back for the next input
    size_t i;
    ~Restore() { write(i, kValid[i]); }
  } restore{replaced};
  aisle::Catalog c = catalog();
  aisle::Diagnostics diag;
  try {
    const aisle::Aggregates a = aisle::read_aggregates(
        dir(), c.items.size(),
        [](std::string_view id) {
          return id == "A" ? 0u : id == "B" ? 1u : id == "C" ? 2u : UINT32_MAX;
        },
        604800, aisle::ModelOptions{}, diag);
    aisle::read_aggregate_kinds(dir(), &c, diag);
    return int(a.rows & 0) + int(!written);
  } catch (const aisle::InputError&) {
    return 0;
  }
}
